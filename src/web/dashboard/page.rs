//! The dashboard's body: the report model's sections in the page's order, with what only the
//! page has around them (the filters, the roster's report links, the withheld notice).

use super::filters::Form;
use super::markup::{card, note, notes, table_with, TableView};
use super::sections::{self, block, first};
use crate::auth::policy;
use crate::domain::sharing::Detail;
use crate::domain::Actor;
use crate::report::cluster::{ClusterReport, Roster};
use crate::web::html::{escape, Lang};

/// What the page draws.
pub struct View<'a> {
    pub report: &'a ClusterReport,
    pub roster: &'a Roster,
    pub campaign_id: &'a str,
    pub form: &'a Form<'a>,
    /// Scores are withheld: the filter would reveal an anonymous enterprise's results.
    pub withheld: bool,
    /// Who looks: which enterprises' reports they may open follows the access policy.
    pub viewer: &'a Actor,
    /// How far the report's day is from the campaign's start to its due date (0..=1).
    pub elapsed: f64,
}

fn roster(v: &View<'_>) -> String {
    let (lang, r) = (v.report.lang, v.roster);
    let links: Vec<String> = r
        .entries
        .iter()
        .map(|e| {
            if policy::shown(v.viewer, e.sharing, Detail::Report) {
                format!(
                    r#"<a class="report" href="{}">PDF</a>"#,
                    lang.link(&format!(
                        "/campaigns/{}/enterprises/{}/report.pdf",
                        v.campaign_id, e.id
                    ))
                )
            } else {
                String::new()
            }
        })
        .collect();
    // The status column flags an overdue draft.
    let flag = |i: usize, j: usize| match r.entries.get(i) {
        Some(e) if e.overdue && j == 4 => "flag",
        _ if j == 0 => "name",
        _ => "",
    };
    let view = TableView {
        class: "sortable roster",
        labelled_by: "enterprises-h",
        figure: &|_, _| None,
    };
    card(
        "enterprises",
        &r.heading,
        &format!(
            "{}{}",
            notes(&r.notes),
            table_with(
                &view,
                &r.table,
                &[(lang.t("评估报告", "Report"), links)],
                &flag
            )
        ),
    )
}

fn withheld(lang: Lang) -> String {
    card(
        "withheld",
        lang.t("分数未显示", "Scores withheld"),
        &note(&escape(lang.t(
            "此筛选下通过评估的企业不足 5 家，且其中有企业仅共享匿名统计：显示分数会暴露其结果。请放宽筛选。",
            "Fewer than 5 accepted assessments match this filter and some of their enterprises share anonymous statistics only: scores would reveal their results. Widen the filter.",
        ))),
    )
}

fn download(v: &View<'_>) -> String {
    let lang = v.report.lang;
    format!(
        r#"<p class="downloads"><a id="cluster-report" href="{}">{}</a> <span class="muted">{}</span></p><p class="downloads"><a id="export-csv" href="{}">{}</a> · <a id="export-xlsx" href="{}">{}</a> · <a id="campaign-page" href="{}">{}</a></p>"#,
        lang.link(&format!("/campaigns/{}/report.pdf", v.campaign_id)),
        lang.t(
            "下载集群就绪度报告（PDF）",
            "Download the cluster readiness report (PDF)"
        ),
        lang.t(
            "报告编号与 SHA-256 均有记录，可随时核验。",
            "Each report's id and SHA-256 are recorded, so any copy can be verified."
        ),
        lang.link(&format!("/campaigns/{}/export.csv", v.campaign_id)),
        lang.t("导出结果（CSV）", "Export the results (CSV)"),
        lang.link(&format!("/campaigns/{}/export.xlsx", v.campaign_id)),
        lang.t("导出结果（Excel）", "Export the results (Excel)"),
        lang.link(&format!("/campaigns/{}", v.campaign_id)),
        lang.t("活动管理与催办", "Manage and remind"),
    )
}

pub fn body(v: &View<'_>) -> String {
    let r = v.report;
    let lang = r.lang;
    let campaign = r
        .cover
        .facts
        .iter()
        .find(|f| f.key == "campaign")
        .map_or("", |f| f.value.as_str());
    let mut out = format!(
        r#"<h1>{} <small>{}</small></h1>"#,
        escape(campaign),
        lang.t("集群看板", "cluster dashboard"),
    );
    if let Some(mark) = &r.mark {
        out.push_str(&format!(
            r#"<p class="interim" data-figure="interim">{}</p>"#,
            escape(mark)
        ));
    }
    out.push_str(&sections::cover(r, &download(v)));
    out.push_str(&v.form.render());
    if v.withheld {
        out.push_str(&sections::participation(r, v.elapsed));
        out.push_str(&withheld(lang));
        out.push_str(&roster(v));
        return out;
    }
    let filtered = if v.form.asked.filter.is_empty() {
        Vec::new()
    } else {
        vec![lang
            .t(
                "筛选只作用于本期；上一期为全部企业。",
                "Filters apply to this campaign only; the previous one covers every enterprise.",
            )
            .to_owned()]
    };
    let glance = |cards: [String; 2]| format!(r#"<div class="glance">{}</div>"#, cards.concat());
    out.push_str(&glance([
        sections::readiness(r),
        sections::participation(r, v.elapsed),
    ]));
    out.push_str(&sections::levels(r));
    out.push_str(&sections::heat(r));
    out.push_str(&sections::domains(r));
    out.push_str(&sections::weakest(r));
    out.push_str(&glance([
        block("cdo", &r.cdo, &first("cdo-appointed", 1), false, &[]),
        block(
            "eligibility",
            &r.eligibility,
            &first("eligible", 1),
            true,
            &[],
        ),
    ]));
    out.push_str(&block(
        "bias",
        &r.bias,
        &first("bias-overall", 1),
        true,
        &[],
    ));
    let change = if r.change.table.is_some() {
        filtered.as_slice()
    } else {
        &[]
    };
    out.push_str(&block(
        "change",
        &r.change,
        &first("change-overall", 3),
        true,
        change,
    ));
    out.push_str(&roster(v));
    out
}
