//! The pipeline: poll → fetch → extract → tag → index, then acknowledge.
//!
//! Invariants (see ARCHITECTURE.md):
//! - an article and a source's poll (its validators) are recorded in crawl state only after the
//!   index commit that holds the article succeeded, so a crash costs re-work, never data;
//! - the index is written by one writer, keyed by the article's canonical URL, so re-work never
//!   duplicates;
//! - one bad source or page is counted and reported; the rest goes on.
//!
//! [`Pipeline::poll_source`] is one source's unit of work, shared by `ingest` (every source
//! once) and `run` (each source when it is due). Work done is acknowledged in
//! [`Pipeline::commit`], which both call every `commit_every_secs` and once at the end.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use indicatif::ProgressBar;
use newsmon_extractor::{Extractor, Tagger};
use newsmon_fetcher::{
    ArticleState, CompressedPage, DocumentKind, FeedItem, FeedPoll, Fetcher, IndexedArticle,
    Lifetime, ListingSelector, Page, PagePoll, PollOutcome, RawPage, Sitemap, SourcePoll,
    SourceState, SqliteState, StateStore, Validators, canonicalize, discover_feeds, parse_listing,
    parse_sitemap, recent_entries, same_site, sniff,
};
use newsmon_index::{Document, Index, Sink};
use serde::Serialize;
use url::Url;

use crate::config::{Loaded, SourceKind};
use crate::schedule::{Asked, Schedule};

/// The crawl state's file in the index directory.
pub const STATE_FILE: &str = "crawl.sqlite";
/// Tantivy's files live in this subdirectory of the index directory.
pub const TANTIVY_DIR: &str = "tantivy";

/// Items of one source fetched at once; the fetcher's global limit still applies.
const ITEMS_IN_FLIGHT: usize = 4;
/// Child sitemaps read per poll of a sitemap index, newest first: news sites split their
/// sitemaps by day or month, and only the latest hold new articles.
const SITEMAPS_PER_INDEX: usize = 3;
/// Sitemap entries taken per poll, newest first (a news sitemap holds at most 1,000).
const SITEMAP_ENTRIES: usize = 1000;
/// Articles indexed but not committed that force a commit before `commit_every_secs`: each
/// waits in memory with its compressed page and crawl-state record, and a fast ingest (800
/// articles/s on loopback) would otherwise hold tens of thousands of them.
const MAX_PENDING_ARTICLES: usize = 1000;
/// How recent an entry of a plain (non-news) sitemap must be to count as news.
const SITEMAP_RECENT_DAYS: i64 = 2;

/// One configured source, ready to poll.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub name: String,
    pub url: Url,
    pub kind: Option<SourceKind>,
    pub selector: Option<ListingSelector>,
    pub interval_mins: Option<u64>,
}

impl SourceSpec {
    /// Every source of a loaded configuration, in file order.
    pub fn all(loaded: &Loaded) -> Vec<SourceSpec> {
        loaded
            .config
            .sources
            .iter()
            .zip(&loaded.urls)
            .zip(&loaded.selectors)
            .map(|((source, url), selector)| SourceSpec {
                name: source.name.clone(),
                url: url.clone(),
                // A selector is only useful on a listing page: it says what the source is.
                kind: source
                    .kind
                    .or(selector.as_ref().map(|_| SourceKind::Listing)),
                selector: selector.clone(),
                interval_mins: source.interval_mins,
            })
            .collect()
    }
}

/// What an ingest pass (or a run, so far) did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub sources_polled: usize,
    pub sources_failed: usize,
    pub sources_not_modified: usize,
    /// Sources left alone by `ingest --due` because their time has not come.
    pub sources_not_due: usize,
    pub articles_new: usize,
    pub articles_updated: usize,
    pub articles_unchanged: usize,
    pub articles_failed: usize,
    /// One line per failure: what failed and why.
    pub failures: Vec<String>,
    /// Where the time went, summed over tasks (so more than the wall time when they overlap).
    pub stage_seconds: StageSeconds,
}

/// Seconds spent in each stage, summed over concurrent tasks.
#[derive(Debug, Default, Clone, Serialize)]
pub struct StageSeconds {
    /// Listing sources: polling feeds (download and parse), sitemaps, listing pages.
    pub list: f64,
    /// Downloading article pages (waiting for a connection permit included).
    pub fetch: f64,
    /// Extracting articles from pages.
    pub extract: f64,
    /// Tagging articles.
    pub tag: f64,
    /// Adding documents to the index writer (waiting for it included).
    pub index: f64,
    /// Index commits and the crawl-state updates after them.
    pub commit: f64,
}

/// The counters behind [`StageSeconds`], in nanoseconds.
#[derive(Debug, Default)]
struct Timings {
    list: AtomicU64,
    fetch: AtomicU64,
    extract: AtomicU64,
    tag: AtomicU64,
    index: AtomicU64,
    commit: AtomicU64,
}

impl Timings {
    fn add(counter: &AtomicU64, since: Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        counter.fetch_add(nanos, Ordering::Relaxed);
    }

    fn seconds(&self) -> StageSeconds {
        let s = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e9;
        StageSeconds {
            list: s(&self.list),
            fetch: s(&self.fetch),
            extract: s(&self.extract),
            tag: s(&self.tag),
            index: s(&self.index),
            commit: s(&self.commit),
        }
    }
}

impl Summary {
    pub fn all_ok(&self) -> bool {
        self.sources_failed == 0 && self.articles_failed == 0
    }

