//! One test per defect graphdoc reports, and the hostile inputs that must yield a diagnostic, not a panic.

mod common;

use common::{text, with_code, HEAD};
use graphdoc_page::{parse_page, BlockType, Code, HttpMessage, Primitive, TableKind};

fn page(body: &str) -> graphdoc_page::ParsedPage {
    text(&format!("{HEAD}{body}"))
}

#[test]
fn non_utf8_is_one_diagnostic_with_position() {
    let p = parse_page("bad.md", b"---\ntitle: x\n---\n\xff\xfe oops");
    assert_eq!(p.diagnostics.len(), 1);
    let d = &p.diagnostics[0];
    assert_eq!(d.code, Code::InputNotUtf8);
    assert_eq!((d.span.line, d.span.column), (4, 1));
}

#[test]
fn binary_is_one_diagnostic() {
    let p = parse_page("bin.md", b"PNG\x00\x01\x02");
    assert_eq!(p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::InputBinary]);
}

#[test]
fn empty_page_is_a_warning() {
    for src in ["", "  \n\n"] {
        let p = text(src);
        assert_eq!(p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::InputEmpty]);
    }
}

#[test]
fn bom_and_crlf_are_noted_and_the_page_still_reads() {
    let src = "\u{feff}---\r\ntitle: \"T\"\r\n---\r\n\r\n# T\r\n\r\n```http\r\nGET /me HTTP/1.1\r\n```\r\n";
    let p = text(src);
    assert_eq!(with_code(&p, Code::InputBom).len(), 1);
    assert_eq!(with_code(&p, Code::InputCrlf).len(), 1);
    assert_eq!(p.page.front_matter.as_ref().and_then(|f| f.title.as_deref()), Some("T"));
    assert_eq!(p.page.title.as_ref().map(|t| t.span.line), Some(5));
    match p.page.fences.first().and_then(|f| f.http.as_ref()) {
        Some(HttpMessage::Request(r)) => {
            assert_eq!(r.lines[0].target.path, "/me");
            assert_eq!(r.lines[0].version.as_deref(), Some("HTTP/1.1"));
        }
        other => panic!("expected a request, got {other:?}"),
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let p = page(&format!("```json\n{deep}\n```\n"));
    assert_eq!(with_code(&p, Code::JsonTooDeep).len(), 1);
    let p = page(&format!("```http\nPOST /x\nContent-Type: application/json\n\n{deep}\n```\n"));
    assert_eq!(with_code(&p, Code::JsonTooDeep).len(), 1);
    let p = page(&format!("<!-- {{\"a\": {deep} }} -->\n```http\nGET /x\n```\n"));
    assert_eq!(with_code(&p, Code::AnnotationInvalidJson).len(), 1);
}

#[test]
fn very_wide_table_row_is_bounded() {
    let header = "|Property|Type|Description|\n|---|---|---|\n";
    let row = "|a".repeat(200_000) + "|\n";
    let p = page(&format!("## Properties\n\n{header}{row}"));
    let table = p.page.tables.first().unwrap_or_else(|| panic!("no table"));
    assert!(table.rows.iter().all(|r| r.cells.len() <= 256));
    assert_eq!(with_code(&p, Code::TableRowCellCount).len(), 1);
}

#[test]
fn wide_header_is_truncated_with_a_diagnostic() {
    let header = "|h".repeat(200_000) + "|\n" + &"|-".repeat(200_000) + "|\n";
    let p = page(&header);
    assert_eq!(with_code(&p, Code::TableTooLarge).len(), 1);
}

#[test]
fn front_matter_yaml_error_points_into_the_yaml() {
    let p = text("---\ntitle: driveItem: createUploadSession\n---\n\n# T\n");
    let d = with_code(&p, Code::FrontMatterInvalid);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span.line, 2);
}

#[test]
fn missing_front_matter_and_title_are_reported() {
    let p = text("Some text.\n");
    assert_eq!(with_code(&p, Code::FrontMatterMissing).len(), 1);
    assert_eq!(with_code(&p, Code::TitleMissing).len(), 1);
}

#[test]
fn annotation_with_trailing_comma_is_recovered_and_used() {
    let p = page("<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\",\n} -->\n```http\nGET /me\n```\n");
    assert_eq!(with_code(&p, Code::AnnotationRecoveredJson).len(), 1);
    let a = p.page.fences[0].annotation.as_ref().unwrap_or_else(|| panic!("annotation lost"));
    assert_eq!(a.block_type, Some(BlockType::Request));
    assert_eq!(a.name.as_deref(), Some("x"));
}

