//! Reads an evidence upload (`multipart/form-data`) into an [`Upload`], bounding every part.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::header::DispositionParam;
use futures_util::StreamExt;

pub use crate::multipart::Form;

use crate::error::{AppError, ErrorCode};
use crate::evidence::{Upload, MAX_CRITERIA};

/// The most bytes a text part (`criteria`, `effective_date`) may have.
const MAX_TEXT_BYTES: usize = 8 * 1024;

/// Reads every part of an evidence upload; see [`read_parts`].
pub async fn read(form: Form, max_file_bytes: usize) -> Result<Upload, AppError> {
    form.read(|parts| read_parts(parts, max_file_bytes)).await
}

/// Reads every part. A file over `max_file_bytes` is a 413 as soon as it is known; a part
/// other than `file`, `criteria` and `effective_date`, or a second file, is a 422 naming it.
async fn read_parts(mut form: Multipart, max_file_bytes: usize) -> Result<Upload, AppError> {
    let mut upload = Upload::default();
    let mut text_parts = 0;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(multipart_error)?;
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if upload.file.is_some() => {
                return Err(AppError::field("file", "send exactly one file"));
            }
            "file" => {
                let file_name = file_name(&field)
                    .ok_or_else(|| AppError::field("file", "the file part has no file name"))?;
                let bytes = collect(&mut field, max_file_bytes)
                    .await?
                    .ok_or(AppError::PayloadTooLarge)?;
                upload.file = Some((file_name, bytes));
            }
            "criteria" | "effective_date" => {
                text_parts += 1;
                let too_long = || AppError::field(name.as_str(), "is too long");
                if text_parts > MAX_CRITERIA + 1 {
                    return Err(too_long());
                }
                let bytes = collect(&mut field, MAX_TEXT_BYTES)
                    .await?
                    .ok_or_else(too_long)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| AppError::field(name.as_str(), "must be UTF-8 text"))?;
                if name == "criteria" {
                    upload.criteria.extend(
                        text.split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned),
                    );
                } else {
                    upload.effective_date = Some(text);
                }
            }
            other => {
                let field = if other.is_empty() { "body" } else { other };
                return Err(AppError::field(
                    field,
                    "unknown part; send file, criteria and effective_date",
                ));
            }
        }
    }
    Ok(upload)
}

/// The part's file name: the UTF-8 `filename*` if given, else `filename` (which browsers
/// send as raw UTF-8).
fn file_name(field: &Field) -> Option<String> {
    let disposition = field.content_disposition()?;
    let extended = disposition.parameters.iter().find_map(|p| match p {
        DispositionParam::FilenameExt(value) => String::from_utf8(value.value.clone()).ok(),
        _ => None,
    });
    extended.or_else(|| disposition.get_filename().map(str::to_owned))
}

/// The part's bytes, or `None` once they pass `limit` (the rest is left unread).
async fn collect(field: &mut Field, limit: usize) -> Result<Option<Vec<u8>>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(multipart_error)?;
        if bytes.len() + chunk.len() > limit {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

fn multipart_error(e: MultipartError) -> AppError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => {
            AppError::UnsupportedMediaType("expected a multipart/form-data body".into())
        }
        other => AppError::BadRequest {
            code: ErrorCode::InvalidMultipart,
            message: format!("the multipart body could not be read: {other}"),
        },
    }
}
