//! The client and its typed requests. A request is built into an `http::Request` and its
//! `http::Response` decoded without any network (bring your own transport), or sent with the
//! built-in reqwest/rustls transport, with authentication, retries and paging.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::auth::{BoxFuture, StaticToken, TokenProvider};
use crate::collection::Collection;
use crate::content::{Content, ResponseBody};
use crate::path::UrlPath;
use crate::retry::{is_idempotent, is_retryable, retry_after, RetryPolicy};

/// What can go wrong building, sending or reading a request. No variant ever holds the token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The base URL is not https (or http on loopback).
    #[error("base URL `{0}` must be https, or http on a loopback address")]
    InsecureBaseUrl(String),
    /// A path value that cannot be a segment: empty, `.` or `..` would change which resource is meant.
    #[error("path value `{0}` cannot be a URL segment")]
    InvalidPathValue(String),
    /// The request body could not be serialized.
    #[error("serializing the request body: {0}")]
    Serialize(String),
    /// The request could not be assembled.
    #[error("building the request: {0}")]
    Build(#[from] http::Error),
    /// The token provider failed.
    #[error("getting a token: {0}")]
    Auth(String),
    /// The request could not be sent, or no answer came in time.
    #[error("sending the request: {0}")]
    Transport(String),
    /// The service answered with a Graph error body.
    #[error("the service answered {status}: {} ({})", error.error.code, error.error.message)]
    Graph {
        /// The status.
        status: http::StatusCode,
        /// The decoded error.
        error: Box<GraphError>,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The service answered with an error status and no Graph error body.
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
    /// Retries were used up; the last failure is kept.
    #[error("gave up after {attempts} attempts: {last}")]
    Exhausted {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: Box<Error>,
    },
    /// A page's `@odata.nextLink` repeats an earlier one: following it would never end.
    #[error("paging: `@odata.nextLink` repeats ({0})")]
    RepeatedNextLink(String),
    /// A `@odata.nextLink` leaves the base URL: the token is not sent elsewhere.
    #[error("paging: `@odata.nextLink` leaves the base URL ({0})")]
    ForeignNextLink(String),
    /// More pages than the client allows.
    #[error("paging: more than {0} pages")]
    TooManyPages(usize),
}

/// A Graph error body: `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphError {
    /// The error.
    pub error: GraphErrorDetail,
}

/// The `error` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphErrorDetail {
    /// Machine-readable code (`Request_ResourceNotFound`).
    pub code: String,
    /// Message for people.
    #[serde(default)]
    pub message: String,
    /// Request id and date, for support.
    #[serde(rename = "innerError", default, skip_serializing_if = "Option::is_none")]
    pub inner_error: Option<InnerError>,
}

/// The `innerError` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerError {
    /// `request-id`.
    #[serde(rename = "request-id", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A Graph client: where requests go and what every request carries.
#[derive(Clone)]
pub struct Client {
    base_url: String,
    user_agent: String,
    token: Option<Arc<dyn TokenProvider>>,
    http: reqwest::Client,
    default_headers: http::HeaderMap,
    retry: RetryPolicy,
    max_pages: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.retry)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    user_agent: String,
    token: Option<Arc<dyn TokenProvider>>,
    timeout: Duration,
    default_headers: http::HeaderMap,
    retry: RetryPolicy,
    max_pages: usize,
}

impl ClientBuilder {
    /// Authenticate with one bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Authenticate with a token provider.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// Send this header with every request.
    pub fn default_header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.default_headers.append(name, value);
        self
    }

    /// The `User-Agent`.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// The time one attempt may take, connection included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most pages a paging stream follows.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// The client; fails on a base URL that is not https (or http on loopback).
    pub fn build(self) -> Result<Client, Error> {
        if !is_allowed_base(&self.base_url) {
            return Err(Error::InsecureBaseUrl(self.base_url));
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Transport(e.to_string()))?;
        Ok(Client {
            base_url: self.base_url,
            user_agent: self.user_agent,
            token: self.token,
            http,
            default_headers: self.default_headers,
            retry: self.retry,
            max_pages: self.max_pages,
        })
    }
}

