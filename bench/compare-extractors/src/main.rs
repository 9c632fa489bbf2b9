//! Runs several Rust article extractors over a Readability-style corpus, one page at a
//! time on one thread, writes `<out>/<extractor>/<page>.txt` for
//! `shared/tools/score_extraction.py`, and prints each extractor's pages per second next
//! to the time html5ever alone needs to parse the same pages. See `run.sh`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Extract = fn(&str) -> Option<String>;

fn newsmon(html: &str) -> Option<String> {
    newsmon_extractor::Extractor::new()
        .extract(html.as_bytes(), Some("http://fakehost/test/page.html"), None)
        .ok()
        .map(|a| a.text)
}

fn dom_smoothie_with(html: &str, config: dom_smoothie::Config) -> Option<String> {
    let mut r = dom_smoothie::Readability::new(html, Some("http://fakehost/test/page.html"), Some(config)).ok()?;
    r.parse().ok().map(|a| a.text_content.to_string())
}

fn dom_smoothie_default(html: &str) -> Option<String> {
    dom_smoothie_with(html, dom_smoothie::Config::default())
}

fn dom_smoothie_news_mode(html: &str) -> Option<String> {
    dom_smoothie_with(
        html,
        dom_smoothie::Config {
            candidate_select_mode: dom_smoothie::CandidateSelectMode::DomSmoothie,
            text_mode: dom_smoothie::TextMode::Formatted,
            ..Default::default()
        },
    )
}

fn rs_trafilatura(html: &str) -> Option<String> {
    let options = rs_trafilatura::Options { include_comments: false, ..Default::default() };
    rs_trafilatura::extract_with_options(html, &options).ok().map(|r| r.content_text)
}

fn legible(html: &str) -> Option<String> {
    legible::parse(html, Some("http://fakehost/test/page.html"), None).ok().map(|a| a.text_content)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: compare-extractors CORPUS_DIR OUT_DIR".into());
    };
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .map(|p: PathBuf| {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let html = String::from_utf8_lossy(&std::fs::read(p.join("source.html")).unwrap_or_default()).into_owned();
            (name, html)
        })
        .collect();
    pages.sort();
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();
    println!("{} pages, {:.1} MB", pages.len(), bytes as f64 / 1e6);

    let parse = time(|| {
        for (_, html) in &pages {
            std::hint::black_box(dom_query::Document::from(html.as_str()));
        }
    });
    println!("{:<24} {:>8.1} pages/s  (html5ever parse to a DOM, the floor)", "html5ever-parse", rate(&pages, parse));

    let extractors: [(&str, Extract); 5] = [
        ("newsmon", newsmon),
        ("dom_smoothie-default", dom_smoothie_default),
        ("dom_smoothie-news-mode", dom_smoothie_news_mode),
        ("rs-trafilatura", rs_trafilatura),
        ("legible", legible),
    ];
    for (name, extract) in extractors {
        let dir = Path::new(&out).join(name);
        std::fs::create_dir_all(&dir)?;
        let mut outputs = Vec::with_capacity(pages.len());
        let elapsed = time(|| {
            for (_, html) in &pages {
                outputs.push(extract(html));
            }
        });
        let empty = outputs.iter().filter(|o| o.as_deref().is_none_or(|t| t.trim().is_empty())).count();
        for ((page, _), text) in pages.iter().zip(outputs) {
            std::fs::write(dir.join(format!("{page}.txt")), text.unwrap_or_default())?;
        }
        println!(
            "{name:<24} {:>8.1} pages/s  {:>5.2}x parse  {empty} empty",
            rate(&pages, elapsed),
            elapsed.as_secs_f64() / parse.as_secs_f64()
        );
    }
    Ok(())
}

fn time(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn rate(pages: &[(String, String)], elapsed: Duration) -> f64 {
    pages.len() as f64 / elapsed.as_secs_f64()
}
