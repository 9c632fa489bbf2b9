//! Crawl state: what each source answered last, and which articles are in the index.
//!
//! The pipeline talks to [`StateStore`], not to SQLite, so that state shared by several hosts can
//! later live in PostgreSQL behind the same trait.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params, params_from_iter};

use crate::client::Validators;
use crate::error::{Error, Result, flatten};

/// Where crawl state is kept.
pub trait StateStore {
    /// The state of one source, by its configured name.
    fn source(&self, name: &str) -> Result<Option<SourceState>>;

    /// Records the outcome of one poll of a source, creating the source on its first poll.
    ///
    /// Success and "not modified" reset `consecutive_failures` and clear `last_error`. A failure
    /// increments `consecutive_failures` and keeps the previous validators and item count, so the
    /// next poll is still conditional. The feed TTL and a listing's selector are replaced by a
    /// success and kept by "not modified" and failures; `next_due` and `due_reason` are replaced by every poll.
    fn record_poll(&mut self, poll: &SourcePoll) -> Result<()>;

    /// Every known source, ordered by name.
    fn sources(&self) -> Result<Vec<SourceState>>;

    /// The state of one article, by its document key or by any URL it was reached through
    /// (see [`IndexedArticle::links`]).
    fn article(&self, url: &str) -> Result<Option<ArticleState>>;

    /// Records articles as indexed, with the URLs they were reached through and their raw
    /// pages, all or none.
    ///
    /// Call it only after the index commit that contains them succeeded: if newsmon stops in
    /// between, the articles are fetched and indexed again, which the index's upsert makes
    /// harmless. Marking first would lose them.
    fn mark_indexed(&mut self, articles: &[IndexedArticle]) -> Result<()>;

    /// Records that each `(link, url)` pair's link leads to the article with document key `url`.
    ///
    /// An alias of an article not (yet) marked indexed finds nothing, so it may be recorded
    /// before the article's own commit without hiding it.
    fn add_aliases(&mut self, aliases: &[(String, String)]) -> Result<()>;

    /// The raw page last indexed under a document key, decompressed: what a `reindex` extracts
    /// again without the network.
    fn page(&self, url: &str) -> Result<Option<RawPage>>;
}

/// What is known about one source (feed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceState {
    /// The source's configured name.
    pub name: String,
    /// The feed URL polled last.
    pub url: String,
    /// Validators from the last successful poll.
    pub validators: Validators,
    /// When it was last polled, whatever the outcome.
    pub last_poll: Option<DateTime<Utc>>,
    /// The HTTP status of the last poll (304 for "not modified"; `None` when no answer came).
    pub last_status: Option<u16>,
    /// How many items the feed held when last downloaded.
    pub items_in_feed: u64,
    /// How many of those were new to newsmon at the last poll (0 after "not modified" or a
    /// failure).
    pub new_articles: u64,
    /// Failed polls since the last success.
    pub consecutive_failures: u32,
    /// The error of the last poll, if it failed.
    pub last_error: Option<String>,
    /// When the scheduler means to poll it next.
    pub next_due: Option<DateTime<Utc>>,
    /// Why `next_due` is then (`interval`, `ttl 60m`, `retry-after 120s`, …), as the scheduler
    /// put it.
    pub due_reason: Option<String>,
    /// The feed's `<ttl>` at the last download, in minutes: a 304 does not repeat it, and it
    /// still holds.
    pub ttl_mins: Option<u32>,
    /// For a listing page: the CSS selector its last download was parsed with. The stored
    /// validators are sent only with the same selector: a 304 must not hide a changed one.
    pub selector: Option<String>,
    /// The kind of source (`feed`, `site`, `sitemap`, `listing`) configured or detected at the
    /// last successful poll.
    pub kind: Option<String>,
    /// For a site, the feed discovered on it and polled last (its validators are in
    /// `validators`).
    pub feed_url: Option<String>,
}

/// One poll of a source, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePoll {
    /// The source's configured name.
    pub name: String,
    /// The feed URL that was polled.
    pub url: String,
    /// When the poll happened.
    pub at: DateTime<Utc>,
    /// How it went.
    pub outcome: PollOutcome,
    /// When to poll it next (after a failure, later: backoff).
    pub next_due: Option<DateTime<Utc>>,
    /// Why then, for `newsmon sources`.
    pub due_reason: Option<String>,
    /// The kind of source used (configured or detected); `None` keeps the stored one.
    pub kind: Option<String>,
    /// For a site, the discovered feed that was polled; `None` keeps the stored one on a
    /// failure and clears it on a success.
    pub feed_url: Option<String>,
}

