//! Assessment services shared by the API and the pages: how far an assessment's answers have
//! come, an enterprise's assessments with their progress, what is left before submitting, the
//! submission itself, and its self-assessed and verified scores.

pub mod cards;
mod overview;
mod progress;
pub mod review;
pub mod sample;
pub mod scores;
mod submit;

pub use overview::{of_enterprise, Overview};
pub use progress::{progress, progress_of, DomainProgress, Progress};
pub use scores::{scores, scores_of, ScorePair};
pub use submit::{check, gaps, submit, Check, DomainGaps, ItemGaps};
