//! The enterprise assessment report as data: everything the PDF and the results page show, in
//! the language asked for, built from the self-assessment's scores (and the verified ones once
//! an auditor has reviewed them), the questionnaire's names and texts, the enterprise profile,
//! the benchmark within the cluster, the change since the enterprise's previous campaign, the
//! auditor's review (who verified, when, and the criteria re-rated), a reading of each
//! domain's strengths and weaknesses, why each item scores what it does, and the evidence
//! index. Pure, so it can be tested without a PDF or a
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
use crate::scoring::{Hundredths, Policy, Rating, ScoreReport, Scorecard};

pub use build::{FAR_BELOW, FLAG};
pub use gap::{GapCriterion, GapGroup, GapRow, FIRST_STEPS};

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
    /// The level's name (初始级 … 优化级, 未达初始级 for 0).
    pub level_name: String,
    /// An item's level that stopped it and that level's score against τ, in a line; empty
    /// for a domain row.
    pub why: String,
    /// The same reason in full: the levels passed, the one that stopped the item, the score.
    pub explanation: String,
    /// An item far below the enterprise's own level (see [`EnterpriseReport::reading_rule`]).
    pub far_below: bool,
}

/// A domain read from its items' scores against the enterprise's own overall level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainReading {
    pub id: String,
    pub domain: String,
    /// Items above the overall level, by name.
    pub strengths: Vec<String>,
    /// Items below the overall level, each "name score", those far below marked with ▼.
    pub weaknesses: Vec<String>,
}

/// The review that decided where the assessment stands: who, when, what and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub auditor: String,
    pub at: NaiveDateTime,
    /// The decision in the report's language.
    pub decision: String,
    pub note: String,
}

/// A criterion the auditor rated: the enterprise's rating beside the auditor's, with the note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rerated {
    pub criterion: String,
    pub item_id: String,
    pub item: String,
    pub text: String,
    pub self_rating: String,
    pub verified: String,
    /// The auditor rated it lower than the enterprise did.
    pub lowered: bool,
    pub note: String,
}

/// An auditor's review: who, when, what was decided, and the note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// The auditor's display name.
    pub auditor: String,
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

/// A verified rating the auditor gave, beside the enterprise's own.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingFact {
    pub criterion: String,
    /// The enterprise's rating; `None` when unanswered.
    pub self_rating: Option<Rating>,
    pub verified: Rating,
    pub note: String,
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
    /// The policy the scores were computed with: τ explains each item's score.
    pub policy: &'a Policy,
    /// Oldest first.
    pub notes: Vec<Note>,
    /// The auditor's verified ratings, in questionnaire order.
    pub rerated: Vec<RatingFact>,
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
    /// The level of the self-assessed score.
    pub self_level: u8,
    /// The summary's sentences: the scores and levels, a change of level by verification,
    /// who verified, and the items far below the enterprise's level.
    pub summary: Vec<String>,
    /// When verification changed the indicated level: from which to which.
    pub level_change: Option<String>,
    /// Why the figures may still change, until an auditor accepts the assessment.
    pub provisional: Option<String>,
    /// What every page of a report that is not final says at its top.
    pub mark: Option<String>,
    /// Criteria not answered yet.
    pub unanswered: usize,
    pub domains: Vec<ScoreRow>,
    pub items: Vec<ScoreRow>,
    /// The path to the target level, ranked, from the verified ratings when there are any.
    pub gap: Vec<GapRow>,
    /// What the path lists and what its gains mean.
    pub gap_intro: String,
    /// Percentiles within the cluster, its industry and its size group, or why none are shown.
    pub benchmark: Block,
    /// The change since the enterprise's previous campaign, or why there is none.
    pub change: Block,
    pub profile: Option<ProfileSummary>,
    /// Each domain's strengths and weaknesses, and the rule they are read by.
    pub readings: Vec<DomainReading>,
    pub reading_rule: String,
    /// What the items' "why" says, with τ.
    pub why_intro: String,
    /// The latest review, which decided where the assessment stands.
    pub verification: Option<Verification>,
    pub rerated: Vec<Rerated>,
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
