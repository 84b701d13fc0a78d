//! Vertical bar charts of counts, and the horizontal progress bar.

use super::{text_width, Anchor, Chart, Colour, Paint, Point, Shape};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    pub colour: Colour,
}

const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

/// A "nice" upper bound for an axis showing `max`: 1, 2 or 5 times a power of ten, at least 1.
fn axis_max(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            if let Some(bound) = step.checked_mul(m) {
                if bound >= max {
                    return bound;
                }
            }
        }
        match step.checked_mul(10) {
            Some(s) => step = s,
            None => return u32::MAX,
        }
    }
}

/// The step between the ticks of an axis up to `top` (a bound of [`axis_max`]): a whole count,
/// since bars count enterprises, and at most five steps.
fn tick_step(top: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            let s = step.saturating_mul(m);
            if top / s <= 5 {
                return s;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Bars side by side, each with its count above it and its label below, over a y axis from 0.
pub fn bar_chart(title: &str, bars: &[Bar]) -> Chart {
    let mut chart = Chart::new(WIDTH, HEIGHT, title);
    let top = axis_max(bars.iter().map(|b| b.value).max().unwrap_or(0));
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = HEIGHT - BOTTOM;
    let y_of = |v: f64| base - plot_h * v / f64::from(top);
    let step = tick_step(top) as usize;
    for tick in (0..=top).step_by(step) {
        let v = f64::from(tick);
        let y = y_of(v);
        chart.push(Shape::line(
            Point::new(LEFT, y),
            Point::new(WIDTH - RIGHT, y),
            Colour::GRID,
            1.0,
        ));
        chart.push(Shape::Text {
            at: Point::new(LEFT - 6.0, y + 4.0),
            text: tick.to_string(),
            size: 10.0,
            anchor: Anchor::End,
            colour: Colour::MUTED,
            bold: false,
        });
    }
    let slot = (WIDTH - LEFT - RIGHT) / bars.len().max(1) as f64;
    for (i, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let w = slot * 0.7;
        let y = y_of(f64::from(bar.value));
        chart.push(Shape::Rect {
            at: Point::new(x, y),
            width: w,
            height: base - y,
            paint: Paint::fill(bar.colour),
        });
        chart.push(Shape::Text {
            at: Point::new(x + w / 2.0, y - 5.0),
            text: bar.value.to_string(),
            size: 12.0,
            anchor: Anchor::Middle,
            colour: Colour::INK,
            bold: true,
        });
        chart.push(Shape::text(
            Point::new(x + w / 2.0, base + 18.0),
            bar.label.clone(),
            12.0,
            Anchor::Middle,
        ));
    }
    chart
}

/// Progress towards a goal: `done` of `total` as a filled bar, and optionally where the
/// time elapsed stands (0..=1) as a marker with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    /// A second, lighter segment after `done` (such as handed in but not yet accepted).
    pub pending: u32,
    pub label: String,
    pub time: Option<(f64, String)>,
}

/// Room at either end of the progress bar, so the time marker's stroke is never cut off.
const INSET: f64 = 4.0;
/// About a half-width card of the dashboard, where it is drawn one unit a pixel.
const PROGRESS_W: f64 = 480.0;

pub fn progress_bar(title: &str, p: &Progress) -> Chart {
    let (width, height, bar_y, bar_h) = (PROGRESS_W, 64.0, 16.0, 18.0);
    let (left, bar_w) = (INSET, width - 2.0 * INSET);
    let mut chart = Chart::new(width, height, title);
    chart.push(Shape::rect(
        Point::new(left, bar_y),
        bar_w,
        bar_h,
        Colour::TRACK,
    ));
    let share = |n: u32| {
        if p.total == 0 {
            0.0
        } else {
            (f64::from(n) / f64::from(p.total)).clamp(0.0, 1.0)
        }
    };
    let done_w = bar_w * share(p.done);
    let pending_w = (bar_w * share(p.done.saturating_add(p.pending)) - done_w).max(0.0);
    chart.push(Shape::rect(
        Point::new(left, bar_y),
        done_w,
        bar_h,
        Colour::GREEN,
    ));
    chart.push(Shape::rect(
        Point::new(left + done_w, bar_y),
        pending_w,
        bar_h,
        Colour::GREEN.mix(Colour::WHITE, 0.6),
    ));
    chart.push(Shape::text(
        Point::new(left, bar_y + bar_h + 19.0),
        p.label.clone(),
        13.0,
        Anchor::Start,
    ));
    if let Some((t, label)) = &p.time {
        let x = left + bar_w * t.clamp(0.0, 1.0);
        chart.push(Shape::Line {
            from: Point::new(x, bar_y - 6.0),
            to: Point::new(x, bar_y + bar_h + 4.0),
            paint: Paint::stroke(Colour::ORANGE, 2.0),
        });
        // The label starts at the marker, or ends there near the right; either way it stays
        // inside the chart.
        let size = 11.0;
        let w = text_width(label, size);
        let start = if x + 4.0 + w <= width {
            x + 4.0
        } else {
            x - 4.0 - w
        };
        chart.push(Shape::Text {
            at: Point::new(start.clamp(0.0, (width - w).max(0.0)), bar_y - 6.0),
            text: label.clone(),
            size,
            anchor: Anchor::Start,
            colour: Colour::ORANGE,
            bold: false,
        });
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rects(chart: &Chart) -> Vec<(Point, f64, f64)> {
        chart
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    at, width, height, ..
                } => Some((*at, *width, *height)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn axes_end_on_a_round_number() {
        assert_eq!(axis_max(0), 1);
        assert_eq!(axis_max(3), 5);
        assert_eq!(axis_max(7), 10);
        assert_eq!(axis_max(11), 20);
        assert_eq!(axis_max(20), 20);
        assert_eq!(axis_max(u32::MAX), u32::MAX);
    }

    #[test]
    fn bar_heights_are_proportional_to_their_values() {
        let bars: Vec<Bar> = [0, 5, 10]
            .iter()
            .map(|v| Bar {
                label: format!("L{v}"),
                value: *v,
                colour: Colour::BLUE,
            })
            .collect();
        let chart = bar_chart("levels", &bars);
        let r = rects(&chart);
        assert_eq!(r.len(), 3);
        assert!(r[0].2.abs() < 1e-9);
        assert!((r[2].2 - 2.0 * r[1].2).abs() < 1e-9);
        assert!(
            (r[2].2 - (HEIGHT - TOP - BOTTOM)).abs() < 1e-9,
            "10 is the top of the axis"
        );
        for t in ["L0", "L5", "L10", "0", "5", "10"] {
            assert!(chart.texts().contains(&t), "{t}");
        }
    }

    #[test]
    fn axis_ticks_are_whole_counts() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(2), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(10), 2);
        assert_eq!(tick_step(20), 5);
        assert_eq!(tick_step(50), 10);
        assert_eq!(tick_step(u32::MAX), 1_000_000_000);
        let bars = [Bar {
            label: "L1".into(),
            value: 2,
            colour: Colour::BLUE,
        }];
        let texts = bar_chart("small", &bars).texts().join(" ");
        assert!(!texts.contains('.'), "{texts}");
        for n in ["0", "1", "2"] {
            assert!(bar_chart("small", &bars).texts().contains(&n));
        }
    }

    #[test]
    fn progress_fills_its_share_and_marks_the_time() {
        let chart = progress_bar(
            "p",
            &Progress {
                done: 10,
                total: 40,
                pending: 10,
                label: "10 / 40".into(),
                time: Some((0.5, "today".into())),
            },
        );
        let r = rects(&chart);
        let bar = PROGRESS_W - 2.0 * INSET;
        assert!((r[0].1 - bar).abs() < 1e-9, "the track");
        assert!((r[1].1 - bar / 4.0).abs() < 1e-9, "a quarter done");
        assert!((r[2].0.x - INSET - bar / 4.0).abs() < 1e-9 && (r[2].1 - bar / 4.0).abs() < 1e-9);
        assert!(chart.shapes.iter().any(|s| matches!(s,
            Shape::Line { from, .. } if (from.x - INSET - bar / 2.0).abs() < 1e-9)));
        let empty = progress_bar(
            "p",
            &Progress {
                done: 0,
                total: 0,
                pending: 0,
                label: String::new(),
                time: None,
            },
        );
        assert!(rects(&empty)[1].1.abs() < 1e-9);
    }

    /// Where the time label starts and how wide it is, for a marker at `t`.
    fn time_label(t: f64, label: &str) -> (f64, f64) {
        let chart = progress_bar(
            "p",
            &Progress {
                done: 0,
                total: 10,
                pending: 0,
                label: String::new(),
                time: Some((t, label.into())),
            },
        );
        chart
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Text {
                    at, text, anchor, ..
                } if text == label => {
                    assert_eq!(*anchor, Anchor::Start);
                    Some((at.x, text_width(text, 11.0)))
                }
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn the_time_label_stays_inside_the_chart_at_either_end() {
        for t in [0.0, 0.01, 0.5, 0.69, 0.71, 0.99, 1.0] {
            let (x, w) = time_label(t, "距截止天数 45");
            assert!(x >= 0.0 && x + w <= PROGRESS_W, "{t}: {x} + {w}");
        }
        let (x, _) = time_label(0.0, "days left: 45");
        assert!(x > INSET, "right of the marker at the start");
    }
}
