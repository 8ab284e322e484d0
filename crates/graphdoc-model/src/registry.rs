//! Types and enums gathered from every page and merged: one type per name, properties united.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxBuildHasher;

use graphdoc_page::{Code, Page, Primitive, Row, Table, TableKind};

use crate::model::{EnumDef, EnumMember, Property, Source, TypeDef, TypeKind, TypeRef};
use crate::names::{is_type_name, type_key, type_name};
use crate::report::Report;

/// A type while pages are still being read.
pub(crate) struct TypeDraft {
    pub def: TypeDef,
    /// Defined by a resource page or a request-body table (not only referenced).
    pub defined: bool,
    pub open: bool,
    pub base_source: Option<Source>,
    /// Where each property is in `def.properties`, by name, once there are many: request-body
    /// tables list a type's properties again, and a search of the list for each row was quadratic
    /// in the type's properties (Intune's types have hundreds).
    property_at: Option<HashMap<String, usize, FxBuildHasher>>,
}

/// Properties a type has before its properties are found by name through a hash map.
const INDEXED_FROM: usize = 32;

impl TypeDraft {
    /// The index of the property `name` in `def.properties`.
    fn find_property(&mut self, name: &str) -> Option<usize> {
        if self.property_at.is_none() && self.def.properties.len() >= INDEXED_FROM {
            // In reverse, so the first of any two of one name is the one kept (as a search finds).
            let at = self.def.properties.iter().enumerate().rev().map(|(i, p)| (p.name.clone(), i)).collect();
            self.property_at = Some(at);
        }
        match &self.property_at {
            Some(at) => at.get(name).copied(),
            None => self.def.properties.iter().position(|p| p.name == name),
        }
    }

    fn push_property(&mut self, property: Property) {
        if let Some(at) = &mut self.property_at {
            at.entry(property.name.clone()).or_insert(self.def.properties.len());
        }
        self.def.properties.push(property);
    }
}

/// Every type and enum seen so far, by key.
#[derive(Default)]
pub(crate) struct Registry {
    /// Hashed, not ordered: `finish` sorts what it gives out, and every page's properties are
    /// merged through it (a tree of string keys was most of merging's time).
    pub types: HashMap<String, TypeDraft, FxBuildHasher>,
    pub enums: BTreeMap<String, EnumDef>,
    /// The first place each type name was referenced (property types, bodies, responses); hashed,
    /// and read in key order by `finish`.
    pub references: HashMap<String, (String, Source), FxBuildHasher>,
    /// A type key being looked up: most references are to a type already referenced, and need no
    /// key of their own.
    key: String,
    /// The `Namespace:` (below `microsoft.graph.`, lower-cased) of the pages each enum is listed on.
    pub enum_namespaces: BTreeMap<String, BTreeSet<String>>,
}

impl Registry {
    /// The draft of `name`, created (as an undefined complex type) if new.
    pub fn entry(&mut self, name: &str, source: &Source) -> &mut TypeDraft {
        let key = type_key(name);
        let draft = self.types.entry(key).or_insert_with(|| TypeDraft {
            def: TypeDef::complex(type_name(name)),
            defined: false,
            open: false,
            base_source: None,
            property_at: None,
        });
        // Kept once each and sorted by `finish` (a search of the list for each property row was
        // quadratic in a type's rows).
        if draft.def.sources.last() != Some(source) {
            draft.def.sources.push(source.clone());
        }
        draft
    }

    /// The name of the type `name` stands for, if a page or table defines it.
    pub fn defined(&self, name: &str) -> Option<String> {
        self.types.get(&type_key(name)).filter(|d| d.defined).map(|d| d.def.name.clone())
    }

    /// Note that `r` is referenced at `source`, unless it is a primitive.
    pub fn reference(&mut self, r: &TypeRef, source: &Source) {
        self.reference_name(&r.name, source);
    }

    /// Note that the type `name` is referenced at `source`, unless it is a primitive.
    fn reference_name(&mut self, name: &str, source: &Source) {
        if Primitive::lookup(name).is_some() {
            return;
        }
        crate::names::set_type_key(&mut self.key, name);
        if !self.references.contains_key(self.key.as_str()) {
            self.references.insert(self.key.clone(), (type_name(name), source.clone()));
        }
    }

