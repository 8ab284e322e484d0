//! The client and its typed requests. A request is built into an `http::Request` and its
//! `http::Response` decoded without any network, so callers can bring their own transport.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;

use crate::path::UrlPath;

/// What can go wrong building a request or reading its response.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The base URL is not https (or http on loopback).
    #[error("base URL `{0}` must be https, or http on a loopback address")]
    InsecureBaseUrl(String),
    /// The request body could not be serialized.
    #[error("serializing the request body: {0}")]
    Serialize(String),
    /// The request could not be assembled.
    #[error("building the request: {0}")]
    Build(#[from] http::Error),
    /// The service answered with an error status.
    #[error("the service answered {status}")]
    Status {
        /// The status.
        status: http::StatusCode,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The body did not decode into the documented type; the raw bytes are kept.
    #[error("decoding the response body: {source}")]
    Decode {
        /// Why.
        source: serde_json::Error,
        /// The raw body.
        body: Vec<u8>,
    },
}

/// A Graph client: where requests go and what every request carries.
#[derive(Clone, Debug)]
pub struct Client {
    base_url: String,
    user_agent: String,
}

impl Client {
    /// A client for `base_url` (e.g. `https://graph.microsoft.com/beta`).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !is_allowed_base(&base_url) {
            return Err(Error::InsecureBaseUrl(base_url));
        }
        Ok(Client {
            base_url,
            user_agent: concat!("graphdoc-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
        })
    }

    /// The base URL requests are sent under.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

fn is_allowed_base(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let Some(rest) = lower.strip_prefix("http://") else { return false };
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A typed request: sending it yields an `R`.
#[must_use = "a request does nothing until it is sent"]
#[derive(Debug)]
pub struct Request<'c, R> {
    client: &'c Client,
    method: http::Method,
    path: UrlPath,
    query: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    _response: PhantomData<fn() -> R>,
}

/// A decoded response: the typed value with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<R> {
    /// Status.
    pub status: http::StatusCode,
    /// Headers.
    pub headers: http::HeaderMap,
    /// The decoded body.
    pub value: R,
}

impl<'c, R> Request<'c, R> {
    /// A request without body.
    pub fn new(client: &'c Client, method: http::Method, path: UrlPath) -> Self {
        Request {
            client,
            method,
            path,
            query: Vec::new(),
            body: None,
            _response: PhantomData,
        }
    }

    /// Attach a JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
        self
    }

    /// Add a query option (`$select`, `$filter`, ...).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The encoded path below the base URL.
    pub fn path(&self) -> &UrlPath {
        &self.path
    }

    /// The full URL.
    pub fn url(&self) -> String {
        let mut url = format!("{}{}", self.client.base_url, self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(percent_encoding::utf8_percent_encode(k, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(v, QUERY));
        }
        url
    }

    /// The `http::Request` to send.
    pub fn to_http(&self) -> Result<http::Request<Vec<u8>>, Error> {
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(self.url())
            .header(http::header::USER_AGENT, &self.client.user_agent)
            .header(http::header::ACCEPT, "application/json");
        let body = match &self.body {
            Some(Ok(bytes)) => {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
                bytes.clone()
            }
            Some(Err(e)) => return Err(Error::Serialize(e.clone())),
            None => Vec::new(),
        };
        Ok(builder.body(body)?)
    }
}

impl<R: DeserializeOwned> Request<'_, R> {
    /// Decode the `http::Response` of this request.
    pub fn decode(&self, response: http::Response<Vec<u8>>) -> Result<Response<R>, Error> {
        let (parts, body) = response.into_parts();
        if !parts.status.is_success() {
            return Err(Error::Status {
                status: parts.status,
                body,
            });
        }
        let bytes: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &body };
        match serde_json::from_slice(bytes) {
            Ok(value) => Ok(Response {
                status: parts.status,
                headers: parts.headers,
                value,
            }),
            Err(source) => Err(Error::Decode { source, body }),
        }
    }
}

const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'$');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_https_or_loopback_http() {
        assert!(Client::new("https://graph.microsoft.com/beta").is_ok());
        assert!(Client::new("http://127.0.0.1:8080").is_ok());
        assert!(Client::new("http://[::1]:8080/beta").is_ok());
        assert!(Client::new("http://localhost").is_ok());
        assert!(Client::new("http://graph.microsoft.com/beta").is_err());
        assert!(Client::new("http://127.0.0.1.evil.com").is_err());
        assert!(Client::new("http://127.0.0.1@evil.com").is_err());
        assert!(Client::new("ftp://x").is_err());
    }

    #[test]
    fn builds_and_decodes_without_network() {
        let client = Client::new("https://graph.microsoft.com/beta").unwrap_or_else(|e| panic!("{e}"));
        let req: Request<'_, serde_json::Value> = Request::new(&client, http::Method::PATCH, UrlPath::root().literal("me"))
            .json(&serde_json::json!({"a": 1}))
            .query("$select", "id,displayName");
        let http = req.to_http().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(http.uri(), "https://graph.microsoft.com/beta/me?$select=id%2CdisplayName");
        assert_eq!(http.body(), br#"{"a":1}"#);
        let resp = http::Response::builder().status(200).body(br#"{"id":"1"}"#.to_vec()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(req.decode(resp).map(|r| r.value).ok(), Some(serde_json::json!({"id": "1"})));
        let bad = http::Response::builder().status(200).body(b"not json".to_vec()).unwrap_or_else(|e| panic!("{e}"));
        match req.decode(bad) {
            Err(Error::Decode { body, .. }) => assert_eq!(body, b"not json"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
