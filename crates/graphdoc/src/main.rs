//! `graphdoc`: lint Microsoft Graph style API reference pages.

// Pages are hostile input: no panicking shortcut may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use graphdoc::render::{self, Tally};
use graphdoc::sources::{collect_files, read_pages};
use graphdoc::Error;

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
    }
}

fn lint(format: Format, paths: &[PathBuf]) -> Result<ExitCode, Error> {
    let files = collect_files(paths)?;
    let pages = read_pages(&files)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    for page in &pages {
        let t = Tally::of(&page.parsed.diagnostics);
        tally.errors += t.errors;
        tally.warnings += t.warnings;
        tally.notes += t.notes;
        for d in &page.parsed.diagnostics {
            let text = match format {
                Format::Human => render::human(d, &page.text),
                Format::Json => render::json_line(d) + "\n",
            };
            out.write_all(text.as_bytes()).map_err(Error::Output)?;
        }
    }
    out.flush().map_err(Error::Output)?;
    eprintln!(
        "graphdoc: {} pages: {} errors, {} warnings, {} notes",
        pages.len(),
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
