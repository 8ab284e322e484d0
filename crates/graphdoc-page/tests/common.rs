//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use graphdoc_page::{parse_page, Code, Diagnostic, ParsedPage};

/// The repository's docs-input folder.
pub fn docs_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs-input")
}

/// Parse a docs-input page by its path under docs-input.
pub fn seed(relative: &str) -> ParsedPage {
    let path = docs_input().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_page(relative, &bytes)
}

/// Parse text.
pub fn text(src: &str) -> ParsedPage {
    parse_page("test.md", src.as_bytes())
}

/// The diagnostics with `code`.
pub fn with_code(parsed: &ParsedPage, code: Code) -> Vec<&Diagnostic> {
    parsed.diagnostics.iter().filter(|d| d.code == code).collect()
}

/// Front matter and title, so tests of other parts raise no page-level diagnostics.
pub const HEAD: &str = "---\ntitle: \"t\"\ndoc_type: apiPageType\n---\n\n# T\n\n";
