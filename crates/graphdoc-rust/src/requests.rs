//! `requests.rs` of the generated crate: a fluent API that mirrors the URL
//! (`client.device_management().group_policy_configurations().by_id(id).update(&body)`), one thin
//! method per operation; the runtime's `Request` does the work.

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Operation, RequestBody};

use crate::docs::{code_text, doc_text};
use crate::areas::{push_cfg, Areas, Gate};
use crate::duplicates::{self, response_type};
use crate::models::TypeMap;
use crate::naming::{ident_text, snake_name, type_name, Namer};
use crate::layout::{fits_as_written, print_line, WIDTH};
use crate::rust_type::RustType;
use crate::tokens::{ident, ident_str, into_ident, push_doc_lines, push_elements, push_macro_line, string_literal};

/// One node of the URL tree: the requests at one path shape.
pub struct Node {
    struct_name: String,
    /// The root's child this node is under (its method name): the node's area. `None` for the root.
    pub area: Option<String>,
    /// Segment shape → (child node, method name, segment as first written).
    children: BTreeMap<String, (usize, String, String)>,
    /// (operation index, method name, the path it was placed at).
    pub operations: Vec<(usize, String, String)>,
}

/// A segment with every `{...}` reduced to `{}`: `/users/{id}` and `/users/{userId}` are one node.
fn shape(segment: &str) -> String {
    graphdoc_model::paths::shape(segment)
}

/// Literal text and placeholder names of a segment.
fn pieces(segment: &str) -> Vec<(bool, String)> {
    graphdoc_model::paths::segment_pieces(segment)
}

/// The pieces of a segment, each placeholder with the name of the argument its builder method
/// takes for it (`Some`), each literal with `None`.
fn arguments(segment: &str) -> Vec<(Option<String>, String)> {
    let mut namer = Namer::default();
    pieces(segment)
        .into_iter()
        .map(|(param, text)| (param.then(|| into_ident(ident_text(&namer.unique(&snake_name(&text))))), text))
        .collect()
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
            RequestBody::Type(_) | RequestBody::Reference => "create",
            _ => "invoke",
        },
        _ => "send",
    }
}

