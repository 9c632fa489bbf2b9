//! The `[http]` table of `config/newsmon.toml`.

use serde::Deserialize;

/// How newsmon talks HTTP: identity, time and size limits, and concurrency.
///
/// Every key is optional; a missing key takes the default shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// The `User-Agent` header sent with every request. Say who you are and how to reach you:
    /// some publishers block anonymous crawlers.
    ///
    /// Default: `"newsmon/0.1 (+https://github.com/newsmon/newsmon)"`.
    pub user_agent: String,
    /// The longest a whole request may take, from connecting to the last byte of the body, in
    /// seconds. Must be at least 1.
    ///
    /// Default: `30`.
    pub timeout_secs: u64,
    /// The longest connecting (TCP and TLS) may take, in seconds. Must be at least 1.
    ///
    /// Default: `10`.
    pub connect_timeout_secs: u64,
    /// The largest response body accepted, in bytes, counted after decompression so that a small
    /// gzip bomb cannot exhaust memory. Larger bodies fail with "response body exceeds N bytes".
    ///
    /// Default: `10485760` (10 MiB).
    pub max_body_bytes: u64,
    /// How many redirects to follow before giving up. `0` refuses every redirect.
    ///
    /// Default: `5`.
    pub max_redirects: usize,
    /// The most requests in flight at once, over all hosts. Must be at least 1.
    ///
    /// Default: `8`.
    pub concurrency: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            user_agent: default_user_agent(),
            timeout_secs: default_timeout_secs(),
            connect_timeout_secs: default_connect_timeout_secs(),
            max_body_bytes: default_max_body_bytes(),
            max_redirects: default_max_redirects(),
            concurrency: default_concurrency(),
        }
    }
}

fn default_user_agent() -> String {
    "newsmon/0.1 (+https://github.com/newsmon/newsmon)".to_string()
}

fn default_timeout_secs() -> u64 {
    30
}

fn default_connect_timeout_secs() -> u64 {
    10
}

fn default_max_body_bytes() -> u64 {
    10 * 1024 * 1024
}

fn default_max_redirects() -> usize {
    5
}

fn default_concurrency() -> usize {
    8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_table_gives_the_defaults() {
        let config: HttpConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(config, HttpConfig::default());
        assert_eq!(config.max_body_bytes, 10_485_760);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = serde_json::from_str::<HttpConfig>(r#"{"timeout": 5}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `timeout`"), "{err}");
    }

    #[test]
    fn partial_table_keeps_other_defaults() {
        let config: HttpConfig = serde_json::from_str(r#"{"concurrency": 2}"#).unwrap();
        assert_eq!(config.concurrency, 2);
        assert_eq!(config.timeout_secs, 30);
    }
}
