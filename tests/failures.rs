//! Bad input of every kind: one clear line, the right exit status, and the rest goes on.

use crate::util::{FixtureServer, TestDir, newsmon, repo, unreachable_url};

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr, got:\n{stderr}"
    );
    lines[0]
}

#[test]
fn a_missing_config_names_the_file() {
    let dir = TestDir::new();
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    let line = one_line(&run.stderr);
    assert!(
        line.starts_with("newsmon: ") && line.contains("newsmon.toml: cannot read config"),
        "{line}"
    );
}

#[test]
fn an_invalid_config_names_file_line_and_problem() {
    let dir = TestDir::new();
    dir.write(
        "newsmon.toml",
        "[http]\ntimeout_secs = 5\nretry_count = 3\n",
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    let line = one_line(&run.stderr);
    assert!(
        line.contains("newsmon.toml:3:1: unknown field `retry_count`"),
        "{line}"
    );

    dir.write(
        "newsmon.toml",
        "[[source]]\nname = \"x\"\nurl = \"not a url\"\n",
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("source #1 `x`: invalid url `not a url`"),
        "{run:?}"
    );
}

#[test]
fn an_invalid_taxonomy_names_file_line_and_problem() {
    let dir = TestDir::new();
    dir.write(
        "newsmon.toml",
        "taxonomy = \"tax.toml\"\n[[source]]\nname = \"x\"\nurl = \"http://127.0.0.1:9/\"\n",
    );
    dir.write(
        "tax.toml",
        "[tier.first-line]\nlabel = \"First line\"\nphrases = [\"first line of defence\"\n",
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    let line = one_line(&run.stderr);
    assert!(line.contains("tax.toml:3:"), "{line}");

    dir.write(
        "tax.toml",
        "[tier.first-line]\nlabel = \"First line\"\npatterns = ['(oops']\n",
    );
    let run = dir.newsmon(&["tag", "-"]);
    assert_eq!(run.code, 2, "{run:?}");
    let line = one_line(&run.stderr);
    assert!(
        line.contains("tax.toml: [tier.first-line] patterns[0] is not a valid regex"),
        "{line}"
    );

    // A pattern that parses but can never meet folded (lowercase) text: a warning, and
    // the check still passes.
    dir.write(
        "tax.toml",
        "[tier.first-line]\nlabel = \"First line\"\npatterns = ['\\bfirst line', '\\bNATO']\n",
    );
    let run = dir.newsmon(&["config", "check"]);
    assert_eq!(run.code, 0, "{run:?}");
    let line = one_line(&run.stderr);
    assert!(
        line.starts_with("warning: ")
            && line.contains(
                "tax.toml: [tier.first-line] patterns[1] never matches: 'N' is uppercase"
            ),
        "{run:?}"
    );

    // A key naming a shared story gate that the file does not define.
    dir.write(
        "tax.toml",
        "[tier.first-line]\nlabel = \"First line\"\nphrases = [\"first line\"]\ngate = \"story\"\n",
    );
    let run = dir.newsmon(&["config", "check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains(
            "tax.toml: [tier.first-line] gate \"story\" is not defined (no [gates.story] table)"
        ),
        "{run:?}"
    );

    std::fs::remove_file(dir.path("tax.toml")).unwrap();
    let run = dir.newsmon(&["config", "check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("tax.toml: cannot read taxonomy"),
        "{run:?}"
    );
}

#[test]
fn an_unreachable_feed_fails_alone_and_fast() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    dir.write_config(&[
        ("down", unreachable_url()),
        ("wire", server.url("feeds/wire.rss")),
    ]);
    let started = std::time::Instant::now();
    let run = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let summary = run.json();
    assert_eq!(summary["sources_failed"], 1, "{run:?}");
    assert!(
        summary["articles_new"].as_u64().unwrap() > 0,
        "the other source went on: {run:?}"
    );
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn bad_queries_and_missing_indexes_are_one_line_errors() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    dir.write_config(&[("wire", server.url("feeds/wire.rss"))]);
    let run = dir.newsmon(&["search", "paris"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("no index here; run `newsmon ingest` first"),
        "{run:?}"
    );

    assert_eq!(dir.newsmon(&["ingest"]).code, 0);
    for (query, needle) in [
        ("title:(paris", "invalid query `title:(paris`"),
        ("nofield:x", "nofield"),
    ] {
        let run = dir.newsmon(&["search", query]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(one_line(&run.stderr).contains(needle), "{run:?}");
    }
    let run = dir.newsmon(&["search", "*", "--since", "last tuesday"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("invalid date `last tuesday`"),
        "{run:?}"
    );
}

#[test]
fn a_second_writer_stops_at_once_with_a_clear_message() {
    let server = FixtureServer::start();
    let dir = TestDir::new();
    dir.write_config(&[("wire", server.url("feeds/wire.rss"))]);
    assert_eq!(dir.newsmon(&["ingest"]).code, 0);
    // Hold the writer lock as a running ingest would.
    let index = newsmon_index::Index::open(&dir.path("index").join("tantivy")).unwrap();
    let writer = index.writer(20_000_000).unwrap();
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("another newsmon is writing to this index"),
        "{run:?}"
    );
    drop(writer);
    let run = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["articles_new"], 0);
}

#[test]
fn the_default_config_checks_and_prints() {
    let config = repo().join("config/newsmon.toml");
    let run = newsmon(
        &["--config", config.to_str().unwrap()],
        &["config", "check"],
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("ok: ") && run.stdout.contains("15 tags"),
        "{run:?}"
    );
    // `config show` prints the shipped file with its taxonomy and frames lines commented
    // out (the built-in ones): saved anywhere, it checks.
    let run = newsmon(&[], &["config", "show"], None);
    assert_eq!(run.code, 0);
    let shipped = std::fs::read_to_string(&config).unwrap();
    let uncommented = run
        .stdout
        .replace(
            "# taxonomy = \"taxonomy.toml\"",
            "taxonomy = \"taxonomy.toml\"",
        )
        .replace("# frames = \"frames.toml\"", "frames = \"frames.toml\"");
    let without_notes = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("# Absent:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(without_notes(&uncommented), without_notes(shipped.trim()));
    let dir = TestDir::new();
    let saved = dir.write("newsmon.toml", &run.stdout);
    let run = newsmon(
        &["--config", saved.to_str().unwrap()],
        &["config", "check"],
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("15 tags, frames (embedded default frames)"),
        "{run:?}"
    );
}
