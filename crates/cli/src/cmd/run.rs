//! `newsmon run`: the long-running scheduler.
//!
//! Each source is polled when it is due (its interval plus jitter, a backoff after failures, or
//! the longer wait its server asked for, within `[schedule]`'s floor and ceiling; kept in crawl
//! state so that a restart keeps the rhythm). What is indexed is committed every
//! `commit_every_secs`. SIGINT or SIGTERM stops new work, gives fetches in flight
//! `shutdown_grace_secs` to finish, commits and exits 0.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use tokio::task::JoinSet;

use crate::config::{self, ScheduleConfig};
use crate::paths::Paths;
use crate::pipeline::{Pipeline, SourceSpec, Summary};

/// The longest the loop sleeps without looking at the clock: it bounds how late a source
/// becomes due after the wall clock jumps (suspend, NTP).
const MAX_NAP: Duration = Duration::from_secs(30);

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon run
  newsmon --config /etc/newsmon/newsmon.toml --index /var/lib/newsmon/index run --log-format json")]
pub struct Cmd {}

pub fn run(_cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load(paths)?;
    if loaded.config.sources.is_empty() {
        bail!("{}: no [[source]] to poll", paths.config_name());
    }
    // Several ingesters over PostgreSQL (issue 11): sources are leased, see shared.rs.
    if let Some(store) = crate::shared::open_store(&loaded)? {
        let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
        runtime.block_on(async { crate::shared::run(&loaded, store, shutdown_signal()?).await })?;
        return Ok(ExitCode::SUCCESS);
    }
    let index_dir = paths.index.as_path();
    // The writer lock is taken here and held until exit: an `ingest` started meanwhile stops
    // at once with "another newsmon is writing to this index".
    let pipeline = Arc::new(Pipeline::open(&loaded, index_dir)?);
    let sources = SourceSpec::all(&loaded);
    let schedule = loaded.config.schedule.clone();
    let max_wait = longest_wait(&schedule, &sources);
    let metrics = &loaded.config.metrics;
    let listen = metrics.address(&paths.config_name())?;
    // Every poll is committed, so in health commits are never further apart than the longest
    // wait between polls (plus a commit interval). The wait a server may ask for, up to
    // `max_interval_mins`, is left out: a day by default, it would leave a stuck scheduler
    // unnoticed for two; set `stale_after_secs` when every source asks for long waits.
    let stale_after = metrics.stale_after_secs.map_or_else(
        || {
            (configured_wait(&schedule, &sources) * 2)
                .to_std()
                .unwrap_or(Duration::MAX)
                .saturating_add(Duration::from_secs(schedule.commit_every_secs))
        },
        Duration::from_secs,
    );
    pipeline.metrics.set_stale_after(stale_after);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        if let Some(addr) = listen {
            crate::metrics::serve(addr, Arc::clone(&pipeline)).await?;
        }
        let shutdown = shutdown_signal()?;
        scheduler(
            pipeline,
            sources,
            Duration::from_secs(schedule.commit_every_secs.max(1)),
            Duration::from_secs(schedule.shutdown_grace_secs),
            max_wait,
            chrono::Duration::minutes(i64::try_from(schedule.interval_mins).unwrap_or(15)),
            shutdown,
        )
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on the first SIGINT or SIGTERM (registered now, so none is missed); shared by
/// `run` and `follow`.
pub(super) fn shutdown_signal() -> Result<impl std::future::Future<Output = &'static str> + Send> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
        let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            // Without a handler newsmon would die uncommitted; an error here is just "never".
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
            "Ctrl-C"
        })
    }
}

