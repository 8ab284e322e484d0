//! Generated code of each seed page (the review surface of a doc change), determinism, and names
//! that would break naive generators.

use std::path::Path;

use graphdoc_model::build_model;
use graphdoc_page::parse_page;
use graphdoc_rust::{generate, Generated, Options};

fn options() -> Options {
    Options {
        crate_name: "graphdoc-client".to_owned(),
        runtime_path: "../../crates/graphdoc-runtime".to_owned(),
        docs_origin: "Generated from test pages.".to_owned(),
        example_tests: true,
    }
}

fn generate_pages(pages: &[(&str, String)]) -> Generated {
    let pages: Vec<_> = pages.iter().map(|(f, t)| parse_page(f, t.as_bytes()).page).collect();
    let (model, _) = build_model(&pages);
    generate(&model, &options()).unwrap_or_else(|e| panic!("{e}"))
}

fn seed(name: &str) -> (&str, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs-input/api").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name, text)
}

fn code(g: &Generated) -> String {
    ["models/src/models.rs", "src/requests.rs", "src/examples.rs"]
        .iter()
        .map(|f| format!("==== {f}\n{}", g.files.get(*f).map(String::as_str).unwrap_or_default()))
        .collect()
}

const SEEDS: &[&str] = &[
    "intune-devicemanagementscriptgroupassignment-update.md",
    "intune-mobileappprovisioningconfiggroupassignment-update.md",
    "intune-grouppolicy-grouppolicyconfigurationassignment-update.md",
    "intune-deviceconfig-deviceconfigurationassignment-update.md",
    "intune-devicemanagementscriptgroupassignment-create.md",
];

#[test]
fn generated_code_of_each_seed() {
    for name in SEEDS {
        let g = generate_pages(&[seed(name)]);
        for (file, text) in &g.files {
            if file.ends_with(".rs") {
                syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {file} does not parse: {e}"));
            }
        }
        insta::assert_snapshot!(name.trim_end_matches(".md"), code(&g));
    }
}

#[test]
fn seed_000_generates_its_type_but_no_operation() {
    let g = generate_pages(&[seed(SEEDS[0])]);
    assert_eq!(g.operations, 0);
    let models = g.files.get("models/src/models.rs").cloned().unwrap_or_default();
    assert!(models.contains("pub struct DeviceManagementScriptGroupAssignment"));
    let requests = g.files.get("src/requests.rs").cloned().unwrap_or_default();
    assert!(!requests.contains("pub fn update"));
}

#[test]
fn a_second_page_for_the_same_method_and_path_replays_through_the_first_pages_method() {
    let (name, text) = seed("intune-devices-devicemanagementscript-get.md");
    let again = text.replace("# Get deviceManagementScript", "# Get deviceManagementScript (again)");
    let g = generate_pages(&[(name, text), ("intune-devices-devicemanagementscript-get-again.md", again)]);
    let requests = g.files.get("src/requests.rs").map(String::as_str).unwrap_or_default();
    assert_eq!(requests.matches("pub fn get(").count(), 1, "one method for both pages");
    let examples = g.files.get("src/examples.rs").map(String::as_str).unwrap_or_default();
    assert_eq!(examples.matches("_replay()").count(), 2, "both pages' examples replay:\n{examples}");
    assert_eq!(g.replayed, 2);
    assert_eq!(g.unexplained, 0);
}

#[test]
fn same_model_same_bytes() {
    let pages: Vec<_> = SEEDS.iter().map(|s| seed(s)).collect();
    let a = generate_pages(&pages);
    let mut reversed = pages.clone();
    reversed.reverse();
    let b = generate_pages(&reversed);
    assert_eq!(a.files, b.files);
}

const HOSTILE: &str = r##"---
title: "Option resource type"
doc_type: resourcePageType
---

# Option resource type

A description with ```rust
fn main() { std::process::exit(1) }
``` and <script>alert(1)</script>, a */ and "# and a `code` span.

## Properties
|Property|Type|Description|
|:---|:---|:---|
|type|String|Keyword.|
|self|String|Cannot be raw.|
|async|Boolean|Keyword.|
|3dModel|String|Starts with a digit.|
|fooBar|String|Collides after conversion.|
|foo_bar|String|Collides after conversion.|
|naïve|String|Non-ASCII.|
|kind|[Result](result.md)|A type named like the prelude.|
|odata_type|String|Named like a generated field.|

## JSON Representation
<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.Option" } -->
```json
{ "type": "String" }
```
"##;

const HOSTILE_ENUM: &str = r##"---
title: "Result enum type"
doc_type: enumPageType
---

