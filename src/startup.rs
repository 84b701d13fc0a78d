//! Builds the application: the pool, the migrations, the bound listener, the server.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpMessage, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;

use crate::api;
use crate::auth::jwt::JwtKeys;
use crate::auth::session::Issuer;
use crate::config::Settings;
use crate::db;
use crate::error::AppError;
use crate::limits::{self, ConnectionCap, ConnectionSlot};
use crate::questionnaire::Registry;
use crate::report::pdf::ReportFont;
use crate::state::AppState;

/// Everything the service runs on, built from `settings`: questionnaires (a bad file stops
/// here, before the database is touched), the pool with migrations applied and questionnaire
/// versions stored, the token issuer and the report font. Blocking.
pub fn state(settings: Settings) -> anyhow::Result<AppState> {
    let registry = Registry::load(settings.questionnaire_dir.as_deref())?;
    let report_font = ReportFont::configured(settings.report_font.as_deref())?;
    let pool = db::connect_waiting(
        &settings.database,
        settings.db_pool_size,
        std::time::Duration::from_secs(settings.db_timeout_secs),
    )?;
    let mut conn = pool.get()?;
    for name in db::migrate(&mut conn)? {
        tracing::info!(migration = %name, "applied migration");
    }
    let stored = db::questionnaire_versions::sync(&mut conn, &registry)?;
    if stored > 0 {
        tracing::info!(versions = stored, "stored new questionnaire versions");
    }
    // A key other than the chain's stops the start here, by name.
    let audit_key = crate::audit::AuditKey::new(&settings.audit_key_or_generate()?);
    // Entries a stopped server committed and did not link yet.
    crate::audit::settle(&mut conn, &audit_key)?;
    drop(conn);
    let jwt_secret = settings.jwt_secret_or_generate()?;
    let issuer = Issuer {
        keys: JwtKeys::new(&jwt_secret, settings.access_token_ttl_secs)?,
        refresh_ttl_secs: i64::try_from(settings.refresh_token_ttl_secs)?,
    };
    let writer = db::writer(&settings.database, &pool)?;
    let uploads = crate::limits::UploadSlots::new(settings.max_concurrent_uploads);
    let state = AppState {
        pool,
        writer,
        settings,
        issuer,
        audit_key,
        questionnaires: registry,
        pinned: Default::default(),
        report_font,
        memo: Default::default(),
        uploads,
    };
    // Cards stored under another policy or scoring version are never read; scored again now,
    // the roll-ups read them instead of scoring every sheet.
    let rescored = crate::assessment::cards::refresh(&state)?;
    if rescored > 0 {
        tracing::info!(assessments = rescored, "stored scorecards scored again");
    }
    Ok(state)
}

pub struct Application {
    port: u16,
    server: Server,
    linker: Linker,
}

