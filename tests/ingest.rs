//! A full ingest of the fixture site, then searches against the index it built.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{FixtureServer, Run, TestDir, expected, unreachable_url};

struct Ingested {
    _server: FixtureServer,
    dir: TestDir,
    first: Run,
    second: Run,
    total_after_first: u64,
}

/// One ingest (and a second one) shared by the tests of this module: they only read.
fn ingested() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| {
        let server = FixtureServer::start();
        let dir = TestDir::new();
        let mut sources: Vec<(&str, String)> = expected()
            .feeds
            .keys()
            .map(|feed| (feed.as_str(), server.url(&format!("feeds/{feed}"))))
            .collect();
        sources.push(("unreachable", unreachable_url()));
        dir.write_config(&sources);
        let first = dir.newsmon(&["ingest", "--format", "json"]);
        let total_after_first = total(&dir);
        let second = dir.newsmon(&["ingest", "--format", "json"]);
        Ingested {
            _server: server,
            dir,
            first,
            second,
            total_after_first,
        }
    })
}

fn total(dir: &TestDir) -> u64 {
    let run = dir.newsmon(&["search", "*", "--limit", "0", "--format", "json"]);
    run.json()["total"].as_u64().unwrap()
}

fn search(args: &[&str]) -> Vec<Value> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json", "--limit", "100"]);
    let run = ingested().dir.newsmon(&full);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    run.json()["hits"].as_array().unwrap().clone()
}

fn file_name(hit: &Value) -> String {
    hit["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

fn failing_feeds() -> usize {
    expected()
        .feeds
        .values()
        .filter(|f| f.outcome == "fail")
        .count()
}

#[test]
fn first_ingest_counts_every_source_and_article() {
    let run = &ingested().first;
    let summary = run.json();
    assert_eq!(run.code, 1, "some sources fail, so exit 1: {run:?}");
    assert_eq!(
        summary["sources_polled"],
        expected().feeds.len() + 1,
        "{run:?}"
    );
    assert_eq!(summary["sources_failed"], failing_feeds() + 1, "{run:?}");
    assert_eq!(
        summary["articles_new"],
        expected().articles.len(),
        "{run:?}"
    );
    assert_eq!(summary["articles_updated"], 0);
    // gone.html answers 404, and one item has no link.
    assert_eq!(summary["articles_failed"], 2, "{run:?}");
    assert_eq!(
        ingested().total_after_first,
        expected().articles.len() as u64
    );
    // Every item of every feed that parsed is accounted for, once.
    let items: usize = expected()
        .feeds
        .values()
        .filter(|f| f.outcome == "ok")
        .map(|f| f.items)
        .sum();
    let counted = ["articles_new", "articles_unchanged", "articles_failed"]
        .iter()
        .map(|k| summary[*k].as_u64().unwrap() as usize)
        .sum::<usize>();
    assert_eq!(counted, items, "{run:?}");
}

#[test]
fn failures_are_reported_one_line_each() {
    let stderr = &ingested().first.stderr;
    for needle in [
        "gone.html: HTTP 404",
        "has no link",
        "source `broken.xml`",
        "source `unreachable`",
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with("newsmon: failed: ") && line.contains(needle)),
            "no failure line with {needle:?} in:\n{stderr}"
        );
    }
}

#[test]
fn second_ingest_adds_and_duplicates_nothing() {
    let run = &ingested().second;
    let summary = run.json();
    assert_eq!(summary["articles_new"], 0, "{run:?}");
    assert_eq!(summary["articles_updated"], 0, "{run:?}");
    assert!(
        summary["articles_unchanged"].as_u64().unwrap() >= expected().articles.len() as u64,
        "{run:?}"
    );
    assert_eq!(total(&ingested().dir), ingested().total_after_first);
}

