//! Polls feeds, fetches pages and remembers what was seen.
//!
//! - [`Fetcher`] talks HTTP under the limits of an [`HttpConfig`]: user agent, connect, read and
//!   total timeouts, a redirect limit, gzip/brotli/deflate, a body-size cap enforced while
//!   streaming, retries with backoff (5xx, 429 and `Retry-After`, network errors), robots.txt
//!   (RFC 9309), per-host and global concurrency limits and a per-host delay, a private-network
//!   guard on resolved addresses and redirects, and conditional GET for feeds, sitemaps and
//!   listing pages ([`Fetcher::poll_feed`] and [`Fetcher::poll_page`] with [`Validators`]; a
//!   feed is decoded by the HTTP charset). Polls carry the response's freshness [`Lifetime`]
//!   (`Cache-Control: max-age`, `Expires`), failures a `Retry-After`, for the scheduler.
//! - [`parse_feed`] turns RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into [`FeedItem`]s with
//!   stable ids, absolute canonical links and plain-text titles and summaries.
//! - Sources without a feed: [`discover_feeds`] reads a site's `<link rel="alternate">` feeds,
//!   [`parse_sitemap`] reads sitemaps, sitemap indexes and Google News sitemaps, and
//!   [`parse_listing`] picks article links out of a section page with a [`ListingSelector`];
//!   [`sniff`] tells a sitemap from a page when the configuration does not say.
//! - [`HostLedger`] lets several processes share per-host politeness (the delay between
//!   requests to a host, the requests in flight to it, and its robots.txt), through
//!   [`Fetcher::shared`].
//! - [`canonicalize`] gives the URL under which an article is deduplicated.
//! - [`StateStore`], implemented by [`SqliteState`], keeps per-source poll results and schedule,
//!   the articles already indexed with every URL that led to them, and their raw pages
//!   (compressed), so that they can be extracted again without the network.
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
//! Not here: HTML extraction and the search index (other crates), and charset sniffing of
//! pages ([`Page::body`] is the raw bytes; the extractor decodes it).

#![deny(missing_docs)]

pub use canonical::canonicalize;
pub use client::{FeedPoll, Fetcher, Page, PagePoll, Validators};
pub use config::HttpConfig;
pub use discover::{DocumentKind, discover_feeds, sniff};
pub use error::{Error, Result};
pub use feed::{Feed, FeedItem, parse_feed};
pub use freshness::{Lifetime, LifetimeSource};
pub use listing::{ListingSelector, parse_listing, same_site};
pub use shared::{BoxFuture, HeldSlot, HostLedger, RobotsLookup, SharedResult, SharedRobots};
pub use sitemap::{NewsEntry, Sitemap, SitemapRef, SitemapUrl, parse_sitemap, recent_entries};
pub use state::{
    ArticleState, CompressedPage, IndexedArticle, PollOutcome, RawPage, SourcePoll, SourceState,
    SqliteState, StateStore,
};

mod canonical;
mod client;
mod config;
mod dates;
mod discover;
mod error;
mod feed;
mod freshness;
mod guard;
mod listing;
mod politeness;
mod repair;
mod retry;
mod robots;
mod shared;
mod sitemap;
mod state;
mod text;
