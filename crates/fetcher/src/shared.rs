//! Per-host politeness shared by several processes (issue 11): when ingesters on several
//! hosts fetch from the same sites, the per-host delay (raised by `Crawl-delay`), the limit of
//! requests in flight to a host and the robots.txt cache must hold for the fleet, not for
//! each process alone.
//!
//! The fetcher only knows this trait; the PostgreSQL store implements it. Without one (the
//! embedded default) politeness stays in the process, as before.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future, so that the trait stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a shared store failed with, described in one line (the fetcher falls back to its
/// own politeness, and says so, rather than stopping).
pub type SharedResult<T> = std::result::Result<T, String>;

/// A host's robots.txt as shared between processes: what a server answered. A host that
/// could not be reached at all is not shared; each process finds that out for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedRobots {
    /// A 2xx answer and its (possibly truncated) body.
    Body(Vec<u8>),
    /// A 4xx answer (other than 429): no rules.
    Unavailable,
    /// A 5xx or 429 answer, described: everything disallowed for a while.
    Unreachable(String),
}

/// What the fleet knows of a host's robots.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RobotsLookup {
    /// Fetched by some process this long ago, and still fresh.
    Fresh {
        /// The rules as fetched.
        robots: SharedRobots,
        /// How long ago.
        age: Duration,
    },
    /// Not known or stale: this process is to fetch it, and [store](HostLedger::store_robots)
    /// what it got.
    Fetch,
    /// Another process is fetching it now: ask again shortly.
    Wait,
}

/// One of a host's in-flight slots, held by this process until its lease runs out (see
/// [`HostLedger::acquire_slot`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldSlot {
    /// Which slot of the host, `0..limit`.
    pub slot: u32,
    /// Who holds it: unique to this acquisition, so that releasing a lease that ran out and
    /// was taken again (even by this process) cannot free the new holder's slot.
    pub holder: String,
}

/// The fleet's per-host politeness: the next allowed start of a request to each host, the
/// requests in flight to it, and robots.txt cached by host. Hosts are keyed
/// `scheme://host:port`.
pub trait HostLedger: Send + Sync + std::fmt::Debug {
    /// Reserves the next start of a request to `host`, `delay` after the start the previous
    /// reservation (by any process) got, and not before now; returns how long to wait for it.
    fn reserve(&self, host: &str, delay: Duration) -> BoxFuture<'_, SharedResult<Duration>>;

    /// What is known of `host`'s robots.txt; [`RobotsLookup::Fetch`] claims the fetch for
    /// this process for `claim`, so that the others wait for its answer meanwhile.
    fn robots(&self, host: &str, claim: Duration) -> BoxFuture<'_, SharedResult<RobotsLookup>>;

    /// Stores what fetching `host`'s robots.txt gave, fresh for `ttl`; `None` gives the
    /// claim back without an answer (the host was not reached).
    fn store_robots(
        &self,
        host: &str,
        robots: Option<SharedRobots>,
        ttl: Duration,
    ) -> BoxFuture<'_, SharedResult<()>>;

    /// Takes one of `host`'s `limit` in-flight slots for `lease`, or `None` when all are held
    /// by live leases (ask again shortly). A slot whose lease ran out (its holder died) is
    /// free. Processes configured with different limits share slots `0..limit` of each.
    fn acquire_slot(
        &self,
        host: &str,
        limit: usize,
        lease: Duration,
    ) -> BoxFuture<'_, SharedResult<Option<HeldSlot>>>;

    /// Extends a held slot's lease to `lease` from now; `false` when it is no longer held
    /// (it ran out and was taken over).
    fn renew_slot(
        &self,
        host: &str,
        slot: &HeldSlot,
        lease: Duration,
    ) -> BoxFuture<'_, SharedResult<bool>>;

    /// Gives a held slot back; a slot no longer held is left alone.
    fn release_slot(&self, host: &str, slot: &HeldSlot) -> BoxFuture<'_, SharedResult<()>>;
}
