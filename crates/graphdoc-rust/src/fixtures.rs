//! Every documented example as a data file under `tests/fixtures/`, and a test per example that
//! round-trips its typed bodies (stage 4 replays them over HTTP).

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Example, Operation, RequestBody};

use crate::models::TypeMap;
use crate::naming::{snake_name, Namer};
use crate::tokens::ident;

/// Fixture files (path → JSON text) and the test file's tokens; the count of generated tests.
pub fn fixtures(model: &ApiModel, map: &TypeMap) -> (BTreeMap<String, String>, TokenStream, usize) {
    let mut files = BTreeMap::new();
    let mut tests = Vec::new();
    let mut namer = Namer::default();
    for op in &model.operations {
        for (n, example) in op.examples.iter().enumerate() {
            let name = namer.unique(&snake_name(&format!("{}_{}", op.id, n + 1)));
            let file = format!("tests/fixtures/{name}.json");
            let text = serde_json::to_string_pretty(&fixture_json(op, example)).unwrap_or_default() + "\n";
            files.insert(file, text);
            if let Some(test) = example_test(map, op, example, &name) {
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

fn example_test(map: &TypeMap, op: &Operation, e: &Example, name: &str) -> Option<TokenStream> {
    let mut checks = Vec::new();
    if let (RequestBody::Type(t), Some(_)) = (&op.request_body, &e.request.body) {
        let ty = map.of(t, false);
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
