//! Doc text from page text. Descriptions reach the output only as rustdoc text, never as code:
//! no fence, indented block or HTML survives, and brackets cannot become intra-doc links.

/// One line of safe rustdoc text from a description.
pub fn doc_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = strip_todo(&out);
    let mut safe = String::with_capacity(out.len());
    for c in out.chars() {
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
    safe.trim().to_owned()
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
