//! Path templates (`/users/{id}/events`) and matching example URLs against them.

use std::collections::BTreeMap;

/// A declared path without trailing slash; `/` stays `/`.
pub fn normalize(path: &str) -> String {
    let t = path.trim();
    let t = t.strip_suffix('/').filter(|s| !s.is_empty()).unwrap_or(t);
    t.to_owned()
}

/// The template with every `{...}` reduced to `{}`: `/users/{id}` and `/users/{userId}` are one
/// path to a client and to OpenAPI.
pub fn shape(template: &str) -> String {
    // Copied a run at a time between braces (both ASCII): this runs for every path and alias
    // several times a model, and for every example's.
    let mut out = String::with_capacity(template.len());
    let mut depth = 0u32;
    let mut run = 0;
    for at in memchr::memchr2_iter(b'{', b'}', template.as_bytes()) {
        let open = template.as_bytes().get(at) == Some(&b'{');
        if depth == 0 {
            out.push_str(template.get(run..at).unwrap_or_default());
            if open {
                out.push_str("{}");
            }
        }
        if open {
            depth += 1;
        } else {
            depth = depth.saturating_sub(1);
        }
        run = at + 1;
    }
    if depth == 0 {
        out.push_str(template.get(run..).unwrap_or_default());
    }
    out
}

/// The `{...}` placeholders of a template, in order.
pub fn params(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else { break };
        out.push(after.get(..close).unwrap_or_default().to_owned());
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out
}

/// Function parameters written as values in a declared path (`filterByCurrentUser(on='parameterValue')`,
/// `range(address='<address>')`, `(count=n)`, `(period='D7')`) become placeholders named after the
/// parameter (`(on='{on}')`), so a client takes them as arguments and examples match. Returns the
/// path and the arguments rewritten. Keys in parentheses (`messages('AAMk...')`) stay as written.
pub fn function_placeholders(template: &str) -> (String, Vec<String>) {
    // Only a segment that ends with `)` is rewritten (most paths have none).
    if !template.contains(')') {
        return (template.to_owned(), Vec::new());
    }
    let mut changed = Vec::new();
    let segments: Vec<String> = template
        .split('/')
        .map(|segment| {
            let Some((name, args)) = segment.strip_suffix(')').and_then(|s| s.split_once('(')) else {
                return segment.to_owned();
            };
            if args.trim().is_empty() || args.contains(['(', ')']) || name.is_empty() {
                return segment.to_owned();
            }
            let before = changed.len();
            let rewritten: Vec<String> = args
                .split(',')
                .map(|arg| {
                    let arg = arg.trim();
                    let (key, value) = match arg.split_once('=') {
                        Some((k, v)) => (k.trim(), v.trim()),
                        None => ("", arg),
                    };
                    let bare = value.trim_matches('\'');
                    let angle = bare.strip_prefix('<').and_then(|b| b.strip_suffix('>'));
                    let placeholder = match (key, angle) {
                        _ if value.contains('{') => return arg.to_owned(),
                        (_, Some(inner)) if is_word(inner) => inner,
                        ("", _) => return arg.to_owned(),
                        (k, _) if is_word(k) => k,
                        _ => return arg.to_owned(),
                    };
                    let quoted = value.starts_with('\'');
                    let out = match (key, quoted) {
                        ("", true) => format!("'{{{placeholder}}}'"),
                        ("", false) => format!("{{{placeholder}}}"),
                        (k, true) => format!("{k}='{{{placeholder}}}'"),
                        (k, false) => format!("{k}={{{placeholder}}}"),
                    };
                    changed.push(arg.to_owned());
                    out
                })
                .collect();
            // A segment with nothing to rewrite stays as written (spacing included).
            if changed.len() == before {
                return segment.to_owned();
            }
            format!("{name}({})", rewritten.join(","))
        })
        .collect();
    (segments.join("/"), changed)
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

enum Token<'a> {
    Literal(&'a str),
    Param(&'a str),
}

fn tokens(segment: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else { break };
        if open > 0 {
            out.push(Token::Literal(rest.get(..open).unwrap_or_default()));
        }
        out.push(Token::Param(after.get(..close).unwrap_or_default()));
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        out.push(Token::Literal(rest));
    }
    out
}

/// The pieces of a segment: `(true, name)` for a `{name}` placeholder, `(false, text)` for literal text.
pub fn segment_pieces(segment: &str) -> Vec<(bool, String)> {
    tokens(segment)
        .into_iter()
        .map(|t| match t {
            Token::Literal(l) => (false, l.to_owned()),
            Token::Param(p) => (true, p.to_owned()),
        })
        .collect()
}

/// Most placeholders one segment may hold: matching backtracks, so hostile templates stay cheap
/// (a function's four arguments, `roleSchedules(directoryScopeId='{a}',appScopeId='{b}',...)`, fit).
const MAX_SEGMENT_PARAMS: usize = 4;

fn match_tokens<'a>(tokens: &[Token<'_>], text: &'a str, out: &mut Vec<(String, &'a str)>) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return text.is_empty();
    };
    match first {
        Token::Literal(lit) => {
            let n = lit.len();
            text.get(..n).is_some_and(|p| p.eq_ignore_ascii_case(lit))
                && text.get(n..).is_some_and(|t| match_tokens(rest, t, out))
        }
        Token::Param(name) => {
            // A placeholder takes at least one char; try the shortest first.
            for (i, _) in text.char_indices().skip(1).chain(std::iter::once((text.len(), ' '))) {
                let (Some(value), Some(tail)) = (text.get(..i), text.get(i..)) else { continue };
                if value.is_empty() {
                    continue;
                }
                let mark = out.len();
                out.push(((*name).to_owned(), value));
                if match_tokens(rest, tail, out) {
                    return true;
                }
                out.truncate(mark);
            }
            false
        }
    }
}

