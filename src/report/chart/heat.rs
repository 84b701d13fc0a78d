//! The domain × enterprise heat map: one row per enterprise, one column per domain, each cell
//! coloured by its score on the 0..=5 scale and labelled with it.

use super::{Anchor, Chart, Colour, Paint, Point, Shape};

#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

impl HeatRow {
    /// A row of scores (none where a domain has no score).
    pub fn of_scores(label: &str, scores: &[Option<crate::scoring::Hundredths>]) -> Self {
        Self {
            label: label.to_owned(),
            values: scores.iter().map(|s| s.map(|h| h.as_f64())).collect(),
        }
    }
}

/// Red below level 1, through amber around 2.5, to green from 4 up.
const STOPS: [(f64, Colour); 3] = [
    (1.0, Colour(0xd7, 0x4a, 0x3a)),
    (2.5, Colour(0xf2, 0xc1, 0x4e)),
    (4.0, Colour(0x3a, 0x9a, 0x5b)),
];
const MISSING: Colour = Colour(0xee, 0xee, 0xee);

/// The colour of a score on the 0..=5 scale.
pub fn heat_colour(score: f64) -> Colour {
    let [(a, ca), (b, cb), (c, cc)] = STOPS;
    if score <= a {
        ca
    } else if score <= b {
        ca.mix(cb, (score - a) / (b - a))
    } else if score <= c {
        cb.mix(cc, (score - b) / (c - b))
    } else {
        cc
    }
}

const LABEL_W: f64 = 170.0;
const CELL_W: f64 = 52.0;
const CELL_H: f64 = 22.0;
const HEADER_H: f64 = 28.0;

/// A heat map with `columns` across the top and `rows` down the left, each label cut to fit.
pub fn heat_map(title: &str, columns: &[String], rows: &[HeatRow]) -> Chart {
    let width = LABEL_W + CELL_W * columns.len() as f64 + 4.0;
    let height = HEADER_H + CELL_H * rows.len().max(1) as f64 + 4.0;
    let mut chart = Chart::new(width, height, title);
    for (j, col) in columns.iter().enumerate() {
        chart.push(Shape::Text {
            at: Point::new(LABEL_W + CELL_W * (j as f64 + 0.5), HEADER_H - 8.0),
            text: col.clone(),
            size: 11.0,
            anchor: Anchor::Middle,
            colour: Colour::MUTED,
            bold: true,
        });
    }
    for (i, row) in rows.iter().enumerate() {
        let y = HEADER_H + CELL_H * i as f64;
        chart.push(Shape::text(
            Point::new(LABEL_W - 6.0, y + CELL_H * 0.68),
            shorten(&row.label, 14),
            11.0,
            Anchor::End,
        ));
        for j in 0..columns.len() {
            let value = row.values.get(j).copied().flatten();
            let x = LABEL_W + CELL_W * j as f64;
            chart.push(Shape::Rect {
                at: Point::new(x + 1.0, y + 1.0),
                width: CELL_W - 2.0,
                height: CELL_H - 2.0,
                paint: Paint::fill(value.map_or(MISSING, heat_colour)),
            });
            chart.push(Shape::Text {
                at: Point::new(x + CELL_W / 2.0, y + CELL_H * 0.68),
                text: value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}")),
                size: 10.0,
                anchor: Anchor::Middle,
                colour: Colour::INK,
                bold: false,
            });
        }
    }
    chart
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_red_through_amber_to_green() {
        assert_eq!(heat_colour(0.0), STOPS[0].1);
        assert_eq!(heat_colour(2.5), STOPS[1].1);
        assert_eq!(heat_colour(5.0), STOPS[2].1);
        assert_eq!(heat_colour(1.75), STOPS[0].1.mix(STOPS[1].1, 0.5));
    }

    #[test]
    fn each_cell_is_a_coloured_rect_with_its_score() {
        let columns = vec!["D1".to_owned(), "D2".to_owned()];
        let rows = vec![
            HeatRow {
                label: "甲公司".into(),
                values: vec![Some(2.5), None],
            },
            HeatRow {
                label: "一个名字非常非常非常非常长的企业有限公司".into(),
                values: vec![Some(4.25), Some(1.0)],
            },
        ];
        let chart = heat_map("h", &columns, &rows);
        let fills: Vec<Colour> = chart
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { paint, .. } => paint.fill,
                _ => None,
            })
            .collect();
        assert_eq!(
            fills,
            [
                heat_colour(2.5),
                MISSING,
                heat_colour(4.25),
                heat_colour(1.0)
            ]
        );
        let texts = chart.texts();
        for t in ["D1", "D2", "甲公司", "2.50", "–", "4.25", "1.00"] {
            assert!(texts.contains(&t), "{t}");
        }
        assert!(texts.contains(&"一个名字非常非常非常非常长…"));
    }
}
