//! Cross-checks of the finished model: example URLs against declared paths, example bodies against
//! their types, promised statuses against example status lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use graphdoc_page::{Code, Primitive};

use crate::model::{BodyAt, Example, Operation, RequestBody, Source, TypeKind, TypeRef};
use crate::names::{bare_name, cmp_names, type_name};
use crate::paths::{function_placeholders, match_with_aliases};
use crate::report::{locate_key, Report};
use crate::type_index::TypeIndex;
use crate::values::{is_formatted_string, misfit, value_envelope};

/// What the checks learned about the model itself.
#[derive(Default)]
pub(crate) struct Observations {
    /// (expected type, `@odata.type` found in its place).
    pub derived: Vec<(String, String)>,
    /// (enum, value found in an example that is not a member).
    pub enum_values: Vec<(String, String)>,
}

impl Observations {
    /// Add what another check learned, after what this one did.
    pub fn merge(&mut self, other: Observations) {
        self.derived.extend(other.derived);
        self.enum_values.extend(other.enum_values);
    }
}

/// Match every example URL to a declared path of its operation.
pub(crate) fn place_examples(op: &mut Operation, report: &mut Report) {
    let templates: Vec<String> = std::iter::once(op.path.clone()).chain(op.aliases.iter().cloned()).collect();
    for example in &mut op.examples {
        if let Some(origin) = &example.request.foreign_origin {
            report.at(
                Code::ExampleNotGraph,
                &example.request.source,
                format!("this request goes to `{origin}`, not to Microsoft Graph: read as what the service sends or asks for elsewhere (a notification, an upload URL), not as an example of `{}`; it is not replayed", op.id),
                "nothing to mend if it is meant so; if it is a call to Graph, send it to `https://graph.microsoft.com`",
            );
            continue;
        }
        if example.request.method != op.method {
            report.at(
                Code::ExampleMethodMismatch,
                &example.request.source,
                format!("the example sends {}, the operation is declared as {}", example.request.method, op.method),
                format!("write `{} {}` in the example, or fix the declared request", op.method, op.path),
            );
        }
        let mut found = templates
            .iter()
            .find_map(|t| match_with_aliases(t, &example.request.path).map(|v| (t.clone(), v)));
        if found.is_none() {
            // `.../filterByCurrentUser` declared, `.../filterByCurrentUser(on='target')` sent: the
            // declared path omits the function's parameters; the example's form becomes an alias.
            let alias = templates.iter().find_map(|t| {
                let alias = function_alias(t, &example.request.path)?;
                Some((t.clone(), alias))
            });
            if let Some((declared, alias)) = alias {
                report.at(
                    Code::PathFunctionValue,
                    &example.request.source,
                    format!("the declared path `{declared}` omits the function's parameters; the example's form is read as `{alias}`"),
                    "write the function's parameters in the declared path as placeholders, e.g. `(on='{on}')`",
                );
                found = adopt(&mut op.aliases, &op.path, alias, &example.request.path);
            }
        }
        if found.is_none() {
            // `/groups/{id}/members/microsoft.graph.user`: an OData type cast after a declared path
            // is that path (the protocol allows it on any collection or entity of a base type).
            found = cast_alias(&templates, &example.request.path).and_then(|a| adopt(&mut op.aliases, &op.path, a, &example.request.path));
        }
        if found.is_none() {
            // `/drive/root/children` where `/me/drive/items/{id}/children` is declared: Graph's own
            // other names for the signed-in user, their drive and a drive's root item.
            found = alias_form(&templates, &example.request.path).and_then(|a| adopt(&mut op.aliases, &op.path, a, &example.request.path));
        }
        match found {
            Some((template, values)) => {
                // `/me/...` matched `/users/{id}/...`: `/me` becomes an alias, so the client has it.
                let template = match me_alias(&template, &example.request.path) {
                    Some(alias) => {
                        if !op.aliases.contains(&alias) && alias != op.path {
                            op.aliases.push(alias.clone());
                        }
                        alias
                    }
                    None => template,
                };
                example.path_template = Some(template);
                // Example URLs are encoded text; the values are what a caller passes.
                example.path_values = values
                    .into_iter()
                    .map(|(k, v)| (k, percent_encoding::percent_decode_str(&v).decode_utf8_lossy().into_owned()))
                    .collect();
                if let Some((name, v)) = example.path_values.iter().find(|(_, v)| matches!(v.as_str(), "" | "." | "..")) {
                    report.at(
                        Code::ExampleValueType,
                        &example.request.source,
                        format!("path value `{v}` for `{{{name}}}` would change which resource is meant; clients refuse it"),
                        "use an id that is not empty, `.` or `..`",
                    );
                }
            }
            None => {
                let help = match templates
                    .iter()
                    .find(|t| t.ends_with("/$ref") && match_with_aliases(t.trim_end_matches("/$ref"), &example.request.path).is_some())
                {
                    Some(t) => format!(
                        "the declared path `{t}` ends in `/$ref` and the example omits it: add `/$ref` to the example URL, or remove it from the declared path"
                    ),
                    None => format!(
                        "declared: {}; make the example use one of them",
                        templates.iter().map(|t| format!("`{} {t}`", op.method)).collect::<Vec<_>>().join(", ")
                    ),
                };
                report.at(
                    Code::ExamplePathMismatch,
                    &example.request.source,
                    format!("example URL path `{}` matches no declared path of `{}`", example.request.path, op.id),
                    help,
                );
            }
        }
    }
}

