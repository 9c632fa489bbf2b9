//! Several ingesters over one PostgreSQL database (issue 11): `run` and `ingest` with
//! `[state] backend = "postgres"`.
//!
//! Sources are not divided up front: each ingester leases due sources from the database
//! (`FOR UPDATE SKIP LOCKED`, an owner and an expiry), polls them with the same
//! [`Pipeline`] as the embedded mode, and gives each lease back in the statement that
//! records the poll, after the articles are written. Leases are renewed while held; a
//! killed ingester's lapse after `lease_secs` and its sources are taken over. What was
//! fetched but not written by then is fetched again: nothing is lost, and the article log
//! is keyed by canonical URL, so nothing is stored twice.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use newsmon_store_pg::{Backend, Due, PgStore};
use tokio::task::JoinSet;

use crate::config::Loaded;
use crate::pipeline::{Pipeline, SourceReport, SourceSpec, Summary};

/// How long an ingester with free capacity waits before asking for due sources again.
const LEASE_PAUSE: Duration = Duration::from_millis(500);

/// The shared store when the configuration asks for PostgreSQL, connected and migrated;
/// `None` for the embedded default.
pub fn open_store(loaded: &Loaded) -> Result<Option<PgStore>> {
    match loaded.config.state.backend {
        Backend::Sqlite => Ok(None),
        Backend::Postgres => Ok(Some(PgStore::open(&loaded.config.state)?)),
    }
}

/// The periods of the leasing loop, from `[schedule]` and `[state]`.
#[derive(Debug, Clone, Copy)]
pub struct Times {
    /// Commit this often.
    pub commit_every: Duration,
    /// At shutdown, fetches in flight get this long.
    pub grace: Duration,
    /// A lease lasts this long unless renewed.
    pub lease: Duration,
}

impl Times {
    fn of(loaded: &Loaded) -> Times {
        let schedule = &loaded.config.schedule;
        Times {
            commit_every: Duration::from_secs(schedule.commit_every_secs.max(1)),
            grace: Duration::from_secs(schedule.shutdown_grace_secs),
            lease: Duration::from_secs(loaded.config.state.lease_secs.max(1)),
        }
    }
}

/// What the leasing loop is for.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// `run`: sources when due, until the signal.
    Schedule,
    /// `ingest`: every source not polled since the pass started, once, then stop.
    Pass,
    /// `ingest --due`: every source due by its schedule, once, then stop.
    DuePass,
}

impl Mode {
    /// Whether the loop ends when nothing is left to lease (a one-shot pass).
    fn is_pass(self) -> bool {
        !matches!(self, Mode::Schedule)
    }
}

