//! The review page of a submitted assessment (`/assessments/{id}/review`): the questionnaire
//! page in its review mode, with a bar on top (self-assessed and verified overall as the review
//! stands, re-rated criteria, the sample and its draw, return with a note, accept behind a
//! confirmation that shows what will be frozen) and the review filters. `review.js` saves each
//! verified rating at once through `PUT /api/v1/assessments/{id}/review/ratings/{criterion}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::markup::{body, level_label};
use super::view::{Mode, View};
use super::{Loaded, SheetQuery};
use crate::assessment::review::{self, DecisionRequest};
use crate::assessment::sample::Stratum;
use crate::audit;
use crate::domain::assessment::Status;
use crate::error::AppError;
use crate::questionnaire::Lang;
use crate::state::{db_call, State};
use crate::web::html::{escape, page, page_with, respond};
use crate::web::session::{PageError, PageUser};
use crate::web::submit::assessment_id;

/// The sample size the form suggests.
const SAMPLE_SIZE: usize = 30;

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
    query: web::Query<SheetQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let loaded = db_call(&state, move |s, conn| {
        Loaded::load_review(s, conn, &user, id)
    })
    .await
    .map_err(fail)?;
    // Nothing waits for review: the questionnaire (a draft) or the results (accepted).
    match loaded.assessment.status {
        Status::Submitted => {}
        Status::Accepted => {
            return Ok(crate::web::see_other(
                &lang.link(&format!("/assessments/{id}/results")),
            ))
        }
        Status::Draft => {
            return Ok(crate::web::see_other(
                &lang.link(&format!("/assessments/{id}")),
            ))
        }
    }
    let mut view = View::new(&loaded, lang, &query);
    view.csrf = page_user.csrf_field();
    let title = format!(
        "{} · {}",
        loaded.assessment.enterprise.name,
        lang.t("审核", "Review")
    );
    Ok(respond(
        StatusCode::OK,
        page_with(lang, &title, Some(&page_user), &body(&view), &["review.js"]),
    ))
}

/// The bar on top of the review page.
pub fn bar(v: &View<'_>) -> String {
    let (Mode::Review { may_rate }, Some(r)) = (v.mode, &v.loaded.review) else {
        return String::new();
    };
    let lang = v.lang;
    let p = &r.progress;
    let st = &p.standing;
    let sample = match &p.sample {
        Some(s) => format!(
            r#"<p class="sample-info" data-figure="sample">{}</p>"#,
            escape(&match lang {
                Lang::Zh => format!(
                    "抽样：{} 条，按{}分层，种子 {}，{} 抽取。",
                    s.criteria.len(),
                    if s.by == Stratum::Level {
                        "级别"
                    } else {
                        "能力域"
                    },
                    s.seed,
                    s.drawn_at.format("%Y-%m-%d %H:%M")
                ),
                Lang::En => format!(
                    "Sample: {} criteria, stratified by {}, seed {}, drawn {}.",
                    s.criteria.len(),
                    s.by.as_str(),
                    s.seed,
                    s.drawn_at.format("%Y-%m-%d %H:%M")
                ),
            })
        ),
        None => format!(
            r#"<p class="sample-info muted">{}</p>"#,
            lang.t("尚未抽样。", "No sample drawn yet.")
        ),
    };
    let mut out = format!(
        r#"<section class="card review-bar" id="review-bar" aria-labelledby="review-h"><h2 id="review-h">{title}</h2><dl class="figures"><dt>{self_label}</dt><dd><span data-figure="review-self">{self_score}</span> · <span data-figure="review-self-level">{self_level}</span></dd><dt>{verified_label}</dt><dd><strong data-figure="review-verified">{verified_score}</strong> · <span data-figure="review-verified-level">{verified_level}</span></dd><dt>{rerated_label}</dt><dd><span data-figure="review-rerated">{re_rated}</span></dd><dt>{rated_label}</dt><dd><span data-figure="review-rated">{rated}</span></dd></dl>{sample}"#,
        title = lang.t("审核进展", "The review so far"),
        self_label = lang.t("自评总分", "Self-assessed"),
        self_score = st.self_score,
        self_level = escape(&level_label(lang, st.self_level)),
        verified_label = lang.t("核验总分（按当前审核）", "Verified, as the review stands"),
        verified_score = st.verified_score,
        verified_level = escape(&level_label(lang, st.verified_level)),
        rerated_label = lang.t("评定与自评不同的条款", "Criteria rated otherwise"),
        re_rated = st.re_rated,
        rated_label = lang.t("本次已评定", "Rated in this review"),
        rated = p.ratings.len(),
    );
    if may_rate {
        out.push_str(&format!(
            r#"<div class="review-actions"><form method="post" action="{sample_to}" class="sample-form">{csrf}<label for="sample-size">{size_label}</label><input type="number" id="sample-size" name="size" min="1" max="{total}" value="{size}" required><label for="sample-by">{by_label}</label><select id="sample-by" name="by"><option value="level">{by_level}</option><option value="domain">{by_domain}</option></select><button type="submit">{draw}</button></form>
<form method="post" action="{decide_to}" class="return-form">{csrf}<input type="hidden" name="decision" value="return"><label for="return-note">{note_label}</label><textarea id="return-note" name="note" rows="2" maxlength="4000" required></textarea><button type="submit">{return_label}</button></form>
<p><a class="button" id="accept" href="{accept_to}">{accept_label}</a></p></div>"#,
            sample_to = lang.link(&format!("/assessments/{}/review/sample", v.id)),
            decide_to = lang.link(&format!("/assessments/{}/review/decision", v.id)),
            accept_to = lang.link(&format!("/assessments/{}/review/accept", v.id)),
            csrf = v.csrf,
            size_label = lang.t("抽样条数", "Sample size"),
            total = v.loaded.questionnaire.criterion_count(),
            size = SAMPLE_SIZE.min(v.loaded.questionnaire.criterion_count()),
            by_label = lang.t("分层", "Stratified by"),
            by_level = lang.t("按级别", "level"),
            by_domain = lang.t("按能力域", "domain"),
            draw = lang.t("抽样", "Draw a sample"),
            note_label = lang.t("退回说明（必填）", "Why it goes back (required)"),
            return_label = lang.t("退回企业修改", "Return to the enterprise"),
            accept_label = lang.t("通过审核…", "Accept…"),
        ));
    }
    out.push_str("</section>");
    out
}

