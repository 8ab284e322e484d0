//! Model conformance over `GRAPHDOC_CORPUS` (the Graph beta reference in CI): at least 99% of the
//! operation pages under `api/` yield an operation, and the counts must not regress against
//! `model-baseline.json`. `GRAPHDOC_BLESS=1` rewrites the baseline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use graphdoc_model::build_model;
use graphdoc_page::{count_changes, parse_page};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct ModelCensus {
    api_pages: usize,
    api_pages_with_operations: usize,
    operations: usize,
    unplaced: usize,
    types: usize,
    enums: usize,
    examples: usize,
    examples_matching_a_path: usize,
    examples_replayable: usize,
    diagnostics: BTreeMap<String, usize>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

#[test]
fn corpus_model_conformance() {
    let Some(root) = std::env::var_os("GRAPHDOC_CORPUS") else {
        eprintln!("GRAPHDOC_CORPUS is not set: model conformance skipped");
        return;
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let pages: Vec<_> = files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(&root).unwrap_or(f).to_string_lossy().replace('\\', "/");
            parse_page(&name, &std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))).page
        })
        .collect();
    let (model, diagnostics) = build_model(&pages);
    let api: BTreeSet<&str> = pages.iter().map(|p| p.file.as_str()).filter(|f| f.starts_with("api/")).collect();
    let with_ops: BTreeSet<&str> = model.operations.iter().map(|o| o.source.file.as_str()).filter(|f| api.contains(f)).collect();
    let mut census = ModelCensus {
        api_pages: api.len(),
        api_pages_with_operations: with_ops.len(),
        operations: model.operations.len(),
        unplaced: model.unplaced.len(),
        types: model.types.len(),
        enums: model.enums.len(),
        examples: model.operations.iter().map(|o| o.examples.len()).sum(),
        examples_matching_a_path: model
            .operations
            .iter()
            .flat_map(|o| &o.examples)
            .filter(|e| e.path_template.is_some())
            .count(),
        examples_replayable: model.operations.iter().flat_map(|o| &o.examples).filter(|e| e.replayable()).count(),
        ..ModelCensus::default()
    };
    for d in &diagnostics {
        *census.diagnostics.entry(d.code.as_str().to_owned()).or_default() += 1;
    }
    let rendered = serde_json::to_string_pretty(&census).unwrap_or_default();
    eprintln!("{rendered}");
    let without: Vec<&&str> = api.iter().filter(|f| !with_ops.contains(**f)).collect();
    eprintln!("api pages without an operation: {without:?}");
    let share = census.api_pages_with_operations as f64 / census.api_pages.max(1) as f64;
    assert!(share >= 0.99, "only {:.2}% of api pages yield an operation", share * 100.0);

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/model-baseline.json");
    if std::env::var_os("GRAPHDOC_BLESS").is_some() {
        std::fs::write(&path, rendered + "\n").unwrap_or_else(|e| panic!("writing baseline: {e}"));
        return;
    }
    let base: ModelCensus = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("baseline: {e}"));
    let mut problems = Vec::new();
    let grow = [
        ("api_pages_with_operations", census.api_pages_with_operations, base.api_pages_with_operations),
        ("operations", census.operations, base.operations),
        ("types", census.types, base.types),
        ("enums", census.enums, base.enums),
        ("examples", census.examples, base.examples),
        ("examples_matching_a_path", census.examples_matching_a_path, base.examples_matching_a_path),
        ("examples_replayable", census.examples_replayable, base.examples_replayable),
    ];
    for (name, now, was) in grow {
        if now < was {
            problems.push(format!("{name}: {now}, baseline {was}"));
        }
    }
    if census.unplaced > base.unplaced {
        problems.push(format!("unplaced: {}, baseline {}", census.unplaced, base.unplaced));
    }
    problems.extend(count_changes(&census.diagnostics, &base.diagnostics));
    assert!(
        problems.is_empty(),
        "model census differs from tests/model-baseline.json:\n  {}\nReview, then rerun with GRAPHDOC_BLESS=1 to accept.",
        problems.join("\n  ")
    );
}
