//! The API model: the contract that code generation and the OpenAPI export read.

use serde::Serialize;
use std::collections::BTreeMap;

use graphdoc_page::Span;

/// Where a model item comes from: file and span, so generated code can point back at the doc line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// The page.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The full span.
    #[serde(skip)]
    pub span: Span,
}

impl Source {
    /// The source of `span` in `file`.
    pub fn new(file: &str, span: Span) -> Source {
        Source {
            file: file.to_owned(),
            line: span.line,
            column: span.column,
            span,
        }
    }

    /// `file:line`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The whole API, every list sorted so the same pages always give the same model.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ApiModel {
    /// Operations, by id.
    pub operations: Vec<Operation>,
    /// Operation pages that could not be placed at a path: reported, never generated.
    pub unplaced: Vec<Unplaced>,
    /// Types, by name.
    pub types: Vec<TypeDef>,
    /// Enums, by name.
    pub enums: Vec<EnumDef>,
}

/// One REST operation: a method at a path template.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// Unique, stable id: the page's file stem (plus the method when a page declares several).
    pub id: String,
    /// The request annotation's `name`, or the page title.
    pub name: String,
    /// The page title.
    pub title: String,
    /// The page's description (front matter, else first paragraph).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, API version removed, `{param}` placeholders as written.
    pub path: String,
    /// Alternative paths of the same request block.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Path parameters of `path`, in order.
    pub params: Vec<PathParam>,
    /// Query options the page names (`$filter`, `$select`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query_options: Vec<String>,
    /// What the request carries.
    pub request_body: RequestBody,
    /// Documented responses, the promised one first.
    pub responses: Vec<Response>,
    /// Permissions by permission type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<Permission>,
    /// Documented request/response examples.
    pub examples: Vec<Example>,
    /// The declared request line.
    pub source: Source,
}

impl Operation {
    /// The documented response an answer with `status` is read as: the one listed for it, else the
    /// promised (first) one, which is what a generated client decodes every success into.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == status).or(self.responses.first())
    }

    /// Whether a client hands the answer over undecoded, as bytes or a redirect: the promised
    /// response is a `Stream`, or a `3xx` without a body (downloads, usage reports).
    pub fn returns_content(&self) -> bool {
        self.responses.first().is_some_and(|r| match &r.body {
            Some(body) => body.is_stream(),
            None => (300..400).contains(&r.status),
        })
    }
}

/// A `{param}` placeholder of a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathParam {
    /// As written between the braces (`deviceManagementScriptId`, `id | userPrincipalName`).
    pub name: String,
}

/// A reference to a type: a primitive name (`String`, `Int32`), or a type or enum of the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeRef {
    /// Canonical primitive name or model type name.
    #[serde(rename = "type")]
    pub name: String,
    /// A collection of it.
    pub collection: bool,
}

impl TypeRef {
    /// A single `Edm.Stream`: bytes, not JSON.
    pub fn is_stream(&self) -> bool {
        !self.collection && matches!(graphdoc_page::Primitive::lookup(&self.name), Some((graphdoc_page::Primitive::Stream, _)))
    }
}

/// What a request carries.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestBody {
    /// Nothing.
    None,
    /// A JSON value of a type (or a collection of it).
    Type(TypeRef),
    /// A JSON object of named parameters (actions).
    Parameters {
        /// The parameters.
        parameters: Vec<Property>,
    },
    /// An OData reference, `{"@odata.id": url}`: what a `$ref` path takes to add or set a
    /// relationship, whatever entity type the page names.
    Reference,
}

/// A documented response.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// The body's type; `None` for an empty body.
    pub body: Option<TypeRef>,
    /// Where it is documented.
    pub source: Source,
}

/// Permissions of one permission type (`Application`, `Delegated (work or school account)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// The permission type.
    pub kind: String,
    /// The permissions, least privileged first as the page lists them.
    pub scopes: Vec<String>,
}

/// A documented example: a request and, usually, its response.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// The request annotation's name, else `<operation id>-<n>`.
    pub name: String,
    /// The request.
    pub request: ExampleRequest,
    /// The response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ExampleResponse>,
    /// The response is marked truncated: properties may be missing.
    pub truncated: bool,
    /// The declared path (primary or alias) the example's URL matches, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_template: Option<String>,
    /// Values of the template's parameters in the example URL.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub path_values: BTreeMap<String, String>,
    /// Codes of the diagnostics that make the example contradict the model: while any is present,
    /// replaying it would test the docs' defect rather than the client.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
}

impl Example {
    /// Whether the example can be replayed against the generated client as documented.
    pub fn replayable(&self) -> bool {
        self.issues.is_empty()
    }
}

/// An example request.
#[derive(Clone, Debug, Serialize)]
pub struct ExampleRequest {
    /// Method.
    pub method: String,
    /// Path, API version removed.
    pub path: String,
    /// Query string without `?`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The origin it is sent to when that is not Microsoft Graph (`https://bot.contoso.com`: a
    /// notification the service sends, an upload to a URL it handed out): no example of the
    /// operation, and never replayed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_origin: Option<String>,
    /// Headers as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// JSON body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// The request annotation marks the body as shortened.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// Where it is.
    pub source: Source,
    /// The body text and span, so checks can point into it.
    #[serde(skip)]
    pub body_at: Option<BodyAt>,
}

impl ExampleRequest {
    /// Whether the request is sent to Microsoft Graph (not to a `foreign_origin`).
    pub fn is_to_graph(&self) -> bool {
        self.foreign_origin.is_none()
    }
}

