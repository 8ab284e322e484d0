//! The five seed pages: snapshots of their `Page`, and the defects each must report.

mod common;

use common::{seed, with_code};
use graphdoc_page::{Code, HttpMessage, Severity};

const SEEDS: &[&str] = &[
    "api/intune-devicemanagementscriptgroupassignment-update.md",
    "api/intune-mobileappprovisioningconfiggroupassignment-update.md",
    "api/intune-grouppolicy-grouppolicyconfigurationassignment-update.md",
    "api/intune-deviceconfig-deviceconfigurationassignment-update.md",
    "api/intune-devicemanagementscriptgroupassignment-create.md",
];

#[test]
fn every_docs_input_page_snapshot() {
    let mut files: Vec<_> = walk(&common::docs_input());
    files.sort();
    assert!(files.len() >= SEEDS.len());
    for path in files {
        let relative = path
            .strip_prefix(common::docs_input())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let parsed = seed(&relative);
        let name = relative.trim_end_matches(".md").replace('/', "__");
        insta::assert_yaml_snapshot!(name, (&parsed.page, &parsed.diagnostics));
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
    out
}

#[test]
fn seed_000_empty_block_no_path_status_line_and_placeholders() {
    let p = seed(SEEDS[0]);
    let empty = with_code(&p, Code::HttpEmptyBlock);
    assert_eq!(empty.len(), 1);
    assert_eq!((empty[0].span.line, empty[0].severity), (35, Severity::Error));

    let no_path = with_code(&p, Code::HttpRequestNoPath);
    assert_eq!(no_path.len(), 1);
    assert_eq!(no_path[0].span.line, 76);
    assert!(no_path[0].message.contains("PATCH https://graph.microsoft.com/beta"));

    let status = with_code(&p, Code::HttpStatusLineRecovered);
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].span.line, 103);
    assert!(status[0].message.contains("HTTP/1.1 200 OK"));
    // The recovered status line is read.
    let response = p.page.fences.iter().find_map(|f| match &f.http {
        Some(HttpMessage::Response(r)) => Some(r),
        _ => None,
    });
    assert_eq!(response.map(|r| r.status.code), Some(200));

    let templates: Vec<_> = with_code(&p, Code::TemplatePlaceholder)
        .iter()
        .map(|d| (d.span.line, d.span.column))
        .collect();
    assert_eq!(templates, vec![(5, 10), (98, 19)]);
    assert_eq!(with_code(&p, Code::PermissionsEmpty).len(), 3);
}

#[test]
fn seeds_001_to_003_report_their_todos() {
    let counts: Vec<usize> = SEEDS[1..4]
        .iter()
        .map(|s| with_code(&seed(s), Code::TodoPlaceholder).len())
        .collect();
    assert_eq!(counts, vec![5, 2, 6]);
    let p = seed(SEEDS[3]);
    let lines: Vec<u32> = with_code(&p, Code::TodoPlaceholder).iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![4, 6, 21, 22, 23, 46]);
}

#[test]
fn content_length_that_disagrees_with_the_body_is_reported() {
    for s in SEEDS {
        let p = seed(s);
        let declared = p
            .page
            .fences
            .iter()
            .filter_map(|f| f.http.as_ref())
            .flat_map(|m| m.headers())
            .filter(|h| h.is("Content-Length"))
            .count();
        let reported = with_code(&p, Code::HttpContentLengthCrlf).len()
            + with_code(&p, Code::HttpContentLengthMismatch).len();
        assert_eq!(reported, declared, "{s}: every seed Content-Length counts CRLF line breaks");
    }
    let p = seed(SEEDS[2]);
    let d = with_code(&p, Code::HttpContentLengthCrlf);
    assert!(d[0].message.contains("Content-Length is 174, but the body shown is 169 bytes"));
}

#[test]
fn glued_required_flag_is_reported() {
    let p = seed(SEEDS[2]);
    let glued = with_code(&p, Code::HeaderValueGlued);
    assert_eq!(glued.len(), 1);
    assert_eq!((glued[0].span.line, glued[0].span.column), (37, 16));
    assert_eq!(glued[0].help.as_deref(), Some("separate them: `Bearer {token}. Required`"));
    assert_eq!(with_code(&seed(SEEDS[4]), Code::HeaderValueGlued).len(), 2);
    assert!(with_code(&seed(SEEDS[0]), Code::HeaderValueGlued).is_empty());
}

#[test]
fn seed_declared_paths_and_examples_are_read() {
    let p = seed(SEEDS[4]);
    let requests: Vec<_> = p
        .page
        .fences
        .iter()
        .filter_map(|f| match &f.http {
            Some(HttpMessage::Request(r)) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].lines[0].method, "POST");
    assert_eq!(
        requests[0].lines[0].target.path,
        "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/groupAssignments/$ref"
    );
    assert_eq!(requests[1].lines[0].target.api_version.as_deref(), Some("beta"));
    let body = requests[1].body.as_ref().and_then(|b| b.json.as_ref());
    assert_eq!(body.and_then(|j| j["targetGroupId"].as_str()), Some("Target Group Id value"));
    // The property table's type cells are read.
    let table = p.page.tables.iter().find(|t| t.kind == graphdoc_page::TableKind::Properties);
    let types: Vec<_> = table
        .map(|t| t.rows.iter().filter_map(|r| r.type_ref.as_ref()).map(|t| t.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(types, vec!["String", "String"]);
}
