//! The submit check of an assessment: every unanswered criterion by domain and item, each a
//! link to it on the questionnaire page, and the submit button, enabled only when nothing is
//! left. Submitting runs the same service as `POST /api/v1/assessments/{id}/submit`; a
//! submission with criteria left shows the check again and changes nothing.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{criterion_link, escape, page, respond, Lang};
use super::session::{PageError, PageUser};
use crate::assessment::{check, submit, Check};
use crate::domain::assessment::Status;
use crate::error::AppError;
use crate::ids::AssessmentId;
use crate::state::{db_call, State};

#[derive(Debug, Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    csrf: String,
}

/// More unanswered criteria than this and the list shows the first domain's only, the others
/// folded under their counts.
const FOLD_OVER: usize = 40;

/// An assessment id from a page's path; a malformed one is no such page.
pub fn assessment_id(raw: &str) -> Result<AssessmentId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// Why the page is shown again after a submission was tried.
enum Refused {
    /// Criteria are still unanswered.
    Gaps,
    /// The assessment is no longer a draft.
    Frozen,
}

fn summary(lang: Lang, c: &Check, csrf: &str, refused: Option<&Refused>) -> String {
    let id = c.assessment.id.to_string();
    let total = c.questionnaire.criterion_count();
    let missing = c.missing();
    let mut out = String::new();
    match refused {
        Some(Refused::Gaps) => out.push_str(&format!(
            r#"<p class="notice" role="alert">{}</p>"#,
            lang.t(
                "未提交：仍有条款未作答。请先完成下列条款。",
                "Not submitted: some criteria are still unanswered. Answer those listed below first."
            )
        )),
        Some(Refused::Frozen) => out.push_str(&format!(
            r#"<p class="notice" role="alert">{}</p>"#,
            lang.t(
                "未提交：该评估已不是草稿。",
                "Not submitted: the assessment is no longer a draft."
            )
        )),
        None => {}
    }
    let status = c.assessment.status;
    if !status.is_editable() {
        out.push_str(&format!(
            "<p>{}</p>",
            match status {
                Status::Submitted => lang.t(
                    "该评估已提交，正等待审核员核验；问卷现为只读。",
                    "The assessment is submitted and awaits an auditor's review; the questionnaire is read-only."
                ),
                _ => lang.t(
                    "该评估已经审核通过，不能再提交。",
                    "The assessment is accepted and cannot be submitted again."
                ),
            }
        ));
        out.push_str(&format!(
            r#"<p class="actions"><a class="button" href="{}">{}</a> <a href="{}">{}</a></p>"#,
            lang.link(&format!("/assessments/{id}/results")),
            lang.t("查看结果", "View the results"),
            lang.link(&format!("/assessments/{id}")),
            lang.t("查看问卷", "View the questionnaire"),
        ));
        return out;
    }
    out.push_str(&if missing == 0 {
        format!(
            r#"<p id="submit-state">{}</p>"#,
            match lang {
                Lang::Zh => format!(
                    "全部 <span data-figure=\"total\">{total}</span> 条条款均已作答，可以提交。提交后问卷变为只读，等待审核员核验。"
                ),
                Lang::En => format!(
                    "All <span data-figure=\"total\">{total}</span> criteria are answered: the assessment can be submitted. Afterwards the questionnaire is read-only until an auditor reviews it."
                ),
            }
        )
    } else {
        format!(
            r#"<p id="submit-state">{}</p>"#,
            match lang {
                Lang::Zh => format!(
                    "尚有 <span data-figure=\"missing\">{missing}</span> 条未作答（共 <span data-figure=\"total\">{total}</span> 条）。全部作答后才能提交。"
                ),
                Lang::En => format!(
                    "<span data-figure=\"missing\">{missing}</span> of <span data-figure=\"total\">{total}</span> criteria are still unanswered. The assessment can be submitted once every criterion is answered."
                ),
            }
        )
    });
    if c.may_submit {
        let disabled = if c.ready() {
            ""
        } else {
            r#" disabled aria-describedby="submit-state""#
        };
        out.push_str(&format!(
            r#"<form method="post" action="{action}" class="actions">{csrf}<button type="submit" id="submit"{disabled}>{label}</button> <a href="{back}">{back_label}</a></form>"#,
            action = lang.link(&format!("/assessments/{id}/submit")),
            label = lang.t("提交评估", "Submit the assessment"),
            back = lang.link(&format!("/assessments/{id}")),
            back_label = lang.t("返回问卷", "Back to the questionnaire"),
        ));
    }
    out
}