/// Match `path` against `template`: placeholders stand for one or more chars of one segment,
/// literals compare case-insensitively. Returns the placeholder values.
pub fn match_template(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let template = normalize(template);
    let path = normalize(path);
    let ts: Vec<&str> = template.split('/').collect();
    let ps: Vec<&str> = path.split('/').collect();
    if ts.len() != ps.len() {
        return None;
    }
    let mut values = Vec::new();
    for (t, p) in ts.iter().zip(&ps) {
        let toks = tokens(t);
        if toks.iter().filter(|t| matches!(t, Token::Param(_))).count() > MAX_SEGMENT_PARAMS {
            return None;
        }
        let mut seg = Vec::new();
        if !match_tokens(&toks, p, &mut seg) {
            return None;
        }
        values.extend(seg.into_iter().map(|(k, v)| (k, v.to_owned())));
    }
    // A name used twice (`/members/{id}/.../{id}`) keeps both values: the second is `id#2`.
    let keys = occurrence_keys(values.iter().map(|(k, _)| k.as_str()));
    Some(keys.into_iter().zip(values.into_iter().map(|(_, v)| v)).collect())
}

/// The key of each placeholder value, in path order: the name for its first use, `name#2`,
/// `name#3`, ... for later ones (the keys of `Example::path_values`).
pub fn occurrence_keys<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    names
        .into_iter()
        .map(|name| {
            let n = uses.entry(name).or_insert(0);
            *n += 1;
            if *n == 1 { name.to_owned() } else { format!("{name}#{n}") }
        })
        .collect()
}

/// Match, also reading `/me` as `/users/{id}` (the signed-in user) where the template says so,
/// and an OData key in parentheses (`/messages('AAMk')`) as the segment it stands for
/// (`/messages/AAMk`).
pub fn match_with_aliases(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    match_me(template, path).or_else(|| {
        let keyed = key_segments(path)?;
        match_me(template, &keyed)
    })
}

/// `path` with every `name('key')` segment written as `name/key`; `None` when there is none.
fn key_segments(path: &str) -> Option<String> {
    let keyed = graphdoc_runtime::key_segments(path);
    (keyed != path).then_some(keyed)
}

