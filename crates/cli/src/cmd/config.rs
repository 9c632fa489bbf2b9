//! `newsmon config`: the default configuration, the paths in use, and checking one.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::config::{
    self, DEFAULT_CONFIG, EMBEDDED_FRAMES_NAME, EMBEDDED_TAXONOMY_NAME, FramesSource,
};
use crate::output::print;
use crate::paths::Paths;
use crate::pipeline::{STATE_FILE, TANTIVY_DIR};
use crate::watch::WATCH_STATE_FILE;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Print the default configuration, every key commented (as `init` writes it); with
    /// --paths, the files and directories this newsmon uses and how each was found.
    #[command(after_help = "Examples:
  newsmon config show > ~/.config/newsmon/newsmon.toml
  newsmon config show --paths
  NEWSMON_CONFIG=/etc/newsmon/newsmon.toml newsmon config show --paths")]
    Show {
        /// Print the configuration file, taxonomy and index in use instead.
        #[arg(long)]
        paths: bool,
    },
    /// Validate the configuration and its taxonomy (every pattern compiled).
    #[command(after_help = "Examples:
  newsmon config check
  newsmon --config ~/feeds.toml config check")]
    Check,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    match cmd {
        // What `init` writes: saved anywhere, it names no taxonomy or frames file that is
        // not there, and means the built-in ones.
        Cmd::Show { paths: false } => print(super::init::starter_config(false).trim_end())?,
        Cmd::Show { paths: true } => print(&show_paths(paths)?)?,
        Cmd::Check => {
            let loaded = config::load(paths)?;
            loaded.tagger()?;
            for warning in loaded.taxonomy.warnings() {
                eprintln!("warning: {warning}");
            }
            let frames = loaded.frames.as_ref().map_or("off", |(_, name)| name);
            print(&format!(
                "{}: ok: {} sources, {} tags, frames {frames}",
                paths.config_name(),
                loaded.config.sources.len(),
                loaded.taxonomy.tags().len()
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per file or directory: what, where, and how it was found.
fn show_paths(paths: &Paths) -> Result<String> {
    let parsed = match &paths.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read config", path.display()))?;
            config::parse(&text, &path.display().to_string())?
        }
        None => config::parse(DEFAULT_CONFIG, config::EMBEDDED_CONFIG_NAME)?,
    };
    let taxonomy = config::taxonomy_path(&parsed, paths.config.as_deref());
    let frames = config::frames_source(&parsed, paths.config.as_deref());
    let line = |what: &str, path: String, how: &str| format!("{what:<13} {path}  ({how})\n");
    let index = &paths.index;
    let mut out = String::new();
    out += &line("config", paths.config_name(), paths.config_origin.as_str());
    out += &match taxonomy {
        Some(path) => line(
            "taxonomy",
            path.display().to_string(),
            "named by the config",
        ),
        None => line(
            "taxonomy",
            EMBEDDED_TAXONOMY_NAME.to_string(),
            "the config names none",
        ),
    };
    out += &match frames {
        FramesSource::File(path) => {
            line("frames", path.display().to_string(), "named by the config")
        }
        FramesSource::Embedded => line(
            "frames",
            EMBEDDED_FRAMES_NAME.to_string(),
            "the built-in taxonomy's",
        ),
        FramesSource::Off => line("frames", "off".to_string(), "rules alone"),
    };
    out += &line(
        "index",
        index.display().to_string(),
        paths.index_origin.as_str(),
    );
    for (what, file) in [
        ("search index", TANTIVY_DIR),
        ("crawl state", STATE_FILE),
        ("watches", WATCH_STATE_FILE),
    ] {
        out += &line(what, index.join(file).display().to_string(), "in the index");
    }
    if let Some(dir) = &paths.cache_dir {
        out += &line(
            "cache",
            dir.display().to_string(),
            "`tag` keeps checked patterns here; safe to delete",
        );
    }
    if let Some(dir) = &paths.xdg_config_dir {
        out += &line(
            "user config",
            dir.join(crate::paths::CONFIG_FILE).display().to_string(),
            "`newsmon init` writes here",
        );
    }
    Ok(out.trim_end().to_string())
}
