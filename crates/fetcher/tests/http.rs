//! The real `Fetcher` against a real HTTP server on loopback.

// allow-unwrap-in-tests covers #[test] functions only, not the helpers of a test crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use newsmon_fetcher::{
    Error, FeedPoll, Fetcher, HttpConfig, Lifetime, LifetimeSource, PagePoll, Validators,
};
use url::Url;

use common::{bounded, fetcher, serve};

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback</title>
  <item><title>One</title><link>/articles/1?utm_source=rss</link></item>
  <item><title>Two</title><link>/articles/2</link></item>
</channel></rss>"#;

/// The defaults, with loopback allowed (the server is on 127.0.0.1), no per-host delay and no
/// retries, so that each test sees exactly the requests it makes.
fn local() -> HttpConfig {
    HttpConfig {
        allow_private_networks: true,
        per_host_delay_ms: 0,
        retries: 0,
        ..HttpConfig::default()
    }
}

fn fast_config() -> HttpConfig {
    HttpConfig {
        timeout_secs: 1,
        connect_timeout_secs: 1,
        ..local()
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn fetch_page_returns_body_content_type_and_sends_the_user_agent() {
    bounded(async {
        let base = serve(Router::new().route(
            "/page",
            get(|headers: HeaderMap| async move {
                let ua = headers[header::USER_AGENT].to_str().unwrap().to_string();
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    format!("<p>{ua}</p>"),
                )
            }),
        ))
        .await;
        let config = HttpConfig {
            user_agent: "newsmon-test/1".into(),
            ..local()
        };
        let url = base.join("page").unwrap();
        let page = fetcher(config).fetch_page(&url).await.unwrap();
        assert_eq!(page.status, 200);
        assert_eq!(page.url, url);
        assert_eq!(
            page.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(page.body, b"<p>newsmon-test/1</p>");
    })
    .await;
}

#[tokio::test]
async fn fetch_page_404_is_a_status_error_naming_the_url() {
    bounded(async {
        let base = serve(Router::new()).await;
        let url = base.join("missing").unwrap();
        let err = fetcher(local()).fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Status { status: 404, .. }), "{err:?}");
        assert_eq!(err.to_string(), format!("{url}: HTTP 404 Not Found"));
    })
    .await;
}

#[tokio::test]
async fn fetch_page_follows_redirects_and_reports_the_final_url() {
    bounded(async {
        let base = serve(
            Router::new()
                .route("/old", get(|| async { Redirect::permanent("/middle") }))
                .route("/middle", get(|| async { Redirect::to("/new") }))
                .route("/new", get(|| async { "moved here" })),
        )
        .await;
        let page = fetcher(local())
            .fetch_page(&base.join("old").unwrap())
            .await
            .unwrap();
        assert_eq!(page.url, base.join("new").unwrap());
        assert_eq!(page.body, b"moved here");
    })
    .await;
}

#[tokio::test]
async fn fetch_page_stops_after_max_redirects() {
    bounded(async {
        let base =
            serve(Router::new().route("/loop", get(|| async { Redirect::to("/loop") }))).await;
        let config = HttpConfig {
            max_redirects: 3,
            ..local()
        };
        let url = base.join("loop").unwrap();
        let err = fetcher(config).fetch_page(&url).await.unwrap_err();
        assert!(
            matches!(err, Error::TooManyRedirects { limit: 3, .. }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), format!("{url}: more than 3 redirects"));
    })
    .await;
}

#[tokio::test]
async fn fetch_page_caps_the_body() {
    bounded(async {
        let base = serve(Router::new().route("/big", get(|| async { vec![b'x'; 300_000] }))).await;
        let config = HttpConfig {
            max_body_bytes: 100_000,
            ..local()
        };
        let url = base.join("big").unwrap();
        let err = fetcher(config).fetch_page(&url).await.unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { limit: 100_000, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url}: response body exceeds 100000 bytes")
        );
    })
    .await;
}

