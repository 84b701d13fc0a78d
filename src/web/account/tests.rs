use super::render::*;
use super::*;
use crate::auth::password::Weakness;
use crate::domain::Role;
use crate::web::check::{duplicate_ids, page_user, unlabelled_controls};

fn facts() -> Facts {
    Facts {
        username: "e01".into(),
        display_name: "<b>张&三</b>".into(),
        role: Role::Enterprise,
        scope: "<i>企业</i>".into(),
        language: Lang::En,
    }
}

fn page_for(lang: Lang, prefs: &Preferences, pw: &PasswordForm) -> String {
    let user = page_user(Actor::Admin, lang);
    body(lang, &user, &facts(), prefs, pw)
}

#[test]
fn every_control_has_a_label_and_the_account_language_is_chosen() {
    for lang in [Lang::Zh, Lang::En] {
        let html = page_for(lang, &Preferences::default(), &PasswordForm::default());
        assert_eq!(unlabelled_controls(&html), Vec::<String>::new(), "{lang:?}");
        assert_eq!(duplicate_ids(&html), Vec::<String>::new(), "{lang:?}");
        // The radios follow the account's language, not the page's.
        assert!(html.contains(r#"value="en" checked"#), "{html}");
        assert!(!html.contains(r#"value="zh" checked"#));
        for field in ["current_password", "new_password", "repeat_password"] {
            assert!(
                html.contains(&format!(r#"<label for="{field}">"#)),
                "{field}"
            );
            assert!(
                html.contains(&format!(r#"id="error-{field}" hidden></p>"#)),
                "{field}"
            );
        }
        assert_eq!(html.matches(r#"name="csrf""#).count(), 2);
    }
}

#[test]
fn errors_stand_next_to_their_fields_and_no_password_is_echoed() {
    let mut pw = PasswordForm::default();
    pw.errors.insert("repeat_password", "<不一致>".into());
    pw.errors
        .insert("new_password", weakness(Lang::Zh, Weakness::TooShort));
    let mut prefs = Preferences {
        display_name: "\"><script>".into(),
        ..Preferences::default()
    };
    prefs.errors.insert("display_name", "bad".into());
    let html = page_for(Lang::Zh, &prefs, &pw);
    assert!(html.contains(r#"id="repeat_password" name="repeat_password" autocomplete="new-password" required maxlength="128" aria-describedby="error-repeat_password" aria-invalid="true">"#), "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="error-repeat_password">&lt;不一致&gt;</p>"#)
    );
    assert!(html.contains("至少需要 12 个字符。"));
    assert!(html.contains(r#"<p class="field-error" id="error-current_password" hidden></p>"#));
    assert!(html.contains(r#"value="&quot;&gt;&lt;script&gt;""#));
    assert!(!html.contains("\"><script>") && !html.contains("<b>张"));
    assert!(
        html.contains("&lt;b&gt;张&amp;三&lt;/b&gt;") && html.contains("&lt;i&gt;企业&lt;/i&gt;")
    );
    // Password inputs never carry a value.
    for field in ["current_password", "new_password", "repeat_password"] {
        let start = html.find(&format!(r#"id="{field}""#)).unwrap();
        let tag = &html[start..start + html[start..].find('>').unwrap()];
        assert!(!tag.contains("value="), "{tag}");
    }
}

#[test]
fn the_page_checks_the_repeat_and_the_rules_before_the_service() {
    let form = |current: &str, new: &str, repeat: &str| PasswordFields {
        csrf: String::new(),
        current_password: current.into(),
        new_password: new.into(),
        repeat_password: repeat.into(),
    };
    let fields = |pw: PasswordForm| pw.errors.keys().copied().collect::<Vec<_>>();
    assert!(precheck(
        Lang::Zh,
        "e01",
        &form("old password 1", "a new passphrase", "a new passphrase")
    )
    .errors
    .is_empty());
    assert_eq!(
        fields(precheck(Lang::Zh, "e01", &form("", "short", "shorter"))),
        ["current_password", "new_password", "repeat_password"]
    );
    assert_eq!(
        fields(precheck(
            Lang::En,
            "e01",
            &form("same passphrase", "same passphrase", "same passphrase")
        )),
        ["new_password"]
    );
    let pw = precheck(
        Lang::En,
        "e01",
        &form("x", "my e01 passphrase", "my e01 passphrase"),
    );
    assert_eq!(pw.errors["new_password"], "Must not contain your username.");
}
