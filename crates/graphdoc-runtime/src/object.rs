//! One JSON (de)serializer for every generated model struct. A generated struct only names its
//! properties (the [`object!`](crate::object!) macro); the walking is done here, once, through
//! trait objects. serde's derive would emit a visitor, a field enum and a monomorphized body per
//! struct: on the Graph beta corpus that was most of a 179 s `cargo check` (docs/performance.md).

use std::any::Any;
use std::fmt;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Nullable;

/// One property of a model struct, (de)serialized without its type being known here.
pub trait Property {
    /// Whether the property is absent, so it is left out of the JSON object.
    fn is_absent(&self) -> bool;
    /// The value, as something any serializer can write.
    fn as_serialize(&self) -> &dyn erased_serde::Serialize;
    /// Replace the value with the one `d` holds.
    fn read(&mut self, d: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error>;
    /// The value, for `Debug`.
    fn as_debug(&self) -> &dyn fmt::Debug;
    /// The value, for comparing with a slot of the same struct.
    fn as_any(&self) -> &dyn Any;
    /// Whether `other` (the same slot of another value) holds an equal value.
    fn equals(&self, other: &dyn Property) -> bool;
    /// Take a copy of the value `other` (the same slot of another value) holds.
    fn assign(&mut self, other: &dyn Property);
}

/// What a property can hold: the runtime's wire types, generated types (through [`object!`](crate::object!),
/// [`wire_enum!`](crate::wire_enum!) and `Any*` enums), and `Vec`s and `Box`es of them. One
/// implemented marker instead of five bounds to prove per property: each slot's coercion to
/// `&dyn Property` was the largest part of the models crate's type checking.
pub trait PropertyValue: Serialize + DeserializeOwned + PartialEq + Clone + fmt::Debug + 'static {}

macro_rules! property_values {
    ($($t:ty),* $(,)?) => { $( impl PropertyValue for $t {} )* };
}

property_values!(
    String, bool, u8, i8, i16, i32, i64, f64, serde_json::Number, Value,
    crate::DateTimeOffset, crate::Date, crate::TimeOfDay, crate::Duration, crate::Guid, crate::Base64,
);
impl<T: PropertyValue> PropertyValue for Vec<T> {}
impl<T: PropertyValue> PropertyValue for Box<T> {}

impl<T: PropertyValue> Property for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }

    fn as_serialize(&self) -> &dyn erased_serde::Serialize {
        self
    }

    fn read(&mut self, d: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error> {
        *self = erased_serde::deserialize::<Nullable<T>>(d)?;
        Ok(())
    }

    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn equals(&self, other: &dyn Property) -> bool {
        other.as_any().downcast_ref::<Self>().is_some_and(|o| self == o)
    }

    fn assign(&mut self, other: &dyn Property) {
        if let Some(o) = other.as_any().downcast_ref::<Self>() {
            self.clone_from(o);
        }
    }
}

