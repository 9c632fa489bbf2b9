//! `newsmon reindex`: extract and tag every stored page again, with the current extractor
//! and taxonomy, without the network; the new index replaces the old one atomically.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Utc;
use newsmon_extractor::{Article, Extractor};
use newsmon_fetcher::{SqliteState, StateStore};
use newsmon_index::{Document, Index, Rebuild, Sink};
use serde::Serialize;

use super::Format;
use crate::config;
use crate::output::{print, print_json};
use crate::paths::Paths;
use crate::pipeline::{STATE_FILE, TANTIVY_DIR, content_hash};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon reindex
  newsmon --index /var/lib/newsmon/index reindex --format json")]
pub struct Cmd {
    /// Summary format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    /// Articles in the new index.
    articles: usize,
    /// Extracted again from their stored page.
    from_pages: usize,
    /// No stored page (indexed before pages were kept): their indexed text tagged again.
    from_text: usize,
    /// Stored page that no longer extracts: their indexed text tagged again.
    failed_pages: usize,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load(paths)?;
    // Over PostgreSQL (issue 11): from its raw pages, into its log; search nodes follow.
    if let Some(store) = crate::shared::open_store(&loaded)? {
        let summary = reindex_shared(&loaded, store)?;
        report(&summary, cmd.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let index_dir = paths.index.as_path();
    let tagger = loaded.tagger()?;
    let live = index_dir.join(TANTIVY_DIR);
    // Taken first, held to the end: no ingest writes to the old index meanwhile.
    let rebuild = Rebuild::start(&live)?;
    let state = SqliteState::open(&index_dir.join(STATE_FILE))?;
    let extractor = Extractor::new();
    let index = Index::open_or_create(rebuild.next_dir())?;
    let mut writer = index.writer(loaded.config.index.writer_memory_bytes())?;
    let mut summary = Summary::default();
    for old in rebuild.documents()? {
        let old = old?;
        let stored_page = state.page(&old.url)?;
        let extracted = stored_page.as_ref().map(|page| {
            extractor.extract(&page.body, Some(&page.url), page.content_type.as_deref())
        });
        let mut article = match extracted {
            Some(Ok(article)) => {
                summary.from_pages += 1;
                article
            }
            other => {
                if let Some(Err(err)) = other {
                    tracing::warn!(url = %old.url, error = %err, "stored page no longer extracts; tagging the indexed text");
                    summary.failed_pages += 1;
                } else {
                    summary.from_text += 1;
                }
                Article {
                    title: old.title.clone(),
                    byline: old.byline.clone(),
                    published: old.published,
                    language: old.language.clone(),
                    text: old.text.clone(),
                    ..Article::default()
                }
            }
        };
        // What the feed said fills in what the page lacks, as at ingest.
        if article.title.is_none() {
            article.title = old.title.clone();
        }
        if article.published.is_none() {
            article.published = old.published;
        }
        let tagging = tagger.tag_article(&article);
        let hash = content_hash(article.title.as_deref(), &article.text);
        writer.upsert(&Document {
            url: old.url.clone(),
            source: old.source.clone(),
            article,
            mentions: tagging.mentions,
            amounts: tagging.amounts,
            fetched: old.fetched.unwrap_or_else(Utc::now),
            content_hash: hash,
        })?;
        summary.articles += 1;
    }
    writer.commit()?;
    drop(writer);
    rebuild
        .swap()
        .with_context(|| format!("{}: cannot swap in the new index", live.display()))?;
    report(&summary, cmd.format)?;
    Ok(ExitCode::SUCCESS)
}

fn report(summary: &Summary, format: Format) -> Result<()> {
    match format {
        Format::Json => print_json(summary)?,
        Format::Table => print(&format!(
            "reindexed {} articles: {} from stored pages, {} from indexed text ({} pages failed to extract)",
            summary.articles,
            summary.from_pages,
            summary.from_text + summary.failed_pages,
            summary.failed_pages
        ))?,
    }
    Ok(())
}

/// Articles written to the shared log per transaction.
const SHARED_BATCH: usize = 200;

/// Extracts and tags every raw page stored in PostgreSQL again and writes each article
/// back to the log (a new sequence number), so that every search node applies it.
fn reindex_shared(
    loaded: &config::Loaded,
    mut store: newsmon_store_pg::PgStore,
) -> Result<Summary> {
    let tagger = loaded.tagger()?;
    let extractor = Extractor::new();
    let mut sink = store.sink();
    let mut summary = Summary::default();
    let mut batch = Vec::new();
    for url in store.page_urls()? {
        let (Some(page), Some(state), Some(old)) = (
            store.page(&url)?,
            store.article(&url)?,
            store.document(&url)?,
        ) else {
            continue;
        };
        let old = old.document;
        let mut article = match extractor.extract(
            &page.body,
            Some(&page.url),
            page.content_type.as_deref(),
        ) {
            Ok(article) => {
                summary.from_pages += 1;
                article
            }
            Err(err) => {
                tracing::warn!(url = %url, error = %err, "stored page no longer extracts; tagging the stored text");
                summary.failed_pages += 1;
                old.article.clone()
            }
        };
        if article.title.is_none() {
            article.title = old.article.title.clone();
        }
        if article.published.is_none() {
            article.published = old.article.published;
        }
        let tagging = tagger.tag_article(&article);
        let hash = content_hash(article.title.as_deref(), &article.text);
        sink.upsert(&Document {
            url: url.clone(),
            source: old.source.clone(),
            article,
            mentions: tagging.mentions,
            amounts: tagging.amounts,
            fetched: old.fetched,
            content_hash: hash.clone(),
        })?;
        batch.push(newsmon_fetcher::IndexedArticle {
            state: newsmon_fetcher::ArticleState {
                content_hash: hash,
                indexed_at: Utc::now(),
                ..state
            },
            links: Vec::new(),
            page: None,
        });
        summary.articles += 1;
        if batch.len() >= SHARED_BATCH {
            store.mark_indexed(&std::mem::take(&mut batch))?;
        }
    }
    store.mark_indexed(&batch)?;
    Ok(summary)
}
