//! The `[http]` table of `config/newsmon.toml`.

use serde::Deserialize;

/// How newsmon talks HTTP: identity, time and size limits, retries, politeness and the
/// private-network guard.
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
    /// The longest the server may stay silent while the response is being read (headers or
    /// any part of the body), in seconds: a stalled server fails fast even when the whole
    /// request would still have time. Must be at least 1.
    ///
    /// Default: `15`.
    pub read_timeout_secs: u64,
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
    /// The most requests in flight at once to one host. Must be at least 1.
    ///
    /// Default: `2`.
    pub per_host_concurrency: usize,
    /// The least time between the starts of two requests to one host, in milliseconds. A
    /// `Crawl-delay` in the host's robots.txt raises it (up to 60 seconds). `0` turns
    /// the delay off.
    ///
    /// Default: `1000`.
    pub per_host_delay_ms: u64,
    /// How many times a request is tried again after a network error, a timeout, a 5xx or a
    /// 429 answer. Other 4xx answers are never retried. `0` turns retries off.
    ///
    /// Default: `2`.
    pub retries: u32,
    /// The first retry waits about this long, in milliseconds; each later one twice as long,
    /// with random jitter, up to `retry_max_secs`. A `Retry-After` header replaces the
    /// computed wait.
    ///
    /// Default: `500`.
    pub retry_base_ms: u64,
    /// The longest wait before a retry, in seconds. A `Retry-After` asking for longer is not
    /// waited for: the request fails at once with the server's status. Must be at least 1.
    ///
    /// Default: `30`.
    pub retry_max_secs: u64,
    /// Allow requests to loopback, private (RFC 1918), link-local, unique-local, CGNAT and
    /// cloud-metadata addresses. Off, every address a host name resolves to, and every
    /// redirect target, is checked, so that a feed cannot make newsmon reach into the network
    /// it runs in (SSRF). Turn on for intranet feeds.
    ///
    /// Default: `false`.
    pub allow_private_networks: bool,
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
            read_timeout_secs: default_read_timeout_secs(),
            per_host_concurrency: default_per_host_concurrency(),
            per_host_delay_ms: default_per_host_delay_ms(),
            retries: default_retries(),
            retry_base_ms: default_retry_base_ms(),
            retry_max_secs: default_retry_max_secs(),
            allow_private_networks: false,
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

fn default_read_timeout_secs() -> u64 {
    15
}

fn default_per_host_concurrency() -> usize {
    2
}

fn default_per_host_delay_ms() -> u64 {
    1000
}

fn default_retries() -> u32 {
    2
}

fn default_retry_base_ms() -> u64 {
    500
}

fn default_retry_max_secs() -> u64 {
    30
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
