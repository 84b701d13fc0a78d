use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::domain::Actor;
use crate::ids::ClusterId;
use crate::questionnaire::model::{Choice, Question, QuestionType, Text};
use crate::questionnaire::{Registry, PROFILE_ID};
use crate::web::check::{duplicate_ids, page_user, unlabelled_controls};

fn built_in() -> std::sync::Arc<Profile> {
    Registry::built_in()
        .unwrap()
        .profile(PROFILE_ID)
        .unwrap()
        .clone()
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// A profile with a question of every type and markup in every text.
fn hostile() -> Profile {
    let q = |id: &str, kind, options: Vec<Choice>| Question {
        id: id.into(),
        kind,
        text: text(
            &format!("<b>{id}</b> & \"问\""),
            &format!("<b>{id}</b> & \"q\""),
        ),
        required: false,
        min: None,
        max: Some(9),
        options,
    };
    let options = || {
        vec![Choice {
            value: "x\"y".into(),
            label: text("<i>甲</i>", "<i>A</i>"),
        }]
    };
    Profile {
        id: "p".into(),
        hash: "h".into(),
        title: text("<script>标题</script>", "<script>Title</script>"),
        questions: vec![
            q("n", QuestionType::Number, vec![]),
            q("c", QuestionType::Choice, options()),
            q("m", QuestionType::MultiChoice, options()),
            q("y", QuestionType::YesNo, vec![]),
            q("t", QuestionType::Text, vec![]),
        ],
    }
}

fn enterprise() -> (Actor, EnterpriseId) {
    let e = EnterpriseId::new();
    (
        Actor::Enterprise {
            cluster: ClusterId::new(),
            enterprise: e,
        },
        e,
    )
}

fn page(
    lang: Lang,
    profile: &Profile,
    answers: &BTreeMap<String, Value>,
    errors: &BTreeMap<String, String>,
    notice: Option<Notice>,
) -> String {
    let (actor, id) = enterprise();
    let user = page_user(actor, lang);
    let view = View {
        lang,
        profile,
        enterprise: id,
        enterprise_name: "<img src=x onerror=alert(1)>公司",
        version: 4,
        shown: answers,
        stored: answers,
        errors,
        notice,
    };
    render(&view, &user)
}

fn answers(v: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(v).unwrap()
}

#[test]
fn every_control_of_the_built_in_profile_has_a_label_in_both_languages() {
    let profile = built_in();
    for lang in [Lang::Zh, Lang::En] {
        let html = page(lang, &profile, &BTreeMap::new(), &BTreeMap::new(), None);
        assert_eq!(unlabelled_controls(&html), Vec::<String>::new(), "{lang:?}");
        assert_eq!(duplicate_ids(&html), Vec::<String>::new(), "{lang:?}");
        for q in &profile.questions {
            // Each question is labelled by its own text, and says what it needs.
            assert!(html.contains(&escape(lang.text(&q.text))), "{}", q.id);
            assert!(
                html.contains(&format!(r#"id="help-{}""#, q.id))
                    && html.contains(&format!(r#"id="error-{}""#, q.id)),
                "{}",
                q.id
            );
        }
        assert!(html.contains(r#"<script src="/static/profile.js"></script>"#));
        assert!(!html.contains("<script>") && !html.contains("style="));
    }
}

#[test]
fn each_type_gets_its_control() {
    let profile = built_in();
    let html = page(Lang::Zh, &profile, &BTreeMap::new(), &BTreeMap::new(), None);
    assert!(html.contains(r#"<select id="q-size" name="size" required"#));
    assert!(html.contains(r#"<input type="number" id="q-employees" name="employees" step="1" inputmode="numeric" min="1" max="10000000""#));
    assert!(
        html.contains(r#"type="checkbox" id="q-data_tools-0" name="data_tools" value="metadata""#)
    );
    // A required yes/no has two choices, an optional one a third for "not answered".
    assert!(html.contains(r#"id="q-cdo_appointed-1" name="cdo_appointed" value="false""#));
    assert!(!html.contains(r#"id="q-cdo_appointed-2""#));
    assert!(html.contains(r#"id="q-cdo_in_charter-2" name="cdo_in_charter" value="""#));
}

#[test]
fn the_form_shows_the_stored_answers() {
    let profile = built_in();
    let stored = answers(json!({
        "size": "large", "employees": 420, "data_tools": ["quality", "warehouse"],
        "cdo_appointed": false,
    }));
    let html = page(Lang::En, &profile, &stored, &BTreeMap::new(), None);
    assert!(html.contains(r#"<option value="large" selected>Large</option>"#));
    assert!(html.contains(r#"value="420""#));
    assert!(html.contains(r#"name="data_tools" value="quality" checked>"#));
    assert!(html.contains(r#"name="data_tools" value="metadata">"#));
    assert!(html.contains(r#"name="cdo_appointed" value="false" checked>"#));
    assert!(html.contains(r#"name="version" id="profile-version" value="4""#));
}

#[test]
fn every_text_is_escaped() {
    let profile = hostile();
    let shown =
        answers(json!({"n": "\"><b>9", "c": "x\"y", "t": "</textarea><script>x()</script>"}));
    let errors = BTreeMap::from([("t".to_owned(), "<em>bad</em>".to_owned())]);
    for lang in [Lang::Zh, Lang::En] {
        let html = page(lang, &profile, &shown, &errors, Some(Notice::Invalid(1)));
        for raw in [
            "<b>n</b>",
            "<i>甲</i>",
            "<i>A</i>",
            "<script>标题",
            "<script>Title",
            "<img src=x",
            "<em>bad</em>",
            "</textarea><script>",
            "\"><b>9",
        ] {
            assert!(!html.contains(raw), "{raw} unescaped in {lang:?}");
        }
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;公司"));
        assert!(html.contains(r#"value="x&quot;y" selected"#));
        assert!(html.contains("&lt;em&gt;bad&lt;/em&gt;"));
        assert_eq!(unlabelled_controls(&html), Vec::<String>::new());
    }
}

#[test]
fn the_panels_say_what_the_scoring_functions_found() {
    let profile = built_in();
    let stored = answers(json!({
        "data_staff": 1, "data_tools": ["metadata", "quality"],
        "policy_domains": ["strategy", "governance", "architecture", "security"],
        "cdo_appointed": true, "cdo_rank": "board", "cdo_duties": ["culture"],
    }));
    let html = page(Lang::Zh, &profile, &stored, &BTreeMap::new(), None);
    assert!(
        html.contains(r#"<li class="unmet" data-key="data_staff">"#),
        "{html}"
    );
    assert!(html.contains(r#"<li class="met" data-key="data_tools">"#));
    // Strategy does not count: three of the seven domains.
    assert!(html.contains(r#"<li class="unmet" data-key="policy_domains">"#));
    assert!(html.contains("现有 3，要求至少 4"));
    assert!(html.contains("尚有 2 项条件未满足（共 3 项）"));
    assert!(html.contains(r#"data-figure="cdo-rank">董事会成员（决策层）</dd>"#));
    assert!(html.contains(r#"data-figure="cdo-duties-count">1 / 6 项</dd>"#));
    assert!(html.contains(r#"data-figure="cdo-duties">数据文化建设</dd>"#));
    // The help names the condition a question feeds, from the scoring function.
    assert!(html.contains("计入认证资格预检：专职数据管理人员不少于 2 人"));
    assert!(html.contains("不计：数据战略"));
}

#[test]
fn a_refused_answer_is_named_next_to_its_question() {
    let profile = built_in();
    let fields = crate::error::FieldErrors::from([
        (
            "answers.employees".to_owned(),
            vec!["must be at least 1".to_owned()],
        ),
        ("answers.size".to_owned(), vec![REQUIRED.to_owned()]),
    ]);
    let errors = form::errors_by_question(Lang::Zh, &profile, &fields);
    let html = page(
        Lang::Zh,
        &profile,
        &BTreeMap::new(),
        &errors,
        Some(Notice::Invalid(2)),
    );
    assert!(html.contains(r#"id="error-employees" data-required="此项必填" data-invalid="请填写整数，1 至 10000000">请填写整数，1 至 10000000</p>"#), "{html}");
    assert!(html.contains(
        r#"id="error-size" data-required="此项必填" data-invalid="请从列表中选择一项">此项必填</p>"#
    ));
    assert!(html.contains(r#"name="employees" step="1" inputmode="numeric" min="1" max="10000000" value="" required aria-invalid="true""#));
    assert!(html.contains(r#"id="error-data_staff" data-required="此项必填" data-invalid="请填写整数，0 至 100000" hidden></p>"#));
    assert!(html.contains("未保存：有 2 项需要修改"));
}

#[test]
fn a_posted_form_reads_back_as_answers_by_type() {
    let profile = built_in();
    let pairs: Vec<(String, String)> = [
        ("csrf", "t"),
        ("version", "3"),
        ("size", "medium"),
        ("industry", ""),
        ("employees", " 420 "),
        ("data_staff", "two"),
        ("data_tools", "metadata"),
        ("data_tools", "quality"),
        ("cdo_appointed", "true"),
        ("cdo_in_charter", ""),
        ("unknown", "x"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let read = form::read(&profile, &pairs);
    assert_eq!(
        Value::Object(read.into_iter().collect()),
        json!({
            "size": "medium",
            "employees": 420,
            "data_staff": "two",
            "data_tools": ["metadata", "quality"],
            // No box ticked is an empty list, as a script sends it.
            "policy_domains": [],
            "cdo_duties": [],
            "cdo_appointed": true,
        })
    );
}