/// The usage lines of an operation's method (`method`), reached by `chain`.
fn usage(op: &Operation, chain: &str, method: &str) -> Vec<String> {
    let body = if matches!(op.request_body, RequestBody::None) { "" } else { "&body" };
    vec![
        String::new(),
        "```ignore".to_owned(),
        code_text(&format!("let request = client{chain}.{}({body});", ident_text(method))),
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

/// A builder method of a [`Chain`], and per placeholder its name and value, where known.
pub type Call<'c> = (&'c str, Vec<(&'c str, Option<&'c String>)>);

impl Chain {
    /// Each segment's method and, per placeholder, its name and its value in `values` (an
    /// example's path values), matched by occurrence as `graphdoc_model::paths` keys them.
    pub fn calls<'c>(&'c self, values: Option<&'c BTreeMap<String, String>>) -> Vec<Call<'c>> {
        let names = self.segments.iter().flat_map(|(_, p)| p.iter().map(String::as_str));
        let mut keys = graphdoc_model::paths::occurrence_keys(names).into_iter();
        self.segments
            .iter()
            .map(|(method, params)| {
                let args = params.iter().zip(keys.by_ref()).map(|(name, key)| (name.as_str(), values.and_then(|v| v.get(&key)))).collect();
                (method.as_str(), args)
            })
            .collect()
    }
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
        if n.operations.iter().any(|(i, _, _)| *i == index) {
            continue;
        }
        if let Some((other, m, _)) = n.operations.iter().find(|(_, m, _)| m == name) {
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
        n.operations.push((index, unique.clone(), path.clone()));
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
pub fn requests_file(model: &ApiModel, map: &TypeMap, placement: &Placement, areas: &Areas) -> String {
    let nodes = &placement.nodes;
    let indexed: Vec<(usize, &Node)> = nodes.iter().enumerate().collect();
    crate::tokens::items_file(&["Request builders that mirror the URL paths of the documented operations."], &indexed, |(i, node)| {
        node_text(model, map, areas, placement, *i, node)
    })
}

/// The root's struct and the start of its `impl`, as `layout` prints them.
const CLIENT_HEAD: &str = r#"/// A client for the documented API; every request starts here.
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
        ::std::result::Result::Ok(Client {
            inner: ::graphdoc_runtime::Client::new(base_url)?
        })
    }
    /// A client over a configured runtime client (token provider, retries, timeouts).
    #[inline]
    pub fn from_runtime(inner: ::graphdoc_runtime::Client) -> Self {
        Client {
            inner
        }
    }
    /// The runtime client underneath.
    #[inline]
    pub fn runtime(&self) -> &::graphdoc_runtime::Client {
        &self.inner
    }
"#;

/// What differs between the root's methods and a builder's.
struct Receiver {
    root: bool,
    /// The runtime client (`self.client`).
    client: &'static str,
    /// The builder's lifetime in the types its methods return.
    lifetime: &'static str,
}

impl Receiver {
    fn of(root: bool) -> Receiver {
        if root {
            Receiver { root, client: "&self.inner", lifetime: "'_" }
        } else {
            Receiver { root, client: "self.client", lifetime: "'c" }
        }
    }

    /// The path a child's path or a request's path starts from.
    fn path(&self) -> &'static str {
        if self.root { "::graphdoc_runtime::UrlPath::root()" } else { "self.path" }
    }

    fn client_tokens(&self) -> TokenStream {
        if self.root { quote! { &self.inner } } else { quote! { self.client } }
    }

    fn path_tokens(&self) -> TokenStream {
        if self.root { quote! { ::graphdoc_runtime::UrlPath::root() } } else { quote! { self.path } }
    }

    fn lifetime_tokens(&self) -> TokenStream {
        if self.root { quote! { '_ } } else { quote! { 'c } }
    }
}

/// A request builder (or the root `Client`) and its methods, written as text in `layout`'s style:
/// laying out their tokens was most of writing `requests.rs`. A method whose lines `layout` breaks
/// in ways not written here is laid out by `layout` itself (`print_line`).
fn node_text(model: &ApiModel, map: &TypeMap, areas: &Areas, placement: &Placement, index: usize, node: &Node) -> String {
    let (nodes, chains) = (&placement.nodes, &placement.chains);
    let receiver = Receiver::of(index == 0);
    let mut out = String::with_capacity(1024 + 1024 * node.operations.len() + 512 * node.children.len());
    if receiver.root {
        out.push_str(CLIENT_HEAD);
    } else {
        let gate = areas.node_gate(node);
        push_doc_lines(&mut out, 0, &[format!("Requests at `{}`.", doc_text(&node.struct_name))]);
        builder_head_text(&mut out, ident_str(&node.struct_name), gate.as_ref());
        out.push_str(concat!(
            "    /// The path this builder stands for.\n",
            "    #[inline]\n",
            "    pub fn path(&self) -> &::graphdoc_runtime::UrlPath {\n",
            "        &self.path\n",
            "    }\n",
        ));
    }
    for (child, method, segment) in node.children.values() {
        let child_node = nodes.get(*child);
        // Only the root's children carry a feature: deeper ones share their parent's.
        let gate = child_node.filter(|_| receiver.root).and_then(|c| areas.node_gate(c));
        push_doc_lines(&mut out, 4, &[format!("The `{}` segment.", doc_text(segment))]);
        push_cfg(&mut out, 4, gate.as_ref());
        out.push_str("    #[inline]\n");
        let child_name = child_node.map_or("Client", |c| c.struct_name.as_str());
        child_method_text(&mut out, &receiver, ident_str(child_name), method, segment);
    }
    for (i, method, path) in &node.operations {
        if let Some(op) = model.operations.get(*i) {
            operation_text(&mut out, model, map, op, (method, path), &receiver, chains);
        }
    }
    out.push_str("}\n");
    out
}

/// A builder's struct, its `request_builder!` line and the start of its `impl`, each behind the
/// feature's `cfg`, as `layout` prints them: a name too long for its line puts its `<'c>` (its
/// macro argument) on a line of its own.
fn builder_head_text(out: &mut String, name: &str, gate: Option<&Gate>) {
    let generic = |head: &str| {
        let whole = format!("{head}{name}<'c> {{\n");
        if whole.len() - 1 <= WIDTH { whole } else { format!("{head}{name}<\n    'c,\n> {{\n") }
    };
    push_cfg(out, 0, gate);
    out.push_str(&generic("pub struct "));
    out.push_str("    client: &'c ::graphdoc_runtime::Client,\n    path: ::graphdoc_runtime::UrlPath,\n}\n");
    // `Clone` and `Debug` as inlined one-liners: derives were half the crate's checking.
    push_cfg(out, 0, gate);
    push_macro_line(out, "::graphdoc_runtime::request_builder!", name);
    push_cfg(out, 0, gate);
    out.push_str(&generic("impl<'c> "));
}

/// The method for a child segment: a builder one segment further down.
fn child_method_text(out: &mut String, receiver: &Receiver, child_name: &str, method: &str, segment: &str) {
    let method_id = into_ident(ident_text(method));
    let pieces = arguments(segment);
    let args: Vec<&String> = pieces.iter().filter_map(|(arg, _)| arg.as_ref()).collect();
    let parts: Vec<String> = pieces
        .iter()
        .map(|(arg, text)| match arg {
            Some(arg) => format!("::graphdoc_runtime::SegmentPart::Value({arg})"),
            None => format!("::graphdoc_runtime::SegmentPart::Literal({})", string_literal(text)),
        })
        .collect();
    let path = if args.is_empty() {
        format!("{}.literal({})", receiver.path(), string_literal(segment))
    } else {
        format!("{}.segment(&[{}])", receiver.path(), parts.join(", "))
    };
    let mut params = vec!["&self".to_owned()];
    params.extend(args.iter().map(|a| format!("{a}: &str")));
    let signature = signature_text(&method_id, &params, child_name, &[receiver.lifetime]);
    let Some(signature) = signature else {
        out.push_str(&print_line(child_method_tokens(receiver, child_name, method, segment), 4));
        return;
    };
    out.push_str(&signature);
    out.push_str("        ");
    out.push_str(child_name);
    out.push_str(" {\n            client: ");
    out.push_str(receiver.client);
    out.push_str(",\n");
    let field = format!("path: {path}");
    if fits_as_written(12, field.len()) {
        out.push_str("            ");
        out.push_str(&field);
    } else {
        let path = child_path_tokens(receiver, segment);
        out.push_str(print_line(quote! { path: #path }, 12).trim_end_matches('\n'));
    }
    // The last field of a struct expression takes a comma like the others.
    out.push_str(",\n        }\n    }\n");
}

/// The method for a child segment as tokens, for `layout` to print.
fn child_method_tokens(receiver: &Receiver, child_name: &str, method: &str, segment: &str) -> TokenStream {
    let method_id = ident(&ident_text(method));
    let child = ident(child_name);
    let args = arguments(segment).into_iter().filter_map(|(arg, _)| arg).map(|arg| ident(&arg));
    let (client, path, lifetime) = (receiver.client_tokens(), child_path_tokens(receiver, segment), receiver.lifetime_tokens());
    quote! {
        pub fn #method_id(&self #( , #args: &str )*) -> #child<#lifetime> {
            #child { client: #client, path: #path }
        }
    }
}

/// The path of a child segment's builder, as tokens.
fn child_path_tokens(receiver: &Receiver, segment: &str) -> TokenStream {
    let path = receiver.path_tokens();
    let pieces = arguments(segment);
    if pieces.iter().all(|(arg, _)| arg.is_none()) {
        return quote! { #path.literal(#segment) };
    }
    let parts = pieces.iter().map(|(arg, text)| match arg {
        Some(arg) => {
            let arg = ident(arg);
            quote! { ::graphdoc_runtime::SegmentPart::Value(#arg) }
        }
        None => quote! { ::graphdoc_runtime::SegmentPart::Literal(#text) },
    });
    quote! { #path.segment(&[ #( #parts ),* ]) }
}

/// `pub fn name(params) -> ret<generics> {` at indent 4, as `layout` prints it: on one line when
/// it fits in [`WIDTH`], else one parameter a line, then the generics the same way. `None` where a
/// parameter or generic is itself too long to stand as written on a line of its own.
fn signature_text(name: &str, params: &[String], ret: &str, generics: &[&str]) -> Option<String> {
    let generics_text = generics.join(", ");
    let whole = format!("    pub fn {name}({}) -> {ret}<{generics_text}> {{\n", params.join(", "));
    // The parameters fit when the rest of the line after them does (`layout`'s tail).
    if whole.len() - 1 <= WIDTH {
        return Some(whole);
    }
    let stands_alone = |elements: &[&str]| elements.iter().all(|e| fits_as_written(8, e.len()));
    let params: Vec<&str> = params.iter().map(String::as_str).collect();
    if !stands_alone(&params) {
        return None;
    }
    let mut out = format!("    pub fn {name}(\n");
    // A single parameter takes no trailing comma (`(x)` is never made `(x,)`).
    push_elements(&mut out, 8, &params, params.len() > 1);
    let rest = format!("    ) -> {ret}<{generics_text}> {{\n");
    if rest.len() - 1 <= WIDTH {
        out.push_str(&rest);
        return Some(out);
    }
    if !stands_alone(generics) {
        return None;
    }
    out.push_str(&format!("    ) -> {ret}<\n"));
    push_elements(&mut out, 8, generics, true);
    out.push_str("    > {\n");
    Some(out)
}

/// An operation's method: its documentation, then the request it builds.
fn operation_text(
    out: &mut String,
    model: &ApiModel,
    map: &TypeMap,
    op: &Operation,
    (method, path): (&str, &str),
    receiver: &Receiver,
    chains: &BTreeMap<(String, String), Chain>,
) {
    let mut lines = vec![doc_text(&op.title)];
    if let Some(d) = op.description.as_deref().map(doc_text).filter(|d| !d.is_empty()) {
        lines.push(String::new());
        lines.push(d);
    }
    lines.push(String::new());
    lines.push(format!("`{} {}`", op.method, doc_text(&op.path)));
    lines.push(String::new());
    lines.push(format!("Documented in '{}' (line {}).", doc_text(&op.source.file), op.source.line));
    let chain = chains.get(&(op.id.clone(), path.to_owned())).map(|c| usage_chain(op, path, c)).unwrap_or_default();
    lines.extend(usage(op, &chain, method));
    push_doc_lines(out, 4, &lines);
    out.push_str("    #[inline]\n");
    let method_id = ident(&ident_text(method));
    let http_method = ident(&op.method.to_ascii_uppercase());
    let response = map.response(op);
    let body = map.request_body(op);
    // A single entity documented as `{"value": {...}}` (example-value-envelope) still decodes; a
    // single primitive comes as `{"value": ...}` (OData's form).
    let envelope = match response_type(op) {
        Some(r) if r.collection || op.returns_content() => false,
        Some(r) if graphdoc_page::Primitive::lookup(&r.name).is_some() => true,
        Some(r) => map.type_name(&r.name).is_some() && !model.has_property(&r.name, "value"),
        None => false,
    };
    let mut calls = Vec::new();
    if body.is_some() {
        calls.push(".json(body)");
    }
    if envelope {
        calls.push(".accept_value_envelope()");
    }
    // The parameters as text, `None` where the body's type is not a plain path (`layout` then
    // prints the method).
    let params = match body.as_ref().map(RustType::flat) {
        None => Some(vec!["&self".to_owned()]),
        Some(Some(ty)) => Some(vec!["&self".to_owned(), format!("body: &{ty}")]),
        Some(None) => None,
    };
    let signature = match (response.flat(), params) {
        (Some(response), Some(params)) => {
            signature_text(&method_id.to_string(), &params, "::graphdoc_runtime::Request", &[receiver.lifetime, &response])
        }
        _ => None,
    };
    let Some(signature) = signature else {
        let (client, lifetime) = (receiver.client_tokens(), receiver.lifetime_tokens());
        let response = response.tokens();
        let body = body.map(|ty| ty.tokens());
        let path = if receiver.root { receiver.path_tokens() } else { quote! { self.path.clone() } };
        let json = body.is_some().then(|| quote! { .json(body) });
        let arg = body.map(|ty| quote! { , body: &#ty });
        let envelope = envelope.then(|| quote! { .accept_value_envelope() });
        out.push_str(&print_line(
            quote! {
                pub fn #method_id(&self #arg) -> ::graphdoc_runtime::Request<#lifetime, #response> {
                    ::graphdoc_runtime::Request::new(#client, ::graphdoc_runtime::Method::#http_method, #path) #json #envelope
                }
            },
            4,
        ));
        return;
    };
    out.push_str(&signature);
    request_text(out, receiver, &http_method.to_string(), &calls);
}

/// The body of an operation's method: the request, and the calls that add a body or a way to
/// read the response. It never fits on one line (the client, the method and the path take more
/// than the width), so its arguments are one a line, and so are two calls after it or more.
fn request_text(out: &mut String, receiver: &Receiver, http_method: &str, calls: &[&str]) {
    out.push_str("        ::graphdoc_runtime::Request::new(\n            ");
    out.push_str(receiver.client);
    out.push_str(",\n            ::graphdoc_runtime::Method::");
    out.push_str(http_method);
    out.push_str(",\n            ");
    out.push_str(if receiver.root { "::graphdoc_runtime::UrlPath::root()" } else { "self.path.clone()" });
    out.push_str(",\n        )");
    if calls.len() > 1 {
        for call in calls {
            out.push_str("\n            ");
            out.push_str(call);
        }
    } else {
        out.extend(calls.first().copied());
    }
    out.push_str("\n    }\n");
}

/// `.device_management().group_policy_configurations().by_id("...")`: the builder methods that
/// reach the operation's method at `path`, with the values of the first example at that path
/// (else the placeholders).
fn usage_chain(op: &Operation, path: &str, chain: &Chain) -> String {
    let example = op.examples.iter().find(|e| e.path_template.as_deref() == Some(path));
    let mut text = String::new();
    for (method, args) in chain.calls(example.map(|e| &e.path_values)) {
        let args: Vec<String> =
            args.iter().map(|(name, value)| format!("{:?}", value.map_or_else(|| format!("{{{name}}}"), |v| v.to_string()))).collect();
        text.push('.');
        text.push_str(&ident_text(method));
        text.push('(');
        text.push_str(&args.join(", "));
        text.push(')');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use crate::layout::print_file;

    /// Names of every length up to `max`: short ones fit, long ones break their line.
    fn names(max: usize) -> impl Iterator<Item = String> {
        (1..=max).map(|n| format!("A{}", "b".repeat(n - 1)))
    }

    /// `written` is what `layout` prints of `reference`'s tokens. (Lexing `written` itself is not
    /// enough: the comma a broken list gains makes it a column wider, so a line broken one column
    /// too early would print itself unchanged.)
    fn assert_printed(written: &str, reference: TokenStream) {
        assert_eq!(written, print_file(reference));
    }

    fn tokens(source: &str) -> TokenStream {
        source.parse().unwrap()
    }

    #[test]
    fn builder_heads_are_what_layout_prints() {
        let long_feature = "f".repeat(120);
        let mut broken = 0;
        for name in names(240) {
            for feature in [None, Some("device-management"), Some(long_feature.as_str())] {
                let gate = feature.map(|f| Gate::Features(BTreeSet::from([f.to_owned()])));
                let mut text = String::new();
                builder_head_text(&mut text, &name, gate.as_ref());
                text.push_str("    fn f() {}\n}\n");
                let cfg = feature.map(|f| format!("#[cfg(feature = {f:?})]")).unwrap_or_default();
                let reference = format!(
                    "{cfg} pub struct {name}<'c> {{ client: &'c ::graphdoc_runtime::Client, path: ::graphdoc_runtime::UrlPath, }}
                     {cfg} ::graphdoc_runtime::request_builder!({name});
                     {cfg} impl<'c> {name}<'c> {{ fn f() {{}} }}"
                );
                assert_printed(&text, tokens(&reference));
                broken += usize::from(text.contains("<\n"));
            }
        }
        assert!(broken > 400, "long names break: {broken}");
    }

    #[test]
    fn signatures_are_what_layout_prints() {
        let mut forms = [0usize; 3];
        for name in names(100) {
            for params in [vec!["&self".to_owned()], vec!["&self".to_owned(), "body: &crate::models::AccessPackage".to_owned()]] {
                let collection = "::graphdoc_runtime::Collection<crate::models::AccessPackageAssignment>";
                let returns: [(&str, Vec<&str>); 3] = [
                    ("::graphdoc_runtime::Request", vec!["'c", collection]),
                    ("::graphdoc_runtime::Request", vec!["'_", "::graphdoc_runtime::NoContent"]),
                    (name.as_str(), vec!["'c"]),
                ];
                for (ret, generics) in &returns {
                    let Some(signature) = signature_text(&name, &params, ret, generics) else { continue };
                    forms[usize::from(signature.contains("(\n")) + usize::from(signature.contains("<\n"))] += 1;
                    let reference = format!("impl A {{ pub fn {name}({}) -> {ret}<{}> {{ x }} }}", params.join(", "), generics.join(", "));
                    assert_printed(&format!("impl A {{\n{signature}        x\n    }}\n}}\n"), tokens(&reference));
                }
            }
        }
        assert!(forms.iter().all(|f| *f > 10), "one line, parameters broken, generics broken: {forms:?}");
    }

    #[test]
    fn requests_are_what_layout_prints() {
        for root in [true, false] {
            let receiver = Receiver::of(root);
            let path = if root { "::graphdoc_runtime::UrlPath::root()" } else { "self.path.clone()" };
            for calls in [&[][..], &[".json(body)"], &[".accept_value_envelope()"], &[".json(body)", ".accept_value_envelope()"]] {
                for method in ["GET", "DELETE"] {
                    let mut text = String::from("impl A {\n    pub fn f(&self) -> X {\n");
                    request_text(&mut text, &receiver, method, calls);
                    text.push_str("}\n");
                    let reference = format!(
                        "impl A {{ pub fn f(&self) -> X {{ ::graphdoc_runtime::Request::new({}, ::graphdoc_runtime::Method::{method}, {path}){} }} }}",
                        receiver.client,
                        calls.concat()
                    );
                    assert_printed(&text, tokens(&reference));
                }
            }
        }
    }

    #[test]
    fn child_methods_are_what_layout_prints() {
        let long = "s".repeat(90);
        let segments = ["users", "{id}", "a{x}b{y}", "type", "{self}", &long, "microsoft.graph.delta()", "range(address='{a}')"];
        for root in [true, false] {
            let receiver = Receiver::of(root);
            for name in names(120) {
                for segment in segments {
                    let method = segment_method_name(segment);
                    let mut text = String::from("impl A {\n");
                    child_method_text(&mut text, &receiver, &name, &method, segment);
                    text.push_str("}\n");
                    let method_tokens = child_method_tokens(&receiver, &name, &method, segment);
                    assert_printed(&text, quote! { impl A { #method_tokens } });
                    assert!(text.contains(&format!("        {name} {{\n")), "{text}");
                }
            }
        }
    }
}
