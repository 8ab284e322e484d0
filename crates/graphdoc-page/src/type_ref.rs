//! The type cell of a property or parameter table (`String`, `[x](x.md) collection`, `Collection(Edm.Int32)`).

use serde::Serialize;

/// An OData primitive type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Primitive {
    /// Edm.String
    String,
    /// Edm.Boolean
    Boolean,
    /// Edm.Byte
    Byte,
    /// Edm.SByte
    SByte,
    /// Edm.Int16
    Int16,
    /// Edm.Int32
    Int32,
    /// Edm.Int64
    Int64,
    /// Edm.Single
    Single,
    /// Edm.Double
    Double,
    /// Edm.Decimal
    Decimal,
    /// Edm.DateTimeOffset
    DateTimeOffset,
    /// Edm.Date
    Date,
    /// Edm.TimeOfDay
    TimeOfDay,
    /// Edm.Duration
    Duration,
    /// Edm.Guid
    Guid,
    /// Edm.Binary
    Binary,
    /// Edm.Stream
    Stream,
    /// Untyped JSON (`Json`, `Object`).
    Json,
}

impl Primitive {
    /// The canonical name as the docs write it.
    pub fn name(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Boolean => "Boolean",
            Primitive::Byte => "Byte",
            Primitive::SByte => "SByte",
            Primitive::Int16 => "Int16",
            Primitive::Int32 => "Int32",
            Primitive::Int64 => "Int64",
            Primitive::Single => "Single",
            Primitive::Double => "Double",
            Primitive::Decimal => "Decimal",
            Primitive::DateTimeOffset => "DateTimeOffset",
            Primitive::Date => "Date",
            Primitive::TimeOfDay => "TimeOfDay",
            Primitive::Duration => "Duration",
            Primitive::Guid => "Guid",
            Primitive::Binary => "Binary",
            Primitive::Stream => "Stream",
            Primitive::Json => "Json",
        }
    }

    /// A primitive named in any spelling seen in the docs; `canonical` is false for non-EDM words.
    pub fn lookup(word: &str) -> Option<(Primitive, bool)> {
        let w = word
            .strip_prefix("Edm.")
            .or_else(|| word.strip_prefix("edm."))
            .unwrap_or(word);
        // Lower-cased on the stack: no primitive's name is longer than 14 bytes, and this runs for
        // every type name a page or the model meets (about 300,000 a beta run).
        let mut buf = [0u8; 16];
        let lower = buf.get_mut(..w.len())?;
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        let (p, canonical_word) = match &*lower {
            b"string" => (Primitive::String, true),
            b"boolean" => (Primitive::Boolean, true),
            b"bool" => (Primitive::Boolean, false),
            b"byte" => (Primitive::Byte, true),
            b"sbyte" => (Primitive::SByte, true),
            b"int16" => (Primitive::Int16, true),
            b"int32" => (Primitive::Int32, true),
            b"int" | b"integer" => (Primitive::Int32, false),
            b"int64" => (Primitive::Int64, true),
            b"single" => (Primitive::Single, true),
            b"float" => (Primitive::Single, false),
            b"double" => (Primitive::Double, true),
            b"number" => (Primitive::Double, false),
            b"decimal" => (Primitive::Decimal, true),
            b"datetimeoffset" => (Primitive::DateTimeOffset, true),
            b"datetime" | b"timestamp" => (Primitive::DateTimeOffset, false),
            b"date" => (Primitive::Date, true),
            b"timeofday" => (Primitive::TimeOfDay, true),
            b"duration" => (Primitive::Duration, true),
            b"guid" => (Primitive::Guid, true),
            b"binary" => (Primitive::Binary, true),
            b"stream" => (Primitive::Stream, true),
            b"json" | b"object" => (Primitive::Json, false),
            _ => return None,
        };
        Some((p, canonical_word && w == p.name()))
    }
}

/// A type named by a table cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeRef {
    /// The type name: a primitive's canonical name, or the named type as written.
    pub name: String,
    /// Set when the type is a primitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primitive: Option<Primitive>,
    /// The link target of a named type, when the cell links it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// `X collection` / `Collection(X)`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub collection: bool,
}

