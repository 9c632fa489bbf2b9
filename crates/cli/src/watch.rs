//! Watches: saved searches that notify when new matching articles come in.
//!
//! After each index commit, the pipeline hands [`Watches::after_commit`] the documents the
//! commit held. Each watch's query runs over those documents only; a match not notified
//! before is recorded as fired (in `watches.sqlite` beside the crawl state) and then sent to
//! the watch's outputs: a JSON line on standard output, a line appended to a JSONL file,
//! a webhook POST. Recording first makes delivery at most once: a watch never fires twice
//! for one article, even across crashes and re-ingests.
//!
//! Webhooks are posted by one background thread from a bounded queue, retried with
//! backoff: a slow or dead endpoint never holds up ingest. When the queue is full a
//! notification is dropped with a warning. On exit, the queue gets [`DRAIN_SECS`] to
//! empty.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use newsmon_index::{Hit, Index, SearchRequest};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// The fired-notification store's file in the index directory.
pub const WATCH_STATE_FILE: &str = "watches.sqlite";
/// Notifications waiting for their webhook, at most; more are dropped, never waited for.
const QUEUE: usize = 1000;
/// Tries per webhook notification, and the first wait between two (doubled each time).
const WEBHOOK_TRIES: u32 = 5;
const WEBHOOK_FIRST_WAIT: Duration = Duration::from_millis(250);
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// How long newsmon waits on exit for queued webhooks.
pub const DRAIN_SECS: u64 = 10;

/// One `[[watch]]` of the configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchConfig {
    /// A unique name, sent with every notification.
    pub name: String,
    /// The query, as for `newsmon search`.
    pub query: String,
    /// Tags every match must carry (KIND/KEY or KIND).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only articles from these sources.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Only articles in these languages.
    #[serde(default)]
    pub langs: Vec<String>,
    /// Print each notification as one JSON line on standard output.
    #[serde(default)]
    pub stdout: bool,
    /// Append each notification as one JSON line to this file (relative to the config file).
    #[serde(default)]
    pub jsonl: Option<PathBuf>,
    /// POST each notification as JSON to this http(s) URL.
    #[serde(default)]
    pub webhook: Option<String>,
}

/// Every problem of the `[[watch]]` tables, one line each.
pub fn problems(watches: &[WatchConfig], name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, watch) in watches.iter().enumerate() {
        let place = format!("{name}: watch #{} `{}`", i + 1, watch.name);
        if watch.name.trim().is_empty() {
            out.push(format!("{name}: watch #{}: name is empty", i + 1));
        } else if !seen.insert(watch.name.as_str()) {
            out.push(format!("{place}: duplicate name"));
        }
        if let Err(err) = newsmon_index::validate_query(&watch.query) {
            out.push(format!("{place}: {err}"));
        }
        if !watch.stdout && watch.jsonl.is_none() && watch.webhook.is_none() {
            out.push(format!(
                "{place}: no output; set stdout = true, jsonl = \"FILE\" or webhook = \"URL\""
            ));
        }
        if let Some(hook) = &watch.webhook {
            match url::Url::parse(hook) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => {}
                _ => out.push(format!("{place}: webhook `{hook}` is not an http(s) URL")),
            }
        }
    }
    out
}

/// The notification of one article to one watch.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// The watch's name.
    pub watch: String,
    /// When it fired, RFC 3339.
    pub fired_at: String,
    /// The matching article.
    #[serde(flatten)]
    pub hit: Hit,
}

/// The configured watches, ready to run after each commit.
pub struct Watches {
    watches: Vec<WatchConfig>,
    index: Index,
    fired: Mutex<Connection>,
    fired_path: PathBuf,
    webhooks: Option<SyncSender<(String, Notification)>>,
    poster: Option<std::thread::JoinHandle<()>>,
}

impl Watches {
    /// Opens the fired store in `index_dir` and starts the webhook thread if a watch needs
    /// it. `None` without watches: nothing to do after commits.
    pub fn open(
        watches: &[WatchConfig],
        index: &Index,
        index_dir: &Path,
    ) -> Result<Option<Watches>> {
        if watches.is_empty() {
            return Ok(None);
        }
        let fired_path = index_dir.join(WATCH_STATE_FILE);
        let conn = Connection::open(&fired_path)
            .with_context(|| format!("{}: cannot open the watch state", fired_path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS fired (
                watch    TEXT NOT NULL,
                id       TEXT NOT NULL,
                url      TEXT NOT NULL,
                fired_at TEXT NOT NULL,
                PRIMARY KEY (watch, id)
             ) STRICT;",
        )
        .with_context(|| format!("{}: cannot set up the watch state", fired_path.display()))?;
        let (webhooks, poster) = if watches.iter().any(|w| w.webhook.is_some()) {
            let (send, receive) = std::sync::mpsc::sync_channel(QUEUE);
            let poster = std::thread::Builder::new()
                .name("newsmon-webhooks".into())
                .spawn(move || post_all(receive))
                .context("cannot start the webhook thread")?;
            (Some(send), Some(poster))
        } else {
            (None, None)
        };
        Ok(Some(Watches {
            watches: watches.to_vec(),
            index: index.clone(),
            fired: Mutex::new(conn),
            fired_path,
            webhooks,
            poster,
        }))
    }

    /// Notifies every watch of its new matches among `urls`, the document keys of a commit
    /// that just succeeded. Never fails: a failing watch is logged and the others go on.
    pub fn after_commit(&self, urls: &[String]) {
        if urls.is_empty() {
            return;
        }
        for watch in &self.watches {
            if let Err(err) = self.run_watch(watch, urls) {
                tracing::error!(watch = %watch.name, error = format!("{err:#}"), "watch failed");
            }
        }
    }

    fn run_watch(&self, watch: &WatchConfig, urls: &[String]) -> Result<()> {
        let request = SearchRequest {
            query: watch.query.clone(),
            tags: watch.tags.clone(),
            sources: watch.sources.clone(),
            langs: watch.langs.clone(),
            urls: urls.to_vec(),
            limit: urls.len(),
            sort: newsmon_index::Sort::Oldest,
            ..SearchRequest::default()
        };
        let results = self.index.search(&request)?;
        for hit in results.hits {
            if !self.record(&watch.name, &hit)? {
                continue;
            }
            let notification = Notification {
                watch: watch.name.clone(),
                fired_at: Utc::now().to_rfc3339(),
                hit,
            };
            tracing::info!(watch = %watch.name, url = %notification.hit.url, "watch fired");
            let line = serde_json::to_string(&notification)?;
            if watch.stdout {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{line}")
                    .and_then(|()| out.flush())
                    .context("cannot write a watch notification to standard output")?;
            }
            if let Some(path) = &watch.jsonl {
                append(path, &line)?;
            }
            if let (Some(hook), Some(queue)) = (&watch.webhook, &self.webhooks) {
                match queue.try_send((hook.clone(), notification)) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => {
                        tracing::warn!(watch = %watch.name, webhook = %hook, "webhook queue full; notification dropped");
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        tracing::warn!(watch = %watch.name, webhook = %hook, "webhook thread stopped; notification dropped");
                    }
                }
            }
        }
        Ok(())
    }

