//! What the page draws, worked out from what was loaded: the item shown, the filter, whether
//! anything may change, the auditor's differing ratings. Pure, so the renderer can be tested
//! without a database.

use std::collections::HashMap;

use super::{Loaded, SheetQuery};
use crate::db::assessments::AnswerRow;
use crate::db::evidence::Evidence;
use crate::domain::assessment::Status;
use crate::questionnaire::{Criterion, Domain, Item, Lang};
use crate::scoring::scale::{scale, ScaleStep};
use crate::scoring::score::{DomainScore, ItemScore};
use crate::scoring::{Policy, Rating};

/// Whether the page takes changes, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Edit,
    /// Handed in, waiting for review.
    Submitted,
    Accepted,
    /// A draft the viewer reads but does not answer (an auditor, an administrator, a cluster
    /// manager the enterprise shares its answers with).
    Viewer,
}

impl Mode {
    pub fn editable(self) -> bool {
        self == Self::Edit
    }
}

/// Which criteria of the item are shown: all, only the unanswered, only one level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub unanswered: bool,
    pub level: Option<u8>,
}

impl Filter {
    pub fn of(query: &SheetQuery) -> Self {
        Self {
            unanswered: matches!(query.unanswered.as_deref(), Some("1" | "on" | "true")),
            level: query
                .level
                .as_deref()
                .and_then(|l| l.parse::<u8>().ok())
                .filter(|l| (1..=5).contains(l)),
        }
    }

    pub fn keeps(&self, c: &Criterion, answered: bool) -> bool {
        !(self.unanswered && answered) && self.level.is_none_or(|l| l == c.level)
    }

    /// The filter as query pairs to append to a link (`&unanswered=1&level=2`), or nothing.
    pub fn query(&self) -> String {
        let mut out = String::new();
        if self.unanswered {
            out.push_str("&unanswered=1");
        }
        if let Some(l) = self.level {
            out.push_str(&format!("&level={l}"));
        }
        out
    }
}

/// A criterion the auditor rated otherwise than the enterprise's current answer.
#[derive(Debug)]
pub struct Difference<'a> {
    pub item: &'a Item,
    pub criterion: &'a Criterion,
    pub own: Option<Rating>,
    pub verified: Rating,
    pub note: &'a str,
}

pub struct View<'a> {
    pub lang: Lang,
    pub loaded: &'a Loaded,
    pub id: String,
    pub mode: Mode,
    pub filter: Filter,
    /// The domain and item shown, by position.
    pub at: (usize, usize),
    /// Why the item asked for is not the one shown.
    pub notice: Option<&'static str>,
    pub answers: HashMap<&'a str, &'a AnswerRow>,
    /// The evidence linked to each criterion, oldest first.
    pub files: HashMap<&'a str, Vec<&'a Evidence>>,
    /// The auditor's note and differing ratings of a returned assessment.
    pub returned: Option<(&'a str, Vec<Difference<'a>>)>,
    pub scale: Vec<ScaleStep>,
}

