//! Pages on disk: collecting `*.md` files under the given paths and reading them in parallel.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use crate::page::{parse_page, ParsedPage};
use crate::Error;

/// A page file: its name in diagnostics, its text (lossy for non-UTF-8 files), what it parsed into.
pub struct SourcePage {
    /// The path as shown in diagnostics (forward slashes).
    pub name: String,
    /// The file's text, for rendering excerpts.
    pub text: String,
    /// The parsed page and its diagnostics.
    pub parsed: ParsedPage,
}

/// Every `*.md` file under `paths` (files are taken as given), sorted, without duplicates.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound(path.clone()),
            _ => Error::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let io = |e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// Read and parse `files` in parallel; the result keeps the order of `files`.
pub fn read_pages(files: &[PathBuf]) -> Result<Vec<SourcePage>, Error> {
    files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?;
            let name = display_name(path);
            let parsed = parse_page(&name, &bytes);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(SourcePage { name, text, parsed })
        })
        .collect()
}

/// Paths in diagnostics use forward slashes, so output is the same on every platform.
pub fn display_name(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Pages read from disk, their model, and every diagnostic (page and model) sorted by position.
pub struct Analysis {
    /// The pages, in file order.
    pub sources: Vec<SourcePage>,
    /// The model of all of them.
    pub model: graphdoc_model::ApiModel,
    /// Page and model diagnostics, sorted.
    pub diagnostics: Vec<crate::page::Diagnostic>,
}

/// Read every page under `paths`, build their model, and collect all diagnostics.
pub fn analyze(paths: &[PathBuf]) -> Result<Analysis, Error> {
    let files = collect_files(paths)?;
    let sources = read_pages(&files)?;
    let (model, model_diagnostics) = graphdoc_model::build_model(sources.iter().map(|s| &s.parsed.page));
    let mut diagnostics: Vec<_> = sources.iter().flat_map(|s| s.parsed.diagnostics.iter().cloned()).collect();
    diagnostics.extend(model_diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Analysis {
        sources,
        model,
        diagnostics,
    })
}