    pub fn add(&mut self, report: &SourceReport) {
        self.sources_polled += 1;
        self.sources_failed += usize::from(report.failed);
        self.sources_not_modified += usize::from(report.not_modified);
        self.articles_new += report.articles_new;
        self.articles_updated += report.articles_updated;
        self.articles_unchanged += report.articles_unchanged;
        self.articles_failed += report.articles_failed;
        self.failures.extend(report.failures.iter().cloned());
    }
}

/// What one poll of one source did.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub name: String,
    pub failed: bool,
    pub not_modified: bool,
    pub articles_new: usize,
    pub articles_updated: usize,
    pub articles_unchanged: usize,
    pub articles_failed: usize,
    pub failures: Vec<String>,
    /// When the source should be polled next.
    pub next_due: DateTime<Utc>,
    /// Why then (`interval`, `ttl 60m`, `retry-after 120s`, …).
    pub due_reason: String,
}

impl SourceReport {
    /// One log line per polled source, with when it is due next and why; `run` and the shared
    /// (PostgreSQL) scheduler both log through it.
    pub(crate) fn log(&self) {
        for failure in &self.failures {
            tracing::warn!("failed: {failure}");
        }
        tracing::info!(
            source = %self.name,
            new = self.articles_new,
            updated = self.articles_updated,
            unchanged = self.articles_unchanged,
            failed = self.articles_failed,
            not_modified = self.not_modified,
            next_due = %self.next_due.to_rfc3339(),
            due_because = %self.due_reason,
            "source polled"
        );
    }
}

/// Work indexed but not yet committed, acknowledged by the next [`Pipeline::commit`].
#[derive(Default)]
struct Pending {
    articles: Vec<IndexedArticle>,
    /// `(link, document key)` of articles reached again under another URL before the next
    /// commit.
    aliases: Vec<(String, String)>,
    polls: Vec<SourcePoll>,
    /// Links and document keys handled since the last acknowledgement: a second feed linking
    /// to the same article before crawl state knows it must not fetch it again.
    seen: HashSet<String>,
    /// The keys of `seen` whose article is still being fetched, extracted or indexed: a
    /// commit cannot acknowledge them yet, so they stay seen past it (see [`InFlight`]).
    in_flight: HashSet<String>,
    /// Whether the writer holds uncommitted documents.
    dirty: bool,
}

impl Pending {
    /// After a commit has acknowledged what it took: forgets the keys seen since the last
    /// one, but for those whose article is still in flight or was indexed while the commit
    /// ran (its acknowledgement is the next commit's). Forgetting those too would let a
    /// second feed's copy of an article be fetched and counted new a second time.
    fn forget_acknowledged(&mut self) {
        let Pending {
            seen,
            in_flight,
            articles,
            aliases,
            ..
        } = self;
        let waiting: HashSet<&str> = articles
            .iter()
            .flat_map(|a| a.links.iter().chain([&a.state.url]))
            .chain(aliases.iter().flat_map(|(link, key)| [link, key]))
            .map(String::as_str)
            .collect();
        seen.retain(|key| in_flight.contains(key) || waiting.contains(key.as_str()));
    }
}

/// The keys one item claimed in [`Pending::seen`], held in flight until the item is done,
/// whatever way it ends.
struct InFlight<'a> {
    pending: &'a Mutex<Pending>,
    keys: Vec<String>,
}

impl<'a> InFlight<'a> {
    fn new(pending: &'a Mutex<Pending>) -> Self {
        InFlight {
            pending,
            keys: Vec::new(),
        }
    }

    /// Claims `key` for this item: false when it was seen since the last acknowledgement.
    fn claim(&mut self, key: &str) -> bool {
        let mut pending = lock(self.pending);
        if !pending.seen.insert(key.to_string()) {
            return false;
        }
        pending.in_flight.insert(key.to_string());
        self.keys.push(key.to_string());
        true
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut pending = lock(self.pending);
        for key in &self.keys {
            pending.in_flight.remove(key);
        }
    }
}

/// The stages of the pipeline and the stores they feed.
pub struct Pipeline {
    fetcher: Fetcher,
    extractor: Extractor,
    tagger: Arc<Tagger>,
    state: Arc<Mutex<Box<dyn StateStore + Send>>>,
    writer: Arc<Mutex<Box<dyn Sink + Send>>>,
    schedule: Schedule,
    /// Sources polled at once.
    pub concurrency: usize,
    /// Advanced once per source done; hidden unless `ingest` runs on a terminal.
    pub progress: ProgressBar,
    pending: Mutex<Pending>,
    timings: Arc<Timings>,
    /// Permits for CPU work (extract, tag, index), one per core. Fetches in flight outnumber
    /// the cores many times over; without this limit each would start its own blocking
    /// thread, and they would compete for the cores, each holding a parsed DOM in memory.
    cpu: tokio::sync::Semaphore,
    /// Saved searches notified after each commit (issue 6; owned by crate::watch).
    watches: Option<crate::watch::Watches>,
    /// Counters for `/metrics` and `/health` (served by `run` when configured).
    pub metrics: crate::metrics::Metrics,
}

enum ItemOutcome {
    New,
    Updated,
    Unchanged,
    Failed(String),
}

/// Items listed by a source, or why there are none.
struct Listing {
    /// `None`: the feed answered 304.
    items: Option<Vec<FeedItem>>,
    status: u16,
    validators: Validators,
    kind: SourceKind,
    /// For a site: the discovered feed that was polled.
    feed_url: Option<Url>,
    /// The feed's `<ttl>` (after a 304, the one stored at the last download).
    ttl_mins: Option<u32>,
    /// How long the response said it stays fresh.
    lifetime: Option<Lifetime>,
}

