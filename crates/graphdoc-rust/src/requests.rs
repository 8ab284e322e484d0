//! `requests.rs` of the generated crate: a fluent API that mirrors the URL
//! (`client.device_management().group_policy_configurations().by_id(id).update(&body)`), one thin
//! method per operation; the runtime's `Request` does the work.

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Operation, RequestBody};

use crate::docs::{code_text, doc_text};
use crate::areas::Areas;
use crate::duplicates::{self, response_type};
use crate::models::TypeMap;
use crate::naming::{ident_text, snake_name, type_name, Namer};
use crate::tokens::{docs, ident};

/// One node of the URL tree: the requests at one path shape.
pub struct Node {
    struct_name: String,
    /// The root's child this node is under (its method name): the node's area. `None` for the root.
    pub area: Option<String>,
    /// Segment shape → (child node, method name, segment as first written).
    children: BTreeMap<String, (usize, String, String)>,
    /// (operation index, method name).
    pub operations: Vec<(usize, String)>,
}

/// A segment with every `{...}` reduced to `{}`: `/users/{id}` and `/users/{userId}` are one node.
fn shape(segment: &str) -> String {
    graphdoc_model::paths::shape(segment)
}

/// Literal text and placeholder names of a segment.
fn pieces(segment: &str) -> Vec<(bool, String)> {
    graphdoc_model::paths::segment_pieces(segment)
}

fn segment_method_name(segment: &str) -> String {
    match segment {
        "$ref" => "reference".to_owned(),
        "$value" => "content".to_owned(),
        "$count" => "count".to_owned(),
        _ => {
            let p = pieces(segment);
            if p.iter().all(|(param, _)| *param) {
                "by_id".to_owned()
            } else {
                let literal: String = p.iter().filter(|(param, _)| !param).map(|(_, t)| t.as_str()).collect();
                snake_name(&literal)
            }
        }
    }
}

fn segment_struct_part(segment: &str) -> String {
    match segment {
        "$ref" => "Ref".to_owned(),
        "$value" => "Content".to_owned(),
        "$count" => "Count".to_owned(),
        _ => {
            let p = pieces(segment);
            let literal: String = p.iter().filter(|(param, _)| !param).map(|(_, t)| t.as_str()).collect();
            let has_param = p.iter().any(|(param, _)| *param);
            let lit = if literal.is_empty() { String::new() } else { type_name(&literal) };
            if has_param { format!("{lit}Item") } else { lit }
        }
    }
}

/// What an operation's method is called on its node.
fn operation_method_name(op: &Operation) -> &'static str {
    let last = op.path.rsplit('/').next().unwrap_or_default();
    let item = last.contains('{');
    let collection = op.responses.first().and_then(|r| r.body.as_ref()).is_some_and(|b| b.collection);
    match op.method.as_str() {
        "GET" if collection || (!item && last != "$value" && op.id.ends_with("-list")) => "list",
        "GET" => "get",
        "PATCH" => "update",
        "PUT" => "replace",
        "DELETE" => "delete",
        "POST" => match &op.request_body {
            RequestBody::Type(_) => "create",
            _ => "invoke",
        },
        _ => "send",
    }
}

/// The usage line of an operation, from its first example that matched a declared path.
fn usage(op: &Operation, chain: &str) -> Vec<String> {
    let body = if matches!(op.request_body, RequestBody::None) { "" } else { "&body" };
    vec![
        String::new(),
        "```ignore".to_owned(),
        code_text(&format!("let request = client{chain}.{}({body});", operation_method_name(op))),
        "let http_request = request.to_http()?;".to_owned(),
        "```".to_owned(),
    ]
}

/// How to reach an operation at one of its paths: per segment the builder method and the
/// placeholder names it takes, then the operation's method.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    /// (method, placeholder names) per segment.
    pub segments: Vec<(String, Vec<String>)>,
    /// The operation's method on the last builder.
    pub method: String,
    /// The index (in the model's operations) of the operation that method belongs to: another
    /// page's, for a duplicate.
    pub owner: usize,
}

/// The URL tree: where every operation's method is, and how each (operation id, path) reaches one.
pub struct Placement {
    /// The builders; the first is the root `Client`.
    pub nodes: Vec<Node>,
    /// Operations given a method.
    pub placed: usize,
    /// The chain of every (operation id, path) that got a method, its own or a first page's.
    pub chains: BTreeMap<(String, String), Chain>,
}

