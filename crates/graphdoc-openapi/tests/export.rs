//! The docs-input export read back with a Rust OpenAPI 3.1 crate (oas3): counts match the model,
//! every operation of the model is in it, sources and discriminators are there.

use std::path::{Path, PathBuf};

use graphdoc_model::build_model;
use graphdoc_page::parse_page;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn docs_input_model() -> graphdoc_model::ApiModel {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs-input");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let pages: Vec<_> = files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(&root).unwrap_or(f).to_string_lossy().replace('\\', "/");
            parse_page(&name, &std::fs::read(f).unwrap_or_else(|e| panic!("{e}"))).page
        })
        .collect();
    build_model(&pages).0
}

#[test]
fn docs_input_export_reads_back_with_matching_counts() {
    let model = docs_input_model();
    let export = graphdoc_openapi::export(&model, "https://graph.microsoft.com/beta");
    let text = serde_json::to_string(&export.document).unwrap_or_else(|e| panic!("{e}"));
    let spec = oas3::from_json(&text).unwrap_or_else(|e| panic!("oas3 cannot read the export: {e}"));
    assert_eq!(spec.openapi, "3.1.0");
    let operations: Vec<_> = spec.operations().collect();
    assert_eq!(operations.len(), export.operations);
    assert_eq!(export.operations + export.folded, model.operations.len());
    // Every model operation is in the document, under its own id or folded into another.
    for op in &model.operations {
        let direct = operations.iter().any(|(_, _, o)| o.operation_id.as_deref() == Some(op.id.as_str()));
        assert!(direct || text.contains(&format!("\"operationId\":\"{}\"", op.id)), "{} missing", op.id);
    }
    let schemas = spec.components.as_ref().map(|c| c.schemas.len()).unwrap_or_default();
    let enums_not_shadowed = model.enums.iter().filter(|e| model.type_def(&e.name).is_none()).count();
    assert_eq!(schemas, model.types.len() + enums_not_shadowed);
    assert_eq!(schemas, export.schemas);
}

#[test]
fn sources_discriminators_and_bases_are_exported() {
    let model = docs_input_model();
    let doc = graphdoc_openapi::export(&model, "https://graph.microsoft.com/beta").document;
    let schemas = &doc["components"]["schemas"];
    let run_schedule = &schemas["runSchedule"];
    assert_eq!(run_schedule["discriminator"]["propertyName"], "@odata.type");
    assert_eq!(
        run_schedule["discriminator"]["mapping"]["#microsoft.graph.dailySchedule"],
        "#/components/schemas/dailySchedule"
    );
    assert_eq!(schemas["dailySchedule"]["allOf"][0]["$ref"], "#/components/schemas/runSchedule");
    assert_eq!(schemas["runAsAccountType"]["enum"], serde_json::json!(["system", "user", "unknown"]));
    assert!(schemas["deviceManagementScript"]["x-graphdoc-source"]["file"].is_string());
    let get = &doc["paths"]["/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}"]["get"];
    assert_eq!(get["operationId"], "intune-devices-devicemanagementscript-get");
    assert_eq!(get["x-graphdoc-source"]["file"], "api/intune-devices-devicemanagementscript-get.md");
    assert_eq!(get["parameters"][0]["name"], "deviceManagementScriptId");
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/deviceManagementScript"
    );
    assert!(get["responses"]["200"]["content"]["application/json"]["examples"].is_object());
    // Seed 000 is not placed, so it is not an operation; its type still is a schema.
    assert!(!doc.to_string().contains("intune-devicemanagementscriptgroupassignment-update\""));
    assert!(schemas["deviceManagementScriptGroupAssignment"].is_object());
}

#[test]
fn repeated_placeholder_names_become_unique_parameters() {
    let page = "---\ntitle: x\ndoc_type: apiPageType\n---\n\n# Get attachment\n\n## HTTP request\n```http\nGET /users/{id}/events/{id}/attachments/{id}\n```\n";
    let model = build_model(&[parse_page("api/x.md", page.as_bytes()).page]).0;
    let doc = graphdoc_openapi::export(&model, "https://graph.microsoft.com/beta").document;
    let item = &doc["paths"]["/users/{id}/events/{id_2}/attachments/{id_3}"]["get"];
    let names: Vec<_> = item["parameters"].as_array().into_iter().flatten().map(|p| p["name"].clone()).collect();
    assert_eq!(names, vec!["id", "id_2", "id_3"]);
    assert_eq!(item["x-graphdoc-path"], "/users/{id}/events/{id}/attachments/{id}");
}
