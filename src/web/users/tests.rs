use super::render::{self, Draft, Names};
use crate::domain::Actor;
use crate::web::check::{duplicate_ids, page_user, unlabelled_controls};
use crate::web::html::Lang;

fn names() -> Names {
    Names {
        clusters: Vec::new(),
        enterprises: Vec::new(),
    }
}

#[test]
fn the_new_account_form_labels_every_field_and_shows_errors_in_place() {
    for (actor, lang) in [(Actor::Admin, Lang::Zh), (Actor::Admin, Lang::En)] {
        let user = page_user(actor, lang);
        let mut draft = Draft {
            username: "<x>".into(),
            ..Draft::default()
        };
        draft.errors.insert("username", "taken".into());
        let html = render::new_form(lang, &user, &names(), &draft);
        assert!(
            unlabelled_controls(&html).is_empty(),
            "{:?}",
            unlabelled_controls(&html)
        );
        assert!(duplicate_ids(&html).is_empty());
        assert!(
            html.contains(r#"aria-describedby="help-username error-username" aria-invalid="true""#)
        );
        assert!(html.contains(r#"<p class="field-error" id="error-username">taken</p>"#));
        assert!(html.contains("&lt;x&gt;") && !html.contains("<x>"));
        assert!(html.contains(r#"name="csrf""#));
    }
}

#[test]
fn a_manager_creates_enterprise_users_only() {
    let manager = Actor::ClusterManager {
        cluster: crate::ids::ClusterId::new(),
    };
    let html = render::new_form(
        Lang::Zh,
        &page_user(manager, Lang::Zh),
        &names(),
        &Draft::default(),
    );
    assert!(html.contains(r#"<input type="hidden" name="role" value="enterprise">"#));
    assert!(!html.contains(r#"name="cluster_ids""#) && !html.contains(r#"id="role""#));
    assert!(unlabelled_controls(&html).is_empty());
}
