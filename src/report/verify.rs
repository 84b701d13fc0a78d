//! Whether a file, a SHA-256 or a report id is a report this service issued, and what that
//! report says: the service behind `POST /api/v1/reports/verify` and the `/verify` page.
//!
//! Anyone may ask, logged in or not, so the answer holds only what the PDF itself prints
//! (report id, subject name, kind, the day of its data, the indicated level, whether it is
//! final) and the day it was issued: no internal ids, no user, no storage path. Callers
//! without a login are throttled per client address ([`admit`]).

use std::net::IpAddr;

use chrono::{Duration, NaiveDate};
use sha2::{Digest, Sha256};

use crate::auth::throttle;
use crate::db::reports::{self, ReportRow};
use crate::db::{self, DbConnection};
use crate::error::AppError;
use crate::ids::ReportId;
use crate::questionnaire::Lang;

/// What a reader sent.
#[derive(Debug, Clone)]
pub enum Asked {
    /// The PDF's bytes.
    File(Vec<u8>),
    /// Its SHA-256, lower-case hex.
    Sha256(String),
    ReportId(ReportId),
}

/// How a report id or a SHA-256 typed by a reader is read: `DCMM-…`, or 64 hex digits.
pub fn parse_typed(text: &str) -> Option<Asked> {
    let text = text.trim();
    if let Ok(id) = text.parse::<ReportId>() {
        return Some(Asked::ReportId(id));
    }
    (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Asked::Sha256(text.to_ascii_lowercase()))
}

/// What was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Checked {
    File,
    Sha256,
    ReportId,
}

/// The answer, in kinds a reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The file (or a file with this SHA-256) is a report this service issued, unaltered.
    Genuine,
    /// A report with this id was issued; nothing says whether any given file is it.
    Issued,
    /// The file names a report this service issued but is not that file: altered or damaged.
    Altered,
    /// Nothing this service issued has this content or id.
    NotIssued,
}

/// What a report prints about itself, as anyone may be told.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PublicReport {
    /// The report id printed in every footer.
    pub id: ReportId,
    /// `assessment` (an enterprise assessment report) or `campaign` (a cluster readiness report).
    pub kind: String,
    /// The subject as printed: the enterprise, or the cluster and campaign. Null for a report
    /// recorded before subjects were kept.
    pub subject: Option<String>,
    /// The day of the data the report shows.
    pub data_as_of: Option<NaiveDate>,
    /// The day this service first issued it.
    pub issued_on: NaiveDate,
    /// The indicated level with its name (an enterprise report) or the readiness tier (a
    /// cluster report), as printed in the report's language; null when it shows none.
    pub indicated_level: Option<String>,
    /// Every page of it says it is not final (the assessment awaited review or was a draft).
    pub not_final: Option<bool>,
}

