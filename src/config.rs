//! Typed settings, layered: built-in defaults < optional config file < `DCMM_*` environment.
//!
//! Every key is known: an unknown key in the file or an unknown `DCMM_*` variable refuses to
//! start, and so does a bad value, with a message naming the setting.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::{redact_urls_in, DbTarget};
use crate::public_url::PublicUrl;
use crate::scoring::policy::{Points, Policy};

/// Environment variables with this prefix belong to the test harness, not to the service.
const TEST_PREFIX: &str = "DCMM_TEST_";

#[derive(Debug, thiserror::Error)]
#[error("setting {setting}: {message}")]
pub struct SettingsError {
    pub setting: String,
    pub message: String,
}

impl SettingsError {
    fn new(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            setting: setting.into(),
            message: message.into(),
        }
    }
}

/// A value that must never reach a log line or a debug print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the service keeps its files: the default SQLite database, the generated JWT
    /// secret, evidence uploads.
    pub data_dir: PathBuf,
    pub database: DbTarget,
    pub db_pool_size: u32,
    pub bind: SocketAddr,
    pub workers: Option<usize>,
    pub jwt_secret: Option<Secret>,
    /// The secret the audit chain is keyed with; every instance on one database needs the
    /// same. Without it, the one kept in the data folder (`audit-key`).
    pub audit_key: Option<Secret>,
    pub log_level: String,
    pub log_format: LogFormat,
    /// The largest request body accepted on JSON endpoints.
    pub max_body_bytes: usize,
    /// The largest evidence file accepted by an upload.
    pub max_evidence_bytes: usize,
    /// Extra questionnaire files; they are loaded after the built-in ones and may replace them.
    pub questionnaire_dir: Option<PathBuf>,
    /// The scoring constants (DESIGN.md section 4).
    pub policy: Policy,
    /// How long an access token (JWT) is accepted.
    pub access_token_ttl_secs: u64,
    /// How long a refresh token may wait before its use; every use issues a new one.
    pub refresh_token_ttl_secs: u64,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a proxy
    /// that appends it); otherwise the TCP peer address is the client.
    pub trust_forwarded_for: bool,
    /// A .ttf, .otf or .ttc file (its first face) to set reports in instead of the built-in
    /// WenQuanYi Micro Hei; it must hold the CJK, Latin and digit glyphs reports use.
    pub report_font: Option<PathBuf>,
    /// Where readers reach this service; reports print `<public_url>/verify` and carry it as
    /// a QR code. Without it they name the path `/verify` only.
    pub public_url: Option<PublicUrl>,
    /// How long a request waits for a database connection before it answers 503
    /// `database_unavailable` (and how long a stopped database takes to be noticed).
    pub db_timeout_secs: u64,
    /// How long a client may take to send a request's headers.
    pub header_timeout_secs: u64,
    /// How long a client may take to send a whole request body, from the end of its headers;
    /// past it the request answers 408 and the connection is closed.
    pub body_timeout_secs: u64,
    /// Open connections one client address may hold at once; more answer 429 and are closed.
    /// 0: no cap (behind a reverse proxy, where every connection comes from the proxy).
    pub max_connections_per_client: usize,
    /// Evidence uploads received at once; more answer 503 with `Retry-After`.
    pub max_concurrent_uploads: usize,
    /// On SIGTERM, how long requests in flight may take to finish before the process exits
    /// anyway (SIGINT and SIGQUIT stop at once).
    pub shutdown_timeout_secs: u64,
}

/// The keys of the config file; each also reads from `DCMM_<KEY in upper case>`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    db_pool_size: Option<u32>,
    bind: Option<String>,
    workers: Option<usize>,
    jwt_secret: Option<String>,
    audit_key: Option<String>,
    log_level: Option<String>,
    log_format: Option<String>,
    max_body_bytes: Option<usize>,
    max_evidence_bytes: Option<usize>,
    questionnaire_dir: Option<PathBuf>,
    scoring_pass_threshold: Option<u32>,
    scoring_points_fully: Option<u32>,
    scoring_points_largely: Option<u32>,
    scoring_points_partially: Option<u32>,
    scoring_points_not: Option<u32>,
    access_token_ttl_secs: Option<u64>,
    refresh_token_ttl_secs: Option<u64>,
    trust_forwarded_for: Option<bool>,
    report_font: Option<PathBuf>,
    public_url: Option<String>,
    db_timeout_secs: Option<u64>,
    header_timeout_secs: Option<u64>,
    body_timeout_secs: Option<u64>,
    max_connections_per_client: Option<usize>,
    max_concurrent_uploads: Option<usize>,
    shutdown_timeout_secs: Option<u64>,
}