struct Failure {
    status: Option<u16>,
    error: String,
    /// The kind of failure, for the `sources_failing` metric.
    class: &'static str,
    /// `Retry-After` of a 429 or 503 answer, in seconds.
    retry_after: Option<u64>,
}

impl Failure {
    fn new(class: &'static str, status: Option<u16>, error: String) -> Failure {
        Failure {
            class,
            status,
            error,
            retry_after: None,
        }
    }
}

impl From<newsmon_fetcher::Error> for Failure {
    fn from(err: newsmon_fetcher::Error) -> Failure {
        Failure {
            class: error_class(&err),
            status: http_status(&err),
            retry_after: retry_after(&err),
            error: err.to_string(),
        }
    }
}

impl Pipeline {
    /// Opens the index and takes its writer, then the crawl state, then builds the fetcher.
    ///
    /// The writer comes first: a second newsmon on the same index (an overlapping cron
    /// `ingest`, or `ingest` while `run` is active) stops here, before it fetched anything.
    pub fn open(loaded: &Loaded, index_dir: &Path) -> anyhow::Result<Pipeline> {
        let tagger = loaded.tagger()?;
        let index = Index::open_or_create(&index_dir.join(TANTIVY_DIR))?;
        let writer = index.writer(loaded.config.index.writer_memory_bytes())?;
        let state = SqliteState::open(&index_dir.join(STATE_FILE))?;
        let fetcher = Fetcher::new(&loaded.config.http)?;
        let watches = crate::watch::Watches::open(&loaded.config.watches, &index, index_dir)?;
        Self::build(
            loaded,
            tagger,
            Box::new(state),
            Box::new(writer),
            fetcher,
            watches,
            index_dir,
        )
    }

    /// A pipeline over a shared store (issue 11): crawl state and articles go to
    /// PostgreSQL, which search nodes follow; there is no local index, hence no watches.
    pub fn open_shared(
        loaded: &Loaded,
        store: &newsmon_store_pg::PgStore,
    ) -> anyhow::Result<Pipeline> {
        let tagger = loaded.tagger()?;
        // Per-host delay and robots.txt are kept in the database, for every ingester.
        let fetcher = Fetcher::shared(&loaded.config.http, Arc::new(store.clone()))?;
        if !loaded.config.watches.is_empty() {
            tracing::warn!(
                "[[watch]] needs a local index; with [state] backend = \"postgres\" watches do not run in ingesters"
            );
        }
        Self::build(
            loaded,
            tagger,
            Box::new(store.clone()),
            Box::new(store.sink()),
            fetcher,
            None,
            // An ingester over PostgreSQL keeps no local index: its size metric reads 0.
            Path::new(""),
        )
    }

