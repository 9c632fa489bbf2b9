//! Extracts every page of a Readability-style corpus (`<dir>/<page>/source.html`) and
//! writes `<out>/<page>.txt`, for `shared/tools/score_extraction.py`.
//!
//! ```sh
//! cargo run --release -p newsmon-extractor --example extract_corpus -- \
//!     ../shared/corpus/readability /tmp/pred
//! ```

use std::path::PathBuf;
use std::time::Instant;

use newsmon_extractor::Extractor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: extract_corpus CORPUS_DIR OUT_DIR".into());
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .collect();
    pages.sort();
    let extractor = Extractor::new();
    let (mut empty, mut elapsed) = (0, std::time::Duration::ZERO);
    for page in &pages {
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let html = std::fs::read(page.join("source.html"))?;
        let started = Instant::now();
        let text = match extractor.extract(&html, Some("http://fakehost/test/page.html"), None) {
            Ok(article) => article.text,
            Err(err) => {
                eprintln!("{name}: {err}");
                empty += 1;
                String::new()
            }
        };
        elapsed += started.elapsed();
        std::fs::write(out.join(format!("{name}.txt")), text)?;
    }
    eprintln!(
        "{} pages, {empty} without article, {:.1} pages/s",
        pages.len(),
        pages.len() as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
