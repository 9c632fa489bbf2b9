//! The `[state]` table: where crawl state lives.

use serde::Deserialize;

/// The environment variable that supplies the database URL, so that no password need sit in
/// the configuration file. It wins over `url`.
pub const DATABASE_URL_ENV: &str = "NEWSMON_DATABASE_URL";

/// Which store keeps crawl state (and, for PostgreSQL, the articles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// `index/crawl.sqlite` beside a local tantivy index: one host, no server (the default).
    #[default]
    Sqlite,
    /// A shared PostgreSQL database: several ingesters and search nodes.
    Postgres,
}

/// The `[state]` configuration table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateConfig {
    /// `sqlite` (default) or `postgres`.
    #[serde(default)]
    pub backend: Backend,
    /// `postgres://user[:password]@host[:port]/database` (also key=value form);
    /// [`DATABASE_URL_ENV`] overrides it.
    #[serde(default)]
    pub url: Option<String>,
    /// How long a source lease lasts without renewal: a dead ingester's sources are taken
    /// over this long after it stopped renewing.
    #[serde(default = "default_lease_secs")]
    pub lease_secs: u64,
    /// How long an operation keeps retrying, with backoff, while PostgreSQL is unreachable
    /// (a restart, a failover) before it fails.
    #[serde(default = "default_retry_secs")]
    pub retry_secs: u64,
    /// Connections in this process's pool.
    #[serde(default = "default_pool_size")]
    pub pool_size: usize,
    /// The name this process holds leases under; default `host:pid`.
    #[serde(default)]
    pub owner: Option<String>,
}

fn default_lease_secs() -> u64 {
    120
}

fn default_retry_secs() -> u64 {
    300
}

fn default_pool_size() -> usize {
    8
}

impl Default for StateConfig {
    fn default() -> Self {
        StateConfig {
            backend: Backend::default(),
            url: None,
            lease_secs: default_lease_secs(),
            retry_secs: default_retry_secs(),
            pool_size: default_pool_size(),
            owner: None,
        }
    }
}

impl StateConfig {
    /// The database URL: [`DATABASE_URL_ENV`] when set, else `url`.
    pub fn database_url(&self) -> Option<String> {
        std::env::var(DATABASE_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .or_else(|| self.url.clone())
    }

    /// The lease owner's name: configured, else `host:pid`.
    pub fn owner_name(&self) -> String {
        self.owner.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .or_else(|| std::env::var("HOSTNAME").ok())
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into());
            format!("{host}:{}", std::process::id())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_defaults_to_sqlite_and_reads_postgres() {
        let config: StateConfig = toml_like("");
        assert_eq!(config, StateConfig::default());
        assert_eq!(config.backend, Backend::Sqlite);
        let config: StateConfig =
            toml_like(r#"{"backend": "postgres", "url": "postgres://h/db", "lease_secs": 5}"#);
        assert_eq!(config.backend, Backend::Postgres);
        assert_eq!(config.lease_secs, 5);
        assert!(serde_json::from_str::<StateConfig>(r#"{"backend": "mysql"}"#).is_err());
        assert!(serde_json::from_str::<StateConfig>(r#"{"lease": 5}"#).is_err());
    }

    fn toml_like(json: &str) -> StateConfig {
        serde_json::from_str(if json.is_empty() { "{}" } else { json }).unwrap()
    }
}
