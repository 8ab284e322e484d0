//! Cross-checks and merging on small pages written for the purpose.

use graphdoc_model::{build_model, ApiModel, RequestBody, TypeKind};
use graphdoc_page::{parse_page, Code, Diagnostic};

fn build(pages: &[(&str, &str)]) -> (ApiModel, Vec<Diagnostic>) {
    let pages: Vec<_> = pages.iter().map(|(f, t)| parse_page(f, t.as_bytes()).page).collect();
    build_model(&pages)
}

fn codes(d: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
    d.iter().filter(|x| x.code == code).collect()
}

const BASE: &str = r##"---
title: "assignmentTarget resource type"
doc_type: resourcePageType
---

# assignmentTarget resource type

## Properties
|Property|Type|Description|
|:---|:---|:---|
|filterId|String|The filter.|

## JSON Representation
<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.assignmentTarget" } -->
```json
{ "@odata.type": "#microsoft.graph.assignmentTarget", "filterId": "String" }
```
"##;

const DERIVED: &str = r##"---
title: "groupTarget resource type"
doc_type: resourcePageType
---

# groupTarget resource type

Inherits from [assignmentTarget](assignmenttarget.md)

## Properties
|Property|Type|Description|
|:---|:---|:---|
|groupId|String|The group. Required.|
|kind|[targetKind](targetkind.md)|The kind.|
|created|DateTimeOffset|When. Read-only.|

## JSON Representation
<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.groupTarget", "keyProperty": "groupId" } -->
```json
{ "@odata.type": "#microsoft.graph.groupTarget", "groupId": "String", "extraOnlyInJson": true }
```
"##;

const ENUM: &str = r##"---
title: "targetKind enum type"
doc_type: enumPageType
---

# targetKind enum type

## Members
|Member|Value|Description|
|:---|:---|:---|
|user|0|A user.|
|group|1|A group.|
"##;

const ASSIGN: &str = r##"---
title: "assign action"
doc_type: apiPageType
---

# policy: assign

## HTTP request
<!-- { "blockType": "ignored" } -->
```http
POST /policies/{policyId}/assign
```

## Request body
|Parameter|Type|Description|
|:---|:---|:---|
|targets|[assignmentTarget](assignmenttarget.md) collection|The targets.|

## Response
If successful, this action returns a `204 No Content` response code.

## Example
<!-- { "blockType": "request", "name": "policy_assign" } -->
```http
POST https://graph.microsoft.com/beta/policies/42/assign
Content-Type: application/json

{
  "targets": [
    { "@odata.type": "#microsoft.graph.groupTarget", "groupId": "g1", "kind": "team", "created": "yesterday" },
    { "@odata.type": "#microsoft.graph.nowhereTarget" }
  ],
  "bogus": 1
}
```

<!-- { "blockType": "response" } -->
```http
HTTP/1.1 200 OK
```
"##;

const LIST: &str = r##"---
title: "List groupTargets"
doc_type: apiPageType
---

# List groupTargets

## HTTP request
```http
GET /users/{userId}/targets
GET /groups/{groupId}/targets
```

## Response
If successful, this method returns a `200 OK` response code and a collection of [groupTarget](grouptarget.md) objects in the response body.

## Example
```http
GET https://graph.microsoft.com/beta/me/targets
```

```http
HTTP/1.1 200 OK
Content-Type: application/json

{ "value": [ { "groupId": "g", "filterId": "f", "unknownProp": 1 } ] }
```
"##;

fn sample() -> (ApiModel, Vec<Diagnostic>) {
    build(&[
        ("resources/assignmenttarget.md", BASE),
        ("resources/grouptarget.md", DERIVED),
        ("resources/targetkind.md", ENUM),
        ("api/policy-assign.md", ASSIGN),
        ("api/grouptarget-list.md", LIST),
    ])
}

