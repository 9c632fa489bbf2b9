use chrono::{TimeZone, Utc};
use newsmon_extractor::{Article, Mention};

use crate::{Document, Error, Index, SearchRequest, Sink};

fn doc(url: &str, title: &str, text: &str, day: u32, tags: &[&str]) -> Document {
    Document {
        url: url.to_string(),
        source: "Wire".to_string(),
        article: Article {
            title: Some(title.to_string()),
            published: Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).single(),
            language: Some("en".to_string()),
            text: text.to_string(),
            ..Article::default()
        },
        mentions: tags
            .iter()
            .map(|t| Mention {
                tag: t.to_string(),
                evidence: text.to_string(),
                matched: String::new(),
                start: 0,
                end: 0,
                count: 1,
                amounts: vec![],
            })
            .collect(),
        amounts: vec![],
        fetched: Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap(),
        content_hash: "h".to_string(),
    }
}

fn sample_index(dir: &std::path::Path) -> Index {
    let index = Index::open_or_create(dir).unwrap();
    let mut writer = index.writer(20_000_000).unwrap();
    writer
        .upsert(&doc(
            "https://a/1",
            "Paris summit agrees guarantees",
            "Leaders met at the Elysee and agreed a multinational force.",
            6,
            &["meeting/leaders-summit", "tier/european-signal"],
        ))
        .unwrap();
    writer
        .upsert(&doc(
            "https://a/2",
            "Washington offers backstop",
            "A U.S. backstop for fifteen years was offered to Kyiv in Paris.",
            7,
            &["tier/us-backstop"],
        ))
        .unwrap();
    writer
        .upsert(&doc(
            "https://a/3",
            "Football",
            "The match ended in a draw.",
            8,
            &[],
        ))
        .unwrap();
    writer.commit().unwrap();
    index
}

fn urls(index: &Index, request: SearchRequest) -> Vec<String> {
    let mut urls: Vec<String> = index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect();
    urls.sort();
    urls
}

#[test]
fn searches_words_tags_kinds_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample_index(dir.path());
    let q = |query: &str| SearchRequest {
        query: query.to_string(),
        ..SearchRequest::default()
    };
    assert_eq!(urls(&index, q("paris")), vec!["https://a/1", "https://a/2"]);
    assert_eq!(urls(&index, q("*")).len(), 3);
    assert_eq!(
        urls(
            &index,
            SearchRequest {
                tags: vec!["tier/us-backstop".into()],
                ..q("paris")
            }
        ),
        vec!["https://a/2"]
    );
    assert_eq!(
        urls(
            &index,
            SearchRequest {
                tags: vec!["tier".into()],
                ..q("")
            }
        ),
        vec!["https://a/1", "https://a/2"]
    );
    let since = Utc.with_ymd_and_hms(2026, 1, 7, 0, 0, 0).single();
    let until = Utc.with_ymd_and_hms(2026, 1, 8, 0, 0, 0).single();
    assert_eq!(
        urls(
            &index,
            SearchRequest {
                since,
                until,
                ..q("")
            }
        ),
        vec!["https://a/2"]
    );
}

