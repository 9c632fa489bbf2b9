//! Tests against a real PostgreSQL: `NEWSMON_TEST_DATABASE_URL` names a server (see
//! `.ci/pg-test-cluster.sh`); each test creates its own database on it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration as Span, SubsecRound, Utc};
use newsmon_extractor::Article;
use newsmon_fetcher::{
    ArticleState, CompressedPage, IndexedArticle, PollOutcome, RawPage, SourcePoll, StateStore,
    Validators,
};
use newsmon_index::{Document, Sink};

use crate::{Backend, Due, Error, PgStore, StateConfig};

/// A fresh database, dropped at the end of the test, with the store's configuration.
pub(crate) struct TestDb(newsmon_testkit::TestDb);

impl std::ops::Deref for TestDb {
    type Target = newsmon_testkit::TestDb;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

pub(crate) fn test_db() -> Option<TestDb> {
    newsmon_testkit::TestDb::create("this store-pg test").map(TestDb)
}

impl TestDb {
    fn config(&self, owner: &str) -> StateConfig {
        StateConfig {
            backend: Backend::Postgres,
            url: Some(self.url.clone()),
            lease_secs: 60,
            retry_secs: 20,
            pool_size: 4,
            owner: Some(owner.into()),
        }
    }

    fn open(&self, owner: &str) -> PgStore {
        PgStore::open(&self.config(owner)).unwrap()
    }
}

fn poll(name: &str, outcome: PollOutcome) -> SourcePoll {
    SourcePoll {
        name: name.into(),
        url: format!("https://{name}.example/feed"),
        at: Utc::now(),
        outcome,
        next_due: Some(Utc::now() + Span::minutes(15)),
        due_reason: Some("interval".into()),
        kind: Some("feed".into()),
        feed_url: None,
    }
}

fn document(url: &str, text: &str) -> Document {
    Document {
        url: url.into(),
        source: "Wire".into(),
        article: Article {
            title: Some(format!("Title of {url}")),
            text: text.into(),
            language: Some("en".into()),
            ..Article::default()
        },
        mentions: vec![],
        amounts: vec![],
        // PostgreSQL keeps microseconds.
        fetched: Utc::now().trunc_subsecs(6),
        content_hash: format!("hash of {text}"),
    }
}

fn indexed(url: &str, links: &[&str], page: Option<&str>) -> IndexedArticle {
    IndexedArticle {
        state: ArticleState {
            url: url.into(),
            source: "Wire".into(),
            feed_fingerprint: format!("fp {url}"),
            content_hash: "h".into(),
            indexed_at: Utc::now(),
        },
        links: links.iter().map(|l| l.to_string()).collect(),
        page: page.map(|body| {
            CompressedPage::new(&RawPage {
                url: url.into(),
                content_type: Some("text/html".into()),
                body: body.as_bytes().to_vec(),
            })
            .unwrap()
        }),
    }
}

/// Writes documents through the sink and marks them done, as the pipeline does.
fn write(store: &mut PgStore, docs: &[Document]) {
    let mut sink = store.sink();
    for doc in docs {
        sink.upsert(doc).unwrap();
    }
    sink.commit().unwrap();
    let acks: Vec<IndexedArticle> = docs.iter().map(|d| indexed(&d.url, &[], None)).collect();
    store.mark_indexed(&acks).unwrap();
}

const TEXT_A: &str = "Leaders of thirty countries met in Paris on Tuesday to agree on security guarantees for Ukraine, with a monitoring mission led by the United States and a multinational force.";
const TEXT_B: &str = "The European Commission proposed a financing package for reconstruction, with grants and loans over ten years, and asked member states to agree before the summer summit in Brussels.";

#[test]
fn migrations_apply_once_and_a_newer_schema_is_refused() {
    let Some(db) = test_db() else { return };
    let store = PgStore::connect(&db.config("a")).unwrap();
    assert_eq!(store.status().unwrap().schema_version, 0);
    let first = store.migrate().unwrap();
    assert_eq!((first.before, first.after), (0, 4));
    let again = store.migrate().unwrap();
    assert_eq!((again.before, again.after), (4, 4));
    let status = store.status().unwrap();
    assert_eq!(
        (status.schema_version, status.articles, status.last_seq),
        (4, 0, 0)
    );
    db.execute("INSERT INTO newsmon_schema (version) VALUES (99)");
    let err = PgStore::open(&db.config("a")).unwrap_err().to_string();
    assert!(
        err.contains("schema v99 was written by a newer newsmon; this one knows up to v4"),
        "{err}"
    );
    assert!(!err.contains('\n'));
}

#[test]
fn an_unreachable_server_is_one_line_naming_it() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = StateConfig {
        backend: Backend::Postgres,
        url: Some(format!("postgres://news:secret@127.0.0.1:{port}/newsmon")),
        ..StateConfig::default()
    };
    let err = PgStore::open(&config).unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "postgres://news:***@127.0.0.1:{port}/newsmon: cannot reach PostgreSQL"
        )),
        "{text}"
    );
    assert!(!text.contains("secret") && !text.contains('\n'), "{text}");
    let none = StateConfig {
        backend: Backend::Postgres,
        ..StateConfig::default()
    };
    if std::env::var(crate::DATABASE_URL_ENV).is_err() {
        assert!(matches!(PgStore::open(&none), Err(Error::NoUrl)));
    }
}