impl Client {
    /// A client for `base_url` without authentication (e.g. `https://graph.microsoft.com/beta`).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Client::builder(base_url).build()
    }

    /// A builder for `base_url`.
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.trim_end_matches('/').to_owned(),
            user_agent: concat!("graphdoc-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            token: None,
            timeout: Duration::from_secs(100),
            default_headers: http::HeaderMap::new(),
            retry: RetryPolicy::default(),
            max_pages: 1000,
        }
    }

    /// The bytes of a [`Content`]: as they are, or fetched from a redirect's pre-authenticated URL
    /// (https, or http on loopback) without the bearer token, which must not leave Graph.
    pub async fn download(&self, content: Content) -> Result<Vec<u8>, Error> {
        let location = match content {
            Content::Bytes { bytes, .. } => return Ok(bytes),
            Content::Redirect { location } => location,
        };
        if !is_allowed_base(&location) {
            return Err(Error::InsecureBaseUrl(location));
        }
        let request = http::Request::builder()
            .method(http::Method::GET)
            .uri(location.as_str())
            .header(http::header::USER_AGENT, &self.user_agent)
            .body(Vec::new())?;
        let (parts, body) = self.transport(request).await?.into_parts();
        if parts.status.is_success() {
            Ok(body)
        } else {
            Err(Error::Status { status: parts.status, body })
        }
    }

    /// The base URL requests are sent under.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Send a built request once: authentication added here, so `to_http` never holds the token.
    async fn execute(&self, mut request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        if let Some(provider) = &self.token {
            let token = provider.token().await?;
            let mut value = http::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .map_err(|_| Error::Auth("the token holds characters a header cannot".to_owned()))?;
            value.set_sensitive(true);
            request.headers_mut().insert(http::header::AUTHORIZATION, value);
        }
        self.transport(request).await
    }

    /// Send `request` as it is (no token added) and read the whole answer.
    async fn transport(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let request = reqwest::Request::try_from(request).map_err(|e| Error::Transport(without_url(e)))?;
        let response = self.http.execute(request).await.map_err(|e| Error::Transport(without_url(e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| Error::Transport(without_url(e)))?;
        let mut out = http::Response::new(body.to_vec());
        *out.status_mut() = status;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// reqwest's message without the URL, which may carry ids the caller passed.
fn without_url(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body was cut off"
    } else {
        "transport error"
    };
    format!("{kind}: {}", e.without_url())
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
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A typed request: sending it yields an `R`.
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'c, R> {
    client: &'c Client,
    method: http::Method,
    path: UrlPath,
    url: Option<String>,
    query: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    retry_anyway: bool,
    value_envelope: bool,
    _response: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for Request<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url())
            .field("body_bytes", &self.body.as_ref().map(|b| b.as_ref().map_or(0, Vec::len)))
            .finish()
    }
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
            url: None,
            query: Vec::new(),
            body: None,
            retry_anyway: false,
            value_envelope: false,
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

    /// Retry this request on throttling even though its method is not idempotent (POST, PATCH):
    /// only when repeating it is harmless.
    pub fn retry_non_idempotent(mut self) -> Self {
        self.retry_anyway = true;
        self
    }

    /// Also accept the single result wrapped as `{"value": ...}`: the OData form of a function's
    /// primitive or complex result, and what many Intune pages document for an entity. Generated code
    /// sets it for a single primitive, and for a single model type that has no `value` property.
    pub fn accept_value_envelope(mut self) -> Self {
        self.value_envelope = true;
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
        if let Some(url) = &self.url {
            return url.clone();
        }
        let mut url = format!("{}{}", self.client.base_url, self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(percent_encoding::utf8_percent_encode(k, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(v, QUERY));
        }
        url
    }

    /// The `http::Request` to send (without the `Authorization` header, which sending adds).
    pub fn to_http(&self) -> Result<http::Request<Vec<u8>>, Error> {
        if let Some(v) = self.path.refused_value() {
            return Err(Error::InvalidPathValue(v.to_owned()));
        }
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(self.url())
            .header(http::header::USER_AGENT, &self.client.user_agent)
            .header(http::header::ACCEPT, "application/json");
        for (name, value) in &self.client.default_headers {
            builder = builder.header(name, value);
        }
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

    fn same_request<T>(&self, url: String) -> Request<'c, T> {
        Request {
            client: self.client,
            method: self.method.clone(),
            path: self.path.clone(),
            url: Some(url),
            query: Vec::new(),
            body: None,
            retry_anyway: self.retry_anyway,
            value_envelope: false,
            _response: PhantomData,
        }
    }
}

/// `{"value": x}` (nothing else but `@` annotations), `x` not an array → `x`; anything else as is.
pub fn unwrap_value_envelope(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(mut map)
            if map.get("value").is_some_and(|v| !v.is_array())
                && map.keys().all(|k| k == "value" || k.starts_with('@')) =>
        {
            map.remove("value").unwrap_or_default()
        }
        other => other,
    }
}