/// The non-empty segments of a path.
fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    path.trim_start_matches('/').split('/').filter(|s| !s.is_empty())
}

/// What placing reads from one segment: each distinct segment is read once, on every core (read
/// again at every path that has it, this was half of placing).
struct Segment {
    struct_part: String,
    shape: String,
    params: Vec<String>,
    method: String,
}

impl Segment {
    fn read(segment: &str) -> Segment {
        Segment {
            struct_part: segment_struct_part(segment),
            shape: shape(segment),
            params: pieces(segment).into_iter().filter(|(p, _)| *p).map(|(_, n)| n).collect(),
            method: segment_method_name(segment),
        }
    }

    /// Every distinct segment of `paths`, read.
    fn all<'p>(paths: impl Iterator<Item = &'p String>) -> std::collections::HashMap<&'p str, Segment> {
        use rayon::prelude::*;
        let distinct: std::collections::HashSet<&str> = paths.flat_map(|p| path_segments(p)).collect();
        distinct.into_par_iter().map(|s| (s, Segment::read(s))).collect()
    }
}

/// Place every operation at its declared paths, then its aliases.
pub fn place(model: &ApiModel) -> Placement {
    let mut chains = BTreeMap::new();
    let mut nodes = vec![Node {
        struct_name: "Client".to_owned(),
        area: None,
        children: BTreeMap::new(),
        operations: Vec::new(),
    }];
    let mut struct_namer = Namer::with_reserved(&["Client"]);
    // Method names per node, so a later operation with the same name and path is left out.
    let mut taken: Vec<Namer> = vec![Namer::default()];
    // Declared paths first, then aliases: a path belongs to the page that declares it first, not to
    // one that lists it among others (as `report_shared_paths` in the model says).
    let declared = model.operations.iter().enumerate().map(|(i, op)| (i, op, &op.path));
    let aliases = model.operations.iter().enumerate().flat_map(|(i, op)| op.aliases.iter().map(move |p| (i, op, p)));
    let mut placed_ops = vec![false; model.operations.len()];
    let segments = Segment::all(declared.clone().chain(aliases.clone()).map(|(_, _, path)| path));
    for (index, op, path) in declared.chain(aliases) {
        let mut node = 0;
        let mut struct_path = String::new();
        let mut chain = Chain::default();
        for segment in path_segments(path) {
            let Some(seg) = segments.get(segment) else { continue };
            struct_path.push_str(&seg.struct_part);
            let existing = nodes.get(node).and_then(|n| n.children.get(&seg.shape)).map(|c| (c.0, c.1.clone()));
            let params = seg.params.clone();
            node = match existing {
                Some((child, method)) => {
                    chain.segments.push((method, params));
                    child
                }
                None => {
                    let child = nodes.len();
                    let name = struct_namer.unique(&format!("{struct_path}Request"));
                    let method = &seg.method;
                    let method = taken.get_mut(node).map_or(method.clone(), |n| n.unique(method));
                    let area = match nodes.get(node) {
                        Some(parent) if node != 0 => parent.area.clone(),
                        _ => Some(method.clone()),
                    };
                    nodes.push(Node { struct_name: name, area, children: BTreeMap::new(), operations: Vec::new() });
                    taken.push(Namer::default());
                    chain.segments.push((method.clone(), params));
                    if let Some(parent) = nodes.get_mut(node) {
                        parent.children.insert(seg.shape.clone(), (child, method, segment.to_owned()));
                    }
                    child
                }
            };
        }
        let name = operation_method_name(op);
        let Some(n) = nodes.get_mut(node) else { continue };
        if n.operations.iter().any(|(i, _)| *i == index) {
            continue;
        }
        if let Some((other, m)) = n.operations.iter().find(|(_, m)| m == name) {
            // A second page for the same method and path: its examples go through the first's method.
            if model.operations.get(*other).is_some_and(|o| duplicates::same_signature(o, op)) {
                chain.method = m.clone();
                chain.owner = *other;
                chains.insert((op.id.clone(), path.clone()), chain);
            }
            continue;
        }
        // A child segment may already use the name; the operation then gets a suffix.
        let unique = taken.get_mut(node).map_or(name.to_owned(), |t| t.unique(name));
        n.operations.push((index, unique.clone()));
        chain.method = unique;
        chain.owner = index;
        chains.insert((op.id.clone(), path.clone()), chain);
        if let Some(p) = placed_ops.get_mut(index) {
            *p = true;
        }
    }
    let placed = placed_ops.iter().filter(|p| **p).count();
    Placement { nodes, placed, chains }
}

