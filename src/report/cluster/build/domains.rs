//! The per-domain views: the domain × enterprise heat map in charts of a few dozen rows (or,
//! when no enterprise can be named, the quantile bands of each domain) and the domain
//! statistics with the radar of their means.

use super::{counted, header, opt};
use crate::questionnaire::Lang;
use crate::report::cluster::{
    Band, Bands, DomainSection, HeatChunk, HeatLine, HeatSection, Quartiles, Table,
};
use crate::scoring::rollup::{Rollup, Summary};

/// At most this many enterprises per heat-map chart: two such charts fit on a page.
pub(in crate::report::cluster) const HEAT_ROWS: usize = 20;

/// A short column label: the domain name without its common "数据" / "Data" prefix (the
/// dashboard's heat-map columns), and an English word of more than nine letters cut to six and
/// a full stop, so that neighbouring columns do not run into each other.
pub(in crate::report::cluster) fn short(name: &str) -> String {
    let s = name
        .strip_prefix("数据")
        .or_else(|| name.strip_prefix("Data "))
        .unwrap_or(name);
    let word = s.split_whitespace().next().unwrap_or(s);
    if word.is_ascii() && word.len() > 9 {
        format!("{}.", &word[..6])
    } else {
        word.to_owned()
    }
}

/// `rows` in charts of at most [`HEAT_ROWS`], as even as can be.
fn chunks(rows: Vec<HeatLine>, lang: Lang) -> Vec<HeatChunk> {
    let total = rows.len();
    let count = total.div_ceil(HEAT_ROWS);
    let mut rows = rows.into_iter();
    let mut out = Vec::with_capacity(count);
    let mut from = 0;
    for c in 0..count {
        // The first `total % count` charts take one row more.
        let size = total / count + usize::from(c < total % count);
        let title = match lang {
            Lang::Zh => format!(
                "能力域 × 企业（第 {}–{} 家，共 {total} 家）",
                from + 1,
                from + size
            ),
            Lang::En => format!(
                "Domain × enterprise ({}–{} of {total})",
                from + 1,
                from + size
            ),
        };
        out.push(HeatChunk {
            title,
            rows: rows.by_ref().take(size).collect(),
        });
        from += size;
    }
    out
}

pub(super) fn heat(r: &Rollup, lang: Lang) -> HeatSection {
    let h = &r.heat_map;
    let rows: Vec<HeatLine> = h
        .rows
        .iter()
        .map(|row| HeatLine {
            name: row.name.clone(),
            overall: row.overall,
            scores: row.scores.clone(),
        })
        .collect();
    let named = !rows.is_empty();
    let scored = r.domains.iter().any(|d| d.summary.is_some());
    let mut notes = vec![match lang {
        Lang::Zh => format!(
            "仅列出允许按名称显示分数的企业；另有 {} 家仅共享匿名统计的企业计入所有汇总数字但不列出。",
            h.anonymous
        ),
        Lang::En => format!(
            "Only enterprises that share their scores are named; {} more, sharing anonymous \
             statistics only, count in every figure but are not listed.",
            h.anonymous
        ),
    }];
    if !scored {
        notes.push(
            lang.t(
                "尚无通过审核的评估，没有可显示的能力域得分。",
                "No assessment has been accepted yet: there are no domain scores to show.",
            )
            .to_owned(),
        );
    } else if !named {
        notes.push(
            lang.t(
                "没有可按名称显示的企业得分，下面以各能力域核验得分的分位区间代替热力图。",
                "No enterprise's scores can be shown by name: the spread of each domain's \
                 verified scores stands in for the heat map.",
            )
            .to_owned(),
        );
    }
    let bands = (scored && !named).then(|| Bands {
        title: lang
            .t(
                "各能力域得分的分位区间",
                "Spread of the verified scores per domain",
            )
            .to_owned(),
        legend: lang
            .t(
                "细线为最低至最高分，色块为下四分位至上四分位，黑色竖线为中位数，虚线为目标等级。",
                "The thin line runs from the lowest to the highest score, the box from the first \
             to the third quartile; the black tick is the median, the dashed line the target \
             level.",
            )
            .to_owned(),
        target_label: format!("{} {}", lang.t("目标", "target"), r.target_level),
        target: r.target_level,
        median_label: lang.t("中位数", "median").to_owned(),
        rows: r
            .domains
            .iter()
            .map(|d| Band {
                domain: d.name.get(lang).to_owned(),
                quartiles: d.summary.map(|s| Quartiles {
                    n: s.n,
                    min: s.min,
                    q1: s.q1,
                    median: s.median,
                    q3: s.q3,
                    max: s.max,
                }),
            })
            .collect(),
    });
    let columns: Vec<String> = r.domains.iter().map(|d| short(d.name.get(lang))).collect();
    HeatSection {
        heading: lang
            .t("能力域 × 企业热力图", "Domain × enterprise heat map")
            .to_owned(),
        notes,
        header: [lang.t("企业", "Enterprise"), lang.t("总分", "Overall")]
            .map(str::to_owned)
            .into_iter()
            .chain(columns.iter().cloned())
            .collect(),
        columns,
        chunks: chunks(rows, lang),
        anonymous: h.anonymous,
        bands,
    }
}

pub(super) fn statistics(r: &Rollup, lang: Lang) -> DomainSection {
    let stats = |name: String, s: Option<&Summary>| {
        vec![
            name,
            opt(s.map(|s| s.n)),
            opt(s.map(|s| s.mean)),
            opt(s.map(|s| s.min)),
            opt(s.map(|s| s.q1)),
            opt(s.map(|s| s.median)),
            opt(s.map(|s| s.q3)),
            opt(s.map(|s| s.max)),
            s.map_or_else(
                || "–".to_owned(),
                |s| counted(s.below_target, s.below_target_share),
            ),
        ]
    };
    let mut rows = vec![stats(
        lang.t("总分", "Overall").to_owned(),
        r.overall.as_ref(),
    )];
    rows.extend(
        r.domains
            .iter()
            .map(|d| stats(d.name.get(lang).to_owned(), d.summary.as_ref())),
    );
    DomainSection {
        heading: lang.t("能力域统计", "Domain statistics").to_owned(),
        notes: vec![match lang {
            Lang::Zh => format!(
                "已通过评估的核验得分。低于目标：等级（得分的整数部分）低于目标等级 {} 的企业数及占比。",
                r.target_level
            ),
            Lang::En => format!(
                "Verified scores of accepted assessments. Below target: enterprises whose level \
                 (the integer part of the score) is below the target level {}, with their share.",
                r.target_level
            ),
        }],
        radar_title: lang.t("各能力域平均分与目标", "Domain means against the target").to_owned(),
        names: r.domains.iter().map(|d| d.name.get(lang).to_owned()).collect(),
        means: r.domains.iter().map(|d| d.summary.map(|s| s.mean)).collect(),
        mean_label: lang.t("集群平均", "Cluster mean").to_owned(),
        target: r.target_level,
        target_label: format!("{} {}", lang.t("目标等级", "Target level"), r.target_level),
        table: Table::new(
            header(&[
                lang.t("能力域", "Domain"),
                "n",
                lang.t("平均", "Mean"),
                lang.t("最低", "Min"),
                lang.t("下四分位", "Q1"),
                lang.t("中位数", "Median"),
                lang.t("上四分位", "Q3"),
                lang.t("最高", "Max"),
                lang.t("低于目标", "Below target"),
            ]),
            rows,
        )
        .keyed(
            std::iter::once("overall".to_owned())
                .chain(r.domains.iter().map(|d| d.id.clone()))
                .collect(),
        ),
    }
}