fn gap_list(lang: Lang, c: &Check) -> String {
    let id = c.assessment.id.to_string();
    let gaps = c.gaps();
    if gaps.is_empty() {
        return String::new();
    }
    let mut out = format!(
        r#"<section class="card" id="gaps"><h2 id="gaps-h">{}</h2>"#,
        lang.t("未作答的条款", "Unanswered criteria")
    );
    // A long list opens one domain at a time: the rest stay folded under their counts.
    let fold = c.missing() > FOLD_OVER;
    for (n, d) in gaps.iter().enumerate() {
        let count: usize = d.items.iter().map(|i| i.criteria.len()).sum();
        let open = if fold && n > 0 { "" } else { " open" };
        out.push_str(&format!(
            r#"<details class="gap-domain" data-domain="{}"{open}><summary><h3>{} <small class="muted">{}</small></h3></summary>"#,
            escape(&d.domain.id),
            escape(d.domain.name.get(lang)),
            match lang {
                Lang::Zh => format!("{count} 条"),
                Lang::En => format!("{count} left"),
            }
        ));
        for i in &d.items {
            out.push_str(&format!(
                r#"<h4>{}</h4><ol class="gaps">"#,
                escape(i.item.name.get(lang))
            ));
            for cr in &i.criteria {
                out.push_str(&format!(
                    r#"<li><a href="{}">{}</a> <span class="muted">{} {}</span></li>"#,
                    escape(&criterion_link(lang, &id, &i.item.id, &cr.id)),
                    escape(cr.text.get(lang)),
                    lang.t("等级", "level"),
                    cr.level,
                ));
            }
            out.push_str("</ol>");
        }
        out.push_str("</details>");
    }
    out.push_str("</section>");
    out
}

/// The page's body: what is left and the form, then the list of gaps.
fn body(lang: Lang, c: &Check, csrf: &str, refused: Option<&Refused>) -> String {
    let note = match &c.return_note {
        Some(n) => format!(
            r#"<p class="notice"><strong>{}</strong> {}</p>"#,
            lang.t("审核员退回意见：", "The auditor returned it:"),
            escape(n)
        ),
        None => String::new(),
    };
    format!(
        r#"<h1>{} <small>{}</small></h1>{note}<section class="card" id="check"><h2>{}</h2>{}</section>{}"#,
        escape(&c.campaign.name),
        lang.t("提交检查", "submit check"),
        escape(&c.assessment.enterprise.name),
        summary(lang, c, csrf, refused),
        gap_list(lang, c),
    )
}

fn render(page_user: &PageUser, c: &Check, refused: Option<&Refused>) -> String {
    let lang = page_user.lang;
    let title = format!(
        "{} · {}",
        c.campaign.name,
        lang.t("提交检查", "Submit check")
    );
    page(
        lang,
        &title,
        Some(page_user),
        &body(lang, c, &page_user.csrf_field(), refused),
    )
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    let user = page_user.user.clone();
    let c = db_call(&state, move |s, conn| check(s, conn, &user, id))
        .await
        .map_err(fail)?;
    Ok(respond(StatusCode::OK, render(&page_user, &c, None)))
}