/// An example response.
#[derive(Clone, Debug, Serialize)]
pub struct ExampleResponse {
    /// Status code.
    pub status: u16,
    /// Headers as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// JSON body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Where it is.
    pub source: Source,
    /// The body text and span, so checks can point into it.
    #[serde(skip)]
    pub body_at: Option<BodyAt>,
}

/// Where a body's text is on its page.
#[derive(Clone, Debug)]
pub struct BodyAt {
    /// The body text.
    pub text: String,
    /// Its span.
    pub span: Span,
}

/// An operation page that could not be placed.
#[derive(Clone, Debug, Serialize)]
pub struct Unplaced {
    /// The page's file stem.
    pub id: String,
    /// The page title.
    pub title: String,
    /// Why.
    pub reason: String,
    /// Paths other pages give for the same body type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggested_paths: Vec<String>,
    /// Where.
    pub source: Source,
}

/// What kind of type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// Has a key; addressable.
    Entity,
    /// A structured value.
    Complex,
    /// Accepts any properties (`openType`, or referenced but never defined).
    Open,
}

/// A structured type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeDef {
    /// Name as the docs spell it (no `microsoft.graph.` prefix).
    pub name: String,
    /// Entity, complex or open.
    pub kind: TypeKind,
    /// Base type.
    pub base: Option<String>,
    /// Types that name this one as base or appear as its `@odata.type`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<String>,
    /// Key property of an entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Abstract: never instantiated itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_abstract: bool,
    /// Description from the resource page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Properties declared on this type (not inherited), in first-seen order.
    pub properties: Vec<Property>,
    /// Every place that contributed to it.
    pub sources: Vec<Source>,
}

/// A property (or an action parameter).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Property {
    /// Wire name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// A collection of the type.
    pub collection: bool,
    /// Description as written, links reduced to their text.
    pub description: String,
    /// `Nullable` / `Not nullable` when the page says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    /// `Read-only` in the description.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// `Required` in the description or a required column.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// A navigation property (Relationships table).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub navigation: bool,
    /// Where it was first declared.
    pub source: Source,
}

impl Property {
    /// The property's type as a reference.
    pub fn type_ref(&self) -> TypeRef {
        TypeRef {
            name: self.type_name.clone(),
            collection: self.collection,
        }
    }
}

/// An enumeration.
#[derive(Clone, Debug, Serialize)]
pub struct EnumDef {
    /// Name as the docs spell it.
    pub name: String,
    /// Members in order.
    pub members: Vec<EnumMember>,
    /// Values seen in examples that are not members.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub example_values: Vec<String>,
    /// Every place that contributed to it.
    pub sources: Vec<Source>,
}

/// One enum member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnumMember {
    /// Wire name.
    pub name: String,
    /// Numeric value when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl TypeDef {
    /// A complex type named `name`, with no base, properties or sources yet: what a type is until
    /// its page says more.
    pub fn complex(name: String) -> TypeDef {
        TypeDef {
            name,
            kind: TypeKind::Complex,
            base: None,
            derived: Vec::new(),
            key: None,
            is_abstract: false,
            description: None,
            properties: Vec::new(),
            sources: Vec::new(),
        }
    }
}

#[cfg(test)]
impl Property {
    /// A property for tests: typed, undescribed, with no flags set.
    pub(crate) fn plain(name: &str, type_name: &str, source: Source) -> Property {
        Property {
            name: name.to_owned(),
            type_name: type_name.to_owned(),
            collection: false,
            description: String::new(),
            nullable: None,
            read_only: false,
            required: false,
            navigation: false,
            source,
        }
    }
}

impl ApiModel {
    /// The type named `name` (any spelling the docs use).
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        let name = crate::names::bare_name(name);
        self.types
            .binary_search_by(|t| crate::names::cmp_bare(&t.name, name))
            .ok()
            .and_then(|i| self.types.get(i))
    }

    /// The enum named `name` (enums are sorted by key, as types are).
    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        let name = crate::names::bare_name(name);
        self.enums
            .binary_search_by(|e| crate::names::cmp_bare(&e.name, name))
            .ok()
            .and_then(|i| self.enums.get(i))
    }

    /// Properties of a type including those inherited from its bases (nearest first wins).
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        let mut out: Vec<&Property> = Vec::new();
        // The names taken so far, hashed: a search of `out` for each property was quadratic in a
        // type's properties (hundreds on Intune's types).
        let mut names: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        for t in self.type_and_bases(name) {
            for p in &t.properties {
                if names.insert(&p.name) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Whether the type named `name`, or one of its bases, has a property `property`.
    pub fn has_property(&self, name: &str, property: &str) -> bool {
        self.type_and_bases(name).any(|t| t.properties.iter().any(|p| p.name == property))
    }

    /// The type named `name`, then its base, its base's base, ...: a chain that loops ends when it
    /// comes back to a type already given (the same one in `types`), and no chain is longer than 33.
    fn type_and_bases(&self, name: &str) -> impl Iterator<Item = &TypeDef> {
        let mut seen: Vec<&TypeDef> = Vec::new();
        let mut current = self.type_def(name);
        std::iter::from_fn(move || {
            let t = current?;
            if seen.len() > 32 || seen.iter().any(|s| std::ptr::eq(*s, t)) {
                return None;
            }
            seen.push(t);
            current = t.base.as_deref().and_then(|b| self.type_def(b));
            Some(t)
        })
    }
}