/// Polls what this process can lease until `shutdown` (or, for a pass, until no source is
/// left), committing every `commit_every`; renews its leases meanwhile and gives them back
/// when it stops.
pub async fn lease_loop(
    pipeline: Arc<Pipeline>,
    store: PgStore,
    sources: Vec<SourceSpec>,
    mode: Mode,
    times: Times,
    shutdown: impl std::future::Future<Output = &'static str>,
) -> Result<Summary> {
    let Times {
        commit_every,
        grace,
        lease,
    } = times;
    let registered: Vec<(String, String)> = sources
        .iter()
        .map(|s| (s.name.clone(), s.url.to_string()))
        .collect();
    blocking(&store, move |store| store.register_sources(&registered)).await?;
    let by_name: HashMap<String, SourceSpec> =
        sources.into_iter().map(|s| (s.name.clone(), s)).collect();
    let started = Utc::now();
    let due = match mode {
        Mode::Schedule | Mode::DuePass => Due::BySchedule,
        Mode::Pass => Due::NotPolledSince(started),
    };
    let mut done: HashSet<String> = HashSet::new();
    let mut busy: HashSet<String> = HashSet::new();
    // Polled, not yet recorded: their leases are given back by the next commit.
    let mut awaiting: HashSet<String> = HashSet::new();
    let mut in_flight: JoinSet<SourceReport> = JoinSet::new();
    let mut totals = Summary::default();
    let mut commit_tick = tokio::time::interval(commit_every);
    commit_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    commit_tick.tick().await;
    let mut renew_tick = tokio::time::interval((lease / 3).max(Duration::from_millis(200)));
    renew_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    renew_tick.tick().await;
    tokio::pin!(shutdown);
    tracing::info!(
        owner = store.owner(),
        sources = by_name.len(),
        "leasing sources"
    );
    let signal = loop {
        let free = pipeline.concurrency.saturating_sub(in_flight.len());
        let mut leased = Vec::new();
        if free > 0 {
            let candidates: Vec<String> = by_name
                .keys()
                .filter(|name| !busy.contains(*name))
                .filter(|name| !mode.is_pass() || !done.contains(*name))
                .cloned()
                .collect();
            if !candidates.is_empty() {
                leased = blocking(&store, move |store| store.lease(&candidates, free, due)).await?;
            }
        }
        for name in &leased {
            let Some(source) = by_name.get(name).cloned() else {
                continue;
            };
            busy.insert(name.clone());
            let pipeline = Arc::clone(&pipeline);
            in_flight.spawn(async move { pipeline.poll_source(&source).await });
        }
        if mode.is_pass() && leased.is_empty() && in_flight.is_empty() {
            break None;
        }
        tokio::select! {
            signal = &mut shutdown => break Some(signal),
            Some(finished) = in_flight.join_next() => {
                match finished {
                    Ok(report) => {
                        busy.remove(&report.name);
                        awaiting.insert(report.name.clone());
                        done.insert(report.name.clone());
                        report.log();
                        totals.add(&report);
                        pipeline.progress.set_length(by_name.len() as u64);
                    }
                    // A panicked poll holds its lease until it lapses; then it is retried.
                    Err(err) => tracing::error!(error = %err, "a source task failed"),
                }
                if pipeline.commit_due() {
                    commit(&pipeline, &mut awaiting).await?;
                }
            }
            _ = commit_tick.tick() => commit(&pipeline, &mut awaiting).await?,
            _ = renew_tick.tick() => {
                let held: Vec<String> = busy.union(&awaiting).cloned().collect();
                blocking(&store, move |store| store.renew_leases(&held)).await?;
            }
            _ = tokio::time::sleep(LEASE_PAUSE), if in_flight.len() < pipeline.concurrency => {}
        }
    };
    if let Some(signal) = signal {
        tracing::info!(signal, in_flight = in_flight.len(), "shutting down");
    }
    crate::pipeline::drain_within(&mut in_flight, grace, |report| totals.add(&report)).await;
    pipeline.commit().await?;
    // Polls abandoned above were not recorded: their sources are free for others now.
    blocking(&store, |store| store.release_leases()).await?;
    if matches!(mode, Mode::DuePass) {
        // Not due, or polled by another ingester meanwhile: either way, not this pass's.
        totals.sources_not_due = by_name.len().saturating_sub(done.len());
    }
    Ok(totals)
}

/// Commits; the polls recorded by it gave their leases back.
async fn commit(pipeline: &Pipeline, awaiting: &mut HashSet<String>) -> Result<()> {
    let recorded = std::mem::take(awaiting);
    if let Err(err) = pipeline.commit().await {
        awaiting.extend(recorded);
        return Err(err);
    }
    Ok(())
}

/// Runs a store call on the blocking pool (each call waits for the database).
async fn blocking<T: Send + 'static>(
    store: &PgStore,
    call: impl FnOnce(&PgStore) -> newsmon_store_pg::Result<T> + Send + 'static,
) -> Result<T> {
    let store = store.clone();
    Ok(tokio::task::spawn_blocking(move || call(&store))
        .await
        .context("database task crashed")??)
}

/// `newsmon run` over PostgreSQL: the leasing loop until `shutdown`.
pub async fn run(
    loaded: &Loaded,
    store: PgStore,
    shutdown: impl std::future::Future<Output = &'static str>,
) -> Result<()> {
    let pipeline = Arc::new(Pipeline::open_shared(loaded, &store)?);
    let totals = lease_loop(
        pipeline,
        store,
        SourceSpec::all(loaded),
        Mode::Schedule,
        Times::of(loaded),
        shutdown,
    )
    .await?;
    tracing::info!(
        sources_polled = totals.sources_polled,
        articles_new = totals.articles_new,
        articles_updated = totals.articles_updated,
        "newsmon run: stopped"
    );
    Ok(())
}

/// `newsmon ingest` over PostgreSQL: one pass over the sources no other ingester polled
/// since this one started.
pub async fn ingest(
    pipeline: Arc<Pipeline>,
    loaded: &Loaded,
    store: PgStore,
    due_only: bool,
) -> Result<Summary> {
    lease_loop(
        pipeline,
        store,
        SourceSpec::all(loaded),
        if due_only { Mode::DuePass } else { Mode::Pass },
        Times::of(loaded),
        std::future::pending(),
    )
    .await
}
