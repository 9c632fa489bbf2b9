//! Prints the money and date recognisers' sentence accuracy, by category and by language,
//! on one split of `tests/recognisers` (default `dev`); `-v` adds every wrong sentence.
//!
//! ```sh
//! cargo run -p newsmon-extractor --example eval_recognisers -- crates/extractor/tests/recognisers/dev -v
//! ```

#[path = "../tests/recognisers/harness.rs"]
mod harness;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recognisers/dev"));
    let money = harness::score_money(&harness::load_money(&dir));
    print!("{}", money.print("money"));
    // A set may hold money only (dev4 does); its dates are scored when present.
    let dates = dir
        .join("dates.jsonl")
        .exists()
        .then(|| harness::score_dates(&harness::load_dates(&dir)));
    if let Some(dates) = &dates {
        print!("{}", dates.print("dates"));
    }
    if verbose {
        let date_errors = dates.iter().flat_map(|d| &d.errors);
        for e in money.errors.iter().chain(date_errors) {
            println!("  {e}");
        }
    }
}
