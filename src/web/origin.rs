//! Whether a form post came from this service's own pages, by what the browser says of it:
//! the `Origin` header (every current browser sends it with a POST), else the `Referer`.
//! Used by the forms posted before or at the end of a session (login, logout), where a
//! cross-site post would log a victim in to the attacker's account or out of their own.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::public_url::PublicUrl;

/// What the request's headers say of where the form was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// This service: the request's own host, or the configured `public_url`.
    Same,
    /// Another site, or a value that is not an origin.
    Other,
    /// Neither header, or `Origin: null` (a privacy setting or a sandbox): the form's own
    /// token has to show it.
    Nothing,
}

/// Where `req` says it was posted from.
pub fn said(req: &HttpRequest, public_url: Option<&PublicUrl>) -> Said {
    let headers = req.headers();
    let origin = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or("\u{0}"))
        .filter(|v| v.trim() != "null");
    let claimed = match origin {
        Some(origin) => origin.to_owned(),
        None => match headers.get(header::REFERER) {
            Some(referer) => referer.to_str().unwrap_or("\u{0}").to_owned(),
            None => return Said::Nothing,
        },
    };
    let Some(claimed) = origin_of(&claimed) else {
        return Said::Other;
    };
    let info = req.connection_info();
    // The request's own host and port, whatever its scheme: behind a TLS proxy that does not
    // say `X-Forwarded-Proto` the service sees http while the browser says https.
    let own = origin_of(&format!("{}://{}", info.scheme(), info.host()));
    let public = public_url.and_then(|u| origin_of(u.as_str()));
    let same_host = own
        .as_ref()
        .is_some_and(|own| own.host == claimed.host && own.port == claimed.port);
    if same_host || Some(&claimed) == public.as_ref() {
        Said::Same
    } else {
        Said::Other
    }
}

/// What an origin is compared by.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    /// Lower case.
    host: String,
    /// Only when it is not the scheme's default.
    port: Option<u16>,
}

/// The origin of a URL; `None` for anything without a host (`null`, `data:`, garbage).
fn origin_of(url: &str) -> Option<Origin> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    Some(Origin {
        scheme: parsed.scheme().to_owned(),
        host: parsed.host_str()?.to_ascii_lowercase(),
        port: parsed.port(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn with(headers: &[(&str, &str)]) -> Said {
        let mut req = TestRequest::default().insert_header((header::HOST, "dcmm.local:8080"));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let public = PublicUrl::parse("https://dcmm.example.org/dcmm").unwrap();
        said(&req.to_http_request(), Some(&public))
    }

    #[test]
    fn the_own_host_and_the_public_url_are_this_service() {
        assert_eq!(with(&[("origin", "http://dcmm.local:8080")]), Said::Same);
        assert_eq!(with(&[("origin", "HTTP://DCMM.local:8080")]), Said::Same);
        assert_eq!(with(&[("origin", "https://dcmm.example.org")]), Said::Same);
        assert_eq!(
            with(&[("origin", "https://dcmm.example.org:443")]),
            Said::Same
        );
        let referer = [("referer", "http://dcmm.local:8080/login?next=/campaigns")];
        assert_eq!(with(&referer), Said::Same);
        // A TLS proxy that does not tell the scheme: the host and port still match.
        assert_eq!(with(&[("origin", "https://dcmm.local:8080")]), Said::Same);
    }

    #[test]
    fn another_site_or_a_non_origin_is_not() {
        for origin in [
            "https://evil.example",
            "http://dcmm.local:8081",
            "http://dcmm.local",
            "http://dcmm.example.org",
            "http://dcmm.local:8080.evil.example",
            "data:text/html,x",
            "garbage",
        ] {
            assert_eq!(with(&[("origin", origin)]), Said::Other, "{origin}");
        }
        assert_eq!(
            with(&[("referer", "https://evil.example/login")]),
            Said::Other
        );
        // The Origin decides when both are sent.
        let both = [
            ("origin", "https://evil.example"),
            ("referer", "http://dcmm.local:8080/login"),
        ];
        assert_eq!(with(&both), Said::Other);
    }

    #[test]
    fn silence_is_neither() {
        assert_eq!(with(&[]), Said::Nothing);
        assert_eq!(with(&[("origin", "null")]), Said::Nothing);
        let null_with_referer = [("origin", "null"), ("referer", "https://evil.example/")];
        assert_eq!(with(&null_with_referer), Said::Other);
    }
}
