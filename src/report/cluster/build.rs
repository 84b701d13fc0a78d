//! The report's sections from the roll-up, in the language asked for: here the campaign, the
//! tier, participation and levels; the per-domain views, the weakest items, the other figures
//! and the roster with its annex in the submodules.

mod annex;
pub(super) mod domains;
mod figures;
pub(super) mod weakest;

use super::{
    Block, CampaignFacts, ClusterReport, Cover, Fact, LevelsSection, Lookups, ParticipationSection,
    ReadinessSection, Table,
};
use crate::questionnaire::{Lang, Questionnaire};
use crate::scoring::rollup::{Delta, EnterpriseResult, Percent, Rollup};

/// "label：value" in Chinese, "label: value" in English.
pub(super) fn colon(lang: Lang, label: &str, value: impl std::fmt::Display) -> String {
    match lang {
        Lang::Zh => format!("{label}：{value}"),
        Lang::En => format!("{label}: {value}"),
    }
}

pub(super) fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

pub(super) fn percent(v: Option<Percent>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v}%"))
}

/// A count with its share, as the dashboard shows it: `3 (37.50%)`.
pub(super) fn counted(n: u32, share: Percent) -> String {
    format!("{n} ({share}%)")
}

/// A difference with its sign; positive ones carry a plus.
pub(super) fn signed(d: Option<Delta>) -> String {
    match d {
        Some(d) if d.0 > 0 => format!("+{d}"),
        other => opt(other),
    }
}

pub(super) fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

pub(super) fn block(heading: &str, notes: Vec<String>, table: Option<Table>) -> Block {
    Block {
        heading: heading.to_owned(),
        notes,
        table,
        after: Vec::new(),
    }
}

fn fact(key: &str, label: &str, value: impl std::fmt::Display) -> Fact {
    Fact {
        key: key.to_owned(),
        label: label.to_owned(),
        value: value.to_string(),
    }
}

/// A campaign's status as stored, by name.
fn status_name(lang: Lang, status: &str) -> &str {
    match status {
        "open" => lang.t("进行中", "open"),
        "closed" => lang.t("已结束", "closed"),
        other => other,
    }
}

pub(super) fn report(
    facts: &CampaignFacts,
    q: &Questionnaire,
    r: &Rollup,
    enterprises: &[EnterpriseResult],
    lookups: &Lookups,
    lang: Lang,
) -> ClusterReport {
    ClusterReport {
        lang,
        title: lang
            .t(
                "集群数据管理能力就绪度报告",
                "Cluster data-management readiness report",
            )
            .to_owned(),
        subject: format!("{} · {}", facts.cluster, facts.campaign),
        as_of: facts.as_of,
        mark: interim_mark(facts, lang),
        cover: cover(facts, q, r, lang),
        readiness: readiness(r, lang),
        participation: participation(facts, r, lang),
        levels: levels(r, lang),
        heat: domains::heat(r, lang),
        domains: domains::statistics(r, lang),
        weakest: weakest::weakest(q, r, lang),
        cdo: figures::cdo(r, lang),
        eligibility: figures::eligibility(r, lang),
        bias: figures::bias(r, lang),
        change: figures::change(r, lang),
        annex: annex::annex(enterprises, lookups, lang),
    }
}

pub(in crate::report::cluster) use annex::roster;

/// The mark of a report on a campaign still open: its figures can change until it closes.
fn interim_mark(facts: &CampaignFacts, lang: Lang) -> Option<String> {
    (facts.status != "closed").then(|| match lang {
        Lang::Zh => format!(
            "阶段性报告：评估活动尚未结束，数据截至 {}，并非最终结果",
            facts.as_of
        ),
        Lang::En => format!(
            "Interim report: the campaign is still open; figures as of {}, not final",
            facts.as_of
        ),
    })
}

