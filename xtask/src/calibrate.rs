//! A fixed compile workload timed in the same run as the corpus builds, so that their times can be
//! read at one reference speed of the machine.
//!
//! Why: on these 2-core machines the same build of the same generated crate took 11.1 s in one hour
//! and 18.4 s a few hours later (docs/performance.md, eighth session), with nothing else running.
//! A threshold on raw seconds then fails or passes with the hour, not with the code. The workload
//! is shaped like a generated models crate (many small structs and enums, each with a handful of
//! one-line trait impls written by a `macro_rules!` macro, dev profile), so rustc spends its time
//! in the same passes (type checking, borrow checking, MIR building of small bodies).
//!
//! The source is a pure function of the constants below: changing them changes the reference
//! time in `.ci/corpus-thresholds.json`, which must then be measured again.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Structs in the workload (a models crate's area has about 900).
const STRUCTS: usize = 900;
/// Fields a struct (about what a Graph type has).
const FIELDS: usize = 8;
/// Enums in the workload (an area has about 400).
const ENUMS: usize = 400;
/// Members an enum.
const MEMBERS: usize = 6;

/// The workload's source: one library crate, standard library only.
pub fn source() -> String {
    let mut s = String::from(PRELUDE);
    for i in 0..STRUCTS {
        s.push_str(&format!("/// Struct {i}.\npub struct S{i} {{\n"));
        for f in 0..FIELDS {
            let ty = match f % 4 {
                0 => "Option<String>".to_owned(),
                1 => "Option<Vec<String>>".to_owned(),
                2 => "Option<i64>".to_owned(),
                _ => format!("Option<E{}>", (i + f) % ENUMS),
            };
            s.push_str(&format!("    pub f{f}: {ty},\n"));
        }
        s.push_str("    pub rest: BTreeMap<String, String>,\n}\n");
        let fields: Vec<String> = (0..FIELDS).map(|f| format!("{f} => f{f}: \"field{f}\"")).collect();
        s.push_str(&format!("object!(S{i} {{ {} }});\n", fields.join(", ")));
    }
    for i in 0..ENUMS {
        let members: Vec<String> = (0..MEMBERS).map(|m| format!("M{m}")).collect();
        s.push_str(&format!("/// Enum {i}.\npub enum E{i} {{ {}, Unknown(String) }}\n", members.join(", ")));
        let arms: Vec<String> = (0..MEMBERS).map(|m| format!("Self::M{m} => \"member{m}{i}\"")).collect();
        let wire: Vec<String> = (0..MEMBERS).map(|m| format!("\"member{m}{i}\"")).collect();
        let from: Vec<String> = (0..MEMBERS).map(|m| format!("Some({m}) => Self::M{m}")).collect();
        s.push_str(&format!(
            "impl E{i} {{\n    #[inline]\n    pub fn as_str(&self) -> &str {{ match self {{ {}, Self::Unknown(s) => s }} }}\n    #[inline]\n    pub fn from_wire(s: &str) -> Self {{\n        const WIRE: &[&str] = &[{}];\n        match WIRE.iter().position(|w| *w == s) {{ {}, _ => Self::Unknown(s.to_owned()) }}\n    }}\n}}\nwire_enum!(E{i});\n",
            arms.join(", "),
            wire.join(", "),
            from.join(", ")
        ));
    }
    s
}

/// What every struct and enum of the workload leans on: the same shape as the runtime's `object!`
/// and `wire_enum!`, one-line impls calling generic functions.
const PRELUDE: &str = r#"//! graphdoc's calibration workload (xtask/src/calibrate.rs). Generated; do not edit.
#![allow(dead_code)]
use std::collections::BTreeMap;
use std::fmt;

pub trait Value: fmt::Debug + PartialEq + Clone {}
impl Value for String {}
impl Value for i64 {}
impl<T: Value> Value for Vec<T> {}
impl<T: Value> Value for Option<T> {}

pub enum Slot<'a> {
    Field(&'static str, &'a dyn fmt::Debug),
    End(&'a BTreeMap<String, String>),
}

pub trait Fields {
    fn slot(&self, index: usize) -> Slot<'_>;
}

pub fn debug<T: Fields>(name: &str, value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut d = f.debug_struct(name);
    let mut i = 0;
    loop {
        match value.slot(i) {
            Slot::Field(wire, v) => {
                d.field(wire, v);
            }
            Slot::End(rest) => {
                d.field("rest", rest);
                break;
            }
        }
        i += 1;
    }
    d.finish()
}

