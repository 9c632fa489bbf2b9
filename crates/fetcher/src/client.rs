//! The HTTP side: a request builder (identity, limits, conditional GET), the rules every request
//! goes through (private-network guard, robots.txt, per-host politeness, global concurrency,
//! retries) and a response inspector (status, size cap, validators).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tracing::debug;
use url::Url;

use crate::config::HttpConfig;
use crate::error::{Error, Result, flatten};
use crate::feed::{Feed, parse_feed_with_charset};
use crate::freshness::{self, Lifetime};
use crate::guard::{self, GuardedResolver, Refused};
use crate::politeness::Politeness;
use crate::politeness::host_key;
use crate::retry::{self, RetryPolicy};
use crate::robots::{self, Down, Fetched, RobotsCache};
use crate::shared::{HostLedger, RobotsLookup};

const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                           application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";
const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
const ACCEPT_ROBOTS: &str = "text/plain, */*;q=0.5";

/// The longest `Crawl-delay` honoured, so that one robots.txt cannot stall a pass for hours: a
/// host asking for more gets this, which is still far slower than any feed needs.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// How often a process waiting for another's robots.txt fetch asks the fleet's cache again.
const ROBOTS_POLL: Duration = Duration::from_millis(100);

/// Fetches pages and polls feeds over HTTP.
///
/// Every request first passes the private-network guard (unless `allow_private_networks`),
/// then the host's robots.txt (fetched once per host and cached), then waits for a per-host
/// slot and delay and a global slot. Network errors, timeouts, 5xx and 429 answers are retried
/// with backoff (see [`HttpConfig::retries`]).
///
/// Cheap to clone: clones share one connection pool, one robots.txt cache and the same limits,
/// so give every task its own clone.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    permits: Semaphore,
    politeness: Politeness,
    robots: RobotsCache,
    /// The fleet's politeness, when several processes share the hosts (issue 11).
    ledger: Option<Arc<dyn HostLedger>>,
    retry: RetryPolicy,
    guard: bool,
    exempt: Option<String>,
    max_body_bytes: u64,
    max_redirects: usize,
    timeout_secs: u64,
    connect_timeout_secs: u64,
    read_timeout_secs: u64,
}

/// How a response body is read.
#[derive(Debug, Clone, Copy)]
enum Body {
    /// Fail with [`Error::TooLarge`] past this many bytes.
    Capped(u64),
    /// Keep this many bytes and ignore the rest (robots.txt, RFC 9309 §2.5).
    Truncated(u64),
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
    NotModified {
        /// How long the server says the feed stays fresh (a 304 carries it too).
        lifetime: Option<Lifetime>,
    },
    /// The feed was downloaded and parsed.
    Fetched {
        /// The parsed feed.
        feed: Feed,
        /// The validators to store for the next poll.
        validators: Validators,
        /// The HTTP status (2xx).
        status: u16,
        /// How long the server says the feed stays fresh.
        lifetime: Option<Lifetime>,
    },
}

/// The result of a conditional GET of a page (a sitemap, a listing page).
#[derive(Debug, Clone, PartialEq)]
pub enum PagePoll {
    /// The server answered 304: nothing changed since the validators were stored. Nothing
    /// was downloaded, and there is nothing to parse.
    NotModified {
        /// How long the server says the page stays fresh.
        lifetime: Option<Lifetime>,
    },
    /// The page was downloaded.
    Fetched {
        /// The page.
        page: Page,
        /// The validators to store for the next poll.
        validators: Validators,
        /// How long the server says the page stays fresh.
        lifetime: Option<Lifetime>,
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
        Fetcher::build(config, None, None)
    }

    /// Like [`Fetcher::new`], for one of several processes that fetch from the same hosts:
    /// the per-host delay (and `Crawl-delay`) and `per_host_concurrency` are kept by
    /// `ledger` for all of them, and each host's robots.txt is fetched once per freshness
    /// period by one of them.
    pub fn shared(config: &HttpConfig, ledger: Arc<dyn HostLedger>) -> Result<Fetcher> {
        Fetcher::build(config, None, Some(ledger))
    }