    fn build(
        loaded: &Loaded,
        tagger: Tagger,
        state: Box<dyn StateStore + Send>,
        writer: Box<dyn Sink + Send>,
        fetcher: Fetcher,
        watches: Option<crate::watch::Watches>,
        index_dir: &Path,
    ) -> anyhow::Result<Pipeline> {
        Ok(Pipeline {
            fetcher,
            extractor: Extractor::new(),
            tagger: Arc::new(tagger),
            state: Arc::new(Mutex::new(state)),
            writer: Arc::new(Mutex::new(writer)),
            schedule: Schedule::new(&loaded.config.schedule),
            concurrency: loaded.config.http.concurrency.max(1),
            progress: ProgressBar::hidden(),
            pending: Mutex::new(Pending::default()),
            timings: Arc::default(),
            cpu: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            ),
            watches,
            metrics: crate::metrics::Metrics::new(loaded.config.sources.len(), index_dir),
        })
    }

    /// Runs `read` on the crawl state.
    pub fn with_state<T>(&self, read: impl FnOnce(&dyn StateStore) -> T) -> T {
        read(lock(&self.state).as_ref())
    }

    /// Polls every source once, committing every `commit_every`, and once at the end.
    pub async fn ingest(
        self: &Arc<Self>,
        sources: &[SourceSpec],
        commit_every: std::time::Duration,
    ) -> anyhow::Result<Summary> {
        let mut summary = Summary::default();
        let work = stream::iter(sources.iter().cloned())
            .map(|source| {
                let pipeline = Arc::clone(self);
                async move { pipeline.poll_source(&source).await }
            })
            .buffer_unordered(self.concurrency);
        tokio::pin!(work);
        let mut ticker = tokio::time::interval(commit_every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        loop {
            tokio::select! {
                report = work.next() => match report {
                    Some(report) => {
                        summary.add(&report);
                        if self.commit_due() {
                            self.commit().await?;
                        }
                    }
                    None => break,
                },
                _ = ticker.tick() => self.commit().await?,
            }
        }
        self.commit().await?;
        summary.stage_seconds = self.timings.seconds();
        Ok(summary)
    }

    /// Whether enough work is pending to commit before the next tick.
    pub fn commit_due(&self) -> bool {
        lock(&self.pending).articles.len() >= MAX_PENDING_ARTICLES
    }

    /// Makes everything indexed so far durable and searchable, then (and only then) records
    /// it in crawl state. Does nothing when there is nothing to acknowledge.
    pub async fn commit(&self) -> anyhow::Result<()> {
        // Taken before the commit: everything taken was upserted before it, so the commit
        // holds it. Work pushed meanwhile waits for the next commit.
        let (articles, aliases, polls, dirty) = {
            let mut pending = lock(&self.pending);
            (
                std::mem::take(&mut pending.articles),
                std::mem::take(&mut pending.aliases),
                std::mem::take(&mut pending.polls),
                std::mem::replace(&mut pending.dirty, false),
            )
        };
        if articles.is_empty() && aliases.is_empty() && polls.is_empty() && !dirty {
            return Ok(());
        }
        let started = Instant::now();
        let writer = Arc::clone(&self.writer);
        let committed = tokio::task::spawn_blocking(move || lock(&writer).commit())
            .await
            .context("index commit crashed")?;
        self.metrics.committed(committed.is_ok());
        if let Err(err) = committed {
            // Put the work back: it is acknowledged by the next commit that succeeds.
            let mut pending = lock(&self.pending);
            pending.dirty = true;
            pending.articles.splice(0..0, articles);
            pending.aliases.splice(0..0, aliases);
            pending.polls.splice(0..0, polls);
            return Err(err.into());
        }
        let count = articles.len();
        // Watches (issue 6): articles whose content this commit wrote (not re-acks).
        let written: Vec<String> = articles
            .iter()
            .filter(|a| a.page.is_some())
            .map(|a| a.state.url.clone())
            .collect();
        let state = Arc::clone(&self.state);
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut state = lock(&state);
            state.mark_indexed(&articles)?;
            state.add_aliases(&aliases)?;
            for poll in &polls {
                state.record_poll(poll)?;
            }
            Ok(())
        })
        .await
        .context("crawl state update crashed")??;
        lock(&self.pending).forget_acknowledged();
        Timings::add(&self.timings.commit, started);
        tracing::info!(articles = count, "committed");
        // Watches (issue 6, crate::watch): new matches are searchable now; never fails.
        if let Some(watches) = &self.watches {
            watches.after_commit(&written);
        }
        Ok(())
    }

    /// Polls one source and indexes what is new or changed in it. Never fails: a failure is
    /// reported, counted and scheduled for a later retry.
    pub async fn poll_source(&self, source: &SourceSpec) -> SourceReport {
        let now = Utc::now();
        let previous = {
            let state = lock(&self.state);
            state.source(&source.name)
        };
        let previous = match previous {
            // A changed URL must not send the old feed's validators, nor reuse what was
            // detected or discovered there.
            Ok(Some(previous)) if previous.url == source.url.as_str() => Some(previous),
            Ok(_) => None,
            Err(err) => {
                return self.finish(
                    source,
                    previous_failures(None),
                    now,
                    Err(err.into()),
                    vec![],
                );
            }
        };
        tracing::info!(source = %source.name, url = %source.url, "polling");
        let started = Instant::now();
        let listing = self.list(source, previous.as_ref()).await;
        Timings::add(&self.timings.list, started);
        let items = match &listing {
            Ok(Listing {
                items: Some(items), ..
            }) => items.clone(),
            _ => Vec::new(),
        };
        let outcomes: Vec<ItemOutcome> = stream::iter(items)
            .map(|item| self.process_item(source, item))
            .buffer_unordered(ITEMS_IN_FLIGHT)
            .collect()
            .await;
        self.finish(
            source,
            previous_failures(previous.as_ref()),
            now,
            listing,
            outcomes,
        )
    }

    /// Counts a poll, queues its record for the next commit and reports it.
    fn finish(
        &self,
        source: &SourceSpec,
        failures_before: (u32, Validators),
        at: DateTime<Utc>,
        listing: Result<Listing, Failure>,
        outcomes: Vec<ItemOutcome>,
    ) -> SourceReport {
        let (failures_before, old_validators) = failures_before;
        let mut report = SourceReport {
            name: source.name.clone(),
            failed: false,
            not_modified: false,
            articles_new: 0,
            articles_updated: 0,
            articles_unchanged: 0,
            articles_failed: 0,
            failures: Vec::new(),
            next_due: at,
            due_reason: String::new(),
        };
        for outcome in &outcomes {
            match outcome {
                ItemOutcome::New => report.articles_new += 1,
                ItemOutcome::Updated => report.articles_updated += 1,
                ItemOutcome::Unchanged => report.articles_unchanged += 1,
                ItemOutcome::Failed(error) => {
                    report.articles_failed += 1;
                    report
                        .failures
                        .push(format!("source `{}`: {error}", source.name));
                }
            }
        }
        let mut error_class = None;
        let mut asked = Asked::default();
        let (outcome, kind, feed_url, failures) = match listing {
            Ok(listing) => {
                asked.ttl_mins = listing.ttl_mins;
                asked.lifetime = listing.lifetime;
                let outcome = match listing.items {
                    None => {
                        report.not_modified = true;
                        PollOutcome::NotModified
                    }
                    Some(items) => PollOutcome::Ok {
                        status: listing.status,
                        // With a failed article, keep the old validators: the next poll then
                        // downloads the feed again and retries it, instead of a 304 hiding it.
                        validators: if report.articles_failed == 0 {
                            listing.validators
                        } else {
                            old_validators
                        },
                        items_in_feed: items.len() as u64,
                        new_articles: report.articles_new as u64,
                        ttl_mins: listing.ttl_mins,
                        selector: source
                            .selector
                            .as_ref()
                            .filter(|_| listing.kind == SourceKind::Listing)
                            .map(|s| s.as_str().to_string()),
                    },
                };
                (
                    outcome,
                    Some(listing.kind.as_str().to_string()),
                    listing.feed_url.map(String::from),
                    0,
                )
            }
            Err(failure) => {
                tracing::warn!(source = %source.name, error = %failure.error, "source failed");
                error_class = Some(failure.class);
                asked.retry_after_secs = failure.retry_after;
                report.failed = true;
                report
                    .failures
                    .push(format!("source `{}`: {}", source.name, failure.error));
                (
                    PollOutcome::Failed {
                        status: failure.status,
                        error: failure.error,
                    },
                    None,
                    None,
                    failures_before.saturating_add(1),
                )
            }
        };
        let due = self.schedule.next_due(
            &source.name,
            source.interval_mins,
            failures,
            &asked,
            Utc::now(),
        );
        report.next_due = due.at;
        report.due_reason = due.reason.to_string();
        lock(&self.pending).polls.push(SourcePoll {
            name: source.name.clone(),
            url: source.url.to_string(),
            at,
            outcome,
            next_due: Some(report.next_due),
            due_reason: Some(report.due_reason.clone()),
            kind,
            feed_url,
        });
        self.metrics.polled(
            &source.name,
            error_class,
            [
                report.articles_new,
                report.articles_updated,
                report.articles_unchanged,
                report.articles_failed,
            ],
        );
        self.progress.inc(1);
        self.progress.set_message(source.name.clone());
        report
    }

    /// The items a source lists now, by its kind (configured, else detected before, else
    /// detected now).
    async fn list(
        &self,
        source: &SourceSpec,
        previous: Option<&SourceState>,
    ) -> Result<Listing, Failure> {
        let validators = previous.map(|p| p.validators.clone()).unwrap_or_default();
        let stored_ttl = previous.and_then(|p| p.ttl_mins);
        let known_kind = source.kind.or_else(|| {
            previous
                .and_then(|p| p.kind.as_deref())
                .and_then(SourceKind::parse)
        });
        match known_kind {
            Some(SourceKind::Feed) => {
                self.list_feed(&source.url, &validators, SourceKind::Feed, stored_ttl)
                    .await
            }
            Some(SourceKind::Site) => {
                let discovered = previous
                    .and_then(|p| p.feed_url.as_deref())
                    .and_then(|u| Url::parse(u).ok());
                if let Some(feed_url) = discovered {
                    // Poll the feed found last time; look again only if it stopped working.
                    match self
                        .list_feed(&feed_url, &validators, SourceKind::Site, stored_ttl)
                        .await
                    {
                        Ok(mut listing) => {
                            listing.feed_url = Some(feed_url);
                            return Ok(listing);
                        }
                        Err(failure) => {
                            tracing::info!(source = %source.name, error = %failure.error, "discovered feed failed; discovering again");
                        }
                    }
                }
                let page = self.fetcher.fetch_page(&source.url).await?;
                self.list_site(&page).await
            }
            Some(kind @ (SourceKind::Sitemap | SourceKind::Listing)) => {
                let validators = if validators_apply(previous, kind, source) {
                    validators
                } else {
                    Validators::default()
                };
                self.list_page_source(source, kind, validators).await
            }
            None => match self.fetcher.poll_feed(&source.url, &validators).await {
                Ok(poll) => Ok(feed_listing(
                    poll,
                    &validators,
                    SourceKind::Feed,
                    stored_ttl,
                )),
                // Not a feed: see what it is. Only a body that parsed as nothing gets here, so
                // a network failure is not tried twice.
                Err(not_feed @ newsmon_fetcher::Error::NotFeed { .. }) => {
                    let page = self.fetcher.fetch_page(&source.url).await?;
                    match sniff(&page.body) {
                        // Its validators come with the next poll, as a sitemap.
                        DocumentKind::Sitemap => {
                            self.list_sitemap(&page, Validators::default()).await
                        }
                        DocumentKind::Html => self.list_site(&page).await,
                        DocumentKind::Other => Err(not_feed.into()),
                    }
                }
                Err(err) => Err(err.into()),
            },
        }
    }

    /// A sitemap or listing page, fetched with a conditional GET from `validators`.
    async fn list_page_source(
        &self,
        source: &SourceSpec,
        kind: SourceKind,
        validators: Validators,
    ) -> Result<Listing, Failure> {
        let (page, fresh, lifetime) = match self.fetcher.poll_page(&source.url, &validators).await?
        {
            // Unchanged: nothing was downloaded, and nothing is parsed.
            PagePoll::NotModified { lifetime } => {
                return Ok(not_modified(validators, kind, lifetime));
            }
            PagePoll::Fetched {
                page,
                validators,
                lifetime,
            } => (page, validators, lifetime),
        };
        let mut listing = if kind == SourceKind::Sitemap {
            self.list_sitemap(&page, fresh).await?
        } else {
            list_page(&page, source.selector.as_ref(), fresh)?
        };
        listing.lifetime = lifetime;
        Ok(listing)
    }

    /// `stored_ttl`: the feed's `<ttl>` at its last download, which still holds after a 304.
    async fn list_feed(
        &self,
        url: &Url,
        validators: &Validators,
        kind: SourceKind,
        stored_ttl: Option<u32>,
    ) -> Result<Listing, Failure> {
        let poll = self.fetcher.poll_feed(url, validators).await?;
        Ok(feed_listing(poll, validators, kind, stored_ttl))
    }

    /// A site's page: poll the first feed it announces.
    async fn list_site(&self, page: &Page) -> Result<Listing, Failure> {
        let Some(feed_url) = discover_feeds(&page.body, &page.url).into_iter().next() else {
            return Err(Failure::new(
                "no_feed",
                Some(page.status),
                format!(
                    "{}: no feed, sitemap or <link rel=\"alternate\"> feed here; for a section \
                     page, set kind = \"listing\" and a selector",
                    page.url
                ),
            ));
        };
        tracing::info!(site = %page.url, feed = %feed_url, "discovered feed");
        let mut listing = self
            .list_feed(&feed_url, &Validators::default(), SourceKind::Site, None)
            .await?;
        listing.feed_url = Some(feed_url);
        Ok(listing)
    }

    /// A sitemap, or the newest few sitemaps of a sitemap index. `validators` are the page's,
    /// kept for a sitemap of URLs only: a 304 for an index would skip its children, which
    /// change without the index changing.
    async fn list_sitemap(&self, page: &Page, validators: Validators) -> Result<Listing, Failure> {
        let (urls, validators) = match parse_sitemap(&page.body, &page.url)? {
            Sitemap::Urls(urls) => (urls, validators),
            Sitemap::Index(mut children) => {
                children.sort_by_key(|child| std::cmp::Reverse(child.lastmod));
                let mut urls = Vec::new();
                let mut errors = Vec::new();
                for child in children.iter().take(SITEMAPS_PER_INDEX) {
                    let parsed = match self.fetcher.fetch_page(&child.loc).await {
                        Ok(child_page) => parse_sitemap(&child_page.body, &child_page.url),
                        Err(err) => Err(err),
                    };
                    match parsed {
                        Ok(Sitemap::Urls(found)) => urls.extend(found),
                        // Indexes of indexes are not allowed by the protocol; skip them.
                        Ok(Sitemap::Index(_)) => {}
                        Err(err) => errors.push(err.to_string()),
                    }
                }
                // One broken child sitemap must not hide the others; all broken is a failure.
                if urls.is_empty() && !errors.is_empty() {
                    return Err(Failure::new("sitemap", None, errors.join("; ")));
                }
                (urls, Validators::default())
            }
        };
        let items = recent_entries(
            urls,
            Utc::now(),
            chrono::Duration::days(SITEMAP_RECENT_DAYS),
            SITEMAP_ENTRIES,
        )
        .into_iter()
        .map(|entry| entry.into_item())
        .collect();
        Ok(Listing {
            items: Some(items),
            status: page.status,
            validators,
            kind: SourceKind::Sitemap,
            feed_url: None,
            ttl_mins: None,
            lifetime: None,
        })
    }

    async fn process_item(&self, source: &SourceSpec, item: FeedItem) -> ItemOutcome {
        let Some(link) = item.link.clone() else {
            let title = item.title.as_deref().unwrap_or("(untitled)");
            return ItemOutcome::Failed(format!("item `{title}` has no link"));
        };
        let link = canonicalize(&link);
        let link_key = link.to_string();
        // The same article reached through two feeds before the next commit is handled once.
        let mut in_flight = InFlight::new(&self.pending);
        if !in_flight.claim(&link_key) {
            return ItemOutcome::Unchanged;
        }
        let fingerprint = item.fingerprint();
        let known = match lock(&self.state).article(&link_key) {
            Ok(known) => known,
            Err(err) => return ItemOutcome::Failed(err.to_string()),
        };
        if known
            .as_ref()
            .is_some_and(|k| k.feed_fingerprint == fingerprint)
        {
            return ItemOutcome::Unchanged;
        }
        tracing::info!(url = %link, "fetching article");
        let started = Instant::now();
        let fetched = self.fetcher.fetch_page(&link).await;
        Timings::add(&self.timings.fetch, started);
        let page = match fetched {
            Ok(page) => page,
            Err(err) => return ItemOutcome::Failed(err.to_string()),
        };
        let extractor = self.extractor.clone();
        let page_url = page.url.clone();
        // Extraction and tagging are CPU work: keep them off the async workers.
        let extract_timings = Arc::clone(&self.timings);
        // The semaphore is never closed; should acquiring fail anyway, run unthrottled.
        let permit = self.cpu.acquire().await.ok();
        let extracted = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let mut article = extractor
                .extract(
                    &page.body,
                    Some(page.url.as_str()),
                    page.content_type.as_deref(),
                )
                .map_err(|e| e.to_string())?;
            if article.title.is_none() {
                article.title = item.title.clone();
            }
            if article.published.is_none() {
                article.published = item.published;
            }
            // Kept for a later re-extraction; compressed now, because it waits in memory until
            // the next commit. A page that cannot be compressed is indexed all the same.
            let raw = RawPage {
                url: page.url.to_string(),
                content_type: page.content_type,
                body: page.body,
            };
            let stored = CompressedPage::new(&raw).ok();
            Timings::add(&extract_timings.extract, started);
            Ok::<_, String>((article, stored))
        })
        .await;
        drop(permit);
        let (article, stored) = match extracted {
            Ok(Ok(extracted)) => extracted,
            Ok(Err(error)) => return ItemOutcome::Failed(error),
            Err(join) => return ItemOutcome::Failed(format!("{link}: extraction crashed: {join}")),
        };
        let key = document_key(article.canonical_url.as_deref(), &link, &page_url);
        let key_text = key.to_string();
        // Reached under another URL: the article may be known, or handled already, by its key.
        let known = if key == link {
            known
        } else {
            if !in_flight.claim(&key_text) {
                // Handled through another URL since the last commit: remember this URL too,
                // so that it is not fetched again next time.
                lock(&self.pending).aliases.push((link_key, key_text));
                return ItemOutcome::Unchanged;
            }
            match lock(&self.state).article(&key_text) {
                Ok(by_key) => by_key.or(known),
                Err(err) => return ItemOutcome::Failed(err.to_string()),
            }
        };
        let mut links = vec![link_key];
        if page_url != link {
            links.push(canonicalize(&page_url).to_string());
        }
        let content_hash = content_hash(article.title.as_deref(), &article.text);
        let ack = |content_hash: String, page: Option<CompressedPage>| IndexedArticle {
            state: ArticleState {
                url: key_text.clone(),
                source: source.name.clone(),
                feed_fingerprint: fingerprint.clone(),
                content_hash,
                indexed_at: Utc::now(),
            },
            links: links.clone(),
            page,
        };
        if known.as_ref().map(|k| k.content_hash.as_str()) == Some(content_hash.as_str()) {
            // Unchanged content is not rewritten; the new fingerprint and URLs are still
            // recorded, so that this item is not fetched again at every poll.
            lock(&self.pending).articles.push(ack(content_hash, None));
            return ItemOutcome::Unchanged;
        }
        let is_update = known.is_some();
        let indexed = self
            .tag_and_index(
                key_text.clone(),
                source.name.clone(),
                article,
                content_hash.clone(),
            )
            .await;
        match indexed {
            Ok(()) => {
                let mut pending = lock(&self.pending);
                pending.dirty = true;
                pending.articles.push(ack(content_hash, stored));
            }
            Err(error) => return ItemOutcome::Failed(error),
        }
        if is_update {
            ItemOutcome::Updated
        } else {
            ItemOutcome::New
        }
    }
}

