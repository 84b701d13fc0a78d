//! The questionnaires over the API: which are loaded, and the whole content of one (its current
//! version, or any version an assessment is pinned to, by content hash) with the rating scale.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::questionnaire::model::Text;
use crate::questionnaire::{Profile, Questionnaire};
use crate::scoring::scale::{scale, ScaleStep};
use crate::state::{db_call, AppState, State};

/// A loaded questionnaire, without its content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionnaireSummary {
    #[schema(example = "dcmm-2025")]
    pub id: String,
    /// `dcmm` (scored, with domains, items and criteria) or `profile` (the enterprise profile).
    #[schema(example = "dcmm")]
    pub kind: &'static str,
    /// The DCMM edition; none for the profile.
    #[schema(example = "2025")]
    pub edition: Option<String>,
    pub title: Text,
    pub domains: usize,
    pub items: usize,
    pub criteria: usize,
    /// Profile questions; 0 for a DCMM questionnaire.
    pub questions: usize,
    /// The content hash of the current version: `…/versions/{hash}` serves it for good.
    pub hash: String,
}

impl QuestionnaireSummary {
    fn dcmm(q: &Questionnaire) -> Self {
        Self {
            id: q.id.clone(),
            kind: "dcmm",
            edition: Some(q.edition.clone()),
            title: q.title.clone(),
            domains: q.domains.len(),
            items: q.item_count(),
            criteria: q.criterion_count(),
            questions: 0,
            hash: q.hash.clone(),
        }
    }

    fn profile(p: &Profile) -> Self {
        Self {
            id: p.id.clone(),
            kind: "profile",
            edition: None,
            title: p.title.clone(),
            domains: 0,
            items: 0,
            criteria: 0,
            questions: p.questions.len(),
            hash: p.hash.clone(),
        }
    }
}

/// A DCMM questionnaire's whole content, as `dcmm questionnaire export` prints it, with the
/// rating scale.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DcmmContent {
    #[serde(flatten)]
    pub questionnaire: Questionnaire,
    pub rating_scale: Vec<ScaleStep>,
}

/// The enterprise profile's questions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileContent {
    #[serde(flatten)]
    pub profile: Profile,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum QuestionnaireContent {
    Dcmm(DcmmContent),
    Profile(ProfileContent),
}

impl QuestionnaireContent {
    fn hash(&self) -> &str {
        match self {
            Self::Dcmm(c) => &c.questionnaire.hash,
            Self::Profile(c) => &c.profile.hash,
        }
    }
}

fn require_read(user: &AuthUser, action: Action) -> Result<(), AppError> {
    policy::require(&user.actor, action, &Resource::global(Kind::Questionnaire))
}

/// The current content of questionnaire `id`; none when there is no such questionnaire.
fn current(state: &AppState, id: &str) -> Option<QuestionnaireContent> {
    if let Some(q) = state.questionnaires.dcmm(id) {
        return Some(QuestionnaireContent::Dcmm(DcmmContent {
            questionnaire: (**q).clone(),
            rating_scale: scale(&state.settings.policy, q.guidance.as_deref()),
        }));
    }
    state.questionnaires.profile(id).map(|p| {
        QuestionnaireContent::Profile(ProfileContent {
            profile: (**p).clone(),
        })
    })
}

/// The content as JSON, made once per questionnaire version (and scale), with its strong
/// entity tag; 304 when the client holds it already.
fn respond(
    state: &AppState,
    req: &HttpRequest,
    content: &QuestionnaireContent,
    cache: &'static str,
) -> Result<HttpResponse, AppError> {
    let body = state.memo.get_or_make(&memo_key(state, content), || {
        serde_json::to_vec(content)
            .map(web::Bytes::from)
            .map_err(|e| AppError::Internal(e.into()))
    })?;
    Ok(respond_with(req, content.hash(), body, cache))
}

/// The memo's key of a content: the questionnaire, its hash, and the policy whose rating
/// scale goes with it.
fn memo_key(state: &AppState, content: &QuestionnaireContent) -> String {
    let id = match content {
        QuestionnaireContent::Dcmm(c) => &c.questionnaire.id,
        QuestionnaireContent::Profile(c) => &c.profile.id,
    };
    version_key(state, id, content.hash())
}

fn version_key(state: &AppState, id: &str, hash: &str) -> String {
    format!(
        "questionnaire:{id}:{hash}:{}",
        state.settings.policy.version()
    )
}