#[test]
fn resource_pages_give_types_with_bases_keys_and_derived() {
    let (m, _) = sample();
    let base = m.type_def("assignmentTarget").unwrap_or_else(|| panic!("base"));
    assert_eq!(base.derived, vec!["groupTarget".to_owned()]);
    let derived = m.type_def("#microsoft.graph.groupTarget").unwrap_or_else(|| panic!("derived"));
    assert_eq!(derived.base.as_deref(), Some("assignmentTarget"));
    assert_eq!(derived.kind, TypeKind::Entity);
    assert_eq!(derived.key.as_deref(), Some("groupId"));
    let names: Vec<_> = m.all_properties("groupTarget").iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["groupId", "kind", "created", "extraOnlyInJson", "filterId"]);
    let created = derived.properties.iter().find(|p| p.name == "created").unwrap_or_else(|| panic!("created"));
    assert!(created.read_only);
    assert!(derived.properties.first().is_some_and(|p| p.required));
}

#[test]
fn enums_come_from_member_tables_and_collect_example_values() {
    let (m, _) = sample();
    let e = m.enum_def("targetKind").unwrap_or_else(|| panic!("enum"));
    let members: Vec<_> = e.members.iter().map(|x| (x.name.as_str(), x.value)).collect();
    assert_eq!(members, vec![("user", Some(0)), ("group", Some(1))]);
    assert_eq!(e.example_values, vec!["team".to_owned()]);
}

#[test]
fn action_parameters_and_example_checks() {
    let (m, d) = sample();
    let op = m.operations.iter().find(|o| o.id == "policy-assign").unwrap_or_else(|| panic!("op"));
    match &op.request_body {
        RequestBody::Parameters { parameters } => {
            assert_eq!(parameters.len(), 1);
            assert!(parameters[0].collection);
        }
        other => panic!("expected parameters, got {other:?}"),
    }
    assert_eq!(op.examples[0].path_values.get("policyId").map(String::as_str), Some("42"));
    let unknown: Vec<_> = codes(&d, Code::ExampleUnknownProperty).iter().map(|x| x.message.clone()).collect();
    assert!(unknown.iter().any(|m| m.contains("`/bogus` is not a parameter")), "{unknown:?}");
    let value = codes(&d, Code::ExampleValueFormat);
    assert_eq!(value.len(), 1, "{value:?}");
    assert!(value[0].message.contains("`/targets/0/created` is `\"yesterday\"`"));
    // The diagnostic points at the key inside the body.
    assert_eq!(value[0].span.line, 30);
    let types = codes(&d, Code::ExampleUnknownType);
    assert_eq!(types.len(), 1);
    assert!(types[0].message.contains("nowhereTarget"));
    let status = codes(&d, Code::ResponseStatusMismatch);
    assert_eq!(status.len(), 1);
    assert!(status[0].message.contains("promises `204`"));
}

#[test]
fn list_operations_aliases_me_and_collections() {
    let (m, d) = sample();
    let op = m.operations.iter().find(|o| o.id == "grouptarget-list").unwrap_or_else(|| panic!("op"));
    // The example's `/me/targets` matched `/users/{userId}/targets` and became an alias.
    assert_eq!(op.aliases, vec!["/groups/{groupId}/targets".to_owned(), "/me/targets".to_owned()]);
    let r = op.responses.first().and_then(|r| r.body.clone()).unwrap_or_else(|| panic!("body"));
    assert!(r.collection);
    assert_eq!(r.name, "groupTarget");
    assert_eq!(op.examples[0].path_template.as_deref(), Some("/me/targets"));
    assert!(op.examples[0].replayable());
    let unknown: Vec<_> = codes(&d, Code::ExampleUnknownProperty).iter().map(|x| x.message.clone()).collect();
    assert!(unknown.iter().any(|m| m.contains("`/value/0/unknownProp` is not a property of `groupTarget`")));
    // Inherited `filterId` is known.
    assert!(!unknown.iter().any(|m| m.contains("filterId")));
}

#[test]
fn conflicting_property_types_name_both_places() {
    let other = BASE.replace("|filterId|String|The filter.|", "|filterId|Int32|The filter.|");
    let (_, d) = build(&[("resources/a.md", BASE), ("resources/b.md", &other)]);
    let c = codes(&d, Code::TypePropertyConflict);
    assert_eq!(c.len(), 1);
    assert!(c[0].message.contains("`Int32` here, but `String` at resources/a.md:"), "{}", c[0].message);
    assert_eq!(c[0].file, "resources/b.md");
}

