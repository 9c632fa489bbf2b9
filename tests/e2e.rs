//! End-to-end tests: the real `newsmon` binary against a fixture news site served on
//! loopback, with a real index and crawl state in a temporary directory.
//!
//! - `util`: the fixture server, a temporary workspace, and a wrapper over the binary.
//! - `ingest`: a full pass over several outlets' feeds; search by words and by tags;
//!   decoys stay untagged; a second pass adds and duplicates nothing.
//! - `failures`: unreachable, malformed and partial feeds, missing pages, bad configs,
//!   bad taxonomies, bad queries, a locked index: one clear line, the right exit status.
//! - `tag`: `newsmon tag` on files, standard input and URLs.

// Test helpers panic on purpose: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod failures;
mod ingest;
mod tag;
mod util;
