//! What every request shares, and the one way from a handler to the pool: [`db_call`] runs
//! storage work on a blocking thread with a pooled connection ([`db_write`] with the writing
//! one), [`blocking`] runs other blocking
//! work (argon2, PDF rendering) with the state at hand.

use std::sync::Arc;

use actix_web::web;

use crate::auth::extractor::{self, bearer_token, cookie, csrf_header, SESSION_COOKIE};
use crate::auth::session::Issuer;
use crate::auth::AuthUser;
use crate::config::Settings;
use crate::db::{DbConnection, Pool, PooledConn};
use crate::error::AppError;
use crate::font::ReportFont;
use crate::questionnaire::pinned::Pinned;
use crate::questionnaire::{Questionnaire, Registry};

/// Everything a handler may need, shared by all workers.
pub struct AppState {
    /// Connections for reading, and for writing on PostgreSQL.
    pub pool: Pool,
    /// Connections for writing: on SQLite one connection, so writers queue here in turn instead
    /// of polling the database's lock; on PostgreSQL the same pool as [`AppState::pool`].
    pub writer: Pool,
    pub settings: Settings,
    /// Signs and checks access tokens, issues refresh tokens.
    pub issuer: Issuer,
    /// The key the audit chain's links are made with (`audit_key`).
    pub audit_key: crate::audit::AuditKey,
    pub questionnaires: Registry,
    /// Earlier questionnaire versions that assessments are pinned to.
    pub pinned: Pinned,
    /// The font reports are set in (`report_font`, else the built-in one).
    pub report_font: Arc<ReportFont>,
    /// Response bodies that never change for their key, made once (a questionnaire version).
    pub memo: Memo,
    /// Evidence uploads under way, at most `max_concurrent_uploads`.
    pub uploads: crate::limits::UploadSlots,
}

/// Bodies made once per key and kept: only for content that a key fixes for good (a content
/// hash), of which there are few.
#[derive(Debug, Default)]
pub struct Memo(std::sync::RwLock<std::collections::HashMap<String, web::Bytes>>);

impl Memo {
    /// The body kept for `key`, or the one `make` gives (kept only if it succeeds).
    pub fn get_or_make<E>(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<web::Bytes, E>,
    ) -> Result<web::Bytes, E> {
        if let Some(body) = self.get(key) {
            return Ok(body);
        }
        let body = make()?;
        if let Ok(mut kept) = self.0.write() {
            kept.insert(key.to_owned(), body.clone());
        }
        Ok(body)
    }

    pub fn get(&self, key: &str) -> Option<web::Bytes> {
        self.0.read().ok()?.get(key).cloned()
    }
}

pub type State = web::Data<AppState>;

impl AppState {
    /// The questionnaire an assessment or campaign was opened with, by content hash.
    pub fn questionnaire(
        &self,
        conn: &mut DbConnection,
        id: &str,
        hash: &str,
    ) -> Result<Arc<Questionnaire>, AppError> {
        self.pinned
            .get(&self.questionnaires, id, hash, || {
                Ok(crate::db::questionnaire_versions::source(conn, hash)?)
            })
            .map_err(|e| AppError::Internal(e.into()))
    }
}

tokio::task_local! {
    /// Whether the request being served may write: set for every request by [`scope_request`].
    static WRITES: bool;
}

/// Serves `fut` (one request) knowing whether its method may write: requests other than `GET`,
/// `HEAD` and `OPTIONS` run their [`db_call`]s on the writing connection.
pub async fn scope_request<F: std::future::Future>(
    method: &actix_web::http::Method,
    fut: F,
) -> F::Output {
    use actix_web::http::Method;
    let writes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    WRITES.scope(writes, fut).await
}

/// Runs `f` on a blocking thread with the state and a pooled connection: the writing one
/// ([`AppState::writer`]) when the request's method may write, so that a transaction that
/// reads and then writes never waits for SQLite's lock from a reading connection (where a
/// write after a stale read fails at once instead of waiting its turn).
pub async fn db_call<T: Send + 'static>(
    state: &State,
    f: impl FnOnce(&AppState, &mut PooledConn) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    if WRITES.try_with(|w| *w).unwrap_or(false) {
        return db_write(state, f).await;
    }
    let state = state.clone();
    // The blocking thread's log lines belong to the request's span.
    let span = tracing::Span::current();
    web::block(move || {
        let _entered = span.enter();
        let mut conn = state.pool.get()?;
        f(&state, &mut conn)
    })
    .await?
}

/// Runs `f` on a blocking thread with the state and the writing connection ([`AppState::writer`]):
/// for storage work that writes (also in a `GET`: a report's record, a throttle's count).
pub async fn db_write<T: Send + 'static>(
    state: &State,
    f: impl FnOnce(&AppState, &mut PooledConn) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let state = state.clone();
    let span = tracing::Span::current();
    web::block(move || {
        let _entered = span.enter();
        let mut conn = state.writer.get()?;
        f(&state, &mut conn)
    })
    .await?
}

/// Runs `f` on a blocking thread with the state: for work that must not hold a connection
/// all along (a password hash between two queries, a PDF rendering).
pub async fn blocking<T: Send + 'static>(
    state: &State,
    f: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let state = state.clone();
    let span = tracing::Span::current();
    web::block(move || {
        let _entered = span.enter();
        f(&state)
    })
    .await?
}

/// `AuthUser` from `Authorization: Bearer <access token>`, or from the page session cookie with
/// the page's CSRF token in `X-CSRF-Token` (a 403 `csrf_token_invalid` without a good one).
/// Missing, malformed, foreign, expired and outdated tokens, and tokens of disabled users or
/// ended sessions, are all the same 401.
impl actix_web::FromRequest for AuthUser {
    type Error = AppError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<State>().cloned();
        let bearer = bearer_token(req);
        let page = cookie(req, SESSION_COOKIE).map(|token| (token, csrf_header(req)));
        let may_skip_change = extractor::allowed_before_password_change(req.method(), req.path());
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            let user = match (bearer, page) {
                (Some(token), _) => authenticate(&state, token).await,
                (None, Some((token, csrf))) => {
                    let user = authenticate(&state, token).await?;
                    let valid =
                        csrf.is_some_and(|c| state.issuer.keys.csrf_valid(user.session, &c));
                    if valid {
                        Ok(user)
                    } else {
                        Err(AppError::CsrfRejected)
                    }
                }
                (None, None) => Err(AppError::Unauthorized),
            }?;
            // Checked here, once, so that no handler can forget it.
            if user.must_change_password && !may_skip_change {
                return Err(AppError::PasswordChangeRequired);
            }
            Ok(user)
        })
    }
}

/// The user an access token speaks for, checked on a blocking thread.
pub async fn authenticate(state: &State, token: String) -> Result<AuthUser, AppError> {
    blocking(state, move |s| {
        extractor::authenticate(&s.pool, &s.issuer.keys, &token)
    })
    .await
}
