//! The address readers reach this service at (`public_url`): every report prints where it can
//! be verified, `<public_url>/verify`, and carries it as a QR code on its cover.

use std::fmt;

/// An absolute `http` or `https` URL with a host, no query, fragment or credentials, kept
/// without a trailing slash (a path prefix such as `https://example.org/dcmm` is allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let url = url::Url::parse(text).map_err(|e| {
            format!("{text:?} is not an absolute URL ({e}); e.g. https://dcmm.example.org")
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("{text:?} must start with http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("{text:?} has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() || text.contains('?') {
            return Err(format!("{text:?} must not have a query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("{text:?} must not carry a user name or password"));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The verification page: `<public_url>/verify`.
    pub fn verify_page(&self) -> String {
        format!("{}/verify", self.0)
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absolute_http_url_is_kept_without_its_trailing_slash() {
        for (given, kept) in [
            ("https://dcmm.example.org", "https://dcmm.example.org"),
            ("https://dcmm.example.org/", "https://dcmm.example.org"),
            (" http://10.0.0.7:8080/dcmm/ ", "http://10.0.0.7:8080/dcmm"),
            ("HTTPS://Dcmm.Example.org", "https://dcmm.example.org"),
        ] {
            let url = PublicUrl::parse(given).unwrap();
            assert_eq!(url.as_str(), kept, "{given}");
            assert_eq!(url.verify_page(), format!("{kept}/verify"));
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        for (given, reason) in [
            ("dcmm.example.org", "absolute URL"),
            ("/verify", "absolute URL"),
            ("ftp://dcmm.example.org", "http://"),
            ("mailto:a@example.org", "http://"),
            ("https://dcmm.example.org/?x=1", "query"),
            ("https://dcmm.example.org/?", "query"),
            ("https://dcmm.example.org/#top", "fragment"),
            ("https://user:pw@dcmm.example.org", "password"),
            ("", "absolute URL"),
        ] {
            let err = PublicUrl::parse(given).unwrap_err();
            assert!(err.contains(reason), "{given}: {err}");
        }
    }
}