#[tokio::test]
async fn body_at_exactly_the_cap_is_accepted() {
    bounded(async {
        let base = serve(Router::new().route("/exact", get(|| async { vec![b'x'; 1000] }))).await;
        let config = HttpConfig {
            max_body_bytes: 1000,
            ..local()
        };
        let page = fetcher(config)
            .fetch_page(&base.join("exact").unwrap())
            .await
            .unwrap();
        assert_eq!(page.body.len(), 1000);
    })
    .await;
}

#[tokio::test]
async fn the_cap_counts_decompressed_bytes() {
    bounded(async {
        // 4 MB of zeros gzip to about 4 KB: a small bomb.
        let bomb = gzip(&vec![0u8; 4_000_000]);
        assert!(bomb.len() < 100_000);
        let base = serve(Router::new().route(
            "/bomb",
            get(move || async move { ([(header::CONTENT_ENCODING, "gzip")], bomb) }),
        ))
        .await;
        let config = HttpConfig {
            max_body_bytes: 1_000_000,
            ..local()
        };
        let err = fetcher(config)
            .fetch_page(&base.join("bomb").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn a_stalled_response_times_out() {
    bounded(async {
        let base = serve(Router::new().route(
            "/stall",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "too late"
            }),
        ))
        .await;
        let url = base.join("stall").unwrap();
        let started = std::time::Instant::now();
        let err = fetcher(fast_config()).fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { secs: 1, .. }), "{err:?}");
        assert_eq!(err.to_string(), format!("{url}: timed out after 1s"));
        assert!(started.elapsed() < Duration::from_secs(4));
    })
    .await;
}

