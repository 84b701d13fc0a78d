//! An enterprise user's home: "我的评估", every assessment of the enterprise with its campaign,
//! due date (days left or overdue), where it stands in words, its progress per domain, and
//! links to the questionnaire, the submit check and the results; the profile beside them.
//!
//! Figures a reader (or the browser test) compares carry `data-figure` names within each
//! assessment's card (`id="a-{assessment id}"`).

use chrono::NaiveDate;

use super::html::{escape, Lang};
use crate::assessment::{DomainProgress, Overview, Progress};
use crate::domain::assessment::Stage;
use crate::domain::campaign::CampaignStatus;

/// How far `due` is from `today`, in words: days left, due today, or days overdue.
pub fn due_words(lang: Lang, due: NaiveDate, today: NaiveDate) -> String {
    let days = (due - today).num_days();
    match (lang, days) {
        (Lang::Zh, 0) => "今天截止".to_owned(),
        (Lang::Zh, d) if d > 0 => format!("还剩 {d} 天"),
        (Lang::Zh, d) => format!("已逾期 {} 天", -d),
        (Lang::En, 0) => "due today".to_owned(),
        (Lang::En, 1) => "1 day left".to_owned(),
        (Lang::En, d) if d > 0 => format!("{d} days left"),
        (Lang::En, -1) => "1 day overdue".to_owned(),
        (Lang::En, d) => format!("{} days overdue", -d),
    }
}

/// A bar of `done` out of `total`, drawn with presentation attributes only (the
/// Content-Security-Policy forbids inline styles); the figures beside it say the same in text.
pub fn bar(done: usize, total: usize) -> String {
    const WIDTH: f64 = 120.0;
    let share = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    let fill = if done == total && total > 0 {
        "#2e7d32"
    } else {
        "#1f5fa8"
    };
    format!(
        r##"<svg class="bar" width="120" height="10" viewBox="0 0 120 10" aria-hidden="true" focusable="false"><rect width="120" height="10" rx="2" fill="#e3e8ee"/><rect width="{:.1}" height="10" rx="2" fill="{fill}"/></svg>"##,
        WIDTH * share
    )
}

fn domain_row(lang: Lang, d: &DomainProgress) -> String {
    format!(
        r#"<tr><td class="name">{name}</td><td>{bar}</td><td class="num" data-figure="domain-{id}">{done} / {total}</td></tr>"#,
        name = escape(d.name.get(lang)),
        bar = bar(d.answered, d.total),
        id = escape(&d.id),
        done = d.answered,
        total = d.total,
    )
}

fn progress_table(lang: Lang, id: &str, p: &Progress) -> String {
    let rows: String = p.domains.iter().map(|d| domain_row(lang, d)).collect();
    format!(
        r#"<div class="tableview" tabindex="0" role="region" aria-labelledby="a-{id}-h"><table class="progress" aria-labelledby="a-{id}-h"><thead><tr><th>{domain}</th><th>{progress}</th><th class="num">{answered}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
        domain = lang.t("能力域", "Domain"),
        progress = lang.t("进度", "Progress"),
        answered = lang.t("已答 / 条款数", "Answered / criteria"),
    )
}

/// The due line: the date, and for a draft in an open campaign how far it is.
fn due_line(lang: Lang, o: &Overview, today: NaiveDate) -> String {
    let due = o.campaign.due_date;
    let mut out = format!("{} {due}", lang.t("截止日期", "Due"));
    let draft = o.assessment.status.is_editable();
    if draft && o.campaign.status == CampaignStatus::Closed {
        out.push_str(&format!(
            " · {}",
            lang.t("评估活动已结束", "the campaign is closed")
        ));
    } else if draft {
        let class = if due < today { "flag" } else { "days" };
        out.push_str(&format!(
            r#" · <span class="{class}" data-figure="due">{}</span>"#,
            due_words(lang, due, today)
        ));
    }
    out
}

