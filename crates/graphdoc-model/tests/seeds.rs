//! The model of docs-input: a snapshot, and what each seed must yield.

use std::path::{Path, PathBuf};

use graphdoc_model::{build_model, model_json, ApiModel, RequestBody, TypeKind};
use graphdoc_page::{parse_page, Code, Diagnostic, Page};

fn docs_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs-input")
}

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

fn model() -> (ApiModel, Vec<Diagnostic>) {
    let mut files = Vec::new();
    walk(&docs_input(), &mut files);
    let pages: Vec<Page> = files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(docs_input()).unwrap_or(f).to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            parse_page(&name, &bytes).page
        })
        .collect();
    build_model(&pages)
}

#[test]
fn docs_input_model_snapshot() {
    let (model, diagnostics) = model();
    insta::assert_json_snapshot!("docs_input_model", model_json(&model, &diagnostics));
}

#[test]
fn placeable_seeds_yield_their_operations() {
    let (model, _) = model();
    let ops: Vec<(&str, &str, &str, String)> = model
        .operations
        .iter()
        .map(|o| {
            let body = match &o.request_body {
                RequestBody::Type(t) => t.name.clone(),
                other => format!("{other:?}"),
            };
            (o.id.as_str(), o.method.as_str(), o.path.as_str(), body)
        })
        .collect();
    let expected = [
        (
            "intune-deviceconfig-deviceconfigurationassignment-update",
            "PATCH",
            "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/assignments",
            "deviceConfigurationAssignment",
        ),
        (
            "intune-devicemanagementscriptgroupassignment-create",
            "POST",
            "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/groupAssignments/$ref",
            "deviceManagementScriptGroupAssignment",
        ),
        (
            "intune-grouppolicy-grouppolicyconfigurationassignment-update",
            "PATCH",
            "/deviceManagement/groupPolicyConfigurations/{groupPolicyConfigurationId}/assignments/{groupPolicyConfigurationAssignmentId}",
            "groupPolicyConfigurationAssignment",
        ),
        (
            "intune-mobileappprovisioningconfiggroupassignment-update",
            "PATCH",
            "/deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/groupAssignments",
            "mobileAppProvisioningConfigGroupAssignment",
        ),
    ];
    for (id, method, path, body) in expected {
        assert!(
            ops.iter().any(|o| o.0 == id && o.1 == method && o.2 == path && o.3 == body),
            "{id} {method} {path} {body} not in {ops:#?}"
        );
    }
    let create = model.operations.iter().find(|o| o.method == "POST").unwrap_or_else(|| panic!("no POST"));
    assert_eq!(create.responses.first().map(|r| r.status), Some(201));
    assert_eq!(create.params.first().map(|p| p.name.as_str()), Some("deviceManagementScriptId"));
}

#[test]
fn seed_000_is_reported_not_placed_and_its_table_still_merges() {
    let (model, diagnostics) = model();
    assert!(model.operations.iter().all(|o| o.id != "intune-devicemanagementscriptgroupassignment-update"));
    let u = model.unplaced.first().unwrap_or_else(|| panic!("seed 000 not reported"));
    assert_eq!(u.id, "intune-devicemanagementscriptgroupassignment-update");
    assert_eq!(
        u.suggested_paths,
        vec!["POST /deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/groupAssignments/$ref".to_owned()]
    );
    let d: Vec<_> = diagnostics.iter().filter(|d| d.code == Code::OperationUnplaced).collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span.line, 35);
    assert!(d[0].help.as_deref().unwrap_or_default().contains("groupAssignments/$ref"));
    let t = model.type_def("microsoft.graph.deviceManagementScriptGroupAssignment").unwrap_or_else(|| panic!("type"));
    let props: Vec<_> = t.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(props, vec!["id", "targetGroupId"]);
    assert!(t.sources.iter().any(|s| s.file.ends_with("intune-devicemanagementscriptgroupassignment-update.md")));
    // The read-only note of seed 000's table is kept.
    assert!(t.properties.first().is_some_and(|p| p.read_only));
}

#[test]
fn seed_004_example_url_contradicts_the_declared_ref_path() {
    let (_, diagnostics) = model();
    let d: Vec<_> = diagnostics.iter().filter(|d| d.code == Code::ExamplePathMismatch).collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].file.ends_with("intune-devicemanagementscriptgroupassignment-create.md"));
    assert_eq!(d[0].span.line, 65);
    assert!(d[0].help.as_deref().unwrap_or_default().contains("ends in `/$ref`"));
}

#[test]
fn undefined_assignment_target_becomes_an_open_type() {
    let (model, diagnostics) = model();
    let t = model.type_def("deviceAndAppManagementAssignmentTarget").unwrap_or_else(|| panic!("open type missing"));
    assert_eq!(t.kind, TypeKind::Open);
    let d: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::TypeUndefined && d.message.contains("`deviceAndAppManagementAssignmentTarget`"))
        .collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("deviceAndAppManagementAssignmentTarget"));
    // Seeds 002 and 003 both type `target` with it.
    for owner in ["groupPolicyConfigurationAssignment", "deviceConfigurationAssignment"] {
        let p = model.all_properties(owner);
        assert!(p.iter().any(|p| p.name == "target" && p.type_name == "deviceAndAppManagementAssignmentTarget"));
    }
}

#[test]
fn seed_examples_match_their_declared_paths() {
    let (model, _) = model();
    // The seeds (not the pages written for later stages, `intune-devices-*`).
    for op in model.operations.iter().filter(|o| !o.id.starts_with("intune-devices-")) {
        for e in &op.examples {
            let matched = e.path_template.is_some();
            assert_eq!(matched, op.method != "POST", "{}: {:?}", op.id, e.request.path);
        }
    }
    let op = model
        .operations
        .iter()
        .find(|o| o.id.starts_with("intune-grouppolicy"))
        .unwrap_or_else(|| panic!("seed 002"));
    let e = op.examples.first().unwrap_or_else(|| panic!("no example"));
    assert_eq!(
        e.path_values.get("groupPolicyConfigurationId").map(String::as_str),
        Some("{groupPolicyConfigurationId}")
    );
    assert_eq!(e.response.as_ref().map(|r| r.status), Some(200));
    assert!(e.truncated);
}
