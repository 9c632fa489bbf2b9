//! Search and analysis from the CLI (issue 6), over an ingest of the fixture site: the query
//! language and its errors, filters, orders and formats, `show`, `stats`, `funding`,
//! `export`, and `reindex` (atomic: searches during it see the old or the new index).

use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{FixtureServer, Run, TestDir, expected};

struct Ingested {
    _server: FixtureServer,
    dir: TestDir,
}

/// One ingest shared by the read-only tests of this module.
fn ingested() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| {
        let server = FixtureServer::start();
        let dir = TestDir::new();
        ingest(&server, &dir);
        Ingested {
            _server: server,
            dir,
        }
    })
}

fn ingest(server: &FixtureServer, dir: &TestDir) {
    let sources: Vec<(&str, String)> = expected()
        .feeds
        .keys()
        .map(|feed| (feed.as_str(), server.url(&format!("feeds/{feed}"))))
        .collect();
    dir.write_config(&sources);
    let run = dir.newsmon(&["ingest"]);
    assert!(run.code <= 1, "{run:?}");
}

fn newsmon(args: &[&str]) -> Run {
    ingested().dir.newsmon(args)
}

fn hits(args: &[&str]) -> Vec<Value> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json", "--limit", "100"]);
    let run = newsmon(&full);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    run.json()["hits"].as_array().unwrap().clone()
}

