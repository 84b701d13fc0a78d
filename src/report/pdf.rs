//! Draws reports as PDF with printpdf: the report font (a CJK font built into the binary and
//! embedded in each PDF as a subset of the glyphs used), the chart model as vector shapes, and a
//! small page builder ([`PdfDoc`]). printpdf puts the origin at the bottom left of a page, in
//! millimetres; everything here measures from the top left like the chart model and flips y at
//! the last moment.

mod doc;
mod lines;

use printpdf::{
    Color, ExtendedGraphicsState, ExtendedGraphicsStateId, FontId, Line, LineDashPattern,
    LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, Polygon, PolygonRing, Pt, Rgb,
    TextItem, TextRenderingMode, WindingOrder,
};

pub use crate::font::{FontError as PdfError, ReportFont};
pub use doc::{Column, PdfDoc, LEAD_ROWS};
pub use lines::break_lines;

use super::chart::{Anchor, Chart, Colour, Paint, Point, Shape};
use crate::font::MM_PER_PT;

/// The version of what turns a report model into PDF bytes: this module, the report layouts
/// (`enterprise::render`, `cluster::render`), printpdf and lopdf, and [`DEFLATE_LEVEL`]. A
/// report's id is derived from its model, its font and this version, not from its bytes, so
/// raise it whenever the same model would render to other bytes: else a report issued again
/// would meet its earlier record under the same id with other bytes. The renderer's tests pin
/// the bytes of a fixed model to this version.
pub const RENDERER_VERSION: &str = "dcmm-pdf-2";

/// The zlib level (0–9) a report's streams are deflated at: level 9 spent most of a report's
/// rendering time in deflate for a few per cent of size; the measured table is in
/// docs/benchmarks.md.
pub const DEFLATE_LEVEL: u32 = 6;

/// Deflates every stream of `pdf` that allows it and has no filter yet, at `level`; a stream
/// stays plain when deflating would not save more than its filter entry costs (as lopdf's own
/// `compress` does, at level 9).
pub fn deflate_streams(pdf: &mut lopdf::Document, level: u32) {
    use std::io::Write as _;
    for object in pdf.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level.min(9)));
        // Writing to memory has no I/O to fail; a stream that fails stays plain, as in lopdf.
        let Ok(compressed) = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish())
        else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// How a line of text is set: its size in points, colour and weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle {
    pub size: f32,
    pub colour: Colour,
    pub bold: bool,
}

/// Where ops are drawn: the document (for fonts and transparency states) and the page height
/// that turns top-left coordinates into printpdf's bottom-left ones.
pub(crate) struct Canvas<'a> {
    pub font: &'a ReportFont,
    pub font_id: FontId,
    pub doc: &'a mut PdfDocument,
    pub page_height: f32,
}

fn colour(c: Colour) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
        None,
    ))
}

