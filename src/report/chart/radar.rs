//! A radar (spider) chart of per-domain scores on a 0..=max scale: one axis per domain, the
//! first pointing up and the others following clockwise.

use std::f64::consts::PI;

use super::{text_width, Anchor, Chart, Colour, Paint, Point, Shape};

/// One polygon on the radar: `values` in axis order; a missing value is drawn at the centre.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
    pub colour: Colour,
    /// Filled translucently with its vertices marked; otherwise a dashed outline.
    pub filled: bool,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 420.0;
const RADIUS: f64 = 130.0;
const CENTRE: Point = Point { x: 280.0, y: 190.0 };
const LABEL_SIZE: f64 = 12.0;
const LINE_H: f64 = 14.0;

/// `label` in lines of at most `room` units at `size`, broken between words; a word (or a
/// Chinese label, which has no spaces) longer than that stays whole.
fn wrap(label: &str, size: f64, room: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split(' ') {
        let longer = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&longer, size) > room {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = longer;
        }
    }
    lines.push(line);
    lines
}

/// Where `value` lies on axis `axis` of `axes`, for a radar of radius `radius` around `centre`
/// whose rim is `max`.
pub fn radar_point(
    centre: Point,
    radius: f64,
    axis: usize,
    axes: usize,
    value: f64,
    max: f64,
) -> Point {
    let angle = -PI / 2.0 + 2.0 * PI * axis as f64 / axes.max(1) as f64;
    let r = if max > 0.0 {
        radius * (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Point::new(centre.x + r * angle.cos(), centre.y + r * angle.sin())
}

/// A radar of `labels` (one per axis) and `series`, with a ring at every whole step to `max`
/// and a legend below.
pub fn radar(title: &str, labels: &[String], series: &[RadarSeries], max: u8) -> Chart {
    let n = labels.len();
    let top = f64::from(max);
    let mut chart = Chart::new(WIDTH, HEIGHT, title);
    let at = |axis: usize, value: f64| radar_point(CENTRE, RADIUS, axis, n, value, top);
    for ring in 1..=max {
        let points = (0..n).map(|i| at(i, f64::from(ring))).collect();
        chart.push(Shape::Polygon {
            points,
            paint: Paint::stroke(Colour::GRID, 1.0),
        });
        let label = at(0, f64::from(ring));
        chart.push(Shape::Text {
            at: Point::new(label.x + 4.0, label.y + 4.0),
            text: ring.to_string(),
            size: 10.0,
            anchor: Anchor::Start,
            colour: Colour::MUTED,
            bold: false,
        });
    }
    for (i, label) in labels.iter().enumerate() {
        chart.push(Shape::line(CENTRE, at(i, top), Colour::GRID, 1.0));
        let p = radar_point(CENTRE, RADIUS + 14.0, i, n, 1.0, 1.0);
        let anchor = if (p.x - CENTRE.x).abs() < 1.0 {
            Anchor::Middle
        } else if p.x > CENTRE.x {
            Anchor::Start
        } else {
            Anchor::End
        };
        let room = match anchor {
            Anchor::Start => WIDTH - p.x,
            Anchor::End => p.x,
            Anchor::Middle => 2.0 * p.x.min(WIDTH - p.x),
        } - 4.0;
        let lines = wrap(label, LABEL_SIZE, room);
        let extra = LINE_H * (lines.len() - 1) as f64;
        // Below the centre a label hangs from its point; above it, it stands on it; beside
        // it, it is centred on it.
        let first = if p.y > CENTRE.y + 1.0 {
            p.y + 10.0
        } else if p.y < CENTRE.y - RADIUS {
            p.y - extra
        } else {
            p.y - extra / 2.0
        };
        for (k, line) in lines.into_iter().enumerate() {
            chart.push(Shape::text(
                Point::new(p.x, first + LINE_H * k as f64),
                line,
                LABEL_SIZE,
                anchor,
            ));
        }
    }
    for s in series {
        let points: Vec<Point> = (0..n)
            .map(|i| at(i, s.values.get(i).copied().flatten().unwrap_or(0.0)))
            .collect();
        let paint = if s.filled {
            Paint::stroke(s.colour, 2.0).with_fill(s.colour, 0.25)
        } else {
            Paint::stroke(s.colour, 2.0).dashed()
        };
        if s.filled {
            for p in &points {
                chart.push(Shape::Circle {
                    centre: *p,
                    radius: 3.0,
                    paint: Paint::fill(s.colour),
                });
            }
        }
        chart.push(Shape::Polygon { points, paint });
    }
    legend(&mut chart, series);
    chart
}

const SWATCH: f64 = 22.0;
/// Between a swatch and its text, and after the text before the next swatch.
const GAP: (f64, f64) = (6.0, 24.0);
const LEGEND_SIZE: f64 = 12.0;

/// A swatch and the series' name for each series, side by side; each name is measured, so a
/// long or Chinese one never runs into the next swatch.
fn legend(chart: &mut Chart, series: &[RadarSeries]) {
    let y = HEIGHT - 18.0;
    let mut x = 20.0;
    for s in series {
        let paint = if s.filled {
            Paint::fill(s.colour)
        } else {
            Paint::stroke(s.colour, 2.0).dashed()
        };
        chart.push(Shape::Line {
            from: Point::new(x, y - 4.0),
            to: Point::new(x + SWATCH, y - 4.0),
            paint: Paint {
                stroke: Some(s.colour),
                stroke_width: 3.0,
                ..paint
            },
        });
        chart.push(Shape::text(
            Point::new(x + SWATCH + GAP.0, y),
            s.name.clone(),
            LEGEND_SIZE,
            Anchor::Start,
        ));
        x += SWATCH + GAP.0 + text_width(&s.name, LEGEND_SIZE) + GAP.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn the_first_axis_points_up_and_the_others_follow_clockwise() {
        let c = Point::new(100.0, 100.0);
        assert!(close(
            radar_point(c, 50.0, 0, 4, 5.0, 5.0),
            Point::new(100.0, 50.0)
        ));
        assert!(close(
            radar_point(c, 50.0, 1, 4, 5.0, 5.0),
            Point::new(150.0, 100.0)
        ));
        assert!(close(
            radar_point(c, 50.0, 2, 4, 2.5, 5.0),
            Point::new(100.0, 125.0)
        ));
        assert!(close(
            radar_point(c, 50.0, 3, 4, 1.0, 5.0),
            Point::new(90.0, 100.0)
        ));
    }

    #[test]
    fn values_outside_the_scale_stay_on_it() {
        let c = Point::new(0.0, 0.0);
        assert!(close(
            radar_point(c, 10.0, 0, 3, 9.0, 5.0),
            Point::new(0.0, -10.0)
        ));
        assert!(close(radar_point(c, 10.0, 0, 3, -1.0, 5.0), c));
    }

    #[test]
    fn a_radar_has_a_ring_per_level_a_label_per_axis_and_a_polygon_per_series() {
        let labels: Vec<String> = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
        let series = [
            RadarSeries {
                name: "mean".into(),
                values: vec![Some(2.0), Some(2.5), None, Some(3.0), Some(1.0)],
                colour: Colour::BLUE,
                filled: true,
            },
            RadarSeries {
                name: "target".into(),
                values: vec![Some(3.0); 5],
                colour: Colour::ORANGE,
                filled: false,
            },
        ];
        let chart = radar("t", &labels, &series, 5);
        let polygons: Vec<&Vec<Point>> = chart
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Polygon { points, .. } => Some(points),
                _ => None,
            })
            .collect();
        assert_eq!(polygons.len(), 5 + 2);
        let mean = polygons[5];
        assert!(close(
            mean[0],
            Point::new(CENTRE.x, CENTRE.y - RADIUS * 2.0 / 5.0)
        ));
        assert!(close(mean[2], CENTRE), "a missing value sits at the centre");
        for label in ["A", "B", "C", "D", "E", "mean", "target"] {
            assert!(chart.texts().contains(&label), "{label}");
        }
    }

    #[test]
    fn a_long_axis_label_is_broken_into_lines_that_fit_the_chart() {
        assert_eq!(wrap("数据战略", 12.0, 10.0), ["数据战略"]);
        assert_eq!(
            wrap("Data application and circulation", 12.0, 130.0),
            ["Data application", "and circulation"]
        );
        let labels: Vec<String> = [
            "Data strategy",
            "Data governance",
            "Data application and circulation",
        ]
        .map(String::from)
        .to_vec();
        let chart = radar("t", &labels, &[], 5);
        for shape in &chart.shapes {
            if let Shape::Text {
                at,
                text,
                size,
                anchor,
                ..
            } = shape
            {
                let w = text_width(text, *size);
                let (left, right) = match anchor {
                    Anchor::Start => (at.x, at.x + w),
                    Anchor::End => (at.x - w, at.x),
                    Anchor::Middle => (at.x - w / 2.0, at.x + w / 2.0),
                };
                assert!(left >= 0.0 && right <= WIDTH, "{text}: {left}..{right}");
            }
        }
        assert!(
            !chart.texts().contains(&labels[2].as_str()),
            "the long label is broken"
        );
    }

    #[test]
    fn each_legend_text_ends_before_the_next_swatch() {
        let series = ["集群平均", "目标等级 3"].map(|name| RadarSeries {
            name: name.into(),
            values: vec![Some(1.0); 3],
            colour: Colour::BLUE,
            filled: name.starts_with('集'),
        });
        let labels: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let chart = radar("t", &labels, &series, 5);
        let swatches: Vec<f64> = chart
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Line { from, to, .. } if from.y == to.y && from.y > HEIGHT - 30.0 => {
                    Some(from.x)
                }
                _ => None,
            })
            .collect();
        let first = chart
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Text { at, text, size, .. } if text == "集群平均" => {
                    Some(at.x + text_width(text, *size))
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(swatches.len(), 2);
        assert!(
            first + 8.0 <= swatches[1],
            "{first} runs into {}",
            swatches[1]
        );
    }
}
