//! How long a response says it stays fresh: `Cache-Control: max-age` (minus `Age`), else
//! `Expires` minus `Date` (RFC 9111 §4.2.1). The scheduler does not poll a source again before
//! that, when it is longer than the source's interval.
//!
//! Only what a private client may use is read: `s-maxage` is for shared caches. Bad values are
//! ignored rather than guessed at, because a wrong guess can only make newsmon poll less often
//! than the server allows, never more.

use chrono::{DateTime, Utc};
use reqwest::header::{AGE, CACHE_CONTROL, DATE, EXPIRES, HeaderMap};

/// Delta-seconds past this are taken as this (RFC 9111 §1.2.2): "about 68 years" is as good as
/// forever, and the scheduler's ceiling cuts it far shorter anyway.
const MAX_DELTA_SECONDS: u64 = 1 << 31;

/// How long a response stays fresh, and which header said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// Seconds from when the response was received.
    pub secs: u64,
    /// The header it came from.
    pub source: LifetimeSource,
}

/// The header a [`Lifetime`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifetimeSource {
    /// `Cache-Control: max-age`.
    MaxAge,
    /// `Expires` (with `Date`, when the server sent one).
    Expires,
}

/// The freshness lifetime of a response received at `now`; `None` when its headers give none
/// (or only malformed ones).
pub fn lifetime(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Lifetime> {
    if let Some(max_age) = max_age(headers) {
        // An unreadable Age is ignored: it can only shorten the lifetime.
        let age = header_str(headers, AGE)
            .and_then(delta_seconds)
            .unwrap_or(0);
        return Some(Lifetime {
            secs: max_age.saturating_sub(age),
            source: LifetimeSource::MaxAge,
        });
    }
    let expires = http_date(header_str(headers, EXPIRES)?)?;
    // The server's own clock, when it sent one, so that clock skew does not count.
    let date = header_str(headers, DATE).and_then(http_date).unwrap_or(now);
    let secs = u64::try_from((expires - date).num_seconds()).ok()?;
    Some(Lifetime {
        secs: secs.min(MAX_DELTA_SECONDS),
        source: LifetimeSource::Expires,
    })
}

/// The first `max-age` directive of every `Cache-Control` field, in seconds.
fn max_age(headers: &HeaderMap) -> Option<u64> {
    headers
        .get_all(CACHE_CONTROL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|directive| {
            let (name, value) = directive.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("max-age")
                .then(|| value.trim().trim_matches('"'))
        })
        .and_then(delta_seconds)
}

/// `1*DIGIT`, saturating at [`MAX_DELTA_SECONDS`]; anything else (a sign, a unit, a fraction)
/// is malformed.
fn delta_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        text.parse::<u64>()
            .map_or(MAX_DELTA_SECONDS, |secs| secs.min(MAX_DELTA_SECONDS)),
    )
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), which is an RFC 2822 date.
pub(crate) fn http_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<&str> {
    headers.get(name)?.to_str().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn secs(pairs: &[(&'static str, &'static str)]) -> Option<(u64, LifetimeSource)> {
        lifetime(&headers(pairs), now()).map(|l| (l.secs, l.source))
    }

    use LifetimeSource::{Expires, MaxAge};

    /// Header lines of a case.
    type Headers = &'static [(&'static str, &'static str)];

    #[test]
    fn max_age_is_read_from_any_cache_control_field() {
        let cases: &[(Headers, Option<(u64, LifetimeSource)>)] = &[
            (&[("cache-control", "max-age=300")], Some((300, MaxAge))),
            (
                &[("cache-control", "public, MAX-AGE = 60 ")],
                Some((60, MaxAge)),
            ),
            (&[("cache-control", "max-age=\"120\"")], Some((120, MaxAge))),
            (
                &[
                    ("cache-control", "no-cache"),
                    ("cache-control", "max-age=90"),
                ],
                Some((90, MaxAge)),
            ),
            // The first of two wins.
            (
                &[("cache-control", "max-age=10, max-age=9999")],
                Some((10, MaxAge)),
            ),
            // s-maxage is for shared caches.
            (&[("cache-control", "s-maxage=600")], None),
            (&[("cache-control", "max-age=0")], Some((0, MaxAge))),
            // Age already spent counts.
            (
                &[("cache-control", "max-age=300"), ("age", "100")],
                Some((200, MaxAge)),
            ),
            (
                &[("cache-control", "max-age=300"), ("age", "900")],
                Some((0, MaxAge)),
            ),
            (&[], None),
        ];
        for (pairs, want) in cases {
            assert_eq!(secs(pairs), *want, "{pairs:?}");
        }
    }

    #[test]
    fn malformed_negative_and_huge_max_ages() {
        for bad in [
            "max-age=-5",
            "max-age=1e3",
            "max-age=60s",
            "max-age=",
            "max-age",
            "max-age=1.5",
        ] {
            let map = headers(&[("cache-control", bad)]);
            assert_eq!(lifetime(&map, now()), None, "{bad}");
        }
        // Larger than u64: taken as 2^31 (RFC 9111 §1.2.2), which the ceiling cuts down.
        let huge = secs(&[("cache-control", "max-age=99999999999999999999999999")]);
        assert_eq!(huge, Some((1 << 31, MaxAge)));
        let big = secs(&[("cache-control", "max-age=4294967296")]);
        assert_eq!(big, Some((1 << 31, MaxAge)));
        // A bad Age is ignored, a bad max-age falls through to Expires.
        let with_bad_age = secs(&[("cache-control", "max-age=60"), ("age", "soon")]);
        assert_eq!(with_bad_age, Some((60, MaxAge)));
        let fallback = secs(&[
            ("cache-control", "max-age=abc"),
            ("expires", "Wed, 07 Jan 2026 10:05:00 GMT"),
        ]);
        assert_eq!(fallback, Some((300, Expires)));
    }

    #[test]
    fn expires_counts_from_the_server_date_else_now() {
        let from_now = secs(&[("expires", "Wed, 07 Jan 2026 11:00:00 GMT")]);
        assert_eq!(from_now, Some((3600, Expires)));
        // The server's clock is 10 minutes behind ours: its own Date is the reference.
        let skewed = secs(&[
            ("expires", "Wed, 07 Jan 2026 10:00:00 GMT"),
            ("date", "Wed, 07 Jan 2026 09:50:00 GMT"),
        ]);
        assert_eq!(skewed, Some((600, Expires)));
        // max-age wins over Expires.
        let both = secs(&[
            ("cache-control", "max-age=30"),
            ("expires", "Wed, 07 Jan 2026 11:00:00 GMT"),
        ]);
        assert_eq!(both, Some((30, MaxAge)));
    }

    #[test]
    fn past_and_invalid_expires_give_nothing() {
        for bad in ["Wed, 07 Jan 2026 09:00:00 GMT", "0", "-1", "tomorrow", ""] {
            let map = headers(&[("expires", bad)]);
            assert_eq!(lifetime(&map, now()), None, "{bad:?}");
        }
        let far = secs(&[("expires", "Fri, 01 Jan 2100 00:00:00 GMT")]);
        assert_eq!(far, Some((1 << 31, Expires)));
    }
}
