//! The cluster readiness report of a campaign as data: everything the PDF shows, in the language
//! asked for, built from the campaign's roll-up, the invited enterprises and the questionnaire.
//! Pure and serialisable, so it can be snapshot-tested and hashed for a report id; the PDF
//! ([`ClusterReport::to_pdf`]) only walks it.
//!
//! The dashboard page (`web::dashboard`) draws the same model, so the two never disagree:
//! every heading, label and figure they share is worded here once. An enterprise that shares
//! anonymous statistics only counts in every figure and never appears by name with a score.

mod build;
mod charts;
mod lookups;
mod render;

use chrono::NaiveDate;
use serde::Serialize;

pub use lookups::{Lookups, Progress};

use crate::domain::sharing::Sharing;
use crate::ids::EnterpriseId;
use crate::questionnaire::{Lang, Questionnaire};
use crate::scoring::rollup::{EnterpriseResult, Participation, Rollup, Tier};
use crate::scoring::Hundredths;

/// What the caller knows beyond the roll-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFacts {
    pub cluster: String,
    pub campaign: String,
    pub campaign_id: String,
    /// The campaign status as stored ("open", "closed").
    pub status: String,
    pub due_date: NaiveDate,
    /// The day the report reflects.
    pub as_of: NaiveDate,
    /// The scoring-policy version.
    pub policy: String,
}

/// A label and its value; `key` names the figure for a renderer that marks it (the page's
/// `data-figure`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// A table as drawn: the header cells, then rows of cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// What each row stands for (`overall`, a domain or an item id), for a renderer that
    /// marks the figures of a row; empty when the rows need no name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

impl Table {
    pub fn new(header: Vec<String>, rows: Vec<Vec<String>>) -> Self {
        Self {
            header,
            rows,
            keys: Vec::new(),
        }
    }

    pub fn keyed(self, keys: Vec<String>) -> Self {
        Self { keys, ..self }
    }
}

/// A section of text and at most one table: notes above the table, `after` below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub heading: String,
    pub notes: Vec<String>,
    pub table: Option<Table>,
    pub after: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cover {
    pub facts: Vec<Fact>,
    /// Levels and the tier are indicative, not a certification.
    pub statement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadinessSection {
    pub heading: String,
    /// `None` while no assessment is accepted.
    pub tier: Option<Tier>,
    /// The tier's name, `–` without one.
    pub name: String,
    pub tier_line: String,
    /// S, P2, P3 and how many accepted assessments they cover.
    pub figures: Vec<Fact>,
    /// Each rule from the highest tier down with the figures it compared; `None` with no tier.
    pub rules: Option<Table>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipationSection {
    pub heading: String,
    /// The due date and the days left (or overdue) on the report's day, or that the campaign
    /// is closed.
    pub due: String,
    /// The days left or overdue, for a marker on the chart; `None` once the campaign is closed.
    pub days: Option<String>,
    pub counts: Participation,
    pub chart_title: String,
    pub chart_label: String,
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelsSection {
    pub heading: String,
    pub notes: Vec<String>,
    pub chart_title: String,
    /// Accepted assessments at levels 0 to 5.
    pub counts: [u32; 6],
    pub table: Table,
}

/// One enterprise's verified domain scores, in the order of [`HeatSection::columns`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatLine {
    pub name: String,
    pub overall: Hundredths,
    pub scores: Vec<Option<Hundredths>>,
}

/// One chart's worth of heat-map rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatChunk {
    pub title: String,
    pub rows: Vec<HeatLine>,
}

/// The spread of one domain's verified scores; `None` when no accepted assessment scored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub domain: String,
    pub quartiles: Option<Quartiles>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quartiles {
    pub n: u32,
    pub min: Hundredths,
    pub q1: Hundredths,
    pub median: Hundredths,
    pub q3: Hundredths,
    pub max: Hundredths,
}

/// Quantile bands per domain, drawn when no enterprise can be shown by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bands {
    pub title: String,
    pub legend: String,
    pub target_label: String,
    pub target: u8,
    /// Heads the column of medians.
    pub median_label: String,
    pub rows: Vec<Band>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatSection {
    pub heading: String,
    pub notes: Vec<String>,
    /// Short domain names, the columns.
    pub columns: Vec<String>,
    /// The header of the heat map as a table: the enterprise, its overall score, the columns.
    pub header: Vec<String>,
    /// Enterprises sharing full or scores, by name, a few dozen per chart.
    pub chunks: Vec<HeatChunk>,
    /// Accepted assessments left out because the enterprise shares anonymous statistics only.
    pub anonymous: u32,
    /// Instead of the heat map when it has no rows but some domain has scores.
    pub bands: Option<Bands>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainSection {
    pub heading: String,
    pub notes: Vec<String>,
    pub radar_title: String,
    /// Domain names, the radar's axes.
    pub names: Vec<String>,
    pub means: Vec<Option<Hundredths>>,
    pub mean_label: String,
    pub target: u8,
    pub target_label: String,
    pub table: Table,
}

/// An invited enterprise of the roster, as typed values beside its row of cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterEntry {
    pub id: EnterpriseId,
    pub sharing: Sharing,
    pub progress: Progress,
    /// A draft past the due date.
    pub overdue: bool,
}

/// Every invited enterprise with its assessment's progress, for the dashboard page: by name
/// even when it shares anonymous statistics only, but then with its status alone. Not part of
/// [`ClusterReport`], in which such an enterprise never appears; the report's annex is the
/// roster's named part, from the same rows. Build it with [`roster`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Roster {
    pub heading: String,
    pub notes: Vec<String>,
    /// Overdue drafts first, then by name.
    pub table: Table,
    /// One per row of `table`.
    pub entries: Vec<RosterEntry>,
}

