//! Areas: a cargo feature per top-level path segment (`device-management` for `/deviceManagement`),
//! so a client that needs one area compiles only its builders and the types they reach.
//!
//! An item exists when any feature of an area that reaches it is on (`full`, the default, turns on
//! every area and also keeps the types no operation reaches). Reaching follows a type's properties
//! and, where a value is polymorphic, every type derived from it, but not navigation properties:
//! those hold related entities only when asked for (`$expand`), and following them pulls half the
//! beta corpus into every area. A navigation field exists when its target does; without it, a value
//! the service sends stays in `additional_properties`. Features only ever add items and fields.

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use rayon::prelude::*;

use graphdoc_model::names::type_key;
use graphdoc_model::{ApiModel, RequestBody, TypeDef};
use graphdoc_page::Primitive;

use crate::duplicates::response_type;
use crate::layout::{fits_as_written, print_line};
use crate::models::TypeMap;
use crate::tokens::{push_indent, string_literal};
use crate::naming::Namer;
use crate::requests::{Node, Placement};

/// When a generated item exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Always: reached from an operation at the root.
    Always,
    /// With any of these features (none: only with `full`).
    Features(BTreeSet<String>),
}

impl Gate {
    /// Whether every build that has `other` has this too.
    fn covers(&self, other: &Gate) -> bool {
        match (self, other) {
            (Gate::Always, _) => true,
            (Gate::Features(_), Gate::Always) => false,
            (Gate::Features(mine), Gate::Features(theirs)) => theirs.is_subset(mine),
        }
    }