#[test]
fn a_v1_database_keeps_its_sources_through_later_versions() {
    let Some(db) = test_db() else { return };
    db.execute(&format!(
        "CREATE TABLE newsmon_schema (version BIGINT PRIMARY KEY,
                                          applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
             {}
             INSERT INTO newsmon_schema (version) VALUES (1);
             INSERT INTO sources (name, url, etag) VALUES ('s', 'https://s.example/', '\"e\"');",
        crate::schema::MIGRATIONS[0]
    ));
    let store = db.open("a");
    assert_eq!(store.status().unwrap().schema_version, 4);
    let source = store.source("s").unwrap().unwrap();
    assert_eq!(source.validators.etag.as_deref(), Some("\"e\""));
    assert_eq!((source.ttl_mins, source.due_reason), (None, None));
}

#[test]
fn polls_are_recorded_like_sqlite_does() {
    let Some(db) = test_db() else { return };
    let mut store = db.open("a");
    assert_eq!(store.source("one").unwrap(), None);
    let validators = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    store
        .record_poll(&poll(
            "one",
            PollOutcome::Ok {
                status: 200,
                validators: validators.clone(),
                items_in_feed: 12,
                new_articles: 3,
                ttl_mins: Some(60),
                selector: Some("main a".into()),
            },
        ))
        .unwrap();
    let mut failure = poll(
        "one",
        PollOutcome::Failed {
            status: Some(503),
            error: "unavailable".into(),
        },
    );
    failure.due_reason = Some("retry-after 120s".into());
    store.record_poll(&failure).unwrap();
    let state = store.source("one").unwrap().unwrap();
    assert_eq!(
        state.validators, validators,
        "a failure keeps the validators"
    );
    assert_eq!((state.consecutive_failures, state.items_in_feed), (1, 12));
    assert_eq!(state.last_status, Some(503));
    assert_eq!(state.last_error.as_deref(), Some("unavailable"));
    assert_eq!(state.ttl_mins, Some(60), "a failure keeps the feed TTL");
    assert_eq!(state.due_reason.as_deref(), Some("retry-after 120s"));
    store
        .record_poll(&poll("one", PollOutcome::NotModified))
        .unwrap();
    let state = store.source("one").unwrap().unwrap();
    assert_eq!(
        (state.consecutive_failures, state.last_status),
        (0, Some(304))
    );
    assert_eq!(state.kind.as_deref(), Some("feed"));
    assert_eq!(state.ttl_mins, Some(60), "a 304 keeps the feed TTL");
    assert_eq!(state.selector.as_deref(), Some("main a"));
    assert_eq!(state.due_reason.as_deref(), Some("interval"));
    assert_eq!(store.sources().unwrap().len(), 1);
    // A new URL starts afresh: no validators, no TTL, due now.
    store
        .register_sources(&[("one".into(), "https://one.example/other".into())])
        .unwrap();
    let state = store.source("one").unwrap().unwrap();
    assert_eq!(
        (
            state.ttl_mins,
            state.due_reason,
            state.next_due,
            state.selector
        ),
        (None, None, None, None)
    );
    assert_eq!(state.validators, Validators::default());
}

