//! The article log: every article written, with a sequence number that only grows.
//!
//! An ingester appends under a transaction-scoped advisory lock ([`LOG_LOCK`]) and draws the
//! sequence numbers while holding it. Locks are released only after the commit is visible, so
//! a reader that sees sequence number `n` already sees every smaller one that will ever
//! exist: a search node can resume from "the last sequence I applied" without missing a
//! transaction that committed late. The lock serialises only this short write; fetching,
//! extracting and tagging run in parallel on every ingester.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use newsmon_extractor::{Amount, Article, Mention, fingerprint};
use newsmon_fetcher::{CompressedPage, IndexedArticle};
use newsmon_index::{Document, document_id};
use tokio_postgres::types::Json;

use crate::Result;
use crate::db::Failure;
use crate::schema::LOG_LOCK;
use crate::store::PgStore;
use crate::window::{CLUSTER_WINDOW, Entry, Window};

/// One article of the log, as a search node applies it.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Its position in the log.
    pub seq: i64,
    /// The document, as the ingester built it.
    pub document: Document,
    /// Its syndication cluster, assigned when it was written.
    pub cluster: u64,
}

/// The number a document starts its own cluster with (as the tantivy writer does).
fn own_number(url: &str) -> u64 {
    u64::from_str_radix(&document_id(url), 16).unwrap_or_default()
}

/// Writes a batch in one transaction: each article's crawl state, its document (content,
/// tags, amounts, cluster, a new sequence number) when it has one, its aliases and raw page.
pub(crate) async fn append(
    pool: &Pool,
    batch: &[(IndexedArticle, Option<Document>)],
    window: &tokio::sync::Mutex<Window>,
) -> Result<(), Failure> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK])
        .await?;
    let mut window = window.lock().await;
    catch_up(&tx, &mut window).await?;
    let upsert = tx
        .prepare_cached(
            "INSERT INTO articles (url, seq, source, feed_fingerprint, content_hash, indexed_at,
                                   title, published, language, fetched, tags, article, mentions,
                                   amounts, fingerprint, cluster)
             VALUES ($1, nextval('article_log'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                     $13, $14, $15)
             ON CONFLICT (url) DO UPDATE SET
                seq = excluded.seq, source = excluded.source,
                feed_fingerprint = excluded.feed_fingerprint, content_hash = excluded.content_hash,
                indexed_at = excluded.indexed_at, title = excluded.title,
                published = excluded.published, language = excluded.language,
                fetched = excluded.fetched, tags = excluded.tags, article = excluded.article,
                mentions = excluded.mentions, amounts = excluded.amounts,
                fingerprint = excluded.fingerprint, cluster = excluded.cluster
             RETURNING seq",
        )
        .await?;
    let acknowledge = tx
        .prepare_cached(
            "UPDATE articles SET source = $2, feed_fingerprint = $3, content_hash = $4,
                                 indexed_at = $5
             WHERE url = $1",
        )
        .await?;
    let alias = tx
        .prepare_cached(
            "INSERT INTO aliases (link, url) VALUES ($1, $2)
             ON CONFLICT (link) DO UPDATE SET url = excluded.url",
        )
        .await?;
    let page = tx
        .prepare_cached(
            "INSERT INTO pages (url, fetched_url, content_type, compression, size, body, stored_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (url) DO UPDATE SET
                fetched_url = excluded.fetched_url, content_type = excluded.content_type,
                compression = excluded.compression, size = excluded.size, body = excluded.body,
                stored_at = excluded.stored_at",
        )
        .await?;
    let mut added: Vec<Entry> = Vec::new();
    for (article, document) in batch {
        let state = &article.state;
        match document {
            Some(document) => {
                let own = own_number(&document.url);
                let simhash = fingerprint(&document.article.text);
                let cluster = window.cluster_for(simhash, own, &added);
                let tags: Vec<&str> = document.mentions.iter().map(|m| m.tag.as_str()).collect();
                let row = tx
                    .query_one(
                        &upsert,
                        &[
                            &state.url,
                            &document.source,
                            &state.feed_fingerprint,
                            &document.content_hash,
                            &state.indexed_at,
                            &document.article.title,
                            &document.article.published,
                            &document.article.language,
                            &document.fetched,
                            &tags,
                            &Json(&document.article),
                            &Json(&document.mentions),
                            &Json(&document.amounts),
                            // Stored as the same 64 bits, signed.
                            &(simhash as i64),
                            &(cluster as i64),
                        ],
                    )
                    .await?;
                added.push(Entry {
                    seq: row.get(0),
                    own,
                    fingerprint: simhash,
                    cluster,
                });
            }
            None => {
                tx.execute(
                    &acknowledge,
                    &[
                        &state.url,
                        &state.source,
                        &state.feed_fingerprint,
                        &state.content_hash,
                        &state.indexed_at,
                    ],
                )
                .await?;
            }
        }
        for link in article.links.iter().filter(|link| **link != state.url) {
            tx.execute(&alias, &[link, &state.url]).await?;
        }
        if let Some(stored) = &article.page {
            tx.execute(
                &page,
                &[
                    &state.url,
                    &stored.url(),
                    &stored.content_type(),
                    &CompressedPage::CODEC,
                    &i64::try_from(stored.size()).unwrap_or(i64::MAX),
                    &stored.compressed(),
                    &state.indexed_at,
                ],
            )
            .await?;
        }
    }
    tx.commit().await?;
    // Only now: a rolled-back batch must not leave its clusters behind.
    for entry in added {
        window.apply(entry);
    }
    Ok(())
}

