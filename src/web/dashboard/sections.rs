//! The roll-up's sections, each a chart from the report chart model beside its table, or a
//! table alone where a chart would add nothing.

use super::{chart_section, fig, stacked_section};
use crate::campaign::Filter;
use crate::report::chart::{bar_chart, heat_colour, heat_map, Bar, Colour, HeatRow, RadarSeries};
use crate::report::svg;
use crate::scoring::rollup::{Delta, Rollup};
use crate::scoring::score::Hundredths;
use crate::web::html::{escape, table, Lang};

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

fn signed(d: Option<Delta>) -> String {
    match d {
        Some(d) if d.0 > 0 => format!("+{d}"),
        other => opt(other),
    }
}

pub fn readiness(lang: Lang, r: &Rollup) -> String {
    let t = &r.readiness;
    let tier = match (&t.name, t.tier) {
        (Some(name), Some(tier)) => format!(
            r#"<p class="tier tier-{tier:?}" data-figure="tier" data-tier="{}">{}</p>"#,
            serde_json::to_value(tier)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            escape(lang.text(name))
        ),
        _ => r#"<p class="tier" data-figure="tier" data-tier="">–</p>"#.to_owned(),
    };
    let rows: Vec<Vec<String>> = t
        .checks
        .iter()
        .map(|c| {
            vec![
                escape(lang.text(&c.tier.name())),
                format!(
                    "S ≥ {} · P{} ≥ {}%",
                    c.rule.min_mean, c.rule.level, c.rule.min_share
                ),
                format!("{} · {}%", c.mean, c.share),
                if c.met {
                    lang.t("✓ 达到", "✓ met")
                } else {
                    lang.t("✗ 未达到", "✗ not met")
                }
                .into(),
            ]
        })
        .collect();
    format!(
        r#"<section class="card" id="readiness"><h2>{}</h2>{tier}<dl class="figures"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}%</dd><dt>{}</dt><dd>{}%</dd><dt>{}</dt><dd>{}</dd></dl>{}<p class="note" id="indicative">{}</p></section>"#,
        lang.t("集群就绪度梯队", "Readiness tier"),
        lang.t("平均总分 S", "Mean overall score S"),
        fig("mean-overall", opt(t.mean_overall)),
        lang.t("等级 ≥ 2 占比 P2", "Share at level ≥ 2, P2"),
        fig("p2", opt(t.share_level_2_or_above)),
        lang.t("等级 ≥ 3 占比 P3", "Share at level ≥ 3, P3"),
        fig("p3", opt(t.share_level_3_or_above)),
        lang.t("计入的已通过评估", "Accepted assessments counted"),
        fig("tier-n", t.n),
        table(
            "figures",
            lang.t(
                "各梯队条件（自高而低，首个达到者决定梯队）",
                "Rules from the highest tier down; the first met decides"
            ),
            &[
                lang.t("梯队", "Tier").into(),
                lang.t("条件", "Rule").into(),
                lang.t("本次数值", "Figures").into(),
                lang.t("结果", "Result").into(),
            ],
            &rows
        ),
        escape(lang.text(&t.note)),
    )
}

pub fn levels(lang: Lang, r: &Rollup) -> String {
    let l = &r.levels;
    let bars: Vec<Bar> = (0..6)
        .map(|i| Bar {
            label: format!("L{i}"),
            value: l.counts[i],
            colour: heat_colour(i as f64),
        })
        .collect();
    let chart = bar_chart(lang.t("总体等级分布", "Overall level distribution"), &bars);
    let rows: Vec<Vec<String>> = (0..6)
        .map(|i| {
            vec![
                format!("L{i}"),
                fig(&format!("level-{i}"), l.counts[i]),
                format!("{}%", l.shares[i]),
                r.provisional_levels.counts[i].to_string(),
            ]
        })
        .collect();
    chart_section(
        "levels",
        lang.t("等级分布", "Level distribution"),
        &format!(
            "{} {} · {} {}",
            lang.t("已通过评估", "Accepted assessments:"),
            fig("levels-n", l.n),
            lang.t(
                "待审核（暂定，未计入）",
                "awaiting review (provisional, not counted):"
            ),
            r.provisional_levels.n
        ),
        &svg::render(&chart),
        &table(
            "figures",
            lang.t("等级分布表", "Level distribution table"),
            &[
                lang.t("等级", "Level").into(),
                lang.t("企业数", "Enterprises").into(),
                lang.t("占比", "Share").into(),
                lang.t("暂定", "Provisional").into(),
            ],
            &rows,
        ),
    )
}

