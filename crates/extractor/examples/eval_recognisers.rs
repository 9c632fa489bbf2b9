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
    let dates = harness::score_dates(&harness::load_dates(&dir));
    print!("{}{}", money.print("money"), dates.print("dates"));
    if verbose {
        for e in money.errors.iter().chain(&dates.errors) {
            println!("  {e}");
        }
    }
}
