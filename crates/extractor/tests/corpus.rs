//! Extraction quality on Mozilla Readability's test pages (`shared/corpus/readability`),
//! scored the way `shared/tools/score_extraction.py` scores it: 4-token shingles, mean
//! precision over non-empty outputs, mean recall, F1 of the two. The floors sit just
//! under the values measured in BENCHMARKS.md, so a regression fails here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use newsmon_extractor::{Extractor, parse_date};
use regex::Regex;

/// The references are Readability.js's own output, so they keep what the boilerplate
/// stage drops on purpose (share lines, datelines, comment and "related" tails, captions
/// after "view larger"): agreement fell from 0.9996 to about 0.99 when that stage came
/// (issue 10), while precision against the hand-labelled L3S-GN1 gold rose. The floors sit
/// under the measured values and above the issue's bar (F1 and precision >= 0.97).
const F1_FLOOR: f64 = 0.98;
const PRECISION_FLOOR: f64 = 0.99;
const TITLE_FLOOR: f64 = 0.99;
const BYLINE_FLOOR: f64 = 0.95;
const PUBLISHED_FLOOR: f64 = 0.99;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/readability");
    dir.is_dir().then_some(dir)
}

/// The visible text of `expected.html`, as the scorer reads it: block tags break words
/// apart, inline tags do not, scripts and styles are invisible.
fn reference_text(html: &str) -> String {
    let invisible = Regex::new(r"(?is)<(script|style|noscript|template|head|title)\b.*?</(script|style|noscript|template|head|title)\s*>").unwrap();
    let blocks = Regex::new(r"(?i)</?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>").unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let text = invisible.replace_all(html, "");
    let text = blocks.replace_all(&text, "\n");
    let text = tags.replace_all(&text, "");
    html_escape::decode_html_entities(&text).into_owned()
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let words: Vec<&str> = Regex::new(r"\w+")
        .unwrap()
        .find_iter(text)
        .map(|m| m.as_str())
        .collect();
    let mut counts = HashMap::new();
    if words.is_empty() {
        return counts;
    }
    if words.len() <= 4 {
        *counts.entry(words).or_default() += 1;
        return counts;
    }
    for window in words.windows(4) {
        *counts.entry(window.to_vec()).or_default() += 1;
    }
    counts
}

#[derive(Default)]
struct Share {
    total: usize,
    equal: usize,
}

impl Share {
    fn add(
        &mut self,
        expected: Option<&str>,
        got: Option<String>,
        same: impl Fn(&str, &str) -> bool,
    ) {
        let Some(expected) = expected.filter(|e| !e.trim().is_empty()) else {
            return;
        };
        self.total += 1;
        if got.as_deref().is_some_and(|got| same(expected, got)) {
            self.equal += 1;
        }
    }

    fn value(&self) -> f64 {
        self.equal as f64 / self.total.max(1) as f64
    }
}

#[test]
fn readability_corpus_quality_holds() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus/readability not found");
        return;
    };
    let extractor = Extractor::new();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("source.html").exists())
        .collect();
    pages.sort();
    assert!(pages.len() >= 100, "the corpus has {} pages", pages.len());
    let (mut precisions, mut recalls, mut empty_readerable) = (Vec::new(), Vec::new(), Vec::new());
    let (mut title, mut byline, mut published) =
        (Share::default(), Share::default(), Share::default());
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let html = std::fs::read(page.join("source.html")).unwrap();
        let expected =
            reference_text(&std::fs::read_to_string(page.join("expected.html")).unwrap());
        let metadata: serde_json::Value =
            serde_json::from_slice(&std::fs::read(page.join("expected-metadata.json")).unwrap())
                .unwrap();
        let article = extractor
            .extract(&html, Some("http://fakehost/test/page.html"), None)
            .ok();
        let text = article.as_ref().map(|a| a.text.clone()).unwrap_or_default();
        if text.trim().is_empty() && metadata["readerable"] == true {
            empty_readerable.push(name.clone());
        }
        let (reference, predicted) = (shingles(&expected), shingles(&text));
        let tp: usize = predicted
            .iter()
            .map(|(k, n)| (*n).min(reference.get(k).copied().unwrap_or(0)))
            .sum();
        let (n_pred, n_ref): (usize, usize) = (predicted.values().sum(), reference.values().sum());
        if n_pred > 0 {
            precisions.push(tp as f64 / n_pred as f64);
        }
        if n_ref > 0 {
            recalls.push(tp as f64 / n_ref as f64);
        }
        let article = article.unwrap_or_default();
        title.add(metadata["title"].as_str(), article.title, |e, g| {
            norm(e) == norm(g)
        });
        byline.add(metadata["byline"].as_str(), article.byline, |e, g| {
            norm(e) == norm(g)
        });
        published.add(
            metadata["publishedTime"].as_str(),
            article.published.map(|d| d.to_rfc3339()),
            |e, g| parse_date(e).is_some_and(|e| Some(e) == parse_date(g)),
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&precisions), mean(&recalls));
    let f1 = 2.0 * p * r / (p + r);
    eprintln!(
        "F1 {f1:.3} (P {p:.3}, R {r:.3}); title {:.3}, byline {:.3}, published {:.3}",
        title.value(),
        byline.value(),
        published.value()
    );
    assert!(
        empty_readerable.is_empty(),
        "empty output on readerable pages: {empty_readerable:?}"
    );
    assert!(f1 >= F1_FLOOR, "F1 {f1:.4} fell under {F1_FLOOR}");
    assert!(
        p >= PRECISION_FLOOR,
        "precision {p:.4} fell under {PRECISION_FLOOR}"
    );
    assert!(
        title.value() >= TITLE_FLOOR,
        "title share {:.3}",
        title.value()
    );
    assert!(
        byline.value() >= BYLINE_FLOOR,
        "byline share {:.3}",
        byline.value()
    );
    assert!(
        published.value() >= PUBLISHED_FLOOR,
        "published share {:.3}",
        published.value()
    );
}
