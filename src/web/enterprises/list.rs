//! `/enterprises`: the cluster's enterprises with their contact and their stage in the current
//! campaign, filtered through a GET form, at most [`SHOWN`] at a time.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{asked_cluster, picker, Scope};
use crate::domain::enterprise::Size;
use crate::enterprise::industries;
use crate::enterprise::list::{search, Filter, Listing, Standing};
use crate::questionnaire::model::Choice;
use crate::state::{db_call, State};
use crate::web::html::{escape, page, respond, Lang};
use crate::web::session::{PageError, PageUser};

/// Rows a page shows; the count says how many more match.
pub const SHOWN: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    status: String,
    /// Which block of [`SHOWN`] rows, from 1.
    page: Option<usize>,
    #[serde(default)]
    registered: String,
}

impl ListQuery {
    fn filter(&self, industries: &[Choice]) -> Filter {
        Filter {
            q: self.q.trim().to_owned(),
            industry: industries
                .iter()
                .find(|c| c.value == self.industry.trim())
                .map(|c| c.value.clone()),
            size: Size::parse(&self.size).filter(|_| !self.size.trim().is_empty()),
            standing: Standing::parse(&self.status),
        }
    }
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let industries = industries(&state);
    let filter = query.filter(&industries);
    let user = page_user.user.clone();
    let asked = asked_cluster(&req);
    let (scope, listing) = db_call(&state, move |_, conn| {
        let scope = Scope::load(conn, &user, asked.as_deref())?;
        let listing = search(conn, scope.cluster.id, &filter)?;
        Ok((scope, listing))
    })
    .await
    .map_err(fail)?;
    let lang = page_user.lang;
    let html = body(lang, &scope, &query, &industries, &listing);
    Ok(respond(
        StatusCode::OK,
        page(lang, lang.t("企业", "Enterprises"), Some(&page_user), &html),
    ))
}

fn select(id: &str, label: &str, all: &str, options: &[(String, String)], chosen: &str) -> String {
    let mut out = format!(
        r#"<label for="{id}">{label}</label><select id="{id}" name="{name}"><option value="">{all}</option>"#,
        name = id.trim_start_matches("f-"),
    );
    for (value, text) in options {
        out.push_str(&format!(
            r#"<option value="{}"{}>{}</option>"#,
            escape(value),
            if value == chosen { " selected" } else { "" },
            escape(text)
        ));
    }
    out.push_str("</select>");
    out
}

