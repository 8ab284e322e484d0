//! `cargo xtask codegen [--check]`: regenerate the crates in `generated/` from their pages, or check
//! that they are fresh. `cargo xtask bench --docs DIR`: time graphdoc itself. `cargo xtask corpus
//! --docs DIR`: the conformance report of a whole corpus (corpus.rs). `cargo xtask areas`: each
//! area feature of the generated crates alone, and none, through clippy with warnings denied.

mod calibrate;
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A generated crate: its package name, and the pages it is generated from (repository-relative).
struct Target {
    crate_name: &'static str,
    docs: &'static str,
}

/// The client users depend on, and the crate of adversarial pages that proves hostile docs cannot
/// break or inject code (it must build, pass its tests and lint clean like the other).
const TARGETS: &[Target] = &[
    Target {
        crate_name: "graphdoc-client",
        docs: "docs-input",
    },
    Target {
        crate_name: "adversarial-client",
        docs: "crates/graphdoc-rust/tests/adversarial",
    },
];

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn out_dir(target: &Target) -> PathBuf {
    root().join("generated").join(target.crate_name)
}

/// Generate one target. Paths are relative to the repository root, so provenance in the output
/// and the runtime dependency are the same on every machine.
fn run(target: &Target) -> Result<graphdoc::generate::Run, graphdoc::Error> {
    std::env::set_current_dir(root()).map_err(|source| graphdoc::Error::Io { path: root(), source })?;
    graphdoc::generate::run(&[PathBuf::from(target.docs)], target.crate_name, "../../crates/graphdoc-runtime".to_owned(), true)
}

/// The generated files that differ from what the pages give now, as `crate/file (why)`.
fn stale() -> Result<Vec<String>, graphdoc::Error> {
    let mut out = Vec::new();
    for target in TARGETS {
        let run = run(target)?;
        for f in graphdoc::generate::stale_files(&out_dir(target), &run.generated.files) {
            out.push(format!("generated/{}/{f}", target.crate_name));
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => {
            for target in TARGETS {
                let result = run(target).and_then(|run| {
                    graphdoc::generate::write_atomically(&out_dir(target), &run.generated.files).map(|()| run)
                });
                match result {
                    Ok(run) => println!("codegen: generated/{} from {}/: {}", target.crate_name, target.docs, run.summary()),
                    Err(e) => return fail(&e.to_string()),
                }
            }
            ExitCode::SUCCESS
        }
        ["codegen", "--check"] => match stale() {
            Ok(files) if files.is_empty() => {
                println!("codegen: generated/ is up to date");
                ExitCode::SUCCESS
            }
            Ok(files) => {
                eprintln!("codegen: generated/ is stale; run `cargo xtask codegen`:");
                for f in files {
                    eprintln!("  {f}");
                }
                ExitCode::from(1)
            }
            Err(e) => fail(&e.to_string()),
        },
        ["areas"] => areas(),
        ["bench", "--docs", docs @ ..] if !docs.is_empty() => bench(docs),
        ["corpus", rest @ ..] => corpus::corpus(rest),
        ["measure", rest @ ..] => corpus::measure(rest),
        ["calibrate", rest @ ..] => calibrate::calibrate(rest),
        _ => {
            eprintln!("usage: cargo xtask codegen [--check] | cargo xtask areas | cargo xtask bench --docs DIR... | cargo xtask corpus --docs DIR [--out DIR] [--json FILE] [--thresholds FILE] [--area FEATURE] [--no-tests] [--graphdoc-profile dev|release] | cargo xtask calibrate [ROUNDS]");
            ExitCode::from(2)
        }
    }
}

/// The area features a generated manifest declares (`[features]` entries but `default` and `full`).
fn area_features(manifest: &str) -> Vec<&str> {
    let table = manifest.split("\n[features]\n").nth(1).unwrap_or_default();
    table
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name))
        .filter(|name| !name.starts_with(['#', ' ']) && *name != "default" && *name != "full")
        .collect()
}

/// Each generated crate with no feature, then with each area alone: it must build and lint clean
/// (a missing gate would be an error, a needless one an unused item).
fn areas() -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for target in TARGETS {
        let path = out_dir(target).join("Cargo.toml");
        let manifest = match std::fs::read_to_string(&path) {
            Ok(m) => m,
            Err(e) => return fail(&format!("{}: {e}", path.display())),
        };
        for feature in std::iter::once("").chain(area_features(&manifest)) {
            println!("areas: {} --no-default-features --features '{feature}'", target.crate_name);
            let status = std::process::Command::new(&cargo)
                .args(["clippy", "--quiet", "-p", target.crate_name, "--all-targets", "--no-default-features", "--features", feature])
                .args(["--", "-D", "warnings"])
                .current_dir(root())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("areas: {} with only '{feature}' does not build clean", target.crate_name);
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// Build graphdoc in release mode and time it on `docs` (figures in debug mode would mislead).
fn bench(docs: &[&str]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let built = std::process::Command::new(&cargo)
        .args(["build", "--quiet", "--release", "-p", "graphdoc"])
        .current_dir(root())
        .status();
    if !built.is_ok_and(|s| s.success()) {
        return fail("building graphdoc in release mode failed");
    }
    let binary = root().join("target/release/graphdoc");
    match std::process::Command::new(binary).arg("bench").arg("--docs").args(docs).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => fail(&e.to_string()),
    }
}

pub(crate) fn fail(message: &str) -> ExitCode {
    eprintln!("codegen: error: {message}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when `generated/` does not match its pages.
    #[test]
    fn generated_code_is_fresh() {
        let stale = super::stale().unwrap_or_else(|e| panic!("{e}"));
        assert!(stale.is_empty(), "generated/ is stale; run `cargo xtask codegen`:\n  {}", stale.join("\n  "));
    }

    #[test]
    fn area_features_are_read_from_the_manifest() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\"]\n# Every area.\nfull = [\n    \"a\",\n]\n# One per segment.\na = []\nb-c = [\"m/b-c\"]\n";
        assert_eq!(super::area_features(manifest), ["a", "b-c"]);
    }

    /// Every example is replayed or explained by a diagnostic.
    #[test]
    fn no_example_is_left_unexplained() {
        for target in super::TARGETS {
            let run = super::run(target).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(run.generated.unexplained, 0, "{}", target.crate_name);
        }
    }
}