impl<'a> View<'a> {
    pub fn new(loaded: &'a Loaded, lang: Lang, query: &SheetQuery) -> Self {
        let q = &*loaded.questionnaire;
        let answers: HashMap<&str, &AnswerRow> = loaded
            .answers
            .iter()
            .map(|a| (a.criterion_id.as_str(), a))
            .collect();
        let mut files: HashMap<&str, Vec<&Evidence>> = HashMap::new();
        for e in &loaded.evidence {
            for c in &e.criteria {
                files.entry(c.as_str()).or_default().push(e);
            }
        }
        let position = |id: &str| {
            q.domains.iter().enumerate().find_map(|(d, domain)| {
                domain.items.iter().position(|i| i.id == id).map(|i| (d, i))
            })
        };
        // Without a choice, the first item with something left to answer.
        let first_open = q
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| {
                i.criteria
                    .iter()
                    .any(|c| !answers.contains_key(c.id.as_str()))
            })
            .and_then(|i| position(&i.id))
            .unwrap_or((0, 0));
        let (at, notice) = match query.item.as_deref().map(position) {
            None => (first_open, None),
            Some(Some(at)) => (at, None),
            Some(None) => (
                first_open,
                Some(lang.t(
                    "问卷中没有所选的能力项，已显示第一个尚未答完的能力项。",
                    "The questionnaire has no such item; the first item with open criteria is shown.",
                )),
            ),
        };
        let status = loaded.assessment.status;
        let mode = match status {
            Status::Submitted => Mode::Submitted,
            Status::Accepted => Mode::Accepted,
            Status::Draft if loaded.editable => Mode::Edit,
            Status::Draft => Mode::Viewer,
        };
        let returned = match (&loaded.row.return_note, status) {
            (Some(note), Status::Draft) => Some((note.as_str(), differences(loaded, &answers))),
            _ => None,
        };
        let policy = Policy {
            pass_threshold: loaded.threshold,
            ..Policy::default()
        };
        Self {
            lang,
            loaded,
            id: loaded.assessment.id.to_string(),
            mode,
            filter: Filter::of(query),
            at,
            notice,
            answers,
            files,
            returned,
            scale: scale(&policy, loaded.questionnaire.guidance.as_deref()),
        }
    }

    pub fn domain(&self) -> &'a Domain {
        &self.loaded.questionnaire.domains[self.at.0]
    }

    pub fn item(&self) -> &'a Item {
        &self.domain().items[self.at.1]
    }

    pub fn domain_score(&self) -> Option<&'a DomainScore> {
        self.loaded.scores.domains.get(self.at.0)
    }

    pub fn item_score(&self) -> Option<&'a ItemScore> {
        self.domain_score().and_then(|d| d.items.get(self.at.1))
    }

    pub fn answer(&self, criterion: &str) -> Option<&'a AnswerRow> {
        self.answers.get(criterion).copied()
    }

    /// Answered and all criteria of an item.
    pub fn progress(&self, item: &Item) -> (usize, usize) {
        let answered = item
            .criteria
            .iter()
            .filter(|c| self.answers.contains_key(c.id.as_str()))
            .count();
        (answered, item.criteria.len())
    }

    /// The status in words: 未开始 / 填写中 / 已退回 / 待审核 / 已通过.
    pub fn status_word(&self) -> &'static str {
        status_word(
            self.lang,
            self.loaded.assessment.status,
            self.returned.is_some(),
            self.answers.len(),
        )
    }

    /// The link to another item of this page, with the filter kept.
    pub fn item_link(&self, item: &Item) -> String {
        self.lang.link(&format!(
            "/assessments/{}?item={}{}",
            self.id,
            crate::web::html::encode(&item.id),
            self.filter.query()
        ))
    }

    /// The rating's name on the scale.
    pub fn rating_name(&self, rating: Rating) -> &str {
        self.scale
            .iter()
            .find(|s| s.rating == rating)
            .map_or("", |s| s.name.get(self.lang))
    }
}

pub fn status_word(lang: Lang, status: Status, returned: bool, answered: usize) -> &'static str {
    crate::domain::assessment::Stage::of(status, answered > 0, returned).label(lang)
}

/// The verified ratings that differ from the enterprise's answers, in questionnaire order.
fn differences<'a>(loaded: &'a Loaded, answers: &HashMap<&str, &AnswerRow>) -> Vec<Difference<'a>> {
    let verified: HashMap<&str, _> = loaded
        .verified
        .iter()
        .map(|v| (v.criterion_id.as_str(), v))
        .collect();
    let mut out = Vec::new();
    for item in loaded.questionnaire.domains.iter().flat_map(|d| &d.items) {
        for c in &item.criteria {
            let Some(v) = verified.get(c.id.as_str()) else {
                continue;
            };
            let own = answers.get(c.id.as_str()).map(|a| a.rating);
            if own != Some(v.rating) {
                out.push(Difference {
                    item,
                    criterion: c,
                    own,
                    verified: v.rating,
                    note: &v.note,
                });
            }
        }
    }
    out
}
