//! The questionnaire page of an assessment (`/assessments/{id}`): one capability item at a
//! time (`?item=`), with the domain → item navigation and each domain's progress beside it.
//! For every criterion of the item, grouped by level: its text, evidence hint, rating, comment
//! and evidence. `questionnaire.js` saves each change at once through the API and redraws the
//! scores from `GET /api/v1/assessments/{id}/score`; the page shows the same figures at load,
//! from the same service.
//!
//! Read-only (submitted, accepted, or a viewer who does not answer) is a mode of the one
//! renderer: the same markup with nothing to change.

mod criterion;
mod markup;
mod review;
#[cfg(test)]
mod tests;
mod view;

use std::collections::HashSet;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::html::{error_page, here, page_with, respond};
use super::session::PageUser;
use crate::access;
use crate::auth::policy::{self, Action, Decision, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::assessments::{self, AnswerRow, AssessmentRow, VerifiedRow};
use crate::db::campaigns::{self, CampaignRow};
use crate::db::evidence::{self, Evidence};
use crate::db::refs::AssessmentRef;
use crate::db::DbConnection;
use crate::domain::sharing::Detail;
use crate::error::AppError;
use crate::ids::AssessmentId;
use crate::questionnaire::Questionnaire;
use crate::scoring::ScoreReport;
use crate::state::{db_call, AppState, State};

pub use review::{confirm, decide, draw_sample, show as review};
pub use view::View;

/// At most this many files of an assessment are listed (far more than any assessment has).
const EVIDENCE_LIMIT: i64 = 2000;

/// `?item=` (an item id), `?unanswered=1`, `?level=1..5`; on the review page also `?sampled=1`,
/// `?evidence=1`, `?rerated=1`, `?domain=`; anything else is ignored.
#[derive(Debug, Default, Deserialize)]
pub struct SheetQuery {
    pub item: Option<String>,
    pub unanswered: Option<String>,
    pub level: Option<String>,
    pub sampled: Option<String>,
    pub evidence: Option<String>,
    pub rerated: Option<String>,
    pub domain: Option<String>,
}

pub async fn show(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<String>,
    query: web::Query<SheetQuery>,
) -> HttpResponse {
    let lang = page_user.lang;
    let back = here(&req);
    // A malformed id is a page that does not exist, like another tenant's.
    let Ok(id) = path.parse::<AssessmentId>() else {
        return error_page(lang, &AppError::NotFound, &back);
    };
    let user = page_user.user.clone();
    match db_call(&state, move |s, conn| Loaded::load(s, conn, &user, id)).await {
        Ok(loaded) => {
            let view = View::new(&loaded, lang, &query);
            let title = format!(
                "{} · {}",
                view.item().name.get(lang),
                lang.t("自评问卷", "Questionnaire")
            );
            let body = markup::body(&view);
            respond(
                StatusCode::OK,
                page_with(lang, &title, Some(&page_user), &body, &["questionnaire.js"]),
            )
        }
        Err(e) => error_page(lang, &e, &back),
    }
}

/// Everything the page shows of one assessment, read in one go.
#[derive(Debug)]
pub struct Loaded {
    pub assessment: AssessmentRef,
    pub row: AssessmentRow,
    pub campaign: CampaignRow,
    pub questionnaire: Arc<Questionnaire>,
    pub answers: Vec<AnswerRow>,
    /// Answers carried over from the previous assessment and not yet confirmed, by criterion.
    pub carried: HashSet<String>,
    pub verified: Vec<VerifiedRow>,
    pub evidence: Vec<Evidence>,
    /// As the enterprise rated itself: the provisional figures the page shows.
    pub scores: ScoreReport,
    /// The viewer may answer and the assessment is a draft.
    pub editable: bool,
    /// The scoring policy's pass threshold τ (0–100), which a level's score must reach.
    pub threshold: u32,
    /// On the review page: the review in progress.
    pub review: Option<ReviewLoaded>,
    /// The viewer is an auditor of the cluster, who may review the assessment once submitted.
    pub may_review: bool,
}

/// The review in progress of a submitted assessment, for its review page.
#[derive(Debug)]
pub struct ReviewLoaded {
    pub progress: crate::assessment::review::InProgress,
    /// The viewer is an auditor of the cluster (an admin only looks on).
    pub may_rate: bool,
}

impl Loaded {
    /// The assessment as `user` may read its answers: another tenant's is a 404, a cluster
    /// manager needs the enterprise to share them.
    pub fn load(
        state: &AppState,
        conn: &mut DbConnection,
        user: &AuthUser,
        id: AssessmentId,
    ) -> Result<Self, AppError> {
        let a = access::assessment(conn, user, id, Action::Read, Some(Detail::Answers))?;
        let questionnaire =
            state.questionnaire(conn, &a.questionnaire_id, &a.questionnaire_hash)?;
        let may_answer = policy::decide(
            &user.actor,
            Action::Update,
            &Resource::new(Kind::Assessment, a.tenancy()),
        ) == Decision::Allow;
        let may_review = policy::decide(
            &user.actor,
            Action::Review,
            &Resource::new(Kind::Assessment, a.tenancy()),
        ) == Decision::Allow;
        let answers = assessments::answers_of(conn, a.id)?;
        let carried = assessments::carried_of(conn, a.id)?.into_iter().collect();
        let verified = assessments::verified_of(conn, a.id)?;
        let scores =
            crate::assessment::scores_of(state, &questionnaire, &a, &answers, &verified, None).own;
        Ok(Self {
            row: assessments::find(conn, a.id)?,
            campaign: campaigns::find(conn, a.campaign_id)?,
            answers,
            carried,
            verified,
            evidence: evidence::list(conn, a.id, None, EVIDENCE_LIMIT)?,
            editable: may_answer && a.status.is_editable(),
            threshold: state.settings.policy.pass_threshold,
            questionnaire,
            scores,
            assessment: a,
            review: None,
            may_review,
        })
    }

    /// [`Loaded::load`] for the review page: the cluster's auditors and admins, with the review
    /// in progress when the assessment waits for review.
    pub fn load_review(
        state: &AppState,
        conn: &mut DbConnection,
        user: &AuthUser,
        id: AssessmentId,
    ) -> Result<Self, AppError> {
        let mut loaded = Self::load(state, conn, user, id)?;
        if !crate::assessment::review::may_read(user, &loaded.assessment) {
            return Err(AppError::Forbidden);
        }
        if loaded.assessment.status == crate::domain::assessment::Status::Submitted {
            let may_rate = loaded.may_review;
            let progress = crate::assessment::review::load_with(
                state,
                conn,
                &loaded.questionnaire,
                &loaded.assessment,
                &loaded.answers,
                &loaded.verified,
            )?;
            loaded.review = Some(ReviewLoaded { progress, may_rate });
        }
        Ok(loaded)
    }
}
