//! Reading the audit log: a filtered page of entries within the reader's scope, newest or oldest
//! first, and what a filter form can offer. The API (`GET /api/v1/audit-log`) and the audit log
//! page share these, so both see the same entries for the same filter. Their callers link the
//! pending entries first (`audit::settle`), so that a reader sees every write committed before.

pub mod names;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConnection, MultiBackend};
use crate::domain::Actor;
use crate::error::FieldErrors;
use crate::ids::{ClusterId, UserId};

/// An entry as stored: what [`crate::audit`] wrote and hashed.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub cluster_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Whose entries a reader sees: an admin every entry, an auditor those filed under its
/// clusters. Anyone else sees none (the access policy refuses them before they get here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everything,
    Clusters(Vec<ClusterId>),
}

impl Scope {
    pub fn of(actor: &Actor) -> Self {
        match actor {
            Actor::Admin => Self::Everything,
            Actor::Auditor { clusters } => Self::Clusters(clusters.clone()),
            Actor::ClusterManager { .. } | Actor::Enterprise { .. } => Self::Clusters(Vec::new()),
        }
    }

    /// Whether an entry filed under `cluster` is inside the scope.
    pub fn covers(&self, cluster: Option<&str>) -> bool {
        match self {
            Self::Everything => true,
            Self::Clusters(ids) => {
                cluster.is_some_and(|c| ids.iter().any(|id| id.to_string() == c))
            }
        }
    }
}

/// Which entries, as parsed from a query: each part narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Who wrote it.
    pub actor: Option<UserId>,
    /// The action code, e.g. `assessment.submit`.
    pub action: Option<String>,
    /// The entity: its type (`assessment`) and id.
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub cluster: Option<ClusterId>,
    /// Written at or after this instant (UTC).
    pub from: Option<NaiveDateTime>,
    /// Written before this instant (UTC).
    pub until: Option<NaiveDateTime>,
}

/// The filter's fields as text, as a query string gives them; empty means absent.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterText<'a> {
    pub actor_id: Option<&'a str>,
    pub action: Option<&'a str>,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub cluster_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// A code of lower-case words joined by `_`, in parts joined by `.` when `dotted`.
fn is_code(s: &str, dotted: bool) -> bool {
    let part = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_lowercase())
            && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    };
    s.len() <= 64
        && if dotted {
            s.split('.').all(part)
        } else {
            part(s)
        }
}

/// `YYYY-MM-DD` (the whole day, UTC) or an instant (`YYYY-MM-DDTHH:MM:SS`, UTC unless it
/// carries an offset). Answers the first instant it covers and the first one after it.
fn parse_time(s: &str) -> Option<(NaiveDateTime, NaiveDateTime)> {
    if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let start = day.and_hms_opt(0, 0, 0)?;
        return Some((
            start,
            day.checked_add_days(Days::new(1))?.and_hms_opt(0, 0, 0)?,
        ));
    }
    let at = DateTime::parse_from_rfc3339(s)
        .map(|t| t.naive_utc())
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()?;
    Some((at, at.checked_add_signed(TimeDelta::microseconds(1))?))
}

