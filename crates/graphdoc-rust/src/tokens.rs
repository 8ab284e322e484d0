//! Small helpers to build tokens that can never panic on odd names.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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