impl Application {
    /// Connects to the database, applies pending migrations and binds the listener. Port 0 in
    /// `settings.bind` picks a free port (what the tests do); [`Application::port`] tells which.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = web::block(move || state(settings)).await??;
        // Made now, so that the first login of an unknown user takes no longer than others.
        web::block(crate::auth::password::dummy_hash).await?;
        let listener = TcpListener::bind(state.settings.bind)?;
        let port = listener.local_addr()?.port();
        tracing::info!(
            address = %listener.local_addr()?,
            database = %state.settings.database.redacted(),
            "listening"
        );
        let (server, linker) = run(listener, state)?;
        Ok(Self {
            port,
            server,
            linker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped: by its handle, by SIGTERM (requests in flight
    /// finish first, for up to `shutdown_timeout_secs`), or at once by SIGINT or SIGQUIT.
    /// Then the audit linker finishes its batch and stops.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let linker = self.linker;
        web::block(move || linker.stop())
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        served
    }
}

/// The background audit linker: told to stop, it finishes the batch at hand and ends.
struct Linker {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Linker {
    fn stop(self) {
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        if self.thread.join().is_err() {
            tracing::error!("the audit linker panicked");
        }
    }
}

/// How long the background linker waits when nothing is left to link.
const LINK_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
/// The longest wait between two failed attempts to link.
const LINK_BACKOFF_MAX: std::time::Duration = std::time::Duration::from_secs(5);

/// Links the audit entries writes leave pending into the hash chain, a batch at a time, on a
/// thread of its own for as long as the server's state lives (readers of the log link what
/// is left themselves).
fn link_in_background(state: &web::Data<AppState>) -> std::io::Result<Linker> {
    let state = std::sync::Arc::downgrade(&state.clone().into_inner());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::Builder::new()
        .name("audit-linker".into())
        .spawn(move || {
            // Doubles after each failure (a full disk, a database away), so that a lasting
            // fault logs a line every few seconds rather than many a second.
            let mut pause = LINK_PAUSE;
            while !stopped.load(std::sync::atomic::Ordering::Acquire) {
                let Some(live) = state.upgrade() else { break };
                let linked = live
                    .writer
                    .get()
                    .map_err(anyhow::Error::from)
                    .and_then(|mut conn| Ok(crate::audit::link(&mut conn, &live.audit_key)?));
                drop(live);
                match linked {
                    Ok(n) if n as i64 == crate::audit::LINK_BATCH => {
                        pause = LINK_PAUSE;
                        continue;
                    }
                    Ok(_) => pause = LINK_PAUSE,
                    Err(e) => {
                        tracing::warn!(error = %e, "linking audit entries failed; retrying");
                        pause = (pause * 2).min(LINK_BACKOFF_MAX);
                    }
                }
                // In steps, so that a stop is seen within one of them.
                let mut slept = std::time::Duration::ZERO;
                while slept < pause && !stopped.load(std::sync::atomic::Ordering::Acquire) {
                    std::thread::sleep(LINK_PAUSE);
                    slept += LINK_PAUSE;
                }
            }
        })?;
    Ok(Linker { stop, thread })
}

/// Blocking threads for each worker: a request's storage work holds a pooled connection on a
/// blocking thread, so threads beyond the worker's share of the connections would only wait
/// for one (and each keeps memory of its own); two more run work that holds no connection
/// (password hashing, PDF rendering).
fn blocking_threads(connections: u32, workers: usize) -> usize {
    (connections as usize).div_ceil(workers.max(1)) + 2
}

fn run(listener: TcpListener, state: AppState) -> std::io::Result<(Server, Linker)> {
    let max_body = state.settings.max_body_bytes;
    let body_timeout = std::time::Duration::from_secs(state.settings.body_timeout_secs);
    let header_timeout = std::time::Duration::from_secs(state.settings.header_timeout_secs);
    let shutdown_timeout = state.settings.shutdown_timeout_secs;
    let cap = ConnectionCap::new(state.settings.max_connections_per_client);
    let workers = state.settings.workers;
    let connections = state.pool.max_size()
        + match state.settings.database {
            db::DbTarget::Sqlite(_) => state.writer.max_size(),
            db::DbTarget::Postgres(_) => 0,
        };
    let blocking = blocking_threads(
        connections,
        workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    );
    let state = web::Data::new(state);
    let linker = link_in_background(&state)?;
    let doc = api::openapi()
        .to_json()
        .map_err(|e| std::io::Error::other(format!("OpenAPI document: {e}")))?;
    let doc = web::Data::new(doc);
    let server = HttpServer::new(move || {
        App::new()
            .into_utoipa_app()
            .configure(api::routes)
            .into_app()
            .app_data(state.clone())
            .configure(crate::web::routes)
            .configure(|cfg| api::configure(cfg, max_body, doc.clone()))
            .wrap_fn(move |mut req, srv| {
                let expired = limits::body_deadline(&mut req, body_timeout);
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let res = fut.await?;
                    if expired.get() {
                        return Ok(res.error_response(AppError::RequestTimeout));
                    }
                    Ok(res.map_into_boxed_body())
                }
            })
            .wrap(ErrorHandlers::new().default_handler(api::normalize_error))
            .wrap(api::security_headers())
            .wrap_fn(|req, srv| {
                let docs = req.path().starts_with("/docs/");
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res = fut.await?;
                    if docs {
                        res.headers_mut().insert(
                            actix_web::http::header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(api::DOCS_CSP),
                        );
                    }
                    Ok(res)
                }
            })
            .wrap_fn(|req, srv| {
                let id = req.extensions().get::<RequestId>().map(ToString::to_string);
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res = fut.await?;
                    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), value);
                    }
                    Ok(res)
                }
            })
            .wrap_fn(|req, srv| {
                let method = req.method().clone();
                let fut = actix_web::dev::Service::call(srv, req);
                async move { crate::state::scope_request(&method, fut).await }
            })
            .wrap(TracingLogger::default())
            // Outermost: a connection over the cap is refused before anything reads its body.
            .wrap_fn(|req, srv| {
                let over = req
                    .conn_data::<ConnectionSlot>()
                    .is_some_and(|slot| slot.over);
                let call = if over {
                    Err(req)
                } else {
                    Ok(actix_web::dev::Service::call(srv, req))
                };
                async move {
                    match call {
                        Err(req) => Ok(req.error_response(AppError::TooManyConnections)),
                        Ok(fut) => fut.await.map(|res| res.map_into_boxed_body()),
                    }
                }
            })
    })
    .on_connect(move |io, extensions| {
        let peer = io
            .downcast_ref::<actix_web::rt::net::TcpStream>()
            .and_then(|tcp| tcp.peer_addr().ok());
        if let Some(peer) = peer {
            extensions.insert(cap.admit(peer.ip()));
        }
    })
    .worker_max_blocking_threads(blocking)
    .client_request_timeout(header_timeout)
    .shutdown_timeout(shutdown_timeout)
    .listen(listener)?;
    let server = match workers {
        Some(n) => server.workers(n),
        None => server,
    };
    Ok((server.run(), linker))
}