impl From<&ReportRow> for PublicReport {
    fn from(r: &ReportRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind.clone(),
            subject: r.subject_name.clone(),
            data_as_of: r.data_date,
            issued_on: r.created_at.date(),
            indicated_level: r.indicated_level.clone(),
            not_final: r.not_final,
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub checked: Checked,
    /// The issued report matched (a file or SHA-256) or named (a report id).
    pub row: Option<ReportRow>,
    /// A file that matches nothing but names an issued report in it: that report's id.
    pub altered_copy_of: Option<ReportId>,
    /// The SHA-256 that was looked up (of the file, or as sent); none for a report id.
    pub sha256: Option<String>,
}

/// Looks up what was sent. Blocking: it hashes a file.
pub fn check(conn: &mut DbConnection, asked: Asked) -> Result<Outcome, AppError> {
    let outcome = match asked {
        Asked::File(bytes) => {
            let sha = hex::encode(Sha256::digest(&bytes));
            let row = reports::find_by_sha256(conn, &sha)?;
            let altered_copy_of = match row {
                Some(_) => None,
                None => named_report(conn, &bytes)?,
            };
            Outcome {
                checked: Checked::File,
                row,
                altered_copy_of,
                sha256: Some(sha),
            }
        }
        Asked::Sha256(sha) => Outcome {
            checked: Checked::Sha256,
            row: reports::find_by_sha256(conn, &sha)?,
            altered_copy_of: None,
            sha256: Some(sha),
        },
        Asked::ReportId(id) => Outcome {
            checked: Checked::ReportId,
            row: reports::find(conn, id)?,
            altered_copy_of: None,
            sha256: None,
        },
    };
    Ok(outcome)
}

/// The first issued report whose id the bytes spell out (a report carries its id in its
/// document information, in plain text even where its pages are compressed).
fn named_report(conn: &mut DbConnection, bytes: &[u8]) -> Result<Option<ReportId>, AppError> {
    let mut seen = Vec::new();
    for at in memchr_all(bytes, b"DCMM-") {
        let Some(text) = bytes
            .get(at..at + 24)
            .and_then(|b| std::str::from_utf8(b).ok())
        else {
            continue;
        };
        let Ok(id) = text.parse::<ReportId>() else {
            continue;
        };
        if seen.contains(&id) {
            continue;
        }
        if reports::find(conn, id)?.is_some() {
            return Ok(Some(id));
        }
        seen.push(id);
        // A real report names itself a handful of times; a file full of ids is not worth more.
        if seen.len() >= 8 {
            break;
        }
    }
    Ok(None)
}

fn memchr_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, w)| *w == needle)
        .map(|(i, _)| i)
}

impl Outcome {
    /// Whether what was sent is (a file or SHA-256) or names (a report id) an issued report.
    pub fn valid(&self) -> bool {
        self.row.is_some()
    }

    /// For a file or SHA-256, whether it is an issued report's; none for a report id.
    pub fn sha256_match(&self) -> Option<bool> {
        (self.checked != Checked::ReportId).then_some(self.row.is_some())
    }

    pub fn verdict(&self) -> Verdict {
        match (&self.row, self.checked, self.altered_copy_of) {
            (Some(_), Checked::ReportId, _) => Verdict::Issued,
            (Some(_), _, _) => Verdict::Genuine,
            (None, _, Some(_)) => Verdict::Altered,
            (None, _, None) => Verdict::NotIssued,
        }
    }

    pub fn public(&self) -> Option<PublicReport> {
        self.row.as_ref().map(PublicReport::from)
    }

    /// The answer in plain words.
    pub fn statement(&self, lang: Lang) -> String {
        let facts = self
            .public()
            .map(|r| describe(&r, lang))
            .unwrap_or_default();
        match (self.verdict(), lang) {
            (Verdict::Genuine, Lang::Zh) => format!("真实：{facts}此文件未被改动。"),
            (Verdict::Genuine, Lang::En) => format!("Genuine: {facts} The file is unaltered."),
            (Verdict::Issued, Lang::Zh) => format!(
                "{facts}报告编号只能说明本服务签发过这样一份报告及其内容，不能证明某个文件是真实的：\
                 请上传文件本身（或发送其 SHA-256）核验。"
            ),
            (Verdict::Issued, Lang::En) => format!(
                "{facts} A report id shows only that this service issued such a report and what it \
                 says, not that a given file is genuine: upload the file itself (or send its \
                 SHA-256) to check it."
            ),
            (Verdict::Altered, Lang::Zh) => format!(
                "不是真实文件：此文件写有报告编号 {}，本服务签发过该报告，但此文件的内容与签发的文件不同，\
                 已被改动或损坏。",
                self.altered_id()
            ),
            (Verdict::Altered, Lang::En) => format!(
                "Not genuine: this file names report {}, which this service issued, but its \
                 content differs from the issued file: it was altered or damaged.",
                self.altered_id()
            ),
            (Verdict::NotIssued, Lang::Zh) => match self.checked {
                Checked::ReportId => "本服务没有签发过此编号的报告。".to_owned(),
                _ => "不是本服务签发的报告：本服务签发的报告中没有内容与之相同的文件。".to_owned(),
            },
            (Verdict::NotIssued, Lang::En) => match self.checked {
                Checked::ReportId => "This service issued no report with this id.".to_owned(),
                _ => "Not issued by this service: no report it issued has this content."
                    .to_owned(),
            },
        }
    }