impl<R: ResponseBody> Request<'_, R> {
    /// Decode the `http::Response` of this request.
    pub fn decode(&self, response: http::Response<Vec<u8>>) -> Result<Response<R>, Error> {
        let (parts, body) = response.into_parts();
        let redirect = R::ACCEPTS_REDIRECT && parts.status.is_redirection();
        if !parts.status.is_success() && !redirect {
            return Err(match serde_json::from_slice::<GraphError>(&body) {
                Ok(error) => Error::Graph {
                    status: parts.status,
                    error: Box::new(error),
                    body,
                },
                Err(_) => Error::Status {
                    status: parts.status,
                    body,
                },
            });
        }
        let value = R::from_response(&parts, body, self.value_envelope)?;
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            value,
        })
    }

    /// Send the request, retrying throttled and transient failures as the client's policy allows.
    pub async fn send(self) -> Result<Response<R>, Error> {
        let policy = &self.client.retry;
        let retry_allowed = is_idempotent(&self.method) || self.retry_anyway;
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let request = self.to_http()?;
            let (failure, wait) = match self.client.execute(request).await {
                Ok(response) if is_retryable(response.status()) => {
                    let wait = retry_after(response.headers(), SystemTime::now()).unwrap_or_else(|| policy.backoff(attempt));
                    (self.decode(response).err(), wait)
                }
                Ok(response) => return self.decode(response),
                Err(e @ Error::Transport(_)) => (Some(e), policy.backoff(attempt)),
                Err(e) => return Err(e),
            };
            let Some(failure) = failure else {
                return Err(Error::Transport("a retryable status decoded as success".to_owned()));
            };
            let within_budget = started.elapsed() + wait <= policy.max_total && wait <= policy.max_delay;
            if !retry_allowed || attempt >= policy.max_attempts || !within_budget {
                return Err(if attempt > 1 {
                    Error::Exhausted {
                        attempts: attempt,
                        last: Box::new(failure),
                    }
                } else {
                    failure
                });
            }
            tokio::time::sleep(wait).await;
        }
    }
}

impl<'c, R: ResponseBody + Send + 'c> IntoFuture for Request<'c, R> {
    type Output = Result<Response<R>, Error>;
    type IntoFuture = BoxFuture<'c, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<'c, T: DeserializeOwned + Serialize + Send + 'c> Request<'c, Collection<T>> {
    /// Every item of every page, following `@odata.nextLink` (bounded by the client's page limit;
    /// a repeated or foreign link ends the stream with an error).
    pub fn items(self) -> impl futures_util::Stream<Item = Result<T, Error>> + 'c {
        struct State<'c, T> {
            next: Option<Request<'c, Collection<T>>>,
            seen: BTreeSet<String>,
            pages: usize,
            buffer: std::vec::IntoIter<T>,
            /// Reported once the items of the page that caused it are out.
            error: Option<Error>,
        }
        let state = State {
            next: Some(self),
            seen: BTreeSet::new(),
            pages: 0,
            buffer: Vec::new().into_iter(),
            error: None,
        };
        futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.buffer.next() {
                    return Some((Ok(item), state));
                }
                if let Some(e) = state.error.take() {
                    return Some((Err(e), state));
                }
                let request = state.next.take()?;
                state.pages += 1;
                if state.pages > request.client.max_pages {
                    return Some((Err(Error::TooManyPages(request.client.max_pages)), state));
                }
                state.seen.insert(request.url());
                let page = match request.send_page().await {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), state)),
                };
                if let Some(link) = page.1 {
                    if !link.starts_with(&format!("{}/", page.0.client.base_url)) {
                        state.error = Some(Error::ForeignNextLink(link));
                    } else if state.seen.contains(&link) {
                        state.error = Some(Error::RepeatedNextLink(link));
                    } else {
                        state.next = Some(page.0.same_request(link));
                    }
                }
                state.buffer = page.2.into_iter();
            }
        })
    }

    async fn send_page(self) -> Result<(Self, Option<String>, Vec<T>), Error> {
        let shell: Request<'c, Collection<T>> = self.same_request(self.url());
        let response = self.send().await?;
        let Collection { value, next_link, .. } = response.value;
        Ok((shell, next_link, value))
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

    #[test]
    fn a_value_envelope_is_unwrapped_only_when_asked_and_only_when_it_is_one() {
        let client = Client::new("https://graph.microsoft.com/beta").unwrap();
        let ok = |body: &str| http::Response::builder().status(200).body(body.as_bytes().to_vec()).unwrap();
        let plain = Request::<serde_json::Value>::new(&client, http::Method::GET, UrlPath::root());
        let wrapped = r#"{"@odata.context":"x","value":{"id":"1"}}"#;
        assert_eq!(plain.decode(ok(wrapped)).unwrap().value["value"]["id"], "1");
        let tolerant = Request::<serde_json::Value>::new(&client, http::Method::GET, UrlPath::root()).accept_value_envelope();
        assert_eq!(tolerant.decode(ok(wrapped)).unwrap().value, serde_json::json!({"id": "1"}));
        // Another key beside `value`, or a `value` that is not an object: not an envelope.
        let other = r#"{"value":{"id":"1"},"name":"n"}"#;
        assert_eq!(tolerant.decode(ok(other)).unwrap().value["name"], "n");
        assert_eq!(tolerant.decode(ok(r#"{"value":[1]}"#)).unwrap().value["value"][0], 1);
    }
}