/// Make `alias` one of the operation's paths (unless it is one) and match `path` against it.
fn adopt(aliases: &mut Vec<String>, declared: &str, alias: String, path: &str) -> Option<(String, BTreeMap<String, String>)> {
    if !aliases.contains(&alias) && alias != declared {
        aliases.push(alias.clone());
    }
    match_with_aliases(&alias, path).map(|v| (alias, v))
}

/// `template` with its last segment given the parameters `path` passes there, as placeholders,
/// when that is the only difference (`.../f` declared, `.../f(on='x')` sent → `.../f(on='{on}')`).
fn function_alias(template: &str, path: &str) -> Option<String> {
    let (t_head, t_last) = template.rsplit_once('/')?;
    let (_, p_last) = path.rsplit_once('/')?;
    let open = p_last.find('(')?;
    let (name, args) = (p_last.get(..open)?, p_last.get(open..)?);
    if t_last.contains(['(', '{']) || !name.eq_ignore_ascii_case(t_last) || !args.ends_with(')') {
        return None;
    }
    let (alias, changed) = function_placeholders(&format!("{t_head}/{t_last}{args}"));
    // Only when every argument became a placeholder: a literal value would tie the client to it.
    let count = args.trim_start_matches('(').trim_end_matches(')').split(',').count();
    if changed.len() != count {
        return None;
    }
    match_with_aliases(&alias, path).map(|_| alias)
}

/// `{template}/microsoft.graph.x` when `path` is a declared template's path followed by a type cast.
fn cast_alias(templates: &[String], path: &str) -> Option<String> {
    let (base, last) = path.rsplit_once('/')?;
    let name = last.strip_prefix("microsoft.graph.")?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let template = templates.iter().find(|t| match_with_aliases(t, base).is_some())?;
    Some(format!("{template}/{last}"))
}