pub fn radar(lang: Lang, r: &Rollup) -> String {
    let labels: Vec<String> = r
        .domains
        .iter()
        .map(|d| lang.text(&d.name).to_owned())
        .collect();
    let series = [
        RadarSeries {
            name: lang.t("集群平均", "Cluster mean").into(),
            values: r
                .domains
                .iter()
                .map(|d| d.summary.map(|s| s.mean.as_f64()))
                .collect(),
            colour: Colour::BLUE,
            filled: true,
        },
        RadarSeries {
            name: format!("{} {}", lang.t("目标等级", "Target level"), r.target_level),
            values: vec![Some(f64::from(r.target_level)); r.domains.len()],
            colour: Colour::ORANGE,
            filled: false,
        },
    ];
    let chart = crate::report::chart::radar(
        lang.t("各能力域平均分与目标", "Domain means against the target"),
        &labels,
        &series,
        5,
    );
    let rows: Vec<Vec<String>> = r
        .domains
        .iter()
        .map(|d| {
            let s = d.summary.as_ref();
            vec![
                escape(lang.text(&d.name)),
                fig(&format!("domain-mean-{}", d.id), opt(s.map(|s| s.mean))),
                opt(s.map(|s| s.median)),
                format!("{}–{}", opt(s.map(|s| s.min)), opt(s.map(|s| s.max))),
                format!("{}%", opt(s.map(|s| s.below_target_share))),
            ]
        })
        .collect();
    chart_section(
        "radar",
        lang.t("能力域雷达", "Domain radar"),
        "",
        &svg::render(&chart),
        &table(
            "figures",
            lang.t("能力域统计", "Domain statistics"),
            &[
                lang.t("能力域", "Domain").into(),
                lang.t("平均", "Mean").into(),
                lang.t("中位数", "Median").into(),
                lang.t("最低–最高", "Min–max").into(),
                lang.t("低于目标", "Below target").into(),
            ],
            &rows,
        ),
    )
}

/// A short column label: the domain name without its common "数据" / "Data" prefix.
fn short(name: &str) -> String {
    let s = name
        .strip_prefix("数据")
        .or_else(|| name.strip_prefix("Data "))
        .unwrap_or(name);
    s.split_whitespace().next().unwrap_or(s).to_owned()
}

pub fn heat(lang: Lang, r: &Rollup) -> String {
    let h = &r.heat_map;
    let columns: Vec<String> = r
        .domains
        .iter()
        .map(|d| short(lang.text(&d.name)))
        .collect();
    let rows: Vec<HeatRow> = h
        .rows
        .iter()
        .map(|row| HeatRow::of_scores(&row.name, &row.scores))
        .collect();
    let chart = heat_map(
        lang.t("能力域 × 企业", "Domain × enterprise"),
        &columns,
        &rows,
    );
    let mut head = vec![
        lang.t("企业", "Enterprise").to_owned(),
        lang.t("总分", "Overall").to_owned(),
    ];
    head.extend(columns.iter().map(|c| escape(c)));
    let cell = |v: Option<Hundredths>| match v {
        Some(v) => format!(
            r#"<td class="num heat-{}" data-sort="{}">{v}</td>"#,
            v.whole().min(5),
            v.0
        ),
        None => r#"<td class="num" data-sort="-1">–</td>"#.to_owned(),
    };
    let table_rows: Vec<Vec<String>> = h
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![escape(&row.name), cell(Some(row.overall))];
            cells.extend(row.scores.iter().map(|s| cell(*s)));
            cells
        })
        .collect();
    let note = format!(
        "{} {} {}",
        lang.t("仅列出允许按名称显示分数的企业；另有", "Only enterprises that share their scores are named;"),
        fig("heat-anonymous", h.anonymous),
        lang.t("家仅共享匿名统计的企业计入所有汇总数字但不列出。点击表头排序。", "more, sharing anonymous statistics only, count in every figure but are not listed. Click a column heading to sort."),
    );
    stacked_section(
        "heat",
        lang.t("能力域 × 企业热力图", "Domain × enterprise heat map"),
        &note,
        &svg::render(&chart),
        &table(
            "sortable heat",
            lang.t("按企业的能力域得分", "Domain scores by enterprise"),
            &head,
            &table_rows,
        ),
    )
}