/// One slot of a generated struct, by index: a declared property, one a feature compiled out, or,
/// past the last, the properties the docs do not list.
pub enum Slot<'a> {
    /// A declared property: its wire name and value.
    Property(&'static str, &'a dyn Property),
    /// A declared property whose field a feature compiled out: its JSON stays in `End`'s map.
    CompiledOut(&'static str),
    /// Past the last property: the properties the docs do not list.
    End(&'a JsonMap),
}

/// [`Slot`], to change it.
pub enum SlotMut<'a> {
    /// A declared property: its wire name and value.
    Property(&'static str, &'a mut dyn Property),
    /// A declared property whose field a feature compiled out.
    CompiledOut(&'static str),
    /// Past the last property: the properties the docs do not list.
    End(&'a mut JsonMap),
}

/// A generated model struct seen as its slots. Every [`Fields`] type is one, so a generated
/// struct writes a single function (one `match` arm a property) for reading and changing: the
/// compiler's cost of a generated crate is about a millisecond per function body, and a second
/// function for `&mut` cost a fifth of an area's build (docs/performance.md).
pub trait Object {
    /// The slot at `index`: 0 is `@odata.type`, every index past the last property is `End`.
    fn slot(&self, index: usize) -> Slot<'_>;
    /// The slot at `index`, to change it.
    fn slot_mut(&mut self, index: usize) -> SlotMut<'_>;
}

/// The map of properties the docs do not list.
pub type JsonMap = Map<String, Value>;

/// A [`Slot`] as a pointer into the struct: what [`Fields`] gives, for [`Object`]'s two functions.
pub enum RawSlot {
    /// A declared property: its wire name and field.
    Property(&'static str, *mut dyn Property),
    /// A declared property whose field a feature compiled out.
    CompiledOut(&'static str),
    /// Past the last property: the properties the docs do not list.
    End(*mut JsonMap),
}

/// A generated model struct's fields by index, as pointers: one function serves both [`Object`]
/// functions (the [`object!`](crate::object!) macro writes it).
///
/// # Safety
/// `raw_slot(this, i)` only projects `this` to one of its own fields (it never reads or writes
/// through `this`), the pointers it returns are aligned (the struct is not `#[repr(packed)]`), and
/// the slot of an index is the same field on every call.
pub unsafe trait Fields {
    /// The slot at `index` of `*this`.
    ///
    /// # Safety
    /// `this` points to a live value.
    unsafe fn raw_slot(this: *mut Self, index: usize) -> RawSlot;
}

impl<T: Fields> Object for T {
    #[inline]
    fn slot(&self, index: usize) -> Slot<'_> {
        // SAFETY: `self` is live; the pointers are to its fields and only read for `self`'s borrow.
        unsafe {
            match T::raw_slot(self as *const T as *mut T, index) {
                RawSlot::Property(wire, p) => Slot::Property(wire, &*p),
                RawSlot::CompiledOut(wire) => Slot::CompiledOut(wire),
                RawSlot::End(p) => Slot::End(&*p),
            }
        }
    }

    #[inline]
    fn slot_mut(&mut self, index: usize) -> SlotMut<'_> {
        // SAFETY: `self` is live and borrowed mutably; the pointers are to its (distinct) fields.
        unsafe {
            match T::raw_slot(self as *mut T, index) {
                RawSlot::Property(wire, p) => SlotMut::Property(wire, &mut *p),
                RawSlot::CompiledOut(wire) => SlotMut::CompiledOut(wire),
                RawSlot::End(p) => SlotMut::End(&mut *p),
            }
        }
    }
}

/// Write `object` as one JSON object: declared properties that are not absent, then the others.
pub fn serialize<S: Serializer>(object: &dyn Object, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    for index in 0.. {
        match object.slot(index) {
            Slot::Property(wire, property) if !property.is_absent() => map.serialize_entry(wire, property.as_serialize())?,
            Slot::Property(..) | Slot::CompiledOut(_) => {}
            Slot::End(additional) => {
                for (k, v) in additional {
                    map.serialize_entry(k, v)?;
                }
                break;
            }
        }
    }
    map.end()
}

/// Read one JSON object into `object`: a declared property by its wire name, any other key (and
/// one whose property is compiled out) into the additional properties.
pub fn deserialize<'de, D: Deserializer<'de>>(object: &mut dyn Object, d: D) -> Result<(), D::Error> {
    d.deserialize_map(ObjectVisitor { object })
}

/// A new `T` read from one JSON object (`Deserialize` of a generated struct): generic here, so the
/// struct's own impl is a call without a `?` or a local to borrow-check.
pub fn read<'de, T: Object + Default, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let mut value = T::default();
    deserialize(&mut value, d)?;
    Ok(value)
}

/// A generated enum read from its wire string (`Deserialize` of a `wire_enum!`).
pub fn read_wire<'de, T, D: Deserializer<'de>>(d: D, from_wire: fn(&str) -> T) -> Result<T, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    Ok(from_wire(&s))
}

/// `Name("wire")`: what `Debug` shows for a generated enum.
pub fn debug_wire(name: &str, wire: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_tuple(name).field(&wire).finish()
}

/// One variant of an `Any*` enum read from `value`: `wrap` is the variant (`AnyX::Y`), so a
/// generated match arm is one call rather than a closure of its own.
pub fn variant<T: DeserializeOwned, A>(value: Value, wrap: fn(Box<T>) -> A) -> Result<A, serde_json::Error> {
    serde_json::from_value(value).map(|v| wrap(Box::new(v)))
}

