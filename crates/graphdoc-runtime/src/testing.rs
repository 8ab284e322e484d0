//! Helpers for the tests generated next to a client: typed round trips of documented JSON.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// JSON equality where numbers compare by value (`1` equals `1.0`, as JSON does not tell them apart).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => p == q || x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Deserialize `value` as `T` and serialize it back; `Err` says what did not survive.
pub fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<T, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    if json_equal(value, &back) {
        Ok(typed)
    } else {
        Err(format!("round trip changed the JSON:\n  documented: {value}\n  round trip: {back}"))
    }
}

/// A documented result body as its type reads it: a single primitive without OData's
/// `{"value": ...}` around it.
pub fn primitive_result(body: &Value) -> Value {
    crate::request::unwrap_value_envelope(body.clone())
}

/// Percent-decoded text (documented URLs are written encoded or not, as the author chose).
pub fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The path of a built request, percent-decoded, for comparison with a documented URL.
pub fn decoded_path<B>(request: &http::Request<B>) -> String {
    percent_encoding::percent_decode_str(request.uri().path())
        .decode_utf8_lossy()
        .into_owned()
}

/// Checking a documented example offline: the request the generated client builds for it, and
/// its bodies' round trips through their types.
///
/// Generated tests call these with function pointers, as they call [`replay::run`]: each is
/// compiled once per client and response type, not once per example (the test of every beta
/// example spelled its checks out inline, twenty lines each).
// Indexing a `serde_json::Value` yields `Null` for what is absent; it never panics.
#[allow(clippy::indexing_slicing)]
pub mod example {
    use super::{decoded, decoded_path, json_equal, primitive_result, round_trip};
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::Value;

    /// The base URL the documented examples are written against.
    const DOCUMENTED_BASE: &str = "https://graph.microsoft.com/beta";

    /// A check of one body of the example (see [`request_body`], [`response_body`]).
    pub type BodyCheck = fn(&Value) -> Result<(), String>;

