//! Watches: saved searches that notify when new matching articles come in.
//!
//! After each index commit, the pipeline hands [`Watches::after_commit`] the documents the
//! commit held. Each watch's query runs over those documents only; a match not notified
//! before is recorded as fired (in `watches.sqlite` beside the crawl state) and then sent to
//! the watch's outputs: a JSON line on standard output, a line appended to a JSONL file,
//! a webhook POST. Recording first makes delivery at most once: a watch never fires twice
//! for one article, even across crashes and re-ingests.
//!
//! Webhooks go through a persistent outbox, a table of `watches.sqlite` written in the same
//! transaction as the fired record: a notification is never lost between the two, whatever
//! the endpoint does and however newsmon stops. One background thread posts what is due,
//! deletes what was delivered, and retries network errors, 429 and 5xx with backoff (capped
//! at [`WEBHOOK_MAX_WAIT`]) for as long as it takes, across restarts: delivery is at least
//! once. Each notification carries an idempotency key, a hash of (watch, article), in its
//! body and in an `Idempotency-Key` header, so a receiver can drop a repeat. Other answers
//! (a 4xx) are final: the row is kept, marked dead, and logged. A slow or dead endpoint
//! never holds up ingest. On exit, the thread gets [`DRAIN_SECS`] to deliver what is due;
//! what is left waits in the outbox for the next `ingest` or `run`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use newsmon_index::{Hit, Index, SearchRequest};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// The fired-notification store's file in the index directory.
pub const WATCH_STATE_FILE: &str = "watches.sqlite";
/// The first wait before a webhook notification is tried again, doubled each time up to
/// [`WEBHOOK_MAX_WAIT`].
const WEBHOOK_FIRST_WAIT: Duration = Duration::from_millis(250);
/// The longest wait between two tries of one notification.
const WEBHOOK_MAX_WAIT: Duration = Duration::from_secs(300);
/// Rows of the outbox posted per pass.
const OUTBOX_BATCH: i64 = 100;
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
    /// The same for every delivery of this (watch, article): a receiver drops repeats by it.
    pub idempotency_key: String,
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
    /// Wakes the webhook thread: a row was added, or (on drop) newsmon is exiting.
    wake: Option<SyncSender<()>>,
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
             ) STRICT;
             CREATE TABLE IF NOT EXISTS outbox (
                key      TEXT PRIMARY KEY,
                webhook  TEXT NOT NULL,
                body     TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_try INTEGER NOT NULL,
                dead     INTEGER NOT NULL DEFAULT 0
             ) STRICT;",
        )
        .with_context(|| format!("{}: cannot set up the watch state", fired_path.display()))?;
        let (wake, poster) = if watches.iter().any(|w| w.webhook.is_some()) {
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let outbox = Outbox::open(&fired_path)?;
            let poster = std::thread::Builder::new()
                .name("newsmon-webhooks".into())
                .spawn(move || outbox.deliver(receive))
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
            wake,
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
            let notification = Notification {
                watch: watch.name.clone(),
                fired_at: Utc::now().to_rfc3339(),
                idempotency_key: idempotency_key(&watch.name, &hit.id),
                hit,
            };
            if !self.record(&notification, watch.webhook.as_deref())? {
                continue;
            }
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
            if watch.webhook.is_some()
                && let Some(wake) = &self.wake
            {
                // Full: a wake-up is pending already, and the thread reads every due row.
                let _ = wake.try_send(());
            }
        }
        Ok(())
    }

    /// Records (watch, article) as fired and, in the same transaction, queues its webhook
    /// post in the outbox; false if it fired before.
    fn record(&self, notification: &Notification, webhook: Option<&str>) -> Result<bool> {
        let mut conn = self.fired.lock().unwrap_or_else(PoisonError::into_inner);
        let context = || format!("{}: cannot record a fired watch", self.fired_path.display());
        let tx = conn.transaction().with_context(context)?;
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO fired (watch, id, url, fired_at) VALUES (?1, ?2, ?3, ?4)",
                params![
                    notification.watch,
                    notification.hit.id,
                    notification.hit.url,
                    notification.fired_at
                ],
            )
            .with_context(context)?;
        if inserted == 1
            && let Some(webhook) = webhook
        {
            tx.execute(
                "INSERT OR IGNORE INTO outbox (key, webhook, body, next_try) VALUES (?1, ?2, ?3, ?4)",
                params![
                    notification.idempotency_key,
                    webhook,
                    serde_json::to_string(notification)?,
                    Utc::now().timestamp_millis()
                ],
            )
            .with_context(context)?;
        }
        tx.commit().with_context(context)?;
        Ok(inserted == 1)
    }
}

