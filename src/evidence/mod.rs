//! Evidence: files an enterprise attaches to a draft assessment, each linked to the criteria
//! it supports, checked by content, stored by content hash and recorded in the audit log.

pub mod access;
pub mod download;
pub mod kind;
pub mod links;
pub mod store;

use chrono::NaiveDate;
use serde_json::json;

pub use kind::FileKind;
pub use store::{EvidenceStore, Staged};

use crate::audit::{self, Entry};
use crate::db::evidence::{self as rows, Evidence, EvidenceRow};
use crate::db::{refs, DbConnection};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::ids::{AssessmentId, EvidenceId, UserId};
use crate::questionnaire::Questionnaire;

/// The most criteria one piece of evidence may name.
pub const MAX_CRITERIA: usize = 100;

/// An upload as received; nothing checked yet but the file's name and content.
#[derive(Debug, Default)]
pub struct Upload {
    pub file: Option<ReceivedFile>,
    pub criteria: Vec<String>,
    pub effective_date: Option<String>,
}

/// A file part as received: written to a temporary file of the store, and what its name and
/// content were found to be (the kept name and kind, or why the file is refused).
#[derive(Debug)]
pub struct ReceivedFile {
    pub content: Staged,
    pub checked: Result<(String, FileKind), String>,
}

impl ReceivedFile {
    /// A file already in memory (the demo's): staged and checked at once.
    pub fn from_bytes(store: &EvidenceStore, name: &str, bytes: &[u8]) -> std::io::Result<Self> {
        let checked = kind::clean_file_name(name)
            .and_then(|name| FileKind::detect(&name, bytes).map(|kind| (name, kind)));
        Ok(Self {
            content: store.stage(bytes)?,
            checked,
        })
    }
}

/// An upload that passed every check.
#[derive(Debug)]
pub struct NewEvidence {
    pub file_name: String,
    pub kind: FileKind,
    /// The file, hashed, under a temporary name until [`record`] puts it in place.
    pub content: Staged,
    /// Sorted, each once.
    pub criteria: Vec<String>,
    pub effective_date: Option<NaiveDate>,
}

impl Upload {
    /// Checks every part at once against the assessment's questionnaire; the problems are
    /// keyed by form field: `file`, `criteria`, `effective_date`.
    pub fn check(self, questionnaire: &Questionnaire) -> Result<NewEvidence, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut add = |field: &str, message: String| {
            errors.entry(field.to_owned()).or_default().push(message);
        };
        let file = match self.file {
            None => {
                add("file", "a file is required".to_owned());
                None
            }
            Some(ReceivedFile { content, checked }) => match checked {
                Ok((name, kind)) => Some((name, kind, content)),
                Err(message) => {
                    add("file", message);
                    None
                }
            },
        };
        let criteria = match check_criteria(questionnaire, self.criteria) {
            Ok(criteria) => criteria,
            Err(message) => {
                add("criteria", message);
                Vec::new()
            }
        };
        let effective_date = self.effective_date.as_deref().map(str::trim);
        let effective_date = match effective_date.filter(|d| !d.is_empty()) {
            None => None,
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    add("effective_date", "must be a date, YYYY-MM-DD".to_owned());
                    None
                }
            },
        };
        match file {
            Some((file_name, kind, content)) if errors.is_empty() => Ok(NewEvidence {
                file_name,
                kind,
                content,
                criteria,
                effective_date,
            }),
            _ => Err(errors),
        }
    }
}

/// The criterion ids evidence is linked to, sorted and each once: at least one, at most
/// [`MAX_CRITERIA`], all of `questionnaire`; otherwise why not.
pub fn check_criteria(
    questionnaire: &Questionnaire,
    mut criteria: Vec<String>,
) -> Result<Vec<String>, String> {
    criteria.sort();
    criteria.dedup();
    if criteria.is_empty() {
        return Err("name at least one criterion".to_owned());
    }
    if criteria.len() > MAX_CRITERIA {
        return Err(format!("name at most {MAX_CRITERIA} criteria"));
    }
    let unknown: Vec<&str> = criteria
        .iter()
        .filter(|c| questionnaire.index_of(c).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "not criteria of {}: {}",
            questionnaire.id,
            unknown.join(", ")
        ));
    }
    Ok(criteria)
}

