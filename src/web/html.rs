//! The page frame, the two languages and small HTML helpers.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use actix_web::ResponseError as _;
use serde::Deserialize;

use super::session::PageUser;
use crate::error::AppError;
pub use crate::report::svg::escape;

/// Chinese by default; English with `?lang=en`. The questionnaires' and reports' language type,
/// with what pages need of it.
pub use crate::questionnaire::Lang;

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    pub lang: Option<String>,
}

impl Lang {
    pub fn of(query: Option<&str>) -> Self {
        match query {
            Some("en") => Self::En,
            _ => Self::Zh,
        }
    }

    /// `path` with this language kept, `extra` being further `key=value` pairs.
    pub fn link(self, path: &str) -> String {
        match self {
            Self::Zh => path.to_owned(),
            Self::En if path.contains('?') => format!("{path}&lang=en"),
            Self::En => format!("{path}?lang=en"),
        }
    }

    fn code(self) -> &'static str {
        self.t("zh-CN", "en")
    }
}

/// A whole page: `body` inside the common frame; with a user, the frame has the role's
/// navigation, the logout button and the session's CSRF token for the pages' scripts.
pub fn page(lang: Lang, title: &str, user: Option<&PageUser>, body: &str) -> String {
    page_with(lang, title, user, body, &[])
}

