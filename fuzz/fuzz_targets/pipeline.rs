//! Any page, through the whole pipeline: page → model → generated crate. Nothing panics, and every
//! generated Rust file parses with `syn` (no page text can break or inject code).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Two pages from one input, so merging across pages is exercised too.
    let split = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (a, b) = data.split_at(split);
    let pages = [
        graphdoc_page::parse_page("api/a.md", a).page,
        graphdoc_page::parse_page("resources/b.md", b.get(1..).unwrap_or_default()).page,
    ];
    let (model, _) = graphdoc_model::build_model(&pages);
    let options = graphdoc_rust::Options {
        crate_name: "fuzz-client".to_owned(),
        runtime_path: "../runtime".to_owned(),
        docs_origin: "fuzz".to_owned(),
        example_tests: true,
    };
    let generated = graphdoc_rust::generate(&model, &options).expect("generation never fails on a model");
    for (path, text) in &generated.files {
        if path.ends_with(".rs") {
            if let Err(e) = syn::parse_file(text) {
                panic!("{path} does not parse: {e}\n{text}");
            }
        }
    }
});
