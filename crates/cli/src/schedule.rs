//! When a source is due: its interval, jitter, and exponential backoff after failures.
//!
//! Pure arithmetic over the `[schedule]` table, kept apart from the loop in `cmd/run.rs` so
//! that it is tested without clocks.

use chrono::{DateTime, Duration, Utc};

use crate::config::ScheduleConfig;

/// The policy that turns a poll's outcome into the time of the next poll.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval_mins: u64,
    jitter_secs: u64,
    max_backoff_mins: u64,
}

impl Schedule {
    pub fn new(config: &ScheduleConfig) -> Schedule {
        Schedule {
            interval_mins: config.interval_mins.max(1),
            jitter_secs: config.jitter_secs,
            max_backoff_mins: config.max_backoff_mins.max(1),
        }
    }

    /// When to poll a source next, after a poll at `now` that left it with `failures`
    /// consecutive failures. `own_interval_mins` is the source's override.
    ///
    /// After `n` failures the wait is the interval × 2ⁿ, capped at `max_backoff_mins` (but never
    /// shorter than the interval): a source that is down for a day costs a handful of requests,
    /// not a hundred, and a success brings it back to its interval at once. Miniflux does the
    /// same (miniflux/v2: internal/model/feed.go, `ScheduleNextCheck`).
    pub fn next_due(
        &self,
        name: &str,
        own_interval_mins: Option<u64>,
        failures: u32,
        now: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let interval = own_interval_mins.unwrap_or(self.interval_mins).max(1);
        let backoff = interval.saturating_mul(1u64 << failures.min(20));
        let minutes = backoff.min(self.max_backoff_mins.max(interval));
        let wait = Duration::minutes(i64::try_from(minutes).unwrap_or(i64::MAX / 60_000));
        now + wait + Duration::seconds(jitter(name, now, self.jitter_secs))
    }
}

/// A pseudo-random number of seconds in `0..=max`, from the source's name and the time: it
/// spreads sources out without a random-number dependency, and differs from poll to poll.
fn jitter(name: &str, now: DateTime<Utc>, max: u64) -> i64 {
    if max == 0 {
        return 0;
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(name.as_bytes());
    hasher.update(&now.timestamp_nanos_opt().unwrap_or_default().to_le_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    i64::try_from(u64::from_le_bytes(bytes) % (max + 1)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(jitter_secs: u64) -> Schedule {
        Schedule::new(&ScheduleConfig {
            interval_mins: 15,
            jitter_secs,
            max_backoff_mins: 360,
            ..ScheduleConfig::default()
        })
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_225_600, 0).unwrap()
    }

    fn wait_mins(due: DateTime<Utc>) -> i64 {
        (due - now()).num_minutes()
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_cap_and_success_resets() {
        let s = schedule(0);
        let waits: Vec<i64> = (0..8)
            .map(|failures| wait_mins(s.next_due("a", None, failures, now())))
            .collect();
        assert_eq!(waits, [15, 30, 60, 120, 240, 360, 360, 360]);
        assert_eq!(wait_mins(s.next_due("a", None, u32::MAX, now())), 360);
        assert_eq!(wait_mins(s.next_due("a", None, 0, now())), 15, "recovered");
    }

    #[test]
    fn a_source_interval_overrides_and_the_cap_never_shortens_it() {
        let s = schedule(0);
        assert_eq!(wait_mins(s.next_due("a", Some(60), 0, now())), 60);
        assert_eq!(wait_mins(s.next_due("a", Some(600), 3, now())), 600);
    }

    #[test]
    fn jitter_stays_in_bounds_and_spreads_sources() {
        let s = schedule(60);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..50 {
            let due = s.next_due(&format!("source {i}"), None, 0, now());
            let extra = (due - now()).num_seconds() - 15 * 60;
            assert!((0..=60).contains(&extra), "{extra}");
            seen.insert(extra);
        }
        assert!(seen.len() > 10, "{seen:?}");
    }
}
