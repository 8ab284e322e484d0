//! YAML front matter, read with yaml-rust2 into JSON values so later stages see one data model.

use serde::Serialize;
use serde_json::{Map, Value};
use std::ops::Range;
use yaml_rust2::{Yaml, YamlLoader};

use crate::context::Ctx;
use crate::diagnostic::Code;
use crate::span::Span;

/// The page's front matter.
#[derive(Clone, Debug, Serialize)]
pub struct FrontMatter {
    /// The whole block, delimiters included.
    pub span: Span,
    /// `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `doc_type` (`apiPageType`, `resourcePageType`, `enumPageType`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Every key, in order, as JSON.
    pub fields: Map<String, Value>,
}

/// Read YAML text at `yaml` (inside the block at `block`).
pub(crate) fn read_front_matter(ctx: &mut Ctx<'_>, block: Range<usize>, yaml: Range<usize>) -> FrontMatter {
    let text = ctx.text(yaml.clone());
    // 7,677 of the beta corpus's 7,943 front matters are simple; yaml-rust2 was 4% of reading a page.
    let fields = match simple_fields(text) {
        Some(fields) => fields,
        None => {
            let mut fields = Map::new();
            read_yaml(ctx, text, block.clone(), yaml, &mut fields);
            fields
        }
    };
    let string = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
    FrontMatter {
        span: ctx.span(block),
        title: string("title"),
        description: string("description"),
        doc_type: string("doc_type"),
        fields,
    }
}

/// Read `text` with yaml-rust2 into `fields`, reporting what is not a mapping or not YAML.
fn read_yaml(ctx: &mut Ctx<'_>, text: &str, block: Range<usize>, yaml: Range<usize>, fields: &mut Map<String, Value>) {
    match YamlLoader::load_from_str(text) {
        Ok(docs) => match docs.into_iter().next() {
            Some(Yaml::Hash(hash)) => {
                for (k, v) in hash {
                    fields.insert(yaml_key(&k), to_json(v));
                }
            }
            None | Some(Yaml::Null) => {}
            Some(_) => ctx.report_help(
                Code::FrontMatterInvalid,
                block.clone(),
                "front matter is not a mapping of keys to values",
                "write `key: value` lines between the `---` delimiters",
            ),
        },
        Err(e) => {
            let marker = e.marker();
            let line_start = line_offset(text, marker.line());
            let at = (yaml.start + line_start + marker.col()).min(yaml.end);
            let end = ctx.text(at..yaml.end).find('\n').map_or(yaml.end, |n| at + n);
            ctx.report_help(
                Code::FrontMatterInvalid,
                at..end.max(at),
                format!("front matter is not valid YAML: {}", e.info()),
                "quote values that contain `: ` (e.g. `title: \"driveItem: createUploadSession\"`)",
            );
        }
    }
}

/// The fields of front matter made only of `key: value` lines whose values are strings: how
/// nearly every page writes it. `None` for anything else (YAML then reads it, and reports): other
/// characters than printable ASCII, comments, lists, continued lines, escapes, and plain values
/// YAML could read as something other than a string (`true`, `null`, numbers).
fn simple_fields(text: &str) -> Option<Map<String, Value>> {
    let plain_ascii = |b: u8| (0x20..0x7f).contains(&b);
    if !text.bytes().all(|b| b == b'\n' || plain_ascii(b)) {
        return None;
    }
    let mut fields = Map::new();
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        let key_ok = key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        let value = value.trim_start_matches(' ');
        if !key_ok || is_special_word(key) || fields.contains_key(key) {
            return None;
        }
        fields.insert(key.to_owned(), Value::String(simple_value(value)?.to_owned()));
    }
    Some(fields)
}

