//! `graphdoc bench`: how fast graphdoc reads, models and generates a folder of pages, next to a bare
//! single-threaded pulldown-cmark pass over the same files.
//!
//! Each figure is the fastest of a few rounds, against noise within a run. Each round runs the bare
//! pass just before the pipeline, so a round's ratio compares the two at one speed of the machine:
//! between runs the bare pass of the same bytes takes 120-250 ms, whatever the core, and within a
//! run the speed drifts too. Compare stage times across runs, not ratios alone.

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
    /// A bare pulldown-cmark pass over the texts, one thread, events only (the fastest round).
    pub bare: Duration,
    /// Rounds run: the bare pass and the pipeline each ran this many times.
    pub rounds: usize,
    /// graphdoc's parse of every page (all threads).
    pub parse: Duration,
    /// The model of all pages.
    pub model: Duration,
    /// Code generation.
    pub codegen: Duration,
    /// Lines of Rust generated.
    pub generated_lines: usize,
    /// Each round's pipeline over the bare pass run just before it, in round order.
    pub round_ratios: Vec<f64>,
    /// Peak resident memory of the first pipeline round, in bytes, when the platform tells it.
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
        self.over_bare(self.pipeline())
    }

    /// `time` over the bare pass.
    pub fn over_bare(&self, time: Duration) -> f64 {
        ratio_of(time, self.bare)
    }

    /// The rounds' own ratios: the lowest, the median and the highest.
    pub fn round_ratio_range(&self) -> Option<(f64, f64, f64)> {
        let mut sorted = self.round_ratios.clone();
        sorted.sort_by(f64::total_cmp);
        Some((*sorted.first()?, *sorted.get(sorted.len() / 2)?, *sorted.last()?))
    }
}

/// One round of the pipeline.
struct Round {
    parse: Duration,
    model: Duration,
    codegen: Duration,
    after_parse: Option<u64>,
    after_model: Option<u64>,
}

impl Round {
    fn total(&self) -> Duration {
        self.parse + self.model + self.codegen
    }
}

/// Measure `docs`, taking the fastest of `rounds` rounds (at least one).
pub fn run(docs: &[PathBuf], rounds: usize) -> Result<Bench, Error> {
    let rounds = rounds.max(1);
    let files = collect_files(docs)?;
    let (mut read, texts) = read_files(&files)?;
    let pages = texts.len();
    let bytes = texts.iter().map(|(_, b)| b.len()).sum();
    // Each round owns its files' bytes and drops them once parsed, as `graphdoc generate` does
    // (kept across rounds, they added 35-50 MB to the peak); later rounds read the files again.
    // Memory is the first round's, a fresh process's: the peak only grows, and later rounds start
    // from the allocator's leftovers.
    let mut bare = bare_pass(&texts);
    let (mut best, mut generated) = pipeline(texts)?;
    let mut round_ratios = vec![ratio_of(best.total(), bare)];
    let (peak_rss, after_parse, after_model) = (peak_rss(), best.after_parse, best.after_model);
    for _ in 1..rounds {
        // Only the last round's files are kept, and not while the next round runs.
        drop(generated);
        let (took, texts) = read_files(&files)?;
        read = read.min(took);
        let round_bare = bare_pass(&texts);
        bare = bare.min(round_bare);
        let (round, output) = pipeline(texts)?;
        round_ratios.push(ratio_of(round.total(), round_bare));
        generated = output;
        if round.total() < best.total() {
            best = round;
        }
    }
    let sources: Vec<&String> = generated.files.iter().filter(|(path, _)| path.ends_with(".rs")).map(|(_, text)| text).collect();
    let generated_lines = sources.iter().map(|s| s.lines().count()).sum();
    Ok(Bench {
        pages,
        bytes,
        read,
        bare,
        rounds,
        parse: best.parse,
        model: best.model,
        codegen: best.codegen,
        generated_lines,
        round_ratios,
        peak_rss,
        peak_rss_after_parse: after_parse,
        peak_rss_after_model: after_model,
    })
}

/// Each file's display name and bytes.
type Texts = Vec<(String, Vec<u8>)>;

/// Every file's display name and bytes, and how long reading them took.
fn read_files(files: &[PathBuf]) -> Result<(Duration, Texts), Error> {
    let started = Instant::now();
    let texts = files
        .iter()
        .map(|f| {
            std::fs::read(f)
                .map(|b| (crate::sources::display_name(f), b))
                .map_err(|source| Error::Io { path: f.clone(), source })
        })
        .collect::<Result<_, _>>()?;
    Ok((started.elapsed(), texts))
}

/// `time` over `bare`.
fn ratio_of(time: Duration, bare: Duration) -> f64 {
    time.as_secs_f64() / bare.as_secs_f64().max(1e-9)
}

/// The bare pass: pulldown-cmark's events of every file, on this thread.
fn bare_pass(texts: &Texts) -> Duration {
    let started = Instant::now();
    let mut events = 0usize;
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    for (_, b) in texts {
        // Checked as the pipeline checks a page (`from_utf8`): `from_utf8_lossy` checks valid text
        // about ten times slower, and made this pass about 16% slower than it needs to be.
        let text = match std::str::from_utf8(b) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(b),
        };
        events += pulldown_cmark::Parser::new_ext(&text, options).into_offset_iter().count();
    }
    std::hint::black_box(events);
    started.elapsed()
}

/// parse, model and codegen once; each stage's input is dropped once the next has what it needs.
fn pipeline(texts: Texts) -> Result<(Round, graphdoc_rust::Generated), Error> {
    let started = Instant::now();
    let pages: Vec<_> = texts.par_iter().map(|(n, b)| graphdoc_page::parse_page(n, b).page).collect();
    let parse = started.elapsed();
    let after_parse = peak_rss();
    // Pages own what they keep of their text: the files' bytes are not needed past parsing.
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
    Ok((Round { parse, model: model_time, codegen, after_parse, after_model }, generated))
}

/// `VmHWM` of `/proc/self/status` (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
