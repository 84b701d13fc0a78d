//! CDO coverage, the eligibility pre-check, the self-assessment bias and the change since the
//! previous campaign: a note and a table each, as the dashboard shows them.

use super::{block, colon, counted, header, opt, signed};
use crate::questionnaire::Lang;
use crate::report::cluster::{Block, Table};
use crate::scoring::rollup::Rollup;

fn with_profile(lang: Lang, n: u32) -> String {
    colon(
        lang,
        lang.t(
            "有企业画像的已通过评估",
            "Accepted assessments with a profile",
        ),
        n,
    )
}

pub(super) fn cdo(r: &Rollup, lang: Lang) -> Block {
    let c = &r.cdo;
    let rows = vec![
        vec![
            lang.t("已设首席数据官", "CDO appointed").to_owned(),
            counted(c.appointed, c.appointed_share),
        ],
        vec![
            lang.t("位于决策层", "At decision level").to_owned(),
            counted(c.decision_level, c.decision_level_share),
        ],
        vec![
            lang.t("写入章程或制度", "In the charter").to_owned(),
            counted(c.in_charter, c.in_charter_share),
        ],
        vec![
            lang.t("平均履行职责数", "Mean duties covered").to_owned(),
            format!("{} / {}", opt(c.mean_duties), c.duties_total),
        ],
    ];
    block(
        lang.t("首席数据官覆盖", "CDO coverage"),
        vec![with_profile(lang, c.n)],
        Some(Table::new(
            header(&[lang.t("指标", "Measure"), lang.t("企业数", "Enterprises")]),
            rows,
        )),
    )
}

pub(super) fn eligibility(r: &Rollup, lang: Lang) -> Block {
    let e = &r.eligibility;
    let mut rows = vec![vec![
        lang.t("全部条件满足", "All conditions met").to_owned(),
        counted(e.all_met, e.all_met_share),
    ]];
    rows.extend(
        e.conditions
            .iter()
            .map(|c| vec![c.label.get(lang).to_owned(), counted(c.met, c.share)]),
    );
    block(
        lang.t("认证申报资格预检", "Certification eligibility pre-check"),
        vec![
            with_profile(lang, e.n),
            lang.t(
                "仅为预检，以评估机构的判定为准。",
                "Indicative: a pre-check, not the assessment body's decision.",
            )
            .to_owned(),
        ],
        Some(Table::new(
            header(&[lang.t("条件", "Condition"), lang.t("满足的企业", "Met by")]),
            rows,
        )),
    )
}

pub(super) fn bias(r: &Rollup, lang: Lang) -> Block {
    let b = &r.bias;
    let mut rows = vec![vec![
        lang.t("总分", "Overall").to_owned(),
        signed(b.overall),
    ]];
    rows.extend(
        r.domains
            .iter()
            .zip(&b.domains)
            .map(|(d, db)| vec![d.name.get(lang).to_owned(), signed(db.mean)]),
    );
    block(
        lang.t("自评与核验偏差", "Self-assessment bias"),
        vec![match lang {
            Lang::Zh => format!("自评分减核验分的平均；正值表示企业自评偏高。计入：{}", b.n),
            Lang::En => format!(
                "Mean of self − verified score; positive when enterprises rate themselves \
                 higher. Assessments: {}",
                b.n
            ),
        }],
        Some(Table::new(
            header(&[lang.t("范围", "Scope"), lang.t("平均偏差", "Mean bias")]),
            rows,
        )),
    )
}

pub(super) fn change(r: &Rollup, lang: Lang) -> Block {
    let heading = lang.t("与上一期评估相比", "Change since the previous campaign");
    let Some(c) = &r.change else {
        return block(
            heading,
            vec![lang
                .t(
                    "本集群没有上一期评估。",
                    "The cluster has no previous campaign.",
                )
                .to_owned()],
            None,
        );
    };
    let mut notes = vec![match lang {
        Lang::Zh => format!(
            "上一期问卷 {}（已通过评估 {}）",
            c.previous.edition, c.previous_n
        ),
        Lang::En => format!(
            "Previous questionnaire {} (accepted assessments: {})",
            c.previous.edition, c.previous_n
        ),
    }];
    if let Some(n) = &c.note {
        notes.push(n.get(lang).to_owned());
    }
    let mut rows = vec![vec![
        lang.t("总分", "Overall").to_owned(),
        opt(c.overall.previous),
        opt(c.overall.current),
        signed(c.overall.difference),
    ]];
    rows.extend(c.domains.iter().map(|d| {
        vec![
            d.name.get(lang).to_owned(),
            opt(d.mean.previous),
            opt(d.mean.current),
            signed(d.mean.difference),
        ]
    }));
    block(
        heading,
        notes,
        Some(Table::new(
            header(&[
                lang.t("范围", "Scope"),
                lang.t("上一期", "Previous"),
                lang.t("本期", "Current"),
                lang.t("变化", "Change"),
            ]),
            rows,
        )),
    )
}