impl Pipeline {
    /// Tags an article and adds it to the index writer under `url` (not yet committed).
    async fn tag_and_index(
        &self,
        url: String,
        source_name: String,
        tagger_article: newsmon_extractor::Article,
        hash: String,
    ) -> Result<(), String> {
        let tagger = Arc::clone(&self.tagger);
        let writer = Arc::clone(&self.writer);
        let timings = Arc::clone(&self.timings);
        let link = url.clone();
        let permit = self.cpu.acquire().await.ok();
        let indexed = tokio::task::spawn_blocking(move || -> Result<(), String> {
            let started = Instant::now();
            let tagging = tagger.tag_article(&tagger_article);
            Timings::add(&timings.tag, started);
            let document = Document {
                url,
                source: source_name,
                article: tagger_article,
                mentions: tagging.mentions,
                amounts: tagging.amounts,
                fetched: Utc::now(),
                content_hash: hash,
            };
            let started = Instant::now();
            let upserted = lock(&writer).upsert(&document).map_err(|e| e.to_string());
            Timings::add(&timings.index, started);
            upserted
        })
        .await;
        drop(permit);
        indexed.unwrap_or_else(|join| Err(format!("{link}: indexing crashed: {join}")))
    }
}

fn feed_listing(
    poll: FeedPoll,
    sent: &Validators,
    kind: SourceKind,
    stored_ttl: Option<u32>,
) -> Listing {
    match poll {
        FeedPoll::NotModified { lifetime } => Listing {
            ttl_mins: stored_ttl,
            ..not_modified(sent.clone(), kind, lifetime)
        },
        FeedPoll::Fetched {
            feed,
            validators,
            status,
            lifetime,
        } => Listing {
            items: Some(feed.items),
            status,
            validators,
            kind,
            feed_url: None,
            ttl_mins: feed.ttl_mins,
            lifetime,
        },
    }
}