/// Why a type cell could not be read cleanly.
#[derive(Debug, PartialEq, Eq)]
pub enum TypeCellIssue {
    /// Read, but the primitive was spelled non-canonically; carries the canonical spelling.
    Noncanonical(&'static str),
    /// Not a type.
    Unparsed,
}

/// Read a type cell from its plain text and the targets of the links in it.
pub fn parse_type_cell(text: &str, links: &[(String, String)]) -> (Option<TypeRef>, Option<TypeCellIssue>) {
    let mut s = strip_wrapping(text.trim());
    let mut collection = false;
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("collection(") && s.ends_with(')') {
        s = s.get(11..s.len() - 1).unwrap_or_default().trim();
        collection = true;
    } else if let Some(rest) = lower.strip_suffix(" collection") {
        s = s.get(..rest.len()).unwrap_or_default().trim();
        collection = true;
    } else if let Some(rest) = lower.strip_prefix("collection of ") {
        s = s.get(s.len() - rest.len()..).unwrap_or_default().trim();
        collection = true;
    }
    s = strip_wrapping(s);
    // "String (identifier)", "Int32 nullable": the first word is the type.
    let word = match s.find(|c: char| c.is_whitespace() || c == '(') {
        Some(i) if !s.contains(" or ") && !s.contains('/') => s.get(..i).unwrap_or(s),
        _ => s,
    };
    if let Some((p, canonical)) = Primitive::lookup(word) {
        let issue = (!canonical).then_some(TypeCellIssue::Noncanonical(p.name()));
        return (
            Some(TypeRef {
                name: p.name().to_owned(),
                primitive: Some(p),
                link: None,
                collection,
            }),
            issue,
        );
    }
    let is_ident = !word.is_empty()
        && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if is_ident && word.len() == s.len() {
        let link = links
            .iter()
            .find(|(label, _)| strip_wrapping(label.trim()).eq_ignore_ascii_case(word))
            .map(|(_, target)| target.clone());
        return (
            Some(TypeRef {
                name: word.to_owned(),
                primitive: None,
                link,
                collection,
            }),
            None,
        );
    }
    (None, Some(TypeCellIssue::Unparsed))
}

fn strip_wrapping(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let next = s
            .strip_prefix("**")
            .and_then(|x| x.strip_suffix("**"))
            .or_else(|| s.strip_prefix('*').and_then(|x| x.strip_suffix('*')))
            .or_else(|| s.strip_prefix('`').and_then(|x| x.strip_suffix('`')))
            .or_else(|| s.strip_prefix('_').and_then(|x| x.strip_suffix('_')));
        match next {
            Some(n) => s = n.trim(),
            None => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_are_found_in_any_case_and_nothing_else_is() {
        let found = |w: &str| Primitive::lookup(w).map(|(p, canonical)| (p.name(), canonical));
        assert_eq!(found("String"), Some(("String", true)));
        assert_eq!(found("string"), Some(("String", false)));
        assert_eq!(found("Edm.DateTimeOffset"), Some(("DateTimeOffset", true)));
        assert_eq!(found("edm.DATETIMEOFFSET"), Some(("DateTimeOffset", false)));
        assert_eq!(found("Integer"), Some(("Int32", false)));
        assert_eq!(found("object"), Some(("Json", false)));
        for w in ["", "Strin", "Stringy", "datetimeoffsets", "microsoft.graph.user", "Ströng", "é", "int 32"] {
            assert_eq!(found(w), None, "{w:?}");
        }
    }

    fn parse(text: &str) -> (Option<TypeRef>, Option<TypeCellIssue>) {
        parse_type_cell(text, &[])
    }

    #[test]
    fn primitives_in_all_spellings() {
        assert_eq!(parse("String").0.map(|t| t.primitive), Some(Some(Primitive::String)));
        assert_eq!(parse("Edm.Int32").0.map(|t| t.name), Some("Int32".to_owned()));
        assert_eq!(parse("string").1, Some(TypeCellIssue::Noncanonical("String")));
        assert_eq!(parse("int").0.map(|t| t.primitive), Some(Some(Primitive::Int32)));
        assert_eq!(parse("String (identifier)").0.map(|t| t.name), Some("String".to_owned()));
    }

    #[test]
    fn collections_in_all_spellings() {
        for cell in ["String collection", "Collection(String)", "collection of String", "`String` collection"] {
            let (t, _) = parse(cell);
            let t = t.unwrap_or_else(|| panic!("{cell} unparsed"));
            assert!(t.collection, "{cell}");
            assert_eq!(t.name, "String", "{cell}");
        }
    }

    #[test]
    fn named_types_keep_their_link() {
        let links = vec![("deviceAndAppManagementAssignmentTarget".to_owned(), "../resources/x.md".to_owned())];
        let (t, issue) = parse_type_cell("deviceAndAppManagementAssignmentTarget", &links);
        assert_eq!(issue, None);
        let t = t.unwrap_or_else(|| panic!("unparsed"));
        assert_eq!(t.link.as_deref(), Some("../resources/x.md"));
        assert_eq!(t.primitive, None);
    }

    #[test]
    fn prose_is_unparsed() {
        assert_eq!(parse("String or Int32").1, Some(TypeCellIssue::Unparsed));
        assert_eq!(parse("").1, Some(TypeCellIssue::Unparsed));
        assert_eq!(parse("Not supported.").1, Some(TypeCellIssue::Unparsed));
    }
}
