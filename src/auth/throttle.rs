//! Login throttling: after a few failures on one account, or many from one client address,
//! further attempts wait, for a delay that doubles with each failure.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;
use chrono::{Duration, NaiveDateTime};

/// How many failures are free and how the delay grows after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub free_failures: i32,
    pub base_delay_secs: i64,
    pub max_delay_secs: i64,
}

/// Five wrong passwords for one account, then 15 s, 30 s, 60 s … up to 15 minutes.
pub const PER_ACCOUNT: Limit = Limit {
    free_failures: 5,
    base_delay_secs: 15,
    max_delay_secs: 15 * 60,
};

/// Twenty failures from one address (one office behind a NAT may share it), then the same
/// growing delay.
pub const PER_ADDRESS: Limit = Limit {
    free_failures: 20,
    base_delay_secs: 15,
    max_delay_secs: 15 * 60,
};

/// Failures are forgotten this long after the last one, once no lock runs.
pub const WINDOW_SECS: i64 = 15 * 60;

/// A number of requests per window of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub requests: i32,
    pub secs: i64,
}

/// Report checks without a login from one address: 30 in 10 minutes (a reader checks a few
/// reports; an office behind one address may check a few dozen).
pub const VERIFY_PER_ADDRESS: Window = Window {
    requests: 30,
    secs: 10 * 60,
};

impl Limit {
    /// The lock that follows the `failures`-th failure, if any.
    pub fn delay_after(&self, failures: i32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures)?;
        if over < 0 {
            return None;
        }
        let factor = 1i64.checked_shl(over.min(30) as u32).unwrap_or(i64::MAX);
        let secs = self
            .base_delay_secs
            .saturating_mul(factor)
            .min(self.max_delay_secs);
        Some(Duration::seconds(secs))
    }
}

/// The counter key of an account, by its normalised username (unknown names are counted
/// too, so they behave like real ones).
pub fn account_key(username: &str) -> String {
    format!("account:{username}")
}

pub fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

/// The counter key of report checks from an address.
pub fn verify_key(address: IpAddr) -> String {
    format!("verify:{address}")
}

/// Whole seconds until `until`, rounded up, at least 1: the `Retry-After` value.
pub fn retry_after_secs(until: NaiveDateTime, now: NaiveDateTime) -> u64 {
    let millis = (until - now).num_milliseconds().max(0);
    u64::try_from((millis + 999) / 1000).unwrap_or(1).max(1)
}

/// The client's address: the TCP peer, or, when the service is told it sits behind a proxy,
/// the last `X-Forwarded-For` entry: the one that proxy appended. Earlier entries come from
/// the client and could be anything.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    if !trust_forwarded_for {
        return peer;
    }
    req.headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .last()
        .and_then(|text| {
            text.parse::<IpAddr>()
                .ok()
                .or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
        })
        .or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_after_the_free_failures_and_doubles_to_a_cap() {
        let delays: Vec<Option<i64>> = (1..=12)
            .map(|n| PER_ACCOUNT.delay_after(n).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            delays,
            [
                None,
                None,
                None,
                None,
                Some(15),
                Some(30),
                Some(60),
                Some(120),
                Some(240),
                Some(480),
                Some(900),
                Some(900)
            ]
        );
        assert_eq!(PER_ADDRESS.delay_after(19), None);
        assert_eq!(PER_ADDRESS.delay_after(20), Some(Duration::seconds(15)));
        assert_eq!(
            PER_ACCOUNT.delay_after(i32::MAX),
            Some(Duration::seconds(900))
        );
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        let now = chrono::Utc::now().naive_utc();
        assert_eq!(retry_after_secs(now + Duration::milliseconds(1), now), 1);
        assert_eq!(
            retry_after_secs(now + Duration::milliseconds(14_001), now),
            15
        );
        assert_eq!(retry_after_secs(now - Duration::seconds(3), now), 1);
    }

    #[test]
    fn keys_tell_accounts_from_addresses() {
        assert_eq!(account_key("li.wei"), "account:li.wei");
        assert_eq!(address_key("10.0.0.7".parse().unwrap()), "address:10.0.0.7");
    }
}
