//! Search at scale: index N synthetic articles with newsmon's own writer, then time the
//! searches an analyst runs; the same documents and questions go to SQLite FTS5, the thing
//! a user might pick instead, in the same run.
//!
//! ```sh
//! cargo bench -p newsmon-index --bench scale -- 1000000 --memory-mb 512
//! ```
//!
//! Arguments: N (default 100000); `--memory-mb M`, the writer's budget (default 512);
//! `--dir DIR` (default a temporary directory, removed at the end); `--runs R` timed runs a
//! query (default 200); `--no-fts5` to skip SQLite. Documents are generated, deterministic
//! and never stored: realistic lengths (a news text of 100 to 800 words, some long reads
//! to 3,000), a Zipf vocabulary of 60,000 words plus the story's own words, 200 outlets of
//! very unequal output, six languages, a year of dates, and tags at the rates the shipped
//! taxonomy gives on real coverage.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use newsmon_extractor::{Amount, Article, Mention};
use newsmon_index::{Document, Index, Interval, SearchRequest, Sink, Sort, StatsRequest};

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Samples ranks 0..n with probability ∝ 1/(rank+1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect::<Vec<_>>();
        Zipf {
            cumulative: cumulative.iter().map(|c| c / total).collect(),
        }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative
            .partition_point(|&c| c < u)
            .min(self.cumulative.len() - 1)
    }
}

/// The story's words: they recur in the coverage and in the benchmark's queries.
const STORY: &[&str] = &[
    "ukraine",
    "kyiv",
    "russia",
    "ceasefire",
    "guarantee",
    "guarantees",
    "security",
    "paris",
    "summit",
    "leaders",
    "coalition",
    "backstop",
    "zelensky",
    "trump",
    "witkoff",
    "kushner",
    "europe",
    "troops",
    "force",
    "monitoring",
    "prosperity",
    "plan",
    "reconstruction",
    "billion",
    "investment",
    "territory",
    "donbas",
    "zaporizhzhia",
    "nuclear",
    "accession",
];

const TAGS: &[(&str, f64)] = &[
    ("meeting/leaders-summit", 0.08),
    ("meeting/military-chiefs-meeting", 0.03),
    ("meeting/us-ukraine-sessions", 0.05),
    ("meeting/washington-summit", 0.04),
    ("tier/first-line", 0.04),
    ("tier/european-signal", 0.07),
    ("tier/us-backstop", 0.06),
    ("funding/prosperity-plan", 0.04),
    ("funding/public-capital", 0.02),
    ("funding/private-investment", 0.02),
    ("funding/growth-booster", 0.01),
    ("hurdle/occupied-territories", 0.06),
    ("hurdle/territorial-arbitration", 0.02),
    ("hurdle/zaporizhzhia-npp", 0.03),
    ("hurdle/eu-accession", 0.03),
];

const LANGS: &[(&str, f64)] = &[
    ("en", 0.70),
    ("fr", 0.08),
    ("de", 0.06),
    ("uk", 0.08),
    ("ru", 0.04),
    ("pl", 0.04),
];

struct Corpus {
    vocabulary: Vec<String>,
    words: Zipf,
    sources: Vec<String>,
    outlets: Zipf,
    start: DateTime<Utc>,
}

struct Synthetic {
    url: String,
    source: String,
    lang: &'static str,
    title: String,
    text: String,
    published: DateTime<Utc>,
    tags: Vec<&'static str>,
    usd: Option<u64>,
}

