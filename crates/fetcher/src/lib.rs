//! Polls feeds, fetches pages and remembers what was seen.
//!
//! - [`Fetcher`] talks HTTP under the limits of an [`HttpConfig`]: user agent, connect and total
//!   timeouts, a redirect limit, gzip/brotli/deflate, a body-size cap enforced while streaming,
//!   a global concurrency limit, and conditional GET for feeds ([`Fetcher::poll_feed`] with
//!   [`Validators`]).
//! - [`parse_feed`] turns RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into [`FeedItem`]s with
//!   stable ids, absolute canonical links and plain-text titles and summaries.
//! - [`canonicalize`] gives the URL under which an article is deduplicated.
//! - [`StateStore`], implemented by [`SqliteState`], keeps per-source poll results and the
//!   articles already indexed.
//!
//! ```
//! use newsmon_fetcher::{canonicalize, parse_feed};
//! use url::Url;
//!
//! let feed_url = Url::parse("https://example.com/news/feed.xml")?;
//! let body = br#"<rss version="2.0"><channel><title>News</title>
//!     <item><title>Rates &amp;amp; banks</title><link>/news/1?utm_source=rss</link></item>
//! </channel></rss>"#;
//! let feed = parse_feed(body, &feed_url)?;
//! let item = &feed.items[0];
//! assert_eq!(item.title.as_deref(), Some("Rates & banks"));
//! assert_eq!(item.link.as_ref().map(Url::as_str), Some("https://example.com/news/1"));
//! assert_eq!(Some(&canonicalize(&Url::parse("https://example.com/news/1#top")?)), item.link.as_ref());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Not here: HTML extraction and the search index (other crates), and, for now, robots.txt,
//! retries and backoff, per-host politeness, a private-network guard and charset sniffing of
//! pages ([`Page::body`] is the raw bytes).

#![deny(missing_docs)]

pub use canonical::canonicalize;
pub use client::{FeedPoll, Fetcher, Page, Validators};
pub use config::HttpConfig;
pub use error::{Error, Result};
pub use feed::{Feed, FeedItem, parse_feed};
pub use state::{ArticleState, PollOutcome, SourcePoll, SourceState, SqliteState, StateStore};

mod canonical;
mod client;
mod config;
mod error;
mod feed;
mod repair;
mod state;
mod text;