# Result enum type

## Members
|Member|Value|Description|
|:---|:---|:---|
|none|0|Lower case.|
|None|1|Upper case.|
|unknown|2|Like the catch-all.|
|1st|3|Digit.|
|self|4|Keyword.|
"##;

#[test]
fn hostile_names_and_descriptions_stay_names_and_docs() {
    let g = generate_pages(&[("resources/option.md", HOSTILE.to_owned()), ("resources/result.md", HOSTILE_ENUM.to_owned())]);
    let models = g.files.get("models/src/models.rs").cloned().unwrap_or_default();
    syn::parse_file(&models).unwrap_or_else(|e| panic!("models.rs does not parse: {e}\n{models}"));
    for expected in [
        "pub struct Option",
        "pub r#type:",
        "pub self_:",
        "pub r#async:",
        "pub n_3d_model:",
        "pub foo_bar:",
        "pub foo_bar_2:",
        "pub odata_type_2:",
        "crate::models::Result",
        "pub enum Result",
        "None,",
        "None2,",
        "Unknown2,",
        "N1st,",
        "SelfValue,",
    ] {
        assert!(models.contains(expected), "missing `{expected}`");
    }
    // The description is doc text only: no fence, no HTML, nothing executable.
    assert!(!models.contains("```rust"));
    assert!(!models.contains("<script>"));
    let code_lines = models.lines().filter(|l| !l.trim_start().starts_with("//"));
    assert!(
        code_lines.into_iter().all(|l| !l.contains("fn main") && !l.contains("alert")),
        "description text must not leave the doc comments"
    );
}

/// A minimal operation page: title, request lines, response prose, optional request-body table and
/// one example (request line, request body, response).
fn op_page(title: &str, lines: &str, body_table: &str, response: &str, example: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n## HTTP request\n```http\n{lines}\n```\n\n\
         ## Request body\n{body_table}\n\n## Response\n{response}\n\n## Example\n{example}\n"
    )
}

#[test]
fn a_path_belongs_to_the_page_that_declares_it_first_not_to_one_that_lists_it() {
    let lister = op_page(
        "List things",
        "GET /things\nGET /me/widgets",
        "",
        "If successful, this method returns a `200 OK` response code and a String in the response body.",
        "```http\nGET https://graph.microsoft.com/beta/things\n```\n\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"value\": \"x\"}\n```",
    );
    let owner = op_page(
        "Get widgets",
        "GET /me/widgets",
        "",
        "If successful, this method returns a `204 No Content` response code.",
        "```http\nGET https://graph.microsoft.com/beta/me/widgets\n```\n\n```http\nHTTP/1.1 204 No Content\n```",
    );
    // `a-things` comes first in id order and lists `/me/widgets` second; `b-widgets` declares it.
    let g = generate_pages(&[("a-things.md", lister), ("b-widgets.md", owner)]);
    let examples = g.files.get("src/examples.rs").map(String::as_str).unwrap_or_default();
    assert!(examples.contains("fn b_widgets_1_replay()"), "{examples}");
    assert!(examples.contains("fn a_things_1_replay()"), "{examples}");
    let requests = g.files.get("src/requests.rs").map(String::as_str).unwrap_or_default();
    let widgets = requests.split("impl<'c> MeWidgetsRequest<'c>").nth(1).unwrap_or_default();
    assert!(widgets.contains("b-widgets.md") && widgets.contains("NoContent"), "{widgets}");
    assert_eq!(g.unexplained, 0);
}

/// The usage line of a method: `client...` as far as `;`.
fn usage_in<'a>(requests: &'a str, builder: &str) -> Vec<&'a str> {
    let block = requests.split(&format!("impl<'c> {builder}<'c> {{")).nth(1).unwrap_or_default();
    let block = block.split("\n}\n").next().unwrap_or_default();
    block.lines().filter_map(|l| l.trim().strip_prefix("/// let request = ")).collect()
}

