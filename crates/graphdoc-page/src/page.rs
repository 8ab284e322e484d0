//! The `Page`: everything later stages need from one markdown page, read in one pulldown-cmark pass.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::ops::Range;

use crate::annotation::{read_html_block, Annotation, BlockType};
use crate::context::Ctx;
use crate::diagnostic::Code;
use crate::front_matter::{read_front_matter, FrontMatter};
use crate::http::{looks_like_http, read_http, HttpMessage};
use crate::span::Span;
use crate::table::{finish_table, Cell, Link, Row, Table, TableKind, MAX_CELLS, MAX_ROWS};

/// One documentation page, read.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    /// The file as named to graphdoc.
    pub file: String,
    /// YAML front matter.
    pub front_matter: Option<FrontMatter>,
    /// The H1 title.
    pub title: Option<Heading>,
    /// The `Namespace:` line's value.
    pub namespace: Option<Spanned>,
    /// Every heading but tab labels, in order; tables and fences point into it.
    pub sections: Vec<Heading>,
    /// `[!INCLUDE [label](target)]` lines.
    pub includes: Vec<Include>,
    /// Tab groups (`# [HTTP](#tab/http)` ... `---`).
    pub tab_groups: Vec<TabGroup>,
    /// Page annotations (`"type": "#page.annotation"`).
    pub page_annotations: Vec<Annotation>,
    /// Code fences in order.
    pub fences: Vec<CodeFence>,
    /// Tables in order.
    pub tables: Vec<Table>,
    /// Paragraphs of prose, in order (the model reads "supply a JSON representation of [x]" and
    /// "Inherits from [x]" from them).
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph: plain text (markup removed) and its links.
#[derive(Clone, Debug, Serialize)]
pub struct Paragraph {
    /// Text with markup removed, whitespace collapsed.
    pub text: String,
    /// Links in the paragraph.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Terms set off in bold or as code (`**items**`, `` `String` ``): where prose names a type
    /// without linking it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// Index of the heading it sits under, in `Page::sections`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// Where it is.
    pub span: Span,
}

/// A heading.
#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// The heading line(s).
    pub span: Span,
}

/// A value with the span it was read from.
#[derive(Clone, Debug, Serialize)]
pub struct Spanned {
    /// The value.
    pub value: String,
    /// Where it is.
    pub span: Span,
}

/// An `[!INCLUDE [label](target)]` line.
#[derive(Clone, Debug, Serialize)]
pub struct Include {
    /// The label.
    pub label: String,
    /// The included file.
    pub target: String,
    /// The line.
    pub span: Span,
}

/// A group of tabs (`# [HTTP](#tab/http)`, `# [C#](#tab/csharp)`, ...) closed by `---`.
#[derive(Clone, Debug, Serialize)]
pub struct TabGroup {
    /// From the first tab heading to the closing rule.
    pub span: Span,
    /// The tabs, in order.
    pub tabs: Vec<Tab>,
}

/// One tab of a group.
#[derive(Clone, Debug, Serialize)]
pub struct Tab {
    /// The label (`HTTP`).
    pub label: String,
    /// The id after `#tab/` (`http`).
    pub id: String,
    /// The tab heading.
    pub span: Span,
}

/// A code fence with its annotation and what its content was read as.
#[derive(Clone, Debug, Serialize)]
pub struct CodeFence {
    /// The whole fence, delimiters included.
    pub span: Span,
    /// The info string as written (trimmed).
    pub info: String,
    /// First word of the info string, lower-cased (`http`, `json`, `msgraph-interactive`, or empty).
    pub language: String,
    /// The content between the delimiters.
    pub content_span: Span,
    /// The content text.
    #[serde(skip)]
    pub content: String,
    /// The annotation comment before the fence (only blank lines between).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Index of the heading it sits under, in `Page::sections`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// The tab id when inside a tab group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab: Option<String>,
    /// The HTTP message, for http fences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpMessage>,
    /// The parsed JSON, for json fences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
}

