//! The runtime against loopback servers: retries, paging, errors, encoding, secrets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use graphdoc_runtime::{Client, Collection, Content, Error, Method, Request, RetryPolicy, TokenFn, UrlPath};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "super-secret-token-value";

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(5),
        max_total: Duration::from_secs(10),
    }
}

async fn client(server: &MockServer, attempts: u32) -> Client {
    Client::builder(&format!("{}/beta", server.uri()))
        .bearer_token(TOKEN)
        .retry(fast_retries(attempts))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn get<'c>(client: &'c Client, p: &str) -> Request<'c, Value> {
    Request::new(client, Method::GET, UrlPath::root().literal(p))
}

#[tokio::test]
async fn retries_429_honouring_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/me"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, 3).await;
    let started = Instant::now();
    let r = get(&c, "me").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.value, json!({"id": "1"}));
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After: 1 was not honoured");
}

#[tokio::test]
async fn gives_up_at_the_bound_with_the_last_graph_error() {
    let server = MockServer::start().await;
    let body = json!({"error": {"code": "serviceNotAvailable", "message": "try later", "innerError": {"request-id": "r-1", "date": "2021-07-16T00:00:00"}}});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_json(body))
        .expect(3)
        .mount(&server)
        .await;
    let c = client(&server, 3).await;
    match get(&c, "me").await {
        Err(Error::Exhausted { attempts: 3, last }) => match *last {
            Error::Graph { status, error, .. } => {
                assert_eq!(status.as_u16(), 503);
                assert_eq!(error.error.code, "serviceNotAvailable");
                assert_eq!(error.error.inner_error.and_then(|i| i.request_id).as_deref(), Some("r-1"));
            }
            other => panic!("expected a Graph error, got {other:?}"),
        },
        other => panic!("expected Exhausted, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_after_beyond_the_total_budget_gives_up_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, 5).await;
    let started = Instant::now();
    assert!(matches!(get(&c, "me").await, Err(Error::Graph { .. } | Error::Status { .. })));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn non_idempotent_requests_retry_only_when_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let c = client(&server, 3).await;
    let post = || Request::<Value>::new(&c, Method::POST, UrlPath::root().literal("me")).json(&json!({}));
    assert!(matches!(post().await, Err(Error::Status { .. })));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
    assert!(matches!(post().retry_non_idempotent().await, Err(Error::Exhausted { attempts: 3, .. })));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(4));
}

#[tokio::test]
async fn pages_over_three_pages() {
    let server = MockServer::start().await;
    let base = format!("{}/beta", server.uri());
    Mock::given(method("GET"))
        .and(path("/beta/users"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [3, 4], "@odata.nextLink": format!("{base}/users?$skiptoken=3")})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/users"))
        .and(query_param("$skiptoken", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [5]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [1, 2], "@odata.nextLink": format!("{base}/users?$skiptoken=2")})))
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let items: Vec<i32> = Request::<Collection<i32>>::new(&c, Method::GET, UrlPath::root().literal("users"))
        .items()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
        .await;
    assert_eq!(items, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_repeated_next_link_stops_with_an_error() {
    let server = MockServer::start().await;
    let base = format!("{}/beta", server.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [1], "@odata.nextLink": format!("{base}/users?$skiptoken=x")})))
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let results: Vec<Result<i32, Error>> = Request::<Collection<i32>>::new(&c, Method::GET, UrlPath::root().literal("users"))
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(matches!(results.last(), Some(Err(Error::RepeatedNextLink(_)))));
}

#[tokio::test]
async fn a_foreign_next_link_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [1], "@odata.nextLink": "https://evil.example/steal"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let results: Vec<Result<i32, Error>> = Request::<Collection<i32>>::new(&c, Method::GET, UrlPath::root().literal("users"))
        .items()
        .collect()
        .await;
    assert!(matches!(results.last(), Some(Err(Error::ForeignNextLink(_)))));
}

