//! A campaign's export as an HTTP download, for the API and the pages alike: the same
//! policy check, file and name whichever way it is asked for.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header::{self, Charset, ContentDisposition, DispositionParam, ExtendedValue};
use actix_web::HttpResponse;
use chrono::Utc;

use super::{load, Previous};
use crate::access;
use crate::auth::policy;
use crate::auth::AuthUser;
use crate::domain::sharing::{Detail, Sharing};
use crate::error::AppError;
use crate::export::{to_csv, to_xlsx, About, Audience, Table};
use crate::ids::CampaignId;
use crate::questionnaire::Questionnaire;
use crate::state::{blocking, db_call, State};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Everything a file is written from, loaded on a blocking thread.
struct Prepared {
    questionnaire: Arc<Questionnaire>,
    table: Table,
    about: About,
}

impl Prepared {
    /// The campaign's name as a file name (path separators and control characters replaced),
    /// and an ASCII stand-in for clients that ignore `filename*`.
    fn file_names(&self, extension: &str) -> (String, String) {
        let name: String = self
            .about
            .campaign_name
            .chars()
            .map(|c| match c {
                '/' | '\\' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let fallback = format!("dcmm-campaign-{}.{extension}", self.about.campaign_id);
        (format!("{name}.{extension}"), fallback)
    }
}

/// Loads the campaign if the caller may read its cluster report: admins, the cluster's
/// manager and its auditors.
async fn prepare(state: &State, user: AuthUser, id: CampaignId) -> Result<Prepared, AppError> {
    db_call(state, move |s, conn| {
        let campaign = access::campaign_report(conn, &user, id)?;
        let codes: HashMap<_, _> = crate::db::enterprises::credit_codes(conn, campaign.cluster_id)?
            .into_iter()
            .collect();
        let now = Utc::now();
        let loaded = load(s, conn, campaign, now.date_naive(), Previous::Skip)?;
        let audience = if policy::shown(&user.actor, Sharing::Anonymous, Detail::Scores) {
            Audience::Everything
        } else {
            Audience::AsShared
        };
        Ok(Prepared {
            table: Table::new(&loaded.enterprises, &codes, audience),
            about: About {
                campaign_id: loaded.campaign.id.to_string(),
                campaign_name: loaded.campaign.name,
                policy_version: s.settings.policy.version(),
                generated: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            },
            questionnaire: loaded.questionnaire,
        })
    })
    .await
}

#[derive(Debug, Clone, Copy)]
pub enum FileType {
    Csv,
    Xlsx,
}

impl FileType {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => XLSX,
        }
    }

    fn write(self, p: &Prepared) -> anyhow::Result<Vec<u8>> {
        Ok(match self {
            Self::Csv => to_csv(&p.questionnaire, &p.table)?,
            Self::Xlsx => to_xlsx(&p.questionnaire, &p.table, &p.about)?,
        })
    }
}

/// The file as an attachment named after the campaign, written on a blocking thread.
/// The campaign's results as a file of type `file`, as an attachment named after it.
pub async fn download(
    state: State,
    user: AuthUser,
    id: CampaignId,
    file: FileType,
) -> Result<HttpResponse, AppError> {
    let p = prepare(&state, user, id).await?;
    let (name, fallback) = p.file_names(file.extension());
    let bytes = blocking(&state, move |_| file.write(&p).map_err(AppError::Internal)).await?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type())
        .insert_header(attachment_as(&name, fallback))
        .body(bytes))
}

/// `attachment; filename="<fallback>"; filename*=UTF-8''<the name>`; `fallback` must be
/// printable ASCII without quotes or backslashes.
pub fn attachment_as(file_name: &str, fallback: String) -> ContentDisposition {
    ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(fallback),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file_name.as_bytes().to_vec(),
            }),
        ],
    }
}