#[test]
fn model_is_independent_of_page_order() {
    let pages = [
        ("resources/assignmenttarget.md", BASE),
        ("resources/grouptarget.md", DERIVED),
        ("resources/targetkind.md", ENUM),
        ("api/policy-assign.md", ASSIGN),
        ("api/grouptarget-list.md", LIST),
    ];
    let (a, da) = build(&pages);
    let mut reversed = pages;
    reversed.reverse();
    let (b, db) = build(&reversed);
    assert_eq!(
        graphdoc_model::model_json(&a, &da).to_string(),
        graphdoc_model::model_json(&b, &db).to_string()
    );
}

const FILTER: &str = r##"---
title: "filterByCurrentUser"
doc_type: apiPageType
---

# filterByCurrentUser

## HTTP request
```http
GET /accessPackages/filterByCurrentUser
GET /reports/getUsage(period='D7')
```

## Response
If successful, this method returns a `200 OK` response code and an [groupTarget](grouptarget.md) collection in the response body.

## Example
```http
GET https://graph.microsoft.com/beta/accessPackages/filterByCurrentUser(on='allowedRequestor')
```

```http
HTTP/1.1 200 OK
Content-Type: application/json

{ "value": [] }
```
"##;

const CREATE: &str = r##"---
title: "Create team"
doc_type: apiPageType
---

# Create team

## HTTP request
```http
POST /teams/{id}/archive
```

## Response
If successful, this method returns a `202 Accepted` response code and a [groupTarget](grouptarget.md) object in the response body.

## Example
```http
POST https://graph.microsoft.com/beta/teams/1/archive
```

```http
HTTP/1.1 202 Accepted
Location: /teams('1')/operations('2')
```
"##;

const NS_ENUMS: &str = r##"---
title: "Call records enum values"
doc_type: enumPageType
---

# Call records enum values

Namespace: microsoft.graph.callRecords

### modality values

| Member
|:--------------
| audio
| video
"##;

const NS_TYPE: &str = r##"---
title: "session resource type"
doc_type: resourcePageType
---

# session resource type

Namespace: microsoft.graph.callRecords

## Properties
|Property|Type|Description|
|:---|:---|:---|
|modalities|microsoft.graph.callRecords.modality collection|The modalities.|

## JSON Representation
<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.callRecords.session" } -->
```json
{ "modalities": ["String"] }
```
"##;

#[test]
fn function_parameters_become_placeholders_and_omitted_ones_an_alias() {
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/accesspackage-filterbycurrentuser.md", FILTER)]);
    let op = m.operations.iter().find(|o| o.id == "accesspackage-filterbycurrentuser").unwrap_or_else(|| panic!("op"));
    assert!(op.aliases.contains(&"/reports/getUsage(period='{period}')".to_owned()), "{:?}", op.aliases);
    assert!(op.aliases.contains(&"/accessPackages/filterByCurrentUser(on='{on}')".to_owned()), "{:?}", op.aliases);
    let e = &op.examples[0];
    assert_eq!(e.path_values.get("on").map(String::as_str), Some("allowedRequestor"));
    assert!(e.issues.is_empty(), "{:?}", e.issues);
    assert_eq!(codes(&d, Code::PathFunctionValue).len(), 2);
    // "an [x](...) collection" is a collection, as "a collection of [x](...)" is.
    assert!(op.responses[0].body.as_ref().is_some_and(|b| b.collection && b.name == "groupTarget"));
    assert!(codes(&d, Code::ExamplePathMismatch).is_empty());
}

#[test]
fn an_example_without_the_documented_body_blocks_its_replay() {
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-archive.md", CREATE)]);
    let shape = codes(&d, Code::ExampleBodyShape);
    assert_eq!(shape.len(), 1, "{shape:?}");
    assert!(shape[0].message.contains("returns no body, but `team-archive` documents a `groupTarget` response"));
    assert_eq!(m.operations[0].examples[0].issues, vec!["example-body-shape".to_owned()]);
}

