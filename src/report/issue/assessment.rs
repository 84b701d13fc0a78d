//! The enterprise report's model of one assessment, loaded from storage: what the PDF and the
//! results page both draw.

use chrono::Utc;

use crate::access;
use crate::auth::policy::Action;
use crate::auth::AuthUser;
use crate::campaign::{load, Previous};
use crate::db::evidence as evidence_rows;
use crate::db::refs::AssessmentRef;
use crate::db::{assessments, campaigns, enterprises, own_assessments, profiles, DbConnection};
use crate::domain::assessment::Status;
use crate::domain::sharing::Detail;
use crate::error::AppError;
use crate::ids::AssessmentId;
use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Lang, PROFILE_ID};
use crate::report::cluster::Lookups;
use crate::report::enterprise::{
    enterprise_report, BenchmarkFacts, EnterpriseReport, EvidenceEntry, Facts, Note, PreviousFacts,
    RatingFact,
};
use crate::scoring::rollup::{benchmark, RollupPolicy};
use crate::scoring::{evaluate, score, Sheet};
use crate::state::AppState;

/// The most evidence entries an enterprise report lists.
const MAX_EVIDENCE: i64 = 10_000;

/// The enterprise report of assessment `id` with the assessment, as `user` may read it
/// (`None`: the command line, which reads everything). A cluster manager needs the
/// enterprise to share `full`.
pub fn assessment_report(
    state: &AppState,
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    id: AssessmentId,
    lang: Lang,
) -> Result<(AssessmentRef, EnterpriseReport), AppError> {
    let a = match user {
        Some(user) => access::assessment(conn, user, id, Action::Read, Some(Detail::Report))?,
        None => crate::db::refs::assessment(conn, id)?,
    };
    let model = model(state, conn, &a, lang)?;
    Ok((a, model))
}

fn model(
    state: &AppState,
    conn: &mut DbConnection,
    a: &AssessmentRef,
    lang: Lang,
) -> Result<EnterpriseReport, AppError> {
    let q = state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
    let row = assessments::find(conn, a.id)?;
    let enterprise = enterprises::find(conn, a.enterprise.id)?;
    let campaign = campaigns::find(conn, a.campaign_id)?;
    let (own, verified) = assessments::sheets(conn, &q, a.id)?;
    let target = u8::try_from(a.target_level).ok();
    let policy = &state.settings.policy;
    let own_scores = evaluate(&q, &own, policy, target);
    // Verified scores only once an auditor accepted the assessment: before that the verified
    // sheet is the enterprise's own ratings.
    let accepted = a.status == Status::Accepted;
    let verified_scores = accepted.then(|| evaluate(&q, &verified, policy, target));
    let reviews = assessments::reviews_with_auditors(conn, a.id)?;
    let mut rerated: Vec<(usize, RatingFact)> = assessments::verified_of(conn, a.id)?
        .into_iter()
        .filter_map(|v| {
            let n = q.index_of(&v.criterion_id)?;
            Some((
                n,
                RatingFact {
                    self_rating: own.0.get(n).copied().flatten(),
                    criterion: v.criterion_id,
                    verified: v.rating,
                    note: v.note,
                },
            ))
        })
        .collect();
    rerated.sort_by_key(|(n, _)| *n);
    let evidence = evidence_rows::list(conn, a.id, None, MAX_EVIDENCE)?;
    let profile_row = profiles::find(conn, enterprise.id)?;
    let answers: Option<ProfileAnswers> = match &profile_row {
        Some(p) => Some(
            serde_json::from_str(&p.answers_json)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored profile answers: {e}")))?,
        ),
        None => None,
    };
    let profile_q = state.questionnaires.profile(PROFILE_ID).cloned();
    let as_of = [Some(row.updated_at), row.reviewed_at]
        .into_iter()
        .flatten()
        .chain(profile_row.as_ref().map(|p| p.updated_at))
        .chain(evidence.iter().map(|e| e.row.created_at))
        .chain(reviews.iter().map(|(r, _)| r.created_at))
        .max()
        .unwrap_or(row.updated_at);
    let benchmarked = if accepted {
        let loaded = load(
            state,
            conn,
            campaign.clone(),
            Utc::now().date_naive(),
            Previous::Skip,
        )?;
        let found = loaded
            .with_input(|input, _| benchmark(input, a.enterprise.id, &RollupPolicy::default()));
        let lookups = Lookups::of_profile(profile_q.as_deref());
        found.ok().map(|b| BenchmarkFacts {
            benchmark: b,
            industry: lookups.industry(&enterprise.industry, lang),
            size: enterprise.size.label(lang).to_owned(),
        })
    } else {
        None
    };
    let earlier = own_assessments::accepted_before(conn, enterprise.id, campaign.id)?;
    let earlier = match earlier {
        Some((row, c)) => {
            let pq = state.questionnaire(conn, &row.questionnaire_id, &row.questionnaire_hash)?;
            let card = row
                .verified_sheet
                .as_deref()
                .and_then(|s| Sheet::from_compact(&pq, s))
                .map(|s| score(&pq, &s, policy));
            card.map(|card| (c.name, pq, card))
        }
        None => None,
    };
    let facts = Facts {
        enterprise: enterprise.name,
        credit_code: enterprise.credit_code,
        campaign: campaign.name,
        status: a.status,
        as_of: as_of.date(),
        target,
        profile: profile_q.as_deref().zip(answers.as_ref()),
        policy,
        notes: reviews
            .into_iter()
            .map(|(r, auditor)| Note {
                auditor,
                at: r.created_at,
                decision: r.decision.to_string(),
                text: r.note,
            })
            .collect(),
        rerated: rerated.into_iter().map(|(_, f)| f).collect(),
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceEntry {
                file_name: e.row.file_name,
                sha256: e.row.sha256,
                size_bytes: e.row.size_bytes,
                criteria: e.criteria,
            })
            .collect(),
        unanswered: q.criterion_count().saturating_sub(own.answered()),
        benchmark: benchmarked,
        previous: earlier.as_ref().map(|(campaign, pq, card)| PreviousFacts {
            campaign: campaign.clone(),
            questionnaire: pq,
            verified: card,
            crosswalk: state
                .questionnaires
                .crosswalk_between(&pq.id, &q.id)
                .map(AsRef::as_ref),
        }),
    };
    Ok(enterprise_report(
        &q,
        &own_scores,
        verified_scores.as_ref(),
        facts,
        lang,
    ))
}
