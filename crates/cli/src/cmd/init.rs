//! `newsmon init`: a starter configuration to edit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::config::{DEFAULT_CONFIG, DEFAULT_FRAMES, DEFAULT_TAXONOMY};
use crate::output::print;
use crate::paths::{CONFIG_FILE, Paths};

/// The taxonomy's file name beside the configuration.
const TAXONOMY_FILE: &str = "taxonomy.toml";
/// The concept frames' file name beside the configuration.
const FRAMES_FILE: &str = "frames.toml";

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon init                      # ~/.config/newsmon/newsmon.toml, found from anywhere
  newsmon init ./myconfig --taxonomy
  newsmon --config ./myconfig/newsmon.toml config check")]
pub struct Cmd {
    /// The directory to write into [default: the XDG config dir, ~/.config/newsmon].
    dir: Option<PathBuf>,
    /// Also write copies of the default taxonomy and its concept frames to edit, and point
    /// the config at them.
    #[arg(long)]
    taxonomy: bool,
    /// Overwrite files that exist.
    #[arg(long)]
    force: bool,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let dir = match cmd.dir.or_else(|| paths.xdg_config_dir.clone()) {
        Some(dir) => dir,
        None => bail!("init: no directory given, and neither $XDG_CONFIG_HOME nor $HOME is set"),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let config = dir.join(CONFIG_FILE);
    let mut files = vec![(config.clone(), starter_config(cmd.taxonomy))];
    if cmd.taxonomy {
        files.push((dir.join(TAXONOMY_FILE), DEFAULT_TAXONOMY.to_string()));
        files.push((dir.join(FRAMES_FILE), DEFAULT_FRAMES.to_string()));
    }
    if !cmd.force
        && let Some((path, _)) = files.iter().find(|(path, _)| path.exists())
    {
        bail!("{}: already exists (--force overwrites it)", path.display());
    }
    for (path, text) in &files {
        write(path, text)?;
    }
    let mut out = String::new();
    for (path, _) in &files {
        out += &format!("wrote {}\n", path.display());
    }
    out += &format!(
        "next: edit its [[source]] list, then `newsmon --config {} config check`",
        config.display()
    );
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The shipped configuration, every key commented, with the taxonomy and frames lines on
/// (`--taxonomy`) or commented out (the embedded default taxonomy and frames).
pub(crate) fn starter_config(with_taxonomy: bool) -> String {
    let taxonomy = format!("taxonomy = \"{TAXONOMY_FILE}\"");
    let frames = format!("frames = \"{FRAMES_FILE}\"");
    if with_taxonomy {
        return DEFAULT_CONFIG.to_string();
    }
    DEFAULT_CONFIG
        .replacen(
            &taxonomy,
            &format!(
                "# Absent: the taxonomy built into newsmon. `newsmon init --taxonomy` writes a copy.\n# {taxonomy}"
            ),
            1,
        )
        .replacen(
            &frames,
            &format!("# Absent: the frames built into newsmon, as the taxonomy is.\n# {frames}"),
            1,
        )
}

/// Writes through a temporary file and a rename: an interrupted init leaves no half file.
fn write(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot write", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_names_a_taxonomy_only_when_one_is_written() {
        let plain = crate::config::parse(&starter_config(false), "c").unwrap();
        assert_eq!(plain.taxonomy, None);
        let with = crate::config::parse(&starter_config(true), "c").unwrap();
        assert_eq!(with.taxonomy, Some(PathBuf::from(TAXONOMY_FILE)));
        assert_eq!(
            plain.frames, None,
            "the embedded frames follow the embedded taxonomy"
        );
        assert_eq!(
            with.frames,
            Some(crate::config::FramesSetting::File(FRAMES_FILE.into()))
        );
        assert_eq!(plain.sources, with.sources);
    }
}
