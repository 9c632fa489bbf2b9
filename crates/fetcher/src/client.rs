//! The HTTP side: a request builder (identity, limits, conditional GET) and a response inspector
//! (status, size cap, validators).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

use crate::config::HttpConfig;
use crate::error::{Error, Result, flatten};
use crate::feed::{Feed, parse_feed};

const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                           application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";
const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

/// Fetches pages and polls feeds over HTTP.
///
/// Cheap to clone: clones share one connection pool and one concurrency limit, so give every
/// task its own clone.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    permits: Semaphore,
    max_body_bytes: u64,
    max_redirects: usize,
    timeout_secs: u64,
    connect_timeout_secs: u64,
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    /// The HTTP status (always 2xx).
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body as sent (after transfer decompression), in its original charset.
    pub body: Vec<u8>,
}

/// The cache validators of a response, sent back on the next poll to make it conditional.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// The result of polling a feed.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedPoll {
    /// The server answered 304: nothing changed since the validators were stored.
    NotModified,
    /// The feed was downloaded and parsed.
    Fetched {
        /// The parsed feed.
        feed: Feed,
        /// The validators to store for the next poll.
        validators: Validators,
        /// The HTTP status (2xx).
        status: u16,
    },
}

/// A response whose status was accepted and whose body was read within the cap.
struct Response {
    url: Url,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Fetcher {
    /// Builds the HTTP client from the `[http]` configuration.
    pub fn new(config: &HttpConfig) -> Result<Fetcher> {
        let at_least_one = |key, value: u64| {
            if value == 0 {
                Err(Error::Config {
                    key,
                    detail: "must be at least 1".into(),
                })
            } else {
                Ok(())
            }
        };
        at_least_one("timeout_secs", config.timeout_secs)?;
        at_least_one("connect_timeout_secs", config.connect_timeout_secs)?;
        at_least_one("max_body_bytes", config.max_body_bytes)?;
        at_least_one("concurrency", config.concurrency as u64)?;
        let user_agent =
            HeaderValue::from_str(&config.user_agent).map_err(|err| Error::Config {
                key: "user_agent",
                detail: err.to_string(),
            })?;
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .redirect(reqwest::redirect::Policy::limited(config.max_redirects))
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .map_err(|err| Error::Client {
                detail: flatten(&err),
            })?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                permits: Semaphore::new(config.concurrency),
                max_body_bytes: config.max_body_bytes,
                max_redirects: config.max_redirects,
                timeout_secs: config.timeout_secs,
                connect_timeout_secs: config.connect_timeout_secs,
            }),
        })
    }

    /// Downloads a page.
    ///
    /// Fails with [`Error::Status`] on a non-2xx answer, [`Error::TooLarge`] when the body exceeds
    /// `max_body_bytes` and [`Error::Empty`] when there is no body. Every error names `url`.
    pub async fn fetch_page(&self, url: &Url) -> Result<Page> {
        let response = self.get(url, ACCEPT_PAGE, None).await?;
        Ok(Page {
            content_type: header_string(&response.headers, header::CONTENT_TYPE),
            url: response.url,
            status: response.status,
            body: response.body,
        })
    }

    /// Polls a feed with a conditional GET built from `validators` (empty validators make it
    /// unconditional).
    ///
    /// A 304 answer gives [`FeedPoll::NotModified`]. Otherwise the body is parsed as with
    /// [`parse_feed`], relative links resolving against the final URL after redirects.
    pub async fn poll_feed(&self, url: &Url, validators: &Validators) -> Result<FeedPoll> {
        let response = self.get(url, ACCEPT_FEED, Some(validators)).await?;
        if response.status == 304 {
            return Ok(FeedPoll::NotModified);
        }
        let validators = Validators {
            etag: header_string(&response.headers, header::ETAG),
            last_modified: header_string(&response.headers, header::LAST_MODIFIED),
        };
        let content_type = header_string(&response.headers, header::CONTENT_TYPE);
        let (body, final_url) = (response.body, response.url);
        // Parsing is CPU work of up to max_body_bytes: keep it off the async workers.
        let parsed = tokio::task::spawn_blocking(move || parse_feed(&body, &final_url))
            .await
            .map_err(|err| Error::NotFeed {
                url: url.clone(),
                detail: format!("parser failed: {err}"),
            })?;
        let feed = parsed.map_err(|err| match (err, content_type) {
            (Error::NotFeed { url, detail }, Some(content_type)) => Error::NotFeed {
                url,
                detail: format!("{detail} (served as {content_type})"),
            },
            (err, _) => err,
        })?;
        Ok(FeedPoll::Fetched {
            feed,
            validators,
            status: response.status,
        })
    }

    async fn get(
        &self,
        url: &Url,
        accept: &'static str,
        validators: Option<&Validators>,
    ) -> Result<Response> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::UnsupportedScheme { url: url.clone() });
        }
        // The semaphore is never closed, so acquiring cannot fail; the permit is held until the
        // body is read, because an unread body still holds its connection.
        let _permit = self.inner.permits.acquire().await.ok();
        let mut request = self
            .inner
            .client
            .get(url.clone())
            .header(header::ACCEPT, accept);
        if let Some(validators) = validators {
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag.as_str());
            }
            if let Some(last_modified) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, last_modified.as_str());
            }
        }
        let response = request
            .send()
            .await
            .map_err(|err| self.classify(url, err))?;
        let status = response.status().as_u16();
        let not_modified = status == 304 && validators.is_some();
        if !(response.status().is_success() || not_modified) {
            return Err(Error::Status {
                url: url.clone(),
                status,
            });
        }
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        let body = if not_modified {
            Vec::new()
        } else {
            self.read_body(url, response).await?
        };
        if body.is_empty() && !not_modified {
            return Err(Error::Empty { url: url.clone() });
        }
        Ok(Response {
            url: final_url,
            status,
            headers,
            body,
        })
    }

    /// Reads the body chunk by chunk and stops as soon as it passes the cap, so a huge (or
    /// endless, or decompression-bomb) body costs at most `max_body_bytes` of memory.
    async fn read_body(&self, url: &Url, response: reqwest::Response) -> Result<Vec<u8>> {
        let limit = self.inner.max_body_bytes;
        let expected = response.content_length().unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        let mut chunks = response.bytes_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|err| self.classify(url, err))?;
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Error::TooLarge {
                    url: url.clone(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn classify(&self, url: &Url, err: reqwest::Error) -> Error {
        let url = url.clone();
        if err.is_timeout() {
            let secs = if err.is_connect() {
                self.inner.connect_timeout_secs
            } else {
                self.inner.timeout_secs
            };
            return Error::Timeout { url, secs };
        }
        if err.is_redirect() {
            return Error::TooManyRedirects {
                url,
                limit: self.inner.max_redirects,
            };
        }
        // reqwest's own message ("error sending request for url (…)") repeats the URL and says
        // nothing the causes do not; start the detail at the first cause when there is one.
        let is_connect = err.is_connect();
        let detail = match std::error::Error::source(&err) {
            Some(source) => flatten(source),
            None => flatten(&err.without_url()),
        };
        if is_connect {
            Error::Connect { url, detail }
        } else {
            Error::Http { url, detail }
        }
    }
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_string)
}
