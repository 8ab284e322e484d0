//! `src/security.rs` of the generated crate: tests that hostile path values stay one segment, that the
//! token never shows, and that a base URL cannot be downgraded — through the generated builders.

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

use graphdoc_model::ApiModel;

use crate::naming::ident_text;
use crate::requests::Chain;
use crate::tokens::ident;

/// Operations whose path-injection test is generated (the first by id, to bound compile time).
const MAX_INJECTION_CHECKS: usize = 200;

/// A value that would escape its segment, add a query or a fragment, if it were not encoded.
const HOSTILE: &str = "../../users?x=1#frag";

/// The tokens of `security.rs`.
pub fn security_file(model: &ApiModel, chains: &BTreeMap<(String, String), Chain>) -> TokenStream {
    let mut checks = Vec::new();
    for op in &model.operations {
        if checks.len() >= MAX_INJECTION_CHECKS {
            break;
        }
        let Some(chain) = chains.get(&(op.id.clone(), op.path.clone())) else { continue };
        if chain.segments.iter().all(|(_, params)| params.is_empty()) {
            continue;
        }
        let calls = chain.segments.iter().map(|(method, params)| {
            let m = ident(&ident_text(method));
            let values = params.iter().map(|_| HOSTILE);
            quote! { .#m( #( #values ),* ) }
        });
        let segments = op.path.trim_start_matches('/').split('/').filter(|s| !s.is_empty()).count();
        let id = &op.id;
        checks.push(quote! {
            let path = client #( #calls )* .path().as_str().to_owned();
            assert_one_segment_each(&path, #segments, #id);
        });
    }
    quote! {
        //! Security properties of this client, checked through the generated builders.

        fn assert_one_segment_each(path: &str, segments: usize, operation: &str) {
            assert!(!path.contains('?') && !path.contains('#'), "{operation}: a value added a query or fragment: {path}");
            assert_eq!(path.matches('/').count(), segments, "{operation}: a value escaped its segment: {path}");
            assert!(path.contains("..%2F..%2Fusers%3Fx%3D1%23frag"), "{operation}: the value was not encoded: {path}");
        }

        #[test]
        fn path_values_stay_one_segment() {
            let client = crate::Client::new(crate::Client::DEFAULT_BASE_URL).unwrap_or_else(|e| panic!("{e}"));
            #( #checks )*
        }

        #[test]
        fn the_token_never_shows_in_debug_output() {
            let runtime = ::graphdoc_runtime::Client::builder(crate::Client::DEFAULT_BASE_URL)
                .bearer_token("never-print-this-token")
                .build()
                .unwrap_or_else(|e| panic!("{e}"));
            let client = crate::Client::from_runtime(runtime);
            let shown = format!("{client:?} {:?}", client.runtime());
            assert!(!shown.contains("never-print-this-token"), "{shown}");
        }

        #[test]
        fn the_base_url_cannot_be_downgraded() {
            assert!(crate::Client::new("http://graph.microsoft.com/beta").is_err());
            assert!(crate::Client::new("http://127.0.0.1.evil.example/beta").is_err());
            assert!(crate::Client::new("https://graph.microsoft.com/beta").is_ok());
            assert!(crate::Client::new("http://127.0.0.1:8080/beta").is_ok());
        }
    }
}
