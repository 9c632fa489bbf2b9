//! robots.txt (RFC 9309): fetched once per scheme, host and port, cached, and consulted before
//! every request to that host.
//!
//! The rules are parsed by robotxt, which follows the RFC most closely of the crates compared
//! in shared DEPENDENCIES.md (percent-encoding equivalence, BOM, longest match). What the RFC
//! says about fetching, this module does: a 4xx answer means "no rules" (§2.3.1.3), a 5xx
//! answer or an unreachable server means "disallow everything" (§2.3.1.4), redirects are
//! followed (§2.3.1.2, up to the client's limit), at most 500 KiB is parsed (§2.5), and the
//! result is cached for at most 24 hours (§2.4).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use robotxt::{AccessResult, Robots};
use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

use crate::error::Error;
use crate::politeness::host_key;
use crate::shared::SharedRobots;

/// RFC 9309 §2.4: "crawlers SHOULD NOT use the cached version for more than 24 hours".
const FRESH: Duration = Duration::from_secs(24 * 60 * 60);
/// After a server error or an unreachable server, robots.txt is asked again much sooner: long
/// enough that the other URLs of the site fail at once in the same pass (instead of each
/// waiting through its own retries), short enough that a `newsmon run` daemon sees the site
/// back within a minute.
const FRESH_AFTER_FAILURE: Duration = Duration::from_secs(60);
/// How long rules stay fresh: a day, or a minute after a failure.
pub(crate) fn ttl(failed: bool) -> Duration {
    if failed { FRESH_AFTER_FAILURE } else { FRESH }
}

/// RFC 9309 §2.5: parse at least 500 KiB; what follows is ignored rather than refused.
pub(crate) const MAX_ROBOTS_BYTES: u64 = 500 * 1024;

/// What fetching a robots.txt gave.
#[derive(Debug)]
pub(crate) enum Fetched {
    /// A 2xx answer and its (possibly truncated) body.
    Body(Vec<u8>),
    /// The file is unavailable (4xx other than 429, or too many redirects): no rules.
    Unavailable,
    /// A 5xx or 429 answer, or another failure, described for the error message.
    Unreachable(String),
    /// The host could not be reached at all: requests to it fail with this error instead of
    /// a robots.txt refusal, which would hide the cause.
    Down(Down),
}

impl Fetched {
    /// What other processes may reuse: a server's answer, not a failure to reach it (which
    /// may be this host's network, or its private-network guard).
    pub(crate) fn shared(&self) -> Option<SharedRobots> {
        match self {
            Fetched::Body(body) => Some(SharedRobots::Body(body.clone())),
            Fetched::Unavailable => Some(SharedRobots::Unavailable),
            Fetched::Unreachable(why) => Some(SharedRobots::Unreachable(why.clone())),
            Fetched::Down(_) => None,
        }
    }
}

impl From<SharedRobots> for Fetched {
    fn from(robots: SharedRobots) -> Fetched {
        match robots {
            SharedRobots::Body(body) => Fetched::Body(body),
            SharedRobots::Unavailable => Fetched::Unavailable,
            SharedRobots::Unreachable(why) => Fetched::Unreachable(why),
        }
    }
}

/// Why a host is down, kept to report it for every URL of the host while cached.
#[derive(Debug, Clone)]
pub(crate) enum Down {
    Connect(String),
    Timeout(u64),
    Stalled(u64),
    /// The private-network guard refused the host (the page would be refused too).
    Blocked(String),
}

impl Down {
    pub(crate) fn error_for(&self, url: &Url) -> Error {
        let url = url.clone();
        match self {
            Down::Connect(detail) => Error::Connect {
                url,
                detail: detail.clone(),
            },
            Down::Timeout(secs) => Error::Timeout { url, secs: *secs },
            Down::Stalled(secs) => Error::Stalled { url, secs: *secs },
            Down::Blocked(detail) => Error::Blocked {
                url,
                detail: detail.clone(),
            },
        }
    }
}

/// The rules of one host.
#[derive(Debug)]
pub(crate) struct HostRules {
    robots: Robots,
    /// Why everything is disallowed, when the file could not be fetched.
    unreachable: Option<String>,
    down: Option<Down>,
    robots_url: String,
    fetched_at: Instant,
}

impl HostRules {
    fn fresh(&self) -> bool {
        let failed = self.unreachable.is_some() || self.down.is_some();
        self.fetched_at.elapsed() < ttl(failed)
    }

    /// Whether the host could not be reached when robots.txt was fetched.
    pub(crate) fn down(&self) -> Option<&Down> {
        self.down.as_ref()
    }

    /// `Err(reason)` when `url` may not be fetched.
    pub(crate) fn check(&self, url: &Url) -> Result<(), String> {
        if self.robots.is_url_allowed(url) {
            return Ok(());
        }
        Err(match &self.unreachable {
            Some(why) => format!(
                "{} {why}, which RFC 9309 §2.3.1.4 treats as disallowing the whole site",
                self.robots_url
            ),
            None => {
                let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
                match self.robots.matching_rule(path) {
                    Some(rule) => format!(
                        "{} disallows it for {} (rule `Disallow: {}`)",
                        self.robots_url,
                        self.robots.user_agent(),
                        rule.pattern()
                    ),
                    None => format!("{} disallows it", self.robots_url),
                }
            }
        })
    }