    /// Build the example's request with `build` through a client `wrap` gives, and compare it with
    /// the documented one: method, path (decoded, case-insensitive, `x('key')` as `x/key`, as Graph
    /// and the replay server treat paths) and, when `typed_body`, the JSON of the body sent. Then
    /// run `bodies`.
    pub fn check<C, R>(
        fixture: &str,
        wrap: fn(crate::Client) -> C,
        build: for<'c> fn(&'c C, &Value) -> Result<crate::Request<'c, R>, String>,
        typed_body: bool,
        bodies: &[BodyCheck],
    ) -> Result<(), String> {
        let fixture: Value = serde_json::from_str(fixture).map_err(|e| format!("fixture: {e}"))?;
        let client = wrap(crate::Client::new(DOCUMENTED_BASE).map_err(|e| format!("client: {e}"))?);
        let http = build(&client, &fixture)?.to_http().map_err(|e| format!("request: {e}"))?;
        let documented_method = fixture["request"]["method"].as_str().unwrap_or_default();
        if http.method().as_str() != documented_method {
            return Err(format!("built a {} request, documented {documented_method}", http.method()));
        }
        let documented = format!("/beta{}", decoded(fixture["request"]["path"].as_str().unwrap_or_default()));
        let built = decoded_path(&http);
        if !crate::key_segments(&built).eq_ignore_ascii_case(&crate::key_segments(&documented)) {
            return Err(format!("built {built}, documented {documented}"));
        }
        if typed_body {
            let sent: Value = serde_json::from_slice(http.body()).map_err(|e| format!("sent body: {e}"))?;
            if !json_equal(&sent, &fixture["request"]["body"]) {
                return Err(format!("sent body differs: {sent}"));
            }
        }
        run_checks(&fixture, bodies)
    }

    /// Only the body checks, for an example whose request the client does not build as documented.
    pub fn bodies(fixture: &str, bodies: &[BodyCheck]) -> Result<(), String> {
        let fixture: Value = serde_json::from_str(fixture).map_err(|e| format!("fixture: {e}"))?;
        run_checks(&fixture, bodies)
    }

    fn run_checks(fixture: &Value, bodies: &[BodyCheck]) -> Result<(), String> {
        bodies.iter().try_for_each(|check| check(fixture))
    }

    /// The documented request body, typed (what a built request sends).
    pub fn body<T: DeserializeOwned>(fixture: &Value) -> Result<T, String> {
        serde_json::from_value(fixture["request"]["body"].clone()).map_err(|e| format!("request body: {e}"))
    }

    /// The documented request body round-trips through `T`.
    pub fn request_body<T: DeserializeOwned + Serialize>(fixture: &Value) -> Result<(), String> {
        round_trip::<T>(&fixture["request"]["body"]).map(drop).map_err(|e| format!("request body: {e}"))
    }

    /// The documented response body round-trips through `T`.
    pub fn response_body<T: DeserializeOwned + Serialize>(fixture: &Value) -> Result<(), String> {
        round_trip::<T>(&fixture["response"]["body"]).map(drop).map_err(|e| format!("response body: {e}"))
    }

    /// The documented response body, a single primitive in OData's `{"value": ...}` or not,
    /// round-trips through `T`.
    pub fn primitive_response_body<T: DeserializeOwned + Serialize>(fixture: &Value) -> Result<(), String> {
        round_trip::<T>(&primitive_result(&fixture["response"]["body"]))
            .map(drop)
            .map_err(|e| format!("response body: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_equal(&json!({"a": [1, 2.5]}), &json!({"a": [1.0, 2.5]})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": null})));
    }

    /// A fixture as `graphdoc` writes one, for a `POST /users('u1')/notes` with `body`.
    fn fixture(method: &str, body: serde_json::Value) -> String {
        json!({
            "request": {"method": method, "path": "/users('u1')/notes", "body": body},
            "response": {"status": 201, "body": {"value": 3}},
        })
        .to_string()
    }

    fn post_note<'c>(client: &'c crate::Client, fixture: &Value) -> Result<crate::Request<'c, ()>, String> {
        let body: Value = example::body(fixture)?;
        let path = crate::UrlPath::root().literal("users").literal("U1").literal("notes");
        Ok(crate::Request::new(client, http::Method::POST, path).json(&body))
    }

    #[test]
    fn an_example_checks_the_built_request_then_each_body() {
        let same = |c: crate::Client| c;
        let note = json!({"text": "hi", "n": 1.0});
        assert_eq!(example::check(&fixture("POST", note.clone()), same, post_note, true, &[]), Ok(()));
        let err = example::check(&fixture("PATCH", note.clone()), same, post_note, true, &[]).unwrap_err();
        assert!(err.contains("built a POST request, documented PATCH"), "{err}");
        // The sent body is the documented one typed: a `Value` sends it back unchanged.
        fn other_note<'c>(client: &'c crate::Client, _: &Value) -> Result<crate::Request<'c, ()>, String> {
            let path = crate::UrlPath::root().literal("users").literal("u1").literal("notes");
            Ok(crate::Request::new(client, http::Method::POST, path).json(&json!({"text": "bye"})))
        }
        let err = example::check(&fixture("POST", note.clone()), same, other_note, true, &[]).unwrap_err();
        assert!(err.starts_with("sent body differs"), "{err}");
        assert_eq!(example::check(&fixture("POST", note.clone()), same, other_note, false, &[]), Ok(()));
        fn elsewhere<'c>(client: &'c crate::Client, _: &Value) -> Result<crate::Request<'c, ()>, String> {
            Ok(crate::Request::new(client, http::Method::POST, crate::UrlPath::root().literal("groups")))
        }
        let err = example::check(&fixture("POST", note.clone()), same, elsewhere, false, &[]).unwrap_err();
        assert!(err.contains("built /beta/groups, documented /beta/users('u1')/notes"), "{err}");
        // Bodies run after the request, in order, and the first failure is the result.
        #[derive(serde::Serialize, serde::Deserialize)]
        struct OnlyText {
            text: String,
        }
        let checks: [example::BodyCheck; 2] = [example::request_body::<Value>, example::request_body::<OnlyText>];
        let err = example::check(&fixture("POST", note.clone()), same, post_note, true, &checks).unwrap_err();
        assert!(err.starts_with("request body: round trip changed the JSON"), "{err}");
        assert_eq!(example::bodies(&fixture("POST", note.clone()), &checks[..1]), Ok(()));
        assert_eq!(example::bodies(&fixture("POST", note), &[example::primitive_response_body::<i64>]), Ok(()));
        let err = example::bodies(&fixture("POST", json!(null)), &[example::response_body::<i64>]).unwrap_err();
        assert!(err.starts_with("response body: does not deserialize"), "{err}");
        assert!(example::bodies("{", &[]).unwrap_err().starts_with("fixture: "));
    }

    #[test]
    fn round_trip_reports_loss() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct OnlyA {
            a: i32,
        }
        assert!(round_trip::<OnlyA>(&json!({"a": 1})).is_ok());
        assert!(round_trip::<OnlyA>(&json!({"a": 1, "b": 2})).is_err());
    }
}

