//! Checks the pages' unit tests share on rendered HTML.

/// The form controls of `html` with no label: neither named by a `<label for>` nor inside a
/// `<label>`, and not described by a `<legend>` of their own group (radios and boxes sit in
/// labels). Hidden inputs need none.
pub fn unlabelled_controls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        let mut from = 0;
        while let Some(found) = html[from..].find(tag) {
            let at = from + found;
            let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
            let element = &html[at..end];
            from = end;
            if element.contains(r#"type="hidden""#) {
                continue;
            }
            let inside_label = match (html[..at].rfind("<label"), html[..at].rfind("</label>")) {
                (Some(open), Some(close)) => open > close,
                (Some(_), None) => true,
                _ => false,
            };
            let labelled_by_for = attribute(element, "id")
                .is_some_and(|id| html.contains(&format!(r#"<label for="{id}""#)));
            if !inside_label && !labelled_by_for {
                out.push(element.to_owned());
            }
        }
    }
    out
}

/// The value of attribute `name` in one element's opening tag.
pub fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!(r#" {name}=""#);
    let start = element.find(&marker)? + marker.len();
    let len = element[start..].find('"')?;
    Some(&element[start..start + len])
}

/// Every `id="…"` of the page appears once.
pub fn duplicate_ids(html: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(r#" id=""#) {
        rest = &rest[at + 5..];
        let Some(len) = rest.find('"') else { break };
        let id = &rest[..len];
        if !seen.insert(id.to_owned()) {
            twice.push(id.to_owned());
        }
    }
    twice
}

/// A page user for rendering tests.
pub fn page_user(
    actor: crate::domain::Actor,
    lang: crate::questionnaire::Lang,
) -> super::session::PageUser {
    super::session::PageUser {
        user: crate::auth::AuthUser {
            id: crate::ids::UserId::new(),
            username: "e01".into(),
            display_name: "<b>张&三</b>".into(),
            actor,
            session: crate::ids::SessionId::new(),
            language: lang,
            must_change_password: false,
        },
        lang,
        csrf: "csrf-token".into(),
    }
}

#[test]
fn controls_without_labels_are_found() {
    let html = r#"<label for="a">A</label><input id="a"><label><input type="checkbox"> B</label><input id="c"><input type="hidden" name="csrf"><select id="d"></select>"#;
    assert_eq!(
        unlabelled_controls(html),
        [r#"<input id="c">"#, r#"<select id="d">"#]
    );
    assert_eq!(
        duplicate_ids(r#"<p id="x"></p><p id="y"></p><p id="x"></p>"#),
        ["x"]
    );
}

/// The text a reader sees: the markup without its tags and attributes.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
