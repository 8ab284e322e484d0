//! From docs on disk to a crate on disk: read, model, generate, then write atomically or compare.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use graphdoc_rust::{generate_owned, Generated, Options};

use crate::page::{Diagnostic, Severity};
use crate::sources::analyze;
use crate::Error;

/// What a generation run produced and found.
pub struct Run {
    /// The generated files and counts.
    pub generated: Generated,
    /// Page and model diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages read.
    pub pages: usize,
    /// Documented request/response examples of the placed operations.
    pub examples: usize,
}

impl Run {
    /// `operations: N, types: N, ... diagnostics: E errors, W warnings, N notes`.
    pub fn summary(&self) -> String {
        let count = |s| self.diagnostics.iter().filter(|d| d.severity == s).count();
        format!(
            "{} pages: {} operations, {} types, {} enums, {} fixtures, {} example tests ({} replay over HTTP, {} unexplained); diagnostics: {} errors, {} warnings, {} notes",
            self.pages,
            self.generated.operations,
            self.generated.types,
            self.generated.enums,
            self.generated.fixtures,
            self.generated.tests,
            self.generated.replayed,
            self.generated.unexplained,
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        )
    }

    /// The figures of this run as JSON (what `graphdoc generate --report` writes).
    pub fn report(&self) -> serde_json::Value {
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_severity: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &self.diagnostics {
            *by_code.entry(d.code.as_str()).or_default() += 1;
            *by_severity.entry(d.severity.as_str()).or_default() += 1;
        }
        let lines: usize = self.generated.files.values().map(|f| f.lines().count()).sum();
        let bytes: usize = self.generated.files.values().map(String::len).sum();
        serde_json::json!({
            "pages": self.pages,
            "operations": self.generated.operations,
            "types": self.generated.types,
            "enums": self.generated.enums,
            "examples": self.examples,
            "example_tests": self.generated.tests,
            "examples_replayable": self.generated.replayed,
            "examples_unexplained": self.generated.unexplained,
            "diagnostics": by_code,
            "diagnostics_by_severity": by_severity,
            "generated_files": self.generated.files.len(),
            "generated_lines": lines,
            "generated_bytes": bytes,
        })
    }
}

/// Read `docs` and generate the crate (nothing is written).
pub fn run(docs: &[PathBuf], crate_name: &str, runtime_path: String, example_tests: bool) -> Result<Run, Error> {
    let analysis = analyze(docs)?;
    let origin = docs
        .iter()
        .map(|d| crate::sources::display_name(d))
        .collect::<Vec<_>>()
        .join(", ");
    let options = Options {
        crate_name: crate_name.to_owned(),
        runtime_path,
        docs_origin: format!("Generated from the pages in {origin}."),
        example_tests,
    };
    let examples = analysis.model.operations.iter().map(|o| o.examples.len()).sum();
    let generated = generate_owned(analysis.model, &options).map_err(Error::Generate)?;
    Ok(Run {
        examples,
        generated,
        pages: analysis.sources.len(),
        diagnostics: analysis.diagnostics,
    })
}

/// The path of `graphdoc-runtime` for a crate written to `out`: relative to this workspace's
/// runtime, so the output is the same wherever the workspace is checked out.
pub fn runtime_path_for(out: &Path) -> String {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../graphdoc-runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let out_abs = absolute(out);
    let path = relative(&out_abs, &runtime).unwrap_or(runtime);
    path.to_string_lossy().replace('\\', "/")
}

fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    // Resolve symlinks in the part that exists.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_owned()), existing.parent().map(Path::to_path_buf)) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in to.iter().skip(common) {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// Write `files` as the whole content of `out`: written beside it first, then swapped in, so a
/// failed run leaves the previous output as it was.
pub fn write_atomically(out: &Path, files: &BTreeMap<String, String>) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Io {
            path: out.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output folder needs a name"),
        })?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let staging = parent.join(format!(".{name}.graphdoc-new-{}", std::process::id()));
    let backup = parent.join(format!(".{name}.graphdoc-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        for (relative, contents) in files {
            let path = staging.join(relative);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            std::fs::write(&path, contents).map_err(io(&path))?;
        }
        if out.exists() {
            std::fs::rename(out, &backup).map_err(io(out))?;
            if let Err(e) = std::fs::rename(&staging, out) {
                let _ = std::fs::rename(&backup, out);
                return Err(io(out)(e));
            }
            let _ = std::fs::remove_dir_all(&backup);
        } else {
            std::fs::rename(&staging, out).map_err(io(out))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Files under `out` that differ from `files`: changed, missing or extra (sorted).
pub fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut on_disk = BTreeMap::new();
    list(out, out, &mut on_disk);
    let mut stale = Vec::new();
    for (path, contents) in files {
        match on_disk.get(path) {
            Some(existing) if existing == contents.as_bytes() => {}
            Some(_) => stale.push(format!("{path} (changed)")),
            None => stale.push(format!("{path} (missing)")),
        }
    }
    for path in on_disk.keys() {
        if !files.contains_key(path) {
            stale.push(format!("{path} (not generated)"));
        }
    }
    stale.sort();
    stale
}

fn list(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list(root, &path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.insert(rel, bytes);
        }
    }
}

/// Write one file: beside it first, then renamed over it, so a failure leaves the old file.
pub fn write_file_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = path.with_file_name(format!(".{name}.graphdoc-new-{}", std::process::id()));
    std::fs::write(&staging, contents).map_err(io)?;
    std::fs::rename(&staging, path).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder, removed when the test ends (pass or fail).
    fn temp(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new().prefix(&format!("graphdoc-atomic-{name}-")).tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_write_error_mid_way_leaves_the_previous_output() {
        let tmp = temp("midway");
        let dir = tmp.path();
        let out = dir.join("crate");
        let old: BTreeMap<String, String> = [("src/lib.rs".to_owned(), "old".to_owned())].into();
        write_atomically(&out, &old).unwrap_or_else(|e| panic!("{e}"));
        // `a` is written as a file first, then `a/b` needs `a` to be a folder: the write fails mid-way.
        let new: BTreeMap<String, String> = [
            ("Cargo.toml".to_owned(), "new".to_owned()),
            ("a".to_owned(), "file".to_owned()),
            ("a/b".to_owned(), "fails".to_owned()),
        ]
        .into();
        assert!(write_atomically(&out, &new).is_err());
        assert_eq!(stale_files(&out, &old), Vec::<String>::new());
        let leftovers: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("crate")]);
    }

    #[test]
    fn stale_files_names_changed_missing_and_extra() {
        let tmp = temp("stale");
        let dir = tmp.path();
        let files: BTreeMap<String, String> = [("a".to_owned(), "1".to_owned()), ("b".to_owned(), "2".to_owned())].into();
        write_atomically(&dir.join("c"), &files).unwrap_or_else(|e| panic!("{e}"));
        let now: BTreeMap<String, String> = [("a".to_owned(), "changed".to_owned()), ("d".to_owned(), "new".to_owned())].into();
        assert_eq!(
            stale_files(&dir.join("c"), &now),
            vec!["a (changed)".to_owned(), "b (not generated)".to_owned(), "d (missing)".to_owned()]
        );
    }
}
