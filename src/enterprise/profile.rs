//! The enterprise profile service: reading it as the caller's rights allow, and saving it with
//! its audit entry. `PUT /api/v1/enterprises/{id}/profile` and the profile page call the same
//! functions, so both check, version and audit a change alike.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::profiles::{self, ProfileRow};
use crate::db::{refs, DbConnection};
use crate::domain::sharing::Detail;
use crate::error::{AppError, ErrorCode};
use crate::ids::EnterpriseId;
use crate::questionnaire::profile::{check_answers, ProfileAnswers};
use crate::questionnaire::{Profile, PROFILE_ID};
use crate::state::AppState;

/// The profile questionnaire the service checks answers against.
pub fn questionnaire(state: &AppState) -> Result<Arc<Profile>, AppError> {
    state
        .questionnaires
        .profile(PROFILE_ID)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no {PROFILE_ID} questionnaire loaded")))
}

/// The enterprise's stored profile, if it was ever saved; a cluster manager reads it only when
/// the enterprise shares its profile (else 403 `not_shared`).
pub fn load(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: EnterpriseId,
) -> Result<Option<ProfileRow>, AppError> {
    let enterprise = refs::enterprise(conn, id)?;
    let resource = Resource::new(Kind::Profile, enterprise.tenancy());
    policy::require_shared(
        &user.actor,
        Action::Read,
        &resource,
        enterprise.sharing,
        Detail::Profile,
    )?;
    Ok(profiles::find(conn, id)?)
}

/// The answers of a stored profile (none for a profile never saved).
pub fn answers(row: Option<&ProfileRow>) -> Result<ProfileAnswers, AppError> {
    match row {
        Some(r) => serde_json::from_str(&r.answers_json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored profile answers: {e}"))),
        None => Ok(ProfileAnswers::new()),
    }
}

/// Replaces the enterprise's profile (its own users only). Every answer is checked against its
/// question first (a 422 keyed `answers.<question id>`, nothing saved); with `if_match` the
/// change is made only over that version (else 409 `version_conflict`). One audit entry,
/// `profile.update`, with the answers before and after.
pub fn save(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: EnterpriseId,
    if_match: Option<i32>,
    profile: &Profile,
    answers: &BTreeMap<String, Value>,
) -> Result<ProfileRow, AppError> {
    let enterprise = refs::enterprise(conn, id)?;
    let resource = Resource::new(Kind::Profile, enterprise.tenancy());
    policy::require(&user.actor, Action::Update, &resource)?;
    let clean = check_answers(profile, answers).map_err(|fields| AppError::Validation {
        message: format!("{} answers are not valid", fields.len()),
        fields: fields
            .into_iter()
            .map(|(question, messages)| (format!("answers.{question}"), messages))
            .collect(),
    })?;
    audit::write_tx(conn, |c| {
        let before = profiles::find(c, id)?;
        let previous = before.as_ref().map_or(0, |r| r.version);
        if if_match.is_some_and(|expected| expected != previous) {
            return Err(version_conflict(previous));
        }
        let row = ProfileRow {
            enterprise_id: id,
            questionnaire_hash: profile.hash.clone(),
            answers_json: serde_json::to_string(&clean)
                .map_err(|e| AppError::Internal(e.into()))?,
            version: previous + 1,
            updated_by: Some(user.id),
            updated_at: crate::db::now(),
        };
        if !profiles::save(c, &row, previous)? {
            return Err(version_conflict(previous));
        }
        let snapshot = |r: &ProfileRow| {
            json!({
                "version": r.version,
                "questionnaire_hash": r.questionnaire_hash,
                "answers": serde_json::from_str::<Value>(&r.answers_json).unwrap_or(Value::Null),
            })
        };
        audit::append(
            c,
            Entry {
                actor_id: Some(user.id.to_string()),
                action: "profile.update".to_owned(),
                subject_type: "enterprise_profile".to_owned(),
                subject_id: id.to_string(),
                cluster_id: Some(enterprise.cluster_id.to_string()),
                before: before.as_ref().map(snapshot),
                after: Some(snapshot(&row)),
            },
        )?;
        Ok(row)
    })
}

fn version_conflict(current: i32) -> AppError {
    AppError::conflict(
        ErrorCode::VersionConflict,
        format!("the profile was changed meanwhile; its version is now {current}: read it again"),
    )
}
