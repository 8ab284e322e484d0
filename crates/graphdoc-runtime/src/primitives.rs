//! OData primitive values as Graph writes them on the wire. Each newtype keeps the text it was
//! read from, so a value round-trips byte for byte. Reading does not validate: the docs get some
//! types wrong (a `Date` property that carries a date-time), and one odd value must not make a whole
//! response undecodable. `is_valid` checks a value read; `parse` validates one you build.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A wire value that does not have the shape of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not {expected}")]
pub struct WireError {
    /// The text that was read.
    pub value: String,
    /// What was expected.
    pub expected: &'static str,
}

macro_rules! wire_string {
    ($(#[doc = $doc:literal])* $name:ident, $check:path, $expected:literal) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// What a valid value looks like.
            pub const EXPECTED: &'static str = $expected;

            /// Validate and wrap `text`.
            pub fn parse(text: impl Into<String>) -> Result<Self, WireError> {
                let text = text.into();
                if $check(&text) {
                    Ok($name(text))
                } else {
                    Err(WireError { value: text, expected: $expected })
                }
            }

            /// The text as read (or as given).
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the text has the type's format (values read are not checked).
            pub fn is_valid(&self) -> bool {
                $check(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = WireError;
            fn from_str(s: &str) -> Result<Self, WireError> {
                $name::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name)
            }
        }
    };
}

wire_string!(
    /// Edm.DateTimeOffset: an RFC 3339 date-time (`2021-07-16T12:00:00Z`).
    DateTimeOffset, is_rfc3339, "an RFC 3339 date-time such as 2021-07-16T12:00:00Z"
);
wire_string!(
    /// Edm.Date: `2021-07-16`.
    Date, is_date, "a date such as 2021-07-16"
);
wire_string!(
    /// Edm.TimeOfDay: `12:00:00`.
    TimeOfDay, is_time, "a time such as 12:00:00"
);
wire_string!(
    /// Edm.Duration: an ISO 8601 duration (`PT1H30M`).
    Duration, is_duration, "an ISO 8601 duration such as PT1H"
);
wire_string!(
    /// Edm.Guid: `00000000-0000-0000-0000-000000000000`.
    Guid, is_guid, "a GUID such as 00000000-0000-0000-0000-000000000000"
);
wire_string!(
    /// Edm.Binary: base64 text.
    Base64, is_base64, "base64 text"
);

/// Base64 (standard or URL-safe alphabet, padding optional).
pub fn is_base64(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'='))
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
    fn newtypes_keep_their_text_and_validate_on_request() {
        let d: DateTimeOffset = serde_json::from_str("\"2016-12-31T23:59:45.9968839+03:00\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(serde_json::to_string(&d).ok().as_deref(), Some("\"2016-12-31T23:59:45.9968839+03:00\""));
        assert!(d.is_valid());
        // Read as written, and said to be invalid; built values are validated.
        let odd: DateTimeOffset = serde_json::from_str("\"String (timestamp)\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(odd.as_str(), "String (timestamp)");
        assert!(!odd.is_valid());
        assert!(serde_json::from_str::<Guid>("42").is_err());
        assert!(Guid::parse("not-a-guid").is_err());
    }
}