#[test]
fn failures_count_up_and_a_poll_that_learnt_nothing_keeps_what_was_known() {
    let Some(db) = test_db() else { return };
    let mut store = db.open("a");
    let failed = || {
        let mut failed = poll(
            "two",
            PollOutcome::Failed {
                status: None,
                error: "refused".into(),
            },
        );
        failed.kind = None;
        failed
    };
    // A source first seen failing starts at one failure.
    store.record_poll(&failed()).unwrap();
    let state = store.source("two").unwrap().unwrap();
    assert_eq!((state.consecutive_failures, state.last_status), (1, None));
    assert_eq!(state.kind, None);
    let mut ok = poll(
        "two",
        PollOutcome::Ok {
            status: 200,
            validators: Validators::default(),
            items_in_feed: 5,
            new_articles: 5,
            ttl_mins: None,
            selector: None,
        },
    );
    ok.feed_url = Some("https://two.example/feed.xml".into());
    store.record_poll(&ok).unwrap();
    store.record_poll(&failed()).unwrap();
    store.record_poll(&failed()).unwrap();
    let state = store.source("two").unwrap().unwrap();
    assert_eq!(state.consecutive_failures, 2);
    assert_eq!(state.new_articles, 0, "a failure found nothing new");
    assert_eq!(state.kind.as_deref(), Some("feed"), "kept without one");
    assert_eq!(
        state.feed_url.as_deref(),
        Some("https://two.example/feed.xml")
    );
    let mut unchanged = poll("two", PollOutcome::NotModified);
    unchanged.kind = None;
    store.record_poll(&unchanged).unwrap();
    let state = store.source("two").unwrap().unwrap();
    assert_eq!((state.consecutive_failures, state.last_error), (0, None));
    assert_eq!(state.items_in_feed, 5, "a 304 keeps the item count");
    assert_eq!(
        state.feed_url.as_deref(),
        Some("https://two.example/feed.xml")
    );
}

#[test]
fn each_source_is_leased_by_one_owner_until_it_lapses() {
    let Some(db) = test_db() else { return };
    let mut a = db.open("ingester-a");
    let mut quick = db.config("ingester-b");
    quick.lease_secs = 1;
    let b = PgStore::open(&quick).unwrap();
    let names: Vec<String> = (0..5).map(|i| format!("s{i}")).collect();
    let sources: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.clone(), format!("https://{n}.example/feed")))
        .collect();
    a.register_sources(&sources).unwrap();
    b.register_sources(&sources).unwrap();
    let by_a = a.lease(&names, 3, Due::BySchedule).unwrap();
    let by_b = b.lease(&names, 10, Due::BySchedule).unwrap();
    assert_eq!(by_a.len(), 3);
    assert_eq!(by_b.len(), 2);
    assert!(by_a.iter().all(|n| !by_b.contains(n)), "{by_a:?} {by_b:?}");
    assert!(b.lease(&names, 10, Due::BySchedule).unwrap().is_empty());
    let leases = a.leases().unwrap();
    assert_eq!(leases.len(), 5);
    assert!(
        leases
            .iter()
            .any(|l| l.owner == "ingester-a" && l.source == by_a[0])
    );
    // Recording a poll gives the lease back; the source is not due again before next_due.
    a.record_poll(&poll(&by_a[0], PollOutcome::NotModified))
        .unwrap();
    assert_eq!(a.leases().unwrap().len(), 4);
    assert!(b.lease(&names, 10, Due::BySchedule).unwrap().is_empty());
    // But a pass that started after that poll... did not: the source was polled since.
    let before = Utc::now() - Span::hours(1);
    assert!(
        b.lease(&names, 10, Due::NotPolledSince(before))
            .unwrap()
            .is_empty()
    );
    // B's leases lapse after a second; A takes them over.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let taken = a.lease(&names, 10, Due::BySchedule).unwrap();
    let mut expected = by_b.clone();
    expected.sort();
    let mut taken_sorted = taken.clone();
    taken_sorted.sort();
    assert_eq!(taken_sorted, expected);
    // A late poll record from B does not free A's lease.
    let mut b = b;
    b.record_poll(&poll(&by_b[0], PollOutcome::NotModified))
        .unwrap();
    assert!(
        a.leases()
            .unwrap()
            .iter()
            .any(|l| l.source == by_b[0] && l.owner == "ingester-a")
    );
    let mut held: Vec<String> = by_a[1..].to_vec();
    held.extend(by_b.iter().cloned());
    held.push("not-leased".into());
    assert_eq!(a.renew_leases(&held).unwrap(), 4);
    assert_eq!(a.release_leases().unwrap(), 4);
    assert!(a.leases().unwrap().is_empty());
}

