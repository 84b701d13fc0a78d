//! Issuing a report: prepare its model from storage for a reader, derive its id from the
//! model, render it once on a blocking thread with that id on it, record it with the SHA-256
//! of its bytes and append who asked to the audit log. The API, the pages and the command line
//! all issue through here.
//!
//! A report's id is derived from what it shows (its model, the font and the renderer's
//! version), so the same data gives the same id and byte-identical PDF: a report can be
//! regenerated and compared. The first request records it; every request is in the audit log.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::access;
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::campaign::{load, Previous};
use crate::db::assessments;
use crate::db::campaigns::CampaignRow;
use crate::db::reports::{self, ReportRow};
use crate::db::{campaigns, clusters, DbConnection};
use crate::error::AppError;
use crate::ids::{AssessmentId, CampaignId, ReportId};
use crate::questionnaire::{Lang, PROFILE_ID};
use crate::report::cluster::{cluster_report_with, CampaignFacts, ClusterReport, Lookups};
use crate::report::enterprise::EnterpriseReport;
use crate::report::pdf::ReportFont;
use crate::report::verify_at::VerifyAt;
use crate::scoring::rollup::{rollup, RollupPolicy};
use crate::state::{blocking, db_call, db_write, AppState, State};

mod assessment;

pub use assessment::assessment_report;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Assessment,
    Campaign,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::Campaign => "campaign",
        }
    }
}

/// A report's model.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    Enterprise(Box<EnterpriseReport>),
    Cluster(Box<ClusterReport>),
}

/// What a report prints about itself, recorded with it so anyone can be told later what it
/// says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The enterprise, or the cluster and campaign.
    pub subject_name: String,
    pub data_date: chrono::NaiveDate,
    /// The indicated level with its name, or the cluster's readiness tier; `None` when the
    /// report shows none (a cluster report before any assessment is accepted).
    pub indicated_level: Option<String>,
    pub not_final: bool,
}

impl Model {
    pub fn printed(&self) -> Printed {
        match self {
            Self::Enterprise(r) => Printed {
                subject_name: r.enterprise.clone(),
                data_date: r.as_of,
                indicated_level: Some(match r.lang {
                    Lang::Zh => format!(
                        "{}（{}）",
                        r.level,
                        crate::report::level_name(r.lang, r.level)
                    ),
                    Lang::En => format!(
                        "{} ({})",
                        r.level,
                        crate::report::level_name(r.lang, r.level)
                    ),
                }),
                not_final: r.mark.is_some(),
            },
            Self::Cluster(r) => Printed {
                subject_name: r.subject.clone(),
                data_date: r.as_of,
                indicated_level: r.readiness.tier.map(|_| r.readiness.name.clone()),
                not_final: r.mark.is_some(),
            },
        }
    }
}

/// A report ready to render: its model and what its record says about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: Kind,
    pub subject_id: String,
    pub cluster_id: String,
    pub lang: Lang,
    pub questionnaire_id: String,
    pub questionnaire_hash: String,
    pub policy_version: String,
    pub model: Model,
    /// Where the report says it can be verified.
    pub verify: VerifyAt,
}

/// A rendered report.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub prepared: Prepared,
    pub id: ReportId,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// The enterprise report of assessment `id`, as `user` may read it (`None`: the command line,
/// which reads everything). A cluster manager needs the enterprise to share `full`.
#[tracing::instrument(skip(state, conn, user))]
pub fn prepare_assessment(
    state: &AppState,
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    id: AssessmentId,
    lang: Lang,
) -> Result<Prepared, AppError> {
    let (a, model) = assessment_report(state, conn, user, id, lang)?;
    Ok(Prepared {
        kind: Kind::Assessment,
        subject_id: a.id.to_string(),
        cluster_id: a.enterprise.cluster_id.to_string(),
        lang,
        questionnaire_id: a.questionnaire_id.clone(),
        questionnaire_hash: a.questionnaire_hash.clone(),
        policy_version: state.settings.policy.version(),
        model: Model::Enterprise(Box::new(model)),
        verify: VerifyAt::new(state.settings.public_url.clone()),
    })
}