fn respond_with(
    req: &HttpRequest,
    hash: &str,
    body: web::Bytes,
    cache: &'static str,
) -> HttpResponse {
    let etag = format!("\"{hash}\"");
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if held {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)));
    if held {
        response.finish()
    } else {
        response.content_type("application/json").body(body)
    }
}

/// The questionnaires this service loads: the DCMM editions and the enterprise profile.
#[utoipa::path(tag = "questionnaires", security(("bearer" = [])), responses(
    (status = 200, description = "the loaded questionnaires", body = Vec<QuestionnaireSummary>),
    (status = 401, description = "not logged in", body = ErrorBody),
))]
#[get("/questionnaires")]
#[tracing::instrument(skip_all)]
pub async fn list_questionnaires(state: State, user: AuthUser) -> Result<HttpResponse, AppError> {
    require_read(&user, Action::List)?;
    let q = &state.questionnaires;
    let list: Vec<QuestionnaireSummary> = q
        .dcmm_all()
        .map(|q| QuestionnaireSummary::dcmm(q))
        .chain(q.profiles_all().map(|p| QuestionnaireSummary::profile(p)))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// The current version of a questionnaire, whole: domains, items, criteria (zh and en text,
/// evidence hint, level, dimension, whether `na` is allowed) and the rating scale; or the
/// profile's questions. Its `ETag` is the content hash; `If-None-Match` answers 304.
#[utoipa::path(tag = "questionnaires", security(("bearer" = [])),
    params(("id" = String, Path, description = "e.g. dcmm-2025 or enterprise-profile")),
    responses(
        (status = 200, description = "the questionnaire", body = QuestionnaireContent),
        (status = 304, description = "the client holds this version already"),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 404, description = "no such questionnaire", body = ErrorBody),
    ))]
#[get("/questionnaires/{id}")]
#[tracing::instrument(skip_all, fields(questionnaire = %path))]
pub async fn get_questionnaire(
    state: State,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_read(&user, Action::Read)?;
    let content = current(&state, &path).ok_or(AppError::NotFound)?;
    // The current version can change with the next start: revalidate, by its tag.
    respond(&state, &req, &content, "no-cache")
}

/// A questionnaire version by its content hash: the one an assessment is pinned to. It never
/// changes, so it is served `immutable` with a strong `ETag`.
#[utoipa::path(tag = "questionnaires", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "e.g. dcmm-2025"),
        ("hash" = String, Path, description = "the content hash an assessment names"),
    ),
    responses(
        (status = 200, description = "that version", body = QuestionnaireContent),
        (status = 304, description = "the client holds this version already"),
        (status = 401, description = "not logged in", body = ErrorBody),
        (status = 404, description = "no such questionnaire or version", body = ErrorBody),
    ))]
#[get("/questionnaires/{id}/versions/{hash}")]
#[tracing::instrument(skip_all, fields(questionnaire = %path.0, hash = %path.1))]
pub async fn get_questionnaire_version(
    state: State,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    require_read(&user, Action::Read)?;
    let (id, hash) = path.into_inner();
    const FOR_GOOD: &str = "private, max-age=31536000, immutable";
    if let Some(body) = state.memo.get(&version_key(&state, &id, &hash)) {
        return Ok(respond_with(&req, &hash, body, FOR_GOOD));
    }
    let content = match current(&state, &id) {
        Some(c) if c.hash() == hash => c,
        Some(QuestionnaireContent::Dcmm(_)) => {
            let (wanted_id, wanted_hash) = (id.clone(), hash.clone());
            let q = db_call(&state, move |s, conn| {
                let (id, hash) = (wanted_id, wanted_hash);
                // A hash no assessment was ever pinned to names nothing.
                if crate::db::questionnaire_versions::source(conn, &hash)?.is_none() {
                    return Ok(None);
                }
                s.questionnaire(conn, &id, &hash).map(Some)
            })
            .await?
            .filter(|q| q.id == id && q.hash == hash)
            .ok_or(AppError::NotFound)?;
            QuestionnaireContent::Dcmm(DcmmContent {
                questionnaire: (*q).clone(),
                rating_scale: scale(&state.settings.policy, q.guidance.as_deref()),
            })
        }
        // Earlier profile versions are not kept.
        Some(QuestionnaireContent::Profile(_)) | None => return Err(AppError::NotFound),
    };
    respond(&state, &req, &content, FOR_GOOD)
}
