//! The money and date recognisers against their evaluation sets (`tests/recognisers/`,
//! gold conventions in `tests/recognisers/CONVENTIONS.md`), held with floors: the dev
//! split (tuned on) at its measured accuracy, the frozen test split, when present, at the
//! issue's bar. `cargo run -p newsmon-extractor --example eval_recognisers -- <dir> -v`
//! prints the report and every wrong sentence.

#[path = "recognisers/harness.rs"]
mod harness;

use std::path::Path;

/// Dev accuracy measured 2026-12-06 (held on 2026-12-07) (see BENCHMARKS.md, "Money and date recognisers");
/// raise them when the recognisers improve, never lower them to let a change through.
const DEV_MONEY_FLOOR: f64 = 1.0;
const DEV_DATES_FLOOR: f64 = 1.0;
/// The second, independently written dev set (`tests/recognisers/dev2/`), measured
/// 2026-12-06 after tuning on it and 2026-12-07 after the classes of issue 9's third
/// batch (see BENCHMARKS.md); money 1.0 after dev4's classes ("stówę").
const DEV2_MONEY_FLOOR: f64 = 1.0;
const DEV2_DATES_FLOOR: f64 = 0.96;
/// The third dev set (`tests/recognisers/dev3/`), written by a writer who never saw the
/// rules; scored untuned first (money 0.844, dates 0.873, 2026-12-07), then tuned on
/// (see BENCHMARKS.md, issue 9).
const DEV3_MONEY_FLOOR: f64 = 1.0;
const DEV3_DATES_FLOOR: f64 = 1.0;
/// The fourth dev set (`tests/recognisers/dev4/`, money only: legal and conversational
/// text in six languages), written by a writer who never saw the rules; scored untuned
/// first (money 0.940, 2026-12-07), then tuned on by class (see BENCHMARKS.md, issue 9).
const DEV4_MONEY_FLOOR: f64 = 1.0;
/// The frozen test split, scored once per batch of changes (BENCHMARKS.md keeps every
/// score): held at the last measured accuracy (2026-12-07, batch 4: money 109/113, dates
/// 147/160) so that nothing slips back. The bar is money 0.95 and dates 0.90;
/// raise these as batches reach it, never lower them.
const TEST_MONEY_FLOOR: f64 = 0.964;
const TEST_DATES_FLOOR: f64 = 0.918;

fn check(split: &str, money_floor: f64, dates_floor: f64) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/recognisers")
        .join(split);
    let money = harness::score_money(&harness::load_money(&dir));
    let dates = harness::score_dates(&harness::load_dates(&dir));
    let report = format!(
        "{}{}{}\n{}",
        money.print(&format!("{split} money")),
        dates.print(&format!("{split} dates")),
        shown(split, &money.errors),
        shown(split, &dates.errors)
    );
    println!("{report}");
    assert!(money.total > 0 && dates.total > 0, "{split}: empty set");
    assert!(
        money.accuracy() >= money_floor,
        "money below {money_floor}\n{report}"
    );
    assert!(
        dates.accuracy() >= dates_floor,
        "dates below {dates_floor}\n{report}"
    );
}

#[test]
fn the_dev_split_holds_its_measured_accuracy() {
    check("dev", DEV_MONEY_FLOOR, DEV_DATES_FLOOR);
}

#[test]
fn the_second_dev_set_holds_its_measured_accuracy() {
    check("dev2", DEV2_MONEY_FLOOR, DEV2_DATES_FLOOR);
}

#[test]
fn the_third_dev_set_holds_its_measured_accuracy() {
    check("dev3", DEV3_MONEY_FLOOR, DEV3_DATES_FLOOR);
}

#[test]
fn the_fourth_dev_set_holds_its_measured_money_accuracy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recognisers/dev4");
    let money = harness::score_money(&harness::load_money(&dir));
    let report = format!(
        "{}{}",
        money.print("dev4 money"),
        shown("dev4", &money.errors)
    );
    println!("{report}");
    assert!(money.total > 0, "dev4: empty set");
    assert!(
        money.accuracy() >= DEV4_MONEY_FLOOR,
        "money below {DEV4_MONEY_FLOOR}\n{report}"
    );
}

#[test]
fn the_test_split_meets_the_bar() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recognisers/test");
    if !dir.join("money.jsonl").exists() || !dir.join("dates.jsonl").exists() {
        println!("skipped: tests/recognisers/test is not in the repository (the lead adds it)");
        return;
    }
    check("test", TEST_MONEY_FLOOR, TEST_DATES_FLOOR);
}

/// The frozen test split's wrong sentences are never printed: whoever reads a CI log may
/// write rules.
fn shown(split: &str, errors: &[String]) -> String {
    if split == "test" {
        "(errors of the frozen test split are not shown)".to_string()
    } else {
        errors.join("\n")
    }
}
