//! Several hosts over one PostgreSQL database (issue 11): ingesters share the sources under
//! leases, search nodes follow the article log. Real processes, a real PostgreSQL (see
//! `.ci/pg-test-cluster.sh`), a generated news web on loopback.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::util::TestDir;
use crate::util::mock::{Background, MockSite, RSS, eventually, rss};
use crate::util::pg::TestDb;

/// The full-scale web of the issue: 100 feeds, 1,000 articles.
const FEEDS: usize = 100;
const PER_FEED: usize = 10;

const VOCABULARY: &[&str] = &[
    "ministers",
    "agreed",
    "budget",
    "talks",
    "security",
    "guarantee",
    "border",
    "ceasefire",
    "envoy",
    "delegation",
    "summit",
    "parliament",
    "vote",
    "sanctions",
    "energy",
    "grid",
    "reconstruction",
    "loan",
    "grant",
    "investors",
    "factory",
    "harbour",
    "railway",
    "drones",
    "air",
    "defence",
    "monitoring",
    "mission",
    "observers",
    "report",
    "council",
    "capital",
    "mayor",
    "farmers",
    "grain",
    "exports",
    "prices",
    "inflation",
    "bank",
    "rates",
    "court",
    "ruling",
    "appeal",
    "election",
    "campaign",
    "poll",
    "coalition",
    "opposition",
    "treaty",
    "signed",
    "draft",
    "proposal",
    "rejected",
    "accepted",
    "weeks",
    "months",
    "officials",
    "spokesperson",
    "statement",
    "briefing",
    "journalists",
    "morning",
    "evening",
    "region",
    "villages",
    "repairs",
    "bridge",
    "power",
    "station",
    "water",
    "schools",
    "hospitals",
    "doctors",
    "volunteers",
    "donors",
    "pledged",
    "billion",
    "million",
    "euros",
    "dollars",
];

