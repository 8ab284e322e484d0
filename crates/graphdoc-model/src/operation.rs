//! Operations from operation pages: the declared request, body, responses, permissions, examples.

use graphdoc_page::{BlockType, Code, CodeFence, HttpMessage, Page, Paragraph, Table, TableKind};

use crate::model::{
    BodyAt, Example, ExampleRequest, ExampleResponse, Operation, PathParam, Permission, RequestBody, Response, Source,
    TypeRef, Unplaced,
};
use crate::names::{collection_of, is_type_name, type_name};
use crate::paths::{function_placeholders, normalize, params};
use crate::registry::{Registry, TableProperties};
use crate::report::Report;

/// What one operation page yields.
pub(crate) enum PageOperations {
    /// Operations (one per declared method).
    Placed(Vec<Operation>),
    /// The page could not be placed; its body type is kept for suggestions.
    Unplaced(Unplaced, Option<String>),
}

/// Whether the page documents operations: it declares a request, or says it is an API page and
/// holds no resource representation (a few resource pages carry `doc_type: apiPageType`).
pub(crate) fn is_operation_page(page: &Page) -> bool {
    declared_fences(page).next().is_some()
        || (page.doc_type().is_some_and(|t| t.eq_ignore_ascii_case("apiPageType")) && !has_resource_fence(page))
}

/// Whether the page holds a `blockType: resource` representation.
pub(crate) fn has_resource_fence(page: &Page) -> bool {
    page.fences
        .iter()
        .any(|f| f.annotation.as_ref().is_some_and(|a| a.block_type == Some(BlockType::Resource)))
}

/// Whether the heading at `index`, or one it sits under, satisfies `pred` (given the text as
/// written: the predicates ignore ASCII case, so no heading is lower-cased per question).
fn under_heading(page: &Page, index: Option<usize>, pred: impl Fn(&str) -> bool) -> bool {
    let Some(index) = index else { return false };
    let mut level = u8::MAX;
    for i in (0..=index).rev() {
        let Some(h) = page.sections.get(i) else { continue };
        if h.level < level {
            if pred(&h.text) {
                return true;
            }
            level = h.level;
        }
    }
    false
}

/// Whether the heading at `index` itself satisfies `pred` (given the text as written).
fn in_section(page: &Page, index: Option<usize>, pred: impl Fn(&str) -> bool) -> bool {
    page.section(index).is_some_and(|h| pred(&h.text))
}

/// `text` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn is_declared_section(text: &str) -> bool {
    starts_with_ignoring_case(text, "http request")
}

fn declared_fences(page: &Page) -> impl Iterator<Item = &CodeFence> {
    page.fences
        .iter()
        .filter(|f| under_heading(page, f.section, is_declared_section) && f.language != "json")
}

/// The page's file stem: the stable id of its operations.
pub(crate) fn page_id(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name).to_owned()
}

/// The examples of an operation page, each with the name its annotation gives it.
type PageExamples = Vec<(Example, Option<String>)>;

/// One method's declared request lines: its paths (the first is the operation's), the first line's
/// source, and the query options they name.
struct Declared {
    method: String,
    paths: Vec<String>,
    source: Source,
    query_options: Vec<String>,
}

/// What an operation page says that needs no registry: read on every core while the registry reads
/// the pages that define types, and finished by [`read_operation_page`] in page order.
pub(crate) struct OperationDraft {
    id: String,
    title: String,
    examples: PageExamples,
    /// Declared request lines, grouped by method in order of appearance.
    groups: Vec<Declared>,
    /// Why the page cannot be placed, if it has no usable request line.
    problem: Option<(String, Source)>,
    declared_any: bool,
    description: Option<String>,
    permissions: Vec<Permission>,
    /// What the request lines' paths made the page report (`/~`, function values).
    report: Report,
    /// The Request body section, as read without the registry.
    body: BodyDraft,
    /// The Response section's promise, as read without the registry.
    promise: PromiseDraft,
    /// The response type an example's annotation gives.
    response_type: Option<TypeRef>,
}

/// What a page's Request body section says without the registry.
struct BodyDraft {
    /// The section says no body is supplied.
    none: bool,
    /// The section's tables, by index in `page.tables`.
    tables: Vec<usize>,
    /// The type its prose links to, else the `@odata.type` of an example request.
    declared_type: Option<String>,
}

