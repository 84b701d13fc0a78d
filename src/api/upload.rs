//! Reads an evidence upload (`multipart/form-data`) into an [`Upload`], bounding every part.
//! The file part goes to a temporary file of the store as it arrives, hashed and checked on
//! the way: an upload is never held whole in memory.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::header::DispositionParam;
use actix_web::web;
use futures_util::StreamExt;

pub use crate::multipart::Form;
use crate::multipart::OffBody;

use crate::error::{AppError, ErrorCode};
use crate::evidence::kind::{clean_file_name, Detector};
use crate::evidence::store::Staging;
use crate::evidence::{EvidenceStore, ReceivedFile, Upload, MAX_CRITERIA};

/// How many bytes of a file part are gathered before they are written out, on a blocking
/// thread, in one go.
const WRITE_CHUNK: usize = 256 * 1024;

/// The most bytes a text part (`criteria`, `effective_date`) may have.
const MAX_TEXT_BYTES: usize = 8 * 1024;

/// Reads every part of an evidence upload, the file streamed into `store`'s staging; see
/// [`read_parts`].
pub async fn read(
    form: Form,
    store: &EvidenceStore,
    max_file_bytes: usize,
) -> Result<Upload, AppError> {
    form.read_with(|parts, off_body| read_parts(parts, off_body, store, max_file_bytes))
        .await
}

/// Reads every part. A file over `max_file_bytes` is a 413 as soon as it is known; a part
/// other than `file`, `criteria` and `effective_date`, or a second file, is a 422 naming it.
async fn read_parts(
    mut form: Multipart,
    off_body: OffBody,
    store: &EvidenceStore,
    max_file_bytes: usize,
) -> Result<Upload, AppError> {
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
                upload.file =
                    Some(receive(&mut field, &off_body, store, &file_name, max_file_bytes).await?);
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

/// Writes the file part to a temporary file of the store while its kind is decided; a 413
/// as soon as it passes `limit` (the temporary file is removed, the rest left unread).
async fn receive(
    field: &mut Field,
    off_body: &OffBody,
    store: &EvidenceStore,
    file_name: &str,
    limit: usize,
) -> Result<ReceivedFile, AppError> {
    let mut detector =
        clean_file_name(file_name).and_then(|name| Detector::for_name(&name).map(|d| (name, d)));
    let store = store.clone();
    let mut staging = off_body.wait(web::block(move || store.begin())).await??;
    let mut received = 0usize;
    let mut buffer = Vec::with_capacity(WRITE_CHUNK);
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(multipart_error)?;
        received += chunk.len();
        if received > limit {
            return Err(AppError::PayloadTooLarge);
        }
        if let Ok((_, detector)) = &mut detector {
            detector.feed(&chunk);
        }
        buffer.extend_from_slice(&chunk);
        if buffer.len() >= WRITE_CHUNK {
            (staging, buffer) = off_body.wait(write(staging, buffer)).await?;
        }
    }
    let (staging, _) = off_body.wait(write(staging, buffer)).await?;
    let content = off_body
        .wait(web::block(move || staging.finish()))
        .await??;
    let checked = detector.and_then(|(name, detector)| detector.finish().map(|kind| (name, kind)));
    Ok(ReceivedFile { content, checked })
}

/// Appends `buffer` to the staged file on a blocking thread; answers both back, the buffer
/// emptied for reuse.
async fn write(mut staging: Staging, mut buffer: Vec<u8>) -> Result<(Staging, Vec<u8>), AppError> {
    if buffer.is_empty() {
        return Ok((staging, buffer));
    }
    Ok(web::block(move || {
        staging.write(&buffer)?;
        buffer.clear();
        Ok::<_, std::io::Error>((staging, buffer))
    })
    .await??)
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
