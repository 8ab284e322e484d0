//! The `graphdoc lint` command as users run it: exit codes, output formats, summary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn graphdoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graphdoc"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("running graphdoc: {e}"))
}

/// A fresh folder, removed when the test ends (pass or fail).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("graphdoc-cli-{name}-")).tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn lint_docs_input_reports_errors_and_exits_1() {
    let out = graphdoc(&["lint", "docs-input"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[http-empty-block]: this http block is empty"));
    // rustc-style excerpt: file:line:column, the source line, carets.
    assert!(stdout.contains("intune-devicemanagementscriptgroupassignment-update.md:103:1"));
    assert!(stdout.contains("103 │ HTTP 1.1 200 OK"));
    assert!(stdout.contains("^^^^^^^^^^^^^^^"));
    assert!(stdout.contains("= help: write `HTTP/1.1 200 OK`"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("19 pages:"), "{stderr}");
}

#[test]
fn json_format_is_one_object_per_line_with_the_promised_keys() {
    let out = graphdoc(&["lint", "--format", "json", "docs-input"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut codes = Vec::new();
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        for k in ["code", "severity", "file", "line", "column", "end_line", "end_column", "message", "help"] {
            assert!(v.get(k).is_some(), "missing {k} in {line}");
        }
        codes.push(v["code"].as_str().unwrap_or_default().to_owned());
    }
    for expected in [
        "http-empty-block",
        "http-request-no-path",
        "http-status-line-recovered",
        "template-placeholder",
        "todo-placeholder",
        "http-content-length-crlf",
        "header-value-glued",
    ] {
        assert!(codes.iter().any(|c| c == expected), "{expected} not reported");
    }
}

#[test]
fn clean_page_exits_0() {
    let tmp = temp_dir("clean");
    let dir = tmp.path();
    let page = "---\ntitle: \"Get user\"\ndoc_type: apiPageType\n---\n\n# Get user\n\n## HTTP request\n\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /users/{id}\n```\n";
    std::fs::write(dir.join("user-get.md"), page).unwrap_or_else(|e| panic!("{e}"));
    let out = graphdoc(&["lint", dir.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());
}

#[test]
fn hostile_files_are_diagnostics_not_crashes() {
    let tmp = temp_dir("hostile");
    let dir = tmp.path();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    write("latin1.md", b"caf\xe9\n");
    write("binary.md", b"\x89PNG\x00\x00");
    write("empty.md", b"");
    write("crlf.md", b"---\r\ntitle: x\r\n---\r\n\r\n# X\r\n");
    write("bom.md", "\u{feff}---\ntitle: x\n---\n\n# X\n".as_bytes());
    let deep = format!("---\ntitle: x\n---\n\n# X\n\n```json\n{}{}\n```\n", "[".repeat(5000), "]".repeat(5000));
    write("deep.md", deep.as_bytes());
    let wide = format!("---\ntitle: x\n---\n\n# X\n\n|a|b|\n|-|-|\n{}|\n", "|c".repeat(200_000));
    write("wide.md", wide.as_bytes());
    let out = graphdoc(&["lint", "--format", "json", dir.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for code in ["input-not-utf8", "input-binary", "input-empty", "input-crlf", "input-bom", "json-too-deep", "table-row-cell-count"] {
        assert!(stdout.contains(&format!("\"code\":\"{code}\"")), "{code} missing:\n{stdout}");
    }
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = graphdoc(&["lint", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder: no such file or directory"));
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(graphdoc(&["lint"]).status.code(), Some(2));
    assert_eq!(graphdoc(&["lint", "--format", "xml", "docs-input"]).status.code(), Some(2));
    assert_eq!(graphdoc(&["frobnicate"]).status.code(), Some(2));
}

fn lint_json_with_threads(threads: &str) -> Vec<u8> {
    Command::new(env!("CARGO_BIN_EXE_graphdoc"))
        .args(["lint", "--format", "json", "docs-input"])
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
        .stdout
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let one = lint_json_with_threads("1");
    assert!(!one.is_empty());
    assert_eq!(one, lint_json_with_threads("2"));
    assert_eq!(one, lint_json_with_threads("2"));
}

#[test]
fn lint_reports_model_diagnostics_too() {
    let out = graphdoc(&["lint", "--format", "json", "docs-input"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for code in ["operation-unplaced", "example-path-mismatch", "type-undefined"] {
        assert!(stdout.contains(&format!("\"code\":\"{code}\"")), "{code} missing");
    }
}

#[test]
fn model_prints_the_promised_json() {
    let out = graphdoc(&["model", "docs-input"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let ops = v["operations"].as_array().cloned().unwrap_or_default();
    assert_eq!(ops.len(), 11);
    // A `$ref` path takes a reference, whatever type its page names.
    let manager = ops.iter().find(|o| o["id"] == "user-post-manager");
    assert_eq!(manager.map(|o| o["request_body"]["kind"].clone()), Some(serde_json::json!("reference")));
    for op in &ops {
        for k in ["id", "name", "method", "path", "params", "request_body", "responses", "examples", "source"] {
            assert!(op.get(k).is_some(), "operation lacks {k}");
        }
        assert!(op["source"]["file"].is_string() && op["source"]["line"].is_u64());
    }
    for t in v["types"].as_array().cloned().unwrap_or_default() {
        for k in ["name", "kind", "base", "properties"] {
            assert!(t.get(k).is_some(), "type lacks {k}");
        }
        for p in t["properties"].as_array().cloned().unwrap_or_default() {
            for k in ["name", "type", "collection", "description"] {
                assert!(p.get(k).is_some(), "property lacks {k}");
            }
        }
    }
    assert!(v["enums"].is_array());
    let diags = v["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(diags.iter().any(|d| d["code"] == "operation-unplaced"));
    assert!(diags.iter().all(|d| d.get("end_column").is_some()));
}

fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).map(|r| r.to_string_lossy().into_owned()).unwrap_or_default();
                out.insert(rel, std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    out
}

fn generate_with(threads: &str, out: &Path, docs: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graphdoc"))
        .args(["generate", "--docs", docs, "--out"])
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generate_is_deterministic_across_runs_and_threads() {
    let tmp = temp_dir("generate");
    let dir = tmp.path();
    let (a, b) = (dir.join("a/graphdoc-client"), dir.join("b/graphdoc-client"));
    assert_eq!(generate_with("1", &a, "docs-input").status.code(), Some(0));
    assert_eq!(generate_with("2", &b, "docs-input").status.code(), Some(0));
    let first = tree(&a);
    assert!(first.contains_key("models/src/models.rs") && first.contains_key("Cargo.toml"));
    assert_eq!(first, tree(&b));
    assert_eq!(generate_with("2", &a, "docs-input").status.code(), Some(0));
    assert_eq!(first, tree(&a));
}

#[test]
fn failed_generate_leaves_previous_output_untouched() {
    let tmp = temp_dir("atomic");
    let dir = tmp.path();
    let out = dir.join("graphdoc-client");
    assert_eq!(generate_with("2", &out, "docs-input").status.code(), Some(0));
    let before = tree(&out);
    // A docs folder that does not exist.
    let missing = generate_with("2", &out, "no/such/docs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/docs"));
    assert_eq!(tree(&out), before);
    // An output whose parent is a file: nothing can be written.
    let blocker = dir.join("file");
    std::fs::write(&blocker, b"x").unwrap_or_else(|e| panic!("{e}"));
    let unwritable = generate_with("2", &blocker.join("crate"), "docs-input");
    assert_eq!(unwritable.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&unwritable.stderr).is_empty());
    assert_eq!(std::fs::read(&blocker).ok(), Some(b"x".to_vec()));
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("graphdoc-new"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn openapi_writes_a_3_1_document() {
    let tmp = temp_dir("openapi");
    let dir = tmp.path();
    let out = dir.join("api.json");
    let run = graphdoc(&["openapi", "docs-input", "--out", out.to_str().unwrap_or_default()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["openapi"], "3.1.0");
    let operations: usize = doc["paths"].as_object().map_or(0, |p| p.values().filter_map(|i| i.as_object()).map(|i| i.len()).sum());
    assert_eq!(operations, 11);
    let body = &doc["paths"]["/users/{id}/manager/$ref"]["put"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["required"], serde_json::json!(["@odata.id"]), "{body}");
    // To stdout without --out; byte-identical to the file.
    let stdout = graphdoc(&["openapi", "docs-input"]);
    assert_eq!(stdout.stdout, std::fs::read(&out).unwrap_or_default());
}

#[test]
fn generate_report_holds_the_figures_the_corpus_report_reads() {
    let tmp = temp_dir("report");
    let dir = tmp.path();
    let out = dir.join("client");
    let report = dir.join("report.json");
    let run = graphdoc(&[
        "generate",
        "--docs",
        "docs-input",
        "--out",
        out.to_str().unwrap_or_default(),
        "--report",
        report.to_str().unwrap_or_default(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}"));
    let r: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    for key in ["pages", "operations", "types", "enums", "examples", "examples_replayable", "generated_lines", "generated_bytes"] {
        assert!(r[key].as_u64().is_some_and(|n| n > 0), "{key}: {}", r[key]);
    }
    assert_eq!(r["pages"], 19);
    assert_eq!(r["examples_unexplained"], 0);
    assert_eq!(r["diagnostics"]["operation-unplaced"], 1);
    assert_eq!(r["diagnostics_by_severity"]["error"], 5);
}

#[test]
fn bench_reports_each_stage_and_the_ratio() {
    let docs = repo().join("docs-input");
    let out = graphdoc(&["bench", "--rounds", "2", "--docs", docs.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for label in ["bare pulldown", "parse pages", "build model", "generate code", "pipeline", "ratio per round", "peak RSS"] {
        assert!(text.lines().any(|l| l.starts_with(label)), "no {label:?} line in:\n{text}");
    }
    assert!(text.contains("fastest of 2"), "{text}");
    let pipeline = text.lines().find(|l| l.starts_with("pipeline")).unwrap();
    assert!(pipeline.contains("x the bare pass"), "{pipeline}");
    // Two rounds, each against the bare pass run just before it.
    let per_round = text.lines().find(|l| l.starts_with("ratio per round")).unwrap();
    let range = per_round.split("; ").nth(1).unwrap().split('x').next().unwrap();
    let (low, high) = range.split_once('-').unwrap();
    assert!(low.parse::<f64>().unwrap() <= high.parse::<f64>().unwrap(), "{per_round}");
    let lines = text.lines().find(|l| l.starts_with("generate code")).unwrap();
    let count: usize = lines.split('(').nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(count > 1000, "{lines}");
}