/// The Response section's first promise of a status, as far as it is read without the registry.
enum PromiseDraft {
    /// No paragraph promises a status.
    Nothing,
    /// A `202` whose body holds nothing (the type is behind a link or a header).
    Empty { status: u16, source: Source },
    /// A status, with the paragraph (by index in `page.paragraphs`), its lower-cased text, and the
    /// type it links to (the registry may still name one from its terms).
    Status { status: u16, paragraph: usize, lower: String, linked: Option<String>, source: Source },
}

/// Read what `page` says without the registry.
pub(crate) fn draft_operation_page(page: &Page) -> OperationDraft {
    let id = page_id(&page.file);
    let title = page.title.as_ref().map(|t| t.text.clone()).unwrap_or_else(|| id.clone());
    let examples = read_examples(page, &id);
    let mut report = Report::default();
    let mut groups: Vec<Declared> = Vec::new();
    let mut problem: Option<(String, Source)> = None;
    let mut declared_any = false;
    for fence in declared_fences(page) {
        declared_any = true;
        let Some(HttpMessage::Request(req)) = &fence.http else {
            if fence.http.is_none() && fence.content.trim().is_empty() {
                problem.get_or_insert(("its HTTP request block is empty".to_owned(), Source::new(&page.file, fence.span)));
            }
            continue;
        };
        for line in &req.lines {
            let source = Source::new(&page.file, line.span);
            let (mut path, values) = function_placeholders(&normalize(&line.target.path));
            if let Some(rest) = path.strip_prefix("/~").filter(|r| r.starts_with('/')) {
                let rest = rest.to_owned();
                report.at(
                    Code::PathTildeRoot,
                    &source,
                    format!("`/~` is no URL segment: the declared path is read as `{rest}`"),
                    format!("write the path from the service root: `{rest}`"),
                );
                path = rest;
            }
            if !values.is_empty() {
                report.at(
                    Code::PathFunctionValue,
                    &source,
                    format!("function parameters written as values (`{}`) are read as placeholders: `{path}`", values.join("`, `")),
                    "write each function parameter as a placeholder, e.g. `(on='{on}')`",
                );
            }
            if path.is_empty() || path == "/" {
                problem.get_or_insert((format!("its request line `{}` has no path", line.target.raw), source));
                continue;
            }
            let query: Vec<String> = line
                .target
                .query
                .iter()
                .flat_map(|q| q.split('&'))
                .filter_map(|kv| kv.split('=').next())
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect();
            match groups.iter_mut().find(|g| g.method == line.method) {
                Some(g) => {
                    if !g.paths.contains(&path) {
                        g.paths.push(path);
                    }
                    for q in query {
                        if !g.query_options.contains(&q) {
                            g.query_options.push(q);
                        }
                    }
                }
                None => groups.push(Declared { method: line.method.clone(), paths: vec![path], source, query_options: query }),
            }
        }
    }
    let description = page
        .front_matter
        .as_ref()
        .and_then(|f| f.description.clone())
        .filter(|d| !d.trim().is_empty())
        .or_else(|| page.paragraphs.iter().find(|p| !p.text.starts_with("Namespace:")).map(|p| p.text.clone()));
    OperationDraft {
        id,
        title,
        examples,
        groups,
        problem,
        declared_any,
        description,
        permissions: read_permissions(page),
        report,
        body: draft_request_body(page),
        promise: draft_promise(page),
        response_type: example_response_type(page),
    }
}

