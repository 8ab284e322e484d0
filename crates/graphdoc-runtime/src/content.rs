//! Response bodies: JSON for models, raw bytes (or where to fetch them) for files and reports.
//!
//! Graph answers a download (`/content`, `/$value`, the usage reports) with the bytes themselves or
//! with `302 Found` and a pre-authenticated `Location`; neither is JSON, so the request's result type
//! says how its body is read.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::request::{unwrap_value_envelope, Error};

/// How a response body becomes a request's result: JSON for every model type, raw for [`Content`].
pub trait ResponseBody: Sized {
    /// Whether a `3xx` answer is a result (a download's redirect) rather than an error.
    const ACCEPTS_REDIRECT: bool = false;

    /// Read the body of an answer that is a result. `value_envelope`: also accept `{"value": {...}}`.
    fn from_response(parts: &http::response::Parts, body: Vec<u8>, value_envelope: bool) -> Result<Self, Error>;

    /// The value as JSON, to compare with a documented body; `None` where the body is not JSON.
    #[doc(hidden)]
    fn to_json(&self) -> Option<serde_json::Value>;
}

impl<T: DeserializeOwned + Serialize> ResponseBody for T {
    fn from_response(_: &http::response::Parts, body: Vec<u8>, value_envelope: bool) -> Result<Self, Error> {
        // An empty body (204, or 200 with nothing) reads as `null`, which `()` and `Option` accept.
        let bytes: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &body };
        let decoded = if value_envelope {
            // `{"value": x}` is `x` (a primitive, or an entity wrapped); an entity whose JSON only
            // looks like that (`{"value": "https://..."}` for a type that is open) is read whole.
            // The second read happens only when the first fails, so a success copies nothing.
            serde_json::from_slice::<serde_json::Value>(bytes)
                .and_then(|v| serde_json::from_value(unwrap_value_envelope(v)))
                .or_else(|e| serde_json::from_slice(bytes).map_err(|_| e))
        } else {
            serde_json::from_slice(bytes)
        };
        decoded.map_err(|source| Error::Decode { source, body })
    }

    fn to_json(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self).ok()
    }
}

/// A body that is not JSON: a file's or a report's bytes, or where Graph says to fetch them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// The bytes, with the media type the service gave.
    Bytes {
        /// `Content-Type`, when sent.
        content_type: Option<String>,
        /// The body.
        bytes: Vec<u8>,
    },
    /// A `3xx` answer: the bytes are at `location`, a short-lived pre-authenticated URL that must be
    /// fetched without the bearer token ([`Client::download`](crate::Client::download) does that).
    Redirect {
        /// The `Location` header.
        location: String,
    },
}

impl ResponseBody for Content {
    const ACCEPTS_REDIRECT: bool = true;

    fn from_response(parts: &http::response::Parts, body: Vec<u8>, _: bool) -> Result<Self, Error> {
        let header = |name: http::header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if parts.status.is_redirection() {
            return match header(http::header::LOCATION) {
                Some(location) => Ok(Content::Redirect { location }),
                None => Err(Error::Status { status: parts.status, body }),
            };
        }
        Ok(Content::Bytes {
            content_type: header(http::header::CONTENT_TYPE),
            bytes: body,
        })
    }

    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
}

/// The result of an operation documented without a response body. A body the service sends anyway
/// (Planner answers `Prefer: return=representation` with the entity) is not read; the raw
/// headers stay on the [`Response`](crate::Response).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoContent;

impl ResponseBody for NoContent {
    fn from_response(_: &http::response::Parts, _: Vec<u8>, _: bool) -> Result<Self, Error> {
        Ok(NoContent)
    }

    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(status: u16, headers: &[(&str, &str)]) -> http::response::Parts {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn content_reads_bytes_and_redirects() {
        let bytes = Content::from_response(&parts(200, &[("content-type", "text/csv")]), b"a,b\n".to_vec(), false).unwrap();
        assert_eq!(bytes, Content::Bytes { content_type: Some("text/csv".into()), bytes: b"a,b\n".to_vec() });
        let moved = Content::from_response(&parts(302, &[("location", "https://files.example/x")]), Vec::new(), false).unwrap();
        assert_eq!(moved, Content::Redirect { location: "https://files.example/x".into() });
        assert!(matches!(Content::from_response(&parts(302, &[]), Vec::new(), false), Err(Error::Status { .. })));
        const { assert!(<Content as ResponseBody>::ACCEPTS_REDIRECT && !<String as ResponseBody>::ACCEPTS_REDIRECT) };
        assert_eq!(NoContent::from_response(&parts(200, &[]), br#"{"id":"1"}"#.to_vec(), false).unwrap(), NoContent);
    }

    #[test]
    fn json_bodies_decode_and_empty_reads_as_null() {
        let p = parts(200, &[]);
        assert_eq!(<Option<i32>>::from_response(&p, b"  ".to_vec(), false).unwrap(), None);
        assert_eq!(<Option<i32>>::from_response(&p, b"7".to_vec(), false).unwrap(), Some(7));
        assert_eq!(<serde_json::Value>::from_response(&p, br#"{"value":{"a":1}}"#.to_vec(), true).unwrap(), serde_json::json!({"a": 1}));
        assert!(matches!(<i32>::from_response(&p, b"x".to_vec(), false), Err(Error::Decode { .. })));
    }

    #[test]
    fn a_value_envelope_holds_a_primitive_or_is_the_entity_itself() {
        let p = parts(200, &[]);
        let body = br#"{"@odata.context":"$metadata#Edm.Boolean","value":true}"#;
        assert!(<bool>::from_response(&p, body.to_vec(), true).unwrap());
        // An entity with a `value` property of its own is not unwrapped into a string.
        let entity = <std::collections::BTreeMap<String, String>>::from_response(&p, br#"{"value":"https://x"}"#.to_vec(), true).unwrap();
        assert_eq!(entity.get("value").map(String::as_str), Some("https://x"));
    }
}