/// A full disk stays a 507 (`storage_full`); anything else is a 500.
fn io_error(e: std::io::Error) -> AppError {
    AppError::from(anyhow::Error::new(e).context("evidence store"))
}

/// Stores the file and records the evidence, with its audit entry, in one transaction on a
/// draft assessment. If the transaction fails, a file this call put in place is removed again
/// (unless another row came to name it), so no file outlives a failed upload.
pub fn record(
    conn: &mut DbConnection,
    store: &EvidenceStore,
    assessment_id: AssessmentId,
    uploaded_by: UserId,
    new: NewEvidence,
) -> Result<Evidence, AppError> {
    let staged = new.content;
    let row = EvidenceRow {
        id: EvidenceId::new(),
        assessment_id: assessment_id.to_owned(),
        file_name: new.file_name,
        content_type: new.kind.content_type().to_owned(),
        size_bytes: i64::try_from(staged.size).map_err(|e| AppError::Internal(e.into()))?,
        sha256: staged.sha256.clone(),
        storage_key: staged.key(),
        effective_date: new.effective_date,
        uploaded_by: Some(uploaded_by),
        created_at: crate::db::now(),
    };
    let mut created_file = false;
    let result = audit::write_tx(conn, |c| -> Result<(), AppError> {
        let assessment = refs::assessment(c, assessment_id)?;
        require_draft(&assessment)?;
        created_file = staged.place().map_err(io_error)?.created;
        rows::insert(c, &row, &new.criteria)?;
        audit::append(
            c,
            entry(&row, &new.criteria, &assessment.enterprise.cluster_id),
        )?;
        Ok(())
    });
    if result.is_err() && created_file {
        forget_unreferenced(conn, store, &row.storage_key);
    }
    result.map(|()| Evidence {
        row,
        criteria: new.criteria,
    })
}

/// Evidence goes only to a draft of an open campaign; anything else answers 409.
pub fn require_draft(assessment: &crate::db::refs::AssessmentRef) -> Result<(), AppError> {
    crate::access::require_open(assessment)?;
    if assessment.status.is_editable() {
        Ok(())
    } else {
        Err(not_editable(assessment.status.as_str()))
    }
}

/// The 409 for evidence sent to an assessment that is no longer a draft.
fn not_editable(status: &str) -> AppError {
    AppError::conflict(
        ErrorCode::AssessmentFrozen,
        format!("the assessment is {status}: only a draft takes new evidence"),
    )
}

fn entry(row: &EvidenceRow, criteria: &[String], cluster: &impl ToString) -> Entry {
    Entry {
        actor_id: row.uploaded_by.map(|u| u.to_string()),
        action: "evidence.create".to_owned(),
        subject_type: "evidence".to_owned(),
        subject_id: row.id.to_string(),
        cluster_id: Some(cluster.to_string()),
        before: None,
        after: Some(json!({
            "assessment_id": row.assessment_id,
            "file_name": row.file_name,
            "content_type": row.content_type,
            "size_bytes": row.size_bytes,
            "sha256": row.sha256,
            "effective_date": row.effective_date,
            "criteria": criteria,
        })),
    }
}

/// Removes a stored file no evidence row names. Under the audit lock, which every placing
/// holds, so no upload can come to name the file between the check and the removal.
fn forget_unreferenced(conn: &mut DbConnection, store: &EvidenceStore, key: &str) {
    let outcome = audit::write_tx(conn, |c| -> Result<(), AppError> {
        if !rows::key_in_use(c, key)? {
            store.remove(key).map_err(io_error)?;
        }
        Ok(())
    });
    if let Err(error) = outcome {
        tracing::warn!(%key, ?error, "could not remove the file of a failed upload");
    }
}