/// Finish `page`'s operations with the registry: the request body's type (merged into it), the
/// promised response, the types referenced.
pub(crate) fn read_operation_page(
    page: &Page,
    draft: OperationDraft,
    tables: &mut TableProperties,
    registry: &mut Registry,
    report: &mut Report,
) -> PageOperations {
    let OperationDraft {
        id,
        title,
        mut examples,
        groups,
        problem,
        declared_any,
        description,
        permissions,
        report: found,
        body,
        promise,
        response_type,
    } = draft;
    report.diagnostics.extend(found.diagnostics);
    // `report` receives the conflicts of the request-body tables merged into the registry.
    let body = read_request_body(page, body, tables, registry, report);
    let body_type = match &body {
        RequestBody::Type(t) => Some(t.name.clone()),
        _ => None,
    };
    if groups.is_empty() {
        let (reason, source) = problem.unwrap_or_else(|| {
            let at = page
                .title
                .as_ref()
                .map(|t| Source::new(&page.file, t.span))
                .unwrap_or_else(|| Source::new(&page.file, graphdoc_page::Span::default()));
            let why = if declared_any {
                "its HTTP request block holds no request line"
            } else {
                "it has no `HTTP request` section with a request line"
            };
            (why.to_owned(), at)
        });
        return PageOperations::Unplaced(
            Unplaced {
                id,
                title,
                reason,
                suggested_paths: Vec::new(),
                source,
            },
            body_type,
        );
    }
    let (promised, promised_source) = read_promised_response(page, promise, registry);
    let multiple = groups.len() > 1;
    let mut out = Vec::new();
    for Declared { method, paths, source, query_options } in groups {
        let path = paths.first().cloned().unwrap_or_default();
        let op_id = if multiple { format!("{id}-{}", method.to_ascii_lowercase()) } else { id.clone() };
        // One method (most pages) takes every example as it is; several share them out by method.
        let mine: PageExamples = if multiple {
            examples.iter().filter(|(e, _)| e.request.method == method).cloned().collect()
        } else {
            std::mem::take(&mut examples)
        };
        let name = mine
            .iter()
            .find_map(|(_, annotated)| annotated.clone())
            .unwrap_or_else(|| title.clone());
        let mut responses = Vec::new();
        if let Some(Promised { status, body, empty }) = &promised {
            let mut body = body.clone().or_else(|| response_type.clone().filter(|_| !empty));
            // Not where the path addresses one entity by its key: there the array is the example's defect.
            let by_key = path.rsplit('/').next().is_some_and(|last| last.starts_with('{') && last.ends_with('}'));
            let listed = |b: &TypeRef| !b.collection && !by_key && answers_are_lists(&mine, *status, &b.name, registry);
            if let Some(b) = body.as_mut().filter(|b| listed(b)) {
                b.collection = true;
                report.at(
                    Code::ResponseCollectionInferred,
                    promised_source.as_ref().unwrap_or(&source),
                    format!("the page promises a single `{}`, but its examples answer a `value` array: read as a collection", b.name),
                    format!("say \"a collection of [{}](...) objects\" in the Response section", b.name),
                );
            }
            if let Some(b) = &body {
                registry.reference(b, promised_source.as_ref().unwrap_or(&source));
            }
            responses.push(Response {
                status: *status,
                body: if *status == 204 { None } else { body },
                source: promised_source.clone().unwrap_or_else(|| source.clone()),
            });
        }
        for (e, _) in &mine {
            if let Some(r) = &e.response {
                if !responses.iter().any(|x| x.status == r.status) {
                    responses.push(Response {
                        status: r.status,
                        body: if r.body.is_some() { response_type.clone() } else { None },
                        source: r.source.clone(),
                    });
                }
            }
        }
        if let RequestBody::Type(t) = &body {
            registry.reference(t, &source);
        }
        out.push(Operation {
            id: op_id,
            name,
            title: title.clone(),
            description: description.clone(),
            method,
            params: params(&path).into_iter().map(|name| PathParam { name }).collect(),
            path,
            aliases: paths.into_iter().skip(1).collect(),
            query_options,
            request_body: body.clone(),
            responses,
            permissions: permissions.clone(),
            examples: mine.into_iter().map(|(e, _)| e).collect(),
            source,
        });
    }
    PageOperations::Placed(out)
}

/// The paragraphs under a heading that satisfies `pred`, each with its index in `page.paragraphs`.
fn section_paragraphs<'p>(page: &'p Page, pred: impl Fn(&str) -> bool + 'p) -> impl Iterator<Item = (usize, &'p Paragraph)> {
    page.paragraphs.iter().enumerate().filter(move |(_, p)| in_section(page, p.section, &pred))
}

/// The first link in `p` that names a type (not a permissions or API page).
fn linked_type(p: &Paragraph) -> Option<String> {
    p.links
        .iter()
        .filter(|l| !l.target.contains("/api/") && !l.target.contains("permissions"))
        .map(|l| l.text.trim().trim_matches('`').to_owned())
        .find(|t| is_type_name(t))
}

/// Whether `table` sits in a page's Request body section.
pub(crate) fn is_request_body_table(page: &Page, table: &Table) -> bool {
    in_section(page, table.section, is_request_body)
}

fn is_request_body(text: &str) -> bool {
    starts_with_ignoring_case(text, "request body")
}

