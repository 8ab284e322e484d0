//! URL paths built segment by segment: a parameter is always encoded as exactly one segment.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt;

/// What a literal segment must not hold as is (OData's `(`, `'`, `=`, `,`, `:`, `$` stay readable).
const LITERAL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A caller value also must not hold query syntax.
const SEGMENT: &AsciiSet = &LITERAL.add(b'&').add(b'+').add(b'=');

/// `Name { path: "/..." }`: what `Debug` shows for a generated request builder.
pub fn debug_builder(name: &str, path: &UrlPath, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_struct(name).field("path", &path.as_str()).finish()
}

/// Make a generated request builder (`client` and `path` fields) `Clone`, and `Debug` as
/// `Name { path: "/..." }`: what a derive gives, in two inlined one-line functions the client crate
/// does not compile to machine code unless they are used (derives are, for every builder).
#[macro_export]
macro_rules! request_builder {
    ($ty:ident) => {
        impl ::std::clone::Clone for $ty<'_> {
            #[inline]
            fn clone(&self) -> Self {
                $ty { client: self.client, path: ::std::clone::Clone::clone(&self.path) }
            }
        }
        impl ::std::fmt::Debug for $ty<'_> {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::debug_builder(stringify!($ty), &self.path, f)
            }
        }
    };
}

/// A path below the service root, kept encoded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct UrlPath {
    encoded: String,
    /// A caller value that cannot be one segment: empty, `.` or `..` (URL parsers treat even
    /// `%2E%2E` as "up one level"), refused when the request is built.
    refused: Option<String>,
}

impl UrlPath {
    /// The service root.
    pub fn root() -> Self {
        UrlPath::default()
    }

    /// Append a literal segment from the API description; characters that would end the segment,
    /// start a query or fragment, or are not allowed in a URL are encoded.
    pub fn literal(&self, segment: &str) -> Self {
        let mut p = self.clone();
        p.encoded.push('/');
        p.encoded.extend(utf8_percent_encode(segment, LITERAL));
        p
    }

    /// Append a segment built from literal parts and caller values, each value encoded so it can
    /// never leave its segment (`../../users?x=1` stays one segment).
    pub fn segment(&self, parts: &[SegmentPart<'_>]) -> Self {
        let mut p = self.clone();
        p.encoded.push('/');
        for part in parts {
            match part {
                // Literal text can hold what a URL cannot (`resizedRange(deltaRows={n}, deltaColumns={n})`).
                SegmentPart::Literal(l) => p.encoded.extend(utf8_percent_encode(l, LITERAL)),
                SegmentPart::Value(v) => {
                    if parts.len() == 1 && matches!(*v, "" | "." | "..") && p.refused.is_none() {
                        p.refused = Some((*v).to_owned());
                    }
                    p.encoded.extend(utf8_percent_encode(v, SEGMENT));
                }
            }
        }
        p
    }

    /// Append one caller value as a whole segment.
    pub fn param(&self, value: &str) -> Self {
        self.segment(&[SegmentPart::Value(value)])
    }

    /// The encoded path, starting with `/`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// The first caller value that cannot be a path segment (`""`, `.`, `..`), if any.
    pub fn refused_value(&self) -> Option<&str> {
        self.refused.as_deref()
    }
}

/// A piece of a path segment.
#[derive(Clone, Copy, Debug)]
pub enum SegmentPart<'a> {
    /// Text from the API description.
    Literal(&'a str),
    /// A value from the caller, to be encoded.
    Value(&'a str),
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

/// `path` with every OData key in parentheses written as its own segment: `/messages('AAMk=')`
/// → `/messages/AAMk=`. Both address one entity; documented examples use either.
pub fn key_segments(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let key = segment
                .strip_suffix("')")
                .and_then(|s| s.split_once("('"))
                .filter(|(name, key)| !name.is_empty() && !name.contains(['(', ')']) && !key.is_empty() && !key.contains(['\'', '/']));
            match key {
                Some((name, key)) => format!("{name}/{key}"),
                None => segment.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}


#[cfg(test)]
mod tests {
    use super::*;

    struct SampleRequest<'c> {
        client: &'c crate::Client,
        path: UrlPath,
    }
    crate::request_builder!(SampleRequest);

    #[test]
    fn a_request_builder_clones_and_shows_its_path() {
        let client = crate::Client::new("https://graph.microsoft.com/beta").unwrap();
        let builder = SampleRequest { client: &client, path: UrlPath::root().literal("users").param("a b") };
        let copy = builder.clone();
        assert!(std::ptr::eq(copy.client, builder.client));
        assert_eq!(format!("{copy:?}"), r#"SampleRequest { path: "/users/a%20b" }"#);
    }

    #[test]
    fn values_stay_one_segment() {
        let p = UrlPath::root().literal("users").param("../../users?x=1").literal("events");
        assert_eq!(p.as_str(), "/users/..%2F..%2Fusers%3Fx%3D1/events");
        assert_eq!(UrlPath::root().param("..").refused_value(), Some(".."));
        assert_eq!(UrlPath::root().param("").refused_value(), Some(""));
        assert_eq!(UrlPath::root().param("a..b").refused_value(), None);
    }

    #[test]
    fn mixed_segments() {
        let p = UrlPath::root().segment(&[SegmentPart::Literal("items('"), SegmentPart::Value("a b"), SegmentPart::Literal("')")]);
        assert_eq!(p.as_str(), "/items('a%20b')");
        // Literal text is encoded too: a space in a function's argument list is not a URL character.
        let p = UrlPath::root().segment(&[
            SegmentPart::Literal("resizedRange(deltaRows="),
            SegmentPart::Value("1"),
            SegmentPart::Literal(", deltaColumns="),
            SegmentPart::Value("2"),
            SegmentPart::Literal(")"),
        ]);
        assert_eq!(p.as_str(), "/resizedRange(deltaRows=1,%20deltaColumns=2)");
    }

    #[test]
    fn keys_in_parentheses_become_segments() {
        assert_eq!(key_segments("/me/messages('AAMk=')/attachments('B1')"), "/me/messages/AAMk=/attachments/B1");
        assert_eq!(key_segments("/w/range(address='A1')/f()"), "/w/range(address='A1')/f()");
        assert_eq!(key_segments("/users/x"), "/users/x");
    }
}
