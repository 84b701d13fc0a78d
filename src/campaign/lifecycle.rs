//! Opening, rescheduling and closing a campaign, with their audit entries: what
//! `POST /clusters/{id}/campaigns`, `PATCH /campaigns/{id}`, `POST /campaigns/{id}/close` and
//! the campaign pages share.
//!
//! These functions do database work: call them on a blocking thread.

use chrono::NaiveDate;
use serde_json::json;

use crate::access;
use crate::audit::{self, Entry};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::campaigns::{self, CampaignRow, Participation};
use crate::db::{assessments, clusters, enterprises, DbConnection};
use crate::domain::campaign::CampaignStatus;
use crate::domain::Tenancy;
use crate::error::{AppError, ErrorCode};
use crate::ids::{CampaignId, ClusterId};
use crate::state::AppState;

/// A campaign to open, checked field by field before anything is written.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    /// A DCMM questionnaire id; `None` is the current edition.
    pub questionnaire: Option<String>,
    pub due_date: NaiveDate,
    pub target_level: i32,
    /// Start each draft from the enterprise's latest earlier answers (through the crosswalk
    /// when the editions differ).
    pub copy_previous: bool,
}

/// Opens a campaign in `cluster`: every enterprise of the cluster gets a draft. A name of 1
/// to 200 characters, a known questionnaire, a target level 1–5 and a due date not before
/// `today`, else a 422 naming the field.
pub fn open(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    cluster: ClusterId,
    new: &NewCampaign,
    today: NaiveDate,
) -> Result<(CampaignRow, Participation), AppError> {
    access::in_cluster(user, Action::Create, Kind::Campaign, cluster)?;
    clusters::find(conn, cluster)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field("name", "must be 1 to 200 characters"));
    }
    if !(1..=5).contains(&new.target_level) {
        return Err(AppError::field(
            "target_level",
            "must be a level from 1 to 5",
        ));
    }
    let q = match &new.questionnaire {
        Some(id) => state.questionnaires.dcmm(id),
        None => state.questionnaires.default_dcmm(),
    }
    .ok_or_else(|| AppError::field("questionnaire", "no such DCMM questionnaire"))?;
    if new.due_date < today {
        return Err(AppError::field("due_date", "must not be in the past"));
    }
    let now = crate::db::now();
    let row = CampaignRow {
        id: CampaignId::new(),
        cluster_id: cluster,
        name: name.to_owned(),
        questionnaire_id: q.id.clone(),
        questionnaire_hash: q.hash.clone(),
        due_date: new.due_date,
        target_level: new.target_level,
        status: CampaignStatus::Open,
        created_by: Some(user.id),
        created_at: now,
        updated_at: now,
    };
    let copy = new.copy_previous;
    audit::write_tx(conn, |c| {
        campaigns::insert(c, &row)?;
        let ids = enterprises::ids_in_cluster(c, row.cluster_id)?;
        let registry = copy.then_some(&state.questionnaires);
        let drafts = assessments::create_drafts(c, &row, &ids, registry)?;
        let participation = campaigns::participation(c, row.id)?;
        audit::append(
            c,
            Entry::new(user, "campaign.create", "campaign", row.id)
                .cluster(row.cluster_id)
                .after(&json!({
                    "name": row.name, "questionnaire": row.questionnaire_id,
                    "questionnaire_hash": row.questionnaire_hash, "due_date": row.due_date,
                    "target_level": row.target_level, "drafts": drafts, "copy_previous": copy,
                })),
        )?;
        Ok::<_, AppError>((row.clone(), participation))
    })
}

/// The campaign, once the caller may change it (a manager of its cluster, an admin); 404
/// outside the caller's scope.
fn changeable(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
) -> Result<CampaignRow, AppError> {
    let row = access::campaign(conn, user, id)?;
    policy::require(
        &user.actor,
        Action::Update,
        &Resource::new(Kind::Campaign, Tenancy::Cluster(row.cluster_id)),
    )?;
    Ok(row)
}

fn require_open(row: &CampaignRow) -> Result<(), AppError> {
    match row.status {
        CampaignStatus::Open => Ok(()),
        CampaignStatus::Closed => Err(AppError::conflict(
            ErrorCode::CampaignClosed,
            "the campaign is closed",
        )),
    }
}

/// Moves the due date of an open campaign (to a day not before `today`); its drafts are no
/// longer overdue when the new day is still ahead.
pub fn reschedule(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
    due_date: NaiveDate,
    today: NaiveDate,
) -> Result<CampaignRow, AppError> {
    audit::write_tx(conn, |c| {
        let before = changeable(c, user, id)?;
        require_open(&before)?;
        if due_date < today {
            return Err(AppError::field("due_date", "must not be in the past"));
        }
        let after = campaigns::set_due_date(c, id, due_date, crate::db::now())?;
        audit::append(
            c,
            Entry::new(user, "campaign.update", "campaign", id)
                .cluster(after.cluster_id)
                .before(&json!({ "due_date": before.due_date }))
                .after(&json!({ "due_date": after.due_date })),
        )?;
        Ok(after)
    })
}

/// Closes an open campaign: from now on its assessments take no answers, evidence,
/// submissions or review decisions (409 `campaign_closed`), and its cluster report is final:
/// it reads each enterprise's profile as it stood at closing.
/// The audit entry records how far the campaign had come.
pub fn close(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
) -> Result<(CampaignRow, Participation), AppError> {
    audit::write_tx(conn, |c| {
        let before = changeable(c, user, id)?;
        require_open(&before)?;
        campaigns::keep_profiles(c, id)?;
        let after = campaigns::set_status(c, id, CampaignStatus::Closed, crate::db::now())?;
        let participation = campaigns::participation(c, id)?;
        audit::append(
            c,
            Entry::new(user, "campaign.close", "campaign", id)
                .cluster(after.cluster_id)
                .before(&json!({ "status": before.status }))
                .after(&json!({ "status": after.status, "participation": participation })),
        )?;
        Ok((after, participation))
    })
}
