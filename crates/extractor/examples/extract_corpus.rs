//! Extracts every page of a corpus and writes `<out>/<page>.txt`, for
//! `shared/tools/score_extraction.py`. Two layouts: Readability's (`<dir>/<page>/source.html`,
//! where title, byline and published date are compared with `expected-metadata.json`) and
//! the `dir` layout of L3S-GN1 (`<dir>/input/<page>.html`). An optional third argument, a
//! split file (one page name a line, `tests/splits/`), limits the run to those pages.
//!
//! ```sh
//! cargo run --release -p newsmon-extractor --example extract_corpus -- \
//!     ../shared/corpus/readability /tmp/pred [crates/extractor/tests/splits/readability-dev.txt]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use newsmon_extractor::Extractor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: extract_corpus CORPUS_DIR OUT_DIR [SPLIT_FILE]".into());
    };
    let split: Option<std::collections::HashSet<String>> = match args.next() {
        Some(file) => Some(
            std::fs::read_to_string(&file)?
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        ),
        None => None,
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let mut pages: Vec<Page> = pages(PathBuf::from(corpus).as_path())?;
    pages.retain(|p| split.as_ref().is_none_or(|s| s.contains(&p.name)));
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    let extractor = Extractor::new();
    let (mut empty, mut elapsed) = (0, std::time::Duration::ZERO);
    let mut metadata = Metadata::default();
    for page in &pages {
        let name = page.name.as_str();
        let html = std::fs::read(&page.html)?;
        let started = Instant::now();
        let explained = extractor.explain(&html, Some("http://fakehost/test/page.html"), None);
        elapsed += started.elapsed();
        // WRITE_DROPPED=1 also writes what the boilerplate stage left out, with reasons.
        if let (Some(_), Ok(explained)) = (std::env::var_os("WRITE_DROPPED"), &explained) {
            let lines: Vec<String> = explained
                .dropped
                .iter()
                .map(|d| format!("[{}] {}", d.reason, d.text))
                .collect();
            std::fs::write(out.join(format!("{name}.dropped")), lines.join("\n"))?;
        }
        let extracted = explained.map(|e| e.article);
        if let (Ok(article), Some(path)) = (&extracted, &page.metadata) {
            let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
            metadata.compare(name, &expected, article);
        }
        let text = match extracted {
            Ok(article) => article.text,
            Err(err) => {
                eprintln!("{name}: {err}");
                empty += 1;
                String::new()
            }
        };
        std::fs::write(out.join(format!("{name}.txt")), text)?;
    }
    eprintln!(
        "{} pages, {empty} without article, {:.1} pages/s",
        pages.len(),
        pages.len() as f64 / elapsed.as_secs_f64()
    );
    if std::env::var_os("SKIP_TIMING").is_some() {
        metadata.report();
        return Ok(());
    }
    // The floor a DOM-based extractor pays: html5ever parsing the same page into a DOM.
    // Parse and extraction alternate page by page, and each page keeps its fastest of
    // five rounds, so that load from other processes falls on both sides alike.
    let (mut parse_best, mut extract_best) = (Vec::new(), Vec::new());
    for page in &pages {
        let bytes = std::fs::read(&page.html)?;
        let text = newsmon_extractor::decode(&bytes, None);
        let (mut parse, mut extract) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..5 {
            let started = Instant::now();
            std::hint::black_box(dom_query::Document::from(text.as_str()));
            parse = parse.min(started.elapsed());
            let started = Instant::now();
            let _ =
                std::hint::black_box(extractor.extract(&bytes, Some("http://fakehost/p"), None));
            extract = extract.min(started.elapsed());
        }
        parse_best.push(parse);
        extract_best.push(extract);
    }
    let parse: std::time::Duration = parse_best.iter().sum();
    let extract: std::time::Duration = extract_best.iter().sum();
    eprintln!(
        "best of 5 per page: extraction {:.1} pages/s, html5ever parse alone {:.1} pages/s; extraction takes {:.2}x the parse time",
        pages.len() as f64 / extract.as_secs_f64(),
        pages.len() as f64 / parse.as_secs_f64(),
        extract.as_secs_f64() / parse.as_secs_f64()
    );
    metadata.report();
    Ok(())
}

/// One page of a corpus: its name, its HTML, and its expected metadata if any.
struct Page {
    name: String,
    html: PathBuf,
    metadata: Option<PathBuf>,
}

fn pages(corpus: &std::path::Path) -> std::io::Result<Vec<Page>> {
    let input = corpus.join("input");
    if input.is_dir() {
        return Ok(std::fs::read_dir(&input)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .filter_map(|html| {
                let name = html.file_stem()?.to_str()?.to_string();
                Some(Page {
                    name,
                    html,
                    metadata: None,
                })
            })
            .collect());
    }
    Ok(std::fs::read_dir(corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .filter_map(|dir| {
            Some(Page {
                name: dir.file_name()?.to_str()?.to_string(),
                html: dir.join("source.html"),
                metadata: Some(dir.join("expected-metadata.json")),
            })
        })
        .collect())
}

/// Per field: pages where the expectation has a value, and pages where ours equals it.
#[derive(Default)]
struct Metadata {
    fields: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

impl Metadata {
    fn compare(
        &mut self,
        page: &str,
        expected: &serde_json::Value,
        article: &newsmon_extractor::Article,
    ) {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let published = article.published.map(|d| d.timestamp());
        let expected_published = expected["publishedTime"]
            .as_str()
            .and_then(newsmon_extractor::parse_date)
            .map(|d| d.timestamp());
        let checks: [(&'static str, Option<String>, Option<String>); 3] = [
            (
                "title",
                expected["title"].as_str().map(norm),
                article.title.as_deref().map(norm),
            ),
            (
                "byline",
                expected["byline"].as_str().map(norm),
                article.byline.as_deref().map(norm),
            ),
            (
                "published",
                expected["publishedTime"]
                    .as_str()
                    .map(|s| expected_published.map_or(s.to_string(), |t| t.to_string())),
                published.map(|t| t.to_string()),
            ),
        ];
        for (field, want, got) in checks {
            let Some(want) = want.filter(|w| !w.is_empty()) else {
                continue;
            };
            let entry = self.fields.entry(field).or_default();
            entry.0 += 1;
            if got.as_deref() == Some(want.as_str()) {
                entry.1 += 1;
            } else if std::env::var_os("VERBOSE").is_some() {
                eprintln!("{page}: {field}: expected {want:?}, got {got:?}");
            }
        }
    }

    fn report(&self) {
        for (field, (total, equal)) in &self.fields {
            eprintln!(
                "{field}: {equal}/{total} equal ({:.1}%)",
                100.0 * *equal as f64 / *total as f64
            );
        }
    }
}
