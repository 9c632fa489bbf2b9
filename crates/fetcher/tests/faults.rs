//! Fault injection: the real `Fetcher` against misbehaving servers on loopback. Each fault ends
//! in a clear error naming the URL, or in the right recovery, within a bounded time, and does
//! not disturb other requests.

// allow-unwrap-in-tests covers #[test] functions only, not the helpers of a test crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use newsmon_fetcher::{Error, FeedPoll, HttpConfig, Validators};
use url::Url;

use common::{bounded, fetcher, serve};

const BOMB: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/feeds/hostile/gzip_bomb_64MiB.xml.gz"
);

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Faults</title>
  <item><title>One</title><link>/articles/1</link></item>
</channel></rss>"#;

/// Loopback allowed (the servers are on 127.0.0.1), no per-host delay, and fast retries.
fn local() -> HttpConfig {
    HttpConfig {
        allow_private_networks: true,
        per_host_delay_ms: 0,
        retries: 2,
        retry_base_ms: 50,
        retry_max_secs: 5,
        timeout_secs: 10,
        read_timeout_secs: 1,
        ..HttpConfig::default()
    }
}

/// A handler that counts its calls and answers with `answer(call number, starting at 0)`.
fn counted<F>(hits: &Arc<AtomicUsize>, answer: F) -> axum::routing::MethodRouter
where
    F: Fn(usize) -> Response + Clone + Send + Sync + 'static,
{
    let hits = hits.clone();
    get(move || {
        let (hits, answer) = (hits.clone(), answer.clone());
        async move { answer(hits.fetch_add(1, Ordering::SeqCst)) }
    })
}

#[tokio::test]
async fn a_stalled_response_fails_on_the_read_timeout_without_delaying_other_requests() {
    bounded(async {
        let base = serve(
            Router::new()
                .route(
                    "/stall",
                    get(|| async {
                        tokio::time::sleep(Duration::from_secs(20)).await;
                        "too late"
                    }),
                )
                .route("/ok", get(|| async { "fine" })),
        )
        .await;
        let config = HttpConfig {
            retries: 0,
            ..local()
        };
        let fetcher = fetcher(config);
        let stalled_url = base.join("stall").unwrap();
        let started = Instant::now();
        let stalled = {
            let (fetcher, url) = (fetcher.clone(), stalled_url.clone());
            tokio::spawn(async move { fetcher.fetch_page(&url).await })
        };
        let page = fetcher.fetch_page(&base.join("ok").unwrap()).await.unwrap();
        assert_eq!(page.body, b"fine");
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "not delayed"
        );
        let err = stalled.await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Stalled { secs: 1, .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("{stalled_url}: stalled: no data for 1s")
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    })
    .await;
}

