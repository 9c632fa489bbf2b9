//! Watches (issue 6): saved queries notify on new matching articles after each commit, on
//! standard output, in a JSONL file and through a webhook (a real receiver on loopback
//! that fails its first request, so the retry is exercised); never twice for one article.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use crate::util::{FixtureServer, TestDir, expected};

/// Records every POSTed body; answers 503 to the first request, then 200.
#[derive(Clone, Default)]
struct Receiver {
    bodies: Arc<Mutex<Vec<Value>>>,
    requests: Arc<Mutex<usize>>,
}

impl Receiver {
    fn start(&self) -> String {
        let state = self.clone();
        let addr = crate::util::serve_in_background(move |_| {
            Router::new()
                .route("/hook", axum::routing::post(receive))
                .with_state(state)
        });
        format!("http://{addr}/hook")
    }

    fn bodies(&self) -> Vec<Value> {
        self.bodies.lock().unwrap().clone()
    }
}

async fn receive(State(receiver): State<Receiver>, body: String) -> StatusCode {
    let first = {
        let mut requests = receiver.requests.lock().unwrap();
        *requests += 1;
        *requests == 1
    };
    if first {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    receiver
        .bodies
        .lock()
        .unwrap()
        .push(serde_json::from_str(&body).unwrap());
    StatusCode::OK
}

fn config(dir: &TestDir, server: &FixtureServer, hook: &str) {
    let sources: Vec<(&str, String)> = expected()
        .feeds
        .keys()
        .map(|feed| (feed.as_str(), server.url(&format!("feeds/{feed}"))))
        .collect();
    let path = dir.write_config(&sources);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text += &format!(
        "\n[[watch]]\nname = \"guarantees\"\nquery = \"guarantee OR guarantees\"\ntags = [\"tier\"]\n\
         stdout = true\njsonl = \"fired.jsonl\"\nwebhook = \"{hook}\"\n\
         \n[[watch]]\nname = \"french\"\nquery = \"*\"\nlangs = [\"fr\"]\njsonl = \"french.jsonl\"\n"
    );
    std::fs::write(&path, text).unwrap();
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn watches_notify_new_matches_once_on_every_output() {
    let server = FixtureServer::start();
    let receiver = Receiver::default();
    let hook = receiver.start();
    let dir = TestDir::new();
    config(&dir, &server, &hook);

    let first = dir.newsmon(&["ingest", "--format", "json"]);
    assert!(first.code <= 1, "{first:?}");
    // What the watch should have found: the same query, searched afterwards.
    let expected = dir
        .newsmon(&[
            "search",
            "guarantee OR guarantees",
            "--tag",
            "tier",
            "--format",
            "json",
            "--limit",
            "100",
        ])
        .json();
    let mut want: Vec<String> = expected["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert!(!want.is_empty(), "the fixtures hold guarantee articles");

    let ids = |notes: &[Value], watch: &str| {
        let mut ids: Vec<String> = notes
            .iter()
            .filter(|n| n["watch"] == watch)
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    // Standard output: one JSON line per notification, before the summary.
    let stdout: Vec<Value> = first
        .stdout
        .lines()
        .filter(|l| l.contains("\"watch\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ids(&stdout, "guarantees"), want, "{first:?}");
    let note = &stdout[0];
    for key in [
        "watch",
        "fired_at",
        "id",
        "url",
        "title",
        "source",
        "published",
        "tags",
        "snippet",
    ] {
        assert!(note.get(key).is_some(), "missing {key}: {note}");
    }
    assert!(
        ids(&stdout, "french").is_empty(),
        "that watch writes to a file only"
    );
    // The JSONL file beside the config.
    assert_eq!(ids(&lines(&dir.path("fired.jsonl")), "guarantees"), want);
    let french = lines(&dir.path("french.jsonl"));
    assert!(!french.is_empty());
    assert!(french.iter().all(|n| n["lang"] == "fr"), "{french:?}");
    // The webhook: delivered before newsmon exited, though the first POST was refused.
    assert_eq!(ids(&receiver.bodies(), "guarantees"), want);
    assert_eq!(
        *receiver.requests.lock().unwrap(),
        want.len() + 1,
        "one retry"
    );

    // Nothing new: nothing fires, on any output.
    let second = dir.newsmon(&["ingest", "--format", "json"]);
    assert!(!second.stdout.contains("\"watch\""), "{second:?}");
    assert_eq!(lines(&dir.path("fired.jsonl")).len(), want.len());
    assert_eq!(lines(&dir.path("french.jsonl")).len(), french.len());
    assert_eq!(receiver.bodies().len(), want.len());
    // Not even after a reindex rewrote every article: a watch fires once per article.
    let reindex = dir.newsmon(&["reindex"]);
    assert_eq!(reindex.code, 0, "{reindex:?}");
    let third = dir.newsmon(&["ingest"]);
    assert!(!third.stdout.contains("\"watch\""), "{third:?}");
}

#[test]
fn a_bad_watch_is_reported_with_file_and_name() {
    let dir = TestDir::new();
    let path = dir.write_config(&[("a", "http://127.0.0.1:9/feed".to_string())]);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text += "\n[[watch]]\nname = \"w\"\nquery = \"paris AND\"\nstdout = true\n";
    std::fs::write(&path, text).unwrap();
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("newsmon.toml: watch #1 `w`: invalid query `paris AND`"),
        "{run:?}"
    );
}
