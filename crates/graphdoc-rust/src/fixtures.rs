//! Every documented example as a data file under `tests/fixtures/`, and a test per example that
//! round-trips its typed bodies (stage 4 replays them over HTTP).

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Example, Operation, RequestBody};

use crate::models::TypeMap;
use crate::requests::Chain;
use crate::naming::{snake_name, Namer};
use crate::tokens::ident;

/// Fixture files (path → JSON text) and the test file's tokens; the count of generated tests.
pub fn fixtures(
    model: &ApiModel,
    map: &TypeMap,
    chains: &BTreeMap<(String, String), Chain>,
) -> (BTreeMap<String, String>, TokenStream, usize) {
    let mut files = BTreeMap::new();
    let mut tests = Vec::new();
    let mut namer = Namer::default();
    for op in &model.operations {
        for (n, example) in op.examples.iter().enumerate() {
            let name = namer.unique(&snake_name(&format!("{}_{}", op.id, n + 1)));
            let file = format!("tests/fixtures/{name}.json");
            let text = serde_json::to_string_pretty(&fixture_json(op, example)).unwrap_or_default() + "\n";
            files.insert(file, text);
            if let Some(test) = example_test(map, chains, op, example, &name) {
                tests.push(test);
            }
        }
    }
    let count = tests.len();
    let tokens = quote! {
        //! Every documented example (`tests/fixtures/`), round-tripped through the generated types.
        #( #tests )*
    };
    (files, tokens, count)
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
    })
}

fn example_test(
    map: &TypeMap,
    chains: &BTreeMap<(String, String), Chain>,
    op: &Operation,
    e: &Example,
    name: &str,
) -> Option<TokenStream> {
    let mut checks = Vec::new();
    let request_type = match &op.request_body {
        RequestBody::Type(t) => Some(map.concrete(t)),
        RequestBody::Parameters { .. } => Some(map.parameters(op)),
        RequestBody::None => None,
    };
    if let Some(check) = build_check(chains, op, e, request_type.as_ref()) {
        checks.push(check);
    }
    if let (Some(ty), Some(_)) = (request_type, &e.request.body) {
        checks.push(quote! {
            ::graphdoc_runtime::testing::round_trip::<#ty>(&fixture["request"]["body"])
                .unwrap_or_else(|e| panic!("request body: {e}"));
        });
    }
    if let Some(r) = &e.response {
        let documented = op.responses.iter().find(|x| x.status == r.status).and_then(|x| x.body.as_ref());
        if let (Some(t), Some(_)) = (documented, &r.body) {
            let ty = if t.collection {
                let single = map.value_type(&t.name, false);
                quote! { ::graphdoc_runtime::Collection<#single> }
            } else {
                map.of(t, false)
            };
            checks.push(quote! {
                ::graphdoc_runtime::testing::round_trip::<#ty>(&fixture["response"]["body"])
                    .unwrap_or_else(|e| panic!("response body: {e}"));
            });
        }
    }
    if checks.is_empty() {
        return None;
    }
    let test = ident(name);
    let path = format!("../tests/fixtures/{name}.json");
    Some(quote! {
        #[test]
        fn #test() {
            let fixture: ::graphdoc_runtime::serde_json::Value =
                ::graphdoc_runtime::serde_json::from_str(include_str!(#path)).unwrap_or_else(|e| panic!("fixture: {e}"));
            #( #checks )*
        }
    })
}

/// Build the example's request through the generated builders and compare method, path and body
/// with the documented ones (only for examples whose URL matches a declared path).
fn build_check(
    chains: &BTreeMap<(String, String), Chain>,
    op: &Operation,
    e: &Example,
    body_type: Option<&TokenStream>,
) -> Option<TokenStream> {
    let template = e.path_template.as_ref()?;
    let chain = chains.get(&(op.id.clone(), template.clone()))?;
    if e.request.method != op.method || e.request.path.to_ascii_lowercase().starts_with("/me") {
        return None;
    }
    let mut calls = Vec::new();
    for (method, params) in &chain.segments {
        let m = ident(&crate::naming::ident_text(method));
        let values: Vec<String> = params.iter().map(|p| e.path_values.get(p).cloned().unwrap_or_default()).collect();
        calls.push(quote! { .#m( #( #values ),* ) });
    }
    let op_method = ident(&crate::naming::ident_text(&chain.method));
    let (prepare, arg, body_check) = match (body_type, &e.request.body) {
        (Some(ty), Some(_)) => (
            quote! {
                let body: #ty = ::graphdoc_runtime::serde_json::from_value(fixture["request"]["body"].clone())
                    .unwrap_or_else(|e| panic!("request body: {e}"));
            },
            quote! { &body },
            quote! {
                let sent: ::graphdoc_runtime::serde_json::Value = ::graphdoc_runtime::serde_json::from_slice(http.body())
                    .unwrap_or_else(|e| panic!("sent body: {e}"));
                assert!(::graphdoc_runtime::testing::json_equal(&sent, &fixture["request"]["body"]), "sent body differs: {sent}");
            },
        ),
        (Some(_), None) => return None,
        (None, _) => (quote! {}, quote! {}, quote! {}),
    };
    Some(quote! {
        let client = crate::Client::new(crate::Client::DEFAULT_BASE_URL).unwrap_or_else(|e| panic!("client: {e}"));
        #prepare
        let request = client #( #calls )* .#op_method(#arg);
        let http = request.to_http().unwrap_or_else(|e| panic!("request: {e}"));
        assert_eq!(http.method().as_str(), fixture["request"]["method"]);
        let documented = format!("/beta{}", fixture["request"]["path"].as_str().unwrap_or_default());
        assert_eq!(::graphdoc_runtime::testing::decoded_path(&http), documented);
        #body_check
    })
}