fn match_me(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    if let Some(v) = match_template(template, path) {
        return Some(v);
    }
    let lower = path.to_ascii_lowercase();
    let rest = if lower == "/me" {
        ""
    } else if lower.starts_with("/me/") {
        path.get(3..).unwrap_or_default()
    } else {
        return None;
    };
    let t_lower = template.to_ascii_lowercase();
    if !t_lower.starts_with("/users/{") {
        return None;
    }
    let close = template.find('}')?;
    let t_rest = template.get(close + 1..)?;
    match_template(&format!("/me{t_rest}"), &format!("/me{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `shape` was before it copied runs: a char at a time.
    fn shape_by_chars(template: &str) -> String {
        let mut out = String::new();
        let mut depth = 0u32;
        for c in template.chars() {
            match c {
                '{' => {
                    if depth == 0 {
                        out.push_str("{}");
                    }
                    depth += 1;
                }
                '}' => depth = depth.saturating_sub(1),
                c if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn shapes_are_what_a_char_at_a_time_made(template in "[a/{}é()']{0,24}") {
            proptest::prop_assert_eq!(shape(&template), shape_by_chars(&template));
        }
    }

    #[test]
    fn placeholders_match_one_segment() {
        let v = match_template(
            "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/groupAssignments",
            "/devicemanagement/deviceManagementScripts/abc-123/groupAssignments/",
        );
        assert_eq!(v.and_then(|m| m.get("deviceManagementScriptId").cloned()).as_deref(), Some("abc-123"));
        assert!(match_template("/a/{id}/b", "/a/x/y/b").is_none());
        assert!(match_template("/a/{id}", "/a/").is_none());
    }

    #[test]
    fn placeholders_inside_segments() {
        let v = match_template("/items('{id}')/x", "/items('42')/x").unwrap_or_default();
        assert_eq!(v.get("id").map(String::as_str), Some("42"));
        let v = match_template("/users/{id | userPrincipalName}", "/users/a@b.com").unwrap_or_default();
        assert_eq!(v.get("id | userPrincipalName").map(String::as_str), Some("a@b.com"));
    }

    #[test]
    fn ref_suffix_is_a_mismatch() {
        assert!(match_template("/a/{id}/groupAssignments/$ref", "/a/1/groupAssignments").is_none());
    }

    #[test]
    fn a_key_in_parentheses_is_a_segment() {
        let v = match_with_aliases("/me/messages/{id}/attachments/{aid}", "/me/messages('AAMk=')/attachments('B1')").unwrap_or_default();
        assert_eq!(v.get("id").map(String::as_str), Some("AAMk="));
        assert_eq!(v.get("aid").map(String::as_str), Some("B1"));
        assert!(match_with_aliases("/w/range/{id}", "/w/range(address='A1')").is_none());
    }

    #[test]
    fn me_is_the_signed_in_user() {
        assert!(match_with_aliases("/users/{id}/events", "/me/events").is_some());
        assert!(match_with_aliases("/groups/{id}/events", "/me/events").is_none());
    }

    #[test]
    fn function_values_become_placeholders() {
        let (p, changed) = function_placeholders("/a/filterByCurrentUser(on='parameterValue')");
        assert_eq!(p, "/a/filterByCurrentUser(on='{on}')");
        assert_eq!(changed, vec!["on='parameterValue'".to_owned()]);
        let (p, _) = function_placeholders("/n/getRecentNotebooks(includePersonalNotebooks=includePersonalNotebooks-value)");
        assert_eq!(p, "/n/getRecentNotebooks(includePersonalNotebooks={includePersonalNotebooks})");
        let (p, _) = function_placeholders("/w/range(address='<address>')/format/borders(<sideIndex>)");
        assert_eq!(p, "/w/range(address='{address}')/format/borders({sideIndex})");
        let (p, changed) = function_placeholders("/r/getX(period='{period_value}')/messages('AAMk')/f()");
        assert_eq!(p, "/r/getX(period='{period_value}')/messages('AAMk')/f()");
        assert!(changed.is_empty());
        assert!(match_template(&function_placeholders("/a/f(on='x',count=n)").0, "/a/f(on='target',count=5)").is_some());
        let spaced = "/r/resizedRange(deltaRows={n}, deltaColumns={n})";
        assert_eq!(function_placeholders(spaced).0, spaced);
    }

    #[test]
    fn params_in_order() {
        assert_eq!(params("/a/{x}/b/{y | z}"), vec!["x".to_owned(), "y | z".to_owned()]);
    }

    #[test]
    fn a_placeholder_name_used_twice_keeps_both_values() {
        let v = match_template("/administrativeUnits/{id}/members/{id}/$ref", "/administrativeUnits/a1/members/m2/$ref");
        let v = v.unwrap_or_default();
        assert_eq!(v.get("id").map(String::as_str), Some("a1"));
        assert_eq!(v.get("id#2").map(String::as_str), Some("m2"));
    }
}
