use super::markup::{body, View};
use super::Lang;

#[test]
fn the_form_posts_multipart_with_its_token_and_shows_typed_text_escaped() {
    let view = View {
        typed: "<script>x</script>",
        outcome: None,
        problem: Some("<b>no</b>"),
    };
    let html = body(Lang::En, "tok\"en", &view);
    assert!(html.contains(r#"enctype="multipart/form-data""#));
    assert!(html.contains(r#"action="/verify?lang=en""#));
    assert!(html.contains(r#"name="csrf" value="tok&quot;en""#));
    assert!(html.contains(r#"type="file" id="file" name="file""#));
    assert!(!html.contains("<script>") && !html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(!html.contains("style="));
    let zh = body(Lang::Zh, "t", &View::default());
    assert!(zh.contains("核验报告") && zh.contains(r#"action="/verify""#));
    assert!(!zh.contains(r#"id="verdict""#), "no answer before a check");
}