fn cover(facts: &CampaignFacts, q: &Questionnaire, r: &Rollup, lang: Lang) -> Cover {
    Cover {
        facts: vec![
            fact("cluster", lang.t("集群", "Cluster"), &facts.cluster),
            fact("campaign", lang.t("评估活动", "Campaign"), &facts.campaign),
            fact(
                "campaign-id",
                lang.t("活动编号", "Campaign id"),
                &facts.campaign_id,
            ),
            fact(
                "questionnaire",
                lang.t("问卷", "Questionnaire"),
                q.title.get(lang),
            ),
            fact(
                "edition",
                lang.t("版本", "Edition"),
                &r.questionnaire.edition,
            ),
            fact(
                "questionnaire-hash",
                lang.t("问卷哈希", "Questionnaire hash"),
                &r.questionnaire.hash,
            ),
            fact(
                "policy",
                lang.t("评分规则", "Scoring policy"),
                &facts.policy,
            ),
            fact(
                "target-level",
                lang.t("目标等级", "Target level"),
                r.target_level,
            ),
            fact(
                "campaign-status",
                lang.t("活动状态", "Campaign status"),
                status_name(lang, &facts.status),
            ),
            fact("due-date", lang.t("截止日期", "Due date"), facts.due_date),
            fact("as-of", lang.t("数据截至", "Data as of"), facts.as_of),
        ],
        statement: lang
            .t(
                "本报告中的等级与集群就绪度梯队依据企业自评估及审核员核验结果计算，为指示性结果，\
             不构成数据管理能力成熟度（DCMM）认证结论。",
                "Levels and the readiness tier in this report are computed from the enterprises' \
             self-assessments and the auditors' verified ratings. They are indicative and not a \
             DCMM certification.",
            )
            .to_owned(),
    }
}

fn readiness(r: &Rollup, lang: Lang) -> ReadinessSection {
    let t = &r.readiness;
    let name = t
        .name
        .as_ref()
        .map_or_else(|| "–".to_owned(), |n| n.get(lang).to_owned());
    let rows: Vec<Vec<String>> = t
        .checks
        .iter()
        .map(|c| {
            vec![
                c.tier.name().get(lang).to_owned(),
                format!(
                    "S ≥ {} · P{} ≥ {}%",
                    c.rule.min_mean, c.rule.level, c.rule.min_share
                ),
                format!("{} · {}%", c.mean, c.share),
                if c.met {
                    lang.t("✓ 达到", "✓ met")
                } else {
                    // The report font has ✘ but not the dashboard's ✗.
                    lang.t("✘ 未达到", "✘ not met")
                }
                .to_owned(),
            ]
        })
        .collect();
    let rules = (!rows.is_empty()).then(|| {
        Table::new(
            header(&[
                lang.t("梯队", "Tier"),
                lang.t("条件", "Rule"),
                lang.t("本次数值", "Figures"),
                lang.t("结果", "Result"),
            ]),
            rows,
        )
    });
    let mut notes = Vec::new();
    if rules.is_some() {
        notes.push(
            lang.t(
                "各梯队条件自高而低检验，首个达到者决定梯队；均未达到时为基础级。",
                "Rules from the highest tier down; the first met decides, Foundational when none \
                 is.",
            )
            .to_owned(),
        );
    }
    notes.push(t.note.get(lang).to_owned());
    ReadinessSection {
        heading: lang.t("集群就绪度梯队", "Readiness tier").to_owned(),
        tier: t.tier,
        tier_line: colon(lang, lang.t("梯队", "Tier"), &name),
        name,
        figures: vec![
            fact(
                "mean-overall",
                lang.t("平均总分 S", "Mean overall score S"),
                opt(t.mean_overall),
            ),
            fact(
                "p2",
                lang.t("等级 ≥ 2 占比 P2", "Share at level ≥ 2, P2"),
                percent(t.share_level_2_or_above),
            ),
            fact(
                "p3",
                lang.t("等级 ≥ 3 占比 P3", "Share at level ≥ 3, P3"),
                percent(t.share_level_3_or_above),
            ),
            fact(
                "tier-n",
                lang.t("计入的已通过评估", "Accepted assessments counted"),
                t.n,
            ),
        ],
        rules,
        notes,
    }
}

