//! `graphdoc bench`: how fast graphdoc reads, models and generates a folder of pages, next to a bare
//! single-threaded pulldown-cmark pass over the same files.

use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::sources::collect_files;
use crate::Error;

/// Timings of one run.
#[derive(Debug, Clone)]
pub struct Bench {
    /// Pages.
    pub pages: usize,
    /// Bytes of markdown.
    pub bytes: usize,
    /// Reading the files from disk.
    pub read: Duration,
    /// A bare pulldown-cmark pass over the texts, one thread, events only.
    pub bare: Duration,
    /// graphdoc's parse of every page (all threads).
    pub parse: Duration,
    /// The model of all pages.
    pub model: Duration,
    /// Code generation.
    pub codegen: Duration,
    /// Peak resident memory of the process, in bytes, when the platform tells it.
    pub peak_rss: Option<u64>,
    /// The peak when parsing was done: with the next one, where the peak is reached.
    pub peak_rss_after_parse: Option<u64>,
    /// The peak when the model was done.
    pub peak_rss_after_model: Option<u64>,
}

impl Bench {
    /// parse + model + codegen.
    pub fn pipeline(&self) -> Duration {
        self.parse + self.model + self.codegen
    }

    /// The pipeline's time over the bare pass.
    pub fn ratio(&self) -> f64 {
        self.pipeline().as_secs_f64() / self.bare.as_secs_f64().max(1e-9)
    }
}

/// Measure `docs`.
pub fn run(docs: &[PathBuf]) -> Result<Bench, Error> {
    let files = collect_files(docs)?;
    let started = Instant::now();
    let texts: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| {
            std::fs::read(f)
                .map(|b| (crate::sources::display_name(f), b))
                .map_err(|source| Error::Io { path: f.clone(), source })
        })
        .collect::<Result<_, _>>()?;
    let read = started.elapsed();
    let bytes = texts.iter().map(|(_, b)| b.len()).sum();

    let started = Instant::now();
    let mut events = 0usize;
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    for (_, b) in &texts {
        let text = String::from_utf8_lossy(b);
        events += pulldown_cmark::Parser::new_ext(&text, options).into_offset_iter().count();
    }
    let bare = started.elapsed();
    std::hint::black_box(events);

    let started = Instant::now();
    let pages: Vec<_> = texts.par_iter().map(|(n, b)| graphdoc_page::parse_page(n, b).page).collect();
    let parse = started.elapsed();
    let after_parse = peak_rss();
    // Pages own what they keep of their text: the files' bytes are not needed past parsing.
    let pages_count = texts.len();
    drop(texts);

    let started = Instant::now();
    let (model, _) = graphdoc_model::build_model(&pages);
    let model_time = started.elapsed();
    let after_model = peak_rss();
    // Code generation needs the model only (as in a pipeline that frees each stage's input).
    drop(pages);

    let started = Instant::now();
    let options = graphdoc_rust::Options {
        crate_name: "bench-client".to_owned(),
        runtime_path: "../graphdoc-runtime".to_owned(),
        docs_origin: "bench".to_owned(),
        example_tests: true,
    };
    let generated = graphdoc_rust::generate_owned(model, &options).map_err(Error::Generate)?;
    let codegen = started.elapsed();
    std::hint::black_box(generated.files.len());

    Ok(Bench {
        pages: pages_count,
        bytes,
        read,
        bare,
        parse,
        model: model_time,
        codegen,
        peak_rss: peak_rss(),
        peak_rss_after_parse: after_parse,
        peak_rss_after_model: after_model,
    })
}

/// `VmHWM` of `/proc/self/status` (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
