//! [`PgStore`]: crawl state in PostgreSQL, with source leases.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use newsmon_fetcher::{
    ArticleState, CompressedPage, IndexedArticle, PollOutcome, RawPage, SourcePoll, SourceState,
    StateStore, Validators,
};
use newsmon_index::{Document, Sink};
use serde::Serialize;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::config::StateConfig;
use crate::db::{Background, Db, Failure};
use crate::error::{Error, Result};
use crate::schema::{self, Migrated};
use crate::window::Window;

/// Crawl state, source leases and the article log in one PostgreSQL database, shared by any
/// number of processes on any hosts.
///
/// It implements the fetcher's [`StateStore`]; its [`PgStore::sink`] is the index
/// [`Sink`] of an ingester: documents wait in memory until [`StateStore::mark_indexed`]
/// writes them to the log in the transaction that records them as done. Clones share the
/// pool and that buffer.
#[derive(Clone)]
pub struct PgStore {
    pub(crate) db: Db,
    pub(crate) background: Arc<Background>,
    pub(crate) owner: String,
    lease: Duration,
    /// Documents upserted into the sink and not yet written, by URL.
    pub(crate) pending: Arc<Mutex<HashMap<String, Document>>>,
    pub(crate) window: Arc<tokio::sync::Mutex<Window>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.db.url)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

/// What `newsmon db status` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The database, password removed.
    pub url: String,
    /// The schema version applied (0: none).
    pub schema_version: i64,
    /// The schema version this newsmon writes.
    pub known_version: i64,
    /// Articles stored.
    pub articles: i64,
    /// The last sequence number of the article log (0: empty).
    pub last_seq: i64,
    /// Raw pages stored.
    pub pages: i64,
    /// Sources known.
    pub sources: i64,
    /// Sources leased now.
    pub leased: i64,
    /// Requests in flight to hosts, by every ingester: shared host slots held now.
    pub host_slots: i64,
}

/// Who holds a source, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lease {
    /// The source's name.
    pub source: String,
    /// The holder (`host:pid` unless configured).
    pub owner: String,
    /// When it lapses unless renewed.
    pub until: DateTime<Utc>,
}

/// Which sources [`PgStore::lease`] may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Due by their schedule (`newsmon run`).
    BySchedule,
    /// Not polled since this moment (`newsmon ingest`: one pass).
    NotPolledSince(DateTime<Utc>),
}

/// The result of [`PgStore::migrate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version found.
    pub before: i64,
    /// The version now.
    pub after: i64,
}

