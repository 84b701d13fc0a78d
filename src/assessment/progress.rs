//! Progress: the criteria answered, per domain and in all.

use std::collections::HashSet;

use serde::Serialize;

use crate::db::assessments::AnswerRow;
use crate::questionnaire::{Questionnaire, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DomainProgress {
    pub id: String,
    pub name: Text,
    pub answered: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
    pub domains: Vec<DomainProgress>,
}

impl Progress {
    pub fn complete(&self) -> bool {
        self.answered == self.total
    }
}

/// The progress of the answers `answers` on `q`.
pub fn progress(q: &Questionnaire, answers: &[AnswerRow]) -> Progress {
    let answered: HashSet<&str> = answers.iter().map(|a| a.criterion_id.as_str()).collect();
    progress_of(q, &answered)
}

/// The progress on `q` when the criteria `answered` are answered (ids `q` does not have are
/// not counted).
pub fn progress_of(q: &Questionnaire, answered: &HashSet<&str>) -> Progress {
    let domains: Vec<DomainProgress> = q
        .domains
        .iter()
        .map(|d| {
            let ids = d.items.iter().flat_map(|i| &i.criteria);
            let (total, done) = ids.fold((0, 0), |(t, n), c| {
                (t + 1, n + usize::from(answered.contains(c.id.as_str())))
            });
            DomainProgress {
                id: d.id.clone(),
                name: d.name.clone(),
                answered: done,
                total,
            }
        })
        .collect();
    Progress {
        answered: domains.iter().map(|d| d.answered).sum(),
        total: q.criterion_count(),
        domains,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;

    #[test]
    fn answers_count_in_their_domain_and_unknown_ids_not_at_all() {
        let registry = Registry::built_in().unwrap();
        let q = registry.default_dcmm().unwrap();
        let first = &q.domains[0];
        let ids: Vec<&str> = first.items[0]
            .criteria
            .iter()
            .map(|c| c.id.as_str())
            .take(2)
            .chain(["2025:99:L1:1"])
            .collect();
        let p = progress_of(q, &ids.into_iter().collect());
        assert_eq!((p.answered, p.total), (2, q.criterion_count()));
        assert_eq!(p.domains.len(), q.domains.len());
        assert_eq!(p.domains[0].answered, 2);
        assert!(p.domains[1..].iter().all(|d| d.answered == 0));
        assert_eq!(
            p.domains.iter().map(|d| d.total).sum::<usize>(),
            q.criterion_count()
        );
        assert!(!p.complete());
    }
}
