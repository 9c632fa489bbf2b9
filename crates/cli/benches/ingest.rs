//! Ingest benchmark: N feeds × M articles of realistic size served from loopback, ingested by
//! the real `newsmon` binary (release build), then a re-poll of the same feeds (all 304).
//!
//! ```sh
//! cargo bench -p newsmon-cli --bench ingest                      # 100×100, 1000×20 + re-poll
//! cargo bench -p newsmon-cli --bench ingest -- --feeds 10 --articles 10
//! ```
//!
//! Reports wall time, articles/s, CPU seconds per article and peak RSS of the newsmon process
//! (read from /proc, so Linux only), and the per-stage seconds newsmon's summary gives. The
//! server runs in this process on its own thread; its CPU is not counted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let scenarios = match (flag("--feeds"), flag("--articles")) {
        (Some(feeds), Some(articles)) => vec![(feeds, articles)],
        _ => vec![(100, 100), (1000, 20)],
    };
    println!(
        "| feeds × articles | articles | wall s | articles/s | CPU s | CPU ms/article | peak RSS MiB | list | fetch | extract | tag | index | commit |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (feeds, articles) in scenarios {
        let base = start_server(articles);
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &base, feeds);
        let first = ingest(dir.path());
        assert_eq!(
            first.summary["articles_new"].as_u64(),
            Some((feeds * articles) as u64),
            "{}",
            first.summary
        );
        println!(
            "{}",
            first.row(&format!("{feeds} × {articles}"), feeds * articles)
        );
        let again = ingest(dir.path());
        assert_eq!(
            again.summary["sources_not_modified"].as_u64(),
            Some(feeds as u64),
            "{}",
            again.summary
        );
        println!(
            "{}",
            again.row(&format!("re-poll {feeds} feeds (all 304)"), 0)
        );
    }
}

struct Measured {
    wall: Duration,
    cpu_secs: f64,
    peak_rss_kib: u64,
    summary: serde_json::Value,
}

impl Measured {
    fn row(&self, name: &str, articles: usize) -> String {
        let wall = self.wall.as_secs_f64();
        let stage = |key: &str| {
            self.summary["stage_seconds"][key]
                .as_f64()
                .map_or("-".into(), |s| format!("{s:.1}"))
        };
        let per_article = |value: f64| {
            if articles == 0 {
                "-".to_string()
            } else {
                format!("{value:.1}")
            }
        };
        let mut row = format!(
            "| {name} | {articles} | {wall:.2} | {} | {:.2} | {} | {:.0} |",
            per_article(articles as f64 / wall),
            self.cpu_secs,
            per_article(self.cpu_secs * 1000.0 / articles.max(1) as f64),
            self.peak_rss_kib as f64 / 1024.0,
        );
        for key in ["list", "fetch", "extract", "tag", "index", "commit"] {
            write!(row, " {} |", stage(key)).unwrap();
        }
        row
    }
}

/// Runs `newsmon ingest --format json` and measures it from /proc.
fn ingest(dir: &Path) -> Measured {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_newsmon"))
        .arg("--config")
        .arg(dir.join("newsmon.toml"))
        .arg("--index")
        .arg(dir.join("index"))
        .args(["ingest", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak_rss_kib = 0;
    let ticks = clock_ticks();
    // Sample until the process is a zombie: its CPU times are still readable then, and gone
    // once it is reaped.
    let cpu_secs = loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kib) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak_rss_kib = peak_rss_kib.max(kib);
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // Fields after the command name (which is in parentheses and may hold spaces).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        if fields[0] == "Z" {
            let utime: f64 = fields[11].parse().unwrap();
            let stime: f64 = fields[12].parse().unwrap();
            break (utime + stime) / ticks;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = child.wait_with_output().unwrap();
    let wall = started.elapsed();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
    Measured {
        wall,
        cpu_secs,
        peak_rss_kib,
        summary: serde_json::from_slice(&output.stdout).unwrap(),
    }
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn write_config(dir: &Path, base: &str, feeds: usize) {
    let taxonomy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/taxonomy.toml");
    // Every feed is on one loopback host, standing for many hosts: the per-host politeness
    // limits would otherwise serialise the whole benchmark behind one host's delay.
    let mut config = format!(
        "taxonomy = {:?}\n[http]\nallow_private_networks = true\nper_host_concurrency = 8\n\
         per_host_delay_ms = 0\n",
        taxonomy.display().to_string()
    );
    for i in 0..feeds {
        write!(
            config,
            "\n[[source]]\nname = \"feed {i}\"\nurl = \"{base}/feed/{i}\"\n"
        )
        .unwrap();
    }
    std::fs::write(dir.join("newsmon.toml"), config).unwrap();
}

#[derive(Clone)]
struct Site {
    base: String,
    articles: usize,
}

fn start_server(articles: usize) -> String {
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