#[test]
fn articles_go_to_the_log_in_order_with_clusters_aliases_and_pages() {
    let Some(db) = test_db() else { return };
    let mut store = db.open("a");
    let mut sink = store.sink();
    let first = document("https://wire.example/a", TEXT_A);
    let copy = document(
        "https://paper.example/a-copy",
        &format!("{TEXT_A} Reporting by the wire."),
    );
    let other = document("https://wire.example/b", TEXT_B);
    sink.upsert(&first).unwrap();
    sink.upsert(&copy).unwrap();
    store
        .mark_indexed(&[
            indexed(
                &first.url,
                &["https://wire.example/a?from=rss"],
                Some("<p>page a</p>"),
            ),
            indexed(&copy.url, &[], None),
        ])
        .unwrap();
    write(&mut store, std::slice::from_ref(&other));
    let log = store.read_log(0, 100).unwrap();
    let urls: Vec<&str> = log.iter().map(|e| e.document.url.as_str()).collect();
    assert_eq!(
        urls,
        [first.url.as_str(), copy.url.as_str(), other.url.as_str()]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(log[0].document, first);
    assert_eq!(
        log[1].cluster, log[0].cluster,
        "the copy joins the first article's cluster"
    );
    assert_ne!(log[2].cluster, log[0].cluster);
    // Found by key and by alias; the page comes back whole.
    let by_alias = store
        .article("https://wire.example/a?from=rss")
        .unwrap()
        .unwrap();
    assert_eq!(by_alias.url, first.url);
    let page = store.page(&first.url).unwrap().unwrap();
    assert_eq!(page.body, b"<p>page a</p>");
    assert_eq!(store.page(&other.url).unwrap(), None);
    // An update moves the article to the end of the log; still one row per URL.
    let edited = document("https://wire.example/a", &format!("{TEXT_B} Updated."));
    write(&mut store, &[edited]);
    let log = store.read_log(0, 100).unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2].document.url, first.url);
    assert_eq!(store.read_log(log[1].seq, 100).unwrap().len(), 1);
    assert_eq!(store.last_seq().unwrap(), log[2].seq);
    // An acknowledgement without content changes the crawl state, not the log.
    store
        .mark_indexed(&[indexed(&other.url, &[], None)])
        .unwrap();
    assert_eq!(store.last_seq().unwrap(), log[2].seq);
}

#[test]
fn clusters_do_not_depend_on_which_ingester_wrote_first() {
    let Some(db) = test_db() else { return };
    // Two ingesters; the second has never seen the first one's article in memory.
    let mut a = db.open("a");
    let mut b = db.open("b");
    write(&mut a, &[document("https://one.example/x", TEXT_A)]);
    write(
        &mut b,
        &[document(
            "https://two.example/x",
            &format!("{TEXT_A} (AFP)"),
        )],
    );
    write(
        &mut a,
        &[document(
            "https://three.example/x",
            &format!("{TEXT_A} (Reuters)"),
        )],
    );
    let log = a.read_log(0, 10).unwrap();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| e.cluster == log[0].cluster), "{log:?}");
}

