//! User accounts: rows, scope look-ups, inserts and updates.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DbError;

use crate::auth::account::{NewAccount, RequestedScope, User};
use crate::config::Secret;
use crate::db::schema::{auditor_clusters, clusters, enterprises, users};
use crate::db::DbConnection;
use crate::domain::{Actor, Role};
use crate::ids::{ClusterId, EnterpriseId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub cluster_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub disabled: bool,
    pub language: String,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub must_change_password: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    id: String,
    username: &'a str,
    display_name: &'a str,
    password_hash: &'a str,
    role: &'static str,
    cluster_id: Option<String>,
    enterprise_id: Option<String>,
    disabled: bool,
    language: &'static str,
    token_version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    must_change_password: bool,
}

/// Which scope id of a request names nothing (or nothing the caller may know about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingScope {
    pub field: &'static str,
    pub id: String,
}

/// Stored text that is not what the service writes: a corrupt row.
fn corrupt(what: &str, value: &str) -> DbError {
    DbError::DeserializationError(format!("users: bad {what} {value:?}").into())
}

fn parse<T: std::str::FromStr>(what: &str, value: &str) -> QueryResult<T> {
    value.parse().map_err(|_| corrupt(what, value))
}

/// The user's scope from its row, its enterprise's cluster and its auditor assignments.
fn actor_of(
    row: &UserRow,
    enterprise_cluster: Option<&str>,
    assigned: &[String],
) -> QueryResult<Actor> {
    fn need<'a>(v: Option<&'a str>, what: &str) -> QueryResult<&'a str> {
        v.ok_or_else(|| corrupt(what, "NULL"))
    }
    Ok(match parse::<Role>("role", &row.role)? {
        Role::Admin => Actor::Admin,
        Role::ClusterManager => Actor::ClusterManager {
            cluster: parse("cluster_id", need(row.cluster_id.as_deref(), "cluster_id")?)?,
        },
        Role::Enterprise => Actor::Enterprise {
            cluster: parse("cluster", need(enterprise_cluster, "enterprise cluster")?)?,
            enterprise: parse(
                "enterprise_id",
                need(row.enterprise_id.as_deref(), "enterprise_id")?,
            )?,
        },
        Role::Auditor => Actor::Auditor {
            clusters: assigned
                .iter()
                .map(|c| parse("auditor cluster", c))
                .collect::<QueryResult<_>>()?,
        },
    })
}

fn to_user(
    row: UserRow,
    enterprise_cluster: Option<&str>,
    assigned: &[String],
) -> QueryResult<User> {
    let actor = actor_of(&row, enterprise_cluster, assigned)?;
    Ok(User {
        id: parse("id", &row.id)?,
        username: row.username,
        display_name: row.display_name,
        actor,
        disabled: row.disabled,
        language: parse("language", &row.language)?,
        token_version: row.token_version,
        must_change_password: row.must_change_password,
        password_hash: Secret::new(row.password_hash),
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The users with these ids, with their scopes, ordered by username.
fn load(conn: &mut DbConnection, ids: Vec<String>) -> QueryResult<Vec<User>> {
    let rows: Vec<(UserRow, Option<String>)> = users::table
        .left_join(enterprises::table)
        .filter(users::id.eq_any(&ids))
        .order(users::username.asc())
        .select((UserRow::as_select(), enterprises::cluster_id.nullable()))
        .load(conn)?;
    let assignments: Vec<(String, String)> = auditor_clusters::table
        .filter(auditor_clusters::user_id.eq_any(&ids))
        .order(auditor_clusters::cluster_id.asc())
        .select((auditor_clusters::user_id, auditor_clusters::cluster_id))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, cluster)| {
            let assigned: Vec<String> = assignments
                .iter()
                .filter(|(user, _)| *user == row.id)
                .map(|(_, c)| c.clone())
                .collect();
            to_user(row, cluster.as_deref(), &assigned)
        })
        .collect()
}

/// One user by id. Every authenticated request asks this, so it is two statements that stay
/// prepared (an `IN` list would be prepared anew each time).
pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
    let id = id.to_string();
    let row: Option<(UserRow, Option<String>)> = users::table
        .left_join(enterprises::table)
        .filter(users::id.eq(&id))
        .select((UserRow::as_select(), enterprises::cluster_id.nullable()))
        .get_result(conn)
        .optional()?;
    let Some((row, cluster)) = row else {
        return Ok(None);
    };
    let assigned: Vec<String> = auditor_clusters::table
        .filter(auditor_clusters::user_id.eq(&id))
        .order(auditor_clusters::cluster_id.asc())
        .select(auditor_clusters::cluster_id)
        .load(conn)?;
    to_user(row, cluster.as_deref(), &assigned).map(Some)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<User>> {
    let ids = users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .load(conn)?;
    Ok(load(conn, ids)?.pop())
}

/// A page of the users an actor may list, by username: those after `after`, at most
/// `limit + 1` (the extra one only says that more follow). All for an admin; for a cluster
/// manager its cluster's managers and the users of its cluster's enterprises; nobody else
/// lists users.
pub fn list_visible(
    conn: &mut DbConnection,
    actor: &Actor,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table
        .select(users::id)
        .order(users::username.asc())
        .limit(limit + 1)
        .into_boxed();
    match actor {
        Actor::Admin => {}
        Actor::ClusterManager { cluster } => {
            let cluster = cluster.to_string();
            let in_cluster = enterprises::table
                .filter(enterprises::cluster_id.eq(cluster.clone()))
                .select(enterprises::id.nullable());
            query = query.filter(
                users::cluster_id
                    .eq(cluster)
                    .or(users::enterprise_id.eq_any(in_cluster)),
            );
        }
        Actor::Enterprise { .. } | Actor::Auditor { .. } => return Ok(Vec::new()),
    }
    if let Some(after) = after {
        query = query.filter(users::username.gt(after.to_owned()));
    }
    let ids = query.load(conn)?;
    load(conn, ids)
}

/// Looks up the ids of a requested scope; answers which one names nothing.
pub fn resolve_scope(
    conn: &mut DbConnection,
    scope: &RequestedScope,
) -> QueryResult<Result<Actor, MissingScope>> {
    let cluster_exists = |conn: &mut DbConnection, id: ClusterId| -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            clusters::table.filter(clusters::id.eq(id.to_string())),
        ))
        .get_result(conn)
    };
    Ok(match scope {
        RequestedScope::Admin => Ok(Actor::Admin),
        RequestedScope::ClusterManager(cluster) => {
            if cluster_exists(conn, *cluster)? {
                Ok(Actor::ClusterManager { cluster: *cluster })
            } else {
                Err(MissingScope {
                    field: "cluster_id",
                    id: cluster.to_string(),
                })
            }
        }
        RequestedScope::Enterprise(enterprise) => match enterprise_cluster(conn, *enterprise)? {
            Some(cluster) => Ok(Actor::Enterprise {
                cluster,
                enterprise: *enterprise,
            }),
            None => Err(MissingScope {
                field: "enterprise_id",
                id: enterprise.to_string(),
            }),
        },
        RequestedScope::Auditor(ids) => {
            for id in ids {
                if !cluster_exists(conn, *id)? {
                    return Ok(Err(MissingScope {
                        field: "cluster_ids",
                        id: id.to_string(),
                    }));
                }
            }
            Ok(Actor::Auditor {
                clusters: ids.clone(),
            })
        }
    })
}