    /// Add a property to `type_name`, reporting a conflicting redeclaration.
    pub fn add_property(&mut self, owner: &str, prop: Property, report: &mut Report) {
        self.reference_name(&prop.type_name, &prop.source);
        let draft = self.entry(owner, &prop.source);
        let found = draft.find_property(&prop.name);
        match found.and_then(|i| draft.def.properties.get_mut(i)) {
            Some(existing) => {
                let same = type_key(&existing.type_name) == type_key(&prop.type_name)
                    && existing.collection == prop.collection;
                if !same && existing.type_name != "Json" && prop.type_name != "Json" {
                    let show = |p: &Property| {
                        if p.collection {
                            format!("{} collection", p.type_name)
                        } else {
                            p.type_name.clone()
                        }
                    };
                    report.at(
                        Code::TypePropertyConflict,
                        &prop.source,
                        format!(
                            "property `{}` of `{}` is `{}` here, but `{}` at {}",
                            prop.name,
                            draft.def.name,
                            show(&prop),
                            show(existing),
                            existing.source.location()
                        ),
                        "make both pages give the property the same type; the first one is kept",
                    );
                } else if existing.type_name == "Json" && prop.type_name != "Json" {
                    existing.type_name = prop.type_name.clone();
                    existing.collection = prop.collection;
                }
                if existing.description.is_empty() {
                    existing.description = prop.description;
                }
                existing.read_only |= prop.read_only;
                existing.required |= prop.required;
                existing.navigation |= prop.navigation;
                if existing.nullable.is_none() {
                    existing.nullable = prop.nullable;
                }
            }
            None => draft.push_property(prop),
        }
    }

    /// Set the base of `owner`, reporting a different earlier base.
    pub fn set_base(&mut self, owner: &str, base: &str, source: &Source, report: &mut Report) {
        let base_name = type_name(base);
        if type_key(&base_name) == type_key(owner) || !is_type_name(&base_name) {
            return;
        }
        self.reference(&TypeRef { name: base_name.clone(), collection: false }, source);
        let draft = self.entry(owner, source);
        match &draft.def.base {
            Some(existing) if type_key(existing) != type_key(&base_name) => {
                let at = draft.base_source.as_ref().map(Source::location).unwrap_or_default();
                report.at(
                    Code::TypeBaseConflict,
                    source,
                    format!("`{}` inherits from `{base_name}` here, but from `{existing}` at {at}", draft.def.name),
                    "make the prose (`Inherits from`) and the `baseType` annotation agree; the first one is kept",
                );
            }
            Some(_) => {}
            None => {
                draft.def.base = Some(base_name);
                draft.base_source = Some(source.clone());
            }
        }
    }

    /// Read the types and enums a page defines: resource representations, property tables, members.
    pub fn read_page(&mut self, page: &Page, tables: &mut TableProperties, report: &mut Report) {
        if tables.resource {
            self.read_resource_page(page, tables, report);
        }
        for table in page.tables.iter().filter(|t| t.kind == TableKind::EnumMembers) {
            self.read_enum_table(page, table, report);
        }
    }

