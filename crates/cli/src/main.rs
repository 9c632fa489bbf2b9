//! `newsmon`: poll news feeds, extract and tag articles, search them.
//!
//! The binary is wiring: it parses arguments, calls the library crates and reports.
//! Exit status: 0 success; 1 partial result (`ingest`: some source or article failed;
//! `search`: no hit); 2 error (bad config, bad query, locked index, ...).

mod cmd;
mod config;
mod metrics;
mod output;
mod paths;
mod pipeline;
mod schedule;
mod shared;
mod watch;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    // A service has no one watching its terminal: `run` says what it does unless told not to.
    let daemon = matches!(cli.command, cmd::Command::Run(_));
    init_logging(cli.verbose, cli.log_format, daemon);
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, the whole chain: "what: where: why".
            eprintln!("newsmon: {}", one_line(&chain(&err)));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text the level above
/// already printed (an error that names its `source` in its own message).
fn chain(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `newsmon search x | head` must not end in an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(verbose: u8, format: cmd::LogFormat, daemon: bool) {
    let default = match verbose + u8::from(daemon) {
        0 => "error",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEWSMON_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match format {
        cmd::LogFormat::Human => logs.init(),
        cmd::LogFormat::Json => logs.json().init(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_in_the_message_is_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let err = anyhow::Error::new(newsmon_extractor::Error::TaxonomyRead {
            path: "t.toml".into(),
            source: io,
        })
        .context("loading");
        assert_eq!(chain(&err), "loading: t.toml: cannot read taxonomy: gone");
        let err = anyhow::anyhow!("inner").context("outer");
        assert_eq!(chain(&err), "outer: inner");
    }

    /// The shipped systemd units run command lines that this CLI accepts: a renamed flag
    /// must not leave a unit that fails on a user's server.
    #[test]
    fn the_shipped_systemd_units_run_valid_command_lines() {
        use clap::Parser;
        let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let mut checked = 0;
        for entry in std::fs::read_dir(&config).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                let Some(command) = line.strip_prefix("ExecStart=") else {
                    continue;
                };
                let words: Vec<&str> = command.split_whitespace().collect();
                if !words[0].ends_with("/newsmon") {
                    continue;
                }
                if let Err(err) = cmd::Cli::try_parse_from(&words) {
                    panic!("{}: {command}: {err}", path.display());
                }
                checked += 1;
            }
        }
        assert!(
            checked >= 2,
            "only {checked} newsmon units found in {config:?}"
        );
    }
}
