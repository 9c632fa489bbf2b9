//! A programmable news site on loopback, and newsmon processes that run in the background.
//!
//! `MockSite` answers each path with what the test set (and may change between runs), sends an
//! ETag and honours `If-None-Match`, can answer slowly, counts requests, and records the most
//! it had in flight at once. `Background` is a
//! `newsmon` child process whose standard error is collected while it runs.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::{Run, TestDir};

#[derive(Clone)]
struct MockPage {
    content_type: String,
    body: String,
    delay: Duration,
}

#[derive(Clone, Default)]
struct Shared {
    pages: Arc<Mutex<HashMap<String, MockPage>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    /// Every request's arrival, in order.
    log: Arc<Mutex<Vec<(Instant, String)>>>,
    /// Requests being answered now, and the most there ever were.
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

/// Counts a request in flight until the handler returns or is dropped.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(shared: &Shared) -> InFlight {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(Arc::clone(&shared.in_flight))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A site whose pages the test sets. `{{BASE}}` in a body is replaced by the site's base URL.
pub struct MockSite {
    pub base: String,
    shared: Shared,
}

impl MockSite {
    pub fn start() -> MockSite {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared::default();
        let state = shared.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = Router::new().fallback(serve).with_state(state);
                axum::serve(listener, app).await.unwrap();
            });
        });
        MockSite { base, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// Serves `body` at `path` (with its query, if any) as `content_type`.
    pub fn set(&self, path: &str, content_type: &str, body: &str) {
        self.set_slow(path, content_type, body, Duration::ZERO);
    }

    /// Like [`MockSite::set`], answering after `delay`.
    pub fn set_slow(&self, path: &str, content_type: &str, body: &str, delay: Duration) {
        let page = MockPage {
            content_type: content_type.to_string(),
            body: body.replace("{{BASE}}", &self.base),
            delay,
        };
        self.shared.pages.lock().unwrap().insert(normal(path), page);
    }

    /// Requests for `path` so far, whatever the answer.
    pub fn hits(&self, path: &str) -> usize {
        self.shared
            .hits
            .lock()
            .unwrap()
            .get(&normal(path))
            .copied()
            .unwrap_or(0)
    }
}

impl MockSite {
    /// Every request so far: when it arrived, and its path (with the query).
    pub fn requests(&self) -> Vec<(Instant, String)> {
        self.shared.log.lock().unwrap().clone()
    }

    /// The most requests the site was answering at once (it is one host).
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

fn normal(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

async fn serve(State(shared): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let _in_flight = InFlight::enter(&shared);
    let key = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
    let page = {
        *shared.hits.lock().unwrap().entry(key.clone()).or_default() += 1;
        shared
            .log
            .lock()
            .unwrap()
            .push((Instant::now(), key.clone()));
        let pages = shared.pages.lock().unwrap();
        pages.get(&key).or_else(|| pages.get(uri.path())).cloned()
    };
    let Some(page) = page else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !page.delay.is_zero() {
        tokio::time::sleep(page.delay).await;
    }
    let etag = format!("\"{}\"", blake3::hash(page.body.as_bytes()).to_hex());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, page.content_type),
            (header::ETAG, etag),
        ],
        page.body,
    )
        .into_response()
}

/// An RSS 2.0 feed of `(path, title)` items, linking to `{{BASE}}/path`.
pub fn rss(items: &[(&str, &str)]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Mock</title>");
    for (path, title) in items {
        out += &format!(
            "<item><title>{title}</title><link>{{{{BASE}}}}/{}</link>\
             <pubDate>Tue, 06 Jan 2026 10:00:00 GMT</pubDate></item>",
            path.trim_start_matches('/')
        );
    }
    out + "</channel></rss>"
}

/// A news article page of about 6 KB, with a `rel=canonical` when `canonical` is given.
pub fn article(title: &str, canonical: Option<&str>, words: &str) -> String {
    let canonical = canonical
        .map(|c| format!("<link rel=\"canonical\" href=\"{c}\">"))
        .unwrap_or_default();
    let paragraph = format!(
        "<p>{words}. Officials from several European capitals met on Tuesday to discuss the \
         next steps, and a spokesperson said that the talks would continue later this month \
         with a wider group of delegations and their advisers.</p>"
    );
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title} | Mock News</title>{canonical}\
         <meta property=\"article:published_time\" content=\"2026-01-06T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{}</article>\
         <footer>Mock News</footer></body></html>",
        paragraph.repeat(12)
    )
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const RSS: &str = "application/rss+xml; charset=utf-8";
pub const XML: &str = "application/xml; charset=utf-8";

impl TestDir {
    /// `write_config`, with `http` lines added to its `[http]` table and `tail` (more tables)
    /// appended.
    pub fn write_config_with(&self, sources: &[(&str, String)], http: &str, tail: &str) -> PathBuf {
        let path = self.write_config(sources);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen("[http]\n", &format!("[http]\n{http}\n"), 1);
        self.write("newsmon.toml", &format!("{text}\n{tail}\n"))
    }

    /// Starts `newsmon ARGS...` in the background against this directory.
    pub fn spawn(&self, args: &[&str]) -> Background {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsmon"))
            .arg("--config")
            .arg(self.path("newsmon.toml"))
            .arg("--index")
            .arg(self.path("index"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Background { child, stderr }
    }

    /// `search '*'`: the URLs of every indexed article.
    pub fn indexed_urls(&self) -> Vec<String> {
        let run = self.newsmon(&["search", "*", "--limit", "100000", "--format", "json"]);
        if run.code == 2 && run.stderr.contains("no index here") {
            return Vec::new();
        }
        assert!(run.code == 0 || run.code == 1, "{run:?}");
        run.json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["url"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A `newsmon` process running in the background.
pub struct Background {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Background {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until standard error contains `needle`; false after `timeout`.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        eventually(timeout, || self.stderr().contains(needle))
    }

    /// Sends a signal by name (`TERM`, `INT`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Waits for the exit, at most `timeout` (then kills it and fails).
    pub fn wait(mut self, timeout: Duration) -> Run {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > timeout {
                self.child.kill().ok();
                panic!(
                    "newsmon did not exit within {timeout:?}:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stdout = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            out.read_to_string(&mut stdout).ok();
        }
        // Let the reader thread drain what the process wrote last.
        std::thread::sleep(Duration::from_millis(100));
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr: self.stderr(),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Polls `check` every 50 ms until it holds or `timeout` passes.
pub fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if check() {
            return true;
        }
        if started.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