/// A template's form that `path` matches once a drive or the signed-in user is named the other way
/// Graph also accepts: `/drive` or `/me/drive` for `/me/drive`, `/users/{id}/drive` or
/// `/drives/{id}`, `root` for `items/{id}` after it (the drive's root item), `/users/{id}` for `/me`
/// and `/education/me` for `/education/users/{id}`.
fn alias_form(templates: &[String], path: &str) -> Option<String> {
    // What follows the drive in `t`, when `t` starts by naming one.
    let drive_rest = |t: &str| -> Option<String> {
        let lower = t.to_ascii_lowercase();
        let after_key = || t.find('}').map(|close| close + 1);
        let rest_at = if lower.starts_with("/me/drive") {
            "/me/drive".len()
        } else if lower.starts_with("/drives/{") {
            after_key()?
        } else if lower.starts_with("/users/{") {
            let close = after_key()?;
            lower.get(close..)?.starts_with("/drive").then_some(close + "/drive".len())?
        } else {
            return None;
        };
        let rest = t.get(rest_at..)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| rest.to_owned())
    };
    let root = |t: &str| -> Option<String> {
        let lower = t.to_ascii_lowercase();
        let at = lower.find("/items/{")?;
        if !lower.get(..at)?.contains("drive") {
            return None;
        }
        let close = at + t.get(at..)?.find('}')?;
        Some(format!("{}/root{}", t.get(..at)?, t.get(close + 1..)?))
    };
    // The signed-in user the other way round: `/users/{id}/memberOf` where only `/me/memberOf` is
    // declared; `/education/me` for `/education/users/{id}`.
    let user = |t: &str| -> Option<String> {
        let lower = t.to_ascii_lowercase();
        if lower == "/me" || lower.starts_with("/me/") {
            return Some(format!("/users/{{id}}{}", t.get(3..)?));
        }
        if !lower.starts_with("/education/users/{") {
            return None;
        }
        let close = t.find('}')?;
        Some(format!("/education/me{}", t.get(close + 1..)?))
    };
    templates.iter().find_map(|t| {
        let drives: Vec<String> = drive_rest(t).map_or_else(Vec::new, |rest| vec![format!("/drive{rest}"), format!("/me/drive{rest}")]);
        let roots: Vec<String> = std::iter::once(t.as_str()).chain(drives.iter().map(String::as_str)).filter_map(root).collect();
        let mut candidates = drives;
        candidates.extend(roots);
        candidates.extend(user(t));
        candidates.into_iter().find(|c| c != t && match_with_aliases(c, path).is_some())
    })
}

