//! Markdown tables: header kind, rows, cells with links, and the type cell of property tables.

use serde::Serialize;

use crate::context::Ctx;
use crate::diagnostic::Code;
use crate::span::Span;
use crate::type_ref::{parse_type_cell, TypeCellIssue, TypeRef};

/// What a table lists, from its header and the section it sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Properties of a type (`Property | Type | Description`).
    Properties,
    /// Navigation properties (`Relationship | Type | Description`).
    Relationships,
    /// Parameters of a function, action or query (`Parameter | Type | Description`).
    Parameters,
    /// Request headers (`Name | Description`, `Header | Value`).
    RequestHeaders,
    /// Permissions (`Permission type | Permissions ...`).
    Permissions,
    /// Methods of a resource (`Method | Return type | Description`).
    Methods,
    /// Enum members (`Member | Value | Description`, `Member`).
    EnumMembers,
    /// Anything else.
    Other,
}

/// A link inside a cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The link text.
    pub text: String,
    /// The link destination as written.
    pub target: String,
}

/// One cell: plain text (markup removed) and its links.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// Text with markup removed, whitespace collapsed.
    pub text: String,
    /// Where the cell is.
    pub span: Span,
    /// Links in the cell.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// One body row.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The row line.
    pub span: Span,
    /// Its cells, in column order.
    pub cells: Vec<Cell>,
    /// The type named in the type column, for property and parameter tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<TypeRef>,
}

/// A table of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    /// The whole table.
    pub span: Span,
    /// What it lists.
    pub kind: TableKind,
    /// Index of the heading it sits under, in `Page::sections`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// Header cells.
    pub header: Vec<Cell>,
    /// Index of the type column, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_column: Option<usize>,
    /// Body rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// Lower-cased header texts, markup stripped.
    pub fn header_names(&self) -> Vec<String> {
        self.header.iter().map(|c| normalise_header(&c.text)).collect()
    }

    /// Cell `column` of `row`, if present.
    pub fn cell<'t>(&self, row: &'t Row, column: usize) -> Option<&'t Cell> {
        row.cells.get(column)
    }
}

/// Most cells kept per row and rows per table: beyond, tables are not documentation.
pub(crate) const MAX_CELLS: usize = 256;
pub(crate) const MAX_ROWS: usize = 100_000;

fn normalise_header(text: &str) -> String {
    text.trim()
        .trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
        .to_ascii_lowercase()
}

fn classify(names: &[String], section: &str) -> TableKind {
    let first = names.first().map(String::as_str).unwrap_or_default();
    let has_type = names.iter().any(|n| n == "type" || n == "data type");
    let section = section.to_ascii_lowercase();
    if first.starts_with("permission") {
        TableKind::Permissions
    } else if first == "method" {
        TableKind::Methods
    } else if first.starts_with("member") || (first == "value" && !has_type && !section.contains("header")) {
        TableKind::EnumMembers
    } else if section.contains("header") || first == "header" {
        TableKind::RequestHeaders
    } else if has_type && first.starts_with("relationship") {
        TableKind::Relationships
    } else if has_type
        && (first.contains("parameter") || (first == "name" && section.contains("parameter")))
    {
        TableKind::Parameters
    } else if has_type && matches!(first, "property" | "property name" | "properties" | "name") {
        TableKind::Properties
    } else {
        TableKind::Other
    }
}

/// Cells in a row line as GFM counts them: unescaped pipes, outer pipes optional. Only `\\` and
/// `|` matter, both ASCII, which no byte of a multi-byte char equals: the line is searched for them
/// (reading it a char at a time was a tenth of reading tables).
fn source_cell_count(line: &str) -> usize {
    let t = line.trim();
    let bytes = t.as_bytes();
    let mut pipes: usize = 0;
    let mut from = 0;
    while let Some(found) = bytes.get(from..).and_then(|rest| memchr::memchr2(b'\\', b'|', rest)) {
        let at = from + found;
        if bytes.get(at) == Some(&b'|') {
            pipes += 1;
            from = at + 1;
        } else {
            // A backslash escapes the next character, whatever it is.
            from = at + 2;
        }
    }
    let leading = usize::from(t.starts_with('|'));
    let trailing = usize::from(t.len() > 1 && t.ends_with('|') && !t.ends_with("\\|"));
    (pipes + 1).saturating_sub(leading + trailing)
}

