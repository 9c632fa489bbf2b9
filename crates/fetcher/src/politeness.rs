//! Per-host politeness: at most `per_host_concurrency` requests in flight to one host, and at
//! least `per_host_delay_ms` (or the host's robots.txt `Crawl-delay`, when longer) between the
//! starts of two of them.
//!
//! A small "next start per host" scheduler rather than governor's keyed limiter: governor gives
//! every key the same quota, and `Crawl-delay` differs per host (see shared DEPENDENCIES.md).
//! The host map only grows; newsmon polls a configured, bounded set of sites.
//!
//! With a [`HostLedger`] (several ingesters over PostgreSQL) the delay is kept by the fleet:
//! each start is reserved in the shared store, one round trip, and the process sleeps until
//! its slot. The concurrency limit stays per process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use crate::shared::HostLedger;

#[derive(Debug)]
pub(crate) struct Politeness {
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    ledger: Option<Arc<dyn HostLedger>>,
}

#[derive(Debug)]
struct Host {
    permits: Arc<Semaphore>,
    next_start: Mutex<Option<Instant>>,
}

/// Held while a request to the host is in flight.
#[derive(Debug)]
pub(crate) struct HostPermit {
    _permit: Option<OwnedSemaphorePermit>,
}

impl Politeness {
    pub(crate) fn new(
        per_host: usize,
        delay: Duration,
        ledger: Option<Arc<dyn HostLedger>>,
    ) -> Politeness {
        Politeness {
            per_host: per_host.max(1),
            delay,
            hosts: Mutex::new(HashMap::new()),
            ledger,
        }
    }

    /// Waits for a free slot of `url`'s host, then until the host's delay since the previous
    /// start has passed. `crawl_delay` is the host's robots.txt `Crawl-delay`, already capped.
    pub(crate) async fn acquire(&self, url: &Url, crawl_delay: Option<Duration>) -> HostPermit {
        let host = self.host(url);
        // The semaphore is never closed, so acquiring cannot fail.
        let permit = host.permits.clone().acquire_owned().await.ok();
        let delay = crawl_delay.map_or(self.delay, |crawl| crawl.max(self.delay));
        if delay.is_zero() {
            return HostPermit { _permit: permit };
        }
        if let Some(ledger) = &self.ledger {
            match ledger.reserve(&host_key(url), delay).await {
                Ok(wait) => {
                    tokio::time::sleep(wait).await;
                    return HostPermit { _permit: permit };
                }
                // The pipeline goes on with this process's own spacing; the store's errors
                // are reported where its other calls fail.
                Err(err) => {
                    tracing::warn!(url = %url, error = %err, "shared host delay unavailable; spacing requests in this process only");
                }
            }
        }
        let start = {
            let mut next = host
                .next_start
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = next.map_or(now, |next| next.max(now));
            *next = Some(start + delay);
            start
        };
        tokio::time::sleep_until(start).await;
        HostPermit { _permit: permit }
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = host_key(url);
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    next_start: Mutex::new(None),
                })
            })
            .clone()
    }
}

/// Scheme, host and port: the unit robots.txt applies to (RFC 9309 §2.3), and the one limited.
pub(crate) fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real time with a margin: tokio's paused clock needs its test-util feature.
    fn about(elapsed: Duration, ms: u64) -> bool {
        let want = Duration::from_millis(ms);
        elapsed >= want && elapsed < want + Duration::from_millis(80)
    }

    #[tokio::test]
    async fn starts_to_one_host_are_spaced_by_the_longer_of_delay_and_crawl_delay() {
        let politeness = Politeness::new(4, Duration::from_millis(100), None);
        let a = Url::parse("http://a.example/1").unwrap();
        let b = Url::parse("http://b.example/1").unwrap();
        let t0 = Instant::now();
        let _p1 = politeness.acquire(&a, None).await;
        let _p2 = politeness.acquire(&a, None).await;
        assert!(about(t0.elapsed(), 100), "{:?}", t0.elapsed());
        // Another host does not wait for a.example.
        let _p3 = politeness.acquire(&b, None).await;
        assert!(about(t0.elapsed(), 100), "{:?}", t0.elapsed());
        let _p4 = politeness
            .acquire(&a, Some(Duration::from_millis(300)))
            .await;
        assert!(about(t0.elapsed(), 200), "{:?}", t0.elapsed());
        let _p5 = politeness
            .acquire(&a, Some(Duration::from_millis(300)))
            .await;
        assert!(about(t0.elapsed(), 500), "{:?}", t0.elapsed());
    }

    #[tokio::test]
    async fn at_most_per_host_requests_are_in_flight() {
        let politeness = Arc::new(Politeness::new(1, Duration::ZERO, None));
        let url = Url::parse("http://a.example/").unwrap();
        let first = politeness.acquire(&url, None).await;
        let (p, u) = (politeness.clone(), url.clone());
        let second = tokio::spawn(async move { p.acquire(&u, None).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!second.is_finished());
        drop(first);
        second.await.unwrap();
    }

    #[test]
    fn host_key_includes_scheme_and_port() {
        let key = |u: &str| host_key(&Url::parse(u).unwrap());
        assert_eq!(key("https://Example.com/a"), "https://example.com:443");
        assert_eq!(key("http://example.com:8080/"), "http://example.com:8080");
    }
}
