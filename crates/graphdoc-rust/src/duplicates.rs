//! Pages that document the same method and path (1,245 in the Graph beta docs, mostly one Intune
//! page per derived type: `GET /deviceManagement/deviceConfigurations/{id}` for each kind of
//! configuration) become one generated method. Its body and response types are the nearest type
//! every page's type derives from, so each page's examples replay through that one method (an
//! `Any*` response picks the concrete type by `@odata.type`).

use std::collections::BTreeMap;

use graphdoc_model::names::type_key;
use graphdoc_model::paths::shape;
use graphdoc_model::{ApiModel, Operation, RequestBody, TypeRef};

/// Widen the body and response types of each group of same-method, same-path operations to their
/// common base type, where they have one.
pub fn unify(model: &mut ApiModel) {
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, op) in model.operations.iter().enumerate() {
        groups.entry((op.method.to_ascii_uppercase(), shape(&op.path).to_ascii_lowercase())).or_default().push(i);
    }
    let bases: BTreeMap<String, String> = model
        .types
        .iter()
        .filter_map(|t| t.base.as_ref().map(|b| (type_key(&t.name), type_key(b))))
        .collect();
    let names: BTreeMap<String, &str> = model.types.iter().map(|t| (type_key(&t.name), t.name.as_str())).collect();
    // Decided on the model as read, then applied: (operation, request type, response type).
    let mut widened = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let ops: Vec<_> = members.iter().filter_map(|&i| model.operations.get(i)).collect();
        // Pages that name no type stay as they are; the others share the type they all derive from
        // (`GET /me/messages/{id}`: message, eventMessage, and an extended-property page naming none).
        let requests: Vec<Option<&TypeRef>> = ops.iter().filter_map(|op| request_type(op)).map(Some).collect();
        let responses: Vec<Option<&TypeRef>> = ops.iter().filter_map(|op| response_type(op)).map(Some).collect();
        let request = common(&requests, &bases, &names);
        let response = common(&responses, &bases, &names);
        if request.is_some() || response.is_some() {
            widened.extend(members.iter().map(|&i| (i, request.clone(), response.clone())));
        }
    }
    for (i, request, response) in widened {
        let Some(op) = model.operations.get_mut(i) else { continue };
        if let (Some(t), RequestBody::Type(mine)) = (request, &mut op.request_body) {
            *mine = t;
        }
        if let (Some(t), Some(first)) = (response, op.responses.first_mut()) {
            if first.body.is_some() {
                first.body = Some(t);
            }
        }
    }
}

/// Same HTTP method, body and response types: the first's generated method serves the second's
/// examples. Action parameters count as the same when the first takes every parameter the second
/// documents, with the same type.
pub fn same_signature(first: &Operation, second: &Operation) -> bool {
    let same_type = |x: &TypeRef, y: &TypeRef| type_key(&x.name) == type_key(&y.name) && x.collection == y.collection;
    let same = |x: Option<&TypeRef>, y: Option<&TypeRef>| match (x, y) {
        (Some(x), Some(y)) => same_type(x, y),
        (None, None) => true,
        _ => false,
    };
    let bodies = match (&first.request_body, &second.request_body) {
        (RequestBody::None, RequestBody::None) | (RequestBody::Reference, RequestBody::Reference) => true,
        (RequestBody::Type(x), RequestBody::Type(y)) => same_type(x, y),
        (RequestBody::Parameters { parameters: mine }, RequestBody::Parameters { parameters: theirs }) => theirs
            .iter()
            .all(|t| mine.iter().any(|m| m.name == t.name && same_type(&m.type_ref(), &t.type_ref()))),
        _ => false,
    };
    first.method.eq_ignore_ascii_case(&second.method) && bodies && same(response_type(first), response_type(second))
}

/// The type of a request body (none for action parameters).
pub fn request_type(o: &Operation) -> Option<&TypeRef> {
    match &o.request_body {
        RequestBody::Type(t) => Some(t),
        _ => None,
    }
}

/// The type of the first documented response body.
pub fn response_type(o: &Operation) -> Option<&TypeRef> {
    o.responses.first().and_then(|r| r.body.as_ref())
}

/// The nearest type all of `refs` are or derive from (same collection-ness); `None` when they are
/// not all model types, or share none.
fn common(refs: &[Option<&TypeRef>], bases: &BTreeMap<String, String>, names: &BTreeMap<String, &str>) -> Option<TypeRef> {
    let first = (*refs.first()?)?;
    let chain = |name: &str| {
        let mut out = vec![type_key(name)];
        while let Some(b) = out.last().and_then(|k| bases.get(k)) {
            if out.contains(b) || out.len() > 64 {
                break;
            }
            out.push(b.clone());
        }
        out
    };
    let mut candidates = chain(&first.name);
    for r in refs {
        let r = (*r)?;
        if r.collection != first.collection || !names.contains_key(&type_key(&r.name)) {
            return None;
        }
        let theirs = chain(&r.name);
        candidates.retain(|c| theirs.contains(c));
    }
    let key = candidates.first()?;
    Some(TypeRef { name: (*names.get(key)?).to_owned(), collection: first.collection })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str, collection: bool) -> TypeRef {
        TypeRef { name: name.to_owned(), collection }
    }

    #[test]
    fn the_nearest_shared_base_is_chosen_and_nothing_is_guessed() {
        // windows10Configuration → deviceConfiguration → entity; androidConfiguration → deviceConfiguration.
        let bases: BTreeMap<String, String> = [
            ("windows10configuration", "deviceconfiguration"),
            ("androidconfiguration", "deviceconfiguration"),
            ("deviceconfiguration", "entity"),
            ("user", "entity"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let names: BTreeMap<String, &str> = ["windows10Configuration", "androidConfiguration", "deviceConfiguration", "entity", "user"]
            .into_iter()
            .map(|n| (type_key(n), n))
            .collect();
        let (w, a, d, u) = (r("windows10Configuration", false), r("androidConfiguration", false), r("deviceConfiguration", false), r("user", false));
        let name = |refs: &[Option<&TypeRef>]| common(refs, &bases, &names).map(|t| t.name);
        assert_eq!(name(&[Some(&w), Some(&a)]).as_deref(), Some("deviceConfiguration"));
        assert_eq!(name(&[Some(&w), Some(&d)]).as_deref(), Some("deviceConfiguration"));
        assert_eq!(name(&[Some(&w), Some(&u)]).as_deref(), Some("entity"));
        // A page without a body, a collection beside a single value, or an unknown type: no widening.
        assert_eq!(name(&[Some(&w), None]), None);
        assert_eq!(name(&[Some(&w), Some(&r("androidConfiguration", true))]), None);
        assert_eq!(name(&[Some(&w), Some(&r("String", false))]), None);
    }
}
