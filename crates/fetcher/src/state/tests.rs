use super::*;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
}

fn poll(secs: i64, outcome: PollOutcome) -> SourcePoll {
    SourcePoll {
        name: "example".into(),
        url: "https://example.com/feed.xml".into(),
        at: at(secs),
        outcome,
        next_due: Some(at(secs + 900)),
        due_reason: Some("interval".into()),
        kind: None,
        feed_url: None,
    }
}

fn ok(etag: &str, items: u64, new: u64) -> PollOutcome {
    PollOutcome::Ok {
        status: 200,
        validators: Validators {
            etag: Some(etag.into()),
            last_modified: Some("Tue, 15 Nov 2022 20:15:04 GMT".into()),
        },
        items_in_feed: items,
        new_articles: new,
        ttl_mins: None,
        selector: None,
    }
}

fn failed(error: &str) -> PollOutcome {
    PollOutcome::Failed {
        status: Some(503),
        error: error.into(),
    }
}

fn article(url: &str, hash: &str) -> ArticleState {
    ArticleState {
        url: url.into(),
        source: "example".into(),
        feed_fingerprint: "f".repeat(64),
        content_hash: hash.into(),
        indexed_at: at(5),
    }
}

fn indexed(state: &ArticleState) -> IndexedArticle {
    IndexedArticle {
        state: state.clone(),
        links: vec![state.url.clone()],
        page: None,
    }
}

fn all(articles: &[ArticleState]) -> Vec<IndexedArticle> {
    articles.iter().map(indexed).collect()
}

#[test]
fn unknown_source_is_none() {
    let state = SqliteState::open_in_memory().unwrap();
    assert_eq!(state.source("nope").unwrap(), None);
    assert!(state.sources().unwrap().is_empty());
}

#[test]
fn record_poll_counts_failures_and_keeps_validators() {
    let mut state = SqliteState::open_in_memory().unwrap();
    state.record_poll(&poll(0, ok("\"v1\"", 20, 20))).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(source.last_status, Some(200));
    assert_eq!((source.items_in_feed, source.new_articles), (20, 20));
    assert_eq!(source.consecutive_failures, 0);
    assert_eq!(source.last_poll, Some(at(0)));

    state.record_poll(&poll(60, failed("boom 1"))).unwrap();
    state.record_poll(&poll(120, failed("boom 2"))).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.consecutive_failures, 2);
    assert_eq!(source.last_error.as_deref(), Some("boom 2"));
    assert_eq!(source.last_status, Some(503));
    assert_eq!(source.last_poll, Some(at(120)));
    assert_eq!(source.validators.etag.as_deref(), Some("\"v1\""), "kept");
    assert_eq!(source.items_in_feed, 20, "kept");
    assert_eq!(source.new_articles, 0);

    state
        .record_poll(&poll(180, PollOutcome::NotModified))
        .unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.consecutive_failures, 0);
    assert_eq!(source.last_error, None);
    assert_eq!(source.last_status, Some(304));
    assert_eq!(source.validators.etag.as_deref(), Some("\"v1\""));

    state.record_poll(&poll(240, failed("boom 3"))).unwrap();
    state.record_poll(&poll(300, ok("\"v2\"", 21, 1))).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.consecutive_failures, 0);
    assert_eq!(source.last_error, None);
    assert_eq!(source.validators.etag.as_deref(), Some("\"v2\""));
    assert_eq!((source.items_in_feed, source.new_articles), (21, 1));
}

#[test]
fn first_poll_may_be_a_failure() {
    let mut state = SqliteState::open_in_memory().unwrap();
    state
        .record_poll(&poll(
            0,
            PollOutcome::Failed {
                status: None,
                error: "connection refused".into(),
            },
        ))
        .unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.consecutive_failures, 1);
    assert_eq!(source.last_status, None);
    assert_eq!(source.validators, Validators::default());
}

#[test]
fn sources_are_listed_by_name() {
    let mut state = SqliteState::open_in_memory().unwrap();
    for name in ["zeta", "alpha", "mid"] {
        let mut p = poll(0, PollOutcome::NotModified);
        p.name = name.into();
        state.record_poll(&p).unwrap();
    }
    let names: Vec<String> = state
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["alpha", "mid", "zeta"]);
}

