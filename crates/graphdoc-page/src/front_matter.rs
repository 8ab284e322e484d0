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
    let mut fields = Map::new();
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
    let string = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
    FrontMatter {
        span: ctx.span(block),
        title: string("title"),
        description: string("description"),
        doc_type: string("doc_type"),
        fields,
    }
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
