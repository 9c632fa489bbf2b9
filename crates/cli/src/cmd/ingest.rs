//! `newsmon ingest`: one pass over all sources, then exit (for cron and systemd timers).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::Format;
use crate::config;
use crate::output::{print, print_json};
use crate::paths::Paths;
use crate::pipeline::{Pipeline, SourceSpec, Summary};

// Other commands find the index where ingest puts it.
pub use crate::pipeline::TANTIVY_DIR;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon ingest
  newsmon --config ~/feeds.toml ingest --format json
  newsmon -v ingest   # one log line per source and article
  newsmon ingest --due   # from a timer: only the sources whose time has come")]
pub struct Cmd {
    /// Summary format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Poll only the sources that are due: never polled, or past the next due time their last
    /// poll set (interval, backoff, or the wait the server asked for with a feed TTL,
    /// Cache-Control or Retry-After). What a timer should run; without it every source is
    /// polled.
    #[arg(long)]
    due: bool,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load(paths)?;
    if loaded.config.sources.is_empty() {
        bail!("{}: no [[source]] to poll", paths.config_name());
    }
    // Over PostgreSQL (issue 11), several ingests share the sources: see shared.rs.
    let store = crate::shared::open_store(&loaded)?;
    let mut pipeline = match &store {
        Some(store) => Pipeline::open_shared(&loaded, store)?,
        None => Pipeline::open(&loaded, &paths.index)?,
    };
    let mut sources = SourceSpec::all(&loaded);
    let mut not_due = 0;
    if cmd.due && store.is_none() {
        (sources, not_due) = due_now(&pipeline, sources, &loaded);
    }
    // A bar for people at a terminal; in a pipe or a journal, the log lines say the same.
    if std::io::stderr().is_terminal() {
        pipeline.progress = progress_bar(sources.len() as u64);
    }
    let pipeline = Arc::new(pipeline);
    let commit_every = Duration::from_secs(loaded.config.schedule.commit_every_secs.max(1));
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let summary = runtime.block_on(async {
        match store {
            Some(store) => {
                crate::shared::ingest(Arc::clone(&pipeline), &loaded, store, cmd.due).await
            }
            None => pipeline.ingest(&sources, commit_every).await,
        }
    })?;
    let summary = Summary {
        sources_not_due: summary.sources_not_due + not_due,
        ..summary
    };
    pipeline.progress.finish_and_clear();
    report(&summary, cmd.format)?;
    Ok(if summary.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The sources whose due time has come (as `run` would see them at its start), and how many
/// are left for later.
fn due_now(
    pipeline: &Pipeline,
    sources: Vec<SourceSpec>,
    loaded: &config::Loaded,
) -> (Vec<SourceSpec>, usize) {
    let max_wait = super::run::longest_wait(&loaded.config.schedule, &sources);
    let due = super::run::initial_due(pipeline, &sources, max_wait);
    let now = chrono::Utc::now();
    let (due, later): (Vec<_>, Vec<_>) =
        sources.into_iter().zip(due).partition(|(_, at)| *at <= now);
    for (source, at) in &later {
        tracing::info!(source = %source.name, next_due = %at.to_rfc3339(), "not due yet");
    }
    (due.into_iter().map(|(s, _)| s).collect(), later.len())
}

fn progress_bar(sources: u64) -> ProgressBar {
    let bar = ProgressBar::new(sources);
    // The template is a constant; should it ever fail to parse, the default style is fine.
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sources  {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn report(summary: &Summary, format: Format) -> Result<()> {
    for failure in &summary.failures {
        eprintln!("newsmon: failed: {failure}");
    }
    match format {
        Format::Json => print_json(summary),
        Format::Table => {
            print(&format!(
                "sources: {} polled, {} failed, {} not modified{}\narticles: {} new, {} updated, {} unchanged, {} failed",
                summary.sources_polled,
                summary.sources_failed,
                summary.sources_not_modified,
                match summary.sources_not_due {
                    0 => String::new(),
                    n => format!(", {n} not due yet"),
                },
                summary.articles_new,
                summary.articles_updated,
                summary.articles_unchanged,
                summary.articles_failed,
            ))?;
            Ok(())
        }
    }
}
