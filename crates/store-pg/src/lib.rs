//! PostgreSQL as newsmon's shared system of record (issue 11).
//!
//! With `[state] backend = "postgres"`, any number of ingesters (`newsmon run`, `newsmon
//! ingest`) on any hosts share one database, and search nodes (`newsmon follow`) build
//! their own tantivy index from it:
//!
//! - [`PgStore`] implements the fetcher's [`StateStore`](newsmon_fetcher::StateStore): source
//!   state, articles by URL and alias, raw pages. Sources are [leased](PgStore::lease)
//!   (`FOR UPDATE SKIP LOCKED`, an owner and an expiry) so that each is polled by one
//!   ingester at a time, and a dead ingester's sources are taken over when its leases lapse.
//! - [`PgSink`] is an ingester's index sink: documents are written to the article log in the
//!   transaction that records them as done, with a sequence number that only grows and a
//!   syndication cluster assigned there, in log order, whichever ingester wrote them.
//! - [`PgStore::read_log`] gives a search node what to apply after the last sequence it
//!   applied.
//! - [`PgStore`] is also the fetcher's [`HostLedger`](newsmon_fetcher::HostLedger): per-host
//!   delay and robots.txt held for every ingester, not for each alone.
//! - Schema migrations are versioned and append-only ([`PgStore::migrate`]); an operation
//!   that loses its connection (a server restart) retries with backoff for `retry_secs`.
//!
//! Not here: the tantivy side of a search node (crates/index) and the scheduler (the CLI).

#![deny(missing_docs)]

mod config;
mod db;
mod error;
mod hosts;
mod log;
mod schema;
mod store;
mod window;

pub use config::{Backend, DATABASE_URL_ENV, StateConfig};
pub use error::{Error, Result};
pub use log::LogEntry;
pub use store::{Due, Lease, Migration, PgSink, PgStore, Status};

#[cfg(test)]
mod tests;
