//! `graphdoc`: lint Microsoft Graph style API reference pages.

// Pages are hostile input: no panicking shortcut may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use graphdoc::render::{self, Tally};
use graphdoc::sources::{analyze, Analysis};
use graphdoc::Error;

/// The pipeline allocates millions of small strings and token trees; glibc's allocator spent a
/// quarter of graphdoc's time in `malloc` and `free` (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "graphdoc", version, about = "Lint Microsoft Graph style API reference pages")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read pages and report every defect found (exit 1 if any is an error).
    Lint {
        /// Output format of the diagnostics (stdout); the summary goes to stderr.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Markdown files, or folders searched recursively for `*.md`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Generate a Rust client crate from the pages (written atomically: all or nothing).
    Generate {
        /// Markdown files, or folders searched recursively for `*.md`.
        #[arg(long = "docs", required = true, num_args = 1..)]
        docs: Vec<PathBuf>,
        /// The crate folder to write (replaced as a whole).
        #[arg(long)]
        out: PathBuf,
        /// The crate's package name.
        #[arg(long, default_value = "graphdoc-client")]
        crate_name: String,
        /// Write the fixtures but no per-example tests (for very large corpora).
        #[arg(long)]
        no_example_tests: bool,
        /// Also write the run's figures (counts, diagnostics by code, generated lines) as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Export the API model as an OpenAPI 3.1 document (JSON).
    Openapi {
        /// Markdown files, or folders searched recursively for `*.md`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write the document here (atomically) instead of to stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The server URL of the document.
        #[arg(long, default_value = "https://graph.microsoft.com/beta")]
        server: String,
    },
    /// Time parse, model and codegen against a bare pulldown-cmark pass (run a release build).
    Bench {
        /// Markdown files, or folders searched recursively for `*.md`.
        #[arg(long = "docs", required = true, num_args = 1..)]
        docs: Vec<PathBuf>,
        /// Run each pass this many times and report the fastest.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Build the API model of the pages and print it as JSON (diagnostics included).
    Model {
        /// Markdown files, or folders searched recursively for `*.md`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style excerpts.
    Human,
    /// One JSON object per line.
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 0 for --help/--version and 2 for usage errors, as we do.
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("graphdoc: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Lint { format, paths } => lint(format, &paths),
        Command::Model { paths } => model(&paths),
        Command::Bench { docs, rounds } => {
            let b = graphdoc::bench::run(&docs, rounds)?;
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            let threads = rayon::current_num_threads();
            println!("pages            {:>10}", b.pages);
            println!("bytes            {:>10}", b.bytes);
            println!("read files       {:>10.1} ms", ms(b.read));
            println!("bare pulldown    {:>10.1} ms  (one thread, events only; fastest of {}, one before each round)", ms(b.bare), b.rounds);
            println!("parse pages      {:>10.1} ms  ({threads} threads; stages of the fastest pipeline round)", ms(b.parse));
            println!("build model      {:>10.1} ms", ms(b.model));
            println!("generate code    {:>10.1} ms  ({} lines of Rust)", ms(b.codegen), b.generated_lines);
            println!("pipeline         {:>10.1} ms  = {:.2}x the bare pass", ms(b.pipeline()), b.ratio());
            if let Some((low, median, high)) = b.round_ratio_range() {
                println!("ratio per round  {median:>10.2}x (median; {low:.2}-{high:.2}x, each round against its own bare pass)");
            }
            let mb = |b: Option<u64>| b.map_or("?".to_owned(), |b| format!("{:.1}", b as f64 / 1_048_576.0));
            if b.peak_rss.is_some() {
                println!(
                    "peak RSS         {:>10} MB  (by the end of parsing {} MB, of the model {} MB)",
                    mb(b.peak_rss),
                    mb(b.peak_rss_after_parse),
                    mb(b.peak_rss_after_model)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi { paths, out, server } => openapi(&paths, out.as_deref(), &server),
        Command::Generate { docs, out, crate_name, no_example_tests, report } => {
            let runtime = graphdoc::generate::runtime_path_for(&out);
            let run = graphdoc::generate::run(&docs, &crate_name, runtime, !no_example_tests)?;
            graphdoc::generate::write_atomically(&out, &run.generated.files)?;
            if let Some(path) = report {
                let text = format!("{:#}\n", run.report());
                graphdoc::generate::write_file_atomically(&path, &text)?;
            }
            eprintln!("graphdoc: wrote {} files to {}; {}", run.generated.files.len(), out.display(), run.summary());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn openapi(paths: &[PathBuf], out: Option<&std::path::Path>, server: &str) -> Result<ExitCode, Error> {
    let analysis = analyze(paths)?;
    let export = graphdoc_openapi::export(&analysis.model, server);
    let text = serde_json::to_string_pretty(&export.document).map_err(|e| Error::Output(e.into()))? + "\n";
    match out {
        Some(path) => graphdoc::generate::write_file_atomically(path, &text)?,
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(Error::Output)?,
    }
    eprintln!(
        "graphdoc: {} pages: {} operations exported ({} more folded into one with the same method and path), {} schemas",
        analysis.sources.len(),
        export.operations,
        export.folded,
        export.schemas
    );
    Ok(ExitCode::SUCCESS)
}

fn model(paths: &[PathBuf]) -> Result<ExitCode, Error> {
    let Analysis {
        sources,
        model,
        diagnostics: all,
    } = analyze(paths)?;
    let json = graphdoc_model::model_json(&model, &all);
    let text = serde_json::to_string_pretty(&json).map_err(|e| Error::Output(e.into()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes()).map_err(Error::Output)?;
    out.write_all(b"\n").map_err(Error::Output)?;
    let tally = Tally::of(&all);
    eprintln!(
        "graphdoc: {} pages: {} operations ({} unplaced), {} types, {} enums; {} errors, {} warnings, {} notes",
        sources.len(),
        model.operations.len(),
        model.unplaced.len(),
        model.types.len(),
        model.enums.len(),
        tally.errors,
        tally.warnings,
        tally.notes
    );
    Ok(ExitCode::SUCCESS)
}

fn lint(format: Format, paths: &[PathBuf]) -> Result<ExitCode, Error> {
    let analysis = analyze(paths)?;
    let texts: std::collections::BTreeMap<&str, &str> =
        analysis.sources.iter().map(|p| (p.name.as_str(), p.text.as_str())).collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let tally = Tally::of(&analysis.diagnostics);
    for d in &analysis.diagnostics {
        let text = match format {
            Format::Human => render::human(d, texts.get(d.file.as_str()).copied().unwrap_or_default()),
            Format::Json => render::json_line(d) + "\n",
        };
        out.write_all(text.as_bytes()).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    eprintln!(
        "graphdoc: {} pages: {} errors, {} warnings, {} notes",
        analysis.sources.len(),
        tally.errors,
        tally.warnings,
        tally.notes
    );
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
