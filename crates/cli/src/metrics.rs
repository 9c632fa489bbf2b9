//! Operating `newsmon run` as a service: Prometheus metrics and a health check.
//!
//! With `[metrics] listen = "127.0.0.1:9187"`, `run` serves `GET /metrics` (the Prometheus
//! text format, version 0.0.4) and `GET /health` (200 while the last successful commit is
//! recent, 503 once it is older than `stale_after_secs`: the scheduler is stuck, or every
//! commit fails). The counters live in [`Metrics`], updated by the pipeline as it works;
//! the text format is written here by hand: a dozen lines of a stable format do not need a
//! registry crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::Utc;
use serde::Deserialize;

use crate::pipeline::StageSeconds;

/// The `[metrics]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where `newsmon run` serves `/metrics` and `/health` (`host:port`); off when absent.
    pub listen: Option<String>,
    /// `/health` fails when no commit succeeded for this many seconds. Default: twice the
    /// longest a source may wait between two polls (each poll is committed).
    pub stale_after_secs: Option<u64>,
}

impl MetricsConfig {
    /// The listen address, checked; `name` is the config file, for the error.
    pub fn address(&self, name: &str) -> Result<Option<SocketAddr>> {
        self.listen
            .as_deref()
            .map(|text| {
                text.parse().with_context(|| {
                    format!(
                        "{name}: [metrics] listen `{text}` is not an address like 127.0.0.1:9187"
                    )
                })
            })
            .transpose()
    }
}

/// What the pipeline and the scheduler have done so far, for `/metrics` and `/health`.
#[derive(Debug)]
pub struct Metrics {
    sources: u64,
    sources_due: AtomicU64,
    sources_polled: AtomicU64,
    /// The class of each failing source's last error (a success removes the source).
    failing: Mutex<BTreeMap<String, &'static str>>,
    articles_new: AtomicU64,
    articles_updated: AtomicU64,
    articles_unchanged: AtomicU64,
    articles_failed: AtomicU64,
    commits: AtomicU64,
    commit_failures: AtomicU64,
    /// Unix milliseconds of the last successful commit, or of the start before the first.
    last_commit_ms: AtomicI64,
    started_ms: i64,
    /// `/health` fails past this age of the last commit (never, until set).
    stale_after_secs: AtomicU64,
    index_dir: PathBuf,
}

impl Metrics {
    pub fn new(sources: usize, index_dir: &Path) -> Metrics {
        let now = Utc::now().timestamp_millis();
        Metrics {
            sources: sources as u64,
            sources_due: AtomicU64::new(0),
            sources_polled: AtomicU64::new(0),
            failing: Mutex::default(),
            articles_new: AtomicU64::new(0),
            articles_updated: AtomicU64::new(0),
            articles_unchanged: AtomicU64::new(0),
            articles_failed: AtomicU64::new(0),
            commits: AtomicU64::new(0),
            commit_failures: AtomicU64::new(0),
            last_commit_ms: AtomicI64::new(now),
            started_ms: now,
            stale_after_secs: AtomicU64::new(u64::MAX),
            index_dir: index_dir.to_path_buf(),
        }
    }

    pub fn set_stale_after(&self, limit: Duration) {
        self.stale_after_secs
            .store(limit.as_secs(), Ordering::Relaxed);
    }

    pub fn set_due(&self, due: usize) {
        self.sources_due.store(due as u64, Ordering::Relaxed);
    }

    /// One poll of `source`: its articles, and its error class when it failed.
    pub fn polled(&self, source: &str, error_class: Option<&'static str>, articles: [usize; 4]) {
        self.sources_polled.fetch_add(1, Ordering::Relaxed);
        let mut failing = self.failing.lock().unwrap_or_else(PoisonError::into_inner);
        match error_class {
            Some(class) => failing.insert(source.to_string(), class),
            None => failing.remove(source),
        };
        drop(failing);
        let [new, updated, unchanged, failed] = articles.map(|n| n as u64);
        self.articles_new.fetch_add(new, Ordering::Relaxed);
        self.articles_updated.fetch_add(updated, Ordering::Relaxed);
        self.articles_unchanged
            .fetch_add(unchanged, Ordering::Relaxed);
        self.articles_failed.fetch_add(failed, Ordering::Relaxed);
    }