/// Classify a finished table and check its rows.
pub(crate) fn finish_table(ctx: &mut Ctx<'_>, mut table: Table, section_title: &str) -> Table {
    let names = table.header_names();
    table.kind = classify(&names, section_title);
    let header_count = table.header.len();
    for row in &table.rows {
        let line = ctx.text(row.span.range());
        let count = source_cell_count(line);
        if count != header_count {
            ctx.report_help(
                Code::TableRowCellCount,
                row.span.range(),
                format!("row has {count} cells, the header has {header_count}"),
                "escape pipes inside cells as `\\|`, and give every row one cell per column",
            );
        }
    }
    match table.kind {
        TableKind::Properties | TableKind::Relationships | TableKind::Parameters => {
            table.type_column = names.iter().position(|n| n == "type" || n == "data type");
            if let Some(col) = table.type_column {
                check_type_cells(ctx, &mut table.rows, col);
            }
        }
        TableKind::Permissions => check_permissions(ctx, &table.rows),
        TableKind::RequestHeaders => check_header_rows(ctx, &table.rows),
        _ => {}
    }
    table
}

fn check_type_cells(ctx: &mut Ctx<'_>, rows: &mut [Row], col: usize) {
    for row in rows {
        let Some(cell) = row.cells.get(col) else { continue };
        // Rows of only bold text separate groups of properties; they name no type.
        if cell.text.is_empty() && row.cells.iter().skip(1).all(|c| c.text.is_empty()) {
            continue;
        }
        let links: Vec<(String, String)> = cell
            .links
            .iter()
            .map(|l| (l.text.clone(), l.target.clone()))
            .collect();
        let (type_ref, issue) = parse_type_cell(&cell.text, &links);
        match issue {
            Some(TypeCellIssue::Noncanonical(canon)) => ctx.report_help(
                Code::TableTypeNoncanonical,
                cell.span.range(),
                format!("type `{}` is read as `{canon}`", cell.text),
                format!("write `{canon}`"),
            ),
            Some(TypeCellIssue::Unparsed) => ctx.report_help(
                Code::TableTypeUnparsed,
                cell.span.range(),
                if cell.text.is_empty() {
                    "type cell is empty".to_owned()
                } else {
                    format!("type cell `{}` names no type graphdoc can read", cell.text)
                },
                "write one type: a primitive (`String`, `Int32`, ...), a link to a type, or `X collection`",
            ),
            None => {}
        }
        row.type_ref = type_ref;
    }
}

fn check_permissions(ctx: &mut Ctx<'_>, rows: &[Row]) {
    for row in rows {
        let kind = row.cells.first().map(|c| c.text.as_str()).unwrap_or_default();
        if let Some(cell) = row.cells.get(1).filter(|c| c.text.trim().is_empty()) {
            ctx.report_help(
                Code::PermissionsEmpty,
                cell.span.range(),
                format!("no permission given for `{kind}`"),
                "name the least privileged permission, or write `Not supported.`",
            );
        }
    }
}

fn check_header_rows(ctx: &mut Ctx<'_>, rows: &[Row]) {
    for row in rows {
        let Some(cell) = row.cells.get(1) else { continue };
        for flag in ["Required", "Optional"] {
            let Some(i) = cell.text.find(flag) else { continue };
            let before = cell.text.get(..i).and_then(|b| b.chars().last());
            if let Some(c) = before.filter(|c| !c.is_whitespace() && *c != '(' && *c != '[') {
                let fixed = format!(
                    "{}{} {}",
                    cell.text.get(..i).unwrap_or_default().trim_end_matches('.'),
                    if c == '.' { "." } else { "" },
                    cell.text.get(i..).unwrap_or_default()
                );
                ctx.report_help(
                    Code::HeaderValueGlued,
                    cell.span.range(),
                    format!("`{flag}` is glued to the header value in `{}`", cell.text),
                    format!("separate them: `{fixed}`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_count_follows_gfm() {
        assert_eq!(source_cell_count("|a|b|c|"), 3);
        assert_eq!(source_cell_count("a|b|c"), 3);
        assert_eq!(source_cell_count("| a | b \\| c |"), 2);
        assert_eq!(source_cell_count("| Member"), 1);
        // A backslash before a multi-byte char, a pipe after it, an escaped backslash.
        assert_eq!(source_cell_count("| \\é | b \\\\| c |"), 3);
        assert_eq!(source_cell_count("|\\"), 1);
        assert_eq!(source_cell_count(""), 1);
    }

    #[test]
    fn kinds_from_header_and_section() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(classify(&n(&["property", "type", "description"]), "Properties"), TableKind::Properties);
        assert_eq!(classify(&n(&["name", "description"]), "Request headers"), TableKind::RequestHeaders);
        assert_eq!(classify(&n(&["permission type", "permissions"]), "Permissions"), TableKind::Permissions);
        assert_eq!(classify(&n(&["parameter", "type", "description"]), "Request body"), TableKind::Parameters);
        assert_eq!(classify(&n(&["member", "value", "description"]), "x values"), TableKind::EnumMembers);
        assert_eq!(classify(&n(&["member"]), ""), TableKind::EnumMembers);
        assert_eq!(classify(&n(&["method", "return type", "description"]), "Methods"), TableKind::Methods);
        assert_eq!(classify(&n(&["relationship", "type", "description"]), "Relationships"), TableKind::Relationships);
    }
}