/// The items of `requests.rs`.
pub fn requests_file(model: &ApiModel, map: &TypeMap, placement: &Placement, areas: &Areas) -> Result<String, String> {
    let nodes = &placement.nodes;
    let indexed: Vec<(usize, &Node)> = nodes.iter().enumerate().collect();
    crate::tokens::render_items(&["Request builders that mirror the URL paths of the documented operations."], &indexed, |(i, node)| {
        node_item(model, map, areas, nodes, *i, node)
    })
}

fn node_item(model: &ApiModel, map: &TypeMap, areas: &Areas, nodes: &[Node], index: usize, node: &Node) -> TokenStream {
    let name = ident(&node.struct_name);
    let cfg = areas.node_cfg(node);
    let root = index == 0;
    let client_expr = if root { quote! { &self.inner } } else { quote! { self.client } };
    let path_expr = if root { quote! { ::graphdoc_runtime::UrlPath::root() } } else { quote! { self.path } };
    let children = node.children.values().map(|(child, method, segment)| {
        let child_node = nodes.get(*child);
        let child_name = ident(child_node.map_or("Client", |c| c.struct_name.as_str()));
        // Only the root's children carry a feature: deeper ones share their parent's.
        let child_cfg = if root { child_node.map(|c| areas.node_cfg(c)) } else { None };
        let method_id = ident(&ident_text(method));
        let p = pieces(segment);
        let lifetime = if root { quote! { '_ } } else { quote! { 'c } };
        let doc = docs(&[format!("The `{}` segment.", doc_text(segment))]);
        if p.iter().all(|(param, _)| !param) {
            quote! {
                #doc
                #child_cfg
                #[inline]
                pub fn #method_id(&self) -> #child_name<#lifetime> {
                    #child_name { client: #client_expr, path: #path_expr.literal(#segment) }
                }
            }
        } else {
            let mut arg_namer = Namer::default();
            let mut args = Vec::new();
            let parts = p.iter().map(|(param, text)| {
                if *param {
                    let arg = ident(&ident_text(&arg_namer.unique(&snake_name(text))));
                    args.push(arg.clone());
                    quote! { ::graphdoc_runtime::SegmentPart::Value(#arg) }
                } else {
                    quote! { ::graphdoc_runtime::SegmentPart::Literal(#text) }
                }
            }).collect::<Vec<_>>();
            quote! {
                #doc
                #child_cfg
                #[inline]
                pub fn #method_id(&self, #( #args: &str ),*) -> #child_name<#lifetime> {
                    #child_name { client: #client_expr, path: #path_expr.segment(&[ #( #parts ),* ]) }
                }
            }
        }
    });
    let operations = node.operations.iter().filter_map(|(i, method)| {
        let op = model.operations.get(*i)?;
        Some(operation_method(model, map, op, method, root))
    });
    if root {
        quote! {
            /// A client for the documented API; every request starts here.
            #[derive(Clone, Debug)]
            pub struct Client {
                inner: ::graphdoc_runtime::Client,
            }

            impl Client {
                /// The Microsoft Graph beta endpoint.
                pub const DEFAULT_BASE_URL: &'static str = "https://graph.microsoft.com/beta";

                /// A client for `base_url` (https, or http on loopback for tests).
                #[inline]
                pub fn new(base_url: &str) -> ::std::result::Result<Self, ::graphdoc_runtime::Error> {
                    ::std::result::Result::Ok(Client { inner: ::graphdoc_runtime::Client::new(base_url)? })
                }

                /// A client over a configured runtime client (token provider, retries, timeouts).
                #[inline]
                pub fn from_runtime(inner: ::graphdoc_runtime::Client) -> Self {
                    Client { inner }
                }

                /// The runtime client underneath.
                #[inline]
                pub fn runtime(&self) -> &::graphdoc_runtime::Client {
                    &self.inner
                }

                #( #children )*
                #( #operations )*
            }
        }
    } else {
        let doc = docs(&[format!("Requests at `{}`.", doc_text(&node.struct_name))]);
        quote! {
            #doc
            #cfg
            pub struct #name<'c> {
                client: &'c ::graphdoc_runtime::Client,
                path: ::graphdoc_runtime::UrlPath,
            }

            // `Clone` and `Debug` as inlined one-liners: derives were half the crate's checking.
            #cfg
            ::graphdoc_runtime::request_builder!(#name);

            #cfg
            impl<'c> #name<'c> {
                /// The path this builder stands for.
                #[inline]
                pub fn path(&self) -> &::graphdoc_runtime::UrlPath {
                    &self.path
                }

                #( #children )*
                #( #operations )*
            }
        }
    }
}

fn operation_method(model: &ApiModel, map: &TypeMap, op: &Operation, method: &str, root: bool) -> TokenStream {
    let method_id = ident(&ident_text(method));
    let http_method = ident(&op.method.to_ascii_uppercase());
    let response = map.response(op);
    let (client, path) = if root {
        (quote! { &self.inner }, quote! { ::graphdoc_runtime::UrlPath::root() })
    } else {
        (quote! { self.client }, quote! { self.path.clone() })
    };
    let lifetime = if root { quote! { '_ } } else { quote! { 'c } };
    let mut lines = vec![doc_text(&op.title)];
    if let Some(d) = op.description.as_deref().map(doc_text).filter(|d| !d.is_empty()) {
        lines.push(String::new());
        lines.push(d);
    }
    lines.push(String::new());
    lines.push(format!("`{} {}`", op.method, doc_text(&op.path)));
    lines.push(String::new());
    lines.push(format!("Documented in '{}' (line {}).", doc_text(&op.source.file), op.source.line));
    let chain = usage_chain(op);
    lines.extend(usage(op, &chain));
    let doc = docs(&lines);
    let (arg, body_call) = match &op.request_body {
        RequestBody::None => (quote! {}, quote! {}),
        RequestBody::Type(t) => {
            let ty = map.concrete(t);
            (quote! { , body: &#ty }, quote! { .json(body) })
        }
        RequestBody::Parameters { .. } => {
            let ty = map.parameters(op);
            (quote! { , body: &#ty }, quote! { .json(body) })
        }
    };
    // A single entity documented as `{"value": {...}}` (example-value-envelope) still decodes; a
    // single primitive comes as `{"value": ...}` (OData's form).
    let envelope = match response_type(op) {
        Some(r) if r.collection || op.returns_content() => quote! {},
        Some(r) if graphdoc_page::Primitive::lookup(&r.name).is_some() => quote! { .accept_value_envelope() },
        Some(r) if map.type_name(&r.name).is_some() && !model.all_properties(&r.name).iter().any(|p| p.name == "value") => {
            quote! { .accept_value_envelope() }
        }
        _ => quote! {},
    };
    quote! {
        #doc
        #[inline]
        pub fn #method_id(&self #arg) -> ::graphdoc_runtime::Request<#lifetime, #response> {
            ::graphdoc_runtime::Request::new(#client, ::graphdoc_runtime::Method::#http_method, #path) #body_call #envelope
        }
    }
}

/// `.device_management().group_policy_configurations().by_id("...")` for the first example.
fn usage_chain(op: &Operation) -> String {
    let example = op.examples.iter().find(|e| e.path_template.as_deref() == Some(op.path.as_str()));
    let segments: Vec<(&str, Vec<String>)> = op
        .path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| (s, pieces(s).into_iter().filter(|(param, _)| *param).map(|(_, n)| n).collect()))
        .collect();
    let mut keys = graphdoc_model::paths::occurrence_keys(segments.iter().flat_map(|(_, p)| p.iter().map(String::as_str))).into_iter();
    let mut chain = String::new();
    for (segment, params) in &segments {
        let args: Vec<String> = params
            .iter()
            .zip(keys.by_ref())
            .map(|(name, key)| {
                let value = example.and_then(|e| e.path_values.get(&key)).cloned().unwrap_or_else(|| format!("{{{name}}}"));
                format!("{value:?}")
            })
            .collect();
        chain.push_str(&format!(".{}({})", ident_text(&segment_method_name(segment)), args.join(", ")));
    }
    chain
}
