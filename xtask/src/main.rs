//! `cargo xtask codegen [--check]`: regenerate `generated/` from `docs-input/`, or check it is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The crate generated from docs-input.
const CRATE_NAME: &str = "graphdoc-client";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn out_dir() -> PathBuf {
    root().join("generated").join(CRATE_NAME)
}

/// Generate from docs-input. Paths are relative to the repository root, so provenance in the output
/// (`docs-input/api/...`) and the runtime dependency are the same on every machine.
fn run() -> Result<graphdoc::generate::Run, graphdoc::Error> {
    std::env::set_current_dir(root()).map_err(|source| graphdoc::Error::Io { path: root(), source })?;
    graphdoc::generate::run(
        &[PathBuf::from("docs-input")],
        CRATE_NAME,
        "../../crates/graphdoc-runtime".to_owned(),
    )
}

/// The generated files that differ from what docs-input gives now.
fn stale() -> Result<Vec<String>, graphdoc::Error> {
    let run = run()?;
    Ok(graphdoc::generate::stale_files(&out_dir(), &run.generated.files))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => match run() {
            Ok(run) => match graphdoc::generate::write_atomically(&out_dir(), &run.generated.files) {
                Ok(()) => {
                    println!("codegen: generated/{CRATE_NAME}: {}", run.summary().replace("docs-input", "docs-input/"));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            },
            Err(e) => fail(&e.to_string()),
        },
        ["codegen", "--check"] => match stale() {
            Ok(files) if files.is_empty() => {
                println!("codegen: generated/{CRATE_NAME} is up to date");
                ExitCode::SUCCESS
            }
            Ok(files) => {
                eprintln!("codegen: generated/{CRATE_NAME} is stale; run `cargo xtask codegen`:");
                for f in files {
                    eprintln!("  {f}");
                }
                ExitCode::from(1)
            }
            Err(e) => fail(&e.to_string()),
        },
        _ => {
            eprintln!("usage: cargo xtask codegen [--check]");
            ExitCode::from(2)
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("codegen: error: {message}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when `generated/` does not match docs-input.
    #[test]
    fn generated_code_is_fresh() {
        let stale = super::stale().unwrap_or_else(|e| panic!("{e}"));
        assert!(stale.is_empty(), "generated/ is stale; run `cargo xtask codegen`:\n  {}", stale.join("\n  "));
    }
}
