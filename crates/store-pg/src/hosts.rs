//! Per-host politeness for the fleet: [`PgStore`] as the fetcher's [`HostLedger`].
//!
//! `host_slots` holds, per host, the earliest start of the next request. An ingester
//! reserves a start in one statement (`greatest(next_at, now()) + delay`, under the row's
//! lock) and sleeps until it, so that starts to one host are `delay` apart across every
//! ingester. Only the database's clock is read: hosts' clocks may disagree.
//!
//! `host_leases` holds the requests in flight to each host: at most `limit` rows per host,
//! slots `0..limit`, each a lease with its holder and expiry. Taking a slot is one statement:
//! insert the first slot with no lease in force, or take over one whose lease ran out (a
//! killed ingester's), under the row's lock. Two processes that pick the same free slot at
//! once cannot both get it: the loser's conflicting insert re-checks the committed row, finds
//! its lease in force, and returns nothing, and the loser asks again shortly. Holders renew
//! their leases while they hold them and delete their rows when done.
//!
//! `robots` caches each host's robots.txt with its expiry. A process that finds it missing
//! or stale claims the fetch (an owner and a claim expiry, so that a dead claimant's claim
//! lapses) and stores the answer; the others wait for it.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::Pool;

use newsmon_fetcher::{BoxFuture, HeldSlot, HostLedger, RobotsLookup, SharedResult, SharedRobots};

use crate::db::Failure;
use crate::store::PgStore;

const RESERVE: &str = "INSERT INTO host_slots AS h (host, next_at)
     VALUES ($1, now() + make_interval(secs => $2))
     ON CONFLICT (host) DO UPDATE SET next_at = greatest(h.next_at, now()) + make_interval(secs => $2)
     RETURNING extract(epoch FROM h.next_at - make_interval(secs => $2) - now())::FLOAT8";

const FRESH: &str = "SELECT outcome, body, detail, extract(epoch FROM now() - fetched_at)::FLOAT8
     FROM robots WHERE host = $1 AND expires_at > now()";

/// Claims the fetch unless the entry is fresh or another process's claim is in force.
const CLAIM: &str = "INSERT INTO robots AS r (host, claimed_by, claim_until)
     VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (host) DO UPDATE SET claimed_by = excluded.claimed_by,
                                      claim_until = excluded.claim_until
     WHERE (r.expires_at IS NULL OR r.expires_at <= now())
       AND (r.claim_until IS NULL OR r.claim_until < now() OR r.claimed_by = $2)
     RETURNING host";

const STORE: &str = "INSERT INTO robots AS r (host, outcome, body, detail, fetched_at, expires_at)
     VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5))
     ON CONFLICT (host) DO UPDATE SET outcome = excluded.outcome, body = excluded.body,
        detail = excluded.detail, fetched_at = excluded.fetched_at,
        expires_at = excluded.expires_at, claimed_by = NULL, claim_until = NULL";

const UNCLAIM: &str =
    "UPDATE robots SET claimed_by = NULL, claim_until = NULL WHERE host = $1 AND claimed_by = $2";

/// Takes a free slot of `$1` (`$3` slots) for `$4` seconds as `$5`, held by `$2`; no row when
/// every slot's lease is in force.
const ACQUIRE: &str = "INSERT INTO host_leases AS l (host, slot, owner, held_by, held_until)
     SELECT $1, s, $5, $2, now() + make_interval(secs => $4)
     FROM generate_series(0, $3 - 1) AS s
     WHERE NOT EXISTS (SELECT 1 FROM host_leases x
                       WHERE x.host = $1 AND x.slot = s AND x.held_until > now())
     ORDER BY s LIMIT 1
     ON CONFLICT (host, slot) DO UPDATE SET owner = excluded.owner, held_by = excluded.held_by,
                                            held_until = excluded.held_until
     WHERE l.held_until <= now()
     RETURNING slot";

const RENEW: &str = "UPDATE host_leases SET held_until = now() + make_interval(secs => $4)
     WHERE host = $1 AND slot = $2 AND held_by = $3";

const RELEASE: &str = "DELETE FROM host_leases WHERE host = $1 AND slot = $2 AND held_by = $3";

/// Makes each acquisition's holder unique within the process.
static ACQUISITIONS: AtomicU64 = AtomicU64::new(0);

