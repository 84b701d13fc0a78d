//! The profile questionnaire as a form: one control per question, of its type, labelled, with
//! a help line derived from the question and from what the pre-check and CDO summary read of
//! it; and the posted form read back into answers the service checks.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::FieldErrors;
use crate::questionnaire::model::{Profile, Question, QuestionType};
use crate::questionnaire::profile::{MAX_TEXT_CHARS, REQUIRED};
use crate::questionnaire::Lang;
use crate::scoring::profile::{eligibility, keys, EligibilityRules};
use crate::web::html::escape;

/// What the questions feed: the eligibility conditions that read a question (by its id), or
/// the CDO summary.
fn feeds(lang: Lang, q: &Question, profile: &Profile) -> Option<String> {
    let empty = BTreeMap::new();
    let conditions = eligibility(&empty, &Default::default()).conditions;
    if let Some(c) = conditions.iter().find(|c| c.key == q.id) {
        let mut out = format!(
            "{}{}",
            lang.t(
                "计入认证资格预检：",
                "Counts toward the eligibility pre-check: "
            ),
            lang.text(&c.label)
        );
        if q.id == keys::POLICY_DOMAINS {
            let left_out: Vec<&str> = q
                .options
                .iter()
                .filter(|o| {
                    !EligibilityRules::default()
                        .policy_domains
                        .contains(&o.value.as_str())
                })
                .map(|o| lang.text(&o.label))
                .collect();
            if !left_out.is_empty() {
                out.push_str(&format!(
                    "{}{}{}",
                    lang.t("（", " ("),
                    lang.t("不计：", "not counted: "),
                    left_out.join(lang.t("、", ", "))
                ));
                out.push_str(lang.t("）", ")"));
            }
        }
        return Some(out);
    }
    let appointed = profile
        .question(keys::CDO_APPOINTED)
        .map_or("", |a| lang.text(&a.text));
    match q.id.as_str() {
        keys::CDO_APPOINTED => Some(
            lang.t(
                "计入首席数据官概况",
                "Counts toward the chief-data-officer summary",
            )
            .to_owned(),
        ),
        keys::CDO_RANK | keys::CDO_IN_CHARTER | keys::CDO_DUTIES => Some(match lang {
            Lang::Zh => format!("计入首席数据官概况（仅当“{appointed}”回答“是”时）"),
            Lang::En => format!(
                "Counts toward the chief-data-officer summary only when “{appointed}” is answered yes"
            ),
        }),
        _ => None,
    }
}

/// The help line of a question: required or not, what the control takes, what it feeds.
pub fn help(lang: Lang, q: &Question, profile: &Profile) -> String {
    let mut parts = vec![if q.required {
        lang.t("必填", "Required").to_owned()
    } else {
        lang.t("选填", "Optional").to_owned()
    }];
    match q.kind {
        QuestionType::Number => parts.push(number_rule(lang, q)),
        QuestionType::MultiChoice => parts.push(lang.t("可多选", "Tick any that apply").into()),
        QuestionType::Text => parts.push(format!(
            "{}{MAX_TEXT_CHARS}{}",
            lang.t("最多 ", "At most "),
            lang.t(" 字", " characters")
        )),
        QuestionType::Choice | QuestionType::YesNo => {}
    }
    if let Some(f) = feeds(lang, q, profile) {
        parts.push(f);
    }
    parts.join(lang.t("；", ". "))
}

fn number_rule(lang: Lang, q: &Question) -> String {
    match (q.min, q.max) {
        (Some(min), Some(max)) => match lang {
            Lang::Zh => format!("整数，{min} 至 {max}"),
            Lang::En => format!("A whole number from {min} to {max}"),
        },
        (Some(min), None) => match lang {
            Lang::Zh => format!("整数，不小于 {min}"),
            Lang::En => format!("A whole number, at least {min}"),
        },
        (None, Some(max)) => match lang {
            Lang::Zh => format!("整数，不大于 {max}"),
            Lang::En => format!("A whole number, at most {max}"),
        },
        (None, None) => lang.t("整数", "A whole number").to_owned(),
    }
}

