//! Loading a resource with the caller's right to it checked: what the API, the pages and the
//! command line share before they touch an assessment, a campaign or a cluster. The rules
//! themselves are in [`crate::auth::policy`]; this module only looks up where a resource lives
//! and asks.

use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::AuthUser;
use crate::db::campaigns::{self, CampaignRow};
use crate::db::refs::{self, AssessmentRef};
use crate::db::reports::ReportRow;
use crate::db::DbConnection;
use crate::domain::campaign::CampaignStatus;
use crate::domain::sharing::Detail;
use crate::domain::Tenancy;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AssessmentId, CampaignId, ClusterId};

/// An assessment the caller may do `action` to; 404 outside its scope, 403 when its role or the
/// enterprise's sharing setting (for `detail`) does not allow it.
pub fn assessment(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AssessmentId,
    action: Action,
    detail: Option<Detail>,
) -> Result<AssessmentRef, AppError> {
    let a = refs::assessment(conn, id)?;
    let resource = Resource::new(Kind::Assessment, a.tenancy());
    match detail {
        Some(detail) => {
            policy::require_shared(&user.actor, action, &resource, a.enterprise.sharing, detail)?
        }
        None => policy::require(&user.actor, action, &resource)?,
    }
    Ok(a)
}

/// Nothing of a closed campaign's assessments changes: 409 `campaign_closed`.
pub fn require_open(a: &AssessmentRef) -> Result<(), AppError> {
    if a.campaign_status == CampaignStatus::Closed {
        Err(AppError::conflict(
            ErrorCode::CampaignClosed,
            "the campaign is closed: its assessments no longer change",
        ))
    } else {
        Ok(())
    }
}

/// A draft of an open campaign may change; anything else answers 409.
pub fn require_draft(a: &AssessmentRef) -> Result<(), AppError> {
    require_open(a)?;
    if a.status.is_editable() {
        Ok(())
    } else {
        Err(AppError::conflict(
            ErrorCode::AssessmentFrozen,
            format!("the assessment is {} and cannot change", a.status.as_str()),
        ))
    }
}

/// The campaign, once the caller may read it.
pub fn campaign(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
) -> Result<CampaignRow, AppError> {
    let row = campaigns::find(conn, id)?;
    let cluster = row.cluster_id;
    policy::require(
        &user.actor,
        Action::Read,
        &Resource::new(Kind::Campaign, Tenancy::Cluster(cluster)),
    )?;
    Ok(row)
}

/// The campaign, once the caller may read its cluster report (and so its dashboard and
/// exports).
pub fn campaign_report(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
) -> Result<CampaignRow, AppError> {
    let campaign = campaign(conn, user, id)?;
    let cluster = campaign.cluster_id;
    policy::require(
        &user.actor,
        Action::Read,
        &Resource::new(Kind::ClusterReport, Tenancy::Cluster(cluster)),
    )?;
    Ok(campaign)
}

/// Whether the caller may do `action` to things of `kind` in `cluster`.
pub fn in_cluster(
    user: &AuthUser,
    action: Action,
    kind: Kind,
    cluster: ClusterId,
) -> Result<(), AppError> {
    policy::require(
        &user.actor,
        action,
        &Resource::new(kind, Tenancy::Cluster(cluster)),
    )
}

/// Whether `user` may read the subject of an issued report; 404 when not, so that report ids
/// reveal nothing outside the caller's scope.
pub fn report(conn: &mut DbConnection, user: &AuthUser, row: &ReportRow) -> Result<(), AppError> {
    let check = match row.kind.as_str() {
        "assessment" => match row.subject_id.parse() {
            Ok(id) => assessment(conn, user, id, Action::Read, Some(Detail::Report)).map(|_| ()),
            Err(_) => Err(AppError::NotFound),
        },
        "campaign" => match row.subject_id.parse() {
            Ok(id) => campaign_report(conn, user, id).map(|_| ()),
            Err(_) => Err(AppError::NotFound),
        },
        _ => Err(AppError::NotFound),
    };
    check.map_err(|e| match e {
        AppError::Forbidden | AppError::NotShared => AppError::NotFound,
        other => other,
    })
}
