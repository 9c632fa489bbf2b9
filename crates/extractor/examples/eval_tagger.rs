//! Prints the tagger's scores on a labelled set (per kind, per language, decoys), its
//! speed, and the linear-time check of the money and date recognisers on adversarial input.
//!
//! ```sh
//! cargo run --release -p newsmon-extractor --example eval_tagger          # tests/eval
//! cargo run --release -p newsmon-extractor --example eval_tagger -- -v    # + every error
//! cargo run --release -p newsmon-extractor --example eval_tagger -- crates/extractor/tests/tagcorpus/dev
//! # a model trained in memory on one set (as `newsmon train` would), scored on another:
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --train crates/extractor/tests/tagcorpus/train crates/extractor/tests/tagcorpus/dev
//! # with concept frames; --quick skips the speed and linear-time checks:
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --quick --frames config/frames.toml crates/extractor/tests/tagcorpus/dev
//! # the speed check alone (no linear-time check), as BENCHMARKS.md records it:
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --no-linear --frames config/frames.toml crates/extractor/tests/tagcorpus/dev3
//! # every article's whole tagging (tags, evidence, offsets, amounts, dates) as JSON lines,
//! # to compare two builds' outputs byte for byte:
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --quick --dump /tmp/out.jsonl crates/extractor/tests/tagcorpus/dev3
//! ```

#[path = "../tests/eval/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsmon_extractor::{
    LexiconConfig, MoneyConfig, Taxonomy, TrainingExample, TrainingOptions, find_amounts,
    find_dates, train_model,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verbose = std::env::args().any(|a| a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let train = args
        .iter()
        .position(|a| a == "--train")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    // The set is the one argument that is neither a flag nor an option's value; `--quick`
    // and `-v` take no value, so "--quick DIR" must not swallow DIR.
    const TAKES_VALUE: [&str; 6] = [
        "--train",
        "--dump",
        "--frames",
        "--write",
        "--target-precision",
        "--min-threshold",
    ];
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-') && (*i == 0 || !TAKES_VALUE.contains(&args[i - 1].as_str()))
        })
        .map_or_else(|| root.join("tests/eval"), |(_, a)| PathBuf::from(a));
    let mut taxonomy = Taxonomy::load(&root.join("../../config/taxonomy.toml"))?;
    if let Some(train) = train {
        let lexicon: LexiconConfig = toml::from_str(&std::fs::read_to_string(
            root.join("../../config/lexicon.toml"),
        )?)?;
        let examples: Vec<TrainingExample> = harness::load(&train)
            .into_iter()
            .map(|a| TrainingExample {
                text: a.text,
                tags: a.tags,
                published: a
                    .published
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc()),
            })
            .collect();
        let started = Instant::now();
        let mut options = TrainingOptions::default();
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse::<f64>().ok())
        };
        if let Some(v) = value("--target-precision") {
            options.target_precision = v;
        }
        if let Some(v) = value("--min-threshold") {
            options.min_threshold = v as f32;
        }
        let (model, report) = train_model(
            &taxonomy,
            &lexicon,
            &examples,
            "eval_tagger --train",
            options,
        )?;
        if let Some(path) = args
            .iter()
            .position(|a| a == "--write")
            .and_then(|i| args.get(i + 1))
        {
            std::fs::write(path, model.to_json() + "\n")?;
        }
        println!(
            "trained on {} in {:.1} s",
            train.display(),
            started.elapsed().as_secs_f64()
        );
        for (tag, (n, right, wrong)) in &report.keys {
            println!("  {tag:<36} {n:>4} examples, out of fold +{right} right +{wrong} wrong");
        }
        taxonomy = taxonomy.with_model(model, "eval_tagger --train");
    }
    let mut tagger = taxonomy.build()?;
    // Concept frames (config/frames.toml), for the keys the rules miss.
    if let Some(path) = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1))
    {
        tagger = tagger.with_frames(&std::fs::read_to_string(path)?, path)?;
    }
    let articles = harness::load(&dir);
    println!("set: {}", dir.display());
    let report = harness::evaluate(&tagger, &articles);
    print!("{}", report.print());
    print!("{}", report.print_languages());
    if verbose {
        for error in &report.errors {
            println!("  {error}");
        }
    }

    let published: Vec<_> = articles
        .iter()
        .map(|a| {
            a.published
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|d| d.and_utc())
        })
        .collect();
    if let Some(path) = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
    {
        let mut lines = String::new();
        for (a, published) in articles.iter().zip(&published) {
            lines += &serde_json::to_string(&tagger.tag_with(&a.text, *published))?;
            lines.push('\n');
        }
        std::fs::write(path, lines)?;
    }
    if args.iter().any(|a| a == "--quick") {
        return Ok(());
    }
    // Speed: the whole set, repeated, one thread.
    let rounds = 50;
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let started = Instant::now();
    let cpu_before = thread_cpu_seconds();
    for _ in 0..rounds {
        for (a, published) in articles.iter().zip(&published) {
            std::hint::black_box(tagger.tag_with(&a.text, *published));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let n = (rounds * articles.len()) as f64;
    let mut sizes: Vec<usize> = articles.iter().map(|a| a.text.len()).collect();
    sizes.sort_unstable();
    println!(
        "speed       {:.0} articles/s, {:.1} MB/s (mean article {} bytes, median {} bytes, one thread)",
        n / secs,
        (rounds * bytes) as f64 / secs / 1e6,
        bytes / articles.len().max(1),
        sizes.get(sizes.len() / 2).copied().unwrap_or(0)
    );
    // On a shared machine the wall clock counts the time other processes held the core;
    // the thread's own CPU time is what one core's worth of tagging costs.
    if let Some(cpu) = cpu {
        println!(
            "cpu         {:.0} articles/s of the thread's CPU time ({:.1} s CPU, {:.1} s wall)",
            n / cpu,
            cpu,
            secs
        );
    }

    if args.iter().any(|a| a == "--no-linear") {
        return Ok(());
    }
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

/// The calling thread's CPU time so far, in seconds (Linux: the first field of
/// /proc/thread-self/schedstat, in nanoseconds); `None` where that file does not exist.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
