//! The command line: one module per subcommand.

mod completions;
mod config;
mod db;
mod export;
mod follow;
mod funding;
mod ingest;
mod init;
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

use crate::paths::Paths;

/// Monitor news coverage: poll feeds, extract and tag articles, search them.
#[derive(Debug, Parser)]
#[command(name = "newsmon", version, about)]
pub struct Cli {
    /// The configuration file [default: $NEWSMON_CONFIG, ./config/newsmon.toml,
    /// ~/.config/newsmon/newsmon.toml, else the built-in default; `config show --paths`].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The index directory: the search index and the crawl state [default: ./index in a
    /// checkout, else ~/.local/share/newsmon/index].
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
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
    /// Show the default configuration or the paths in use, or check a configuration.
    #[command(subcommand)]
    Config(config::Cmd),
    /// The shared PostgreSQL database: apply migrations, show its status.
    #[command(subcommand)]
    Db(db::Cmd),
    /// A search node: apply the shared article log to the local index (--index).
    Follow(follow::Cmd),
    /// Write a commented starter configuration (and, with --taxonomy, the taxonomy).
    Init(init::Cmd),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Cmd),
    /// Print the man page (roff).
    Man(completions::ManCmd),
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
    let paths = Paths::current(cli.config.as_deref(), cli.index.as_deref());
    let index = paths.index.as_path();
    match cli.command {
        Command::Ingest(cmd) => ingest::run(cmd, &paths),
        Command::Run(cmd) => run::run(cmd, &paths),
        Command::Reindex(cmd) => reindex::run(cmd, &paths),
        Command::Sources(cmd) => sources::run(cmd, &paths),
        Command::Search(cmd) => search::run(cmd, index),
        Command::Show(cmd) => show::run(cmd, index),
        Command::Stats(cmd) => stats::run(cmd, index),
        Command::Funding(cmd) => funding::run(cmd, index),
        Command::Export(cmd) => export::run(cmd, index),
        Command::Tag(cmd) => tag::run(cmd, &paths),
        Command::Train(cmd) => train::run(cmd, &paths),
        Command::Config(cmd) => config::run(cmd, &paths),
        Command::Db(cmd) => db::run(cmd, &paths),
        Command::Follow(cmd) => follow::run(cmd, &paths),
        Command::Init(cmd) => init::run(cmd, &paths),
        Command::Completions(cmd) => completions::run(cmd),
        Command::Man(cmd) => completions::man(cmd),
    }
}
