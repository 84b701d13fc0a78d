//! Property tests of the answers JSON: the body of one answer's write and of a batch. See
//! `crate::fuzz` for how many cases run.

use proptest::prelude::*;

use super::{AnswerRequest, BatchRequest};
use crate::api::extract::parse_valid;
use crate::error::AppError;
use crate::fuzz::config;

/// A refusal is the client's fault and says so: never a 5xx.
fn refused_as_a_client_error(e: &AppError) -> Result<(), TestCaseError> {
    use actix_web::ResponseError;
    let status = e.status_code();
    prop_assert!(status.is_client_error(), "{status}: {e:?}");
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_as_an_answer_are_read_or_refused_as_a_client_error(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        if let Err(e) = parse_valid::<AnswerRequest>(&bytes) {
            refused_as_a_client_error(&e)?;
        }
        if let Err(e) = parse_valid::<BatchRequest>(&bytes) {
            refused_as_a_client_error(&e)?;
        }
    }

    #[test]
    fn any_json_as_an_answer_is_read_or_refused_naming_a_field(value in json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        match parse_valid::<AnswerRequest>(&bytes) {
            Ok(a) => {
                // serde also reads a struct from an array of its fields (`["fully"]`): either
                // way, what was read is an answer that writes back and reads the same.
                prop_assert!(a.comment.chars().count() <= 4000);
                let again = serde_json::json!({"rating": a.rating, "comment": a.comment});
                let reread = parse_valid::<AnswerRequest>(again.to_string().as_bytes()).unwrap();
                prop_assert_eq!((reread.rating, reread.comment), (a.rating, a.comment));
            }
            Err(e) => {
                refused_as_a_client_error(&e)?;
                // An array too long for the fields is "trailing characters" to serde_json.
                if value.is_object() {
                    prop_assert!(matches!(e, AppError::Validation { .. }), "{:?}", e);
                }
            }
        }
        match parse_valid::<BatchRequest>(&bytes) {
            Ok(batch) => {
                prop_assert!((1..=1000).contains(&batch.answers.len()));
                // What was read writes back as the same body.
                let again = serde_json::json!({"answers": batch.answers});
                let reread = parse_valid::<BatchRequest>(again.to_string().as_bytes()).unwrap();
                prop_assert_eq!(serde_json::json!({"answers": reread.answers}), again);
            }
            Err(e) => refused_as_a_client_error(&e)?,
        }
    }

    #[test]
    fn a_written_answer_reads_back_and_a_long_comment_is_named(
        rating in prop::sample::select(vec!["fully", "largely", "partially", "not", "na"]),
        comment in "\\PC{0,80}",
        extra in 4001usize..4100,
    ) {
        let body = serde_json::json!({"rating": rating, "comment": comment});
        let a = parse_valid::<AnswerRequest>(body.to_string().as_bytes()).unwrap();
        prop_assert_eq!((a.rating.as_str(), a.comment.as_str()), (rating, comment.as_str()));
        let long = serde_json::json!({"rating": rating, "comment": "字".repeat(extra)});
        match parse_valid::<AnswerRequest>(long.to_string().as_bytes()) {
            Err(AppError::Validation { fields, .. }) => prop_assert!(fields.contains_key("comment")),
            other => prop_assert!(false, "{:?}", other),
        }
    }
}

/// Any JSON value, its keys often the answer bodies' own.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec!["fully", "largely", "na", "bad", ""]).prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                "rating|comment|criterion|version|answers|[a-z]{1,5}",
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
