//! The search index: a tantivy index on disk holding one document per article.
//!
//! - [`Index`] opens or creates the index in a directory and checks that it was built
//!   with this version of the schema.
//! - [`Writer`] is the single writer: [`Sink::upsert`] replaces any document with the
//!   same canonical URL, and nothing is visible to searches before [`Sink::commit`].
//! - [`Index::search`] answers a [`SearchRequest`] (a query in tantivy's query language,
//!   with newsmon's field names, plus filters, an order and collapsing of copies) with
//!   [`SearchResults`] ready to print; [`Index::stats`] counts by tag, source, language
//!   and date with tantivy's collectors; [`Index::funding`] groups reported amounts;
//!   [`Index::article`] and [`Index::export`] read whole articles back.
//! - [`Rebuild`] builds a new index beside the live one and swaps it in atomically.
//!
//! ```
//! use newsmon_extractor::Article;
//! use newsmon_index::{Document, Index, SearchRequest, Sink};
//!
//! let dir = tempfile::tempdir()?;
//! let index = Index::open_or_create(dir.path())?;
//! let mut writer = index.writer(50_000_000)?;
//! writer.upsert(&Document {
//!     url: "https://example.com/a".into(),
//!     source: "Example".into(),
//!     article: Article { title: Some("Paris summit".into()), text: "Leaders met in Paris.".into(), ..Article::default() },
//!     mentions: vec![],
//!     amounts: vec![],
//!     fetched: chrono::Utc::now(),
//!     content_hash: "h".into(),
//! })?;
//! writer.commit()?;
//! let results = index.search(&SearchRequest { query: "paris".into(), ..SearchRequest::default() })?;
//! assert_eq!(results.total, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod config;
mod document;
mod error;
mod query;
mod rebuild;
mod schema;
mod search;
mod stats;
mod stored;
mod writer;

pub use config::IndexConfig;
pub use document::{Document, document_id};
pub use error::{Error, Result};
pub use query::validate_query;
pub use rebuild::{OldDocument, OldDocuments, Rebuild};
pub use schema::{Index, SCHEMA_VERSION};
pub use search::{Hit, SearchRequest, SearchResults, Sort};
pub use stats::{DateCount, FundingGroup, Interval, KindCount, NameCount, Stats, StatsRequest};
pub use stored::{Export, StoredArticle};
pub use writer::{Sink, Writer};

#[cfg(test)]
mod analysis_tests;
#[cfg(test)]
mod tests;
