//! Assessment services: what the API and the pages share about one assessment beyond its
//! rows, such as its scores.

pub mod scores;

pub use scores::{scores, ScorePair};