pub fn equal<T: Fields>(a: &T, b: &T) -> bool {
    format!("{:?}", Wrap(a)) == format!("{:?}", Wrap(b))
}

struct Wrap<'a, T>(&'a T);
impl<T: Fields> fmt::Debug for Wrap<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug("", self.0, f)
    }
}

macro_rules! object {
    ($ty:ident { $( $index:literal => $field:ident : $wire:literal ),* }) => {
        impl Value for $ty {}
        impl Fields for $ty {
            #[inline]
            fn slot(&self, index: usize) -> Slot<'_> {
                match index {
                    $( $index => Slot::Field($wire, &self.$field), )*
                    _ => Slot::End(&self.rest),
                }
            }
        }
        impl Default for $ty {
            #[inline]
            fn default() -> Self {
                let value = $ty { $( $field: None, )* rest: BTreeMap::new() };
                let _ = ($( &value.$field, )* &value.rest);
                value
            }
        }
        impl fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug(stringify!($ty), self, f)
            }
        }
        impl PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                equal(self, other)
            }
        }
        impl Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                $ty { $( $field: self.$field.clone(), )* rest: self.rest.clone() }
            }
        }
    };
}

macro_rules! wire_enum {
    ($ty:ident) => {
        impl Value for $ty {}
        impl Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                Self::from_wire(self.as_str())
            }
        }
        impl fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&self.as_str()).finish()
            }
        }
        impl PartialEq for $ty {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }
        impl Eq for $ty {}
        impl std::hash::Hash for $ty {
            #[inline]
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }
    };
}

"#;

/// Write the workload's source into `dir`; [`time_once`] compiles it there.
pub fn prepare(dir: &Path) -> Result<(), String> {
    let file = dir.join(SOURCE_FILE);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(&file, source()).map_err(|e| format!("{}: {e}", file.display()))
}

/// The workload's file name in the folder [`prepare`] writes it to.
const SOURCE_FILE: &str = "calibration.rs";

/// Compile the workload [`prepare`] wrote in `dir` once (dev profile's settings: no optimization,
/// full debug info) and return the wall seconds.
pub fn time_once(dir: &Path) -> Result<f64, String> {
    let file = dir.join(SOURCE_FILE);
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let mut command = Command::new(rustc);
    command.args(["--edition=2021", "--crate-type=lib", "--crate-name=calibration", "-C", "debuginfo=2"]);
    command.arg("--out-dir").arg(dir).arg(&file);
    let start = Instant::now();
    let out = command.stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("rustc: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("the calibration workload did not compile:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(seconds)
}

/// The fastest of a machine's calibration runs (0 for none, which no reference reads): what else
/// the machine runs only ever slows a run down, so the fastest is its speed.
pub fn fastest(runs: &[f64]) -> f64 {
    runs.iter().copied().reduce(f64::min).unwrap_or(0.0)
}

/// `cargo xtask calibrate [ROUNDS]`: compile the workload ROUNDS times (3 by default), print each
/// time and the fastest, the figure `cargo xtask corpus` compares with `reference.calibration_seconds`.
pub fn calibrate(args: &[&str]) -> std::process::ExitCode {
    let rounds = match args {
        [] => 3,
        [n] => match n.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => return crate::fail("usage: cargo xtask calibrate [ROUNDS]"),
        },
        _ => return crate::fail("usage: cargo xtask calibrate [ROUNDS]"),
    };
    let dir = crate::root().join("target/calibration");
    if let Err(e) = prepare(&dir) {
        return crate::fail(&e);
    }
    let mut runs = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        match time_once(&dir) {
            Ok(s) => {
                println!("calibrate: {s:.2} s");
                runs.push(s);
            }
            Err(e) => return crate::fail(&e),
        }
    }
    println!("calibrate: fastest of {rounds}: {:.2} s", fastest(&runs));
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #[test]
    fn fastest_of_some_and_of_none() {
        assert_eq!(super::fastest(&[5.2, 3.5, 5.2]), 3.5);
        assert_eq!(super::fastest(&[]), 0.0);
    }

    #[test]
    fn the_workload_is_fixed_and_has_every_item() {
        let s = super::source();
        assert_eq!(s, super::source());
        assert_eq!(s.matches("\npub struct S").count(), super::STRUCTS);
        assert_eq!(s.matches("\npub enum E").count(), super::ENUMS);
        assert_eq!(s.matches("\nobject!(").count(), super::STRUCTS);
        assert_eq!(s.matches("\nwire_enum!(").count(), super::ENUMS);
    }
}