/// The review page's filters: a plain GET form.
pub fn filters(v: &View<'_>, levels: &str, keep_lang: &str) -> String {
    let lang = v.lang;
    let f = &v.filter;
    let check = |on: bool| if on { " checked" } else { "" };
    let mut domains = format!(
        r#"<option value=""{}>{}</option>"#,
        if f.domain.is_none() { " selected" } else { "" },
        lang.t("全部能力域", "All domains")
    );
    for d in &v.loaded.questionnaire.domains {
        domains.push_str(&format!(
            r#"<option value="{id}"{sel}>{section} {name}</option>"#,
            id = escape(&d.id),
            sel = if f.domain.as_deref() == Some(d.id.as_str()) {
                " selected"
            } else {
                ""
            },
            section = escape(&d.section),
            name = escape(d.name.get(lang)),
        ));
    }
    format!(
        r#"<form class="filters card" id="filters" method="get" action="{action}"><input type="hidden" name="item" value="{item}">{keep_lang}<label><input type="checkbox" name="sampled" value="1"{sampled}> {sampled_label}</label><label><input type="checkbox" name="evidence" value="1"{evidence}> {evidence_label}</label><label><input type="checkbox" name="rerated" value="1"{rerated}> {rerated_label}</label><label for="only-level">{level_label}</label><select name="level" id="only-level">{levels}</select><label for="only-domain">{domain_label}</label><select name="domain" id="only-domain">{domains}</select><button type="submit" class="apply">{apply}</button></form>"#,
        action = escape(&v.base()),
        item = escape(&v.item().id),
        sampled = check(f.sampled),
        sampled_label = lang.t("只看抽样", "Sampled only"),
        evidence = check(f.evidence),
        evidence_label = lang.t("只看有证据的", "With evidence"),
        rerated = check(f.rerated),
        rerated_label = lang.t("只看已改评", "Re-rated only"),
        level_label = lang.t("级别", "Level"),
        domain_label = lang.t("能力域", "Domain"),
        apply = lang.t("筛选", "Filter"),
    )
}

#[derive(Debug, Deserialize)]
pub struct SampleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    by: String,
}

/// Draws the sample, then shows the review page with only the sample.
pub async fn draw_sample(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
    form: web::Form<SampleForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let size = form
        .size
        .trim()
        .parse::<usize>()
        .map_err(|_| fail(AppError::field("size", "must be a whole number")))?;
    let by = Stratum::parse(form.by.trim())
        .ok_or_else(|| fail(AppError::field("by", "must be level or domain")))?;
    let user = page_user.user.clone();
    db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| {
            review::draw_sample(s, c, &user, id, size, by, None)
        })
    })
    .await
    .map_err(fail)?;
    Ok(crate::web::see_other(
        &page_user
            .lang
            .link(&format!("/assessments/{id}/review?sampled=1")),
    ))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// Returns or accepts (the latter from the confirmation page), then the queue or the results.
pub async fn decide(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let form = form.into_inner();
    let request = DecisionRequest {
        decision: form.decision,
        note: form.note,
        confirm: form.confirm.as_deref() == Some("1"),
        verified: Vec::new(),
    };
    let user = page_user.user.clone();
    let (_, outcome) = db_call(&state, move |s, conn| {
        audit::write_tx(conn, |c| review::decide(s, c, &user, id, &request))
    })
    .await
    .map_err(fail)?;
    let lang = page_user.lang;
    let to = match outcome.decision {
        crate::domain::assessment::Decision::Accept => {
            lang.link(&format!("/assessments/{id}/results"))
        }
        crate::domain::assessment::Decision::Return => lang.link("/reviews?returned=1"),
    };
    Ok(crate::web::see_other(&to))
}