/// Deterministic words for article `f`/`i`: different enough that texts are not copies.
fn words(seed: u64, count: usize) -> String {
    let mut state = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            VOCABULARY[(state >> 33) as usize % VOCABULARY.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn page(feed: usize, item: usize) -> String {
    let seed = (feed * 10_000 + item) as u64;
    let paragraphs: String = (0..6)
        .map(|p| format!("<p>{}.</p>", words(seed * 10 + p, 45)))
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Report {feed}-{item} | Wire {feed}</title>\
         <meta property=\"article:published_time\" content=\"2026-01-06T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>Report {feed}-{item}</h1>\
         <p>Marker zq{feed}x{item} opens the report.</p>{paragraphs}</article>\
         <footer>Wire {feed}</footer></body></html>"
    )
}

fn feed_path(feed: usize) -> String {
    format!("feeds/{feed}.xml")
}

fn article_path(feed: usize, item: usize) -> String {
    format!("wire{feed}/{item}.html")
}

/// Serves `feeds` feeds of `per_feed` articles each; every article is in one feed.
fn news_web(feeds: usize, per_feed: usize, delay: Duration) -> MockSite {
    let site = MockSite::start();
    for feed in 0..feeds {
        let items: Vec<(String, String)> = (0..per_feed)
            .map(|item| (article_path(feed, item), format!("Report {feed}-{item}")))
            .collect();
        let refs: Vec<(&str, &str)> = items
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        site.set(&feed_path(feed), RSS, &rss(&refs));
        for item in 0..per_feed {
            site.set_slow(
                &article_path(feed, item),
                crate::util::mock::HTML,
                &page(feed, item),
                delay,
            );
        }
    }
    site
}

/// A node's directory: the shared configuration and its own index.
fn node(site: &MockSite, feeds: usize, db: &TestDb, lease_secs: u64) -> TestDir {
    let dir = TestDir::new();
    let sources: Vec<(String, String)> = (0..feeds)
        .map(|f| (format!("wire {f}"), site.url(&feed_path(f))))
        .collect();
    let refs: Vec<(&str, String)> = sources
        .iter()
        .map(|(n, u)| (n.as_str(), u.clone()))
        .collect();
    dir.write_config_with(
        &refs,
        "concurrency = 8\nper_host_concurrency = 16",
        &format!(
            "[schedule]\ninterval_mins = 600\njitter_secs = 0\ncommit_every_secs = 1\n\
             shutdown_grace_secs = 5\n\n[state]\nbackend = \"postgres\"\nurl = {:?}\n\
             lease_secs = {lease_secs}\nretry_secs = 60\npool_size = 4\n",
            db.url
        ),
    );
    dir
}

/// Every hit of `search '*'` on a node: (id, url, cluster, tags), sorted.
fn everything(dir: &TestDir) -> Vec<(String, String, String, String)> {
    let run = dir.newsmon(&["search", "*", "--limit", "100000", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut hits: Vec<_> = run.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            (
                hit["id"].as_str().unwrap().to_string(),
                hit["url"].as_str().unwrap().to_string(),
                hit["cluster"].as_str().unwrap_or_default().to_string(),
                hit["tags"].to_string(),
            )
        })
        .collect();
    hits.sort();
    hits
}

fn stored(db: &TestDb) -> u64 {
    db.count("SELECT count(*) FROM articles")
}

fn stop(ingester: Background) -> String {
    ingester.signal("TERM");
    let run = ingester.wait(Duration::from_secs(60));
    assert_eq!(run.code, 0, "{run:?}");
    run.stderr
}

#[test]
fn three_ingesters_and_two_search_nodes_share_one_database() {
    let Some(db) = TestDb::create("three_ingesters_and_two_search_nodes") else {
        return;
    };
    let total = (FEEDS * PER_FEED) as u64;
    let site = news_web(FEEDS, PER_FEED, Duration::ZERO);
    let ingest_dirs: Vec<TestDir> = (0..3).map(|_| node(&site, FEEDS, &db, 10)).collect();
    let (node_a, node_b) = (node(&site, FEEDS, &db, 10), node(&site, FEEDS, &db, 10));
    let migrated = node_a.newsmon(&["db", "migrate"]);
    assert_eq!(migrated.code, 0, "{migrated:?}");
    assert!(migrated.stdout.contains("from v0 to v4"), "{migrated:?}");

    let follower = node_a.spawn(&["follow", "--poll-ms", "200"]);
    let ingesters: Vec<Background> = ingest_dirs.iter().map(|dir| dir.spawn(&["run"])).collect();
    let progress = || {
        ingesters
            .iter()
            .map(|i| {
                i.stderr()
                    .lines()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n---\n")
    };
    // Mid-run, every connection is cut, as a PostgreSQL restart does: ingesters and the
    // follower reconnect by themselves.
    assert!(
        eventually(Duration::from_secs(150), || stored(&db) >= total / 3),
        "{} of {total} stored:\n{}",
        stored(&db),
        progress()
    );
    assert!(db.kill_connections() > 0);
    // The search node stops mid-run and later catches up.
    follower.signal("TERM");
    let first = follower.wait(Duration::from_secs(60));
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.starts_with("applied "), "{first:?}");

    assert!(
        eventually(Duration::from_secs(240), || stored(&db) == total),
        "{} of {total} stored:\n{}",
        stored(&db),
        progress()
    );
    let logs: Vec<String> = ingesters.into_iter().map(stop).collect();
    // Each source was polled by exactly one ingester, and the work was shared.
    let polled: Vec<usize> = logs
        .iter()
        .map(|log| log.matches("source polled").count())
        .collect();
    assert_eq!(polled.iter().sum::<usize>(), FEEDS, "{polled:?}");
    assert!(polled.iter().filter(|n| **n > 0).count() >= 2, "{polled:?}");
    // Every feed and every article was fetched once (the server's request log).
    for feed in 0..FEEDS {
        assert_eq!(site.hits(&feed_path(feed)), 1, "feed {feed}");
        for item in 0..PER_FEED {
            assert_eq!(
                site.hits(&article_path(feed, item)),
                1,
                "article {feed}/{item}"
            );
        }
    }
    // Stored once: one row per URL, and the log holds each once.
    assert_eq!(db.count("SELECT count(DISTINCT url) FROM articles"), total);
    assert_eq!(db.count("SELECT count(DISTINCT seq) FROM articles"), total);
    assert_eq!(db.count("SELECT count(*) FROM pages"), total);
    assert_eq!(
        db.count("SELECT count(*) FROM sources WHERE lease_owner IS NOT NULL"),
        0
    );

    // Node A resumes where its last commit ended; node B starts from nothing.
    let resumed = node_a.newsmon(&["follow", "--once"]);
    assert_eq!(resumed.code, 0, "{resumed:?}");
    let fresh = node_b.newsmon(&["follow", "--once", "--batch", "300"]);
    assert_eq!(fresh.code, 0, "{fresh:?}");
    assert!(
        fresh
            .stdout
            .starts_with(&format!("applied {total} articles")),
        "{fresh:?}"
    );
    let applied_by_a: u64 = resumed
        .stdout
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let applied_first: u64 = first
        .stdout
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        applied_first > 0 && applied_by_a < total,
        "{first:?} {resumed:?}"
    );
    assert_eq!(applied_first + applied_by_a, total, "{first:?} {resumed:?}");

    // Both nodes answer alike: the same documents, clusters and tags.
    let on_a = everything(&node_a);
    let on_b = everything(&node_b);
    assert_eq!(on_a.len() as u64, total);
    assert_eq!(on_a, on_b);
    let urls: BTreeSet<&String> = on_a.iter().map(|(_, url, ..)| url).collect();
    assert_eq!(urls.len() as u64, total);
    for node in [&node_a, &node_b] {
        let hit = node.newsmon(&["search", "zq42x7", "--format", "json"]);
        assert_eq!(hit.json()["total"], 1, "{hit:?}");
        assert!(
            hit.json()["hits"][0]["url"]
                .as_str()
                .unwrap()
                .ends_with("/wire42/7.html")
        );
    }
    // Following again applies nothing: the position is in the index commit.
    let again = node_b.newsmon(&["follow", "--once"]);
    assert!(again.stdout.starts_with("applied 0 articles"), "{again:?}");
}

#[test]
fn a_killed_ingester_s_sources_are_taken_over_when_its_leases_lapse() {
    let Some(db) = TestDb::create("a_killed_ingester_s_sources_are_taken_over") else {
        return;
    };
    let (feeds, per_feed) = (12, 5);
    let total = (feeds * per_feed) as u64;
    let site = news_web(feeds, per_feed, Duration::from_millis(300));
    let first = node(&site, feeds, &db, 3);
    let second = node(&site, feeds, &db, 3);
    assert_eq!(first.newsmon(&["db", "migrate"]).code, 0);
    let mut doomed = first.spawn(&["run"]);
    let owner = format!(":{}", doomed.pid());
    // Killed while it holds leases, after its first commit.
    assert!(
        eventually(Duration::from_secs(120), || {
            stored(&db) > 0
                && db.count(&format!(
                    "SELECT count(*) FROM sources WHERE lease_owner LIKE '%{owner}' AND lease_until > now()"
                )) > 0
        }),
        "{}",
        doomed.stderr()
    );
    let sources = first.newsmon(&["sources", "--format", "json"]);
    let holders: Vec<String> = sources
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["lease_owner"].as_str().map(str::to_string))
        .collect();
    assert!(holders.iter().any(|h| h.ends_with(&owner)), "{sources:?}");
    doomed.kill();
    let at_kill = stored(&db);
    assert!(at_kill < total, "the kill came too late to test anything");
    let survivor = second.spawn(&["run"]);
    assert!(
        eventually(Duration::from_secs(120), || stored(&db) == total),
        "{} of {total}:\n{}",
        stored(&db),
        survivor.stderr()
    );
    stop(survivor);
    assert_eq!(db.count("SELECT count(DISTINCT url) FROM articles"), total);
    // Nothing lost: every article is searchable once on a search node.
    let follow = second.newsmon(&["follow", "--once"]);
    assert_eq!(follow.code, 0, "{follow:?}");
    let hits = everything(&second);
    assert_eq!(hits.len() as u64, total);
    // Fetched again only what the killed one had not written.
    let fetches: usize = (0..feeds)
        .flat_map(|f| (0..per_feed).map(move |i| (f, i)))
        .map(|(f, i)| site.hits(&article_path(f, i)))
        .sum();
    assert!(
        fetches as u64 >= total && fetches as u64 <= 2 * total - at_kill,
        "{fetches}"
    );
}

