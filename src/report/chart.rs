//! A renderer-neutral chart: a list of shapes in a view box whose origin is the top left corner,
//! y pointing down, in abstract units. The web draws it as SVG ([`super::svg`]); the PDF report
//! draws the same model (flipping y and scaling to millimetres), so the two never disagree.

mod bars;
mod heat;
mod radar;

pub use bars::{bar_chart, progress_bar, Bar, Progress};
pub use heat::{heat_colour, heat_map, HeatRow};
pub use radar::{radar, radar_point, RadarSeries};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    pub const INK: Colour = Colour(0x22, 0x2b, 0x36);
    pub const MUTED: Colour = Colour(0x6b, 0x75, 0x80);
    pub const GRID: Colour = Colour(0xd5, 0xda, 0xe0);
    pub const BLUE: Colour = Colour(0x1f, 0x5f, 0xa8);
    pub const ORANGE: Colour = Colour(0xd9, 0x6c, 0x1c);
    pub const GREEN: Colour = Colour(0x2e, 0x8b, 0x57);
    pub const TRACK: Colour = Colour(0xe8, 0xec, 0xf0);
    pub const WHITE: Colour = Colour(0xff, 0xff, 0xff);

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The colour `t` of the way from `self` to `other`, `t` clamped to 0..=1.
    pub fn mix(self, other: Colour, t: f64) -> Colour {
        let t = t.clamp(0.0, 1.0);
        let c = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Colour(c(self.0, other.0), c(self.1, other.1), c(self.2, other.2))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// Where a text's anchor point lies along the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// How a closed shape or a line is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    pub fill: Option<Colour>,
    /// 0 (transparent) to 1.
    pub fill_opacity: f64,
    pub stroke: Option<Colour>,
    pub stroke_width: f64,
    pub dashed: bool,
}

impl Paint {
    pub fn fill(colour: Colour) -> Self {
        Self {
            fill: Some(colour),
            fill_opacity: 1.0,
            stroke: None,
            stroke_width: 0.0,
            dashed: false,
        }
    }

    pub fn stroke(colour: Colour, width: f64) -> Self {
        Self {
            fill: None,
            fill_opacity: 1.0,
            stroke: Some(colour),
            stroke_width: width,
            dashed: false,
        }
    }

    pub fn dashed(self) -> Self {
        Self {
            dashed: true,
            ..self
        }
    }

    pub fn with_fill(self, colour: Colour, opacity: f64) -> Self {
        Self {
            fill: Some(colour),
            fill_opacity: opacity,
            ..self
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Line {
        from: Point,
        to: Point,
        paint: Paint,
    },
    /// Closed.
    Polygon { points: Vec<Point>, paint: Paint },
    Rect {
        at: Point,
        width: f64,
        height: f64,
        paint: Paint,
    },
    Circle {
        centre: Point,
        radius: f64,
        paint: Paint,
    },
    /// `at` is on the text's baseline.
    Text {
        at: Point,
        text: String,
        size: f64,
        anchor: Anchor,
        colour: Colour,
        bold: bool,
    },
}

impl Shape {
    pub fn text(at: Point, text: impl Into<String>, size: f64, anchor: Anchor) -> Self {
        Self::Text {
            at,
            text: text.into(),
            size,
            anchor,
            colour: Colour::INK,
            bold: false,
        }
    }

    pub fn line(from: Point, to: Point, colour: Colour, width: f64) -> Self {
        Self::Line {
            from,
            to,
            paint: Paint::stroke(colour, width),
        }
    }

    pub fn rect(at: Point, width: f64, height: f64, colour: Colour) -> Self {
        Self::Rect {
            at,
            width,
            height,
            paint: Paint::fill(colour),
        }
    }
}

/// A chart: `width` × `height` units of shapes, and a title that says what it shows (the
/// accessible name of the SVG, the caption in the PDF).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub shapes: Vec<Shape>,
}

impl Chart {
    pub fn new(width: f64, height: f64, title: impl Into<String>) -> Self {
        Self {
            width,
            height,
            title: title.into(),
            shapes: Vec::new(),
        }
    }

    pub fn push(&mut self, shape: Shape) {
        self.shapes.push(shape);
    }

    /// The texts of the chart, in drawing order (for tests and for text extraction).
    pub fn texts(&self) -> Vec<&str> {
        self.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// About how wide `text` is at `size`, in chart units: a CJK or other full-width character a full
/// em, anything else a little over half of one. Enough to keep labels apart and inside a chart
/// without the font at hand (the browser picks its own).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { size } else { size * 0.6 })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff | 0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6)
}

/// A short, locale-neutral number: at most `decimals` decimals, trailing zeros dropped.
pub fn number(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_print_as_hex_and_mix_linearly() {
        assert_eq!(Colour(0, 0x80, 0xff).hex(), "#0080ff");
        assert_eq!(
            Colour(0, 0, 0).mix(Colour(200, 100, 50), 0.5),
            Colour(100, 50, 25)
        );
        assert_eq!(
            Colour(0, 0, 0).mix(Colour(200, 100, 50), 7.0),
            Colour(200, 100, 50)
        );
    }

    #[test]
    fn chinese_text_is_wider_than_latin_text_of_as_many_characters() {
        assert!((text_width("集群平均", 12.0) - 48.0).abs() < 1e-9);
        assert!(text_width("mean", 12.0) < 48.0);
        assert!(text_width("目标（3）", 10.0) > text_width("target 3", 10.0) * 0.9);
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(2.5, 2), "2.5");
        assert_eq!(number(3.0, 2), "3");
        assert_eq!(number(0.125, 1), "0.1");
        assert_eq!(number(12.0, 0), "12");
    }
}
