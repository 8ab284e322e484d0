//! Per-page state shared by the readers: the source, its line index and the diagnostics so far.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{LineIndex, Span};

/// What every reader of one page needs: where text is, and where to report.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub src: &'a str,
    pub index: LineIndex<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str, src: &'a str) -> Self {
        Ctx {
            file,
            src,
            index: LineIndex::new(src),
            diagnostics: Vec::new(),
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        self.index.span(range)
    }

    pub fn text(&self, range: Range<usize>) -> &'a str {
        self.src.get(range).unwrap_or_default()
    }

    pub fn report(&mut self, code: Code, range: Range<usize>, message: impl Into<String>) {
        let span = self.span(range);
        self.diagnostics
            .push(Diagnostic::new(code, self.file, span, message));
    }

    pub fn report_help(
        &mut self,
        code: Code,
        range: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let span = self.span(range);
        self.diagnostics
            .push(Diagnostic::new(code, self.file, span, message).with_help(help));
    }

    /// Parse JSON at `range`, reporting failure or recovery; `what` names it in messages.
    pub fn json(&mut self, range: Range<usize>, what: &str) -> Option<serde_json::Value> {
        use crate::json::{parse_json, JsonOutcome};
        let text = self.text(range.clone());
        match parse_json(text) {
            JsonOutcome::Valid(v) => Some(v),
            JsonOutcome::Recovered(v, commas) => {
                for c in commas {
                    let at = range.start + c;
                    self.report_help(
                        Code::JsonRecovered,
                        at..at + 1,
                        format!("trailing comma in {what}; read as if it were absent"),
                        "remove the comma: JSON allows none before `}` or `]`",
                    );
                }
                Some(v)
            }
            JsonOutcome::Invalid(e) => {
                let at = range.start + e.offset;
                let end = next_char_end(text, e.offset).map_or(at, |n| range.start + n);
                if e.too_deep {
                    self.report(
                        Code::JsonTooDeep,
                        at..end,
                        format!("{what} is nested more than 128 levels deep; it was not read"),
                    );
                } else {
                    self.report_help(
                        Code::JsonInvalid,
                        at..end,
                        format!("{what} is not valid JSON: {}", e.message),
                        "fix the JSON so that tools and readers can use the example",
                    );
                }
                None
            }
        }
    }
}

fn next_char_end(text: &str, offset: usize) -> Option<usize> {
    text.get(offset..)?.chars().next().map(|c| offset + c.len_utf8())
}