    pub fn committed(&self, ok: bool) {
        if ok {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.last_commit_ms
                .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
        } else {
            self.commit_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Seconds since the last successful commit (since the start before the first).
    fn commit_age(&self) -> f64 {
        let last = self.last_commit_ms.load(Ordering::Relaxed);
        (Utc::now().timestamp_millis() - last).max(0) as f64 / 1000.0
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self, stages: &StageSeconds) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut metric = |name: &str, kind: &str, help: &str, samples: &[(String, f64)]| {
            let _ = writeln!(
                out,
                "# HELP newsmon_{name} {help}\n# TYPE newsmon_{name} {kind}"
            );
            for (labels, value) in samples {
                let _ = writeln!(out, "newsmon_{name}{labels} {value}");
            }
        };
        let one = |value: f64| [(String::new(), value)];
        metric(
            "sources",
            "gauge",
            "Configured sources.",
            &one(self.sources as f64),
        );
        metric(
            "sources_due",
            "gauge",
            "Sources due for a poll and waiting for a slot.",
            &one(load(&self.sources_due) as f64),
        );
        metric(
            "sources_polled_total",
            "counter",
            "Polls of sources, failed ones included.",
            &one(load(&self.sources_polled) as f64),
        );
        let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
        for class in self
            .failing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            *by_class.entry(class).or_default() += 1;
        }
        let failing: Vec<(String, f64)> = by_class
            .into_iter()
            .map(|(class, n)| (format!("{{class=\"{class}\"}}"), n as f64))
            .collect();
        metric(
            "sources_failing",
            "gauge",
            "Sources whose last poll failed, by the class of the error.",
            &failing,
        );
        let articles: Vec<(String, f64)> = [
            ("new", &self.articles_new),
            ("updated", &self.articles_updated),
            ("unchanged", &self.articles_unchanged),
            ("failed", &self.articles_failed),
        ]
        .into_iter()
        .map(|(outcome, n)| (format!("{{outcome=\"{outcome}\"}}"), load(n) as f64))
        .collect();
        metric(
            "articles_total",
            "counter",
            "Articles handled, by outcome.",
            &articles,
        );
        let stage_samples: Vec<(String, f64)> = [
            ("list", stages.list),
            ("fetch", stages.fetch),
            ("extract", stages.extract),
            ("tag", stages.tag),
            ("index", stages.index),
            ("commit", stages.commit),
        ]
        .into_iter()
        .map(|(stage, s)| (format!("{{stage=\"{stage}\"}}"), s))
        .collect();
        metric(
            "stage_seconds_total",
            "counter",
            "Seconds spent in each stage, summed over concurrent tasks.",
            &stage_samples,
        );
        metric(
            "commits_total",
            "counter",
            "Successful commits.",
            &one(load(&self.commits) as f64),
        );
        metric(
            "commit_failures_total",
            "counter",
            "Failed commits (their work is retried by the next).",
            &one(load(&self.commit_failures) as f64),
        );
        metric(
            "last_commit_age_seconds",
            "gauge",
            "Seconds since the last successful commit (since the start before the first).",
            &one(self.commit_age()),
        );
        metric(
            "index_size_bytes",
            "gauge",
            "Bytes on disk of the index directory (search index, crawl state, watches).",
            &one(dir_size(&self.index_dir) as f64),
        );
        metric(
            "start_time_seconds",
            "gauge",
            "Unix time newsmon run started.",
            &one(self.started_ms as f64 / 1000.0),
        );
        out
    }

    /// `/health`: whether a commit succeeded recently, and a line saying so.
    pub fn health(&self) -> (bool, String) {
        let age = self.commit_age();
        let limit = self.stale_after_secs.load(Ordering::Relaxed) as f64;
        if age <= limit {
            (true, format!("ok: last commit {age:.0}s ago\n"))
        } else {
            (
                false,
                format!("stale: no commit succeeded for {age:.0}s (limit {limit:.0}s)\n"),
            )
        }
    }
}

/// The summed size of the files under `dir`; unreadable entries count nothing.
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => dir_size(&entry.path()),
            Ok(_) => entry.metadata().map_or(0, |m| m.len()),
            Err(_) => 0,
        })
        .sum()
}

/// What the server needs: the counters, and the stage timings of the pipeline.
pub trait Source: Send + Sync + 'static {
    fn metrics(&self) -> &Metrics;
    fn stage_seconds(&self) -> StageSeconds;
}

/// Binds `addr` now (a taken port is an error at start, not later), then serves in the
/// background on the current runtime.
pub async fn serve<S: Source>(addr: SocketAddr, source: Arc<S>) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("[metrics] listen {addr}: cannot bind"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    let app = Router::new()
        .route("/metrics", axum::routing::get(metrics_page::<S>))
        .route("/health", axum::routing::get(health_page::<S>))
        .with_state(source);
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(error = %err, "metrics server stopped");
        }
    });
    tracing::info!(%bound, "serving /metrics and /health");
    Ok(bound)
}

async fn metrics_page<S: Source>(State(source): State<Arc<S>>) -> impl IntoResponse {
    let stages = source.stage_seconds();
    // Walking the index directory is file-system work: off the async threads.
    let text = tokio::task::spawn_blocking(move || source.metrics().render(&stages))
        .await
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

async fn health_page<S: Source>(State(source): State<Arc<S>>) -> impl IntoResponse {
    let (ok, text) = source.metrics().health();
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_in_the_text_format_and_health_follows_commits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), [0u8; 100]).unwrap();
        let m = Metrics::new(3, dir.path());
        m.set_stale_after(Duration::from_secs(60));
        m.polled("a", Some("http_5xx"), [0, 0, 0, 0]);
        m.polled("b", None, [2, 1, 0, 1]);
        m.committed(true);
        let text = m.render(&StageSeconds::default());
        for line in [
            "newsmon_sources 3",
            "newsmon_sources_polled_total 2",
            "newsmon_sources_failing{class=\"http_5xx\"} 1",
            "newsmon_articles_total{outcome=\"new\"} 2",
            "newsmon_articles_total{outcome=\"failed\"} 1",
            "newsmon_commits_total 1",
            "newsmon_index_size_bytes 100",
            "# TYPE newsmon_articles_total counter",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        m.polled("a", None, [0; 4]);
        assert!(!m.render(&StageSeconds::default()).contains("class="));
        assert!(m.health().0);
        let stale = Metrics::new(1, dir.path());
        stale.set_stale_after(Duration::ZERO);
        stale.last_commit_ms.store(0, Ordering::Relaxed);
        assert!(!stale.health().0);
        assert!(stale.health().1.starts_with("stale: "));
    }

    #[test]
    fn the_listen_address_is_checked() {
        let config = MetricsConfig {
            listen: Some("localhost".into()),
            ..MetricsConfig::default()
        };
        let err = config.address("c.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("c.toml: [metrics] listen `localhost`"),
            "{err}"
        );
    }
}
