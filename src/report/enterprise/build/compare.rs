//! The enterprise against others and against itself: its percentiles within the cluster, its
//! industry and its size group (each group shown only when large enough), and the change of
//! its scores since its accepted assessment of an earlier campaign.

use crate::questionnaire::{Lang, Questionnaire};
use crate::report::cluster::{Block, Table};
use crate::report::enterprise::{BenchmarkFacts, PreviousFacts};
use crate::scoring::rollup::{Counterparts, Delta, GroupBenchmark};
use crate::scoring::{Hundredths, ScoreReport};

/// A figure there is none of, as the cluster report writes it.
fn dash() -> String {
    "–".to_owned()
}

fn block(heading: &str, notes: Vec<String>, table: Option<Table>) -> Block {
    Block {
        heading: heading.to_owned(),
        notes,
        table,
        after: Vec::new(),
    }
}

fn domain_name(q: &Questionnaire, id: &str, lang: Lang) -> String {
    q.domains
        .iter()
        .find(|d| d.id == id)
        .map_or_else(|| id.to_owned(), |d| d.name.get(lang).to_owned())
}

/// The benchmark section: a table of the verified overall and domain scores with the
/// percentile in each group shown, and a note for each group that is too small; before the
/// assessment is accepted, why there is none yet.
pub(super) fn benchmark(
    q: &Questionnaire,
    scores: &ScoreReport,
    facts: Option<&BenchmarkFacts>,
    lang: Lang,
) -> Block {
    let heading = lang.t("集群对标", "Benchmark within the cluster");
    let Some(f) = facts else {
        return block(
            heading,
            vec![lang
                .t(
                    "评估经审核员核验通过后，才与集群内其他企业的核验结果对比。",
                    "Once an auditor accepts the assessment, its verified scores are compared \
                     with those of the cluster's other enterprises.",
                )
                .to_owned()],
            None,
        );
    };
    let b = &f.benchmark;
    let groups: [(&GroupBenchmark, String); 3] = [
        (&b.cluster, lang.t("本集群", "Cluster").to_owned()),
        (
            &b.industry,
            match lang {
                Lang::Zh => format!("同行业（{}）", f.industry),
                Lang::En => format!("Industry ({})", f.industry),
            },
        ),
        (
            &b.size,
            match lang {
                Lang::Zh => format!("同规模（{}）", f.size),
                Lang::En => format!("Size ({})", f.size),
            },
        ),
    ];
    let mut notes = vec![lang
        .t(
            "百分位为同组已通过评估的企业中得分低于本企业者的占比（得分相同者计一半），按核验后得分计算。",
            "A percentile is the share of the group's enterprises with an accepted assessment \
             scoring below this one (equal scores count half), on verified scores.",
        )
        .to_owned()];
    for (g, label) in &groups {
        if let Some(s) = &g.suppressed {
            let message = s.message.get(lang);
            notes.push(match lang {
                Lang::Zh => format!("{label}：{message}"),
                Lang::En => format!("{label}: {message}"),
            });
        }
    }
    let shown: Vec<&(&GroupBenchmark, String)> = groups
        .iter()
        .filter(|(g, _)| g.percentiles.is_some())
        .collect();
    if shown.is_empty() {
        return block(heading, notes, None);
    }
    let mut header = vec![
        String::new(),
        lang.t("核验得分", "Verified score").to_owned(),
    ];
    header.extend(shown.iter().map(|(g, label)| match lang {
        Lang::Zh => format!("{label}百分位（{} 家）", g.members),
        Lang::En => format!("{label} percentile ({})", g.members),
    }));
    let percentile = |g: &GroupBenchmark, domain: Option<&str>| {
        g.percentiles.as_ref().and_then(|p| match domain {
            None => Some(p.overall),
            Some(id) => p.domains.iter().find(|d| d.id == id).map(|d| d.percentile),
        })
    };
    let row = |name: String, score: Hundredths, domain: Option<&str>| {
        let mut cells = vec![name, score.to_string()];
        cells.extend(
            shown
                .iter()
                .map(|(g, _)| percentile(g, domain).map_or_else(dash, |p| format!("{p}%"))),
        );
        cells
    };
    let mut rows = vec![row(
        lang.t("总分", "Overall").to_owned(),
        scores.overall.score,
        None,
    )];
    let mut keys = vec!["overall".to_owned()];
    for d in &scores.domains {
        rows.push(row(domain_name(q, &d.id, lang), d.score, Some(&d.id)));
        keys.push(d.id.clone());
    }
    block(heading, notes, Some(Table::new(header, rows).keyed(keys)))
}

