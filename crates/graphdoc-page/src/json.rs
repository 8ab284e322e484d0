//! JSON as the docs write it: strict parse first, then one stated recovery (trailing commas).

use serde_json::Value;

/// What became of one JSON text.
#[derive(Debug)]
pub enum JsonOutcome {
    /// Strict JSON.
    Valid(Value),
    /// Parsed after dropping the trailing commas at these byte offsets (relative to the text).
    Recovered(Value, Vec<usize>),
    /// Not JSON, even leniently.
    Invalid(JsonError),
}

/// Why a JSON text did not parse, and where (byte offset relative to the text).
#[derive(Debug)]
pub struct JsonError {
    /// Byte offset of the error in the text.
    pub offset: usize,
    /// serde_json's message without its position suffix.
    pub message: String,
    /// Nesting exceeded the parser's recursion limit.
    pub too_deep: bool,
}

/// Parse `text` strictly, then with trailing commas removed.
pub fn parse_json(text: &str) -> JsonOutcome {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => JsonOutcome::Valid(v),
        Err(err) => {
            let error = to_error(text, &err);
            if error.too_deep {
                return JsonOutcome::Invalid(error);
            }
            let commas = trailing_commas(text);
            if commas.is_empty() {
                return JsonOutcome::Invalid(error);
            }
            let mut repaired = String::with_capacity(text.len());
            let mut last = 0;
            for &c in &commas {
                repaired.push_str(text.get(last..c).unwrap_or_default());
                last = c + 1;
            }
            repaired.push_str(text.get(last..).unwrap_or_default());
            match serde_json::from_str::<Value>(&repaired) {
                Ok(v) => JsonOutcome::Recovered(v, commas),
                Err(_) => JsonOutcome::Invalid(error),
            }
        }
    }
}

fn to_error(text: &str, err: &serde_json::Error) -> JsonError {
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_owned(),
        None => full.clone(),
    };
    JsonError {
        offset: offset_of(text, err.line(), err.column()),
        too_deep: message.contains("recursion limit"),
        message,
    }
}

/// Byte offset of serde_json's 1-based line and column (column counts bytes; 0 means line start).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut offset = if column == 0 {
        // serde_json reports column 0 after consuming a line break: the defect ends the previous line.
        let before = text.get(..start.saturating_sub(1)).unwrap_or_default();
        before.trim_end().len().saturating_sub(1)
    } else {
        (start + column - 1).min(text.len())
    };
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Offsets of commas followed (after whitespace) by `}` or `]`, outside strings.
fn trailing_commas(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' => {
                let next = bytes
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()));
                if matches!(next, Some(b'}') | Some(b']')) {
                    out.push(i);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_is_valid() {
        assert!(matches!(parse_json(r#"{"a": [1, 2]}"#), JsonOutcome::Valid(_)));
    }

    #[test]
    fn trailing_commas_are_recovered_and_located() {
        let text = "{\n  \"a\": 1,\n}";
        match parse_json(text) {
            JsonOutcome::Recovered(v, commas) => {
                assert_eq!(v["a"], 1);
                assert_eq!(commas, vec![10]);
            }
            other => panic!("expected recovery, got {other:?}"),
        }
    }

    #[test]
    fn commas_inside_strings_are_not_touched() {
        assert!(matches!(parse_json(r#"{"a": ",}", }"#), JsonOutcome::Recovered(..)));
        assert!(matches!(parse_json(r#"{"a": ",}" x}"#), JsonOutcome::Invalid(_)));
    }

    #[test]
    fn error_offset_points_at_the_defect() {
        let text = "{\n  \"a\": tru\n}";
        match parse_json(text) {
            JsonOutcome::Invalid(e) => {
                assert!(!e.too_deep);
                assert_eq!(text.get(..e.offset).map(|p| p.matches('\n').count()), Some(1));
            }
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(5000) + &"]".repeat(5000);
        match parse_json(&text) {
            JsonOutcome::Invalid(e) => assert!(e.too_deep),
            other => panic!("expected too deep, got {other:?}"),
        }
    }
}
