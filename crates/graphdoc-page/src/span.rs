//! Source positions: byte ranges with 1-based line and column, the currency of every diagnostic.

use serde::{Serialize, Serializer};
use std::cell::Cell;

/// A region of one page: byte range plus 1-based line/column of both ends (columns count chars).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column (in chars) of `start`.
    pub column: u32,
    /// 1-based line of `end`.
    pub end_line: u32,
    /// 1-based column (in chars) of `end`.
    pub end_column: u32,
}

impl Span {
    /// The byte range of this span.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// Snapshots and JSON read spans as `line:column-end_line:end_column`: reviewers think in lines.
impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{}:{}-{}:{}",
            self.line, self.column, self.end_line, self.end_column
        ))
    }
}

/// Maps byte offsets of one text to line and column, built in one pass over the text.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// The text is ASCII (97% of beta's pages): a column is then a byte count, not a char count.
    ascii: bool,
    /// The line of the last offset placed: a page is read front to back, so the next offset is
    /// mostly on it or a line or two on (a binary search per span was most of a span's cost).
    last_line: Cell<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index the line starts of `text` (a line ends at `\n`; a `\r` before it belongs to the line).
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, line_starts, ascii: text.is_ascii(), last_line: Cell::new(0) }
    }

    /// The 0-based line that holds `offset` (at most the text's length).
    fn line_of(&self, offset: usize) -> usize {
        let starts = self.line_starts.as_slice();
        let mut line = self.last_line.get();
        if starts.get(line).is_some_and(|&start| start <= offset) {
            for _ in 0..4 {
                match starts.get(line + 1) {
                    Some(&next) if next <= offset => line += 1,
                    _ => {
                        self.last_line.set(line);
                        return line;
                    }
                }
            }
        }
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        self.last_line.set(line);
        line
    }

    /// 1-based line and char column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        (to_u32(line + 1), to_u32(self.chars_between(start, offset) + 1))
    }

    /// Chars from `from` to `to` on one line; bytes where either is inside a multi-byte char,
    /// which is still a usable position.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        if self.ascii {
            return to.saturating_sub(from);
        }
        match self.text.get(from..to) {
            Some(text) => text.chars().count(),
            None => to.saturating_sub(from),
        }
    }

    /// The span of a byte range.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let end = range.end.min(self.text.len());
        let start = range.start.min(end);
        let (line, column) = self.position(start);
        // Most spans end on the line they start on: count on from the start, not search again.
        let next_line = self.line_starts.get(line as usize).copied().unwrap_or(usize::MAX);
        let same_line = end < next_line && self.text.is_char_boundary(start) && self.text.is_char_boundary(end);
        let (end_line, end_column) = if same_line {
            (line, to_u32((column as usize).saturating_sub(1) + self.chars_between(start, end) + 1))
        } else {
            self.position(end)
        };
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The byte range of 1-based line `line`, without its line terminator.
    pub fn line_range(&self, line: u32) -> std::ops::Range<usize> {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(i).copied().unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(i + 1)
            .map(|n| n - 1)
            .unwrap_or(self.text.len());
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Number of lines (a final line without terminator counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let idx = LineIndex::new("ab\nçd\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        // 'ç' is two bytes, 'd' is the second char of line 2.
        assert_eq!(idx.position(5), (2, 2));
        assert_eq!(idx.position(7), (3, 1));
        assert_eq!(idx.position(100), (3, 1));
    }

    #[test]
    fn a_span_ends_where_position_puts_its_end() {
        let text = "ab\nçd é\n\nxyz";
        let idx = LineIndex::new(text);
        for start in 0..=text.len() + 1 {
            for end in start..=text.len() + 1 {
                let span = idx.span(start..end);
                let clamped = end.min(text.len());
                assert_eq!((span.end_line, span.end_column), idx.position(clamped), "{start}..{end}");
                assert_eq!((span.line, span.column), idx.position(start.min(clamped)), "{start}..{end}");
            }
        }
    }

    #[test]
    fn ascii_and_other_text_place_every_offset_alike() {
        // The same text but one char; an ASCII text counts bytes, the other chars.
        for text in ["ab\r\ncd e\n\nxyz", "ab\r\ncd \u{e9}\n\nxyz"] {
            let idx = LineIndex::new(text);
            for offset in 0..=text.len() + 1 {
                let before = text.get(..offset.min(text.len())).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
                if text.is_char_boundary(offset.min(text.len())) {
                    assert_eq!(idx.position(offset), (line as u32, column as u32), "{text:?} at {offset}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Offsets asked in any order find the line a binary search finds.
        #[test]
        fn lines_are_found_from_the_last_one_as_by_search(
            text in "[a\n]{0,40}",
            offsets in proptest::collection::vec(0usize..48, 0..24),
        ) {
            let idx = LineIndex::new(&text);
            for offset in offsets {
                let offset = offset.min(text.len());
                let searched = match idx.line_starts.binary_search(&offset) {
                    Ok(i) => i,
                    Err(i) => i.saturating_sub(1),
                };
                proptest::prop_assert_eq!(idx.line_of(offset), searched, "{:?} at {}", text, offset);
            }
        }
    }

    #[test]
    fn line_range_strips_crlf() {
        let idx = LineIndex::new("a\r\nbc\r\n");
        assert_eq!(idx.line_range(1), 0..1);
        assert_eq!(idx.line_range(2), 3..5);
    }
}