/// Submits, then goes to the results; with criteria left (or once frozen), the check again.
pub async fn post(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let user = page_user.user.clone();
    let done = db_call(&state, move |s, conn| submit(s, conn, &user, id)).await;
    let (status, refused) = match done {
        Ok(_) => {
            let to = page_user.lang.link(&format!("/assessments/{id}/results"));
            return Ok(super::see_other(&to));
        }
        Err(AppError::Validation { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, Refused::Gaps),
        Err(e @ AppError::Conflict { .. }) => {
            tracing::info!(error = %e, "submit refused");
            (StatusCode::CONFLICT, Refused::Frozen)
        }
        Err(e) => return Err(fail(e)),
    };
    let user = page_user.user.clone();
    let c = db_call(&state, move |s, conn| check(s, conn, &user, id))
        .await
        .map_err(fail)?;
    Ok(respond(status, render(&page_user, &c, Some(&refused))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    use crate::db::campaigns::CampaignRow;
    use crate::db::refs::{AssessmentRef, EnterpriseRef};
    use crate::domain::campaign::CampaignStatus;
    use crate::domain::sharing::Sharing;
    use crate::ids::{CampaignId, ClusterId, EnterpriseId};
    use crate::questionnaire::Registry;

    fn check_of(status: Status, answered: usize, may_submit: bool) -> Check {
        let registry = Registry::built_in().unwrap();
        let q = registry.default_dcmm().unwrap().clone();
        let answered: HashSet<String> = q.criteria().take(answered).map(|c| c.id.clone()).collect();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        let campaign = CampaignRow {
            id: CampaignId::new(),
            cluster_id: ClusterId::new(),
            name: "2026 年度评估".into(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            due_date: at.date(),
            target_level: 3,
            status: CampaignStatus::Open,
            created_by: None,
            created_at: at,
            updated_at: at,
        };
        Check {
            assessment: AssessmentRef {
                id: AssessmentId::new(),
                campaign_id: campaign.id,
                enterprise: EnterpriseRef {
                    id: EnterpriseId::new(),
                    cluster_id: campaign.cluster_id,
                    name: "闽江智造".into(),
                    sharing: Sharing::Full,
                },
                status,
                version: 3,
                questionnaire_id: q.id.clone(),
                questionnaire_hash: q.hash.clone(),
                target_level: 3,
                campaign_status: crate::domain::campaign::CampaignStatus::Open,
            },
            campaign,
            questionnaire: q,
            answered,
            return_note: None,
            may_submit,
        }
    }

    use crate::web::check::text;

    #[test]
    fn gaps_are_listed_by_their_texts_with_links_and_submit_stays_disabled() {
        let c = check_of(Status::Draft, 500, true);
        let q = c.questionnaire.clone();
        let left: Vec<_> = q.criteria().skip(500).collect();
        let html = body(Lang::Zh, &c, "<input name=csrf>", None);
        assert!(html.contains(&format!(r#"data-figure="missing">{}<"#, left.len())));
        for cr in &left {
            assert!(html.contains(&escape(&cr.text.zh)), "{}", cr.id);
            assert!(html.contains(&super::super::html::criterion_anchor(&cr.id)));
        }
        assert!(html.contains(r#"id="submit" disabled"#), "{html}");
        let shown = text(&html);
        for cr in q.criteria() {
            assert!(!shown.contains(&cr.id), "{} shown", cr.id);
        }
        assert!(!html.contains(&left[0].id), "not even in the markup");
        let en = body(Lang::En, &c, "", None);
        assert!(en.contains(&escape(&left[0].text.en)) && en.contains("&amp;lang=en#c-"));
    }

    #[test]
    fn nothing_left_enables_submit_and_a_refusal_says_why() {
        let all = check_of(Status::Draft, usize::MAX, true);
        let html = body(Lang::Zh, &all, "<input name=csrf>", None);
        assert!(
            html.contains(r#"<button type="submit" id="submit">"#),
            "{html}"
        );
        assert!(html.contains("<input name=csrf>"));
        assert!(!html.contains(r#"id="gaps""#));
        let refused = body(
            Lang::Zh,
            &check_of(Status::Draft, 3, true),
            "",
            Some(&Refused::Gaps),
        );
        assert!(refused.contains(r#"role="alert""#) && refused.contains("未提交"));
        let auditor = body(Lang::Zh, &check_of(Status::Draft, 3, false), "", None);
        assert!(!auditor.contains("<form"), "only the enterprise submits");
        let frozen = body(
            Lang::Zh,
            &check_of(Status::Submitted, usize::MAX, true),
            "",
            None,
        );
        assert!(frozen.contains("只读") && !frozen.contains("<form"));
        assert!(frozen.contains("/results"));
    }

    #[test]
    fn a_malformed_id_is_no_such_page() {
        assert!(matches!(assessment_id("nope"), Err(AppError::NotFound)));
        let id = AssessmentId::new();
        assert_eq!(assessment_id(&id.to_string()).unwrap(), id);
    }
}
