//! `models.rs` of the generated crate: a struct per type, an enum per enum, and an `Any*` enum per
//! base type with derived types, so `@odata.type` picks the variant.

#[cfg(test)]
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use graphdoc_model::names::type_key;
use graphdoc_model::{ApiModel, EnumDef, Operation, Property, RequestBody, TypeDef, TypeKind, TypeRef};
use graphdoc_page::Primitive;

use crate::areas::{push_cfg, Areas, Gate};
use crate::docs::doc_text;
use crate::naming::{ident_text, snake_name, type_name, Namer};
use crate::layout::{fits_as_written, print_line, push_line, WIDTH};
use crate::rust_type::RustType;
use crate::tokens::{ident, ident_str, into_ident, push_doc_lines, push_elements, push_macro_line, push_string_literal, string_literal};
#[cfg(test)]
use crate::tokens::docs;

/// Rust names of the model's types and enums, and which types are polymorphic.
pub struct TypeMap {
    types: BTreeMap<String, String>,
    enums: BTreeMap<String, String>,
    /// key → Rust name of its `Any*` enum.
    any: BTreeMap<String, String>,
    /// key → keys of every type derived from it, transitively.
    descendants: BTreeMap<String, Vec<String>>,
    /// operation id → Rust name of its action-parameters struct.
    parameters: BTreeMap<String, String>,
}

impl TypeMap {
    /// Name every type and enum once, in one namespace.
    pub fn new(model: &ApiModel) -> TypeMap {
        let mut namer = Namer::with_reserved(&["Collection", "Nullable"]);
        let mut types = BTreeMap::new();
        for t in &model.types {
            types.insert(type_key(&t.name), namer.unique(&type_name(&t.name)));
        }
        let mut enums = BTreeMap::new();
        for e in &model.enums {
            let key = type_key(&e.name);
            // A name that is both a type and an enum is read as the type (as the model's checks do).
            if !types.contains_key(&key) {
                enums.insert(key, namer.unique(&type_name(&e.name)));
            }
        }
        let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for t in &model.types {
            for d in &t.derived {
                if types.contains_key(&type_key(d)) {
                    children.entry(type_key(&t.name)).or_default().insert(type_key(d));
                }
            }
            if let Some(b) = &t.base {
                if types.contains_key(&type_key(b)) {
                    children.entry(type_key(b)).or_default().insert(type_key(&t.name));
                }
            }
        }
        let mut descendants = BTreeMap::new();
        let mut any = BTreeMap::new();
        for key in children.keys() {
            let mut seen = BTreeSet::new();
            let mut stack = vec![key.clone()];
            while let Some(k) = stack.pop() {
                for c in children.get(&k).into_iter().flatten() {
                    if c != key && seen.insert(c.clone()) {
                        stack.push(c.clone());
                    }
                }
            }
            if !seen.is_empty() {
                if let Some(name) = types.get(key) {
                    any.insert(key.clone(), namer.unique(&format!("Any{name}")));
                }
                descendants.insert(key.clone(), seen.into_iter().collect());
            }
        }
        let mut parameters = BTreeMap::new();
        for op in &model.operations {
            if matches!(op.request_body, RequestBody::Parameters { .. }) {
                let last = op.path.rsplit('/').find(|s| !s.contains('{')).unwrap_or("action");
                parameters.insert(op.id.clone(), namer.unique(&format!("{}Parameters", type_name(last))));
            }
        }
        TypeMap { types, enums, any, descendants, parameters }
    }

    /// The Rust type of an operation's action parameters.
    pub fn parameters(&self, op: &Operation) -> RustType {
        match self.parameters.get(&op.id) {
            Some(name) => RustType::model(name),
            None => RustType::path("::graphdoc_runtime::serde_json::Value"),
        }
    }

    /// The Rust name of a model type.
    pub fn type_name(&self, name: &str) -> Option<&str> {
        self.types.get(&type_key(name)).map(String::as_str)
    }

    /// The Rust name of an enum.
    pub fn enum_name(&self, name: &str) -> Option<&str> {
        self.enums.get(&type_key(name)).map(String::as_str)
    }

    /// The Rust name of a type's `Any*` enum, when types derive from it.
    pub fn any_name(&self, name: &str) -> Option<&str> {
        self.any.get(&type_key(name)).map(String::as_str)
    }

    /// The keys of every type derived from `name`, transitively.
    pub fn descendants(&self, name: &str) -> &[String] {
        self.descendants.get(&type_key(name)).map_or(&[], Vec::as_slice)
    }

    /// The Rust type of one value of `name` (no collection), as used in fields and responses.
    pub fn value_type(&self, name: &str, boxed: bool) -> RustType {
        if let Some((p, _)) = Primitive::lookup(name) {
            return primitive(p);
        }
        let key = type_key(name);
        if let Some(any) = self.any.get(&key) {
            return RustType::model(any);
        }
        if let Some(t) = self.types.get(&key) {
            let model = RustType::model(t);
            return if boxed { model.within("::std::boxed::Box") } else { model };
        }
        if let Some(e) = self.enums.get(&key) {
            return RustType::model(e);
        }
        RustType::path("::graphdoc_runtime::serde_json::Value")
    }

