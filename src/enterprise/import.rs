//! Registering many enterprises from a CSV file. Each row stands alone: a bad row, or one
//! whose credit code is taken, is rejected with its line and rejects nothing else.

use crate::auth::AuthUser;
use crate::db::{clusters, DbConnection};
use crate::domain::enterprise::parse_csv;
use crate::error::{AppError, FieldErrors};
use crate::ids::{ClusterId, EnterpriseId};
use crate::questionnaire::model::Choice;

/// What became of one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// The enterprise registered, or the row's problems by field.
    pub result: Result<EnterpriseId, FieldErrors>,
}

/// Reads the file (a file without a usable header row is a 422 on `file`), then registers
/// each good row in the cluster, each in its own transaction with its audit entry.
pub fn import_csv(
    conn: &mut DbConnection,
    user: &AuthUser,
    cluster: ClusterId,
    csv: &[u8],
    industries: &[Choice],
) -> Result<Vec<RowOutcome>, AppError> {
    let rows = parse_csv(csv, industries).map_err(|m| AppError::field("file", m))?;
    clusters::find(conn, cluster)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let result = match row.result {
            Err(errors) => Err(errors),
            Ok(parsed) => match super::register(conn, user, cluster, parsed) {
                Ok(registered) => Ok(registered.id),
                // A taken credit code rejects the row, naming its field.
                Err(AppError::Conflict { fields, .. }) if !fields.is_empty() => Err(fields),
                Err(other) => return Err(other),
            },
        };
        out.push(RowOutcome {
            line: row.line,
            result,
        });
    }
    Ok(out)
}
