//! A crosswalk between two DCMM editions: which criteria of the earlier edition each criterion
//! of the later one takes over. Answers are carried over through it, and the change between
//! campaigns on different editions pairs domains and items through it.
//!
//! Items pair when their criteria map only into each other: every mapped criterion of the
//! earlier item goes into the later item, and every criterion of the later item that takes
//! anything over takes it from the earlier item. An item whose criteria split across several
//! items (2018 12.2 into 2025 10.2 and 10.3) pairs with none. Domains pair by the same rule.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::model::{Questionnaire, Text};

/// One criterion of the later edition and the criteria of the earlier one it takes over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub to: String,
    pub from: Vec<String>,
}

/// A criterion of the earlier edition left without a counterpart, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub from: String,
    pub why: Text,
}

/// How the crosswalk joins the two questionnaires it was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Later criteria taking over exactly one earlier criterion.
    pub one_to_one: usize,
    /// Later criteria taking over several earlier criteria.
    pub many_to_one: usize,
    /// The earlier criteria merged into those.
    pub merged: usize,
    /// Later criteria taking nothing over.
    pub new: usize,
    /// Earlier criteria listed as dropped.
    pub dropped: usize,
    /// Earlier criteria the file does not name at all (added after it was written).
    pub unmapped: usize,
    pub items_paired: usize,
    pub domains_paired: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    pub id: String,
    pub hash: String,
    /// The questionnaire ids and editions it joins, earlier first.
    pub from: String,
    pub to: String,
    pub from_edition: String,
    pub to_edition: String,
    links: Vec<Link>,
    dropped: Vec<Dropped>,
    by_target: HashMap<String, usize>,
    /// Paired items and domains, `(earlier id, later id)`, in the later edition's order.
    items: Vec<(String, String)>,
    domains: Vec<(String, String)>,
    counts: Counts,
}

/// The domain and item id of every criterion of a questionnaire.
fn places(q: &Questionnaire) -> HashMap<&str, (&str, &str)> {
    q.domains
        .iter()
        .flat_map(|d| {
            d.items.iter().flat_map(move |i| {
                i.criteria
                    .iter()
                    .map(move |c| (c.id.as_str(), (d.id.as_str(), i.id.as_str())))
            })
        })
        .collect()
}

/// The pairs `(a, b)` where `a` reaches only `b` and `b` is reached only from `a`.
fn exclusive(edges: &BTreeSet<(&str, &str)>, order: &[&str]) -> Vec<(String, String)> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut into: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, b) in edges {
        out.entry(a).or_default().push(b);
        into.entry(b).or_default().push(a);
    }
    order
        .iter()
        .filter_map(|b| match into.get(b).map(Vec::as_slice) {
            Some([a]) if out.get(a).map(Vec::len) == Some(1) => {
                Some(((*a).to_owned(), (*b).to_owned()))
            }
            _ => None,
        })
        .collect()
}

impl Crosswalk {
    /// A crosswalk whose ids were checked against `from` and `to`.
    pub(crate) fn new(
        id: String,
        hash: String,
        from: &Questionnaire,
        to: &Questionnaire,
        links: Vec<Link>,
        dropped: Vec<Dropped>,
    ) -> Self {
        let (fp, tp) = (places(from), places(to));
        let mut item_edges = BTreeSet::new();
        let mut domain_edges = BTreeSet::new();
        for l in &links {
            let Some(&(td, ti)) = tp.get(l.to.as_str()) else {
                continue;
            };
            for f in &l.from {
                if let Some(&(fd, fi)) = fp.get(f.as_str()) {
                    item_edges.insert((fi, ti));
                    domain_edges.insert((fd, td));
                }
            }
        }
        let item_order: Vec<&str> = to
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .map(|i| i.id.as_str())
            .collect();
        let domain_order: Vec<&str> = to.domains.iter().map(|d| d.id.as_str()).collect();
        let items = exclusive(&item_edges, &item_order);
        let domains = exclusive(&domain_edges, &domain_order);
        let named: usize = links.iter().map(|l| l.from.len()).sum::<usize>() + dropped.len();
        let counts = Counts {
            one_to_one: links.iter().filter(|l| l.from.len() == 1).count(),
            many_to_one: links.iter().filter(|l| l.from.len() > 1).count(),
            merged: links
                .iter()
                .filter(|l| l.from.len() > 1)
                .map(|l| l.from.len())
                .sum(),
            new: to.criterion_count() - links.len(),
            dropped: dropped.len(),
            unmapped: from.criterion_count() - named,
            items_paired: items.len(),
            domains_paired: domains.len(),
        };
        let by_target = links
            .iter()
            .enumerate()
            .map(|(n, l)| (l.to.clone(), n))
            .collect();
        Self {
            id,
            hash,
            from: from.id.clone(),
            to: to.id.clone(),
            from_edition: from.edition.clone(),
            to_edition: to.edition.clone(),
            links,
            dropped,
            by_target,
            items,
            domains,
            counts,
        }
    }

    /// Whether it joins these two questionnaires, in either order.
    pub fn joins(&self, a: &str, b: &str) -> bool {
        (self.from == a && self.to == b) || (self.from == b && self.to == a)
    }

    pub fn links(&self) -> &[Link] {
        &self.links
    }

    pub fn dropped(&self) -> &[Dropped] {
        &self.dropped
    }

    /// The earlier criteria a later criterion takes over; `None` when it is new.
    pub fn sources(&self, to: &str) -> Option<&[String]> {
        self.by_target
            .get(to)
            .and_then(|n| self.links.get(*n))
            .map(|l| l.from.as_slice())
    }

    /// Paired items `(earlier id, later id)`.
    pub fn item_pairs(&self) -> &[(String, String)] {
        &self.items
    }

    /// Paired domains `(earlier id, later id)`.
    pub fn domain_pairs(&self) -> &[(String, String)] {
        &self.domains
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }
}

#[cfg(test)]
#[path = "crosswalk_tests.rs"]
mod tests;