#[test]
fn concurrent_writers_keep_the_log_gapless_for_readers() {
    let Some(db) = test_db() else { return };
    let stores: Vec<PgStore> = (0..3).map(|i| db.open(&format!("w{i}"))).collect();
    let handles: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(w, mut store)| {
            std::thread::spawn(move || {
                for batch in 0..10 {
                    let docs: Vec<Document> = (0..5)
                        .map(|i| {
                            document(
                                &format!("https://w{w}.example/{batch}/{i}"),
                                &format!("story {w} {batch} {i}"),
                            )
                        })
                        .collect();
                    write(&mut store, &docs);
                }
            })
        })
        .collect();
    // A reader following meanwhile, by "last seen sequence", must end with every article.
    let reader = db.open("reader");
    let mut seen = std::collections::HashSet::new();
    let mut last = 0;
    let mut rounds = 0;
    loop {
        let finished = handles.iter().all(|h| h.is_finished());
        for entry in reader.read_log(last, 7).unwrap() {
            assert!(entry.seq > last);
            last = entry.seq;
            seen.insert(entry.document.url);
        }
        if finished && reader.read_log(last, 1).unwrap().is_empty() {
            break;
        }
        rounds += 1;
        assert!(rounds < 100_000);
    }
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(seen.len(), 150);
    assert_eq!(reader.status().unwrap().articles, 150);
}

#[test]
fn operations_survive_their_connections_being_killed() {
    let Some(db) = test_db() else { return };
    let mut store = db.open("a");
    write(&mut store, &[document("https://wire.example/1", TEXT_A)]);
    // What a server restart does to every open connection.
    assert!(db.kill_connections() >= 1);
    write(&mut store, &[document("https://wire.example/2", TEXT_B)]);
    assert_eq!(store.read_log(0, 10).unwrap().len(), 2);
}