async fn scheduler(
    pipeline: Arc<Pipeline>,
    sources: Vec<SourceSpec>,
    commit_every: Duration,
    grace: Duration,
    max_wait: chrono::Duration,
    retry_after_panic: chrono::Duration,
    shutdown: impl std::future::Future<Output = &'static str>,
) -> Result<()> {
    let mut due = initial_due(&pipeline, &sources, max_wait);
    tracing::info!(sources = sources.len(), "newsmon run: started");
    let mut in_flight: JoinSet<(usize, crate::pipeline::SourceReport)> = JoinSet::new();
    let mut busy = vec![false; sources.len()];
    // Which source each task polls, to free it if the task panics.
    let mut tasks: HashMap<tokio::task::Id, usize> = HashMap::new();
    let mut totals = Summary::default();
    let mut ticker = tokio::time::interval(commit_every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    tokio::pin!(shutdown);
    let signal = loop {
        let now = Utc::now();
        pipeline.metrics.set_due(
            due.iter()
                .zip(&busy)
                .filter(|(at, busy)| !**busy && **at <= now)
                .count(),
        );
        for (i, source) in sources.iter().enumerate() {
            if in_flight.len() >= pipeline.concurrency {
                break;
            }
            if !busy[i] && due[i] <= now {
                busy[i] = true;
                let pipeline = Arc::clone(&pipeline);
                let source = source.clone();
                let task = in_flight.spawn(async move { (i, pipeline.poll_source(&source).await) });
                tasks.insert(task.id(), i);
            }
        }
        let nap = due
            .iter()
            .zip(&busy)
            .filter(|(_, busy)| !**busy)
            .map(|(at, _)| (*at - now).to_std().unwrap_or(Duration::ZERO))
            .min()
            .unwrap_or(MAX_NAP)
            .min(MAX_NAP);
        tokio::select! {
            signal = &mut shutdown => break signal,
            Some(done) = in_flight.join_next_with_id() => match done {
                Ok((id, (i, report))) => {
                    tasks.remove(&id);
                    busy[i] = false;
                    due[i] = report.next_due;
                    report.log();
                    totals.add(&report);
                    if pipeline.commit_due()
                        && let Err(err) = pipeline.commit().await
                    {
                        tracing::error!(error = format!("{err:#}"), "commit failed");
                    }
                }
                // A panic in one source's task is a bug, but must not stop the others: the
                // source is tried again after its interval, like a failed poll.
                Err(err) => {
                    tracing::error!(error = %err, "a source task failed");
                    if let Some(i) = tasks.remove(&err.id()) {
                        busy[i] = false;
                        due[i] = Utc::now() + retry_after_panic;
                    }
                }
            },
            _ = ticker.tick() => {
                if let Err(err) = pipeline.commit().await {
                    // The work stays pending and the next tick tries again.
                    tracing::error!(error = format!("{err:#}"), "commit failed");
                }
            }
            _ = tokio::time::sleep(nap), if in_flight.len() < pipeline.concurrency => {}
        }
    };
    tracing::info!(signal, in_flight = in_flight.len(), "shutting down");
    crate::pipeline::drain_within(&mut in_flight, grace, |(_, report)| {
        report.log();
        totals.add(&report);
    })
    .await;
    pipeline.commit().await?;
    tracing::info!(
        sources_polled = totals.sources_polled,
        articles_new = totals.articles_new,
        articles_updated = totals.articles_updated,
        "newsmon run: stopped"
    );
    Ok(())
}

/// The longest any source may wait: the ceiling, `max_interval_mins`, which also bounds what a
/// server may ask for (a feed TTL, `Retry-After`).
pub(crate) fn longest_wait(schedule: &ScheduleConfig, sources: &[SourceSpec]) -> chrono::Duration {
    crate::schedule::Schedule::new(schedule)
        .ceiling()
        .max(configured_wait(schedule, sources))
}

/// The longest wait the configuration itself sets: a source's interval or the backoff cap,
/// whichever is longer, plus the jitter.
fn configured_wait(schedule: &ScheduleConfig, sources: &[SourceSpec]) -> chrono::Duration {
    let interval = sources
        .iter()
        .filter_map(|s| s.interval_mins)
        .chain([schedule.interval_mins, schedule.max_backoff_mins])
        .max()
        .unwrap_or(schedule.interval_mins);
    chrono::Duration::minutes(i64::try_from(interval).unwrap_or(i64::MAX / 60_000))
        + chrono::Duration::seconds(i64::try_from(schedule.jitter_secs).unwrap_or(0))
}

/// When each source is due: as crawl state says for a source polled before at the same URL
/// (so that a restart keeps each source's rhythm and backoff), else now. A date further than
/// `max_wait` (the ceiling) away, left by an earlier config, is brought forward.
pub(crate) fn initial_due(
    pipeline: &Pipeline,
    sources: &[SourceSpec],
    max_wait: chrono::Duration,
) -> Vec<DateTime<Utc>> {
    let now = Utc::now();
    let known = pipeline
        .with_state(|state| state.sources())
        .unwrap_or_else(|err| {
            tracing::warn!(error = %err, "cannot read crawl state; polling every source now");
            Vec::new()
        });
    sources
        .iter()
        .map(|source| {
            known
                .iter()
                .find(|s| s.name == source.name && s.url == source.url.as_str())
                .and_then(|s| s.next_due)
                .map_or(now, |at| at.min(now + max_wait))
        })
        .collect()
}