#[test]
fn every_article_is_found_by_its_words_with_its_title() {
    for (name, article) in &expected().articles {
        let hits = search(&[&article.query]);
        let hit = hits
            .iter()
            .find(|h| file_name(h) == *name)
            .unwrap_or_else(|| panic!("query {:?} does not find {name}: {hits:?}", article.query));
        assert_eq!(hit["title"], article.title.as_str(), "{name}");
        assert_eq!(hit["source"].as_str().map(|s| s.is_empty()), Some(false));
    }
}

#[test]
fn tags_match_the_expected_keys_and_decoys_stay_untagged() {
    let hits = search(&["*"]);
    assert_eq!(hits.len(), expected().articles.len());
    let mut problems = Vec::new();
    for hit in &hits {
        let name = file_name(hit);
        let article = &expected().articles[&name];
        let found: BTreeSet<String> = hit["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        let wanted: BTreeSet<String> = article.tags.iter().cloned().collect();
        if article.tags.is_empty() && !found.is_empty() {
            problems.push(format!("{name}: decoy got {found:?}"));
        }
        let missing: Vec<_> = wanted.difference(&found).collect();
        if !missing.is_empty() {
            problems.push(format!("{name}: missing {missing:?} (found {found:?})"));
        }
        let wrong: Vec<_> = article
            .must_not
            .iter()
            .filter(|t| found.contains(*t))
            .collect();
        if !wrong.is_empty() {
            problems.push(format!("{name}: must not have {wrong:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "tagging problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn tag_filters_select_exactly_the_tagged_articles() {
    for tag in [
        "tier/us-backstop",
        "meeting/leaders-summit",
        "funding/prosperity-plan",
    ] {
        let mut found: Vec<String> = search(&["*", "--tag", tag]).iter().map(file_name).collect();
        found.sort();
        let mut wanted: Vec<String> = expected()
            .articles
            .iter()
            .filter(|(_, a)| a.tags.iter().any(|t| t == tag))
            .map(|(name, _)| name.clone())
            .collect();
        wanted.sort();
        assert!(!wanted.is_empty(), "fixtures have no {tag} article");
        assert_eq!(found, wanted, "--tag {tag}");
    }
    // A kind alone selects any of its keys; two tags must both hold.
    let any_tier = search(&["*", "--tag", "tier"]);
    let backstop = search(&["*", "--tag", "tier/us-backstop"]);
    assert!(any_tier.len() >= backstop.len());
    let both = search(&[
        "*",
        "--tag",
        "tier/us-backstop",
        "--tag",
        "meeting/leaders-summit",
    ]);
    assert!(both.len() <= backstop.len());
    for hit in both {
        let tags = hit["tags"].to_string();
        assert!(tags.contains("tier/us-backstop") && tags.contains("meeting/leaders-summit"));
    }
}

#[test]
fn search_json_has_the_documented_shape() {
    let run = ingested()
        .dir
        .newsmon(&["search", "Paris", "--format", "json", "--limit", "3"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert!(json["total"].as_u64().unwrap() >= 1);
    let hits = json["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    for key in [
        "id",
        "url",
        "title",
        "source",
        "published",
        "score",
        "tags",
        "snippet",
    ] {
        assert!(hits[0].get(key).is_some(), "hit lacks {key}: {}", hits[0]);
    }
    assert!(hits[0]["published"].as_str().unwrap().starts_with("20"));
}

#[test]
fn date_filters_narrow_the_results() {
    let all = search(&["*"]).len();
    let none = search(&["*", "--until", "2000-01-01"]).len();
    let recent = search(&["*", "--since", "2026-01-05", "--until", "2026-12-31"]).len();
    assert_eq!(none, 0);
    assert!(recent > 0 && recent <= all);
}

#[test]
fn the_table_is_for_people_and_no_hit_exits_1() {
    let run = ingested().dir.newsmon(&["search", "Zaporizhzhia"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("matching articles"), "{run:?}");
    let run = ingested().dir.newsmon(&["search", "xylophonequartet"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("0 of 0 matching articles"), "{run:?}");
}