const KEYS: &[&str] = &[
    "data_dir",
    "database_url",
    "db_pool_size",
    "bind",
    "workers",
    "jwt_secret",
    "audit_key",
    "log_level",
    "log_format",
    "max_body_bytes",
    "max_evidence_bytes",
    "questionnaire_dir",
    "scoring_pass_threshold",
    "scoring_points_fully",
    "scoring_points_largely",
    "scoring_points_partially",
    "scoring_points_not",
    "access_token_ttl_secs",
    "refresh_token_ttl_secs",
    "trust_forwarded_for",
    "report_font",
    "public_url",
    "db_timeout_secs",
    "header_timeout_secs",
    "body_timeout_secs",
    "max_connections_per_client",
    "max_concurrent_uploads",
    "shutdown_timeout_secs",
];

impl Settings {
    /// Reads the optional config file and the process environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, SettingsError> {
        Self::from_sources(config_file, std::env::vars())
    }

    pub fn from_sources(
        config_file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, SettingsError> {
        let mut layer = match config_file {
            Some(path) => read_file(path)?,
            None => Layer::default(),
        };
        apply_env(&mut layer, env)?;
        Self::resolve(layer)
    }

    fn resolve(layer: Layer) -> Result<Self, SettingsError> {
        let data_dir = layer.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let database = match layer.database_url {
            Some(url) => {
                DbTarget::parse(&url).map_err(|m| SettingsError::new("database_url", m))?
            }
            None => DbTarget::Sqlite(data_dir.join("dcmm.db")),
        };
        let bind = layer.bind.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind = bind
            .parse()
            .map_err(|_| SettingsError::new("bind", format!("{bind:?} is not an address:port")))?;
        let log_format = match layer.log_format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(SettingsError::new(
                    "log_format",
                    format!("{other:?} is neither \"text\" nor \"json\""),
                ))
            }
        };
        let log_level = layer.log_level.unwrap_or_else(|| "info".to_owned());
        if tracing_subscriber::EnvFilter::try_new(&log_level).is_err() {
            return Err(SettingsError::new(
                "log_level",
                format!("{log_level:?} is not a log filter (try info, debug or dcmm=debug)"),
            ));
        }
        let db_pool_size = layer.db_pool_size.unwrap_or(8);
        if db_pool_size == 0 {
            return Err(SettingsError::new("db_pool_size", "must be at least 1"));
        }
        if layer.workers == Some(0) {
            return Err(SettingsError::new("workers", "must be at least 1"));
        }
        let max_body_bytes = layer.max_body_bytes.unwrap_or(1024 * 1024);
        if max_body_bytes < 1024 {
            return Err(SettingsError::new(
                "max_body_bytes",
                "must be at least 1024",
            ));
        }
        let max_evidence_bytes = layer.max_evidence_bytes.unwrap_or(20 * 1024 * 1024);
        if max_evidence_bytes < 1024 {
            return Err(SettingsError::new(
                "max_evidence_bytes",
                "must be at least 1024",
            ));
        }
        let jwt_secret = match layer.jwt_secret {
            Some(s) if s.len() < 32 => {
                return Err(SettingsError::new(
                    "jwt_secret",
                    "must be at least 32 characters long",
                ))
            }
            other => other.map(Secret::new),
        };
        let audit_key = match layer.audit_key {
            Some(s) if s.trim().len() < 32 => {
                return Err(SettingsError::new(
                    "audit_key",
                    "must be at least 32 characters long",
                ))
            }
            other => other.map(|s| Secret::new(s.trim().to_owned())),
        };
        let defaults = Policy::default();
        let policy = Policy {
            pass_threshold: layer
                .scoring_pass_threshold
                .unwrap_or(defaults.pass_threshold),
            points: Points {
                fully: layer.scoring_points_fully.unwrap_or(defaults.points.fully),
                largely: layer
                    .scoring_points_largely
                    .unwrap_or(defaults.points.largely),
                partially: layer
                    .scoring_points_partially
                    .unwrap_or(defaults.points.partially),
                not: layer.scoring_points_not.unwrap_or(defaults.points.not),
            },
        };
        policy
            .validate()
            .map_err(|m| SettingsError::new("scoring", m))?;
        let access_token_ttl_secs = layer.access_token_ttl_secs.unwrap_or(15 * 60);
        if !(60..=24 * 3600).contains(&access_token_ttl_secs) {
            return Err(SettingsError::new(
                "access_token_ttl_secs",
                "must be between 60 (one minute) and 86400 (one day)",
            ));
        }
        let refresh_token_ttl_secs = layer.refresh_token_ttl_secs.unwrap_or(14 * 24 * 3600);
        if refresh_token_ttl_secs < access_token_ttl_secs
            || refresh_token_ttl_secs > 365 * 24 * 3600
        {
            return Err(SettingsError::new(
                "refresh_token_ttl_secs",
                "must be at least access_token_ttl_secs and at most 31536000 (a year)",
            ));
        }
        let public_url = layer
            .public_url
            .map(|u| PublicUrl::parse(&u).map_err(|m| SettingsError::new("public_url", m)))
            .transpose()?;
        let seconds = |value: Option<u64>, default: u64, setting: &str, max: u64| {
            let value = value.unwrap_or(default);
            if (1..=max).contains(&value) {
                Ok(value)
            } else {
                Err(SettingsError::new(
                    setting,
                    format!("must be between 1 and {max} seconds"),
                ))
            }
        };
        let db_timeout_secs = seconds(layer.db_timeout_secs, 5, "db_timeout_secs", 60)?;
        let header_timeout_secs = seconds(layer.header_timeout_secs, 5, "header_timeout_secs", 60)?;
        let body_timeout_secs = seconds(layer.body_timeout_secs, 15, "body_timeout_secs", 3600)?;
        let shutdown_timeout_secs = seconds(
            layer.shutdown_timeout_secs,
            30,
            "shutdown_timeout_secs",
            600,
        )?;
        let max_concurrent_uploads = layer.max_concurrent_uploads.unwrap_or(4);
        if max_concurrent_uploads == 0 {
            return Err(SettingsError::new(
                "max_concurrent_uploads",
                "must be at least 1",
            ));
        }
        Ok(Self {
            data_dir,
            database,
            db_pool_size,
            bind,
            workers: layer.workers,
            jwt_secret,
            audit_key,
            log_level,
            log_format,
            max_body_bytes,
            max_evidence_bytes,
            questionnaire_dir: layer.questionnaire_dir,
            policy,
            access_token_ttl_secs,
            refresh_token_ttl_secs,
            trust_forwarded_for: layer.trust_forwarded_for.unwrap_or(false),
            report_font: layer.report_font,
            public_url,
            db_timeout_secs,
            header_timeout_secs,
            body_timeout_secs,
            max_connections_per_client: layer.max_connections_per_client.unwrap_or(256),
            max_concurrent_uploads,
            shutdown_timeout_secs,
        })
    }
}