/// [`page`] with more of the built-in scripts (names under `/static/`) after the common one.
pub fn page_with(
    lang: Lang,
    title: &str,
    user: Option<&PageUser>,
    body: &str,
    scripts: &[&str],
) -> String {
    let (nav, account, csrf) = match user {
        Some(u) => (
            navigation(lang, u),
            format!(
                r#"<form method="post" action="{logout}" class="logout"><span>{name}</span> {csrf}<button type="submit">{label}</button></form>"#,
                logout = lang.link("/logout"),
                name = escape(&u.user.display_name),
                csrf = u.csrf_field(),
                label = lang.t("退出", "Log out")
            ),
            format!(r#"<meta name="csrf-token" content="{}">"#, escape(&u.csrf)),
        ),
        None => Default::default(),
    };
    let switch = match lang {
        Lang::Zh => r#"<a href="?lang=en" class="lang" lang="en">English</a>"#,
        Lang::En => r#"<a href="?lang=zh" class="lang" lang="zh-CN">中文</a>"#,
    };
    let scripts: String = std::iter::once("dcmm.js")
        .chain(scripts.iter().copied())
        .map(|name| format!(r#"<script src="/static/{name}"></script>"#))
        .collect();
    format!(
        r#"<!doctype html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{csrf}
<title>{title} · DCMM</title>
<link rel="stylesheet" href="/static/dcmm.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="top"><a href="{home}" class="brand">DCMM {brand}</a><nav aria-label="{nav_label}">{nav}{switch}{account}</nav></header>
<main>
{body}
</main>
{scripts}
</body>
</html>
"#,
        code = lang.code(),
        title = escape(title),
        home = lang.link("/campaigns"),
        brand = lang.t("数据管理能力成熟度评估", "maturity assessment"),
        nav_label = lang.t("主导航", "Main"),
    )
}

/// The links of the frame for the user's role.
fn navigation(lang: Lang, user: &PageUser) -> String {
    let links: &[(&str, &str, &str)] = match user.user.actor {
        crate::domain::Actor::Enterprise { .. } => &[
            ("/campaigns", "我的评估", "My assessments"),
            ("/profile", "基本情况", "Profile"),
            ("/sharing", "共享设置", "Sharing"),
            ("/account", "账户", "Account"),
        ],
        crate::domain::Actor::Auditor { .. } => &[
            ("/campaigns", "评估活动", "Campaigns"),
            ("/reviews", "审核队列", "Review queue"),
            ("/audit-log", "审计日志", "Audit log"),
            ("/account", "账户", "Account"),
        ],
        // Admins look after clusters and users, managers their cluster's users.
        crate::domain::Actor::Admin => &[
            ("/campaigns", "评估活动", "Campaigns"),
            ("/reviews", "审核队列", "Review queue"),
            ("/audit-log", "审计日志", "Audit log"),
            ("/clusters", "集群", "Clusters"),
            ("/users", "用户", "Users"),
            ("/account", "账户", "Account"),
        ],
        _ => &[
            ("/campaigns", "评估活动", "Campaigns"),
            ("/users", "用户", "Users"),
            ("/account", "账户", "Account"),
        ],
    };
    links
        .iter()
        .chain(enterprise_links(user))
        .map(|(path, zh, en)| format!(r#"<a href="{}">{}</a>"#, lang.link(path), lang.t(zh, en)))
        .collect()
}

/// The enterprise pages, for the roles that register enterprises.
fn enterprise_links(user: &PageUser) -> &'static [(&'static str, &'static str, &'static str)] {
    match user.user.actor {
        crate::domain::Actor::Admin | crate::domain::Actor::ClusterManager { .. } => {
            &[("/enterprises", "企业", "Enterprises")]
        }
        _ => &[],
    }
}

/// An HTML response with no caching.
pub fn respond(status: StatusCode, html: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}

/// The path and query of `req`: where to come back to after logging in.
pub fn here(req: &actix_web::HttpRequest) -> String {
    match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    }
}

/// A page for an error: a missing or ended session goes to the login form, anything else is a
/// short page with the status and what went wrong (the cause of a 500 is logged, not shown).
pub fn error_page(lang: Lang, err: &AppError, back_to: &str) -> HttpResponse {
    let status = err.status_code();
    let message = match err {
        AppError::Unauthorized => {
            return super::see_other(&format!("/login?next={}", encode(back_to)));
        }
        AppError::Forbidden => lang
            .t(
                "您的角色不能打开此页面。",
                "Your role does not allow this page.",
            )
            .to_owned(),
        AppError::NotShared => lang
            .t(
                "该企业未向集群管理员共享这些内容。",
                "The enterprise does not share this with its cluster manager.",
            )
            .to_owned(),
        AppError::NotFound => lang
            .t("没有找到该页面。", "There is no such page.")
            .to_owned(),
        AppError::CsrfRejected => lang
            .t(
                "该表单不是从本服务的页面提交的。请重新打开页面再试。",
                "This form was not sent from this service's pages. Open the page again and retry.",
            )
            .to_owned(),
        // A request the page cannot serve as asked: say which part, in the API's words.
        AppError::Validation { .. }
        | AppError::Rules { .. }
        | AppError::BadRequest { .. }
        | AppError::Conflict { .. }
        | AppError::UnsupportedMediaType(_)
        | AppError::PayloadTooLarge
        | AppError::TooManyRequests { .. } => {
            let body = err.body();
            let fields: Vec<String> = body
                .fields
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
                .collect();
            if fields.is_empty() {
                body.message
            } else {
                fields.join(" · ")
            }
        }
        other => {
            tracing::error!(error = %other, "page failed");
            lang.t(
                "服务出错，请稍后再试。",
                "Something went wrong; try again later.",
            )
            .to_owned()
        }
    };
    let body = format!(
        r#"<section class="card"><h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></section>"#,
        status.as_u16(),
        escape(&message),
        lang.link("/campaigns"),
        lang.t("返回", "Back")
    );
    respond(
        status,
        page(lang, &status.as_u16().to_string(), None, &body),
    )
}

/// The error paragraph of form field `field` (empty without an error) and the attributes its
/// input then carries (`aria-invalid`, `aria-describedby`).
pub fn field_error(field: &str, text: Option<&str>) -> (String, String) {
    match text {
        Some(text) => (
            format!(
                r#"<p class="field-error" id="error-{field}">{}</p>"#,
                escape(text)
            ),
            format!(r#" aria-invalid="true" aria-describedby="error-{field}""#),
        ),
        None => (String::new(), String::new()),
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The element id of a criterion on the questionnaire page: `c-` and the criterion id with
/// `:` and `.` as `-` (`2025:6.1:L2:3` is `c-2025-6-1-L2-3`).
pub fn criterion_anchor(id: &str) -> String {
    let tail: String = id
        .chars()
        .map(|c| if c == ':' || c == '.' { '-' } else { c })
        .collect();
    format!("c-{tail}")
}

/// Where a criterion is on the questionnaire page of assessment `assessment`: its item's
/// page, scrolled to the criterion.
pub fn criterion_link(lang: Lang, assessment: &str, item: &str, criterion: &str) -> String {
    format!(
        "{}#{}",
        lang.link(&format!("/assessments/{assessment}?item={}", encode(item))),
        criterion_anchor(criterion)
    )
}

/// A table: a header row and rows of cells already escaped.
pub fn table(class: &str, caption: &str, head: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        r#"<table class="{class}"><caption>{}</caption><thead><tr>"#,
        escape(caption)
    );
    for h in head {
        out.push_str(&format!("<th>{h}</th>"));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            if cell.starts_with("<td") {
                out.push_str(cell);
            } else {
                out.push_str(&format!("<td>{cell}</td>"));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_language() {
        assert_eq!(Lang::Zh.link("/a"), "/a");
        assert_eq!(Lang::En.link("/a"), "/a?lang=en");
        assert_eq!(Lang::En.link("/a?x=1"), "/a?x=1&lang=en");
        assert_eq!(Lang::of(Some("en")), Lang::En);
        assert_eq!(Lang::of(Some("fr")), Lang::Zh);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode("/campaigns/1/dashboard?lang=en"),
            "/campaigns/1/dashboard%3Flang%3Den"
        );
        assert_eq!(encode("制造"), "%E5%88%B6%E9%80%A0");
    }

    #[test]
    fn a_criterion_is_found_by_its_anchor_on_its_item_page() {
        assert_eq!(criterion_anchor("2025:6.1:L2:3"), "c-2025-6-1-L2-3");
        assert_eq!(
            criterion_link(Lang::Zh, "a1", "2025:6.1", "2025:6.1:L2:3"),
            "/assessments/a1?item=2025%3A6.1#c-2025-6-1-L2-3"
        );
        assert_eq!(
            criterion_link(Lang::En, "a1", "2025:6.1", "2025:6.1:L2:3"),
            "/assessments/a1?item=2025%3A6.1&lang=en#c-2025-6-1-L2-3"
        );
    }

    #[test]
    fn pages_load_nothing_from_elsewhere() {
        let html = page_with(Lang::En, "<t>", None, "<p>x</p>", &["questionnaire.js"]);
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(html.contains("<title>&lt;t&gt; · DCMM</title>"));
        assert!(html.contains(r#"<script src="/static/questionnaire.js"></script>"#));
    }
}
