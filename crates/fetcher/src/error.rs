//! The crate's error type.
//!
//! Every variant names the URL or file it is about, and every message is one line. Causes from
//! reqwest, hyper, feed-rs and SQLite are flattened into a `detail` string (joined with ": ")
//! instead of being kept as `#[source]`: the binary prints errors with `{:#}`, which walks the
//! source chain, so keeping both would print each cause twice.

use std::path::PathBuf;

use url::Url;

/// Errors from fetching, feed parsing and crawl state.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value in the `[http]` configuration is unusable.
    #[error("http config: {key}: {detail}")]
    Config {
        /// The offending key of the `[http]` table.
        key: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The HTTP client could not be built (for example, no TLS backend).
    #[error("http client: {detail}")]
    Client {
        /// What went wrong.
        detail: String,
    },
    /// The URL is not an `http` or `https` URL.
    #[error("{url}: not an http(s) URL")]
    UnsupportedScheme {
        /// The URL that was asked for.
        url: Url,
    },
    /// The server answered with a status other than 2xx (or 304 to a conditional request),
    /// after any retries.
    #[error("{url}: HTTP {}{}", status_line(*.status), retry_after_note(*.retry_after))]
    Status {
        /// The URL that was asked for.
        url: Url,
        /// The HTTP status code.
        status: u16,
        /// The last answer's `Retry-After`, in seconds from when it was received: a scheduler
        /// should not poll again sooner.
        retry_after: Option<u64>,
    },
    /// The private-network guard refused the URL, or a redirect from it: its host is, or
    /// resolves to, a loopback, private, link-local or similar address and
    /// `allow_private_networks` is off.
    #[error("{url}: blocked: {detail}")]
    Blocked {
        /// The URL that was asked for.
        url: Url,
        /// Which address, of which kind, and through which redirect.
        detail: String,
    },
    /// The host's robots.txt disallows the URL for newsmon, or could not be fetched (which
    /// RFC 9309 treats as disallowing everything).
    #[error("{url}: disallowed by robots.txt: {detail}")]
    Robots {
        /// The URL that was asked for.
        url: Url,
        /// The robots.txt URL and the rule, or why it could not be fetched.
        detail: String,
    },
    /// The server sent nothing for `read_timeout_secs` while the response was being read.
    #[error("{url}: stalled: no data for {secs}s")]
    Stalled {
        /// The URL that was asked for.
        url: Url,
        /// The read timeout, in seconds.
        secs: u64,
    },
    /// The (decompressed) body is larger than `max_body_bytes`.
    #[error("{url}: response body exceeds {limit} bytes")]
    TooLarge {
        /// The URL that was asked for.
        url: Url,
        /// The configured cap.
        limit: u64,
    },
    /// The server answered 2xx with an empty body.
    #[error("{url}: empty response body")]
    Empty {
        /// The URL that was asked for.
        url: Url,
    },
    /// The TCP or TLS connection could not be set up.
    #[error("{url}: connection failed: {detail}")]
    Connect {
        /// The URL that was asked for.
        url: Url,
        /// The flattened cause.
        detail: String,
    },
    /// The connect timeout or the total request timeout ran out.
    #[error("{url}: timed out after {secs}s")]
    Timeout {
        /// The URL that was asked for.
        url: Url,
        /// The timeout that ran out, in seconds.
        secs: u64,
    },
    /// The server redirected more than `max_redirects` times.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL that was asked for.
        url: Url,
        /// The configured limit.
        limit: usize,
    },
    /// Any other HTTP failure: a reset connection, a corrupt compressed body, a protocol error.
    #[error("{url}: request failed: {detail}")]
    Http {
        /// The URL that was asked for.
        url: Url,
        /// The flattened cause.
        detail: String,
    },
    /// The document is not a feed this crate can read.
    #[error("{url}: not a feed: {detail}")]
    NotFeed {
        /// The feed URL.
        url: Url,
        /// What is wrong with the document.
        detail: String,
    },
    /// Reading or writing the crawl-state database failed.
    #[error("{}: crawl state: {detail}", .path.display())]
    State {
        /// The database file (`:memory:` for an in-memory database).
        path: PathBuf,
        /// The flattened cause.
        detail: String,
    },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

fn retry_after_note(retry_after: Option<u64>) -> String {
    retry_after.map_or_else(String::new, |secs| format!(" (retry after {secs}s)"))
}

fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Renders an error and its sources as one line: `outer: inner: root`.
///
/// Wrappers often repeat their cause in their own message (hyper and reqwest both do), so a source
/// whose text is already contained in what was written is skipped. Newlines become spaces.
pub(crate) fn flatten(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = one_line(&e.to_string());
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://example.com/feed.xml").unwrap()
    }

    #[test]
    fn messages_lead_with_the_subject_and_have_no_period() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Status {
                    url: url(),
                    status: 404,
                    retry_after: None,
                },
                "https://example.com/feed.xml: HTTP 404 Not Found",
            ),
            (
                Error::Status {
                    url: url(),
                    status: 599,
                    retry_after: None,
                },
                "https://example.com/feed.xml: HTTP 599",
            ),
            (
                Error::Status {
                    url: url(),
                    status: 429,
                    retry_after: Some(120),
                },
                "https://example.com/feed.xml: HTTP 429 Too Many Requests (retry after 120s)",
            ),
            (
                Error::Stalled {
                    url: url(),
                    secs: 15,
                },
                "https://example.com/feed.xml: stalled: no data for 15s",
            ),
            (
                Error::TooLarge {
                    url: url(),
                    limit: 10,
                },
                "https://example.com/feed.xml: response body exceeds 10 bytes",
            ),
            (
                Error::Timeout {
                    url: url(),
                    secs: 1,
                },
                "https://example.com/feed.xml: timed out after 1s",
            ),
            (
                Error::State {
                    path: PathBuf::from("/tmp/crawl.sqlite"),
                    detail: "database is locked".into(),
                },
                "/tmp/crawl.sqlite: crawl state: database is locked",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn flatten_joins_sources_on_one_line_without_repeats() {
        #[derive(Debug)]
        struct Wrap(&'static str, Option<Box<Wrap>>);
        impl std::fmt::Display for Wrap {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Wrap {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.1.as_deref().map(|w| w as _)
            }
        }
        let err = Wrap(
            "client error (Connect)",
            Some(Box::new(Wrap(
                "tcp connect error:\n  refused",
                Some(Box::new(Wrap("refused", None))),
            ))),
        );
        assert_eq!(
            flatten(&err),
            "client error (Connect): tcp connect error: refused"
        );
    }
}