/// Before accepting: what will be frozen, and the button that does it.
pub async fn confirm(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    let user = page_user.user.clone();
    let lang = page_user.lang;
    let loaded = db_call(&state, move |s, conn| {
        Loaded::load_review(s, conn, &user, id)
    })
    .await
    .map_err(fail)?;
    // Only the cluster's auditors accept; an admin looking on has nothing to confirm.
    if !loaded.may_review {
        return Err(fail(AppError::Forbidden));
    }
    let Some(r) = loaded.review.as_ref() else {
        return Err(fail(AppError::conflict(
            crate::error::ErrorCode::NotSubmitted,
            "the assessment is not waiting for review",
        )));
    };
    let view = View::new(&loaded, lang, &SheetQuery::default());
    let st = &r.progress.standing;
    let q = &*loaded.questionnaire;
    let mut rows = String::new();
    for c in q.criteria() {
        if !view.rerated(c) {
            continue;
        }
        let own = view.answer(&c.id).map_or_else(
            || lang.t("未答", "unanswered").to_owned(),
            |a| view.rating_name(a.rating).to_owned(),
        );
        let verified = view
            .review
            .as_ref()
            .and_then(|rv| rv.verified(&c.id))
            .map_or("", |x| view.rating_name(x));
        let note = view
            .review
            .as_ref()
            .and_then(|rv| {
                rv.saved
                    .get(c.id.as_str())
                    .map(|s| s.note.as_str())
                    .or_else(|| rv.earlier.get(c.id.as_str()).map(|e| e.note.as_str()))
            })
            .unwrap_or("");
        // Each cell names its column, so a phone can show the rows as stacked cards.
        rows.push_str(&format!(
            r#"<tr><td class="text">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td></tr>"#,
            escape(c.text.get(lang)),
            lang.t("自评", "Self"),
            escape(&own),
            lang.t("审核评定", "Verified"),
            escape(verified),
            lang.t("审核说明", "Note"),
            escape(note)
        ));
    }
    let table = if rows.is_empty() {
        format!(
            "<p>{}</p>",
            lang.t(
                "审核未改动任何条款的评定：核验结果与自评相同。",
                "The review changes no rating: the verified result equals the self-assessment."
            )
        )
    } else {
        format!(
            r#"<div class="tableview" tabindex="0" role="region" aria-labelledby="confirm-rerated-h"><table class="differences"><caption id="confirm-rerated-h">{}</caption><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
            lang.t("将冻结的改评条款", "The re-rated criteria to be frozen"),
            lang.t("条款", "Criterion"),
            lang.t("自评", "Self"),
            lang.t("审核评定", "Verified"),
            lang.t("审核说明", "Note"),
        )
    };
    let body = format!(
        r#"<section class="card confirm" aria-labelledby="confirm-h"><h1 id="confirm-h">{title}</h1><p class="notice">{warning}</p><dl class="figures facts"><dt>{e_label}</dt><dd>{enterprise}</dd><dt>{self_label}</dt><dd data-figure="confirm-self">{self_score} · {self_level}</dd><dt>{verified_label}</dt><dd><strong data-figure="confirm-verified">{verified_score} · {verified_level}</strong></dd><dt>{rerated_label}</dt><dd data-figure="confirm-rerated">{re_rated}</dd></dl>{table}<form method="post" action="{action}">{csrf}<input type="hidden" name="decision" value="accept"><input type="hidden" name="confirm" value="1"><label for="accept-note">{note_label}</label><textarea id="accept-note" name="note" rows="2" maxlength="4000"></textarea><p class="actions"><button type="submit" id="confirm-accept">{accept}</button> <a href="{back}">{cancel}</a></p></form></section>"#,
        title = lang.t("确认通过审核", "Confirm the acceptance"),
        warning = lang.t(
            "通过后，评估及其核验评定将永久冻结，企业不能再修改，报告以此为准。",
            "Once accepted, the assessment and its verified ratings are frozen for good: the enterprise can no longer change it and its reports rest on it."
        ),
        e_label = lang.t("企业", "Enterprise"),
        enterprise = escape(&loaded.assessment.enterprise.name),
        self_label = lang.t("自评总分", "Self-assessed"),
        self_score = st.self_score,
        self_level = escape(&level_label(lang, st.self_level)),
        verified_label = lang.t("将冻结的核验总分", "Verified score to be frozen"),
        verified_score = st.verified_score,
        verified_level = escape(&level_label(lang, st.verified_level)),
        rerated_label = lang.t("评定与自评不同的条款", "Criteria rated otherwise"),
        re_rated = st.re_rated,
        action = lang.link(&format!("/assessments/{id}/review/decision")),
        csrf = page_user.csrf_field(),
        note_label = lang.t("审核意见（可选）", "Note (optional)"),
        accept = lang.t("确认通过并冻结", "Accept and freeze"),
        back = lang.link(&format!("/assessments/{id}/review")),
        cancel = lang.t("返回继续审核", "Back to the review"),
    );
    Ok(respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("确认通过审核", "Confirm the acceptance"),
            Some(&page_user),
            &body,
        ),
    ))
}