/// [`BodyDraft`] of `page`.
fn draft_request_body(page: &Page) -> BodyDraft {
    let paragraphs: Vec<&Paragraph> = section_paragraphs(page, is_request_body).map(|(_, p)| p).collect();
    let none = paragraphs.iter().any(|p| {
        let t = p.text.to_ascii_lowercase();
        t.contains("do not supply a request body") || t.contains("don't supply a request body")
    });
    let tables = page.tables.iter().enumerate().filter(|(_, t)| is_request_body_table(page, t)).map(|(i, _)| i).collect();
    let declared_type = paragraphs
        .iter()
        .find(|p| p.text.to_ascii_lowercase().contains("json representation"))
        .and_then(|p| linked_type(p))
        .or_else(|| example_request_type(page));
    BodyDraft { none, tables, declared_type }
}

/// The request body `draft` says, with its tables' properties merged into the registry.
fn read_request_body(page: &Page, draft: BodyDraft, properties: &mut TableProperties, registry: &mut Registry, report: &mut Report) -> RequestBody {
    let BodyDraft { none, tables, declared_type } = draft;
    let tables: Vec<(usize, &Table)> = tables.into_iter().filter_map(|i| page.tables.get(i).map(|t| (i, t))).collect();
    if let Some(&(i, _)) = tables.iter().find(|(_, t)| t.kind == TableKind::Parameters) {
        let parameters = properties.take(page, i);
        for p in &parameters {
            registry.reference(&p.type_ref(), &p.source);
        }
        return RequestBody::Parameters { parameters };
    }
    if let Some(name) = declared_type.filter(|_| !none) {
        let defined_here = tables.iter().any(|(_, t)| t.kind == TableKind::Properties);
        for &(i, _) in tables.iter().filter(|(_, t)| t.kind == TableKind::Properties) {
            for prop in properties.take(page, i) {
                registry.add_property(&name, prop, report);
            }
        }
        if defined_here {
            if let Some((_, first)) = tables.first() {
                let draft = registry.entry(&name, &Source::new(&page.file, first.span));
                draft.defined = true;
            }
        }
        return RequestBody::Type(TypeRef { name: type_name(&name), collection: false });
    }
    if let Some(&(i, _)) = tables.iter().find(|(_, t)| t.kind == TableKind::Properties).filter(|_| !none) {
        let parameters = properties.take(page, i);
        for p in &parameters {
            registry.reference(&p.type_ref(), &p.source);
        }
        return RequestBody::Parameters { parameters };
    }
    RequestBody::None
}

fn example_request_type(page: &Page) -> Option<String> {
    page.fences.iter().find_map(|f| match &f.http {
        Some(HttpMessage::Request(r)) if !under_heading(page, f.section, is_declared_section) => r
            .body
            .as_ref()
            .and_then(|b| b.json.as_ref())
            .and_then(|j| j.get("@odata.type"))
            .and_then(|t| t.as_str())
            .map(type_name),
        _ => None,
    })
}

/// The response type an example's annotation gives (`@odata.type`, `isCollection`).
fn example_response_type(page: &Page) -> Option<TypeRef> {
    page.fences.iter().find_map(|f| {
        let a = f.annotation.as_ref()?;
        if a.block_type != Some(BlockType::Response) {
            return None;
        }
        // A few pages write the type as `@type`.
        let raw = a.odata_type.as_deref().or_else(|| a.extra.get("@type").and_then(|v| v.as_str()))?;
        let (name, collection) = collection_of(raw);
        if !is_type_name(&name) {
            return None;
        }
        let name = match graphdoc_page::Primitive::lookup(&name) {
            Some((p, _)) => p.name().to_owned(),
            None => name,
        };
        Some(TypeRef { name, collection: collection || a.is_collection == Some(true) })
    })
}

/// What the Response prose promises.
struct Promised {
    status: u16,
    body: Option<TypeRef>,
    /// The prose says the body holds nothing (a `202` pointing to the type through a link or a header).
    empty: bool,
}

