//! Small helpers to build tokens that can never panic on odd names.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use rayon::prelude::*;

/// An identifier from text produced by `naming`; raw (`r#type`) where needed. Text that is not an
/// identifier (impossible through `naming`) becomes `unnamed` rather than a panic.
pub fn ident(text: &str) -> Ident {
    let (raw, body) = match text.strip_prefix("r#") {
        Some(b) => (true, b),
        None => (false, text),
    };
    let valid = body.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && body != "_";
    if !valid {
        return Ident::new("unnamed", Span::call_site());
    }
    if raw {
        Ident::new_raw(body, Span::call_site())
    } else {
        Ident::new(body, Span::call_site())
    }
}

/// `#[doc = "..."]` lines; empty lines kept as paragraph breaks.
pub fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// Pretty-print a file; the tokens come from `quote!`, so they always parse.
pub fn render(tokens: TokenStream) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Items a rayon task builds and prints at a time: enough to keep both cores busy, few enough that
/// no thread holds more than a sliver of a file's tokens.
const CHUNK: usize = 64;

/// Pretty-print a file whose inner doc is `doc` and whose items are `item(x)` for each of `inputs`,
/// in order. Chunks of items are built and printed on every core, each as a file of its own:
/// `prettyplease` prints a file's items one after another, so the chunks joined are the text the
/// whole file would print, without a token tree of the whole file (token streams are not `Send`,
/// so each chunk's are built on the thread that prints them).
pub fn render_items<T: Sync>(doc: &[&str], inputs: &[T], item: impl Fn(&T) -> TokenStream + Sync) -> Result<String, String> {
    render_items_tallied(doc, inputs, |x, _: &mut ()| item(x)).map(|(text, _)| text)
}

/// [`render_items`], where building an item also tallies something: one tally a chunk, in order.
pub fn render_items_tallied<T: Sync, A: Default + Send>(
    doc: &[&str],
    inputs: &[T],
    item: impl Fn(&T, &mut A) -> TokenStream + Sync,
) -> Result<(String, Vec<A>), String> {
    let mut out = render_head(doc)?;
    let chunks: Vec<Result<(String, A), String>> = inputs
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut tally = A::default();
            let items: Vec<TokenStream> = chunk.iter().map(|x| item(x, &mut tally)).collect();
            render(quote! { #( #items )* }).map(|text| (text, tally))
        })
        .collect();
    let mut tallies = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let (text, tally) = chunk?;
        out.push_str(&text);
        tallies.push(tally);
    }
    Ok((out, tallies))
}

/// A file's inner doc lines (`//! ...`), printed as `prettyplease` prints them before its items.
pub fn render_head(doc: &[&str]) -> Result<String, String> {
    let lines = doc.iter().map(|l| format!(" {l}"));
    render(quote! { #( #![doc = #lines] )* })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_printed_in_chunks_is_the_file_printed_whole() {
        let inputs: Vec<usize> = (0..CHUNK * 2 + 7).collect();
        let item = |i: &usize| {
            let name = ident(&format!("Item{i}"));
            let doc = docs(&[format!("Item number {i}."), String::new(), "A second paragraph.".to_owned()]);
            quote! {
                #doc
                #[cfg(feature = "x")]
                pub struct #name { pub value: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
                impl #name { pub fn get(&self) -> usize { #i } }
            }
        };
        let items = inputs.iter().map(item);
        let whole = render(quote! { #![doc = " A file."] #![doc = " Of items."] #( #items )* }).unwrap();
        let chunked = render_items(&["A file.", "Of items."], &inputs, item).unwrap();
        assert_eq!(chunked, whole);
        assert!(chunked.starts_with("//! A file.\n//! Of items.\n/// Item number 0.\n"));
        let (tallied, tallies) = render_items_tallied(&["A file.", "Of items."], &inputs, |x, n: &mut usize| {
            *n += 1;
            item(x)
        })
        .unwrap();
        assert_eq!(tallied, whole);
        assert_eq!(tallies, vec![CHUNK, CHUNK, 7]);
    }
}
