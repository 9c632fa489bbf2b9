//! One ingest pass: poll → fetch → extract → tag → index, then acknowledge.
//!
//! Invariants (see ARCHITECTURE.md):
//! - an article and a feed's validators are recorded in crawl state only after the index
//!   commit that holds the article succeeded, so a crash costs re-work, never data;
//! - the index is written by one writer, keyed by canonical URL, so re-work never
//!   duplicates;
//! - one bad source or page is counted and reported; the rest of the pass goes on.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use futures_util::stream::{self, StreamExt};
use newsmon_extractor::{Extractor, Tagger};
use newsmon_fetcher::{
    ArticleState, FeedItem, FeedPoll, Fetcher, PollOutcome, SourcePoll, SqliteState, StateStore,
};
use newsmon_index::{Document, Sink, Writer};
use serde::Serialize;
use url::Url;

use crate::config::Source;

/// Items of one feed fetched at once; the fetcher's global limit still applies.
const ITEMS_IN_FLIGHT: usize = 4;

/// What an ingest pass did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub sources_polled: usize,
    pub sources_failed: usize,
    pub sources_not_modified: usize,
    pub articles_new: usize,
    pub articles_updated: usize,
    pub articles_unchanged: usize,
    pub articles_failed: usize,
    /// One line per failure: what failed and why.
    pub failures: Vec<String>,
}

impl Summary {
    pub fn all_ok(&self) -> bool {
        self.sources_failed == 0 && self.articles_failed == 0
    }
}

/// The stages of the pipeline and the stores they feed.
pub struct Pipeline {
    pub fetcher: Fetcher,
    pub extractor: Extractor,
    pub tagger: Arc<Tagger>,
    pub state: Arc<Mutex<SqliteState>>,
    pub writer: Arc<Mutex<Writer>>,
    pub concurrency: usize,
}

enum ItemOutcome {
    New(ArticleState),
    Updated(ArticleState),
    Unchanged,
    Failed(String),
}

struct SourceOutcome {
    poll: SourcePoll,
    items: Vec<ItemOutcome>,
    error: Option<String>,
}

impl Pipeline {
    /// Polls every source once and indexes what is new or changed.
    pub async fn ingest(&self, sources: &[(Source, Url)]) -> anyhow::Result<Summary> {
        let claimed = Mutex::new(HashSet::new());
        let outcomes: Vec<SourceOutcome> = stream::iter(sources)
            .map(|(source, url)| self.poll_source(source, url, &claimed))
            .buffer_unordered(self.concurrency.max(1))
            .collect()
            .await;

        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || lock(&writer).commit()).await??;