/// "If successful, this method returns a `201 Created` response code and a [x](...) object": the
/// first paragraph of the Response section that promises a status, read without the registry.
fn draft_promise(page: &Page) -> PromiseDraft {
    let response = |t: &str| t.eq_ignore_ascii_case("response") || t.eq_ignore_ascii_case("responses");
    for (index, p) in section_paragraphs(page, response) {
        let lower = p.text.to_ascii_lowercase();
        let Some(i) = lower.find("returns") else { continue };
        let after = lower.get(i..).unwrap_or_default();
        let status = after
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 3)
            .and_then(|w| w.parse::<u16>().ok())
            .filter(|c| (100..=599).contains(c));
        let Some(status) = status else { continue };
        let source = Source::new(&page.file, p.span);
        // "a `202 Accepted` response containing a link to the [teamsAsyncOperation](...)", "a
        // `Location` header, which contains the location of the [x](...)": the type is where the
        // link points; the body holds nothing.
        if status == 202 && !lower.contains("response body") && (lower.contains("header") || lower.contains("link to")) {
            return PromiseDraft::Empty { status, source };
        }
        return PromiseDraft::Status { status, paragraph: index, linked: linked_type(p), lower, source };
    }
    PromiseDraft::Nothing
}

/// What the Response prose promises (`draft`), a type named but not linked looked up in the registry.
fn read_promised_response(page: &Page, draft: PromiseDraft, registry: &Registry) -> (Option<Promised>, Option<Source>) {
    let (status, paragraph, lower, linked, source) = match draft {
        PromiseDraft::Nothing => return (None, None),
        PromiseDraft::Empty { status, source } => return (Some(Promised { status, body: None, empty: true }), Some(source)),
        PromiseDraft::Status { status, paragraph, lower, linked, source } => (status, paragraph, lower, linked, source),
    };
    let p = page.paragraphs.get(paragraph);
    let named = linked.or_else(|| p.and_then(|p| term_type(p, registry)));
    let linked = named.map(|name| {
        // "a collection of [x](...) objects", and as often "an [x](...) collection".
        let after_name = lower
            .find(&name.to_ascii_lowercase())
            .and_then(|i| lower.get(i + name.len()..))
            .unwrap_or_default();
        let next_word = after_name.trim_start_matches(|c: char| !c.is_ascii_alphanumeric()).split_whitespace().next();
        TypeRef {
            name: type_name(&name),
            collection: lower.contains("collection of")
                || lower.contains("array of")
                || lower.contains("list of")
                || next_word == Some("collection"),
        }
    });
    let body = linked.or_else(|| p.and_then(|p| prose_primitive(&p.text))).or_else(|| boolean_answer(&lower));
    (Some(Promised { status, body, empty: false }), Some(source))
}

/// Whether the examples answering `status` all return a `value` array (and at least one does), while
/// the type `name` has no `value` property: a list documented as "a [x] object".
fn answers_are_lists(examples: &[(Example, Option<String>)], status: u16, name: &str, registry: &Registry) -> bool {
    let has_value = registry.types.get(&crate::names::type_key(name)).is_some_and(|d| d.def.properties.iter().any(|p| p.name == "value"));
    let bodies: Vec<&serde_json::Value> = examples
        .iter()
        .filter(|(e, _)| e.request.is_to_graph())
        .filter_map(|(e, _)| e.response.as_ref())
        .filter(|r| r.status == status)
        .filter_map(|r| r.body.as_ref())
        .collect();
    let is_list = |v: &serde_json::Value| crate::values::value_envelope(v).is_some_and(serde_json::Value::is_array);
    !has_value && !bodies.is_empty() && bodies.iter().all(|v| is_list(v))
}

/// A type named in bold or as code but not linked: "an updated **items** object" (plural names
/// read as their singular when only that is defined).
fn term_type(p: &Paragraph, registry: &Registry) -> Option<String> {
    p.terms.iter().find_map(|term| {
        let singular = [term.strip_suffix("ies").map(|s| format!("{s}y")), term.strip_suffix('s').map(str::to_owned)];
        std::iter::once(term.clone()).chain(singular.into_iter().flatten()).find_map(|name| registry.defined(&name))
    })
}

/// A primitive named in prose: "a String in the response body", "a String collection in the
/// response body" (Intune pages; a link would name a type).
fn prose_primitive(text: &str) -> Option<TypeRef> {
    let end = text.find(" in the response body")?;
    let mut words = text.get(..end)?.split_whitespace().rev();
    let mut word = words.next()?;
    let collection = word == "collection";
    if collection || word == "value" {
        word = words.next()?;
    }
    if !matches!(words.next()?, "a" | "an") {
        return None;
    }
    match graphdoc_page::Primitive::lookup(word) {
        Some((p, true)) => Some(TypeRef { name: p.name().to_owned(), collection }),
        _ => None,
    }
}

