//! Every documented example as a data file under `tests/fixtures/`, and a test per example that
//! round-trips its typed bodies (stage 4 replays them over HTTP).

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;
use std::collections::BTreeMap;

use graphdoc_model::{ApiModel, Example, Operation};

use crate::models::TypeMap;
use crate::requests::Chain;
use crate::naming::{snake_name, Namer};
use crate::layout::{fits_as_written, print_line, push_line, WIDTH};
use crate::rust_type::RustType;
use crate::tokens::{ident, ident_str, into_ident, push_elements, push_indent, items_file_tallied, string_literal};
use rayon::prelude::*;

/// How many tests were generated, and how many examples they replay over HTTP.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Tests generated.
    pub tests: usize,
    /// Examples replayed against a loopback server.
    pub replayed: usize,
    /// Examples neither replayed nor explained by a model diagnostic (expected: 0).
    pub unexplained: usize,
}

/// Every documented example with the unique name of its fixture, in the order of the tests' file.
pub struct Examples<'m> {
    jobs: Vec<(&'m Operation, &'m Example, String)>,
}

/// Name every example of `model`: each name must be unique across the tests' file.
pub fn examples(model: &ApiModel) -> Examples<'_> {
    let mut namer = Namer::default();
    let mut jobs = Vec::new();
    for op in &model.operations {
        for (n, example) in op.examples.iter().enumerate() {
            jobs.push((op, example, namer.unique(&snake_name(&format!("{}_{}", op.id, n + 1)))));
        }
    }
    Examples { jobs }
}

impl Examples<'_> {
    /// Every example's fixture file: path → JSON text. They need no placement, so they are written
    /// while the request builders are placed.
    pub fn files(&self) -> Result<BTreeMap<String, String>, String> {
        self.jobs
            .par_iter()
            .map(|(op, example, name)| {
                let text = serde_json::to_string_pretty(&fixture_file(op, example)).map_err(|e| format!("fixture {name}: {e}"))?;
                Ok((format!("tests/fixtures/{name}.json"), text + "\n"))
            })
            .collect()
    }

    /// `examples.rs`, the example tests, and what they hold.
    pub fn tests(&self, model: &ApiModel, map: &TypeMap, chains: &BTreeMap<(String, String), Chain>) -> (String, Counts) {
        let head = [
            "Every documented example (`tests/fixtures/`): replayed against a loopback server through",
            "the generated client, and its bodies round-tripped through the generated types.",
        ];
        let (text, tallies) = items_file_tallied(&head, &self.jobs, |(op, example, name), counts: &mut Counts| {
            let path = format!("../tests/fixtures/{name}.json");
            // `operation-duplicate` alone does not block: the first page's method serves the example
            // when it has the same signature (`requests.rs` gave it a chain then).
            let request = request_fn(map, &model.operations, chains, op, example, name);
            let replay = if example.issues.iter().all(|i| i == "operation-duplicate") {
                replay_test(op, example, name, &path, request.as_ref())
            } else {
                None
            };
            // A replay test always calls the request function; the offline check where it builds.
            let mut request_called = replay.is_some();
            let replay = match replay {
                Some(test) => {
                    counts.replayed += 1;
                    Some(test)
                }
                None if !example.issues.is_empty() => Some(not_replayed_test(&example.issues, name, &path)),
                // Every example without issues has a chain and a response, so this is unreachable for
                // models `build_model` makes; counted, never hidden.
                None => {
                    counts.unexplained += 1;
                    None
                }
            };
            // The offline check builds the request only where the example uses the method's own verb.
            let build = request.as_ref().filter(|_| example.request.method == op.method);
            let round_trip = example_test(map, op, example, name, &path, build);
            request_called |= build.is_some() && round_trip.is_some();
            counts.tests += usize::from(replay.is_some()) + usize::from(round_trip.is_some());
            // The function is written only where a test calls it: an unused one would be a warning.
            let request = request.filter(|_| request_called).map(|r| r.item);
            let mut text = request.unwrap_or_default();
            text.extend(replay);
            text.extend(round_trip);
            text
        });
        let mut counts = Counts::default();
        for tally in tallies {
            counts.tests += tally.tests;
            counts.replayed += tally.replayed;
            counts.unexplained += tally.unexplained;
        }
        (text, counts)
    }
}