        let mut summary = Summary::default();
        let mut indexed = Vec::new();
        let mut polls = Vec::new();
        for outcome in outcomes {
            summary.sources_polled += 1;
            match &outcome.poll.outcome {
                PollOutcome::Failed { .. } => summary.sources_failed += 1,
                PollOutcome::NotModified => summary.sources_not_modified += 1,
                PollOutcome::Ok { .. } => {}
            }
            if let Some(error) = outcome.error {
                summary
                    .failures
                    .push(format!("source `{}`: {error}", outcome.poll.name));
            }
            for item in outcome.items {
                match item {
                    ItemOutcome::New(state) => {
                        summary.articles_new += 1;
                        indexed.push(state);
                    }
                    ItemOutcome::Updated(state) => {
                        summary.articles_updated += 1;
                        indexed.push(state);
                    }
                    ItemOutcome::Unchanged => summary.articles_unchanged += 1,
                    ItemOutcome::Failed(error) => {
                        summary.articles_failed += 1;
                        summary
                            .failures
                            .push(format!("source `{}`: {error}", outcome.poll.name));
                    }
                }
            }
            polls.push(outcome.poll);
        }
        // Only now, after the commit, is crawl state allowed to say "done".
        let state = Arc::clone(&self.state);
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut state = lock(&state);
            state.mark_indexed(&indexed)?;
            for poll in &polls {
                state.record_poll(poll)?;
            }
            Ok(())
        })
        .await??;
        Ok(summary)
    }

    async fn poll_source(
        &self,
        source: &Source,
        url: &Url,
        claimed: &Mutex<HashSet<String>>,
    ) -> SourceOutcome {
        let poll = |outcome| SourcePoll {
            name: source.name.clone(),
            url: url.to_string(),
            at: Utc::now(),
            outcome,
        };
        let previous = {
            let state = lock(&self.state);
            state.source(&source.name)
        };
        let validators = match previous {
            // A changed URL must not send the old feed's validators.
            Ok(Some(previous)) if previous.url == url.as_str() => previous.validators,
            Ok(_) => Default::default(),
            Err(err) => return failed(poll, None, err.to_string()),
        };
        tracing::info!(source = %source.name, %url, "polling");
        let (feed, validators, status) = match self.fetcher.poll_feed(url, &validators).await {
            Ok(FeedPoll::NotModified) => {
                return SourceOutcome {
                    poll: poll(PollOutcome::NotModified),
                    items: Vec::new(),
                    error: None,
                };
            }
            Ok(FeedPoll::Fetched {
                feed,
                validators,
                status,
            }) => (feed, validators, status),
            Err(err) => return failed(poll, http_status(&err), err.to_string()),
        };
        let items_in_feed = feed.items.len() as u64;
        let items: Vec<ItemOutcome> = stream::iter(feed.items)
            .map(|item| self.process_item(source, item, claimed))
            .buffer_unordered(ITEMS_IN_FLIGHT)
            .collect()
            .await;
        let new_articles = items
            .iter()
            .filter(|i| matches!(i, ItemOutcome::New(_)))
            .count() as u64;
        SourceOutcome {
            poll: poll(PollOutcome::Ok {
                status,
                validators,
                items_in_feed,
                new_articles,
            }),
            items,
            error: None,
        }
    }

    async fn process_item(
        &self,
        source: &Source,
        item: FeedItem,
        claimed: &Mutex<HashSet<String>>,
    ) -> ItemOutcome {
        let Some(link) = item.link.clone() else {
            let title = item.title.as_deref().unwrap_or("(untitled)");
            return ItemOutcome::Failed(format!("item `{title}` has no link"));
        };
        let url = link.to_string();
        // The same article reached through two feeds in one pass is processed once.
        if !lock(claimed).insert(url.clone()) {
            return ItemOutcome::Unchanged;
        }
        let fingerprint = item.fingerprint();
        let known = match lock(&self.state).article(&url) {
            Ok(known) => known,
            Err(err) => return ItemOutcome::Failed(err.to_string()),
        };
        if known
            .as_ref()
            .is_some_and(|k| k.feed_fingerprint == fingerprint)
        {
            return ItemOutcome::Unchanged;
        }
        tracing::info!(%url, "fetching article");
        let page = match self.fetcher.fetch_page(&link).await {
            Ok(page) => page,
            Err(err) => return ItemOutcome::Failed(err.to_string()),
        };
        let extractor = self.extractor.clone();
        let tagger = Arc::clone(&self.tagger);
        let writer = Arc::clone(&self.writer);
        let source_name = source.name.clone();
        let previous_hash = known.as_ref().map(|k| k.content_hash.clone());
        let is_update = known.is_some();
        // Extraction and tagging are CPU work: keep them off the async workers.
        let indexed = tokio::task::spawn_blocking(move || -> Result<Option<String>, String> {
            let mut article = extractor
                .extract(&page.body, Some(url.as_str()), page.content_type.as_deref())
                .map_err(|e| e.to_string())?;
            if article.title.is_none() {
                article.title = item.title.clone();
            }
            if article.published.is_none() {
                article.published = item.published;
            }
            let content_hash = content_hash(article.title.as_deref(), &article.text);
            if previous_hash.as_deref() == Some(content_hash.as_str()) {
                return Ok(None);
            }
            let mentions = tagger.tag(&article.text);
            let document = Document {
                url,
                source: source_name,
                article,
                mentions,
                fetched: Utc::now(),
                content_hash: content_hash.clone(),
            };
            lock(&writer).upsert(&document).map_err(|e| e.to_string())?;
            Ok(Some(content_hash))
        })
        .await;
        let state = |content_hash: String| ArticleState {
            url: link.to_string(),
            source: source.name.clone(),
            feed_fingerprint: fingerprint.clone(),
            content_hash,
            indexed_at: Utc::now(),
        };
        match indexed {
            Ok(Ok(Some(hash))) if is_update => ItemOutcome::Updated(state(hash)),
            Ok(Ok(Some(hash))) => ItemOutcome::New(state(hash)),
            Ok(Ok(None)) => ItemOutcome::Unchanged,
            Ok(Err(error)) => ItemOutcome::Failed(error),
            Err(join) => ItemOutcome::Failed(format!("{link}: extraction crashed: {join}")),
        }
    }
}

fn failed(
    poll: impl FnOnce(PollOutcome) -> SourcePoll,
    status: Option<u16>,
    error: String,
) -> SourceOutcome {
    tracing::warn!(%error, "source failed");
    SourceOutcome {
        poll: poll(PollOutcome::Failed {
            status,
            error: error.clone(),
        }),
        items: Vec::new(),
        error: Some(error),
    }
}

fn http_status(err: &newsmon_fetcher::Error) -> Option<u16> {
    match err {
        newsmon_fetcher::Error::Status { status, .. } => Some(*status),
        _ => None,
    }
}

/// The content's identity: an edit to title or text changes it.
pub fn content_hash(title: Option<&str>, text: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(title.unwrap_or_default().as_bytes());
    hasher.update(b"\0");
    hasher.update(text.as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// A poisoned lock means a thread panicked mid-update; the data (a writer, a
/// connection) is still usable, and refusing it would stop the whole pass.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