#[tokio::test]
async fn a_body_that_stalls_midway_fails_on_the_read_timeout() {
    bounded(async {
        let base = serve(Router::new().route(
            "/trickle",
            get(|| async {
                let chunks = futures_util::stream::unfold(0, |n| async move {
                    if n > 0 {
                        tokio::time::sleep(Duration::from_secs(20)).await;
                    }
                    (n < 2).then(|| (Ok::<_, std::io::Error>(vec![b'x'; 10]), n + 1))
                });
                Body::from_stream(chunks)
            }),
        ))
        .await;
        let config = HttpConfig {
            retries: 0,
            ..local()
        };
        let started = Instant::now();
        let err = fetcher(config)
            .fetch_page(&base.join("trickle").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Stalled { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    })
    .await;
}

fn reset_midway() -> Response {
    let chunks = futures_util::stream::iter([
        Ok::<_, std::io::Error>(vec![b'<'; 100]),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        )),
    ]);
    Body::from_stream(chunks).into_response()
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_then_reported() {
    bounded(async {
        let (flaky, broken) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let base = serve(
            Router::new()
                .route(
                    "/flaky",
                    counted(&flaky, |n| match n {
                        0 => reset_midway(),
                        _ => "whole body".into_response(),
                    }),
                )
                .route("/broken", counted(&broken, |_| reset_midway())),
        )
        .await;
        let fetcher = fetcher(local());
        let page = fetcher
            .fetch_page(&base.join("flaky").unwrap())
            .await
            .unwrap();
        assert_eq!(page.body, b"whole body");
        assert_eq!(flaky.load(Ordering::SeqCst), 2);

        let url = base.join("broken").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Http { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with(&format!("{url}: request failed: ")),
            "{err}"
        );
        assert_eq!(broken.load(Ordering::SeqCst), 3, "first try and 2 retries");
    })
    .await;
}

#[tokio::test]
async fn a_500_then_200_is_retried_and_a_404_is_not() {
    bounded(async {
        let (feed, missing) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let base = serve(
            Router::new()
                .route(
                    "/feed.xml",
                    counted(&feed, |n| match n {
                        0 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                        _ => RSS.into_response(),
                    }),
                )
                .route(
                    "/missing",
                    counted(&missing, |_| StatusCode::NOT_FOUND.into_response()),
                ),
        )
        .await;
        let fetcher = fetcher(local());
        let poll = fetcher
            .poll_feed(&base.join("feed.xml").unwrap(), &Validators::default())
            .await
            .unwrap();
        let FeedPoll::Fetched { feed: parsed, .. } = poll else {
            panic!("expected a feed");
        };
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(feed.load(Ordering::SeqCst), 2);

        let url = base.join("missing").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert_eq!(err.to_string(), format!("{url}: HTTP 404 Not Found"));
        assert_eq!(missing.load(Ordering::SeqCst), 1, "a 404 is not retried");
    })
    .await;
}

#[tokio::test]
async fn a_500_that_persists_fails_after_the_retries() {
    bounded(async {
        let hits = Arc::new(AtomicUsize::new(0));
        let base = serve(Router::new().route(
            "/down",
            counted(&hits, |_| StatusCode::SERVICE_UNAVAILABLE.into_response()),
        ))
        .await;
        let url = base.join("down").unwrap();
        let err = fetcher(local()).fetch_page(&url).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{url}: HTTP 503 Service Unavailable")
        );
        assert_eq!(hits.load(Ordering::SeqCst), 3);
    })
    .await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured_in_seconds_and_as_a_date() {
    bounded(async {
        let (seconds, date) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let base = serve(
            Router::new()
                .route(
                    "/seconds",
                    counted(&seconds, |n| match n {
                        0 => (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")])
                            .into_response(),
                        _ => "ok".into_response(),
                    }),
                )
                .route(
                    "/date",
                    counted(&date, |n| match n {
                        0 => {
                            let at = chrono::Utc::now() + chrono::Duration::seconds(2);
                            let value = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                            (
                                StatusCode::TOO_MANY_REQUESTS,
                                [(header::RETRY_AFTER, value)],
                            )
                                .into_response()
                        }
                        _ => "ok".into_response(),
                    }),
                ),
        )
        .await;
        let fetcher = fetcher(local());
        let started = Instant::now();
        fetcher
            .fetch_page(&base.join("seconds").unwrap())
            .await
            .unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "waited as asked"
        );
        assert_eq!(seconds.load(Ordering::SeqCst), 2);

        let started = Instant::now();
        fetcher
            .fetch_page(&base.join("date").unwrap())
            .await
            .unwrap();
        // The HTTP-date has a resolution of one second: at least one whole second remains.
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "waited as asked"
        );
        assert_eq!(date.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_fails_at_once_and_says_when() {
    bounded(async {
        let hits = Arc::new(AtomicUsize::new(0));
        let base = serve(Router::new().route(
            "/later",
            counted(&hits, |_| {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "3600")],
                )
                    .into_response()
            }),
        ))
        .await;
        let url = base.join("later").unwrap();
        let started = Instant::now();
        let err = fetcher(local()).fetch_page(&url).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Status {
                    status: 429,
                    retry_after: Some(3600),
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url}: HTTP 429 Too Many Requests (retry after 3600s)")
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1);
        assert!(started.elapsed() < Duration::from_secs(2));
    })
    .await;
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_limit() {
    bounded(async {
        let base = serve(
            Router::new()
                .route("/a", get(|| async { Redirect::to("/b") }))
                .route("/b", get(|| async { Redirect::to("/a") })),
        )
        .await;
        let url = base.join("a").unwrap();
        let err = fetcher(local()).fetch_page(&url).await.unwrap_err();
        assert_eq!(err.to_string(), format!("{url}: more than 5 redirects"));
    })
    .await;
}

#[tokio::test]
async fn the_guard_refuses_loopback_by_default_by_address_and_by_name() {
    bounded(async {
        let hits = Arc::new(AtomicUsize::new(0));
        let base =
            serve(Router::new().route("/feed.xml", counted(&hits, |_| RSS.into_response()))).await;
        let config = HttpConfig {
            per_host_delay_ms: 0,
            ..HttpConfig::default()
        };
        assert!(!config.allow_private_networks, "the guard is on by default");
        let fetcher = fetcher(config);
        let url = base.join("feed.xml").unwrap();
        let err = fetcher
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{url}: blocked: 127.0.0.1 is a loopback address (set allow_private_networks \
                 = true in [http] to allow)"
            )
        );

        // A name is checked on the address it resolves to.
        let mut by_name = url.clone();
        by_name.set_host(Some("localhost")).unwrap();
        let err = fetcher.fetch_page(&by_name).await.unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{by_name}: blocked: localhost resolves to ")),
            "{message}"
        );
        assert!(message.contains("a loopback address"), "{message}");

        let metadata = Url::parse("http://169.254.169.254/latest/meta-data/").unwrap();
        let err = fetcher.fetch_page(&metadata).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("169.254.169.254 is a cloud metadata address"),
            "{err}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing reached the server");
    })
    .await;
}

