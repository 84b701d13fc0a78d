//! The page around the criteria: the heading with the assessment's facts, the notices, the
//! domain → item navigation, the filters and the item with its level structure and scores.
//! Figures the script redraws (and the tests compare) carry `data-figure` names.

use super::criterion;
use super::view::{Mode, View};
use crate::questionnaire::{Item, Lang};
use crate::report::level_name;
use crate::scoring::Hundredths;
use crate::web::html::{criterion_anchor, escape};

/// The element id of an item's section.
pub fn item_anchor(id: &str) -> String {
    format!("i-{}", id.replace([':', '.'], "-"))
}

pub fn body(v: &View<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&heading(v));
    out.push_str(&notices(v));
    out.push_str(&returned(v));
    out.push_str(&super::review::bar(v));
    let (domain, item) = (v.domain(), v.item());
    out.push_str(&format!(
        r#"<div class="sheet" id="sheet" data-assessment="{}" data-item="{}" data-domain="{}" data-threshold="{}" data-editable="{}">"#,
        escape(&v.id),
        escape(&item.id),
        escape(&domain.id),
        v.loaded.threshold,
        u8::from(v.mode.editable()),
    ));
    out.push_str(&navigation(v));
    out.push_str(r#"<div class="sheet-main">"#);
    out.push_str(&filters(v));
    out.push_str(&item_section(v));
    out.push_str("</div></div>");
    out
}

fn heading(v: &View<'_>) -> String {
    let lang = v.lang;
    let l = v.loaded;
    let q = &*l.questionnaire;
    let total = q.criterion_count();
    let overall = &l.scores.overall;
    let status = l.assessment.status.as_str();
    let returned = if v.returned.is_some() {
        " s-returned"
    } else {
        ""
    };
    let links = {
        let mut links = Vec::new();
        if v.mode.editable() {
            links.push(format!(
                r#"<a class="button" href="{}">{}</a>"#,
                lang.link(&format!("/assessments/{}/submit", v.id)),
                lang.t("提交检查", "Check and submit")
            ));
        }
        if let Mode::Review { .. } = v.mode {
            links.push(format!(
                r#"<a href="{}">{}</a>"#,
                lang.link("/reviews"),
                lang.t("返回审核队列", "Back to the review queue")
            ));
        } else if l.assessment.status == crate::domain::assessment::Status::Submitted
            && v.loaded.review.is_none()
            && v.loaded.may_review
        {
            links.push(format!(
                r#"<a class="button" href="{}">{}</a>"#,
                lang.link(&format!("/assessments/{}/review", v.id)),
                lang.t("审核此评估", "Review this assessment")
            ));
        }
        let results = if l.assessment.status.is_editable() {
            lang.t("查看暂定结果", "Provisional results")
        } else {
            lang.t("查看结果", "Results")
        };
        links.push(format!(
            r#"<a href="{}">{results}</a>"#,
            lang.link(&format!("/assessments/{}/results", v.id))
        ));
        links.join(" ")
    };
    format!(
        r#"<section class="card sheet-head"><h1>{campaign} <small>{kind}</small></h1>
<dl class="figures facts"><dt>{e_label}</dt><dd>{enterprise}</dd><dt>{q_label}</dt><dd>{title}</dd><dt>{due_label}</dt><dd>{due}</dd><dt>{s_label}</dt><dd><span class="status s-{status}{returned}" data-figure="status">{word}</span></dd><dt>{p_label}</dt><dd><span data-figure="answered">{answered}</span> / {total}</dd><dt>{o_label}</dt><dd><span data-figure="overall-score">{score}</span> · <span data-figure="overall-level">{level}</span></dd></dl>
<p class="actions">{links}</p></section>"#,
        campaign = escape(&l.campaign.name),
        kind = match v.mode {
            Mode::Review { .. } => lang.t("审核", "review"),
            _ => lang.t("自评问卷", "self-assessment"),
        },
        e_label = lang.t("企业", "Enterprise"),
        enterprise = escape(&l.assessment.enterprise.name),
        q_label = lang.t("问卷", "Questionnaire"),
        title = escape(q.title.get(lang)),
        due_label = lang.t("截止日期", "Due"),
        due = l.campaign.due_date,
        s_label = lang.t("状态", "Status"),
        word = v.status_word(),
        p_label = lang.t("已答条款", "Answered"),
        answered = v.answers.len(),
        o_label = lang.t("自评总分（暂定）", "Overall, self-assessed (provisional)"),
        score = overall.score,
        level = escape(&level_label(lang, overall.level)),
    )
}

/// "第 2 级 · 受管理级", or "未达初始级" for 0.
pub fn level_label(lang: Lang, level: u8) -> String {
    if level == 0 {
        return level_name(lang, 0).to_owned();
    }
    match lang {
        Lang::Zh => format!("第 {level} 级 · {}", level_name(lang, level)),
        Lang::En => format!("Level {level} · {}", level_name(lang, level)),
    }
}