/// The cluster readiness report of campaign `id` for `user` (`None`: the command line). It
/// reflects the campaign as of today (overdue drafts depend on the day).
#[tracing::instrument(skip(state, conn, user))]
pub fn prepare_campaign(
    state: &AppState,
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    id: CampaignId,
    lang: Lang,
) -> Result<Prepared, AppError> {
    let campaign = match user {
        Some(user) => access::campaign_report(conn, user, id)?,
        None => campaigns::find(conn, id)?,
    };
    let cluster = clusters::find(conn, campaign.cluster_id)?;
    let lookups = lookups(state, conn, &campaign)?;
    let today = Utc::now().date_naive();
    let loaded = load(state, conn, campaign, today, Previous::Include)?;
    let policy = state.settings.policy.version();
    let verify = VerifyAt::new(state.settings.public_url.clone());
    let prepared = loaded.with_input(|input, campaign| {
        let rolled = rollup(input, &RollupPolicy::default());
        let facts = CampaignFacts {
            cluster: cluster.name,
            campaign: campaign.name,
            campaign_id: campaign.id.to_string(),
            status: campaign.status.to_string(),
            due_date: campaign.due_date,
            as_of: today,
            policy: policy.clone(),
        };
        let model = cluster_report_with(
            facts,
            input.questionnaire,
            &rolled,
            &input.enterprises,
            &lookups,
            lang,
        );
        Prepared {
            kind: Kind::Campaign,
            subject_id: campaign.id.to_string(),
            cluster_id: campaign.cluster_id.to_string(),
            lang,
            questionnaire_id: input.questionnaire.id.clone(),
            questionnaire_hash: input.questionnaire.hash.clone(),
            policy_version: policy,
            model: Model::Cluster(Box::new(model)),
            verify,
        }
    });
    Ok(prepared)
}

/// How the cluster report names what is stored: the industries of this installation's profile
/// questionnaire, and which drafts of the campaign an auditor returned for changes.
pub fn lookups(
    state: &AppState,
    conn: &mut DbConnection,
    campaign: &CampaignRow,
) -> Result<Lookups, AppError> {
    let returned = assessments::returned_in(conn, campaign.id)?;
    let profile = state.questionnaires.profile(PROFILE_ID).map(|p| &**p);
    Ok(Lookups::of_profile(profile).with_returned(returned))
}

/// What a report id is derived from, named and versioned: ids of this scheme are derived from
/// the report's model. Ids recorded before it (derived from a draft of the PDF) stay in their
/// records and verify as they did: checking a report looks its id or SHA-256 up, it never
/// derives an id again.
const ID_SCHEME: &str = "dcmm-report-id-2";

