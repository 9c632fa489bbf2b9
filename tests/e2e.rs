//! End-to-end tests: the real `newsmon` binary against a fixture news site served on
//! loopback, with a real index and crawl state in a temporary directory.
//!
//! - `util`: the fixture server, a temporary workspace, and a wrapper over the binary.
//! - `ingest`: a full pass over several outlets' feeds; search by words and by tags;
//!   decoys stay untagged; a second pass adds and duplicates nothing.
//! - `failures`: unreachable, malformed and partial feeds, missing pages, bad configs,
//!   bad taxonomies, bad queries, a locked index: one clear line, the right exit status.
//! - `tag`: `newsmon tag` on files, standard input and URLs.
//! - `due`: a feed's `<ttl>`, `Cache-Control: max-age` and `Retry-After` move a source's next
//!   poll within the ceiling, and `sources` says why; sitemaps and listing pages answer 304.
//! - `run`: the scheduler: commits while running, holds the writer lock against `ingest` and
//!   `run`, stops on SIGTERM/SIGINT within the grace period; backoff; `newsmon sources`.
//! - `sources`: site feed discovery, news sitemaps, listing pages; one article through several
//!   URLs is one document; edited articles are indexed again, unchanged ones are not;
//!   `reindex` rebuilds from the stored raw pages without the network.
//! - `search`: the query language and its errors, filters, orders, formats, `show`, `stats`,
//!   `funding`, `export`; `reindex` migrates an old index and swaps atomically.
//! - `watch`: saved queries notify new matches once, on stdout, a JSONL file and a webhook.
//! - `crash`: kill -9 mid-ingest, ingest again: nothing lost, nothing duplicated.
//! - `shared`: several ingesters and search nodes over one PostgreSQL database (needs
//!   `NEWSMON_TEST_DATABASE_URL`, else says it skipped): leases, kill -9 takeover, lost
//!   connections, followers that catch up and agree; `db migrate|status` and its errors.
//! - `config`: look-up through `$NEWSMON_CONFIG` and the XDG dirs, a config of sources only
//!   with the embedded taxonomy, `init`, completions and the man page.
//! - `operate`: `/metrics` and `/health` of `run`; webhooks delivered at least once through
//!   a receiver that is down while newsmon is killed and restarted.

// Test helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod config;
mod crash;
mod due;
mod failures;
mod ingest;
mod operate;
mod run;
mod search;
mod shared;
mod sources;
mod tag;
mod util;
mod watch;
