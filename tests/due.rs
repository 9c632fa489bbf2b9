//! When a source is due, as its server asks: a feed's `<ttl>`, `Cache-Control: max-age`, and
//! `Retry-After` on 503 and 429 move the next poll (within `[schedule]`'s ceiling), and
//! `newsmon sources` says why; sitemaps and listing pages are fetched with conditional GET.
//!
//! The site here logs every request with its conditional headers and the status it answered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::util::mock::{HTML, RSS, XML, article, eventually};
use crate::util::{TestDir, serve_in_background};

const SCHEDULE: &str =
    "[schedule]\njitter_secs = 0\ncommit_every_secs = 1\nshutdown_grace_secs = 5\n";

#[derive(Clone)]
struct Page {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

/// One request as the site saw it.
#[derive(Debug, Clone, PartialEq)]
struct Request {
    path: String,
    if_none_match: Option<String>,
    if_modified_since: Option<String>,
    status: u16,
}

#[derive(Default)]
struct Pages {
    pages: Mutex<HashMap<String, Page>>,
    log: Mutex<Vec<Request>>,
}

/// A site that answers 304 when `If-None-Match` or `If-Modified-Since` matches the page's
/// `ETag` or `Last-Modified` exactly, repeating its caching headers, as servers do.
struct Site {
    base: String,
    pages: Arc<Pages>,
}

impl Site {
    fn start() -> Site {
        let pages = Arc::new(Pages::default());
        let state = Arc::clone(&pages);
        let addr = serve_in_background(move |_| Router::new().fallback(serve).with_state(state));
        Site {
            base: format!("http://{addr}"),
            pages,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn set(&self, path: &str, status: u16, headers: &[(&'static str, &str)], body: &str) {
        let page = Page {
            status,
            headers: headers.iter().map(|(n, v)| (*n, v.to_string())).collect(),
            body: body.replace("{{BASE}}", &self.base),
        };
        self.pages.pages.lock().unwrap().insert(path.into(), page);
    }

    fn article(&self, path: &str, title: &str) {
        self.set(
            path,
            200,
            &[("content-type", HTML)],
            &article(title, None, "Leaders met"),
        );
    }

    /// The requests for `path` so far.
    fn requests(&self, path: &str) -> Vec<Request> {
        let log = self.pages.log.lock().unwrap();
        log.iter().filter(|r| r.path == path).cloned().collect()
    }
}

async fn serve(State(pages): State<Arc<Pages>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let page = pages.pages.lock().unwrap().get(&path).cloned();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let mut request = Request {
        path,
        if_none_match: text(header::IF_NONE_MATCH),
        if_modified_since: text(header::IF_MODIFIED_SINCE),
        status: 404,
    };
    let Some(page) = page else {
        pages.log.lock().unwrap().push(request);
        return StatusCode::NOT_FOUND.into_response();
    };
    let own = |name: &str| {
        page.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let unchanged = (request.if_none_match.is_some() && request.if_none_match == own("etag"))
        || (request.if_modified_since.is_some()
            && request.if_modified_since == own("last-modified"));
    request.status = if unchanged && page.status == 200 {
        304
    } else {
        page.status
    };
    let status = StatusCode::from_u16(request.status).unwrap();
    pages.log.lock().unwrap().push(request);
    let mut response = if status == StatusCode::NOT_MODIFIED {
        status.into_response()
    } else {
        (status, page.body).into_response()
    };
    for (name, value) in &page.headers {
        let keep = status != StatusCode::NOT_MODIFIED || *name != "content-type";
        if keep {
            response.headers_mut().insert(*name, value.parse().unwrap());
        }
    }
    response
}

fn rss(ttl: Option<u32>, links: &[&str]) -> String {
    let ttl = ttl.map(|t| format!("<ttl>{t}</ttl>")).unwrap_or_default();
    let items: String = links
        .iter()
        .map(|l| format!("<item><title>Story {l}</title><link>{{{{BASE}}}}{l}</link></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{ttl}{items}</channel></rss>"
    )
}

fn sources_json(dir: &TestDir) -> Vec<Value> {
    let run = dir.newsmon(&["sources", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json().as_array().unwrap().clone()
}

fn source<'a>(sources: &'a [Value], name: &str) -> &'a Value {
    sources.iter().find(|s| s["name"] == name).unwrap()
}

/// Minutes from the last poll to the next due time, and why.
fn due(sources: &[Value], name: &str) -> (i64, String) {
    let source = source(sources, name);
    let at = |key: &str| {
        chrono::DateTime::parse_from_rfc3339(source[key].as_str().unwrap_or_else(|| {
            panic!("{name}: no {key}: {source}");
        }))
        .unwrap()
    };
    (
        (at("next_due") - at("last_poll")).num_minutes(),
        source["due_reason"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[test]
fn a_feed_ttl_or_max_age_holds_the_next_poll_back_and_run_keeps_to_it() {
    let site = Site::start();
    let feed = |path: &str, ttl, extra: &[(&'static str, &str)], etag: &str, link: &str| {
        let mut headers = vec![("content-type", RSS), ("etag", etag)];
        headers.extend_from_slice(extra);
        site.set(path, 200, &headers, &rss(ttl, &[link]));
    };
    feed("/ttl.xml", Some(90), &[], "\"t1\"", "/a/1");
    feed(
        "/maxage.xml",
        None,
        &[("cache-control", "public, max-age=7200")],
        "\"m1\"",
        "/a/2",
    );
    feed("/plain.xml", None, &[], "\"p1\"", "/a/3");
    // A TTL shorter than the interval changes nothing.
    feed("/short.xml", Some(5), &[], "\"s1\"", "/a/4");
    for (i, path) in ["/a/1", "/a/2", "/a/3", "/a/4"].iter().enumerate() {
        site.article(path, &format!("Story {i}"));
    }
    let dir = TestDir::new();
    let sources = [
        ("ttl", site.url("/ttl.xml")),
        ("maxage", site.url("/maxage.xml")),
        ("plain", site.url("/plain.xml")),
        ("short", site.url("/short.xml")),
    ];
    dir.write_config_with(&sources, "", SCHEDULE);
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 0, "{run:?}");
    let state = sources_json(&dir);
    assert_eq!(due(&state, "ttl"), (90, "ttl 90m".into()));
    assert_eq!(due(&state, "maxage"), (120, "max-age 7200s".into()));
    assert_eq!(due(&state, "plain"), (15, "interval".into()));
    assert_eq!(due(&state, "short"), (15, "interval".into()));

    // The feed answers 304 the second time: its TTL, stored at the download, still holds.
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 0, "{run:?}");
    let polls = site.requests("/ttl.xml");
    assert_eq!(polls.len(), 2, "{polls:?}");
    assert_eq!(polls[1].if_none_match.as_deref(), Some("\"t1\""));
    assert_eq!(polls[1].status, 304);
    let state = sources_json(&dir);
    assert_eq!(source(&state, "ttl")["status"], 304);
    assert_eq!(due(&state, "ttl"), (90, "ttl 90m".into()));
    // A 304 repeats max-age, and it still counts.
    assert_eq!(source(&state, "maxage")["status"], 304);
    assert_eq!(due(&state, "maxage"), (120, "max-age 7200s".into()));

    // `run` polls a new source at once and the others not before they are due; it computes
    // the same due times.
    feed("/late.xml", Some(45), &[], "\"l1\"", "/a/5");
    site.article("/a/5", "Story 5");
    let mut with_late = sources.to_vec();
    with_late.push(("late", site.url("/late.xml")));
    dir.write_config_with(&with_late, "", SCHEDULE);
    let before: Vec<usize> = sources
        .iter()
        .map(|(_, url)| site.requests(url.trim_start_matches(&site.base)).len())
        .collect();
    let run = dir.spawn(&["run"]);
    assert!(
        eventually(Duration::from_secs(20), || {
            run.stderr().contains("source polled") && run.stderr().contains("committed")
        }),
        "{}",
        run.stderr()
    );
    // A moment more, in which a wrongly due source would be polled too.
    std::thread::sleep(Duration::from_millis(1500));
    run.signal("TERM");
    let stopped = run.wait(Duration::from_secs(15));
    assert_eq!(stopped.code, 0, "{stopped:?}");
    assert!(
        stopped.stderr.contains("due_because") && stopped.stderr.contains("ttl 45m"),
        "{stopped:?}"
    );
    let after: Vec<usize> = sources
        .iter()
        .map(|(_, url)| site.requests(url.trim_start_matches(&site.base)).len())
        .collect();
    assert_eq!(before, after, "no source polled before it was due");
    assert_eq!(site.requests("/late.xml").len(), 1);
    let state = sources_json(&dir);
    assert_eq!(due(&state, "late"), (45, "ttl 45m".into()));

    // The table says why.
    let table = dir.newsmon(&["sources"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert!(
        table.stdout.contains("why") && table.stdout.contains("max-age 7200s"),
        "{table:?}"
    );
}

#[test]
fn retry_after_on_503_and_429_postpones_the_source_up_to_the_ceiling() {
    let site = Site::start();
    let in_3h = (chrono::Utc::now() + chrono::Duration::hours(3))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    site.set("/busy.xml", 503, &[("retry-after", "7200")], "down");
    site.set(
        "/limited.xml",
        429,
        &[("retry-after", in_3h.as_str())],
        "slow down",
    );
    site.set(
        "/forever.xml",
        503,
        &[("retry-after", "315360000")],
        "ten years",
    );
    site.set(
        "/past.xml",
        503,
        &[("retry-after", "Wed, 07 Jan 2026 09:00:00 GMT")],
        "down",
    );
    // Retry-After on another status is not an ask to wait.
    site.set("/teapot.xml", 500, &[("retry-after", "7200")], "oops");
    let dir = TestDir::new();
    dir.write_config_with(
        &[
            ("busy", site.url("/busy.xml")),
            ("limited", site.url("/limited.xml")),
            ("forever", site.url("/forever.xml")),
            ("past", site.url("/past.xml")),
            ("teapot", site.url("/teapot.xml")),
        ],
        "retries = 0",
        SCHEDULE,
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    let state = sources_json(&dir);
    assert_eq!(source(&state, "busy")["status"], 503);
    assert_eq!(source(&state, "busy")["consecutive_failures"], 1);
    // One failure backs off to 30 minutes; the server asked for two hours.
    assert_eq!(due(&state, "busy"), (120, "retry-after 7200s".into()));
    let (minutes, why) = due(&state, "limited");
    assert!((179..=180).contains(&minutes), "{minutes} {why}");
    let secs: u64 = why
        .strip_prefix("retry-after ")
        .and_then(|s| s.strip_suffix('s'))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{why}"));
    assert!((10_780..=10_800).contains(&secs), "{why}");
    assert_eq!(
        due(&state, "forever"),
        (1440, "retry-after 315360000s (ceiling 1440m)".into())
    );
    assert_eq!(due(&state, "past"), (30, "backoff after 1 failure".into()));
    assert_eq!(
        due(&state, "teapot"),
        (30, "backoff after 1 failure".into())
    );

    // A lower ceiling cuts the two hours down.
    dir.write_config_with(
        &[("busy", site.url("/busy.xml"))],
        "retries = 0",
        &format!("{SCHEDULE}max_interval_mins = 60\n"),
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    let state = sources_json(&dir);
    assert_eq!(
        due(&state, "busy"),
        (60, "retry-after 7200s (ceiling 60m)".into())
    );
}

#[test]
fn a_sitemap_and_a_listing_page_answer_304_on_the_second_poll() {
    let site = Site::start();
    let last_modified = "Tue, 06 Jan 2026 10:00:00 GMT";
    let urlset = |links: &[&str]| {
        let urls: String = links
            .iter()
            .map(|l| {
                format!(
                    "<url><loc>{{{{BASE}}}}{l}</loc><news:news>\
                     <news:publication_date>2026-01-06T10:00:00Z</news:publication_date>\
                     <news:title>Story {l}</news:title></news:news></url>"
                )
            })
            .collect();
        format!(
            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">{urls}</urlset>"
        )
    };
    let sitemap_headers = [("content-type", XML), ("etag", "\"s1\"")];
    site.set("/news.xml", 200, &sitemap_headers, &urlset(&["/s/1"]));
    site.set(
        "/world/",
        200,
        &[("content-type", HTML), ("last-modified", last_modified)],
        "<html><body><main><article><h2><a href=\"/w/1\">One</a></h2></article>\
         <article><h2><a href=\"/w/2\">Two</a></h2></article></main></body></html>",
    );
    // An index keeps no validators: its children change without it.
    site.set(
        "/index.xml",
        200,
        &[("content-type", XML), ("etag", "\"i1\"")],
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <sitemap><loc>{{BASE}}/child.xml</loc></sitemap></sitemapindex>",
    );
    site.set(
        "/child.xml",
        200,
        &[("content-type", XML)],
        &urlset(&["/c/1"]),
    );
    for path in ["/s/1", "/w/1", "/w/2", "/c/1"] {
        site.article(path, &format!("Story {path}"));
    }
    let dir = TestDir::new();
    let config = |selector: &str| {
        format!(
            "{SCHEDULE}\n[[source]]\nname = \"sitemap\"\nurl = \"{}\"\nkind = \"sitemap\"\n\
             [[source]]\nname = \"index\"\nurl = \"{}\"\nkind = \"sitemap\"\n\
             [[source]]\nname = \"world\"\nurl = \"{}\"\nselector = \"{selector}\"\n",
            site.url("/news.xml"),
            site.url("/index.xml"),
            site.url("/world/"),
        )
    };
    dir.write_config_with(&[], "", &config("main article h2 a"));
    let first = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(first.json()["articles_new"], 4, "{first:?}");
    let second = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(second.json()["sources_not_modified"], 2, "{second:?}");
    assert_eq!(second.json()["articles_new"], 0, "{second:?}");

    let request = |inm: Option<&str>, ims: Option<&str>, status| Request {
        path: String::new(),
        if_none_match: inm.map(String::from),
        if_modified_since: ims.map(String::from),
        status,
    };
    let seen = |path: &str| -> Vec<Request> {
        site.requests(path)
            .into_iter()
            .map(|r| Request {
                path: String::new(),
                ..r
            })
            .collect()
    };
    assert_eq!(
        seen("/news.xml"),
        [request(None, None, 200), request(Some("\"s1\""), None, 304)]
    );
    assert_eq!(
        seen("/world/"),
        [
            request(None, None, 200),
            request(None, Some(last_modified), 304)
        ]
    );
    assert_eq!(
        seen("/index.xml"),
        [request(None, None, 200), request(None, None, 200)]
    );
    assert_eq!(seen("/child.xml").len(), 2);
    let state = sources_json(&dir);
    for (name, status) in [("sitemap", 304), ("world", 304), ("index", 200)] {
        assert_eq!(source(&state, name)["status"], status, "{name}");
    }
    // No article was fetched again.
    assert_eq!(site.requests("/s/1").len(), 1);
    assert_eq!(site.requests("/w/1").len(), 1);

    // A changed selector is not hidden by a 304: the page is fetched in full and parsed again.
    dir.write_config_with(&[], "", &config("main article:first-child h2 a"));
    let third = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(third.code, 0, "{third:?}");
    let world = seen("/world/");
    assert_eq!(world.last(), Some(&request(None, None, 200)), "{world:?}");
    assert_eq!(third.json()["sources_not_modified"], 1, "{third:?}");
    // And with the new selector stored, the next poll is conditional again.
    let fourth = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(fourth.json()["sources_not_modified"], 2, "{fourth:?}");
}

#[test]
fn config_check_names_a_bad_floor_or_ceiling() {
    let dir = TestDir::new();
    for (tail, key) in [
        ("[schedule]\nmin_interval_secs = 0\n", "min_interval_secs"),
        ("[schedule]\nmax_interval_mins = 10\n", "interval_mins"),
        (
            "[schedule]\nmax_interval_mins = 9999999\n",
            "max_interval_mins",
        ),
    ] {
        dir.write_config_with(&[], "", tail);
        let run = dir.newsmon(&["config", "check"]);
        assert_eq!(run.code, 2, "{run:?}");
        let line = run.stderr.trim();
        assert!(!line.contains('\n'), "{run:?}");
        assert!(line.contains(&format!("[schedule] {key}")), "{run:?}");
    }
    dir.write_config_with(
        &[],
        "",
        "[schedule]\nmin_interval_secs = 300\nmax_interval_mins = 720\n",
    );
    let run = dir.newsmon(&["config", "check"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// `ingest --due` (what a timer runs): a source is polled when it was never polled or its next
/// due time has come, over the embedded state and over PostgreSQL alike; plain `ingest`
/// still polls everything.
fn ingest_due_polls_only_what_is_due(state: &str) {
    let site = Site::start();
    site.set(
        "/ttl.xml",
        200,
        &[("content-type", RSS)],
        &rss(Some(90), &["/a/1"]),
    );
    site.set(
        "/busy.xml",
        503,
        &[("retry-after", "7200")],
        "down for maintenance",
    );
    site.article("/a/1", "Story 1");
    let dir = TestDir::new();
    dir.write_config_with(
        &[
            ("ttl", site.url("/ttl.xml")),
            ("busy", site.url("/busy.xml")),
        ],
        "retries = 0",
        &format!("{SCHEDULE}{state}"),
    );
    let polls = || {
        (
            site.requests("/ttl.xml").len(),
            site.requests("/busy.xml").len(),
        )
    };
    // Never polled: both are due.
    let run = dir.newsmon(&["ingest", "--due", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(polls(), (1, 1));
    assert_eq!(run.json()["sources_not_due"], 0, "{run:?}");
    assert_eq!(run.json()["articles_new"], 1, "{run:?}");

    // The feed asked for 90 minutes, the busy server for two hours: nothing is due.
    let run = dir.newsmon(&["ingest", "--due"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(polls(), (1, 1), "a source was polled before it was due");
    assert!(
        run.stdout.contains("0 polled") && run.stdout.contains("2 not due yet"),
        "{run:?}"
    );

    // Without --due, every source is polled, as before.
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(polls(), (2, 2));
}

#[test]
fn ingest_due_skips_the_sources_whose_time_has_not_come() {
    ingest_due_polls_only_what_is_due("");
}

#[test]
fn ingest_due_skips_the_sources_whose_time_has_not_come_over_postgres() {
    let Some(db) = crate::util::pg::TestDb::create("ingest_due") else {
        return;
    };
    ingest_due_polls_only_what_is_due(&format!(
        "\n[state]\nbackend = \"postgres\"\nurl = {:?}\nlease_secs = 10\nretry_secs = 60\n",
        db.url
    ));
}
