//! The enterprise assessment report as data: everything the PDF and the results page show, in
//! the language asked for, built from the self-assessment's scores (and the verified ones once
//! an auditor has reviewed them), the questionnaire's names and texts, the enterprise profile,
//! the benchmark within the cluster, the change since the enterprise's previous campaign, the
//! auditor's notes and the evidence index. Pure, so it can be tested without a PDF or a
//! database; the PDF ([`EnterpriseReport::to_pdf`]) and the page only walk it.

mod build;
mod charts;
mod gap;
mod render;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::assessment::Status;
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Crosswalk, Lang, Profile, Questionnaire};
pub use crate::report::cluster::{Block, Table};
use crate::scoring::rollup::Benchmark;
use crate::scoring::{Hundredths, ScoreReport, Scorecard};

pub use gap::{GapGroup, FIRST_STEPS};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// The domain's or the item's id.
    pub id: String,
    /// The domain's name (for an item row: its domain's).
    pub domain: String,
    /// Empty for a domain row.
    pub item: String,
    pub self_score: Hundredths,
    pub verified: Option<Hundredths>,
    /// The level of the verified score when there is one, else of the self-assessed one.
    pub level: u8,
}

/// One step of the gap plan: a criterion to raise to "fully", and what that alone adds to the
/// overall score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    pub level: u8,
    pub criterion: String,
    pub item_id: String,
    pub item: String,
    pub text: String,
    pub gain: Hundredths,
}

/// An auditor's review: when, what was decided, and the note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub at: NaiveDateTime,
    /// `accept` or `return`, as stored.
    pub decision: String,
    pub text: String,
}

/// A piece of evidence: its file name, fingerprint and the criteria it supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceEntry {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub criteria: Vec<String>,
}

/// The eligibility pre-check and the CDO summary, in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileSummary {
    /// (condition, value, required, met)
    pub conditions: Vec<(String, i64, i64, bool)>,
    pub all_met: bool,
    pub cdo_appointed: bool,
    pub cdo_rank: Option<String>,
    pub cdo_decision_level: bool,
    pub cdo_in_charter: bool,
    pub cdo_duties: Vec<String>,
    pub cdo_missing_duties: Vec<String>,
}

/// What the report says beyond the scores.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub enterprise: String,
    pub credit_code: String,
    pub campaign: String,
    pub status: Status,
    /// The day of the last change to the assessment: the report shows the data as of then.
    pub as_of: NaiveDate,
    /// The campaign's target level: the radar's reference and the gap plan's aim.
    pub target: Option<u8>,
    /// The profile questionnaire and the enterprise's answers, when it filled in its profile.
    pub profile: Option<(&'a Profile, &'a ProfileAnswers)>,
    /// Oldest first.
    pub notes: Vec<Note>,
    pub evidence: Vec<EvidenceEntry>,
    /// Criteria not answered yet: they count as not met.
    pub unanswered: usize,
    /// Where the verified scores stand in the cluster, once the assessment is accepted.
    pub benchmark: Option<BenchmarkFacts>,
    /// The enterprise's accepted assessment of the cluster's latest earlier campaign.
    pub previous: Option<PreviousFacts<'a>>,
}

/// The benchmark, with the names of the enterprise's industry and size in the report's
/// language.
#[derive(Debug, Clone)]
pub struct BenchmarkFacts {
    pub benchmark: Benchmark,
    pub industry: String,
    pub size: String,
}

/// An earlier accepted assessment of the enterprise: its campaign and verified scores.
#[derive(Debug, Clone)]
pub struct PreviousFacts<'a> {
    pub campaign: String,
    pub questionnaire: &'a Questionnaire,
    pub verified: &'a Scorecard,
    /// The crosswalk joining its edition with this assessment's, when they differ.
    pub crosswalk: Option<&'a Crosswalk>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnterpriseReport {
    pub lang: Lang,
    pub enterprise: String,
    pub credit_code: String,
    pub campaign: String,
    pub status: String,
    pub as_of: NaiveDate,
    pub target: Option<u8>,
    pub questionnaire: String,
    pub edition: String,
    pub questionnaire_hash: String,
    pub policy: String,
    pub overall_self: Hundredths,
    pub overall_verified: Option<Hundredths>,
    pub level: u8,
    /// The level's name (初始级 … 优化级, 未达初始级 for 0).
    pub level_name: String,
    /// Why the figures may still change, until an auditor accepts the assessment.
    pub provisional: Option<String>,
    /// Criteria not answered yet.
    pub unanswered: usize,
    pub domains: Vec<ScoreRow>,
    pub items: Vec<ScoreRow>,
    /// To the target level, from the verified ratings when there are any.
    pub gap: Vec<GapRow>,
    /// What the gap plan's gains mean.
    pub gap_intro: String,
    /// Percentiles within the cluster, its industry and its size group, or why none are shown.
    pub benchmark: Block,
    /// The change since the enterprise's previous campaign, or why there is none.
    pub change: Block,
    pub profile: Option<ProfileSummary>,
    pub notes: Vec<Note>,
    pub evidence: Vec<EvidenceEntry>,
}

/// The report of `self_scores` (and `verified` once reviewed), both scored on `q`; the gap plan
/// is taken from the verified scores when given, else from the self-assessed ones (either must
/// have been evaluated with the target level for it to be there).
pub fn enterprise_report(
    q: &Questionnaire,
    self_scores: &ScoreReport,
    verified: Option<&ScoreReport>,
    facts: Facts<'_>,
    lang: Lang,
) -> EnterpriseReport {
    build::report(q, self_scores, verified, facts, lang)
}

#[cfg(test)]
mod tests;
