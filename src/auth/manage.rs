//! Managing accounts on behalf of an actor: every operation asks the policy first.
//!
//! These functions do database work (and hash passwords): call them on a blocking thread.

use crate::audit::{self, Entry};
use crate::auth::account::{
    self, DisplayName, Language, NewAccount, RequestedScope, ScopeFields, User,
};
use crate::auth::password::Password;
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::auth::users::{self, UserChanges};
use crate::auth::{password, session, AuthUser};
use crate::db::DbConnection;
use crate::domain::{Actor, Role};
use crate::error::{AppError, FieldErrors};
use crate::ids::UserId;

/// Creates an account whose scope the actor may create accounts in. A scope id that names
/// nothing answers 404, like one of another tenant.
pub fn create(conn: &mut DbConnection, actor: &Actor, new: &NewAccount) -> Result<User, AppError> {
    let target = users::resolve_scope(conn, &new.scope)?.map_err(|_| AppError::NotFound)?;
    policy::require(actor, Action::Create, &Resource::user(&target))?;
    let hash = password::hash(&new.password)?;
    // A taken username is a 409 `username_taken`, told apart by `AppError::from`, and then
    // as much as the actor may learn of it.
    users::insert(conn, new, &target, &hash)
        .map_err(|e| super::policy::taken_as_told_to(actor, e.into()))
}

/// [`create`], audited as `user.create` in the same transaction (the API and the pages).
/// A generated password is in the answer's account only as its hash: the caller shows
/// `new.password` once when `new.must_change_password` says it was generated.
pub fn create_recorded(
    conn: &mut DbConnection,
    by: &AuthUser,
    new: &NewAccount,
) -> Result<User, AppError> {
    audit::write_tx(conn, |c| {
        let created = create(c, &by.actor, new)?;
        audit::append(c, Entry::account(by, "user.create", None, &created))?;
        Ok(created)
    })
}

/// [`update`], audited as `user.update` in the same transaction.
pub fn update_recorded(
    conn: &mut DbConnection,
    by: &AuthUser,
    id: UserId,
    patch: &Patch,
) -> Result<User, AppError> {
    audit::write_tx(conn, |c| {
        let before = users::find(c, id)?;
        let updated = update(c, &by.actor, by.id, id, patch)?;
        audit::append(
            c,
            Entry::account(by, "user.update", before.as_ref(), &updated),
        )?;
        Ok(updated)
    })
}

/// Replaces the account's password with a generated one it must change at its next login;
/// the old password stops working and every session and refresh token of the account ends.
/// Audited as `user.password_reset` (who, whose; never the password). Admins reset any
/// account, a cluster manager its cluster's enterprise users; nobody resets their own (a 422
/// naming `id`: one's own password is changed with the current one, on the account page or
/// `POST /me/password`). Answers the account and the new password, to be shown once.
/// Blocking: it hashes.
pub fn reset_password(
    conn: &mut DbConnection,
    by: &AuthUser,
    id: UserId,
) -> Result<(User, Password), AppError> {
    let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
    policy::require(
        &by.actor,
        Action::ResetPassword,
        &Resource::user(&target.actor),
    )?;
    if id == by.id {
        return Err(AppError::field(
            "id",
            "you cannot reset your own password; change it with your current one",
        ));
    }
    let temporary = password::generate(&target.username)?;
    let hash = password::hash(&temporary)?;
    let changes = UserChanges {
        password_hash: Some(hash),
        must_change_password: Some(true),
        end_tokens: true,
        ..UserChanges::default()
    };
    let after = audit::write_tx(conn, |c| {
        let after = users::update(c, id, &changes)?;
        session::end_all(c, id)?;
        audit::append(
            c,
            Entry::account(by, "user.password_reset", Some(&target), &after),
        )?;
        Ok::<_, AppError>(after)
    })?;
    tracing::info!(
        target: "dcmm::security",
        event = "user.password_reset",
        by = %by.id,
        user = %id,
        "security event"
    );
    Ok((after, temporary))
}

/// One account the actor may read (its page): admins any, a cluster manager its cluster's
/// enterprise users; another tenant's is a 404.
pub fn get(conn: &mut DbConnection, actor: &Actor, id: UserId) -> Result<User, AppError> {
    let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
    policy::require(actor, Action::Read, &Resource::user(&target.actor))?;
    Ok(target)
}

/// A page of the users the actor may see, by username: those after `after`, at most
/// `limit + 1`.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<User>, AppError> {
    policy::require(actor, Action::List, &Resource::global(Kind::Users))?;
    Ok(users::list_visible(conn, actor, after, limit)?)
}