    fn read_resource_page(&mut self, page: &Page, tables: &mut TableProperties, report: &mut Report) {
        let resource_fence = page.fences.iter().find(|f| {
            f.annotation
                .as_ref()
                .is_some_and(|a| a.block_type == Some(graphdoc_page::BlockType::Resource))
        });
        let annotation = resource_fence.and_then(|f| f.annotation.as_ref());
        let from_annotation = annotation.and_then(|a| a.odata_type.as_deref()).map(type_name);
        let from_title = page.title.as_ref().and_then(|t| title_type_name(&t.text));
        let title_source = page
            .title
            .as_ref()
            .map(|t| Source::new(&page.file, t.span))
            .unwrap_or_else(|| Source::new(&page.file, graphdoc_page::Span::default()));
        let Some(name) = from_annotation.or(from_title).filter(|n| is_type_name(n)) else {
            report.at(
                Code::TypeNameUnknown,
                &title_source,
                "cannot tell which type this resource page defines",
                "give the resource annotation an `@odata.type`, or title the page `<type> resource type`",
            );
            return;
        };
        let source = resource_fence
            .map(|f| Source::new(&page.file, f.span))
            .unwrap_or_else(|| title_source.clone());
        {
            let description = page
                .front_matter
                .as_ref()
                .and_then(|f| f.description.clone())
                .filter(|d| !d.trim().is_empty());
            let draft = self.entry(&name, &source);
            draft.defined = true;
            if draft.def.description.is_none() {
                draft.def.description = description;
            }
            if let Some(a) = annotation {
                if let Some(k) = &a.key_property {
                    draft.def.key.get_or_insert_with(|| k.clone());
                }
                draft.open |= a.open_type == Some(true);
                draft.def.is_abstract |= a.is_abstract == Some(true);
            }
        }
        if let Some(base) = annotation.and_then(|a| a.base_type.as_deref()) {
            self.set_base(&name, base, &source, report);
        }
        for p in &page.paragraphs {
            if let Some(rest) = p.text.trim().strip_prefix("Inherits from") {
                let base = p
                    .links
                    .first()
                    .map(|l| l.text.clone())
                    .unwrap_or_else(|| rest.trim().trim_end_matches('.').to_owned());
                self.set_base(&name, &base, &Source::new(&page.file, p.span), report);
            }
        }
        for (i, table) in page.tables.iter().enumerate() {
            if matches!(table.kind, TableKind::Properties | TableKind::Relationships) {
                for prop in tables.take(page, i) {
                    self.add_property(&name, prop, report);
                }
            }
        }
        if let (Some(fence), Some(serde_json::Value::Object(map))) =
            (resource_fence, resource_fence.and_then(|f| f.json.as_ref()))
        {
            let source = Source::new(&page.file, fence.span);
            for (key, value) in map {
                if key.contains('@') {
                    continue;
                }
                let known = self
                    .types
                    .get_mut(&type_key(&name))
                    .is_some_and(|d| d.find_property(key).is_some());
                if !known {
                    let r = infer_type(value);
                    let prop = Property {
                        name: key.clone(),
                        type_name: r.name,
                        collection: r.collection,
                        description: String::new(),
                        nullable: None,
                        read_only: false,
                        required: false,
                        navigation: false,
                        source: source.clone(),
                    };
                    self.add_property(&name, prop, report);
                }
            }
        }
    }

    fn read_enum_table(&mut self, page: &Page, table: &Table, report: &mut Report) {
        let section = page.section(table.section).map(|h| h.text.as_str()).unwrap_or_default();
        let name = section
            .strip_suffix(" values")
            .or_else(|| section.strip_suffix(" Values"))
            .map(|s| s.trim().trim_matches('`').to_owned())
            .filter(|s| is_type_name(s))
            .or_else(|| page.title.as_ref().and_then(|t| title_type_name(&t.text)));
        let source = Source::new(&page.file, table.span);
        let Some(name) = name.filter(|n| is_type_name(n)) else {
            report.at(
                Code::TypeNameUnknown,
                &source,
                "cannot tell which enum this member table lists",
                "put the table under a `### <enum> values` heading, or title the page `<enum> enum type`",
            );
            return;
        };
        let names = table.header_names();
        let member_col = names.iter().position(|n| n == "member" || n == "name").unwrap_or(0);
        let value_col = names.iter().position(|n| n == "value" || n == "int value").filter(|&c| c != member_col);
        let desc_col = names.iter().position(|n| n == "description");
        let def = self.enums.entry(type_key(&name)).or_insert_with(|| EnumDef {
            name: type_name(&name),
            members: Vec::new(),
            example_values: Vec::new(),
            sources: Vec::new(),
        });
        if !def.sources.contains(&source) {
            def.sources.push(source);
        }
        // `enums-callrecords.md` (`Namespace: microsoft.graph.callRecords`) lists `modality`, which
        // properties reference as `callRecords.modality`.
        let namespace = page.namespace.as_ref().and_then(|n| {
            let n = n.value.trim().to_ascii_lowercase();
            n.strip_prefix("microsoft.graph.").filter(|rest| !rest.is_empty()).map(str::to_owned)
        });
        if let Some(ns) = namespace {
            self.enum_namespaces.entry(type_key(&name)).or_default().insert(ns);
        }
        for row in &table.rows {
            let member = cell_text(row, member_col).trim_matches('`').trim().to_owned();
            if member.is_empty() || def.members.iter().any(|m| m.name == member) {
                continue;
            }
            let value = value_col.and_then(|c| cell_text(row, c).trim().parse::<i64>().ok());
            let description = desc_col.map(|c| cell_text(row, c).to_owned()).unwrap_or_default();
            def.members.push(EnumMember {
                name: member,
                value,
                description,
            });
        }
    }

