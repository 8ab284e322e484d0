//! Stage 1 of graphdoc: read one Microsoft Graph style markdown page into a [`Page`] and report
//! every defect met on the way as a [`Diagnostic`]. Pure: bytes in, page and diagnostics out.

// Pages are hostile input: no panicking shortcut may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod annotation;
mod census;
mod context;
mod diagnostic;
mod front_matter;
mod http;
pub mod json;
mod page;
mod placeholder;
mod span;
mod table;
mod type_ref;

pub use annotation::{Annotation, BlockType};
pub use census::{count_changes, Census};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use front_matter::FrontMatter;
pub use http::{
    split_target, HttpBody, HttpHeader, HttpMessage, HttpRequest, HttpResponse, RequestLine,
    RequestTarget, StatusLine,
};
pub use page::{CodeFence, Heading, Include, Page, Paragraph, Spanned, Tab, TabGroup};
pub use span::{LineIndex, Span};
pub use table::{Cell, Link, Row, Table, TableKind};
pub use type_ref::{parse_type_cell, Primitive, TypeCellIssue, TypeRef};

use context::Ctx;
use placeholder::{find_placeholders, Placeholder};

/// Largest page graphdoc reads (the largest Graph page is 118 KB).
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// A page and the diagnostics found while reading it.
#[derive(Clone, Debug)]
pub struct ParsedPage {
    /// The page (empty when the file could not be read as text).
    pub page: Page,
    /// Diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read one page. `file` names it in the page and in every diagnostic.
pub fn parse_page(file: &str, bytes: &[u8]) -> ParsedPage {
    let src = match read_input(file, bytes) {
        Ok(src) => src,
        Err(d) => {
            return ParsedPage {
                page: Page::empty(file),
                diagnostics: vec![d],
            }
        }
    };
    let mut ctx = Ctx::new(file, src);
    let base = if src.starts_with('\u{feff}') {
        ctx.report_help(
            Code::InputBom,
            0..3,
            "the file starts with a byte order mark",
            "save the file as UTF-8 without BOM",
        );
        3
    } else {
        0
    };
    let markdown = src.get(base..).unwrap_or_default();
    if markdown.trim().is_empty() {
        ctx.report(Code::InputEmpty, 0..src.len(), "the page is empty");
        let mut diagnostics = ctx.diagnostics;
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return ParsedPage {
            page: Page::empty(file),
            diagnostics,
        };
    }
    if let Some(i) = memchr::memmem::find(markdown.as_bytes(), b"\r\n") {
        ctx.report_help(
            Code::InputCrlf,
            base + i..base + i + 2,
            "the page uses CRLF line endings",
            "save the file with LF line endings",
        );
    }
    for p in find_placeholders(markdown) {
        match p {
            Placeholder::Template(r) => {
                let r = r.start + base..r.end + base;
                let text = ctx.text(r.clone()).to_owned();
                ctx.report_help(
                    Code::TemplatePlaceholder,
                    r,
                    format!("unfilled template placeholder `{text}`"),
                    "replace the placeholder with the real value",
                );
            }
            Placeholder::Todo(r) => {
                let r = r.start + base..r.end + base;
                let text = ctx.text(r.clone()).trim_matches('*').trim().to_owned();
                ctx.report_help(
                    Code::TodoPlaceholder,
                    r,
                    format!("TODO left in the page: `{text}`"),
                    "write the missing content, or remove the placeholder",
                );
            }
        }
    }
    let page = page::PageReader::new(&mut ctx, base).read(markdown);
    let mut diagnostics = ctx.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    ParsedPage { page, diagnostics }
}

/// The page's text, or why it is not a text page at all: too large, binary, not UTF-8.
fn read_input<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(Diagnostic::new(
            Code::InputTooLarge,
            file,
            byte_span(bytes, 0),
            format!(
                "the file is {} bytes; graphdoc reads pages up to {MAX_PAGE_BYTES} bytes",
                bytes.len()
            ),
        ));
    }
    if let Some(i) = memchr::memchr(0, bytes) {
        return Err(
            Diagnostic::new(Code::InputBinary, file, byte_span(bytes, i), "the file holds NUL bytes; it is not a text page")
                .with_help("only markdown pages belong in the docs folder"),
        );
    }
    std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(
                Code::InputNotUtf8,
                file,
                byte_span(bytes, e.valid_up_to()),
            "the file is not valid UTF-8",
        )
        .with_help("save the file as UTF-8")
    })
}

/// A one-byte span at `offset` of bytes that may not be UTF-8 (columns count bytes).
fn byte_span(bytes: &[u8], offset: usize) -> Span {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = offset - line_start + 1;
    let (line, column) = (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    );
    let end = (offset + 1).min(bytes.len());
    Span {
        start: offset,
        end,
        line,
        column,
        end_line: line,
        end_column: column + u32::from(end > offset),
    }
}