/// `/me{rest}` when `path` reads `/me` where `template` says `/users/{id}`.
fn me_alias(template: &str, path: &str) -> Option<String> {
    let direct = |p: &str| crate::paths::match_template(template, p).is_some();
    if !template.to_ascii_lowercase().starts_with("/users/{") || direct(path) || direct(&graphdoc_runtime::key_segments(path)) {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower != "/me" && !lower.starts_with("/me/") {
        return None;
    }
    let close = template.find('}')?;
    Some(format!("/me{}", template.get(close + 1..)?))
}

/// Check bodies and statuses of one operation's examples.
pub(crate) fn check_examples(types: &TypeIndex<'_>, op: &Operation, report: &mut Report, obs: &mut Observations) {
    let promised = op.responses.first();
    // A request to another host is not this operation's (said once, by `place_examples`).
    for example in op.examples.iter().filter(|e| e.request.is_to_graph()) {
        check_request(types, op, example, report, obs);
        let Some(response) = &example.response else {
            report.at(
                Code::ExampleNoResponse,
                &example.request.source,
                "this example request has no response after it",
                "add the response the request gets, in an `http` fence after the request",
            );
            continue;
        };
        if let Some(p) = promised.filter(|p| p.status != response.status) {
            report.at(
                Code::ResponseStatusMismatch,
                &response.source,
                format!("the page promises `{}`, the example responds `{}`", p.status, response.status),
                format!("make the prose at {} and the example's status line agree", p.source.location()),
            );
        }
        let declared = op.response_for(response.status);
        let expected = declared.and_then(|r| r.body.clone());
        let Some(body) = &response.body else {
            let text = response.body_at.as_ref().map_or("", |b| b.text.trim());
            let json_like = text.starts_with(['{', '[']);
            let answered = (200..300).contains(&response.status);
            if let Some(t) = expected.as_ref().filter(|t| answered && !json_like && !t.is_stream()) {
                let what = if text.is_empty() { "no body" } else { "a body that is not JSON" };
                report.at(
                    Code::ExampleBodyShape,
                    &response.source,
                    format!("the example returns {what}, but `{}` documents a `{}` response", op.id, t.name),
                    "add the JSON body the service returns, or say in the Response section that there is none",
                );
            }
            continue;
        };
        let Some(expected) = expected else {
            if declared.is_some() {
                report.at(
                    Code::ExampleBodyShape,
                    &response.source,
                    format!("the example returns a body, but `{}` documents no response type", op.id),
                    "name the returned type in the Response section, or remove the body",
                );
            }
            continue;
        };
        // A stream is any bytes: JSON in it (a report asked for with `$format=application/json`,
        // base64 in `{"value": ...}`) is not checked against a type.
        if expected.is_stream() {
            continue;
        }
        let mut c = Checker::new(types, report, obs, &response.source, response.body_at.as_ref());
        c.response(&expected, body);
    }
}

fn check_request(types: &TypeIndex<'_>, op: &Operation, example: &Example, report: &mut Report, obs: &mut Observations) {
    let Some(body) = &example.request.body else {
        let documented = !matches!(op.request_body, RequestBody::None);
        let text_body = example.request.body_at.as_ref().is_some_and(|b| !b.text.trim().is_empty());
        let raw = matches!(&op.request_body, RequestBody::Type(t) if t.is_stream());
        let json_like = example.request.body_at.as_ref().is_some_and(|b| b.text.trim_start().starts_with(['{', '[']));
        if documented && text_body && !json_like && !raw {
            report.at(
                Code::ExampleBodyShape,
                &example.request.source,
                format!("the example sends a body that is not JSON, but `{}` documents a JSON one", op.id),
                "send the JSON body the Request body section documents, or document this other form",
            );
        }
        // Whatever the method: the client's method takes the documented body, so it cannot send none.
        if documented && !text_body {
            report.at(
                Code::ExampleBodyShape,
                &example.request.source,
                format!("the example sends no body, but `{}` documents one", op.id),
                "add the request body to the example, or say in the Request body section that there is none",
            );
        }
        return;
    };
    let mut c = Checker::new(types, report, obs, &example.request.source, example.request.body_at.as_ref());
    match &op.request_body {
        RequestBody::Type(t) => {
            c.value_at(t, body, "");
            let creates = matches!(op.method.as_str(), "POST" | "PUT");
            if let (true, false, Value::Object(map)) = (creates, example.request.truncated, body) {
                c.required(t, map);
            }
        }
        RequestBody::Parameters { parameters } => {
            let Value::Object(map) = body else {
                c.diag(Code::ExampleBodyShape, "", "the request body should be a JSON object of parameters".to_owned());
                return;
            };
            for (k, v) in map {
                if k.contains('@') {
                    continue;
                }
                match parameters.iter().find(|p| &p.name == k) {
                    Some(p) => c.value(&p.type_name, p.collection, v, &mut format!("/{k}"), 1),
                    None => c.diag(
                        Code::ExampleUnknownProperty,
                        k,
                        format!("`/{k}` is not a parameter of `{}`", op.id),
                    ),
                }
            }
        }
        RequestBody::None => c.diag(
            Code::ExampleBodyShape,
            "",
            format!("the example sends a body, but `{}` documents none", op.id),
        ),
        RequestBody::Reference => {
            if !body.get("@odata.id").is_some_and(Value::is_string) {
                c.diag(
                    Code::ExampleBodyShape,
                    "",
                    format!("`{}` takes a reference, `{{\"@odata.id\": \"<url>\"}}`, but the example sends something else", op.id),
                );
            }
        }
    }
}

/// Most JSON levels checked: examples are small; deeper input is not worth the time.
const MAX_DEPTH: usize = 16;

struct Checker<'a> {
    types: &'a TypeIndex<'a>,
    report: &'a mut Report,
    obs: &'a mut Observations,
    source: &'a Source,
    at: Option<&'a BodyAt>,
}

