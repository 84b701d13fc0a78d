//! What the page draws, worked out from what was loaded: the item shown, the filter, whether
//! anything may change, the auditor's differing ratings. Pure, so the renderer can be tested
//! without a database.

use std::collections::{HashMap, HashSet};

use super::{Loaded, SheetQuery};
use crate::assessment::review::{EarlierRating, SavedRating};
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
    /// A submitted assessment on its review page: the enterprise's answers read-only, the
    /// auditor's verified rating and note beside each criterion (`may_rate`: the viewer is an
    /// auditor of the cluster, not an admin looking on).
    Review {
        may_rate: bool,
    },
}

impl Mode {
    pub fn editable(self) -> bool {
        self == Self::Edit
    }
}

/// Which criteria of the item are shown: all, only the unanswered, only one level; on the
/// review page also only the sampled, those with evidence, those re-rated, one domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unanswered: bool,
    pub level: Option<u8>,
    pub sampled: bool,
    pub evidence: bool,
    pub rerated: bool,
    /// A domain id: the navigation lists only its items.
    pub domain: Option<String>,
}

fn on(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "on" | "true"))
}

impl Filter {
    pub fn of(query: &SheetQuery) -> Self {
        Self {
            unanswered: on(&query.unanswered),
            level: query
                .level
                .as_deref()
                .and_then(|l| l.parse::<u8>().ok())
                .filter(|l| (1..=5).contains(l)),
            sampled: on(&query.sampled),
            evidence: on(&query.evidence),
            rerated: on(&query.rerated),
            domain: query.domain.clone().filter(|d| !d.is_empty()),
        }
    }

    /// The filter as query pairs to append to a link (`&unanswered=1&level=2`), or nothing.
    pub fn query(&self) -> String {
        let mut out = String::new();
        for (on, key) in [
            (self.unanswered, "unanswered"),
            (self.sampled, "sampled"),
            (self.evidence, "evidence"),
            (self.rerated, "rerated"),
        ] {
            if on {
                out.push_str(&format!("&{key}=1"));
            }
        }
        if let Some(l) = self.level {
            out.push_str(&format!("&level={l}"));
        }
        if let Some(d) = &self.domain {
            out.push_str(&format!("&domain={}", crate::web::html::encode(d)));
        }
        out
    }
}

/// The review in progress as the page shows it, by criterion.
pub struct ReviewView<'a> {
    pub saved: HashMap<&'a str, &'a SavedRating>,
    pub earlier: HashMap<&'a str, &'a EarlierRating>,
    pub sampled: HashSet<&'a str>,
}

impl ReviewView<'_> {
    /// The verified rating as the review stands: this review's, else an earlier review's.
    pub fn verified(&self, criterion: &str) -> Option<Rating> {
        self.saved
            .get(criterion)
            .map(|r| r.rating)
            .or_else(|| self.earlier.get(criterion).map(|r| r.rating))
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
    pub review: Option<ReviewView<'a>>,
    /// The hidden CSRF field of the page's forms (the review page has some).
    pub csrf: String,
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
        let filter = Filter::of(query);
        let in_domain = |at: (usize, usize)| {
            filter
                .domain
                .as_deref()
                .is_none_or(|d| q.domains[at.0].id == d)
        };
        let first_open = match filter.domain.as_deref() {
            Some(d) if !in_domain(first_open) => q
                .domains
                .iter()
                .position(|x| x.id == d)
                .map_or(first_open, |i| (i, 0)),
            _ => first_open,
        };
        let (at, notice) = match query.item.as_deref().map(position) {
            None => (first_open, None),
            Some(Some(at)) if in_domain(at) => (at, None),
            Some(Some(_)) => (first_open, None),
            Some(None) => (
                first_open,
                Some(lang.t(
                    "问卷中没有所选的能力项，已显示第一个尚未答完的能力项。",
                    "The questionnaire has no such item; the first item with open criteria is shown.",
                )),
            ),
        };
        let status = loaded.assessment.status;
        let mode = match (status, &loaded.review) {
            (Status::Submitted, Some(r)) => Mode::Review {
                may_rate: r.may_rate,
            },
            (Status::Submitted, None) => Mode::Submitted,
            (Status::Accepted, _) => Mode::Accepted,
            (Status::Draft, _) if loaded.editable => Mode::Edit,
            (Status::Draft, _) => Mode::Viewer,
        };
        let review = match mode {
            Mode::Review { .. } => loaded.review.as_ref().map(|r| ReviewView {
                saved: r
                    .progress
                    .ratings
                    .iter()
                    .map(|x| (x.criterion.as_str(), x))
                    .collect(),
                earlier: r
                    .progress
                    .earlier
                    .iter()
                    .map(|x| (x.criterion.as_str(), x))
                    .collect(),
                sampled: r
                    .progress
                    .sample
                    .iter()
                    .flat_map(|s| &s.criteria)
                    .map(String::as_str)
                    .collect(),
            }),
            _ => None,
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
            filter,
            at,
            notice,
            answers,
            files,
            returned,
            scale: scale(&policy, loaded.questionnaire.guidance.as_deref()),
            review,
            csrf: String::new(),
        }
    }

    /// Whether the filter keeps criterion `c`.
    pub fn keeps(&self, c: &Criterion) -> bool {
        let f = &self.filter;
        let answered = self.answers.contains_key(c.id.as_str());
        if (f.unanswered && answered) || f.level.is_some_and(|l| l != c.level) {
            return false;
        }
        if f.evidence && self.files.get(c.id.as_str()).is_none_or(Vec::is_empty) {
            return false;
        }
        match &self.review {
            Some(r) => {
                (!f.sampled || r.sampled.contains(c.id.as_str())) && (!f.rerated || self.rerated(c))
            }
            None => true,
        }
    }

    /// On the review page: whether the verified rating as the review stands differs from the
    /// enterprise's own.
    pub fn rerated(&self, c: &Criterion) -> bool {
        self.review.as_ref().is_some_and(|r| {
            r.verified(&c.id)
                .is_some_and(|v| Some(v) != self.answer(&c.id).map(|a| a.rating))
        })
    }

    /// The page's path: the questionnaire, or the review page.
    pub fn base(&self) -> String {
        match self.mode {
            Mode::Review { .. } => format!("/assessments/{}/review", self.id),
            _ => format!("/assessments/{}", self.id),
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
            "{}?item={}{}",
            self.base(),
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