    fn altered_id(&self) -> String {
        self.altered_copy_of
            .map(|id| id.to_string())
            .unwrap_or_default()
    }
}

/// "report DCMM-… (an enterprise assessment report), issued on …, for …, data as of …,
/// indicated level …" in a sentence.
fn describe(r: &PublicReport, lang: Lang) -> String {
    let kind = match (r.kind.as_str(), lang) {
        ("assessment", Lang::Zh) => "企业评估报告",
        ("assessment", Lang::En) => "enterprise assessment report",
        (_, Lang::Zh) => "集群就绪度报告",
        (_, Lang::En) => "cluster readiness report",
    };
    let unknown = lang.t("（未记录）", "(not recorded)");
    let subject = r.subject.as_deref().unwrap_or(unknown);
    let as_of = r
        .data_as_of
        .map_or_else(|| unknown.to_owned(), |d| d.to_string());
    let level = r.indicated_level.as_deref().unwrap_or("—");
    let not_final = r.not_final == Some(true);
    match lang {
        Lang::Zh => format!(
            "报告 {id}（{kind}）由本服务于 {issued} 签发，对象：{subject}，数据截至 {as_of}，{label}：{level}{mark}。",
            id = r.id,
            issued = r.issued_on,
            label = if r.kind == "assessment" { "指示等级" } else { "就绪度" },
            mark = if not_final { "（报告注明尚未定稿）" } else { "" },
        ),
        Lang::En => format!(
            "report {id} ({kind}) was issued by this service on {issued} for {subject}, data as of {as_of}, {label} {level}{mark}.",
            id = r.id,
            issued = r.issued_on,
            label = if r.kind == "assessment" { "indicated level" } else { "readiness tier" },
            mark = if not_final { " (the report says it is not final)" } else { "" },
        ),
    }
}

/// Counts one unauthenticated check from `client` and refuses it (429 with the wait) past
/// [`throttle::VERIFY_PER_ADDRESS`] in the current window. Shared by every instance through
/// the database, like the login throttle.
pub fn admit(conn: &mut DbConnection, client: Option<IpAddr>) -> Result<(), AppError> {
    let Some(address) = client else {
        return Ok(());
    };
    let limit = throttle::VERIFY_PER_ADDRESS;
    let now = chrono::Utc::now().naive_utc();
    let window = Duration::seconds(limit.secs);
    let key = throttle::verify_key(address);
    let (count, started) = db::throttle::count_request(conn, &key, now, now - window)?;
    if count > limit.requests {
        return Err(AppError::TooManyRequests {
            retry_after_secs: throttle::retry_after_secs(started + window, now),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_report_id_or_sha256_is_recognised() {
        assert!(matches!(
            parse_typed(" dcmm-1a2b-3c4d-5e6f-7a8b "),
            Some(Asked::ReportId(id)) if id.to_string() == "DCMM-1A2B-3C4D-5E6F-7A8B"
        ));
        let sha = "AB".repeat(32);
        assert!(matches!(parse_typed(&sha), Some(Asked::Sha256(s)) if s == "ab".repeat(32)));
        for bad in [
            "",
            "DCMM-1A2B",
            "x".repeat(64).as_str(),
            "ab".repeat(31).as_str(),
        ] {
            assert!(parse_typed(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ids_are_found_wherever_they_are_spelled_out() {
        let bytes = b"%PDF /Identifier(DCMM-1A2B-3C4D-5E6F-7A8B) DCMM- DCMM-";
        let found: Vec<usize> = memchr_all(bytes, b"DCMM-").collect();
        assert_eq!(found, [17, 43, 49]);
    }
}
