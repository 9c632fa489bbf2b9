//! `newsmon follow`: a search node (issue 11). Applies the shared article log to the local
//! index in `--index`, in order, recording the last sequence applied in each index commit, so
//! that a restart resumes exactly where the last commit ended. Applying is idempotent (an
//! upsert by canonical URL), and every node applies the same log with the clusters assigned
//! in it, so nodes that caught up answer searches alike.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use newsmon_index::Index;

use crate::config;
use crate::output::print;
use crate::paths::Paths;
use crate::pipeline::TANTIVY_DIR;

#[derive(Debug, clap::Args)]
pub struct Cmd {
    /// Apply what the log holds now, then exit (default: keep following until SIGTERM).
    #[arg(long)]
    once: bool,
    /// Log entries applied per index commit.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    batch: usize,
    /// How often to look for new entries once caught up, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    poll_ms: u64,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load_untagged(paths)?;
    let config_path = paths.config_name();
    let index_dir = paths.index.as_path();
    let Some(store) = crate::shared::open_store(&loaded)? else {
        bail!(
            "{config_path}: `newsmon follow` follows a shared database; set [state] backend = \"postgres\""
        );
    };
    let index = Index::open_or_create(&index_dir.join(TANTIVY_DIR))?;
    let mut writer = index.writer(loaded.config.index.writer_memory_bytes())?;
    let mut applied = index.applied_seq()?;
    tracing::info!(applied, "following the article log");
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    if !cmd.once {
        let stop = Arc::clone(&stop);
        let signal = runtime.block_on(async { super::run::shutdown_signal() })?;
        runtime.spawn(async move {
            let name = signal.await;
            tracing::info!(signal = name, "stopping after this batch");
            stop.store(true, Ordering::SeqCst);
        });
    }
    let started = Instant::now();
    let mut total = 0usize;
    let batch = cmd.batch.max(1);
    while !stop.load(Ordering::SeqCst) {
        let entries = store.read_log(applied, batch)?;
        let count = entries.len();
        if let Some(last) = entries.last().map(|e| e.seq) {
            for entry in &entries {
                writer.upsert_clustered(&entry.document, entry.cluster)?;
            }
            writer.commit_applied(last)?;
            applied = last;
            total += count;
            tracing::info!(applied, articles = count, "applied");
        }
        if count < batch {
            if cmd.once {
                break;
            }
            sleep_unless(&stop, Duration::from_millis(cmd.poll_ms));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    print(&format!(
        "applied {total} articles up to sequence {applied} in {seconds:.1}s"
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn sleep_unless(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let until = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(step);
    }
}
