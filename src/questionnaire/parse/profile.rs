//! The enterprise-profile questionnaire: its questions, their types, ranges and options.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{Cx, LoadError, RawText, Str};
use crate::questionnaire::model::{Choice, Profile, Question, QuestionType};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    id: Str,
    #[allow(dead_code)]
    kind: Str,
    title: RawText,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Str,
    #[serde(rename = "type")]
    kind: Spanned<QuestionType>,
    text: RawText,
    #[serde(default)]
    required: bool,
    min: Option<i64>,
    max: Option<i64>,
    #[serde(default)]
    option: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    value: Str,
    label: RawText,
}

impl Cx<'_> {
    pub(super) fn profile(&self, raw: RawProfile, hash: String) -> Result<Profile, LoadError> {
        self.questionnaire_id(&raw.id)?;
        let title = self.text(raw.title, "title")?;
        let mut ids = HashSet::new();
        let mut questions = Vec::with_capacity(raw.question.len());
        for q in raw.question {
            let id = q.id.get_ref().clone();
            let well_formed = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                return Err(self.at(
                    &q.id,
                    "question id must be lower-case letters, digits and '_'",
                ));
            }
            if !ids.insert(id.clone()) {
                return Err(self.at(&q.id, format!("question id {id} appears twice")));
            }
            let kind = *q.kind.get_ref();
            let has_options = matches!(kind, QuestionType::Choice | QuestionType::MultiChoice);
            if has_options == q.option.is_empty() {
                let message = if has_options {
                    format!("question {id} needs [[question.option]] entries")
                } else {
                    format!("question {id} is not a choice and takes no options")
                };
                return Err(self.at(&q.kind, message));
            }
            if kind != QuestionType::Number && (q.min.is_some() || q.max.is_some()) {
                return Err(self.at(
                    &q.kind,
                    format!("question {id}: min and max are for numbers"),
                ));
            }
            if let (Some(min), Some(max)) = (q.min, q.max) {
                if min > max {
                    return Err(self.at(&q.id, format!("question {id}: min is above max")));
                }
            }
            let text = self.text(q.text, &format!("question {id} text"))?;
            let mut values = HashSet::new();
            let mut options = Vec::with_capacity(q.option.len());
            for o in q.option {
                if !values.insert(o.value.get_ref().clone()) {
                    return Err(self.at(
                        &o.value,
                        format!("option {} appears twice", o.value.get_ref()),
                    ));
                }
                let label = self.text(o.label, &format!("option {} label", o.value.get_ref()))?;
                options.push(Choice {
                    value: o.value.into_inner(),
                    label,
                });
            }
            questions.push(Question {
                id,
                kind,
                text,
                required: q.required,
                min: q.min,
                max: q.max,
                options,
            });
        }
        Ok(Profile {
            id: raw.id.into_inner(),
            hash,
            title,
            questions,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::questionnaire::parse::{parse, LoadError, Parsed};

    const HEAD: &str =
        "id = \"profile\"\nkind = \"profile\"\ntitle = { zh = \"概况\", en = \"Profile\" }\n";

    fn question(id: &str, kind: &str, extra: &str) -> String {
        format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"{kind}\"\n\
             text = {{ zh = \"问\", en = \"question\" }}\n{extra}"
        )
    }

    fn option(value: &str) -> String {
        format!(
            "[[question.option]]\nvalue = \"{value}\"\nlabel = {{ zh = \"选\", en = \"option\" }}\n"
        )
    }

    fn load_error(body: &str) -> LoadError {
        parse("profile.toml", &format!("{HEAD}{body}")).unwrap_err()
    }

    #[test]
    fn a_small_profile_loads_with_its_options() {
        let body = question("size", "choice", &(option("small") + &option("large")))
            + &question("staff", "number", "min = 0\nmax = 10\n");
        let Ok(Parsed::Profile(p)) = parse("profile.toml", &format!("{HEAD}{body}")) else {
            panic!("not a profile");
        };
        assert_eq!(p.questions.len(), 2);
        assert_eq!(p.questions[0].options.len(), 2);
        assert_eq!(p.questions[1].max, Some(10));
    }

    #[test]
    fn a_duplicate_question_id_is_refused_at_its_line() {
        let e = load_error(&(question("staff", "number", "") + &question("staff", "number", "")));
        assert_eq!(e.line, 11, "{e}");
        assert!(e.message.contains("question id staff appears twice"), "{e}");
    }

    #[test]
    fn choices_need_options_and_only_choices_take_them() {
        let e = load_error(&question("size", "choice", ""));
        assert!(e.message.contains("needs [[question.option]]"), "{e}");
        let e = load_error(&question("staff", "number", &option("one")));
        assert!(e.message.contains("takes no options"), "{e}");
    }

    #[test]
    fn ranges_are_for_numbers_and_run_upwards() {
        let e = load_error(&question(
            "size",
            "choice",
            &format!("min = 1\n{}", option("a")),
        ));
        assert!(e.message.contains("min and max are for numbers"), "{e}");
        let e = load_error(&question("staff", "number", "min = 5\nmax = 1\n"));
        assert!(e.message.contains("min is above max"), "{e}");
    }

    #[test]
    fn a_duplicate_option_and_a_bad_question_id_are_refused() {
        let e = load_error(&question("size", "choice", &(option("a") + &option("a"))));
        assert!(e.message.contains("option a appears twice"), "{e}");
        let e = load_error(&question("Size", "number", ""));
        assert!(
            e.message.contains("lower-case letters, digits and '_'"),
            "{e}"
        );
    }
}