impl Page {
    /// An empty page for `file`, used when the file cannot be read as a page at all.
    pub fn empty(file: &str) -> Page {
        Page {
            file: file.to_owned(),
            front_matter: None,
            title: None,
            namespace: None,
            sections: Vec::new(),
            includes: Vec::new(),
            tab_groups: Vec::new(),
            page_annotations: Vec::new(),
            fences: Vec::new(),
            tables: Vec::new(),
            paragraphs: Vec::new(),
        }
    }

    /// The heading a fence or table sits under.
    pub fn section(&self, index: Option<usize>) -> Option<&Heading> {
        index.and_then(|i| self.sections.get(i))
    }

    /// The `doc_type` of the front matter.
    pub fn doc_type(&self) -> Option<&str> {
        self.front_matter.as_ref()?.doc_type.as_deref()
    }
}

struct HeadingBuf {
    level: u8,
    range: Range<usize>,
    text: String,
    links: Vec<String>,
}

struct FenceBuf {
    range: Range<usize>,
    info: String,
    content: Option<Range<usize>>,
}

struct CellBuf {
    range: Range<usize>,
    text: String,
    links: Vec<Link>,
    link_starts: Vec<(usize, String)>,
}

struct ParaBuf {
    range: Range<usize>,
    text: String,
    links: Vec<Link>,
    link_starts: Vec<(usize, String)>,
    terms: Vec<String>,
    strong_start: Option<usize>,
}

struct TableBuf {
    range: Range<usize>,
    header: Vec<Cell>,
    rows: Vec<Row>,
    in_head: bool,
    row: Option<(Range<usize>, Vec<Cell>)>,
    truncated: bool,
}

/// The one-pass reader of a page's markdown.
pub(crate) struct PageReader<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    base: usize,
    page: Page,
    heading: Option<HeadingBuf>,
    fence: Option<FenceBuf>,
    table: Option<TableBuf>,
    cell: Option<CellBuf>,
    para: Option<ParaBuf>,
    metadata: Option<(Range<usize>, Option<Range<usize>>)>,
    pending: Option<Annotation>,
    section: Option<usize>,
    open_tabs: Option<usize>,
}