impl Corpus {
    fn new() -> Corpus {
        let syllables = [
            "ka", "ro", "mi", "te", "lu", "sa", "ne", "vo", "di", "pa", "gri", "sto", "len", "mar",
            "bel", "tor", "quin", "zha", "ev", "on",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut vocabulary: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> =
            STORY.iter().map(|w| w.to_string()).collect();
        while vocabulary.len() < 60_000 {
            let n = 1 + rng.below(4);
            let word: String = (0..n)
                .map(|_| syllables[rng.below(syllables.len())])
                .collect();
            if seen.insert(word.clone()) {
                vocabulary.push(word);
            }
        }
        // Function words first: the head of the Zipf curve is "the", "of", "and".
        for (i, w) in [
            "the", "of", "and", "to", "in", "a", "on", "said", "for", "that",
        ]
        .iter()
        .enumerate()
        {
            vocabulary.insert(i, w.to_string());
        }
        Corpus {
            words: Zipf::new(vocabulary.len(), 1.0),
            vocabulary,
            sources: (0..200).map(|i| format!("Outlet {i:03}")).collect(),
            outlets: Zipf::new(200, 0.9),
            start: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
        }
    }

    fn article(&self, i: u64) -> Synthetic {
        let mut rng = Rng(i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let on_story = rng.chance(0.35);
        let words = |rng: &mut Rng, n: usize| -> String {
            let mut out = String::with_capacity(n * 7);
            for k in 0..n {
                // The story's words are rare in general text and common in its coverage.
                let word = if on_story && rng.chance(0.01) {
                    STORY[rng.below(STORY.len())]
                } else {
                    &self.vocabulary[self.words.sample(rng)]
                };
                if k > 0 {
                    out.push(if k % 18 == 0 { '.' } else { ' ' });
                    if k % 18 == 0 {
                        out.push(' ');
                    }
                }
                out.push_str(word);
            }
            out
        };
        let title_len = 6 + rng.below(9);
        let mut title = words(&mut rng, title_len);
        let body_len = if rng.chance(0.05) {
            1500 + rng.below(1500)
        } else {
            100 + ((rng.unit() + rng.unit() + rng.unit()) / 3.0 * 700.0) as usize
        };
        let mut text = words(&mut rng, body_len);
        let mut tags = Vec::new();
        if on_story {
            for (tag, rate) in TAGS {
                // Rates are over all coverage; on-story articles carry them all.
                if rng.chance(rate / 0.35) {
                    tags.push(*tag);
                }
            }
            if rng.chance(0.05) {
                title.push_str(" prosperity plan");
                text.push_str(" The prosperity plan is worth 800 billion dollars.");
            }
        }
        let usd =
            (on_story && rng.chance(0.2)).then(|| (1 + rng.below(900) as u64) * 1_000_000_000);
        let lang = {
            let u = rng.unit();
            let mut acc = 0.0;
            LANGS
                .iter()
                .find(|(_, p)| {
                    acc += p;
                    u < acc
                })
                .map_or("en", |(l, _)| l)
        };
        let published = self.start + chrono::Duration::seconds(rng.below(365 * 86_400) as i64);
        Synthetic {
            url: format!("https://news{}.example/{i}", i % 200),
            source: self.sources[self.outlets.sample(&mut rng)].clone(),
            lang,
            title,
            text,
            published,
            tags,
            usd,
        }
    }
}

fn document(s: &Synthetic) -> Document {
    let amounts: Vec<Amount> = s
        .usd
        .map(|usd| Amount {
            text: format!("${} billion", usd / 1_000_000_000),
            value: usd,
            max: None,
            currency: Some("USD".into()),
            usd: Some(usd),
            usd_max: None,
            approx: false,
            kind: Default::default(),
            min: None,
            bound: None,
            per: None,
            exact: usd as f64,
            exact_max: None,
            start: 0,
            end: 0,
        })
        .into_iter()
        .collect();
    Document {
        url: s.url.clone(),
        source: s.source.clone(),
        article: Article {
            title: Some(s.title.clone()),
            published: Some(s.published),
            language: Some(s.lang.to_string()),
            text: s.text.clone(),
            ..Article::default()
        },
        mentions: s
            .tags
            .iter()
            .map(|t| Mention {
                tag: t.to_string(),
                evidence: s.text.chars().take(200).collect(),
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
        fetched: s.published,
        content_hash: String::new(),
    }
}

struct Args {
    n: u64,
    memory_mb: usize,
    dir: Option<PathBuf>,
    runs: usize,
    fts5: bool,
    reuse: bool,
}

fn args() -> Args {
    let mut out = Args {
        n: 100_000,
        memory_mb: 512,
        dir: None,
        runs: 200,
        fts5: true,
        reuse: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--memory-mb" => out.memory_mb = it.next().and_then(|v| v.parse().ok()).unwrap_or(512),
            "--dir" => out.dir = it.next().map(PathBuf::from),
            "--runs" => out.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(200),
            "--no-fts5" => out.fts5 = false,
            "--reuse" => out.reuse = true,
            // cargo bench passes --bench.
            "--bench" => {}
            n => {
                if let Ok(n) = n.replace('_', "").parse() {
                    out.n = n;
                }
            }
        }
    }
    out
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn size_mb(path: &Path) -> f64 {
    fn walk(path: &Path) -> u64 {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return 0;
        };
        if meta.is_dir() {
            std::fs::read_dir(path)
                .map(|d| d.flatten().map(|e| walk(&e.path())).sum())
                .unwrap_or(0)
        } else {
            meta.len()
        }
    }
    walk(path) as f64 / (1 << 20) as f64
}

/// p50 and p99 of `runs` timed calls of `f`, after a few warm-up calls.
fn latency(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..runs.div_ceil(10).max(3) {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    (at(0.50), at(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn main() {
    let args = args();
    let temp = tempfile::tempdir().unwrap();
    let root = args
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&root).unwrap();
    let corpus = Corpus::new();
    println!(
        "# newsmon search at scale: {} articles, writer budget {} MiB, {} runs a query, {} cores",
        args.n,
        args.memory_mb,
        args.runs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // newsmon / tantivy
    let dir = root.join("tantivy");
    if !(args.reuse && dir.exists()) {
        build(&args, &corpus, &dir);
    }
    query(&args, &corpus, &root, &dir);
}

fn build(args: &Args, corpus: &Corpus, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let index = Index::open_or_create(dir).unwrap();
    let mut writer = index.writer(args.memory_mb << 20).unwrap();
    let mut spent = Duration::ZERO;
    let mut text_bytes = 0u64;
    let started = Instant::now();
    for i in 0..args.n {
        let doc = document(&corpus.article(i));
        text_bytes += doc.article.text.len() as u64;
        let t = Instant::now();
        writer.upsert(&doc).unwrap();
        if (i + 1) % 250_000 == 0 {
            writer.commit().unwrap();
        }
        spent += t.elapsed();
        if (i + 1) % 100_000 == 0 {
            eprintln!(
                "  {} indexed, {:.0} docs/s",
                i + 1,
                (i + 1) as f64 / spent.as_secs_f64()
            );
        }
    }
    let t = Instant::now();
    writer.commit().unwrap();
    drop(writer);
    spent += t.elapsed();
    let wall = started.elapsed();
    println!(
        "corpus: {:.0} MiB of text, {:.0} words an article on average",
        text_bytes as f64 / (1 << 20) as f64,
        text_bytes as f64 / args.n as f64 / 7.0
    );
    println!(
        "newsmon: indexed in {:.1} s ({:.0} docs/s; {:.1} s with generation), index {:.0} MiB, peak RSS {:.0} MiB",
        spent.as_secs_f64(),
        args.n as f64 / spent.as_secs_f64(),
        wall.as_secs_f64(),
        size_mb(dir),
        peak_rss_mb()
    );
}

fn query(args: &Args, corpus: &Corpus, root: &Path, dir: &Path) {
    let since = Utc.with_ymd_and_hms(2025, 9, 1, 0, 0, 0).unwrap();
    let until = Utc.with_ymd_and_hms(2025, 10, 1, 0, 0, 0).unwrap();
    let queries: Vec<(&str, SearchRequest)> = vec![
        (
            "term: backstop",
            SearchRequest {
                query: "backstop".into(),
                ..SearchRequest::default()
            },
        ),
        (
            "phrase: \"prosperity plan\"",
            SearchRequest {
                query: "\"prosperity plan\"".into(),
                ..SearchRequest::default()
            },
        ),
        (
            "tag + dates: guarantee, tier/us-backstop, Sep 2025",
            SearchRequest {
                query: "guarantee".into(),
                tags: vec!["tier/us-backstop".into()],
                since: Some(since),
                until: Some(until),
                ..SearchRequest::default()
            },
        ),
        (
            "newest: ukraine, sort newest",
            SearchRequest {
                query: "ukraine".into(),
                sort: Sort::Newest,
                ..SearchRequest::default()
            },
        ),
    ];
    let index = Index::open(dir).unwrap();
    println!("\n| query | newsmon p50 ms | newsmon p99 ms | hits |");
    println!("|---|---|---|---|");
    let mut newsmon_rows = Vec::new();
    for (name, request) in &queries {
        let total = index.search(request).unwrap().total;
        let (p50, p99) = latency(args.runs, || {
            index.search(request).unwrap();
        });
        println!("| {name} | {} | {} | {total} |", ms(p50), ms(p99));
        newsmon_rows.push((name.to_string(), p50, p99, total));
    }
    let stats = StatsRequest {
        search: SearchRequest::default(),
        interval: Interval::Day,
        top: 20,
    };
    let (p50, p99) = latency(args.runs.div_ceil(4).max(10), || {
        index.stats(&stats).unwrap();
    });
    println!(
        "| stats: whole index (tags, sources, languages, per day) | {} | {} | {} |",
        ms(p50),
        ms(p99),
        args.n
    );
    newsmon_rows.push(("stats".into(), p50, p99, args.n as usize));
    // Where the time goes: the same searches counting only (no top 10, no snippets).
    for (name, request) in &queries {
        let count = SearchRequest {
            limit: 0,
            ..request.clone()
        };
        let (p50, p99) = latency(args.runs, || {
            index.search(&count).unwrap();
        });
        eprintln!(
            "  count only, {name}: p50 {} ms, p99 {} ms",
            ms(p50),
            ms(p99)
        );
    }

    if args.fts5 {
        fts5(args, corpus, root, since, until, &newsmon_rows);
    }
    println!("\npeak RSS of the whole run: {:.0} MiB", peak_rss_mb());
}

fn fts5(
    args: &Args,
    corpus: &Corpus,
    root: &Path,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    newsmon: &[(String, Duration, Duration, usize)],
) {
    use rusqlite::Connection;
    let path = root.join("fts5.sqlite");
    let reuse = args.reuse && path.exists();
    if !reuse {
        let _ = std::fs::remove_file(&path);
    }
    let mut db = Connection::open(&path).unwrap();
    if !reuse {
        fts5_build(args, corpus, &mut db, &path);
    }
    fts5_query(args, &db, since, until, newsmon);
}

fn fts5_build(args: &Args, corpus: &Corpus, db: &mut rusqlite::Connection, path: &Path) {
    use rusqlite::params;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
         CREATE TABLE meta (id INTEGER PRIMARY KEY, url TEXT, source TEXT, lang TEXT,
                            published INTEGER, amount_usd INTEGER);
         CREATE TABLE tags (id INTEGER, kind TEXT, tag TEXT);
         CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61');",
    )
    .unwrap();
    let mut spent = Duration::ZERO;
    let mut i = 0;
    while i < args.n {
        let batch: Vec<Synthetic> = (i..(i + 10_000).min(args.n))
            .map(|k| corpus.article(k))
            .collect();
        let t = Instant::now();
        let tx = db.transaction().unwrap();
        {
            let mut meta = tx
                .prepare_cached("INSERT INTO meta VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .unwrap();
            let mut tag = tx
                .prepare_cached("INSERT INTO tags VALUES (?1, ?2, ?3)")
                .unwrap();
            let mut doc = tx
                .prepare_cached("INSERT INTO docs (rowid, title, body) VALUES (?1, ?2, ?3)")
                .unwrap();
            for (k, s) in batch.iter().enumerate() {
                let id = (i + k as u64) as i64;
                meta.execute(params![
                    id,
                    s.url,
                    s.source,
                    s.lang,
                    s.published.timestamp(),
                    s.usd.map(|u| u as i64)
                ])
                .unwrap();
                for t in &s.tags {
                    tag.execute(params![id, t.split('/').next().unwrap(), t])
                        .unwrap();
                }
                doc.execute(params![id, s.title, s.text]).unwrap();
            }
        }
        tx.commit().unwrap();
        spent += t.elapsed();
        i += batch.len() as u64;
    }
    // The indexes a filtered, sorted and grouped search needs, counted in indexing time.
    let t = Instant::now();
    db.execute_batch(
        "CREATE INDEX meta_published ON meta (published);
         CREATE INDEX meta_source ON meta (source);
         CREATE INDEX meta_lang ON meta (lang);
         CREATE INDEX tags_tag ON tags (tag, id);
         CREATE INDEX tags_kind ON tags (kind, id);
         INSERT INTO docs (docs) VALUES ('optimize');",
    )
    .unwrap();
    spent += t.elapsed();
    println!(
        "\nSQLite FTS5: indexed in {:.1} s ({:.0} docs/s), database {:.0} MiB",
        spent.as_secs_f64(),
        args.n as f64 / spent.as_secs_f64(),
        size_mb(path)
    );
}

fn fts5_query(
    args: &Args,
    db: &rusqlite::Connection,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    newsmon: &[(String, Duration, Duration, usize)],
) {
    use rusqlite::Connection;
    // Each search returns the top 10 (title, snippet) and the total, as newsmon's does.
    let top = |db: &Connection, sql: &str, count_sql: &str, p: &[&dyn rusqlite::ToSql]| -> usize {
        let mut stmt = db.prepare_cached(sql).unwrap();
        let rows: Vec<(String, String)> = stmt
            .query_map(p, |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        std::hint::black_box(rows);
        let mut count = db.prepare_cached(count_sql).unwrap();
        count.query_row(p, |r| r.get::<_, i64>(0)).unwrap() as usize
    };
    let ranked = "SELECT title, snippet(docs, 1, '[', ']', '…', 30) FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10";
    let counted = "SELECT count(*) FROM docs WHERE docs MATCH ?1";
    let filtered = "SELECT d.title, snippet(docs, 1, '[', ']', '…', 30) FROM docs d JOIN meta m ON m.id = d.rowid
        WHERE docs MATCH ?1 AND m.published >= ?2 AND m.published < ?3
          AND d.rowid IN (SELECT id FROM tags WHERE tag = ?4)
        ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10";
    let filtered_count = "SELECT count(*) FROM docs d JOIN meta m ON m.id = d.rowid
        WHERE docs MATCH ?1 AND m.published >= ?2 AND m.published < ?3
          AND d.rowid IN (SELECT id FROM tags WHERE tag = ?4)";
    let newest = "SELECT d.title, snippet(docs, 1, '[', ']', '…', 30) FROM docs d JOIN meta m ON m.id = d.rowid
        WHERE docs MATCH ?1 ORDER BY m.published DESC LIMIT 10";
    let (s, u, tag) = (since.timestamp(), until.timestamp(), "tier/us-backstop");
    let cases: Vec<(&str, &str, Vec<&dyn rusqlite::ToSql>)> = vec![
        (ranked, counted, vec![&"backstop"]),
        (ranked, counted, vec![&"\"prosperity plan\""]),
        (filtered, filtered_count, vec![&"guarantee", &s, &u, &tag]),
        (newest, counted, vec![&"ukraine"]),
    ];
    println!(
        "\n| query | newsmon p50 ms | newsmon p99 ms | FTS5 p50 ms | FTS5 p99 ms | hits (newsmon / FTS5) |"
    );
    println!("|---|---|---|---|---|---|");
    for ((sql, count_sql, p), (name, n50, n99, n_hits)) in cases.iter().zip(newsmon) {
        let hits = top(db, sql, count_sql, p);
        let (p50, p99) = latency(args.runs, || {
            top(db, sql, count_sql, p);
        });
        println!(
            "| {name} | {} | {} | {} | {} | {n_hits} / {hits} |",
            ms(*n50),
            ms(*n99),
            ms(p50),
            ms(p99)
        );
    }
    let stats = |db: &Connection| {
        for sql in [
            "SELECT tag, count(*) FROM tags GROUP BY tag",
            "SELECT kind, count(DISTINCT id) FROM tags GROUP BY kind",
            "SELECT source, count(*) FROM meta GROUP BY source ORDER BY 2 DESC LIMIT 20",
            "SELECT lang, count(*) FROM meta GROUP BY lang ORDER BY 2 DESC LIMIT 20",
            "SELECT published / 86400, count(*) FROM meta GROUP BY 1",
        ] {
            let mut stmt = db.prepare_cached(sql).unwrap();
            let n = stmt.query_map([], |_| Ok(())).unwrap().count();
            std::hint::black_box(n);
        }
    };
    let (p50, p99) = latency(args.runs.div_ceil(4).max(10), || stats(db));
    if let Some((name, n50, n99, _)) = newsmon.last() {
        println!(
            "| {name}: whole index | {} | {} | {} | {} | {} |",
            ms(*n50),
            ms(*n99),
            ms(p50),
            ms(p99),
            args.n
        );
    }
}