/// What to say when the answer is refused for anything but being missing.
fn invalid_text(lang: Lang, q: &Question) -> String {
    match q.kind {
        QuestionType::Number => format!(
            "{}{}",
            lang.t("请填写", "Enter "),
            match lang {
                Lang::Zh => number_rule(lang, q),
                Lang::En => number_rule(lang, q).to_lowercase(),
            }
        ),
        QuestionType::Choice => lang
            .t("请从列表中选择一项", "Choose one of the listed options")
            .into(),
        QuestionType::MultiChoice => lang
            .t("请只勾选列出的选项", "Tick only the listed options")
            .into(),
        QuestionType::YesNo => lang.t("请选择“是”或“否”", "Choose yes or no").into(),
        QuestionType::Text => format!(
            "{}{MAX_TEXT_CHARS}{}",
            lang.t("最多 ", "At most "),
            lang.t(" 字", " characters")
        ),
    }
}

fn required_text(lang: Lang) -> &'static str {
    lang.t("此项必填", "An answer is required")
}

/// The message shown next to a question for the service's messages about it.
pub fn problem(lang: Lang, q: &Question, messages: &[String]) -> String {
    if messages.iter().any(|m| m == REQUIRED) {
        required_text(lang).to_owned()
    } else {
        invalid_text(lang, q)
    }
}

/// The answer's text for a value attribute (a number, or what was typed).
fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn listed(value: Option<&Value>, option: &str) -> bool {
    value
        .and_then(Value::as_array)
        .is_some_and(|v| v.iter().any(|x| x.as_str() == Some(option)))
}

fn checked(on: bool) -> &'static str {
    if on {
        " checked"
    } else {
        ""
    }
}

