//! Every documented example as a data file under `tests/fixtures/`, and a test per example that
//! round-trips its typed bodies (stage 4 replays them over HTTP).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Example, Operation, RequestBody};

use crate::models::TypeMap;
use crate::requests::Chain;
use crate::naming::{snake_name, Namer};
use crate::tokens::{ident, render_items_tallied};
use rayon::prelude::*;

/// How many tests were generated, and how many examples they replay over HTTP.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Tests generated.
    pub tests: usize,
    /// Examples replayed against a loopback server.
    pub replayed: usize,
    /// Examples neither replayed nor explained by a model diagnostic (expected: 0).
    pub unexplained: usize,
}

/// The fixture files, and the example tests' file when asked for.
pub struct Fixtures {
    /// Path → JSON text.
    pub files: BTreeMap<String, String>,
    /// `examples.rs` (`None` unless tests were asked for).
    pub tests: Option<String>,
    /// What the tests hold.
    pub counts: Counts,
}

/// Every example's fixture file, and (with `tests`) its tests.
pub fn fixtures(model: &ApiModel, map: &TypeMap, chains: &BTreeMap<(String, String), Chain>, tests: bool) -> Result<Fixtures, String> {
    // Names first, in the file's order: each must be unique across it.
    let mut namer = Namer::default();
    let mut jobs = Vec::new();
    for op in &model.operations {
        for (n, example) in op.examples.iter().enumerate() {
            jobs.push((op, example, namer.unique(&snake_name(&format!("{}_{}", op.id, n + 1)))));
        }
    }
    let files: BTreeMap<String, String> = jobs
        .par_iter()
        .map(|(op, example, name)| {
            let text = serde_json::to_string_pretty(&fixture_json(op, example)).unwrap_or_default() + "\n";
            (format!("tests/fixtures/{name}.json"), text)
        })
        .collect();
    if !tests {
        return Ok(Fixtures { files, tests: None, counts: Counts::default() });
    }
    let head = [
        "Every documented example (`tests/fixtures/`): replayed against a loopback server through",
        "the generated client, and its bodies round-tripped through the generated types.",
    ];
    let (text, tallies) = render_items_tallied(&head, &jobs, |(op, example, name), counts: &mut Counts| {
        let path = format!("../tests/fixtures/{name}.json");
        // `operation-duplicate` alone does not block: the first page's method serves the example
        // when it has the same signature (`requests.rs` gave it a chain then).
        let request = request_fn(map, &model.operations, chains, op, example, name);
        let replay = if example.issues.iter().all(|i| i == "operation-duplicate") {
            replay_test(op, example, name, &path, request.as_ref())
        } else {
            None
        };
        // A replay test always calls the request function; the offline check where it builds.
        let mut request_called = replay.is_some();
        let replay = match replay {
            Some(test) => {
                counts.replayed += 1;
                Some(test)
            }
            None if !example.issues.is_empty() => Some(not_replayed_test(example, name, &path)),
            // Every example without issues has a chain and a response, so this is unreachable for
            // models `build_model` makes; counted, never hidden.
            None => {
                counts.unexplained += 1;
                None
            }
        };
        // The offline check builds the request only where the example uses the method's own verb.
        let build = request.as_ref().filter(|_| example.request.method == op.method);
        let round_trip = example_test(map, op, example, name, &path, build);
        request_called |= build.is_some() && round_trip.is_some();
        counts.tests += usize::from(replay.is_some()) + usize::from(round_trip.is_some());
        // The function is written only where a test calls it: an unused one would be a warning.
        let request = request.filter(|_| request_called).map(|r| r.item);
        quote! { #request #replay #round_trip }
    })?;
    let mut counts = Counts::default();
    for tally in tallies {
        counts.tests += tally.tests;
        counts.replayed += tally.replayed;
        counts.unexplained += tally.unexplained;
    }
    Ok(Fixtures { files, tests: Some(text), counts })
}

fn load(path: &str) -> TokenStream {
    quote! {
        let fixture: ::graphdoc_runtime::serde_json::Value =
            ::graphdoc_runtime::serde_json::from_str(include_str!(#path)).unwrap_or_else(|e| panic!("fixture: {e}"));
    }
}

/// An example that contradicts the model is not skipped in silence: its test asserts the
/// diagnostics that explain why it is not replayed.
fn not_replayed_test(e: &Example, name: &str, path: &str) -> TokenStream {
    let test = ident(&format!("{name}_not_replayed"));
    let load = load(path);
    // Only the model's own codes: a test that asserted something else would not be honest.
    let issues = e.issues.clone();
    quote! {
        #[test]
        fn #test() {
            #load
            let issues: ::std::vec::Vec<&str> = fixture["issues"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
            #( assert!(issues.contains(&#issues), "the example is not replayed because of `{}`", #issues); )*
        }
    }
}

/// Replay the example: a loopback server answers the documented request with the documented
/// response; the generated client sends it and the typed result must equal the documented body.
fn replay_test(op: &Operation, e: &Example, name: &str, path: &str, request: Option<&RequestFn>) -> Option<TokenStream> {
    let response = e.response.as_ref()?;
    let request = request?;
    let build = &request.name;
    // The server expects the documented body exactly: the method must send it, or none.
    if !request.typed_body && e.request.body.is_some() {
        return None;
    }
    let typed_body = op.response_for(response.status).and_then(|r| r.body.as_ref()).is_some();
    let test = ident(&format!("{name}_replay"));
    // One call into the runtime with function pointers: an `async` test per example made the test
    // build of the beta client take ten minutes and 11 GB.
    Some(quote! {
        #[test]
        fn #test() {
            ::graphdoc_runtime::testing::replay::run(
                include_str!(#path),
                crate::Client::from_runtime,
                #build,
                #typed_body,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
    })
}

/// The Rust type of the request body `op`'s method takes.
fn body_type(map: &TypeMap, op: &Operation) -> Option<TokenStream> {
    match &op.request_body {
        RequestBody::Type(t) => Some(map.concrete(t)),
        RequestBody::Parameters { .. } => Some(map.parameters(op)),
        RequestBody::None => None,
    }
}

/// The function that builds an example's request through the generated client: written once, and
/// called by both the replay test and the offline check (two closures of the same text compiled
/// twice before).
struct RequestFn {
    /// `<example>_request`.
    name: Ident,
    /// The `fn` item.
    item: TokenStream,
    /// Whether it sends the documented body, typed.
    typed_body: bool,
}

/// `e`'s [`RequestFn`]. `None` where the example's URL matches no declared path, or the method
/// takes a body the example does not give.
fn request_fn(
    map: &TypeMap,
    operations: &[Operation],
    chains: &BTreeMap<(String, String), Chain>,
    op: &Operation,
    e: &Example,
    example: &str,
) -> Option<RequestFn> {
    let chain = e.path_template.as_ref().and_then(|t| chains.get(&(op.id.clone(), t.clone())))?;
    // The method called may be another page's (a duplicate with the same signature): its body and
    // response types.
    let called = operations.get(chain.owner).unwrap_or(op);
    let body = match (body_type(map, called), &e.request.body) {
        (Some(ty), Some(_)) => Some(ty),
        (Some(_), None) => return None,
        (None, _) => None,
    };
    let name = ident(&format!("{example}_request"));
    let response = map.response(called);
    let calls = chain_calls(chain, e);
    let op_method = ident(&crate::naming::ident_text(&chain.method));
    let (fixture, build) = match &body {
        Some(ty) => (
            quote! { fixture },
            quote! {
                let body: #ty = ::graphdoc_runtime::testing::example::body(fixture)?;
                ::std::result::Result::Ok(client #( #calls )* .#op_method(&body))
            },
        ),
        None => (quote! { _fixture }, quote! { ::std::result::Result::Ok(client #( #calls )* .#op_method()) }),
    };
    let item = quote! {
        fn #name<'c>(
            client: &'c crate::Client,
            #fixture: &::graphdoc_runtime::serde_json::Value,
        ) -> ::std::result::Result<::graphdoc_runtime::Request<'c, #response>, ::std::string::String> {
            #build
        }
    };
    Some(RequestFn { name, item, typed_body: body.is_some() })
}

fn chain_calls(chain: &Chain, e: &Example) -> Vec<TokenStream> {
    let mut keys = graphdoc_model::paths::occurrence_keys(chain.segments.iter().flat_map(|(_, p)| p.iter().map(String::as_str)))
        .into_iter();
    chain
        .segments
        .iter()
        .map(|(method, params)| {
            let m = ident(&crate::naming::ident_text(method));
            let values: Vec<String> =
                keys.by_ref().take(params.len()).map(|k| e.path_values.get(&k).cloned().unwrap_or_default()).collect();
            quote! { .#m( #( #values ),* ) }
        })
        .collect()
}

fn fixture_json(op: &Operation, e: &Example) -> serde_json::Value {
    let headers = |h: &[(String, String)]| -> serde_json::Value {
        h.iter().map(|(k, v)| serde_json::json!([k, v])).collect()
    };
    serde_json::json!({
        "operation": op.id,
        "example": e.name,
        "source": format!("{}:{}", e.request.source.file, e.request.source.line),
        "request": {
            "method": e.request.method,
            "path": e.request.path,
            "path_template": e.path_template,
            "path_values": e.path_values,
            "query": e.request.query,
            "headers": headers(&e.request.headers),
            "body": e.request.body,
        },
        "response": e.response.as_ref().map(|r| serde_json::json!({
            "status": r.status,
            "headers": headers(&r.headers),
            "body": r.body,
        })),
        "truncated": e.truncated,
        "issues": e.issues,
    })
}

/// The offline check of an example: it builds the request with `build` when given.
fn example_test(map: &TypeMap, op: &Operation, e: &Example, name: &str, path: &str, build: Option<&RequestFn>) -> Option<TokenStream> {
    // Bodies that contradict their type would fail the round trip for the docs' sake, not ours.
    let bodies_contradict = e
        .issues
        .iter()
        .any(|i| matches!(i.as_str(), "example-value-type" | "example-body-shape" | "json-invalid"));
    if bodies_contradict {
        return None;
    }
    let mut bodies = Vec::new();
    if let (Some(ty), Some(_)) = (body_type(map, op), &e.request.body) {
        bodies.push(quote! { ::graphdoc_runtime::testing::example::request_body::<#ty> });
    }
    if let Some(r) = &e.response {
        let documented = op.responses.iter().find(|x| x.status == r.status).and_then(|x| x.body.as_ref());
        // A stream is bytes, not JSON to type.
        if let (Some(t), Some(_)) = (documented.filter(|t| !t.is_stream()), &r.body) {
            let ty = if t.collection {
                let single = map.value_type(&t.name, false);
                quote! { ::graphdoc_runtime::Collection<#single> }
            } else {
                map.of(t, false)
            };
            let check = if !t.collection && graphdoc_page::Primitive::lookup(&t.name).is_some() {
                quote! { primitive_response_body }
            } else {
                quote! { response_body }
            };
            bodies.push(quote! { ::graphdoc_runtime::testing::example::#check::<#ty> });
        }
    }
    let test = ident(name);
    let run = match build {
        Some(RequestFn { name: request, typed_body, .. }) => quote! {
            ::graphdoc_runtime::testing::example::check(
                include_str!(#path),
                crate::Client::from_runtime,
                #request,
                #typed_body,
                &[#( #bodies ),*],
            )
        },
        None if bodies.is_empty() => return None,
        None => quote! { ::graphdoc_runtime::testing::example::bodies(include_str!(#path), &[#( #bodies ),*]) },
    };
    Some(quote! {
        #[test]
        fn #test() {
            #run.unwrap_or_else(|e| panic!("{e}"));
        }
    })
}
