//! Per-host politeness: at most `per_host_concurrency` requests in flight to one host, and at
//! least `per_host_delay_ms` (or the host's robots.txt `Crawl-delay`, when longer) between the
//! starts of two of them.
//!
//! A small "next start per host" scheduler rather than governor's keyed limiter: governor gives
//! every key the same quota, and `Crawl-delay` differs per host (see shared DEPENDENCIES.md).
//! The host map only grows; newsmon polls a configured, bounded set of sites.
//!
//! With a [`HostLedger`] (several ingesters over PostgreSQL) both are kept by the fleet: a
//! request first takes one of the host's `per_host_concurrency` shared in-flight slots (a
//! lease, polled for with a short backoff while all are held), then reserves its start in the
//! shared store and sleeps until it. The local semaphore still applies first, so that a
//! process never polls the store for more slots than it may use. When the store fails, the
//! process falls back to its own limits, says so once, and goes on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::time::Instant;
use url::Url;

use crate::shared::{HeldSlot, HostLedger};

/// How long a shared in-flight slot is leased for; its holder renews it every
/// [`SLOT_RENEW`] while it holds it.
///
/// Renewed rather than merely longer than the request timeout, because no one bound covers
/// how long a slot is held: from before the host's delay (a `Crawl-delay` of up to minutes),
/// through the wait for a global slot (unbounded under load), to the last byte of the body
/// (`timeout_secs` per attempt). Renewal keeps a live holder's slot however long it holds it;
/// the lease itself only bounds how long a killed ingester's slots stay taken: one minute,
/// after which another ingester takes them over. Three renewals fit in a lease, so a slow
/// round trip or two to the store does not lose it.
const SLOT_LEASE: Duration = Duration::from_secs(60);
const SLOT_RENEW: Duration = Duration::from_secs(20);

/// Polling for a shared slot while all are held: the first pause, doubled up to the last.
/// Short against a request's length, and never a busy loop.
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(400);

#[derive(Debug)]
pub(crate) struct Politeness {
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    ledger: Option<Arc<dyn HostLedger>>,
    /// Whether the last shared slot request failed: the fallback is reported once, not for
    /// every request.
    slots_down: AtomicBool,
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
    /// Dropping it tells the task that renews the shared slot to release it (Drop cannot
    /// await the store).
    _shared: Option<oneshot::Sender<()>>,
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
            slots_down: AtomicBool::new(false),
        }
    }

    /// Waits for a free slot of `url`'s host (in this process, then in the fleet's), then
    /// until the host's delay since the previous start has passed. `crawl_delay` is the
    /// host's robots.txt `Crawl-delay`, already capped.
    pub(crate) async fn acquire(&self, url: &Url, crawl_delay: Option<Duration>) -> HostPermit {
        let host = self.host(url);
        // The semaphore is never closed, so acquiring cannot fail.
        let mut permit = host.permits.clone().acquire_owned().await.ok();
        let shared = match &self.ledger {
            Some(ledger) => self.shared_slot(ledger, url, &mut permit).await,
            None => None,
        };
        let held = HostPermit {
            _permit: permit,
            _shared: shared,
        };
        let delay = crawl_delay.map_or(self.delay, |crawl| crawl.max(self.delay));
        if delay.is_zero() {
            return held;
        }
        if let Some(ledger) = &self.ledger {
            match ledger.reserve(&host_key(url), delay).await {
                Ok(wait) => {
                    tokio::time::sleep(wait).await;
                    return held;
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
        held
    }

    /// One of the host's in-flight slots in the fleet, polled for while all are held; `None`
    /// when the store failed (this process's own limit then holds alone).
    ///
    /// The local `permit` goes with the shared slot and is given back only once the slot is
    /// released in the store: were it given back first, the next request of this process
    /// would find every slot still held (the release is on its way) and sleep a poll pause,
    /// which cost a single ingester about a fifth of its rate.
    async fn shared_slot(
        &self,
        ledger: &Arc<dyn HostLedger>,
        url: &Url,
        permit: &mut Option<OwnedSemaphorePermit>,
    ) -> Option<oneshot::Sender<()>> {
        let key = host_key(url);
        let mut pause = FIRST_POLL;
        loop {
            match ledger.acquire_slot(&key, self.per_host, SLOT_LEASE).await {
                Ok(Some(held)) => {
                    if self.slots_down.swap(false, Ordering::Relaxed) {
                        tracing::info!(url = %url, "shared host slots available again");
                    }
                    return Some(hold(Arc::clone(ledger), key, held, permit.take()));
                }
                Ok(None) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_POLL);
                }
                Err(err) => {
                    if !self.slots_down.swap(true, Ordering::Relaxed) {
                        tracing::warn!(url = %url, error = %err, "shared host slots unavailable; limiting requests in flight in this process only");
                    }
                    return None;
                }
            }
        }
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

/// Keeps `held` renewed until the returned sender is dropped (or the runtime stops), then
/// releases it, and only then gives back this process's `permit`. A failed renewal or
/// release is left to the lease, which runs out by itself.
fn hold(
    ledger: Arc<dyn HostLedger>,
    host: String,
    held: HeldSlot,
    permit: Option<OwnedSemaphorePermit>,
) -> oneshot::Sender<()> {
    let (done, mut dropped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut dropped => break,
                () = tokio::time::sleep(SLOT_RENEW) => {
                    match ledger.renew_slot(&host, &held, SLOT_LEASE).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(host, slot = held.slot, "shared host slot lost: its lease ran out while held");
                            return;
                        }
                        Err(err) => {
                            tracing::debug!(host, error = %err, "renewing a shared host slot failed");
                        }
                    }
                }
            }
        }
        if let Err(err) = ledger.release_slot(&host, &held).await {
            tracing::debug!(host, error = %err, "releasing a shared host slot failed; its lease will run out");
        }
        drop(permit);
    });
    done
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
