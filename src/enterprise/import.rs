//! Registering many enterprises from a CSV file. Each row stands alone: a bad row, or one
//! whose credit code is taken, is rejected with its line and rejects nothing else. A dry run
//! checks every row the same way and writes nothing.

use std::collections::HashSet;

use crate::auth::AuthUser;
use crate::db::{clusters, enterprises, DbConnection};
use crate::domain::enterprise::parse_csv;
use crate::error::{AppError, FieldErrors};
use crate::ids::{ClusterId, EnterpriseId};
use crate::questionnaire::model::Choice;

/// What became of one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// The enterprise registered (none in a dry run), or the row's problems by field.
    pub result: Result<Option<EnterpriseId>, FieldErrors>,
    /// The enterprise's name as the row gives it.
    pub name: String,
    /// The credit code as the row gives it.
    pub credit_code: String,
}

/// Whether the import writes or only says what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    DryRun,
}

/// Reads the file (a file without a usable header row is a 422 on `file`), then registers
/// each good row in the cluster, each in its own transaction with its audit entry. In a dry
/// run nothing is written: a row is rejected for what would reject it (its fields, a credit
/// code earlier in the file or already registered) and otherwise valid.
pub fn import_csv(
    conn: &mut DbConnection,
    user: &AuthUser,
    cluster: ClusterId,
    csv: &[u8],
    industries: &[Choice],
    mode: Mode,
) -> Result<Vec<RowOutcome>, AppError> {
    let rows = parse_csv(csv, industries).map_err(|m| AppError::field("file", m))?;
    clusters::find(conn, cluster)?;
    let taken: HashSet<String> = match mode {
        Mode::Write => HashSet::new(),
        Mode::DryRun => {
            let codes: Vec<String> = rows
                .iter()
                .filter_map(|r| r.result.as_ref().ok())
                .map(|e| e.credit_code.to_string())
                .collect();
            enterprises::taken_credit_codes(conn, &codes)?
                .into_iter()
                .collect()
        }
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (name, credit_code) = (row.name, row.credit_code);
        let result = match row.result {
            Err(errors) => Err(errors),
            Ok(parsed) if mode == Mode::DryRun => {
                if taken.contains(parsed.credit_code.as_str()) {
                    Err(taken_code(user))
                } else {
                    Ok(None)
                }
            }
            Ok(parsed) => match super::register(conn, user, cluster, parsed) {
                Ok(registered) => Ok(Some(registered.id)),
                // A taken credit code rejects the row, naming its field.
                Err(AppError::Conflict { fields, .. } | AppError::Rules { fields, .. })
                    if !fields.is_empty() =>
                {
                    Err(fields)
                }
                Err(other) => return Err(other),
            },
        };
        out.push(RowOutcome {
            line: row.line,
            result,
            name,
            credit_code,
        });
    }
    Ok(out)
}

/// What the registration answers `user` for a taken credit code, for the dry run to say the
/// same.
fn taken_code(user: &AuthUser) -> FieldErrors {
    let message = match user.actor {
        crate::domain::Actor::Admin => crate::error::CREDIT_CODE_TAKEN,
        _ => crate::error::NOT_AVAILABLE,
    };
    FieldErrors::from([("credit_code".to_owned(), vec![message.to_owned()])])
}
