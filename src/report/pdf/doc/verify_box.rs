//! The cover's box that says where to verify the report: the QR code of the address, drawn as
//! filled rectangles (vectors, no image), beside the words.

use super::{line_height, PdfDoc, BODY_SIZE, MARGIN, PAGE_WIDTH, PT_TO_MM, TABLE_SIZE};
use crate::questionnaire::Lang;
use crate::report::chart::{Anchor, Chart, Colour, Point, Shape};
use crate::report::pdf::{break_lines, TextStyle};
use crate::report::verify_at::{QrModules, VerifyAt};

/// The QR code's side, quiet zone included.
const QR_SIDE: f32 = 30.0;
/// The light border the QR standard asks for around the code, in modules.
const QUIET_MODULES: usize = 4;
const PAD: f32 = 3.0;
const GAP: f32 = 5.0;

impl PdfDoc<'_> {
    /// Where to verify the report: after the id in every footer, and here in a box with the
    /// QR code of the address (with a `public_url` only).
    pub fn verification(&mut self, at: &VerifyAt, lang: Lang, report_id: &str) {
        self.footer_note(&at.footer(lang));
        let qr = at.qr_target(report_id).and_then(|t| QrModules::encode(&t));
        let (title, lines) = at.cover(lang, report_id);
        self.verify_box(qr.as_ref(), &title, &lines);
    }

    /// A bordered box with `qr` (when there is one) on the left and `title` and `lines`
    /// beside it, kept on one page.
    pub fn verify_box(&mut self, qr: Option<&QrModules>, title: &str, lines: &[String]) {
        let body = PAGE_WIDTH - 2.0 * MARGIN;
        let text_x = MARGIN + PAD + qr.map_or(0.0, |_| QR_SIDE + GAP);
        let text_width = MARGIN + body - PAD - text_x;
        let font = self.font;
        let wrap =
            |text: &str, size: f32| break_lines(text, text_width, |s| font.width_mm(s, size));
        let title_lines = wrap(title, BODY_SIZE);
        let body_lines: Vec<Vec<String>> = lines.iter().map(|l| wrap(l, TABLE_SIZE)).collect();
        let text_height = title_lines.len() as f32 * line_height(BODY_SIZE)
            + body_lines
                .iter()
                .map(|l| l.len() as f32 * line_height(TABLE_SIZE) + 1.0)
                .sum::<f32>();
        let inner = text_height.max(qr.map_or(0.0, |_| QR_SIDE));
        let height = inner + 2.0 * PAD;
        self.keep_together(height + 3.0);
        let top = self.y;
        let (mut canvas, ops) = self.canvas();
        let mut frame = Chart::new(f64::from(PAGE_WIDTH), f64::from(height), "");
        let corners = [(0.0, 0.0), (body, 0.0), (body, height), (0.0, height)];
        for (i, from) in corners.iter().enumerate() {
            let to = corners[(i + 1) % corners.len()];
            frame.push(Shape::line(
                Point::new(f64::from(MARGIN + from.0), f64::from(from.1)),
                Point::new(f64::from(MARGIN + to.0), f64::from(to.1)),
                Colour::GRID,
                0.3,
            ));
        }
        canvas.chart(ops, &frame, 0.0, top, PAGE_WIDTH);
        if let Some(qr) = qr {
            let module = QR_SIDE / (qr.width + 2 * QUIET_MODULES) as f32;
            let (x0, y0) = (
                MARGIN + PAD + QUIET_MODULES as f32 * module,
                top + PAD + (inner - QR_SIDE) / 2.0 + QUIET_MODULES as f32 * module,
            );
            let rects: Vec<(f32, f32, f32, f32)> = qr
                .runs()
                .into_iter()
                .map(|(row, col, len)| {
                    (
                        x0 + col as f32 * module,
                        y0 + row as f32 * module,
                        len as f32 * module,
                        module,
                    )
                })
                .collect();
            canvas.fill_rects(ops, &rects, Colour::INK);
        }
        let mut y = top + PAD;
        let mut set = |text: &str, size: f32, colour: Colour, bold: bool, y: &mut f32| {
            let baseline = *y + size * PT_TO_MM * 1.1;
            let style = TextStyle { size, colour, bold };
            canvas.text(ops, (text_x, baseline), text, Anchor::Start, style);
            *y += line_height(size);
        };
        for line in &title_lines {
            set(line, BODY_SIZE, Colour::BLUE, true, &mut y);
        }
        for paragraph in &body_lines {
            for line in paragraph {
                set(line, TABLE_SIZE, Colour::INK, false, &mut y);
            }
            y += 1.0;
        }
        self.y = top + height + 3.0;
    }
}
