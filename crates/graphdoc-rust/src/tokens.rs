//! Small helpers to build tokens that can never panic on odd names.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use rayon::prelude::*;
use std::cell::RefCell;

/// An identifier from text produced by `naming`; raw (`r#type`) where needed. Text that is not an
/// identifier (impossible through `naming`) becomes `unnamed` rather than a panic.
pub fn ident(text: &str) -> Ident {
    let text = ident_str(text);
    match text.strip_prefix("r#") {
        Some(body) => Ident::new_raw(body, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// The text [`ident`] prints, without building it: `text` itself when it is an identifier (raw
/// with `r#`), else `unnamed`. Most identifiers go into text written directly, and an `Ident`
/// made only to be printed cost 3% of code generation.
pub fn ident_str(text: &str) -> &str {
    let (raw, body) = match text.strip_prefix("r#") {
        Some(b) => (true, b),
        None => (false, text),
    };
    let valid = body.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && body != "_"
        // proc-macro2 panics on these as raw identifiers (`r#self` is not Rust).
        && !(raw && matches!(body, "self" | "Self" | "super" | "crate"));
    if valid {
        text
    } else {
        "unnamed"
    }
}

/// [`ident_str`] of text already owned: the text itself, not a copy.
pub fn into_ident(text: String) -> String {
    if ident_str(&text) == text {
        text
    } else {
        "unnamed".to_owned()
    }
}

/// [`string_literal`] pushed onto `out`.
pub fn push_string_literal(out: &mut String, text: &str) {
    if is_plain_literal(text) {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&proc_macro2::Literal::string(text).to_string());
    }
}

/// Printable ASCII without `"` or `\\`: quoted as it is.
fn is_plain_literal(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

/// `text` as a Rust string literal, exactly as `proc_macro2::Literal::string` writes it. Text of
/// printable ASCII without `"` or `\\` (nearly every path, wire name and code) is quoted as it is:
/// proc-macro2 escapes a character at a time, and string literals were 3% of the pipeline.
pub fn string_literal(text: &str) -> String {
    if !is_plain_literal(text) {
        return proc_macro2::Literal::string(text).to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    out.push_str(text);
    out.push('"');
    out
}

thread_local! {
    /// The doc blocks of the chunk of items this thread is building, while it builds one
    /// (`render_chunks`): each block stands in the tokens as one marker line.
    static DOC_BLOCKS: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Starts a doc marker: `layout` prints `#[doc = "\u{1}7"]` as `///\u{1}7`, a line that no real
/// doc line prints as (those start `/// `, from the space `docs` puts before each).
const DOC_MARK: char = '\u{1}';

/// `#[doc = "..."]` lines; empty lines kept as paragraph breaks.
///
/// Inside `render_chunks` the block is kept aside and only a marker goes into the tokens:
/// doc text was a quarter of code generation's time, as string literals quoted, then read back
/// and printed verbatim. The marker's line is replaced by the block's lines after printing.
pub fn docs(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    // A line with a newline is printed as several comment lines (`layout`): not set aside.
    let plain = lines.iter().all(|l| !l.contains('\n'));
    let marker = DOC_BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let blocks = blocks.as_mut().filter(|_| plain)?;
        blocks.push(lines.to_vec());
        Some(format!("{DOC_MARK}{}", blocks.len() - 1))
    });
    if let Some(marker) = marker {
        return quote! { #[doc = #marker] };
    }
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// `lines` as `///` comments at `indent`, as `layout` prints the attributes [`docs`] makes of them:
/// each line after a space, trailing spaces trimmed (a line with a newline is several lines).
pub fn push_doc_lines(out: &mut String, indent: usize, lines: &[String]) {
    let plain = lines.iter().all(|l| !l.contains('\n'));
    for doc in lines {
        if plain {
            push_indent(out, indent);
            out.push_str("///");
            if !doc.trim_end_matches(' ').is_empty() {
                out.push(' ');
                out.push_str(doc.trim_end_matches(' '));
            }
            out.push('\n');
        } else {
            for (n, piece) in doc.split('\n').enumerate() {
                push_indent(out, indent);
                out.push_str("///");
                if n == 0 {
                    out.push(' ');
                }
                out.push_str(piece);
                out.truncate(out.trim_end().len());
                out.push('\n');
            }
        }
    }
}

/// A type's tokens on one line as `layout` prints them (paths and generic arguments only), or
/// `None` for anything else: the reference `RustType::flat` is tested against.
#[cfg(test)]
pub fn flat_type(tokens: &TokenStream) -> Option<String> {
    let mut out = String::new();
    for tree in tokens.clone() {
        match tree {
            proc_macro2::TokenTree::Ident(i) => out.push_str(&i.to_string()),
            proc_macro2::TokenTree::Punct(p) => {
                out.push(p.as_char());
                if p.as_char() == ',' {
                    out.push(' ');
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `elements` one a line at `indent`, as `layout` breaks a list: each followed by a comma when
/// `commas` (a generic list always; a `(...)` or `[...]` only with several elements).
pub fn push_elements<S: AsRef<str>>(out: &mut String, indent: usize, elements: &[S], commas: bool) {
    for element in elements {
        push_indent(out, indent);
        out.push_str(element.as_ref());
        if commas {
            out.push(',');
        }
        out.push('\n');
    }
}

/// `path!(argument);` on a line of its own, as `layout` prints it: the argument on a line of its
/// own where the line does not fit (`layout` keeps a column free after the `;`).
pub fn push_macro_line(out: &mut String, path: &str, argument: &str) {
    let call = format!("{path}({argument});");
    if call.len() < crate::layout::WIDTH {
        out.push_str(&call);
        out.push('\n');
    } else {
        out.push_str(&format!("{path}(\n    {argument}\n);\n"));
    }
}

/// `indent` spaces.
pub fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Replace each doc marker line of `text` by its block's lines, as `layout` prints doc
/// attributes: `///`, the line after a space, trailing spaces trimmed, at the marker's indent.
/// The markers are searched for, and the text between them copied whole (reading the text a line
/// at a time was 2% of the pipeline).
fn splice_docs(text: &str, blocks: &[Vec<String>]) -> Result<String, String> {
    let extra: usize = blocks.iter().flatten().map(|l| l.len() + 8).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut spliced = 0usize;
    // `text` up to `copied` is in `out`.
    let mut copied = 0usize;
    let mut marker = String::from("///");
    marker.push(DOC_MARK);
    for at in memchr::memmem::find_iter(text.as_bytes(), marker.as_bytes()) {
        let before = text.get(..at).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let indent = before.get(line_start..).unwrap_or_default();
        // Only a marker that starts its line is one (`layout` prints no other text before it).
        if !indent.bytes().all(|b| b == b' ') {
            continue;
        }
        let rest = text.get(at + marker.len()..).unwrap_or_default();
        let line_end = rest.find('\n').map_or(text.len(), |i| at + marker.len() + i + 1);
        let index = rest.get(..line_end - at - marker.len()).unwrap_or_default();
        let block = index
            .trim_end_matches('\n')
            .parse::<usize>()
            .ok()
            .and_then(|i| blocks.get(i))
            .ok_or_else(|| format!("generated code has a doc marker with no doc block: {:?}", text.get(line_start..line_end).unwrap_or_default()))?;
        out.push_str(text.get(copied..line_start).unwrap_or_default());
        push_doc_lines(&mut out, indent.len(), block);
        copied = line_end;
        spliced += 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    // Every block printed exactly once, or the text would lose or repeat documentation.
    if spliced != blocks.len() {
        return Err(format!("generated code printed {spliced} of {} doc blocks", blocks.len()));
    }
    Ok(out)
}

/// Lay out a file's tokens as text (`layout`).
pub fn render(tokens: TokenStream) -> String {
    // In this crate's unit tests every file printed is checked to lex back to its tokens.
    #[cfg(test)]
    let original = tokens.clone();
    let text = crate::layout::print_file(tokens);
    #[cfg(test)]
    crate::layout::tests::same_tokens(&original, &text);
    text
}

/// Items a rayon task builds and prints at a time: enough to keep both cores busy, few enough that
/// no thread holds more than a sliver of a file's tokens.
const CHUNK: usize = 64;

/// Part of a file: tokens for `layout` to print, or text already in its style.
pub enum Piece {
    /// Printed by `layout`.
    Tokens(TokenStream),
    /// Written as it is: lines as `layout` would print them, in this crate's tests checked to
    /// print the same again once lexed.
    Text(String),
}

/// Pretty-print a generated file (the `@generated` header first) whose inner doc is `doc` and whose
/// items are `item(x)` for each of `inputs`, in order, each item as pieces: tokens, or text written directly. Chunks of items are built
/// and printed on every core, each as a file of its own: `layout` prints a file's items one after
/// another, so the chunks joined are the text the whole file would print, without a token tree of
/// the whole file (token streams are not `Send`, so each chunk's are built on the thread that
/// prints them).
pub fn render_pieces<T: Sync>(doc: &[&str], inputs: &[T], item: impl Fn(&T) -> Vec<Piece> + Sync) -> Result<String, String> {
    render_chunks(doc, inputs, |x, _: &mut ()| item(x)).map(|(text, _)| text)
}

/// [`render_pieces`], where building an item also tallies something: one tally a chunk, in order.
pub fn render_pieces_tallied<T: Sync, A: Default + Send>(
    doc: &[&str],
    inputs: &[T],
    item: impl Fn(&T, &mut A) -> Vec<Piece> + Sync,
) -> Result<(String, Vec<A>), String> {
    render_chunks(doc, inputs, item)
}

/// [`render_pieces`] of items that are tokens alone (the tests' reference).
#[cfg(test)]
fn render_items<T: Sync>(doc: &[&str], inputs: &[T], item: impl Fn(&T) -> TokenStream + Sync) -> Result<String, String> {
    render_chunks(doc, inputs, |x, _: &mut ()| vec![Piece::Tokens(item(x))]).map(|(text, _)| text)
}

/// Items as pieces, a chunk of them at a time on every core ([`render_pieces`]).
fn render_chunks<T: Sync, A: Default + Send>(
    doc: &[&str],
    inputs: &[T],
    item: impl Fn(&T, &mut A) -> Vec<Piece> + Sync,
) -> Result<(String, Vec<A>), String> {
    let head = render_head(doc);
    let chunks: Vec<Result<(String, A), String>> = inputs
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut tally = A::default();
            // `item` must not run rayon jobs: another chunk's, stolen onto this thread, would take
            // these blocks (and `splice_docs` would then fail, not print wrong docs).
            DOC_BLOCKS.with(|blocks| *blocks.borrow_mut() = Some(Vec::new()));
            // Each item printed on its own, as `layout` prints a file's items one after another:
            // no token tree of the chunk (joining them in a `quote!` copied every token).
            let mut text = String::new();
            for x in chunk {
                for piece in item(x, &mut tally) {
                    match piece {
                        Piece::Tokens(tokens) => text.push_str(&render(tokens)),
                        Piece::Text(written) => {
                            #[cfg(test)]
                            crate::layout::tests::prints_itself(&written);
                            text.push_str(&written);
                        }
                    }
                }
            }
            let blocks = DOC_BLOCKS.with(|blocks| blocks.borrow_mut().take()).unwrap_or_default();
            splice_docs(&text, &blocks).map(|text| (text, tally))
        })
        .collect();
    let mut texts = Vec::with_capacity(chunks.len());
    let mut tallies = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let (text, tally) = chunk?;
        texts.push(text);
        tallies.push(tally);
    }
    // One allocation of the file's size: grown chunk by chunk, the big files were copied again
    // at each doubling.
    let mut out = String::with_capacity(crate::HEADER.len() + head.len() + texts.iter().map(String::len).sum::<usize>());
    out.push_str(crate::HEADER);
    out.push_str(&head);
    texts.iter().for_each(|text| out.push_str(text));
    Ok((out, tallies))
}

/// A file's inner doc lines (`//! ...`), printed as `layout` prints them before its items.
pub fn render_head(doc: &[&str]) -> String {
    let lines = doc.iter().map(|l| format!(" {l}"));
    render(quote! { #( #![doc = #lines] )* })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The splicing as it was first written, a line at a time: what `splice_docs` must still do.
    fn splice_by_lines(text: &str, blocks: &[Vec<String>]) -> String {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let body = line.trim_start_matches(' ');
            match body.strip_prefix("///").and_then(|b| b.strip_prefix(DOC_MARK)) {
                Some(index) => {
                    let block = index.trim_end_matches('\n').parse::<usize>().ok().and_then(|i| blocks.get(i)).unwrap();
                    push_doc_lines(&mut out, line.len() - body.len(), block);
                }
                None => out.push_str(line),
            }
        }
        out
    }

    #[test]
    fn doc_markers_are_replaced_by_their_blocks_where_they_start_a_line() {
        let blocks = vec![vec!["First.".to_owned()], vec!["Second,".to_owned(), String::new(), "in two.".to_owned()], vec!["Last".to_owned()]];
        let text = "///\u{1}0\nstruct A;\nimpl A {\n    ///\u{1}1\n    fn f() {} // ///\u{1}9 is no marker here\n}\n  ///\u{1}2";
        let spliced = splice_docs(text, &blocks).unwrap();
        assert_eq!(spliced, splice_by_lines(text, &blocks));
        assert!(spliced.starts_with("/// First.\nstruct A;\n"), "{spliced}");
        assert!(spliced.contains("    /// Second,\n    ///\n    /// in two.\n    fn f()"), "{spliced}");
        assert!(spliced.ends_with("  /// Last\n"), "{spliced}");
        assert_eq!(splice_docs("no markers\n", &[]).unwrap(), "no markers\n");
        assert!(splice_docs("///\u{1}3\n", &blocks).is_err());
        assert!(splice_docs("///\u{1}0\n", &blocks).is_err(), "two blocks never printed");
    }

    #[test]
    fn identifiers_as_text_are_what_proc_macro2_prints() {
        let texts = ["a", "foo_bar", "_x", "x2", "r#type", "r#match", "Type", "_", "", "2x", "a-b", "é", "r#", "r#_", "r#self", "r#Self", "r#super", "r#crate", "self", "a b", "r#r#a"];
        for text in texts {
            assert_eq!(ident_str(text), ident(text).to_string(), "{text:?}");
        }
        assert_eq!(ident_str("r#self"), "unnamed");
        assert_eq!(ident_str("r#type"), "r#type");
    }

    proptest::proptest! {
        #[test]
        fn any_text_as_an_identifier_is_what_proc_macro2_prints(text in "(r#)?[a-zA-Z0-9_é -]{0,12}") {
            proptest::prop_assert_eq!(ident_str(&text), ident(&text).to_string());
        }
    }

    #[test]
    fn string_literals_are_what_proc_macro2_writes() {
        let texts = ["", "a", "fixtures/users/get-user.json", "it's", "say \"hi\"", "back\\slash", "tab\there", "new\nline", "\0", "\u{0}7", "é", "\u{7f}", "~ }{", "\u{200b}"];
        for text in texts {
            assert_eq!(string_literal(text), proc_macro2::Literal::string(text).to_string(), "{text:?}");
            let mut pushed = String::from("x");
            push_string_literal(&mut pushed, text);
            assert_eq!(pushed, format!("x{}", string_literal(text)), "{text:?}");
        }
    }

    #[test]
    fn a_file_printed_in_chunks_is_the_file_printed_whole() {
        let inputs: Vec<usize> = (0..CHUNK * 2 + 7).collect();
        let item = |i: &usize| {
            let name = ident(&format!("Item{i}"));
            let doc = docs(&[format!("Item number {i}."), String::new(), "A second paragraph.  ".to_owned()]);
            // Indented, blank, spaces only, and (printed as two comment lines) a newline.
            let field_doc = docs(&["  An indented line.".to_owned(), "   ".to_owned(), "/ slash".to_owned()]);
            let fn_doc = if i % 5 == 0 { docs(&["Two\nlines.".to_owned()]) } else { docs(&[]) };
            quote! {
                #doc
                #[cfg(feature = "x")]
                pub struct #name {
                    #field_doc
                    pub value: ::std::option::Option<::std::vec::Vec<::std::string::String>>
                }
                impl #name { #fn_doc pub fn get(&self) -> usize { #i } }
            }
        };
        let items = inputs.iter().map(item);
        let whole = render(quote! { #![doc = " A file."] #![doc = " Of items."] #( #items )* });
        let whole = format!("{}{whole}", crate::HEADER);
        let chunked = render_items(&["A file.", "Of items."], &inputs, item).unwrap();
        assert_eq!(chunked, whole);
        assert!(chunked.starts_with(&format!("{}//! A file.\n//! Of items.\n/// Item number 0.\n", crate::HEADER)));
        let (tallied, tallies) = render_pieces_tallied(&["A file.", "Of items."], &inputs, |x, n: &mut usize| {
            *n += 1;
            vec![Piece::Tokens(item(x))]
        })
        .unwrap();
        assert_eq!(tallied, whole);
        assert_eq!(tallies, vec![CHUNK, CHUNK, 7]);
        assert!(whole.contains("    ///   An indented line.\n    ///\n    /// / slash\n    pub value"));
        assert!(whole.contains("    /// Two\n    ///lines.\n"));
        assert!(!chunked.contains(DOC_MARK));
    }

    /// Doc lines written as text are what `layout` prints of the attributes `docs` makes of
    /// them outside a chunk (no markers), with a newline in a line or not.
    #[test]
    fn doc_lines_written_as_text_are_what_layout_prints() {
        let blocks = [
            vec!["A line.".to_owned(), String::new(), "  Indented, trailing spaces.  ".to_owned()],
            vec!["Two\nlines.  ".to_owned(), String::new(), "Then one.".to_owned()],
        ];
        for lines in blocks {
            let doc = docs(&lines);
            let printed = render(quote! { #doc struct A; });
            let mut written = String::new();
            push_doc_lines(&mut written, 0, &lines);
            written.push_str("struct A;\n");
            assert_eq!(written, printed);
        }
    }

    #[test]
    fn a_doc_marker_without_its_block_is_an_error_not_lost_docs() {
        let text = format!("///{DOC_MARK}0\npub struct A;\n///{DOC_MARK}3\npub struct B;\n");
        let blocks = vec![vec!["A.".to_owned()]];
        assert!(splice_docs(&text, &blocks).unwrap_err().contains("no doc block"));
        let text = format!("///{DOC_MARK}0\npub struct A;\n");
        assert_eq!(splice_docs(&text, &blocks).unwrap(), "/// A.\npub struct A;\n");
        assert!(splice_docs("pub struct A;\n", &blocks).unwrap_err().contains("0 of 1 doc blocks"));
    }
}
