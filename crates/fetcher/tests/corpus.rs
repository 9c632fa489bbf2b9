//! Conformance over the feed corpus (`tests/feeds`, a copy of `shared/corpus/feeds` kept in the
//! repository with its licence; see its README.md): every file
//! is parsed on its own thread under `catch_unwind` with a 5 s limit. No file may panic or hang,
//! and every error must name the feed on one line. Per group, the share of files that yield at
//! least one item is printed, and in the groups that should parse (`REPORTED`) at least 95% of
//! the files that hold items must yield them, with the same item ids on a second parse.

// allow-unwrap-in-tests covers #[test] functions only, not the helpers of a test crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use newsmon_fetcher::parse_feed;
use url::Url;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/feeds");
const LIMIT: Duration = Duration::from_secs(5);

/// Groups whose shares are reported, in this order; other groups are run but only summarised.
const REPORTED: &[&str] = &[
    "rss",
    "rdf",
    "atom03",
    "atom10",
    "namespaces",
    "relative-urls",
    "dates",
    "entities",
    "sanitize",
    "lang",
    "encoding",
    "jsonfeed/own_*",
];

#[derive(Debug)]
enum Outcome {
    /// The ids of the items.
    Items(Vec<String>),
    Error(String),
    Panic(String),
    Hang,
}

#[derive(Default)]
struct Tally {
    files: usize,
    parsed: usize,
    with_items_in_source: usize,
    yielded_when_expected: usize,
    yielded: usize,
    missing: Vec<String>,
}

#[test]
fn every_corpus_file_parses_or_fails_cleanly() {
    let root = Path::new(CORPUS);
    assert!(
        root.is_dir(),
        "{}: the corpus is part of the repository",
        root.display()
    );
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut broken = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(root).unwrap();
        let group = group_of(relative);
        let bytes = std::fs::read(path).unwrap();
        let feed_url = Url::parse("http://127.0.0.1:8097/tests/")
            .unwrap()
            .join(&relative.to_string_lossy())
            .unwrap();
        let expects_items = has_items(&bytes);
        let outcome = parse_with_limit(bytes.clone(), feed_url.clone());
        if let Outcome::Items(ids) = &outcome {
            // Ids must not change between polls of the same document (feed-rs#11, #112, #219).
            match parse_with_limit(bytes, feed_url.clone()) {
                Outcome::Items(again) if again == *ids => {}
                other => broken.push(format!(
                    "{}: ids changed between two parses: {ids:?} then {other:?}",
                    relative.display()
                )),
            }
        }

        let tally = tallies.entry(group).or_default();
        tally.files += 1;
        tally.with_items_in_source += usize::from(expects_items);
        match &outcome {
            Outcome::Items(ids) => {
                let n = ids.len();
                tally.parsed += 1;
                tally.yielded += usize::from(n > 0);
                if expects_items && n > 0 {
                    tally.yielded_when_expected += 1;
                }
            }
            Outcome::Error(message) => {
                if !message.starts_with(&format!("{feed_url}: ")) || message.contains('\n') {
                    broken.push(format!(
                        "{}: badly formed error {message:?}",
                        relative.display()
                    ));
                }
            }
            Outcome::Panic(message) => {
                broken.push(format!("{}: panicked: {message}", relative.display()));
            }
            Outcome::Hang => {
                broken.push(format!("{}: still running after 5 s", relative.display()))
            }
        }
        if expects_items && !matches!(&outcome, Outcome::Items(ids) if !ids.is_empty()) {
            tally
                .missing
                .push(format!("{}: {outcome:?}", relative.display()));
        }
    }

    println!(
        "{:<16} {:>5} {:>7} {:>13} {:>22}",
        "group", "files", "parsed", "≥1 item", "≥1 item | has items"
    );
    let line = |name: &str, t: &Tally| {
        println!(
            "{:<16} {:>5} {:>6.0}% {:>5} ({:>4.0}%) {:>5}/{:<5} ({:>4.0}%)",
            name,
            t.files,
            percent(t.parsed, t.files),
            t.yielded,
            percent(t.yielded, t.files),
            t.yielded_when_expected,
            t.with_items_in_source,
            percent(t.yielded_when_expected, t.with_items_in_source),
        );
    };
    for name in REPORTED {
        if let Some(tally) = tallies.get(*name) {
            line(name, tally);
        }
    }
    println!("-- not held to the bar (formats to reject, or inputs to survive):");
    for (name, tally) in &tallies {
        if !REPORTED.contains(&name.as_str()) {
            line(name, tally);
        }
    }
    for name in REPORTED {
        for missing in tallies
            .get(*name)
            .map(|t| t.missing.as_slice())
            .unwrap_or_default()
        {
            println!("has items, yielded none: {missing}");
        }
    }

    assert!(
        broken.is_empty(),
        "{} files misbehaved:\n{}",
        broken.len(),
        broken.join("\n")
    );
    // Only about half of the files hold an item at all (the rest test channel elements), so the
    // bar is on the files that do.
    let mut short = Vec::new();
    for name in REPORTED {
        let tally = tallies
            .get(*name)
            .unwrap_or_else(|| panic!("group {name} is missing from the corpus"));
        let share = percent(tally.yielded_when_expected, tally.with_items_in_source);
        if share < 95.0 {
            short.push(format!(
                "{name}: {}/{} ({share:.0}%)",
                tally.yielded_when_expected, tally.with_items_in_source
            ));
        }
    }
    assert!(
        short.is_empty(),
        "groups below 95% of files with items yielding items: {}",
        short.join(", ")
    );
}

