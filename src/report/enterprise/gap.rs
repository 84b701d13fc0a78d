//! The gap plan as people act on it: grouped by item, each group's criteria ranked by what they
//! gain, and the few steps that gain most, to do first. Both renderers read these.

use super::{EnterpriseReport, GapRow};
use crate::scoring::Hundredths;

/// How many steps "do these first" lists.
pub const FIRST_STEPS: usize = 5;

/// The gap plan's criteria of one item, ranked by gain.
#[derive(Debug, Clone, PartialEq)]
pub struct GapGroup<'a> {
    pub item_id: &'a str,
    pub item: &'a str,
    /// The largest gain of one of its criteria.
    pub best: Hundredths,
    pub rows: Vec<&'a GapRow>,
}

/// Larger gain first, then the lower level; otherwise the plan's order.
fn by_gain(a: &GapRow, b: &GapRow) -> std::cmp::Ordering {
    b.gain.cmp(&a.gain).then(a.level.cmp(&b.level))
}

impl EnterpriseReport {
    /// The gap plan by item: items whose best step gains most first (ties in the order the
    /// plan first names them), each item's criteria by gain, then level.
    pub fn gap_by_item(&self) -> Vec<GapGroup<'_>> {
        let mut groups: Vec<GapGroup<'_>> = Vec::new();
        for g in &self.gap {
            match groups.iter_mut().find(|x| x.item_id == g.item_id) {
                Some(group) => group.rows.push(g),
                None => groups.push(GapGroup {
                    item_id: &g.item_id,
                    item: &g.item,
                    best: g.gain,
                    rows: vec![g],
                }),
            }
        }
        for group in &mut groups {
            group.rows.sort_by(|a, b| by_gain(a, b));
            group.best = group.rows.first().map_or(Hundredths(0), |r| r.gain);
        }
        // A stable sort keeps the plan's order among items of equal best gain.
        groups.sort_by_key(|g| std::cmp::Reverse(g.best));
        groups
    }

    pub fn first_steps_heading(&self) -> &'static str {
        self.lang.t("优先处理", "Do these first")
    }

    /// The steps to take first: those that gain most (the lower level first among equals).
    pub fn first_steps(&self) -> Vec<&GapRow> {
        let mut rows: Vec<&GapRow> = self.gap.iter().collect();
        rows.sort_by(|a, b| by_gain(a, b));
        rows.truncate(FIRST_STEPS);
        rows
    }
}