/// `Name { wire: value, .. }` with the properties that are not absent, then the undocumented ones:
/// what `Debug` shows for a generated struct (wire names, as the JSON and the docs spell them).
pub fn debug(name: &str, object: &dyn Object, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut s = f.debug_struct(name);
    for index in 0.. {
        match object.slot(index) {
            Slot::Property(wire, property) if !property.is_absent() => {
                s.field(wire, property.as_debug());
            }
            Slot::Property(..) | Slot::CompiledOut(_) => {}
            Slot::End(additional) => {
                if !additional.is_empty() {
                    s.field("additional_properties", additional);
                }
                break;
            }
        }
    }
    s.finish()
}

/// Whether two values of one generated struct are equal, slot by slot (`PartialEq`).
pub fn equal(a: &dyn Object, b: &dyn Object) -> bool {
    for index in 0.. {
        match (a.slot(index), b.slot(index)) {
            (Slot::Property(_, x), Slot::Property(_, y)) if x.equals(y) => {}
            (Slot::CompiledOut(_), Slot::CompiledOut(_)) => {}
            (Slot::End(x), Slot::End(y)) => return x == y,
            _ => return false,
        }
    }
    false
}

/// A copy of a generated struct, slot by slot (`Clone`).
pub fn clone<T: Object + Default>(from: &T) -> T {
    let mut to = T::default();
    for index in 0.. {
        match (from.slot(index), to.slot_mut(index)) {
            (Slot::Property(_, source), SlotMut::Property(_, target)) => target.assign(source),
            (Slot::End(source), SlotMut::End(target)) => {
                target.clone_from(source);
                break;
            }
            (Slot::End(_), _) => break,
            _ => {}
        }
    }
    to
}

/// The index of `wire`'s slot in `object`, and the index of its `End`.
fn find(object: &dyn Object, wire: &str) -> (Option<usize>, usize) {
    for index in 0.. {
        match object.slot(index) {
            Slot::Property(w, _) if w == wire => return (Some(index), index),
            Slot::End(_) => return (None, index),
            Slot::Property(..) | Slot::CompiledOut(_) => {}
        }
    }
    (None, usize::MAX)
}

struct ObjectVisitor<'a> {
    object: &'a mut dyn Object,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let (found, end) = find(self.object, &key);
            if let Some(SlotMut::Property(_, property)) = found.map(|i| self.object.slot_mut(i)) {
                map.next_value_seed(PropertySeed(property))?;
                continue;
            }
            let value: Value = map.next_value()?;
            if let SlotMut::End(additional) = self.object.slot_mut(end) {
                additional.insert(key, value);
            }
        }
        Ok(())
    }
}

