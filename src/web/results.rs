//! The results of an assessment: the enterprise report's model (`report::enterprise`), the one
//! the PDF walks, drawn as a page, so the two never disagree. The overall score and the
//! indicated level with its name (and, when verification changed it, from which to which),
//! the radar of domain scores against the target, each domain's strengths and weaknesses, the
//! item table (self-assessed and verified once reviewed, each with why it scores what it
//! does), the gap plan by item with the steps to do first, the cluster benchmark, the change
//! since the previous campaign, and who reviewed it with the criteria the auditor rated; a
//! draft's result is marked provisional and says what is missing.
//!
//! Figures a reader (or the browser test) compares carry `data-figure` names.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dashboard::markup::{card, fig, note, table_with, TableView};
use super::dashboard::sections::{block, pair};
use super::html::{criterion_link, escape, page, respond, Lang};
use super::session::{PageError, PageUser};
use super::submit::assessment_id;
use crate::report::enterprise::{EnterpriseReport, GapRow, ScoreRow, Table, FLAG};
use crate::report::issue::assessment_report;
use crate::report::svg;
use crate::state::{db_call, State};

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = assessment_id(&path).map_err(fail)?;
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let (_, report) = db_call(&state, move |s, conn| {
        assessment_report(s, conn, Some(&user), id, lang)
    })
    .await
    .map_err(fail)?;
    let title = format!("{} · {}", report.campaign, lang.t("评估结果", "Results"));
    let body = body(&report, &id.to_string());
    Ok(respond(
        StatusCode::OK,
        page(lang, &title, Some(&page_user), &body),
    ))
}

fn score_cells(r: &ScoreRow, verified: bool) -> Vec<String> {
    let mut cells = vec![r.self_score.to_string()];
    if verified {
        cells.push(r.verified.map_or_else(|| "–".to_owned(), |v| v.to_string()));
    }
    cells.push(format!("{} {}", r.level, r.level_name));
    cells
}

/// The score table of `rows` with `lead` columns before the scores; the verified column only
/// once the assessment was reviewed.
fn score_table(
    r: &EnterpriseReport,
    lead: &[&str],
    rows: &[ScoreRow],
    cells: &dyn Fn(&ScoreRow) -> Vec<String>,
) -> Table {
    let lang = r.lang;
    let verified = r.overall_verified.is_some();
    let mut header: Vec<String> = lead.iter().map(|h| (*h).to_owned()).collect();
    header.push(lang.t("自评", "Self").to_owned());
    if verified {
        header.push(lang.t("核验", "Verified").to_owned());
    }
    header.push(lang.t("等级", "Level").to_owned());
    let body = rows
        .iter()
        .map(|row| [cells(row), score_cells(row, verified)].concat())
        .collect();
    Table::new(header, body).keyed(rows.iter().map(|row| row.id.clone()).collect())
}

/// The score columns of a table with `lead` columns first, marked `{prefix}-self-{id}` and
/// `{prefix}-verified-{id}`.
fn score_figures<'a>(
    keys: &'a [String],
    lead: usize,
    verified: bool,
    prefix: &'a str,
) -> impl Fn(usize, usize) -> Option<String> + 'a {
    move |i, j| {
        let key = keys.get(i)?;
        match j.checked_sub(lead)? {
            0 => Some(format!("{prefix}-self-{key}")),
            1 if verified => Some(format!("{prefix}-verified-{key}")),
            _ => None,
        }
    }
}

