//! `newsmon run`, the scheduler: it indexes and commits while it runs, holds the index
//! against a second writer, stops cleanly on a signal, and `newsmon sources` shows its state.

use std::time::Duration;

use serde_json::Value;

use crate::util::TestDir;
use crate::util::mock::{HTML, MockSite, RSS, article, eventually, rss};

const SCHEDULE: &str = "[schedule]\ncommit_every_secs = 1\nshutdown_grace_secs = 5\n";

fn site_with_three_articles() -> MockSite {
    let site = MockSite::start();
    let items = [
        ("a/1", "Leaders meet in Paris"),
        ("a/2", "Backstop talks resume"),
        ("a/3", "Prosperity plan unveiled"),
    ];
    site.set("feed.xml", RSS, &rss(&items));
    for (path, title) in items {
        site.set(path, HTML, &article(title, None, "Diplomats gathered"));
    }
    site
}

fn sources_json(dir: &TestDir) -> Vec<Value> {
    let run = dir.newsmon(&["sources", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json().as_array().unwrap().clone()
}

#[test]
fn run_commits_while_running_holds_the_lock_and_stops_on_sigterm() {
    let site = site_with_three_articles();
    let dir = TestDir::new();
    dir.write_config_with(&[("mock", site.url("feed.xml"))], "", SCHEDULE);
    let daemon = dir.spawn(&["run", "--log-format", "json"]);
    assert!(
        daemon.wait_for("newsmon run: started", Duration::from_secs(30)),
        "{}",
        daemon.stderr()
    );

    // Searchable within about commit_every_secs, while run is still running.
    assert!(
        eventually(Duration::from_secs(30), || dir.indexed_urls().len() == 3),
        "{}",
        daemon.stderr()
    );

    // A second writer, one-shot or daemon, stops at once with a clear message.
    for args in [&["ingest"][..], &["run"][..]] {
        let started = std::time::Instant::now();
        let second = dir.newsmon(args);
        assert_eq!(second.code, 2, "{args:?}: {second:?}");
        assert!(
            second
                .stderr
                .contains("another newsmon is writing to this index"),
            "{second:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    // Crawl state follows the commits: the source is polled, with its next due time.
    assert!(
        eventually(Duration::from_secs(10), || {
            sources_json(&dir)[0]["last_poll"].is_string()
        }),
        "{}",
        daemon.stderr()
    );
    let source = &sources_json(&dir)[0];
    assert_eq!(source["name"], "mock");
    assert_eq!(source["status"], 200);
    assert_eq!(source["items_in_feed"], 3);
    assert_eq!(source["new_articles"], 3);
    assert_eq!(source["consecutive_failures"], 0);
    assert_eq!(source["kind"], "feed");
    assert!(source["next_due"].as_str().unwrap() > source["last_poll"].as_str().unwrap());

    daemon.signal("TERM");
    let stopped = daemon.wait(Duration::from_secs(20));
    assert_eq!(stopped.code, 0, "{stopped:?}");
    // --log-format json: every log line is a JSON object.
    for line in stopped.stderr.lines() {
        let value: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{}", stopped.stderr));
        assert!(value.get("level").is_some(), "{line}");
    }
    assert!(stopped.stderr.contains("shutting down"), "{stopped:?}");

    // Everything run indexed was acknowledged: a later ingest finds nothing new.
    let after = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(after.code, 0, "{after:?}");
    assert_eq!(after.json()["articles_new"], 0, "{after:?}");
    assert_eq!(dir.indexed_urls().len(), 3);
}

#[test]
fn sigint_during_slow_fetches_exits_0_within_the_grace_period() {
    let site = MockSite::start();
    let items: Vec<(String, String)> = (0..8)
        .map(|i| (format!("slow/{i}"), format!("Slow story {i}")))
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site.set("feed.xml", RSS, &rss(&refs));
    for (path, title) in &items {
        site.set_slow(
            path,
            HTML,
            &article(title, None, "Talks went on"),
            Duration::from_secs(30),
        );
    }
    let dir = TestDir::new();
    dir.write_config_with(
        &[("slow", site.url("feed.xml"))],
        "",
        "[schedule]\ncommit_every_secs = 1\nshutdown_grace_secs = 1\n",
    );
    let daemon = dir.spawn(&["run"]);
    assert!(
        eventually(Duration::from_secs(30), || site.hits("slow/0") > 0),
        "{}",
        daemon.stderr()
    );
    let started = std::time::Instant::now();
    daemon.signal("INT");
    let stopped = daemon.wait(Duration::from_secs(20));
    assert_eq!(stopped.code, 0, "{stopped:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(stopped.stderr.contains("abandoning"), "{stopped:?}");
    // Abandoned work was not acknowledged: the source is still due, nothing is indexed.
    let sources = sources_json(&dir);
    assert!(sources[0]["last_poll"].is_null(), "{sources:?}");
}

#[test]
fn a_failing_source_backs_off_and_recovers_by_itself() {
    let site = MockSite::start();
    let dir = TestDir::new();
    dir.write_config_with(&[("flaky", site.url("feed.xml"))], "", SCHEDULE);
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    let source = &sources_json(&dir)[0];
    assert_eq!(source["consecutive_failures"], 2, "{source}");
    assert_eq!(source["status"], 404);
    assert!(
        source["last_error"].as_str().unwrap().contains("404"),
        "{source}"
    );
    // Two failures: the 15-minute interval × 4 (plus up to 60 s of jitter).
    let wait = due_in_minutes(source);
    assert!((59..=62).contains(&wait), "{source}");

    site.set("feed.xml", RSS, &rss(&[]));
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 0, "{run:?}");
    let source = &sources_json(&dir)[0];
    assert_eq!(source["consecutive_failures"], 0, "{source}");
    assert!(source["last_error"].is_null());
    let wait = due_in_minutes(source);
    assert!((14..=16).contains(&wait), "{source}");

    // The table shows the same.
    let table = dir.newsmon(&["sources"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert!(
        table.stdout.contains("flaky") && table.stdout.contains("next due"),
        "{table:?}"
    );
}

#[test]
fn sources_lists_configured_sources_before_any_poll() {
    let dir = TestDir::new();
    dir.write_config(&[("never", "http://127.0.0.1:9/feed.xml".into())]);
    let sources = sources_json(&dir);
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["name"], "never");
    assert!(sources[0]["next_due"].is_null());
    assert!(
        !dir.path("index").exists(),
        "sources must not create the index"
    );
}

fn due_in_minutes(source: &Value) -> i64 {
    let at =
        |key: &str| chrono::DateTime::parse_from_rfc3339(source[key].as_str().unwrap()).unwrap();
    (at("next_due") - at("last_poll")).num_minutes()
}