/// A `"quoted"`, `'quoted'` or plain value that YAML reads as exactly this string, or `None`.
fn simple_value(value: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if value.starts_with(quote) {
            let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
            let escapes = if quote == '"' { inner.contains(['"', '\\']) } else { inner.contains('\'') };
            return (!escapes).then_some(inner);
        }
    }
    let first = value.bytes().next()?;
    let indicator = b"-?:,[]{}#&*!|>%@`+.~0123456789".contains(&first);
    let plain = !indicator && !is_special_word(value) && !value.ends_with([' ', ':']) && !value.contains(": ") && !value.contains('#');
    plain.then_some(value)
}

/// A word YAML (or a float parser) may read as null, a boolean or a number.
fn is_special_word(word: &str) -> bool {
    ["null", "true", "false", "yes", "no", "on", "off", "inf", "infinity", "nan"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// Byte offset of 1-based `line` in `text`.
fn line_offset(text: &str, line: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text.get(offset..).and_then(|t| t.find('\n')) {
            Some(i) => offset += i + 1,
            None => break,
        }
    }
    offset
}

fn yaml_key(k: &Yaml) -> String {
    match k {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

fn to_json(y: Yaml) -> Value {
    match y {
        Yaml::String(s) => Value::String(s),
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Hash(h) => Value::Object(h.into_iter().map(|(k, v)| (yaml_key(&k), to_json(v))).collect()),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What yaml-rust2 reads from `text`: the fields, or `None` when it reports a problem.
    fn by_yaml(text: &str) -> Option<Map<String, Value>> {
        let mut ctx = Ctx::new("t.md", text);
        let mut fields = Map::new();
        read_yaml(&mut ctx, text, 0..text.len(), 0..text.len(), &mut fields);
        ctx.diagnostics.is_empty().then_some(fields)
    }

    fn agrees(text: &str) {
        if let Some(simple) = simple_fields(text) {
            assert_eq!(Some(simple), by_yaml(text), "{text:?}");
        }
    }

    #[test]
    fn simple_front_matter_reads_as_yaml_reads_it() {
        let text = "title: \"user: delta\"\ndescription: Get users: all of them\nms.prod: 'users'\n\ndoc_type: apiPageType\nauthor: it's \"me\"\nx: a:b [c] {d}";
        let fields = simple_fields(text.replace(": all of them", " all of them").as_str()).unwrap();
        assert_eq!(fields.get("title"), Some(&Value::from("user: delta")));
        assert_eq!(fields.get("author"), Some(&Value::from("it's \"me\"")));
        assert_eq!(fields.keys().map(String::as_str).collect::<Vec<_>>(), ["title", "description", "ms.prod", "doc_type", "author", "x"]);
        // Left to YAML: a value with `: `, escapes, numbers, booleans, lists, comments, non-ASCII.
        for text in [text, "a: \"x\\ny\"", "a: 1", "a: true", "a: Null", "a:\n- b", "a: b # c", "a: é", "a: b\n  c", "null: a", "a: b\na: c", "a: b ", "a:", "- a"] {
            assert!(simple_fields(text).is_none(), "{text:?}");
        }
        for text in ["", "\n\n", "a: b", "a: 'x\\n'", "A_b-c.d: v1.0", "a: x,y"] {
            agrees(text);
            assert!(simple_fields(text).is_some(), "{text:?}");
        }
    }

    proptest! {
        /// Plain words are always read without YAML, and read as YAML reads them.
        #[test]
        fn plain_words_are_read_without_yaml(values in proptest::collection::vec("x[a-z ,.'/()-]{0,12}[a-z]", 1..5)) {
            let text: String = values.iter().enumerate().map(|(n, v)| format!("key{n}: {v}\n")).collect();
            let simple = simple_fields(&text);
            prop_assert!(simple.is_some(), "{text:?}");
            prop_assert_eq!(simple, by_yaml(&text));
        }

        #[test]
        fn whatever_is_read_without_yaml_yaml_reads_the_same(text in "([a-z_.:\\-]{1,6}: ?[ -~]{0,12}\n){1,4}") {
            agrees(&text);
        }
    }
}
