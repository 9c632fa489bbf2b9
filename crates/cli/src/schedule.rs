//! When a source is due: its interval, jitter, exponential backoff after failures, and what the
//! server asked for (feed TTL, `Cache-Control: max-age`/`Expires`, `Retry-After`), between a
//! floor and a ceiling.
//!
//! Pure arithmetic over the `[schedule]` table, kept apart from the loop in `cmd/run.rs` so
//! that it is tested without clocks.

use chrono::{DateTime, Duration, Utc};
use newsmon_fetcher::{Lifetime, LifetimeSource};

use crate::config::ScheduleConfig;

/// The longest wait the scheduler ever computes, whatever the configuration says: far enough
/// for any real ceiling, near enough that `now + wait` cannot overflow a date.
const LONGEST_WAIT_SECS: u64 = 366 * 24 * 3600;

/// The policy that turns a poll's outcome into the time of the next poll.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval_mins: u64,
    jitter_secs: u64,
    max_backoff_mins: u64,
    floor_secs: u64,
    ceiling_secs: u64,
}

/// What the server said, at one poll, about when to ask again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asked {
    /// The feed's `<ttl>`, in minutes (kept from the last download after a 304).
    pub ttl_mins: Option<u32>,
    /// `Cache-Control: max-age` or `Expires` of the response.
    pub lifetime: Option<Lifetime>,
    /// `Retry-After` of a 429 or 503 answer, in seconds.
    pub retry_after_secs: Option<u64>,
}

/// When a source is due next, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub at: DateTime<Utc>,
    pub reason: Reason,
}

/// What decided a source's next due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    pub cause: Cause,
    /// Set when the floor or the ceiling moved the time the cause asked for.
    pub clamp: Option<Clamp>,
}

/// The longest of the waits a poll called for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The configured interval (plus jitter).
    Interval,
    /// The interval doubled per consecutive failure, up to `max_backoff_mins`.
    Backoff { failures: u32 },
    /// The feed's `<ttl>`.
    Ttl { mins: u32 },
    /// `Cache-Control: max-age`.
    MaxAge { secs: u64 },
    /// `Expires`.
    Expires { secs: u64 },
    /// `Retry-After`.
    RetryAfter { secs: u64 },
}

/// Which bound applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    Floor { secs: u64 },
    Ceiling { secs: u64 },
}

impl std::fmt::Display for Reason {
    /// Short, for `newsmon sources`: `ttl 60m`, `retry-after 120s (ceiling 1440m)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cause {
            Cause::Interval => write!(f, "interval")?,
            Cause::Backoff { failures: 1 } => write!(f, "backoff after 1 failure")?,
            Cause::Backoff { failures } => write!(f, "backoff after {failures} failures")?,
            Cause::Ttl { mins } => write!(f, "ttl {mins}m")?,
            Cause::MaxAge { secs } => write!(f, "max-age {secs}s")?,
            Cause::Expires { secs } => write!(f, "expires {secs}s")?,
            Cause::RetryAfter { secs } => write!(f, "retry-after {secs}s")?,
        }
        match self.clamp {
            None => Ok(()),
            Some(Clamp::Floor { secs }) => write!(f, " (floor {secs}s)"),
            Some(Clamp::Ceiling { secs }) => write!(f, " (ceiling {}m)", secs / 60),
        }
    }
}

impl Schedule {
    pub fn new(config: &ScheduleConfig) -> Schedule {
        let ceiling_secs = config
            .max_interval_mins
            .max(1)
            .saturating_mul(60)
            .min(LONGEST_WAIT_SECS);
        Schedule {
            interval_mins: config.interval_mins.max(1),
            jitter_secs: config.jitter_secs,
            max_backoff_mins: config.max_backoff_mins.max(1),
            floor_secs: config.min_interval_secs.min(ceiling_secs),
            ceiling_secs,
        }
    }