    /// The Rust type of a reference, collections as `Vec`.
    pub fn of(&self, r: &TypeRef, boxed: bool) -> RustType {
        let single = self.value_type(&r.name, boxed && !r.collection);
        if r.collection {
            single.within("::std::vec::Vec")
        } else {
            single
        }
    }

    /// The result type of an operation: `Content` where the body is not JSON (an `Edm.Stream`, or a
    /// documented `3xx` redirect to the bytes), `Collection<T>` for collections, `Option<T>` where
    /// another documented success has no body (`200` with the entity or `204`), `NoContent` for none.
    pub fn response(&self, op: &Operation) -> RustType {
        let or_nothing = op.responses.iter().skip(1).any(|r| (200..300).contains(&r.status) && r.body.is_none());
        match crate::duplicates::response_type(op) {
            _ if op.returns_content() => RustType::path("::graphdoc_runtime::Content"),
            Some(r) if r.collection => self.value_type(&r.name, false).within("::graphdoc_runtime::Collection"),
            Some(r) if or_nothing => self.of(r, false).within("::std::option::Option"),
            Some(r) => self.of(r, false),
            None => RustType::path("::graphdoc_runtime::NoContent"),
        }
    }

    /// The type of the body an operation's method takes: the concrete struct, the action's
    /// parameters, a `$ref` path's `Reference`, or none.
    pub fn request_body(&self, op: &Operation) -> Option<RustType> {
        match &op.request_body {
            RequestBody::Type(t) => Some(self.concrete(t)),
            RequestBody::Parameters { .. } => Some(self.parameters(op)),
            RequestBody::Reference => Some(RustType::path("::graphdoc_runtime::Reference")),
            RequestBody::None => None,
        }
    }

    /// The concrete struct type (never `Any*`), for request bodies.
    pub fn concrete(&self, r: &TypeRef) -> RustType {
        let single = match self.types.get(&type_key(&r.name)) {
            Some(t) => RustType::model(t),
            None => self.value_type(&r.name, false),
        };
        if r.collection {
            single.slice()
        } else {
            single
        }
    }
}

fn primitive(p: Primitive) -> RustType {
    RustType::path(match p {
        Primitive::String | Primitive::Stream => "::std::string::String",
        Primitive::Boolean => "bool",
        Primitive::Byte => "u8",
        Primitive::SByte => "i8",
        Primitive::Int16 => "i16",
        Primitive::Int32 => "i32",
        Primitive::Int64 => "i64",
        // Documented Single values carry more digits than f32 keeps (2.6666666666666665); f64 holds
        // every f32 and those digits, so a round trip changes nothing.
        Primitive::Single => "f64",
        Primitive::Double => "f64",
        Primitive::Decimal => "::graphdoc_runtime::serde_json::Number",
        Primitive::DateTimeOffset => "::graphdoc_runtime::DateTimeOffset",
        Primitive::Date => "::graphdoc_runtime::Date",
        Primitive::TimeOfDay => "::graphdoc_runtime::TimeOfDay",
        Primitive::Duration => "::graphdoc_runtime::Duration",
        Primitive::Guid => "::graphdoc_runtime::Guid",
        Primitive::Binary => "::graphdoc_runtime::Base64",
        Primitive::Json => "::graphdoc_runtime::serde_json::Value",
    })
}

/// The items of `models.rs`.
pub fn models_file(model: &ApiModel, map: &TypeMap, areas: &Areas) -> String {
    let mut items = Vec::new();
    for t in &model.types {
        items.push(Item::Type(t));
    }
    for e in &model.enums {
        if let Some(name) = map.enums.get(&type_key(&e.name)) {
            items.push(Item::Enum(e, name));
        }
    }
    for op in &model.operations {
        if let (RequestBody::Parameters { parameters }, Some(name)) = (&op.request_body, map.parameters.get(&op.id)) {
            items.push(Item::Parameters(op, parameters, name));
        }
    }
    let additional = additional_properties_text();
    crate::tokens::items_file(&["Models of the documented types and enums."], &items, |item| match item {
        Item::Type(t) => {
            let mut text = struct_item(model, map, areas, t, &additional);
            if let Some(any) = map.any.get(&type_key(&t.name)) {
                text.push_str(&any_text(map, areas, t, any));
            }
            text
        }
        Item::Enum(e, name) => enum_text(e, name, areas.enum_gate(&e.name)),
        Item::Parameters(op, parameters, name) => {
            let lines = vec![
                format!("Parameters of `{}` ({}).", doc_text(&op.title), doc_text(&op.id)),
                String::new(),
                format!("Documented in '{}' (line {}).", doc_text(&op.source.file), op.source.line),
            ];
            let gate = areas.parameters_gate(&op.id);
            struct_text(map, areas, gate, name, &lines, parameters.iter().collect(), &additional)
        }
    })
}

