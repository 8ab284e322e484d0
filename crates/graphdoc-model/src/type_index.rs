//! `TypeIndex`: the model's types and enums by key, each type with the properties it inherits.
//!
//! Checking examples looks a type up for every value of every example body (about 1.5 million
//! lookups on beta). `ApiModel::type_def` finds one by a binary search whose comparisons fold case
//! byte by byte, and `all_properties` walks the bases again each time; together they were 8% of
//! the pipeline's instructions. The index hashes each name once per lookup instead.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use crate::model::{ApiModel, EnumDef, Property, TypeDef};
use crate::names::{bare_name, type_key};

/// Types and enums of one model by key ([`crate::names::type_key`]), built once and shared by
/// every check.
pub(crate) struct TypeIndex<'m> {
    /// By key: the name without prefixes, lower-cased.
    entries: HashMap<String, Entry<'m>, FxBuildHasher>,
}

/// What one key names: a type, an enum, or (it happens) both.
#[derive(Default)]
struct Entry<'m> {
    type_def: Option<&'m TypeDef>,
    enum_def: Option<&'m EnumDef>,
    /// The type's properties and its bases', nearest first ([`ApiModel::all_properties`]).
    properties: Vec<&'m Property>,
}

impl<'m> TypeIndex<'m> {
    /// Index `model`'s types and enums; each answers as `ApiModel::type_def` and `enum_def` do.
    pub fn new(model: &'m ApiModel) -> Self {
        let mut entries: HashMap<String, Entry<'m>, FxBuildHasher> = HashMap::default();
        entries.reserve(model.types.len() + model.enums.len());
        // Keys are unique in a finished model (the registry merges by key), so each type and enum is
        // the one `type_def` and `enum_def` find for its key.
        for t in &model.types {
            let entry = entries.entry(type_key(&t.name)).or_default();
            entry.type_def = Some(t);
            entry.properties = model.all_properties(&t.name);
        }
        for e in &model.enums {
            entries.entry(type_key(&e.name)).or_default().enum_def = Some(e);
        }
        TypeIndex { entries }
    }

    fn entry(&self, name: &str) -> Option<&Entry<'m>> {
        // The key is made on the stack: a lookup allocates nothing (names longer than any type's
        // excepted).
        let name = bare_name(name);
        let mut buf = [0u8; 128];
        match buf.get_mut(..name.len()) {
            Some(key) => {
                key.copy_from_slice(name.as_bytes());
                key.make_ascii_lowercase();
                std::str::from_utf8(key).ok().and_then(|k| self.entries.get(k))
            }
            None => self.entries.get(&name.to_ascii_lowercase()),
        }
    }

    /// The type named `name` (any spelling the docs use).
    pub fn type_def(&self, name: &str) -> Option<&'m TypeDef> {
        self.entry(name).and_then(|e| e.type_def)
    }

    /// The enum named `name`.
    pub fn enum_def(&self, name: &str) -> Option<&'m EnumDef> {
        self.entry(name).and_then(|e| e.enum_def)
    }

    /// Properties of the type named `name`, its bases' included (nearest first wins).
    pub fn properties(&self, name: &str) -> &[&'m Property] {
        self.entry(name).map(|e| e.properties.as_slice()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumMember, Source};
    use graphdoc_page::Span;

    fn source() -> Source {
        Source::new("t.md", Span::default())
    }

    fn type_def(name: &str, base: Option<&str>, props: &[&str]) -> TypeDef {
        let property = |p: &&str| Property::plain(p, "String", source());
        TypeDef {
            base: base.map(str::to_owned),
            properties: props.iter().map(property).collect(),
            sources: vec![source()],
            ..TypeDef::complex(name.to_owned())
        }
    }

    #[test]
    fn the_index_answers_as_the_model_does() {
        // Longer than the key buffer on the stack.
        let long = format!("User{}", "x".repeat(200));
        let mut types = vec![
            type_def(&long, Some("user"), &["extra"]),
            type_def("user", Some("directoryObject"), &["displayName", "id"]),
            type_def("directoryObject", Some("entity"), &["deletedDateTime"]),
            type_def("entity", None, &["id"]),
            type_def("loop", Some("loop"), &["x"]),
            type_def("colour", None, &["name"]),
        ];
        types.sort_by(|a, b| crate::names::cmp_names(&a.name, &b.name));
        let enums = vec![EnumDef {
            name: "Colour".to_owned(),
            members: vec![EnumMember { name: "red".to_owned(), value: None, description: String::new() }],
            example_values: Vec::new(),
            sources: vec![source()],
        }];
        let model = ApiModel { types, enums, ..ApiModel::default() };
        let index = TypeIndex::new(&model);
        let names = |ps: &[&Property]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        let names_of = [long.as_str(), "user", "#microsoft.graph.User", " USER ", "directoryobject", "loop", "colour", "COLOUR", "none", "", "microsoft.graph."];
        for name in names_of {
            assert_eq!(index.type_def(name).map(|t| &t.name), model.type_def(name).map(|t| &t.name), "{name:?}");
            assert_eq!(index.enum_def(name).map(|e| &e.name), model.enum_def(name).map(|e| &e.name), "{name:?}");
            assert_eq!(names(index.properties(name)), names(&model.all_properties(name)), "{name:?}");
            for property in ["id", "displayName", "extra", "name", "value"] {
                let listed = model.all_properties(name).iter().any(|p| p.name == property);
                assert_eq!(model.has_property(name, property), listed, "{name:?}.{property}");
            }
        }
        assert_eq!(names(index.properties("user")), ["displayName", "id", "deletedDateTime"]);
        assert_eq!(index.enum_def("colour").map(|e| e.name.as_str()), Some("Colour"));
        assert!(index.type_def("none").is_none() && index.properties("none").is_empty());
        assert_eq!(names(index.properties(&long.to_ascii_uppercase())), ["extra", "displayName", "id", "deletedDateTime"]);
    }
}