/// Brings the window up to the log's end: the latest version of each of the last
/// [`CLUSTER_WINDOW`] documents.
async fn catch_up(
    tx: &deadpool_postgres::Transaction<'_>,
    window: &mut Window,
) -> Result<(), Failure> {
    let rows = tx
        .query(
            "SELECT seq, url, fingerprint, cluster FROM articles WHERE seq > $1
             ORDER BY seq DESC LIMIT $2",
            &[&window.last_seq, &(CLUSTER_WINDOW as i64)],
        )
        .await?;
    for row in rows.iter().rev() {
        let url: String = row.get(1);
        window.apply(Entry {
            seq: row.get(0),
            own: own_number(&url),
            fingerprint: row.get::<_, i64>(2) as u64,
            cluster: row.get::<_, i64>(3) as u64,
        });
    }
    Ok(())
}

impl PgStore {
    /// Up to `limit` log entries after `after`, in order: what a search node applies next.
    pub fn read_log(&self, after: i64, limit: usize) -> Result<Vec<LogEntry>> {
        let db = self.db.clone();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(async move {
            db.retrying("reading the article log", |pool| async move {
                let client = pool.get().await?;
                let rows = client
                    .query(
                        "SELECT seq, url, source, article, mentions, amounts, fetched,
                                content_hash, cluster
                         FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                        &[&after, &limit],
                    )
                    .await?;
                rows.iter().map(entry_from_row).collect()
            })
            .await
        })
    }

    /// The last sequence number of the log (0 when empty).
    pub fn last_seq(&self) -> Result<i64> {
        let db = self.db.clone();
        self.run(async move {
            db.retrying("reading the article log", |pool| async move {
                let client = pool.get().await?;
                let row = client
                    .query_one("SELECT COALESCE(max(seq), 0) FROM articles", &[])
                    .await?;
                Ok(row.get(0))
            })
            .await
        })
    }

    /// The document keys of every stored raw page, in key order.
    pub fn page_urls(&self) -> Result<Vec<String>> {
        let db = self.db.clone();
        self.run(async move {
            db.retrying("listing pages", |pool| async move {
                let client = pool.get().await?;
                let rows = client
                    .query("SELECT url FROM pages ORDER BY url", &[])
                    .await?;
                Ok(rows.iter().map(|row| row.get(0)).collect())
            })
            .await
        })
    }

    /// The stored document of one article, if any.
    pub fn document(&self, url: &str) -> Result<Option<LogEntry>> {
        let db = self.db.clone();
        let url = Arc::new(url.to_string());
        self.run(async move {
            db.retrying("reading an article", |pool| {
                let url = Arc::clone(&url);
                async move {
                    let client = pool.get().await?;
                    let row = client
                        .query_opt(
                            "SELECT seq, url, source, article, mentions, amounts, fetched,
                                    content_hash, cluster
                             FROM articles WHERE url = $1",
                            &[&*url],
                        )
                        .await?;
                    row.as_ref().map(entry_from_row).transpose()
                }
            })
            .await
        })
    }
}

fn entry_from_row(row: &tokio_postgres::Row) -> Result<LogEntry, Failure> {
    let url: String = row.get(1);
    let corrupt = |what: &str, err: tokio_postgres::Error| {
        Failure::corrupt(format!("article {url}: {what}: {err}"))
    };
    let Json(article): Json<Article> = row.try_get(3).map_err(|e| corrupt("article", e))?;
    let Json(mentions): Json<Vec<Mention>> = row.try_get(4).map_err(|e| corrupt("mentions", e))?;
    let Json(amounts): Json<Vec<Amount>> = row.try_get(5).map_err(|e| corrupt("amounts", e))?;
    let fetched: DateTime<Utc> = row.get(6);
    Ok(LogEntry {
        seq: row.get(0),
        cluster: row.get::<_, i64>(8) as u64,
        document: Document {
            url: url.clone(),
            source: row.get(2),
            article,
            mentions,
            amounts,
            fetched,
            content_hash: row.get(7),
        },
    })
}