    /// The `#[cfg(...)]` attribute, empty when always.
    pub fn cfg(&self) -> TokenStream {
        match self {
            Gate::Always => quote! {},
            Gate::Features(f) if f.is_empty() => quote! { #[cfg(feature = "full")] },
            Gate::Features(f) if f.len() == 1 => {
                let f = f.iter();
                quote! { #[cfg( #( feature = #f )* )] }
            }
            Gate::Features(f) => {
                let f = f.iter();
                quote! { #[cfg(any( #( feature = #f ),* ))] }
            }
        }
    }

    /// [`Gate::cfg`] as text on one line (`None` when always).
    pub fn cfg_text(&self) -> Option<String> {
        let Gate::Features(f) = self else { return None };
        if f.is_empty() {
            return Some("#[cfg(feature = \"full\")]".to_owned());
        }
        // Written into one string (every gated field writes one: about 50,000 on beta).
        let mut out = String::with_capacity(16 + f.iter().map(|name| name.len() + 14).sum::<usize>());
        out.push_str(if f.len() == 1 { "#[cfg(" } else { "#[cfg(any(" });
        for (i, name) in f.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str("feature = ");
            out.push_str(&string_literal(name));
        }
        out.push_str(if f.len() == 1 { ")]" } else { "))]" });
        Some(out)
    }
}

/// A gate's `#[cfg(...)]` line at `indent`, if it has one: as written where it fits, else laid
/// out from [`Gate::cfg`].
pub fn push_cfg(out: &mut String, indent: usize, gate: Option<&Gate>) {
    let Some((gate, text)) = gate.and_then(|g| Some((g, g.cfg_text()?))) else { return };
    if fits_as_written(indent, text.len()) {
        push_indent(out, indent);
        out.push_str(&text);
        out.push('\n');
    } else {
        // Broken as `layout` breaks it, one level at a time (laying out its tokens took 50,000
        // instructions a line, for the 800 such lines of beta), unless a level is too close to the
        // width to tell without the layout.
        match broken_cfg(gate, indent) {
            Some(broken) => out.push_str(&broken),
            None => out.push_str(&print_line(gate.cfg(), indent)),
        }
    }
}

/// A gate's `#[cfg(...)]` line as `layout` breaks it at `indent`, where that can be told without it.
pub(crate) fn broken_cfg(gate: &Gate, indent: usize) -> Option<String> {
    let Gate::Features(features) = gate else { return None };
    let quoted: Vec<String> = features.iter().map(|f| format!("feature = {}", string_literal(f))).collect();
    let levels: &[(&str, &str)] = if quoted.len() > 1 { &[("#[", "]"), ("cfg(", ")"), ("any(", ")")] } else { &[("#[", "]"), ("cfg(", ")")] };
    let mut broken = String::new();
    push_broken(&mut broken, indent, levels, &quoted).then_some(broken)
}

/// `leaves` nested in `levels` (outermost first: opening, closing) at `indent`, as `layout` lays
/// out a group: on one line where it fits with room to spare, else (past the width) its opening,
/// its one element a level deeper (the leaves one a line, with commas when there are several),
/// and its closing. False when a level is too close to the width to tell.
fn push_broken(out: &mut String, indent: usize, levels: &[(&str, &str)], leaves: &[String]) -> bool {
    let Some(((open, close), inner)) = levels.split_first() else { return false };
    let mut whole = String::from(*open);
    inner.iter().for_each(|(inner_open, _)| whole.push_str(inner_open));
    whole.push_str(&leaves.join(", "));
    inner.iter().rev().for_each(|(_, inner_close)| whole.push_str(inner_close));
    whole.push_str(close);
    push_indent(out, indent);
    if fits_as_written(indent, whole.len()) {
        out.push_str(&whole);
        out.push('\n');
        return true;
    }
    if indent + whole.len() <= crate::layout::WIDTH {
        return false;
    }
    out.push_str(open);
    out.push('\n');
    if inner.is_empty() {
        // A leaf that does not fit on its line either is left to the layout.
        if leaves.iter().any(|l| !fits_as_written(indent + 4, l.len() + 1)) {
            return false;
        }
        crate::tokens::push_elements(out, indent + 4, leaves, leaves.len() > 1);
    } else if !push_broken(out, indent + 4, inner, leaves) {
        return false;
    }
    push_indent(out, indent);
    out.push_str(close);
    out.push('\n');
    true
}

/// What one area reaches.
#[derive(Default)]
struct Reach {
    types: BTreeSet<String>,
    enums: BTreeSet<String>,
    parameters: BTreeSet<String>,
    /// Types reached whose properties are not followed yet.
    pending: Vec<String>,
}

/// The areas of a crate and the gate of every item.
pub struct Areas {
    /// Area (the root's method for it) → feature name.
    features: BTreeMap<String, String>,
    /// Type key → gate.
    types: BTreeMap<String, Gate>,
    /// Enum key → gate.
    enums: BTreeMap<String, Gate>,
    /// Operation id → gate of its action-parameters struct.
    parameters: BTreeMap<String, Gate>,
}

static ONLY_FULL: Gate = Gate::Features(BTreeSet::new());

impl Areas {
    /// The areas of `placement` and what each reaches.
    pub fn new(model: &ApiModel, map: &TypeMap, placement: &Placement) -> Areas {
        let mut namer = Namer::with_reserved(&["full", "default"]);
        let mut features = BTreeMap::new();
        for area in placement.nodes.iter().filter_map(|n| n.area.as_ref()) {
            features.entry(area.clone()).or_insert_with(|| namer.unique(&area.replace('_', "-")));
        }
        let by_key: BTreeMap<String, &TypeDef> = model.types.iter().map(|t| (type_key(&t.name), t)).collect();
        // `None` is the root: what its operations reach always exists.
        let mut reach: BTreeMap<Option<String>, Reach> = BTreeMap::new();
        for node in &placement.nodes {
            let area = node.area.as_deref().and_then(|a| features.get(a)).cloned();
            let r = reach.entry(area).or_default();
            for op in node.operations.iter().filter_map(|(i, _, _)| model.operations.get(*i)) {
                match &op.request_body {
                    RequestBody::None | RequestBody::Reference => {}
                    // A body is the concrete struct, never its `Any*`.
                    RequestBody::Type(t) => match by_key.get(&type_key(&t.name)) {
                        Some(_) => r.add_type(type_key(&t.name)),
                        None => r.reference(map, &t.name),
                    },
                    RequestBody::Parameters { parameters } => {
                        r.parameters.insert(op.id.clone());
                        for p in parameters {
                            r.reference(map, &p.type_name);
                        }
                    }
                }
                if let Some(t) = response_type(op).filter(|_| !op.returns_content()) {
                    r.reference(map, &t.name);
                }
            }
        }
        // Each area's closure is its own: they are followed on every core.
        reach.par_iter_mut().for_each(|(_, r)| {
            while let Some(key) = r.pending.pop() {
                let Some(t) = by_key.get(&key) else { continue };
                for p in model.all_properties(&t.name) {
                    if !p.navigation && !p.name.contains('@') {
                        r.reference(map, &p.type_name);
                    }
                }
            }
        });
        let mut areas = Areas { features, types: BTreeMap::new(), enums: BTreeMap::new(), parameters: BTreeMap::new() };
        for (area, r) in &reach {
            for (keys, gates) in [(&r.types, &mut areas.types), (&r.enums, &mut areas.enums), (&r.parameters, &mut areas.parameters)] {
                for key in keys {
                    let gate = gates.entry(key.clone()).or_insert_with(|| ONLY_FULL.clone());
                    match (area, &mut *gate) {
                        (None, g) => *g = Gate::Always,
                        (Some(_), Gate::Always) => {}
                        (Some(f), Gate::Features(set)) => {
                            set.insert(f.clone());
                        }
                    }
                }
            }
        }
        areas
    }

    /// Every area's feature, sorted.
    pub fn features(&self) -> BTreeSet<&str> {
        self.features.values().map(String::as_str).collect()
    }

    /// The gate of a model type.
    pub fn type_gate(&self, name: &str) -> &Gate {
        self.types.get(&type_key(name)).unwrap_or(&ONLY_FULL)
    }

    /// The gate of an enum.
    pub fn enum_gate(&self, name: &str) -> &Gate {
        self.enums.get(&type_key(name)).unwrap_or(&ONLY_FULL)
    }

    /// The gate of an operation's action-parameters struct.
    pub fn parameters_gate(&self, operation_id: &str) -> &Gate {
        self.parameters.get(operation_id).unwrap_or(&ONLY_FULL)
    }

    /// The gate of whatever a value of type `name` is in generated code.
    fn value_gate(&self, map: &TypeMap, name: &str) -> &Gate {
        if Primitive::lookup(name).is_some() {
            &Gate::Always
        } else if map.type_name(name).is_some() {
            self.type_gate(name)
        } else if map.enum_name(name).is_some() {
            self.enum_gate(name)
        } else {
            &Gate::Always
        }
    }

    /// [`Areas::field_gate`]'s attribute as tokens, for the tests' reference items.
    #[cfg(test)]
    pub fn field_cfg(&self, map: &TypeMap, outer: &Gate, name: &str) -> TokenStream {
        self.field_gate(map, outer, name).map(Gate::cfg).unwrap_or_default()
    }

    /// The gate a field (or variant) of type `name` needs inside an item gated by `outer`: none
    /// when every build with the item has the field's type.
    pub fn field_gate(&self, map: &TypeMap, outer: &Gate, name: &str) -> Option<&Gate> {
        Some(self.value_gate(map, name)).filter(|inner| !inner.covers(outer))
    }

    /// The gate of a request builder (and of the root's method for it): its area's feature.
    pub fn node_gate(&self, node: &Node) -> Option<Gate> {
        let feature = node.area.as_deref().and_then(|a| self.features.get(a))?;
        Some(Gate::Features(BTreeSet::from([feature.clone()])))
    }
}

impl Reach {
    /// Reach a type: its properties are followed later.
    fn add_type(&mut self, key: String) {
        if self.types.insert(key.clone()) {
            self.pending.push(key);
        }
    }

    /// Reach what a value of type `name` needs: its type (and every type derived from it when it is
    /// polymorphic, as its `Any*` holds them all), or its enum.
    fn reference(&mut self, map: &TypeMap, name: &str) {
        if Primitive::lookup(name).is_some() {
            return;
        }
        if map.type_name(name).is_some() {
            self.add_type(type_key(name));
            if map.any_name(name).is_some() {
                for k in map.descendants(name) {
                    self.add_type(k.clone());
                }
            }
        } else if map.enum_name(name).is_some() {
            self.enums.insert(type_key(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_written_as_text_is_its_tokens_laid_out() {
        let features = |names: &[&str]| Gate::Features(names.iter().map(|n| (*n).to_owned()).collect());
        for gate in [features(&[]), features(&["mail"]), features(&["device-management", "mail", "users"])] {
            let text = gate.cfg_text().unwrap_or_default();
            assert_eq!(print_line(gate.cfg(), 0).trim_end(), text, "{gate:?}");
        }
        assert_eq!(Gate::Always.cfg_text(), None);
    }
}
