//! Type names as the docs spell them: `#microsoft.graph.X`, `microsoft.graph.x`, `X` are one type.

/// The part of `raw` that names a type: without `#` and `microsoft.graph.`, as written otherwise.
pub fn bare_name(raw: &str) -> &str {
    let s = raw.trim().trim_start_matches('#');
    match s.get(..16) {
        Some(p) if p.eq_ignore_ascii_case("microsoft.graph.") => s.get(16..).unwrap_or_default(),
        _ => s,
    }
}

/// The name without `#` and `microsoft.graph.` prefix, as written otherwise.
pub fn type_name(raw: &str) -> String {
    bare_name(raw).to_owned()
}

/// The key types are matched by: case-insensitive, prefixes removed.
pub fn type_key(raw: &str) -> String {
    let mut key = String::new();
    set_type_key(&mut key, raw);
    key
}

/// Make `key` the [`type_key`] of `raw`, reusing its buffer.
pub fn set_type_key(key: &mut String, raw: &str) {
    key.clear();
    key.push_str(bare_name(raw));
    key.make_ascii_lowercase();
}

/// Compare two type names by their keys ([`type_key`]) without making either key.
pub fn cmp_names(a: &str, b: &str) -> std::cmp::Ordering {
    cmp_bare(a, bare_name(b))
}

/// [`cmp_names`] where `b` is already a [`bare_name`]: a search takes its target's bare name once,
/// not once a comparison (the model's type lookups were 1.6% of the pipeline).
pub fn cmp_bare(a: &str, b: &str) -> std::cmp::Ordering {
    bare_name(a)
        .bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// `Collection(microsoft.graph.x)` → (`x`, true).
pub fn collection_of(raw: &str) -> (String, bool) {
    let t = raw.trim();
    if t.get(..11).is_some_and(|p| p.eq_ignore_ascii_case("collection(")) && t.ends_with(')') {
        (type_name(t.get(11..t.len() - 1).unwrap_or_default()), true)
    } else {
        (type_name(t), false)
    }
}

/// Whether `s` can be a type name (an identifier, dots allowed for namespaces).
pub fn is_type_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_type_share_a_key() {
        for s in [
            "#microsoft.graph.deviceManagementScriptGroupAssignment",
            "microsoft.graph.devicemanagementscriptgroupassignment",
            "deviceManagementScriptGroupAssignment",
        ] {
            assert_eq!(type_key(s), "devicemanagementscriptgroupassignment");
        }
        assert_eq!(type_name("#microsoft.graph.user"), "user");
        assert_eq!(type_name("microsoft.graph.callRecords.session"), "callRecords.session");
    }

    #[test]
    fn names_compare_as_their_keys() {
        let names = ["#microsoft.graph.User", "user", "users", "Zeta", "alpha", " #microsoft.graph.zeta ", "microsoft.graph.", "microsoft.graphx", "é"];
        for a in names {
            for b in names {
                assert_eq!(cmp_names(a, b), type_key(a).cmp(&type_key(b)), "{a:?} vs {b:?}");
                assert_eq!(cmp_bare(a, bare_name(b)), cmp_names(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn collections() {
        assert_eq!(collection_of("Collection(microsoft.graph.user)"), ("user".to_owned(), true));
        assert_eq!(collection_of("microsoft.graph.user"), ("user".to_owned(), false));
    }
}
