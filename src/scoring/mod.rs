//! The scoring core: pure functions, answers in, scores out. The API, the reports, the
//! dashboard and `dcmm score` all call these.

pub mod carry;
pub mod explain;
pub mod gap;
pub mod policy;
pub mod profile;
pub mod report;
pub mod rollup;
pub mod scale;
pub mod score;
pub mod sheets;
pub mod stored;

pub use explain::{explain, Explanation};
pub use gap::{gap_plan, GapStep, Raise};
pub use policy::{check_rating, Policy, Rating};
pub use report::{evaluate, ScoreReport, ScoredQuestionnaire};
pub use score::{score, Hundredths, Scorecard, Sheet, SheetError};
pub use stored::{policy_key, SCORING_VERSION};

#[cfg(test)]
mod tests;