#[test]
fn starts_to_a_host_are_spaced_by_the_delay_across_stores() {
    use newsmon_fetcher::HostLedger;
    use std::time::Duration;
    let Some(db) = test_db() else { return };
    let (a, b) = (db.open("a"), db.open("b"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let delay = Duration::from_millis(500);
    let waits: Vec<Duration> = runtime.block_on(async {
        let mut waits = Vec::new();
        for store in [&a, &b, &a, &b] {
            waits.push(store.reserve("http://h.example:80", delay).await.unwrap());
        }
        // Another host has its own slot.
        waits.push(a.reserve("http://other.example:80", delay).await.unwrap());
        waits
    });
    // Reserved one after the other within a few milliseconds: 0, 0.5, 1.0, 1.5 s ahead.
    for (n, wait) in waits[..4].iter().enumerate() {
        let want = delay * n as u32;
        assert!(
            *wait <= want && *wait + Duration::from_millis(200) > want,
            "{waits:?}"
        );
    }
    assert!(waits[4] < Duration::from_millis(50), "{waits:?}");
}

#[test]
fn robots_txt_is_fetched_by_one_store_and_read_by_the_others() {
    use newsmon_fetcher::{HostLedger, RobotsLookup, SharedRobots};
    use std::time::Duration;
    let Some(db) = test_db() else { return };
    let (a, b) = (db.open("a"), db.open("b"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let host = "https://r.example:443";
    let claim = Duration::from_secs(30);
    runtime.block_on(async {
        assert_eq!(a.robots(host, claim).await.unwrap(), RobotsLookup::Fetch);
        // a fetches it: b waits, and a asking again keeps its claim.
        assert_eq!(b.robots(host, claim).await.unwrap(), RobotsLookup::Wait);
        assert_eq!(a.robots(host, claim).await.unwrap(), RobotsLookup::Fetch);
        let body = b"User-agent: *\nDisallow: /x\n".to_vec();
        a.store_robots(
            host,
            Some(SharedRobots::Body(body.clone())),
            Duration::from_secs(60),
        )
        .await
        .unwrap();
        match b.robots(host, claim).await.unwrap() {
            RobotsLookup::Fresh { robots, age } => {
                assert_eq!(robots, SharedRobots::Body(body));
                assert!(age < Duration::from_secs(5), "{age:?}");
            }
            other => panic!("{other:?}"),
        }
        // Expired: fetched again, by one of them.
        let other = "https://s.example:443";
        assert_eq!(b.robots(other, claim).await.unwrap(), RobotsLookup::Fetch);
        b.store_robots(other, Some(SharedRobots::Unavailable), Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(a.robots(other, claim).await.unwrap(), RobotsLookup::Fetch);
        assert_eq!(b.robots(other, claim).await.unwrap(), RobotsLookup::Wait);
        // A claim given back without an answer (the host was not reached) frees the fetch.
        a.store_robots(other, None, Duration::ZERO).await.unwrap();
        assert_eq!(b.robots(other, claim).await.unwrap(), RobotsLookup::Fetch);
    });
}

#[test]
fn host_slots_hold_the_limit_across_stores_and_come_back_when_released() {
    use newsmon_fetcher::HostLedger;
    use std::time::Duration;
    let Some(db) = test_db() else { return };
    let (a, b) = (db.open("a"), db.open("b"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let host = "http://h.example:80";
    let lease = Duration::from_secs(60);
    runtime.block_on(async {
        let first = a.acquire_slot(host, 2, lease).await.unwrap().unwrap();
        let second = b.acquire_slot(host, 2, lease).await.unwrap().unwrap();
        assert_ne!(first.slot, second.slot);
        assert!(first.slot < 2 && second.slot < 2);
        // Both slots are held: neither store gets a third.
        assert_eq!(a.acquire_slot(host, 2, lease).await.unwrap(), None);
        assert_eq!(b.acquire_slot(host, 2, lease).await.unwrap(), None);
        // Another host has slots of its own.
        assert!(
            a.acquire_slot("http://other.example:80", 2, lease)
                .await
                .unwrap()
                .is_some()
        );
        assert!(a.renew_slot(host, &first, lease).await.unwrap());
        // Only the holder releases a slot: b's release of a's slot does nothing.
        let forged = newsmon_fetcher::HeldSlot {
            slot: first.slot,
            holder: second.holder.clone(),
        };
        b.release_slot(host, &forged).await.unwrap();
        assert_eq!(b.acquire_slot(host, 2, lease).await.unwrap(), None);
        a.release_slot(host, &first).await.unwrap();
        let third = b.acquire_slot(host, 2, lease).await.unwrap().unwrap();
        assert_eq!(third.slot, first.slot);
        // Released twice (the first holder's late release): the new holder keeps it.
        a.release_slot(host, &first).await.unwrap();
        assert!(b.renew_slot(host, &third, lease).await.unwrap());
        assert!(!a.renew_slot(host, &first, lease).await.unwrap());
    });
    assert_eq!(a.status().unwrap().host_slots, 3);
    // A clean stop gives back every slot the store holds.
    a.release_leases().unwrap();
    assert_eq!(a.status().unwrap().host_slots, 2);
}

#[test]
fn an_expired_slot_of_a_dead_owner_is_taken_over() {
    use newsmon_fetcher::HostLedger;
    use std::time::Duration;
    let Some(db) = test_db() else { return };
    let (dead, live) = (db.open("dead"), db.open("live"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let host = "http://h.example:80";
    runtime.block_on(async {
        let held = dead
            .acquire_slot(host, 1, Duration::from_millis(300))
            .await
            .unwrap()
            .unwrap();
        // The owner dies holding it: no release, no renewal.
        drop(dead);
        let lease = Duration::from_secs(60);
        assert_eq!(live.acquire_slot(host, 1, lease).await.unwrap(), None);
        tokio::time::sleep(Duration::from_millis(400)).await;
        let taken = live.acquire_slot(host, 1, lease).await.unwrap().unwrap();
        assert_eq!(taken.slot, held.slot);
        assert_ne!(taken.holder, held.holder);
        assert!(live.renew_slot(host, &taken, lease).await.unwrap());
    });
}

#[test]
fn many_stores_racing_for_one_slot_never_hold_it_twice() {
    use newsmon_fetcher::HostLedger;
    use std::time::Duration;
    let Some(db) = test_db() else { return };
    let stores: Vec<PgStore> = (0..4).map(|n| db.open(&format!("s{n}"))).collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let host = "http://race.example:80";
    let lease = Duration::from_secs(60);
    runtime.block_on(async {
        for _ in 0..10 {
            let mut racers = tokio::task::JoinSet::new();
            for store in &stores {
                let store = store.clone();
                racers.spawn(async move { store.acquire_slot(host, 1, lease).await.unwrap() });
            }
            let held: Vec<_> = racers.join_all().await.into_iter().flatten().collect();
            // At most one wins, and with no holder before, one must.
            assert_eq!(held.len(), 1, "{held:?}");
            stores[0].release_slot(host, &held[0]).await.unwrap();
        }
    });
}
