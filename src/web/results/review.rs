//! The results page's reading of the domains (strengths and weaknesses) and its review card:
//! who reviewed the assessment, every decision with its note, and the criteria the auditor
//! rated, the enterprise's rating beside each (by text, never by id).

use crate::report::enterprise::{EnterpriseReport, Table};
use crate::web::dashboard::markup::{card, note, table_with, TableView};
use crate::web::html::escape;

fn list(items: &[String], lang: crate::web::html::Lang) -> String {
    if items.is_empty() {
        "—".to_owned()
    } else {
        items.join(lang.t("、", "; "))
    }
}

/// Each domain's strengths and weaknesses, with the rule they follow.
pub(super) fn readings(r: &EnterpriseReport) -> String {
    let lang = r.lang;
    let t = Table::new(
        vec![
            lang.t("能力域", "Domain").to_owned(),
            lang.t("强项", "Strengths").to_owned(),
            lang.t("弱项", "Weaknesses").to_owned(),
        ],
        r.readings
            .iter()
            .map(|d| {
                vec![
                    d.domain.clone(),
                    list(&d.strengths, lang),
                    list(&d.weaknesses, lang),
                ]
            })
            .collect(),
    )
    .keyed(r.readings.iter().map(|d| d.id.clone()).collect());
    let keys = &t.keys;
    let figure = |i: usize, j: usize| {
        let key = keys.get(i)?;
        match j {
            1 => Some(format!("strengths-{key}")),
            2 => Some(format!("weaknesses-{key}")),
            _ => None,
        }
    };
    let view = TableView {
        class: "figures",
        labelled_by: "readings-h",
        figure: &figure,
    };
    card(
        "readings",
        lang.t("强项与弱项", "Strengths and weaknesses"),
        &format!(
            "{}{}",
            note(&escape(&r.reading_rule)),
            table_with(&view, &t, &[], &|_, j| if j == 0 { "name" } else { "" })
        ),
    )
}

/// Who reviewed, every decision, and the criteria the auditor rated; nothing before a review.
pub(super) fn review(r: &EnterpriseReport) -> String {
    let lang = r.lang;
    if r.notes.is_empty() {
        return String::new();
    }
    let items: String = r
        .notes
        .iter()
        .map(|n| {
            let decision = n
                .decision
                .parse::<crate::domain::assessment::Decision>()
                .map_or_else(|_| n.decision.clone(), |d| d.label(lang).to_owned());
            let text = if n.text.is_empty() { "—" } else { &n.text };
            format!(
                "<li><strong>{} {} · {}</strong> {}</li>",
                n.at.format("%Y-%m-%d"),
                escape(&n.auditor),
                escape(&decision),
                escape(text)
            )
        })
        .collect();
    let mut out = format!(r#"<ul class="reviews">{items}</ul>"#);
    if r.rerated.is_empty() {
        out.push_str(&note(&escape(lang.t(
            "审核员未改动任何条款的评定。",
            "The auditor changed no criterion's rating.",
        ))));
    } else {
        let t = Table::new(
            vec![
                lang.t("能力项", "Item").to_owned(),
                lang.t("条款", "Criterion").to_owned(),
                lang.t("自评", "Self").to_owned(),
                lang.t("核验", "Verified").to_owned(),
                lang.t("审核员说明", "Auditor's note").to_owned(),
            ],
            r.rerated
                .iter()
                .map(|x| {
                    vec![
                        x.item.clone(),
                        x.text.clone(),
                        x.self_rating.clone(),
                        x.verified.clone(),
                        if x.note.is_empty() {
                            "—".to_owned()
                        } else {
                            x.note.clone()
                        },
                    ]
                })
                .collect(),
        );
        let lowered = |i: usize| r.rerated.get(i).is_some_and(|x| x.lowered);
        let class_of = |i: usize, j: usize| match j {
            0 | 1 => "name",
            3 if lowered(i) => "lowered",
            _ => "",
        };
        out.push_str(&format!(
            r#"<h3 id="rerated-h">{}</h3>{}"#,
            lang.t("审核员评定的条款", "Criteria the auditor rated"),
            table_with(&TableView::plain("rerated-h"), &t, &[], &class_of)
        ));
    }
    card(
        "reviews",
        lang.t("审核与核验", "Review and verification"),
        &out,
    )
}
