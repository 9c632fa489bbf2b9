//! The served news web of the benchmarks: N RSS feeds × M articles of about 90 KB on one
//! loopback host, answered by an axum server on its own thread.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
struct Site {
    base: String,
    articles: usize,
}

/// Starts the server; its base URL (`http://127.0.0.1:port`): feeds at `/feed/{n}`.
pub fn start_server(articles: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let site = Site {
        base: base.clone(),
        articles,
    };
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new()
                .route("/feed/{feed}", axum::routing::get(feed))
                .route("/a/{feed}/{article}", axum::routing::get(page))
                .with_state(site);
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

/// An RSS feed of M items; its ETag never changes, so a conditional re-poll gets 304.
async fn feed(
    State(site): State<Site>,
    UrlPath(feed): UrlPath<usize>,
    headers: HeaderMap,
) -> Response {
    let etag = format!("\"feed-{feed}-v1\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench feed</title><link>https://bench.example/</link><description>x</description>",
    );
    for article in 0..site.articles {
        write!(
            body,
            "<item><title>Story {feed}-{article}: leaders weigh security guarantees</title>\
             <link>{}/a/{feed}/{article}?utm_source=rss</link>\
             <guid isPermaLink=\"false\">bench-{feed}-{article}</guid>\
             <pubDate>Tue, 06 Jan 2026 10:{:02}:00 GMT</pubDate>\
             <description>Summary of story {feed}-{article} about the talks in Paris.</description></item>",
            site.base,
            article % 60
        )
        .unwrap();
    }
    body.push_str("</channel></rss>");
    (
        [
            (
                header::CONTENT_TYPE,
                "application/rss+xml; charset=utf-8".to_string(),
            ),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

/// A news page of about 90 KB: head scripts and styles, navigation, a 12-paragraph article
/// (about 7 KB of text, with phrases the taxonomy tags), related links and a footer.
async fn page(UrlPath((feed, article)): UrlPath<(usize, usize)>) -> Response {
    let mut html = String::with_capacity(96 * 1024);
    write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Story {feed}-{article}: leaders weigh security guarantees | Bench News</title>\
         <link rel=\"canonical\" href=\"/a/{feed}/{article}\">\
         <meta property=\"article:published_time\" content=\"2026-01-06T10:00:00Z\">\
         <meta property=\"og:description\" content=\"Leaders met in Paris.\">"
    )
    .unwrap();
    for i in 0..30 {
        write!(
            html,
            "<script>window.__cfg{i} = {{\"ads\": [\"slot-a\", \"slot-b\"], \"consent\": true, \
             \"tracking\": \"{}\"}};</script>",
            "x".repeat(900)
        )
        .unwrap();
        write!(
            html,
            "<style>.c{i} {{ margin: 0 auto; padding: 4px; color: #333; {} }}</style>",
            " ".repeat(400)
        )
        .unwrap();
    }
    html.push_str("</head><body><header><nav><ul>");
    for i in 0..60 {
        write!(html, "<li><a href=\"/section/{i}\">Section {i}</a></li>").unwrap();
    }
    write!(
        html,
        "</ul></nav></header><main><article><h1>Story {feed}-{article}: leaders weigh security \
         guarantees</h1><p class=\"byline\">By Bench Reporter</p>"
    )
    .unwrap();
    let paragraphs = [
        "European military chiefs met in Paris on Tuesday to plan a multinational force that \
         would deploy to Ukraine after a ceasefire, officials said.",
        "The coalition of the willing discussed a three-tier security guarantee, with Ukraine's \
         own army as the first line of defence and a European force behind it.",
        "Washington was asked for a backstop, an American commitment to support the European \
         force if it were attacked, which several leaders called essential.",
        "A prosperity plan worth $800 billion over ten years was also on the table, mixing \
         public capital with private investment for reconstruction.",
        "Kyiv insisted that no territory would be ceded, while negotiators looked at \
         arbitration over the occupied regions and the Zaporizhzhia nuclear plant.",
        "Diplomats said the talks would continue next week in Washington, with a summit of \
         leaders possible before the end of the month.",
    ];
    for i in 0..12 {
        write!(
            html,
            "<p>{} Story {feed}-{article}, paragraph {i}: the delegations compared notes on \
             logistics, timelines and financing, and agreed to meet again.</p>",
            paragraphs[i % paragraphs.len()]
        )
        .unwrap();
    }
    html.push_str("</article><aside><h2>Related</h2><ul>");
    for i in 0..40 {
        write!(
            html,
            "<li><a href=\"/a/{feed}/{}\">Related story {i} with a long headline</a></li>",
            (article + i + 1) % 1000
        )
        .unwrap();
    }
    html.push_str("</ul></aside></main><footer>");
    for i in 0..50 {
        write!(html, "<a href=\"/legal/{i}\">Legal notice {i}</a> ").unwrap();
    }
    html.push_str("<p>© Bench News</p></footer></body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
