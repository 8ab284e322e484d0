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

/// The path of a built request, percent-decoded, for comparison with a documented URL.
pub fn decoded_path<B>(request: &http::Request<B>) -> String {
    percent_encoding::percent_decode_str(request.uri().path())
        .decode_utf8_lossy()
        .into_owned()
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