#[test]
fn title_outranks_body_and_hits_carry_fields() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample_index(dir.path());
    let results = index
        .search(&SearchRequest {
            query: "backstop OR multinational".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(results.total, 2);
    let top = &results.hits[0];
    assert_eq!(top.url, "https://a/2", "title match ranks first");
    assert_eq!(top.tags, vec!["tier/us-backstop"]);
    assert_eq!(top.published, "2026-01-07T12:00:00+00:00");
    assert_eq!(top.id.len(), 16);
    assert!(top.snippet.contains("backstop"), "{}", top.snippet);
}

#[test]
fn upsert_replaces_the_same_url() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample_index(dir.path());
    let mut writer = index.writer(20_000_000).unwrap();
    writer
        .upsert(&doc(
            "https://a/3",
            "Football",
            "A late goal won it.",
            8,
            &[],
        ))
        .unwrap();
    writer.commit().unwrap();
    assert_eq!(index.num_docs().unwrap(), 3);
    let hits = index
        .search(&SearchRequest {
            query: "goal".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(hits.total, 1);
    let old = index
        .search(&SearchRequest {
            query: "draw".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(old.total, 0);
}

#[test]
fn a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open_or_create(dir.path()).unwrap();
    let _writer = index.writer(20_000_000).unwrap();
    let other = Index::open(dir.path()).unwrap();
    let err = other.writer(20_000_000).err().unwrap();
    assert!(matches!(err, Error::Locked { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("another newsmon is writing to this index")
    );
}

#[test]
fn bad_queries_and_filters_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample_index(dir.path());
    let err = index
        .search(&SearchRequest {
            query: "title:(paris".into(),
            ..SearchRequest::default()
        })
        .unwrap_err();
    assert!(
        err.to_string().starts_with("invalid query `title:(paris`"),
        "{err}"
    );
    let err = index
        .search(&SearchRequest {
            query: "nosuchfield:x".into(),
            ..SearchRequest::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("nosuchfield"), "{err}");
    let err = index
        .search(&SearchRequest {
            tags: vec!["tier//x".into()],
            ..SearchRequest::default()
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid filter: tag `tier//x`: expected KIND or KIND/KEY"
    );
}

#[test]
fn missing_and_incompatible_indexes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = Index::open(&dir.path().join("nope")).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("no index here; run `newsmon ingest` first"),
        "{err}"
    );
    sample_index(dir.path());
    std::fs::write(dir.path().join("newsmon-schema-version"), "0").unwrap();
    let err = Index::open(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("index built by schema v0, this newsmon needs v3"),
        "{err}"
    );
}

fn with_amounts(mut document: Document, text: &str) -> Document {
    document.amounts = newsmon_extractor::find_amounts(text, &Default::default());
    document
}

#[test]
fn amounts_filter_by_usd_range() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open_or_create(dir.path()).unwrap();
    let mut writer = index.writer(20_000_000).unwrap();
    let big = "A prosperity plan worth up to $800bn for Ukraine.";
    let eur = "The EU agreed a €90bn loan for Ukraine.";
    let small = "A €5 million grant for Ukraine's schools.";
    for (url, text) in [
        ("https://a/big", big),
        ("https://a/eur", eur),
        ("https://a/small", small),
    ] {
        writer
            .upsert(&with_amounts(doc(url, "Ukraine money", text, 6, &[]), text))
            .unwrap();
    }
    writer.commit().unwrap();
    let query = |q: &str| {
        urls(
            &index,
            SearchRequest {
                query: q.to_string(),
                ..SearchRequest::default()
            },
        )
    };
    assert_eq!(
        query("amount_usd:>=100000000000"),
        vec!["https://a/big", "https://a/eur"]
    );
    assert_eq!(query("amount_usd:>=200000000000"), vec!["https://a/big"]);
    assert_eq!(
        query("ukraine AND amount_usd:[1 TO 10000000]"),
        vec!["https://a/small"]
    );
    let results = index
        .search(&SearchRequest {
            query: "amount_usd:>=200000000000".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(results.hits[0].amounts_usd, vec![800_000_000_000]);
}

#[test]
fn syndicated_copies_share_a_cluster() {
    let wire = "European leaders and U.S. envoys met in Paris on Tuesday to agree security guarantees for Ukraine once a ceasefire takes hold, with Britain and France pledging to deploy troops in a multinational force. The Paris Declaration, signed at the Elysee by 35 delegations, foresees a U.S.-led ceasefire monitoring mechanism. President Volodymyr Zelensky said the documents were a step forward but that the question of territory remained unresolved. U.S. envoys Steve Witkoff and Jared Kushner attended the summit and later met the Ukrainian delegation led by Rustem Umerov. Russia has said any Western troops in Ukraine would be legitimate targets.";
    let copies = [
        wire.to_string(),
        format!("PARIS (AP) - {wire}"),
        wire.replace(
            "Russia has said any Western troops in Ukraine would be legitimate targets.",
            "Moscow calls any Western troops legitimate targets.",
        ),
    ];
    let other = "The central bank left interest rates unchanged on Thursday, citing sticky services inflation and a weaker labour market, and signalled that cuts could come in the spring if wage growth keeps slowing.";
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open_or_create(dir.path()).unwrap();
    let mut writer = index.writer(20_000_000).unwrap();
    for (i, text) in copies.iter().enumerate() {
        writer
            .upsert(&doc(
                &format!("https://outlet{i}/story"),
                "Paris",
                text,
                6,
                &[],
            ))
            .unwrap();
    }
    writer.commit().unwrap();
    drop(writer);
    // A later writer sees the clusters already in the index.
    let mut writer = index.writer(20_000_000).unwrap();
    writer
        .upsert(&doc("https://other/rates", "Rates", other, 7, &[]))
        .unwrap();
    writer
        .upsert(&doc(
            "https://outlet9/story",
            "Paris",
            &format!("{wire} Reporting by our staff."),
            7,
            &[],
        ))
        .unwrap();
    writer.commit().unwrap();
    let results = index
        .search(&SearchRequest {
            query: "*".into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    let cluster_of = |url: &str| {
        results
            .hits
            .iter()
            .find(|h| h.url == url)
            .map(|h| h.cluster.clone())
            .unwrap()
    };
    let first = cluster_of("https://outlet0/story");
    assert_eq!(first, crate::document_id("https://outlet0/story"));
    for url in [
        "https://outlet1/story",
        "https://outlet2/story",
        "https://outlet9/story",
    ] {
        assert_eq!(cluster_of(url), first, "{url}");
    }
    assert_eq!(
        cluster_of("https://other/rates"),
        crate::document_id("https://other/rates")
    );
}