#[test]
fn a_namespace_qualified_reference_finds_the_enum_its_namespace_page_lists() {
    let (m, d) = build(&[("resources/enums-callrecords.md", NS_ENUMS), ("resources/callrecords-session.md", NS_TYPE)]);
    let e = m.enum_def("callRecords.modality").unwrap_or_else(|| panic!("enum"));
    assert_eq!(e.members.len(), 2);
    assert!(m.type_def("callRecords.modality").is_none());
    assert!(codes(&d, Code::TypeUndefined).is_empty(), "{:?}", codes(&d, Code::TypeUndefined));
}

const MIME: &str = r##"---
title: "message: createReply"
doc_type: apiPageType
---

# message: createReply

## HTTP request
```http
POST /me/messages/{id}/createReply
```

## Request body
|Parameter|Type|Description|
|:---|:---|:---|
|comment|String|A comment.|

## Response
If successful, this method returns `201 Created` response code.

## Example
```http
POST https://graph.microsoft.com/beta/me/messages/AAMk/createReply
Content-type: text/plain

RnJvbTogQWxleCBXaWxiZXIgPEFsZXhXQGNvbnRvc28uY29tPgpUbzogTWVnYW4gQm93ZW4gPE1l
```

```http
HTTP/1.1 201 Created
```
"##;

#[test]
fn a_request_body_that_is_not_json_blocks_its_replay() {
    let (m, d) = build(&[("api/message-createreply.md", MIME)]);
    let shape = codes(&d, Code::ExampleBodyShape);
    assert!(shape.iter().any(|x| x.message.contains("sends a body that is not JSON")), "{shape:?}");
    assert_eq!(m.operations[0].examples[0].issues, vec!["example-body-shape".to_owned()]);
}

const VERIFY: &str = r##"---
title: "verifyAutoDiscovery function"
doc_type: apiPageType
---

# verifyAutoDiscovery function

## HTTP request
```http
GET /deviceManagement/verifyAutoDiscovery(domainName='{domainName}')
```

## Response
If successful, this function returns a `200 OK` response code and a Boolean in the response body.

## Example
```http
GET https://graph.microsoft.com/beta/deviceManagement/verifyAutoDiscovery(domainName='contoso.com')
```

```http
HTTP/1.1 200 OK
Content-Type: application/json

{
  "value": true
}
```
"##;

#[test]
fn a_primitive_named_in_prose_is_the_result_and_its_value_envelope_fits() {
    let (m, d) = build(&[("api/verifyautodiscovery.md", VERIFY)]);
    let op = &m.operations[0];
    assert!(op.responses[0].body.as_ref().is_some_and(|b| b.name == "Boolean" && !b.collection), "{:?}", op.responses);
    assert!(codes(&d, Code::ExampleBodyShape).is_empty() && codes(&d, Code::ExampleValueType).is_empty(), "{d:?}");
    assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
}

const REPORT: &str = r##"---
title: "reportRoot: getEmailActivityUserDetail"
doc_type: apiPageType
---

# reportRoot: getEmailActivityUserDetail

## HTTP request
```http
GET /reports/getEmailActivityUserDetail(period='{period_value}')
```

## Response

### CSV
If successful, this method returns a `302 Found` response that redirects to a preauthenticated download URL for the report.

## Example

### JSON
```http
GET https://graph.microsoft.com/beta/reports/getEmailActivityUserDetail(period='D7')?$format=application/json
```

<!-- { "blockType": "response", "@type": "stream" } -->
```http
HTTP/1.1 200 OK
Content-Type: application/json

{
  "value": [ { "userPrincipalName": "a@contoso.com" } ]
}
```
"##;

#[test]
fn a_report_answered_as_content_replays_whatever_its_json_shape() {
    let (m, d) = build(&[("api/reportroot-getemailactivityuserdetail.md", REPORT)]);
    let op = &m.operations[0];
    // `@type` stands for `@odata.type` in a few pages.
    assert!(op.responses[0].body.as_ref().is_some_and(|b| b.name == "Stream"), "{:?}", op.responses);
    assert!(op.returns_content());
    // A stream is any bytes: the JSON is not checked against a type, and the example replays.
    assert!(codes(&d, Code::ExampleBodyShape).is_empty() && codes(&d, Code::ExampleValueType).is_empty(), "{d:?}");
    assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
}

const INSTALLED: &str = r##"---
title: "List apps in team"
doc_type: apiPageType
---