/// Whether the validators stored for a source are this page's, as `kind` parses it: polled as
/// the same kind (a site's are its discovered feed's), and for a listing with the same selector
/// (a 304 would hide a changed one).
fn validators_apply(previous: Option<&SourceState>, kind: SourceKind, source: &SourceSpec) -> bool {
    let Some(previous) = previous else {
        return false;
    };
    previous.kind.as_deref() == Some(kind.as_str())
        && (kind != SourceKind::Listing
            || previous.selector.as_deref() == source.selector.as_ref().map(|s| s.as_str()))
}

/// A 304: nothing to list, and the validators sent stay valid.
fn not_modified(sent: Validators, kind: SourceKind, lifetime: Option<Lifetime>) -> Listing {
    Listing {
        items: None,
        status: 304,
        validators: sent,
        kind,
        feed_url: None,
        ttl_mins: None,
        lifetime,
    }
}

/// The items of a listing page, downloaded with `validators`.
fn list_page(
    page: &Page,
    selector: Option<&ListingSelector>,
    validators: Validators,
) -> Result<Listing, Failure> {
    let Some(selector) = selector else {
        return Err(Failure::new(
            "selector",
            None,
            format!("{}: a listing source needs a `selector`", page.url),
        ));
    };
    let items = parse_listing(&page.body, &page.url, selector);
    if items.is_empty() {
        // A redesign that breaks the selector must show up as a failing source, not as a
        // quiet one.
        return Err(Failure::new(
            "selector",
            Some(page.status),
            format!(
                "{}: selector `{}` matches no article link",
                page.url,
                selector.as_str()
            ),
        ));
    }
    Ok(Listing {
        items: Some(items),
        status: page.status,
        validators,
        kind: SourceKind::Listing,
        feed_url: None,
        ttl_mins: None,
        lifetime: None,
    })
}