#[tokio::test]
async fn undecodable_bodies_keep_their_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>not json</html>"))
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    match Request::<Collection<i32>>::new(&c, Method::GET, UrlPath::root().literal("users")).await {
        Err(Error::Decode { body, .. }) => assert_eq!(body, b"<html>not json</html>"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn path_values_stay_one_segment_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let p = UrlPath::root().literal("users").param("../../users?x=1").literal("events");
    Request::<Value>::new(&c, Method::GET, p).await.unwrap_or_else(|e| panic!("{e}"));
    let received = server.received_requests().await.unwrap_or_default();
    let url = received.first().map(|r| r.url.clone()).unwrap_or_else(|| panic!("no request"));
    assert_eq!(url.path(), "/beta/users/..%2F..%2Fusers%3Fx%3D1/events");
    assert_eq!(url.query(), None);
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server, 1).await;
    for value in ["..", ".", ""] {
        let p = UrlPath::root().literal("users").param(value).literal("events");
        match Request::<Value>::new(&c, Method::GET, p).await {
            Err(Error::InvalidPathValue(v)) => assert_eq!(v, value),
            other => panic!("expected a refusal for {value:?}, got {other:?}"),
        }
    }
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

#[tokio::test]
async fn the_token_never_shows_in_debug_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}})))
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let request = get(&c, "me");
    let debug = format!("{c:?} {request:?} {:?}", request.to_http());
    assert!(!debug.contains(TOKEN), "{debug}");
    let err = request.await.err().unwrap_or_else(|| panic!("expected an error"));
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    // The token went on the wire, in the Authorization header only.
    let received = server.received_requests().await.unwrap_or_default();
    let auth = received.first().and_then(|r| r.headers.get("authorization")).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(auth, Some(format!("Bearer {TOKEN}")));
}

#[tokio::test]
async fn an_async_token_provider_is_asked_per_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(null)))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let c = Client::builder(&format!("{}/beta", server.uri()))
        .token_provider(TokenFn::new(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok(format!("token-{n}")) }
        }))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2 {
        Request::<Value>::new(&c, Method::GET, UrlPath::root().literal("me")).await.unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let received = server.received_requests().await.unwrap_or_default();
    let last = received.last().and_then(|r| r.headers.get("authorization")).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(last.as_deref(), Some("Bearer token-1"));
}

#[tokio::test]
async fn a_download_redirect_is_a_result_and_is_fetched_without_the_token() {
    let server = MockServer::start().await;
    let file = format!("{}/files/report.csv", server.uri());
    Mock::given(method("GET"))
        .and(path("/beta/reports/usage/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", file.as_str()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/report.csv"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"a,b\n1,2\n".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, 1).await;
    let request: Request<'_, Content> = Request::new(&c, Method::GET, UrlPath::root().literal("reports").literal("usage").literal("content"));
    let r = request.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status.as_u16(), 302);
    assert_eq!(r.value, Content::Redirect { location: file.clone() });
    let bytes = c.download(r.value).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bytes, b"a,b\n1,2\n");
    let seen = server.received_requests().await.unwrap_or_default();
    let fetch = seen.iter().find(|r| r.url.path() == "/files/report.csv").unwrap_or_else(|| panic!("not fetched"));
    assert!(fetch.headers.get("authorization").is_none(), "the token left Graph");
    // A JSON result type still treats a redirect as an error.
    let json: Request<'_, Value> = Request::new(&c, Method::GET, UrlPath::root().literal("reports").literal("usage").literal("content"));
    assert!(matches!(json.await, Err(Error::Status { .. })));
    // Bytes sent directly come back as they are; a plain-http foreign location is refused.
    assert_eq!(c.download(Content::Bytes { content_type: None, bytes: vec![1] }).await.ok(), Some(vec![1]));
    let foreign = Content::Redirect { location: "http://files.example/x".into() };
    assert!(matches!(c.download(foreign).await, Err(Error::InsecureBaseUrl(_))));
}