/// "a `true` value is returned in the response body" (group lifecycle actions): a Boolean.
fn boolean_answer(lower: &str) -> Option<TypeRef> {
    let named = ["`true` value", "`false` value", "true value", "false value"].iter().any(|w| lower.contains(w));
    (named && lower.contains("response body")).then(|| TypeRef { name: "Boolean".to_owned(), collection: false })
}

fn read_permissions(page: &Page) -> Vec<Permission> {
    let mut out = Vec::new();
    for table in page.tables.iter().filter(|t| t.kind == TableKind::Permissions) {
        for row in &table.rows {
            let kind = row.cells.first().map(|c| c.text.trim().to_owned()).unwrap_or_default();
            let scopes: Vec<String> = row
                .cells
                .get(1)
                .map(|c| c.text.as_str())
                .unwrap_or_default()
                .split([',', ';'])
                .map(|s| s.trim().trim_end_matches('.').to_owned())
                .filter(|s| !s.is_empty() && !s.contains("TODO") && !s.eq_ignore_ascii_case("not supported"))
                .collect();
            if !kind.is_empty() {
                out.push(Permission { kind, scopes });
            }
        }
    }
    out
}

/// Microsoft Graph's hosts in its national clouds (learn.microsoft.com, "National cloud deployments").
const GRAPH_HOSTS: &[&str] = &[
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "graph.microsoft.de",
    "microsoftgraph.chinacloudapi.cn",
    "canary.graph.microsoft.com",
];

/// An origin (`https://host[:port]`) on another service's host. A host without a dot is no other
/// service but a slip (`https://graph/microsoft.com/...`), and stays a Graph request: its path
/// mismatch is the defect to report.
fn is_foreign(origin: &str) -> bool {
    let host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let host = host.split(':').next().unwrap_or_default();
    host.contains('.') && !GRAPH_HOSTS.iter().any(|g| host.eq_ignore_ascii_case(g))
}

/// Example requests, each with the response that follows it; the annotation name when given.
fn read_examples(page: &Page, id: &str) -> Vec<(Example, Option<String>)> {
    let mut out: Vec<(Example, Option<String>)> = Vec::new();
    for fence in page.fences.iter().filter(|f| !under_heading(page, f.section, is_declared_section)) {
        match &fence.http {
            Some(HttpMessage::Request(r)) => {
                let Some(line) = r.lines.first() else { continue };
                let annotated = fence
                    .annotation
                    .as_ref()
                    .filter(|a| a.block_type == Some(BlockType::Request))
                    .and_then(|a| a.name.clone());
                let name = annotated.clone().unwrap_or_else(|| format!("{id}-{}", out.len() + 1));
                out.push((
                    Example {
                        name,
                        request: ExampleRequest {
                            method: line.method.clone(),
                            path: normalize(&line.target.path),
                            query: line.target.query.clone(),
                            foreign_origin: line.target.origin.as_deref().filter(|o| is_foreign(o)).map(str::to_owned),
                            headers: r.headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect(),
                            body: r.body.as_ref().and_then(|b| b.json.clone()),
                            truncated: fence.annotation.as_ref().and_then(|a| a.truncated).unwrap_or(false),
                            source: Source::new(&page.file, line.span),
                            body_at: body_at(r.body.as_ref()),
                        },
                        response: None,
                        truncated: false,
                        path_template: None,
                        path_values: Default::default(),
                        issues: Vec::new(),
                    },
                    annotated,
                ));
            }
            Some(HttpMessage::Response(r)) => {
                let Some((last, _)) = out.last_mut().filter(|(e, _)| e.response.is_none()) else { continue };
                last.truncated = fence.annotation.as_ref().and_then(|a| a.truncated).unwrap_or(false);
                last.response = Some(ExampleResponse {
                    status: r.status.code,
                    headers: r.headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect(),
                    body: r.body.as_ref().and_then(|b| b.json.clone()),
                    source: Source::new(&page.file, r.status.span),
                    body_at: body_at(r.body.as_ref()),
                });
            }
            None => {}
        }
    }
    out
}

fn body_at(body: Option<&graphdoc_page::HttpBody>) -> Option<BodyAt> {
    body.map(|b| BodyAt { text: b.text.clone(), span: b.span })
}