impl Filter {
    /// Parses every field, naming each one that is wrong.
    pub fn parse(text: &FilterText<'_>) -> Result<Self, FieldErrors> {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let mut errors = FieldErrors::new();
        let mut wrong = |field: &str, message: &str| {
            errors
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        };
        let mut filter = Filter::default();
        if let Some(v) = given(text.actor_id) {
            match v.parse() {
                Ok(id) => filter.actor = Some(id),
                Err(_) => wrong("actor_id", "must be a user id (a UUID)"),
            }
        }
        if let Some(v) = given(text.action) {
            if is_code(&v, true) {
                filter.action = Some(v);
            } else {
                wrong("action", "must be an action code such as assessment.submit");
            }
        }
        if let Some(v) = given(text.subject_type) {
            if is_code(&v, false) {
                filter.subject_type = Some(v);
            } else {
                wrong(
                    "subject_type",
                    "must be an entity type such as assessment or enterprise",
                );
            }
        }
        if let Some(v) = given(text.subject_id) {
            if v.chars().count() <= 100 && !v.chars().any(char::is_control) {
                filter.subject_id = Some(v);
            } else {
                wrong("subject_id", "must be an id of at most 100 characters");
            }
        }
        if let Some(v) = given(text.cluster_id) {
            match v.parse() {
                Ok(id) => filter.cluster = Some(id),
                Err(_) => wrong("cluster_id", "must be a cluster id (a UUID)"),
            }
        }
        let time = "must be a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS, UTC)";
        if let Some(v) = given(text.from) {
            match parse_time(&v) {
                Some((start, _)) => filter.from = Some(start),
                None => wrong("from", time),
            }
        }
        if let Some(v) = given(text.to) {
            match parse_time(&v) {
                Some((_, end)) => filter.until = Some(end),
                None => wrong("to", time),
            }
        }
        if let (Some(from), Some(until)) = (filter.from, filter.until) {
            if until <= from {
                wrong("to", "must not be before from");
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The order of a listing; the cursor is the last sequence number of the previous page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Oldest,
    Newest,
}

/// The entries inside `scope` that `filter` keeps.
fn kept<'a>(scope: &Scope, filter: &Filter) -> audit_log::BoxedQuery<'a, MultiBackend> {
    let mut q = audit_log::table.into_boxed();
    if let Scope::Clusters(ids) = scope {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        q = q.filter(audit_log::cluster_id.eq_any(ids));
    }
    if let Some(actor) = filter.actor {
        q = q.filter(audit_log::actor_id.eq(actor.to_string()));
    }
    if let Some(action) = &filter.action {
        q = q.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(kind) = &filter.subject_type {
        q = q.filter(audit_log::subject_type.eq(kind.clone()));
    }
    if let Some(id) = &filter.subject_id {
        q = q.filter(audit_log::subject_id.eq(id.clone()));
    }
    if let Some(cluster) = filter.cluster {
        q = q.filter(audit_log::cluster_id.eq(cluster.to_string()));
    }
    if let Some(from) = filter.from {
        q = q.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        q = q.filter(audit_log::at.lt(until));
    }
    q
}

/// Up to `limit` entries in `order` after the cursor `after` (in that order), and one more
/// when there are more: the caller's page says so.
pub fn page(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &Filter,
    order: Order,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let q = kept(scope, filter)
        .select(AuditRow::as_select())
        .limit(limit + 1);
    match order {
        Order::Oldest => q
            .filter(audit_log::seq.gt(after.unwrap_or(0)))
            .order(audit_log::seq.asc())
            .load(conn),
        Order::Newest => q
            .filter(audit_log::seq.lt(after.unwrap_or(i64::MAX)))
            .order(audit_log::seq.desc())
            .load(conn),
    }
}

/// Who, what and about which kind of entity the entries in `scope` are: the choices a filter
/// form offers, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub actors: Vec<String>,
    pub actions: Vec<String>,
    pub subject_types: Vec<String>,
}

pub fn choices(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Choices> {
    let rows: Vec<(Option<String>, String, String)> = kept(scope, &Filter::default())
        .select((
            audit_log::actor_id,
            audit_log::action,
            audit_log::subject_type,
        ))
        .distinct()
        .load(conn)?;
    let mut out = Choices::default();
    for (actor, action, kind) in rows {
        out.actors.extend(actor);
        out.actions.push(action);
        out.subject_types.push(kind);
    }
    for list in [&mut out.actors, &mut out.actions, &mut out.subject_types] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(out)
}

/// The cluster entry `seq` is filed under: `None` when there is no such entry, `Some(None)`
/// for an entry of the whole installation.
pub fn cluster_of(conn: &mut DbConnection, seq: i64) -> QueryResult<Option<Option<String>>> {
    audit_log::table
        .filter(audit_log::seq.eq(seq))
        .select(audit_log::cluster_id)
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: FilterText<'_>) -> Result<Filter, Vec<String>> {
        Filter::parse(&text).map_err(|e| e.into_keys().collect())
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn empty_fields_filter_nothing() {
        let f = parse(FilterText {
            actor_id: Some(""),
            action: Some("  "),
            ..FilterText::default()
        });
        assert_eq!(f, Ok(Filter::default()));
    }

    #[test]
    fn dates_cover_whole_days_and_times_the_instant() {
        let f = parse(FilterText {
            from: Some("2026-12-01"),
            to: Some("2026-12-02"),
            ..FilterText::default()
        })
        .unwrap();
        assert_eq!(f.from, Some(at("2026-12-01T00:00:00")));
        assert_eq!(f.until, Some(at("2026-12-03T00:00:00")));
        let f = parse(FilterText {
            from: Some("2026-12-01T08:00:00+08:00"),
            to: Some("2026-12-01T10:30:00"),
            ..FilterText::default()
        })
        .unwrap();
        assert_eq!(f.from, Some(at("2026-12-01T00:00:00")));
        assert_eq!(
            f.until,
            Some(at("2026-12-01T10:30:00") + TimeDelta::microseconds(1))
        );
    }

    #[test]
    fn every_wrong_field_is_named() {
        let wrong = parse(FilterText {
            actor_id: Some("bob"),
            action: Some("DROP TABLE"),
            subject_type: Some("assessment.x"),
            subject_id: Some("a\nb"),
            cluster_id: Some("c-1"),
            from: Some("yesterday"),
            to: Some("2026-13-01"),
        });
        assert_eq!(
            wrong,
            Err(vec![
                "action".into(),
                "actor_id".into(),
                "cluster_id".into(),
                "from".into(),
                "subject_id".into(),
                "subject_type".into(),
                "to".into()
            ])
        );
        let backwards = parse(FilterText {
            from: Some("2026-12-02"),
            to: Some("2026-12-01"),
            ..FilterText::default()
        });
        assert_eq!(backwards, Err(vec!["to".into()]));
    }

    #[test]
    fn codes_are_dotted_lower_case_words() {
        assert!(is_code("assessment.submit", true));
        assert!(is_code("answers.import", true));
        assert!(!is_code("assessment.", true));
        assert!(!is_code("Assessment", false));
        assert!(!is_code("enterprise.profile", false));
        assert!(is_code("enterprise_profile", false));
    }

    #[test]
    fn a_scope_covers_its_clusters_only() {
        let c = ClusterId::new();
        let scope = Scope::Clusters(vec![c]);
        assert!(scope.covers(Some(&c.to_string())));
        assert!(!scope.covers(Some(&ClusterId::new().to_string())));
        assert!(!scope.covers(None));
        assert!(Scope::Everything.covers(None));
    }
}
