//! Scale-out benchmark (issue 11): the same served news web ingested by the embedded default
//! (SQLite crawl state + local tantivy index) and by 1, 2 and 3 ingesters over one
//! PostgreSQL database, in the same run; then the follower's apply rate (`newsmon follow
//! --once` into an empty local index).
//!
//! ```sh
//! eval "$(.ci/pg-test-cluster.sh start)"       # or NEWSMON_BENCH_DATABASE_URL=postgres://...
//! cargo bench -p newsmon-cli --bench scaleout                        # 100 feeds × 20 articles
//! cargo bench -p newsmon-cli --bench scaleout -- --feeds 50 --articles 10
//! .ci/pg-test-cluster.sh stop
//! ```
//!
//! Each scenario gets a fresh database on that server. Ingesters run `newsmon ingest`
//! (one pass, sources leased from the database) started together; the wall time runs from
//! the first start to the last exit. Process start-up is included everywhere, as in the
//! ingest benchmark.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod news_web;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use news_web::start_server;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let feeds = flag("--feeds").unwrap_or(100);
    let articles = flag("--articles").unwrap_or(20);
    let total = (feeds * articles) as u64;
    let base = start_server(articles);
    println!("{feeds} feeds × {articles} articles = {total} articles, one loopback host\n");
    println!("| setup | wall s | articles/s | relative to embedded |");
    println!("|---|---|---|---|");

    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &base, feeds, None);
    let (wall, new) = ingesters(&[dir.path()]);
    assert_eq!(new, total, "embedded ingest stored {new} of {total}");
    let embedded = total as f64 / wall.as_secs_f64();
    println!(
        "| embedded (SQLite + local index) | {:.2} | {embedded:.0} | 1.00 |",
        wall.as_secs_f64()
    );

    let Some(admin) = std::env::var("NEWSMON_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("NEWSMON_TEST_DATABASE_URL"))
        .ok()
    else {
        println!(
            "\nskipped the PostgreSQL rows: set NEWSMON_BENCH_DATABASE_URL (or eval \"$(.ci/pg-test-cluster.sh start)\")"
        );
        return;
    };
    let mut last = None;
    for count in 1..=3 {
        let db = newsmon_testkit::TestDb::create_on(&admin);
        let dirs: Vec<tempfile::TempDir> = (0..count)
            .map(|_| {
                let dir = tempfile::tempdir().unwrap();
                write_config(dir.path(), &base, feeds, Some(&db.url));
                dir
            })
            .collect();
        // Migrated once beforehand, as `newsmon db migrate` would be in a deployment.
        newsmon(dirs[0].path(), &["db", "migrate"]);
        let paths: Vec<&Path> = dirs.iter().map(tempfile::TempDir::path).collect();
        let (wall, new) = ingesters(&paths);
        assert_eq!(new, total, "{count} ingesters stored {new} of {total}");
        let rate = total as f64 / wall.as_secs_f64();
        println!(
            "| {count} ingester{} over PostgreSQL | {:.2} | {rate:.0} | {:.2} |",
            if count == 1 { "" } else { "s" },
            wall.as_secs_f64(),
            rate / embedded
        );
        last = Some((db, dirs));
    }

    // A search node applies the whole log of the last run to an empty local index.
    let (db, dirs) = last.unwrap();
    let started = Instant::now();
    let out = newsmon(dirs[0].path(), &["follow", "--once", "--batch", "1000"]);
    let wall = started.elapsed();
    assert!(
        out.starts_with(&format!("applied {total} articles")),
        "{out}"
    );
    println!(
        "\nfollower: applied {total} articles in {:.2} s = {:.0} articles/s (start-up included)",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64()
    );
    drop(dirs);
    drop(db);
}

/// Starts one `newsmon ingest --format json` per directory at once and waits for all;
/// the wall time and the articles they stored, summed.
fn ingesters(dirs: &[&Path]) -> (Duration, u64) {
    let started = Instant::now();
    let children: Vec<Child> = dirs
        .iter()
        .map(|dir| {
            command(dir)
                .args(["ingest", "--format", "json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let wall = started.elapsed();
    let mut new = 0;
    for output in outputs {
        assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
        let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        new += summary["articles_new"].as_u64().unwrap();
    }
    (wall, new)
}

fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsmon"));
    command
        .arg("--config")
        .arg(dir.join("newsmon.toml"))
        .arg("--index")
        .arg(dir.join("index"));
    command
}

/// Runs a short command to completion; its standard output.
fn newsmon(dir: &Path, args: &[&str]) -> String {
    let output = command(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The ingest benchmark's configuration (one host standing for many: per-host limits
/// lifted), over PostgreSQL when `database` is given.
fn write_config(dir: &Path, base: &str, feeds: usize, database: Option<&str>) {
    let taxonomy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/taxonomy.toml");
    let mut config = format!(
        "taxonomy = {:?}\n[http]\nallow_private_networks = true\nper_host_concurrency = 8\n\
         per_host_delay_ms = 0\n",
        taxonomy.display().to_string()
    );
    if let Some(url) = database {
        write!(
            config,
            "\n[state]\nbackend = \"postgres\"\nurl = {url:?}\nlease_secs = 60\n"
        )
        .unwrap();
    }
    for i in 0..feeds {
        write!(
            config,
            "\n[[source]]\nname = \"feed {i}\"\nurl = \"{base}/feed/{i}\"\n"
        )
        .unwrap();
    }
    std::fs::write(dir.join("newsmon.toml"), config).unwrap();
}
