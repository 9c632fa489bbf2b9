//! `newsmon completions` and `newsmon man`: generated from the command-line definition, so
//! that they never drift from it.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use super::Cli;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon completions bash > ~/.local/share/bash-completion/completions/newsmon
  newsmon completions zsh > ~/.zfunc/_newsmon
  newsmon completions fish > ~/.config/fish/completions/newsmon.fish")]
pub struct Cmd {
    /// The shell.
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon man > ~/.local/share/man/man1/newsmon.1 && man newsmon
  newsmon man | man -l -")]
pub struct ManCmd {}

pub fn run(cmd: Cmd) -> Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(cmd.shell, &mut command, "newsmon", &mut out);
    Ok(ExitCode::SUCCESS)
}

pub fn man(_cmd: ManCmd) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .context("standard output: cannot write the man page")?;
    Ok(ExitCode::SUCCESS)
}
