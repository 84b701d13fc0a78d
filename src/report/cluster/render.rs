//! The cluster report as PDF pages: the model as a list of steps (headings, paragraphs,
//! charts, tables), section by section in the report's order, played into a [`PdfDoc`].
//!
//! [`PdfDoc`] moves a chart or a table that does not fit to the next page, which can leave a
//! section's heading and notes alone at the foot of the previous one. Before each section the
//! layout so far is replayed on a scratch document to see whether that would happen; if so,
//! the section starts a new page.

use super::build::colon;
use super::{Block, ClusterReport, Table};
use crate::report::chart::Chart;
use crate::report::pdf::{Column, PdfDoc, ReportFont};

/// The table text size of [`PdfDoc`], in points, to share the body width by content.
const TABLE_SIZE: f32 = 9.0;
/// The widest a column claims before sharing the width: longer cells wrap.
const MAX_COLUMN: f32 = 60.0;
const FULL_WIDTH: f32 = 170.0;

enum Step<'a> {
    Heading(&'a str),
    Paragraph(String),
    /// A chart and its width in mm.
    Chart(Chart, f32),
    Table(&'a Table),
    Break,
}

/// Columns sized by their widest cell (header included), so short figures stay narrow and
/// names and sentences get the room.
fn columns(font: &ReportFont, table: &Table) -> Vec<Column> {
    table
        .header
        .iter()
        .enumerate()
        .map(|(j, head)| {
            let widest = std::iter::once(head)
                .chain(table.rows.iter().filter_map(|r| r.get(j)))
                .map(|cell| font.width_mm(cell, TABLE_SIZE))
                .fold(0.0, f32::max);
            // Headers are bold and cells padded: a little more than the text itself.
            Column::new(head.clone(), widest.min(MAX_COLUMN) + 4.0)
        })
        .collect()
}

/// The rows a table needs below its heading: a table that would start with fewer at the foot
/// of a page starts on the next one with its heading.
const LEAD_ROWS: usize = 3;

/// Plays `step`; a table with its first [`LEAD_ROWS`] only when `lead`.
fn play(doc: &mut PdfDoc<'_>, font: &ReportFont, step: &Step<'_>, lead: bool) {
    match step {
        Step::Heading(text) => doc.heading(text),
        Step::Paragraph(text) => doc.paragraph(text),
        Step::Chart(chart, width) => doc.chart(chart, *width),
        Step::Table(table) if !table.rows.is_empty() => {
            let rows = if lead {
                &table.rows[..LEAD_ROWS.min(table.rows.len())]
            } else {
                &table.rows[..]
            };
            doc.table(&columns(font, table), rows);
        }
        Step::Table(_) => {}
        Step::Break => doc.page_break(),
    }
}

/// The pages `plan` fills, then those after also playing `lead` (its table cut short).
fn pages(font: &ReportFont, plan: &[Step<'_>], lead: &[Step<'_>]) -> (usize, usize) {
    let mut doc = PdfDoc::new(font, "", "");
    for step in plan {
        play(&mut doc, font, step, false);
    }
    let before = doc.page_count();
    for step in lead {
        play(&mut doc, font, step, true);
    }
    (before, doc.page_count())
}

/// The sections one after the other, each starting a new page when its heading would
/// otherwise be parted from its first chart or table and a new page keeps them together.
fn layout<'a>(font: &ReportFont, sections: Vec<Vec<Step<'a>>>) -> Vec<Step<'a>> {
    let mut plan: Vec<Step<'a>> = Vec::new();
    for section in sections {
        let first = section
            .iter()
            .position(|s| matches!(s, Step::Chart(..) | Step::Table(_)));
        if let (Some(first), false) = (first, plan.is_empty()) {
            let lead = &section[..=first];
            let (before, after) = pages(font, &plan, lead);
            if after > before {
                plan.push(Step::Break);
                let (before, after) = pages(font, &plan, lead);
                if after > before {
                    // Longer than a page anyway: let it flow.
                    plan.pop();
                }
            }
        }
        plan.extend(section);
    }
    plan
}

impl ClusterReport {
    fn facts<'a>(&self, steps: &mut Vec<Step<'a>>, facts: &[super::Fact]) {
        steps.extend(
            facts
                .iter()
                .map(|f| Step::Paragraph(colon(self.lang, &f.label, &f.value))),
        );
    }

    fn block<'a>(b: &'a Block) -> Vec<Step<'a>> {
        let mut steps = vec![Step::Heading(&b.heading)];
        steps.extend(b.notes.iter().map(|n| Step::Paragraph(n.clone())));
        steps.extend(b.table.as_ref().map(Step::Table));
        steps.extend(b.after.iter().map(|n| Step::Paragraph(n.clone())));
        steps
    }

    fn sections(&self) -> Vec<Vec<Step<'_>>> {
        let notes = |notes: &[String]| -> Vec<Step<'_>> {
            notes.iter().map(|n| Step::Paragraph(n.clone())).collect()
        };
        let mut cover = vec![Step::Heading(&self.title)];
        self.facts(&mut cover, &self.cover.facts);
        cover.push(Step::Paragraph(self.cover.statement.clone()));

        let r = &self.readiness;
        let mut readiness = vec![
            Step::Heading(&r.heading),
            Step::Paragraph(r.tier_line.clone()),
        ];
        self.facts(&mut readiness, &r.figures);
        readiness.extend(r.rules.as_ref().map(Step::Table));
        readiness.extend(notes(&r.notes));

        let p = &self.participation;
        let participation = vec![
            Step::Heading(&p.heading),
            Step::Paragraph(p.due.clone()),
            Step::Chart(self.participation_chart(), FULL_WIDTH),
            Step::Table(&p.table),
        ];

        let l = &self.levels;
        let mut levels = vec![Step::Heading(&l.heading)];
        levels.extend(notes(&l.notes));
        levels.push(Step::Chart(self.levels_chart(), 100.0));
        levels.push(Step::Table(&l.table));

        let h = &self.heat;
        let mut heat = vec![Step::Heading(&h.heading)];
        heat.extend(notes(&h.notes));
        // 160 mm: two charts of twenty enterprises fit on a page.
        heat.extend(
            self.heat_charts()
                .into_iter()
                .map(|c| Step::Chart(c, 160.0)),
        );
        if let (Some(chart), Some(bands)) = (self.bands_chart(), &h.bands) {
            heat.push(Step::Paragraph(bands.legend.clone()));
            heat.push(Step::Chart(chart, FULL_WIDTH));
        }

        let d = &self.domains;
        let mut domains = vec![Step::Heading(&d.heading)];
        domains.extend(notes(&d.notes));
        domains.push(Step::Chart(self.radar_chart(), 120.0));
        domains.push(Step::Table(&d.table));

        let mut all = vec![cover, readiness, participation, levels, heat, domains];
        all.extend(
            [
                &self.weakest,
                &self.cdo,
                &self.eligibility,
                &self.bias,
                &self.change,
                &self.annex,
            ]
            .map(Self::block),
        );
        all
    }

    /// The report as PDF pages, each with `report_id` and its page number in the footer.
    pub fn to_pdf(&self, font: &ReportFont, report_id: &str) -> Vec<u8> {
        let plan = layout(font, self.sections());
        let mut doc = PdfDoc::new(font, &self.title, report_id);
        for step in &plan {
            play(&mut doc, font, step, false);
        }
        doc.finish()
    }
}