impl Settings {
    /// The configured JWT secret, or else the one kept in the data folder, created with 64
    /// random bytes on first start. Never logged.
    pub fn jwt_secret_or_generate(&self) -> std::io::Result<Secret> {
        kept_secret(self.jwt_secret.as_ref(), &self.data_dir, "jwt-secret", true)?
            .ok_or_else(|| std::io::Error::other("no JWT secret"))
    }

    /// The configured audit key, or else the one kept in the data folder (`audit-key`),
    /// created with 64 random bytes on first start. Never logged.
    pub fn audit_key_or_generate(&self) -> std::io::Result<Secret> {
        kept_secret(
            self.audit_key.as_ref(),
            &self.data_dir,
            AUDIT_KEY_FILE,
            true,
        )?
        .ok_or_else(|| std::io::Error::other("no audit key"))
    }

    /// The configured audit key, or else the one in the data folder, if there is one: for
    /// tools that check the chain and must not make up a key of their own.
    pub fn audit_key(&self) -> std::io::Result<Option<Secret>> {
        kept_secret(
            self.audit_key.as_ref(),
            &self.data_dir,
            AUDIT_KEY_FILE,
            false,
        )
    }
}

/// The file in the data folder that holds the audit key when no `audit_key` is set.
pub const AUDIT_KEY_FILE: &str = "audit-key";