# List apps in team

## HTTP request
```http
GET /teams/{team-id}/installedApps
```

## Response
If successful, this method returns a `200 OK` response code and a [groupTarget](grouptarget.md) object in the response body.

## Example
```http
GET https://graph.microsoft.com/beta/teams/1/installedApps
```

```http
HTTP/1.1 200 OK
Content-type: application/json

{
  "value": [ { "groupId": "g1" } ]
}
```
"##;

#[test]
fn a_list_promised_as_one_object_is_read_as_the_collection_its_examples_answer() {
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-list-installedapps.md", INSTALLED)]);
    let op = &m.operations[0];
    assert!(op.responses[0].body.as_ref().is_some_and(|b| b.collection && b.name == "groupTarget"), "{:?}", op.responses);
    assert_eq!(codes(&d, Code::ResponseCollectionInferred).len(), 1, "{d:?}");
    assert!(codes(&d, Code::ExampleBodyShape).is_empty(), "{d:?}");
    assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
}

#[test]
fn a_type_cast_after_a_declared_path_is_that_path() {
    let page = INSTALLED.replace(
        "GET https://graph.microsoft.com/beta/teams/1/installedApps\n",
        "GET https://graph.microsoft.com/beta/teams/1/installedApps/microsoft.graph.groupTarget\n",
    );
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-list-installedapps.md", &page)]);
    let op = &m.operations[0];
    assert!(op.aliases.contains(&"/teams/{team-id}/installedApps/microsoft.graph.groupTarget".to_owned()), "{:?}", op.aliases);
    assert!(codes(&d, Code::ExamplePathMismatch).is_empty(), "{d:?}");
    assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
}

/// `INSTALLED` with its declared request line and its example's URL replaced.
fn installed_at(declared: &str, sent: &str) -> String {
    INSTALLED
        .replace("GET /teams/{team-id}/installedApps\n", &format!("{declared}\n"))
        .replace("GET https://graph.microsoft.com/beta/teams/1/installedApps\n", &format!("GET https://graph.microsoft.com/beta{sent}\n"))
}

#[test]
fn graph_s_other_names_for_the_user_and_the_drive_become_aliases() {
    let cases = [
        ("GET /me/drive/items/{item-id}/children", "/drive/root/children", "/drive/root/children"),
        ("GET /drives/{drive-id}/items/{item-id}/children", "/me/drive/items/7/children", "/me/drive/items/{item-id}/children"),
        ("GET /me/memberOf", "/users/42/memberOf", "/users/{id}/memberOf"),
        ("GET /education/users/{id}/assignments", "/education/me/assignments", "/education/me/assignments"),
    ];
    for (declared, sent, alias) in cases {
        let page = installed_at(declared, sent);
        let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-list-installedapps.md", &page)]);
        let op = &m.operations[0];
        assert!(op.aliases.contains(&alias.to_owned()), "{sent}: {:?}", op.aliases);
        assert!(codes(&d, Code::ExamplePathMismatch).is_empty(), "{sent}: {d:?}");
        assert_eq!(op.examples[0].path_template.as_deref(), Some(alias));
        assert!(op.examples[0].issues.is_empty(), "{sent}: {:?}", op.examples[0].issues);
    }
    // `root` names a drive's root item only: a list item is not a drive's.
    let page = installed_at("GET /sites/{site-id}/lists/{list-id}/items/{item-id}/versions", "/sites/1/lists/2/root/versions");
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-list-installedapps.md", &page)]);
    assert_eq!(codes(&d, Code::ExamplePathMismatch).len(), 1, "{d:?}");
    assert!(m.operations[0].aliases.is_empty(), "{:?}", m.operations[0].aliases);
}

#[test]
fn a_declared_path_from_tilde_is_read_from_the_service_root() {
    let page = installed_at(
        "GET /~/onPremisesPublishingProfiles/{publishingType}/agentGroups",
        "/onPremisesPublishingProfiles/provisioning/agentGroups",
    );
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/onpremisesagentgroup-list.md", &page)]);
    assert_eq!(m.operations[0].path, "/onPremisesPublishingProfiles/{publishingType}/agentGroups");
    assert_eq!(codes(&d, Code::PathTildeRoot).len(), 1, "{d:?}");
    assert!(codes(&d, Code::ExamplePathMismatch).is_empty(), "{d:?}");
}

