use super::import::template_csv;
use super::{message, Scope};
use crate::web::html::Lang;

#[test]
fn the_template_starts_with_a_bom_and_the_chinese_headers() {
    let t = template_csv();
    assert!(t.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(t[3..].to_vec()).unwrap();
    assert_eq!(
        text.trim_end(),
        "企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱"
    );
}

#[test]
fn a_credit_code_error_keeps_the_services_detail_in_chinese() {
    let m = message(
        Lang::Zh,
        "credit_code",
        &["the check character should be 3, not 4".to_owned()],
    );
    assert!(
        m.contains("统一社会信用代码无效") && m.contains("should be 3"),
        "{m}"
    );
    let en = message(Lang::En, "contact_email", &["must be an email".to_owned()]);
    assert_eq!(en, "must be an email");
}

#[test]
fn an_admins_links_keep_the_cluster_a_managers_do_not_need_it() {
    let now = chrono::Utc::now().naive_utc();
    let cluster = crate::db::clusters::ClusterRow {
        id: crate::ids::ClusterId::new(),
        name: "C".into(),
        region: String::new(),
        description: String::new(),
        created_at: now,
        updated_at: now,
    };
    let manager = Scope {
        cluster: cluster.clone(),
        choices: Vec::new(),
    };
    assert_eq!(
        manager.link(Lang::En, "/enterprises"),
        "/enterprises?lang=en"
    );
    let admin = Scope {
        cluster: cluster.clone(),
        choices: vec![cluster.clone()],
    };
    assert_eq!(
        admin.link(Lang::Zh, "/enterprises/new"),
        format!("/enterprises/new?cluster={}", cluster.id)
    );
}