/// `configured`, or else the secret in `data_dir/file`; if there is none, with `generate` a
/// new one of 64 random bytes written there (readable by the owner only).
fn kept_secret(
    configured: Option<&Secret>,
    data_dir: &Path,
    file: &str,
    generate: bool,
) -> std::io::Result<Option<Secret>> {
    if let Some(secret) = configured {
        return Ok(Some(secret.clone()));
    }
    let path = data_dir.join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().len() >= 32 => {
            return Ok(Some(Secret::new(text.trim().to_owned())))
        }
        Ok(_) => {
            return Err(std::io::Error::other(format!(
                "{} is too short to be a secret; delete it to have a new one made",
                path.display()
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if !generate {
        return Ok(None);
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    let secret = hex::encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    std::io::Write::write_all(&mut file, secret.as_bytes())?;
    Ok(Some(Secret::new(secret)))
}

fn read_file(path: &Path) -> Result<Layer, SettingsError> {
    let setting = format!("config file {}", path.display());
    let text =
        std::fs::read_to_string(path).map_err(|e| SettingsError::new(&setting, e.to_string()))?;
    // A syntax error quotes its line, which may be the database URL.
    toml::from_str(&text).map_err(|e| SettingsError::new(setting, redact_urls_in(&e.to_string())))
}

fn apply_env(
    layer: &mut Layer,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(), SettingsError> {
    for (name, value) in env {
        let Some(key) = name.strip_prefix("DCMM_") else {
            continue;
        };
        if name.starts_with(TEST_PREFIX) || key == "CONFIG" {
            continue;
        }
        let key = key.to_ascii_lowercase();
        let number = |v: &str| -> Result<u64, SettingsError> {
            v.trim()
                .parse::<u64>()
                .map_err(|_| SettingsError::new(&name, format!("{v:?} is not a whole number")))
        };
        match key.as_str() {
            "data_dir" => layer.data_dir = Some(PathBuf::from(value)),
            "database_url" => layer.database_url = Some(value),
            "db_pool_size" => layer.db_pool_size = Some(to_u32(number(&value)?, &name)?),
            "bind" => layer.bind = Some(value),
            "workers" => layer.workers = Some(number(&value)? as usize),
            "jwt_secret" => layer.jwt_secret = Some(value),
            "audit_key" => layer.audit_key = Some(value),
            "log_level" => layer.log_level = Some(value),
            "log_format" => layer.log_format = Some(value),
            "max_body_bytes" => layer.max_body_bytes = Some(number(&value)? as usize),
            "max_evidence_bytes" => layer.max_evidence_bytes = Some(number(&value)? as usize),
            "questionnaire_dir" => layer.questionnaire_dir = Some(PathBuf::from(value)),
            "report_font" => layer.report_font = Some(PathBuf::from(value)),
            "public_url" => layer.public_url = Some(value),
            "scoring_pass_threshold" => {
                layer.scoring_pass_threshold = Some(to_u32(number(&value)?, &name)?)
            }
            "scoring_points_fully" => {
                layer.scoring_points_fully = Some(to_u32(number(&value)?, &name)?)
            }
            "scoring_points_largely" => {
                layer.scoring_points_largely = Some(to_u32(number(&value)?, &name)?)
            }
            "scoring_points_partially" => {
                layer.scoring_points_partially = Some(to_u32(number(&value)?, &name)?)
            }
            "scoring_points_not" => {
                layer.scoring_points_not = Some(to_u32(number(&value)?, &name)?)
            }
            "access_token_ttl_secs" => layer.access_token_ttl_secs = Some(number(&value)?),
            "refresh_token_ttl_secs" => layer.refresh_token_ttl_secs = Some(number(&value)?),
            "db_timeout_secs" => layer.db_timeout_secs = Some(number(&value)?),
            "header_timeout_secs" => layer.header_timeout_secs = Some(number(&value)?),
            "body_timeout_secs" => layer.body_timeout_secs = Some(number(&value)?),
            "shutdown_timeout_secs" => layer.shutdown_timeout_secs = Some(number(&value)?),
            "max_connections_per_client" => {
                layer.max_connections_per_client = Some(number(&value)? as usize)
            }
            "max_concurrent_uploads" => {
                layer.max_concurrent_uploads = Some(number(&value)? as usize)
            }
            "trust_forwarded_for" => layer.trust_forwarded_for = Some(boolean(&value, &name)?),
            _ => {
                return Err(SettingsError::new(
                    &name,
                    format!("unknown setting; known: {}", known_env_names()),
                ))
            }
        }
    }
    Ok(())
}

fn boolean(value: &str, name: &str) -> Result<bool, SettingsError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(SettingsError::new(
            name,
            format!("{other:?} is neither true nor false"),
        )),
    }
}

fn to_u32(n: u64, name: &str) -> Result<u32, SettingsError> {
    u32::try_from(n).map_err(|_| SettingsError::new(name, "too large"))
}

fn known_env_names() -> String {
    KEYS.iter()
        .map(|k| format!("DCMM_{}", k.to_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