/// The cluster report of a campaign. Build it with [`cluster_report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterReport {
    pub lang: Lang,
    pub title: String,
    /// The cluster and the campaign, for the PDF's document information.
    pub subject: String,
    /// The day the report reflects.
    pub as_of: NaiveDate,
    /// While the campaign is open, the mark at the top of every page that the figures are
    /// interim; `None` once it is closed and the report is final.
    pub mark: Option<String>,
    pub cover: Cover,
    pub readiness: ReadinessSection,
    pub participation: ParticipationSection,
    pub levels: LevelsSection,
    pub heat: HeatSection,
    pub domains: DomainSection,
    /// The weakest items, each with a shared action quoted from the questionnaire.
    pub weakest: Block,
    pub cdo: Block,
    pub eligibility: Block,
    pub bias: Block,
    pub change: Block,
    /// The invited enterprises, as far as their sharing allows.
    pub annex: Block,
}

/// The report of a campaign whose roll-up `rollup` was computed from `enterprises` (every
/// invited one) scored on `q`, naming industries as the built-in profile questionnaire does.
pub fn cluster_report(
    facts: CampaignFacts,
    q: &Questionnaire,
    rollup: &Rollup,
    enterprises: &[EnterpriseResult],
    lang: Lang,
) -> ClusterReport {
    cluster_report_with(facts, q, rollup, enterprises, Lookups::built_in(), lang)
}

/// [`cluster_report`] with the industry names of the installation's profile questionnaire
/// and the assessments returned for changes, from `lookups`.
pub fn cluster_report_with(
    facts: CampaignFacts,
    q: &Questionnaire,
    rollup: &Rollup,
    enterprises: &[EnterpriseResult],
    lookups: &Lookups,
    lang: Lang,
) -> ClusterReport {
    build::report(&facts, q, rollup, enterprises, lookups, lang)
}

/// The roster of `enterprises` (every invited one, or those a filter keeps).
pub fn roster(enterprises: &[EnterpriseResult], lookups: &Lookups, lang: Lang) -> Roster {
    build::roster(enterprises, lookups, lang)
}

#[cfg(test)]
pub(crate) mod tests;