/// One question: its label (a `<label>` or, for a group of boxes, a `<legend>`), its help, its
/// control prefilled from `value`, and its error (empty unless `error` is given).
pub fn question(
    lang: Lang,
    profile: &Profile,
    q: &Question,
    value: Option<&Value>,
    error: Option<&str>,
) -> String {
    let id = escape(&q.id);
    let text = escape(lang.text(&q.text));
    let marker = if q.required {
        r#" <span class="required" aria-hidden="true">*</span>"#
    } else {
        ""
    };
    let described = format!(r#"aria-describedby="help-{id} error-{id}""#);
    let invalid = if error.is_some() {
        r#" aria-invalid="true""#
    } else {
        ""
    };
    let required = if q.required { " required" } else { "" };
    let tail = format!(
        r#"<p class="help" id="help-{id}">{help}</p>
<p class="field-error" id="error-{id}" data-required="{req}" data-invalid="{inv}"{hidden}>{error}</p>"#,
        help = escape(&help(lang, q, profile)),
        req = escape(required_text(lang)),
        inv = escape(&invalid_text(lang, q)),
        hidden = if error.is_some() { "" } else { " hidden" },
        error = escape(error.unwrap_or("")),
    );
    let kind = match q.kind {
        QuestionType::Number => "number",
        QuestionType::Choice => "choice",
        QuestionType::MultiChoice => "multi_choice",
        QuestionType::YesNo => "yes_no",
        QuestionType::Text => "text",
    };
    let open = |tag: &str| {
        format!(
            r#"<{tag} class="question" id="question-{id}" data-question="{id}" data-type="{kind}""#
        )
    };
    match q.kind {
        QuestionType::Number => format!(
            r#"{open}>
<label for="q-{id}">{text}{marker}</label>
<input type="number" id="q-{id}" name="{id}" step="1" inputmode="numeric"{min}{max} value="{value}"{required}{invalid} {described}>
{tail}</div>"#,
            open = open("div"),
            min = q.min.map(|m| format!(r#" min="{m}""#)).unwrap_or_default(),
            max = q.max.map(|m| format!(r#" max="{m}""#)).unwrap_or_default(),
            value = escape(&scalar(value)),
        ),
        QuestionType::Text => format!(
            r#"{open}>
<label for="q-{id}">{text}{marker}</label>
<textarea id="q-{id}" name="{id}" rows="3" maxlength="{MAX_TEXT_CHARS}"{required}{invalid} {described}>{value}</textarea>
{tail}</div>"#,
            open = open("div"),
            value = escape(&scalar(value)),
        ),
        QuestionType::Choice => {
            let current = scalar(value);
            let mut options = format!(
                r#"<option value="">{}</option>"#,
                lang.t("（请选择）", "(choose)")
            );
            for o in &q.options {
                options.push_str(&format!(
                    r#"<option value="{v}"{sel}>{label}</option>"#,
                    v = escape(&o.value),
                    sel = if o.value == current { " selected" } else { "" },
                    label = escape(lang.text(&o.label)),
                ));
            }
            format!(
                r#"{open}>
<label for="q-{id}">{text}{marker}</label>
<select id="q-{id}" name="{id}"{required}{invalid} {described}>{options}</select>
{tail}</div>"#,
                open = open("div"),
            )
        }
        QuestionType::MultiChoice => {
            let boxes: String = q
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    format!(
                        r#"<label class="option"><input type="checkbox" id="q-{id}-{i}" name="{id}" value="{v}"{c}> {label}</label>"#,
                        v = escape(&o.value),
                        c = checked(listed(value, &o.value)),
                        label = escape(lang.text(&o.label)),
                    )
                })
                .collect();
            format!(
                r#"{open} {described}>
<legend>{text}{marker}</legend>
<div class="options">{boxes}</div>
{tail}</fieldset>"#,
                open = open("fieldset"),
            )
        }
        QuestionType::YesNo => {
            let current = value.and_then(Value::as_bool);
            let mut radios = vec![
                ("true", lang.t("是", "Yes"), current == Some(true)),
                ("false", lang.t("否", "No"), current == Some(false)),
            ];
            if !q.required {
                radios.push(("", lang.t("未回答", "Not answered"), current.is_none()));
            }
            let radios: String = radios
                .into_iter()
                .enumerate()
                .map(|(i, (v, label, on))| {
                    format!(
                        r#"<label class="option"><input type="radio" id="q-{id}-{i}" name="{id}" value="{v}"{c}{req}> {label}</label>"#,
                        c = checked(on),
                        req = if i == 0 { required } else { "" },
                    )
                })
                .collect();
            format!(
                r#"{open} {described}>
<legend>{text}{marker}</legend>
<div class="options">{radios}</div>
{tail}</fieldset>"#,
                open = open("fieldset"),
            )
        }
    }
}

/// The posted form as answers, by the questions' types: an empty field is unanswered, a box
/// group is the list of ticked values, a number that does not parse is kept as typed (the
/// service then names it).
pub fn read(profile: &Profile, pairs: &[(String, String)]) -> BTreeMap<String, Value> {
    let mut answers = BTreeMap::new();
    for q in &profile.questions {
        let values = pairs
            .iter()
            .filter(|(k, _)| *k == q.id)
            .map(|(_, v)| v.as_str());
        let first = values.clone().map(str::trim).find(|v| !v.is_empty());
        let answer = match q.kind {
            QuestionType::MultiChoice => Some(Value::Array(
                values
                    .clone()
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            )),
            QuestionType::Number => first.map(|v| {
                v.parse::<i64>()
                    .map_or_else(|_| Value::String(v.to_owned()), Value::from)
            }),
            QuestionType::YesNo => first.map(|v| match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_owned()),
            }),
            QuestionType::Choice => first.map(|v| Value::String(v.to_owned())),
            QuestionType::Text => values
                .clone()
                .find(|v| !v.trim().is_empty())
                .map(|v| Value::String(v.to_owned())),
        };
        if let Some(a) = answer {
            answers.insert(q.id.clone(), a);
        }
    }
    answers
}

/// The service's field errors (`answers.<question id>`) as the message to show per question.
pub fn errors_by_question(
    lang: Lang,
    profile: &Profile,
    fields: &FieldErrors,
) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|(field, messages)| {
            let id = field.strip_prefix("answers.")?;
            let q = profile.question(id)?;
            Some((id.to_owned(), problem(lang, q, messages)))
        })
        .collect()
}