#[test]
fn garbage_annotation_is_an_error_and_the_fence_is_still_read() {
    let p = page("<!-- { blockType: request } -->\n```http\nGET /me\n```\n");
    let d = with_code(&p, Code::AnnotationInvalidJson);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span.line, 8);
    assert!(matches!(p.page.fences[0].http, Some(HttpMessage::Request(_))));
    assert_eq!(p.page.fences[0].annotation.as_ref().map(|a| a.valid), Some(false));
}

#[test]
fn unknown_keys_are_kept_and_wrong_types_recovered() {
    let p = page("<!-- { \"blockType\": \"response\", \"truncated\": \"true\", \"colour\": 1 } -->\n```http\nHTTP/1.1 204 No Content\n```\n");
    assert_eq!(with_code(&p, Code::AnnotationUnknownKey).len(), 1);
    assert_eq!(with_code(&p, Code::AnnotationValueType).len(), 1);
    let a = p.page.fences[0].annotation.as_ref().unwrap_or_else(|| panic!("annotation lost"));
    assert_eq!(a.truncated, Some(true));
    assert_eq!(a.extra.get("colour"), Some(&serde_json::json!(1)));
}

#[test]
fn annotation_without_fence_is_an_orphan() {
    let p = page("<!-- { \"blockType\": \"request\" } -->\nSome text.\n");
    assert_eq!(with_code(&p, Code::AnnotationOrphan).len(), 1);
}

#[test]
fn unclosed_comment_is_reported() {
    let p = page("<!-- never closed\n\n## Later\n");
    assert_eq!(with_code(&p, Code::HtmlCommentUnclosed).len(), 1);
}

#[test]
fn several_request_lines_are_alternative_paths() {
    let p = page("```http\nGET /me/events/{id}\nGET /users/{id | userPrincipalName}/events/{id}\n\nGET /groups/{id}/events/{id}\n```\n");
    match &p.page.fences[0].http {
        Some(HttpMessage::Request(r)) => {
            let paths: Vec<_> = r.lines.iter().map(|l| l.target.path.as_str()).collect();
            assert_eq!(paths, vec!["/me/events/{id}", "/users/{id | userPrincipalName}/events/{id}", "/groups/{id}/events/{id}"]);
        }
        other => panic!("expected a request, got {other:?}"),
    }
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn status_lines_malformed_recovered_and_mismatched() {
    let p = page("```http\nHTTP code: 200 OK\n```\n");
    assert_eq!(with_code(&p, Code::HttpStatusLineMalformed).len(), 1);
    let p = page("```http\nHTTP 201 Created\n```\n");
    assert_eq!(with_code(&p, Code::HttpStatusLineRecovered).len(), 1);
    let p = page("```http\nHTTP/1.1 201 OK\n```\n");
    assert_eq!(with_code(&p, Code::HttpReasonMismatch).len(), 1);
    let p = page("```http\nHTTP/1.1 204 No content\n```\n");
    assert!(p.diagnostics.is_empty(), "case variants are fine: {:?}", p.diagnostics);
}

#[test]
fn start_line_that_is_neither_request_nor_status() {
    let p = page("```http\nDELETE/identity/b2xUserFlows/{id}\n```\n");
    assert_eq!(with_code(&p, Code::HttpStartLineInvalid).len(), 1);
}

#[test]
fn invalid_json_body_is_located() {
    let p = page("```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"a\": 1\n  \"b\": 2\n}\n```\n");
    let d = with_code(&p, Code::JsonInvalid);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span.line, 14);
}

#[test]
fn trailing_comma_in_body_is_recovered() {
    let p = page("```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"a\": 1,\n}\n```\n");
    assert_eq!(with_code(&p, Code::JsonRecovered).len(), 1);
    let body = p.page.fences[0].http.as_ref().and_then(|m| m.body()).and_then(|b| b.json.clone());
    assert_eq!(body, Some(serde_json::json!({"a": 1})));
}

#[test]
fn content_length_wrong_either_way_and_not_a_number() {
    let p = page("```http\nPOST /me\nContent-Length: 3\n\n{}\n```\n");
    assert_eq!(with_code(&p, Code::HttpContentLengthMismatch).len(), 1);
    let p = page("```http\nPOST /me\nContent-Length: xxx\n\n{}\n```\n");
    assert_eq!(with_code(&p, Code::HttpContentLengthInvalid).len(), 1);
    let p = page("```http\nPOST /me\nContent-Length: 2\n\n{}\n```\n");
    assert!(p.diagnostics.is_empty());
}

