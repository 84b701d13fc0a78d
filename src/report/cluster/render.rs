//! The cluster report as PDF pages: the model as a list of steps (headings, paragraphs,
//! charts, tables), section by section in the report's order, played into a [`PdfDoc`].
//!
//! [`PdfDoc`] moves a chart or a table that does not fit to the next page, which could leave a
//! section's heading and notes alone at the foot of the previous one; each section measures its
//! start and keeps it together.

use super::build::colon;
use super::{Block, ClusterReport, Table};
use crate::report::chart::Chart;
use crate::report::pdf::{Column, PdfDoc, ReportFont, LEAD_ROWS};
use crate::report::verify_at::VerifyAt;

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

fn play(doc: &mut PdfDoc<'_>, font: &ReportFont, step: &Step<'_>) {
    match step {
        Step::Heading(text) => doc.heading(text),
        Step::Paragraph(text) => doc.paragraph(text),
        Step::Chart(chart, width) => doc.chart(chart, *width),
        Step::Table(table) if !table.rows.is_empty() => {
            doc.table(&columns(font, table), &table.rows);
        }
        Step::Table(_) => {}
    }
}

/// The height of a section's start: its steps up to its first chart, or its first table with
/// [`LEAD_ROWS`] rows; zero when it has neither (its heading keeps its own room).
fn lead_height(doc: &PdfDoc<'_>, font: &ReportFont, section: &[Step<'_>]) -> f32 {
    let Some(first) = section
        .iter()
        .position(|s| matches!(s, Step::Chart(..) | Step::Table(_)))
    else {
        return 0.0;
    };
    section[..=first]
        .iter()
        .map(|step| match step {
            Step::Heading(text) => doc.heading_height(text),
            Step::Paragraph(text) => doc.paragraph_height(text),
            Step::Chart(chart, width) => doc.chart_height(chart, *width),
            Step::Table(table) => {
                let lead = &table.rows[..LEAD_ROWS.min(table.rows.len())];
                doc.table_height(&columns(font, table), lead)
            }
        })
        .sum()
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

    /// The report as PDF pages, each with `report_id`, where to verify it (`verify`) and its
    /// page number in the footer; the cover says where to verify it too. A section starts a
    /// new page when its heading would otherwise be parted from its first chart or table.
    pub fn to_pdf(&self, font: &ReportFont, report_id: &str, verify: &VerifyAt) -> Vec<u8> {
        let mut doc = PdfDoc::new(font, &self.title, report_id);
        if let Some(mark) = &self.mark {
            doc.mark_every_page(mark);
        }
        doc.describe(&self.subject, self.as_of);
        for (i, section) in self.sections().into_iter().enumerate() {
            let lead = lead_height(&doc, font, &section);
            doc.keep_together(lead);
            for step in &section {
                play(&mut doc, font, step);
            }
            if i == 0 {
                doc.verification(verify, self.lang, report_id);
            }
        }
        doc.finish()
    }
}