/// How a poll went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome {
    /// The feed was downloaded and parsed.
    Ok {
        /// The HTTP status.
        status: u16,
        /// The validators to send next time.
        validators: Validators,
        /// How many items the feed held.
        items_in_feed: u64,
        /// How many of them were new.
        new_articles: u64,
        /// The feed's `<ttl>`, in minutes (`None`: none, or not a feed).
        ttl_mins: Option<u32>,
        /// For a listing page, the selector it was parsed with.
        selector: Option<String>,
    },
    /// The server answered 304.
    NotModified,
    /// The poll failed.
    Failed {
        /// The HTTP status, if the server answered.
        status: Option<u16>,
        /// The error message.
        error: String,
    },
}

/// An article that is in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleState {
    /// The canonical URL (see [`canonicalize`](crate::canonicalize)).
    pub url: String,
    /// The name of the source it came from.
    pub source: String,
    /// [`FeedItem::fingerprint`](crate::FeedItem::fingerprint) at indexing time, to notice an
    /// edited item.
    pub feed_fingerprint: String,
    /// A blake3 hash of the extracted text, computed by the caller.
    pub content_hash: String,
    /// When the index commit containing it succeeded.
    pub indexed_at: DateTime<Utc>,
}

/// An article to record as indexed: its state, every URL it was reached through, and the
/// page it was extracted from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedArticle {
    /// The state; `state.url` is the document key (the page's own same-site `rel=canonical`
    /// when it declares one, else the canonicalised link).
    pub state: ArticleState,
    /// Canonicalised URLs that led to it (feed links, redirects): the same article reached
    /// through another feed or URL is then recognised without fetching it again.
    pub links: Vec<String>,
    /// The raw page, compressed; `None` keeps the stored page (an unchanged article).
    pub page: Option<CompressedPage>,
}

/// A [`RawPage`] compressed for storage. Compress as soon as the page is extracted: pages wait
/// in memory for the index commit, and compressed they take a fifth of the room or less.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompressedPage {
    url: String,
    content_type: Option<String>,
    size: usize,
    deflated: Vec<u8>,
}

impl CompressedPage {
    /// Compresses `page`.
    pub fn new(page: &RawPage) -> std::io::Result<CompressedPage> {
        Ok(CompressedPage {
            url: page.url.clone(),
            content_type: page.content_type.clone(),
            size: page.body.len(),
            deflated: compress(&page.body)?,
        })
    }

    /// The compressed size, in bytes.
    pub fn compressed_len(&self) -> usize {
        self.deflated.len()
    }

    /// The URL the page was fetched from, after redirects.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The size of the page as served, in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The compressed body, in the codec [`CompressedPage::CODEC`] names: what another
    /// [`StateStore`] keeps.
    pub fn compressed(&self) -> &[u8] {
        &self.deflated
    }

    /// The name of the compression codec, as stored beside the body.
    pub const CODEC: &'static str = PAGE_CODEC;

    /// The page back from what [`CompressedPage::compressed`] gave, stored under `codec`.
    pub fn decompress(
        url: String,
        content_type: Option<String>,
        codec: &str,
        compressed: &[u8],
    ) -> std::io::Result<RawPage> {
        if codec != PAGE_CODEC {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("unknown compression `{codec}`"),
            ));
        }
        Ok(RawPage {
            url,
            content_type,
            body: decompress(compressed)?,
        })
    }
}

/// A page as fetched, kept so that it can be extracted again without the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    /// The URL it was fetched from, after redirects.
    pub url: String,
    /// The `Content-Type` header, if any (it may name the charset).
    pub content_type: Option<String>,
    /// The body as served, in its original charset.
    pub body: Vec<u8>,
}

/// [`StateStore`] in one SQLite file.
#[derive(Debug)]
pub struct SqliteState {
    conn: Connection,
    path: PathBuf,
}