/// Make a generated struct an [`Object`], and `Serialize`, `Deserialize`, `Debug`, `PartialEq` and
/// `Clone` through it, plus a `Default` with every property absent (derives would emit trait calls
/// per field; see docs/performance.md).
///
/// Every field named must be a [`Nullable`]; `additional_properties` must be a [`JsonMap`]. Every
/// function is `#[inline]`, so a client crate compiles none of them until a caller uses one. A
/// field may carry `#[cfg(...)]` (a navigation property exists only with its target's feature);
/// its slot is then `CompiledOut`, and its JSON goes to `additional_properties`.
///
/// The [`Fields`] it implements is `unsafe`; what makes it sound is checked where the macro is
/// used: `Default`'s struct literal names every field and nothing else, and takes a reference to
/// each, which does not compile for a `#[repr(packed)]` struct:
///
/// ```compile_fail,E0793
/// use graphdoc_runtime::{object::JsonMap, Nullable};
/// #[repr(packed)]
/// struct Packed {
///     id: Nullable<String>,
///     additional_properties: JsonMap,
/// }
/// graphdoc_runtime::object!(Packed { 0 => id: "id" });
/// ```
#[macro_export]
macro_rules! object {
    ($ty:ident { $( $(#[cfg($pred:meta)])? $index:literal => $field:ident : $wire:literal ),* $(,)? }) => {
        impl $crate::object::PropertyValue for $ty {}
        // SAFETY: every arm projects `this` to the field of its index; `Default`'s struct literal
        // below proves they are the struct's own fields, and its references that they are aligned.
        unsafe impl $crate::object::Fields for $ty {
            #[inline]
            unsafe fn raw_slot(this: *mut Self, index: usize) -> $crate::object::RawSlot {
                // The metavariables inside are identifiers and literals: no caller expression runs here.
                #[allow(clippy::macro_metavars_in_unsafe)]
                unsafe {
                    match index {
                        $(
                            $(#[cfg($pred)])? $index => $crate::object::RawSlot::Property($wire, ::core::ptr::addr_of_mut!((*this).$field)),
                            $(#[cfg(not($pred))] $index => $crate::object::RawSlot::CompiledOut($wire),)?
                        )*
                        _ => $crate::object::RawSlot::End(::core::ptr::addr_of_mut!((*this).additional_properties)),
                    }
                }
            }
        }
        impl ::std::default::Default for $ty {
            #[inline]
            fn default() -> Self {
                let value = $ty { $( $(#[cfg($pred)])? $field: $crate::Nullable::Absent, )* additional_properties: $crate::object::JsonMap::new() };
                // A reference to every field: a compile error if the struct is `#[repr(packed)]`,
                // whose fields `Fields::raw_slot` could not hand out as references.
                let _ = ($( $(#[cfg($pred)])? &value.$field, )* &value.additional_properties);
                value
            }
        }
        impl ::std::fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::object::debug(stringify!($ty), self, f)
            }
        }
        impl ::std::cmp::PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::object::equal(self, other)
            }
        }
        impl ::std::clone::Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                $crate::object::clone(self)
            }
        }
        impl $crate::serde::Serialize for $ty {
            #[inline]
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::object::serialize(self, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::object::read(d)
            }
        }
    };
}

/// Make a generated enum (a wire string with known members: `as_str` and `from_wire`) `Serialize`,
/// `Deserialize`, `Clone`, `Debug` (`Name("wire")`), and `PartialEq`, `Eq`, `Hash` by its wire
/// value, each one line instead of a derive with an arm per member (see docs/performance.md).
#[macro_export]
macro_rules! wire_enum {
    ($ty:ident) => {
        impl $crate::object::PropertyValue for $ty {}
        impl ::std::clone::Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                Self::from_wire(self.as_str())
            }
        }
        impl ::std::fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::object::debug_wire(stringify!($ty), self.as_str(), f)
            }
        }
        impl ::std::cmp::PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }
        impl ::std::cmp::Eq for $ty {}
        impl ::std::hash::Hash for $ty {
            #[inline]
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state)
            }
        }
        impl $crate::serde::Serialize for $ty {
            #[inline]
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::object::read_wire(d, Self::from_wire)
            }
        }
    };
}

struct PropertySeed<'a>(&'a mut dyn Property);