// A redirect from an allowed host to a private address, with the guard on, is tested in
// `src/client.rs` (`a_redirect_to_a_private_address_is_refused`): the guard refuses this
// loopback test server itself, and only a crate-internal seam can exempt it as a first hop.

#[tokio::test]
async fn the_gzip_bomb_of_the_corpus_stops_at_the_body_limit() {
    let bomb = std::fs::read(BOMB)
        .unwrap_or_else(|e| panic!("{BOMB}: {e} (the corpus is part of the repository)"));
    bounded(async {
        let base = serve(Router::new().route(
            "/bomb.xml",
            get(move || async move { ([(header::CONTENT_ENCODING, "gzip")], bomb) }),
        ))
        .await;
        let url = base.join("bomb.xml").unwrap();
        let started = Instant::now();
        let err = fetcher(local())
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    limit: 10_485_760,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url}: response body exceeds 10485760 bytes")
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await;
}

#[tokio::test]
async fn an_endless_body_stops_at_the_body_limit() {
    bounded(async {
        let base = serve(Router::new().route(
            "/endless",
            get(|| async {
                let chunk = vec![b'x'; 64 * 1024];
                Body::from_stream(futures_util::stream::repeat_with(move || {
                    Ok::<_, std::io::Error>(chunk.clone())
                }))
            }),
        ))
        .await;
        let config = HttpConfig {
            max_body_bytes: 1_000_000,
            ..local()
        };
        let err = fetcher(config)
            .fetch_page(&base.join("endless").unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    limit: 1_000_000,
                    ..
                }
            ),
            "{err:?}"
        );
    })
    .await;
}

/// "Новости Киева" in windows-1251.
const CP1251: &[u8] = b"\xcd\xee\xe2\xee\xf1\xf2\xe8 \xca\xe8\xe5\xe2\xe0";

