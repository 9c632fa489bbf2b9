//! `newsmon ingest`: one pass over all sources.

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use newsmon_extractor::Extractor;
use newsmon_fetcher::{Fetcher, SqliteState};
use newsmon_index::Index;

use super::Format;
use crate::config;
use crate::output::{print, print_json};
use crate::pipeline::{Pipeline, Summary};

/// The crawl state's file in the index directory.
pub const STATE_FILE: &str = "crawl.sqlite";
/// Tantivy's files live in this subdirectory of the index directory.
pub const TANTIVY_DIR: &str = "tantivy";

#[derive(Debug, clap::Args)]
pub struct Cmd {
    /// Summary format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(cmd: Cmd, config_path: &Path, index_dir: &Path) -> Result<ExitCode> {
    let loaded = config::load(config_path)?;
    if loaded.config.sources.is_empty() {
        bail!("{}: no [[source]] to poll", config_path.display());
    }
    let tagger = loaded.taxonomy.build()?;
    let index = Index::open_or_create(&index_dir.join(TANTIVY_DIR))?;
    // Taking the writer first makes a second, overlapping ingest stop here, before
    // it has fetched anything.
    let writer = index.writer(loaded.config.index.writer_memory_bytes())?;
    let state_path = index_dir.join(STATE_FILE);
    let state = SqliteState::open(&state_path)?;
    let fetcher = Fetcher::new(&loaded.config.http)?;
    let pipeline = Pipeline {
        fetcher,
        extractor: Extractor::new(),
        tagger: Arc::new(tagger),
        state: Arc::new(Mutex::new(state)),
        writer: Arc::new(Mutex::new(writer)),
        concurrency: loaded.config.http.concurrency,
    };
    let sources: Vec<_> = loaded
        .config
        .sources
        .iter()
        .cloned()
        .zip(loaded.urls.iter().cloned())
        .collect();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let summary = runtime.block_on(pipeline.ingest(&sources))?;
    report(&summary, cmd.format)?;
    Ok(if summary.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn report(summary: &Summary, format: Format) -> Result<()> {
    for failure in &summary.failures {
        eprintln!("newsmon: failed: {failure}");
    }
    match format {
        Format::Json => print_json(summary),
        Format::Table => {
            print(&format!(
                "sources: {} polled, {} failed, {} not modified\narticles: {} new, {} updated, {} unchanged, {} failed",
                summary.sources_polled,
                summary.sources_failed,
                summary.sources_not_modified,
                summary.articles_new,
                summary.articles_updated,
                summary.articles_unchanged,
                summary.articles_failed,
            ))?;
            Ok(())
        }
    }
}