fn headline(r: &EnterpriseReport, id: &str) -> String {
    let lang = r.lang;
    let score = match r.overall_verified {
        Some(v) => format!(
            r#"<p class="score"><span class="label">{}</span> <strong class="big">{}</strong> <span class="muted">{} {}</span></p>"#,
            lang.t("核验后总分", "Verified overall score"),
            fig("overall-verified", &v.to_string()),
            lang.t("自评", "self-assessed"),
            fig("overall-self", &r.overall_self.to_string()),
        ),
        None => format!(
            r#"<p class="score"><span class="label">{}</span> <strong class="big">{}</strong></p>"#,
            if r.provisional.is_some() {
                lang.t(
                    "暂定总分（自评）",
                    "Provisional overall score (self-assessed)",
                )
            } else {
                lang.t("自评总分", "Self-assessed overall score")
            },
            fig("overall-self", &r.overall_self.to_string()),
        ),
    };
    let level = format!(
        r#"<p class="level"><span class="label">{}</span> <strong class="big">{}</strong> {}</p>"#,
        lang.t("指示等级", "Indicated level"),
        fig("level", &r.level.to_string()),
        fig("level-name", &r.level_name),
    );
    let change = r.level_change.as_ref().map_or_else(String::new, |c| {
        format!(r#"<p class="notice" id="level-change">{}</p>"#, escape(c))
    });
    let who = r.verification.as_ref().map_or_else(String::new, |v| {
        format!(
            r#"<p id="verified-by">{} <strong data-figure="auditor">{}</strong> · <span data-figure="decided-on">{}</span> · <span data-figure="decision">{}</span></p>"#,
            lang.t("审核员", "Auditor"),
            escape(&v.auditor),
            v.at.format("%Y-%m-%d"),
            escape(&v.decision),
        )
    });
    let provisional = r.provisional.as_ref().map_or_else(String::new, |p| {
        let next = if r.unanswered > 0 {
            format!(
                r#" <a href="{}">{}</a>"#,
                lang.link(&format!("/assessments/{id}/submit")),
                lang.t("查看未作答的条款", "See what is unanswered")
            )
        } else {
            String::new()
        };
        format!(
            r#"<p class="notice" id="provisional">{}{next}</p>"#,
            escape(p)
        )
    });
    let facts = format!(
        r#"<dl class="figures"><dt>{}</dt><dd data-figure="status">{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>"#,
        lang.t("状态", "Status"),
        escape(&r.status),
        lang.t("问卷", "Questionnaire"),
        escape(&r.questionnaire),
        lang.t("目标等级", "Target level"),
        r.target.map_or_else(
            || "—".to_owned(),
            |t| format!("{t} {}", crate::report::level_name(lang, t))
        ),
        lang.t("数据截至", "Data as of"),
        r.as_of,
    );
    let download = format!(
        r#"<p class="downloads"><a id="report-pdf" href="{}">{}</a> <span class="muted">{}</span></p>"#,
        lang.link(&format!("/assessments/{id}/report.pdf")),
        lang.t(
            "下载评估报告（PDF）",
            "Download the assessment report (PDF)"
        ),
        lang.t(
            "报告编号与 SHA-256 均有记录，可随时核验。",
            "Each report's id and SHA-256 are recorded, so any copy can be verified."
        ),
    );
    card(
        "headline",
        lang.t("总体结果", "Overall result"),
        &format!(
            r#"<div class="glance"><div>{score}{level}</div><div>{facts}</div></div>{change}{who}{provisional}{}{download}"#,
            note(&escape(lang.t(
                "等级为依据问卷自评（及审核员核验）计算出的指示性结果，不构成认证。",
                "The level is indicative, computed from the self-assessment (and the auditor's verification); it is not a certification."
            )))
        ),
    )
}

fn domains(r: &EnterpriseReport) -> String {
    let lang = r.lang;
    let t = score_table(r, &[lang.t("能力域", "Domain")], &r.domains, &|row| {
        vec![row.domain.clone()]
    });
    let verified = r.overall_verified.is_some();
    let figure = score_figures(&t.keys, 1, verified, "domain");
    let view = TableView {
        class: "figures",
        labelled_by: "domains-h",
        figure: &figure,
    };
    card(
        "domains",
        lang.t("各能力域得分", "Domain scores"),
        &pair(
            "pair even",
            &svg::render(&r.radar()),
            &table_with(&view, &t, &[], &|_, j| if j == 0 { "name" } else { "" }),
        ),
    )
}

fn items(r: &EnterpriseReport) -> String {
    let lang = r.lang;
    let mut t = score_table(
        r,
        &[lang.t("能力域", "Domain"), lang.t("能力项", "Item")],
        &r.items,
        &|row| {
            let flag = if row.far_below { FLAG } else { "" };
            vec![row.domain.clone(), format!("{flag}{}", row.item)]
        },
    );
    t.header.push(lang.t("原因", "Why").to_owned());
    for (cells, row) in t.rows.iter_mut().zip(&r.items) {
        cells.push(row.why.clone());
    }
    let verified = r.overall_verified.is_some();
    let why_column = t.header.len() - 1;
    let scores = score_figures(&t.keys, 2, verified, "item");
    let keys = &t.keys;
    let figure = move |i: usize, j: usize| {
        if j == why_column {
            keys.get(i).map(|k| format!("why-{k}"))
        } else {
            scores(i, j)
        }
    };
    let view = TableView {
        class: "figures",
        labelled_by: "items-h",
        figure: &figure,
    };
    // The auditor rated an item lower than the enterprise did: its verified score stands out.
    let lowered = |i: usize| {
        r.items
            .get(i)
            .is_some_and(|row| row.verified.is_some_and(|v| v < row.self_score))
    };
    let class_of = |i: usize, j: usize| match j {
        0 | 1 => "name",
        3 if verified && lowered(i) => "lowered",
        _ => "",
    };
    let lead = if verified {
        lang.t(
            "自评与核验后得分并列，核验后低于自评的以红色标出；等级按核验后得分。",
            "Self-assessed and verified scores side by side, verified ones below the self-assessment in red; the level is the verified one.",
        )
    } else {
        lang.t(
            "审核员核验后，这里会并列显示核验后得分。",
            "Once an auditor has reviewed the assessment, the verified scores appear beside these.",
        )
    };
    card(
        "items",
        lang.t("各能力项得分及原因", "Item scores and why"),
        &format!(
            "{}{}{}",
            note(&escape(lead)),
            note(&escape(&r.why_intro)),
            table_with(&view, &t, &[], &class_of)
        ),
    )
}

/// One step of an item's path: the levels and item scores it moves between, its gain, and with
/// `criteria` the criteria to raise, each linked to the questionnaire, from → to.
fn step(r: &EnterpriseReport, id: &str, g: &GapRow, criteria: bool) -> String {
    let lang = r.lang;
    let n = g.criteria.len();
    let head = if criteria {
        String::new()
    } else {
        format!(r#"<span class="item">{}</span> · "#, escape(&g.item))
    };
    let raise: String = if criteria {
        let items: String = g
            .criteria
            .iter()
            .map(|c| {
                format!(
                    r#"<li><a href="{}">{}</a> <span class="muted">{} → {}</span></li>"#,
                    escape(&criterion_link(lang, id, &g.item_id, &c.criterion)),
                    escape(&c.text),
                    escape(&c.from),
                    escape(&c.to),
                )
            })
            .collect();
        format!(r#"<ul class="raise">{items}</ul>"#)
    } else {
        String::new()
    };
    format!(
        r#"<li>{head}{} {} <span class="muted">· {n} {}</span> <span class="gain">+{}</span>{raise}</li>"#,
        lang.t("等级", "level"),
        escape(&g.levels()),
        lang.t("条", if n == 1 { "criterion" } else { "criteria" }),
        g.gain,
    )
}

fn gap(r: &EnterpriseReport, id: &str) -> String {
    let lang = r.lang;
    let heading = lang.t("差距与提升计划", "Gap plan");
    let Some(target) = r.target else {
        return String::new();
    };
    if r.gap.is_empty() {
        return card(
            "gap",
            heading,
            &note(&escape(&match lang {
                Lang::Zh => format!("各能力项均已达到目标等级 {target}。"),
                Lang::En => format!("Every item is at target level {target} or above."),
            })),
        );
    }
    let groups = r.gap_by_item();
    let mut out = note(&escape(&r.gap_intro));
    out.push_str(&format!(
        r#"<div class="first"><h3>{}</h3><ol class="steps" id="first-steps">{}</ol></div>"#,
        r.first_steps_heading(),
        r.first_steps()
            .iter()
            .map(|g| step(r, id, g, false))
            .collect::<String>()
    ));
    for group in &groups {
        out.push_str(&format!(
            r#"<div class="gap-item"><h3>{} <small class="muted">{} {} → {} · {} +{}</small></h3><ol class="steps">{}</ol></div>"#,
            escape(group.item),
            lang.t("等级", "level"),
            group.level_before,
            group.level_after,
            lang.t("总分", "overall"),
            group.gain,
            group
                .rows
                .iter()
                .map(|g| step(r, id, g, true))
                .collect::<String>()
        ));
    }
    card("gap", heading, &out)
}

/// The block's table cells by key (`overall` or a domain id) and column, from column 1.
fn keyed<'a>(keys: &'a [String], prefix: &'a str) -> impl Fn(usize, usize) -> Option<String> + 'a {
    move |i, j| {
        let key = keys.get(i)?;
        (j > 0).then(|| format!("{prefix}-{key}-{j}"))
    }
}

/// The page's body.
pub fn body(r: &EnterpriseReport, id: &str) -> String {
    let lang = r.lang;
    let mut out = format!(
        r#"<h1>{} <small>{}</small></h1><p class="muted">{}</p>"#,
        escape(&r.campaign),
        lang.t("评估结果", "results"),
        escape(&r.enterprise),
    );
    out.push_str(&headline(r, id));
    out.push_str(&domains(r));
    out.push_str(&review::readings(r));
    out.push_str(&gap(r, id));
    out.push_str(&items(r));
    let bench_keys = r.benchmark.table.as_ref().map_or(&[][..], |t| &t.keys[..]);
    out.push_str(&block(
        "benchmark",
        &r.benchmark,
        &keyed(bench_keys, "bench"),
        true,
        &[],
    ));
    let change_keys = r.change.table.as_ref().map_or(&[][..], |t| &t.keys[..]);
    out.push_str(&block(
        "change",
        &r.change,
        &keyed(change_keys, "change"),
        true,
        &[],
    ));
    out.push_str(&review::review(r));
    out.push_str(&format!(
        r#"<p class="actions"><a href="{}">{}</a></p>"#,
        lang.link("/campaigns"),
        lang.t("返回首页", "Back to the home page")
    ));
    out
}

mod review;
#[cfg(test)]
mod tests;
