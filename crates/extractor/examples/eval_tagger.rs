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
//! # leave one batch out: a model trained over rules + frames on two batches (several
//! # directories, comma-separated), scored on the third as rules + frames (the baseline),
//! # + the model's additions, + the model's verifier, + both:
//! T=crates/extractor/tests/tagcorpus
//! cargo run -p newsmon-extractor --example eval_tagger -- --quick --compare --frames config/frames.toml --train $T/dev2,$T/dev3 $T/train,$T/dev
//! # + each frame's right and wrong tags (which frames hold precision, which cost it):
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --quick --by-frame --frames config/frames.toml crates/extractor/tests/tagcorpus/dev
//! # another taxonomy file than config/taxonomy.toml (an older commit's, say):
//! cargo run --release -p newsmon-extractor --example eval_tagger -- --quick --taxonomy /tmp/taxonomy.toml crates/extractor/tests/tagcorpus/dev
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
    LexiconConfig, ModelFile, MoneyConfig, Tagger, Taxonomy, TrainingExample, TrainingOptions,
    find_amounts, find_dates, train_model, train_model_over,
};

/// The labelled articles of one or more directories (`a,b`), in the order given.
fn load_all(dirs: &Path) -> Vec<harness::Labelled> {
    dirs.to_string_lossy()
        .split(',')
        .flat_map(|dir| harness::load(Path::new(dir)))
        .collect()
}

/// One line per variant: micro, decoys, then recall (precision where below 1) per kind
/// and per language.
fn summary(name: &str, report: &harness::Report) -> String {
    let cell = |c: &harness::Counts| {
        if c.fp == 0 {
            format!("{:.3}", c.recall())
        } else {
            format!("{:.3} (P {:.3})", c.recall(), c.precision())
        }
    };
    let m = &report.micro;
    let mut out = format!(
        "{name:<16} P {:.3} R {:.3} ({} tp, {} fp, {} fn), {} of {} decoys tagged\n",
        m.precision(),
        m.recall(),
        m.tp,
        m.fp,
        m.fn_,
        report.decoys_tagged.len(),
        report.decoys
    );
    let kinds: Vec<String> = report
        .by_kind
        .iter()
        .map(|(k, c)| format!("{k} {}", cell(c)))
        .collect();
    let langs: Vec<String> = report
        .by_lang
        .iter()
        .map(|(l, c)| format!("{l} {}", cell(c)))
        .collect();
    out += &format!(
        "{:<16} {}\n{:<16} {}\n",
        "",
        kinds.join(", "),
        "",
        langs.join(", ")
    );
    out
}

/// The held-out set scored four ways: the base tagger (rules + frames), with the model's
/// additions only, with its verifier only, and with both.
fn compare(
    taxonomy: &Taxonomy,
    frames: Option<&str>,
    model: &ModelFile,
    articles: &[harness::Labelled],
    verbose: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let adds = ModelFile {
        keys: model
            .keys
            .iter()
            .map(|k| newsmon_extractor::KeyWeights {
                verify: None,
                ..k.clone()
            })
            .collect(),
        ..model.clone()
    };
    let verifier = ModelFile {
        keys: model
            .keys
            .iter()
            .map(|k| newsmon_extractor::KeyWeights {
                threshold: 1.01,
                ..k.clone()
            })
            .collect(),
        ..model.clone()
    };
    let variants = [
        ("base", None),
        ("+ model adds", Some(adds)),
        ("+ verifier", Some(verifier)),
        ("+ adds + verify", Some(model.clone())),
    ];
    let mut base_errors = Vec::new();
    for (name, model) in variants {
        let taxonomy = match model {
            Some(model) => taxonomy.clone().with_model(model, "eval_tagger --train"),
            None => taxonomy.without_model(),
        };
        let tagger = with_frames(taxonomy.build()?, frames)?;
        let report = harness::evaluate(&tagger, articles);
        print!("{}", summary(name, &report));
        // -v: what the variant changed, against the base (never run it on the test split).
        if base_errors.is_empty() {
            base_errors = report.errors.clone();
        } else if verbose {
            for e in report.errors.iter().filter(|e| !base_errors.contains(e)) {
                println!("  new error: {e}");
            }
            for e in base_errors.iter().filter(|e| !report.errors.contains(e)) {
                println!("  fixed: {e}");
            }
        }
    }
    Ok(())
}

