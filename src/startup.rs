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
use crate::questionnaire::Registry;
use crate::report::pdf::ReportFont;
use crate::state::AppState;

/// Everything the service runs on, built from `settings`: questionnaires (a bad file stops
/// here, before the database is touched), the pool with migrations applied and questionnaire
/// versions stored, the token issuer and the report font. Blocking.
pub fn state(settings: Settings) -> anyhow::Result<AppState> {
    let registry = Registry::load(settings.questionnaire_dir.as_deref())?;
    let report_font = ReportFont::configured(settings.report_font.as_deref())?;
    let pool = db::connect(&settings.database, settings.db_pool_size)?;
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
        let server = run(listener, state)?;
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// How long the background linker waits when nothing is left to link.
const LINK_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// Links the audit entries writes leave pending into the hash chain, a batch at a time, on a
/// thread of its own for as long as the server's state lives (readers of the log link what
/// is left themselves).
fn link_in_background(state: &web::Data<AppState>) -> std::io::Result<()> {
    let state = std::sync::Arc::downgrade(&state.clone().into_inner());
    std::thread::Builder::new()
        .name("audit-linker".into())
        .spawn(move || loop {
            let Some(live) = state.upgrade() else { break };
            let linked = live
                .writer
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| Ok(crate::audit::link(&mut conn, &live.audit_key)?));
            drop(live);
            match linked {
                Ok(n) if n as i64 == crate::audit::LINK_BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "linking audit entries failed; retrying"),
            }
            std::thread::sleep(LINK_PAUSE);
        })
        .map(|_| ())
}

/// Blocking threads for each worker: a request's storage work holds a pooled connection on a
/// blocking thread, so threads beyond the worker's share of the connections would only wait
/// for one (and each keeps memory of its own); two more run work that holds no connection
/// (password hashing, PDF rendering).
fn blocking_threads(connections: u32, workers: usize) -> usize {
    (connections as usize).div_ceil(workers.max(1)) + 2
}

fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let max_body = state.settings.max_body_bytes;
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
    link_in_background(&state)?;
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
            .wrap(TracingLogger::default())
    })
    .worker_max_blocking_threads(blocking)
    .listen(listener)?;
    let server = match workers {
        Some(n) => server.workers(n),
        None => server,
    };
    Ok(server.run())
}