    /// The enum `key` (`ns.name`) stands for: `name`, listed on a page of namespace `ns`.
    fn namespaced_enum(&self, key: &str) -> Option<&EnumDef> {
        let (ns, name) = key.rsplit_once('.')?;
        self.enum_namespaces.get(name).filter(|n| n.contains(ns))?;
        self.enums.get(name)
    }

    /// Finish: undefined references become open types; kinds, derived lists, sorted output.
    pub fn finish(mut self, report: &mut Report) -> (Vec<TypeDef>, Vec<EnumDef>) {
        let mut references: Vec<_> = std::mem::take(&mut self.references).into_iter().collect();
        references.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, (name, source)) in references {
            if self.enums.contains_key(&key) {
                continue;
            }
            if let Some(def) = self.namespaced_enum(&key) {
                // `callRecords.modality` names the `modality` its namespace's pages list.
                let mut def = def.clone();
                def.name = type_name(&name);
                self.enums.insert(key, def);
                continue;
            }
            let defined = self.types.get(&key).is_some_and(|d| d.defined);
            if !defined {
                report.at(
                    Code::TypeUndefined,
                    &source,
                    format!("type `{name}` is referenced but defined on no page; it is kept as an open type"),
                    format!("add a resource page for `{name}` with its properties"),
                );
                let draft = self.entry(&name, &source);
                draft.open = true;
                draft.defined = true;
            }
        }
        // Kinds: open wins; an entity has a key or an entity base.
        let mut keys: Vec<String> = self.types.keys().cloned().collect();
        keys.sort();
        let mut kinds = BTreeMap::new();
        for key in &keys {
            let mut kind = TypeKind::Complex;
            let mut current = Some(key.clone());
            let mut seen = BTreeSet::new();
            while let Some(k) = current.filter(|k| seen.insert(k.clone())) {
                let Some(d) = self.types.get(&k) else { break };
                if d.def.key.is_some() || k == "entity" {
                    kind = TypeKind::Entity;
                    break;
                }
                current = d.def.base.as_deref().map(type_key);
            }
            if self.types.get(key).is_some_and(|d| d.open) {
                kind = TypeKind::Open;
            }
            kinds.insert(key.clone(), kind);
        }
        let mut derived: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in self.types.values() {
            if let Some(b) = &d.def.base {
                derived.entry(type_key(b)).or_default().insert(d.def.name.clone());
            }
        }
        let mut types: Vec<TypeDef> = self
            .types
            .into_iter()
            .map(|(key, mut d)| {
                d.def.kind = kinds.get(&key).copied().unwrap_or(TypeKind::Complex);
                let mut list: BTreeSet<String> = d.def.derived.drain(..).collect();
                list.extend(derived.remove(&key).unwrap_or_default());
                d.def.derived = list.into_iter().collect();
                d.def.sources.sort();
                d.def.sources.dedup();
                d.def
            })
            .collect();
        types.sort_by_cached_key(|t| type_key(&t.name));
        let mut enums: Vec<EnumDef> = self.enums.into_values().collect();
        enums.sort_by_cached_key(|e| type_key(&e.name));
        (types, enums)
    }
}

/// Whether `page` defines a type: a resource page, or a page with a resource representation that
/// documents no operation.
fn is_resource_page(page: &Page, operation: bool) -> bool {
    page.doc_type().is_some_and(|t| t.get(..16).is_some_and(|p| p.eq_ignore_ascii_case("resourcepagetype")))
        || (crate::operation::has_resource_fence(page) && !operation)
}

