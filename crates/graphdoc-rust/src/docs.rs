//! Doc text from page text. Descriptions reach the output only as rustdoc text, never as code:
//! no fence, indented block or HTML survives, and brackets cannot become intra-doc links.

/// One line of safe rustdoc text from a description.
pub fn doc_text(raw: &str) -> String {
    if raw.contains("TODO") {
        let mut out = String::with_capacity(raw.len());
        for word in raw.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        return escaped(&strip_todo(&out));
    }
    // Without a TODO, words are escaped as they are joined, in one pass: runs of printable ASCII
    // that needs no escape are copied whole (descriptions are most of the text generated).
    let mut safe = String::with_capacity(raw.len() + raw.len() / 8);
    let mut space = false;
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            space = true;
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        }
        if space && !safe.is_empty() {
            safe.push(' ');
        }
        space = false;
        let run = rest.bytes().position(|b| !is_plain(b)).unwrap_or(rest.len());
        if run > 0 {
            safe.push_str(rest.get(..run).unwrap_or_default());
            rest = rest.get(run..).unwrap_or_default();
        } else {
            push_escaped_char(&mut safe, c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    // A control character that is not whitespace became a space, perhaps at either end.
    if safe.starts_with(' ') || safe.ends_with(' ') {
        return safe.trim().to_owned();
    }
    safe
}

/// `text` escaped ([`push_escaped`]) and trimmed.
fn escaped(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    push_escaped(&mut safe, text);
    safe.trim().to_owned()
}

/// Printable ASCII that rustdoc reads as itself.
fn is_plain(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'`' | b'[' | b']' | b'<' | b'>' | b'&' | b'*' | b'_' | b'#' | b'|' | b'\\')
}

/// `text` with what rustdoc would read as markup escaped or replaced.
fn push_escaped(safe: &mut String, text: &str) {
    for c in text.chars() {
        push_escaped_char(safe, c);
    }
}

/// One character of [`push_escaped`].
fn push_escaped_char(safe: &mut String, c: char) {
    match c {
        // Backticks would open code spans or fences; brackets intra-doc links; angle brackets HTML.
        '`' => safe.push('\''),
        '[' => safe.push_str("\\["),
        ']' => safe.push_str("\\]"),
        '<' => safe.push_str("&lt;"),
        '>' => safe.push_str("&gt;"),
        '&' => safe.push_str("&amp;"),
        '*' | '_' | '#' | '|' | '\\' => {
            safe.push('\\');
            safe.push(c);
        }
        c if c.is_control() => safe.push(' '),
        c => safe.push(c),
    }
}

/// Drop `**TODO ...**` markers and whatever they say.
fn strip_todo(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("TODO") {
        let before = rest.get(..i).unwrap_or_default().trim_end_matches(['*', ' ']);
        out.push_str(before);
        let after = rest.get(i..).unwrap_or_default();
        rest = match after.find("**") {
            Some(end) => after.get(end + 2..).unwrap_or_default(),
            None => "",
        };
    }
    out.push_str(rest);
    out.trim().to_owned()
}

/// Text for inside a doc code block marked `ignore`: it must not close the block.
pub fn code_text(raw: &str) -> String {
    raw.replace("```", "'''").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_becomes_code_html_or_links() {
        let t = doc_text("```rust\nfn main() {}\n```  <script>x</script> [link](a.md) `code` */ \"# \u{7}");
        assert!(!t.contains('`'));
        assert!(!t.contains('<'));
        assert!(!t.contains("\n"));
        assert!(t.contains("\\[link\\]"));
        assert!(t.contains("*/"), "a block comment end is harmless in a doc attribute: {t}");
    }

    /// `doc_text` as first written: words joined, TODOs dropped, then escaped, then trimmed.
    fn doc_text_in_steps(raw: &str) -> String {
        let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        escaped(&strip_todo(&joined))
    }

    #[test]
    fn doc_text_is_the_steps_it_is_made_of() {
        let samples = ["", " a  b ", "\u{7}x\u{7}", "a \u{7} b", "**TODO: x** y", "a_b <c> [d] `e` *f* #g |h| \\ &", "é\tü\n\u{2003}z", "TODOs", "a\u{1f}b \u{85}c\u{7f}", "plain words only"];
        for raw in samples {
            assert_eq!(doc_text(raw), doc_text_in_steps(raw), "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn doc_text_of_any_text_is_the_steps_it_is_made_of(raw in "[a-z0-9 \\t\\n\u{7}\u{1f}\u{7f}\u{85}\u{a0}`\\[\\]<>&*_#|\\\\éT.]{0,24}") {
            proptest::prop_assert_eq!(doc_text(&raw), doc_text_in_steps(&raw));
        }
    }

    #[test]
    fn todo_markers_are_dropped() {
        assert_eq!(doc_text("**TODO: Add Description** Inherited from entity"), "Inherited from entity");
        assert_eq!(doc_text("**TODO: Determine scopes **"), "");
    }

    #[test]
    fn code_text_cannot_close_the_block() {
        assert!(!code_text("a ``` b\nc").contains("```"));
    }
}