fn parse_with_limit(bytes: Vec<u8>, feed_url: Url) -> Outcome {
    let (sender, receiver) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(feed_url.path().to_string())
        .spawn(move || {
            let result = std::panic::catch_unwind(|| parse_feed(&bytes, &feed_url));
            let outcome = match result {
                Ok(Ok(feed)) => {
                    Outcome::Items(feed.items.into_iter().map(|item| item.id).collect())
                }
                Ok(Err(err)) => Outcome::Error(err.to_string()),
                Err(panic) => Outcome::Panic(
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                ),
            };
            let _ = sender.send(outcome);
        });
    if spawned.is_err() {
        return Outcome::Panic("could not spawn a thread".into());
    }
    // A thread still running after the limit is left behind: Rust cannot kill it, and the test
    // fails anyway.
    receiver.recv_timeout(LIMIT).unwrap_or(Outcome::Hang)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn group_of(relative: &Path) -> String {
    let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        None => "(top level)".into(),
        Some(file) if first == "jsonfeed" && file.starts_with("own_") => "jsonfeed/own_*".into(),
        Some(_) if first == "jsonfeed" => "jsonfeed/feedparser".into(),
        Some(_) => first,
    }
}

/// Whether the source document holds at least one item: an `<item>`/`<entry>` element (any
/// prefix, any case, NULs of UTF-16 dropped) or a non-empty JSON `items` array.
fn has_items(bytes: &[u8]) -> bool {
    let text: Vec<u8> = bytes
        .iter()
        .filter(|&&b| b != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    let element = |name: &[u8]| {
        text.windows(name.len() + 1).any(|w| {
            w[..name.len()] == *name
                && matches!(w[name.len()], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
        })
    };
    if element(b"<item") || element(b":item") || element(b"<entry") || element(b":entry") {
        return true;
    }
    let json = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json_items(json)
}

fn serde_json_items(bytes: &[u8]) -> bool {
    // Cheap check without a JSON dependency: an "items" key followed by an array that is not
    // empty.
    let text = String::from_utf8_lossy(bytes);
    text.find("\"items\"").is_some_and(|at| {
        let rest = text[at + 7..].trim_start();
        rest.strip_prefix(':')
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('['))
            .is_some_and(|rest| !rest.trim_start().starts_with(']'))
    })
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