#[test]
fn a_function_with_four_arguments_written_as_values_matches_its_examples() {
    let page = installed_at(
        "GET /roleManagement/directory/roleSchedules",
        "/roleManagement/directory/roleSchedules(directoryScopeId='a',appScopeId='b',principalId='c',roleDefinitionId='d')",
    );
    let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/rbacapplication-roleschedules.md", &page)]);
    let op = &m.operations[0];
    assert!(codes(&d, Code::ExamplePathMismatch).is_empty(), "{d:?}");
    assert_eq!(op.examples[0].path_values.get("roleDefinitionId").map(String::as_str), Some("d"), "{:?}", op.examples[0].path_values);
}

#[test]
fn an_accepted_answer_that_links_to_its_type_has_no_body() {
    // `CREATE` promises the type in the body while its example has none: a defect. Said as a link or
    // a header, the type is where the link points, and the body holds nothing.
    let in_body = "response code and a [groupTarget](grouptarget.md) object in the response body.";
    for linked in [
        "response containing a link to the [groupTarget](grouptarget.md).",
        "response code. The response also contains a `Location` header with the location of the [groupTarget](grouptarget.md).",
    ] {
        let page = CREATE.replace(in_body, linked);
        let (m, d) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-archive.md", &page)]);
        let op = &m.operations[0];
        assert_eq!(op.responses.first().map(|r| (r.status, r.body.is_none())), Some((202, true)), "{:?}", op.responses);
        assert!(codes(&d, Code::ExampleBodyShape).is_empty(), "{d:?}");
        assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
    }
    let (m, _) = build(&[("resources/grouptarget.md", DERIVED), ("api/team-archive.md", CREATE)]);
    assert!(m.operations[0].responses[0].body.as_ref().is_some_and(|b| b.name == "groupTarget"), "{:?}", m.operations[0].responses);
}

#[test]
fn a_true_value_in_the_response_body_is_a_boolean() {
    let page = VERIFY.replace(
        "## Response\n",
        "## Response\nIf successful, this method returns `200 OK` response code. If the group is added, a `true` value is returned in the response body.\n\n## Ignored\n",
    );
    let (m, _) = build(&[("api/grouplifecyclepolicy-addgroup.md", &page)]);
    assert!(m.operations[0].responses[0].body.as_ref().is_some_and(|b| b.name == "Boolean"), "{:?}", m.operations[0].responses);
}

/// A `$ref` page with a body as `declared` and examples sending `bodies`, in that order.
fn ref_page(method: &str, declared: &str, bodies: &[&str]) -> String {
    let mut page = format!(
        "---\ntitle: \"Add member\"\ndoc_type: apiPageType\n---\n\n# Add member\n\n## HTTP request\n```http\n{method} /groups/{{id}}/members/$ref\n```\n\n## Request body\n{declared}\n\n## Response\nIf successful, this method returns a `204 No Content` response code.\n\n## Examples\n"
    );
    for body in bodies {
        page.push_str(&format!(
            "```http\n{method} https://graph.microsoft.com/beta/groups/42/members/$ref\nContent-Type: application/json\n\n{body}\n```\n\n```http\nHTTP/1.1 204 No Content\n```\n\n"
        ));
    }
    page
}

const REFERENCE: &str = r#"{ "@odata.id": "https://graph.microsoft.com/beta/directoryObjects/7" }"#;

