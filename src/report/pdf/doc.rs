//! A small flowing-layout builder for A4 reports: headings, paragraphs, tables that continue
//! on the next page with their header row repeated, charts, and a footer with the report id and
//! "page / pages" on every page; a report that is not final also says so at the top of every
//! page.

use chrono::{NaiveDate, NaiveTime};
use printpdf::{FontId, Mm, Op, PdfDocument, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};

use super::{break_lines, deflate_streams, Canvas, ReportFont, TextStyle, DEFLATE_LEVEL};
use crate::report::chart::{Anchor, Chart, Colour, Point, Shape};

mod verify_box;

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
/// Where the body ends, leaving room for the footer.
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 22.0;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.0;
/// The baseline of the mark at the top of every page, above the body.
const MARK_BASELINE: f32 = 13.0;
const BODY_SIZE: f32 = 10.5;
const TABLE_SIZE: f32 = 9.0;
const LINE_FACTOR: f32 = 1.5;
const CELL_PAD: f32 = 1.2;
/// Table lines are set closer than paragraphs: rows stay readable and tables stay short.
const TABLE_LINE_FACTOR: f32 = 1.32;
const PT_TO_MM: f32 = 25.4 / 72.0;
/// The rows a table needs below its heading: a table that would start with fewer at the foot
/// of a page starts on the next one with its heading.
pub const LEAD_ROWS: usize = 3;

/// A table column: its header and its share of the body width (shares are relative).
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub share: f32,
}

impl Column {
    pub fn new(header: impl Into<String>, share: f32) -> Self {
        Self {
            header: header.into(),
            share,
        }
    }
}

/// Builds a report page by page. Content flows from the top of the body down; whatever does
/// not fit goes on a new page.
pub struct PdfDoc<'f> {
    font: &'f ReportFont,
    font_id: FontId,
    doc: PdfDocument,
    report_id: String,
    /// Said at the top of every page (a report that is not final).
    mark: Option<String>,
    /// Said after the report id in every footer: where to verify the report.
    footer_note: Option<String>,
    /// The finished pages' ops, then the current page's.
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the free space on the current page, in mm from the top.
    y: f32,
}

fn line_height(size: f32) -> f32 {
    size * LINE_FACTOR * PT_TO_MM
}

/// The height of one line of a table cell.
fn table_line() -> f32 {
    TABLE_SIZE * TABLE_LINE_FACTOR * PT_TO_MM
}

/// The widths in mm of `columns` sharing the body width.
fn column_widths(columns: &[Column]) -> Vec<f32> {
    let body = PAGE_WIDTH - 2.0 * MARGIN;
    let total: f32 = columns
        .iter()
        .map(|c| c.share.max(0.0))
        .sum::<f32>()
        .max(f32::EPSILON);
    columns
        .iter()
        .map(|c| c.share.max(0.0) / total * body)
        .collect()
}

/// The height of a table row whose cells hold `wrapped` lines.
fn row_height(wrapped: &[Vec<String>]) -> f32 {
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * table_line() + 2.0 * CELL_PAD
}

impl<'f> PdfDoc<'f> {
    pub fn new(font: &'f ReportFont, title: &str, report_id: &str) -> Self {
        let mut doc = PdfDocument::new(title);
        let info = &mut doc.metadata.info;
        info.identifier = report_id.to_owned();
        info.subject = report_id.to_owned();
        info.creator = "dcmm".to_owned();
        info.producer = format!("dcmm {}", env!("CARGO_PKG_VERSION"));
        // printpdf names resources from a process-wide counter; fixed names keep the same
        // report byte-identical. The first six letters become the font's subset tag.
        let random = doc.add_font(&font.parsed);
        let font_id = FontId("DCMMRF".to_owned());
        if let Some(pdf_font) = doc.resources.fonts.map.remove(&random) {
            doc.resources.fonts.map.insert(font_id.clone(), pdf_font);
        }
        Self {
            font,
            font_id,
            doc,
            report_id: report_id.to_owned(),
            mark: None,
            footer_note: None,
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN,
        }
    }