/// Schema migrations, applied in order; `PRAGMA user_version` counts how many ran.
///
/// Append only: never edit a shipped entry, because databases in the field already ran it.
const MIGRATIONS: &[&str] = &[
    // v1
    "CREATE TABLE sources (
        name                 TEXT PRIMARY KEY NOT NULL,
        url                  TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        last_poll            TEXT,
        last_status          INTEGER,
        items_in_feed        INTEGER NOT NULL DEFAULT 0,
        new_articles         INTEGER NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error           TEXT
    ) STRICT;
    CREATE TABLE articles (
        url              TEXT PRIMARY KEY NOT NULL,
        source           TEXT NOT NULL,
        feed_fingerprint TEXT NOT NULL,
        content_hash     TEXT NOT NULL,
        indexed_at       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX articles_by_source ON articles (source);",
    // v2: scheduling, detected source kinds, URL aliases and raw pages.
    "ALTER TABLE sources ADD COLUMN next_due TEXT;
    ALTER TABLE sources ADD COLUMN kind TEXT;
    ALTER TABLE sources ADD COLUMN feed_url TEXT;
    CREATE TABLE aliases (
        link TEXT PRIMARY KEY NOT NULL,
        url  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX aliases_by_url ON aliases (url);
    CREATE TABLE pages (
        url          TEXT PRIMARY KEY NOT NULL,
        fetched_url  TEXT NOT NULL,
        content_type TEXT,
        compression  TEXT NOT NULL,
        size         INTEGER NOT NULL,
        body         BLOB NOT NULL,
        stored_at    TEXT NOT NULL
    ) STRICT;",
    // v3: what the server asked for (feed TTL), why the next poll is when it is, and the
    // selector a listing page was parsed with.
    "ALTER TABLE sources ADD COLUMN ttl_mins INTEGER;
    ALTER TABLE sources ADD COLUMN due_reason TEXT;
    ALTER TABLE sources ADD COLUMN selector TEXT;",
];

/// How raw pages are compressed in the `pages` table (the `compression` column names it, so
/// that another codec can be added without a migration). Deflate at level 6 shrinks news HTML
/// about 4 to 6 times and is in the build already through reqwest.
const PAGE_CODEC: &str = "deflate";

/// How long a write waits for another process's write lock before failing with "database is
/// locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl SqliteState {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|err| state_error(path, &err))?;
        Self::setup(conn, path.to_path_buf())
    }

    /// An empty database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Self> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|err| state_error(&path, &err))?;
        Self::setup(conn, path)
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<Self> {
        let fail = |err: rusqlite::Error| state_error(&path, &err);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // WAL lets `newsmon search` and `stats` read while a run writes. An in-memory database
        // answers "memory" and stays as it is.
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(Error::State {
                path,
                detail: format!(
                    "schema v{version} was written by a newer newsmon; this one knows up to v{known}"
                ),
            });
        }
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn.transaction().map_err(fail)?;
            tx.execute_batch(migration).map_err(fail)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)
                .map_err(fail)?;
            tx.commit().map_err(fail)?;
        }
        Ok(SqliteState { conn, path })
    }

    fn fail(&self, err: &rusqlite::Error) -> Error {
        state_error(&self.path, err)
    }
}

fn state_error(path: &Path, err: &rusqlite::Error) -> Error {
    Error::State {
        path: path.to_path_buf(),
        detail: flatten(err),
    }
}

