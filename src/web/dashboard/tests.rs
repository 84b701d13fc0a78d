//! The page draws the cluster report's model: every heading, note, label, table cell and
//! chart text of the model is on the page, in the model's words, and the figures the browser
//! test reads carry the model's values.

use super::filters::{Asked, Form};
use super::page::{body, View};
use crate::questionnaire::Lang;
use crate::report::cluster::tests::{facts, registry, report_of, small};
use crate::report::cluster::{
    cluster_report, roster, Block, ClusterReport, Lookups, Roster, Table,
};
use crate::scoring::rollup::{rollup, CampaignInput, EnterpriseResult, RollupPolicy};
use crate::web::html::escape;

fn page(report: &ClusterReport, roster: &Roster, firms: &[EnterpriseResult]) -> String {
    let asked = Asked::default();
    let form = Form {
        lang: report.lang,
        campaign_id: "c1",
        asked: &asked,
        enterprises: firms,
        lookups: Lookups::built_in(),
        kept: report.participation.counts.invited,
    };
    body(&View {
        report,
        roster,
        campaign_id: "c1",
        form: &form,
        withheld: false,
        viewer: &crate::domain::Actor::Admin,
        elapsed: 0.5,
    })
}

fn table<'a>(out: &mut Vec<(String, &'a str)>, place: &str, t: &'a Table) {
    for h in &t.header {
        out.push((format!("{place} header"), h));
    }
    for (i, row) in t.rows.iter().enumerate() {
        for c in row {
            out.push((format!("{place} row {i}"), c));
        }
    }
}

fn block<'a>(out: &mut Vec<(String, &'a str)>, place: &str, b: &'a Block) {
    out.push((format!("{place} heading"), &b.heading));
    for n in b.notes.iter().chain(&b.after) {
        out.push((format!("{place} note"), n));
    }
    if let Some(t) = &b.table {
        table(out, place, t);
    }
}

