//! When to try a request again, and how long to wait first.
//!
//! Retried: network errors and timeouts, 5xx, and 429 (RFC 6585 §4). Never retried: other 4xx
//! (the request itself is wrong, and asking again only adds load), oversized bodies, refusals
//! by the private-network guard or robots.txt. The wait doubles from `retry_base_ms` with
//! jitter, so that many clients failing together do not retry together; a `Retry-After` header
//! (RFC 9110 §10.2.3, seconds or an HTTP-date) replaces it. Every wait is capped by
//! `retry_max_secs`, and a server asking for more than that is not waited for.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::Error;

/// The retry settings of the `[http]` table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub(crate) retries: u32,
    pub(crate) base: Duration,
    pub(crate) max: Duration,
}

impl RetryPolicy {
    /// How long to wait before attempt number `attempt + 1` (0 is the first retry), after `err`.
    /// `None`: give up and report `err`.
    pub(crate) fn wait(&self, attempt: u32, err: &Error) -> Option<Duration> {
        if attempt >= self.retries || !retryable(err) {
            return None;
        }
        if let Error::Status {
            retry_after: Some(secs),
            ..
        } = err
        {
            let asked = Duration::from_secs(*secs);
            return (asked <= self.max).then_some(asked);
        }
        Some(self.backoff(attempt))
    }

    /// "Equal jitter": half the exponential delay, plus a random share of the other half. The
    /// wait stays at least half the nominal delay (a server that is down gets a real pause),
    /// while clients that failed together spread out.
    /// See: <https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/>.
    fn backoff(&self, attempt: u32) -> Duration {
        let nominal = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max);
        let half = nominal / 2;
        half + half.mul_f64(random_fraction())
    }
}

fn retryable(err: &Error) -> bool {
    match err {
        Error::Status { status, .. } => *status == 429 || (500..=599).contains(status),
        Error::Connect { .. }
        | Error::Timeout { .. }
        | Error::Stalled { .. }
        | Error::Http { .. } => true,
        _ => false,
    }
}

/// The `Retry-After` of a response, in whole seconds from now: `delay-seconds`, or an
/// HTTP-date (a date in the past means "now"). Unparseable values are ignored.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<u64> {
    retry_after_at(headers, Utc::now())
}

fn retry_after_at(headers: &HeaderMap, now: DateTime<Utc>) -> Option<u64> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is "a very long time", not "no answer": the scheduler's
        // ceiling cuts it down.
        return Some(value.parse::<u64>().unwrap_or(u64::MAX));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is an RFC 2822 date; RFC 9110 §5.6.7 also
    // names the obsolete RFC 850 and asctime forms, which servers have stopped sending.
    let at = crate::freshness::http_date(value)?;
    let secs = (at - now).num_seconds();
    Some(u64::try_from(secs).unwrap_or(0))
}

/// A number in [0, 1) that differs between calls and between processes, from std's randomly
/// keyed SipHash: jitter needs no cryptographic quality, and this saves a dependency.
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use url::Url;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            retries: 3,
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        }
    }

    fn status(code: u16, retry_after: Option<u64>) -> Error {
        Error::Status {
            url: Url::parse("https://example.com/").unwrap(),
            status: code,
            retry_after,
        }
    }

    #[test]
    fn only_network_errors_5xx_and_429_are_retried() {
        let policy = policy();
        for code in [500, 502, 503, 504, 429] {
            assert!(policy.wait(0, &status(code, None)).is_some(), "{code}");
        }
        for code in [400, 401, 403, 404, 410, 451] {
            assert!(policy.wait(0, &status(code, None)).is_none(), "{code}");
        }
        let url = Url::parse("https://example.com/").unwrap();
        assert!(
            policy
                .wait(
                    0,
                    &Error::Connect {
                        url: url.clone(),
                        detail: "refused".into()
                    }
                )
                .is_some()
        );
        assert!(policy.wait(0, &Error::TooLarge { url, limit: 1 }).is_none());
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap_and_stops_after_the_last_retry() {
        let policy = policy();
        let err = status(503, None);
        for (attempt, nominal_ms) in [(0u32, 100u64), (1, 200), (2, 400)] {
            for _ in 0..20 {
                let wait = policy.wait(attempt, &err).unwrap();
                let nominal = Duration::from_millis(nominal_ms);
                assert!(
                    wait >= nominal / 2 && wait <= nominal,
                    "{attempt}: {wait:?}"
                );
            }
        }
        assert!(policy.wait(3, &err).is_none());
        let long = RetryPolicy {
            retries: 10,
            ..policy
        };
        assert!(long.wait(9, &err).unwrap() <= Duration::from_secs(1));
    }

    #[test]
    fn retry_after_replaces_the_backoff_unless_it_exceeds_the_cap() {
        let policy = policy();
        assert_eq!(
            policy.wait(0, &status(429, Some(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(policy.wait(0, &status(503, Some(0))), Some(Duration::ZERO));
        assert_eq!(policy.wait(0, &status(429, Some(120))), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2026-01-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let cases = [
            ("120", Some(120)),
            (" 7 ", Some(7)),
            ("Wed, 07 Jan 2026 10:00:30 GMT", Some(30)),
            ("Wed, 07 Jan 2026 09:00:00 GMT", Some(0)),
            ("soon", None),
            ("-5", None),
            ("+5", None),
            ("1.5", None),
            ("", None),
            ("99999999999999999999999", Some(u64::MAX)),
        ];
        for (value, want) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            assert_eq!(retry_after_at(&headers, now), want, "{value:?}");
        }
        assert_eq!(retry_after_at(&HeaderMap::new(), now), None);
    }
}
