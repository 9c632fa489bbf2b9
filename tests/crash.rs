//! Crash safety: kill -9 in the middle of an ingest, then ingest again. The index opens,
//! every article committed before the kill is there, the rest are fetched again, and nothing
//! is duplicated.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::util::TestDir;
use crate::util::mock::{HTML, MockSite, RSS, article, eventually, rss};

const ARTICLES: usize = 60;

#[test]
fn kill_9_mid_ingest_loses_and_duplicates_nothing() {
    let site = MockSite::start();
    let items: Vec<(String, String)> = (0..ARTICLES)
        .map(|i| (format!("news/{i}"), format!("Story number {i}")))
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    // Two feeds share half of the articles, so that dedup is crossed by the crash too.
    site.set("feed-a.xml", RSS, &rss(&refs));
    site.set("feed-b.xml", RSS, &rss(&refs[ARTICLES / 2..]));
    for (path, title) in &items {
        site.set_slow(
            path,
            HTML,
            &article(title, None, &format!("Report {path}")),
            Duration::from_millis(150),
        );
    }
    let dir = TestDir::new();
    dir.write_config_with(
        &[("a", site.url("feed-a.xml")), ("b", site.url("feed-b.xml"))],
        "concurrency = 2",
        "[schedule]\ncommit_every_secs = 1\n",
    );

    let mut ingest = dir.spawn(&["ingest"]);
    let mut committed = 0;
    assert!(
        eventually(Duration::from_secs(60), || {
            committed = dir.indexed_urls().len();
            committed >= 5
        }),
        "no commit seen: {}",
        ingest.stderr()
    );
    ingest.kill();
    let before: BTreeSet<String> = dir.indexed_urls().into_iter().collect();
    assert!(
        before.len() >= committed && before.len() < ARTICLES,
        "{} of {ARTICLES} committed at the kill; the test needs a kill mid-ingest",
        before.len()
    );
    let fetched_before: usize = items.iter().map(|(p, _)| site.hits(p)).sum();

    let again = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(again.code, 0, "{again:?}");
    let urls = dir.indexed_urls();
    let unique: BTreeSet<String> = urls.iter().cloned().collect();
    assert_eq!(urls.len(), unique.len(), "duplicates after the crash");
    assert_eq!(unique.len(), ARTICLES, "{again:?}");
    assert!(before.is_subset(&unique));
    // What was committed and acknowledged before the kill is not fetched again.
    let summary = again.json();
    let new = summary["articles_new"].as_u64().unwrap() as usize;
    assert!(new >= ARTICLES - before.len(), "{summary}");
    assert!(new < ARTICLES, "nothing survived the crash: {summary}");
    let fetched_after: usize = items.iter().map(|(p, _)| site.hits(p)).sum();
    assert_eq!(fetched_after - fetched_before, new, "{summary}");
}
