//! Diagnostics for people (rustc-style excerpts via codespan-reporting) and for tools (JSON lines).

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use crate::page::{Diagnostic, Severity};

/// Render one diagnostic like rustc: header, excerpt with carets, help.
pub fn human(diagnostic: &Diagnostic, source: &str) -> String {
    let file = SimpleFile::new(diagnostic.file.as_str(), source);
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Note => ReportSeverity::Note,
    };
    let mut range = diagnostic.span.range();
    range.end = range.end.min(source.len());
    range.start = range.start.min(range.end);
    let mut report = Report::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_label(Label::primary((), range));
    if let Some(help) = &diagnostic.help {
        report = report.with_note(format!("help: {help}"));
    }
    let config = Config::default();
    match term::emit_into_string(&config, &file, &report) {
        Ok(s) => s,
        // The span no longer fits the source (it cannot, as both come from one read): fall back to one line.
        Err(_) => format!("{}\n", short(diagnostic)),
    }
}

/// `file:line:column: severity[code]: message`, the one-line form.
pub fn short(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}]: {}",
        d.file, d.span.line, d.span.column, d.severity, d.code, d.message
    )
}

/// One JSON object on one line.
pub fn json_line(d: &Diagnostic) -> String {
    d.to_json().to_string()
}

/// Counts by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
}

impl Tally {
    /// Count `diagnostics`.
    pub fn of<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>) -> Tally {
        let mut t = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Note => t.notes += 1,
            }
        }
        t
    }
}
