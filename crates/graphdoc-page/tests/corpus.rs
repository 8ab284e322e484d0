//! Conformance over a real docs corpus, enabled when `GRAPHDOC_CORPUS` names a folder
//! (`.ci/run` sets it to the Graph beta reference). Every page must parse without a panic, and the
//! census must not regress against `corpus-baseline.json`. `GRAPHDOC_BLESS=1` rewrites the baseline.

use std::path::{Path, PathBuf};

use graphdoc_page::{count_changes, parse_page, Census};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn baseline_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus-baseline.json")
}

#[test]
fn corpus_parses_without_panic_and_census_holds() {
    let Some(root) = std::env::var_os("GRAPHDOC_CORPUS") else {
        eprintln!("GRAPHDOC_CORPUS is not set: corpus conformance skipped");
        return;
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut census = Census::default();
    let mut panics = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        match std::panic::catch_unwind(|| parse_page(&name, &bytes)) {
            Ok(parsed) => census.add(&parsed),
            Err(_) => panics.push(name),
        }
    }
    assert!(panics.is_empty(), "pages that panicked: {panics:?}");
    let rendered = serde_json::to_string_pretty(&census).unwrap_or_default();
    eprintln!("{rendered}");
    if std::env::var_os("GRAPHDOC_BLESS").is_some() {
        std::fs::write(baseline_path(), rendered + "\n").unwrap_or_else(|e| panic!("writing baseline: {e}"));
        return;
    }
    let text = std::fs::read_to_string(baseline_path()).unwrap_or_else(|e| panic!("reading baseline: {e}"));
    let base: Census = serde_json::from_str(&text).unwrap_or_else(|e| panic!("baseline: {e}"));
    let mut problems = Vec::new();
    if census.pages != base.pages {
        problems.push(format!(
            "pages: {} read, baseline has {} (is GRAPHDOC_CORPUS the beta corpus?)",
            census.pages, base.pages
        ));
    }
    // What was read may only grow.
    let read = [
        ("fences", census.fences, base.fences),
        ("annotations", census.annotations, base.annotations),
        ("http_requests", census.http_requests, base.http_requests),
        ("request_lines", census.request_lines, base.request_lines),
        ("http_responses", census.http_responses, base.http_responses),
        ("tables", census.tables, base.tables),
        ("typed_rows", census.typed_rows, base.typed_rows),
        ("json_parsed", census.json_parsed, base.json_parsed),
    ];
    for (name, now, was) in read {
        if now < was {
            problems.push(format!("{name}: {now}, baseline {was}"));
        }
    }
    if census.json_failed > base.json_failed {
        problems.push(format!("json_failed: {}, baseline {}", census.json_failed, base.json_failed));
    }
    // Diagnostic counts are a snapshot: any change is reviewed, then blessed.
    problems.extend(count_changes(&census.diagnostics, &base.diagnostics));
    assert!(
        problems.is_empty(),
        "corpus census differs from tests/corpus-baseline.json:\n  {}\nReview, then rerun with GRAPHDOC_BLESS=1 to accept.",
        problems.join("\n  ")
    );
}