impl<'c, 'a> PageReader<'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, base: usize) -> Self {
        let page = Page::empty(ctx.file);
        PageReader {
            ctx,
            base,
            page,
            heading: None,
            fence: None,
            table: None,
            cell: None,
            para: None,
            metadata: None,
            pending: None,
            section: None,
            open_tabs: None,
        }
    }

    /// Read `markdown` (the source after any BOM) and return the page.
    pub fn read(mut self, markdown: &str) -> Page {
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
        for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
            let range = range.start + self.base..range.end + self.base;
            self.event(event, range);
        }
        self.orphan_pending();
        if let Some(g) = self.open_tabs.take() {
            if let Some(group) = self.page.tab_groups.get(g) {
                let r = group.span.range();
                self.ctx.report_help(
                    Code::TabGroupUnclosed,
                    r,
                    "this tab group is not closed",
                    "close the tab group with a `---` line",
                );
            }
        }
        if self.page.front_matter.is_none() {
            self.ctx.report_help(
                Code::FrontMatterMissing,
                self.base..self.base,
                "the page has no front matter",
                "start the page with `---`, `title: ...`, `description: ...`, `doc_type: ...`, `---`",
            );
        }
        if self.page.title.is_none() {
            self.ctx.report_help(
                Code::TitleMissing,
                self.base..self.base,
                "the page has no `# Title` heading",
                "add an H1 heading naming the operation or resource",
            );
        }
        self.page
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text(&text, range),
            Event::Code(text) => {
                if let (None, Some(p)) = (&self.cell, self.para.as_mut()) {
                    p.terms.push(text.trim().to_owned());
                }
                self.inline_text(&text)
            }
            Event::SoftBreak | Event::HardBreak => self.inline_text(" "),
            Event::InlineHtml(html) => {
                if let Some(c) = self.cell.as_mut() {
                    if html.to_ascii_lowercase().starts_with("<br") {
                        c.text.push(' ');
                    }
                }
            }
            Event::Rule => {
                self.orphan_pending();
                self.close_tabs();
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let is_block = matches!(
            tag,
            Tag::Paragraph | Tag::Heading { .. } | Tag::Table(_) | Tag::List(_) | Tag::BlockQuote(_) | Tag::HtmlBlock
        );
        if is_block && self.table.is_none() {
            self.orphan_pending();
        }
        match tag {
            Tag::MetadataBlock(_) => self.metadata = Some((range, None)),
            Tag::Heading { level, .. } => {
                // Text is never longer than its markdown: one allocation instead of a growing string.
                self.heading = Some(HeadingBuf {
                    level: heading_level(level),
                    text: String::with_capacity(range.len()),
                    range,
                    links: Vec::new(),
                })
            }
            Tag::Paragraph => {
                self.scan_lines(range.clone());
                self.para = Some(ParaBuf {
                    text: String::with_capacity(range.len()),
                    range,
                    links: Vec::new(),
                    link_starts: Vec::new(),
                    terms: Vec::new(),
                    strong_start: None,
                });
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.fence = Some(FenceBuf {
                    range,
                    info,
                    content: None,
                });
            }
            Tag::HtmlBlock => {
                for a in read_html_block(self.ctx, range) {
                    if a.is_page_annotation() {
                        self.page.page_annotations.push(a);
                    } else {
                        self.orphan_pending();
                        self.pending = Some(a);
                    }
                }
            }
            Tag::Table(_) => {
                self.table = Some(TableBuf {
                    range,
                    header: Vec::new(),
                    rows: Vec::new(),
                    in_head: false,
                    row: None,
                    truncated: false,
                })
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.row = Some((range, Vec::new()));
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row = Some((range, Vec::new()));
                }
            }
            Tag::TableCell => {
                self.cell = Some(CellBuf {
                    text: String::with_capacity(range.len()),
                    range,
                    links: Vec::new(),
                    link_starts: Vec::new(),
                })
            }
            Tag::Strong => {
                if let (None, Some(p)) = (&self.cell, self.para.as_mut()) {
                    p.strong_start = Some(p.text.len());
                }
            }
            Tag::Link { dest_url, .. } => {
                if let Some(c) = self.cell.as_mut() {
                    c.link_starts.push((c.text.len(), dest_url.into_string()));
                } else if let Some(p) = self.para.as_mut() {
                    p.link_starts.push((p.text.len(), dest_url.into_string()));
                } else if let Some(h) = self.heading.as_mut() {
                    h.links.push(dest_url.into_string());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::MetadataBlock(_) => {
                if let Some((block, content)) = self.metadata.take() {
                    let yaml = content.unwrap_or(block.start..block.start);
                    self.page.front_matter = Some(read_front_matter(self.ctx, block, yaml));
                }
            }
            TagEnd::Heading(_) => self.finish_heading(),
            TagEnd::CodeBlock => self.finish_fence(),
            TagEnd::Link => {
                if let Some(c) = self.cell.as_mut() {
                    if let Some((start, target)) = c.link_starts.pop() {
                        let text = c.text.get(start..).unwrap_or_default().to_owned();
                        c.links.push(Link { text, target });
                    }
                } else if let Some(p) = self.para.as_mut() {
                    if let Some((start, target)) = p.link_starts.pop() {
                        let text = p.text.get(start..).unwrap_or_default().to_owned();
                        p.links.push(Link { text, target });
                    }
                }
            }
            TagEnd::Strong => {
                if let (None, Some(p)) = (&self.cell, self.para.as_mut()) {
                    if let Some(start) = p.strong_start.take() {
                        let term = p.text.get(start..).unwrap_or_default().trim().to_owned();
                        p.terms.push(term);
                    }
                }
            }
            TagEnd::Paragraph => self.finish_paragraph(),
            TagEnd::TableCell => self.finish_cell(),
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                    if let Some((_, cells)) = t.row.take() {
                        t.header = cells;
                    }
                }
            }
            TagEnd::TableRow => self.finish_row(),
            TagEnd::Table => self.finish_table(range),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        if let Some((_, content)) = self.metadata.as_mut() {
            *content = Some(match content.take() {
                Some(r) => r.start..range.end,
                None => range,
            });
        } else if let Some(f) = self.fence.as_mut() {
            f.content = Some(match f.content.take() {
                Some(r) => r.start..range.end,
                None => range,
            });
        } else {
            self.inline_text(text);
        }
    }

    /// Inline text goes to the innermost element that collects it.
    fn inline_text(&mut self, text: &str) {
        if let Some(c) = self.cell.as_mut() {
            c.text.push_str(text);
        } else if let Some(p) = self.para.as_mut() {
            p.text.push_str(text);
        } else if let Some(h) = self.heading.as_mut() {
            h.text.push_str(text);
        }
    }

    fn finish_paragraph(&mut self) {
        let Some(p) = self.para.take() else { return };
        let text = collapse_whitespace(p.text);
        if text.is_empty() {
            return;
        }
        let range = trim_range(self.ctx.text(p.range.clone()), p.range);
        self.page.paragraphs.push(Paragraph {
            text,
            links: p.links,
            terms: p.terms.into_iter().filter(|t| !t.is_empty()).collect(),
            section: self.section,
            span: self.ctx.span(range),
        });
    }

    /// Includes and the `Namespace:` line live in paragraphs; read their lines.
    fn scan_lines(&mut self, range: Range<usize>) {
        let text = self.ctx.text(range.clone());
        let mut offset = range.start;
        for raw in text.split_inclusive('\n') {
            let line = raw.trim();
            let lead = raw.len() - raw.trim_start().len();
            let at = offset + lead..offset + lead + line.len();
            if let Some(include) = parse_include(line) {
                self.page.includes.push(crate::page::Include {
                    label: include.0,
                    target: include.1,
                    span: self.ctx.span(at.clone()),
                });
            } else if let Some(ns) = line.strip_prefix("Namespace:") {
                if self.page.namespace.is_none() {
                    self.page.namespace = Some(Spanned {
                        value: ns.trim().to_owned(),
                        span: self.ctx.span(at),
                    });
                }
            }
            offset += raw.len();
        }
    }

    fn finish_heading(&mut self) {
        let Some(mut h) = self.heading.take() else { return };
        h.range = trim_range(self.ctx.text(h.range.clone()), h.range);
        let source = self.ctx.text(h.range.clone());
        let atx = source.trim_start().starts_with('#');
        let tab_id = h.links.first().and_then(|l| l.strip_prefix("#tab/"));
        if let (true, 1, Some(id)) = (atx, h.level, tab_id) {
            let tab = Tab {
                label: h.text.trim().to_owned(),
                id: id.to_owned(),
                span: self.ctx.span(h.range.clone()),
            };
            match self.open_tabs.and_then(|g| self.page.tab_groups.get_mut(g)) {
                Some(group) => group.tabs.push(tab),
                None => {
                    self.page.tab_groups.push(TabGroup {
                        span: self.ctx.span(h.range),
                        tabs: vec![tab],
                    });
                    self.open_tabs = Some(self.page.tab_groups.len() - 1);
                }
            }
            return;
        }
        // `---` under the last lines of a tab closes the group; CommonMark reads it as a setext heading.
        if !atx && self.open_tabs.is_some() && h.level == 2 {
            let para_end = source.trim_end().rfind('\n').map_or(h.range.end, |i| h.range.start + i);
            self.scan_lines(h.range.start..para_end);
            self.close_tabs_at(h.range.end);
            return;
        }
        if self.open_tabs.is_some() {
            let range = self.open_tabs.and_then(|g| self.page.tab_groups.get(g)).map(|g| g.span.range());
            if let Some(r) = range {
                self.ctx.report_help(
                    Code::TabGroupUnclosed,
                    r,
                    "this tab group is not closed before the next heading",
                    "close the tab group with a `---` line",
                );
            }
            self.open_tabs = None;
        }
        let heading = Heading {
            level: h.level,
            text: h.text.trim().to_owned(),
            span: self.ctx.span(h.range),
        };
        if h.level == 1 && self.page.title.is_none() {
            self.page.title = Some(heading.clone());
        }
        self.page.sections.push(heading);
        self.section = Some(self.page.sections.len() - 1);
    }

    fn close_tabs(&mut self) {
        self.open_tabs = None;
    }

    fn close_tabs_at(&mut self, end: usize) {
        if let Some(group) = self.open_tabs.and_then(|g| self.page.tab_groups.get_mut(g)) {
            let start = group.span.start;
            group.span = self.ctx.span(start..end);
        }
        self.open_tabs = None;
    }

    fn orphan_pending(&mut self) {
        let Some(a) = self.pending.take() else { return };
        let is_block = matches!(
            a.block_type,
            Some(BlockType::Request | BlockType::Response | BlockType::Resource | BlockType::Example)
        );
        if is_block {
            let kind = match &a.block_type {
                Some(BlockType::Request) => "request",
                Some(BlockType::Response) => "response",
                Some(BlockType::Resource) => "resource",
                _ => "example",
            };
            self.ctx.report_help(
                Code::AnnotationOrphan,
                a.span.range(),
                format!("this `{kind}` annotation is not followed by a code fence"),
                "put the annotation right above its fence, with only blank lines between",
            );
        }
    }

    fn finish_fence(&mut self) {
        let Some(f) = self.fence.take() else { return };
        let content_range = f.content.clone().unwrap_or(f.range.end..f.range.end);
        let content = self.ctx.text(content_range.clone()).to_owned();
        let language = f
            .info
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if let Some(tab_group) = self.open_tabs.and_then(|g| self.page.tab_groups.get_mut(g)) {
            let start = tab_group.span.start;
            tab_group.span = self.ctx.span(start..f.range.end);
        }
        let tab = self
            .open_tabs
            .and_then(|g| self.page.tab_groups.get(g))
            .and_then(|g| g.tabs.last())
            .map(|t| t.id.clone());
        let annotation = self.pending.take();
        self.check_swallowed_opener(&content, content_range.start);
        let block_type = annotation.as_ref().and_then(|a| a.block_type.clone());
        let mut http = None;
        let mut json = None;
        let is_http_lang = language == "http" || language == "msgraph-interactive";
        if is_http_lang || (language.is_empty() && looks_like_http(&content)) {
            http = read_http(self.ctx, content_range.clone(), f.range.clone());
        } else if (language == "json"
            || (language.is_empty() && matches!(block_type, Some(BlockType::Resource | BlockType::Example))))
            && !content.trim().is_empty()
        {
            let trimmed = trim_range(self.ctx.text(content_range.clone()), content_range.clone());
            let what = match block_type {
                Some(BlockType::Resource) => "resource representation",
                _ => "JSON block",
            };
            json = self.ctx.json(trimmed, what);
        }
        self.page.fences.push(CodeFence {
            span: self.ctx.span(f.range),
            info: f.info,
            language,
            content_span: self.ctx.span(content_range),
            content,
            annotation,
            section: self.section,
            tab,
            http,
            json,
        });
    }

    fn check_swallowed_opener(&mut self, content: &str, base: usize) {
        let mut offset = base;
        for raw in content.split_inclusive('\n') {
            let t = raw.trim_start();
            if t.starts_with("```") && t.trim_start_matches('`').trim().chars().next().is_some_and(char::is_alphabetic) {
                let lead = raw.len() - t.len();
                let line = t.trim_end();
                self.ctx.report_help(
                    Code::FenceSwallowedOpener,
                    offset + lead..offset + lead + line.len(),
                    format!("`{line}` inside a fence: the fence before it is probably not closed"),
                    "close the previous fence with ``` before opening the next one",
                );
            }
            offset += raw.len();
        }
    }

    fn finish_cell(&mut self) {
        let Some(c) = self.cell.take() else { return };
        let Some(t) = self.table.as_mut() else { return };
        let Some((_, cells)) = t.row.as_mut() else { return };
        if cells.len() >= MAX_CELLS {
            t.truncated = true;
            return;
        }
        let text = collapse_whitespace(c.text);
        // An empty cell keeps its whole width, so the excerpt shows where the text is missing.
        let range = if text.is_empty() {
            c.range
        } else {
            trim_range(self.ctx.text(c.range.clone()), c.range)
        };
        cells.push(Cell {
            text,
            span: self.ctx.span(range),
            links: c.links,
        });
    }

    fn finish_row(&mut self) {
        let Some(t) = self.table.as_mut() else { return };
        let Some((range, cells)) = t.row.take() else { return };
        if t.rows.len() >= MAX_ROWS {
            t.truncated = true;
            return;
        }
        let range = trim_range(self.ctx.text(range.clone()), range);
        t.rows.push(Row {
            span: self.ctx.span(range),
            cells,
            type_ref: None,
        });
    }

    fn finish_table(&mut self, _range: Range<usize>) {
        let Some(t) = self.table.take() else { return };
        if t.truncated {
            self.ctx.report_help(
                Code::TableTooLarge,
                t.range.start..t.range.start,
                format!("table has more than {MAX_ROWS} rows or {MAX_CELLS} cells in a row; the rest was dropped"),
                "split the table",
            );
        }
        let section_title = self
            .page
            .section(self.section)
            .map(|h| h.text.clone())
            .unwrap_or_default();
        let range = trim_range(self.ctx.text(t.range.clone()), t.range);
        let table = Table {
            span: self.ctx.span(range),
            kind: TableKind::Other,
            section: self.section,
            header: t.header,
            type_column: None,
            rows: t.rows,
        };
        let table = finish_table(self.ctx, table, &section_title);
        self.page.tables.push(table);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Words of `text` joined by single spaces (`split_whitespace` joined by `" "`). Most text is
/// that already; it is then kept, not copied (splitting and joining was 6% of reading a page).
fn collapse_whitespace(text: String) -> String {
    let bytes = text.as_bytes();
    // One pass without branches: non-ASCII, ASCII whitespace other than a space (`\t` to `\r`),
    // a space first, last or after a space. (Measured on beta's cells: faster than `memchr`
    // searches, whose setup outweighs their speed on texts this short.)
    let mut odd = false;
    let mut after_space = true;
    for &b in bytes {
        let space = b == b' ';
        odd |= (b >= 0x80) | (b.wrapping_sub(b'\t') < 5) | (space & after_space);
        after_space = space;
    }
    if !odd && !after_space {
        return text;
    }
    // ASCII's whitespace is `split_whitespace`'s there: a space and `\t` to `\r` (not
    // `split_ascii_whitespace`'s, which leaves out `\x0b`); splitting on it skips decoding chars.
    let mut out = String::with_capacity(text.len());
    let mut push = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    if text.is_ascii() {
        text.split(|c: char| c == ' ' || ('\t'..='\r').contains(&c)).filter(|w| !w.is_empty()).for_each(&mut push);
    } else {
        text.split_whitespace().for_each(&mut push);
    }
    out
}

/// Narrow `range` (whose text is `text`) to exclude surrounding whitespace.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let lead = text.len() - text.trim_start().len();
    let trail = text.len() - text.trim_end().len();
    let start = range.start + lead;
    start..(range.end - trail).max(start)
}

/// `[!INCLUDE [label](target)]` → (label, target).
fn parse_include(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("[!INCLUDE")?.trim_start();
    let rest = rest.strip_prefix('[')?;
    let (label, rest) = rest.split_once("](")?;
    let (target, _) = rest.split_once(')')?;
    Some((label.to_owned(), target.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_whitespace_is_the_words_joined_by_one_space() {
        for text in ["", " ", "a", "a b", " a b", "a b ", "a  b", "a\tb", "a\nb\r\n", "x\u{a0}y", "é b", "a\u{2003} b", "\u{b}a\u{c}", "\u{8}a\u{e}", "a \u{1f} b", "  ", "a\u{85}b"] {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text.to_owned()), joined, "{text:?}");
        }
    }
}