impl PgStore {
    /// Connects without touching the schema (for `db status` and `db migrate`). Fails at
    /// once, in one line, when the server cannot be reached.
    pub fn connect(config: &StateConfig) -> Result<PgStore> {
        let raw = config.database_url().ok_or(Error::NoUrl)?;
        let db = Db::new(
            &raw,
            config.pool_size,
            Duration::from_secs(config.retry_secs),
        )?;
        let background = Arc::new(Background::new(&db.url)?);
        let store = PgStore {
            db,
            background,
            owner: config.owner_name(),
            lease: Duration::from_secs(config.lease_secs.max(1)),
            pending: Arc::default(),
            window: Arc::default(),
        };
        let pool = store.db.pool.clone();
        let url = store.db.url.clone();
        store.background.run(&store.db.url, async move {
            let client = pool.get().await.map_err(|err| Error::Unreachable {
                url: url.clone(),
                detail: Failure::from(err).detail,
            })?;
            client
                .simple_query("SELECT 1")
                .await
                .map_err(|err| Error::Unreachable {
                    url,
                    detail: Failure::from(err).detail,
                })?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Connects and brings the schema up to date: what every command that works on the
    /// database does first. A database of a newer schema is refused.
    pub fn open(config: &StateConfig) -> Result<PgStore> {
        let store = PgStore::connect(config)?;
        store.migrate()?;
        Ok(store)
    }

    /// Applies the migrations this newsmon knows and the database lacks.
    pub fn migrate(&self) -> Result<Migration> {
        let db = self.db.clone();
        let migrated = self.run(async move {
            db.retrying("migrating the schema", |pool| async move {
                let mut client = pool.get().await?;
                schema::migrate(&mut client).await
            })
            .await
        })?;
        match migrated {
            Migrated::Done { before, after } => Ok(Migration { before, after }),
            Migrated::Newer(found) => Err(self.newer(found)),
        }
    }

    fn newer(&self, found: i64) -> Error {
        Error::Schema {
            url: self.db.url.clone(),
            detail: format!(
                "schema v{found} was written by a newer newsmon; this one knows up to v{}",
                schema::known()
            ),
        }
    }

    /// The schema version and what the database holds.
    pub fn status(&self) -> Result<Status> {
        let db = self.db.clone();
        let url = self.db.url.clone();
        self.run(async move {
            db.retrying("reading the status", |pool| {
                let url = url.clone();
                async move {
                    let client = pool.get().await?;
                    let version = schema::version(&**client).await?;
                    let mut status = Status {
                        url,
                        schema_version: version,
                        known_version: schema::known(),
                        articles: 0,
                        last_seq: 0,
                        pages: 0,
                        sources: 0,
                        leased: 0,
                        host_slots: 0,
                    };
                    if version >= 1 {
                        let row = client
                            .query_one(
                                "SELECT (SELECT count(*) FROM articles),
                                        (SELECT COALESCE(max(seq), 0) FROM articles),
                                        (SELECT count(*) FROM pages),
                                        (SELECT count(*) FROM sources),
                                        (SELECT count(*) FROM sources WHERE lease_until > now())",
                                &[],
                            )
                            .await?;
                        status.articles = row.get(0);
                        status.last_seq = row.get(1);
                        status.pages = row.get(2);
                        status.sources = row.get(3);
                        status.leased = row.get(4);
                    }
                    if version >= 4 {
                        status.host_slots = client
                            .query_one(
                                "SELECT count(*) FROM host_leases WHERE held_until > now()",
                                &[],
                            )
                            .await?
                            .get(0);
                    }
                    Ok(status)
                }
            })
            .await
        })
    }

    /// The database, password removed.
    pub fn url(&self) -> &str {
        &self.db.url
    }

    /// The name leases are taken under.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The index sink of an ingester: see [`PgStore`].
    pub fn sink(&self) -> PgSink {
        PgSink {
            pending: Arc::clone(&self.pending),
        }
    }

    /// Runs async work on the store's runtime and waits for it.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        work: impl std::future::Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        self.background.run(&self.db.url, work)
    }

    /// Makes the configured sources known, so that they can be leased. A source whose URL
    /// changed starts afresh (no validators, due now).
    pub fn register_sources(&self, sources: &[(String, String)]) -> Result<()> {
        let names: Vec<String> = sources.iter().map(|(name, _)| name.clone()).collect();
        let urls: Vec<String> = sources.iter().map(|(_, url)| url.clone()).collect();
        self.execute(
            "registering sources",
            "INSERT INTO sources (name, url) SELECT * FROM unnest($1::TEXT[], $2::TEXT[])
             ON CONFLICT (name) DO UPDATE SET
                url = excluded.url, etag = NULL, last_modified = NULL, next_due = NULL,
                kind = NULL, feed_url = NULL, ttl_mins = NULL, due_reason = NULL,
                selector = NULL
             WHERE sources.url <> excluded.url",
            vec![Box::new(names), Box::new(urls)],
        )
        .map(drop)
    }

    /// Leases up to `limit` of the `names` sources that are due and that nobody holds (or
    /// whose holder let the lease lapse), for this process: each source is polled by one
    /// ingester at a time. Rows another ingester is leasing at this instant are skipped, not
    /// waited for.
    pub fn lease(&self, names: &[String], limit: usize, due: Due) -> Result<Vec<String>> {
        let names = names.to_vec();
        let owner = self.owner.clone();
        let seconds = self.lease.as_secs_f64();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let since = match due {
            Due::BySchedule => None,
            Due::NotPolledSince(at) => Some(at),
        };
        let db = self.db.clone();
        self.run(async move {
            db.retrying("leasing sources", |pool| {
                let (names, owner) = (names.clone(), owner.clone());
                async move {
                    let client = pool.get().await?;
                    let rows = client
                        .query(
                            "WITH due AS (
                                SELECT name FROM sources
                                WHERE name = ANY($1)
                                  AND (lease_until IS NULL OR lease_until < now())
                                  AND CASE WHEN $5::TIMESTAMPTZ IS NULL
                                           THEN next_due IS NULL OR next_due <= now()
                                           ELSE last_poll IS NULL OR last_poll < $5 END
                                ORDER BY next_due NULLS FIRST, name
                                LIMIT $2
                                FOR UPDATE SKIP LOCKED)
                             UPDATE sources s
                             SET lease_owner = $3, lease_until = now() + make_interval(secs => $4)
                             FROM due WHERE s.name = due.name
                             RETURNING s.name",
                            &[&names, &limit, &owner, &seconds, &since],
                        )
                        .await?;
                    Ok(rows.iter().map(|row| row.get(0)).collect())
                }
            })
            .await
        })
    }

    /// Extends this process's leases of `names` (the sources it is polling or has yet to
    /// record) by the lease time; returns how many. A lease it does not know it holds (taken
    /// by a statement whose answer a dropped connection lost) is left to lapse.
    pub fn renew_leases(&self, names: &[String]) -> Result<u64> {
        let owner = self.owner.clone();
        let seconds = self.lease.as_secs_f64();
        self.execute(
            "renewing leases",
            "UPDATE sources SET lease_until = now() + make_interval(secs => $2)
             WHERE lease_owner = $1 AND name = ANY($3)",
            vec![Box::new(owner), Box::new(seconds), Box::new(names.to_vec())],
        )
    }

    /// Gives back every lease this process holds (at a clean stop): the sources, and the
    /// host slots of requests it abandoned, are free for others at once instead of after the
    /// lease time. Returns how many source leases.
    pub fn release_leases(&self) -> Result<u64> {
        let owner = self.owner.clone();
        self.execute(
            "releasing leases",
            "WITH slots AS (DELETE FROM host_leases WHERE owner = $1)
             UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
            vec![Box::new(owner)],
        )
    }

    /// Every lease in force, by source name.
    pub fn leases(&self) -> Result<Vec<Lease>> {
        let db = self.db.clone();
        self.run(async move {
            db.retrying("reading leases", |pool| async move {
                let client = pool.get().await?;
                let rows = client
                    .query(
                        "SELECT name, lease_owner, lease_until FROM sources
                         WHERE lease_owner IS NOT NULL AND lease_until > now() ORDER BY name",
                        &[],
                    )
                    .await?;
                Ok(rows
                    .iter()
                    .map(|row| Lease {
                        source: row.get(0),
                        owner: row.get(1),
                        until: row.get(2),
                    })
                    .collect())
            })
            .await
        })
    }

    /// Runs one statement with retries; returns the rows it affected.
    fn execute(&self, what: &'static str, sql: &'static str, params: Vec<Param>) -> Result<u64> {
        let db = self.db.clone();
        let params = Arc::new(params);
        self.run(async move {
            db.retrying(what, |pool| {
                let params = Arc::clone(&params);
                async move {
                    let client = pool.get().await?;
                    let refs: Vec<&(dyn ToSql + Sync)> =
                        params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect();
                    Ok(client.execute(sql, &refs).await?)
                }
            })
            .await
        })
    }
}

/// An owned statement parameter.
type Param = Box<dyn ToSql + Send + Sync>;

/// The index [`Sink`] of an ingester over PostgreSQL: upserts wait in memory for
/// [`StateStore::mark_indexed`], which writes them with their crawl state in one
/// transaction; `commit` has nothing to do.
#[derive(Debug, Clone)]
pub struct PgSink {
    pending: Arc<Mutex<HashMap<String, Document>>>,
}

impl Sink for PgSink {
    fn upsert(&mut self, document: &Document) -> newsmon_index::Result<()> {
        lock(&self.pending).insert(document.url.clone(), document.clone());
        Ok(())
    }