impl Canvas<'_> {
    /// A point `x` mm from the left and `y` mm from the top of the page.
    fn at(&self, x: f32, y: f32) -> printpdf::Point {
        printpdf::Point::new(Mm(x), Mm(self.page_height - y))
    }

    /// One line of text at `(x, y)` mm from the top left: `y` is the baseline, `x` the anchor.
    pub fn text(
        &self,
        ops: &mut Vec<Op>,
        (x, y): (f32, f32),
        text: &str,
        anchor: Anchor,
        style: TextStyle,
    ) {
        let TextStyle {
            size,
            colour: fill,
            bold,
        } = style;
        if text.is_empty() {
            return;
        }
        let x = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - self.font.width_mm(text, size) / 2.0,
            Anchor::End => x - self.font.width_mm(text, size),
        };
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.font_id.clone()),
            size: Pt(size),
        });
        ops.push(Op::SetFillColor { col: colour(fill) });
        if bold {
            // One face only: a thin outline in the text colour thickens the strokes.
            ops.push(Op::SetOutlineColor { col: colour(fill) });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(size / 30.0),
            });
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
        }
        ops.push(Op::SetTextCursor { pos: self.at(x, y) });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_owned())],
        });
        if bold {
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        ops.push(Op::EndTextSection);
    }

    /// The graphics state of fill transparency `alpha`, one per value, named by its order of
    /// first use (printpdf's own names come from a process-wide counter, which would make the
    /// same report differ from run to run).
    fn fill_alpha(&mut self, alpha: f32) -> ExtendedGraphicsStateId {
        let state = ExtendedGraphicsState::default().with_current_fill_alpha(alpha);
        let states = &mut self.doc.resources.extgstates.map;
        if let Some((id, _)) = states.iter().find(|(_, s)| **s == state) {
            return id.clone();
        }
        let id = ExtendedGraphicsStateId(format!("GS{}", states.len()));
        states.insert(id.clone(), state);
        id
    }

    /// A closed or open path through points given in mm from the top left.
    fn path(
        &mut self,
        ops: &mut Vec<Op>,
        points: &[(f32, f32)],
        closed: bool,
        paint: &Paint,
        scale: f32,
    ) {
        let line_points: Vec<LinePoint> = points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: self.at(x, y),
                bezier: false,
            })
            .collect();
        ops.push(Op::SaveGraphicsState);
        if let Some(stroke) = paint.stroke {
            ops.push(Op::SetOutlineColor {
                col: colour(stroke),
            });
            ops.push(Op::SetOutlineThickness {
                pt: Pt(paint.stroke_width as f32 * scale / MM_PER_PT),
            });
            if paint.dashed {
                let unit = 3.0 * scale / MM_PER_PT;
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[2.0 * unit, 1.3 * unit]),
                });
            }
        }
        if let Some(fill) = paint.fill {
            ops.push(Op::SetFillColor { col: colour(fill) });
            if paint.fill_opacity < 1.0 {
                let gs = self.fill_alpha(paint.fill_opacity.clamp(0.0, 1.0) as f32);
                ops.push(Op::LoadGraphicsState { gs });
            }
        }
        let mode = match (paint.fill.is_some() && closed, paint.stroke.is_some()) {
            (true, true) => Some(PaintMode::FillStroke),
            (true, false) => Some(PaintMode::Fill),
            (false, true) => Some(PaintMode::Stroke),
            (false, false) => None,
        };
        match mode {
            Some(PaintMode::Stroke) if !closed => ops.push(Op::DrawLine {
                line: Line {
                    points: line_points,
                    is_closed: false,
                },
            }),
            Some(mode) => ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: line_points,
                    }],
                    mode,
                    winding_order: WindingOrder::NonZero,
                },
            }),
            None => {}
        }
        ops.push(Op::RestoreGraphicsState);
    }

    /// Fills rectangles (x, y, width, height in mm from the top left) in one colour, as one
    /// path of many parts: a QR code's modules stay vectors and few operators.
    pub fn fill_rects(&self, ops: &mut Vec<Op>, rects: &[(f32, f32, f32, f32)], fill: Colour) {
        if rects.is_empty() {
            return;
        }
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| PolygonRing {
                points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    .into_iter()
                    .map(|(px, py)| LinePoint {
                        p: self.at(px, py),
                        bezier: false,
                    })
                    .collect(),
            })
            .collect();
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetFillColor { col: colour(fill) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }

    /// Draws `chart` with its top left corner at (`x`, `y`) mm, `width` mm wide (the height
    /// follows from the chart's aspect ratio), and returns that height.
    pub fn chart(&mut self, ops: &mut Vec<Op>, chart: &Chart, x: f32, y: f32, width: f32) -> f32 {
        let scale = if chart.width > 0.0 {
            width / chart.width as f32
        } else {
            0.0
        };
        let map = |p: &Point| (x + p.x as f32 * scale, y + p.y as f32 * scale);
        for shape in &chart.shapes {
            match shape {
                Shape::Line { from, to, paint } => {
                    self.path(ops, &[map(from), map(to)], false, paint, scale);
                }
                Shape::Polygon { points, paint } => {
                    let points: Vec<_> = points.iter().map(map).collect();
                    self.path(ops, &points, true, paint, scale);
                }
                Shape::Rect {
                    at,
                    width,
                    height,
                    paint,
                } => {
                    let (x0, y0) = map(at);
                    let (w, h) = (*width as f32 * scale, *height as f32 * scale);
                    let corners = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)];
                    self.path(ops, &corners, true, paint, scale);
                }
                Shape::Circle {
                    centre,
                    radius,
                    paint,
                } => {
                    let (cx, cy) = map(centre);
                    let r = *radius as f32 * scale;
                    let points: Vec<_> = (0..24)
                        .map(|i| {
                            let a = i as f32 * std::f32::consts::TAU / 24.0;
                            (cx + r * a.cos(), cy + r * a.sin())
                        })
                        .collect();
                    self.path(ops, &points, true, paint, scale);
                }
                Shape::Text {
                    at,
                    text,
                    size,
                    anchor,
                    colour,
                    bold,
                } => {
                    let (tx, ty) = map(at);
                    let size_pt = *size as f32 * scale / MM_PER_PT;
                    let style = TextStyle {
                        size: size_pt,
                        colour: *colour,
                        bold: *bold,
                    };
                    self.text(ops, (tx, ty), text, *anchor, style);
                }
            }
        }
        chart.height as f32 * scale
    }
}

#[cfg(test)]
pub(crate) mod tests;
