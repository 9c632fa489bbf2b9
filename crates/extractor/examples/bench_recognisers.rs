//! Throughput of the money and date recognisers on their own, in MB/s of text: the
//! sentences of the recogniser evaluation set (`tests/recognisers/dev`), joined into one
//! text of about 1 MB, each recogniser run on the whole of it, best of five runs.
//!
//! ```sh
//! cargo run --release -p newsmon-extractor --example bench_recognisers
//! ```

use std::path::Path;
use std::time::Instant;

use newsmon_extractor::{MoneyConfig, find_amounts, find_dates};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recognisers/dev");
    let mut sentences = Vec::new();
    for file in ["money.jsonl", "dates.jsonl"] {
        let raw = std::fs::read_to_string(dir.join(file))?;
        for line in raw.lines().filter(|l| !l.trim().is_empty()) {
            let value: serde_json::Value = serde_json::from_str(line)?;
            if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                sentences.push(text.to_string());
            }
        }
    }
    let unit = sentences.join("\n\n");
    let text = unit.repeat((1_000_000 / unit.len().max(1)).max(1));
    let mb = text.len() as f64 / 1e6;
    let reference = chrono::NaiveDate::from_ymd_opt(2026, 1, 3);
    let money = MoneyConfig::default();
    let best = |run: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        let mut found = 0;
        for _ in 0..5 {
            let started = Instant::now();
            found = std::hint::black_box(run());
            best = best.min(started.elapsed().as_secs_f64());
        }
        (best, found)
    };
    let (secs, found) = best(&|| find_amounts(&text, &money).len());
    println!(
        "money  {:.2} MB/s ({found} amounts in {mb:.2} MB, best of 5)",
        mb / secs
    );
    let (secs, found) = best(&|| find_dates(&text, reference).len());
    println!(
        "dates  {:.2} MB/s ({found} dates in {mb:.2} MB, best of 5)",
        mb / secs
    );
    Ok(())
}
