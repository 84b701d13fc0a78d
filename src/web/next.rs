//! Where the browser may be sent after logging in or renewing a session (`next`): only a page
//! of this service, named by a path under one of the page routes' first segments.
//!
//! Anything else goes to the home page. Browsers strip tabs and newlines from a URL and read a
//! backslash as a slash, so `/\t/evil.example` or `/\evil.example` would leave the site; a
//! CR or LF in a `Location` header cannot be sent at all. Rather than list what is dangerous,
//! this keeps what is known: visible ASCII only, one leading slash, then a known first
//! segment taken literally (an encoded `%2F` or `%5C` there is simply not a known segment).

/// The first path segments of the pages a user may come back to. Not the login, logout or
/// renewal routes (a loop), nor the API, nor static files.
const PAGE_ROOTS: &[&str] = &[
    "account",
    "assessments",
    "audit-log",
    "campaigns",
    "clusters",
    "enterprises",
    "evidence",
    "profile",
    "reviews",
    "sharing",
    "users",
    "verify",
];

/// `next` when it names a page of this service (with its query and fragment), else `None`.
pub fn local_page(next: &str) -> Option<&str> {
    // Visible ASCII only: no controls, no space, nothing a browser might rewrite.
    if next.is_empty() || !next.bytes().all(|b| b.is_ascii_graphic()) || next.contains('\\') {
        return None;
    }
    let rest = next.strip_prefix('/')?;
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = &rest[..path_end];
    let first = path.split('/').next().unwrap_or_default();
    if !PAGE_ROOTS.contains(&first) {
        return None;
    }
    // Nothing in the path that a later decoding could turn into a separator or a dot-segment
    // that leaves the known root; letters, digits and `-._~%/` cover every page path.
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b);
    if !path.bytes().all(plain) || path.split('/').any(|s| s == "..") {
        return None;
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_pages_with_their_query_are_kept() {
        for ok in [
            "/campaigns",
            "/campaigns/0193e0c1-7f3a-7000-8000-000000000001/dashboard?lang=en",
            "/assessments/x/review?item=2025%3A6.1#c-2025-6-1-L2-3",
            "/audit-log?action=auth.login&after=10",
            "/account",
        ] {
            assert_eq!(local_page(ok), Some(ok), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/campaigns\r\nSet-Cookie: x=1",
            "https://evil.example/campaigns",
            "/campaigns@evil.example",
            "/%2F%2Fevil.example",
            "/campaigns/../login",
            "/login",
            "/session/renew",
            "/api/v1/me",
            "/static/dcmm.css",
            "/campaigns/\u{202E}",
            "campaigns",
            " /campaigns",
        ] {
            assert_eq!(local_page(bad), None, "{bad:?}");
        }
    }
}
