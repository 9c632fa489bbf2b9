//! `newsmon run` as a service: Prometheus metrics and health on loopback, and webhook
//! notifications that survive a receiver that is down while newsmon is killed and restarted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use crate::util::TestDir;
use crate::util::mock::{HTML, MockSite, RSS, article, eventually, rss};

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn site(items: &[(&str, &str)]) -> MockSite {
    let site = MockSite::start();
    site.set("feed.xml", RSS, &rss(items));
    for (path, title) in items {
        site.set(
            path,
            HTML,
            &article(
                title,
                None,
                "Kyiv and its allies discussed the security guarantee",
            ),
        );
    }
    site
}

fn get(url: &str) -> (u16, String) {
    match reqwest::blocking::get(url) {
        Ok(response) => (
            response.status().as_u16(),
            response.text().unwrap_or_default(),
        ),
        Err(_) => (0, String::new()),
    }
}

/// The value of one sample line of the metrics text.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn metrics_count_an_ingest_and_health_turns_bad_when_commits_stop() {
    let site = site(&[
        ("a/1", "Leaders meet"),
        ("a/2", "Talks resume"),
        ("a/3", "Plan unveiled"),
    ]);
    let dir = TestDir::new();
    let port = free_port();
    // One poll an hour: after the first, commits stop, and health must say so after 3 s.
    dir.write_config_with(
        &[
            ("mock", site.url("feed.xml")),
            ("down", crate::util::unreachable_url()),
        ],
        "retries = 0",
        &format!(
            "[schedule]\ncommit_every_secs = 1\ninterval_mins = 60\njitter_secs = 0\n\
             [metrics]\nlisten = \"127.0.0.1:{port}\"\nstale_after_secs = 3\n"
        ),
    );
    let daemon = dir.spawn(&["run"]);
    let base = format!("http://127.0.0.1:{port}");
    let mut text = String::new();
    let counted = eventually(Duration::from_secs(30), || {
        text = get(&format!("{base}/metrics")).1;
        sample(&text, "newsmon_commits_total").is_some_and(|n| n >= 1.0)
            && sample(&text, "newsmon_sources_polled_total") == Some(2.0)
    });
    assert!(counted, "{text}\n{}", daemon.stderr());
    let health = get(&format!("{base}/health"));
    for (name, value) in [
        ("newsmon_sources", 2.0),
        ("newsmon_articles_total{outcome=\"new\"}", 3.0),
        ("newsmon_articles_total{outcome=\"failed\"}", 0.0),
        ("newsmon_sources_due", 0.0),
    ] {
        assert_eq!(sample(&text, name), Some(value), "{name} in\n{text}");
    }
    assert!(
        sample(&text, "newsmon_index_size_bytes").unwrap() > 0.0,
        "{text}"
    );
    assert!(sample(&text, "newsmon_stage_seconds_total{stage=\"fetch\"}").unwrap() > 0.0);
    assert!(
        sample(&text, "newsmon_last_commit_age_seconds").unwrap() < 3.0,
        "{text}"
    );
    assert_eq!(health.0, 200, "{health:?}");
    assert!(health.1.starts_with("ok: "), "{health:?}");

    let stale = eventually(Duration::from_secs(15), || {
        get(&format!("{base}/health")).0 == 503
    });
    assert!(stale, "{}", daemon.stderr());
    assert!(
        get(&format!("{base}/health"))
            .1
            .starts_with("stale: no commit succeeded")
    );
}

/// Records every POST with its Idempotency-Key; refuses the first request of all.
#[derive(Clone, Default)]
struct Receiver {
    posts: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    requests: Arc<Mutex<usize>>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    receiver
        .posts
        .lock()
        .unwrap()
        .push((key, serde_json::from_str(&body).unwrap()));
    let mut requests = receiver.requests.lock().unwrap();
    *requests += 1;
    if *requests == 1 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

#[test]
fn webhooks_survive_a_dead_receiver_and_a_killed_newsmon() {
    let items = [
        ("a/1", "Guarantee one"),
        ("a/2", "Guarantee two"),
        ("a/3", "Guarantee three"),
    ];
    let site = site(&items);
    let dir = TestDir::new();
    let port = free_port();
    dir.write_config_with(
        &[("mock", site.url("feed.xml"))],
        "",
        &format!(
            "[schedule]\ncommit_every_secs = 1\n\
             [[watch]]\nname = \"guarantees\"\nquery = \"guarantee\"\n\
             webhook = \"http://127.0.0.1:{port}/hook\"\n"
        ),
    );
    // The receiver is down: the notifications wait in the outbox, and newsmon dies hard.
    let mut daemon = dir.spawn(&["run"]);
    let outbox = dir.path("index/watches.sqlite");
    let pending = || -> Vec<String> {
        let Ok(conn) = rusqlite::Connection::open(&outbox) else {
            return Vec::new();
        };
        let Ok(mut statement) = conn.prepare("SELECT key FROM outbox ORDER BY key") else {
            return Vec::new();
        };
        statement
            .query_map([], |row| row.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    };
    assert!(
        eventually(Duration::from_secs(30), || pending().len() == items.len()),
        "{}",
        daemon.stderr()
    );
    // Tried and failed at least once before the kill.
    assert!(
        daemon.wait_for("webhook failed; will retry", Duration::from_secs(10)),
        "{}",
        daemon.stderr()
    );
    daemon.kill();
    let keys: BTreeSet<String> = pending().into_iter().collect();

    // The receiver comes up on the same port; a new newsmon delivers all, the first refused
    // and repeated with the same key.
    let receiver = Receiver::default();
    let state = receiver.clone();
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new()
                .route("/hook", axum::routing::post(receive))
                .with_state(state);
            axum::serve(listener, app).await.unwrap();
        });
    });
    let daemon = dir.spawn(&["run"]);
    let delivered = || -> BTreeSet<String> {
        let posts = receiver.posts.lock().unwrap();
        posts.iter().skip(1).map(|(key, _)| key.clone()).collect()
    };
    assert!(
        eventually(Duration::from_secs(30), || delivered() == keys),
        "{:?} vs {keys:?}\n{}",
        delivered(),
        daemon.stderr()
    );
    assert!(eventually(Duration::from_secs(10), || pending().is_empty()));
    daemon.signal("TERM");
    daemon.wait(Duration::from_secs(30));

    let posts = receiver.posts.lock().unwrap().clone();
    // Every body names its key, the key the header carries; the refused one came again.
    let mut per_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, body) in &posts {
        assert_eq!(body["idempotency_key"], key.as_str(), "{body}");
        assert_eq!(body["watch"], "guarantees");
        *per_key.entry(key).or_default() += 1;
    }
    assert_eq!(per_key[posts[0].0.as_str()], 2, "{posts:?}");
    assert_eq!(per_key.len(), items.len());
    assert_eq!(posts.len(), items.len() + 1, "{posts:?}");
}
