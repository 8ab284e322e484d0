//! Whether a JSON value fits a primitive type. The text shapes are the runtime's own validators, so an
//! example passes these checks exactly when a generated client can decode it.

use graphdoc_page::Primitive;
use graphdoc_runtime::{is_base64, is_date, is_duration, is_guid, is_rfc3339, is_time};
use serde_json::Value;

/// `None` when `v` fits `p`, else what was expected.
pub fn misfit(p: Primitive, v: &Value) -> Option<&'static str> {
    if v.is_null() {
        return None;
    }
    let ok = match p {
        Primitive::String => v.is_string(),
        Primitive::Boolean => v.is_boolean(),
        Primitive::Byte => int_in(v, 0, 255),
        Primitive::SByte => int_in(v, -128, 127),
        Primitive::Int16 => int_in(v, i16::MIN.into(), i16::MAX.into()),
        Primitive::Int32 => int_in(v, i32::MIN.into(), i32::MAX.into()),
        // Numbers in strings are OData's IEEE754Compatible format, which a client must ask for and
        // the generated one does not: without it the service writes numbers, and so must examples.
        Primitive::Int64 => v.as_i64().is_some(),
        Primitive::Decimal => v.is_number(),
        Primitive::Single | Primitive::Double => v.is_number() || v.as_str().is_some_and(|s| matches!(s, "NaN" | "INF" | "-INF")),
        Primitive::DateTimeOffset => v.as_str().is_some_and(is_rfc3339),
        Primitive::Date => v.as_str().is_some_and(is_date),
        Primitive::TimeOfDay => v.as_str().is_some_and(is_time),
        Primitive::Duration => v.as_str().is_some_and(is_duration),
        Primitive::Guid => v.as_str().is_some_and(is_guid),
        Primitive::Binary => v.as_str().is_some_and(is_base64),
        Primitive::Stream => v.is_string(),
        Primitive::Json => true,
    };
    (!ok).then(|| expectation(p))
}

/// The `value` member of OData's `{"value": ...}` wrapper: an object with nothing else but `@`
/// annotations.
pub fn value_envelope(v: &Value) -> Option<&Value> {
    let map = v.as_object()?;
    map.keys().all(|k| k == "value" || k.starts_with('@')).then(|| map.get("value")).flatten()
}

/// Whether `p` is written as a string in a format (date-time, GUID, base64, ...): a client keeps
/// such text as read, so a misfit is wrong data, not a value that fails to decode.
pub fn is_formatted_string(p: Primitive) -> bool {
    matches!(
        p,
        Primitive::DateTimeOffset | Primitive::Date | Primitive::TimeOfDay | Primitive::Duration | Primitive::Guid | Primitive::Binary
    )
}

fn expectation(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "a string",
        Primitive::Boolean => "true or false",
        Primitive::Byte => "an integer from 0 to 255",
        Primitive::SByte => "an integer from -128 to 127",
        Primitive::Int16 => "a 16-bit integer",
        Primitive::Int32 => "a 32-bit integer",
        Primitive::Int64 => "a 64-bit integer",
        Primitive::Single | Primitive::Double | Primitive::Decimal => "a number",
        Primitive::DateTimeOffset => "an RFC 3339 date-time such as 2021-07-16T12:00:00Z",
        Primitive::Date => "a date such as 2021-07-16",
        Primitive::TimeOfDay => "a time such as 12:00:00",
        Primitive::Duration => "an ISO 8601 duration such as PT1H",
        Primitive::Guid => "a GUID such as 00000000-0000-0000-0000-000000000000",
        Primitive::Binary => "base64 text",
        Primitive::Stream => "a string",
        Primitive::Json => "JSON",
    }
}

fn int_in(v: &Value, lo: i64, hi: i64) -> bool {
    v.as_i64().is_some_and(|n| (lo..=hi).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_in_range() {
        assert_eq!(misfit(Primitive::Int32, &json!(2147483647)), None);
        assert!(misfit(Primitive::Int32, &json!(2147483648i64)).is_some());
        assert!(misfit(Primitive::Int32, &json!("1")).is_some());
        // A number in a string is the IEEE754Compatible format, which the client does not ask for.
        assert!(misfit(Primitive::Int64, &json!("9007199254740993")).is_some());
        assert!(misfit(Primitive::Double, &json!("0.1583399742569597")).is_some());
        assert_eq!(misfit(Primitive::Double, &json!("NaN")), None);
        assert!(misfit(Primitive::Boolean, &json!("true")).is_some());
        assert_eq!(misfit(Primitive::String, &json!(null)), None);
        assert_eq!(misfit(Primitive::Binary, &json!("TUlJRA==")), None);
        assert!(misfit(Primitive::Binary, &json!("MIIDYDCCAki...")).is_some());
    }
}