    /// What the report is about and the day of its data, for the document information (a PDF
    /// viewer's "properties"): the day, not the time it was made, keeps the bytes reproducible.
    pub fn describe(&mut self, about: &str, day: NaiveDate) {
        let info = &mut self.doc.metadata.info;
        info.subject = format!("{about} · {}", self.report_id);
        let seconds = day.and_time(NaiveTime::MIN).and_utc().timestamp();
        if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(seconds) {
            info.creation_date = date;
            info.modification_date = date;
            info.metadata_date = date;
        }
    }

    /// Says `text` at the top of every page, the pages already made included.
    pub fn mark_every_page(&mut self, text: &str) {
        self.mark = Some(text.to_owned());
    }

    /// Says `text` after the report id in every footer.
    pub fn footer_note(&mut self, text: &str) {
        self.footer_note = Some(text.to_owned());
    }

    pub fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    /// Starts a new page (the current one ends where it is).
    pub fn page_break(&mut self) {
        self.done.push(std::mem::take(&mut self.ops));
        self.y = MARGIN;
    }

    /// Makes room for `height` mm: a new page unless it fits below the cursor (or the page is
    /// still empty, where nothing more can be done).
    fn room(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > MARGIN {
            self.page_break();
        }
    }

    /// Keeps the next `height` mm together: a new page unless they fit below the cursor. When
    /// they would not fit on an empty page either, nothing happens and the content flows.
    pub fn keep_together(&mut self, height: f32) {
        if height <= BODY_BOTTOM - MARGIN {
            self.room(height);
        }
    }

    /// A section: its heading, paragraphs and a table, with everything up to the table's first
    /// rows kept on one page.
    pub fn section(
        &mut self,
        heading: &str,
        paragraphs: &[&str],
        columns: &[Column],
        rows: &[Vec<String>],
    ) {
        let lead = self.heading_height(heading)
            + paragraphs
                .iter()
                .map(|p| self.paragraph_height(p))
                .sum::<f32>()
            + self.table_height(columns, &rows[..rows.len().min(LEAD_ROWS)]);
        self.keep_together(lead);
        self.heading(heading);
        for p in paragraphs {
            self.paragraph(p);
        }
        self.table(columns, rows);
    }

    fn text_height(&self, text: &str, size: f32, width: f32) -> f32 {
        let font = self.font;
        break_lines(text, width, |s| font.width_mm(s, size)).len() as f32 * line_height(size)
    }

    /// The height [`PdfDoc::heading`] takes (when it stays on the page).
    pub fn heading_height(&self, text: &str) -> f32 {
        2.0 + self.text_height(text, 15.0, PAGE_WIDTH - 2.0 * MARGIN) + 2.0
    }

    /// The height [`PdfDoc::paragraph`] takes.
    pub fn paragraph_height(&self, text: &str) -> f32 {
        self.text_height(text, BODY_SIZE, PAGE_WIDTH - 2.0 * MARGIN) + 2.5
    }

    /// The height [`PdfDoc::chart`] takes, caption included.
    pub fn chart_height(&self, chart: &Chart, width: f32) -> f32 {
        let width = width.min(PAGE_WIDTH - 2.0 * MARGIN);
        let drawing = if chart.width > 0.0 {
            (chart.height / chart.width) as f32 * width
        } else {
            0.0
        };
        drawing + 1.0 + self.text_height(&chart.title, TABLE_SIZE, width) + 3.0
    }