/// What the registry's readers need of one page, read on every core before the registry's one
/// sequential pass over the pages (it depends on the page alone): what kind of page it is, once,
/// and the properties of the tables they will read, by table index, taken by whichever reader needs
/// them.
pub(crate) struct TableProperties {
    /// The page documents operations ([`crate::operation::is_operation_page`]).
    pub operation: bool,
    /// The page defines a type (`Registry::read_page` reads it as a resource page).
    resource: bool,
    properties: Vec<Option<Vec<Property>>>,
}

impl TableProperties {
    /// Those of a resource page's property and relationship tables, and of an operation page's
    /// request-body tables.
    pub fn read(page: &Page) -> Self {
        let operation = crate::operation::is_operation_page(page);
        let resource = is_resource_page(page, operation);
        let properties = page
            .tables
            .iter()
            .map(|t| {
                let wanted = (resource && matches!(t.kind, TableKind::Properties | TableKind::Relationships))
                    || (operation
                        && matches!(t.kind, TableKind::Properties | TableKind::Parameters)
                        && crate::operation::is_request_body_table(page, t));
                wanted.then(|| table_properties(&page.file, t))
            })
            .collect();
        TableProperties { operation, resource, properties }
    }

    /// The properties of `page`'s table `index`, read now if they were not (or were taken).
    pub fn take(&mut self, page: &Page, index: usize) -> Vec<Property> {
        match self.properties.get_mut(index).and_then(Option::take) {
            Some(properties) => properties,
            None => page.tables.get(index).map(|t| table_properties(&page.file, t)).unwrap_or_default(),
        }
    }
}

/// `deviceAndAppManagementAssignmentFilterType enum type` → `deviceAndAppManagementAssignmentFilterType`.
fn title_type_name(title: &str) -> Option<String> {
    let t = title.trim();
    let lower = t.to_ascii_lowercase();
    for suffix in [" resource type", " complex type", " entity type", " enum type", " enumeration type", " resource", " object", " type", " enum"] {
        if lower.ends_with(suffix) {
            let name = t.get(..t.len() - suffix.len()).unwrap_or_default().trim().trim_matches('`');
            return is_type_name(name).then(|| name.to_owned());
        }
    }
    is_type_name(t).then(|| t.to_owned())
}

fn cell_text(row: &Row, col: usize) -> &str {
    row.cells.get(col).map(|c| c.text.as_str()).unwrap_or_default()
}

/// The properties (or parameters) a property-like table lists.
fn table_properties(file: &str, table: &Table) -> Vec<Property> {
    let names = table.header_names();
    let desc_col = names.iter().position(|n| n.starts_with("description"));
    let required_col = names.iter().position(|n| n.starts_with("required"));
    let navigation = table.kind == TableKind::Relationships;
    let mut remarks = Remarks::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let name = cell_text(row, 0).trim_matches(|c| c == '*' || c == '`' || c == '_').trim().to_owned();
        if name.is_empty() || name.contains(char::is_whitespace) {
            continue;
        }
        let (type_name, collection) = match &row.type_ref {
            Some(t) => (
                match t.primitive {
                    Some(p) => p.name().to_owned(),
                    None => crate::names::type_name(&t.name),
                },
                t.collection,
            ),
            // The page reported the unreadable type; keep the property, untyped.
            None => ("Json".to_owned(), false),
        };
        let description = desc_col.map(|c| cell_text(row, c).to_owned()).unwrap_or_default();
        let said = remarks.read(&description);
        let required = required_col.is_some_and(|c| says_required(cell_text(row, c))) || said.required;
        out.push(Property {
            name,
            type_name,
            collection,
            description,
            nullable: said.nullable,
            read_only: said.read_only,
            required,
            navigation,
            source: Source::new(file, row.span),
        });
    }
    out
}

/// A "Required" column's cell that says yes.
fn says_required(cell: &str) -> bool {
    let cell = cell.as_bytes();
    cell.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"yes"))
        || cell.eq_ignore_ascii_case(b"true")
        || cell.eq_ignore_ascii_case(b"required")
}