/// One item (or two: a type and its `Any*` enum) of `models.rs`, in the file's order.
enum Item<'a> {
    Type(&'a TypeDef),
    Enum(&'a EnumDef, &'a String),
    Parameters(&'a Operation, &'a [Property], &'a String),
}

fn provenance(sources: &[graphdoc_model::Source]) -> String {
    let files: BTreeSet<&str> = sources.iter().map(|s| s.file.as_str()).collect();
    let files: Vec<String> = files.into_iter().map(|f| format!("'{}'", doc_text(f))).collect();
    format!("Documented in {}.", files.join(", "))
}

fn struct_item(model: &ApiModel, map: &TypeMap, areas: &Areas, t: &TypeDef, additional: &str) -> String {
    let mut lines = vec![format!("`{}`{}", doc_text(&t.name), match t.kind {
        TypeKind::Entity => " (entity type).",
        TypeKind::Complex => " (complex type).",
        TypeKind::Open => " (open type: any property is kept).",
    })];
    if let Some(d) = t.description.as_deref().map(doc_text).filter(|d| !d.is_empty()) {
        lines.push(String::new());
        lines.push(d);
    }
    lines.push(String::new());
    lines.push(provenance(&t.sources));
    let name = map.type_name(&t.name).unwrap_or("Unnamed");
    struct_text(map, areas, areas.type_gate(&t.name), name, &lines, model.all_properties(&t.name), additional)
}

/// A struct of `properties` with `@odata.type` and a map for every property the docs do not list;
/// it exists where `gate` says, and a field whose type exists in fewer builds only in those.
///
/// Written as text, in `layout`'s style: structs are most of the models, and laying out their
/// tokens cost about a fifth of the layout's time. A line that does not fit as it is (a long
/// field type, a long `cfg`) is laid out by `layout` itself (`print_line`).
fn struct_text(
    map: &TypeMap,
    areas: &Areas,
    gate: &Gate,
    name: &str,
    lines: &[String],
    properties: Vec<&Property>,
    additional: &str,
) -> String {
    let name = ident_str(name);
    let mut out = String::with_capacity(256 + properties.len() * 256);
    push_doc_lines(&mut out, 0, lines);
    push_cfg(&mut out, 0, Some(gate));
    out.push_str("pub struct ");
    out.push_str(name);
    out.push_str(" {\n    /// `@odata.type`: the concrete type of this value.\n");
    out.push_str("    pub odata_type: ::graphdoc_runtime::Nullable<::std::string::String>,\n");
    let mut namer = Namer::with_reserved(&["odata_type", "additional_properties"]);
    // (gate, field, wire name) of each `object!` entry; the first is `@odata.type`.
    let mut entries = vec![(None, "odata_type".to_owned(), "@odata.type")];
    for p in properties.into_iter().filter(|p| !p.name.contains('@')) {
        let field_text = into_ident(ident_text(&namer.unique(&snake_name(&p.name))));
        let field_gate = areas.field_gate(map, gate, &p.type_name);
        let mut doc_lines = Vec::new();
        let d = doc_text(&p.description);
        if !d.is_empty() {
            doc_lines.push(d);
            doc_lines.push(String::new());
        }
        let (wire, type_name) = (doc_text(&p.name), doc_text(&p.type_name));
        let mut line = String::with_capacity(wire.len() + type_name.len() + 32);
        line.push_str("Wire name `");
        line.push_str(&wire);
        line.push_str("`; `");
        line.push_str(&type_name);
        line.push_str(if p.collection { "` collection." } else { "`." });
        doc_lines.push(line);
        push_doc_lines(&mut out, 4, &doc_lines);
        push_cfg(&mut out, 4, field_gate);
        push_field(&mut out, &field_text, &map.of(&p.type_ref(), true));
        entries.push((field_gate, field_text, p.name.as_str()));
    }
    out.push_str(additional);
    out.push_str("}\n");
    // Serialization, `Default`, `Debug`, `PartialEq` and `Clone` are the runtime's `object!`: a
    // derive per struct is what made large clients slow to build. Each slot keeps its index when a
    // feature compiles its field out.
    push_cfg(&mut out, 0, Some(gate));
    out.push_str("::graphdoc_runtime::object!(");
    out.push_str(name);
    out.push_str(" {\n");
    let several = entries.len() > 1;
    for (index, (field_gate, field, wire)) in entries.iter().enumerate() {
        push_cfg(&mut out, 4, *field_gate);
        // Pushed piece by piece: a `format!` per field was 1% of code generation.
        let _ = write!(out, "    {index} => ");
        out.push_str(field);
        out.push_str(": ");
        push_string_literal(&mut out, wire);
        out.push_str(if several { ",\n" } else { "\n" });
    }
    out.push_str("});\n");
    out
}

/// `pub field: ::graphdoc_runtime::Nullable<ty>,` at indent 4, as `layout` prints it: on one line
/// where it fits; past the width, broken inside `Nullable<...>` with the type on a line of its own
/// where that line fits (5,000 of beta's fields; laid out, each took 16,000 instructions); else,
/// or too close to the width to tell, laid out by `layout`.
fn push_field(out: &mut String, field: &str, ty: &RustType) {
    const HEAD: &str = ": ::graphdoc_runtime::Nullable<";
    let flat = ty.flat();
    if let Some(flat) = &flat {
        let whole = "pub ".len() + field.len() + HEAD.len() + flat.len() + ">,".len();
        if fits_as_written(4, whole) {
            out.push_str("    pub ");
            out.push_str(field);
            out.push_str(HEAD);
            out.push_str(flat);
            out.push_str(">,\n");
            return;
        }
        if 4 + whole > WIDTH && fits_as_written(4, "pub ".len() + field.len() + HEAD.len()) && fits_as_written(8, flat.len() + 1) {
            out.push_str("    pub ");
            out.push_str(field);
            out.push_str(HEAD);
            out.push_str("\n        ");
            out.push_str(flat);
            out.push_str(",\n    >,\n");
            return;
        }
    }
    let (field, ty) = (ident(field), ty.tokens());
    out.push_str(&print_line(quote! { pub #field: ::graphdoc_runtime::Nullable<#ty>, }, 4));
}

/// The last field of every struct, as `layout` prints it (over the width: always broken).
fn additional_properties_text() -> String {
    let mut out = String::from("    /// Properties the docs do not list, kept so a round trip loses nothing.\n");
    let field = quote! {
        pub additional_properties: ::graphdoc_runtime::serde_json::Map<::std::string::String, ::graphdoc_runtime::serde_json::Value>
    };
    let line = print_line(field, 4);
    // The block puts the comma after the field's last line (`>,`).
    out.push_str(line.trim_end_matches('\n'));
    out.push_str(",\n");
    out
}

/// A type's variants in its `Any*` enum: (type key, type name), the base first.
fn any_variants(map: &TypeMap, base: &TypeDef) -> Vec<(String, String)> {
    let base_key = type_key(&base.name);
    let mut variants: Vec<(String, String)> = vec![(base_key.clone(), map.type_name(&base.name).unwrap_or("Unnamed").to_owned())];
    for d in map.descendants.get(&base_key).into_iter().flatten() {
        if let Some(n) = map.types.get(d) {
            variants.push((d.clone(), n.clone()));
        }
    }
    variants
}

/// The `Any*` enum of `base` and its impls, written as text in `layout`'s style: the fixed lines as
/// `layout` prints them, each variant's lines written where they fit and laid out where they do
/// not (laid out whole, the 250 `Any*` enums of beta took 2.4% of the pipeline).
fn any_text(map: &TypeMap, areas: &Areas, base: &TypeDef, any: &str) -> String {
    let any = ident_str(any);
    let gate = areas.type_gate(&base.name);
    let variants = any_variants(map, base);
    let mut namer = Namer::with_reserved(&["Unknown"]);
    // (variant, type, type key, gate of the variant where narrower than the enum's)
    let rows: Vec<(String, &str, &str, Option<&Gate>)> = variants
        .iter()
        .map(|(k, n)| (into_ident(namer.unique(n)), ident_str(n), k.as_str(), areas.field_gate(map, gate, k)))
        .collect();
    let (base_variant, base_type) = rows.first().map_or(("Unnamed", "Unnamed"), |(v, t, _, _)| (v.as_str(), *t));
    // The block openings with no group to break (`Serialize`, `PropertyValue`, the enum) or whose
    // only groups are `<'de>` are kept whole by `layout` at any length.
    let serialize_head = format!("impl ::graphdoc_runtime::serde::Serialize for {any} {{");
    let deserialize_head = format!("impl<'de> ::graphdoc_runtime::serde::Deserialize<'de> for {any} {{");
    let property_value = format!("impl ::graphdoc_runtime::object::PropertyValue for {any} {{}}");
    let enum_head = format!("pub enum {any} {{");
    // The `From` impl's three lines each break their one group where `layout` does: the `<...>`
    // where its argument does not fit after `From<` with three columns to spare; `(v: ...)` where
    // it and ` -> Self {` do not fit; `(::std::boxed::Box::new(v))` where it and one column do not.
    let argument = format!("crate::models::{base_type}");
    let from_head = if "impl ::std::convert::From<".len() + argument.len() + 3 > WIDTH {
        format!("impl ::std::convert::From<\n    {argument},\n> for {any} {{\n")
    } else {
        format!("impl ::std::convert::From<{argument}> for {any} {{\n")
    };
    let parameter = format!("v: {argument}");
    let from_fn = if "    fn from".len() + parameter.len() + "() -> Self {".len() > WIDTH {
        format!("    fn from(\n        {parameter}\n    ) -> Self {{\n")
    } else {
        format!("    fn from({parameter}) -> Self {{\n")
    };
    let from_body = if "        Self::(::std::boxed::Box::new(v))".len() + base_variant.len() + 1 > WIDTH {
        format!("        Self::{base_variant}(\n            ::std::boxed::Box::new(v)\n        )\n")
    } else {
        format!("        Self::{base_variant}(::std::boxed::Box::new(v))\n")
    };
    let mut out = String::with_capacity(2048 + rows.len() * 512);
    push_doc_lines(
        &mut out,
        0,
        &[
            format!("`{}` or any type derived from it, chosen by `@odata.type`.", doc_text(&base.name)),
            String::new(),
            "A derived type this crate does not know is kept as raw JSON in `Unknown`.".to_owned(),
        ],
    );
    push_cfg(&mut out, 0, Some(gate));
    out.push_str("#[derive(Clone, Debug, PartialEq)]\n#[non_exhaustive]\n");
    out.push_str(&enum_head);
    out.push('\n');
    for (variant, ty, _, variant_gate) in &rows {
        out.push_str("    #[allow(missing_docs)]\n");
        push_cfg(&mut out, 4, *variant_gate);
        push_line(&mut out, 4, &format!("{variant}(::std::boxed::Box<crate::models::{ty}>),"), || {
            let (variant, ty) = (ident(variant), ident(ty));
            quote! { #variant(::std::boxed::Box<crate::models::#ty>), }
        });
    }
    out.push_str("    /// A type derived from it that this crate does not know.\n    Unknown(::graphdoc_runtime::serde_json::Value),\n}\n");
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&serialize_head);
    out.push_str(concat!(
        "\n    #[inline]\n",
        "    fn serialize<S: ::graphdoc_runtime::serde::Serializer>(\n",
        "        &self,\n",
        "        s: S,\n",
        "    ) -> ::std::result::Result<S::Ok, S::Error> {\n",
        "        match self {\n",
    ));
    for (variant, _, _, variant_gate) in &rows {
        push_cfg(&mut out, 12, *variant_gate);
        push_line(&mut out, 12, &format!("Self::{variant}(v) => ::graphdoc_runtime::serde::Serialize::serialize(v, s),"), || {
            let variant = ident(variant);
            quote! { Self::#variant(v) => ::graphdoc_runtime::serde::Serialize::serialize(v, s), }
        });
    }
    out.push_str(concat!(
        "            Self::Unknown(v) => ::graphdoc_runtime::serde::Serialize::serialize(v, s),\n",
        "        }\n",
        "    }\n",
        "}\n",
    ));
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&deserialize_head);
    out.push_str(concat!(
        "\n    #[inline]\n",
        "    fn deserialize<D: ::graphdoc_runtime::serde::Deserializer<'de>>(\n",
        "        d: D\n",
        "    ) -> ::std::result::Result<Self, D::Error> {\n",
        "        let value = <\n",
        "            ::graphdoc_runtime::serde_json::Value as ::graphdoc_runtime::serde::Deserialize\n",
        "        >::deserialize(d)?;\n",
        "        let key = ::graphdoc_runtime::odata_type_key(&value);\n",
        "        let result = match key.as_deref() {\n",
    ));
    push_line(&mut out, 12, &format!("::std::option::Option::None => ::graphdoc_runtime::object::variant(value, Self::{base_variant}),"), || {
        let variant = ident(base_variant);
        quote! { ::std::option::Option::None => ::graphdoc_runtime::object::variant(value, Self::#variant), }
    });
    for (variant, _, key, variant_gate) in &rows {
        push_cfg(&mut out, 12, *variant_gate);
        let literal = string_literal(key);
        push_line(&mut out, 12, &format!("::std::option::Option::Some({literal}) => ::graphdoc_runtime::object::variant(value, Self::{variant}),"), || {
            let variant = ident(variant);
            quote! { ::std::option::Option::Some(#key) => ::graphdoc_runtime::object::variant(value, Self::#variant), }
        });
    }
    out.push_str(concat!(
        "            ::std::option::Option::Some(_) => ::std::result::Result::Ok(Self::Unknown(value)),\n",
        "        };\n",
        "        result.map_err(<D::Error as ::graphdoc_runtime::serde::de::Error>::custom)\n",
        "    }\n",
        "}\n",
    ));
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&property_value);
    out.push('\n');
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&from_head);
    out.push_str("    #[inline]\n");
    out.push_str(&from_fn);
    out.push_str(&from_body);
    out.push_str("    }\n}\n");
    out
}

/// The tokens [`any_text`] writes, for the tests to compare with `layout`'s print.
#[cfg(test)]
fn any_item(map: &TypeMap, areas: &Areas, base: &TypeDef, any: &str) -> TokenStream {
    let any_id = ident(any);
    let gate = areas.type_gate(&base.name);
    let cfg = gate.cfg();
    let variants = any_variants(map, base);
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let names: Vec<_> = variants.iter().map(|(_, n)| ident(&namer.unique(n))).collect();
    let types: Vec<_> = variants.iter().map(|(_, n)| ident(n)).collect();
    let keys: Vec<&String> = variants.iter().map(|(k, _)| k).collect();
    // A derived type that exists in fewer builds is a variant only in those; elsewhere its values
    // are `Unknown`.
    let cfgs: Vec<TokenStream> = variants.iter().map(|(k, _)| areas.field_cfg(map, gate, k)).collect();
    let base_variant = names.first().cloned();
    let base_type = types.first().cloned();
    let doc = docs(&[
        format!("`{}` or any type derived from it, chosen by `@odata.type`.", doc_text(&base.name)),
        String::new(),
        "A derived type this crate does not know is kept as raw JSON in `Unknown`.".to_owned(),
    ]);
    // Not exhaustive: a feature (or a later page) adds variants, which must not break a `match`.
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any_id {
            #( #[allow(missing_docs)] #cfgs #names(::std::boxed::Box<crate::models::#types>), )*
            /// A type derived from it that this crate does not know.
            Unknown(::graphdoc_runtime::serde_json::Value),
        }

        #cfg
        impl ::graphdoc_runtime::serde::Serialize for #any_id {
            #[inline]
            fn serialize<S: ::graphdoc_runtime::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #cfgs Self::#names(v) => ::graphdoc_runtime::serde::Serialize::serialize(v, s), )*
                    Self::Unknown(v) => ::graphdoc_runtime::serde::Serialize::serialize(v, s),
                }
            }
        }

        #cfg
        impl<'de> ::graphdoc_runtime::serde::Deserialize<'de> for #any_id {
            #[inline]
            fn deserialize<D: ::graphdoc_runtime::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::graphdoc_runtime::serde_json::Value as ::graphdoc_runtime::serde::Deserialize>::deserialize(d)?;
                let key = ::graphdoc_runtime::odata_type_key(&value);
                let result = match key.as_deref() {
                    ::std::option::Option::None => ::graphdoc_runtime::object::variant(value, Self::#base_variant),
                    #( #cfgs ::std::option::Option::Some(#keys) => ::graphdoc_runtime::object::variant(value, Self::#names), )*
                    ::std::option::Option::Some(_) => ::std::result::Result::Ok(Self::Unknown(value)),
                };
                result.map_err(<D::Error as ::graphdoc_runtime::serde::de::Error>::custom)
            }
        }

        #cfg
        impl ::graphdoc_runtime::object::PropertyValue for #any_id {}

        #cfg
        impl ::std::convert::From<crate::models::#base_type> for #any_id {
            #[inline]
            fn from(v: crate::models::#base_type) -> Self {
                Self::#base_variant(::std::boxed::Box::new(v))
            }
        }
    }
}

