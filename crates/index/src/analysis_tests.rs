//! Tests of filters, orders, collapsing, stats, funding, whole articles and rebuilds.

use chrono::{TimeZone, Utc};
use newsmon_extractor::{Article, Mention, MoneyConfig, find_amounts};

use crate::{
    Document, Index, Interval, Rebuild, SearchRequest, Sink, Sort, StatsRequest, document_id,
};

const WIRE: &str = "European leaders and U.S. envoys met in Paris on Tuesday to agree security guarantees for Ukraine once a ceasefire takes hold, with Britain and France pledging to deploy troops in a multinational force. The Paris Declaration, signed at the Elysee by 35 delegations, foresees a U.S.-led ceasefire monitoring mechanism. President Volodymyr Zelensky said the documents were a step forward but that the question of territory remained unresolved.";

fn doc(url: &str, source: &str, lang: &str, day: u32, text: &str, tags: &[&str]) -> Document {
    let amounts = find_amounts(text, &MoneyConfig::default());
    Document {
        url: url.to_string(),
        source: source.to_string(),
        article: Article {
            title: Some(format!("Story {url}")),
            published: Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).single(),
            language: Some(lang.to_string()),
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
                amounts: if t.starts_with("funding/") {
                    amounts.clone()
                } else {
                    vec![]
                },
            })
            .collect(),
        amounts,
        fetched: Utc.with_ymd_and_hms(2026, 1, day, 13, 0, 0).unwrap(),
        content_hash: "h".to_string(),
    }
}

fn corpus(dir: &std::path::Path) -> Index {
    let index = Index::open_or_create(dir).unwrap();
    let mut writer = index.writer(20_000_000).unwrap();
    for d in [
        doc(
            "https://wire/a",
            "Wire",
            "en",
            5,
            WIRE,
            &["meeting/leaders-summit", "tier/european-signal"],
        ),
        doc(
            "https://daily/a",
            "Daily",
            "en",
            6,
            &format!("PARIS - {WIRE}"),
            &["meeting/leaders-summit"],
        ),
        doc(
            "https://journal/a",
            "Journal",
            "fr",
            6,
            &format!("{WIRE} Reporting by staff."),
            &["meeting/leaders-summit"],
        ),
        doc(
            "https://policy/plan",
            "Policy",
            "en",
            8,
            "Kyiv wants a prosperity plan of up to $800 billion over ten years.",
            &["funding/prosperity-plan"],
        ),
        doc(
            "https://wire/plan",
            "Wire",
            "en",
            9,
            "The prosperity plan could mobilise $800bn, officials said. Others cite $700 billion.",
            &["funding/prosperity-plan", "tier/us-backstop"],
        ),
    ] {
        writer.upsert(&d).unwrap();
    }
    writer.commit().unwrap();
    index
}

fn urls(index: &Index, request: &SearchRequest) -> Vec<String> {
    index
        .search(request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn filters_by_source_and_language_and_sorts_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let all = SearchRequest {
        query: "*".into(),
        ..SearchRequest::default()
    };
    let newest = urls(
        &index,
        &SearchRequest {
            sort: Sort::Newest,
            ..all.clone()
        },
    );
    assert_eq!(newest.first().unwrap(), "https://wire/plan");
    assert_eq!(newest.last().unwrap(), "https://wire/a");
    let oldest = urls(
        &index,
        &SearchRequest {
            sort: Sort::Oldest,
            limit: 1,
            ..all.clone()
        },
    );
    assert_eq!(oldest, vec!["https://wire/a"]);
    let mut wire = urls(
        &index,
        &SearchRequest {
            sources: vec!["Wire".into()],
            ..all.clone()
        },
    );
    wire.sort();
    assert_eq!(wire, vec!["https://wire/a", "https://wire/plan"]);
    assert_eq!(
        urls(
            &index,
            &SearchRequest {
                langs: vec!["FR".into()],
                ..all.clone()
            }
        ),
        vec!["https://journal/a"]
    );
    assert_eq!(
        urls(
            &index,
            &SearchRequest {
                query: "source:Policy".into(),
                ..all.clone()
            }
        ),
        vec!["https://policy/plan"]
    );
    assert_eq!(
        urls(
            &index,
            &SearchRequest {
                query: "tag:tier/us-backstop".into(),
                ..all.clone()
            }
        ),
        vec!["https://wire/plan"]
    );
    assert_eq!(
        urls(
            &index,
            &SearchRequest {
                query: "lang:fr".into(),
                ..all.clone()
            }
        ),
        vec!["https://journal/a"]
    );
    let paged = urls(
        &index,
        &SearchRequest {
            sort: Sort::Oldest,
            offset: 4,
            ..all
        },
    );
    assert_eq!(paged, vec!["https://wire/plan"]);
}

#[test]
fn collapse_folds_copies_and_lists_their_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let results = index
        .search(&SearchRequest {
            query: "paris".into(),
            collapse: true,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(results.total, 3, "total counts every matching article");
    assert_eq!(results.hits.len(), 1, "{:?}", results.hits);
    let hit = &results.hits[0];
    let mut outlets = hit.outlets.clone().unwrap();
    outlets.sort();
    assert_eq!(outlets, vec!["Daily", "Journal", "Wire"]);
    assert_eq!(hit.copies, Some(3));
    assert!(!hit.highlights.is_empty(), "{hit:?}");
    let [start, end] = hit.highlights[0];
    assert_eq!(
        hit.snippet
            .get(start..end)
            .map(str::to_lowercase)
            .as_deref(),
        Some("paris")
    );
}

#[test]
fn stats_count_tags_sources_languages_and_days() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let stats = index
        .stats(&StatsRequest {
            search: SearchRequest {
                query: "*".into(),
                ..SearchRequest::default()
            },
            interval: Interval::Day,
            top: 10,
        })
        .unwrap();
    assert_eq!(stats.total, 5);
    let meeting = stats.tags.iter().find(|k| k.kind == "meeting").unwrap();
    assert_eq!(meeting.count, 3);
    assert_eq!(meeting.keys[0].name, "meeting/leaders-summit");
    let tier = stats.tags.iter().find(|k| k.kind == "tier").unwrap();
    assert_eq!(tier.count, 2);
    assert_eq!(tier.keys.len(), 2);
    assert_eq!(stats.sources[0].name, "Wire");
    assert_eq!(stats.sources[0].count, 2);
    assert_eq!(stats.languages[0].name, "en");
    assert_eq!(stats.languages[0].count, 4);
    let days: Vec<(String, u64)> = stats
        .timeline
        .iter()
        .map(|b| (b.date.clone(), b.count))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2026-01-05".into(), 1),
            ("2026-01-06".into(), 2),
            ("2026-01-07".into(), 0),
            ("2026-01-08".into(), 1),
            ("2026-01-09".into(), 1)
        ]
    );
    let weeks = index
        .stats(&StatsRequest {
            search: SearchRequest {
                tags: vec!["funding".into()],
                ..SearchRequest::default()
            },
            interval: Interval::Week,
            top: 10,
        })
        .unwrap();
    assert_eq!(weeks.total, 2);
    // 2026-01-05 is a Monday: both funding articles fall in its week.
    assert_eq!(
        weeks
            .timeline
            .iter()
            .map(|b| (b.date.as_str(), b.count))
            .collect::<Vec<_>>(),
        vec![("2026-01-05", 2)]
    );
}