fn links(lang: Lang, o: &Overview) -> String {
    let id = o.assessment.id.to_string();
    let mut out = Vec::new();
    let questionnaire = match o.stage {
        Stage::NotStarted => lang.t("开始填写问卷", "Start the questionnaire"),
        Stage::InProgress | Stage::Returned => lang.t("继续填写问卷", "Continue the questionnaire"),
        Stage::AwaitingReview | Stage::Accepted => {
            lang.t("查看问卷（只读）", "View the questionnaire (read-only)")
        }
    };
    out.push(format!(
        r#"<a class="button" data-link="questionnaire" href="{}">{questionnaire}</a>"#,
        lang.link(&format!("/assessments/{id}"))
    ));
    if o.assessment.status.is_editable() {
        out.push(format!(
            r#"<a data-link="submit" href="{}">{}</a>"#,
            lang.link(&format!("/assessments/{id}/submit")),
            lang.t("提交检查", "Submit check")
        ));
    }
    let results = match o.stage {
        Stage::Accepted => Some(lang.t("查看结果", "Results")),
        Stage::AwaitingReview => Some(lang.t("查看暂定结果", "Provisional results")),
        Stage::InProgress | Stage::Returned => Some(lang.t("暂定结果", "Provisional results")),
        Stage::NotStarted => None,
    };
    if let Some(label) = results {
        out.push(format!(
            r#"<a data-link="results" href="{}">{label}</a>"#,
            lang.link(&format!("/assessments/{id}/results"))
        ));
    }
    format!(r#"<p class="actions">{}</p>"#, out.join(" "))
}

/// One assessment's card.
pub fn card(lang: Lang, o: &Overview, today: NaiveDate) -> String {
    let id = o.assessment.id.to_string();
    let p = &o.progress;
    let note = match (&o.assessment.return_note, o.stage) {
        (Some(n), Stage::Returned) => format!(
            r#"<p class="notice"><strong>{}</strong> {}</p>"#,
            lang.t("审核员退回意见：", "The auditor returned it:"),
            escape(n)
        ),
        _ => String::new(),
    };
    format!(
        r#"<section class="card assessment" id="a-{id}" data-stage="{stage_code}">
<h2 id="a-{id}-h">{campaign}</h2>
<p><span class="stage stage-{stage_code}" data-figure="stage">{stage}</span> · {due}</p>
<p class="muted">{questionnaire} · {target} {level}</p>
{note}<p class="overall">{answered_label} <span data-figure="answered">{answered}</span> / <span data-figure="total">{total}</span> {bar}</p>
{table}{links}
</section>"#,
        stage_code = o.stage.as_str(),
        campaign = escape(&o.campaign.name),
        stage = o.stage.label(lang),
        due = due_line(lang, o, today),
        questionnaire = escape(o.questionnaire.get(lang)),
        target = lang.t("目标等级", "target level"),
        level = o.campaign.target_level,
        answered_label = lang.t("已作答条款", "Criteria answered"),
        answered = p.answered,
        total = p.total,
        bar = bar(p.answered, p.total),
        table = progress_table(lang, &id, p),
        links = links(lang, o),
    )
}

/// The page's body.
pub fn body(lang: Lang, enterprise: &str, list: &[Overview], today: NaiveDate) -> String {
    let mut out = format!(
        r#"<h1>{} <small>{}</small></h1>"#,
        lang.t("我的评估", "My assessments"),
        escape(enterprise)
    );
    out.push_str(&format!(
        r#"<section class="card" id="profile"><h2>{}</h2><p>{}</p><p class="actions"><a class="button" href="{}">{}</a> <a href="{}">{}</a></p></section>"#,
        lang.t("企业概况", "Enterprise profile"),
        lang.t(
            "企业概况用于贯标条件预检和首席数据官情况汇总，随时可以更新。",
            "The profile drives the eligibility pre-check and the chief data officer summary; update it at any time."
        ),
        lang.link("/profile"),
        lang.t("填写企业概况", "Fill in the profile"),
        lang.link("/sharing"),
        lang.t("共享设置", "Sharing settings"),
    ));
    if list.is_empty() {
        out.push_str(&format!(
            r#"<p class="muted">{}</p>"#,
            lang.t(
                "贵企业还没有受邀参加评估活动。集群管理员发起评估活动后，评估会出现在这里。",
                "Your enterprise has not been invited to a campaign yet. Once the cluster manager opens one, its assessment appears here."
            )
        ));
    }
    for o in list {
        out.push_str(&card(lang, o, today));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::progress_of;
    use crate::db::assessments::AssessmentRow;
    use crate::db::campaigns::CampaignRow;
    use crate::domain::assessment::Status;
    use crate::ids::{AssessmentId, CampaignId, ClusterId, EnterpriseId};
    use crate::questionnaire::Registry;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_left_and_overdue_are_said_in_words() {
        let today = day("2026-12-10");
        assert_eq!(due_words(Lang::Zh, day("2026-12-22"), today), "还剩 12 天");
        assert_eq!(due_words(Lang::Zh, today, today), "今天截止");
        assert_eq!(due_words(Lang::Zh, day("2026-12-07"), today), "已逾期 3 天");
        assert_eq!(due_words(Lang::En, day("2026-12-11"), today), "1 day left");
        assert_eq!(
            due_words(Lang::En, day("2026-12-20"), today),
            "10 days left"
        );
        assert_eq!(due_words(Lang::En, today, today), "due today");
        assert_eq!(
            due_words(Lang::En, day("2026-12-09"), today),
            "1 day overdue"
        );
        assert_eq!(
            due_words(Lang::En, day("2026-11-30"), today),
            "10 days overdue"
        );
    }

    #[test]
    fn a_bar_is_drawn_without_inline_style() {
        let half = bar(5, 10);
        assert!(half.contains(r#"width="60.0""#), "{half}");
        assert!(!half.contains("style"));
        assert!(bar(0, 0).contains(r#"width="0.0""#));
        assert!(bar(3, 3).contains("#2e7d32"), "a finished domain is green");
    }

    fn overview(status: Status, answered: usize, note: Option<&str>) -> Overview {
        let registry = Registry::built_in().unwrap();
        let q = registry.default_dcmm().unwrap();
        let ids: std::collections::HashSet<&str> =
            q.criteria().take(answered).map(|c| c.id.as_str()).collect();
        let progress = progress_of(q, &ids);
        let at = day("2026-09-01").and_hms_opt(8, 0, 0).unwrap();
        let campaign = CampaignRow {
            id: CampaignId::new(),
            cluster_id: ClusterId::new(),
            name: "2026 年度评估 <b>".into(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            due_date: day("2026-12-31"),
            target_level: 3,
            status: CampaignStatus::Open,
            created_by: None,
            created_at: at,
            updated_at: at,
        };
        let assessment = AssessmentRow {
            id: AssessmentId::new(),
            campaign_id: campaign.id,
            enterprise_id: EnterpriseId::new(),
            questionnaire_id: q.id.clone(),
            questionnaire_hash: q.hash.clone(),
            status,
            version: 1,
            return_note: note.map(str::to_owned),
            submitted_at: None,
            reviewed_at: None,
            created_at: at,
            updated_at: at,
            own_sheet: None,
            verified_sheet: None,
        };
        Overview {
            stage: Stage::of(status, answered > 0, note.is_some()),
            questionnaire: q.title.clone(),
            progress,
            assessment,
            campaign,
        }
    }

    #[test]
    fn each_assessment_says_where_it_stands_and_links_what_it_may_do_next() {
        let today = day("2027-01-02");
        let fresh = overview(Status::Draft, 0, None);
        let html = card(Lang::Zh, &fresh, today);
        assert!(html.contains(">未开始<"), "{html}");
        assert!(html.contains("已逾期 2 天"));
        assert!(html.contains("开始填写问卷") && html.contains("提交检查"));
        assert!(!html.contains("/results"), "nothing to show yet");
        assert!(html.contains("2026 年度评估 &lt;b&gt;"), "escaped");
        assert!(!html.contains("style="));

        let returned = overview(Status::Draft, 40, Some("缺少签字页"));
        let html = card(Lang::Zh, &returned, day("2026-12-30"));
        assert!(html.contains(">已退回<") && html.contains("缺少签字页"));
        assert!(html.contains("还剩 1 天"));
        assert!(html.contains(r#"<span data-figure="answered">40</span>"#));
        let q = Registry::built_in().unwrap();
        let first = &q.default_dcmm().unwrap().domains[0];
        assert!(html.contains(&format!(
            r#"data-figure="domain-{}">{} / {}<"#,
            first.id,
            40.min(first.items.iter().map(|i| i.criteria.len()).sum()),
            first.items.iter().map(|i| i.criteria.len()).sum::<usize>()
        )));

        let accepted = overview(Status::Accepted, 517, None);
        let html = card(Lang::En, &accepted, today);
        assert!(html.contains(">Accepted<"));
        assert!(
            !html.contains("overdue"),
            "no days for a finished assessment"
        );
        assert!(
            !html.contains("/submit\""),
            "no submit check once submitted"
        );
        assert!(html.contains("read-only") && html.contains("/results?lang=en"));
        let submitted = overview(Status::Submitted, 517, None);
        assert!(card(Lang::Zh, &submitted, today).contains(">待审核<"));
        let busy = overview(Status::Draft, 3, None);
        assert!(card(Lang::Zh, &busy, today).contains(">填写中<"));
    }

    #[test]
    fn the_home_links_the_profile_and_says_when_there_is_nothing_yet() {
        let html = body(Lang::Zh, "闽江智造", &[], day("2026-12-01"));
        assert!(html.contains("我的评估") && html.contains("闽江智造"));
        assert!(html.contains(r#"href="/profile""#));
        assert!(html.contains("还没有受邀"));
    }
}