/// Every text of `r` and `roster` a reader sees, with where it comes from. The annex is the
/// PDF's: the page's roster lists the same enterprises' rows and more (its cells are checked);
/// the subject is the PDF's document information.
fn texts<'a>(r: &'a ClusterReport, roster: &'a Roster) -> Vec<(String, &'a str)> {
    let mut out: Vec<(String, &'a str)> = vec![("title".into(), &r.title)];
    out.extend(r.mark.as_deref().map(|m| ("interim mark".to_owned(), m)));
    for f in &r.cover.facts {
        out.push((format!("cover {}", f.key), &f.label));
        out.push((format!("cover {}", f.key), &f.value));
    }
    out.push(("cover statement".into(), &r.cover.statement));
    let s = &r.readiness;
    out.extend([
        ("readiness heading".into(), s.heading.as_str()),
        ("readiness tier".into(), &s.tier_line),
    ]);
    for f in &s.figures {
        out.push((format!("readiness {}", f.key), &f.label));
        out.push((format!("readiness {}", f.key), &f.value));
    }
    if let Some(t) = &s.rules {
        table(&mut out, "readiness rules", t);
    }
    out.extend(
        s.notes
            .iter()
            .map(|n| ("readiness note".into(), n.as_str())),
    );
    let p = &r.participation;
    out.extend([
        ("participation heading".into(), p.heading.as_str()),
        ("participation due".into(), &p.due),
        ("participation chart".into(), &p.chart_title),
        ("participation chart".into(), &p.chart_label),
    ]);
    out.extend(
        p.days
            .iter()
            .map(|d| ("participation days".into(), d.as_str())),
    );
    table(&mut out, "participation", &p.table);
    let l = &r.levels;
    out.extend([
        ("levels heading".into(), l.heading.as_str()),
        ("levels chart".into(), &l.chart_title),
    ]);
    out.extend(l.notes.iter().map(|n| ("levels note".into(), n.as_str())));
    table(&mut out, "levels", &l.table);
    let h = &r.heat;
    out.push(("heat heading".into(), &h.heading));
    out.extend(h.notes.iter().map(|n| ("heat note".into(), n.as_str())));
    // Columns head the heat map, which is drawn only with someone in it.
    if !h.chunks.is_empty() {
        out.extend(h.columns.iter().map(|c| ("heat column".into(), c.as_str())));
        out.extend(h.header.iter().map(|c| ("heat header".into(), c.as_str())));
    }
    for chunk in &h.chunks {
        out.push(("heat chart".into(), &chunk.title));
        out.extend(
            chunk
                .rows
                .iter()
                .map(|row| ("heat row".into(), row.name.as_str())),
        );
    }
    if let Some(b) = &h.bands {
        out.extend([
            ("bands chart".into(), b.title.as_str()),
            ("bands legend".into(), &b.legend),
            ("bands target".into(), &b.target_label),
            ("bands median".into(), &b.median_label),
        ]);
        out.extend(
            b.rows
                .iter()
                .map(|row| ("bands row".into(), row.domain.as_str())),
        );
    }
    let d = &r.domains;
    out.extend([
        ("domains heading".into(), d.heading.as_str()),
        ("domains radar".into(), &d.radar_title),
        ("domains radar".into(), &d.mean_label),
        ("domains radar".into(), &d.target_label),
    ]);
    out.extend(d.notes.iter().map(|n| ("domains note".into(), n.as_str())));
    out.extend(d.names.iter().map(|n| ("domains name".into(), n.as_str())));
    table(&mut out, "domains", &d.table);
    for (place, b) in [
        ("weakest", &r.weakest),
        ("cdo", &r.cdo),
        ("eligibility", &r.eligibility),
        ("bias", &r.bias),
        ("change", &r.change),
    ] {
        block(&mut out, place, b);
    }
    if let Some(t) = &r.annex.table {
        table(&mut out, "annex", t);
    }
    out.push(("roster heading".into(), &roster.heading));
    out.extend(
        roster
            .notes
            .iter()
            .map(|n| ("roster note".into(), n.as_str())),
    );
    table(&mut out, "roster", &roster.table);
    out
}

/// The model's texts not on `html` (escaped as the page escapes them; a text marked as a
/// figure inside a sentence counts as on the page when it reads the same without the mark).
fn missing(html: &str, r: &ClusterReport, roster: &Roster) -> Vec<String> {
    let plain = strip_figure_marks(html);
    texts(r, roster)
        .into_iter()
        .filter(|(_, text)| !text.is_empty() && !plain.contains(&escape(text)))
        .map(|(place, text)| format!("{place}: {text}"))
        .collect()
}

/// `html` with each `<span data-figure="…">` and its `</span>` taken out.
fn strip_figure_marks(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<span data-figure=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let open = after.find('>').map_or(after.len(), |i| i + 1);
        let inner = &after[open..];
        let close = inner.find("</span>").unwrap_or(inner.len());
        out.push_str(&inner[..close]);
        rest = inner.get(close + "</span>".len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn assert_page_draws(report: &ClusterReport, firms: &[EnterpriseResult]) {
    let roster = roster(firms, Lookups::built_in(), report.lang);
    let html = page(report, &roster, firms);
    let missing = missing(&html, report, &roster);
    assert!(
        missing.is_empty(),
        "not on the page:\n{}",
        missing.join("\n")
    );
    // The figures the browser test reads are the model's values.
    for f in report.cover.facts.iter().chain(&report.readiness.figures) {
        let marked = format!(r#"data-figure="{}">{}<"#, f.key, escape(&f.value));
        assert!(html.contains(&marked), "{marked}");
    }
    let tier = format!(r#"data-figure="tier">{}<"#, escape(&report.readiness.name));
    assert!(html.contains(&tier), "{tier}");
    let p = &report.participation.table.rows[0];
    assert!(html.contains(&format!(r#"data-figure="invited">{}<"#, p[0])));
    assert!(html.contains(&format!(r#"data-figure="overdue">{}<"#, p[6])));
    for (i, row) in report.levels.table.rows.iter().enumerate() {
        assert!(html.contains(&format!(r#"data-figure="level-{i}">{}<"#, row[2])));
    }
    let d = &report.domains.table;
    for (key, row) in d.keys.iter().zip(&d.rows).skip(1) {
        let marked = format!(r#"data-figure="domain-mean-{key}">{}<"#, row[2]);
        assert!(html.contains(&marked), "{marked}");
    }
}

fn both_languages(firms: impl Fn() -> Vec<EnterpriseResult>, previous: bool) {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let report = report_of(q, firms(), previous.then_some(q.as_ref()), lang);
        assert_page_draws(&report, &firms());
    }
}

#[test]
fn the_page_shows_every_text_of_the_report_model_in_both_languages() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    both_languages(|| small(q), true);
}

#[test]
fn with_nobody_to_name_the_page_shows_the_quantile_bands_of_the_model() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let anonymous = || {
        let mut firms = small(q);
        for f in &mut firms {
            f.sharing = crate::domain::sharing::Sharing::Anonymous;
        }
        firms
    };
    both_languages(anonymous, false);
    let report = report_of(q, anonymous(), None, Lang::Zh);
    let roster = roster(&anonymous(), Lookups::built_in(), Lang::Zh);
    let html = page(&report, &roster, &anonymous());
    assert!(html.contains(&escape(&report.heat.bands.unwrap().legend)));
    assert_eq!(
        html.matches("<svg ").count(),
        4,
        "progress, levels, bands, radar"
    );
}

#[test]
fn with_nothing_accepted_and_a_closed_campaign_the_page_still_follows_the_model() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let drafts = || {
        small(q)
            .into_iter()
            .filter(|f| f.status != crate::domain::assessment::Status::Accepted)
            .collect::<Vec<_>>()
    };
    both_languages(drafts, false);
    let firms = small(q);
    let r = rollup(
        &CampaignInput {
            questionnaire: q,
            target_level: 3,
            enterprises: firms.clone(),
            previous: None,
        },
        &RollupPolicy::default(),
    );
    let mut closed = facts();
    closed.status = "closed".to_owned();
    let report = cluster_report(closed, q, &r, &firms, Lang::Zh);
    assert_page_draws(&report, &firms);
}

#[test]
fn a_dropped_section_or_a_retyped_label_is_caught() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms = small(q);
    let report = report_of(q, small(q), Some(q), Lang::Zh);
    let roster = roster(&firms, Lookups::built_in(), Lang::Zh);
    let html = page(&report, &roster, &firms);
    assert!(missing(&html, &report, &roster).is_empty());
    let start = html.find(r#"<section class="card" id="cdo">"#).unwrap();
    let end = start + html[start..].find("</section>").unwrap();
    let dropped = format!("{}{}", &html[..start], &html[end..]);
    assert!(missing(&dropped, &report, &roster)
        .iter()
        .any(|m| m.starts_with("cdo heading")));
    let retyped = html.replace("低于目标的企业", "低于目标企业");
    assert!(missing(&retyped, &report, &roster)
        .iter()
        .any(|m| m.contains("低于目标的企业")));
}
