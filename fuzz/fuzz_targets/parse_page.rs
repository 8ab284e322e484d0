//! Any bytes are a page: reading them never panics, and every diagnostic span fits the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = graphdoc_page::parse_page("fuzz.md", data);
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= data.len(), "{d:?}");
    }
});