    /// The `Crawl-delay` of the group that applies to us, if any.
    pub(crate) fn crawl_delay(&self) -> Option<Duration> {
        self.robots.crawl_delay()
    }
}

/// robots.txt rules per host, each fetched once even when many requests to the host start at
/// the same time.
#[derive(Debug)]
pub(crate) struct RobotsCache {
    agent: String,
    hosts: Mutex<HashMap<String, Arc<OnceCell<Arc<HostRules>>>>>,
}

impl RobotsCache {
    /// `user_agent` is the full header value; groups are matched on its product token.
    pub(crate) fn new(user_agent: &str) -> RobotsCache {
        RobotsCache {
            agent: product_token(user_agent).to_string(),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// The rules for `url`'s host, fetching robots.txt with `fetch` when they are not cached
    /// or are stale. `fetch` also says how long ago what it gives was fetched (zero, unless it
    /// comes from the fleet's shared cache). `None` for a URL without a host.
    pub(crate) async fn rules<F, Fut>(&self, url: &Url, fetch: F) -> Option<Arc<HostRules>>
    where
        F: FnOnce(Url) -> Fut,
        Fut: Future<Output = (Fetched, Duration)>,
    {
        url.host_str()?;
        let robots_url = url.join("/robots.txt").ok()?;
        let cell = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let cell = hosts.entry(host_key(url)).or_default();
            if cell.get().is_some_and(|rules| !rules.fresh()) {
                *cell = Arc::default();
            }
            cell.clone()
        };
        let agent = self.agent.as_str();
        cell.get_or_init(|| async move {
            let (fetched, age) = fetch(robots_url.clone()).await;
            let fetched_at = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
            let (access, unreachable, down) = match fetched {
                Fetched::Body(body) => return parsed(&body, agent, &robots_url, fetched_at),
                Fetched::Unavailable => (AccessResult::Unavailable, None, None),
                Fetched::Unreachable(why) => (AccessResult::Unreachable, Some(why), None),
                Fetched::Down(down) => (AccessResult::Unreachable, None, Some(down)),
            };
            let robots = Robots::from_access(access, agent);
            Arc::new(HostRules {
                robots,
                unreachable,
                down,
                robots_url: robots_url.to_string(),
                fetched_at,
            })
        })
        .await;
        Some(cell.get()?.clone())
    }
}

fn parsed(body: &[u8], agent: &str, robots_url: &Url, fetched_at: Instant) -> Arc<HostRules> {
    Arc::new(HostRules {
        robots: Robots::from_access(AccessResult::Successful(body), agent),
        unreachable: None,
        down: None,
        robots_url: robots_url.to_string(),
        fetched_at,
    })
}

/// The product token of a `User-Agent` value (`newsmon` of `newsmon/0.1 (+https://…)`): what
/// RFC 9309 §2.2.1 matches `User-agent` lines against.
pub(crate) fn product_token(user_agent: &str) -> &str {
    let token = user_agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .find(|part| !part.is_empty())
        .unwrap_or_default();
    if token.is_empty() { "*" } else { token }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn product_token_is_the_name_before_the_version() {
        assert_eq!(product_token("newsmon/0.1 (+https://x)"), "newsmon");
        assert_eq!(product_token("NewsmonBot"), "NewsmonBot");
        assert_eq!(product_token(" "), "*");
    }

    #[tokio::test]
    async fn rules_are_fetched_once_per_host_and_applied() {
        let cache = RobotsCache::new("newsmon/0.1");
        let fetches = AtomicUsize::new(0);
        let body = b"User-agent: *\nDisallow: /\n\nUser-agent: newsmon\nDisallow: /private\nCrawl-delay: 2\n";
        for path in ["/a", "/private/b", "/c"] {
            let rules = cache
                .rules(&url(&format!("https://a.example{path}")), |robots_url| {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(robots_url.as_str(), "https://a.example/robots.txt");
                    async { (Fetched::Body(body.to_vec()), Duration::ZERO) }
                })
                .await
                .unwrap();
            assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(2)));
            assert!(rules.check(&url("https://a.example/news/1")).is_ok());
            assert_eq!(
                rules
                    .check(&url("https://a.example/private/x?y"))
                    .unwrap_err(),
                "https://a.example/robots.txt disallows it for newsmon (rule `Disallow: /private`)"
            );
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn unavailable_allows_all_and_unreachable_disallows_all() {
        let cache = RobotsCache::new("newsmon");
        let rules = cache
            .rules(&url("http://gone.example/x"), |_| async {
                (Fetched::Unavailable, Duration::ZERO)
            })
            .await
            .unwrap();
        assert!(rules.check(&url("http://gone.example/x")).is_ok());
        let rules = cache
            .rules(&url("http://down.example/x"), |_| async {
                (
                    Fetched::Unreachable("answered HTTP 503 Service Unavailable".into()),
                    Duration::ZERO,
                )
            })
            .await
            .unwrap();
        assert_eq!(
            rules.check(&url("http://down.example/x")).unwrap_err(),
            "http://down.example/robots.txt answered HTTP 503 Service Unavailable, which RFC \
             9309 §2.3.1.4 treats as disallowing the whole site"
        );
    }
}
