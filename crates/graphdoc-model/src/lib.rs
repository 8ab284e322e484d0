//! Stage 2 of graphdoc: from every `Page` to one [`ApiModel`] — operations, types, enums and
//! examples, merged across pages, cross-checked, each item pointing back to its source.

// Pages are hostile input: no panicking shortcut may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod check;
mod model;
pub mod names;
mod operation;
pub mod paths;
mod registry;
mod report;
mod type_index;
pub mod values;

pub use model::{
    ApiModel, BodyAt, EnumDef, EnumMember, Example, ExampleRequest, ExampleResponse, Operation, PathParam,
    Permission, Property, RequestBody, Response, Source, TypeDef, TypeKind, TypeRef, Unplaced,
};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use graphdoc_page::{Code, Diagnostic, Page};

use crate::names::type_key;
use crate::operation::{draft_operation_page, read_operation_page, PageOperations};
use crate::registry::{Registry, TableProperties};
use crate::report::Report;

/// Build the model of `pages`. Their order does not matter: they are read sorted by file.
pub fn build_model<'p>(pages: impl IntoIterator<Item = &'p Page>) -> (ApiModel, Vec<Diagnostic>) {
    let mut pages: Vec<&Page> = pages.into_iter().collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    let mut report = Report::default();
    let mut registry = Registry::default();
    // Merging into the registry is sequential (pages in order); what depends on a page alone is read
    // on every core first: its tables' properties, then (beside the merge) the rest of what an
    // operation page says without the registry.
    let mut read: Vec<(&Page, TableProperties)> = pages.par_iter().map(|&page| (page, TableProperties::read(page))).collect();
    let operation_pages: Vec<&Page> = read.iter().filter(|(_, t)| t.operation).map(|(page, _)| *page).collect();
    let (drafts, ()) = rayon::join(
        || operation_pages.par_iter().map(|p| draft_operation_page(p)).collect::<Vec<_>>(),
        || {
            for (page, tables) in &mut read {
                registry.read_page(page, tables, &mut report);
            }
        },
    );
    let mut operations = Vec::new();
    let mut unplaced = Vec::new();
    let operation_tables = read.into_iter().filter(|(_, t)| t.operation).map(|(_, tables)| tables);
    for ((page, draft), mut tables) in operation_pages.into_iter().zip(drafts).zip(operation_tables) {
        match read_operation_page(page, draft, &mut tables, &mut registry, &mut report) {
            PageOperations::Placed(ops) => operations.extend(ops),
            PageOperations::Unplaced(u, body) => unplaced.push((u, body)),
        }
    }
    // The registry finishes on one core while the operations, which need none of it, are named,
    // compared and placed on the other (each with its own report).
    let mut finished = Report::default();
    let ((unplaced, placed), (types, enums)) = rayon::join(
        || {
            let mut own = Report::default();
            dedupe_ids(&mut operations);
            report_duplicates(&operations, &mut own);
            let unplaced = suggest_paths(unplaced, &operations, &mut own);
            // Operations are checked on every core, each into its own report, joined in operation
            // order: the same diagnostics and observations, in the same order, as one pass.
            let placed: Vec<Report> = operations
                .par_iter_mut()
                .map(|op| {
                    let mut own = Report::default();
                    check::place_examples(op, &mut own);
                    parameters_in_path(op);
                    reference_body(op, &mut own);
                    own
                })
                .collect();
            (unplaced, std::iter::once(own).chain(placed).collect::<Vec<_>>())
        },
        || registry.finish(&mut finished),
    );
    report.diagnostics.extend(placed.into_iter().chain([finished]).flat_map(|r| r.diagnostics));
    let mut model = ApiModel {
        operations,
        unplaced,
        types,
        enums,
    };
    infer_request_bodies(&mut model, &mut report);
    let types = type_index::TypeIndex::new(&model);
    let checked: Vec<(Report, check::Observations)> = model
        .operations
        .par_iter()
        .map(|op| {
            let (mut own, mut obs) = (Report::default(), check::Observations::default());
            check::check_examples(&types, op, &mut own, &mut obs);
            (own, obs)
        })
        .collect();
    drop(types);
    let mut obs = check::Observations::default();
    for (own, found) in checked {
        report.diagnostics.extend(own.diagnostics);
        obs.merge(found);
    }
    apply(&mut model, obs);
    model.operations.sort_by(|a, b| a.id.cmp(&b.id));
    report_shared_paths(&model.operations, &mut report);
    let mut diagnostics = report.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    attach_issues(&mut model, &diagnostics);
    (model, diagnostics)
}