impl<'de> DeserializeSeed<'de> for PropertySeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(d);
        self.0.read(&mut erased).map_err(serde::de::Error::custom)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    struct Sample {
        odata_type: Nullable<String>,
        r#type: Nullable<i32>,
        nested: Nullable<Box<Sample>>,
        additional_properties: Map<String, Value>,
    }
    crate::object!(Sample { 0 => odata_type: "@odata.type", 1 => r#type: "type", 2 => nested: "nested" });

    struct Gated {
        odata_type: Nullable<String>,
        #[cfg(any())]
        hidden: Nullable<i32>,
        shown: Nullable<i32>,
        additional_properties: Map<String, Value>,
    }
    crate::object!(Gated { 0 => odata_type: "@odata.type", #[cfg(any())] 1 => hidden: "hidden", 2 => shown: "shown" });

    #[test]
    fn a_field_compiled_out_is_read_as_an_unknown_property() {
        let text = r#"{"hidden":1,"shown":2}"#;
        let v: Gated = serde_json::from_str(text).unwrap();
        assert_eq!(v.shown, Nullable::Value(2));
        assert_eq!(v.additional_properties.get("hidden"), Some(&serde_json::json!(1)));
        assert!(v.odata_type.is_absent());
        assert_eq!(serde_json::to_value(&v).unwrap(), serde_json::json!({"shown": 2, "hidden": 1}));
        let gated = Gated::default();
        assert!(matches!(gated.slot(1), Slot::CompiledOut("hidden")));
        assert!(matches!(gated.slot(2), Slot::Property("shown", _)));
        assert!(matches!(gated.slot(3), Slot::End(_)));
        assert_eq!(v.clone(), v);
        assert_eq!(format!("{v:?}"), r#"Gated { shown: Value(2), additional_properties: {"hidden": Number(1)} }"#);
    }

    #[test]
    fn a_slot_changed_through_slot_mut_is_the_field_slot_reads() {
        let mut v = Sample::default();
        if let SlotMut::Property("type", p) = v.slot_mut(1) {
            p.read(&mut <dyn erased_serde::Deserializer>::erase(serde_json::json!(7))).unwrap();
        }
        if let SlotMut::End(map) = v.slot_mut(3) {
            map.insert("extra".into(), serde_json::json!(true));
        }
        assert_eq!(v.r#type, Nullable::Value(7));
        assert!(matches!(v.slot(1), Slot::Property("type", p) if !p.is_absent()));
        assert!(matches!(v.slot(0), Slot::Property("@odata.type", p) if p.is_absent()));
        assert!(matches!(v.slot(3), Slot::End(m) if m.len() == 1));
        assert!(matches!(v.slot(usize::MAX), Slot::End(_)));
    }

    #[test]
    fn absent_null_and_value_round_trip_in_order_with_unknown_keys_kept() {
        let text = r##"{"@odata.type":"#x","type":null,"nested":{"type":3,"extra":[1]},"other":true}"##;
        let v: Sample = serde_json::from_str(text).unwrap();
        assert_eq!(v.r#type, Nullable::Null);
        let nested = v.nested.as_ref().unwrap();
        assert_eq!(nested.r#type, Nullable::Value(3));
        assert!(nested.odata_type.is_absent());
        assert_eq!(nested.additional_properties.get("extra"), Some(&serde_json::json!([1])));
        assert_eq!(serde_json::to_string(&v).unwrap(), text);
    }

    #[test]
    fn debug_and_equality_go_through_the_slots() {
        let text = r##"{"type":1,"nested":{"type":2},"other":true}"##;
        let a: Sample = serde_json::from_str(text).unwrap();
        let mut b = a.clone();
        assert_eq!(a, b);
        b.nested = Nullable::Null;
        assert_ne!(a, b);
        let mut c = a.clone();
        c.additional_properties.clear();
        assert_ne!(a, c);
        assert_eq!(
            format!("{a:?}"),
            r#"Sample { type: Value(1), nested: Value(Sample { type: Value(2) }), additional_properties: {"other": Bool(true)} }"#
        );
    }

    #[test]
    fn clone_copies_every_slot_and_the_unknown_keys() {
        let text = r##"{"@odata.type":"#x","type":null,"nested":{"type":3,"extra":[1]},"other":true}"##;
        let a: Sample = serde_json::from_str(text).unwrap();
        let b = a.clone();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&b).unwrap(), text);
        assert_eq!(b.r#type, Nullable::Null, "null stays null, not absent");
    }

    enum Color {
        Red,
        Unknown(String),
    }

    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Unknown(s) => s,
            }
        }

        fn from_wire(s: &str) -> Self {
            if s == "red" { Self::Red } else { Self::Unknown(s.to_owned()) }
        }
    }

    crate::wire_enum!(Color);

    #[test]
    fn a_wire_enum_is_its_wire_value() {
        let red: Color = serde_json::from_str(r#""red""#).unwrap();
        assert!(matches!(red, Color::Red));
        let other: Color = serde_json::from_str(r#""mauve""#).unwrap();
        assert_eq!(serde_json::to_string(&other).unwrap(), r#""mauve""#);
        assert_eq!(format!("{red:?} {other:?}"), r#"Color("red") Color("mauve")"#);
        assert!(red == Color::Unknown("red".to_owned()), "equal by wire value");
        assert!(red != other && other.clone() == other);
        let set: std::collections::HashSet<Color> = [Color::Red, Color::Unknown("red".to_owned())].into_iter().collect();
        assert_eq!(set.len(), 1, "hash agrees with equality");
    }

    #[test]
    fn any_variant_and_wire_values_read_through_the_helpers() {
        enum AnySample {
            Sample(Box<Sample>),
        }
        let AnySample::Sample(v) = variant(serde_json::json!({"type": 7}), AnySample::Sample).unwrap();
        assert_eq!(v.r#type, Nullable::Value(7));
        assert!(variant::<Sample, _>(serde_json::json!([]), AnySample::Sample).is_err());
        let mut d = serde_json::Deserializer::from_str(r#""red""#);
        assert!(matches!(read_wire(&mut d, Color::from_wire).unwrap(), Color::Red));
    }

    #[test]
    fn a_wrong_value_type_is_an_error_naming_it() {
        let e = serde_json::from_str::<Sample>(r#"{"type":"three"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
        assert!(serde_json::from_str::<Sample>("[1]").is_err());
        assert!(serde_json::from_value::<Sample>(serde_json::json!({"nested": {"type": 1.5}})).is_err());
    }
}