#[test]
fn ingesters_and_a_follower_ride_out_a_postgresql_restart() {
    let Some(db) = TestDb::create_alone("postgresql_restart") else {
        return;
    };
    let (feeds, per_feed) = (30, 10);
    let total = (feeds * per_feed) as u64;
    // Slow pages keep the ingesters busy across the restart.
    let site = news_web(feeds, per_feed, Duration::from_millis(40));
    let dirs: Vec<TestDir> = (0..2).map(|_| node(&site, feeds, &db, 10)).collect();
    let search = node(&site, feeds, &db, 10);
    assert_eq!(search.newsmon(&["db", "migrate"]).code, 0);
    let follower = search.spawn(&["follow", "--poll-ms", "200"]);
    let ingesters: Vec<Background> = dirs.iter().map(|dir| dir.spawn(&["run"])).collect();
    assert!(
        eventually(Duration::from_secs(120), || stored(&db) >= total / 4),
        "{} of {total} stored",
        stored(&db)
    );
    if !db.restart_cluster() {
        return;
    }
    let at_restart = stored(&db);
    assert!(
        at_restart < total,
        "the restart came too late to test anything"
    );
    // Nobody is told: the ingesters and the follower reconnect by themselves.
    assert!(
        eventually(Duration::from_secs(180), || stored(&db) == total),
        "{} of {total} stored:\n{}",
        stored(&db),
        ingesters
            .iter()
            .map(Background::stderr)
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
    assert!(
        eventually(Duration::from_secs(120), || everything(&search).len()
            as u64
            == total),
        "{} of {total} followed:\n{}",
        everything(&search).len(),
        follower.stderr()
    );
    for ingester in ingesters {
        stop(ingester);
    }
    follower.signal("TERM");
    let followed = follower.wait(Duration::from_secs(60));
    assert_eq!(followed.code, 0, "{followed:?}");
    // Stored once, followed once, nothing lost.
    assert_eq!(db.count("SELECT count(DISTINCT url) FROM articles"), total);
    assert_eq!(db.count("SELECT count(*) FROM pages"), total);
    let hits = everything(&search);
    let urls: BTreeSet<&String> = hits.iter().map(|(_, url, ..)| url).collect();
    assert_eq!(urls.len() as u64, total);
    for feed in 0..feeds {
        for item in 0..per_feed {
            assert!(site.hits(&article_path(feed, item)) >= 1, "{feed}/{item}");
        }
    }
    let again = search.newsmon(&["follow", "--once"]);
    assert!(again.stdout.starts_with("applied 0 articles"), "{again:?}");
}

/// A node of [`node`] with `[http]` lines replaced: `(from, to)` pairs.
fn node_with_http(
    site: &MockSite,
    feeds: usize,
    db: &TestDb,
    lease_secs: u64,
    http: &[(&str, &str)],
) -> TestDir {
    let dir = node(site, feeds, db, lease_secs);
    let mut text = std::fs::read_to_string(dir.path("newsmon.toml")).unwrap();
    for (from, to) in http {
        assert!(text.contains(from), "{from} not in {text}");
        text = text.replace(from, to);
    }
    dir.write("newsmon.toml", &text);
    dir
}

/// Runs three ingesters over `site`, configured with `edits`, until `total` articles are
/// stored; returns each one's log and how many sources it polled.
fn three_ingesters_until_stored(
    site: &MockSite,
    feeds: usize,
    db: &TestDb,
    edits: &[(&str, &str)],
    total: u64,
) -> (Vec<String>, Vec<usize>) {
    let dirs: Vec<TestDir> = (0..3)
        .map(|_| node_with_http(site, feeds, db, 10, edits))
        .collect();
    assert_eq!(dirs[0].newsmon(&["db", "migrate"]).code, 0);
    let ingesters: Vec<Background> = dirs.iter().map(|dir| dir.spawn(&["run"])).collect();
    assert!(
        eventually(Duration::from_secs(120), || stored(db) == total),
        "{} of {total} stored",
        stored(db)
    );
    let logs: Vec<String> = ingesters.into_iter().map(stop).collect();
    let polled = logs
        .iter()
        .map(|log| log.matches("source polled").count())
        .collect();
    (logs, polled)
}

#[test]
fn per_host_delay_and_robots_txt_hold_across_ingesters() {
    let Some(db) = TestDb::create("per_host_delay_and_robots_txt") else {
        return;
    };
    let (feeds, per_feed) = (6, 3);
    let total = (feeds * per_feed) as u64;
    // One host serves everything; each ingester alone would keep 400 ms between its own
    // requests, and three of them would come three times as often without the shared slot.
    let site = news_web(feeds, per_feed, Duration::ZERO);
    site.set(
        "robots.txt",
        "text/plain",
        "User-agent: *\nDisallow: /private/\n",
    );
    let delay = Duration::from_millis(400);
    let edits = [
        ("concurrency = 8\n", "concurrency = 2\n"),
        ("per_host_delay_ms = 0", "per_host_delay_ms = 400"),
    ];
    let (_, polled) = three_ingesters_until_stored(&site, feeds, &db, &edits, total);
    assert_eq!(polled.iter().sum::<usize>(), feeds, "{polled:?}");
    assert!(polled.iter().filter(|n| **n > 0).count() >= 2, "{polled:?}");

    // robots.txt was fetched once, by one ingester, before anything else.
    assert_eq!(site.hits("robots.txt"), 1);
    let requests = site.requests();
    assert_eq!(requests[0].1, "/robots.txt");
    assert_eq!(requests.len(), 1 + feeds + total as usize, "{requests:?}");
    // No two requests to the host closer than the delay, whichever ingester sent them. The
    // slack covers a process that was scheduled late on a loaded machine.
    let slack = Duration::from_millis(100);
    for pair in requests.windows(2) {
        let gap = pair[1].0.duration_since(pair[0].0);
        assert!(
            gap + slack >= delay,
            "{} then {} after {gap:?}",
            pair[0].1,
            pair[1].1
        );
    }
    assert_eq!(
        db.count("SELECT count(*) FROM robots WHERE outcome = 'body'"),
        1
    );
}

#[test]
fn per_host_concurrency_holds_across_ingesters() {
    let Some(db) = TestDb::create("per_host_concurrency") else {
        return;
    };
    let (feeds, per_feed) = (6, 4);
    let total = feeds * per_feed;
    // One slow host: each ingester alone would have two requests in flight to it, three of
    // them six, without the shared slots.
    let site = news_web(feeds, per_feed, Duration::from_millis(250));
    let limit = 2;
    let edits = [
        // Two sources at a time each, so that all three ingesters get some.
        ("concurrency = 8\n", "concurrency = 2\n"),
        ("per_host_concurrency = 16", "per_host_concurrency = 2"),
    ];
    let (logs, polled) = three_ingesters_until_stored(&site, feeds, &db, &edits, total as u64);
    assert!(polled.iter().filter(|n| **n > 0).count() >= 2, "{polled:?}");
    for log in &logs {
        assert!(!log.contains("shared host slots unavailable"), "{log}");
    }
    let max = site.max_in_flight();
    assert!((1..=limit).contains(&max), "{max} in flight at once");
    // Every article fetched once, whichever ingester fetched it.
    for feed in 0..feeds {
        for item in 0..per_feed {
            assert_eq!(site.hits(&article_path(feed, item)), 1, "{feed}/{item}");
        }
    }
    // Stopped cleanly: no slot is left held.
    assert_eq!(db.count("SELECT count(*) FROM host_leases"), 0);
}

#[test]
fn db_commands_and_errors() {
    let Some(db) = TestDb::create("db_commands_and_errors") else {
        return;
    };
    let site = news_web(1, 1, Duration::ZERO);
    let dir = node(&site, 1, &db, 10);
    let status = dir.newsmon(&["db", "status"]);
    assert_eq!(status.code, 0, "{status:?}");
    assert!(
        status
            .stdout
            .contains("schema: v0 (this newsmon migrates to v4"),
        "{status:?}"
    );
    // Every command that uses the database migrates it first.
    let ingest = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(ingest.code, 0, "{ingest:?}");
    assert_eq!(ingest.json()["articles_new"], 1);
    let status = dir.newsmon(&["db", "status", "--format", "json"]);
    let json = status.json();
    assert_eq!(
        (json["schema_version"].as_i64(), json["articles"].as_i64()),
        (Some(4), Some(1))
    );
    // The ingest is over: it holds no request slot of the site's host.
    assert_eq!(json["host_slots"].as_i64(), Some(0));
    assert!(
        !dir.path("index").join("crawl.sqlite").exists(),
        "no SQLite state over PostgreSQL"
    );
    // A second pass polls the source again (its own pass), finds nothing new.
    let again = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(again.json()["sources_polled"], 1, "{again:?}");
    assert_eq!(again.json()["articles_new"], 0, "{again:?}");

    // reindex works from the stored raw pages and writes the articles to the log again.
    let before = db.count("SELECT max(seq) FROM articles");
    let reindex = dir.newsmon(&["reindex", "--format", "json"]);
    assert_eq!(reindex.code, 0, "{reindex:?}");
    assert_eq!(
        (
            reindex.json()["articles"].as_u64(),
            reindex.json()["from_pages"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert!(db.count("SELECT max(seq) FROM articles") > before);
    let follow = dir.newsmon(&["follow", "--once"]);
    assert_eq!(follow.code, 0, "{follow:?}");
    assert_eq!(everything(&dir).len(), 1);

    // Unreachable: one line naming the database, exit 2.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let down = node(&site, 1, &db, 10);
    let text = std::fs::read_to_string(down.path("newsmon.toml")).unwrap();
    down.write(
        "newsmon.toml",
        &text.replace(
            &db.url,
            &format!("postgres://newsmon:hunter2@127.0.0.1:{port}/x"),
        ),
    );
    for args in [
        &["db", "status"][..],
        &["ingest"],
        &["follow", "--once"],
        &["sources"],
    ] {
        let run = down.newsmon(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        let line = run.stderr.trim();
        assert!(
            line.starts_with(&format!(
                "newsmon: postgres://newsmon:***@127.0.0.1:{port}/x: cannot reach PostgreSQL"
            )),
            "{args:?}: {line}"
        );
        assert!(!line.contains('\n') && !line.contains("hunter2"), "{line}");
    }
    // A database written by a newer newsmon is refused, not misread.
    db.execute("INSERT INTO newsmon_schema (version) VALUES (1000)");
    let newer = dir.newsmon(&["ingest"]);
    assert_eq!(newer.code, 2, "{newer:?}");
    assert!(
        newer
            .stderr
            .contains("schema v1000 was written by a newer newsmon; this one knows up to v4"),
        "{newer:?}"
    );
    // `follow` and `db` need the shared database.
    let embedded = TestDir::new();
    embedded.write_config(&[]);
    let run = embedded.newsmon(&["follow", "--once"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("set [state] backend = \"postgres\""),
        "{run:?}"
    );
}