#[test]
fn mark_indexed_round_trips_and_upserts() {
    let mut state = SqliteState::open_in_memory().unwrap();
    assert_eq!(state.article("https://example.com/a").unwrap(), None);
    let a = article("https://example.com/a", "h1");
    let b = article("https://example.com/b", "h2");
    state.mark_indexed(&all(&[a.clone(), b.clone()])).unwrap();
    assert_eq!(state.article(&a.url).unwrap(), Some(a.clone()));
    assert_eq!(state.article(&b.url).unwrap(), Some(b));

    let edited = ArticleState {
        content_hash: "h3".into(),
        indexed_at: at(99),
        ..a
    };
    state.mark_indexed(&[indexed(&edited)]).unwrap();
    assert_eq!(state.article(&edited.url).unwrap(), Some(edited));
    state.mark_indexed(&[]).unwrap();
}

#[test]
fn sub_second_timestamps_survive_to_the_microsecond() {
    let mut state = SqliteState::open_in_memory().unwrap();
    let mut a = article("https://example.com/a", "h");
    a.indexed_at = DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
    state.mark_indexed(&[indexed(&a)]).unwrap();
    assert_eq!(state.article(&a.url).unwrap(), Some(a));
}

#[test]
fn reopened_file_keeps_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.sqlite");
    {
        let mut state = SqliteState::open(&path).unwrap();
        state.record_poll(&poll(0, ok("\"e\"", 3, 3))).unwrap();
        state
            .mark_indexed(&[indexed(&article("https://example.com/a", "h"))])
            .unwrap();
    }
    let state = SqliteState::open(&path).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.validators.etag.as_deref(), Some("\"e\""));
    assert_eq!(
        state.article("https://example.com/a").unwrap(),
        Some(article("https://example.com/a", "h"))
    );
    let version: i64 = state
        .conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    let mode: String = state
        .conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn database_from_a_newer_newsmon_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.sqlite");
    drop(SqliteState::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = SqliteState::open(&path).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: crawl state: schema v99", path.display())),
        "{err}"
    );
}

#[test]
fn unreadable_file_names_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.sqlite");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = SqliteState::open(&path).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}: crawl state: ", path.display())),
        "{err}"
    );
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn scheduling_kind_and_discovered_feed_are_kept() {
    let mut state = SqliteState::open_in_memory().unwrap();
    let mut first = poll(0, ok("\"v1\"", 3, 3));
    first.kind = Some("site".into());
    first.feed_url = Some("https://example.com/feed/".into());
    state.record_poll(&first).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.next_due, Some(at(900)));
    assert_eq!(source.kind.as_deref(), Some("site"));
    assert_eq!(
        source.feed_url.as_deref(),
        Some("https://example.com/feed/")
    );

    // A failure (kind unknown this time) keeps both and moves next_due.
    let mut failure = poll(60, failed("boom"));
    failure.next_due = Some(at(4000));
    state.record_poll(&failure).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.next_due, Some(at(4000)));
    assert_eq!(source.kind.as_deref(), Some("site"));
    assert_eq!(
        source.feed_url.as_deref(),
        Some("https://example.com/feed/")
    );
    assert_eq!(source.consecutive_failures, 1);
}

#[test]
fn an_article_is_found_by_any_url_that_led_to_it() {
    let mut state = SqliteState::open_in_memory().unwrap();
    let a = article("https://example.com/story", "h1");
    state
        .mark_indexed(&[IndexedArticle {
            state: a.clone(),
            links: vec![
                "https://example.com/story?from=rss".into(),
                "https://m.example.com/story".into(),
            ],
            page: None,
        }])
        .unwrap();
    assert_eq!(
        state.article("https://example.com/story").unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        state.article("https://m.example.com/story").unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        state.article("https://example.com/story?from=rss").unwrap(),
        Some(a)
    );
    assert_eq!(state.article("https://example.com/other").unwrap(), None);

    // An alias recorded on its own, before its article is marked, finds nothing yet.
    state
        .add_aliases(&[(
            "https://example.com/next?from=b".into(),
            "https://example.com/next".into(),
        )])
        .unwrap();
    assert_eq!(
        state.article("https://example.com/next?from=b").unwrap(),
        None
    );
    let next = article("https://example.com/next", "h2");
    state.mark_indexed(&[indexed(&next)]).unwrap();
    assert_eq!(
        state.article("https://example.com/next?from=b").unwrap(),
        Some(next)
    );
}

