//! Draws a [`Chart`] as an SVG element for the web pages. Only presentation attributes are
//! used (no `style`), so the strict Content-Security-Policy needs no exception.

use std::fmt::Write;

use super::chart::{Anchor, Chart, Paint, Point, Shape};

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most two decimals.
fn n(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    super::chart::number(v, 2)
}

fn paint(p: &Paint) -> String {
    let mut s = String::new();
    match p.fill {
        Some(c) => {
            let _ = write!(s, r#" fill="{}""#, c.hex());
            if p.fill_opacity < 1.0 {
                let _ = write!(s, r#" fill-opacity="{}""#, n(p.fill_opacity));
            }
        }
        None => s.push_str(r#" fill="none""#),
    }
    if let Some(c) = p.stroke {
        let _ = write!(
            s,
            r#" stroke="{}" stroke-width="{}""#,
            c.hex(),
            n(p.stroke_width)
        );
        if p.dashed {
            s.push_str(r#" stroke-dasharray="6 4""#);
        }
    }
    s
}

fn points(ps: &[Point]) -> String {
    ps.iter()
        .map(|p| format!("{},{}", n(p.x), n(p.y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart as an `<svg>` element to put inside an HTML page (which needs no namespace), one
/// chart unit a CSS pixel: its text keeps the size it was drawn at however wide the page is (the
/// stylesheet lets it shrink to a narrower container, never grow).
pub fn render(chart: &Chart) -> String {
    element(chart, "")
}

/// The chart as a standalone SVG file.
pub fn document(chart: &Chart) -> String {
    element(chart, r#" xmlns="http://www.w3.org/2000/svg""#)
}

fn element(chart: &Chart, namespace: &str) -> String {
    let mut out = String::new();
    let (w, h) = (n(chart.width), n(chart.height));
    let _ = write!(
        out,
        r#"<svg{namespace} width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" class="chart" font-family="sans-serif"><title>{}</title>"#,
        escape(&chart.title)
    );
    for shape in &chart.shapes {
        let _ = match shape {
            Shape::Line { from, to, paint: p } => write!(
                out,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{}/>"#,
                n(from.x),
                n(from.y),
                n(to.x),
                n(to.y),
                paint(p)
            ),
            Shape::Polygon {
                points: ps,
                paint: p,
            } => {
                write!(out, r#"<polygon points="{}"{}/>"#, points(ps), paint(p))
            }
            Shape::Rect {
                at,
                width,
                height,
                paint: p,
            } => write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}"{}/>"#,
                n(at.x),
                n(at.y),
                n(*width),
                n(*height),
                paint(p)
            ),
            Shape::Circle {
                centre,
                radius,
                paint: p,
            } => write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}"{}/>"#,
                n(centre.x),
                n(centre.y),
                n(*radius),
                paint(p)
            ),
            Shape::Text {
                at,
                text,
                size,
                anchor,
                colour,
                bold,
            } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let weight = if *bold { r#" font-weight="bold""# } else { "" };
                write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>"#,
                    n(at.x),
                    n(at.y),
                    n(*size),
                    anchor,
                    colour.hex(),
                    weight,
                    escape(text)
                )
            }
        };
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::Colour;

    #[test]
    fn text_and_titles_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">R&D's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
        let mut chart = Chart::new(10.0, 10.0, "A & <B>");
        chart.push(Shape::text(
            Point::new(1.0, 2.0),
            "</text><script>x</script>",
            12.0,
            Anchor::Middle,
        ));
        let svg = render(&chart);
        assert!(svg.contains("<title>A &amp; &lt;B&gt;</title>"), "{svg}");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;x&lt;/script&gt;</text>"));
        assert!(svg.contains(r#"text-anchor="middle""#));
    }

    #[test]
    fn shapes_become_svg_elements_with_presentation_attributes() {
        let mut chart = Chart::new(100.0, 50.5, "t");
        chart.push(Shape::rect(
            Point::new(1.0, 2.5),
            3.0,
            4.0,
            Colour(255, 0, 0),
        ));
        chart.push(Shape::Polygon {
            points: vec![Point::new(0.0, 0.0), Point::new(1.126, 2.0)],
            paint: Paint::stroke(Colour::BLUE, 2.0)
                .dashed()
                .with_fill(Colour::BLUE, 0.25),
        });
        chart.push(Shape::Circle {
            centre: Point::new(5.0, 5.0),
            radius: 3.0,
            paint: Paint::fill(Colour::GREEN),
        });
        let svg = render(&chart);
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains(r#"width="100" height="50.5" viewBox="0 0 100 50.5""#));
        assert!(svg.contains(r##"<rect x="1" y="2.5" width="3" height="4" fill="#ff0000"/>"##));
        assert!(svg.contains(r#"points="0,0 1.13,2""#), "{svg}");
        assert!(svg.contains(r#"fill-opacity="0.25""#));
        assert!(svg.contains(r#"stroke-dasharray="6 4""#));
        assert!(svg.contains(r#"<circle cx="5" cy="5" r="3""#));
        assert!(!svg.contains("style="));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("xmlns"), "inline in HTML");
        assert!(document(&chart).starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" "#));
    }
}
