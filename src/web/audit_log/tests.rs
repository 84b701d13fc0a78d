use super::*;

fn query(pairs: &[(&str, &str)]) -> LogQuery {
    let text = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    web::Query::<LogQuery>::from_query(&text)
        .unwrap()
        .into_inner()
}

#[test]
fn links_keep_the_filters_and_drop_empty_ones() {
    let q = query(&[
        ("action", "assessment.submit"),
        ("actor_id", ""),
        ("from", "2026-12-01"),
    ]);
    assert_eq!(
        q.link(Lang::Zh, &[("after", "40")]),
        "/audit-log?action=assessment.submit&from=2026-12-01&after=40"
    );
    assert_eq!(
        q.link(Lang::En, &[]),
        "/audit-log?action=assessment.submit&from=2026-12-01&lang=en"
    );
    assert_eq!(address(Lang::Zh, &[]), "/audit-log");
    assert_eq!(address(Lang::En, &[]), "/audit-log?lang=en");
}

#[test]
fn a_bad_cursor_is_named_with_the_bad_filters() {
    let q = query(&[("after", "x"), ("to", "soon")]);
    let fields = q.parse().unwrap_err();
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["after", "to"]);
    let q = query(&[("after", "12"), ("subject_type", "assessment")]);
    let (filter, after) = q.parse().unwrap();
    assert_eq!(after, Some(12));
    assert_eq!(filter.subject_type.as_deref(), Some("assessment"));
}
