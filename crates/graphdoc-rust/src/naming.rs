//! Rust names for wire names: case conversion, keywords, leading digits, non-ASCII, and collisions.
//! Every generated identifier goes through here, so no doc text can become a name that breaks code.

use std::collections::BTreeSet;

/// Keywords of every edition, sorted (searched by bisection); `r#` makes all but these usable.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do",
    "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where",
    "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Where a name's words are, as heck 0.5 splits them once every character that is not an ASCII
/// letter or digit is a separator: a lowercase letter (or digits after it) before an uppercase one ends
/// a word (`fooBar`), and so does an uppercase letter before an uppercase-then-lowercase pair
/// (`HTTPServer`). Names are ASCII by then, so bytes do: heck's `char` and `fmt` machinery cost
/// thousands of instructions a name, and code generation converts about 30,000 names.
fn for_each_word(raw: &str, mut word: impl FnMut(&[u8])) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    for part in raw.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        let (mut start, mut mode) = (0, Mode::Boundary);
        let mut bytes = part.iter().copied().enumerate().peekable();
        while let Some((i, c)) = bytes.next() {
            let Some(&(_, next)) = bytes.peek() else {
                word(part.get(start..).unwrap_or_default());
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(part.get(start..=i).unwrap_or_default());
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(part.get(start..i).unwrap_or_default());
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

fn fix_start(mut s: String, fallback: &str, prefix: &str) -> String {
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    s
}

/// `UpperCamelCase` for types and variants (`deviceManagement` → `DeviceManagement`).
pub fn type_name(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len());
    for_each_word(raw, |word| {
        for (i, &b) in word.iter().enumerate() {
            name.push(char::from(if i == 0 { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() }));
        }
    });
    let name = fix_start(name, "Unnamed", "N");
    // `Self` is the one UpperCamelCase keyword, and it cannot be a raw identifier.
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// `snake_case` for fields, methods and arguments (`targetGroupId` → `target_group_id`).
pub fn snake_name(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len() + 4);
    for_each_word(raw, |word| {
        if !name.is_empty() {
            name.push('_');
        }
        name.extend(word.iter().map(|b| char::from(b.to_ascii_lowercase())));
    });
    fix_start(name, "unnamed", "n_")
}

/// The identifier text for a snake-case name: `r#type`, `self_` (raw is not allowed for `self`).
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.binary_search(&name).is_ok() {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Hands out names unique within one scope: a clash gets `2`, `3`, ... appended.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    used: BTreeSet<String>,
}

impl Namer {
    /// A scope with `reserved` names already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer {
            used: reserved.iter().map(|s| clash_key(s)).collect(),
        }
    }

    /// `name`, or `name2`, `name3`, ... (for snake names `name_2`) if taken; comparison ignores case
    /// and underscores, so `fooBar` and `foo_bar` cannot both become `foo_bar`.
    pub fn unique(&mut self, name: &str) -> String {
        let snake = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let mut candidate = name.to_owned();
        let mut key = clash_key(&candidate);
        let mut n = 2;
        while self.used.contains(&key) {
            candidate = if snake { format!("{name}_{n}") } else { format!("{name}{n}") };
            key = clash_key(&candidate);
            n += 1;
        }
        self.used.insert(key);
        candidate
    }
}