    /// The height of a table's header row and `rows` (when they stay on one page).
    pub fn table_height(&self, columns: &[Column], rows: &[Vec<String>]) -> f32 {
        let widths = column_widths(columns);
        let wrap = |cells: Vec<&str>| -> f32 {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.cell_lines(c, *w))
                .collect();
            row_height(&wrapped)
        };
        let header = wrap(columns.iter().map(|c| c.header.as_str()).collect());
        rows.iter()
            .map(|r| wrap(r.iter().map(String::as_str).collect()))
            .sum::<f32>()
            + header
    }

    fn canvas(&mut self) -> (Canvas<'_>, &mut Vec<Op>) {
        let canvas = Canvas {
            font: self.font,
            font_id: self.font_id.clone(),
            doc: &mut self.doc,
            page_height: PAGE_HEIGHT,
        };
        (canvas, &mut self.ops)
    }

    fn lines(&mut self, text: &str, size: f32, colour: Colour, bold: bool, gap_after: f32) {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let font = self.font;
        let lines = break_lines(text, width, |s| font.width_mm(s, size));
        let lh = line_height(size);
        for line in lines {
            self.room(lh);
            let baseline = self.y + size * PT_TO_MM * 1.1;
            let (canvas, ops) = self.canvas();
            canvas.text(
                ops,
                (MARGIN, baseline),
                &line,
                Anchor::Start,
                TextStyle { size, colour, bold },
            );
            self.y += lh;
        }
        self.y += gap_after;
    }

    /// A heading; it moves to the next page rather than end a page alone.
    pub fn heading(&mut self, text: &str) {
        self.room(line_height(15.0) + 3.0 * line_height(BODY_SIZE));
        self.y += 2.0;
        self.lines(text, 15.0, Colour::BLUE, true, 2.0);
    }

    pub fn paragraph(&mut self, text: &str) {
        self.lines(text, BODY_SIZE, Colour::INK, false, 2.5);
    }

    /// A chart `width` mm wide, centred, with its title as a caption below.
    pub fn chart(&mut self, chart: &Chart, width: f32) {
        let width = width.min(PAGE_WIDTH - 2.0 * MARGIN);
        let height = if chart.width > 0.0 {
            (chart.height / chart.width) as f32 * width
        } else {
            0.0
        };
        self.room(height + line_height(TABLE_SIZE));
        let x = (PAGE_WIDTH - width) / 2.0;
        let y = self.y;
        let (mut canvas, ops) = self.canvas();
        canvas.chart(ops, chart, x, y, width);
        self.y += height + 1.0;
        let font = self.font;
        let lh = line_height(TABLE_SIZE);
        for line in break_lines(&chart.title, width, |s| font.width_mm(s, TABLE_SIZE)) {
            let baseline = self.y + TABLE_SIZE * PT_TO_MM * 1.1;
            let (canvas, ops) = self.canvas();
            let centre = PAGE_WIDTH / 2.0;
            canvas.text(
                ops,
                (centre, baseline),
                &line,
                Anchor::Middle,
                TextStyle {
                    size: TABLE_SIZE,
                    colour: Colour::MUTED,
                    bold: false,
                },
            );
            self.y += lh;
        }
        self.y += 3.0;
    }

    /// A table across the body width; cells wrap inside their column, and a row that does not
    /// fit starts a new page, which repeats the header row.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let widths = column_widths(columns);
        let header_lines: Vec<Vec<String>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| self.cell_lines(&c.header, *w))
            .collect();
        let header_height = row_height(&header_lines);
        self.room(header_height + table_line() + 2.0 * CELL_PAD);
        self.row(&header_lines, &widths, true);
        let line = table_line();
        for row in rows {
            let mut wrapped: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.cell_lines(c, *w))
                .collect();
            loop {
                let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let fits = ((BODY_BOTTOM - self.y - 2.0 * CELL_PAD) / line).floor();
                if lines as f32 <= fits {
                    self.row(&wrapped, &widths, false);
                    break;
                }
                let fresh = ((BODY_BOTTOM - MARGIN - header_height - 2.0 * CELL_PAD) / line)
                    .floor()
                    .max(1.0);
                if fits < 1.0 || (lines as f32 <= fresh && self.y > MARGIN + header_height) {
                    // The row fits on a page of its own: move it there whole.
                    self.page_break();
                    self.row(&header_lines, &widths, true);
                    continue;
                }
                // Taller than a page: what fits here, the rest on the next page.
                let take = fits as usize;
                let rest: Vec<Vec<String>> = wrapped
                    .iter_mut()
                    .map(|c| c.split_off(take.min(c.len())))
                    .collect();
                self.row(&wrapped, &widths, false);
                wrapped = rest;
                self.page_break();
                self.row(&header_lines, &widths, true);
            }
        }
        self.y += 3.0;
    }

    fn cell_lines(&self, text: &str, width: f32) -> Vec<String> {
        let font = self.font;
        break_lines(text, width - 2.0 * CELL_PAD, |s| {
            font.width_mm(s, TABLE_SIZE)
        })
    }

    /// One row of cells already broken into lines.
    fn row(&mut self, wrapped: &[Vec<String>], widths: &[f32], header: bool) {
        let height = row_height(wrapped);
        let top = self.y;
        let (mut canvas, ops) = self.canvas();
        let mut row = Chart::new(f64::from(PAGE_WIDTH), f64::from(height), "");
        if header {
            row.push(Shape::rect(
                Point::new(f64::from(MARGIN), 0.0),
                f64::from(PAGE_WIDTH - 2.0 * MARGIN),
                f64::from(height),
                Colour::TRACK,
            ));
        }
        row.push(Shape::line(
            Point::new(f64::from(MARGIN), f64::from(height)),
            Point::new(f64::from(PAGE_WIDTH - MARGIN), f64::from(height)),
            Colour::GRID,
            0.2,
        ));
        canvas.chart(ops, &row, 0.0, top, PAGE_WIDTH);
        let mut x = MARGIN;
        for (lines, width) in wrapped.iter().zip(widths) {
            let mut baseline = top + CELL_PAD + TABLE_SIZE * PT_TO_MM * 1.1;
            for line in lines {
                canvas.text(
                    ops,
                    (x + CELL_PAD, baseline),
                    line,
                    Anchor::Start,
                    TextStyle {
                        size: TABLE_SIZE,
                        colour: Colour::INK,
                        bold: header,
                    },
                );
                baseline += table_line();
            }
            x += width;
        }
        self.y += height;
    }

    /// The finished PDF: every page gets its footer, then the document is serialised with the
    /// font subset to the glyphs used.
    pub fn finish(mut self) -> Vec<u8> {
        let mut pages = std::mem::take(&mut self.done);
        pages.push(std::mem::take(&mut self.ops));
        let count = pages.len();
        let mut finished = Vec::with_capacity(count);
        for (i, mut ops) in pages.into_iter().enumerate() {
            let canvas = Canvas {
                font: self.font,
                font_id: self.font_id.clone(),
                doc: &mut self.doc,
                page_height: PAGE_HEIGHT,
            };
            let size = 8.0;
            let (left, right) = (MARGIN, PAGE_WIDTH - MARGIN);
            if let Some(mark) = &self.mark {
                canvas.text(
                    &mut ops,
                    (left, MARK_BASELINE),
                    mark,
                    Anchor::Start,
                    TextStyle {
                        size: 9.0,
                        colour: Colour::ORANGE,
                        bold: true,
                    },
                );
            }
            let number = format!("{} / {}", i + 1, count);
            let muted = TextStyle {
                size,
                colour: Colour::MUTED,
                bold: false,
            };
            // The note follows the id on its line when both fit beside the page number,
            // else it takes a line of its own below.
            let room = right - left - self.font.width_mm(&number, size) - 6.0;
            let (first, second) = match &self.footer_note {
                Some(note) => {
                    let line = format!("{} · {note}", self.report_id);
                    if self.font.width_mm(&line, size) <= room {
                        (line, None)
                    } else {
                        (self.report_id.clone(), Some(note.as_str()))
                    }
                }
                None => (self.report_id.clone(), None),
            };
            canvas.text(
                &mut ops,
                (left, FOOTER_BASELINE),
                &first,
                Anchor::Start,
                muted,
            );
            if let Some(second) = second {
                canvas.text(
                    &mut ops,
                    (left, FOOTER_BASELINE + size * 1.45 * PT_TO_MM),
                    second,
                    Anchor::Start,
                    muted,
                );
            }
            canvas.text(
                &mut ops,
                (right, FOOTER_BASELINE),
                &number,
                Anchor::End,
                TextStyle {
                    size,
                    colour: Colour::MUTED,
                    bold: false,
                },
            );
            finished.push(PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops));
        }
        let doc = self.doc.with_pages(finished);
        let mut pdf = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
        // The file identifier (ISO 32000-1, 14.4) from the report id, not from a counter.
        let id = Sha256::digest(self.report_id.as_bytes())[..16].to_vec();
        pdf.trailer.set(
            "ID",
            lopdf::Object::Array(vec![
                lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
                lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
            ]),
        );
        deflate_streams(&mut pdf, DEFLATE_LEVEL);
        let mut bytes = Vec::new();
        // Writing to memory has no I/O to fail; an error would leave a short buffer that the
        // report's recorded SHA-256 and the tests would show.
        let _ = pdf.save_to(&mut bytes);
        bytes
    }
}