impl<'a> Checker<'a> {
    fn new(
        types: &'a TypeIndex<'a>,
        report: &'a mut Report,
        obs: &'a mut Observations,
        source: &'a Source,
        at: Option<&'a BodyAt>,
    ) -> Self {
        Checker { types, report, obs, source, at }
    }

    fn diag(&mut self, code: Code, key: &str, message: String) {
        let span = match self.at {
            Some(at) if !key.is_empty() => locate_key(&at.text, at.span, key),
            Some(at) => at.span,
            None => self.source.span,
        };
        let help = match code {
            Code::ExampleUnknownProperty => "add the property to the type's property table, or remove it from the example",
            Code::ExampleUnknownType => "name a type the docs define, or add a page for it",
            Code::ExampleMissingRequired => "add the property to the example, or mark the example `\"truncated\": true`",
            Code::ExampleBodyShape => "make the example's JSON shape match the documented type",
            Code::ExampleValueEnvelope => "return the entity itself, not `{\"value\": ...}`",
            Code::ExampleValueFormat => "write a value in the type's format, not a placeholder such as `id-value`",
            _ => "make the example value fit the documented type",
        };
        self.report.at_span(code, &self.source.file, span, message, help);
    }

    fn response(&mut self, expected: &TypeRef, body: &Value) {
        let Value::Object(map) = body else {
            self.value_at(expected, body, "");
            return;
        };
        let value = map.get("value");
        let only_value = value_envelope(body).is_some();
        let primitive = Primitive::lookup(&expected.name).is_some();
        match (expected.collection, value) {
            (true, Some(v)) => self.value_at(expected, v, "/value"),
            // OData answers a single primitive as `{"value": ...}`.
            (false, Some(inner)) if primitive && only_value => self.value_at(expected, inner, "/value"),
            (true, None) => self.diag(
                Code::ExampleBodyShape,
                "",
                format!("a collection of `{}` is documented, but the body has no `value` array", expected.name),
            ),
            (false, Some(inner @ Value::Object(_))) if only_value && !self.has_property(&expected.name, "value") => {
                self.diag(
                    Code::ExampleValueEnvelope,
                    "value",
                    format!("a single `{}` is documented, but the example wraps it in `value`", expected.name),
                );
                self.value_at(expected, inner, "/value");
            }
            (false, Some(Value::Array(_))) if only_value && !self.has_property(&expected.name, "value") => self.diag(
                Code::ExampleBodyShape,
                "value",
                format!("a single `{}` is documented, but the example returns a `value` array", expected.name),
            ),
            _ => self.value_at(expected, body, ""),
        }
    }

    fn has_property(&self, type_name: &str, prop: &str) -> bool {
        self.types.properties(type_name).iter().any(|p| p.name == prop)
    }

    /// Check `v`, found at `pointer` in the body, against `t`.
    fn value_at(&mut self, t: &TypeRef, v: &Value, pointer: &str) {
        self.value(&t.name, t.collection, v, &mut pointer.to_owned(), 0);
    }

