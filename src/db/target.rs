//! Which database the service talks to, from the `database_url` setting, and how that URL may
//! be shown. The backend comes from the scheme alone, never by trying one (SQLite opens any
//! string as a file); a PostgreSQL password is never printed: not by `Debug`, not in a log
//! line, not in a connection error.

use std::fmt;
use std::path::{Path, PathBuf};

use diesel::ConnectionError;

const HIDDEN: &str = "***";

/// `postgres://` or `postgresql://` is PostgreSQL; `sqlite://PATH` (or `sqlite:PATH`) is SQLite,
/// created when missing. A plain path is SQLite only if the file exists: a mistyped URL must
/// stop the start, not become a new, empty database.
#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbTarget {
    /// The target of a `database_url`; the error says what to write instead, without the
    /// value's password.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no path".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            let named = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            let scheme = if named {
                format!(" {scheme:?}")
            } else {
                String::new()
            };
            return Err(format!(
                "unsupported scheme{scheme}: use postgres://USER:PASSWORD@HOST/DB or sqlite://PATH"
            ));
        }
        if Path::new(url).is_file() {
            return Ok(Self::Sqlite(PathBuf::from(url)));
        }
        Err(format!(
            "{} has no scheme and is no existing file: write sqlite://PATH to create a new \
             SQLite database, or postgres://USER:PASSWORD@HOST/DB for PostgreSQL",
            redact_url(url)
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The target as it may appear in logs: no password.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_url(url),
        }
    }

    /// `e` without the password: libpq quotes parts of the URL in some errors (a bad
    /// percent-encoding quotes the whole token).
    pub(super) fn scrub(&self, e: ConnectionError) -> ConnectionError {
        let Self::Postgres(url) = self else {
            return e;
        };
        let hide = |text: String| {
            passwords(url)
                .iter()
                .fold(text, |text, secret| text.replace(secret.as_str(), HIDDEN))
        };
        match e {
            ConnectionError::BadConnection(m) => ConnectionError::BadConnection(hide(m)),
            ConnectionError::InvalidConnectionUrl(m) => {
                ConnectionError::InvalidConnectionUrl(hide(m))
            }
            other => other,
        }
    }
}

impl fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(_) => f.debug_tuple("Postgres").field(&self.redacted()).finish(),
        }
    }
}

/// `url` around the password of its user information, when it has one: what comes before,
/// the password, and what comes after. The user information ends at the last `@`: a stray `@`
/// further on hides more than needed, never less.
fn split_password(url: &str) -> Option<(&str, &str, &str)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let at = rest.rfind('@')?;
    let colon = start + rest[..at].find(':')?;
    Some((
        &url[..=colon],
        &url[colon + 1..start + at],
        &url[start + at..],
    ))
}

/// The values of `password=` parameters in the query of `url` (libpq takes them there too).
fn query_passwords(url: &str) -> impl Iterator<Item = (usize, &str)> {
    let query_start = url.find('?').map_or(url.len(), |i| i + 1);
    let mut at = query_start;
    url[query_start..].split('&').filter_map(move |pair| {
        let start = at;
        at += pair.len() + 1;
        pair.strip_prefix("password=")
            .map(|value| (start + "password=".len(), value))
    })
}

/// `url` with its password, in the user information or a `password=` parameter, as `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = match split_password(url) {
        Some((head, _, tail)) => format!("{head}{HIDDEN}{tail}"),
        None => url.to_owned(),
    };
    let found: Vec<(usize, usize)> = query_passwords(&out)
        .filter(|(_, v)| !v.is_empty())
        .map(|(i, v)| (i, v.len()))
        .collect();
    for (start, len) in found.into_iter().rev() {
        out.replace_range(start..start + len, HIDDEN);
    }
    out
}

