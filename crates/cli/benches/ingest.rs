//! Ingest benchmark: N feeds × M articles of realistic size served from loopback, ingested by
//! the real `newsmon` binary (release build), then a re-poll of the same feeds (all 304).
//!
//! ```sh
//! cargo bench -p newsmon-cli --bench ingest                      # 100×100, 1000×20 + re-poll
//! cargo bench -p newsmon-cli --bench ingest -- --feeds 10 --articles 10
//! # another build of newsmon (a baseline) under the same bench and server:
//! cargo bench -p newsmon-cli --bench ingest -- --feeds 100 --articles 100 --newsmon /tmp/newsmon-base --no-frames
//! # a build older than the taxonomy's shared gates (`gate`, `[gates.NAME]`) needs a taxonomy
//! # without them, such as an older commit's:
//! git show e36d969:config/taxonomy.toml > /tmp/taxonomy-old.toml
//! cargo bench -p newsmon-cli --bench ingest -- --newsmon /tmp/newsmon-base --no-frames --taxonomy /tmp/taxonomy-old.toml
//! ```
//!
//! The configuration is the shipped one's tagging: the taxonomy and the concept frames of
//! `config/`. `--no-frames` tags with the taxonomy alone (builds older than frames reject the
//! `frames` key); `--taxonomy FILE` tags with another taxonomy file.
//!
//! Reports wall time, articles/s, CPU seconds per article and peak RSS of the newsmon process
//! (read from /proc, so Linux only), and the per-stage seconds newsmon's summary gives. The
//! server runs in this process on its own thread; its CPU is not counted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod news_web;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    let newsmon = args
        .iter()
        .position(|a| a == "--newsmon")
        .and_then(|i| args.get(i + 1))
        .map_or(env!("CARGO_BIN_EXE_newsmon"), String::as_str);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let frames = (!args.iter().any(|a| a == "--no-frames")).then(|| shipped.join("frames.toml"));
    let taxonomy = args
        .iter()
        .position(|a| a == "--taxonomy")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| shipped.join("taxonomy.toml"), PathBuf::from);
    let scenarios = match (flag("--feeds"), flag("--articles")) {
        (Some(feeds), Some(articles)) => vec![(feeds, articles)],
        _ => vec![(100, 100), (1000, 20)],
    };
    println!(
        "| feeds × articles | articles | wall s | articles/s | CPU s | CPU ms/article | peak RSS MiB | list | fetch | extract | tag | index | commit |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (feeds, articles) in scenarios {
        let base = start_server(articles);
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &base, feeds, frames.as_deref(), &taxonomy);
        let first = ingest(newsmon, dir.path());
        assert_eq!(
            first.summary["articles_new"].as_u64(),
            Some((feeds * articles) as u64),
            "{}",
            first.summary
        );
        println!(
            "{}",
            first.row(&format!("{feeds} × {articles}"), feeds * articles)
        );
        let again = ingest(newsmon, dir.path());
        assert_eq!(
            again.summary["sources_not_modified"].as_u64(),
            Some(feeds as u64),
            "{}",
            again.summary
        );
        println!(
            "{}",
            again.row(&format!("re-poll {feeds} feeds (all 304)"), 0)
        );
    }
}

struct Measured {
    wall: Duration,
    cpu_secs: f64,
    peak_rss_kib: u64,
    summary: serde_json::Value,
}

impl Measured {
    fn row(&self, name: &str, articles: usize) -> String {
        let wall = self.wall.as_secs_f64();
        let stage = |key: &str| {
            self.summary["stage_seconds"][key]
                .as_f64()
                .map_or("-".into(), |s| format!("{s:.1}"))
        };
        let per_article = |value: f64| {
            if articles == 0 {
                "-".to_string()
            } else {
                format!("{value:.1}")
            }
        };
        let mut row = format!(
            "| {name} | {articles} | {wall:.2} | {} | {:.2} | {} | {:.0} |",
            per_article(articles as f64 / wall),
            self.cpu_secs,
            per_article(self.cpu_secs * 1000.0 / articles.max(1) as f64),
            self.peak_rss_kib as f64 / 1024.0,
        );
        for key in ["list", "fetch", "extract", "tag", "index", "commit"] {
            write!(row, " {} |", stage(key)).unwrap();
        }
        row
    }
}

/// Runs `newsmon ingest --format json` (the binary `newsmon`) and measures it from /proc.
fn ingest(newsmon: &str, dir: &Path) -> Measured {
    let started = Instant::now();
    let child = Command::new(newsmon)
        .arg("--config")
        .arg(dir.join("newsmon.toml"))
        .arg("--index")
        .arg(dir.join("index"))
        .args(["ingest", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak_rss_kib = 0;
    let ticks = clock_ticks();
    // Sample until the process is a zombie: its CPU times are still readable then, and gone
    // once it is reaped.
    let cpu_secs = loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kib) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak_rss_kib = peak_rss_kib.max(kib);
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // Fields after the command name (which is in parentheses and may hold spaces).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        if fields[0] == "Z" {
            let utime: f64 = fields[11].parse().unwrap();
            let stime: f64 = fields[12].parse().unwrap();
            break (utime + stime) / ticks;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = child.wait_with_output().unwrap();
    let wall = started.elapsed();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
    Measured {
        wall,
        cpu_secs,
        peak_rss_kib,
        summary: serde_json::from_slice(&output.stdout).unwrap(),
    }
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn write_config(dir: &Path, base: &str, feeds: usize, frames: Option<&Path>, taxonomy: &Path) {
    // Every feed is on one loopback host, standing for many hosts: the per-host politeness
    // limits would otherwise serialise the whole benchmark behind one host's delay.
    let mut config = format!(
        "taxonomy = {:?}\n[http]\nallow_private_networks = true\nper_host_concurrency = 8\n\
         per_host_delay_ms = 0\n",
        taxonomy.display().to_string()
    );
    if let Some(frames) = frames {
        config.insert_str(0, &format!("frames = {:?}\n", frames.display().to_string()));
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