pub fn enterprise_cluster(
    conn: &mut DbConnection,
    enterprise: EnterpriseId,
) -> QueryResult<Option<ClusterId>> {
    let cluster: Option<String> = enterprises::table
        .filter(enterprises::id.eq(enterprise.to_string()))
        .select(enterprises::cluster_id)
        .first(conn)
        .optional()?;
    cluster.map(|c| parse("enterprise cluster", &c)).transpose()
}

/// Stores a new account with an already resolved scope and password hash.
pub fn insert(
    conn: &mut DbConnection,
    account: &NewAccount,
    actor: &Actor,
    password_hash: &str,
) -> QueryResult<User> {
    let id = UserId::new();
    let now = chrono::Utc::now().naive_utc();
    let row = NewUserRow {
        id: id.to_string(),
        username: account.username.as_str(),
        display_name: account.display_name.as_str(),
        password_hash,
        role: actor.role().as_str(),
        cluster_id: actor.cluster_id().map(|c| c.to_string()),
        enterprise_id: actor.enterprise_id().map(|e| e.to_string()),
        disabled: false,
        language: account.language.as_str(),
        token_version: 0,
        created_at: now,
        updated_at: now,
        must_change_password: account.must_change_password,
    };
    conn.transaction(|conn| {
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)?;
        assign_auditor_clusters(conn, id, actor)?;
        find(conn, id)?.ok_or(DbError::NotFound)
    })
}

/// Replaces an auditor's cluster assignments with those of `actor` (none for other roles).
fn assign_auditor_clusters(conn: &mut DbConnection, id: UserId, actor: &Actor) -> QueryResult<()> {
    diesel::delete(auditor_clusters::table.filter(auditor_clusters::user_id.eq(id.to_string())))
        .execute(conn)?;
    for cluster in actor.auditor_clusters() {
        diesel::insert_into(auditor_clusters::table)
            .values((
                auditor_clusters::user_id.eq(id.to_string()),
                auditor_clusters::cluster_id.eq(cluster.to_string()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub language: Option<String>,
    pub disabled: Option<bool>,
    pub actor: Option<Actor>,
    pub password_hash: Option<String>,
    /// Set or clear the demand that the password be changed first.
    pub must_change_password: Option<bool>,
    /// Raise the token version, ending every access token of the user.
    pub end_tokens: bool,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct UserChangeset<'a> {
    display_name: Option<&'a str>,
    language: Option<&'a str>,
    disabled: Option<bool>,
    password_hash: Option<&'a str>,
    must_change_password: Option<bool>,
    updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConnection, id: UserId, changes: &UserChanges) -> QueryResult<User> {
    let id_text = id.to_string();
    let target = || users::table.filter(users::id.eq(id_text.as_str()));
    let changeset = UserChangeset {
        display_name: changes.display_name.as_deref(),
        language: changes.language.as_deref(),
        disabled: changes.disabled,
        password_hash: changes.password_hash.as_deref(),
        must_change_password: changes.must_change_password,
        updated_at: chrono::Utc::now().naive_utc(),
    };
    conn.transaction(|conn| {
        if diesel::update(target()).set(&changeset).execute(conn)? == 0 {
            return Err(DbError::NotFound);
        }
        if let Some(actor) = &changes.actor {
            diesel::update(target())
                .set((
                    users::role.eq(actor.role().as_str()),
                    users::cluster_id.eq(actor.cluster_id().map(|c| c.to_string())),
                    users::enterprise_id.eq(actor.enterprise_id().map(|e| e.to_string())),
                ))
                .execute(conn)?;
            assign_auditor_clusters(conn, id, actor)?;
        }
        if changes.end_tokens {
            diesel::update(target())
                .set(users::token_version.eq(users::token_version + 1))
                .execute(conn)?;
        }
        find(conn, id)?.ok_or(DbError::NotFound)
    })
}
