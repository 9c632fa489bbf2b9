//! The command line: one module per subcommand.

mod config;
mod ingest;
mod search;
mod tag;

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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every source once, index what is new or changed, then exit.
    Ingest(ingest::Cmd),
    /// Search the index.
    Search(search::Cmd),
    /// Extract and tag one page or text without touching the index.
    Tag(tag::Cmd),
    /// Show the default configuration or check one.
    #[command(subcommand)]
    Config(config::Cmd),
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
        Command::Search(cmd) => search::run(cmd, &cli.index),
        Command::Tag(cmd) => tag::run(cmd, &cli.config),
        Command::Config(cmd) => config::run(cmd, &cli.config),
    }
}
