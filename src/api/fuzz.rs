//! Property tests of the multipart evidence upload: its parts and file names (the answers
//! JSON's are in `api::answers::fuzz`). See `crate::fuzz` for how many cases run.

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::web::Bytes;
use actix_web::ResponseError;
use proptest::prelude::*;

use super::upload;
use crate::error::AppError;
use crate::evidence::kind::clean_file_name;
use crate::evidence::EvidenceStore;
use crate::fuzz::config;
use sha2::Digest;

const BOUNDARY: &str = "fuzzboundary7MA4YWxk";

/// Reads `body` as an upload sent in chunks cut at `cuts`, as the server would.
fn read(body: Vec<u8>, cuts: &[usize], max_file_bytes: usize) -> Result<Read, AppError> {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("multipart/form-data; boundary=fuzzboundary7MA4YWxk"),
    );
    let mut chunks = Vec::new();
    let mut from = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    cuts.sort_unstable();
    for cut in cuts {
        chunks.push(Ok::<_, actix_web::error::PayloadError>(
            Bytes::copy_from_slice(&body[from..cut.max(from)]),
        ));
        from = cut.max(from);
    }
    chunks.push(Ok(Bytes::copy_from_slice(&body[from..])));
    let stream = futures_util::stream::iter(chunks);
    let form = upload::Form::new(&headers, stream);
    // Each case streams its file into a store of its own, removed after the case.
    static CASE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = CASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dcmm-fuzz-{}-{n}", std::process::id()));
    let store = EvidenceStore::new(&dir);
    let read = actix_web::rt::System::new().block_on(upload::read(form, &store, max_file_bytes));
    let read = read.map(|upload| {
        (
            upload.criteria.clone(),
            upload.file.map(|f| {
                let name = f.checked.ok().map(|(name, _)| name);
                (name, f.content.sha256.clone(), f.content.size)
            }),
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    read
}

/// What a read upload kept: its criteria and, for its file, the cleaned name (when the file
/// passed its checks), the SHA-256 and the size of what was streamed.
type Read = (Vec<String>, Option<(Option<String>, String, u64)>);

fn part(name: &str, file_name: Option<&str>, content: &[u8]) -> Vec<u8> {
    let mut p = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"");
    if let Some(f) = file_name {
        p += &format!("; filename=\"{f}\"");
    }
    p += "\r\nContent-Type: application/octet-stream\r\n\r\n";
    let mut p = p.into_bytes();
    p.extend_from_slice(content);
    p.extend_from_slice(b"\r\n");
    p
}

fn end() -> Vec<u8> {
    format!("--{BOUNDARY}--\r\n").into_bytes()
}

/// A refusal is the client's fault and says so: never a 5xx.
fn refused_as_a_client_error(e: &AppError) -> Result<(), TestCaseError> {
    let status = e.status_code();
    prop_assert!(status.is_client_error(), "{status}: {e:?}");
    Ok(())
}

/// What a kept file name must be, and cleaning it again changes nothing.
fn check_clean(raw: &str) -> Result<(), TestCaseError> {
    if let Ok(name) = clean_file_name(raw) {
        prop_assert!(!name.is_empty() && name.chars().count() <= 200, "{name:?}");
        prop_assert!(!name.contains(['/', '\\']) && !name.chars().any(char::is_control));
        // No bidirectional override or zero-width character survives.
        let hidden = |c: char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
        prop_assert!(!name.chars().any(hidden), "{:?}", name);
        prop_assert_eq!(name.trim(), name.as_str());
        prop_assert_eq!(clean_file_name(&name), Ok(name.clone()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_well_formed_upload_reads_back_its_parts(
        file_name in "[A-Za-z0-9 ._()\u{4e00}-\u{4e20}-]{1,60}",
        content in prop::collection::vec(any::<u8>(), 0..600),
        criteria in prop::collection::vec("[0-9A-Za-z:.]{1,14}", 0..4),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let marker = format!("\r\n--{BOUNDARY}");
        prop_assume!(!content.windows(marker.len()).any(|w| w == marker.as_bytes()));
        let mut body = part("file", Some(&file_name), &content);
        body.extend(part("criteria", None, criteria.join(",").as_bytes()));
        body.extend(end());
        let (read_criteria, file) = read(body, &cuts, 1 << 20).unwrap();
        let (name, sha256, size) = file.unwrap();
        if let Some(name) = name {
            prop_assert_eq!(Ok(name), clean_file_name(&file_name));
        }
        prop_assert_eq!(sha256, hex::encode(sha2::Sha256::digest(&content)));
        prop_assert_eq!(size, content.len() as u64);
        prop_assert_eq!(read_criteria, criteria);
    }

    #[test]
    fn any_upload_body_is_read_or_refused_as_a_client_error(
        parts in prop::collection::vec(
            (
                prop::sample::select(vec!["file", "criteria", "effective_date", "other", ""]),
                prop::option::of("\\PC{0,30}"),
                prop::collection::vec(any::<u8>(), 0..80),
            ),
            0..4,
        ),
        garbage in prop::collection::vec(any::<u8>(), 0..60),
        splice in any::<prop::sample::Index>(),
        closed in any::<bool>(),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        let mut body = Vec::new();
        for (name, file_name, content) in &parts {
            body.extend(part(name, file_name.as_deref(), content));
        }
        if closed {
            body.extend(end());
        }
        // Bytes in a random place: headers, boundaries or content.
        let at = splice.index(body.len() + 1);
        body.splice(at..at, garbage);
        match read(body, &cuts, 64) {
            Err(e) => refused_as_a_client_error(&e)?,
            Ok((_, file)) => {
                if let Some((name, _, size)) = &file {
                    prop_assert!(*size <= 64);
                    if let Some(name) = name {
                        check_clean(name)?;
                    }
                }
            }
        }
    }

    #[test]
    fn a_cleaned_file_name_is_safe_and_stays_as_it_is(
        raw in "\\PC{0,40}|[./\\\\ a\u{202e}\u{200b}\t\n]{0,30}|.{190,260}",
    ) {
        check_clean(&raw)?;
    }
}

/// Found by `any_upload_body_is_read_or_refused_as_a_client_error`: a body that ends right
/// after a part's content and line break, without the closing boundary, kept the reader
/// waiting for ever.
#[test]
fn a_body_cut_off_inside_a_part_is_refused_rather_than_waited_on() {
    for cut_off in [
        part("file", Some("a.pdf"), b"%PDF-1.4"),
        part("criteria", None, b"2025:6.1:L1:1"),
        [part("criteria", None, b"x"), b"\r\n".to_vec()].concat(),
    ] {
        for cuts in [vec![], vec![3], vec![usize::MAX]] {
            match read(cut_off.clone(), &cuts, 64) {
                Err(AppError::BadRequest { message, .. }) => {
                    assert!(message.contains("could not be read"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