    /// When to poll a source next, after a poll at `now` that left it with `failures`
    /// consecutive failures and in which the server `asked` for what it did.
    /// `own_interval_mins` is the source's override.
    ///
    /// After `n` failures the wait is the interval × 2ⁿ, capped at `max_backoff_mins` (but never
    /// shorter than the interval): a source that is down for a day costs a handful of requests,
    /// not a hundred, and a success brings it back to its interval at once. Miniflux does the
    /// same (miniflux/v2: internal/model/feed.go, `ScheduleNextCheck`).
    ///
    /// A server that asks for a longer wait gets it: a feed's `<ttl>` or the response's
    /// freshness lifetime after a success or a 304, `Retry-After` after a 429 or 503. A server
    /// never makes newsmon poll sooner than the interval. Whatever wins is then kept within
    /// `[min_interval_secs, max_interval_mins]`, so that a `Retry-After` of a year does not
    /// park a source for good.
    pub fn next_due(
        &self,
        name: &str,
        own_interval_mins: Option<u64>,
        failures: u32,
        asked: &Asked,
        now: DateTime<Utc>,
    ) -> Due {
        let interval = own_interval_mins.unwrap_or(self.interval_mins).max(1);
        let (minutes, cause) = if failures == 0 {
            (interval, Cause::Interval)
        } else {
            let backoff = interval.saturating_mul(1u64 << failures.min(20));
            (
                backoff.min(self.max_backoff_mins.max(interval)),
                Cause::Backoff { failures },
            )
        };
        let ours = minutes
            .saturating_mul(60)
            .saturating_add(jitter(name, now, self.jitter_secs));
        let (wait, cause) = server_asks(asked).filter(|(secs, _)| *secs > ours).fold(
            (ours, cause),
            |longest, ask| {
                if ask.0 > longest.0 { ask } else { longest }
            },
        );
        let (wait, clamp) = self.clamp(wait);
        let wait = Duration::seconds(i64::try_from(wait).unwrap_or(0));
        Due {
            at: now.checked_add_signed(wait).unwrap_or(now),
            reason: Reason { cause, clamp },
        }
    }

    fn clamp(&self, wait: u64) -> (u64, Option<Clamp>) {
        if wait < self.floor_secs {
            (
                self.floor_secs,
                Some(Clamp::Floor {
                    secs: self.floor_secs,
                }),
            )
        } else if wait > self.ceiling_secs {
            let secs = self.ceiling_secs;
            (secs, Some(Clamp::Ceiling { secs }))
        } else {
            (wait, None)
        }
    }

    /// The longest any source may wait before its next poll, by this schedule.
    pub fn ceiling(&self) -> Duration {
        Duration::seconds(i64::try_from(self.ceiling_secs).unwrap_or(0))
    }
}

/// Every wait the server asked for, in seconds, with its cause.
fn server_asks(asked: &Asked) -> impl Iterator<Item = (u64, Cause)> {
    let ttl = asked
        .ttl_mins
        .map(|mins| (u64::from(mins) * 60, Cause::Ttl { mins }));
    let lifetime = asked.lifetime.map(|lifetime| {
        let secs = lifetime.secs;
        let cause = match lifetime.source {
            LifetimeSource::MaxAge => Cause::MaxAge { secs },
            LifetimeSource::Expires => Cause::Expires { secs },
        };
        (secs, cause)
    });
    let retry = asked
        .retry_after_secs
        .map(|secs| (secs, Cause::RetryAfter { secs }));
    [ttl, lifetime, retry].into_iter().flatten()
}

