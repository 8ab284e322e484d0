//! Unfilled template text: `$(metadata.owner)` and `**TODO ...**`, found in one scan of the page.

use std::ops::Range;

/// A placeholder found in the page text.
#[derive(Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// `$(name.path)` left by a page generator.
    Template(Range<usize>),
    /// `**TODO ...**` left by an author.
    Todo(Range<usize>),
}

/// Every placeholder in `text`, in order of appearance.
pub fn find_placeholders(text: &str) -> Vec<Placeholder> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Only a `$` or `*` can start a placeholder: jump from one to the next.
    while let Some(found) = bytes.get(i..).and_then(|rest| memchr::memchr2(b'$', b'*', rest)) {
        i += found;
        match bytes.get(i) {
            Some(b'$') if bytes.get(i + 1) == Some(&b'(') => {
                if let Some(end) = template_end(bytes, i + 2) {
                    out.push(Placeholder::Template(i..end));
                    i = end;
                    continue;
                }
            }
            Some(b'*') if bytes.get(i + 1) == Some(&b'*') => {
                let mut j = i + 2;
                while bytes.get(j) == Some(&b' ') {
                    j += 1;
                }
                if bytes.get(j..j + 4) == Some(b"TODO") {
                    let end = todo_end(bytes, j + 4);
                    out.push(Placeholder::Todo(i..end));
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `$(` must be followed by an identifier path and `)`, so OData `$filter=` and prose are left alone.
fn template_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    let first = *bytes.get(j)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    while let Some(&b) = bytes.get(j) {
        match b {
            b')' => return Some(j + 1),
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' => j += 1,
            _ => return None,
        }
    }
    None
}

/// A TODO ends at the closing `**` on its line, else at the end of the line.
fn todo_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from;
    while let Some(&b) = bytes.get(j) {
        if b == b'\n' || b == b'\r' {
            return j;
        }
        if b == b'*' && bytes.get(j + 1) == Some(&b'*') {
            return j + 2;
        }
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_template_placeholders_but_not_odata_options() {
        let text = r#"author: "$(metadata.owner)" GET /users?$filter=x $(this.Return)"#;
        let found = find_placeholders(text);
        assert_eq!(
            found,
            vec![Placeholder::Template(9..26), Placeholder::Template(49..63)]
        );
    }

    #[test]
    fn finds_todo_with_and_without_closing_stars() {
        let text = "|a|**TODO: Determine scopes **|\nx **TODO open\n";
        let found = find_placeholders(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found.first(), Some(&Placeholder::Todo(3..30)));
        assert_eq!(found.get(1), Some(&Placeholder::Todo(34..45)));
    }
}