#[test]
fn funding_groups_amounts_by_key_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let groups = index.funding(&SearchRequest::default(), "funding").unwrap();
    let big = groups.iter().find(|g| g.value == 800_000_000_000).unwrap();
    assert_eq!(big.tag, "funding/prosperity-plan");
    assert_eq!(big.currency.as_deref(), Some("USD"));
    assert_eq!(big.articles, 2);
    assert_eq!(big.outlets, 2);
    assert_eq!(big.first_seen, "2026-01-08T12:00:00+00:00");
    assert_eq!(big.last_seen, "2026-01-09T12:00:00+00:00");
    assert_eq!(
        big.example,
        "Kyiv wants a prosperity plan of up to $800 billion over ten years."
    );
    assert_eq!(groups[0].value, 800_000_000_000, "most reported first");
    let other = groups.iter().find(|g| g.value == 700_000_000_000).unwrap();
    assert_eq!(
        (other.articles, other.example.as_str()),
        (1, "Others cite $700 billion.")
    );
}

#[test]
fn articles_are_read_back_whole_and_exported_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let by_url = index.article("https://wire/plan").unwrap().unwrap();
    let by_id = index
        .article(&document_id("https://wire/plan"))
        .unwrap()
        .unwrap();
    assert_eq!(by_url, by_id);
    assert_eq!(by_url.mentions.len(), 2);
    assert_eq!(by_url.amounts.len(), 2);
    assert!(
        by_url
            .text
            .as_deref()
            .unwrap()
            .starts_with("The prosperity plan")
    );
    assert!(index.article("https://nowhere").unwrap().is_none());
    let export = index
        .export(
            &SearchRequest {
                query: "plan".into(),
                ..SearchRequest::default()
            },
            false,
        )
        .unwrap();
    assert_eq!(export.len(), 2);
    let exported: Vec<String> = export.map(|a| a.unwrap().url).collect();
    assert_eq!(exported, vec!["https://policy/plan", "https://wire/plan"]);
}

#[test]
fn a_rebuild_swaps_the_new_index_in_and_keeps_one_previous() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("tantivy");
    corpus(&live);
    for round in 0..3 {
        let rebuild = Rebuild::start(&live).unwrap();
        // The old index is locked against writers while the new one is built.
        assert!(Index::open(&live).unwrap().writer(20_000_000).is_err());
        let old: Vec<_> = rebuild.documents().unwrap().map(Result::unwrap).collect();
        assert_eq!(old.len(), 5 - round);
        assert_eq!(old[0].url, "https://wire/a", "first fetched first");
        let next = Index::open_or_create(rebuild.next_dir()).unwrap();
        let mut writer = next.writer(20_000_000).unwrap();
        for d in old.iter().take(4 - round) {
            writer
                .upsert(&doc(&d.url, &d.source, "en", 6, &d.text, &[]))
                .unwrap();
        }
        writer.commit().unwrap();
        drop(writer);
        let before = Index::open(&live).unwrap();
        // A reader looking all through the swap always finds an index there (on Linux the
        // first swap, of a plain directory, is one exchange too).
        let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let watcher = {
            let (watching, meta) = (watching.clone(), live.join("meta.json"));
            std::thread::spawn(move || {
                let mut missing = 0;
                while watching.load(std::sync::atomic::Ordering::Relaxed) {
                    missing += usize::from(!meta.exists());
                }
                missing
            })
        };
        rebuild.swap().unwrap();
        watching.store(false, std::sync::atomic::Ordering::Relaxed);
        let missing = watcher.join().unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(missing, 0, "round {round}");
        }
        // An index opened before the swap still reads the old generation (once the live
        // path is a link: an index opened on the plain directory reads through the path).
        if round > 0 {
            assert_eq!(before.num_docs().unwrap(), 5 - round as u64);
        }
        assert_eq!(
            Index::open(&live).unwrap().num_docs().unwrap(),
            4 - round as u64
        );
        let generations = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(
            generations, 3,
            "the link, the live generation and the previous one"
        );
    }
}