#[test]
fn a_ref_path_whose_examples_send_a_reference_takes_one_whatever_the_page_names() {
    let declared = "In the request body, supply a JSON representation of a [group](../resources/group.md) object.";
    let (m, d) = build(&[("api/group-post-members.md", &ref_page("POST", declared, &[REFERENCE, "{ }"]))]);
    let op = &m.operations[0];
    assert_eq!(op.request_body, RequestBody::Reference);
    let said = codes(&d, Code::RequestBodyReference);
    assert_eq!(said.len(), 1, "{d:?}");
    assert!(said[0].message.contains("the type `group`"), "{}", said[0].message);
    // The reference replays; the empty object is no reference, and says so.
    assert!(op.examples[0].issues.is_empty(), "{:?}", op.examples[0].issues);
    assert_eq!(op.examples[1].issues, vec!["example-body-shape".to_owned()]);
    assert!(codes(&d, Code::ExampleBodyShape).iter().any(|x| x.message.contains("takes a reference")), "{d:?}");

    // A page that documents no body at all: the same, and a `PUT` too.
    let (m, d) = build(&[("api/group-put.md", &ref_page("PUT", "Do not supply a request body.", &[REFERENCE]))]);
    assert_eq!(m.operations[0].request_body, RequestBody::Reference);
    assert!(codes(&d, Code::RequestBodyReference)[0].message.contains("documents no request body"), "{d:?}");
}

#[test]
fn a_ref_path_whose_examples_send_an_entity_keeps_the_page_s_body() {
    // The Intune page that declares `/groupAssignments/$ref` and creates an assignment.
    let declared = "In the request body, supply a JSON representation of a [group](../resources/group.md) object.";
    let entity = r##"{ "@odata.type": "#microsoft.graph.group", "displayName": "x" }"##;
    let (m, d) = build(&[("api/group-post-members.md", &ref_page("POST", declared, &[entity]))]);
    assert!(matches!(&m.operations[0].request_body, RequestBody::Type(t) if t.name == "group"), "{:?}", m.operations[0].request_body);
    assert!(codes(&d, Code::RequestBodyReference).is_empty());
    // Nor is a reference sent to a path that is no `$ref` read as one.
    let page = ref_page("POST", declared, &[REFERENCE]).replace("/members/$ref", "/members");
    let (m, d) = build(&[("api/group-post-members.md", &page)]);
    assert!(matches!(&m.operations[0].request_body, RequestBody::Type(_)));
    assert!(codes(&d, Code::RequestBodyReference).is_empty());
}

const MUTE: &str = r##"---
title: "call: mute"
doc_type: apiPageType
---

# call: mute

## HTTP request
```http
POST /communications/calls/{id}/mute
```

## Request body
|Parameter|Type|Description|
|:---|:---|:---|
|clientContext|String|Unique client context string.|

## Response
If successful, this method returns a `200 OK` response code.

## Example
```http
POST https://graph.microsoft.com/beta/communications/calls/57/mute
Content-Type: application/json

{ "clientContext": "c" }
```

```http
HTTP/1.1 200 OK
```

##### Notification - roster updated

```http
POST https://bot.contoso.com/api/calls
Content-Type: application/json
```

##### The same call in the US government cloud

```http
POST https://graph.microsoft.us/beta/communications/calls/58/mute
Content-Type: application/json

{ "clientContext": "d" }
```

```http
HTTP/1.1 200 OK
```

##### A slip in the host

```http
POST https://graph/microsoft.com/beta/communications/calls/59/mute
Content-Type: application/json

{ "clientContext": "e" }
```

```http
HTTP/1.1 200 OK
```
"##;

#[test]
fn a_request_to_another_host_is_no_example_of_the_operation() {
    let (m, d) = build(&[("api/call-mute.md", MUTE)]);
    let op = &m.operations[0];
    let [graph, notification, us, slip] = op.examples.as_slice() else { panic!("{:?}", op.examples) };
    // The notification is said once, as what it is, and nothing else is said of it.
    assert_eq!(notification.request.foreign_origin.as_deref(), Some("https://bot.contoso.com"));
    assert_eq!(notification.issues, vec!["example-not-graph".to_owned()]);
    let at = notification.request.source.line;
    let there: Vec<Code> = d.iter().filter(|x| x.span.line == at).map(|x| x.code).collect();
    assert_eq!(there, vec![Code::ExampleNotGraph], "{d:?}");
    // Graph's own hosts replay, a national cloud's too.
    assert!(graph.issues.is_empty() && us.issues.is_empty(), "{:?} {:?}", graph.issues, us.issues);
    assert!(us.request.foreign_origin.is_none());
    // A host without a dot is a slip, not another service: its path is what is wrong.
    assert!(slip.request.foreign_origin.is_none());
    assert!(slip.issues.contains(&"example-path-mismatch".to_owned()), "{:?}", slip.issues);
}
