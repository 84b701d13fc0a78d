//! The enterprise table as CSV: UTF-8 with a byte-order mark, which Excel needs to read
//! Chinese text as UTF-8 rather than the local code page.

use super::{header, Row, Table};
use crate::questionnaire::Questionnaire;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The CSV file's bytes.
pub fn to_csv(q: &Questionnaire, table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(header(q))?;
    for row in &table.rows {
        out.write_record(record(q, row))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

fn record(q: &Questionnaire, row: &Row) -> Vec<String> {
    let score =
        |h: Option<crate::scoring::Hundredths>| h.map(|h| h.to_string()).unwrap_or_default();
    let overall = row.verified.as_ref().map(|c| c.overall);
    let mut r = vec![
        text(&row.name),
        text(&row.credit_code),
        text(&row.industry),
        row.size.as_str().to_owned(),
        row.sharing.as_str().to_owned(),
        row.status.as_str().to_owned(),
        score(overall.map(|o| o.score)),
        overall.map(|o| o.level.to_string()).unwrap_or_default(),
    ];
    r.extend(
        q.domains
            .iter()
            .enumerate()
            .map(|(i, d)| score(row.domain(i, d).map(|s| s.score))),
    );
    r.push(score(row.self_overall()));
    r.push(row.bias().map(|b| b.to_string()).unwrap_or_default());
    r
}

/// A text cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return before one) gets a leading single quote, so it stays text. Numbers the
/// export writes itself, such as a negative bias, are left as they are.
pub fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}