/// Replaying a documented example against a loopback server (feature `replay`).
#[cfg(feature = "replay")]
// Indexing a `serde_json::Value` yields `Null` for what is absent; it never panics.
#[allow(clippy::indexing_slicing)]
pub mod replay {
    use super::json_equal;
    use serde_json::Value;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Matches exactly the documented request: method, path (decoded, case-insensitive, as Graph
    /// treats paths; `x('key')` and `x/key` alike), query options, and a JSON-equal body.
    struct DocumentedRequest {
        method: String,
        /// Decoded, keys in parentheses written as segments (`key_segments`).
        path: String,
        query: Vec<(String, String)>,
        body: Option<Value>,
    }

    impl wiremock::Match for DocumentedRequest {
        fn matches(&self, request: &wiremock::Request) -> bool {
            let path = percent_encoding::percent_decode_str(request.url.path()).decode_utf8_lossy();
            let mut query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            query.sort();
            let body_ok = match &self.body {
                Some(expected) => serde_json::from_slice::<Value>(&request.body).is_ok_and(|got| json_equal(&got, expected)),
                None => request.body.is_empty(),
            };
            let same_path = crate::key_segments(&path).eq_ignore_ascii_case(&self.path);
            request.method.as_str() == self.method && same_path && query == self.query && body_ok
        }
    }

    /// The query options of the fixture's request, decoded.
    pub fn query(fixture: &Value) -> Vec<(String, String)> {
        let raw = fixture["request"]["query"].as_str().unwrap_or_default();
        let mut pairs: Vec<(String, String)> = raw
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
                (decode(k), decode(v))
            })
            .collect();
        pairs.sort();
        pairs
    }

    /// A loopback server that answers the documented request (and only it, exactly once) with the
    /// documented response. The client's base URL is `{server.uri()}/beta`.
    pub async fn serve(fixture: &Value) -> MockServer {
        let server = MockServer::start().await;
        let request = &fixture["request"];
        let response = &fixture["response"];
        let matcher = DocumentedRequest {
            method: request["method"].as_str().unwrap_or_default().to_owned(),
            path: crate::key_segments(&format!(
                "/beta{}",
                percent_encoding::percent_decode_str(request["path"].as_str().unwrap_or_default()).decode_utf8_lossy()
            )),
            query: query(fixture),
            body: Some(request["body"].clone()).filter(|b| !b.is_null()),
        };
        let status = response["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(200);
        let mut template = ResponseTemplate::new(status);
        for header in response["headers"].as_array().into_iter().flatten() {
            let (Some(name), Some(value)) = (header[0].as_str(), header[1].as_str()) else { continue };
            // The documented Content-Length describes the page's text, not what is sent here.
            if !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("content-type") {
                template = template.insert_header(name, value);
            }
        }
        if !response["body"].is_null() {
            template = template.set_body_json(&response["body"]);
        }
        Mock::given(matcher).respond_with(template).expect(1).mount(&server).await;
        server
    }

    /// Replay one documented example: serve its response on a loopback server, send the request
    /// `build` makes through a client `wrap` gives, and check the status, the typed body (when
    /// `typed_body`) and that the server saw exactly the documented request.
    ///
    /// Generated tests call this with function pointers, so it is compiled once per client and
    /// response type rather than once per example (an `async` test per example cost minutes of
    /// build time on the Graph beta client).
    pub fn run<C, R>(
        fixture: &str,
        wrap: fn(crate::Client) -> C,
        build: for<'c> fn(&'c C, &Value) -> Result<crate::Request<'c, R>, String>,
        typed_body: bool,
    ) -> Result<(), String>
    where
        R: crate::ResponseBody + Send,
    {
        let fixture: Value = serde_json::from_str(fixture).map_err(|e| format!("fixture: {e}"))?;
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        rt.block_on(async {
            let server = serve(&fixture).await;
            let runtime = crate::Client::builder(&format!("{}/beta", server.uri()))
                .bearer_token("replay-token")
                .retry(crate::RetryPolicy::none())
                .build()
                .map_err(|e| format!("client: {e}"))?;
            let client = wrap(runtime);
            let mut request = build(&client, &fixture)?;
            for (name, value) in query(&fixture) {
                request = request.query(&name, &value);
            }
            let response = request.await.map_err(|e| format!("replay: {e}"))?;
            let documented = fixture["response"]["status"].as_u64();
            if Some(u64::from(response.status.as_u16())) != documented {
                return Err(format!("status {} where the docs show {documented:?}", response.status));
            }
            let typed = if typed_body { response.value.to_json() } else { None };
            if let (Some(got), false) = (typed, fixture["response"]["body"].is_null()) {
                let documented = &fixture["response"]["body"];
                let inner = crate::request::unwrap_value_envelope(documented.clone());
                if !json_equal(&got, documented) && !json_equal(&got, &inner) {
                    return Err(format!("the typed response differs from the documented one:\n{got}"));
                }
            }
            let seen = server.received_requests().await.map_or(0, |r| r.len());
            server.verify().await;
            if seen != 1 {
                return Err(format!("the server saw {seen} requests, not 1"));
            }
            Ok(())
        })
    }

}