/// What a property's description says of it.
#[derive(Debug, PartialEq, Eq)]
struct Said {
    /// "not nullable" or "non-nullable" anywhere: `Some(false)`; else "nullable": `Some(true)`.
    nullable: Option<bool>,
    /// "read-only" or "read only", in any case.
    read_only: bool,
    /// The word "Required", as written.
    required: bool,
}

/// Reads descriptions with searchers made once per table and one lower-case buffer: five substring
/// searches of a fresh lower-case copy per row were most of `table_properties`' time, for every
/// property row of the corpus.
struct Remarks {
    lower: Vec<u8>,
    nullable: memchr::memmem::Finder<'static>,
    read: memchr::memmem::Finder<'static>,
    required: memchr::memmem::Finder<'static>,
}

impl Remarks {
    fn new() -> Self {
        Remarks {
            lower: Vec::new(),
            nullable: memchr::memmem::Finder::new("nullable"),
            read: memchr::memmem::Finder::new("read"),
            required: memchr::memmem::Finder::new("Required"),
        }
    }

    fn read(&mut self, description: &str) -> Said {
        self.lower.clear();
        self.lower.extend(description.bytes().map(|b| b.to_ascii_lowercase()));
        let lower = self.lower.as_slice();
        let mut nullable = None;
        for at in self.nullable.find_iter(lower) {
            let before = lower.get(..at).unwrap_or_default();
            if before.ends_with(b"not ") || before.ends_with(b"non-") {
                nullable = Some(false);
                break;
            }
            nullable = Some(true);
        }
        let read_only = self.read.find_iter(lower).any(|at| {
            let after = lower.get(at + 4..).unwrap_or_default();
            after.starts_with(b"-only") || after.starts_with(b" only")
        });
        // A word: no letter or digit (of any script) touches it on either side.
        let required = self.required.find_iter(description.as_bytes()).any(|at| {
            let before = description.get(..at).and_then(|s| s.chars().next_back());
            let after = description.get(at + "Required".len()..).and_then(|s| s.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        Said { nullable, read_only, required }
    }
}

/// The type a resource representation's sample value stands for (`"String"`, `true`, `{...}`).
fn infer_type(value: &serde_json::Value) -> TypeRef {
    use serde_json::Value;
    let single = |name: &str| TypeRef { name: name.to_owned(), collection: false };
    match value {
        Value::String(s) => {
            let word = s.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or_default();
            match Primitive::lookup(word) {
                Some((p, _)) => single(p.name()),
                None => single("String"),
            }
        }
        Value::Bool(_) => single("Boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => single("Int32"),
        Value::Number(_) => single("Double"),
        Value::Object(map) => match map.get("@odata.type").and_then(Value::as_str) {
            Some(t) => single(&type_name(t)),
            None => single("Json"),
        },
        Value::Array(items) => {
            let inner = items.first().map_or_else(|| single("Json"), infer_type);
            TypeRef { name: inner.name, collection: true }
        }
        Value::Null => single("Json"),
    }
}

#[cfg(test)]
mod remark_tests {
    use super::*;
    use proptest::prelude::*;

    /// What `table_properties` read from a description before `Remarks`.
    fn reference(description: &str) -> Said {
        let lower = description.to_ascii_lowercase();
        let nullable = if lower.contains("not nullable") || lower.contains("non-nullable") {
            Some(false)
        } else if lower.contains("nullable") {
            Some(true)
        } else {
            None
        };
        Said {
            nullable,
            read_only: lower.contains("read-only") || lower.contains("read only"),
            required: description.split(|c: char| !c.is_alphanumeric()).any(|w| w == "Required"),
        }
    }

    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("nullable"), Just("Nullable"), Just("NOT "), Just("not "), Just("non-"), Just("Non-"),
            Just("read"), Just("Read"), Just("-only"), Just(" only"), Just(" Only"), Just("Required"),
            Just("required"), Just("é"), Just("x"), Just("2"), Just(" "), Just("."), Just("_"), Just("-"),
        ];
        proptest::collection::vec(piece, 0..10).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn remarks_say_what_the_reference_said(description in pieces()) {
            prop_assert_eq!(Remarks::new().read(&description), reference(&description));
        }

        #[test]
        fn a_required_cell_says_what_it_said(cell in "(yes|Yes|YES|true|TRUE|required|Required|no|y|é|x){0,3}") {
            let lower = cell.to_ascii_lowercase();
            prop_assert_eq!(says_required(&cell), lower.starts_with("yes") || lower == "true" || lower == "required");
        }
    }

    #[test]
    fn table_properties_are_read_once_and_again_when_taken_twice() {
        let text = "---\ndoc_type: resourcePageType\n---\n# widget resource type\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | Read-only. Not nullable. |\n| size | Int32 | Required. |\n";
        let page = graphdoc_page::parse_page("widget.md", text.as_bytes()).page;
        let mut tables = TableProperties::read(&page);
        assert!(tables.resource && !tables.operation);
        let first = tables.take(&page, 0);
        assert_eq!(first.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["id", "size"]);
        assert_eq!((first[0].read_only, first[0].nullable, first[1].required), (true, Some(false), true));
        // Taken again (a page both readers read), or out of range: read afresh, or nothing.
        assert_eq!(tables.take(&page, 0), first);
        assert!(tables.take(&page, 7).is_empty());
        // An operation page's tables are read ahead in its Request body section only.
        let text = "# Create widget\n\n## HTTP request\n\n```http\nPOST /widgets\n```\n\n## Request body\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | x |\n\n## Response\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | x |\n";
        let page = graphdoc_page::parse_page("create-widget.md", text.as_bytes()).page;
        let tables = TableProperties::read(&page);
        assert!(tables.operation && !tables.resource);
        let read: Vec<bool> = tables.properties.iter().map(Option::is_some).collect();
        assert_eq!(read, [true, false]);
    }

    #[test]
    fn one_reader_reads_many_descriptions() {
        let mut remarks = Remarks::new();
        for d in ["Read-only. Nullable.", "Not nullable. Required.", "", "Required", "NonRequired", "Non-nullable, read only"] {
            assert_eq!(remarks.read(d), reference(d), "{d:?}");
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    fn property(name: &str, type_name: &str, line: u32) -> Property {
        let span = graphdoc_page::Span { line, ..graphdoc_page::Span::default() };
        Property::plain(name, type_name, Source::new("widget.md", span))
    }

    /// Past `INDEXED_FROM` properties a type finds them by name through its map: the same merge,
    /// the same conflicts, the same order as the search before it.
    #[test]
    fn many_properties_merge_as_few_do() {
        for count in [3, INDEXED_FROM - 1, INDEXED_FROM, 3 * INDEXED_FROM] {
            let (mut registry, mut report) = (Registry::default(), Report::default());
            for i in 0..count {
                registry.add_property("widget", property(&format!("p{i}"), "String", 1), &mut report);
            }
            // Again, as an update page's request-body table lists them: one read-only, one retyped.
            let mut again = property("p0", "String", 2);
            again.read_only = true;
            registry.add_property("widget", again, &mut report);
            registry.add_property("widget", property("p1", "Int32", 3), &mut report);
            registry.add_property("widget", property("extra", "Boolean", 4), &mut report);
            let draft = registry.types.get_mut("widget").map(|d| &mut d.def);
            let properties = draft.map(|d| d.properties.clone()).unwrap_or_default();
            let names: Vec<String> = properties.iter().map(|p| p.name.clone()).collect();
            let expected: Vec<String> = (0..count).map(|i| format!("p{i}")).chain(["extra".to_owned()]).collect();
            assert_eq!(names, expected, "{count}");
            assert!(properties[0].read_only, "{count}");
            assert_eq!(properties[1].type_name, "String", "{count}");
            let conflicts: Vec<_> = report.diagnostics.iter().filter(|d| d.code == Code::TypePropertyConflict).collect();
            assert_eq!(conflicts.len(), 1, "{count}");
            assert_eq!(conflicts[0].span.line, 3, "{count}");
        }
    }
}
