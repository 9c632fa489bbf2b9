//! The command line: one module per subcommand.

mod config;
mod export;
mod funding;
mod ingest;
mod reindex;
mod run;
mod search;
mod show;
mod sources;
mod stats;
mod tag;
mod train;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::DEFAULT_CONFIG_PATH;

/// Monitor news coverage: poll feeds, extract and tag articles, search them.
#[derive(Debug, Parser)]
#[command(name = "newsmon", version, about)]
pub struct Cli {
    /// The configuration file.
    #[arg(long, global = true, value_name = "FILE", default_value = DEFAULT_CONFIG_PATH)]
    pub config: PathBuf,
    /// The index directory (the search index and the crawl state).
    #[arg(long, global = true, value_name = "DIR", default_value = "index")]
    pub index: PathBuf,
    /// More log output on standard error (-v info, -vv debug); NEWSMON_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Log line format: `human`, or `json` (one object a line) for log shippers.
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every source once, index what is new or changed, then exit.
    Ingest(ingest::Cmd),
    /// Poll each source on its schedule until SIGINT or SIGTERM.
    Run(run::Cmd),
    /// Extract, tag and index every article again from its stored page, offline.
    Reindex(reindex::Cmd),
    /// Show every source with its last poll, failures and next due time.
    Sources(sources::Cmd),
    /// Search the index.
    Search(search::Cmd),
    /// Print one article whole: metadata, every tag with its evidence, the text.
    Show(show::Cmd),
    /// Count articles by tag, source, language and day or week.
    Stats(stats::Cmd),
    /// Every amount reported under each funding key, by whom and when.
    Funding(funding::Cmd),
    /// Stream matching articles with their tags and amounts as JSONL or CSV.
    Export(export::Cmd),
    /// Extract and tag one page or text without touching the index.
    Tag(tag::Cmd),
    /// Fit the learned scorer from labelled examples and write its model file.
    Train(train::Cmd),
    /// Show the default configuration or check one.
    #[command(subcommand)]
    Config(config::Cmd),
}

/// How log lines are written on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// For people.
    Human,
    /// One JSON object a line.
    Json,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Table,
    /// For scripts.
    Json,
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(cmd) => ingest::run(cmd, &cli.config, &cli.index),
        Command::Run(cmd) => run::run(cmd, &cli.config, &cli.index),
        Command::Reindex(cmd) => reindex::run(cmd, &cli.config, &cli.index),
        Command::Sources(cmd) => sources::run(cmd, &cli.config, &cli.index),
        Command::Search(cmd) => search::run(cmd, &cli.index),
        Command::Show(cmd) => show::run(cmd, &cli.index),
        Command::Stats(cmd) => stats::run(cmd, &cli.index),
        Command::Funding(cmd) => funding::run(cmd, &cli.index),
        Command::Export(cmd) => export::run(cmd, &cli.index),
        Command::Tag(cmd) => tag::run(cmd, &cli.config),
        Command::Train(cmd) => train::run(cmd, &cli.config),
        Command::Config(cmd) => config::run(cmd, &cli.config),
    }
}
