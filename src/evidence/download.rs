//! A piece of evidence sent back as a file, for the API and for the pages' session alike:
//! always an attachment with its stored type, never rendered by a browser.

use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::HttpResponse;

use super::access::readable;
use super::{EvidenceStore, FileKind};
use crate::db::evidence::Evidence;
use crate::db::DbConnection;
use crate::domain::Actor;
use crate::error::AppError;
use crate::ids::EvidenceId;

/// A stored file with what was recorded about it.
#[derive(Debug)]
pub struct EvidenceFile {
    pub evidence: Evidence,
    pub bytes: Vec<u8>,
}

/// The file of evidence `id`, if `actor` may read it.
pub fn read(
    conn: &mut DbConnection,
    store: &EvidenceStore,
    actor: &Actor,
    id: EvidenceId,
) -> Result<EvidenceFile, AppError> {
    let evidence = readable(conn, actor, id)?;
    let bytes = store
        .read(&evidence.row.storage_key)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("evidence {}: {e}", evidence.row.id)))?;
    Ok(EvidenceFile { evidence, bytes })
}

impl EvidenceFile {
    /// The file as an attachment with its stored type (text as `text/plain`),
    /// `X-Content-Type-Options: nosniff` and a sandboxing policy.
    pub fn into_response(self) -> HttpResponse {
        let row = &self.evidence.row;
        // Only a type this service produces is ever sent; anything else is opaque bytes.
        let content_type = FileKind::from_content_type(&row.content_type)
            .map_or("application/octet-stream", FileKind::content_type);
        HttpResponse::Ok()
            .content_type(content_type)
            .insert_header(attachment(&row.file_name))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ))
            .body(self.bytes)
    }
}

/// Whether a file of this stored type is shown in the browser by [`EvidenceFile::into_view`]:
/// images and PDFs.
pub fn viewable(content_type: &str) -> bool {
    matches!(
        FileKind::from_content_type(content_type),
        Some(FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp)
    )
}

impl EvidenceFile {
    /// An image or PDF to look at in a tab of its own: inline, nothing but the file itself
    /// allowed to load (an image sandboxed; a PDF without the sandbox, which would keep the
    /// browser's viewer from showing it, but with every other source refused). Any other
    /// type is the download of [`EvidenceFile::into_response`].
    pub fn into_view(self) -> HttpResponse {
        let row = &self.evidence.row;
        let Some(kind) =
            FileKind::from_content_type(&row.content_type).filter(|_| viewable(&row.content_type))
        else {
            return self.into_response();
        };
        let policy = if kind == FileKind::Pdf {
            "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
        } else {
            "default-src 'none'; img-src 'self'; frame-ancestors 'self'; sandbox"
        };
        let mut disposition = attachment(&row.file_name);
        disposition.disposition = DispositionType::Inline;
        HttpResponse::Ok()
            .content_type(kind.content_type())
            .insert_header(disposition)
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::CONTENT_SECURITY_POLICY, policy))
            .body(self.bytes)
    }
}

/// `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<the name>` (RFC 6266).
fn attachment(file_name: &str) -> ContentDisposition {
    let fallback: String = file_name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
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