/// How an upsert merges a column into a row that exists.
#[derive(Debug, Clone, Copy)]
enum Merge {
    /// The conflict key.
    Key,
    /// The new value replaces the old.
    Take,
    /// The new value, unless it is NULL: a poll that learnt nothing keeps what was known.
    Keep,
    /// An expression of the old row (the value is the insert's).
    Expr(&'static str),
}

type Columns = Vec<(&'static str, Box<dyn ToSql>, Merge)>;

/// What each poll outcome writes: the same row, with what it learnt and what it resets.
fn poll_columns(poll: &SourcePoll) -> Columns {
    let mut columns: Columns = vec![
        ("name", Box::new(poll.name.clone()), Merge::Key),
        ("url", Box::new(poll.url.clone()), Merge::Take),
        ("last_poll", Box::new(timestamp(&poll.at)), Merge::Take),
        (
            "next_due",
            Box::new(poll.next_due.as_ref().map(timestamp)),
            Merge::Take,
        ),
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
        } => columns.extend([
            (
                "etag",
                Box::new(validators.etag.clone()) as Box<dyn ToSql>,
                Merge::Take,
            ),
            (
                "last_modified",
                Box::new(validators.last_modified.clone()),
                Merge::Take,
            ),
            ("last_status", Box::new(*status), Merge::Take),
            (
                "items_in_feed",
                Box::new(to_i64(*items_in_feed)),
                Merge::Take,
            ),
            ("new_articles", Box::new(to_i64(*new_articles)), Merge::Take),
            ("consecutive_failures", Box::new(0_i64), Merge::Take),
            ("last_error", Box::new(none), Merge::Take),
            ("feed_url", Box::new(poll.feed_url.clone()), Merge::Take),
            ("ttl_mins", Box::new(*ttl_mins), Merge::Take),
            ("selector", Box::new(selector.clone()), Merge::Take),
        ]),
        PollOutcome::NotModified => columns.extend([
            (
                "last_status",
                Box::new(304_i64) as Box<dyn ToSql>,
                Merge::Take,
            ),
            ("new_articles", Box::new(0_i64), Merge::Take),
            ("consecutive_failures", Box::new(0_i64), Merge::Take),
            ("last_error", Box::new(none), Merge::Take),
            ("feed_url", Box::new(poll.feed_url.clone()), Merge::Keep),
        ]),
        PollOutcome::Failed { status, error } => columns.extend([
            (
                "last_status",
                Box::new(*status) as Box<dyn ToSql>,
                Merge::Take,
            ),
            ("new_articles", Box::new(0_i64), Merge::Take),
            (
                "consecutive_failures",
                Box::new(1_i64),
                Merge::Expr("sources.consecutive_failures + 1"),
            ),
            ("last_error", Box::new(error.clone()), Merge::Take),
            ("feed_url", Box::new(poll.feed_url.clone()), Merge::Keep),
        ]),
    }
    columns
}

/// `INSERT … ON CONFLICT (name) DO UPDATE` of `columns`: a source's row is created by its
/// first poll and updated by every later one, in one statement.
fn upsert_sql(columns: &Columns) -> String {
    let names: Vec<&str> = columns.iter().map(|(name, _, _)| *name).collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
    let set: Vec<String> = columns
        .iter()
        .filter_map(|(name, _, merge)| match merge {
            Merge::Key => None,
            Merge::Take => Some(format!("{name} = excluded.{name}")),
            Merge::Keep => Some(format!(
                "{name} = COALESCE(excluded.{name}, sources.{name})"
            )),
            Merge::Expr(expr) => Some(format!("{name} = {expr}")),
        })
        .collect();
    format!(
        "INSERT INTO sources ({}) VALUES ({}) ON CONFLICT (name) DO UPDATE SET {}",
        names.join(", "),
        values.join(", "),
        set.join(", ")
    )
}

const SOURCE_COLUMNS: &str = "name, url, etag, last_modified, last_poll, last_status, \
                              items_in_feed, new_articles, consecutive_failures, last_error, \
                              next_due, kind, feed_url, due_reason, ttl_mins, selector";

impl StateStore for SqliteState {
    fn source(&self, name: &str) -> Result<Option<SourceState>> {
        self.conn
            .query_row(
                &format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE name = ?1"),
                [name],
                source_from_row,
            )
            .optional()
            .map_err(|err| self.fail(&err))
    }

    fn record_poll(&mut self, poll: &SourcePoll) -> Result<()> {
        let columns = poll_columns(poll);
        let values = columns.iter().map(|(_, value, _)| value);
        self.conn
            .execute(&upsert_sql(&columns), params_from_iter(values))
            .map(drop)
            .map_err(|err| self.fail(&err))
    }

    fn sources(&self) -> Result<Vec<SourceState>> {
        let query = || -> rusqlite::Result<Vec<SourceState>> {
            let mut statement = self.conn.prepare(&format!(
                "SELECT {SOURCE_COLUMNS} FROM sources ORDER BY name"
            ))?;
            let rows = statement.query_map([], source_from_row)?;
            rows.collect()
        };
        query().map_err(|err| self.fail(&err))
    }

    fn article(&self, url: &str) -> Result<Option<ArticleState>> {
        // The key itself first; else the document some other URL of it led to.
        self.conn
            .query_row(
                "SELECT url, source, feed_fingerprint, content_hash, indexed_at
                 FROM articles WHERE url = ?1
                 UNION ALL
                 SELECT a.url, a.source, a.feed_fingerprint, a.content_hash, a.indexed_at
                 FROM aliases l JOIN articles a ON a.url = l.url WHERE l.link = ?1
                 LIMIT 1",
                [url],
                article_from_row,
            )
            .optional()
            .map_err(|err| self.fail(&err))
    }