/// A change of role or scope as a client sent it. Without a role, the user keeps its role
/// and the scope fields move it within that role.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    pub role: Option<Role>,
    pub cluster_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub cluster_ids: Option<Vec<String>>,
}

/// Changes to an account, parsed.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    pub display_name: Option<DisplayName>,
    pub language: Option<Language>,
    pub disabled: Option<bool>,
    pub grant: Option<Grant>,
}

/// Applies a patch: anyone who may update the account changes its name, language and
/// disabled flag; a change of role or scope needs the grant permission (admins only).
/// Disabling an account or changing its scope ends all its sessions and tokens.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    actor_id: UserId,
    id: UserId,
    patch: &Patch,
) -> Result<User, AppError> {
    let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
    let current = Resource::user(&target.actor);
    policy::require(actor, Action::Update, &current)?;
    let new_actor = match &patch.grant {
        Some(grant) => {
            policy::require(actor, Action::Grant, &current)?;
            let moved = resolve_grant(conn, &target, grant)?;
            policy::require(actor, Action::Grant, &Resource::user(&moved))?;
            Some(moved)
        }
        None => None,
    };
    let mut errors = FieldErrors::new();
    if id == actor_id && patch.disabled == Some(true) {
        account::push(
            &mut errors,
            "disabled",
            "you cannot disable your own account",
        );
    }
    if id == actor_id && new_actor.is_some() {
        account::push(
            &mut errors,
            "role",
            "you cannot change your own role or scope",
        );
    }
    account::check(errors)?;
    let disabling = patch.disabled == Some(true) && !target.disabled;
    let changes = UserChanges {
        display_name: patch.display_name.as_ref().map(|n| n.as_str().to_owned()),
        language: patch.language.map(|l| l.as_str().to_owned()),
        disabled: patch.disabled,
        end_tokens: disabling || new_actor.is_some(),
        actor: new_actor,
        password_hash: None,
        must_change_password: None,
    };
    apply(conn, id, &changes)
}

/// Changes the caller's own account (`PATCH /me`, the account page): its display name and
/// language, nothing else; disabling it or changing its role or scope is for whoever manages
/// it. Answers the account before and after the change (the same when the patch is empty).
pub fn update_own(
    conn: &mut DbConnection,
    actor: &Actor,
    id: UserId,
    patch: &Patch,
) -> Result<(User, User), AppError> {
    policy::require(actor, Action::Update, &Resource::global(Kind::Account))?;
    let mut errors = FieldErrors::new();
    if patch.disabled.is_some() {
        account::push(
            &mut errors,
            "disabled",
            "is changed by whoever manages your account",
        );
    }
    if patch.grant.is_some() {
        account::push(
            &mut errors,
            "role",
            "you cannot change your own role or scope",
        );
    }
    account::check(errors)?;
    let before = users::find(conn, id)?.ok_or(AppError::Unauthorized)?;
    if patch.display_name.is_none() && patch.language.is_none() {
        return Ok((before.clone(), before));
    }
    let changes = UserChanges {
        display_name: patch.display_name.as_ref().map(|n| n.as_str().to_owned()),
        language: patch.language.map(|l| l.as_str().to_owned()),
        ..UserChanges::default()
    };
    let after = apply(conn, id, &changes)?;
    Ok((before, after))
}

/// Writes the changes, ending the account's sessions when they say so, in one transaction.
fn apply(conn: &mut DbConnection, id: UserId, changes: &UserChanges) -> Result<User, AppError> {
    diesel::Connection::transaction(conn, |conn| {
        let user = users::update(conn, id, changes)?;
        if changes.end_tokens {
            session::end_all(conn, id)?;
        }
        Ok(user)
    })
}

/// The actor the target becomes: its role (new or kept) with the scope the grant names.
fn resolve_grant(conn: &mut DbConnection, target: &User, grant: &Grant) -> Result<Actor, AppError> {
    let role = grant.role.unwrap_or(target.actor.role());
    let fields = ScopeFields {
        cluster_id: grant.cluster_id.as_deref(),
        enterprise_id: grant.enterprise_id.as_deref(),
        cluster_ids: grant.cluster_ids.as_deref(),
    };
    let mut errors = FieldErrors::new();
    let scope = RequestedScope::parse(role, &fields, &mut errors);
    account::check(errors)?;
    let scope = scope.ok_or_else(|| AppError::field("role", "has no scope"))?;
    users::resolve_scope(conn, &scope)?.map_err(|_| AppError::NotFound)
}
