//! Submitting an assessment: what is left unanswered, grouped as the questionnaire is, and
//! the submission, which happens whole or not at all.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;

use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Decision, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments;
use crate::db::campaigns::{self, CampaignRow};
use crate::db::refs::{self, AssessmentRef};
use crate::db::DbConnection;
use crate::domain::assessment::Status;
use crate::domain::sharing::Detail;
use crate::error::{AppError, FieldErrors};
use crate::ids::AssessmentId;
use crate::questionnaire::{Criterion, Domain, Item, Questionnaire};
use crate::state::AppState;

/// The unanswered criteria of one item, in questionnaire order.
#[derive(Debug, Clone)]
pub struct ItemGaps<'q> {
    pub item: &'q Item,
    pub criteria: Vec<&'q Criterion>,
}

/// The items of one domain with unanswered criteria.
#[derive(Debug, Clone)]
pub struct DomainGaps<'q> {
    pub domain: &'q Domain,
    pub items: Vec<ItemGaps<'q>>,
}

/// Every criterion of `q` not in `answered`, by domain and item; domains and items with
/// nothing left are left out.
pub fn gaps<'q>(q: &'q Questionnaire, answered: &HashSet<String>) -> Vec<DomainGaps<'q>> {
    q.domains
        .iter()
        .filter_map(|domain| {
            let items: Vec<ItemGaps<'q>> = domain
                .items
                .iter()
                .filter_map(|item| {
                    let criteria: Vec<&Criterion> = item
                        .criteria
                        .iter()
                        .filter(|c| !answered.contains(&c.id))
                        .collect();
                    (!criteria.is_empty()).then_some(ItemGaps { item, criteria })
                })
                .collect();
            (!items.is_empty()).then_some(DomainGaps { domain, items })
        })
        .collect()
}

/// What the submit check shows: the assessment, what is left, and whether the caller may
/// submit it.
#[derive(Debug, Clone)]
pub struct Check {
    pub assessment: AssessmentRef,
    pub campaign: CampaignRow,
    pub questionnaire: Arc<Questionnaire>,
    pub answered: HashSet<String>,
    /// The auditor's note when the assessment was returned for changes.
    pub return_note: Option<String>,
    /// The caller's role may submit it (whether it can be submitted now is
    /// [`Check::ready`]).
    pub may_submit: bool,
}

impl Check {
    pub fn gaps(&self) -> Vec<DomainGaps<'_>> {
        gaps(&self.questionnaire, &self.answered)
    }

    pub fn missing(&self) -> usize {
        self.questionnaire
            .criteria()
            .filter(|c| !self.answered.contains(&c.id))
            .count()
    }

    /// A draft with nothing left unanswered.
    pub fn ready(&self) -> bool {
        self.assessment.status.is_editable() && self.missing() == 0
    }
}

/// The submit check of assessment `id` as `user` may see it (it shows which criteria are
/// answered: the answers' access rule).
pub fn check(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
) -> Result<Check, AppError> {
    let a = access::assessment(conn, user, id, Action::Read, Some(Detail::Answers))?;
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let row = assessments::find(conn, a.id)?;
    let campaign = campaigns::find(conn, a.campaign_id)?;
    let answered = answered(conn, a.id)?;
    let may_submit = policy::decide(
        &user.actor,
        Action::Submit,
        &Resource::new(Kind::Assessment, a.tenancy()),
    ) == Decision::Allow;
    Ok(Check {
        return_note: row.return_note.filter(|_| a.status.is_editable()),
        assessment: a,
        campaign,
        questionnaire: q,
        answered,
        may_submit,
    })
}

fn answered(conn: &mut DbConnection, id: AssessmentId) -> Result<HashSet<String>, AppError> {
    Ok(assessments::answers_of(conn, id)?
        .into_iter()
        .map(|r| r.criterion_id)
        .collect())
}

/// Hands assessment `id` in for review, in one transaction with its audit entry. Every
/// criterion must be answered: otherwise a 422 whose `missing` field lists the unanswered
/// criterion ids, and nothing changes. Afterwards the assessment is frozen.
pub fn submit(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
) -> Result<AssessmentRef, AppError> {
    audit::write_tx(conn, |c| {
        let a = access::assessment(c, user, id, Action::Submit, None)?;
        access::require_draft(&a)?;
        let q = state.questionnaire(c, &a.questionnaire_id, &a.questionnaire_hash)?;
        let answered = answered(c, a.id)?;
        let missing: Vec<String> = gaps(&q, &answered)
            .iter()
            .flat_map(|d| &d.items)
            .flat_map(|i| &i.criteria)
            .map(|cr| cr.id.clone())
            .collect();
        if !missing.is_empty() {
            return Err(AppError::Validation {
                message: format!(
                    "{} of {} criteria are unanswered",
                    missing.len(),
                    q.criterion_count()
                ),
                fields: FieldErrors::from([("missing".to_owned(), missing)]),
            });
        }
        assessments::submit(c, a.id, Utc::now().naive_utc())?;
        assessments::store_sheets(c, &q, a.id, &state.settings.policy)?;
        audit::append(
            c,
            Entry::new(user, "assessment.submit", "assessment", a.id)
                .cluster(a.enterprise.cluster_id)
                .before(&serde_json::json!({"status": a.status}))
                .after(&serde_json::json!({"status": Status::Submitted})),
        )?;
        Ok(refs::assessment(c, a.id)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;

    #[test]
    fn gaps_are_grouped_by_domain_and_item_in_questionnaire_order() {
        let registry = Registry::built_in().unwrap();
        let q = registry.default_dcmm().unwrap();
        let mut answered: HashSet<String> = q.criteria().map(|c| c.id.clone()).collect();
        assert!(gaps(q, &answered).is_empty());
        let last_domain = q.domains.last().unwrap();
        let item = &last_domain.items[0];
        for c in item.criteria.iter().skip(1).take(2) {
            answered.remove(&c.id);
        }
        let first = &q.domains[0].items[1].criteria[0];
        answered.remove(&first.id);
        let left = gaps(q, &answered);
        assert_eq!(left.len(), 2);
        assert_eq!(left[0].domain.id, q.domains[0].id);
        assert_eq!(left[0].items.len(), 1);
        assert_eq!(left[0].items[0].criteria[0].id, first.id);
        assert_eq!(left[1].domain.id, last_domain.id);
        assert_eq!(left[1].items[0].item.id, item.id);
        let ids: Vec<&str> = left[1].items[0]
            .criteria
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, [&item.criteria[1].id, &item.criteria[2].id]);
        assert_eq!(gaps(q, &HashSet::new()).len(), q.domains.len());
    }
}
