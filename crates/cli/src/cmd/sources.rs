//! `newsmon sources`: every configured source and what its last poll found.

use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use newsmon_fetcher::{SourceState, SqliteState, StateStore};
use serde::Serialize;

use super::Format;
use crate::config;
use crate::output::{print, print_json, table};
use crate::paths::Paths;
use crate::pipeline::STATE_FILE;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon sources
  newsmon sources --format json")]
pub struct Cmd {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// One row: the configured source and its crawl state.
#[derive(Debug, Serialize)]
struct Row {
    name: String,
    url: String,
    /// Configured, else detected at the last poll; `null` before the first poll.
    kind: Option<String>,
    /// For a site: the feed discovered on it.
    feed_url: Option<String>,
    last_poll: Option<DateTime<Utc>>,
    status: Option<u16>,
    items_in_feed: u64,
    new_articles: u64,
    consecutive_failures: u32,
    last_error: Option<String>,
    /// `null`: due now (never polled, or polled at another URL).
    next_due: Option<DateTime<Utc>>,
    /// What decided `next_due`: `interval`, `backoff after N failures`, `ttl 60m`,
    /// `max-age 300s`, `expires 300s`, `retry-after 120s`, with ` (floor …)` or
    /// ` (ceiling …)` when a bound moved it.
    due_reason: Option<String>,
    /// Over PostgreSQL (issue 11): the ingester polling it now, and until when its lease
    /// holds (absent in the embedded mode, and when nobody holds it).
    #[serde(skip_serializing_if = "Option::is_none")]
    lease_owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lease_until: Option<DateTime<Utc>>,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load_untagged(paths)?;
    let index_dir = paths.index.as_path();
    let state_path = index_dir.join(STATE_FILE);
    let shared = crate::shared::open_store(&loaded)?;
    let leases = match &shared {
        Some(store) => store.leases()?,
        None => Vec::new(),
    };
    let known: Vec<SourceState> = if let Some(store) = &shared {
        store.sources()?
    } else if state_path.exists() {
        // Reading must not create an index directory: before the first ingest there is no
        // state.
        SqliteState::open(&state_path)?.sources()?
    } else {
        Vec::new()
    };
    let rows: Vec<Row> = loaded
        .config
        .sources
        .iter()
        .zip(&loaded.urls)
        .map(|(source, url)| {
            let lease = |name: &str| leases.iter().find(|l| l.source == name);
            let state = known
                .iter()
                .find(|s| s.name == source.name && s.url == url.as_str());
            Row {
                name: source.name.clone(),
                url: url.to_string(),
                kind: source
                    .kind
                    .map(|k| k.as_str().to_string())
                    .or_else(|| state.and_then(|s| s.kind.clone())),
                feed_url: state.and_then(|s| s.feed_url.clone()),
                last_poll: state.and_then(|s| s.last_poll),
                status: state.and_then(|s| s.last_status),
                items_in_feed: state.map_or(0, |s| s.items_in_feed),
                new_articles: state.map_or(0, |s| s.new_articles),
                consecutive_failures: state.map_or(0, |s| s.consecutive_failures),
                last_error: state.and_then(|s| s.last_error.clone()),
                next_due: state.and_then(|s| s.next_due),
                due_reason: state.and_then(|s| s.due_reason.clone()),
                lease_owner: lease(&source.name).map(|l| l.owner.clone()),
                lease_until: lease(&source.name).map(|l| l.until),
            }
        })
        .collect();
    match cmd.format {
        Format::Json => print_json(&rows)?,
        Format::Table => print_table(&rows, shared.is_some())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(rows: &[Row], shared: bool) -> Result<()> {
    let mut out = table();
    let mut header = vec![
        "source",
        "kind",
        "last poll",
        "status",
        "items",
        "new",
        "failures",
        "next due",
        "why",
        "last error",
    ];
    if shared {
        header.push("lease");
    }
    out.set_header(header);
    let time = |at: Option<DateTime<Utc>>| {
        at.map_or_else(
            || "-".to_string(),
            |at| at.to_rfc3339_opts(SecondsFormat::Secs, true),
        )
    };
    for row in rows {
        let mut cells = vec![
            row.name.clone(),
            row.kind.clone().unwrap_or_else(|| "-".into()),
            time(row.last_poll),
            row.status.map_or_else(|| "-".into(), |s| s.to_string()),
            row.items_in_feed.to_string(),
            row.new_articles.to_string(),
            row.consecutive_failures.to_string(),
            row.next_due
                .map_or_else(|| "now".to_string(), |at| time(Some(at))),
            row.due_reason.clone().unwrap_or_else(|| "-".into()),
            row.last_error.clone().unwrap_or_default(),
        ];
        if shared {
            cells.push(match (&row.lease_owner, row.lease_until) {
                (Some(owner), Some(until)) => format!("{owner} until {}", time(Some(until))),
                _ => "-".into(),
            });
        }
        out.add_row(cells);
    }
    print(&out.to_string())?;
    Ok(())
}
