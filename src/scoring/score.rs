//! Level, item, domain and overall scores (DESIGN.md section 4), in integer hundredths with
//! half-up rounding at each stage.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use super::policy::{Policy, Rating};
use crate::questionnaire::{Item, Questionnaire};

/// A score in hundredths: 350 is 3.50. Serialised as a number with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hundredths(pub u32);

impl Hundredths {
    /// The integer part: for an item, domain or overall score, its level.
    pub fn whole(self) -> u8 {
        (self.0 / 100).min(u32::from(u8::MAX)) as u8
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Hundredths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

/// The mean of `sum / count`, rounded half up; non-negative integers only.
pub fn mean_half_up(sum: u64, count: u64) -> u32 {
    if count == 0 {
        return 0;
    }
    ((2 * sum + count) / (2 * count)) as u32
}

/// One assessment's ratings, indexed like the questionnaire's criteria; `None` is unanswered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet(pub Vec<Option<Rating>>);

/// Why a set of answers cannot be scored against a questionnaire; names the criterion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("unknown criterion {0}")]
    UnknownCriterion(String),
    #[error("criterion {0} does not allow na")]
    NaNotAllowed(String),
}

impl SheetError {
    pub fn criterion(&self) -> &str {
        match self {
            Self::UnknownCriterion(c) | Self::NaNotAllowed(c) => c,
        }
    }
}

impl Sheet {
    pub fn empty(q: &Questionnaire) -> Self {
        Self(vec![None; q.criterion_count()])
    }

    /// Answers by criterion id; unknown ids and N/A where it is not allowed are refused.
    pub fn from_answers<'a>(
        q: &Questionnaire,
        answers: impl IntoIterator<Item = (&'a str, Rating)>,
    ) -> Result<Self, SheetError> {
        let mut sheet = Self::empty(q);
        let allows_na: Vec<bool> = q.criteria().map(|c| c.allow_na).collect();
        for (id, rating) in answers {
            let n = q
                .index_of(id)
                .ok_or_else(|| SheetError::UnknownCriterion(id.to_owned()))?;
            if rating == Rating::Na && !allows_na[n] {
                return Err(SheetError::NaNotAllowed(id.to_owned()));
            }
            sheet.0[n] = Some(rating);
        }
        Ok(sheet)
    }

    pub fn from_map(
        q: &Questionnaire,
        answers: &BTreeMap<String, Rating>,
    ) -> Result<Self, SheetError> {
        Self::from_answers(q, answers.iter().map(|(k, v)| (k.as_str(), *v)))
    }

    /// One character per criterion: F, L, P, N, A (na) or - (unanswered).
    pub fn to_compact(&self) -> String {
        self.0
            .iter()
            .map(|r| match r {
                Some(Rating::Fully) => 'F',
                Some(Rating::Largely) => 'L',
                Some(Rating::Partially) => 'P',
                Some(Rating::Not) => 'N',
                Some(Rating::Na) => 'A',
                None => '-',
            })
            .collect()
    }

    /// The sheet of [`Sheet::to_compact`]; `None` when it does not fit the questionnaire.
    pub fn from_compact(q: &Questionnaire, text: &str) -> Option<Self> {
        if text.len() != q.criterion_count() {
            return None;
        }
        text.chars()
            .map(|c| match c {
                'F' => Some(Some(Rating::Fully)),
                'L' => Some(Some(Rating::Largely)),
                'P' => Some(Some(Rating::Partially)),
                'N' => Some(Some(Rating::Not)),
                'A' => Some(Some(Rating::Na)),
                '-' => Some(None),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Self)
    }

    pub fn answered(&self) -> usize {
        self.0.iter().filter(|r| r.is_some()).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemScore {
    pub id: String,
    /// 0.00–5.00; the integer part is the achieved level.
    #[schema(value_type = f64)]
    pub score: Hundredths,
    pub level: u8,
    /// Levels 1 to 5, each 0.00–1.00.
    #[schema(value_type = Vec<f64>)]
    pub level_scores: [Hundredths; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainScore {
    pub id: String,
    #[schema(value_type = f64)]
    pub score: Hundredths,
    pub level: u8,
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Overall {
    #[schema(value_type = f64)]
    pub score: Hundredths,
    /// The indicated level; 0 means below Initial (未达初始级).
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scorecard {
    pub overall: Overall,
    pub domains: Vec<DomainScore>,
}

/// Level scores of one item (0–100 each) from its slice of the sheet.
pub fn level_scores(item: &Item, ratings: &[Option<Rating>], policy: &Policy) -> [u32; 5] {
    let mut sums = [0u64; 5];
    let mut counts = [0u64; 5];
    for (c, rating) in item.criteria.iter().zip(ratings) {
        if let Some(points) = policy.points_of(*rating) {
            let l = usize::from(c.level - 1);
            sums[l] += u64::from(points);
            counts[l] += 1;
        }
    }
    let mut out = [0u32; 5];
    for l in 0..5 {
        // A level whose criteria are all N/A is met.
        out[l] = if counts[l] == 0 {
            100
        } else {
            mean_half_up(sums[l], counts[l])
        };
    }
    out
}

/// The achieved level k and the item score 100·k + the level score of level k+1.
pub fn item_score(level_scores: &[u32; 5], policy: &Policy) -> (u8, u32) {
    let k = level_scores
        .iter()
        .take_while(|s| **s >= policy.pass_threshold)
        .count();
    let next = level_scores.get(k).copied().unwrap_or(0);
    (k as u8, 100 * k as u32 + next)
}

/// Scores a sheet. The sheet must have been made for this questionnaire.
pub fn score(q: &Questionnaire, sheet: &Sheet, policy: &Policy) -> Scorecard {
    let mut offset = 0;
    let mut domains = Vec::with_capacity(q.domains.len());
    for d in &q.domains {
        let mut items = Vec::with_capacity(d.items.len());
        let mut sum = 0u64;
        for item in &d.items {
            let n = item.criteria.len();
            let ratings = sheet.0.get(offset..offset + n).unwrap_or(&[]);
            offset += n;
            let ls = level_scores(item, ratings, policy);
            let (level, score) = item_score(&ls, policy);
            sum += u64::from(score);
            items.push(ItemScore {
                id: item.id.clone(),
                score: Hundredths(score),
                level,
                level_scores: ls.map(Hundredths),
            });
        }
        let score = Hundredths(mean_half_up(sum, items.len() as u64));
        domains.push(DomainScore {
            id: d.id.clone(),
            score,
            level: score.whole(),
            items,
        });
    }
    let total: u64 = domains.iter().map(|d| u64::from(d.score.0)).sum();
    let score = Hundredths(mean_half_up(total, domains.len() as u64));
    Scorecard {
        overall: Overall {
            score,
            level: score.whole(),
        },
        domains,
    }
}