fn participation(facts: &CampaignFacts, r: &Rollup, lang: Lang) -> ParticipationSection {
    let p = r.participation;
    let days_left = (facts.due_date - facts.as_of).num_days();
    // A closed campaign is past counting days: how long ago it was due says nothing.
    let days = (facts.status != "closed").then(|| {
        if days_left >= 0 {
            format!("{} {days_left}", lang.t("距截止天数", "days left:"))
        } else {
            format!("{} {}", lang.t("已逾期天数", "days overdue:"), -days_left)
        }
    });
    let due = format!("{} {}", lang.t("截止日期", "Due"), facts.due_date);
    ParticipationSection {
        heading: lang.t("参与情况", "Participation").to_owned(),
        due: match &days {
            Some(days) => format!("{due} · {days}"),
            None => format!("{due} · {}", status_name(lang, &facts.status)),
        },
        days,
        counts: p,
        chart_title: lang.t("参与进度", "Participation").to_owned(),
        chart_label: format!(
            "{} {} / {} · {} {}",
            lang.t("已通过", "accepted"),
            p.accepted,
            p.invited,
            lang.t("待审核", "awaiting review"),
            p.awaiting_review
        ),
        // One row across: the page keeps room for the level distribution below.
        table: Table::new(
            [
                lang.t("受邀", "Invited"),
                lang.t("未开始", "Not started"),
                lang.t("已开始", "Started"),
                lang.t("已提交", "Submitted"),
                lang.t("待审核", "Awaiting review"),
                lang.t("已通过", "Accepted"),
                lang.t("逾期", "Overdue"),
            ]
            .map(str::to_owned)
            .to_vec(),
            vec![[
                p.invited,
                p.not_started,
                p.started,
                p.submitted,
                p.awaiting_review,
                p.accepted,
                p.overdue,
            ]
            .map(|n| n.to_string())
            .to_vec()],
        ),
    }
}

fn levels(r: &Rollup, lang: Lang) -> LevelsSection {
    let (l, p) = (&r.levels, &r.provisional_levels);
    let mut notes = vec![format!(
        "{} {} · {} {}",
        lang.t("已通过评估", "Accepted assessments:"),
        l.n,
        lang.t(
            "待审核（暂定，未计入）",
            "awaiting review (provisional, not counted):"
        ),
        p.n
    )];
    if p.n > 0 {
        notes.push(match lang {
            Lang::Zh => format!(
                "另有 {} 份评估待审核：其暂定等级列于“暂定”一栏，审核通过前不计入任何其他数字。",
                p.n
            ),
            Lang::En => format!(
                "{} more {} review: their provisional levels are in the Provisional column and \
                 count in no other figure until accepted.",
                p.n,
                if p.n == 1 {
                    "assessment awaits"
                } else {
                    "assessments await"
                }
            ),
        });
    }
    LevelsSection {
        heading: lang.t("等级分布", "Level distribution").to_owned(),
        notes,
        chart_title: lang
            .t("总体等级分布", "Overall level distribution")
            .to_owned(),
        counts: l.counts,
        table: Table::new(
            header(&[
                lang.t("等级", "Level"),
                lang.t("名称", "Name"),
                lang.t("企业数", "Enterprises"),
                lang.t("占比", "Share"),
                lang.t("暂定", "Provisional"),
            ]),
            (0..6)
                .map(|i| {
                    vec![
                        format!("L{i}"),
                        crate::report::level_name(lang, i as u8).to_owned(),
                        l.counts[i].to_string(),
                        format!("{}%", l.shares[i]),
                        p.counts[i].to_string(),
                    ]
                })
                .collect(),
        ),
    }
}