/// The URL an article is indexed under: the page's own `rel=canonical` when it is an http(s)
/// URL on the same site as the link or the fetched page (a cross-site canonical is a
/// syndication claim newsmon cannot check, and would let one site overwrite another's
/// article), else the link. Either way canonicalised.
pub fn document_key(canonical: Option<&str>, link: &Url, fetched: &Url) -> Url {
    canonical
        .and_then(|c| fetched.join(c.trim()).ok())
        .filter(|c| matches!(c.scheme(), "http" | "https"))
        .filter(|c| same_site(c, link) || same_site(c, fetched))
        .map(|c| canonicalize(&c))
        .unwrap_or_else(|| canonicalize(link))
}

fn previous_failures(previous: Option<&SourceState>) -> (u32, Validators) {
    previous.map_or((0, Validators::default()), |p| {
        (p.consecutive_failures, p.validators.clone())
    })
}

impl crate::metrics::Source for Pipeline {
    fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    fn stage_seconds(&self) -> StageSeconds {
        self.timings.seconds()
    }
}

/// A short name for the kind of a fetch error, a label of the `sources_failing` metric.
fn error_class(err: &newsmon_fetcher::Error) -> &'static str {
    use newsmon_fetcher::Error as E;
    match err {
        E::Status { status: 429, .. } => "http_429",
        E::Status { status, .. } if *status >= 500 => "http_5xx",
        E::Status { .. } => "http_4xx",
        E::Blocked { .. } => "blocked",
        E::Robots { .. } => "robots",
        E::Stalled { .. } | E::Timeout { .. } => "timeout",
        E::Connect { .. } => "connect",
        E::TooLarge { .. } | E::Empty { .. } => "body",
        E::TooManyRedirects { .. } => "redirects",
        E::NotFeed { .. } => "parse",
        E::State { .. } => "state",
        _ => "other",
    }
}