fn filters(lang: Lang, scope: &Scope, q: &ListQuery, industries: &[Choice]) -> String {
    let industry_options: Vec<(String, String)> = industries
        .iter()
        .map(|c| (c.value.clone(), c.label.get(lang).to_owned()))
        .collect();
    let sizes: Vec<(String, String)> = Size::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
        .collect();
    let standings: Vec<(String, String)> = Standing::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
        .collect();
    let hidden = {
        let mut h = String::new();
        if !scope.choices.is_empty() {
            h.push_str(&format!(
                r#"<input type="hidden" name="cluster" value="{}">"#,
                scope.cluster.id
            ));
        }
        if lang == Lang::En {
            h.push_str(r#"<input type="hidden" name="lang" value="en">"#);
        }
        h
    };
    format!(
        r#"<form method="get" action="/enterprises" class="filters card" id="filters" role="search" aria-label="{aria}">
<label for="f-q">{search}</label><input type="search" id="f-q" name="q" value="{qv}" maxlength="100">
{industry}{size}{status}{hidden}
<span class="actions"><button type="submit" id="apply">{apply}</button> <a href="{clear}">{clear_label}</a></span>
</form>"#,
        aria = lang.t("筛选企业", "Filter the enterprises"),
        search = lang.t("名称或信用代码", "Name or credit code"),
        qv = escape(&q.q),
        industry = select(
            "f-industry",
            lang.t("行业", "Industry"),
            lang.t("全部行业", "Every industry"),
            &industry_options,
            q.industry.trim()
        ),
        size = select(
            "f-size",
            lang.t("规模", "Size"),
            lang.t("全部规模", "Every size"),
            &sizes,
            q.size.trim()
        ),
        status = select(
            "f-status",
            lang.t("本期状态", "Status"),
            lang.t("全部状态", "Every status"),
            &standings,
            q.status.trim()
        ),
        apply = lang.t("筛选", "Filter"),
        clear = escape(&scope.link(lang, "/enterprises")),
        clear_label = lang.t("清除筛选", "Clear filters"),
    )
}

fn body(
    lang: Lang,
    scope: &Scope,
    q: &ListQuery,
    industries: &[Choice],
    listing: &Listing,
) -> String {
    let mut out = format!(
        r#"<h1>{title}</h1><p class="note">{cluster}</p>{picker}"#,
        title = lang.t("企业", "Enterprises"),
        cluster = escape(&scope.cluster.name),
        picker = picker(lang, scope, "/enterprises"),
    );
    if !q.registered.is_empty() {
        out.push_str(&format!(
            r#"<p class="saved" role="status">{}</p>"#,
            lang.t("已登记。", "Registered.")
        ));
    }
    out.push_str(&format!(
        r#"<p class="actions"><a href="{new}" id="register">{new_label}</a> <a href="{import}" id="import">{import_label}</a></p>"#,
        new = escape(&scope.link(lang, "/enterprises/new")),
        new_label = lang.t("登记企业", "Register an enterprise"),
        import = escape(&scope.link(lang, "/enterprises/import")),
        import_label = lang.t("从 CSV 导入", "Import from CSV"),
    ));
    out.push_str(&filters(lang, scope, q, industries));
    let campaign = match &listing.campaign {
        Some(c) => match lang {
            Lang::Zh => format!("状态为评估活动“{}”中的状态。", c.name),
            Lang::En => format!("Status in the campaign “{}”.", c.name),
        },
        None => lang
            .t("本集群还没有评估活动。", "The cluster has no campaign yet.")
            .to_owned(),
    };
    let matched = listing.rows.len();
    let pages = matched.div_ceil(SHOWN).max(1);
    let at = q.page.unwrap_or(1).clamp(1, pages);
    let shown = &listing.rows[((at - 1) * SHOWN).min(matched)..(at * SHOWN).min(matched)];
    let count = match lang {
        Lang::Zh => format!(
            "显示 {} 家，共 {matched} 家符合条件（本集群共 {} 家）。",
            shown.len(),
            listing.total
        ),
        Lang::En => format!(
            "Showing {} of {matched} matching ({} in the cluster).",
            shown.len(),
            listing.total
        ),
    };
    out.push_str(&format!(
        r#"<section aria-labelledby="list-h"><h2 id="list-h">{h}</h2><p class="muted" data-figure="shown" role="status">{count}</p><p class="note">{campaign}</p>"#,
        h = lang.t("企业名单", "The list"),
        count = escape(&count),
        campaign = escape(&campaign),
    ));
    if shown.is_empty() {
        out.push_str(&format!(
            "<p>{}</p></section>",
            lang.t("没有符合条件的企业。", "No enterprise matches.")
        ));
        return out;
    }
    let industry = |code: &str| {
        industries
            .iter()
            .find(|c| c.value == code)
            .map_or_else(|| code.to_owned(), |c| c.label.get(lang).to_owned())
    };
    let heads = [
        lang.t("企业名称", "Name"),
        lang.t("统一社会信用代码", "Credit code"),
        lang.t("行业", "Industry"),
        lang.t("规模", "Size"),
        lang.t("地区", "Region"),
        lang.t("联系人", "Contact"),
        lang.t("本期状态", "Status"),
    ];
    out.push_str(&format!(
        r#"<div class="tableview"><table class="enterprise-list cards" id="enterprises"><caption>{}</caption><thead><tr>"#,
        lang.t("本集群的企业", "The cluster's enterprises")
    ));
    for h in heads {
        out.push_str(&format!(r#"<th scope="col">{h}</th>"#));
    }
    out.push_str("</tr></thead><tbody>");
    for l in shown {
        let e = &l.enterprise;
        let contact: Vec<&str> = [&e.contact_name, &e.contact_phone, &e.contact_email]
            .into_iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        let cells = [
            format!(
                r#"<a href="{}">{}</a>"#,
                escape(&lang.link(&format!("/enterprises/{}", e.id))),
                escape(&e.name)
            ),
            format!("<code>{}</code>", escape(&e.credit_code)),
            escape(&industry(&e.industry)),
            escape(e.size.label(lang)),
            escape(&e.region),
            escape(&contact.join(" · ")),
            format!(
                r#"<span class="stage {}">{}</span>"#,
                l.standing.as_str(),
                escape(l.standing.label(lang))
            ),
        ];
        out.push_str(&format!(r#"<tr id="e-{}">"#, e.id));
        for (h, c) in heads.iter().zip(cells) {
            out.push_str(&format!(r#"<td data-label="{h}">{c}</td>"#));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if pages > 1 {
        let link = |n: usize| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in [
                ("q", q.q.as_str()),
                ("industry", q.industry.as_str()),
                ("size", q.size.as_str()),
                ("status", q.status.as_str()),
            ] {
                if !v.is_empty() {
                    s.append_pair(k, v);
                }
            }
            s.append_pair("page", &n.to_string());
            escape(&scope.link(lang, &format!("/enterprises?{}", s.finish())))
        };
        let mut nav = String::new();
        if at > 1 {
            nav.push_str(&format!(
                r#"<a href="{}" rel="prev">{}</a>"#,
                link(at - 1),
                lang.t("← 上一页", "← Previous")
            ));
        }
        if at < pages {
            nav.push_str(&format!(
                r#"<a href="{}" class="next" rel="next">{}</a>"#,
                link(at + 1),
                lang.t("下一页 →", "Next →")
            ));
        }
        out.push_str(&format!(
            r#"<nav class="pager" aria-label="{}">{nav}</nav>"#,
            lang.t("翻页", "Pages")
        ));
    }
    out.push_str("</section>");
    out
}
