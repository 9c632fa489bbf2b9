//! `newsmon config`: the default configuration, and checking one.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::config::{self, DEFAULT_CONFIG};
use crate::output::print;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Print the default configuration, every key commented.
    Show,
    /// Validate the configuration and its taxonomy.
    Check,
}

pub fn run(cmd: Cmd, config_path: &Path) -> Result<ExitCode> {
    match cmd {
        Cmd::Show => print(DEFAULT_CONFIG.trim_end())?,
        Cmd::Check => {
            let loaded = config::load(config_path)?;
            loaded.taxonomy.build()?;
            print(&format!(
                "{}: ok: {} sources, {} tags",
                config_path.display(),
                loaded.config.sources.len(),
                loaded.taxonomy.tags().len()
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
