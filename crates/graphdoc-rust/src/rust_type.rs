//! `RustType`: a type the generated code names. `TypeMap` decides it once; the text writers write
//! it as text, and `layout`'s fallbacks take it as tokens. (Building tokens for every field's type
//! and flattening them back to text was 3% of the pipeline.)

use std::borrow::Cow;

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};

use crate::tokens::ident;

/// A path, a path with one generic argument, or a slice.
#[derive(Clone, Debug, PartialEq)]
pub enum RustType {
    /// `::std::string::String`, `bool`, `crate::models::User`.
    Path(Cow<'static, str>),
    /// `::std::vec::Vec<T>`, `::std::boxed::Box<T>`, ...: the generic's path and `T`.
    Generic(&'static str, Box<RustType>),
    /// `[T]`.
    Slice(Box<RustType>),
}

impl RustType {
    /// A path known when graphdoc is built.
    pub const fn path(path: &'static str) -> RustType {
        RustType::Path(Cow::Borrowed(path))
    }

    /// `crate::models::<name>`; `name` as `tokens::ident` makes it (raw where needed).
    pub fn model(name: &str) -> RustType {
        RustType::Path(Cow::Owned(format!("crate::models::{}", ident(name))))
    }

    /// `generic<self>`.
    pub fn within(self, generic: &'static str) -> RustType {
        RustType::Generic(generic, Box::new(self))
    }

    /// `[self]`.
    pub fn slice(self) -> RustType {
        RustType::Slice(Box::new(self))
    }

    /// The type on one line as `layout` prints its tokens, or `None` where it is not paths and
    /// generic arguments only (a slice: `layout`'s own rules print it).
    pub fn flat(&self) -> Option<String> {
        let mut out = String::new();
        self.push_flat(&mut out).then_some(out)
    }

    fn push_flat(&self, out: &mut String) -> bool {
        match self {
            RustType::Path(path) => {
                out.push_str(path);
                true
            }
            RustType::Generic(generic, inner) => {
                out.push_str(generic);
                out.push('<');
                let flat = inner.push_flat(out);
                out.push('>');
                flat
            }
            RustType::Slice(_) => false,
        }
    }

    /// The type's tokens, as `quote!` writes the same type.
    pub fn tokens(&self) -> TokenStream {
        let mut out = TokenStream::new();
        self.push_tokens(&mut out);
        out
    }

    fn push_tokens(&self, out: &mut TokenStream) {
        match self {
            RustType::Path(path) => push_path(out, path),
            RustType::Generic(generic, inner) => {
                push_path(out, generic);
                out.extend([TokenTree::Punct(Punct::new('<', Spacing::Alone))]);
                inner.push_tokens(out);
                out.extend([TokenTree::Punct(Punct::new('>', Spacing::Alone))]);
            }
            RustType::Slice(inner) => {
                out.extend([TokenTree::Group(Group::new(Delimiter::Bracket, inner.tokens()))]);
            }
        }
    }
}

/// `a::b` or `::a::b` as tokens: `::` a joint and an alone colon, as `quote!` writes it.
fn push_path(out: &mut TokenStream, path: &str) {
    for (i, segment) in path.split("::").enumerate() {
        if i > 0 {
            out.extend([
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
            ]);
        }
        if !segment.is_empty() {
            out.extend([TokenTree::Ident(ident(segment))]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Tokens as a list of (kind, text, spacing), which `TokenStream`'s `PartialEq`-less API hides.
    fn parts(tokens: TokenStream) -> Vec<String> {
        tokens
            .into_iter()
            .map(|t| match t {
                TokenTree::Punct(p) => format!("punct {} {:?}", p.as_char(), p.spacing()),
                TokenTree::Group(g) => format!("group {:?} [{}]", g.delimiter(), parts(g.stream()).join(", ")),
                other => format!("{other}"),
            })
            .collect()
    }

    #[test]
    fn types_are_the_tokens_quote_writes_and_their_flat_text() {
        // Each wrapper interpolates what it wraps, as `TypeMap` did with `quote!` (a `>>` written
        // in one `quote!` would join its first `>` to the second).
        let user = quote! { crate::models::User };
        let boxed = quote! { ::std::boxed::Box<#user> };
        let cases = [
            (RustType::path("::std::string::String"), quote! { ::std::string::String }, Some("::std::string::String")),
            (RustType::path("bool"), quote! { bool }, Some("bool")),
            (RustType::model("User"), user.clone(), Some("crate::models::User")),
            (RustType::model("r#type"), quote! { crate::models::r#type }, Some("crate::models::r#type")),
            (RustType::model("User").within("::std::boxed::Box"), boxed.clone(), Some("::std::boxed::Box<crate::models::User>")),
            (
                RustType::model("User").within("::std::boxed::Box").within("::std::vec::Vec"),
                quote! { ::std::vec::Vec<#boxed> },
                Some("::std::vec::Vec<::std::boxed::Box<crate::models::User>>"),
            ),
            (RustType::model("User").slice(), quote! { [#user] }, None),
        ];
        for (ty, reference, flat) in cases {
            assert_eq!(parts(ty.tokens()), parts(reference.clone()), "{ty:?}");
            assert_eq!(ty.flat().as_deref(), flat, "{ty:?}");
            assert_eq!(ty.flat(), crate::tokens::flat_type(&reference), "{ty:?}");
        }
    }
}