fn notices(v: &View<'_>) -> String {
    let lang = v.lang;
    let mut out = String::new();
    let read_only = match v.mode {
        Mode::Edit => None,
        Mode::Submitted => Some(lang.t(
            "此评估已提交，正在等待审核：问卷只读，不能再修改。",
            "This assessment is submitted and awaits review: the questionnaire is read-only.",
        )),
        Mode::Accepted => Some(lang.t(
            "此评估已通过审核：问卷只读，不能再修改。",
            "This assessment is accepted: the questionnaire is read-only.",
        )),
        Mode::Viewer => Some(lang.t(
            "只读查看：只有本企业的用户可以填写问卷。",
            "Read-only: only the enterprise's own users fill in the questionnaire.",
        )),
        Mode::Review { may_rate: true } => Some(lang.t(
            "审核中：企业的自评只读。请在条款下给出审核评定与说明，每次改动即时保存，下次打开仍在。",
            "Under review: the enterprise's answers are read-only. Give your verified rating and note under a criterion; every change is saved at once and is there next time.",
        )),
        Mode::Review { may_rate: false } => Some(lang.t(
            "只读查看审核进展：只有本集群的审核员可以评定。",
            "Read-only view of the review: only the cluster's auditors rate.",
        )),
    };
    if let Some(text) = read_only {
        out.push_str(&format!(
            r#"<p class="notice read-only" id="read-only">{}</p>"#,
            escape(text)
        ));
    }
    if let Some(text) = v.notice {
        out.push_str(&format!(r#"<p class="notice">{}</p>"#, escape(text)));
    }
    // Shown by the script when the assessment is handed in from elsewhere meanwhile.
    out.push_str(&format!(
        r#"<p class="notice" id="frozen" role="alert" hidden>{}</p>"#,
        escape(lang.t(
            "此评估已在别处提交，不能再修改：请刷新页面。",
            "This assessment was submitted elsewhere and can no longer change: reload the page.",
        ))
    ));
    out
}

/// A returned assessment: the auditor's note and the criteria rated otherwise, each a link.
fn returned(v: &View<'_>) -> String {
    let Some((note, differences)) = &v.returned else {
        return String::new();
    };
    let lang = v.lang;
    let mut out = format!(
        r#"<section class="card returned" aria-labelledby="returned-h"><h2 id="returned-h">{}</h2><blockquote class="return-note" data-figure="return-note">{}</blockquote>"#,
        lang.t(
            "审核员退回了此评估，请修改后重新提交",
            "The auditor returned this assessment: change it and submit again"
        ),
        escape(note)
    );
    if differences.is_empty() {
        out.push_str("</section>");
        return out;
    }
    out.push_str(&format!(
        r#"<p>{}</p><div class="tableview"><table class="differences"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        escape(&match lang {
            Lang::Zh => format!("审核员对以下 {} 个条款的评定与自评不同：", differences.len()),
            Lang::En => format!(
                "The auditor rated these {} criteria otherwise than you did:",
                differences.len()
            ),
        }),
        lang.t("条款", "Criterion"),
        lang.t("自评", "Your rating"),
        lang.t("审核评定", "Verified rating"),
        lang.t("审核说明", "Auditor's note"),
    ));
    for d in differences {
        let href = format!(
            "{}#{}",
            v.item_link(d.item),
            criterion_anchor(&d.criterion.id)
        );
        out.push_str(&format!(
            r#"<tr data-criterion="{id}"><td class="text"><a href="{href}">{text}</a><br><span class="muted">{section} {item} · {level}</span></td><td>{own}</td><td>{verified}</td><td>{note}</td></tr>"#,
            id = escape(&d.criterion.id),
            href = escape(&href),
            text = escape(d.criterion.text.get(lang)),
            section = escape(&d.item.section),
            item = escape(d.item.name.get(lang)),
            level = escape(&level_label(lang, d.criterion.level)),
            own = d
                .own
                .map_or_else(|| lang.t("未答", "unanswered").to_owned(), |r| v.rating_name(r).to_owned()),
            verified = v.rating_name(d.verified),
            note = escape(d.note),
        ));
    }
    out.push_str("</tbody></table></div></section>");
    out
}

