//! Annotation comments (`<!-- { "blockType": "request", ... } -->`): typed known keys, the rest kept.

use serde::Serialize;
use serde_json::{Map, Value};
use std::ops::Range;

use crate::context::Ctx;
use crate::diagnostic::Code;
use crate::span::Span;

/// What a block annotation says its fence is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockType {
    /// An example request.
    Request,
    /// An example response.
    Response,
    /// A resource's JSON representation.
    Resource,
    /// A JSON example of a type.
    Example,
    /// Not checked by the docs tooling (declared paths use this).
    Ignored,
    /// Sample code.
    Samples,
    /// A value graphdoc does not know.
    #[serde(untagged)]
    Other(String),
}

/// A parsed annotation comment.
#[derive(Clone, Debug, Serialize)]
pub struct Annotation {
    /// The whole `<!-- ... -->` comment.
    pub span: Span,
    /// Whether the JSON parsed (strictly or after recovery).
    pub valid: bool,
    /// `blockType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_type: Option<BlockType>,
    /// `name`: the example's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `truncated`: the example omits properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
    /// `@odata.type`: the type of the block's JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// `isCollection`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_collection: Option<bool>,
    /// `isEmpty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_empty: Option<bool>,
    /// `expectError`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_error: Option<bool>,
    /// `optionalProperties`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub optional_properties: Vec<String>,
    /// `keyProperty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_property: Option<String>,
    /// `baseType` (`null` reads as absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_type: Option<String>,
    /// `openType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_type: Option<bool>,
    /// `abstract` or `isAbstract`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_abstract: Option<bool>,
    /// `type` of a page annotation (`#page.annotation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_type: Option<String>,
    /// Every other key, known to the docs tooling or not, as written.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

impl Annotation {
    /// A page annotation (`"type": "#page.annotation"`) describes the page, not a fence.
    pub fn is_page_annotation(&self) -> bool {
        self.block_type.is_none() && self.page_type.is_some()
    }
}

/// Keys the Graph docs tooling uses that graphdoc keeps untyped in `extra` without a diagnostic.
const KNOWN_UNTYPED: &[&str] = &[
    "section",
    "tocPath",
    "description",
    "keywords",
    "suppressions",
    "tocBookmarks",
    "tocIndex",
    "sampleKeys",
    "sampleIds",
    "scopes",
    "scope",
    "tags",
    "target",
    "opaqueUrl",
    "@type",
    "@type.aka",
    "@property.aka",
    "@odata.annotations",
    "namespace",
    "isMediaEntity",
    "isComposable",
    "idempotent",
];

/// Read the comments in an HTML block at `range`; returns the annotations (bodies starting with `{`).
pub(crate) fn read_html_block(ctx: &mut Ctx<'_>, range: Range<usize>) -> Vec<Annotation> {
    let text = ctx.text(range.clone());
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(open) = text.get(pos..).and_then(|t| t.find("<!--")) {
        let open = pos + open;
        let body_start = open + 4;
        let Some(close) = text.get(body_start..).and_then(|t| t.find("-->")) else {
            let line_end = text.get(open..).and_then(|t| t.find('\n')).map_or(text.len(), |e| open + e);
            ctx.report_help(
                Code::HtmlCommentUnclosed,
                range.start + open..range.start + line_end,
                "this HTML comment is never closed; everything after it is hidden",
                "close the comment with `-->`",
            );
            break;
        };
        let close = body_start + close;
        let body = text.get(body_start..close).unwrap_or_default();
        let lead = body.len() - body.trim_start().len();
        if body.trim_start().starts_with('{') {
            let body_range = range.start + body_start + lead..range.start + close;
            let comment = range.start + open..range.start + close + 3;
            out.push(read_annotation(ctx, comment, body_range));
        }
        pos = close + 3;
    }
    out
}

fn read_annotation(ctx: &mut Ctx<'_>, comment: Range<usize>, body: Range<usize>) -> Annotation {
    let json_range = body.start..body.start + ctx.text(body.clone()).trim_end().len();
    let parsed = annotation_json(ctx, json_range);
    let mut a = Annotation {
        span: ctx.span(comment.clone()),
        valid: parsed.is_some(),
        block_type: None,
        name: None,
        truncated: None,
        odata_type: None,
        is_collection: None,
        is_empty: None,
        expect_error: None,
        optional_properties: Vec::new(),
        key_property: None,
        base_type: None,
        open_type: None,
        is_abstract: None,
        page_type: None,
        extra: Map::new(),
    };
    let Some(Value::Object(map)) = parsed else {
        return a;
    };
    for (key, value) in map {
        let mut typed = TypedValue {
            ctx,
            comment: comment.clone(),
            key: &key,
        };
        match key.as_str() {
            "blockType" => {
                a.block_type = typed.string(&value).map(|s| match s.as_str() {
                    "request" => BlockType::Request,
                    "response" => BlockType::Response,
                    "resource" => BlockType::Resource,
                    "example" => BlockType::Example,
                    "ignored" => BlockType::Ignored,
                    "samples" => BlockType::Samples,
                    _ => BlockType::Other(s),
                })
            }
            "name" => a.name = typed.string(&value),
            "truncated" => a.truncated = typed.bool(&value),
            "@odata.type" => a.odata_type = typed.string(&value),
            "isCollection" => a.is_collection = typed.bool(&value),
            "isEmpty" => a.is_empty = typed.bool(&value),
            "expectError" => a.expect_error = typed.bool(&value),
            "optionalProperties" => a.optional_properties = typed.strings(&value),
            "keyProperty" => a.key_property = typed.string(&value),
            "baseType" => a.base_type = typed.string(&value),
            "openType" => a.open_type = typed.bool(&value),
            "abstract" | "isAbstract" => a.is_abstract = typed.bool(&value),
            "type" => a.page_type = typed.string(&value),
            _ => {
                if !KNOWN_UNTYPED.contains(&key.as_str()) {
                    ctx.report_help(
                        Code::AnnotationUnknownKey,
                        comment.clone(),
                        format!("unknown annotation key `{key}`; kept as written"),
                        "check the spelling against the keys the docs tooling reads (blockType, name, truncated, @odata.type, ...)",
                    );
                }
                a.extra.insert(key, value);
            }
        }
    }
    a
}

fn annotation_json(ctx: &mut Ctx<'_>, range: Range<usize>) -> Option<Value> {
    use crate::json::{parse_json, JsonOutcome};
    let text = ctx.text(range.clone());
    match parse_json(text) {
        JsonOutcome::Valid(v) => Some(v),
        JsonOutcome::Recovered(v, commas) => {
            for c in commas {
                let at = range.start + c;
                ctx.report_help(
                    Code::AnnotationRecoveredJson,
                    at..at + 1,
                    "trailing comma in annotation JSON; read as if it were absent",
                    "remove the comma: the docs tooling parses annotations as strict JSON",
                );
            }
            Some(v)
        }
        JsonOutcome::Invalid(e) => {
            let at = range.start + e.offset;
            ctx.report_help(
                Code::AnnotationInvalidJson,
                at..(at + 1).min(range.end.max(at)),
                format!("annotation is not valid JSON: {}; the fence is read without it", e.message),
                "fix the JSON: quote keys and strings, separate entries with commas",
            );
            None
        }
    }
}

/// Reads one key's value into its Rust type, reporting a value of the wrong JSON type.
struct TypedValue<'c, 'a, 'k> {
    ctx: &'c mut Ctx<'a>,
    comment: Range<usize>,
    key: &'k str,
}

impl TypedValue<'_, '_, '_> {
    fn wrong(&mut self, expected: &str, value: &Value, recovered: bool) {
        let what = if recovered { "read as intended" } else { "ignored" };
        self.ctx.report_help(
            Code::AnnotationValueType,
            self.comment.clone(),
            format!("annotation key `{}` should be {expected}, found `{value}`; {what}", self.key),
            format!("write `\"{}\": <{expected}>`", self.key),
        );
    }

    fn string(&mut self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                self.wrong("a string", other, false);
                None
            }
        }
    }

    fn bool(&mut self, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                self.wrong("a boolean", value, true);
                Some(s.eq_ignore_ascii_case("true"))
            }
            Value::Null => None,
            other => {
                self.wrong("a boolean", other, false);
                None
            }
        }
    }

    fn strings(&mut self, value: &Value) -> Vec<String> {
        match value {
            Value::Array(items) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Value::String(s) => {
                self.wrong("an array of strings", value, true);
                vec![s.clone()]
            }
            other => {
                self.wrong("an array of strings", other, false);
                Vec::new()
            }
        }
    }
}