/// The `Retry-After` a 429 ("too many requests") or 503 ("unavailable") answer carried: the two
/// answers where it says when the server wants to be asked again (RFC 9110 §10.2.3).
fn retry_after(err: &newsmon_fetcher::Error) -> Option<u64> {
    match err {
        newsmon_fetcher::Error::Status {
            status: 429 | 503,
            retry_after,
            ..
        } => *retry_after,
        _ => None,
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

/// Lets the polls in flight finish within `grace`, handing each result to `done`; what is
/// left then is abandoned (and fetched again next time, since nothing of it was
/// acknowledged). Shared by the scheduler's shutdown over SQLite and over PostgreSQL.
pub async fn drain_within<T: 'static>(
    in_flight: &mut tokio::task::JoinSet<T>,
    grace: std::time::Duration,
    mut done: impl FnMut(T),
) {
    let deadline = tokio::time::sleep(grace);
    tokio::pin!(deadline);
    while !in_flight.is_empty() {
        tokio::select! {
            Some(finished) = in_flight.join_next() => {
                if let Ok(result) = finished {
                    done(result);
                }
            }
            _ = &mut deadline => {
                tracing::warn!(abandoned = in_flight.len(), "grace period over; abandoning fetches");
                in_flight.abort_all();
                while in_flight.join_next().await.is_some() {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_forgets_only_what_it_acknowledged() {
        let pending = Mutex::new(Pending::default());
        let mut done = InFlight::new(&pending);
        assert!(done.claim("https://a.example/done"));
        let mut running = InFlight::new(&pending);
        assert!(running.claim("https://a.example/running"));
        assert!(running.claim("https://a.example/running-key"));
        let mut waiting = InFlight::new(&pending);
        assert!(waiting.claim("https://a.example/waiting"));
        assert!(
            !InFlight::new(&pending).claim("https://a.example/running"),
            "a second feed's copy is not handled twice"
        );
        drop(done);
        drop(waiting);
        // Indexed while the commit ran: acknowledged by the next one.
        lock(&pending).articles.push(IndexedArticle {
            state: ArticleState {
                url: "https://a.example/waiting".into(),
                source: "a".into(),
                feed_fingerprint: String::new(),
                content_hash: String::new(),
                indexed_at: Utc::now(),
            },
            links: vec!["https://a.example/waiting".into()],
            page: None,
        });
        lock(&pending).forget_acknowledged();
        let mut seen: Vec<String> = lock(&pending).seen.iter().cloned().collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                "https://a.example/running",
                "https://a.example/running-key",
                "https://a.example/waiting"
            ]
        );
        drop(running);
        assert!(lock(&pending).in_flight.is_empty(), "released when done");
        lock(&pending).articles.clear();
        lock(&pending).forget_acknowledged();
        assert!(lock(&pending).seen.is_empty());
        assert!(
            InFlight::new(&pending).claim("https://a.example/done"),
            "fetched again at the next poll"
        );
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn the_document_key_is_a_same_site_canonical_else_the_link() {
        let link = url("https://news.example/a?utm_source=rss&from=rss");
        let fetched = url("https://www.news.example/a?from=rss");
        for (canonical, want) in [
            (Some("https://news.example/a"), "https://news.example/a"),
            (Some("/a#top"), "https://www.news.example/a"),
            (
                Some("https://WWW.news.example/a"),
                "https://www.news.example/a",
            ),
            (
                Some("https://aggregator.example/a"),
                "https://news.example/a?from=rss",
            ),
            (
                Some("ftp://news.example/a"),
                "https://news.example/a?from=rss",
            ),
            (Some("http://[::1"), "https://news.example/a?from=rss"),
            (None, "https://news.example/a?from=rss"),
        ] {
            assert_eq!(
                document_key(canonical, &link, &fetched).as_str(),
                want,
                "{canonical:?}"
            );
        }
    }
}