/// The `include_str!` of a fixture as an element of a broken list at `indent`, and what follows
/// it on its line (`,` or nothing): on one line when it fits, else its path on a line of its own.
fn push_include(out: &mut String, indent: usize, path: &str, after: &str) {
    let literal = string_literal(path);
    push_indent(out, indent);
    // A column after the element is kept free, as after any group's tail.
    if indent + "include_str!()".len() + literal.len() < WIDTH {
        out.push_str("include_str!(");
        out.push_str(&literal);
        out.push(')');
    } else {
        out.push_str("include_str!(\n");
        push_indent(out, indent + 4);
        out.push_str(&literal);
        out.push('\n');
        push_indent(out, indent);
        out.push(')');
    }
    out.push_str(after);
    out.push('\n');
}

/// `#[test] fn name() {`.
fn push_test_head(out: &mut String, name: &str) {
    out.push_str("#[test]\nfn ");
    out.push_str(name);
    out.push_str("() {\n");
}

/// An example that contradicts the model is not skipped in silence: its test asserts the
/// diagnostics that explain why it is not replayed.
fn not_replayed_test(issues: &[String], name: &str, path: &str) -> String {
    let mut out = String::with_capacity(1024);
    push_test_head(&mut out, ident_str(&format!("{name}_not_replayed")));
    out.push_str("    let fixture: ::graphdoc_runtime::serde_json::Value = ::graphdoc_runtime::serde_json::from_str(\n");
    push_include(&mut out, 8, path, "");
    out.push_str(concat!(
        "    ).unwrap_or_else(|e| panic!(\"fixture: {e}\"));\n",
        "    let issues: ::std::vec::Vec<&str> = fixture[\"issues\"]\n",
        "        .as_array()\n",
        "        .into_iter()\n",
        "        .flatten()\n",
        "        .filter_map(|v| v.as_str())\n",
        "        .collect();\n",
    ));
    // Only the model's own codes: a test that asserted something else would not be honest.
    for issue in issues {
        let code = string_literal(issue);
        let because = "\"the example is not replayed because of `{}`\"";
        let whole = format!("assert!(issues.contains(&{code}), {because}, {code});");
        if fits_as_written(4, whole.len()) {
            out.push_str("    ");
            out.push_str(&whole);
            out.push('\n');
        } else if 4 + whole.len() > WIDTH && fits_as_written(8, "issues.contains(&),".len() + code.len()) {
            // A macro's arguments keep their commas as written: none after the last.
            out.push_str(&format!("    assert!(\n        issues.contains(&{code}),\n        {because},\n        {code}\n    );\n"));
        } else {
            out.push_str(&print_line(
                quote! { assert!(issues.contains(&#issue), "the example is not replayed because of `{}`", #issue); },
                4,
            ));
        }
    }
    out.push_str("}\n");
    out
}

/// A call of the runtime's `function` with `arguments` (one a line, `include_str!` of the fixture
/// first), whose error panics: the one statement of each example test. Each argument is its text
/// on one line, and its lines at indent 8 where it does not fit there (`&[...]` of body checks).
/// Always wider than a line in practice; `tokens` lays out one that is not.
fn push_runtime_call(out: &mut String, function: &str, path: &str, arguments: &[(String, Option<String>)], tokens: impl FnOnce() -> TokenStream) {
    let include = format!("include_str!({})", string_literal(path));
    let flat: Vec<&str> = arguments.iter().map(|(a, _)| a.as_str()).collect();
    let whole = format!("{function}({include}, {}).unwrap_or_else(|e| panic!(\"{{e}}\"));", flat.join(", "));
    // The arguments fit when the line does, with a column to spare (`layout`'s tail).
    if 4 + whole.len() <= WIDTH {
        out.push_str(&print_line(tokens(), 4));
        return;
    }
    out.push_str("    ");
    out.push_str(function);
    out.push_str("(\n");
    push_include(out, 8, path, ",");
    for (argument, lines) in arguments {
        match lines {
            Some(lines) => out.push_str(lines),
            None => {
                out.push_str("        ");
                out.push_str(argument);
            }
        }
        out.push_str(",\n");
    }
    out.push_str("    ).unwrap_or_else(|e| panic!(\"{e}\"));\n");
}

/// Replay the example: a loopback server answers the documented request with the documented
/// response; the generated client sends it and the typed result must equal the documented body.
fn replay_test(op: &Operation, e: &Example, name: &str, path: &str, request: Option<&RequestFn>) -> Option<String> {
    let response = e.response.as_ref()?;
    let request = request?;
    let build = &request.name;
    // The server expects the documented body exactly: the method must send it, or none.
    if !request.typed_body && e.request.body.is_some() {
        return None;
    }
    let typed_body = op.response_for(response.status).and_then(|r| r.body.as_ref()).is_some();
    let test = into_ident(format!("{name}_replay"));
    // One call into the runtime with function pointers: an `async` test per example made the test
    // build of the beta client take ten minutes and 11 GB.
    let mut out = String::with_capacity(512);
    push_test_head(&mut out, &test);
    let arguments = ["crate::Client::from_runtime".to_owned(), build.clone(), typed_body.to_string()].map(|a| (a, None));
    push_runtime_call(&mut out, "::graphdoc_runtime::testing::replay::run", path, &arguments, || {
        let build = ident(build);
        quote! {
            ::graphdoc_runtime::testing::replay::run(include_str!(#path), crate::Client::from_runtime, #build, #typed_body)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    });
    out.push_str("}\n");
    Some(out)
}

/// The function that builds an example's request through the generated client: written once, and
/// called by both the replay test and the offline check (two closures of the same text compiled
/// twice before).
struct RequestFn {
    /// `<example>_request`.
    name: String,
    /// The `fn` item, as `layout` prints it.
    item: String,
    /// Whether it sends the documented body, typed.
    typed_body: bool,
}

/// `e`'s [`RequestFn`]. `None` where the example's URL matches no declared path, or the method
/// takes a body the example does not give.
fn request_fn(
    map: &TypeMap,
    operations: &[Operation],
    chains: &BTreeMap<(String, String), Chain>,
    op: &Operation,
    e: &Example,
    example: &str,
) -> Option<RequestFn> {
    let chain = e.path_template.as_ref().and_then(|t| chains.get(&(op.id.clone(), t.clone())))?;
    // The method called may be another page's (a duplicate with the same signature): its body and
    // response types.
    let called = operations.get(chain.owner).unwrap_or(op);
    let body = match (map.request_body(called), &e.request.body) {
        (Some(ty), Some(_)) => Some(ty),
        (Some(_), None) => return None,
        (None, _) => None,
    };
    let name = into_ident(format!("{example}_request"));
    let response = map.response(called);
    let calls = chain_calls(chain, e);
    let method = into_ident(crate::naming::ident_text(&chain.method));
    let item = request_fn_text(&name, &response, body.as_ref(), &calls, &method);
    Some(RequestFn { name, item, typed_body: body.is_some() })
}

/// The text of a [`RequestFn`]: `body` is the request body's type where it sends one, `calls` the
/// builder methods from the client (`.users()`, `.by_id("1")`), `method` the operation's.
fn request_fn_text(name: &str, response: &RustType, body: Option<&RustType>, calls: &[(String, Vec<String>)], method: &str) -> String {
    let fixture = if body.is_some() { "fixture" } else { "_fixture" };
    let mut out = String::with_capacity(1024);
    let flat_response = response.flat();
    let flat_body = body.map(RustType::flat);
    let head = match (&flat_response, &flat_body) {
        (Some(response), None | Some(Some(_))) => request_fn_head(name, fixture, response),
        _ => None,
    };
    let Some(head) = head else {
        let tokens = request_fn_tokens(name, &response.tokens(), body.map(RustType::tokens).as_ref(), calls, method);
        return print_line(tokens, 0);
    };
    out.push_str(&head);
    if let (Some(ty), Some(Some(flat))) = (body, &flat_body) {
        let statement = format!("let body: {flat} = ::graphdoc_runtime::testing::example::body(fixture)?;");
        push_line(&mut out, 4, &statement, || {
            let ty = ty.tokens();
            quote! { let body: #ty = ::graphdoc_runtime::testing::example::body(fixture)?; }
        });
    }
    let argument = if body.is_some() { "&body" } else { "" };
    let mut calls_text: Vec<String> = calls.iter().map(call_text).collect();
    calls_text.push(format!(".{method}({argument})"));
    let built = format!("client{}", calls_text.concat());
    let statement = format!("::std::result::Result::Ok({built})");
    if 4 + statement.len() < WIDTH {
        out.push_str("    ");
        out.push_str(&statement);
        out.push('\n');
    } else if 8 + built.len() < WIDTH {
        out.push_str("    ::std::result::Result::Ok(\n        ");
        out.push_str(&built);
        out.push_str("\n    )\n");
    } else if calls_text.len() >= 2 && calls_text.iter().all(|c| 12 + c.len() < WIDTH) {
        // One call a line: the client is not one.
        out.push_str("    ::std::result::Result::Ok(\n        client\n");
        for call in &calls_text {
            out.push_str("            ");
            out.push_str(call);
            out.push('\n');
        }
        out.push_str("    )\n");
    } else {
        let tokens = request_fn_tokens(name, &response.tokens(), body.map(RustType::tokens).as_ref(), calls, method);
        return print_line(tokens, 0);
    }
    out.push_str("}\n");
    out
}

/// A [`RequestFn`]'s signature as `layout` breaks it (always over the width), or `None` where it
/// would break it otherwise (a name too long for `<'c>`, a response type too long for a line).
fn request_fn_head(name: &str, fixture: &str, response: &str) -> Option<String> {
    if !fits_as_written(0, format!("fn {name}<'c>(").len()) {
        return None;
    }
    let request = format!("::graphdoc_runtime::Request<'c, {response}>");
    let mut out = format!("fn {name}<'c>(\n    client: &'c crate::Client,\n    {fixture}: &::graphdoc_runtime::serde_json::Value,\n");
    let rest = format!(") -> ::std::result::Result<{request}, ::std::string::String> {{");
    if rest.len() <= WIDTH {
        out.push_str(&rest);
        out.push('\n');
        return Some(out);
    }
    out.push_str(") -> ::std::result::Result<\n");
    if fits_as_written(4, request.len()) {
        out.push_str("    ");
        out.push_str(&request);
        out.push_str(",\n");
    } else {
        if !fits_as_written(8, response.len()) {
            return None;
        }
        out.push_str("    ::graphdoc_runtime::Request<\n");
        push_elements(&mut out, 8, &["'c", response], true);
        out.push_str("    >,\n");
    }
    out.push_str("    ::std::string::String,\n> {\n");
    Some(out)
}

/// A [`RequestFn`]'s tokens, for `layout` to print where the text is not written directly.
fn request_fn_tokens(name: &str, response: &TokenStream, body: Option<&TokenStream>, calls: &[(String, Vec<String>)], method: &str) -> TokenStream {
    let name = ident(name);
    let op_method = ident(method);
    let calls = calls.iter().map(call_tokens);
    let (fixture, build) = match body {
        Some(ty) => (
            quote! { fixture },
            quote! {
                let body: #ty = ::graphdoc_runtime::testing::example::body(fixture)?;
                ::std::result::Result::Ok(client #( #calls )* .#op_method(&body))
            },
        ),
        None => (quote! { _fixture }, quote! { ::std::result::Result::Ok(client #( #calls )* .#op_method()) }),
    };
    quote! {
        fn #name<'c>(
            client: &'c crate::Client,
            #fixture: &::graphdoc_runtime::serde_json::Value,
        ) -> ::std::result::Result<::graphdoc_runtime::Request<'c, #response>, ::std::string::String> {
            #build
        }
    }
}

/// The builder calls from the client to the example's operation: each method and the example's
/// values for its placeholders.
fn chain_calls(chain: &Chain, e: &Example) -> Vec<(String, Vec<String>)> {
    chain
        .calls(Some(&e.path_values))
        .into_iter()
        .map(|(method, args)| {
            let m = into_ident(crate::naming::ident_text(method));
            (m, args.into_iter().map(|(_, value)| value.cloned().unwrap_or_default()).collect())
        })
        .collect()
}

/// A chain call as `layout` prints it on one line: `.by_id("1")`.
fn call_text((method, values): &(String, Vec<String>)) -> String {
    let values: Vec<String> = values.iter().map(|v| string_literal(v)).collect();
    format!(".{method}({})", values.join(", "))
}

fn call_tokens((method, values): &(String, Vec<String>)) -> TokenStream {
    let m = ident(method);
    quote! { .#m( #( #values ),* ) }
}

/// An example's fixture file, borrowed from the model: building a `serde_json::Value` of it copied
/// every body first.
#[derive(Serialize)]
struct FixtureFile<'a> {
    operation: &'a str,
    example: &'a str,
    source: String,
    request: FixtureRequest<'a>,
    response: Option<FixtureResponse<'a>>,
    truncated: bool,
    issues: &'a [String],
}

#[derive(Serialize)]
struct FixtureRequest<'a> {
    method: &'a str,
    path: &'a str,
    path_template: &'a Option<String>,
    path_values: &'a BTreeMap<String, String>,
    query: &'a Option<String>,
    /// `[name, value]` each.
    headers: &'a [(String, String)],
    body: &'a Option<serde_json::Value>,
}

#[derive(Serialize)]
struct FixtureResponse<'a> {
    status: u16,
    headers: &'a [(String, String)],
    body: &'a Option<serde_json::Value>,
}

fn fixture_file<'a>(op: &'a Operation, e: &'a Example) -> FixtureFile<'a> {
    FixtureFile {
        operation: &op.id,
        example: &e.name,
        source: format!("{}:{}", e.request.source.file, e.request.source.line),
        request: FixtureRequest {
            method: &e.request.method,
            path: &e.request.path,
            path_template: &e.path_template,
            path_values: &e.path_values,
            query: &e.request.query,
            headers: &e.request.headers,
            body: &e.request.body,
        },
        response: e.response.as_ref().map(|r| FixtureResponse { status: r.status, headers: &r.headers, body: &r.body }),
        truncated: e.truncated,
        issues: &e.issues,
    }
}

/// The offline check of an example: it builds the request with `build` when given.
fn example_test(map: &TypeMap, op: &Operation, e: &Example, name: &str, path: &str, build: Option<&RequestFn>) -> Option<String> {
    // Bodies that contradict their type would fail the round trip for the docs' sake, not ours.
    let bodies_contradict = e
        .issues
        .iter()
        .any(|i| matches!(i.as_str(), "example-value-type" | "example-body-shape" | "json-invalid"));
    if bodies_contradict {
        return None;
    }
    // (check function, the type it checks a body against) of each body.
    let mut bodies: Vec<(&str, RustType)> = Vec::new();
    if let (Some(ty), Some(_)) = (map.request_body(op), &e.request.body) {
        bodies.push(("request_body", ty));
    }
    if let Some(r) = &e.response {
        let documented = op.responses.iter().find(|x| x.status == r.status).and_then(|x| x.body.as_ref());
        // A stream is bytes, not JSON to type.
        if let (Some(t), Some(_)) = (documented.filter(|t| !t.is_stream()), &r.body) {
            let ty = if t.collection {
                map.value_type(&t.name, false).within("::graphdoc_runtime::Collection")
            } else {
                map.of(t, false)
            };
            let check = if !t.collection && graphdoc_page::Primitive::lookup(&t.name).is_some() { "primitive_response_body" } else { "response_body" };
            bodies.push((check, ty));
        }
    }
    if build.is_none() && bodies.is_empty() {
        return None;
    }
    Some(example_check_text(ident_str(name), path, build, &bodies))
}

/// An example's offline check: with the request function `build` when given, and `bodies`
/// (check function, type) each.
fn example_check_text(test: &str, path: &str, build: Option<&RequestFn>, bodies: &[(&str, RustType)]) -> String {
    let (function, arguments) = match build {
        Some(RequestFn { name: request, typed_body, .. }) => (
            "::graphdoc_runtime::testing::example::check",
            vec![("crate::Client::from_runtime".to_owned(), None), (request.clone(), None), (typed_body.to_string(), None)],
        ),
        None => ("::graphdoc_runtime::testing::example::bodies", Vec::new()),
    };
    let tokens = || {
        let bodies = bodies.iter().map(|(check, ty)| {
            let (check, ty) = (ident(check), ty.tokens());
            quote! { ::graphdoc_runtime::testing::example::#check::<#ty> }
        });
        let bodies = quote! { &[#( #bodies ),*] };
        match build {
            Some(RequestFn { name: request, typed_body, .. }) => {
                let request = ident(request);
                quote! {
                    ::graphdoc_runtime::testing::example::check(include_str!(#path), crate::Client::from_runtime, #request, #typed_body, #bodies)
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
            None => quote! {
                ::graphdoc_runtime::testing::example::bodies(include_str!(#path), #bodies).unwrap_or_else(|e| panic!("{e}"));
            },
        }
    };
    let mut out = String::with_capacity(1024);
    push_test_head(&mut out, test);
    match bodies_text(bodies) {
        Some(checks) => {
            let mut arguments = arguments;
            arguments.push(checks);
            push_runtime_call(&mut out, function, path, &arguments, tokens);
        }
        None => out.push_str(&print_line(tokens(), 4)),
    }
    out.push_str("}\n");
    out
}

/// The `&[...]` of an example test's body checks: on one line, and its lines at indent 8 where
/// that does not fit (one check a line, a check's type on a line of its own where the check does
/// not fit either). `None` where a type is not a plain path, or too long for a line of its own.
fn bodies_text(bodies: &[(&str, RustType)]) -> Option<(String, Option<String>)> {
    let types = bodies.iter().map(|(_, ty)| ty.flat()).collect::<Option<Vec<String>>>()?;
    let checks: Vec<String> =
        bodies.iter().zip(&types).map(|((check, _), ty)| format!("::graphdoc_runtime::testing::example::{check}::<{ty}>")).collect();
    let flat = format!("&[{}]", checks.join(", "));
    // A column after the element is kept free, as after any group's tail.
    if 8 + flat.len() < WIDTH {
        return Some((flat, None));
    }
    let mut lines = String::from("        &[\n");
    for ((check, (name, _)), ty) in checks.iter().zip(bodies).zip(&types) {
        if fits_as_written(12, check.len()) {
            lines.push_str("            ");
            lines.push_str(check);
        } else if fits_as_written(16, ty.len() + 1) {
            lines.push_str(&format!("            ::graphdoc_runtime::testing::example::{name}::<\n                {ty},\n            >"));
        } else {
            return None;
        }
        // `[x]` is never made `[x,]`.
        if checks.len() > 1 {
            lines.push(',');
        }
        lines.push('\n');
    }
    lines.push_str("        ]");
    Some((flat, Some(lines)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::print_file;

    fn model(name: &str) -> RustType {
        RustType::model(name)
    }

    /// Text written directly is what `layout` prints of the tokens it stands for. (Lexing the text
    /// itself is not enough: the comma a broken list gains makes it a column wider.) Each length
    /// that decides a break is taken one column at a time.
    #[test]
    fn request_functions_are_what_layout_prints() {
        let check = |name: &str, response: &RustType, body: Option<&RustType>, calls: &[(String, Vec<String>)]| {
            let text = request_fn_text(name, response, body, calls, "get");
            let tokens = request_fn_tokens(name, &response.tokens(), body.map(RustType::tokens).as_ref(), calls, "get");
            assert_eq!(text, print_file(tokens));
        };
        let segment = |m: &str, values: &[&str]| (m.to_owned(), values.iter().map(|v| v.to_string()).collect::<Vec<_>>());
        let no_content = RustType::path("::graphdoc_runtime::NoContent");
        let body = model("AccessPackage");
        // The response type's length decides the signature's breaks, the name's `<'c>`.
        for n in 1..=110 {
            let name = format!("a{}", "b".repeat(n));
            let response = model(&"L".repeat(n)).within("::graphdoc_runtime::Collection");
            for body in [None, Some(&body), Some(&response)] {
                check(&name, &response, body, &[segment("users", &[])]);
            }
            check(&name, &model("A").slice(), None, &[]);
            // A response short enough for the signature's last line.
            check("f", &RustType::Path("R".repeat(n).into()), None, &[]);
            check("f", &no_content, Some(&model("A").slice()), &[]);
        }
        // The chain's length decides the body's: one line, the chain on a line of its own, one
        // call a line, or a value too long for a line.
        for n in 0..=110 {
            let value = "v".repeat(n);
            let chains = [
                vec![segment("users", &[]), segment("by_id", &[&value])],
                vec![segment("a", &["x\"y", &value])],
                vec![segment("identity_governance", &[]), segment("entitlement_management", &[]), segment("by_id", &[&value])],
            ];
            for calls in &chains {
                for body in [None, Some(&body)] {
                    check("f", &no_content, body, calls);
                }
            }
        }
    }

    #[test]
    fn example_tests_are_what_layout_prints() {
        for n in 1..=110 {
            let name = format!("a{}", "b".repeat(n - 1));
            // The fixture's path decides whether `include_str!` breaks; a type's length whether
            // the body checks do, and how.
            let path = format!("../tests/fixtures/{name}.json");
            let body_sets: [Vec<(&str, RustType)>; 5] = [
                vec![],
                vec![("response_body", model("AccessPackage"))],
                vec![("request_body", model("AccessPackage")), ("response_body", model(&"L".repeat(n)))],
                vec![("request_body", model(&"L".repeat(n)))],
                vec![("primitive_response_body", RustType::path("u8").slice())],
            ];
            let request = format!("{name}_request");
            for bodies in &body_sets {
                for build in [None, Some(RequestFn { name: request.clone(), item: String::new(), typed_body: true })] {
                    if build.is_none() && bodies.is_empty() {
                        continue;
                    }
                    let text = example_check_text("f", &path, build.as_ref(), bodies);
                    let checks = bodies.iter().map(|(check, ty)| {
                        let (check, ty) = (ident(check), ty.tokens());
                        quote! { ::graphdoc_runtime::testing::example::#check::<#ty> }
                    });
                    let reference = match &build {
                        Some(b) => {
                            let request = ident(&b.name);
                            quote! { #[test] fn f() { ::graphdoc_runtime::testing::example::check(include_str!(#path), crate::Client::from_runtime, #request, true, &[#( #checks ),*]).unwrap_or_else(|e| panic!("{e}")); } }
                        }
                        None => quote! { #[test] fn f() { ::graphdoc_runtime::testing::example::bodies(include_str!(#path), &[#( #checks ),*]).unwrap_or_else(|e| panic!("{e}")); } },
                    };
                    assert_eq!(text, print_file(reference));
                }
            }
            let issues = ["example-path-mismatch".to_owned(), "x".repeat(40), "y".repeat(60)];
            let text = not_replayed_test(&issues, &name, &path);
            let test = ident(&format!("{name}_not_replayed"));
            let reference = quote! {
                #[test]
                fn #test() {
                    let fixture: ::graphdoc_runtime::serde_json::Value =
                        ::graphdoc_runtime::serde_json::from_str(include_str!(#path)).unwrap_or_else(|e| panic!("fixture: {e}"));
                    let issues: ::std::vec::Vec<&str> = fixture["issues"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
                    #( assert!(issues.contains(&#issues), "the example is not replayed because of `{}`", #issues); )*
                }
            };
            assert_eq!(text, print_file(reference));
        }
    }
}
