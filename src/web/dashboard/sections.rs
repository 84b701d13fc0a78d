//! The cluster report model's sections as cards, in the model's words: each chart (the model's
//! own chart builders) beside or above its table, or a table alone where a chart would add
//! nothing.

use super::markup::{card, facts, fig_in, note, notes, table, transposed, TableView};
use crate::report::cluster::{Block, ClusterReport};
use crate::report::svg;
use crate::scoring::Hundredths;
use crate::web::html::{self, escape};

/// The figure names of the participation table's columns, in the model's order.
const PARTICIPATION: [&str; 7] = [
    "invited",
    "not-started",
    "started",
    "submitted",
    "awaiting-review",
    "accepted",
    "overdue",
];

/// Charts and a table side by side (`pair`), or the table below (`pair stacked`).
pub fn pair(class: &str, charts: &str, table: &str) -> String {
    format!(r#"<div class="{class}"><figure>{charts}</figure>{table}</div>"#)
}

/// The report's facts, its statement and `download` (the link to the PDF).
pub fn cover(r: &ClusterReport, download: &str) -> String {
    card(
        "cover",
        &r.title,
        &format!(
            r#"<div class="facts">{}</div>{}{download}"#,
            facts(&r.cover.facts),
            note(&escape(&r.cover.statement))
        ),
    )
}

pub fn readiness(r: &ClusterReport) -> String {
    let s = &r.readiness;
    let code = s
        .tier
        .and_then(|t| serde_json::to_value(t).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let rules = s
        .rules
        .as_ref()
        .map_or_else(String::new, |t| table(&TableView::plain("readiness-h"), t));
    card(
        "readiness",
        &s.heading,
        &format!(
            r#"<p class="tier" data-tier="{}">{}</p>{}{rules}{}"#,
            escape(&code),
            fig_in(&s.tier_line, "tier", &s.name),
            facts(&s.figures),
            notes(&s.notes)
        ),
    )
}

/// `elapsed`: how far the report's day is from the campaign's start to its due date.
pub fn participation(r: &ClusterReport, elapsed: f64) -> String {
    let p = &r.participation;
    card(
        "participation",
        &p.heading,
        &format!(
            "<p>{}</p><figure>{}</figure>{}",
            escape(&p.due),
            svg::render(&r.participation_chart_at(elapsed)),
            transposed("participation-h", &p.table, &PARTICIPATION)
        ),
    )
}

pub fn levels(r: &ClusterReport) -> String {
    let l = &r.levels;
    let n: u32 = l.counts.iter().sum();
    let notes: String = l
        .notes
        .iter()
        .enumerate()
        .map(|(i, text)| match i {
            0 => note(&fig_in(text, "levels-n", &n.to_string())),
            _ => note(&escape(text)),
        })
        .collect();
    let figure = |i: usize, j: usize| (j == 2).then(|| format!("level-{i}"));
    let view = TableView {
        class: "figures",
        labelled_by: "levels-h",
        figure: &figure,
    };
    card(
        "levels",
        &l.heading,
        &format!(
            "{notes}{}",
            pair(
                "pair",
                &svg::render(&r.levels_chart()),
                &table(&view, &l.table)
            )
        ),
    )
}

fn heat_cell(v: Option<Hundredths>) -> String {
    match v {
        Some(v) => format!(
            r#"<td class="num heat-{}" data-sort="{}">{v}</td>"#,
            v.whole().min(5),
            v.0
        ),
        None => r#"<td class="num" data-sort="-1">–</td>"#.to_owned(),
    }
}

/// The heat map: its charts above a table of the same scores that sorts by any column; or,
/// when nobody can be named, the quantile bands.
pub fn heat(r: &ClusterReport) -> String {
    let h = &r.heat;
    let lang = r.lang;
    let mut body: String = h
        .notes
        .iter()
        .enumerate()
        .map(|(i, text)| match i {
            0 => note(&fig_in(text, "heat-anonymous", &h.anonymous.to_string())),
            _ => note(&escape(text)),
        })
        .collect();
    let lines: Vec<_> = h.chunks.iter().flat_map(|c| &c.rows).collect();
    if !lines.is_empty() {
        let charts: String = r.heat_charts().iter().map(svg::render).collect();
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|line| {
                let mut cells = vec![
                    format!(r#"<td class="name">{}</td>"#, escape(&line.name)),
                    heat_cell(Some(line.overall)),
                ];
                cells.extend(line.scores.iter().map(|s| heat_cell(*s)));
                cells
            })
            .collect();
        let head: Vec<String> = h.header.iter().map(|c| escape(c)).collect();
        // The table is the page's own: the PDF has the charts only.
        let caption = lang.t(
            "按企业的能力域得分（点击表头排序）",
            "Domain scores by enterprise (click a column heading to sort)",
        );
        body.push_str(&pair(
            "pair stacked",
            &charts,
            &format!(
                r#"<div class="tableview">{}</div>"#,
                html::table("sortable heat", caption, &head, &rows)
            ),
        ));
    }
    if let (Some(bands), Some(chart)) = (&h.bands, r.bands_chart()) {
        body.push_str(&note(&escape(&bands.legend)));
        body.push_str(&format!("<figure>{}</figure>", svg::render(&chart)));
    }
    card("heat", &h.heading, &body)
}

pub fn domains(r: &ClusterReport) -> String {
    let d = &r.domains;
    let keys = &d.table.keys;
    let figure = |i: usize, j: usize| {
        keys.get(i)
            .filter(|k| j == 2 && *k != "overall")
            .map(|k| format!("domain-mean-{k}"))
    };
    let view = TableView {
        class: "figures",
        labelled_by: "domains-h",
        figure: &figure,
    };
    card(
        "domains",
        &d.heading,
        &format!(
            "{}{}",
            notes(&d.notes),
            pair(
                "pair even",
                &svg::render(&r.radar_chart()),
                &table(&view, &d.table)
            )
        ),
    )
}

/// A block: its notes, its table (`figure` marking cells, a first row of totals when `totals`),
/// what follows the table, and `extra` notes of the page's own.
pub fn block(
    id: &str,
    b: &Block,
    figure: &dyn Fn(usize, usize) -> Option<String>,
    totals: bool,
    extra: &[String],
) -> String {
    let labelled_by = format!("{id}-h");
    let view = TableView {
        class: if totals { "figures totals" } else { "figures" },
        labelled_by: &labelled_by,
        figure,
    };
    let mut body = notes(&b.notes);
    body.push_str(&notes(extra));
    if let Some(t) = &b.table {
        body.push_str(&table(&view, t));
    }
    match b.after.split_first() {
        Some((lead, rest)) if !rest.is_empty() => {
            body.push_str(&note(&escape(lead)));
            body.push_str(r#"<ul class="after">"#);
            for item in rest {
                body.push_str(&format!("<li>{}</li>", escape(item)));
            }
            body.push_str("</ul>");
        }
        _ => body.push_str(&notes(&b.after)),
    }
    card(id, &b.heading, &body)
}

/// The cell at row 0, column `col` as figure `name`.
pub fn first(name: &'static str, col: usize) -> impl Fn(usize, usize) -> Option<String> {
    move |i, j| (i == 0 && j == col).then(|| name.to_owned())
}

pub fn weakest(r: &ClusterReport) -> String {
    let keys = r
        .weakest
        .table
        .as_ref()
        .map_or(&[][..], |t| t.keys.as_slice());
    let figure = |i: usize, j: usize| {
        keys.get(i)
            .filter(|_| j == 3)
            .map(|k| format!("weak-mean-{k}"))
    };
    block("weakest", &r.weakest, &figure, false, &[])
}