pub fn weakest(lang: Lang, r: &Rollup) -> String {
    let rows: Vec<Vec<String>> = r
        .weakest_items
        .iter()
        .map(|w| {
            vec![
                escape(&w.section),
                escape(lang.text(&w.name)),
                escape(
                    &r.domains
                        .iter()
                        .find(|d| d.id == w.domain)
                        .map_or(w.domain.clone(), |d| lang.text(&d.name).to_owned()),
                ),
                fig(&format!("weak-mean-{}", w.id), w.mean),
                format!("{} ({}%)", w.below_target, w.below_target_share),
            ]
        })
        .collect();
    format!(
        r#"<section class="card" id="weakest"><h2>{}</h2><p class="note">{}</p>{}</section>"#,
        lang.t("最薄弱的能力项", "Weakest items"),
        lang.t("集群平均分最低的能力项：共享培训、工具或公共服务在这里收益最大。", "The items with the lowest cluster mean: where shared training, tools or public services pay off most."),
        table(
            "figures",
            lang.t("最薄弱的能力项", "Weakest items"),
            &[
                lang.t("条款", "Section").into(),
                lang.t("能力项", "Item").into(),
                lang.t("能力域", "Domain").into(),
                lang.t("平均分", "Mean").into(),
                lang.t("低于目标的企业", "Below target").into(),
            ],
            &rows
        )
    )
}

pub fn cdo(lang: Lang, r: &Rollup) -> String {
    let c = &r.cdo;
    let rows = vec![
        vec![
            lang.t("已设首席数据官", "CDO appointed").into(),
            format!(
                "{} ({}%)",
                fig("cdo-appointed", c.appointed),
                c.appointed_share
            ),
        ],
        vec![
            lang.t("位于决策层", "At decision level").into(),
            format!("{} ({}%)", c.decision_level, c.decision_level_share),
        ],
        vec![
            lang.t("写入章程或制度", "In the charter").into(),
            format!("{} ({}%)", c.in_charter, c.in_charter_share),
        ],
        vec![
            lang.t("平均履行职责数", "Mean duties covered").into(),
            format!("{} / {}", opt(c.mean_duties), c.duties_total),
        ],
    ];
    format!(
        r#"<section class="card" id="cdo"><h2>{}</h2><p class="note">{} {}</p>{}</section>"#,
        lang.t("首席数据官覆盖", "CDO coverage"),
        lang.t(
            "有企业画像的已通过评估：",
            "Accepted assessments with a profile:"
        ),
        c.n,
        table(
            "figures",
            lang.t("首席数据官覆盖", "CDO coverage"),
            &[
                lang.t("指标", "Measure").into(),
                lang.t("企业数", "Enterprises").into()
            ],
            &rows
        )
    )
}

