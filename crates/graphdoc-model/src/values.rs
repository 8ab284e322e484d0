//! Whether a JSON value fits a primitive type, as the OData JSON format writes it.

use graphdoc_page::Primitive;
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
        // Int64 and Decimal may be written as strings (IEEE754Compatible).
        Primitive::Int64 => v.as_i64().is_some() || v.as_str().is_some_and(|s| s.parse::<i64>().is_ok()),
        Primitive::Single | Primitive::Double | Primitive::Decimal => {
            v.is_number() || v.as_str().is_some_and(|s| matches!(s, "NaN" | "INF" | "-INF") || s.parse::<f64>().is_ok())
        }
        Primitive::DateTimeOffset => v.as_str().is_some_and(is_rfc3339),
        Primitive::Date => v.as_str().is_some_and(is_date),
        Primitive::TimeOfDay => v.as_str().is_some_and(is_time),
        Primitive::Duration => v.as_str().is_some_and(is_duration),
        Primitive::Guid => v.as_str().is_some_and(is_guid),
        Primitive::Binary | Primitive::Stream => v.is_string(),
        Primitive::Json => true,
    };
    (!ok).then(|| expectation(p))
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
        Primitive::Binary | Primitive::Stream => "a base64 string",
        Primitive::Json => "JSON",
    }
}

fn int_in(v: &Value, lo: i64, hi: i64) -> bool {
    v.as_i64().is_some_and(|n| (lo..=hi).contains(&n))
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

/// `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    digits(y, 4) && digits(m, 2) && digits(d, 2) && (1..=12).contains(&num(m)) && (1..=31).contains(&num(d))
}

/// `HH:MM:SS(.fraction)?` (seconds optional, as OData allows).
pub fn is_time(s: &str) -> bool {
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let parts: Vec<&str> = main.split(':').collect();
    match parts.as_slice() {
        [h, m] | [h, m, _] if !(digits(h, 2) && digits(m, 2) && num(h) < 24 && num(m) < 60) => false,
        [_, _] => frac.is_none(),
        [_, _, sec] => digits(sec, 2) && num(sec) < 61,
        _ => false,
    }
}

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)`.
pub fn is_rfc3339(s: &str) -> bool {
    let Some((date, rest)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (time, zone) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, None)
    } else {
        match rest.rfind(['+', '-']) {
            Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i + 1..)),
            None => return false,
        }
    };
    if let Some(z) = zone {
        let ok = z
            .split_once(':')
            .is_some_and(|(h, m)| digits(h, 2) && digits(m, 2) && num(h) < 24 && num(m) < 60);
        if !ok {
            return false;
        }
    }
    time.matches(':').count() == 2 && is_time(time)
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// ISO 8601 duration: `-?P(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one part.
pub fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(body) = s.strip_prefix(['P', 'p']) else {
        return false;
    };
    let (date, time) = match body.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let units_ok = |part: &str, units: &str| -> Option<usize> {
        let mut count = 0;
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else if units.contains(c.to_ascii_uppercase()) && !number.is_empty() {
                number.clear();
                count += 1;
            } else {
                return None;
            }
        }
        number.is_empty().then_some(count)
    };
    let Some(d) = units_ok(date, "YMWD") else { return false };
    let t = match time {
        Some(t) => match units_ok(t, "HMS") {
            Some(n) if n > 0 => n,
            _ => return false,
        },
        None => 0,
    };
    d + t > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn date_times() {
        assert!(is_rfc3339("2016-12-31T23:59:45.9968839+03:00"));
        assert!(is_rfc3339("2021-07-16T12:00:00Z"));
        assert!(!is_rfc3339("2021-07-16"));
        assert!(!is_rfc3339("String"));
        assert!(!is_rfc3339("2021-13-16T12:00:00Z"));
        assert!(!is_rfc3339("2021-07-16T12:00Z"));
    }

    #[test]
    fn guids_and_durations() {
        assert!(is_guid("d54bfa44-fa44-d54b-44fa-4bd544fa4bd5"));
        assert!(!is_guid("String(identifier)"));
        assert!(is_duration("PT1H30M"));
        assert!(is_duration("-P1D"));
        assert!(!is_duration("P"));
        assert!(!is_duration("1 hour"));
    }

    #[test]
    fn integers_in_range() {
        assert_eq!(misfit(Primitive::Int32, &json!(2147483647)), None);
        assert!(misfit(Primitive::Int32, &json!(2147483648i64)).is_some());
        assert!(misfit(Primitive::Int32, &json!("1")).is_some());
        assert_eq!(misfit(Primitive::Int64, &json!("9007199254740993")), None);
        assert!(misfit(Primitive::Boolean, &json!("true")).is_some());
        assert_eq!(misfit(Primitive::String, &json!(null)), None);
    }
}