    fn commit(&mut self) -> newsmon_index::Result<()> {
        Ok(())
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

const SOURCE_COLUMNS: &str = "name, url, etag, last_modified, last_poll, last_status, \
                              items_in_feed, new_articles, consecutive_failures, last_error, \
                              next_due, kind, feed_url, due_reason, ttl_mins, selector";

/// On recording a poll, the lease is given back if this process holds it (not if it lapsed
/// and another took the source meanwhile). `$owner` is the last parameter.
fn release_clause(owner_param: usize) -> String {
    format!(
        "lease_owner = CASE WHEN sources.lease_owner = ${owner_param} THEN NULL ELSE sources.lease_owner END,
         lease_until = CASE WHEN sources.lease_owner = ${owner_param} THEN NULL ELSE sources.lease_until END"
    )
}

fn source_from_row(row: &Row) -> SourceState {
    SourceState {
        name: row.get(0),
        url: row.get(1),
        validators: Validators {
            etag: row.get(2),
            last_modified: row.get(3),
        },
        last_poll: row.get(4),
        last_status: row
            .get::<_, Option<i32>>(5)
            .and_then(|s| u16::try_from(s).ok()),
        items_in_feed: u64::try_from(row.get::<_, i64>(6)).unwrap_or(0),
        new_articles: u64::try_from(row.get::<_, i64>(7)).unwrap_or(0),
        consecutive_failures: u32::try_from(row.get::<_, i32>(8)).unwrap_or(0),
        last_error: row.get(9),
        next_due: row.get(10),
        kind: row.get(11),
        feed_url: row.get(12),
        due_reason: row.get(13),
        // Stored from a u32; anything else (an edited database) reads as "none".
        ttl_mins: row
            .get::<_, Option<i32>>(14)
            .and_then(|mins| u32::try_from(mins).ok()),
        selector: row.get(15),
    }
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl StateStore for PgStore {
    fn source(&self, name: &str) -> newsmon_fetcher::Result<Option<SourceState>> {
        let name = name.to_string();
        let db = self.db.clone();
        Ok(self.run(async move {
            db.retrying("reading a source", |pool| {
                let name = name.clone();
                async move {
                    let client = pool.get().await?;
                    let row = client
                        .query_opt(
                            &format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE name = $1"),
                            &[&name],
                        )
                        .await?;
                    Ok(row.as_ref().map(source_from_row))
                }
            })
            .await
        })?)
    }

    fn record_poll(&mut self, poll: &SourcePoll) -> newsmon_fetcher::Result<()> {
        let poll = poll.clone();
        let owner = self.owner.clone();
        let db = self.db.clone();
        Ok(self.run(async move {
            db.retrying("recording a poll", |pool| {
                let (poll, owner) = (poll.clone(), owner.clone());
                async move {
                    let client = pool.get().await?;
                    record_poll(&client, &poll, &owner).await?;
                    Ok(())
                }
            })
            .await
        })?)
    }

    fn sources(&self) -> newsmon_fetcher::Result<Vec<SourceState>> {
        let db = self.db.clone();
        Ok(self.run(async move {
            db.retrying("reading sources", |pool| async move {
                let client = pool.get().await?;
                let rows = client
                    .query(
                        &format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY name"),
                        &[],
                    )
                    .await?;
                Ok(rows.iter().map(source_from_row).collect())
            })
            .await
        })?)
    }

    fn article(&self, url: &str) -> newsmon_fetcher::Result<Option<ArticleState>> {
        let url = url.to_string();
        let db = self.db.clone();
        Ok(self.run(async move {
            db.retrying("reading an article", |pool| {
                let url = url.clone();
                async move {
                    let client = pool.get().await?;
                    let row = client
                        .query_opt(
                            "SELECT url, source, feed_fingerprint, content_hash, indexed_at
                             FROM articles WHERE url = $1
                             UNION ALL
                             SELECT a.url, a.source, a.feed_fingerprint, a.content_hash, a.indexed_at
                             FROM aliases l JOIN articles a ON a.url = l.url WHERE l.link = $1
                             LIMIT 1",
                            &[&url],
                        )
                        .await?;
                    Ok(row.map(|row| ArticleState {
                        url: row.get(0),
                        source: row.get(1),
                        feed_fingerprint: row.get(2),
                        content_hash: row.get(3),
                        indexed_at: row.get(4),
                    }))
                }
            })
            .await
        })?)
    }

    fn mark_indexed(&mut self, articles: &[IndexedArticle]) -> newsmon_fetcher::Result<()> {
        // The documents of these articles leave the sink's buffer now, and go back if the
        // write fails, for the next attempt.
        let batch: Vec<(IndexedArticle, Option<Document>)> = {
            let mut pending = lock(&self.pending);
            articles
                .iter()
                .map(|article| (article.clone(), pending.remove(&article.state.url)))
                .collect()
        };
        let batch = Arc::new(batch);
        let written = {
            let batch = Arc::clone(&batch);
            let db = self.db.clone();
            let window = Arc::clone(&self.window);
            self.run(async move {
                db.retrying("writing articles", |pool| {
                    let (batch, window) = (Arc::clone(&batch), Arc::clone(&window));
                    async move { crate::log::append(&pool, &batch, &window).await }
                })
                .await
            })
        };
        if written.is_err() {
            let mut pending = lock(&self.pending);
            for (article, document) in batch.iter() {
                if let Some(document) = document {
                    pending
                        .entry(article.state.url.clone())
                        .or_insert_with(|| document.clone());
                }
            }
        }
        Ok(written?)
    }

    fn add_aliases(&mut self, aliases: &[(String, String)]) -> newsmon_fetcher::Result<()> {
        let (links, urls): (Vec<String>, Vec<String>) = aliases
            .iter()
            .filter(|(link, url)| link != url)
            .cloned()
            .unzip();
        if links.is_empty() {
            return Ok(());
        }
        Ok(self
            .execute(
                "recording aliases",
                "INSERT INTO aliases (link, url) SELECT * FROM unnest($1::TEXT[], $2::TEXT[])
                 ON CONFLICT (link) DO UPDATE SET url = excluded.url",
                vec![Box::new(links), Box::new(urls)],
            )
            .map(drop)?)
    }

    fn page(&self, url: &str) -> newsmon_fetcher::Result<Option<RawPage>> {
        let key = url.to_string();
        let db = self.db.clone();
        Ok(self.run(async move {
            db.retrying("reading a page", |pool| {
                let key = key.clone();
                async move {
                    let client = pool.get().await?;
                    let row = client
                        .query_opt(
                            "SELECT fetched_url, content_type, compression, body FROM pages WHERE url = $1",
                            &[&key],
                        )
                        .await?;
                    row.map(|row| {
                        let codec: String = row.get(2);
                        let body: Vec<u8> = row.get(3);
                        CompressedPage::decompress(row.get(0), row.get(1), &codec, &body)
                            .map_err(|err| Failure::corrupt(format!("page of {key}: {err}")))
                    })
                    .transpose()
                }
            })
            .await
        })?)
    }
}

/// How a column of `sources` written by a poll merges into a row already there.
enum Merge {
    /// The conflict key: not updated.
    Key,
    /// The poll's value.
    Take,
    /// The poll's value unless it has none (a poll that did not learn it keeps the old).
    Keep,
    /// An expression over the existing row; the poll's value is only for a new row.
    Expr(&'static str),
}

/// The columns a poll writes: (name, value, merge), in parameter order.
type Columns = Vec<(&'static str, Param, Merge)>;

/// Records a poll: one upsert of its source row that also gives back this process's lease.
async fn record_poll(
    client: &tokio_postgres::Client,
    poll: &SourcePoll,
    owner: &str,
) -> std::result::Result<u64, tokio_postgres::Error> {
    let columns = poll_columns(poll);
    let sql = upsert_sql(&columns);
    let owner: &(dyn ToSql + Sync) = &owner;
    let params: Vec<&(dyn ToSql + Sync)> = columns
        .iter()
        .map(|(_, value, _)| &**value as &(dyn ToSql + Sync))
        .chain(std::iter::once(owner))
        .collect();
    client.execute(&sql, &params).await
}

/// What each outcome writes: the same row, with what it learnt and what it resets.
fn poll_columns(poll: &SourcePoll) -> Columns {
    let mut columns: Columns = vec![
        ("name", Box::new(poll.name.clone()), Merge::Key),
        ("url", Box::new(poll.url.clone()), Merge::Take),
        ("last_poll", Box::new(poll.at), Merge::Take),
        ("next_due", Box::new(poll.next_due), Merge::Take),
        ("kind", Box::new(poll.kind.clone()), Merge::Keep),
        ("due_reason", Box::new(poll.due_reason.clone()), Merge::Take),
    ];
    let none: Option<String> = None;
    match &poll.outcome {
        PollOutcome::Ok {
            status,
            validators,
            items_in_feed,
            new_articles,
            ttl_mins,
            selector,
        } => {
            // INTEGER is an i32; a larger TTL (over 4,000 years) is stored as the largest.
            let ttl_mins = ttl_mins.map(|mins| i32::try_from(mins).unwrap_or(i32::MAX));
            columns.extend([
                (
                    "etag",
                    Box::new(validators.etag.clone()) as Param,
                    Merge::Take,
                ),
                (
                    "last_modified",
                    Box::new(validators.last_modified.clone()),
                    Merge::Take,
                ),
                ("last_status", Box::new(i32::from(*status)), Merge::Take),
                (
                    "items_in_feed",
                    Box::new(to_i64(*items_in_feed)),
                    Merge::Take,
                ),
                ("new_articles", Box::new(to_i64(*new_articles)), Merge::Take),
                ("consecutive_failures", Box::new(0_i32), Merge::Take),
                ("last_error", Box::new(none), Merge::Take),
                ("feed_url", Box::new(poll.feed_url.clone()), Merge::Take),
                ("ttl_mins", Box::new(ttl_mins), Merge::Take),
                ("selector", Box::new(selector.clone()), Merge::Take),
            ]);
        }
        PollOutcome::NotModified => columns.extend([
            ("last_status", Box::new(304_i32) as Param, Merge::Take),
            ("new_articles", Box::new(0_i64), Merge::Take),
            ("consecutive_failures", Box::new(0_i32), Merge::Take),
            ("last_error", Box::new(none), Merge::Take),
            ("feed_url", Box::new(poll.feed_url.clone()), Merge::Keep),
        ]),
        PollOutcome::Failed { status, error } => columns.extend([
            (
                "last_status",
                Box::new(status.map(i32::from)) as Param,
                Merge::Take,
            ),
            ("new_articles", Box::new(0_i64), Merge::Take),
            (
                "consecutive_failures",
                Box::new(1_i32),
                Merge::Expr("sources.consecutive_failures + 1"),
            ),
            ("last_error", Box::new(error.clone()), Merge::Take),
            ("feed_url", Box::new(poll.feed_url.clone()), Merge::Keep),
        ]),
    }
    columns
}

/// `INSERT … ON CONFLICT (name) DO UPDATE` of `columns`, releasing the lease held by the
/// owner in the parameter after them.
fn upsert_sql(columns: &Columns) -> String {
    let names: Vec<&str> = columns.iter().map(|(name, _, _)| *name).collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let mut set: Vec<String> = Vec::new();
    for (name, _, merge) in columns {
        match merge {
            Merge::Key => {}
            Merge::Take => set.push(format!("{name} = excluded.{name}")),
            Merge::Keep => set.push(format!(
                "{name} = COALESCE(excluded.{name}, sources.{name})"
            )),
            Merge::Expr(expr) => set.push(format!("{name} = {expr}")),
        }
    }
    set.push(release_clause(columns.len() + 1));
    format!(
        "INSERT INTO sources ({}) VALUES ({}) ON CONFLICT (name) DO UPDATE SET {}",
        names.join(", "),
        values.join(", "),
        set.join(", ")
    )
}
