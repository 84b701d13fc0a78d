//! Services for the caller's own account, shared by `/api/v1/me` and the account page: its
//! display name and language, changed with their audit entry. (The password change is
//! [`crate::auth::login::change_password`], throttled like a login.)

use crate::audit::{self, Entry};
use crate::auth::account::User;
use crate::auth::manage::{self, Patch};
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::error::AppError;

/// Changes the caller's display name or language and audits it as `user.update`, in one
/// transaction; an empty patch writes nothing.
pub fn update(conn: &mut DbConnection, user: &AuthUser, patch: &Patch) -> Result<User, AppError> {
    audit::write_tx(conn, |c| {
        let (before, after) = manage::update_own(c, &user.actor, user.id, patch)?;
        if patch.display_name.is_some() || patch.language.is_some() {
            audit::append(
                c,
                Entry::account(user, "user.update", Some(&before), &after),
            )?;
        }
        Ok::<_, AppError>(after)
    })
}