fn signed(d: Delta) -> String {
    if d.0 > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// The change section: this assessment's scores (verified once accepted) against the verified
/// scores of the enterprise's previous accepted assessment, per domain and item. Another
/// edition's domains and items are matched through the crosswalk joining the two editions
/// (else domains by section number only), and the note says so.
pub(super) fn change(
    q: &Questionnaire,
    scores: &ScoreReport,
    provisional: bool,
    previous: Option<&PreviousFacts<'_>>,
    lang: Lang,
) -> Block {
    let heading = lang.t("与上期相比", "Change since the previous campaign");
    let Some(p) = previous else {
        return block(
            heading,
            vec![lang
                .t(
                    "本企业此前没有通过审核的评估，暂无可比较的上期结果。",
                    "The enterprise has no earlier accepted assessment to compare with.",
                )
                .to_owned()],
            None,
        );
    };
    let pq = p.questionnaire;
    let same = pq.edition == q.edition;
    let pairs = Counterparts::new(pq, q, p.crosswalk);
    let mut notes = vec![match lang {
        Lang::Zh => format!(
            "上期：{}，按其核验后得分；本期按{}得分。",
            p.campaign,
            if provisional { "暂定" } else { "核验后" }
        ),
        Lang::En => format!(
            "Previous: {}, verified scores; this campaign: {} scores.",
            p.campaign,
            if provisional {
                "provisional"
            } else {
                "verified"
            }
        ),
    }];
    if let Some(note) = pairs.note(&pq.edition, &q.edition) {
        notes.push(note.get(lang).to_owned());
    }
    // Across editions the same section number may name another domain: say which.
    let mut header = vec![lang.t("能力域 / 能力项", "Domain / item").to_owned()];
    if !same {
        header.push(lang.t("上期对应", "Matched previous").to_owned());
    }
    header.extend(
        [
            lang.t("上期", "Previous"),
            lang.t("本期", "This campaign"),
            lang.t("变化", "Change"),
        ]
        .map(str::to_owned),
    );
    let row =
        |name: String, matched: Option<String>, before: Option<Hundredths>, now: Hundredths| {
            let mut cells = vec![name];
            if !same {
                cells.push(matched.unwrap_or_else(dash));
            }
            cells.extend([
                before.map_or_else(dash, |b| b.to_string()),
                now.to_string(),
                before.map_or_else(dash, |b| signed(Delta::between(now, b))),
            ]);
            cells
        };
    let mut rows = vec![row(
        lang.t("总分", "Overall").to_owned(),
        Some(String::new()),
        Some(p.verified.overall.score),
        scores.overall.score,
    )];
    let mut keys = vec!["overall".to_owned()];
    // The previous scorecard is in its questionnaire's order.
    let previous_domain = |id: &str| {
        let i = pq.domains.iter().position(|x| x.id == id)?;
        Some((pq.domains.get(i)?, p.verified.domains.get(i)?))
    };
    let previous_item = |id: &str| {
        pq.domains
            .iter()
            .zip(&p.verified.domains)
            .find_map(|(d, ds)| {
                let i = d.items.iter().position(|x| x.id == id)?;
                Some((d.items.get(i)?, ds.items.get(i)?))
            })
    };
    for d in &scores.domains {
        let before = pairs.domain(&d.id).and_then(previous_domain);
        rows.push(row(
            domain_name(q, &d.id, lang),
            before.map(|(x, _)| x.name.get(lang).to_owned()),
            before.map(|(_, s)| s.score),
            d.score,
        ));
        keys.push(d.id.clone());
        let Some(domain) = q.domains.iter().find(|x| x.id == d.id) else {
            continue;
        };
        for (item, now) in domain.items.iter().zip(&d.items) {
            let before = pairs.item(&item.id).and_then(previous_item);
            rows.push(row(
                format!("　{} {}", item.section, item.name.get(lang)),
                before.map(|(x, _)| format!("{} {}", x.section, x.name.get(lang))),
                before.map(|(_, s)| s.score),
                now.score,
            ));
            keys.push(item.id.clone());
        }
    }
    block(heading, notes, Some(Table::new(header, rows).keyed(keys)))
}