/// A pseudo-random number of seconds in `0..=max`, from the source's name and the time: it
/// spreads sources out without a random-number dependency, and differs from poll to poll.
fn jitter(name: &str, now: DateTime<Utc>, max: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(name.as_bytes());
    hasher.update(&now.timestamp_nanos_opt().unwrap_or_default().to_le_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    u64::from_le_bytes(bytes) % max.saturating_add(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(jitter_secs: u64) -> ScheduleConfig {
        ScheduleConfig {
            interval_mins: 15,
            jitter_secs,
            max_backoff_mins: 360,
            min_interval_secs: 60,
            max_interval_mins: 1440,
            ..ScheduleConfig::default()
        }
    }

    fn schedule(jitter_secs: u64) -> Schedule {
        Schedule::new(&config(jitter_secs))
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_225_600, 0).unwrap()
    }

    fn wait_mins(due: &Due) -> i64 {
        (due.at - now()).num_minutes()
    }

    fn wait_secs(due: &Due) -> i64 {
        (due.at - now()).num_seconds()
    }

    fn plain(s: &Schedule, own: Option<u64>, failures: u32) -> Due {
        s.next_due("a", own, failures, &Asked::default(), now())
    }

    fn asked(s: &Schedule, failures: u32, asked: Asked) -> Due {
        s.next_due("a", None, failures, &asked, now())
    }

    fn ttl(mins: u32) -> Asked {
        Asked {
            ttl_mins: Some(mins),
            ..Asked::default()
        }
    }

    fn max_age(secs: u64) -> Asked {
        Asked {
            lifetime: Some(Lifetime {
                secs,
                source: LifetimeSource::MaxAge,
            }),
            ..Asked::default()
        }
    }

    fn retry_after(secs: u64) -> Asked {
        Asked {
            retry_after_secs: Some(secs),
            ..Asked::default()
        }
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_cap_and_success_resets() {
        let s = schedule(0);
        let waits: Vec<i64> = (0..8).map(|f| wait_mins(&plain(&s, None, f))).collect();
        assert_eq!(waits, [15, 30, 60, 120, 240, 360, 360, 360]);
        assert_eq!(wait_mins(&plain(&s, None, u32::MAX)), 360);
        let recovered = plain(&s, None, 0);
        assert_eq!(wait_mins(&recovered), 15, "recovered");
        assert_eq!(recovered.reason.to_string(), "interval");
        assert_eq!(
            plain(&s, None, 3).reason.to_string(),
            "backoff after 3 failures"
        );
    }

    #[test]
    fn a_source_interval_overrides_and_the_cap_never_shortens_it() {
        let s = schedule(0);
        assert_eq!(wait_mins(&plain(&s, Some(60), 0)), 60);
        assert_eq!(wait_mins(&plain(&s, Some(600), 3)), 600);
    }

    #[test]
    fn jitter_stays_in_bounds_and_spreads_sources() {
        let s = schedule(60);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..50 {
            let due = s.next_due(&format!("source {i}"), None, 0, &Asked::default(), now());
            let extra = wait_secs(&due) - 15 * 60;
            assert!((0..=60).contains(&extra), "{extra}");
            seen.insert(extra);
        }
        assert!(seen.len() > 10, "{seen:?}");
        // The largest jitter does not overflow.
        let huge = Schedule::new(&ScheduleConfig {
            jitter_secs: u64::MAX,
            ..config(0)
        });
        assert!(wait_secs(&plain(&huge, None, 0)) <= 1440 * 60);
    }

    #[test]
    fn the_server_lengthens_the_wait_but_never_shortens_it() {
        let s = schedule(0);
        let due = asked(&s, 0, ttl(60));
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (60, "ttl 60m".into())
        );
        // A TTL below the interval changes nothing.
        let due = asked(&s, 0, ttl(5));
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (15, "interval".into())
        );
        let due = asked(&s, 0, max_age(7200));
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (120, "max-age 7200s".into())
        );
        assert_eq!(wait_mins(&asked(&s, 0, max_age(0))), 15);
        let expires = Asked {
            lifetime: Some(Lifetime {
                secs: 3000,
                source: LifetimeSource::Expires,
            }),
            ..Asked::default()
        };
        assert_eq!(asked(&s, 0, expires).reason.to_string(), "expires 3000s");
        // The longest ask wins.
        let both = Asked {
            ttl_mins: Some(30),
            ..max_age(7200)
        };
        assert_eq!(asked(&s, 0, both).reason.to_string(), "max-age 7200s");
    }

    #[test]
    fn retry_after_postpones_past_the_backoff_within_the_ceiling() {
        let s = schedule(0);
        // One failure: the backoff is 30 minutes; the server asks for 2 hours.
        let due = asked(&s, 1, retry_after(7200));
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (120, "retry-after 7200s".into())
        );
        // Less than the backoff: the backoff stands.
        let due = asked(&s, 1, retry_after(120));
        assert_eq!(wait_mins(&due), 30);
        assert_eq!(due.reason.to_string(), "backoff after 1 failure");
        // A date in the past reads as 0 seconds: the backoff stands.
        assert_eq!(wait_mins(&asked(&s, 1, retry_after(0))), 30);
        // A year, or u64::MAX: the ceiling.
        for secs in [365 * 24 * 3600, u64::MAX] {
            let due = asked(&s, 1, retry_after(secs));
            assert_eq!(wait_mins(&due), 1440, "{secs}");
            assert_eq!(
                due.reason.to_string(),
                format!("retry-after {secs}s (ceiling 1440m)")
            );
        }
        let due = asked(&s, 0, ttl(u32::MAX));
        assert_eq!(wait_mins(&due), 1440);
    }

    #[test]
    fn the_floor_raises_a_short_interval_and_the_ceiling_cuts_a_long_backoff() {
        let s = Schedule::new(&ScheduleConfig {
            min_interval_secs: 1800,
            max_interval_mins: 120,
            ..config(0)
        });
        let due = plain(&s, Some(5), 0);
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (30, "interval (floor 1800s)".into())
        );
        let due = plain(&s, None, 5);
        assert_eq!(
            (wait_mins(&due), due.reason.to_string()),
            (120, "backoff after 5 failures (ceiling 120m)".into())
        );
        assert_eq!(s.ceiling(), Duration::minutes(120));
        // A floor above the ceiling (which `config check` refuses) gives the ceiling.
        let crossed = Schedule::new(&ScheduleConfig {
            min_interval_secs: 10_000,
            max_interval_mins: 60,
            ..config(0)
        });
        assert_eq!(wait_mins(&plain(&crossed, None, 0)), 60);
        // An absurd ceiling is cut to a year, so the date cannot overflow.
        let absurd = Schedule::new(&ScheduleConfig {
            max_interval_mins: u64::MAX,
            ..config(0)
        });
        let due = asked(&absurd, 0, retry_after(u64::MAX));
        assert_eq!(wait_secs(&due), 366 * 24 * 3600);
    }
}
