//! Type names as the docs spell them: `#microsoft.graph.X`, `microsoft.graph.x`, `X` are one type.

/// The name without `#` and `microsoft.graph.` prefix, as written otherwise.
pub fn type_name(raw: &str) -> String {
    let s = raw.trim().trim_start_matches('#');
    let lower = s.to_ascii_lowercase();
    match lower.strip_prefix("microsoft.graph.") {
        Some(_) => s.get(16..).unwrap_or_default().to_owned(),
        None => s.to_owned(),
    }
}

/// The key types are matched by: case-insensitive, prefixes removed.
pub fn type_key(raw: &str) -> String {
    type_name(raw).to_ascii_lowercase()
}

/// Compare a type name with a key made by [`type_key`], without allocating (lookups are hot).
pub fn cmp_name_to_key(name: &str, key: &str) -> std::cmp::Ordering {
    let s = name.trim().trim_start_matches('#');
    let s = match s.get(..16) {
        Some(p) if p.eq_ignore_ascii_case("microsoft.graph.") => s.get(16..).unwrap_or_default(),
        _ => s,
    };
    s.bytes().map(|b| b.to_ascii_lowercase()).cmp(key.bytes())
}

/// `Collection(microsoft.graph.x)` → (`x`, true).
pub fn collection_of(raw: &str) -> (String, bool) {
    let t = raw.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("collection(") && t.ends_with(')') {
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
    fn comparison_matches_the_key() {
        for (name, key) in [("#microsoft.graph.User", "user"), ("user", "users"), ("Zeta", "alpha")] {
            assert_eq!(cmp_name_to_key(name, key), type_key(name).cmp(&key.to_owned()), "{name} vs {key}");
        }
    }

    #[test]
    fn collections() {
        assert_eq!(collection_of("Collection(microsoft.graph.user)"), ("user".to_owned(), true));
        assert_eq!(collection_of("microsoft.graph.user"), ("user".to_owned(), false));
    }
}