fn with_frames(tagger: Tagger, frames: Option<&str>) -> Result<Tagger, Box<dyn std::error::Error>> {
    Ok(match frames {
        Some(path) => tagger.with_frames(&std::fs::read_to_string(path)?, path)?,
        None => tagger,
    })
}

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
    const TAKES_VALUE: [&str; 8] = [
        "--taxonomy",
        "--ngrams",
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
    let taxonomy_path = args
        .iter()
        .position(|a| a == "--taxonomy")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| root.join("../../config/taxonomy.toml"), PathBuf::from);
    let mut taxonomy = Taxonomy::load(&taxonomy_path)?;
    let frames = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let mut trained = None;
    if let Some(train) = train {
        let lexicon: LexiconConfig = toml::from_str(&std::fs::read_to_string(
            root.join("../../config/lexicon.toml"),
        )?)?;
        let examples: Vec<TrainingExample> = load_all(&train)
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
        if let Some(v) = value("--ngrams") {
            options.ngrams = v as usize;
        }
        // Over frames, the model adds to what rules and frames found, and verifies frames.
        let (model, report) = match frames {
            Some(_) => {
                let base = with_frames(taxonomy.without_model().build()?, frames)?;
                train_model_over(
                    &taxonomy,
                    &lexicon,
                    &examples,
                    "eval_tagger --train",
                    options,
                    &base,
                )?
            }
            None => train_model(
                &taxonomy,
                &lexicon,
                &examples,
                "eval_tagger --train",
                options,
            )?,
        };
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
        let (right, wrong) = report
            .framed
            .values()
            .fold((0, 0), |(r, w), (a, b)| (r + a, w + b));
        println!("  frames' tags in training: {right} right, {wrong} wrong");
        for (tag, (threshold, wrong, right)) in &report.verify {
            println!(
                "  verify {tag:<29} at {threshold:.3}: out of fold drops {wrong} wrong, {right} right frame tags"
            );
        }
        trained = Some(model.clone());
        taxonomy = taxonomy.with_model(model, "eval_tagger --train");
    }
    let articles = load_all(&dir);
    println!("set: {}", dir.display());
    if let Some(model) = trained
        .as_ref()
        .filter(|_| args.iter().any(|a| a == "--compare"))
    {
        return compare(&taxonomy, frames, model, &articles, verbose);
    }
    // Concept frames (config/frames.toml), for the keys the rules miss.
    let tagger = with_frames(taxonomy.build()?, frames)?;
    let report = harness::evaluate(&tagger, &articles);
    print!("{}", report.print());
    print!("{}", report.print_languages());
    if verbose {
        for error in &report.errors {
            println!("  {error}");
        }
    }
    if args.iter().any(|a| a == "--by-frame") {
        print!("{}", by_frame(&tagger, &articles));
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

/// Each frame's tags on the set, right and wrong against the labels (a tag counts for the
/// frame that decided it; `(rules)` for the phrase rules), worst precision first.
fn by_frame(tagger: &newsmon_extractor::Tagger, articles: &[harness::Labelled]) -> String {
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for a in articles {
        let published = a
            .published
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| d.and_utc());
        let tagging = tagger.tag_with(&a.text, published);
        for m in &tagging.mentions {
            let frame = tagging
                .frames
                .iter()
                .find(|f| f.tag == m.tag)
                .map_or("(rules)".to_string(), |f| format!("{} {}", f.tag, f.frame));
            let c = counts.entry(frame).or_default();
            if a.tags.contains(&m.tag) {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by_key(|(name, (right, wrong))| (std::cmp::Reverse(*wrong), *right, name.clone()));
    rows.iter()
        .map(|(name, (right, wrong))| {
            format!("frame  {name:<70} right {right:>3} wrong {wrong:>2}\n")
        })
        .collect()
}

/// The calling thread's CPU time so far, in seconds (Linux: the first field of
/// /proc/thread-self/schedstat, in nanoseconds); `None` where that file does not exist.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