fn names(hits: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = hits
        .iter()
        .map(|h| {
            h["url"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn field_queries_select_by_tag_source_language_amount_and_date() {
    assert_eq!(
        names(&hits(&["tag:tier/us-backstop"])),
        names(&hits(&["*", "--tag", "tier/us-backstop"]))
    );
    assert!(!hits(&["tag:tier/us-backstop"]).is_empty());
    for hit in hits(&["tag:tier"]) {
        let tags = hit["tags"].as_array().unwrap();
        assert!(
            tags.iter()
                .any(|t| t.as_str().unwrap().starts_with("tier/")),
            "{hit}"
        );
    }
    assert_eq!(
        names(&hits(&["amount_usd:>=100000000000"])),
        names(&hits(&["amount_usd:>=100bn"]))
    );
    assert!(names(&hits(&["amount_usd:>=100bn"])).contains(&"prosperity-plan.html".to_string()));
    for hit in hits(&["lang:fr"]) {
        assert_eq!(hit["lang"], "fr", "{hit}");
    }
    assert_eq!(
        names(&hits(&["lang:fr"])),
        names(&hits(&["*", "--lang", "fr"]))
    );
    let wire = hits(&["source:wire.rss"]);
    assert!(!wire.is_empty());
    assert!(wire.iter().all(|h| h["source"] == "wire.rss"));
    assert_eq!(names(&wire), names(&hits(&["*", "--source", "wire.rss"])));
    let window = hits(&["published:[2026-01-06T00:00:00Z TO 2026-01-07T00:00:00Z}"]);
    assert!(!window.is_empty());
    for hit in &window {
        assert!(
            hit["published"].as_str().unwrap().starts_with("2026-01-06"),
            "{hit}"
        );
    }
    assert_eq!(
        names(&window),
        names(&hits(&[
            "*",
            "--since",
            "2026-01-06",
            "--until",
            "2026-01-06"
        ]))
    );
    // Title words weigh more than body words.
    let ranked = hits(&["prosperity"]);
    assert!(
        ranked[0]["title"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("prosperity")
    );
}

#[test]
fn sorts_collapses_and_pages() {
    let newest = hits(&["*", "--sort", "newest"]);
    let dates: Vec<&str> = newest
        .iter()
        .map(|h| h["published"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let oldest = hits(&["*", "--sort", "oldest"]);
    assert_eq!(
        oldest.first().unwrap()["url"],
        newest.last().unwrap()["url"]
    );
    let collapsed = hits(&["*", "--collapse"]);
    assert!(collapsed.len() <= newest.len());
    let copies: u64 = collapsed
        .iter()
        .map(|h| h["copies"].as_u64().unwrap())
        .sum();
    assert_eq!(
        copies as usize,
        newest.len(),
        "every article is in one story"
    );
    for hit in &collapsed {
        assert!(
            hit["outlets"].as_array().unwrap().contains(&hit["source"]),
            "{hit}"
        );
    }
    let run = newsmon(&[
        "search", "*", "--sort", "oldest", "--limit", "2", "--offset", "1", "--format", "json",
    ]);
    let page: Vec<Value> = run.json()["hits"].as_array().unwrap().clone();
    assert_eq!(page[0]["url"], oldest[1]["url"]);
}

#[test]
fn formats_for_people_and_scripts() {
    let json = newsmon(&["search", "paris", "--format", "json"]).json();
    let total = json["total"].as_u64().unwrap();
    assert!(total > 0);
    for key in [
        "id",
        "url",
        "title",
        "source",
        "published",
        "score",
        "tags",
        "snippet",
        "highlights",
    ] {
        assert!(json["hits"][0].get(key).is_some(), "missing {key}: {json}");
    }
    let jsonl = newsmon(&["search", "paris", "--format", "jsonl", "--limit", "100"]);
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, total.min(100));
    let csv = newsmon(&["search", "paris", "--format", "csv", "--limit", "100"]);
    assert!(
        csv.stdout
            .starts_with("id,url,title,source,published,score,lang,tags,outlets,snippet\n")
    );
    // Titles with commas are quoted; one header line, then one line per hit.
    assert_eq!(
        csv.stdout.lines().count() as u64,
        total.min(100) + 1,
        "{csv:?}"
    );
    // The table highlights the query's words (in brackets when not on a terminal).
    let table = newsmon(&["search", "paris"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert!(table.stdout.to_lowercase().contains("[paris]"), "{table:?}");
    assert!(table.stdout.contains("matching articles"), "{table:?}");
}

#[test]
fn invalid_queries_are_one_line_naming_the_problem() {
    for (query, says) in [
        ("auther:smith", "unknown field `auther` at column 1"),
        ("\"prosperity plan", "unclosed quote at column 1"),
        (
            "paris AND",
            "`AND` at column 7 needs a word or phrase on each side",
        ),
        ("amount_usd:>=lots", "`lots` is not an amount"),
        ("published:>=monday", "`monday` is not a date"),
        ("tag:tier//x", "expected a tag KIND or KIND/KEY"),
    ] {
        let run = newsmon(&["search", query]);
        assert_eq!(run.code, 2, "{query}: {run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(
            run.stderr
                .starts_with(&format!("newsmon: invalid query `{query}`: ")),
            "{run:?}"
        );
        assert!(run.stderr.contains(says), "{query}: {run:?}");
    }
}

#[test]
fn show_prints_one_article_with_its_evidence() {
    let hit = hits(&["tag:funding/prosperity-plan"])
        .into_iter()
        .find(|h| h["url"].as_str().unwrap().ends_with("prosperity-plan.html"))
        .unwrap();
    let id = hit["id"].as_str().unwrap();
    let url = hit["url"].as_str().unwrap();
    let by_id = newsmon(&["show", id, "--format", "json"]).json();
    // A URL as pasted from a browser finds the article too.
    let pasted = format!("{url}?utm_source=newsletter#comments");
    let by_url = newsmon(&["show", &pasted, "--format", "json"]).json();
    assert_eq!(by_id, by_url);
    let mentions = by_id["mentions"].as_array().unwrap();
    let plan = mentions
        .iter()
        .find(|m| m["tag"] == "funding/prosperity-plan")
        .unwrap();
    assert!(!plan["evidence"].as_str().unwrap().is_empty());
    assert!(!plan["amounts"].as_array().unwrap().is_empty(), "{plan}");
    assert!(by_id["text"].as_str().unwrap().len() > 500);
    let table = newsmon(&["show", id]);
    assert!(
        table.stdout.contains("funding/prosperity-plan"),
        "{table:?}"
    );
    assert!(
        table.stdout.contains(
            plan["evidence"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
        )
    );
    let missing = newsmon(&["show", "0000000000000000"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no article with this id or URL"),
        "{missing:?}"
    );
}

#[test]
fn stats_count_by_tag_source_language_and_day() {
    let all = newsmon(&["stats", "--format", "json"]).json();
    let total = all["total"].as_u64().unwrap();
    assert_eq!(
        total,
        newsmon(&["search", "*", "--limit", "0", "--format", "json"]).json()["total"]
    );
    let sources: u64 = all["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sources, total);
    let days: u64 = all["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["count"].as_u64().unwrap())
        .sum();
    assert_eq!(days, total);
    let tier = all["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "tier")
        .unwrap()
        .clone();
    let tier_total = tier["count"].as_u64().unwrap();
    assert_eq!(
        tier_total as usize,
        hits(&["*", "--tag", "tier"]).len(),
        "a kind counts articles with any of its keys"
    );
    let narrowed = newsmon(&["stats", "--tag", "tier", "--format", "json"]).json();
    assert_eq!(narrowed["total"].as_u64().unwrap(), tier_total);
    let weekly = newsmon(&["stats", "--interval", "week"]);
    assert_eq!(weekly.code, 0, "{weekly:?}");
    assert!(weekly.stdout.contains("per week"), "{weekly:?}");
    assert!(weekly.stdout.contains("tier/"), "{weekly:?}");
}

#[test]
fn funding_shows_who_reports_which_amount() {
    let json = newsmon(&["funding", "--format", "json"]).json();
    let amounts = json["amounts"].as_array().unwrap();
    let plan = amounts
        .iter()
        .find(|a| a["tag"] == "funding/prosperity-plan" && a["usd"] == 800_000_000_000u64)
        .unwrap_or_else(|| panic!("no $800bn for the prosperity plan: {json}"));
    assert!(plan["outlets"].as_u64().unwrap() >= 2, "{plan}");
    assert!(plan["example"].as_str().unwrap().contains("800"), "{plan}");
    assert!(!plan["first_seen"].as_str().unwrap().is_empty());
    let table = newsmon(&["funding"]);
    assert!(
        table.stdout.contains("funding/prosperity-plan"),
        "{table:?}"
    );
}

#[test]
fn export_streams_every_match_with_tags_and_amounts() {
    let total = newsmon(&["search", "*", "--limit", "0", "--format", "json"]).json()["total"]
        .as_u64()
        .unwrap();
    let all = newsmon(&["export"]);
    assert_eq!(all.code, 0, "{all:?}");
    let lines: Vec<Value> = all
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, total);
    let plan = lines
        .iter()
        .find(|a| a["url"].as_str().unwrap().ends_with("prosperity-plan.html"))
        .unwrap();
    assert!(!plan["amounts"].as_array().unwrap().is_empty());
    assert!(plan.get("text").is_none(), "text only with --text");
    let funding = newsmon(&["export", "tag:funding", "--format", "csv", "--text"]);
    let header = funding.stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "id,url,title,source,published,fetched,lang,tags,amounts,amounts_usd,text"
    );
    assert!(funding.stdout.contains("$800 billion"), "{funding:?}");
}

#[test]
fn reindex_migrates_an_old_index_and_swaps_atomically() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    ingest(&server, &dir);
    let count = |dir: &TestDir| dir.newsmon(&["search", "*", "--limit", "0", "--format", "json"]);
    let total = count(&dir).json()["total"].as_u64().unwrap();
    // An index of an older schema version is refused, with the way out.
    let live = dir.path("index").join("tantivy");
    std::fs::write(live.join("newsmon-schema-version"), "2").unwrap();
    let refused = count(&dir);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("run `newsmon reindex`"),
        "{refused:?}"
    );
    let reindex = dir.newsmon(&["reindex", "--format", "json"]);
    assert_eq!(reindex.code, 0, "{reindex:?}");
    assert_eq!(reindex.json()["articles"].as_u64().unwrap(), total);
    assert_eq!(
        reindex.json()["from_pages"].as_u64().unwrap(),
        total,
        "every page was kept"
    );
    assert_eq!(count(&dir).json()["total"].as_u64().unwrap(), total);

    // Searches while a reindex runs see the whole old or the whole new index.
    let index = dir.path("index");
    let config = dir.path("newsmon.toml");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsmon"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "reindex",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut searches = 0;
    loop {
        let done = child.try_wait().unwrap().is_some();
        let run = count(&dir);
        assert_eq!(run.code, 0, "search during a reindex: {run:?}");
        assert_eq!(run.json()["total"].as_u64().unwrap(), total);
        searches += 1;
        if done {
            break;
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(searches >= 2);
    // An ingest after a reindex writes to the new index.
    let again = dir.newsmon(&["ingest", "--format", "json"]);
    assert!(again.code <= 1, "{again:?}");
    assert_eq!(count(&dir).json()["total"].as_u64().unwrap(), total);
}
