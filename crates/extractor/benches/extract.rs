//! Extraction speed on the Readability corpus, beside the time html5ever alone needs to
//! parse the same pages into a DOM (the floor any DOM-based extractor pays).
//!
//! ```sh
//! cargo bench -p newsmon-extractor --bench extract
//! ```

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsmon_extractor::Extractor;

fn pages() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pages.sort();
    pages
        .iter()
        .filter_map(|p| std::fs::read(p.join("source.html")).ok())
        .collect()
}

fn corpus(c: &mut Criterion) {
    let pages = pages();
    if pages.is_empty() {
        eprintln!("skipped: ../shared/corpus/readability not found");
        return;
    }
    let texts: Vec<String> = pages
        .iter()
        .map(|p| newsmon_extractor::decode(p, None))
        .collect();
    let extractor = Extractor::new();
    let mut group = c.benchmark_group("readability-corpus");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(10);
    group.bench_function("html5ever-parse", |b| {
        b.iter(|| {
            for text in &texts {
                std::hint::black_box(dom_query::Document::from(text.as_str()));
            }
        })
    });
    group.bench_function("newsmon-extract", |b| {
        b.iter(|| {
            for page in &pages {
                let _ =
                    std::hint::black_box(extractor.extract(page, Some("http://fakehost/p"), None));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