/// The domains with their progress, each listing its items; the shown item is current. Open
/// at a desk, folded on a phone (the script folds it).
fn navigation(v: &View<'_>) -> String {
    let lang = v.lang;
    let q = &*v.loaded.questionnaire;
    let mut out = format!(
        r#"<details class="sheet-nav" id="sheet-nav" open><summary>{}</summary><nav aria-label="{}"><ol class="domains{}">"#,
        lang.t("能力域与能力项", "Domains and items"),
        lang.t("能力域与能力项", "Domains and items"),
        if v.filter.unanswered {
            " open-only"
        } else {
            ""
        },
    );
    for (d, domain) in q.domains.iter().enumerate() {
        if v.filter.domain.as_deref().is_some_and(|f| f != domain.id) {
            continue;
        }
        let (answered, total) = domain
            .items
            .iter()
            .map(|i| v.progress(i))
            .fold((0, 0), |(a, t), (x, y)| (a + x, t + y));
        let label = match lang {
            Lang::Zh => format!("{} 已答 {answered} / {total}", domain.name.zh),
            Lang::En => format!("{}: {answered} of {total} answered", domain.name.en),
        };
        out.push_str(&format!(
            r#"<li class="domain{current}" data-domain="{id}"><div class="domain-name"><span>{section} {name}</span> <span class="count" data-count="domain">{answered}/{total}</span></div><progress max="{total}" value="{answered}" aria-label="{label}"></progress><ol class="items">"#,
            current = if d == v.at.0 { " current" } else { "" },
            id = escape(&domain.id),
            section = escape(&domain.section),
            name = escape(domain.name.get(lang)),
            label = escape(&label),
        ));
        for (i, item) in domain.items.iter().enumerate() {
            let (answered, total) = v.progress(item);
            let current = (d, i) == v.at;
            out.push_str(&format!(
                r#"<li class="{done}" data-item="{id}"><a href="{href}"{aria}>{section} {name}</a> <span class="count" data-count="item">{answered}/{total}</span></li>"#,
                done = if answered == total { "done" } else { "open" },
                id = escape(&item.id),
                href = escape(&v.item_link(item)),
                aria = if current { r#" aria-current="page""# } else { "" },
                section = escape(&item.section),
                name = escape(item.name.get(lang)),
            ));
        }
        out.push_str("</ol></li>");
    }
    out.push_str("</ol></nav></details>");
    out
}

/// The filters: a form that works as a plain GET and that the script applies at once.
fn filters(v: &View<'_>) -> String {
    let lang = v.lang;
    let mut levels = format!(
        r#"<option value=""{}>{}</option>"#,
        if v.filter.level.is_none() {
            " selected"
        } else {
            ""
        },
        lang.t("全部级别", "All levels")
    );
    for l in 1..=5u8 {
        levels.push_str(&format!(
            r#"<option value="{l}"{}>{}</option>"#,
            if v.filter.level == Some(l) {
                " selected"
            } else {
                ""
            },
            escape(&level_label(lang, l))
        ));
    }
    let keep_lang = match lang {
        Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
        Lang::Zh => "",
    };
    if let Mode::Review { .. } = v.mode {
        return super::review::filters(v, &levels, keep_lang);
    }
    format!(
        r#"<form class="filters card" id="filters" method="get" action="/assessments/{id}"><input type="hidden" name="item" value="{item}">{keep_lang}<label><input type="checkbox" name="unanswered" value="1" id="only-open"{checked}> {open}</label><label for="only-level">{level_label}</label><select name="level" id="only-level">{levels}</select><button type="submit" class="apply">{apply}</button></form>"#,
        id = escape(&v.id),
        item = escape(&v.item().id),
        checked = if v.filter.unanswered { " checked" } else { "" },
        open = lang.t("只看未答条款", "Unanswered only"),
        level_label = lang.t("级别", "Level"),
        apply = lang.t("筛选", "Filter"),
    )
}

/// The level score (0–100) of a level score in hundredths of one.
fn points(h: Hundredths) -> u32 {
    h.0
}

fn item_section(v: &View<'_>) -> String {
    let lang = v.lang;
    let (domain, item) = (v.domain(), v.item());
    let threshold = v.loaded.threshold;
    let item_score = v.item_score();
    let (score, level) = item_score.map_or((Hundredths(0), 0), |s| (s.score, s.level));
    let domain_score = v.domain_score().map_or(Hundredths(0), |d| d.score);
    let level_scores = item_score.map_or([Hundredths(0); 5], |s| s.level_scores);
    let mut out = format!(
        r#"<section class="card item" id="{anchor}" aria-labelledby="item-h"><p class="crumb muted">{d_section} {d_name} · {d_label} <span data-figure="domain-score">{domain_score}</span></p><h2 id="item-h">{section} {name}</h2><p class="reach">{reach_label} <strong data-figure="item-level">{level}</strong> · {score_label} <strong data-figure="item-score">{score}</strong> <span class="muted">{provisional}</span></p><ol class="ladder" aria-label="{ladder_label}">"#,
        anchor = item_anchor(&item.id),
        d_section = escape(&domain.section),
        d_name = escape(domain.name.get(lang)),
        d_label = lang.t("能力域得分", "domain score"),
        section = escape(&item.section),
        name = escape(item.name.get(lang)),
        reach_label = lang.t("当前达到", "Reaches"),
        level = escape(&level_label(lang, level)),
        score_label = lang.t("能力项得分", "item score"),
        provisional = lang.t("（自评，暂定）", "(self-assessed, provisional)"),
        ladder_label = lang.t("各级得分", "Level scores"),
    );
    for (l, s) in (1..=5u8).zip(level_scores) {
        let met = l <= level;
        out.push_str(&format!(
            r##"<li class="{class}" data-ladder="{l}"><a href="#lv-{l}">{name}</a> <span data-figure="level-{l}">{points}</span> <span class="verdict">{verdict}</span></li>"##,
            class = if met { "met" } else { "unmet" },
            name = escape(&level_label(lang, l)),
            points = points(s),
            verdict = if met {
                lang.t("已达到", "reached")
            } else {
                lang.t("未达到", "not reached")
            },
        ));
    }
    out.push_str("</ol>");
    if let Some(s) = item_score {
        let policy = crate::scoring::Policy {
            pass_threshold: threshold,
            ..crate::scoring::Policy::default()
        };
        out.push_str(&format!(
            r#"<p class="why" data-figure="item-why">{}</p>"#,
            escape(&crate::scoring::explain(s, &policy).sentence(lang))
        ));
    }
    out.push_str(&format!(
        r#"<p class="note">{}</p>"#,
        escape(&match lang {
            Lang::Zh => format!("一级的条款平均得分（满分 100）达到 {threshold} 即满足该级；能力项达到的是从第 1 级起连续满足的最高一级，得分的整数部分就是它。未答条款按“不满足”计。"),
            Lang::En => format!("A level is met when its criteria average at least {threshold} of 100 points; the item reaches the highest level met with every level below it, the integer part of its score. Unanswered criteria count as not met."),
        })
    ));
    out.push_str(&scale_legend(v));
    let mut shown = 0;
    for l in 1..=5u8 {
        let criteria: Vec<_> = item.criteria.iter().filter(|c| c.level == l).collect();
        if criteria.is_empty() {
            continue;
        }
        let visible = criteria.iter().filter(|c| v.keeps(c)).count();
        shown += visible;
        out.push_str(&format!(
            r#"<section class="level" id="lv-{l}" data-level="{l}" aria-labelledby="lv-{l}-h"{hidden}><h3 id="lv-{l}-h">{name} <span class="muted">{asks}</span></h3>"#,
            hidden = if visible == 0 { " hidden" } else { "" },
            name = escape(&level_label(lang, l)),
            asks = escape(&match lang {
                Lang::Zh => format!("要求 {} 条", criteria.len()),
                Lang::En => format!("{} criteria", criteria.len()),
            }),
        ));
        for c in criteria {
            out.push_str(&criterion::render(v, c));
        }
        out.push_str("</section>");
    }
    out.push_str(&format!(
        r#"<p class="empty muted" id="nothing-shown"{}>{}</p>"#,
        if shown == 0 { "" } else { " hidden" },
        lang.t(
            "此能力项没有符合筛选条件的条款。",
            "No criterion of this item matches the filter."
        )
    ));
    out.push_str(&pager(v));
    out.push_str("</section>");
    out
}

/// What each rating means, folded.
fn scale_legend(v: &View<'_>) -> String {
    let lang = v.lang;
    let mut out = format!(
        r#"<details class="scale"><summary>{}</summary><dl>"#,
        lang.t("评级说明", "What the ratings mean")
    );
    for s in &v.scale {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape(s.name.get(lang)),
            escape(s.meaning.get(lang))
        ));
    }
    out.push_str("</dl></details>");
    out
}

/// Links to the items before and after this one.
fn pager(v: &View<'_>) -> String {
    let lang = v.lang;
    let items: Vec<&Item> = v
        .loaded
        .questionnaire
        .domains
        .iter()
        .flat_map(|d| &d.items)
        .collect();
    let here = items.iter().position(|i| i.id == v.item().id).unwrap_or(0);
    let colon = lang.t("：", ": ");
    let link = |item: Option<&&Item>, rel: &str, label: &str| match item {
        Some(i) => format!(
            r#"<a rel="{rel}" class="{rel}" href="{}">{label}{colon}{} {}</a>"#,
            escape(&v.item_link(i)),
            escape(&i.section),
            escape(i.name.get(lang))
        ),
        None => String::new(),
    };
    format!(
        r#"<nav class="pager" aria-label="{}">{}{}</nav>"#,
        lang.t("上一项与下一项", "Previous and next item"),
        link(
            here.checked_sub(1).and_then(|p| items.get(p)),
            "prev",
            lang.t("上一项", "Previous")
        ),
        link(items.get(here + 1), "next", lang.t("下一项", "Next")),
    )
}