/// `text` with the password of every PostgreSQL URL in it as `***`: for messages that quote
/// what they could not read, such as a config file's syntax error.
pub fn redact_urls_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = ["postgres://", "postgresql://"]
        .iter()
        .filter_map(|s| rest.find(s))
        .min()
    {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find(|c: char| c.is_whitespace() || "\"'`".contains(c))
            .map_or(rest.len(), |n| i + n);
        out.push_str(&redact_url(&rest[i..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Every form of the passwords in `url` that an error message might quote: as written and
/// percent-decoded.
fn passwords(url: &str) -> Vec<String> {
    let written = split_password(url)
        .map(|(_, p, _)| p)
        .into_iter()
        .chain(query_passwords(url).map(|(_, v)| v))
        .filter(|p| !p.is_empty());
    let mut all = Vec::new();
    for p in written {
        all.push(p.to_owned());
        if let Some(decoded) = percent_decoded(p).filter(|d| !d.is_empty() && d != p) {
            all.push(decoded);
        }
    }
    // Longest first, so a password inside another is not replaced first.
    all.sort_by_key(|p| std::cmp::Reverse(p.len()));
    all
}

fn percent_decoded(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_comes_from_the_scheme() {
        assert_eq!(
            DbTarget::parse("postgres://u@h/db").unwrap().backend_name(),
            "postgres"
        );
        assert_eq!(
            DbTarget::parse("postgresql://u@h/db")
                .unwrap()
                .backend_name(),
            "postgres"
        );
        assert_eq!(
            DbTarget::parse("sqlite://data/x.db").unwrap(),
            DbTarget::Sqlite(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            DbTarget::parse("sqlite:x.db").unwrap(),
            DbTarget::Sqlite(PathBuf::from("x.db"))
        );
        assert!(DbTarget::parse("sqlite://").is_err());
        assert!(DbTarget::parse("").is_err());
    }

    #[test]
    fn a_bare_path_is_sqlite_only_when_the_file_exists() {
        let dir = std::env::temp_dir().join(format!("dcmm-target-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("dcmm.db");
        let bare = file.display().to_string();
        let err = DbTarget::parse(&bare).unwrap_err();
        assert!(
            err.contains(&bare) && err.contains("sqlite://PATH"),
            "{err}"
        );
        std::fs::write(&file, b"").unwrap();
        assert_eq!(DbTarget::parse(&bare).unwrap(), DbTarget::Sqlite(file));
        // A folder is no database file.
        assert!(DbTarget::parse(&dir.display().to_string()).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn another_scheme_is_refused_by_name() {
        let err = DbTarget::parse("mysql://h/db").unwrap_err();
        assert!(
            err.contains("\"mysql\"") && err.contains("sqlite://PATH"),
            "{err}"
        );
        let err = DbTarget::parse("file://x.db").unwrap_err();
        assert!(err.contains("\"file\""), "{err}");
    }

    #[test]
    fn refusals_never_quote_a_password() {
        for url in [
            "dcmm:hunter2@db/dcmm",
            "mysql://dcmm:hunter2@db/dcmm",
            "pg:dcmm:hunter2@db://x",
        ] {
            let err = DbTarget::parse(url).unwrap_err();
            assert!(!err.contains("hunter2"), "{url}: {err}");
        }
    }

    #[test]
    fn passwords_never_reach_logs() {
        let t = DbTarget::parse("postgres://dcmm:hunter2@db:5432/dcmm").unwrap();
        assert_eq!(t.redacted(), "postgres://dcmm:***@db:5432/dcmm");
        let debug = format!("{t:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(
            debug.contains("postgres://dcmm:***@db:5432/dcmm"),
            "{debug}"
        );
        for (url, shown) in [
            ("postgres://dcmm@db/dcmm", "postgres://dcmm@db/dcmm"),
            ("postgres://db/dcmm", "postgres://db/dcmm"),
            (
                "postgresql://dcmm:p%40ss@db/dcmm?sslmode=require",
                "postgresql://dcmm:***@db/dcmm?sslmode=require",
            ),
            (
                "postgres://dcmm@db/dcmm?sslmode=require&password=hunter2",
                "postgres://dcmm@db/dcmm?sslmode=require&password=***",
            ),
            (
                "postgres://dcmm:a@b@db/dcmm?password=c",
                "postgres://dcmm:***@db/dcmm?password=***",
            ),
        ] {
            assert_eq!(DbTarget::parse(url).unwrap().redacted(), shown, "{url}");
        }
    }

    #[test]
    fn urls_in_free_text_lose_their_passwords() {
        let text = "TOML parse error at line 2\n  |\n2 | database_url = \"postgres://dcmm:hunter2@db/dcmm\n  |";
        let shown = redact_urls_in(text);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://dcmm:***@db/dcmm"), "{shown}");
        assert_eq!(redact_urls_in("no url here"), "no url here");
    }

    #[test]
    fn connection_errors_lose_the_password_as_written_and_decoded() {
        let t = DbTarget::parse("postgres://dcmm:s%41cret%zz@db/dcmm").unwrap();
        let e =
            ConnectionError::BadConnection("invalid percent-encoded token: \"s%41cret%zz\"".into());
        let shown = t.scrub(e).to_string();
        assert!(!shown.contains("cret"), "{shown}");
        let t = DbTarget::parse("postgres://dcmm:s%41cret@db/dcmm").unwrap();
        let shown = t
            .scrub(ConnectionError::BadConnection("password sAcret".into()))
            .to_string();
        assert_eq!(shown, "password ***");
    }

    /// libpq itself, on a URL it cannot read: the error quotes the token.
    #[test]
    fn a_failed_connection_does_not_tell_the_password() {
        use diesel::r2d2::ManageConnection;
        let url = "postgres://dcmm:hunter2%zz@127.0.0.1:1/dcmm";
        let manager = crate::db::Manager {
            target: DbTarget::parse(url).unwrap(),
        };
        let Err(e) = manager.connect() else {
            panic!("connected with a malformed URL");
        };
        let shown = e.to_string();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!format!("{manager:?}").contains("hunter2"));
    }
}
