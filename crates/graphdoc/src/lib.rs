//! The graphdoc facade: find pages on disk, read them in parallel, render diagnostics.
//! Only this crate (and xtask) touches the file system; the stage crates are pure.

// Pages are hostile input: no panicking shortcut may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod bench;
pub mod generate;
pub mod render;
pub mod sources;

pub use graphdoc_page as page;

use std::path::PathBuf;

/// Failures that stop a command before it can report on pages (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path given on the command line does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    /// Reading a file or folder failed.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Code generation failed.
    #[error("generating code: {0}")]
    Generate(String),
    /// Writing output failed.
    #[error("writing output: {0}")]
    Output(std::io::Error),
}
