//! Timestamps in API bodies carry their offset.
//!
//! The database keeps instants as naive UTC; serialised as they are they read as local times
//! of no zone, which is not the `date-time` the OpenAPI document promises (RFC 3339 requires
//! an offset). Fields of API types use `#[serde(serialize_with = "utc::serialize")]` (or
//! `utc::option`) to send them as UTC with a `Z`.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serializer;

/// `2026-12-03T13:56:21.460938Z`: the instant in RFC 3339, in UTC, fractional seconds as stored.
pub fn serialize<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&text(at))
}

/// [`serialize`] for an optional instant; `None` stays `null`.
pub fn option<S: Serializer>(at: &Option<NaiveDateTime>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.serialize_str(&text(at)),
        None => serializer.serialize_none(),
    }
}

/// The instant as API bodies send it.
pub fn text(at: &NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};
    use serde::Serialize;

    #[derive(Serialize)]
    struct Sample {
        #[serde(serialize_with = "super::serialize")]
        at: chrono::NaiveDateTime,
        #[serde(serialize_with = "super::option")]
        maybe: Option<chrono::NaiveDateTime>,
        #[serde(serialize_with = "super::option")]
        never: Option<chrono::NaiveDateTime>,
    }

    #[test]
    fn instants_are_sent_in_utc_with_an_offset_and_read_back_the_same() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_nano_opt(13, 56, 21, 460_938_361)
            .unwrap();
        let whole = NaiveDate::from_ymd_opt(2026, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        let json = serde_json::to_value(Sample {
            at,
            maybe: Some(whole),
            never: None,
        })
        .unwrap();
        assert_eq!(json["at"], "2026-12-03T13:56:21.460938361Z");
        assert_eq!(json["maybe"], "2026-01-02T03:04:05Z");
        assert!(json["never"].is_null());
        let back = DateTime::parse_from_rfc3339(json["at"].as_str().unwrap()).unwrap();
        assert_eq!(back.naive_utc(), at);
    }
}