/// An enum, its `as_str` and `from_wire`, and its `wire_enum!` line, written as text in
/// `layout`'s style (`enum_item` is the tokens it stands for, the tests' reference).
fn enum_text(e: &EnumDef, name: &str, gate: &Gate) -> String {
    let id = ident_str(name);
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants: Vec<String> = e.members.iter().map(|m| into_ident(namer.unique(&type_name(&m.name)))).collect();
    let wires: Vec<String> = e.members.iter().map(|m| string_literal(&m.name)).collect();
    let mut out = String::with_capacity(512 + 256 * variants.len());
    push_doc_lines(
        &mut out,
        0,
        &[
            format!("`{}` enumeration.", doc_text(&e.name)),
            String::new(),
            "A value the service adds later is kept in `Unknown`, so it never breaks a client.".to_owned(),
            String::new(),
            provenance(&e.sources),
        ],
    );
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&format!("pub enum {id} {{\n"));
    for (m, variant) in e.members.iter().zip(&variants) {
        let d = doc_text(&m.description);
        let text = if d.is_empty() { format!("`{}`", doc_text(&m.name)) } else { format!("`{}`: {d}", doc_text(&m.name)) };
        push_doc_lines(&mut out, 4, &[text]);
        out.push_str("    ");
        out.push_str(variant);
        out.push_str(",\n");
    }
    out.push_str("    /// A value this crate does not know.\n    Unknown(::std::string::String),\n}\n");
    push_cfg(&mut out, 0, Some(gate));
    out.push_str(&format!(
        "impl {id} {{\n    /// The wire value.\n    #[inline]\n    pub fn as_str(&self) -> &str {{\n        match self {{\n"
    ));
    for (variant, wire) in variants.iter().zip(&wires) {
        out.push_str("            Self::");
        out.push_str(variant);
        out.push_str(" => ");
        out.push_str(wire);
        out.push_str(",\n");
    }
    out.push_str(concat!(
        "            Self::Unknown(s) => s,\n",
        "        }\n",
        "    }\n",
        "    /// The member for a wire value.\n",
        "    #[inline]\n",
        "    pub fn from_wire(s: &str) -> Self {\n",
    ));
    // The table on one line when it fits (a column kept after its `;`), else one wire a line.
    let table = format!("const WIRE: &[&str] = &[{}];", wires.join(", "));
    if 8 + table.len() < WIDTH {
        out.push_str("        ");
        out.push_str(&table);
        out.push('\n');
    } else {
        out.push_str("        const WIRE: &[&str] = &[\n");
        // `[x]` is never made `[x,]`.
        push_elements(&mut out, 12, &wires, wires.len() > 1);
        out.push_str("        ];\n");
    }
    out.push_str("        match WIRE.iter().position(|w| *w == s) {\n");
    for (index, variant) in variants.iter().enumerate() {
        let arm = format!("::std::option::Option::Some({index}) => Self::{variant},");
        // The index breaks out of its `(...)` when the arm does not fit (`layout` breaks the
        // pattern, not the line past the width).
        if 12 + arm.len() < WIDTH {
            out.push_str("            ");
            out.push_str(&arm);
            out.push('\n');
        } else {
            out.push_str(&format!("            ::std::option::Option::Some(\n                {index}\n            ) => Self::{variant},\n"));
        }
    }
    out.push_str(concat!(
        "            _ => Self::Unknown(::std::borrow::ToOwned::to_owned(s)),\n",
        "        }\n",
        "    }\n",
        "}\n",
    ));
    // Clone, Debug, equality, hashing and (de)serialization by the wire value: one line each.
    push_cfg(&mut out, 0, Some(gate));
    push_macro_line(&mut out, "::graphdoc_runtime::wire_enum!", id);
    out
}