    /// Records (watch, article) as fired; false if it was before.
    fn record(&self, watch: &str, hit: &Hit) -> Result<bool> {
        let conn = self.fired.lock().unwrap_or_else(PoisonError::into_inner);
        let inserted = conn
            .execute(
                "INSERT OR IGNORE INTO fired (watch, id, url, fired_at) VALUES (?1, ?2, ?3, ?4)",
                params![watch, hit.id, hit.url, Utc::now().to_rfc3339()],
            )
            .with_context(|| {
                format!("{}: cannot record a fired watch", self.fired_path.display())
            })?;
        Ok(inserted == 1)
    }
}

impl Drop for Watches {
    /// Gives queued webhooks [`DRAIN_SECS`] to go out before newsmon exits.
    fn drop(&mut self) {
        drop(self.webhooks.take());
        let Some(poster) = self.poster.take() else {
            return;
        };
        let deadline = Instant::now() + Duration::from_secs(DRAIN_SECS);
        while !poster.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if poster.is_finished() {
            let _ = poster.join();
        } else {
            tracing::warn!("webhook notifications still queued at exit were dropped");
        }
    }
}

fn append(path: &Path, line: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("{}: cannot open the watch's jsonl file", path.display()))?;
    // One write per line: concurrent appenders (O_APPEND) never interleave inside a line.
    file.write_all(format!("{line}\n").as_bytes())
        .with_context(|| format!("{}: cannot append a notification", path.display()))
}

/// The webhook thread: posts each queued notification, retrying network errors, 429 and
/// 5xx with exponential backoff; other answers are final.
fn post_all(queue: Receiver<(String, Notification)>) {
    let client = match reqwest::blocking::Client::builder()
        .timeout(WEBHOOK_TIMEOUT)
        .user_agent(concat!("newsmon/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "cannot build the webhook client; webhooks are off");
            return;
        }
    };
    for (url, notification) in queue {
        let mut wait = WEBHOOK_FIRST_WAIT;
        for attempt in 1..=WEBHOOK_TRIES {
            let outcome = client.post(&url).json(&notification).send();
            let retry = match &outcome {
                Ok(response) if response.status().is_success() => break,
                Ok(response) => {
                    let status = response.status();
                    let retry = status.is_server_error() || status.as_u16() == 429;
                    tracing::warn!(webhook = %url, watch = %notification.watch, status = status.as_u16(), attempt, "webhook refused");
                    retry
                }
                Err(err) => {
                    tracing::warn!(webhook = %url, watch = %notification.watch, error = %err, attempt, "webhook failed");
                    true
                }
            };
            if !retry || attempt == WEBHOOK_TRIES {
                tracing::error!(webhook = %url, watch = %notification.watch, article = %notification.hit.url, "webhook notification lost");
                break;
            }
            std::thread::sleep(wait);
            wait *= 2;
        }
    }
}

/// Checks the watches of a config file (for `load`).
pub fn validate(watches: &[WatchConfig], name: &str) -> Result<()> {
    let problems = problems(watches, name);
    if let Some(first) = problems.first() {
        bail!("{first}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(text: &str) -> Vec<WatchConfig> {
        #[derive(Deserialize)]
        struct File {
            watch: Vec<WatchConfig>,
        }
        toml::from_str::<File>(text).unwrap().watch
    }

    #[test]
    fn watches_are_checked_with_file_and_name() {
        let ok = watch(
            "[[watch]]\nname = \"b\"\nquery = \"backstop\"\ntags = [\"tier\"]\nstdout = true\n",
        );
        assert!(problems(&ok, "c.toml").is_empty());
        let bad = watch(
            "[[watch]]\nname = \"b\"\nquery = \"\\\"open\"\nstdout = true\n\
             [[watch]]\nname = \"b\"\nquery = \"x\"\n\
             [[watch]]\nname = \"w\"\nquery = \"x\"\nwebhook = \"ftp://x\"\n",
        );
        let problems = problems(&bad, "c.toml");
        assert!(
            problems[0].starts_with("c.toml: watch #1 `b`: invalid query"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p == "c.toml: watch #2 `b`: duplicate name"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("c.toml: watch #2 `b`: no output")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("webhook `ftp://x` is not an http(s) URL")),
            "{problems:?}"
        );
    }
}