/// Feeds what is written to it into a SHA-256, so a model is hashed as it is serialised.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The report id of `prepared` set in `font`: `DCMM-` and four groups of four hex digits of a
/// SHA-256 over the subject, the language, the questionnaire and policy versions, where the
/// report says it is verified, the renderer's version
/// ([`crate::report::pdf::RENDERER_VERSION`]), the font's digest and the model's canonical
/// serialisation (its JSON, fields in declaration order). Everything the PDF shows comes from
/// these, so the same data gives the same id and, rendered once, byte-identical PDF.
pub fn report_id(prepared: &Prepared, font: &ReportFont) -> Result<ReportId, AppError> {
    let mut hasher = Sha256::new();
    let verify_page = prepared.verify.page();
    for part in [
        ID_SCHEME,
        prepared.kind.as_str(),
        &prepared.subject_id,
        prepared.lang.as_str(),
        &prepared.questionnaire_id,
        &prepared.questionnaire_hash,
        &prepared.policy_version,
        &verify_page,
        crate::report::pdf::RENDERER_VERSION,
        env!("CARGO_PKG_VERSION"),
        font.digest(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let mut writer = HashWriter(&mut hasher);
    match &prepared.model {
        Model::Enterprise(report) => serde_json::to_writer(&mut writer, report),
        Model::Cluster(report) => serde_json::to_writer(&mut writer, report),
    }
    .map_err(|e| AppError::Internal(anyhow::anyhow!("report model: {e}")))?;
    Ok(ReportId::from_digest(&hasher.finalize()))
}

#[tracing::instrument(skip_all, fields(kind = prepared.kind.as_str()))]
/// Renders `prepared` (blocking: run it off the async workers) once, with the id its model
/// gives.
pub fn render(prepared: Prepared, font: &ReportFont) -> Result<Rendered, AppError> {
    let id = report_id(&prepared, font)?;
    let shown = id.to_string();
    let bytes = match &prepared.model {
        Model::Enterprise(report) => report.to_pdf(font, &shown, &prepared.verify),
        Model::Cluster(report) => report.to_pdf(font, &shown, &prepared.verify),
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(Rendered {
        prepared,
        id,
        sha256,
        bytes,
    })
}

#[tracing::instrument(skip_all, fields(report = %rendered.id))]
/// Records `rendered` (the first time its id is seen) and appends who asked for it to the
/// audit log.
pub fn record(
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    rendered: &Rendered,
) -> Result<ReportRow, AppError> {
    let p = &rendered.prepared;
    audit::write_tx(conn, |c| {
        let existing = reports::find(c, rendered.id)?;
        let row = match existing {
            Some(row) if row.sha256 != rendered.sha256 => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "report {} was recorded with other bytes",
                    rendered.id
                )))
            }
            Some(row) => row,
            None => {
                let printed = p.model.printed();
                let row = ReportRow {
                    id: rendered.id,
                    kind: p.kind.as_str().to_owned(),
                    subject_id: p.subject_id.clone(),
                    language: p.lang.as_str().to_owned(),
                    sha256: rendered.sha256.clone(),
                    size_bytes: i64::try_from(rendered.bytes.len()).unwrap_or(i64::MAX),
                    questionnaire_id: p.questionnaire_id.clone(),
                    questionnaire_hash: p.questionnaire_hash.clone(),
                    policy_version: p.policy_version.clone(),
                    requested_by: user.map(|u| u.id.to_string()),
                    created_at: crate::db::now(),
                    subject_name: Some(printed.subject_name),
                    data_date: Some(printed.data_date),
                    indicated_level: printed.indicated_level,
                    not_final: Some(printed.not_final),
                };
                reports::insert(c, &row)?;
                row
            }
        };
        let entry = Entry {
            actor_id: user.map(|u| u.id.to_string()),
            action: "report.issue".to_owned(),
            subject_type: "report".to_owned(),
            subject_id: rendered.id.to_string(),
            ..Entry::default()
        }
        .cluster(&p.cluster_id)
        .after(&serde_json::json!({
            "kind": p.kind.as_str(),
            "subject_id": p.subject_id,
            "language": p.lang.as_str(),
            "sha256": rendered.sha256,
        }));
        audit::append(c, entry)?;
        Ok(row)
    })
}

impl Rendered {
    /// The PDF as a download.
    pub fn into_response(self) -> HttpResponse {
        let name = format!(
            "dcmm-{}-report-{}.pdf",
            self.prepared.kind.as_str(),
            self.id
        );
        HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ))
            .insert_header(("X-Report-Id", self.id.to_string()))
            .insert_header(("X-Report-Sha256", self.sha256.clone()))
            .body(self.bytes)
    }
}

/// Prepares (with a pooled connection), renders (on a blocking thread, without holding the
/// connection) and records a report for `user`.
pub async fn issue(
    state: &State,
    user: AuthUser,
    prepare: impl FnOnce(&AppState, &mut DbConnection, &AuthUser) -> Result<Prepared, AppError>
        + Send
        + 'static,
) -> Result<Rendered, AppError> {
    let u = user.clone();
    let prepared = db_call(state, move |s, conn| prepare(s, conn, &u)).await?;
    let rendered = blocking(state, move |s| render(prepared, &s.report_font)).await?;
    db_write(state, move |_, conn| {
        record(conn, Some(&user), &rendered)?;
        Ok(rendered)
    })
    .await
}

#[cfg(test)]
mod tests;