#[tokio::test]
async fn pages_with_a_wrong_charset_label_are_decoded_right() {
    bounded(async {
        let mut cp1251_page = b"<html><head><title>".to_vec();
        cp1251_page.extend_from_slice(CP1251);
        cp1251_page.extend_from_slice(b"</title></head><body><p>");
        for _ in 0..20 {
            cp1251_page.extend_from_slice(CP1251);
            cp1251_page.push(b' ');
        }
        cp1251_page.extend_from_slice(b"</p></body></html>");
        let utf8_page =
            "<html><head><title>Новости Киева</title></head><body><p>Новости Киева</p></body></html>";
        let base = serve(
            Router::new()
                .route(
                    "/cp1251-as-utf8",
                    get(move || async move {
                        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], cp1251_page)
                    }),
                )
                .route(
                    "/utf8-as-cp1251",
                    get(move || async move {
                        (
                            [(header::CONTENT_TYPE, "text/html; charset=windows-1251")],
                            utf8_page,
                        )
                    }),
                ),
        )
        .await;
        let fetcher = fetcher(local());
        for path in ["cp1251-as-utf8", "utf8-as-cp1251"] {
            let page = fetcher.fetch_page(&base.join(path).unwrap()).await.unwrap();
            let text = newsmon_extractor::decode(&page.body, page.content_type.as_deref());
            assert!(text.contains("Новости Киева"), "{path}: {text}");
            assert!(!text.contains('\u{FFFD}'), "{path}: {text}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_feed_is_decoded_by_its_http_charset_when_the_prolog_has_none() {
    bounded(async {
        let mut feed = b"<rss version=\"2.0\"><channel><title>".to_vec();
        feed.extend_from_slice(CP1251);
        feed.extend_from_slice(b"</title><item><title>");
        feed.extend_from_slice(CP1251);
        feed.extend_from_slice(b"</title><link>/a/1</link></item></channel></rss>");
        let mut declared = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>".to_vec();
        declared.extend_from_slice(&feed);
        let base = serve(
            Router::new()
                .route(
                    "/labelled.rss",
                    get(move || async move {
                        (
                            [(
                                header::CONTENT_TYPE,
                                "application/rss+xml; charset=windows-1251",
                            )],
                            feed,
                        )
                    }),
                )
                .route(
                    "/declared.rss",
                    get(move || async move {
                        // The server's default label is wrong; the declaration is right.
                        (
                            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                            declared,
                        )
                    }),
                ),
        )
        .await;
        let fetcher = fetcher(local());
        for path in ["labelled.rss", "declared.rss"] {
            let poll = fetcher
                .poll_feed(&base.join(path).unwrap(), &Validators::default())
                .await
                .unwrap();
            let FeedPoll::Fetched { feed, .. } = poll else {
                panic!("{path}: expected a feed");
            };
            assert_eq!(feed.title.as_deref(), Some("Новости Киева"), "{path}");
            assert_eq!(
                feed.items[0].title.as_deref(),
                Some("Новости Киева"),
                "{path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn robots_txt_disallow_is_a_clear_error_and_is_fetched_once() {
    bounded(async {
        let robots_hits = Arc::new(AtomicUsize::new(0));
        let page_hits = Arc::new(AtomicUsize::new(0));
        let base = serve(
            Router::new()
                .route(
                    "/robots.txt",
                    counted(&robots_hits, |_| {
                        "User-agent: *\nDisallow: /\n\nUser-agent: newsmon\nDisallow: /private/\n"
                            .into_response()
                    }),
                )
                .route(
                    "/private/a.html",
                    counted(&page_hits, |_| "secret".into_response()),
                )
                .route("/news/a.html", get(|| async { "news" })),
        )
        .await;
        let fetcher = fetcher(local());
        let url = base.join("private/a.html").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Robots { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{url}: disallowed by robots.txt: {base}robots.txt disallows it for newsmon \
                 (rule `Disallow: /private/`)"
            )
        );
        let page = fetcher
            .fetch_page(&base.join("news/a.html").unwrap())
            .await
            .unwrap();
        assert_eq!(page.body, b"news");
        assert_eq!(page_hits.load(Ordering::SeqCst), 0);
        assert_eq!(robots_hits.load(Ordering::SeqCst), 1, "cached per host");
    })
    .await;
}

#[tokio::test]
async fn robots_txt_of_the_host_a_redirect_ends_on_applies() {
    bounded(async {
        let target = serve(
            Router::new()
                .route(
                    "/robots.txt",
                    get(|| async { "User-agent: *\nDisallow: /private/\n" }),
                )
                .route("/private/x", get(|| async { "secret" }))
                .route("/public/x", get(|| async { "public" })),
        )
        .await;
        let (private, public) = (
            target.join("private/x").unwrap().to_string(),
            target.join("public/x").unwrap().to_string(),
        );
        let base = serve(
            Router::new()
                .route(
                    "/to-private",
                    get(move || async move { Redirect::to(&private) }),
                )
                .route(
                    "/to-public",
                    get(move || async move { Redirect::to(&public) }),
                ),
        )
        .await;
        let fetcher = fetcher(local());
        let url = base.join("to-private").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Robots { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "{url}: disallowed by robots.txt: redirected to {target}private/x: "
            )),
            "{message}"
        );
        let page = fetcher
            .fetch_page(&base.join("to-public").unwrap())
            .await
            .unwrap();
        assert_eq!(page.body, b"public");
    })
    .await;
}

#[tokio::test]
async fn robots_txt_5xx_disallows_the_site_and_4xx_allows_it() {
    bounded(async {
        let down = serve(
            Router::new()
                .route(
                    "/robots.txt",
                    get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
                )
                .route("/page", get(|| async { "page" })),
        )
        .await;
        let absent = serve(Router::new().route("/page", get(|| async { "page" }))).await;
        let fetcher = fetcher(local());
        let url = down.join("page").unwrap();
        let err = fetcher.fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Robots { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{url}: disallowed by robots.txt: {down}robots.txt answered HTTP 503 Service \
                 Unavailable, which RFC 9309 §2.3.1.4 treats as disallowing the whole site"
            )
        );
        let page = fetcher
            .fetch_page(&absent.join("page").unwrap())
            .await
            .unwrap();
        assert_eq!(page.body, b"page");
    })
    .await;
}

#[tokio::test]
async fn crawl_delay_and_the_per_host_delay_space_requests_to_one_host() {
    bounded(async {
        let base = serve(
            Router::new()
                .route(
                    "/robots.txt",
                    get(|| async { "User-agent: newsmon\nCrawl-delay: 0.5\n" }),
                )
                .route("/p", get(|| async { "p" })),
        )
        .await;
        let other = serve(Router::new().route("/p", get(|| async { "p" }))).await;
        let config = HttpConfig {
            per_host_delay_ms: 200,
            ..local()
        };
        let fetcher = fetcher(config);
        let url = base.join("p").unwrap();
        fetcher.fetch_page(&url).await.unwrap();
        let started = Instant::now();
        fetcher.fetch_page(&url).await.unwrap();
        fetcher.fetch_page(&url).await.unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "Crawl-delay 0.5 s: {:?}",
            started.elapsed()
        );
        // The other host has no Crawl-delay: the configured 200 ms apply.
        let url = other.join("p").unwrap();
        let started = Instant::now();
        for _ in 0..3 {
            fetcher.fetch_page(&url).await.unwrap();
        }
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(400) && elapsed < Duration::from_millis(900),
            "{elapsed:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_re_poll_gets_304_and_costs_no_parse() {
    bounded(async {
        let base = serve(Router::new().route(
            "/feed.xml",
            get(|headers: HeaderMap| async move {
                if headers
                    .get(header::IF_NONE_MATCH)
                    .is_some_and(|v| v == "\"v1\"")
                {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                ([(header::ETAG, "\"v1\"")], RSS).into_response()
            }),
        ))
        .await;
        let fetcher = fetcher(local());
        let url = base.join("feed.xml").unwrap();
        let FeedPoll::Fetched { validators, .. } = fetcher
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap()
        else {
            panic!("first poll must fetch");
        };
        assert_eq!(
            fetcher.poll_feed(&url, &validators).await.unwrap(),
            FeedPoll::NotModified { lifetime: None }
        );
    })
    .await;
}

const HTTP_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/feeds/http");

#[tokio::test]
async fn compressed_bodies_of_the_corpus_decode_or_fail_clearly() {
    assert!(
        std::path::Path::new(HTTP_CORPUS).is_dir(),
        "{HTTP_CORPUS}: the corpus is part of the repository"
    );
    bounded(async {
        // (file, Content-Encoding, must it parse?)
        let cases = [
            ("gzip.gz", "gzip", true),
            ("deflate.z", "deflate", true),
            ("gzip-struct-error.gz", "gzip", false),
            ("gzip-not-compressed.gz", "gzip", false),
            ("deflate-no-headers.z", "deflate", false),
            ("deflate-not-compressed.z", "deflate", false),
        ];
        let mut router = Router::new();
        for (file, encoding, _) in cases {
            let body = std::fs::read(format!("{HTTP_CORPUS}/{file}")).unwrap();
            router = router.route(
                &format!("/{file}"),
                get(move || async move { ([(header::CONTENT_ENCODING, encoding)], body) }),
            );
        }
        let base = serve(router).await;
        let fetcher = fetcher(HttpConfig {
            retries: 0,
            ..local()
        });
        for (file, _, must_parse) in cases {
            let url = base.join(file).unwrap();
            match fetcher.poll_feed(&url, &Validators::default()).await {
                Ok(FeedPoll::Fetched { .. }) => {}
                Ok(other) => panic!("{file}: {other:?}"),
                Err(err) => {
                    assert!(!must_parse, "{file}: {err}");
                    let message = err.to_string();
                    assert!(message.starts_with(&format!("{url}: ")), "{message}");
                    assert!(!message.contains('\n'), "{message}");
                }
            }
        }
    })
    .await;
}