/// The tokens [`enum_text`] writes, for the tests to compare with `layout`'s print.
#[cfg(test)]
fn enum_item(e: &EnumDef, name: &str, gate: &Gate) -> TokenStream {
    let id = ident(name);
    let cfg = gate.cfg();
    let mut namer = Namer::with_reserved(&["Unknown"]);
    let variants: Vec<_> = e.members.iter().map(|m| ident(&namer.unique(&type_name(&m.name)))).collect();
    let wires: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
    let indexes = (0..wires.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let member_docs = e.members.iter().map(|m| {
        let d = doc_text(&m.description);
        let text = if d.is_empty() { format!("`{}`", doc_text(&m.name)) } else { format!("`{}`: {d}", doc_text(&m.name)) };
        docs(&[text])
    });
    let doc = docs(&[
        format!("`{}` enumeration.", doc_text(&e.name)),
        String::new(),
        "A value the service adds later is kept in `Unknown`, so it never breaks a client.".to_owned(),
        String::new(),
        provenance(&e.sources),
    ]);
    quote! {
        #doc
        #cfg
        pub enum #id {
            #( #member_docs #variants, )*
            /// A value this crate does not know.
            Unknown(::std::string::String),
        }

        #cfg
        impl #id {
            /// The wire value.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(s) => s,
                }
            }

            /// The member for a wire value.
            #[inline]
            pub fn from_wire(s: &str) -> Self {
                // An index into one table rather than a string comparison per member: cheaper to compile.
                const WIRE: &[&str] = &[ #( #wires ),* ];
                match WIRE.iter().position(|w| *w == s) {
                    #( ::std::option::Option::Some(#indexes) => Self::#variants, )*
                    _ => Self::Unknown(::std::borrow::ToOwned::to_owned(s)),
                }
            }
        }

        // Clone, Debug, equality, hashing and (de)serialization by the wire value: one line each.
        #cfg
        ::graphdoc_runtime::wire_enum!(#id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An enum written as text is what `layout` prints of its tokens: names, variants and wire
    /// tables of every length that decides a break, one column at a time.
    #[test]
    fn enums_written_as_text_are_what_layout_prints() {
        let member = |name: String, description: &str| graphdoc_model::EnumMember { name, value: None, description: description.to_owned() };
        let gates = [Gate::Always, Gate::Features(["device-management".to_owned()].into()), Gate::Features((0..8).map(|n| format!("a-rather-long-feature-name-{n}")).collect())];
        let mut broken = [0usize; 3];
        for n in 1..=110 {
            let name = format!("E{}", "n".repeat(n - 1));
            // A variant, a table and a call that reach the width as `n` grows.
            let sets = [
                vec![member("a".repeat(n), "")],
                vec![member("user".to_owned(), "A user."), member("w".repeat(n), "Wide."), member("Unknown".to_owned(), "")],
                (0..n / 4 + 1).map(|i| member(format!("value{i}"), "")).collect(),
            ];
            for (members, gate) in sets.into_iter().zip(gates.iter().cycle()) {
                let e = graphdoc_model::EnumDef {
                    name: name.clone(),
                    members,
                    example_values: Vec::new(),
                    sources: vec![graphdoc_model::Source::new("api/e.md", graphdoc_page::Span::default())],
                };
                let text = enum_text(&e, &name, gate);
                assert_eq!(text, crate::layout::print_file(enum_item(&e, &name, gate)));
                broken[0] += usize::from(text.contains("&[\n"));
                broken[1] += usize::from(text.contains("Some(\n"));
                broken[2] += usize::from(text.contains("wire_enum!(\n"));
            }
        }
        assert!(broken.iter().all(|b| *b > 0), "table, arm and macro each broken somewhere: {broken:?}");
    }

    /// An `Any*` enum written as text is what `layout` prints of its tokens: base and derived
    /// names of every length that decides a break.
    #[test]
    fn any_enums_written_as_text_are_what_layout_prints() {
        let source = || vec![graphdoc_model::Source::new("resources/t.md", graphdoc_page::Span::default())];
        let type_def = |name: &str, base: Option<&str>| TypeDef { base: base.map(str::to_owned), sources: source(), ..TypeDef::complex(name.to_owned()) };
        let mut broken = [0usize; 4];
        // The base's length decides the heads; a derived type's, its variant's lines.
        let lengths = (1..=90).map(|n| (n, 1)).chain((1..=90).map(|n| (1, n)));
        for (b, d) in lengths {
            let base = format!("base{}", "x".repeat(b));
            let model = ApiModel {
                types: vec![
                    type_def(&base, None),
                    type_def(&format!("derived{}", "y".repeat(d)), Some(&base)),
                    type_def("short", Some(&base)),
                ],
                ..ApiModel::default()
            };
            let map = TypeMap::new(&model);
            let placement = crate::requests::place(&model);
            let areas = Areas::new(&model, &map, &placement);
            let any = map.any.get(&type_key(&base)).expect("the base has derived types");
            let printed = crate::tokens::render(any_item(&map, &areas, &model.types[0], any));
            let text = any_text(&map, &areas, &model.types[0], any);
            assert_eq!(text, printed, "{base}");
            broken[0] += usize::from(text.contains("From<\n"));
            broken[1] += usize::from(text.contains("fn from(\n"));
            broken[2] += usize::from(text.contains("(\n            ::std::boxed::Box::new(v)"));
            broken[3] += usize::from(text.contains("Self::Derived") && text.contains("(\n                v\n"));
        }
        assert!(broken.iter().all(|b| *b > 0), "each break written somewhere: {broken:?}");
    }

    /// A field written as text is what `layout` prints of its tokens: names and types of every
    /// length that decides a break.
    #[test]
    fn fields_written_as_text_are_what_layout_prints() {
        let mut broken = 0;
        for n in 1..=110 {
            let field = format!("f{}", "x".repeat(n));
            let short = RustType::model(&format!("T{}", "y".repeat(n)));
            let types = [short.clone(), short.clone().within("::std::vec::Vec").within("::std::boxed::Box"), short.slice().within("::std::boxed::Box")];
            for (field, ty) in [(field.as_str(), &types[0]), ("value", &types[0]), ("value", &types[1]), ("v", &types[2]), (field.as_str(), &types[1])] {
                let mut out = String::new();
                push_field(&mut out, field, ty);
                let (id, tokens) = (ident(field), ty.tokens());
                assert_eq!(out, print_line(quote! { pub #id: ::graphdoc_runtime::Nullable<#tokens>, }, 4));
                broken += usize::from(out.ends_with(",\n    >,\n"));
            }
        }
        assert!(broken > 50, "{broken}");
    }

    /// A `cfg` line written as text is the one `layout` prints from the gate's tokens, whether it
    /// fits (written) or not (laid out).
    #[test]
    fn cfg_lines_are_what_layout_prints_of_the_gate() {
        let features = |names: &[&str]| Gate::Features(names.iter().map(|n| n.to_string()).collect());
        let long: Vec<String> = (0..8).map(|n| format!("a-rather-long-feature-name-{n}")).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        let mut gates = vec![features(&[]), features(&["users"]), features(&["me", "users"]), features(&long)];
        // Every length that decides a break at each level, with one feature and with several.
        for n in 1..=110 {
            gates.push(Gate::Features([format!("f{}", "x".repeat(n))].into()));
            gates.push(Gate::Features((0..n / 6 + 2).map(|i| format!("feature-{i}")).collect()));
            gates.push(Gate::Features([format!("f{}", "y".repeat(n)), "me".to_owned()].into()));
        }
        let mut written_broken = 0;
        for gate in gates {
            for indent in [0, 4, 8] {
                let mut out = String::new();
                push_cfg(&mut out, indent, Some(&gate));
                assert_eq!(out, print_line(gate.cfg(), indent), "{gate:?}");
                written_broken += usize::from(crate::areas::broken_cfg(&gate, indent).is_some_and(|b| b.lines().count() > 1));
            }
        }
        assert!(written_broken > 300, "most broken lines are written, not laid out: {written_broken}");
        let mut out = String::new();
        push_cfg(&mut out, 0, Some(&Gate::Always));
        push_cfg(&mut out, 0, None);
        assert_eq!(out, "");
        let mut out = String::new();
        push_cfg(&mut out, 4, Some(&features(&long)));
        assert!(out.lines().count() > 1 && out.lines().all(|l| l.len() <= crate::layout::WIDTH), "{out}");
    }
}