#[tokio::test]
async fn a_body_that_stalls_midway_times_out() {
    bounded(async {
        let base = serve(Router::new().route(
            "/trickle",
            get(|| async {
                let chunks = futures_util::stream::unfold(0, |n| async move {
                    if n > 0 {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    (n < 2).then(|| (Ok::<_, std::io::Error>(vec![b'x'; 10]), n + 1))
                });
                Body::from_stream(chunks)
            }),
        ))
        .await;
        let err = fetcher(fast_config())
            .fetch_page(&base.join("trickle").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    bounded(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let url = Url::parse(&format!("http://{addr}/feed.xml")).unwrap();
        let err = fetcher(fast_config()).fetch_page(&url).await.unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{url}: connection failed: ")),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
    })
    .await;
}

#[tokio::test]
async fn non_http_urls_are_refused() {
    let url = Url::parse("file:///etc/passwd").unwrap();
    let err = fetcher(local()).fetch_page(&url).await.unwrap_err();
    assert_eq!(err.to_string(), "file:///etc/passwd: not an http(s) URL");
}

#[tokio::test]
async fn empty_body_is_an_error() {
    bounded(async {
        let base = serve(Router::new().route("/empty", get(|| async { "" }))).await;
        let err = fetcher(local())
            .fetch_page(&base.join("empty").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Empty { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn poll_feed_uses_the_etag_and_gets_304_on_the_second_poll() {
    bounded(async {
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let base = serve(Router::new().route(
            "/feed.xml",
            get(move |headers: HeaderMap| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    if headers
                        .get(header::IF_NONE_MATCH)
                        .is_some_and(|v| v == "\"v1\"")
                    {
                        // A 304 repeats the freshness of the 200 (RFC 9111 §4.3.4).
                        return (
                            StatusCode::NOT_MODIFIED,
                            [(header::CACHE_CONTROL, "max-age=120")],
                        )
                            .into_response();
                    }
                    (
                        [
                            (header::ETAG, "\"v1\""),
                            (header::LAST_MODIFIED, "Tue, 15 Nov 2022 20:15:04 GMT"),
                            (header::CONTENT_TYPE, "application/rss+xml"),
                            (header::CACHE_CONTROL, "public, max-age=600"),
                        ],
                        RSS,
                    )
                        .into_response()
                }
            }),
        ))
        .await;
        let fetcher = fetcher(local());
        let url = base.join("feed.xml").unwrap();
        let FeedPoll::Fetched {
            feed,
            validators,
            status,
            lifetime,
        } = fetcher
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap()
        else {
            panic!("first poll must fetch");
        };
        assert_eq!(status, 200);
        assert_eq!(feed.items.len(), 2);
        assert_eq!(
            feed.items[0].link.as_ref().map(Url::as_str),
            Some(base.join("articles/1").unwrap().as_str()),
            "relative link resolved against the feed URL and canonicalised"
        );
        assert_eq!(
            validators,
            Validators {
                etag: Some("\"v1\"".into()),
                last_modified: Some("Tue, 15 Nov 2022 20:15:04 GMT".into()),
            }
        );
        let max_age = |secs| {
            Some(Lifetime {
                secs,
                source: LifetimeSource::MaxAge,
            })
        };
        assert_eq!(lifetime, max_age(600));
        assert_eq!(feed.ttl_mins, None);
        let second = fetcher.poll_feed(&url, &validators).await.unwrap();
        assert_eq!(
            second,
            FeedPoll::NotModified {
                lifetime: max_age(120)
            }
        );
        assert_eq!(hits.load(Ordering::SeqCst), 2);
    })
    .await;
}

/// `If-None-Match` and `If-Modified-Since` of one request.
type Conditional = (Option<String>, Option<String>);

#[tokio::test]
async fn poll_page_is_conditional_and_a_304_has_no_body() {
    bounded(async {
        let seen: Arc<std::sync::Mutex<Vec<Conditional>>> = Arc::default();
        let log = seen.clone();
        let base = serve(Router::new().route(
            "/sitemap.xml",
            get(move |headers: HeaderMap| {
                let log = log.clone();
                async move {
                    let get = |name| {
                        headers
                            .get(name)
                            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let conditional = (get(header::IF_NONE_MATCH), get(header::IF_MODIFIED_SINCE));
                    log.lock().unwrap().push(conditional.clone());
                    if conditional.1.as_deref() == Some("Tue, 15 Nov 2022 20:15:04 GMT") {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    (
                        [
                            (header::LAST_MODIFIED, "Tue, 15 Nov 2022 20:15:04 GMT"),
                            (header::DATE, "Tue, 15 Nov 2022 20:15:04 GMT"),
                            (header::EXPIRES, "Tue, 15 Nov 2022 21:15:04 GMT"),
                        ],
                        "<urlset/>",
                    )
                        .into_response()
                }
            }),
        ))
        .await;
        let fetcher = fetcher(local());
        let url = base.join("sitemap.xml").unwrap();
        let PagePoll::Fetched {
            page,
            validators,
            lifetime,
        } = fetcher
            .poll_page(&url, &Validators::default())
            .await
            .unwrap()
        else {
            panic!("first poll must fetch");
        };
        assert_eq!(page.body, b"<urlset/>");
        assert_eq!(validators.etag, None);
        assert_eq!(
            lifetime,
            Some(Lifetime {
                secs: 3600,
                source: LifetimeSource::Expires
            })
        );
        let second = fetcher.poll_page(&url, &validators).await.unwrap();
        assert_eq!(second, PagePoll::NotModified { lifetime: None });
        assert_eq!(
            *seen.lock().unwrap(),
            [
                (None, None),
                (None, Some("Tue, 15 Nov 2022 20:15:04 GMT".to_string()))
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn poll_feed_sends_if_modified_since() {
    bounded(async {
        let base = serve(Router::new().route(
            "/feed.xml",
            get(|headers: HeaderMap| async move {
                match headers.get(header::IF_MODIFIED_SINCE) {
                    Some(v) if v == "Tue, 15 Nov 2022 20:15:04 GMT" => {
                        StatusCode::NOT_MODIFIED.into_response()
                    }
                    _ => RSS.into_response(),
                }
            }),
        ))
        .await;
        let validators = Validators {
            etag: None,
            last_modified: Some("Tue, 15 Nov 2022 20:15:04 GMT".into()),
        };
        let poll = fetcher(local())
            .poll_feed(&base.join("feed.xml").unwrap(), &validators)
            .await
            .unwrap();
        assert_eq!(poll, FeedPoll::NotModified { lifetime: None });
    })
    .await;
}

#[tokio::test]
async fn poll_feed_decodes_a_gzip_body() {
    bounded(async {
        let body = gzip(RSS.as_bytes());
        let base = serve(Router::new().route(
            "/feed.xml.gz",
            get(move |headers: HeaderMap| {
                let body = body.clone();
                async move {
                    let accepts = headers
                        .get(header::ACCEPT_ENCODING)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .contains("gzip");
                    assert!(accepts, "the client must offer gzip");
                    ([(header::CONTENT_ENCODING, "gzip")], body)
                }
            }),
        ))
        .await;
        let poll = fetcher(local())
            .poll_feed(&base.join("feed.xml.gz").unwrap(), &Validators::default())
            .await
            .unwrap();
        let FeedPoll::Fetched { feed, .. } = poll else {
            panic!("expected a feed");
        };
        assert_eq!(feed.title.as_deref(), Some("Loopback"));
        assert_eq!(feed.items.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_corrupt_gzip_body_is_an_http_error() {
    bounded(async {
        let mut body = gzip(RSS.as_bytes());
        let middle = body.len() / 2;
        body[middle..].fill(0xAB);
        let base = serve(Router::new().route(
            "/bad.gz",
            get(move || async move { ([(header::CONTENT_ENCODING, "gzip")], body) }),
        ))
        .await;
        let url = base.join("bad.gz").unwrap();
        let err = fetcher(local())
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Http { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with(&format!("{url}: request failed: ")),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn poll_feed_of_an_html_page_says_so() {
    bounded(async {
        let base = serve(Router::new().route(
            "/blog",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<!DOCTYPE html><html><body>Sign in</body></html>",
                )
            }),
        ))
        .await;
        let url = base.join("blog").unwrap();
        let err = fetcher(local())
            .poll_feed(&url, &Validators::default())
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{url}: not a feed: an HTML page, not RSS, Atom or JSON Feed (served as text/html)"
            )
        );
    })
    .await;
}

#[tokio::test]
async fn concurrency_limit_is_global_across_clones() {
    bounded(async {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let (now, max) = (in_flight.clone(), peak.clone());
        let base = serve(Router::new().route(
            "/slow",
            get(move || {
                let (now, max) = (now.clone(), max.clone());
                async move {
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(current, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    "ok"
                }
            }),
        ))
        .await;
        let config = HttpConfig {
            concurrency: 2,
            ..local()
        };
        let fetcher = fetcher(config);
        let url = base.join("slow").unwrap();
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (fetcher, url) = (fetcher.clone(), url.clone());
                tokio::spawn(async move { fetcher.fetch_page(&url).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let peak = peak.load(Ordering::SeqCst);
        assert!((1..=2).contains(&peak), "peak in flight {peak}");
    })
    .await;
}

#[test]
fn invalid_config_names_the_key() {
    let cases = [
        (
            HttpConfig {
                concurrency: 0,
                ..HttpConfig::default()
            },
            "http config: concurrency: must be at least 1",
        ),
        (
            HttpConfig {
                timeout_secs: 0,
                ..HttpConfig::default()
            },
            "http config: timeout_secs: must be at least 1",
        ),
        (
            HttpConfig {
                user_agent: "bad\nagent".into(),
                ..HttpConfig::default()
            },
            "http config: user_agent: ",
        ),
    ];
    for (config, want) in cases {
        let err = Fetcher::new(&config).unwrap_err().to_string();
        assert!(err.starts_with(want), "{err}");
    }
}