#[test]
fn each_methods_usage_line_reaches_that_method() {
    let response = "If successful, this method returns a `200 OK` response code and a String in the response body.";
    let example = |path: &str| {
        format!("```http\nGET https://graph.microsoft.com/beta{path}\n```\n\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": \"x\"}}\n```")
    };
    let widgets = op_page("Get widgets", "GET /users/{id}/widgets\nGET /me/widgets", "", response, &example("/users/u1/widgets"));
    // `fooBar` and `foo_bar` are two segments whose methods would both be `foo_bar`.
    let camel = op_page("Get foo", "GET /things/fooBar", "", response, &example("/things/fooBar"));
    let snake = op_page("Get gadgets", "GET /things/foo_bar/gadgets", "", response, &example("/things/foo_bar/gadgets"));
    let g = generate_pages(&[("a-widgets.md", widgets), ("b-foo.md", camel), ("c-gadgets.md", snake)]);
    let requests = g.files.get("src/requests.rs").map(String::as_str).unwrap_or_default();
    // The operation's method is on both builders; each shows its own way there.
    assert_eq!(usage_in(requests, "UsersItemWidgetsRequest"), ["client.users().by_id(\"u1\").widgets().get();"], "{requests}");
    assert_eq!(usage_in(requests, "MeWidgetsRequest"), ["client.me().widgets().get();"], "{requests}");
    // The second `foo_bar` method is `foo_bar_2`, and so is its usage.
    assert!(requests.contains("pub fn foo_bar_2(&self)"), "{requests}");
    assert_eq!(usage_in(requests, "ThingsFooBarGadgetsRequest"), ["client.things().foo_bar_2().gadgets().get();"], "{requests}");
}

#[test]
fn a_second_page_whose_parameters_the_first_takes_replays_through_the_first_pages_method() {
    let table = |rows: &str| format!("| Parameter | Type | Description |\n|:--|:--|:--|\n{rows}");
    let response = "If successful, this method returns a `200 OK` response code and a String collection in the response body.";
    let example = |body: &str| {
        format!(
            "```http\nPOST https://graph.microsoft.com/beta/me/checkMemberGroups\nContent-type: application/json\n\n{body}\n```\n\n\
             ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"value\": [\"g1\"]}}\n```"
        )
    };
    let wide = op_page(
        "directoryObject: checkMemberGroups",
        "POST /me/checkMemberGroups",
        &table("| groupIds | String collection | ids |\n| strict | Boolean | exact |"),
        response,
        &example("{\"groupIds\": [\"g1\"], \"strict\": true}"),
    );
    let narrow = op_page(
        "user: checkMemberGroups",
        "POST /me/checkMemberGroups",
        &table("| groupIds | String collection | ids |"),
        response,
        &example("{\"groupIds\": [\"g1\"]}"),
    );
    let g = generate_pages(&[("directoryobject-checkmembergroups.md", wide.clone()), ("user-checkmembergroups.md", narrow)]);
    let examples = g.files.get("src/examples.rs").map(String::as_str).unwrap_or_default();
    assert_eq!(examples.matches("_replay()").count(), 2, "both pages' examples replay:\n{examples}");
    // The second page's body is built as the first page's parameters, which its method takes,
    // in the example's one request function, which the replay and the offline check both call.
    let built_as = |name: &str| examples.matches(&format!("crate::models::{name} = ::graphdoc_runtime::testing::example::body")).count();
    assert_eq!(examples.matches("::graphdoc_runtime::testing::example::check(").count(), 2, "{examples}");
    assert_eq!(examples.matches("_request<'c>(").count(), 2, "{examples}");
    for example in ["directoryobject_checkmembergroups_1", "user_checkmembergroups_1"] {
        assert_eq!(examples.matches(&format!("{example}_request,")).count(), 2, "{example}: {examples}");
    }
    assert_eq!(built_as("CheckMemberGroupsParameters"), 2, "{examples}");
    assert_eq!(built_as("CheckMemberGroupsParameters2"), 0, "{examples}");
    // Not the other way round: the narrow page's method does not take the wide page's `strict`.
    let g = generate_pages(&[("a-narrow.md", op_page("user: checkMemberGroups", "POST /me/checkMemberGroups", &table("| groupIds | String collection | ids |"), response, &example("{\"groupIds\": [\"g1\"]}"))), ("b-wide.md", wide)]);
    let examples = g.files.get("src/examples.rs").map(String::as_str).unwrap_or_default();
    assert_eq!(examples.matches("_replay()").count(), 1, "{examples}");
    assert!(examples.contains("fn b_wide_1_not_replayed()"), "{examples}");
}

fn resource_page(name: &str, base: Option<&str>) -> String {
    let inherits = base.map(|b| format!("Inherits from [{b}]({b}.md).\n\n")).unwrap_or_default();
    format!(
        "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\n{inherits}\
         ## Properties\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n\n\
         ## JSON representation\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\", \"keyProperty\": \"id\" }} -->\n\
         ```json\n{{ \"id\": \"String\" }}\n```\n"
    )
}

