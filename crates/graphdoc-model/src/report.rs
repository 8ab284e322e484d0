//! Model diagnostics: the page crate's `Diagnostic`, placed at a model item's source.

use graphdoc_page::{Code, Diagnostic, Span};

use crate::model::Source;

/// Collects the model's diagnostics.
#[derive(Default)]
pub(crate) struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn at(&mut self, code: Code, source: &Source, message: impl Into<String>, help: impl Into<String>) {
        self.at_span(code, &source.file, source.span, message, help);
    }

    pub fn at_span(&mut self, code: Code, file: &str, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(code, file, span, message).with_help(help));
    }
}

/// The span of the first `"needle"` key inside a body at `body` whose text is `text`, else `body`.
pub(crate) fn locate_key(text: &str, body: Span, key: &str) -> Span {
    let needle = format!("\"{key}\"");
    let Some(offset) = text.find(&needle) else {
        return body;
    };
    sub_span(text, body, offset, needle.len())
}

/// The span of `text[offset..offset + len]` for a text that starts at `base`.
pub(crate) fn sub_span(text: &str, base: Span, offset: usize, len: usize) -> Span {
    let pos = |at: usize| -> (u32, u32) {
        let before = text.get(..at).unwrap_or_default();
        let newlines = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count());
        let line = base.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        let column = if newlines == 0 {
            base.column.saturating_add(u32::try_from(col).unwrap_or(u32::MAX))
        } else {
            u32::try_from(col + 1).unwrap_or(u32::MAX)
        };
        (line, column)
    };
    let end = (offset + len).min(text.len());
    let (line, column) = pos(offset);
    let (end_line, end_column) = pos(end);
    Span {
        start: base.start + offset,
        end: base.start + end,
        line,
        column,
        end_line,
        end_column,
    }
}