/// Names that differ only in case or underscores clash.
fn clash_key(s: &str) -> String {
    // Sized once: collected from a filter, the key grew a few times for every name.
    let mut key = String::with_capacity(s.len());
    key.extend(s.chars().filter(|&c| c != '_').map(|c| c.to_ascii_lowercase()));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clash_keys_ignore_case_and_underscores() {
        for s in ["fooBar", "foo_bar", "FOO__BAR_", "_", "", "Ünï_Cödé", "a_2"] {
            assert_eq!(clash_key(s), s.to_ascii_lowercase().replace('_', ""), "{s:?}");
        }
        let mut namer = Namer::default();
        assert_eq!(namer.unique("fooBar"), "fooBar");
        assert_eq!(namer.unique("foo_bar"), "foo_bar_2");
        assert_eq!(namer.unique("FooBar"), "FooBar3");
    }

    /// What the names were before `for_each_word`: heck on the name's ASCII letters and digits.
    fn heck_names(raw: &str) -> (String, String) {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let ascii: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
        let ty = fix_start(ascii.to_upper_camel_case(), "Unnamed", "N");
        (if ty == "Self" { "SelfValue".to_owned() } else { ty }, fix_start(ascii.to_snake_case(), "unnamed", "n_"))
    }

    proptest::proptest! {
        #[test]
        fn names_are_what_heck_made(raw in "[a-zA-Z0-9 _.@é|-]{0,24}") {
            proptest::prop_assert_eq!((type_name(&raw), snake_name(&raw)), heck_names(&raw));
        }
    }

    #[test]
    fn names_of_tricky_shapes_are_what_heck_made() {
        for raw in [
            "HTTPServer", "fooBar", "foo2Bar", "FOO", "a", "A", "aB", "Ab", "ABc", "2fa", "x2Y", "X2y", "IPv6Address",
            "odataNextLink", "@odata.nextLink", "getM365AppPlatformUserCounts", "ABCdef GHi", "_a_B_", "1A2b3C",
            "ünïcödé", "self", "Self", "",
        ] {
            assert_eq!((type_name(raw), snake_name(raw)), heck_names(raw), "{raw:?}");
        }
    }

    #[test]
    fn case_conversion() {
        assert_eq!(type_name("deviceManagementScriptGroupAssignment"), "DeviceManagementScriptGroupAssignment");
        assert_eq!(snake_name("targetGroupId"), "target_group_id");
        assert_eq!(snake_name("@odata.type"), "odata_type");
        assert_eq!(snake_name("id | userPrincipalName"), "id_user_principal_name");
        assert_eq!(type_name("callRecords.session"), "CallRecordsSession");
    }

    #[test]
    fn keywords_are_sorted_for_their_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]), "KEYWORDS must stay sorted and unique");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident_text(&snake_name("type")), "r#type");
        assert_eq!(ident_text(&snake_name("async")), "r#async");
        assert_eq!(ident_text(&snake_name("self")), "self_");
        assert_eq!(ident_text(&snake_name("Self")), "self_");
        assert_eq!(ident_text(&snake_name("crate")), "crate_");
        assert_eq!(ident_text("target"), "target");
    }

    #[test]
    fn leading_digits_and_non_ascii() {
        assert_eq!(type_name("3dModel"), "N3dModel");
        assert_eq!(snake_name("2fa"), "n_2fa");
        assert_eq!(type_name("café"), "Caf");
        assert_eq!(type_name("ünïcödé"), "NCD");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("self"), "SelfValue");
        assert_eq!(snake_name("—"), "unnamed");
    }

    #[test]
    fn collisions_after_conversion_get_suffixes() {
        let mut n = Namer::default();
        assert_eq!(n.unique(&snake_name("fooBar")), "foo_bar");
        assert_eq!(n.unique(&snake_name("foo_bar")), "foo_bar_2");
        let mut v = Namer::with_reserved(&["Unknown"]);
        assert_eq!(v.unique(&type_name("none")), "None");
        assert_eq!(v.unique(&type_name("None")), "None2");
        assert_eq!(v.unique(&type_name("unknown")), "Unknown2");
        let mut f = Namer::with_reserved(&["odata_type"]);
        assert_eq!(f.unique("odata_type"), "odata_type_2");
    }

    #[test]
    fn prelude_like_type_names_are_plain_names() {
        // Generated code spells std and runtime items with full paths, so these are safe as model names.
        for n in ["Option", "Result", "Box", "String", "Vec", "Client", "Error"] {
            assert_eq!(type_name(n), n);
        }
    }
}