    /// `exempt`: one origin (`http://127.0.0.1:port`) the guard lets through as a first hop,
    /// so that tests can run a redirect from an allowed host through the guard.
    fn build(
        config: &HttpConfig,
        exempt: Option<String>,
        ledger: Option<Arc<dyn HostLedger>>,
    ) -> Result<Fetcher> {
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
        at_least_one("read_timeout_secs", config.read_timeout_secs)?;
        at_least_one("max_body_bytes", config.max_body_bytes)?;
        at_least_one("concurrency", config.concurrency as u64)?;
        at_least_one("per_host_concurrency", config.per_host_concurrency as u64)?;
        at_least_one("retry_max_secs", config.retry_max_secs)?;
        let user_agent =
            HeaderValue::from_str(&config.user_agent).map_err(|err| Error::Config {
                key: "user_agent",
                detail: err.to_string(),
            })?;
        let guard = !config.allow_private_networks;
        let max_redirects = config.max_redirects;
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            // Host names of redirect targets are checked by the resolver when the next request
            // connects; IP literals never reach it.
            if guard && let Err(refused) = guard::check_redirect(attempt.url()) {
                // Unboxed: `classify` finds a `Refused` in the error chain, not a box of one.
                return attempt.error(*refused);
            }
            reqwest::redirect::Policy::limited(max_redirects).redirect(attempt)
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .read_timeout(Duration::from_secs(config.read_timeout_secs))
            .redirect(redirects)
            .gzip(true)
            .brotli(true)
            .deflate(true);
        if guard {
            // A proxy resolves the target's name itself, where the guard cannot see the
            // address: with the guard on, connections are direct.
            builder = builder.dns_resolver(GuardedResolver).no_proxy();
        }
        let client = builder.build().map_err(|err| Error::Client {
            detail: flatten(&err),
        })?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                permits: Semaphore::new(config.concurrency),
                politeness: Politeness::new(
                    config.per_host_concurrency,
                    Duration::from_millis(config.per_host_delay_ms),
                    ledger.clone(),
                ),
                robots: RobotsCache::new(&config.user_agent),
                ledger,
                retry: RetryPolicy {
                    retries: config.retries,
                    base: Duration::from_millis(config.retry_base_ms),
                    max: Duration::from_secs(config.retry_max_secs),
                },
                guard,
                exempt,
                max_body_bytes: config.max_body_bytes,
                max_redirects: config.max_redirects,
                timeout_secs: config.timeout_secs,
                connect_timeout_secs: config.connect_timeout_secs,
                read_timeout_secs: config.read_timeout_secs,
            }),
        })
    }

    /// Downloads a page.
    ///
    /// Fails with [`Error::Status`] on a non-2xx answer (after retries), [`Error::TooLarge`]
    /// when the body exceeds `max_body_bytes`, [`Error::Empty`] when there is no body,
    /// [`Error::Blocked`] for a private address and [`Error::Robots`] when robots.txt
    /// disallows it. Every error names `url`.
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
    /// [`parse_feed`](crate::parse_feed), relative links resolving against the final URL after
    /// redirects; the `charset` of the `Content-Type` header decides the encoding of an XML
    /// feed, over its XML declaration (RFC 7303 §3.2), unless it claims UTF-8 for bytes that are
    /// not.
    ///
    /// Either way the poll carries the response's freshness lifetime (`Cache-Control: max-age`,
    /// `Expires`), for the scheduler.
    pub async fn poll_feed(&self, url: &Url, validators: &Validators) -> Result<FeedPoll> {
        let response = self.get(url, ACCEPT_FEED, Some(validators)).await?;
        let lifetime = freshness::lifetime(&response.headers, Utc::now());
        if response.status == 304 {
            return Ok(FeedPoll::NotModified { lifetime });
        }
        let validators = response_validators(&response.headers);
        let content_type = header_string(&response.headers, header::CONTENT_TYPE);
        let (body, final_url) = (response.body, response.url);
        let charset = content_type.clone();
        // Parsing is CPU work of up to max_body_bytes: keep it off the async workers.
        let parsed = tokio::task::spawn_blocking(move || {
            parse_feed_with_charset(&body, &final_url, charset.as_deref())
        })
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
            lifetime,
        })
    }

    /// Downloads a page with a conditional GET built from `validators`, as
    /// [`Fetcher::poll_feed`] does for feeds: a 304 gives [`PagePoll::NotModified`] without a
    /// body. Fails as [`Fetcher::fetch_page`] does.
    pub async fn poll_page(&self, url: &Url, validators: &Validators) -> Result<PagePoll> {
        let response = self.get(url, ACCEPT_PAGE, Some(validators)).await?;
        let lifetime = freshness::lifetime(&response.headers, Utc::now());
        if response.status == 304 {
            return Ok(PagePoll::NotModified { lifetime });
        }
        Ok(PagePoll::Fetched {
            validators: response_validators(&response.headers),
            page: Page {
                content_type: header_string(&response.headers, header::CONTENT_TYPE),
                url: response.url,
                status: response.status,
                body: response.body,
            },
            lifetime,
        })
    }

    /// One GET through every rule: scheme, guard, robots.txt, then attempts with retries.
    async fn get(
        &self,
        url: &Url,
        accept: &'static str,
        validators: Option<&Validators>,
    ) -> Result<Response> {
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::UnsupportedScheme { url: url.clone() });
        }
        self.check_literal(url)?;
        let crawl_delay = self.check_robots(url).await?;
        let body = Body::Capped(self.inner.max_body_bytes);
        let response = self
            .with_retries(url, || {
                self.attempt(url, accept, validators, crawl_delay, body)
            })
            .await?;
        if origin(&response.url) != origin(url) {
            self.check_redirect_target(url, &response.url).await?;
        }
        Ok(response)
    }

    /// Applies the robots.txt of the host a redirect ended on. The redirect policy runs
    /// synchronously inside reqwest and cannot fetch that file, so the check comes once the
    /// target has answered: a page its site disallows is dropped, not used, and later requests
    /// to that host are checked before they are sent. Only a refusal counts here; the answer
    /// itself shows the host is up.
    async fn check_redirect_target(&self, url: &Url, target: &Url) -> Result<()> {
        match self.check_robots(target).await {
            Err(Error::Robots { detail, .. }) => Err(Error::Robots {
                url: url.clone(),
                detail: format!("redirected to {target}: {detail}"),
            }),
            Err(err) => {
                debug!(url = %url, target = %target, error = %err, "No robots.txt for the redirect target.");
                Ok(())
            }
            Ok(_) => Ok(()),
        }
    }

    fn check_literal(&self, url: &Url) -> Result<()> {
        if !self.inner.guard || self.inner.exempt.as_deref() == Some(origin(url).as_str()) {
            return Ok(());
        }
        guard::check_literal(url).map_err(|refused| Error::Blocked {
            url: url.clone(),
            detail: refused.to_string(),
        })
    }

    /// Applies the host's robots.txt to `url`; the host's capped `Crawl-delay` when allowed.
    async fn check_robots(&self, url: &Url) -> Result<Option<Duration>> {
        let rules = self
            .inner
            .robots
            .rules(url, |robots_url| self.robots_of_fleet(robots_url))
            .await;
        let Some(rules) = rules else {
            return Ok(None);
        };
        if let Some(down) = rules.down() {
            return Err(down.error_for(url));
        }
        rules.check(url).map_err(|detail| Error::Robots {
            url: url.clone(),
            detail,
        })?;
        Ok(rules.crawl_delay().map(|delay| delay.min(MAX_CRAWL_DELAY)))
    }

    /// robots.txt from the fleet's cache when there is one (fetched, and stored there, by
    /// whichever process gets to it first), else from the host; with its age.
    async fn robots_of_fleet(&self, robots_url: Url) -> (Fetched, Duration) {
        let Some(ledger) = &self.inner.ledger else {
            return (self.fetch_robots(robots_url).await, Duration::ZERO);
        };
        let host = host_key(&robots_url);
        // Another process's claim lasts as long as its fetch may (every attempt timing out,
        // the longest backoff between them); after that this one claims the fetch.
        let attempts = u64::from(self.inner.retry.retries) + 1;
        let claim = Duration::from_secs(
            self.inner.timeout_secs * attempts + self.inner.retry.max.as_secs() * (attempts - 1),
        );
        let waiting = Instant::now();
        loop {
            match ledger.robots(&host, claim).await {
                Ok(RobotsLookup::Fresh { robots, age }) => return (robots.into(), age),
                Ok(RobotsLookup::Wait) if waiting.elapsed() < claim * 2 => {
                    tokio::time::sleep(ROBOTS_POLL).await;
                }
                Ok(RobotsLookup::Fetch) => {
                    let fetched = self.fetch_robots(robots_url).await;
                    let shared = fetched.shared();
                    let failed = !matches!(
                        shared,
                        Some(crate::shared::SharedRobots::Body(_))
                            | Some(crate::shared::SharedRobots::Unavailable)
                    );
                    if let Err(err) = ledger
                        .store_robots(&host, shared, robots::ttl(failed))
                        .await
                    {
                        tracing::warn!(host = %host, error = %err, "robots.txt not shared with other ingesters");
                    }
                    return (fetched, Duration::ZERO);
                }
                Ok(RobotsLookup::Wait) => {
                    tracing::warn!(
                        host = %host,
                        "another ingester's robots.txt fetch did not finish; fetching it here"
                    );
                    return (self.fetch_robots(robots_url).await, Duration::ZERO);
                }
                Err(err) => {
                    tracing::warn!(host = %host, error = %err, "shared robots.txt cache unavailable; fetching it here");
                    return (self.fetch_robots(robots_url).await, Duration::ZERO);
                }
            }
        }
    }

    async fn fetch_robots(&self, robots_url: Url) -> Fetched {
        let body = Body::Truncated(robots::MAX_ROBOTS_BYTES);
        let result = self
            .with_retries(&robots_url, || {
                self.attempt(&robots_url, ACCEPT_ROBOTS, None, None, body)
            })
            .await;
        match result {
            Ok(response) => Fetched::Body(response.body),
            // RFC 9309 §2.3.1.3: a 4xx means there are no rules. 429 is the exception:
            // it says "too fast", not "absent" (Google treats it as a 5xx, and so do we).
            Err(Error::Status { status, .. }) if (400..500).contains(&status) && status != 429 => {
                Fetched::Unavailable
            }
            // §2.3.1.2: a file not reached within the redirect limit may be taken as absent.
            Err(Error::TooManyRedirects { .. }) => Fetched::Unavailable,
            Err(Error::Empty { .. }) => Fetched::Body(Vec::new()),
            Err(Error::Status { status, .. }) => {
                let err = Error::Status {
                    url: robots_url,
                    status,
                    retry_after: None,
                };
                let text = err.to_string();
                let answer = text
                    .split_once(": ")
                    .map_or(text.as_str(), |(_, rest)| rest);
                Fetched::Unreachable(format!("answered {answer}"))
            }
            Err(Error::Connect { detail, .. }) => Fetched::Down(Down::Connect(detail)),
            Err(Error::Timeout { secs, .. }) => Fetched::Down(Down::Timeout(secs)),
            Err(Error::Stalled { secs, .. }) => Fetched::Down(Down::Stalled(secs)),
            Err(Error::Blocked { detail, .. }) => Fetched::Down(Down::Blocked(detail)),
            Err(err) => Fetched::Unreachable(format!("could not be fetched ({err})")),
        }
    }

    async fn with_retries<F, Fut>(&self, url: &Url, mut attempt: F) -> Result<Response>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Response>>,
    {
        let mut retry = 0;
        loop {
            let err = match attempt().await {
                Ok(response) => return Ok(response),
                Err(err) => err,
            };
            match self.inner.retry.wait(retry, &err) {
                Some(wait) => {
                    debug!(url = %url, error = %err, retry = retry + 1, wait_ms = wait.as_millis() as u64, "Retrying.");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
                None => return Err(err),
            }
        }
    }

    /// One request: waits for the host and a global slot, sends, checks the status, reads the
    /// body.
    async fn attempt(
        &self,
        url: &Url,
        accept: &'static str,
        validators: Option<&Validators>,
        crawl_delay: Option<Duration>,
        body_limit: Body,
    ) -> Result<Response> {
        // The host slot first: waiting for a host's delay must not hold a global slot that a
        // request to another host could use. Both are held until the body is read, because an
        // unread body still holds its connection.
        let _host = self.inner.politeness.acquire(url, crawl_delay).await;
        // The semaphore is never closed, so acquiring cannot fail.
        let _permit = self.inner.permits.acquire().await.ok();
        let started = Instant::now();
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
            .map_err(|err| self.classify(url, err, started))?;
        let status = response.status().as_u16();
        let not_modified = status == 304 && validators.is_some();
        if !(response.status().is_success() || not_modified) {
            return Err(Error::Status {
                url: url.clone(),
                status,
                retry_after: retry::retry_after(response.headers()),
            });
        }
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        let body = if not_modified {
            Vec::new()
        } else {
            self.read_body(url, response, body_limit, started).await?
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
    async fn read_body(
        &self,
        url: &Url,
        response: reqwest::Response,
        limit: Body,
        started: Instant,
    ) -> Result<Vec<u8>> {
        let cap = match limit {
            Body::Capped(cap) | Body::Truncated(cap) => cap,
        };
        let expected = response.content_length().unwrap_or(0).min(cap);
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        let mut chunks = response.bytes_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|err| self.classify(url, err, started))?;
            if (body.len() + chunk.len()) as u64 > cap {
                match limit {
                    Body::Capped(limit) => {
                        return Err(Error::TooLarge {
                            url: url.clone(),
                            limit,
                        });
                    }
                    Body::Truncated(_) => {
                        let room = usize::try_from(cap).unwrap_or(usize::MAX) - body.len();
                        body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                        break;
                    }
                }
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn classify(&self, url: &Url, err: reqwest::Error, started: Instant) -> Error {
        let url = url.clone();
        if let Some(refused) = find_source::<Refused>(&err) {
            return Error::Blocked {
                url,
                detail: refused.to_string(),
            };
        }
        if err.is_timeout() {
            if err.is_connect() {
                return Error::Timeout {
                    url,
                    secs: self.inner.connect_timeout_secs,
                };
            }
            // reqwest does not say which timeout ran out: the total one has, when the request
            // is that old (with some slack for timer granularity).
            let total = Duration::from_secs(self.inner.timeout_secs);
            if started.elapsed() + Duration::from_millis(50) >= total {
                return Error::Timeout {
                    url,
                    secs: self.inner.timeout_secs,
                };
            }
            return Error::Stalled {
                url,
                secs: self.inner.read_timeout_secs,
            };
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

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The first error of type `T` in `err`'s source chain.
fn find_source<'e, T: std::error::Error + 'static>(
    err: &'e (dyn std::error::Error + 'static),
) -> Option<&'e T> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

fn response_validators(headers: &HeaderMap) -> Validators {
    Validators {
        etag: header_string(headers, header::ETAG),
        last_modified: header_string(headers, header::LAST_MODIFIED),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_redirect_to_a_private_address_is_refused() {
        use axum::response::Redirect;
        use axum::routing::get;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let router = axum::Router::new()
            .route(
                "/metadata",
                get(|| async { Redirect::to("http://169.254.169.254/latest/meta-data/") }),
            )
            .route(
                "/loopback",
                get(|| async { Redirect::to("http://[::1]:9/admin") }),
            )
            .route(
                "/by-name",
                get(|| async { Redirect::to("http://localhost:9/admin") }),
            )
            .route("/ok", get(|| async { "allowed host" }));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let config = HttpConfig {
            per_host_delay_ms: 0,
            retries: 0,
            ..HttpConfig::default()
        };
        // The test server stands in for a public host; everything else is guarded.
        let fetcher = Fetcher::build(&config, Some(origin(&base)), None).unwrap();
        let page = fetcher.fetch_page(&base.join("ok").unwrap()).await.unwrap();
        assert_eq!(page.body, b"allowed host");
        let url = base.join("metadata").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{url}: blocked: redirect to http://169.254.169.254/latest/meta-data/: \
                 169.254.169.254 is a cloud metadata address (set allow_private_networks = \
                 true in [http] to allow)"
            )
        );
        let err = fetcher
            .fetch_page(&base.join("loopback").unwrap())
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("redirect to http://[::1]:9/admin: ::1 is a loopback address"),
            "{err}"
        );
        // A name is checked where it resolves, on the redirect too.
        let err = fetcher
            .fetch_page(&base.join("by-name").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
        assert!(err.to_string().contains("localhost resolves to "), "{err}");
    }
}
