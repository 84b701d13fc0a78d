//! The report's charts, drawn from the model alone: participation, levels, the domain radar,
//! the heat map in chunks, and the quantile bands that stand in for it.

use super::{Bands, ClusterReport};
use crate::report::chart::{
    bar_chart, heat_colour, heat_map, progress_bar, radar, Anchor, Bar, Chart, Colour, HeatRow,
    Paint, Point, Progress, RadarSeries, Shape,
};
use crate::scoring::Hundredths;

impl ClusterReport {
    /// Accepted, then awaiting review, of the invited enterprises.
    pub fn participation_chart(&self) -> Chart {
        self.progress(None)
    }

    /// [`Self::participation_chart`] with a marker where the day of the report stands,
    /// `elapsed` of the way from the campaign's start to its due date, labelled with the days
    /// left or overdue; no marker once the campaign is closed.
    pub fn participation_chart_at(&self, elapsed: f64) -> Chart {
        let days = self.participation.days.clone();
        self.progress(days.map(|d| (elapsed, d)))
    }

    fn progress(&self, time: Option<(f64, String)>) -> Chart {
        let p = &self.participation;
        progress_bar(
            &p.chart_title,
            &Progress {
                done: p.counts.accepted,
                pending: p.counts.awaiting_review,
                total: p.counts.invited,
                label: p.chart_label.clone(),
                time,
            },
        )
    }

    /// Accepted assessments per overall level, coloured like the heat map.
    pub fn levels_chart(&self) -> Chart {
        let bars: Vec<Bar> = self
            .levels
            .counts
            .iter()
            .enumerate()
            .map(|(i, n)| Bar {
                label: format!("L{i}"),
                value: *n,
                colour: heat_colour(i as f64),
            })
            .collect();
        bar_chart(&self.levels.chart_title, &bars)
    }

    /// The cluster's domain means against the target level.
    pub fn radar_chart(&self) -> Chart {
        let d = &self.domains;
        let series = [
            RadarSeries {
                name: d.mean_label.clone(),
                values: d.means.iter().map(|m| m.map(Hundredths::as_f64)).collect(),
                colour: Colour::BLUE,
                filled: true,
            },
            RadarSeries {
                name: d.target_label.clone(),
                values: vec![Some(f64::from(d.target)); d.names.len()],
                colour: Colour::ORANGE,
                filled: false,
            },
        ];
        radar(&d.radar_title, &d.names, &series, 5)
    }

    /// One heat map per chunk of enterprises.
    pub fn heat_charts(&self) -> Vec<Chart> {
        let h = &self.heat;
        h.chunks
            .iter()
            .map(|chunk| {
                let rows: Vec<HeatRow> = chunk
                    .rows
                    .iter()
                    .map(|row| HeatRow::of_scores(&row.name, &row.scores))
                    .collect();
                heat_map(&chunk.title, &h.columns, &rows)
            })
            .collect()
    }

    /// The quantile bands, when the report has them instead of a heat map.
    pub fn bands_chart(&self) -> Option<Chart> {
        self.heat.bands.as_ref().map(bands)
    }
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 150.0;
const PLOT_LEFT: f64 = 160.0;
const PLOT_RIGHT: f64 = 560.0;
const TOP: f64 = 34.0;
const ROW_H: f64 = 28.0;
const BOX_H: f64 = 14.0;

/// A box plot per domain on the 0..=5 scale: whiskers from min to max, a box from q1 to q3
/// coloured by the median, the median as a tick and its value at the right.
fn bands(b: &Bands) -> Chart {
    let height = TOP + ROW_H * b.rows.len().max(1) as f64 + 8.0;
    let mut chart = Chart::new(WIDTH, height, b.title.clone());
    let x_of = |v: Hundredths| PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * v.as_f64().min(5.0) / 5.0;
    let bottom = height - 8.0;
    for level in 0..=5u32 {
        let x = x_of(Hundredths(100 * level));
        chart.push(Shape::line(
            Point::new(x, TOP - 6.0),
            Point::new(x, bottom),
            Colour::GRID,
            1.0,
        ));
        chart.push(Shape::Text {
            at: Point::new(x, TOP - 10.0),
            text: level.to_string(),
            size: 11.0,
            anchor: Anchor::Middle,
            colour: Colour::MUTED,
            bold: false,
        });
    }
    chart.push(Shape::Text {
        at: Point::new(PLOT_RIGHT + 10.0, TOP - 10.0),
        text: b.median_label.clone(),
        size: 11.0,
        anchor: Anchor::Start,
        colour: Colour::MUTED,
        bold: false,
    });
    let target = x_of(Hundredths(100 * u32::from(b.target)));
    chart.push(Shape::Line {
        from: Point::new(target, TOP - 6.0),
        to: Point::new(target, bottom),
        paint: Paint::stroke(Colour::ORANGE, 2.0).dashed(),
    });
    chart.push(Shape::Text {
        at: Point::new(target + 4.0, TOP - 22.0),
        text: b.target_label.clone(),
        size: 10.0,
        anchor: Anchor::Middle,
        colour: Colour::ORANGE,
        bold: false,
    });
    for (i, band) in b.rows.iter().enumerate() {
        let centre = TOP + ROW_H * (i as f64 + 0.5);
        chart.push(Shape::text(
            Point::new(LABEL_W, centre + 4.0),
            fit(&band.domain, LABEL_W - 4.0, 12.0),
            12.0,
            Anchor::End,
        ));
        let Some(q) = band.quartiles else {
            chart.push(Shape::Text {
                at: Point::new(PLOT_RIGHT + 10.0, centre + 4.0),
                text: "–".to_owned(),
                size: 11.0,
                anchor: Anchor::Start,
                colour: Colour::MUTED,
                bold: false,
            });
            continue;
        };
        chart.push(Shape::line(
            Point::new(x_of(q.min), centre),
            Point::new(x_of(q.max), centre),
            Colour::INK,
            1.5,
        ));
        for end in [q.min, q.max] {
            chart.push(Shape::line(
                Point::new(x_of(end), centre - BOX_H / 3.0),
                Point::new(x_of(end), centre + BOX_H / 3.0),
                Colour::INK,
                1.5,
            ));
        }
        chart.push(Shape::Rect {
            at: Point::new(x_of(q.q1), centre - BOX_H / 2.0),
            // A box of equal quartiles stays visible as a sliver.
            width: (x_of(q.q3) - x_of(q.q1)).max(2.0),
            height: BOX_H,
            paint: Paint::stroke(Colour::INK, 1.0).with_fill(heat_colour(q.median.as_f64()), 1.0),
        });
        chart.push(Shape::line(
            Point::new(x_of(q.median), centre - BOX_H / 2.0 - 2.0),
            Point::new(x_of(q.median), centre + BOX_H / 2.0 + 2.0),
            Colour::INK,
            3.0,
        ));
        chart.push(Shape::text(
            Point::new(PLOT_RIGHT + 10.0, centre + 4.0),
            q.median.to_string(),
            11.0,
            Anchor::Start,
        ));
    }
    chart
}

/// `text` cut with an ellipsis to about `width` units at `size` (CJK a full em, the rest about
/// half of one).
fn fit(text: &str, width: f64, size: f64) -> String {
    let advance = |c: char| if c.is_ascii() { size * 0.55 } else { size };
    let total: f64 = text.chars().map(advance).sum();
    if total <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = advance('…');
    for c in text.chars() {
        used += advance(c);
        if used > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}