#[test]
fn pages_at_one_path_share_the_base_of_the_types_they_name_and_one_that_names_none_keeps_none() {
    let get = |title: &str, response: &str| {
        op_page(
            title,
            "GET /things/{id}",
            "",
            response,
            "```http\nGET https://graph.microsoft.com/beta/things/1\n```\n\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"id\": \"1\"}\n```",
        )
    };
    let typed = |t: &str| format!("If successful, this method returns a `200 OK` response code and a [{t}](../resources/{t}.md) object in the response body.");
    let g = generate_pages(&[
        ("resources/thing.md", resource_page("thing", None)),
        ("resources/specialthing.md", resource_page("specialThing", Some("thing"))),
        ("api/a-special.md", get("Get special thing", &typed("specialThing"))),
        ("api/b-thing.md", get("Get thing", &typed("thing"))),
        ("api/c-untyped.md", get("Get extensions", "If successful, this method returns a `200 OK` response code.")),
    ]);
    let requests = g.files.get("src/requests.rs").map(String::as_str).unwrap_or_default();
    assert_eq!(requests.matches("pub fn get(").count(), 1, "{requests}");
    assert!(requests.contains("Request<'c, crate::models::AnyThing>"), "widened to the shared base:\n{requests}");
    let examples = g.files.get("src/examples.rs").map(String::as_str).unwrap_or_default();
    assert!(examples.contains("fn a_special_1_replay()") && examples.contains("fn b_thing_1_replay()"), "{examples}");
    assert!(examples.contains("fn c_untyped_1_not_replayed()"), "{examples}");
}

/// A resource page with property and relationship rows (`| name | type | description |`).
fn resource_with(name: &str, properties: &str, relationships: &str) -> String {
    format!(
        "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\n\
         ## Properties\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n{properties}\n\
         ## Relationships\n| Relationship | Type | Description |\n|:--|:--|:--|\n{relationships}\n\
         ## JSON representation\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\", \"keyProperty\": \"id\" }} -->\n\
         ```json\n{{ \"id\": \"String\" }}\n```\n"
    )
}

#[test]
fn each_top_level_segment_is_a_feature_and_a_navigation_field_needs_its_targets() {
    let get = |title: &str, line: &str, url: &str, t: &str| {
        op_page(
            title,
            line,
            "",
            &format!("If successful, this method returns a `200 OK` response code and a [{t}](../resources/{t}.md) object in the response body."),
            &format!("```http\nGET https://graph.microsoft.com/beta{url}\n```\n\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\"id\": \"1\"}}\n```"),
        )
    };
    let g = generate_pages(&[
        ("resources/user.md", resource_with("user", "| settings | [userSettings](usersettings.md) | Settings. |", "| managedDevices | [managedDevice](manageddevice.md) collection | Devices. |")),
        ("resources/usersettings.md", resource_with("userSettings", "", "")),
        ("resources/manageddevice.md", resource_with("managedDevice", "", "")),
        ("resources/orphan.md", resource_with("orphan", "", "")),
        ("api/user-get.md", get("Get user", "GET /users/{id}", "/users/1", "user")),
        ("api/manageddevice-get.md", get("Get managedDevice", "GET /deviceManagement/managedDevices/{id}", "/deviceManagement/managedDevices/1", "managedDevice")),
    ]);
    let file = |f: &str| g.files.get(f).cloned().unwrap_or_default();
    let models = file("models/src/models.rs");
    // A type exists with the areas that reach it, its properties' types with it; a navigation
    // field only where its target exists; a type no operation reaches only with `full`.
    for expected in [
        "#[cfg(feature = \"users\")]\npub struct User {",
        "#[cfg(feature = \"users\")]\npub struct UserSettings {",
        "#[cfg(feature = \"device-management\")]\npub struct ManagedDevice {",
        "#[cfg(feature = \"full\")]\npub struct Orphan {",
        "    #[cfg(feature = \"device-management\")]\n    pub managed_devices:",
    ] {
        assert!(models.contains(expected), "{expected}\n{models}");
    }
    assert!(!models.contains("#[cfg(feature = \"device-management\")]\n    pub settings"), "{models}");
    let requests = file("src/requests.rs");
    assert!(requests.contains("#[cfg(feature = \"users\")]\n    #[inline]\n    pub fn users("), "{requests}");
    let manifest = file("Cargo.toml");
    for line in ["default = [\"full\"]", "users = [\"graphdoc-client-models/users\"]", "device-management = [\"graphdoc-client-models/device-management\"]"] {
        assert!(manifest.contains(line), "{line}\n{manifest}");
    }
    assert!(file("models/Cargo.toml").contains("\nusers = []\n"));
    // The example tests need every area.
    assert!(file("src/lib.rs").contains("#[cfg(all(test, feature = \"full\"))]\nmod examples;"));
}