    fn mark_indexed(&mut self, articles: &[IndexedArticle]) -> Result<()> {
        let write = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut upsert = tx.prepare(
                    "INSERT INTO articles (url, source, feed_fingerprint, content_hash, indexed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (url) DO UPDATE SET
                        source = excluded.source, feed_fingerprint = excluded.feed_fingerprint,
                        content_hash = excluded.content_hash, indexed_at = excluded.indexed_at",
                )?;
                let mut alias = tx.prepare(
                    "INSERT INTO aliases (link, url) VALUES (?1, ?2)
                     ON CONFLICT (link) DO UPDATE SET url = excluded.url",
                )?;
                let mut store_page = tx.prepare(
                    "INSERT INTO pages (url, fetched_url, content_type, compression, size, body,
                                        stored_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (url) DO UPDATE SET
                        fetched_url = excluded.fetched_url, content_type = excluded.content_type,
                        compression = excluded.compression, size = excluded.size,
                        body = excluded.body, stored_at = excluded.stored_at",
                )?;
                for article in articles {
                    let state = &article.state;
                    upsert.execute(params![
                        state.url,
                        state.source,
                        state.feed_fingerprint,
                        state.content_hash,
                        timestamp(&state.indexed_at),
                    ])?;
                    for link in article.links.iter().filter(|link| **link != state.url) {
                        alias.execute(params![link, state.url])?;
                    }
                    if let Some(page) = &article.page {
                        store_page.execute(params![
                            state.url,
                            page.url,
                            page.content_type,
                            PAGE_CODEC,
                            to_i64(page.size as u64),
                            page.deflated,
                            timestamp(&state.indexed_at),
                        ])?;
                    }
                }
            }
            tx.commit()
        };
        write(&mut self.conn).map_err(|err| state_error(&self.path, &err))
    }

    fn add_aliases(&mut self, aliases: &[(String, String)]) -> Result<()> {
        let write = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut alias = tx.prepare(
                    "INSERT INTO aliases (link, url) VALUES (?1, ?2)
                     ON CONFLICT (link) DO UPDATE SET url = excluded.url",
                )?;
                for (link, url) in aliases.iter().filter(|(link, url)| link != url) {
                    alias.execute(params![link, url])?;
                }
            }
            tx.commit()
        };
        write(&mut self.conn).map_err(|err| state_error(&self.path, &err))
    }

    fn page(&self, url: &str) -> Result<Option<RawPage>> {
        let row = self
            .conn
            .query_row(
                "SELECT fetched_url, content_type, compression, body FROM pages WHERE url = ?1",
                [url],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Vec<u8>>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(|err| self.fail(&err))?;
        let Some((fetched_url, content_type, codec, body)) = row else {
            return Ok(None);
        };
        let corrupt = |detail: String| Error::State {
            path: self.path.clone(),
            detail: format!("page of {url}: {detail}"),
        };
        if codec != PAGE_CODEC {
            return Err(corrupt(format!("unknown compression `{codec}`")));
        }
        let body = decompress(&body).map_err(|err| corrupt(err.to_string()))?;
        Ok(Some(RawPage {
            url: fetched_url,
            content_type,
            body,
        }))
    }
}

fn compress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    // The fastest level: at the default level compressing each raw page took ~6% of an
    // ingest's CPU; the fast one takes under half of that for pages ~15% larger.
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::fast(),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

fn decompress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::with_capacity(body.len().saturating_mul(4));
    flate2::read::DeflateDecoder::new(body).read_to_end(&mut out)?;
    Ok(out)
}

fn article_from_row(row: &Row<'_>) -> rusqlite::Result<ArticleState> {
    Ok(ArticleState {
        url: row.get(0)?,
        source: row.get(1)?,
        feed_fingerprint: row.get(2)?,
        content_hash: row.get(3)?,
        indexed_at: parse_timestamp(row, 4)?,
    })
}

fn source_from_row(row: &Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        name: row.get(0)?,
        url: row.get(1)?,
        validators: Validators {
            etag: row.get(2)?,
            last_modified: row.get(3)?,
        },
        last_poll: row
            .get::<_, Option<String>>(4)?
            .map(|text| parse_text_timestamp(&text, 4))
            .transpose()?,
        last_status: row.get(5)?,
        items_in_feed: count(row, 6)?,
        new_articles: count(row, 7)?,
        consecutive_failures: row.get(8)?,
        last_error: row.get(9)?,
        next_due: row
            .get::<_, Option<String>>(10)?
            .map(|text| parse_text_timestamp(&text, 10))
            .transpose()?,
        kind: row.get(11)?,
        feed_url: row.get(12)?,
        due_reason: row.get(13)?,
        // Stored from a u32; anything else (an edited database) reads as "none".
        ttl_mins: row
            .get::<_, Option<i64>>(14)?
            .and_then(|mins| u32::try_from(mins).ok()),
        selector: row.get(15)?,
    })
}

/// Timestamps are stored as fixed-width RFC 3339 text in UTC (microseconds, `Z`): readable in the
/// sqlite3 shell and ordered correctly by a plain text comparison.
fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<DateTime<Utc>> {
    parse_text_timestamp(&row.get::<_, String>(column)?, column)
}

fn parse_text_timestamp(text: &str, column: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(err)))
}

fn count(row: &Row<'_>, column: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(row.get::<_, i64>(column)?).unwrap_or(0))
}

/// SQLite integers are signed; counts beyond `i64::MAX` do not occur, so saturate.
fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