/// Codes that make an example contradict the model. (`response-status-mismatch` only where the
/// example does not answer 2xx: a generated client takes any 2xx, and the replay expects the
/// example's own status.)
const BLOCKING: &[Code] = &[
    Code::ExamplePathMismatch,
    Code::ExampleMethodMismatch,
    Code::ExampleValueType,
    Code::ExampleBodyShape,
    Code::ExampleNoResponse,
    Code::ExampleNotGraph,
];

/// Give each example the codes of the blocking diagnostics inside it, and `json-invalid` where a
/// JSON body did not parse (the page reported it).
fn attach_issues(model: &mut ApiModel, diagnostics: &[Diagnostic]) {
    // Each example looks at its own page's diagnostics only (a scan of all of them per example
    // was a fifth of the model's time on beta).
    let mut by_file: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics {
        by_file.entry(d.file.as_str()).or_default().push(d);
    }
    let of_file = |file: &str| by_file.get(file).map(Vec::as_slice).unwrap_or_default();
    // Each operation's examples on any core: they read the diagnostics and write only their own.
    model.operations.par_iter_mut().for_each(|op| {
        let content = op.returns_content();
        for e in &mut op.examples {
            let file = e.request.source.file.as_str();
            let start = e.request.source.line;
            let end = [
                e.request.body_at.as_ref().map(|b| b.span.end_line),
                e.response.as_ref().map(|r| r.source.line),
                e.response.as_ref().and_then(|r| r.body_at.as_ref()).map(|b| b.span.end_line),
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(start);
            // A status mismatch blocks only when the example does not answer 2xx (a client takes any
            // 2xx as the documented result; a redirect or an error is not that result).
            let answered = e.response.as_ref().is_some_and(|r| (200..300).contains(&r.status));
            // A body the client does not decode (`Content`) cannot fail to decode: its shape and
            // values are still diagnosed, but do not stop the replay.
            let undecoded_from = e.response.as_ref().filter(|_| content).map(|r| r.source.line);
            let blocks = |d: &Diagnostic| {
                let undecoded = undecoded_from.is_some_and(|from| d.span.line >= from)
                    && matches!(d.code, Code::ExampleBodyShape | Code::ExampleValueType);
                (BLOCKING.contains(&d.code) && !undecoded) || (d.code == Code::ResponseStatusMismatch && !answered)
            };
            let mut issues: BTreeSet<String> = of_file(file)
                .iter()
                .filter(|d| blocks(d) && (start..=end).contains(&d.span.line))
                .map(|d| d.code.as_str().to_owned())
                .collect();
            let unparsed = |body: &Option<serde_json::Value>, at: &Option<BodyAt>| {
                body.is_none() && at.as_ref().is_some_and(|a| a.text.trim_start().starts_with(['{', '[']))
            };
            let response_unparsed = e.response.as_ref().is_some_and(|r| unparsed(&r.body, &r.body_at));
            if unparsed(&e.request.body, &e.request.body_at) || response_unparsed {
                issues.insert(Code::JsonInvalid.as_str().to_owned());
            }
            // A second page documenting the same method and path is generated once, as the first.
            let duplicate = of_file(&op.source.file).iter().any(|d| {
                d.code == Code::OperationDuplicate
                    && (d.span == op.source.span || (start..=end).contains(&d.span.line))
            });
            if duplicate {
                issues.insert(Code::OperationDuplicate.as_str().to_owned());
            }
            e.issues = issues.into_iter().collect();
        }
    });
}

/// Ids come from file stems, unique within a folder; across folders a suffix keeps them unique.
fn dedupe_ids(operations: &mut [Operation]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations {
        let n = seen.entry(op.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            op.id = format!("{}-{}", op.id, n);
        }
    }
}

fn report_duplicates(operations: &[Operation], report: &mut Report) {
    // In id order, as the generator places them: the first page by id keeps the method.
    let mut ordered: Vec<&Operation> = operations.iter().collect();
    ordered.sort_by(|a, b| a.id.cmp(&b.id));
    let mut first: BTreeMap<(String, String), &Operation> = BTreeMap::new();
    for op in ordered {
        // Paths that differ only in placeholder names are one path to a client and to OpenAPI.
        let key = (op.method.clone(), paths::shape(&op.path).to_ascii_lowercase());
        match first.get(&key) {
            Some(other) => report.at(
                Code::OperationDuplicate,
                &op.source,
                format!("`{} {}` is also declared at {}", op.method, op.path, other.source.location()),
                "document each operation on one page; link to it from the others",
            ),
            None => {
                first.insert(key, op);
            }
        }
    }
}

/// A create (`POST` answering `201` with an entity), update or replace whose page documents no
/// request body while its examples send a JSON object takes the entity: the type the method
/// returns, else the type a `GET` of the same path returns. Said in a warning, never silently.
fn infer_request_bodies(model: &mut ApiModel, report: &mut Report) {
    let entity = |t: Option<&TypeRef>| t.filter(|t| !t.collection && model.type_def(&t.name).is_some()).cloned();
    let mut at_path: BTreeMap<String, TypeRef> = BTreeMap::new();
    for op in model.operations.iter().filter(|o| o.method == "GET") {
        if let Some(t) = entity(op.responses.first().and_then(|r| r.body.as_ref())) {
            for p in std::iter::once(&op.path).chain(&op.aliases) {
                at_path.entry(paths::shape(p).to_ascii_lowercase()).or_insert_with(|| t.clone());
            }
        }
    }
    let mut inferred = Vec::new();
    for (i, op) in model.operations.iter().enumerate() {
        let sends_object = op
            .examples
            .iter()
            .any(|e| e.request.is_to_graph() && e.request.body.as_ref().is_some_and(serde_json::Value::is_object));
        if !matches!(op.request_body, RequestBody::None) || !sends_object {
            continue;
        }
        let promised = op.responses.first();
        let returned = entity(promised.and_then(|r| r.body.as_ref()));
        let found = match op.method.as_str() {
            "POST" if promised.is_some_and(|r| r.status == 201) => returned.map(|t| (t, "the type it creates")),
            "PATCH" | "PUT" => returned.map(|t| (t, "the type it returns")).or_else(|| {
                let t = at_path.get(&paths::shape(&op.path).to_ascii_lowercase())?;
                Some((t.clone(), "the type a `GET` of this path returns"))
            }),
            _ => None,
        };
        if let Some((t, why)) = found {
            report.at(
                Code::RequestBodyInferred,
                &op.source,
                format!("the page documents no request body, but its examples send one: read as a `{}`, {why}", t.name),
                format!("say what the body is in the Request body section: a JSON representation of [{}](...), or a table of its properties", t.name),
            );
            inferred.push((i, t));
        }
    }
    for (i, t) in inferred {
        if let Some(op) = model.operations.get_mut(i) {
            op.request_body = RequestBody::Type(t);
        }
    }
}

/// A `POST` or `PUT` to a `$ref` path adds or sets a relationship: OData has it take a reference,
/// `{"@odata.id": url}`, whatever entity the page names (most name the target's type; some name
/// none). Read so only where an example sends one, and said in a warning, never silently. (An Intune
/// page declares `/groupAssignments/$ref` for what its examples show is a create: left as the page
/// says.)
fn reference_body(op: &mut Operation, report: &mut Report) {
    let to_ref = op.path.rsplit('/').next().is_some_and(|last| last.eq_ignore_ascii_case("$ref"));
    let sends_reference = op.examples.iter().any(|e| {
        e.request.is_to_graph() && e.request.body.as_ref().and_then(|b| b.get("@odata.id")).is_some_and(serde_json::Value::is_string)
    });
    if !matches!(op.method.as_str(), "POST" | "PUT") || !to_ref || !sends_reference {
        return;
    }
    let documented = match &op.request_body {
        RequestBody::Reference => return,
        RequestBody::None => "no request body".to_owned(),
        RequestBody::Type(t) => format!("the type `{}`", t.name),
        RequestBody::Parameters { .. } => "a table of parameters".to_owned(),
    };
    report.at(
        Code::RequestBodyReference,
        &op.source,
        format!("`{}` sends to a `$ref` path and its examples send `{{\"@odata.id\": ...}}`, but the page documents {documented}: read as a reference", op.id),
        "say in the Request body section that the body is a reference: `{\"@odata.id\": \"<URL of the entity>\"}`",
    );
    op.request_body = RequestBody::Reference;
}

/// A function (GET) whose "request body" table lists exactly the parameters its path takes (Intune
/// pages do): they travel in the URL, so the operation has no body.
fn parameters_in_path(op: &mut Operation) {
    let RequestBody::Parameters { parameters } = &op.request_body else { return };
    // A placeholder of that name, or a function argument of that name (`itemAt(index={n})`).
    let in_path = |name: &str| {
        let argument = [format!("({name}="), format!(",{name}="), format!(", {name}=")].map(|a| a.to_ascii_lowercase());
        std::iter::once(&op.path).chain(&op.aliases).any(|p| {
            let lower = p.to_ascii_lowercase();
            paths::params(p).iter().any(|q| q.eq_ignore_ascii_case(name)) || argument.iter().any(|a| lower.contains(a.as_str()))
        })
    };
    if op.method == "GET" && !parameters.is_empty() && parameters.iter().all(|p| in_path(&p.name)) {
        op.request_body = RequestBody::None;
    }
}

/// An example whose path another page also declares, or reaches through an alias (`/me/...`, a
/// function's parameters): a client has one method there, the first page's (operations in id order,
/// by their declared paths, then by their aliases), so the example is that method's or is not replayed.
fn report_shared_paths(operations: &[Operation], report: &mut Report) {
    let key = |method: &str, path: &str| (method.to_owned(), paths::shape(path).to_ascii_lowercase());
    let mut owner: HashMap<(String, String), &Operation, FxBuildHasher> = HashMap::default();
    // Declared paths first: `POST /me/events` belongs to the page that declares it first, not to one
    // that lists it among others (the extended-property pages list a dozen such paths).
    for op in operations {
        owner.entry(key(&op.method, &op.path)).or_insert(op);
    }
    for op in operations {
        for path in &op.aliases {
            owner.entry(key(&op.method, path)).or_insert(op);
        }
    }
    // Each operation's examples on any core, each into its own report, joined in operation order.
    let found: Vec<Report> = operations
        .par_iter()
        .map(|op| {
            let mut own = Report::default();
            let declared = key(&op.method, &op.path);
            for e in &op.examples {
                let Some(template) = &e.path_template else { continue };
                let reached = key(&op.method, template);
                let Some(first) = owner.get(&reached).filter(|o| o.id != op.id) else { continue };
                // Two declared paths that are one path: `report_duplicates` said so at the declaration.
                if reached == declared && key(&first.method, &first.path) == declared {
                    continue;
                }
                own.at(
                    Code::OperationDuplicate,
                    &e.request.source,
                    format!("`{} {template}` is also reached through `{}` ({})", op.method, first.id, first.source.location()),
                    "document each operation on one page; link to it from the others",
                );
            }
            own
        })
        .collect();
    report.diagnostics.extend(found.into_iter().flat_map(|r| r.diagnostics));
}

/// Report each unplaced page, with the paths other pages give for the same body type.
fn suggest_paths(unplaced: Vec<(Unplaced, Option<String>)>, operations: &[Operation], report: &mut Report) -> Vec<Unplaced> {
    let mut out = Vec::new();
    for (mut u, body) in unplaced {
        if let Some(body) = &body {
            let key = type_key(body);
            u.suggested_paths = operations
                .iter()
                .filter(|op| matches!(&op.request_body, RequestBody::Type(t) if type_key(&t.name) == key))
                .map(|op| format!("{} {}", op.method, op.path))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
        }
        let help = match (u.suggested_paths.as_slice(), &body) {
            ([], _) => "write the request line as `METHOD /path/{id}` under `## HTTP request`".to_owned(),
            (paths, Some(b)) => format!(
                "another page gives {} for `{b}`; write the request line as `METHOD /path` under `## HTTP request`",
                paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            ),
            (_, None) => "write the request line as `METHOD /path` under `## HTTP request`".to_owned(),
        };
        report.at(
            Code::OperationUnplaced,
            &u.source,
            format!("operation `{}` cannot be placed: {}; nothing is generated for it", u.title, u.reason),
            help,
        );
        out.push(u);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn apply(model: &mut ApiModel, obs: check::Observations) {
    // Types and enums are sorted by key, one each: found by search, no key made per comparison
    // (a scan of the enums making two keys a comparison was most of this function's time).
    for (base, derived) in obs.derived {
        let bare = names::bare_name(&base);
        if let Ok(i) = model.types.binary_search_by(|t| names::cmp_bare(&t.name, bare)) {
            if let Some(t) = model.types.get_mut(i) {
                if !t.derived.iter().any(|d| names::cmp_names(d, &derived).is_eq()) {
                    t.derived.push(derived);
                    t.derived.sort_by_key(|d| type_key(d));
                }
            }
        }
    }
    for (name, value) in obs.enum_values {
        let bare = names::bare_name(&name);
        let found = model.enums.binary_search_by(|e| names::cmp_bare(&e.name, bare)).ok();
        if let Some(e) = found.and_then(|i| model.enums.get_mut(i)) {
            if !e.example_values.contains(&value) {
                e.example_values.push(value);
                e.example_values.sort();
            }
        }
    }
}

/// The model as the JSON `graphdoc model` prints: the model's fields plus `diagnostics`.
pub fn model_json(model: &ApiModel, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let mut value = serde_json::to_value(model).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "diagnostics".to_owned(),
            serde_json::Value::Array(diagnostics.iter().map(Diagnostic::to_json).collect()),
        );
    }
    value
}