/// The key a receiver drops repeats by: a hash of the watch's name and the article's id.
fn idempotency_key(watch: &str, article: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(watch.as_bytes());
    hasher.update(b"\0");
    hasher.update(article.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

impl Drop for Watches {
    /// Gives queued webhooks [`DRAIN_SECS`] to go out before newsmon exits.
    fn drop(&mut self) {
        // Dropping the sender tells the thread to deliver what is due and stop.
        drop(self.wake.take());
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
            tracing::warn!("webhook notifications still undelivered at exit wait in the outbox");
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

/// The webhook thread's side of the outbox.
struct Outbox {
    conn: Connection,
    client: Option<reqwest::blocking::Client>,
}

/// What one post of one row came to.
enum Posted {
    Delivered,
    Retry,
    Final,
}

impl Outbox {
    fn open(path: &Path) -> Result<Outbox> {
        let conn = Connection::open(path)
            .with_context(|| format!("{}: cannot open the watch outbox", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))
            .with_context(|| format!("{}: cannot open the watch outbox", path.display()))?;
        Ok(Outbox { conn, client: None })
    }

    /// Posts what is due until `wake` is dropped and nothing is left (or only dead rows).
    fn deliver(mut self, wake: Receiver<()>) {
        // Built here: the blocking client runs (and must be dropped) outside async code.
        self.client = reqwest::blocking::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .user_agent(concat!("newsmon/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| tracing::error!(error = %err, "cannot build the webhook client; webhooks wait in the outbox"))
            .ok();
        let mut stopping = false;
        loop {
            match self.post_due() {
                Ok(()) => {}
                Err(err) => tracing::error!(error = format!("{err:#}"), "webhook outbox failed"),
            }
            let next = match self.next_try() {
                Ok(next) => next,
                Err(err) => {
                    tracing::error!(error = format!("{err:#}"), "webhook outbox failed");
                    Some(Utc::now().timestamp_millis() + 1000)
                }
            };
            if stopping && next.is_none() {
                return;
            }
            let wait = next.map_or(Duration::from_secs(60), |at| {
                Duration::from_millis(
                    u64::try_from(at - Utc::now().timestamp_millis()).unwrap_or(0),
                )
            });
            if stopping {
                std::thread::sleep(wait.min(Duration::from_secs(1)));
                continue;
            }
            match wake.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => stopping = true,
            }
        }
    }

    /// When the next live row is due, in Unix milliseconds.
    fn next_try(&self) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT min(next_try) FROM outbox WHERE dead = 0",
                [],
                |row| row.get(0),
            )
            .context("cannot read the webhook outbox")
    }

    fn post_due(&self) -> Result<()> {
        let now = Utc::now().timestamp_millis();
        let rows: Vec<(String, String, String, u32)> = {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT key, webhook, body, attempts FROM outbox
                     WHERE dead = 0 AND next_try <= ?1 ORDER BY next_try LIMIT ?2",
                )
                .context("cannot read the webhook outbox")?;
            statement
                .query_map(params![now, OUTBOX_BATCH], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .context("cannot read the webhook outbox")?
                .collect::<rusqlite::Result<_>>()
                .context("cannot read the webhook outbox")?
        };
        for (key, url, body, attempts) in rows {
            let attempts = attempts.saturating_add(1);
            match self.post(&key, &url, &body, attempts) {
                Posted::Delivered => {
                    self.conn
                        .execute("DELETE FROM outbox WHERE key = ?1", params![key])
                        .context("cannot update the webhook outbox")?;
                }
                Posted::Retry => {
                    let wait = WEBHOOK_FIRST_WAIT
                        .saturating_mul(1 << attempts.saturating_sub(1).min(20))
                        .min(WEBHOOK_MAX_WAIT);
                    let next = Utc::now().timestamp_millis()
                        + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 2);
                    self.conn
                        .execute(
                            "UPDATE outbox SET attempts = ?2, next_try = ?3 WHERE key = ?1",
                            params![key, attempts, next],
                        )
                        .context("cannot update the webhook outbox")?;
                }
                Posted::Final => {
                    self.conn
                        .execute(
                            "UPDATE outbox SET attempts = ?2, dead = 1 WHERE key = ?1",
                            params![key, attempts],
                        )
                        .context("cannot update the webhook outbox")?;
                }
            }
        }
        Ok(())
    }

    fn post(&self, key: &str, url: &str, body: &str, attempt: u32) -> Posted {
        let Some(client) = &self.client else {
            return Posted::Retry;
        };
        let outcome = client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .body(body.to_string())
            .send();
        match outcome {
            Ok(response) if response.status().is_success() => Posted::Delivered,
            Ok(response) => {
                let status = response.status();
                if status.is_server_error() || status.as_u16() == 429 {
                    tracing::warn!(webhook = %url, key, status = status.as_u16(), attempt, "webhook refused; will retry");
                    Posted::Retry
                } else {
                    tracing::error!(webhook = %url, key, status = status.as_u16(), "webhook rejected the notification; kept in the outbox as dead");
                    Posted::Final
                }
            }
            Err(err) => {
                tracing::warn!(webhook = %url, key, error = %err, attempt, "webhook failed; will retry");
                Posted::Retry
            }
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
