//! The configuration file: each crate's config table, composed and loaded here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use newsmon_extractor::Taxonomy;
use newsmon_fetcher::HttpConfig;
use newsmon_index::IndexConfig;
use serde::Deserialize;
use url::Url;

/// The shipped default configuration, also used when the default path is missing.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/newsmon.toml");
/// The shipped default taxonomy.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../../config/taxonomy.toml");
/// Where `--config` points unless told otherwise.
pub const DEFAULT_CONFIG_PATH: &str = "config/newsmon.toml";

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The taxonomy file, relative to the configuration file.
    #[serde(default = "default_taxonomy")]
    pub taxonomy: PathBuf,
    /// How to fetch.
    #[serde(default)]
    pub http: HttpConfig,
    /// How to index.
    #[serde(default)]
    pub index: IndexConfig,
    /// What to poll.
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
}

fn default_taxonomy() -> PathBuf {
    PathBuf::from("taxonomy.toml")
}

/// One `[[source]]`: a feed to poll.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A unique name, shown in results.
    pub name: String,
    /// The feed's URL (RSS, Atom or JSON Feed; detected).
    pub url: String,
}

/// A loaded, validated configuration with its compiled taxonomy.
pub struct Loaded {
    pub config: Config,
    pub taxonomy: Taxonomy,
    /// Parsed source URLs, in `config.sources` order.
    pub urls: Vec<Url>,
}

/// Loads `path`. The default path, when missing, falls back to the embedded defaults
/// so that the binary works from any directory; an explicit path must exist.
pub fn load(path: &Path) -> Result<Loaded> {
    let (text, name, base) = match std::fs::read_to_string(path) {
        Ok(text) => (
            text,
            path.display().to_string(),
            path.parent().map(Path::to_path_buf),
        ),
        Err(err)
            if err.kind() == std::io::ErrorKind::NotFound
                && path == Path::new(DEFAULT_CONFIG_PATH) =>
        {
            (
                DEFAULT_CONFIG.to_string(),
                "(embedded default config)".to_string(),
                None,
            )
        }
        Err(err) => bail!("{}: cannot read config: {err}", path.display()),
    };
    let config = parse(&text, &name)?;
    let urls = validate(&config, &name)?;
    let taxonomy = match base {
        Some(base) => {
            let taxonomy_path = base.join(&config.taxonomy);
            Taxonomy::load(&taxonomy_path)?
        }
        None => Taxonomy::from_toml(DEFAULT_TAXONOMY, "(embedded default taxonomy)")?,
    };
    Ok(Loaded {
        config,
        taxonomy,
        urls,
    })
}

/// Parses configuration TOML; errors are one line: file, line, column, problem.
pub fn parse(text: &str, name: &str) -> Result<Config> {
    toml::from_str(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        let message = err
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        anyhow::anyhow!("{name}:{line}:{column}: {message}")
    })
}

fn validate(config: &Config, name: &str) -> Result<Vec<Url>> {
    let http = &config.http;
    for (key, value) in [
        ("timeout_secs", http.timeout_secs),
        ("connect_timeout_secs", http.connect_timeout_secs),
        ("concurrency", http.concurrency as u64),
    ] {
        if value == 0 {
            bail!("{name}: [http] {key} must be at least 1");
        }
    }
    if config.index.writer_memory_mb < 15 {
        bail!("{name}: [index] writer_memory_mb must be at least 15");
    }
    let mut seen = std::collections::HashSet::new();
    config
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            let place = format!("{name}: source #{} `{}`", i + 1, source.name);
            if source.name.trim().is_empty() {
                bail!("{name}: source #{}: name is empty", i + 1);
            }
            if !seen.insert(source.name.as_str()) {
                bail!("{place}: duplicate name");
            }
            let url = Url::parse(&source.url)
                .with_context(|| format!("{place}: invalid url `{}`", source.url))?;
            if !matches!(url.scheme(), "http" | "https") {
                bail!("{place}: url `{}` is not http or https", source.url);
            }
            Ok(url)
        })
        .collect()
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_parses_with_default_settings() {
        let config = parse(DEFAULT_CONFIG, "newsmon.toml").unwrap();
        assert_eq!(
            config.http,
            HttpConfig::default(),
            "the file documents the defaults"
        );
        assert_eq!(config.index, IndexConfig::default());
        assert_eq!(config.taxonomy, default_taxonomy());
        assert!(config.sources.len() >= 10);
        assert_eq!(
            validate(&config, "newsmon.toml").unwrap().len(),
            config.sources.len()
        );
    }

    #[test]
    fn the_shipped_taxonomy_builds_with_the_contract_keys() {
        let taxonomy = Taxonomy::from_toml(DEFAULT_TAXONOMY, "taxonomy.toml").unwrap();
        taxonomy.build().unwrap();
        let tags = taxonomy.tags();
        for key in [
            "meeting/military-chiefs-meeting",
            "meeting/leaders-summit",
            "meeting/us-ukraine-sessions",
            "meeting/washington-summit",
            "tier/first-line",
            "tier/european-signal",
            "tier/us-backstop",
            "funding/prosperity-plan",
            "funding/public-capital",
            "funding/private-investment",
            "funding/growth-booster",
            "hurdle/occupied-territories",
            "hurdle/territorial-arbitration",
            "hurdle/zaporizhzhia-npp",
            "hurdle/eu-accession",
        ] {
            assert!(tags.iter().any(|t| t == key), "missing {key}");
        }
    }

    #[test]
    fn a_minimal_config_is_two_lines_per_source() {
        let config = parse(
            "[[source]]\nname = \"a\"\nurl = \"https://a.example/feed\"\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(config.sources[0].name, "a");
        assert_eq!(config.http, HttpConfig::default());
    }

    #[test]
    fn errors_name_file_place_and_problem() {
        for (text, expected) in [
            ("[htp]\n", "c.toml:1:2: unknown field `htp`"),
            (
                "[[source]]\nname = \"a\"\n",
                "c.toml:1:1: missing field `url`",
            ),
            (
                "[http]\ntimeout_secs = \"x\"\n",
                "c.toml:2:16: invalid type: string \"x\", expected u64",
            ),
        ] {
            let message = parse(text, "c.toml").unwrap_err().to_string();
            assert!(message.starts_with(expected), "{message}");
        }
        let config = parse("[[source]]\nname = \"a\"\nurl = \"ftp://x\"\n", "c.toml").unwrap();
        assert_eq!(
            validate(&config, "c.toml").unwrap_err().to_string(),
            "c.toml: source #1 `a`: url `ftp://x` is not http or https"
        );
        let config = parse("[http]\nconcurrency = 0\n", "c.toml").unwrap();
        assert_eq!(
            validate(&config, "c.toml").unwrap_err().to_string(),
            "c.toml: [http] concurrency must be at least 1"
        );
    }
}
