//! Small helpers to build tokens that can never panic on odd names.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use rayon::prelude::*;

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

/// `#[doc = "..."]` lines; empty lines kept as paragraph breaks: the tokens the reference items
/// of the tests carry for what the writers write with [`push_doc_lines`].
#[cfg(test)]
pub fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// `lines` as `///` comments at `indent`, as `layout` prints the attributes `docs` (the tests'
/// reference) makes of them: each line after a space, trailing spaces trimmed (a line with a
/// newline is several lines).
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

/// Items a rayon task writes at a time: enough to keep both cores busy, few enough that no thread
/// holds more than a sliver of a file.
const CHUNK: usize = 64;

/// A generated file: the `@generated` header, the inner doc `doc`, and `item(x)` for each of
/// `inputs`, in order, each the text of one item (or a few) in `layout`'s style. Chunks of items
/// are written on every core; `layout` prints a file's items one after another, so the texts
/// joined are what the whole file's tokens would print.
pub fn items_file<T: Sync>(doc: &[&str], inputs: &[T], item: impl Fn(&T) -> String + Sync) -> String {
    items_file_tallied(doc, inputs, |x, _: &mut ()| item(x)).0
}

/// [`items_file`], where writing an item also tallies something: one tally a chunk, in order.
pub fn items_file_tallied<T: Sync, A: Default + Send>(doc: &[&str], inputs: &[T], item: impl Fn(&T, &mut A) -> String + Sync) -> (String, Vec<A>) {
    let head = render_head(doc);
    let chunks: Vec<(String, A)> = inputs
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut tally = A::default();
            let mut text = String::new();
            for x in chunk {
                let written = item(x, &mut tally);
                // In this crate's tests, each item's lines are checked to print the same again once lexed.
                #[cfg(test)]
                crate::layout::tests::prints_itself(&written);
                text.push_str(&written);
            }
            // Every chunk is held until the file is joined, and one grown a push at a time has up
            // to twice its length allocated: copied to its size, the beta client's peak is lower.
            (text.as_str().to_owned(), tally)
        })
        .collect();
    // One allocation of the file's size: grown chunk by chunk, the big files were copied again
    // at each doubling.
    let mut out = String::with_capacity(crate::HEADER.len() + head.len() + chunks.iter().map(|(text, _)| text.len()).sum::<usize>());
    out.push_str(crate::HEADER);
    out.push_str(&head);
    let mut tallies = Vec::with_capacity(chunks.len());
    for (text, tally) in chunks {
        out.push_str(&text);
        tallies.push(tally);
    }
    (out, tallies)
}

/// A file's inner doc lines (`//! ...`), printed as `layout` prints them before its items.
pub fn render_head(doc: &[&str]) -> String {
    let lines = doc.iter().map(|l| format!(" {l}"));
    render(quote! { #( #![doc = #lines] )* })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Items printed one by one and joined, a chunk at a time, are the file printed whole: what
    /// lets every writer write its items on its own.
    #[test]
    fn a_file_written_in_chunks_is_the_file_printed_whole() {
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
        let chunked = items_file(&["A file.", "Of items."], &inputs, |i| render(item(i)));
        assert_eq!(chunked, whole);
        assert!(chunked.starts_with(&format!("{}//! A file.\n//! Of items.\n/// Item number 0.\n", crate::HEADER)));
        let (tallied, tallies) = items_file_tallied(&["A file.", "Of items."], &inputs, |x, n: &mut usize| {
            *n += 1;
            render(item(x))
        });
        assert_eq!(tallied, whole);
        assert_eq!(tallies, vec![CHUNK, CHUNK, 7]);
        assert!(whole.contains("    ///   An indented line.\n    ///\n    /// / slash\n    pub value"));
        assert!(whole.contains("    /// Two\n    ///lines.\n"));
    }

    /// Doc lines written as text are what `layout` prints of the attributes `docs` makes of
    /// them, with a newline in a line or not.
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

}
