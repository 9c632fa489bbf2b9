//! Prints the tagger's scores on the labelled evaluation set, its speed, and the
//! linear-time check of the money and date recognisers on adversarial input.
//!
//! ```sh
//! cargo run --release -p newsmon-extractor --example eval_tagger          # report
//! cargo run --release -p newsmon-extractor --example eval_tagger -- -v    # + every error
//! ```

#[path = "../tests/eval/harness.rs"]
mod harness;

use std::path::Path;
use std::time::Instant;

use newsmon_extractor::{MoneyConfig, Taxonomy, find_amounts, find_dates};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verbose = std::env::args().any(|a| a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tagger = Taxonomy::load(&root.join("../../config/taxonomy.toml"))?.build()?;
    let articles = harness::load(&root.join("tests/eval"));
    let report = harness::evaluate(&tagger, &articles);
    print!("{}", report.print());
    if verbose {
        for error in &report.errors {
            println!("  {error}");
        }
    }

    // Speed: the whole set, repeated, one thread.
    let rounds = 50;
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let published: Vec<_> = articles
        .iter()
        .map(|a| {
            a.published
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|d| d.and_utc())
        })
        .collect();
    let started = Instant::now();
    for _ in 0..rounds {
        for (a, published) in articles.iter().zip(&published) {
            std::hint::black_box(tagger.tag_with(&a.text, *published));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let n = (rounds * articles.len()) as f64;
    println!(
        "speed       {:.0} articles/s, {:.1} MB/s (mean article {} bytes, one thread)",
        n / secs,
        (rounds * bytes) as f64 / secs / 1e6,
        bytes / articles.len().max(1)
    );

    // Linear time: adversarial input of 1 MB and 4 MB; the time should grow about 4x.
    let money = MoneyConfig::default();
    let patterns = [
        (
            "money-like",
            "$1,000,000.000 - 2 000 000 bn bis 3.5 mld € roughly ",
        ),
        (
            "date-like",
            "6 and 7 January 2026 to Jan. 8, late mid-early next ",
        ),
        ("digits", "1234567890,.- "),
    ];
    for (name, unit) in patterns {
        let mut times = Vec::new();
        for mb in [1usize, 4] {
            let text = unit.repeat(mb * 1_000_000 / unit.len());
            let started = Instant::now();
            let a = find_amounts(&text, &money).len();
            let d = find_dates(&text, chrono::NaiveDate::from_ymd_opt(2026, 1, 3)).len();
            let secs = started.elapsed().as_secs_f64();
            std::hint::black_box((a, d));
            times.push(secs);
        }
        println!(
            "linear      {name:<10} 1 MB {:.3} s, 4 MB {:.3} s, ratio {:.2}",
            times[0],
            times[1],
            times[1] / times[0]
        );
    }
    Ok(())
}