impl HostLedger for PgStore {
    fn acquire_slot(
        &self,
        host: &str,
        limit: usize,
        lease: Duration,
    ) -> BoxFuture<'_, SharedResult<Option<HeldSlot>>> {
        let host = host.to_string();
        let owner = self.owner.clone();
        let holder = format!("{owner} #{}", ACQUISITIONS.fetch_add(1, Ordering::Relaxed));
        let limit = i32::try_from(limit.max(1)).unwrap_or(i32::MAX);
        let seconds = lease.as_secs_f64();
        self.ledger_call("taking a request slot of a host", move |pool| {
            let (host, owner, holder) = (host.clone(), owner.clone(), holder.clone());
            async move {
                let client = pool.get().await?;
                let row = client
                    .query_opt(ACQUIRE, &[&host, &holder, &limit, &seconds, &owner])
                    .await?;
                Ok(row.map(|row| HeldSlot {
                    slot: u32::try_from(row.get::<_, i32>(0)).unwrap_or_default(),
                    holder,
                }))
            }
        })
    }

    fn renew_slot(
        &self,
        host: &str,
        slot: &HeldSlot,
        lease: Duration,
    ) -> BoxFuture<'_, SharedResult<bool>> {
        let (host, holder) = (host.to_string(), slot.holder.clone());
        let number = i32::try_from(slot.slot).unwrap_or(i32::MAX);
        let seconds = lease.as_secs_f64();
        self.ledger_call("renewing a request slot of a host", move |pool| {
            let (host, holder) = (host.clone(), holder.clone());
            async move {
                let client = pool.get().await?;
                let renewed = client
                    .execute(RENEW, &[&host, &number, &holder, &seconds])
                    .await?;
                Ok(renewed > 0)
            }
        })
    }

    fn release_slot(&self, host: &str, slot: &HeldSlot) -> BoxFuture<'_, SharedResult<()>> {
        let (host, holder) = (host.to_string(), slot.holder.clone());
        let number = i32::try_from(slot.slot).unwrap_or(i32::MAX);
        self.ledger_call("releasing a request slot of a host", move |pool| {
            let (host, holder) = (host.clone(), holder.clone());
            async move {
                let client = pool.get().await?;
                client.execute(RELEASE, &[&host, &number, &holder]).await?;
                Ok(())
            }
        })
    }

    fn reserve(&self, host: &str, delay: Duration) -> BoxFuture<'_, SharedResult<Duration>> {
        let host = host.to_string();
        let seconds = delay.as_secs_f64();
        self.ledger_call("reserving a request to a host", move |pool| {
            let host = host.clone();
            async move {
                let client = pool.get().await?;
                let row = client.query_one(RESERVE, &[&host, &seconds]).await?;
                let wait = row.get::<_, f64>(0).max(0.0);
                Ok(Duration::try_from_secs_f64(wait).unwrap_or_default())
            }
        })
    }

    fn robots(&self, host: &str, claim: Duration) -> BoxFuture<'_, SharedResult<RobotsLookup>> {
        let host = host.to_string();
        let owner = self.owner.clone();
        let seconds = claim.as_secs_f64();
        self.ledger_call("reading a robots.txt", move |pool| {
            let (host, owner) = (host.clone(), owner.clone());
            async move {
                let client = pool.get().await?;
                if let Some(row) = client.query_opt(FRESH, &[&host]).await? {
                    let outcome: Option<String> = row.get(0);
                    let robots = shared_robots(outcome.as_deref(), row.get(1), row.get(2))
                        .ok_or_else(|| {
                            Failure::corrupt(format!(
                                "robots.txt of {host}: unknown outcome {outcome:?}"
                            ))
                        })?;
                    let age = row.get::<_, f64>(3).max(0.0);
                    return Ok(RobotsLookup::Fresh {
                        robots,
                        age: Duration::try_from_secs_f64(age).unwrap_or_default(),
                    });
                }
                let claimed = client
                    .query_opt(CLAIM, &[&host, &owner, &seconds])
                    .await?
                    .is_some();
                Ok(if claimed {
                    RobotsLookup::Fetch
                } else {
                    RobotsLookup::Wait
                })
            }
        })
    }

    fn store_robots(
        &self,
        host: &str,
        robots: Option<SharedRobots>,
        ttl: Duration,
    ) -> BoxFuture<'_, SharedResult<()>> {
        let host = host.to_string();
        let owner = self.owner.clone();
        let seconds = ttl.as_secs_f64();
        self.ledger_call("storing a robots.txt", move |pool| {
            let (host, owner, robots) = (host.clone(), owner.clone(), robots.clone());
            async move {
                let client = pool.get().await?;
                match robots {
                    None => client.execute(UNCLAIM, &[&host, &owner]).await?,
                    Some(robots) => {
                        let (outcome, body, detail) = columns(robots);
                        client
                            .execute(STORE, &[&host, &outcome, &body, &detail, &seconds])
                            .await?
                    }
                };
                Ok(())
            }
        })
    }
}

impl PgStore {
    /// Runs `attempt` with the store's retries on its own runtime, for the fetcher to await
    /// from its runtime; a failure comes back as one line.
    fn ledger_call<T, F, Fut>(
        &self,
        what: &'static str,
        attempt: F,
    ) -> BoxFuture<'_, SharedResult<T>>
    where
        T: Send + 'static,
        F: FnMut(Pool) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, Failure>> + Send + 'static,
    {
        let db = self.db.clone();
        Box::pin(async move {
            self.background
                .spawn(
                    &self.db.url,
                    async move { db.retrying(what, attempt).await },
                )
                .await
                .map_err(|err| err.to_string())
        })
    }
}

/// The `outcome`, `body` and `detail` columns of an answer.
fn columns(robots: SharedRobots) -> (&'static str, Option<Vec<u8>>, Option<String>) {
    match robots {
        SharedRobots::Body(body) => ("body", Some(body), None),
        SharedRobots::Unavailable => ("unavailable", None, None),
        SharedRobots::Unreachable(why) => ("unreachable", None, Some(why)),
    }
}

/// The answer stored in those columns; `None` for an outcome this newsmon does not know.
fn shared_robots(
    outcome: Option<&str>,
    body: Option<Vec<u8>>,
    detail: Option<String>,
) -> Option<SharedRobots> {
    match outcome? {
        "body" => Some(SharedRobots::Body(body.unwrap_or_default())),
        "unavailable" => Some(SharedRobots::Unavailable),
        "unreachable" => Some(SharedRobots::Unreachable(detail.unwrap_or_default())),
        _ => None,
    }
}
