//! Answers to a profile questionnaire: checked against its typed questions.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{Profile, QuestionType};
use crate::error::FieldErrors;

/// The message of a required question left unanswered (pages tell it from the others).
pub const REQUIRED: &str = "an answer is required";

/// The longest answer to a text question, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Profile answers that passed [`check_answers`]: every key a question, every value of its type.
pub type ProfileAnswers = BTreeMap<String, Value>;

/// Checks each answer against its question; all problems at once, keyed by question id.
/// Unanswered optional questions may be absent or `null`.
pub fn check_answers(
    profile: &Profile,
    answers: &BTreeMap<String, Value>,
) -> Result<ProfileAnswers, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut add = |field: &str, message: String| {
        errors.entry(field.to_owned()).or_default().push(message);
    };
    for key in answers.keys() {
        if profile.question(key).is_none() {
            add(key, "no such question".to_owned());
        }
    }
    let mut clean = ProfileAnswers::new();
    for q in &profile.questions {
        let value = answers.get(&q.id).filter(|v| !v.is_null());
        let Some(value) = value else {
            if q.required {
                add(&q.id, REQUIRED.to_owned());
            }
            continue;
        };
        let allowed = |v: &str| q.options.iter().any(|o| o.value == v);
        let problem = match q.kind {
            QuestionType::Number => match value.as_i64() {
                None => Some("must be a whole number".to_owned()),
                Some(n) if q.min.is_some_and(|min| n < min) => {
                    Some(format!("must be at least {}", q.min.unwrap_or_default()))
                }
                Some(n) if q.max.is_some_and(|max| n > max) => {
                    Some(format!("must be at most {}", q.max.unwrap_or_default()))
                }
                Some(_) => None,
            },
            QuestionType::YesNo => {
                (!value.is_boolean()).then(|| "must be true or false".to_owned())
            }
            QuestionType::Text => match value.as_str() {
                Some(s) if s.chars().count() <= MAX_TEXT_CHARS => None,
                Some(_) => Some(format!("must be at most {MAX_TEXT_CHARS} characters")),
                None => Some("must be a string".to_owned()),
            },
            QuestionType::Choice => match value.as_str() {
                Some(v) if allowed(v) => None,
                _ => Some(format!("must be one of: {}", option_list(profile, &q.id))),
            },
            QuestionType::MultiChoice => match value.as_array() {
                Some(values) => {
                    let strings: Vec<_> = values.iter().filter_map(Value::as_str).collect();
                    let unique: std::collections::BTreeSet<_> = strings.iter().collect();
                    if strings.len() != values.len() || !strings.iter().all(|v| allowed(v)) {
                        Some(format!(
                            "must be a list of: {}",
                            option_list(profile, &q.id)
                        ))
                    } else if unique.len() != strings.len() {
                        Some("lists a choice twice".to_owned())
                    } else {
                        None
                    }
                }
                None => Some(format!(
                    "must be a list of: {}",
                    option_list(profile, &q.id)
                )),
            },
        };
        match problem {
            Some(message) => add(&q.id, message),
            None => {
                clean.insert(q.id.clone(), value.clone());
            }
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

fn option_list(profile: &Profile, id: &str) -> String {
    profile
        .question(id)
        .map(|q| {
            q.options
                .iter()
                .map(|o| o.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
