//! The runtime of graphdoc-generated Graph clients: the client, typed requests, URL paths and the
//! wire types the generated models use. Generated code stays thin; the work is done here, once.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod auth;
mod collection;
mod content;
mod nullable;
pub mod object;
mod path;
mod primitives;
mod reference;
mod request;
mod retry;
pub mod testing;

pub use collection::Collection;
pub use content::{Content, NoContent, ResponseBody};
pub use http::Method;
pub use nullable::Nullable;
pub use path::{debug_builder, key_segments, SegmentPart, UrlPath};
pub use primitives::{
    is_base64, is_date, is_duration, is_guid, is_rfc3339, is_time, Base64, Date, DateTimeOffset, Duration, Guid,
    TimeOfDay, WireError,
};
pub use auth::{BoxFuture, Secret, StaticToken, TokenFn, TokenProvider};
pub use reference::Reference;
pub use request::{Client, ClientBuilder, Error, GraphError, GraphErrorDetail, InnerError, Request, Response};
pub use retry::{is_idempotent, is_retryable, retry_after, RetryPolicy};
pub use futures_util;

/// Re-exported for generated code, so a generated crate needs no direct serde dependency version match.
pub use serde;
pub use serde_json;

/// The `@odata.type` of a JSON object, without `#` and `microsoft.graph.` prefix, lower-cased.
pub fn odata_type_key(value: &serde_json::Value) -> Option<String> {
    let raw = value.get("@odata.type")?.as_str()?;
    let s = raw.trim_start_matches('#');
    let s = if s.len() >= 16 && s.get(..16).is_some_and(|p| p.eq_ignore_ascii_case("microsoft.graph.")) {
        s.get(16..).unwrap_or_default()
    } else {
        s
    };
    Some(s.to_ascii_lowercase())
}