    /// Check `v` against `name` (an array of them when `collection`). `pointer` is where `v` is;
    /// one buffer serves the whole walk, each level adding its step and taking it off again.
    fn value(&mut self, name: &str, collection: bool, v: &Value, pointer: &mut String, depth: usize) {
        if depth > MAX_DEPTH || v.is_null() {
            return;
        }
        if collection {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = pointer.len();
                        let _ = write!(pointer, "/{i}");
                        self.value(name, false, item, pointer, depth + 1);
                        pointer.truncate(len);
                    }
                }
                _ => self.diag(
                    Code::ExampleBodyShape,
                    last_key(pointer),
                    format!("`{}` should be an array of `{name}`", display(pointer)),
                ),
            }
            return;
        }
        if let Some((p, _)) = Primitive::lookup(name) {
            if let Some(expected) = misfit(p, v) {
                let code = if v.is_string() && is_formatted_string(p) { Code::ExampleValueFormat } else { Code::ExampleValueType };
                self.diag(
                    code,
                    last_key(pointer),
                    format!("`{}` is `{}`, but `{}` is {expected}", display(pointer), short(v), p.name()),
                );
            }
            return;
        }
        // A name that is both a type and an enum (it happens) is read as the defined type.
        let def = self.types.type_def(name);
        let is_type = def.is_some_and(|d| d.kind != TypeKind::Open);
        if let Some(e) = self.types.enum_def(name).filter(|_| !is_type) {
            match v.as_str() {
                Some(s) => {
                    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        if !e.members.iter().any(|m| m.name == part) {
                            self.obs.enum_values.push((e.name.clone(), part.to_owned()));
                        }
                    }
                }
                None => self.diag(
                    Code::ExampleValueType,
                    last_key(pointer),
                    format!("`{}` is `{}`, but enum `{}` values are strings", display(pointer), short(v), e.name),
                ),
            }
            return;
        }
        match v {
            Value::Object(map) => self.object(name, map, pointer, depth),
            _ => {
                // An open type is still an object to a client: a string there does not decode.
                let kind = def.map(|d| d.kind);
                let what = if kind == Some(TypeKind::Open) { "an open type, read as an object" } else { "an object type" };
                if kind.is_some() {
                    self.diag(
                        Code::ExampleValueType,
                        last_key(pointer),
                        format!("`{}` is `{}`, but `{name}` is {what}", display(pointer), short(v)),
                    );
                }
            }
        }
    }

    fn object(&mut self, expected: &str, map: &Map<String, Value>, pointer: &mut String, depth: usize) {
        let types = self.types;
        let mut actual = bare_name(expected);
        if let Some(odata) = map.get("@odata.type").and_then(Value::as_str) {
            let named = bare_name(odata);
            if types.type_def(named).is_none() && types.enum_def(named).is_none() {
                self.diag(
                    Code::ExampleUnknownType,
                    "@odata.type",
                    format!("`{pointer}/@odata.type` names `{named}`, a type no page defines"),
                );
                // Its properties are unknown too; reporting each of them would say the same thing again.
                return;
            } else if cmp_names(named, expected).is_ne() {
                self.obs.derived.push((type_name(expected), named.to_owned()));
                actual = named;
            }
        }
        let Some(def) = types.type_def(actual) else { return };
        let open = def.kind == TypeKind::Open;
        let props = types.properties(actual);
        // An `@odata.type` in place of the expected type may still carry the expected type's properties.
        let expected_props = if cmp_names(actual, expected).is_ne() { types.properties(expected) } else { &[] };
        for (k, v) in map {
            if k.contains('@') {
                continue;
            }
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(k);
            match props.iter().chain(expected_props).find(|p| &p.name == k) {
                Some(p) => self.value(&p.type_name, p.collection, v, pointer, depth + 1),
                None if !open => self.diag(
                    Code::ExampleUnknownProperty,
                    k,
                    format!("`{pointer}` is not a property of `{}`", def.name),
                ),
                None => {}
            }
            pointer.truncate(len);
        }
    }

    fn required(&mut self, t: &TypeRef, map: &Map<String, Value>) {
        let missing: Vec<String> = self
            .types
            .properties(&t.name)
            .iter()
            .filter(|p| p.required && !p.read_only && !map.contains_key(&p.name))
            .map(|p| p.name.clone())
            .collect();
        for name in missing {
            self.diag(
                Code::ExampleMissingRequired,
                "",
                format!("required property `{name}` of `{}` is missing from the example", t.name),
            );
        }
    }
}

fn last_key(pointer: &str) -> &str {
    pointer
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_default()
}

fn display(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the body"
    } else {
        pointer
    }
}


fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s,
    }
}