#[test]
fn header_only_fence_is_not_a_message() {
    let p = page("```http\nPrefer: outlook.timezone=\"Eastern Standard Time\"\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.page.fences[0].http.is_none());
}

#[test]
fn tab_groups_are_read_and_fences_know_their_tab() {
    let body = "## Example\n\n# [HTTP](#tab/http)\n<!-- { \"blockType\": \"request\", \"name\": \"get_me\" } -->\n```msgraph-interactive\nGET https://graph.microsoft.com/beta/me\n```\n# [C#](#tab/csharp)\n[!INCLUDE [sample-code](../includes/snippets/csharp/get-me-csharp-snippets.md)]\n[!INCLUDE [sdk-documentation](../includes/snippets/snippets-sdk-documentation-link.md)]\n\n---\n\n### Response\n";
    let p = page(body);
    assert_eq!(p.page.tab_groups.len(), 1);
    let ids: Vec<_> = p.page.tab_groups[0].tabs.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec!["http", "csharp"]);
    assert_eq!(p.page.fences[0].tab.as_deref(), Some("http"));
    assert_eq!(p.page.includes.len(), 2);
    let titles: Vec<_> = p.page.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(titles, vec!["T", "Example", "Response"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn tab_group_closed_by_setext_underline() {
    let body = "# [HTTP](#tab/http)\n```http\nGET /me\n```\n# [C#](#tab/csharp)\n[!INCLUDE [sample-code](../x.md)]\n---\n\n## Next\n";
    let p = page(body);
    assert_eq!(p.page.tab_groups.len(), 1);
    assert_eq!(p.page.includes.len(), 1);
    assert!(with_code(&p, Code::TabGroupUnclosed).is_empty());
    assert_eq!(p.page.sections.last().map(|s| s.text.as_str()), Some("Next"));
}

#[test]
fn property_table_types_are_read() {
    let body = "## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Key.|\n|tags|String collection|x|\n|target|[deviceAndAppManagementAssignmentTarget](../resources/deviceandappmanagementassignmenttarget.md)||\n|when|dateTimeOffset|x|\n|weird|String or Int32|x|\n|count|Int32|\n";
    let p = page(body);
    let t = &p.page.tables[0];
    assert_eq!(t.kind, TableKind::Properties);
    let types: Vec<_> = t.rows.iter().map(|r| r.type_ref.as_ref().map(|t| (t.name.as_str(), t.collection))).collect();
    assert_eq!(
        types,
        vec![
            Some(("String", false)),
            Some(("String", true)),
            Some(("deviceAndAppManagementAssignmentTarget", false)),
            Some(("DateTimeOffset", false)),
            None,
            Some(("Int32", false)),
        ]
    );
    assert_eq!(
        t.rows[2].type_ref.as_ref().and_then(|t| t.link.as_deref()),
        Some("../resources/deviceandappmanagementassignmenttarget.md")
    );
    assert_eq!(t.rows[3].type_ref.as_ref().and_then(|t| t.primitive), Some(Primitive::DateTimeOffset));
    assert_eq!(with_code(&p, Code::TableTypeNoncanonical).len(), 1);
    assert_eq!(with_code(&p, Code::TableTypeUnparsed).len(), 1);
    assert_eq!(with_code(&p, Code::TableRowCellCount).len(), 1);
}

#[test]
fn unclosed_fence_swallowing_the_next_opener() {
    let p = page("```http\nGET /me\n\n### Response\n```http\nHTTP/1.1 200 OK\n```\n");
    assert_eq!(with_code(&p, Code::FenceSwallowedOpener).len(), 1);
}

#[test]
fn diagnostics_json_has_the_promised_keys() {
    let p = page("```http\n```\n");
    let json = p.diagnostics[0].to_json();
    let keys: Vec<_> = json.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for k in ["code", "severity", "file", "line", "column", "end_line", "end_column", "message", "help"] {
        assert!(keys.iter().any(|x| x == k), "missing {k}");
    }
}

#[test]
fn every_code_is_documented() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for code in Code::ALL {
        let heading = format!("### `{}`", code.as_str());
        assert!(doc.contains(&heading), "docs/diagnostics.md lacks {heading}");
        assert!(
            doc.contains(&format!("{heading} ({})", code.severity())),
            "docs/diagnostics.md gives the wrong severity for {code}"
        );
    }
}

#[test]
fn a_100_mb_page_is_refused_with_a_diagnostic() {
    let big = vec![b'a'; 100 * 1024 * 1024];
    let p = parse_page("big.md", &big);
    assert_eq!(p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::InputTooLarge]);
}

#[test]
fn a_million_row_table_is_bounded() {
    let mut src = String::from("## Properties\n\n|Property|Type|Description|\n|---|---|---|\n");
    // Short rows keep the page (13 MB) under the size limit, so the row limit is what acts.
    for _ in 0..1_000_000 {
        src.push_str("|p|String|d|\n");
    }
    let p = page(&src);
    assert_eq!(with_code(&p, Code::TableTooLarge).len(), 1);
    assert!(p.page.tables.first().is_some_and(|t| t.rows.len() == 100_000));
}