#[test]
fn raw_pages_are_stored_compressed_and_read_back() {
    let mut state = SqliteState::open_in_memory().unwrap();
    let body = "<html><body><p>Leaders met in Paris.</p></body></html>".repeat(200);
    let page = RawPage {
        url: "https://example.com/story?x=1".into(),
        content_type: Some("text/html; charset=windows-1251".into()),
        body: body.clone().into_bytes(),
    };
    let a = article("https://example.com/story", "h1");
    state
        .mark_indexed(&[IndexedArticle {
            state: a.clone(),
            links: vec![],
            page: Some(CompressedPage::new(&page).unwrap()),
        }])
        .unwrap();
    assert_eq!(state.page(&a.url).unwrap(), Some(page.clone()));
    let stored: i64 = state
        .conn
        .query_row("SELECT length(body) FROM pages", [], |row| row.get(0))
        .unwrap();
    assert!(
        stored * 10 < body.len() as i64,
        "{stored} bytes for {}",
        body.len()
    );
    // An unchanged article (no page) keeps the stored page.
    state.mark_indexed(&[indexed(&a)]).unwrap();
    assert_eq!(state.page(&a.url).unwrap(), Some(page));
    assert_eq!(state.page("https://example.com/none").unwrap(), None);
}

#[test]
fn a_v1_database_is_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute(
            "INSERT INTO articles VALUES ('https://example.com/a', 's', 'f', 'h', ?1)",
            [timestamp(&at(0))],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let state = SqliteState::open(&path).unwrap();
    assert_eq!(
        state
            .article("https://example.com/a")
            .unwrap()
            .unwrap()
            .content_hash,
        "h"
    );
    assert_eq!(state.page("https://example.com/a").unwrap(), None);
}

#[test]
fn the_feed_ttl_survives_304s_and_failures_and_the_due_reason_follows_each_poll() {
    let mut state = SqliteState::open_in_memory().unwrap();
    let with_ttl = PollOutcome::Ok {
        status: 200,
        validators: Validators::default(),
        items_in_feed: 3,
        new_articles: 3,
        ttl_mins: Some(60),
        selector: Some("article h2 a".into()),
    };
    let mut first = poll(0, with_ttl);
    first.next_due = Some(at(3600));
    first.due_reason = Some("ttl 60m".into());
    state.record_poll(&first).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.ttl_mins, Some(60));
    assert_eq!(source.due_reason.as_deref(), Some("ttl 60m"));
    assert_eq!(source.next_due, Some(at(3600)));

    let mut not_modified = poll(3600, PollOutcome::NotModified);
    not_modified.due_reason = Some("max-age 7200s".into());
    state.record_poll(&not_modified).unwrap();
    let mut failure = poll(7200, failed("HTTP 503"));
    failure.due_reason = Some("retry-after 120s".into());
    state.record_poll(&failure).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!(source.ttl_mins, Some(60), "kept by a 304 and a failure");
    assert_eq!(source.selector.as_deref(), Some("article h2 a"));
    assert_eq!(source.due_reason.as_deref(), Some("retry-after 120s"));

    // A download without <ttl> clears it.
    state.record_poll(&poll(9000, ok("\"v2\"", 3, 0))).unwrap();
    let source = state.source("example").unwrap().unwrap();
    assert_eq!((source.ttl_mins, source.selector), (None, None));
    assert_eq!(source.due_reason.as_deref(), Some("interval"));
}

#[test]
fn a_v2_database_keeps_its_sources_through_v3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.execute(
            "INSERT INTO sources (name, url, etag, next_due) VALUES ('s', 'https://s.example/', '\"e\"', ?1)",
            [timestamp(&at(900))],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let state = SqliteState::open(&path).unwrap();
    let source = state.source("s").unwrap().unwrap();
    assert_eq!(source.validators.etag.as_deref(), Some("\"e\""));
    assert_eq!(source.next_due, Some(at(900)));
    assert_eq!(
        (source.ttl_mins, source.due_reason, source.selector),
        (None, None, None)
    );
}