pub fn eligibility(lang: Lang, r: &Rollup) -> String {
    let e = &r.eligibility;
    let mut rows = vec![vec![
        format!(
            "<strong>{}</strong>",
            lang.t("全部条件满足", "All conditions met")
        ),
        format!("{} ({}%)", fig("eligible", e.all_met), e.all_met_share),
    ]];
    rows.extend(e.conditions.iter().map(|c| {
        vec![
            escape(lang.text(&c.label)),
            format!("{} ({}%)", c.met, c.share),
        ]
    }));
    format!(
        r#"<section class="card" id="eligibility"><h2>{}</h2><p class="note">{} {} · {}</p>{}</section>"#,
        lang.t("认证申报资格预检", "Certification eligibility pre-check"),
        lang.t(
            "有企业画像的已通过评估：",
            "Accepted assessments with a profile:"
        ),
        e.n,
        lang.t(
            "仅为预检，以评估机构的判定为准。",
            "Indicative: a pre-check, not the assessment body's decision."
        ),
        table(
            "figures",
            lang.t("资格条件", "Conditions"),
            &[
                lang.t("条件", "Condition").into(),
                lang.t("满足的企业", "Met by").into()
            ],
            &rows
        )
    )
}

pub fn bias(lang: Lang, r: &Rollup) -> String {
    let b = &r.bias;
    let mut rows = vec![vec![
        format!("<strong>{}</strong>", lang.t("总分", "Overall")),
        fig("bias-overall", signed(b.overall)),
    ]];
    rows.extend(
        r.domains
            .iter()
            .zip(&b.domains)
            .map(|(d, db)| vec![escape(lang.text(&d.name)), signed(db.mean)]),
    );
    format!(
        r#"<section class="card" id="bias"><h2>{}</h2><p class="note">{} {}</p>{}</section>"#,
        lang.t("自评与核验偏差", "Self-assessment bias"),
        lang.t("自评分减核验分的平均；正值表示企业自评偏高。计入：", "Mean of self − verified score; positive when enterprises rate themselves higher. Assessments:"),
        b.n,
        table("figures", lang.t("偏差", "Bias"), &[lang.t("范围", "Scope").into(), lang.t("平均偏差", "Mean bias").into()], &rows)
    )
}

pub fn change(lang: Lang, r: &Rollup, filter: &Filter) -> String {
    let heading = lang.t("与上一期评估相比", "Change since the previous campaign");
    let Some(c) = &r.change else {
        return format!(
            r#"<section class="card" id="change"><h2>{heading}</h2><p class="note">{}</p></section>"#,
            lang.t(
                "本集群没有上一期评估。",
                "The cluster has no previous campaign."
            )
        );
    };
    let mut notes = Vec::new();
    if let Some(n) = &c.note {
        notes.push(escape(lang.text(n)));
    }
    if !filter.is_empty() {
        notes.push(
            lang.t(
                "筛选只作用于本期；上一期为全部企业。",
                "Filters apply to this campaign only; the previous one covers every enterprise.",
            )
            .to_owned(),
        );
    }
    let mut rows = vec![vec![
        format!("<strong>{}</strong>", lang.t("总分", "Overall")),
        opt(c.overall.previous),
        opt(c.overall.current),
        fig("change-overall", signed(c.overall.difference)),
    ]];
    rows.extend(c.domains.iter().map(|d| {
        vec![
            escape(lang.text(&d.name)),
            opt(d.mean.previous),
            opt(d.mean.current),
            signed(d.mean.difference),
        ]
    }));
    format!(
        r#"<section class="card" id="change"><h2>{heading}</h2><p class="note">{} {} ({} {}) · {}</p>{}</section>"#,
        lang.t("上一期问卷", "Previous questionnaire"),
        escape(&c.previous.edition),
        lang.t("已通过评估", "accepted assessments:"),
        c.previous_n,
        notes.join(" "),
        table(
            "figures",
            heading,
            &[
                lang.t("范围", "Scope").into(),
                lang.t("上一期", "Previous").into(),
                lang.t("本期", "Current").into(),
                lang.t("变化", "Change").into(),
            ],
            &rows
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_labels_are_shortened_for_columns() {
        assert_eq!(short("数据战略"), "战略");
        assert_eq!(short("Data application and circulation"), "application");
        assert_eq!(short("Other"), "Other");
    }

    #[test]
    fn positive_differences_carry_a_plus() {
        assert_eq!(signed(Some(Delta(25))), "+0.25");
        assert_eq!(signed(Some(Delta(-5))), "-0.05");
        assert_eq!(signed(None), "–");
    }
}
