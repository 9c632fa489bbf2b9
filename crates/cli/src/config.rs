//! The configuration file: each crate's config table, composed and loaded here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use newsmon_extractor::{MoneyConfig, Taxonomy};
use newsmon_fetcher::{HttpConfig, ListingSelector};
use newsmon_index::IndexConfig;
use serde::Deserialize;
use url::Url;

/// The shipped default configuration, used when no configuration file is found.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/newsmon.toml");
/// The shipped default taxonomy, used when the configuration names none.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../../config/taxonomy.toml");
/// The embedded configuration's name in messages.
pub const EMBEDDED_CONFIG_NAME: &str = "(embedded default config)";
/// The embedded taxonomy's name in messages.
pub const EMBEDDED_TAXONOMY_NAME: &str = "(embedded default taxonomy)";
/// The shipped concept frames, the embedded taxonomy's companions.
pub const DEFAULT_FRAMES: &str = include_str!("../../../config/frames.toml");
/// The embedded frames' name in messages.
pub const EMBEDDED_FRAMES_NAME: &str = "(embedded default frames)";

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The taxonomy file, relative to the configuration file; the embedded default taxonomy
    /// when absent.
    #[serde(default)]
    pub taxonomy: Option<PathBuf>,
    /// Concept frames (`frames.toml`), relative to the configuration file: keys found by
    /// what a sentence says, for the keys the taxonomy's phrases miss. `false`: off; `true`:
    /// the embedded frames. Absent: the embedded frames with the embedded taxonomy, off
    /// with a taxonomy of one's own (frames name a taxonomy's keys).
    #[serde(default)]
    pub frames: Option<FramesSetting>,
    /// How to fetch.
    #[serde(default)]
    pub http: HttpConfig,
    /// How to index.
    #[serde(default)]
    pub index: IndexConfig,
    /// Exchange rates for the U.S. dollar value of money amounts.
    #[serde(default)]
    pub money: MoneyConfig,
    /// When to poll, commit and stop (`newsmon run`; `ingest` uses the commit interval).
    #[serde(default)]
    pub schedule: ScheduleConfig,
    /// What to poll.
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    /// Saved searches that notify on new matching articles (issue 6; see watch.rs).
    #[serde(default, rename = "watch")]
    pub watches: Vec<crate::watch::WatchConfig>,
    /// Where crawl state lives: SQLite beside the index (default) or a shared PostgreSQL
    /// (issue 11; see crates/store-pg and shared.rs).
    #[serde(default)]
    pub state: newsmon_store_pg::StateConfig,
    /// Prometheus metrics and a health check for `newsmon run` (see metrics.rs).
    #[serde(default)]
    pub metrics: crate::metrics::MetricsConfig,
}

/// The `frames` key: a frames file, or on/off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged, expecting = "a frames file name, or true or false")]
pub enum FramesSetting {
    /// `true`: the embedded frames; `false`: no frames.
    On(bool),
    /// A frames file, relative to the configuration file.
    File(PathBuf),
}

/// One `[[source]]`: where to find articles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A unique name, shown in results.
    pub name: String,
    /// The feed's URL (RSS, Atom or JSON Feed; detected), or a site, sitemap or listing page.
    pub url: String,
    /// What `url` is; detected at the first poll when absent (a `selector` implies `listing`).
    #[serde(default)]
    pub kind: Option<SourceKind>,
    /// For `listing`: the CSS selector of the article links on the page.
    #[serde(default)]
    pub selector: Option<String>,
    /// Minutes between polls of this source; `[schedule] interval_mins` when absent.
    #[serde(default)]
    pub interval_mins: Option<u64>,
}

/// What a source's URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An RSS, Atom or JSON feed.
    Feed,
    /// A site's page that announces its feed with `<link rel="alternate">`.
    Site,
    /// A sitemap or sitemap index, best a Google News sitemap.
    Sitemap,
    /// A section front page; `selector` picks the article links.
    Listing,
}

impl SourceKind {
    /// The name used in the config file and the crawl state.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Site => "site",
            SourceKind::Sitemap => "sitemap",
            SourceKind::Listing => "listing",
        }
    }

    /// The inverse of [`SourceKind::as_str`].
    pub fn parse(text: &str) -> Option<SourceKind> {
        [
            SourceKind::Feed,
            SourceKind::Site,
            SourceKind::Sitemap,
            SourceKind::Listing,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// The `[schedule]` table: how `newsmon run` paces its polls and commits, and how it stops.
///
/// Every key is optional; a missing key takes the default shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleConfig {
    /// Minutes between two polls of a source (a source's own `interval_mins` overrides it).
    /// Must be at least 1.
    ///
    /// Default: `15`.
    pub interval_mins: u64,
    /// Up to this many seconds are added at random to each interval, so that sources
    /// configured together do not poll in lockstep forever.
    ///
    /// Default: `60`.
    pub jitter_secs: u64,
    /// A failing source waits its interval times 2, 4, 8, … after each consecutive failure, but
    /// never longer than this many minutes; one success resets it. Must be at least 1.
    ///
    /// Default: `360` (6 hours).
    pub max_backoff_mins: u64,
    /// The shortest wait between two polls of a source, in seconds, whatever its interval.
    /// A server never shortens the wait (it can only ask for a longer one), so this is a guard
    /// over short per-source intervals. Must be at least 1 and at most `max_interval_mins`.
    ///
    /// Default: `60`.
    pub min_interval_secs: u64,
    /// The longest wait between two polls of a source, in minutes. A server may ask for a
    /// longer wait than the interval (RSS `<ttl>`, `Cache-Control: max-age`, `Expires`, or
    /// `Retry-After` on a 429 or 503 answer), and gets it up to this; the failure backoff stops
    /// here too. Must be at least `interval_mins` and every source's `interval_mins`, and at
    /// most 525600 (a year).
    ///
    /// Default: `1440` (a day).
    pub max_interval_mins: u64,
    /// The longest a new article waits before it is committed and searchable, in seconds (also
    /// during `ingest`). Must be at least 1.
    ///
    /// Default: `30`.
    pub commit_every_secs: u64,
    /// On SIGINT or SIGTERM, fetches in flight get this many seconds to finish before they are
    /// abandoned (they are fetched again next time); then newsmon commits and exits.
    ///
    /// Default: `10`.
    pub shutdown_grace_secs: u64,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            interval_mins: 15,
            jitter_secs: 60,
            max_backoff_mins: 360,
            min_interval_secs: 60,
            max_interval_mins: 1440,
            commit_every_secs: 30,
            shutdown_grace_secs: 10,
        }
    }
}

/// A loaded, validated configuration with its compiled taxonomy.
pub struct Loaded {
    pub config: Config,
    pub taxonomy: Taxonomy,
    /// Parsed source URLs, in `config.sources` order.
    pub urls: Vec<Url>,
    /// Compiled listing selectors, in `config.sources` order.
    pub selectors: Vec<Option<ListingSelector>>,
    /// The concept frames' text and name, when frames are on (see [`frames_source`]).
    pub frames: Option<(String, String)>,
    /// Where the tagger keeps what it checked between runs ([`crate::paths::Paths`]).
    pub cache_dir: Option<std::path::PathBuf>,
    /// The tagger once built: loading builds it to check the frames, and the command
    /// that then asks for it would otherwise compile the taxonomy and the frames again
    /// (most of a short command's start-up with frames on).
    built: std::sync::OnceLock<newsmon_extractor::Tagger>,
}

impl Loaded {
    /// The compiled tagger: the taxonomy, with the concept frames when configured. What
    /// checking its patterns found is kept in the XDG cache dir between runs. Built on
    /// the first call; later calls get clones, which share its compiled patterns.
    pub fn tagger(&self) -> Result<newsmon_extractor::Tagger> {
        if let Some(tagger) = self.built.get() {
            return Ok(tagger.clone());
        }
        let tagger = self.build_tagger()?;
        Ok(self.built.get_or_init(|| tagger).clone())
    }

    fn build_tagger(&self) -> Result<newsmon_extractor::Tagger> {
        // The cache only saves start-up time (the checked and planned patterns); without
        // a home to keep it in, build without it.
        let tagger = match &self.cache_dir {
            Some(dir) => self.taxonomy.build_cached(dir)?,
            None => self.taxonomy.build()?,
        };
        Ok(match &self.frames {
            Some((text, name)) => tagger.with_frames(text, name)?,
            None => tagger,
        })
    }
}

/// Loads the configuration file `path` (see [`crate::paths`] for how it is found), or the
/// embedded default when `None`. With frames on it also builds the tagger, which checks
/// them, for a command that tags; without, the tagger is built on first use.
pub fn load(paths: &crate::paths::Paths) -> Result<Loaded> {
    let loaded = load_settings(paths)?;
    // A bad frames file is a configuration error, found at load time.
    if loaded.frames.is_some() {
        loaded.tagger()?;
    }
    Ok(loaded)
}

/// [`load`] for a command that never tags (`sources`, `db`, `follow`): the frames are
/// checked against the taxonomy but the tagger is not built, which is most of such a
/// command's start-up with frames on. [`Loaded::tagger`] still builds it on demand.
pub fn load_untagged(paths: &crate::paths::Paths) -> Result<Loaded> {
    let loaded = load_settings(paths)?;
    if let Some((text, name)) = &loaded.frames {
        loaded.taxonomy.check_frames(text, name)?;
    }
    Ok(loaded)
}

fn load_settings(paths: &crate::paths::Paths) -> Result<Loaded> {
    let path = paths.config.as_deref();
    let (text, name, base) = match path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => (
                text,
                path.display().to_string(),
                path.parent().map(Path::to_path_buf),
            ),
            Err(err) => bail!("{}: cannot read config: {err}", path.display()),
        },
        None => (
            DEFAULT_CONFIG.to_string(),
            EMBEDDED_CONFIG_NAME.to_string(),
            None,
        ),
    };
    let mut config = parse(&text, &name)?;
    let urls = validate(&config, &name)?;
    // Watches: checked here; their jsonl files are relative to the config file.
    crate::watch::validate(&config.watches, &name)?;
    config.metrics.address(&name)?;
    for watch in &mut config.watches {
        if let (Some(base), Some(path)) = (&base, &mut watch.jsonl) {
            *path = base.join(&*path);
        }
    }
    let selectors = selectors(&config, &name)?;
    let taxonomy = match taxonomy_path(&config, path) {
        Some(path) => Taxonomy::load(&path)?,
        None => Taxonomy::from_toml(DEFAULT_TAXONOMY, EMBEDDED_TAXONOMY_NAME)?,
    };
    let taxonomy = taxonomy.with_money(config.money.clone(), &name)?;
    let frames = match frames_source(&config, path) {
        FramesSource::Off => None,
        FramesSource::Embedded => Some((DEFAULT_FRAMES.to_string(), EMBEDDED_FRAMES_NAME.into())),
        FramesSource::File(file) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read frames", file.display()))?;
            Some((text, file.display().to_string()))
        }
    };
    Ok(Loaded {
        config,
        taxonomy,
        urls,
        selectors,
        frames,
        cache_dir: paths.cache_dir.clone(),
        built: std::sync::OnceLock::new(),
    })
}

/// The taxonomy file a configuration names, relative to the configuration file; `None`:
/// the embedded default (no `taxonomy` key, or the embedded configuration).
pub fn taxonomy_path(config: &Config, config_path: Option<&Path>) -> Option<PathBuf> {
    let base = config_path?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    config.taxonomy.as_ref().map(|t| base.join(t))
}

/// Where a configuration's concept frames come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramesSource {
    /// No frames: the taxonomy's phrases alone.
    Off,
    /// The frames built into newsmon, for the built-in taxonomy.
    Embedded,
    /// A frames file the configuration names.
    File(PathBuf),
}

/// The frames a configuration uses. A file is relative to the configuration file; the
/// embedded configuration's `frames.toml` is the embedded frames, as its `taxonomy.toml` is
/// the embedded taxonomy. Without a `frames` key the frames follow the taxonomy: the
/// embedded ones with the embedded taxonomy, none with a taxonomy of one's own, whose keys
/// the shipped frames do not name.
pub fn frames_source(config: &Config, config_path: Option<&Path>) -> FramesSource {
    match (&config.frames, config_path) {
        (Some(FramesSetting::On(false)), _) => FramesSource::Off,
        (Some(FramesSetting::On(true)), _) | (Some(FramesSetting::File(_)), None) => {
            FramesSource::Embedded
        }
        (Some(FramesSetting::File(file)), Some(path)) => {
            FramesSource::File(path.parent().unwrap_or(Path::new("")).join(file))
        }
        (None, _) if taxonomy_path(config, config_path).is_none() => FramesSource::Embedded,
        (None, _) => FramesSource::Off,
    }
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
    validate_schedule(&config.schedule, name)?;
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
            match source.interval_mins {
                Some(0) => bail!("{place}: interval_mins must be at least 1"),
                Some(mins) if mins > config.schedule.max_interval_mins => bail!(
                    "{place}: interval_mins = {mins} is above [schedule] max_interval_mins = {}",
                    config.schedule.max_interval_mins
                ),
                _ => {}
            }
            match (source.kind, &source.selector) {
                (Some(SourceKind::Listing), None) => {
                    bail!("{place}: kind = \"listing\" needs a `selector` for the article links")
                }
                (Some(kind), Some(_)) if kind != SourceKind::Listing => {
                    bail!(
                        "{place}: `selector` applies to kind = \"listing\" only, not \"{}\"",
                        kind.as_str()
                    )
                }
                _ => {}
            }
            Ok(url)
        })
        .collect()
}

/// The most `max_interval_mins` may be: a year. Longer is no schedule at all, and the date
/// arithmetic stays far from overflowing.
const MAX_INTERVAL_MINS: u64 = 365 * 24 * 60;

fn validate_schedule(schedule: &ScheduleConfig, name: &str) -> Result<()> {
    for (key, value) in [
        ("interval_mins", schedule.interval_mins),
        ("max_backoff_mins", schedule.max_backoff_mins),
        ("commit_every_secs", schedule.commit_every_secs),
        ("min_interval_secs", schedule.min_interval_secs),
        ("max_interval_mins", schedule.max_interval_mins),
    ] {
        if value == 0 {
            bail!("{name}: [schedule] {key} must be at least 1");
        }
    }
    let max = schedule.max_interval_mins;
    if max > MAX_INTERVAL_MINS {
        bail!("{name}: [schedule] max_interval_mins must be at most {MAX_INTERVAL_MINS} (a year)");
    }
    if schedule.interval_mins > max {
        bail!(
            "{name}: [schedule] interval_mins = {} is above max_interval_mins = {max}",
            schedule.interval_mins
        );
    }
    if schedule.min_interval_secs > max.saturating_mul(60) {
        bail!(
            "{name}: [schedule] min_interval_secs = {} is above max_interval_mins = {max} ({} s)",
            schedule.min_interval_secs,
            max * 60
        );
    }
    Ok(())
}

fn selectors(config: &Config, name: &str) -> Result<Vec<Option<ListingSelector>>> {
    config
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            source
                .selector
                .as_deref()
                .map(|css| {
                    ListingSelector::new(css).map_err(|err| {
                        anyhow::anyhow!("{name}: source #{} `{}`: {err}", i + 1, source.name)
                    })
                })
                .transpose()
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
        assert_eq!(config.money, MoneyConfig::default());
        assert_eq!(config.schedule, ScheduleConfig::default());
        assert_eq!(config.taxonomy, Some(PathBuf::from("taxonomy.toml")));
        assert_eq!(
            config.frames,
            Some(FramesSetting::File("frames.toml".into())),
            "frames are on in the shipped config"
        );
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
    fn frames_follow_the_taxonomy_unless_named() {
        let source = |text: &str, path: Option<&str>| {
            frames_source(&parse(text, "c.toml").unwrap(), path.map(Path::new))
        };
        let own = "taxonomy = \"mine.toml\"\n";
        assert_eq!(source("", Some("/c/c.toml")), FramesSource::Embedded);
        assert_eq!(source(own, Some("/c/c.toml")), FramesSource::Off);
        assert_eq!(
            source(&format!("{own}frames = \"f.toml\"\n"), Some("/c/c.toml")),
            FramesSource::File("/c/f.toml".into())
        );
        assert_eq!(
            source("frames = false\n", Some("/c/c.toml")),
            FramesSource::Off
        );
        assert_eq!(
            source("frames = true\n", Some("/c/c.toml")),
            FramesSource::Embedded
        );
        let shipped = parse(DEFAULT_CONFIG, "newsmon.toml").unwrap();
        assert_eq!(frames_source(&shipped, None), FramesSource::Embedded);
        let message = parse("frames = 3\n", "c.toml").unwrap_err().to_string();
        assert!(
            message.starts_with("c.toml:1:10: a frames file name, or true or false"),
            "{message}"
        );
    }

    #[test]
    fn the_embedded_frames_build_over_the_embedded_taxonomy() {
        let taxonomy = Taxonomy::from_toml(DEFAULT_TAXONOMY, "taxonomy.toml").unwrap();
        let tagger = taxonomy.build().unwrap();
        let tagger = tagger
            .with_frames(DEFAULT_FRAMES, EMBEDDED_FRAMES_NAME)
            .unwrap();
        let found = tagger
            .tag("Washington would stand behind the deal with its own guarantee for Ukraine.");
        assert!(
            found.iter().any(|m| m.tag == "tier/us-backstop"),
            "{found:?}"
        );
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
        assert_eq!(taxonomy_path(&config, Some(Path::new("/c/c.toml"))), None);
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
        let config = parse("[schedule]\ncommit_every_secs = 0\n", "c.toml").unwrap();
        assert_eq!(
            validate(&config, "c.toml").unwrap_err().to_string(),
            "c.toml: [schedule] commit_every_secs must be at least 1"
        );
        let config = parse("[http]\nconcurrency = 0\n", "c.toml").unwrap();
        assert_eq!(
            validate(&config, "c.toml").unwrap_err().to_string(),
            "c.toml: [http] concurrency must be at least 1"
        );
    }

    #[test]
    fn sources_take_a_kind_a_selector_and_an_interval() {
        let text = "[schedule]\ninterval_mins = 5\n\
            [[source]]\nname = \"l\"\nurl = \"https://a.example/world/\"\n\
            kind = \"listing\"\nselector = \"article h2 a\"\ninterval_mins = 30\n\
            [[source]]\nname = \"s\"\nurl = \"https://a.example/news.xml\"\nkind = \"sitemap\"\n\
            [[source]]\nname = \"f\"\nurl = \"https://a.example/\"\n";
        let config = parse(text, "c.toml").unwrap();
        assert_eq!(config.schedule.interval_mins, 5);
        assert_eq!(
            config.schedule.commit_every_secs, 30,
            "other keys keep defaults"
        );
        assert_eq!(config.sources[0].kind, Some(SourceKind::Listing));
        assert_eq!(config.sources[0].interval_mins, Some(30));
        assert_eq!(config.sources[1].kind, Some(SourceKind::Sitemap));
        assert_eq!(config.sources[2].kind, None);
        assert_eq!(validate(&config, "c.toml").unwrap().len(), 3);
        assert!(selectors(&config, "c.toml").unwrap()[0].is_some());

        for (text, expected) in [
            (
                "[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\nkind = \"listing\"\n",
                "c.toml: source #1 `l`: kind = \"listing\" needs a `selector`",
            ),
            (
                "[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\nkind = \"feed\"\nselector = \"a\"\n",
                "c.toml: source #1 `l`: `selector` applies to kind = \"listing\" only",
            ),
            (
                "[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\ninterval_mins = 0\n",
                "c.toml: source #1 `l`: interval_mins must be at least 1",
            ),
        ] {
            let config = parse(text, "c.toml").unwrap();
            let message = validate(&config, "c.toml").unwrap_err().to_string();
            assert!(message.starts_with(expected), "{message}");
        }
        let config = parse(
            "[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\nselector = \"a[\"\n",
            "c.toml",
        )
        .unwrap();
        let message = selectors(&config, "c.toml").unwrap_err().to_string();
        assert!(
            message.starts_with("c.toml: source #1 `l`: invalid CSS selector `a[`"),
            "{message}"
        );
        let message = parse(
            "[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\nkind = \"blog\"\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(message.contains("unknown variant `blog`"), "{message}");
    }

    #[test]
    fn the_floor_and_ceiling_of_the_schedule_are_checked_by_key() {
        let config = parse(
            "[schedule]\nmin_interval_secs = 30\nmax_interval_mins = 600\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(
            (
                config.schedule.min_interval_secs,
                config.schedule.max_interval_mins
            ),
            (30, 600)
        );
        validate(&config, "c.toml").unwrap();
        for (text, expected) in [
            (
                "[schedule]\nmin_interval_secs = 0\n",
                "c.toml: [schedule] min_interval_secs must be at least 1",
            ),
            (
                "[schedule]\nmax_interval_mins = 0\n",
                "c.toml: [schedule] max_interval_mins must be at least 1",
            ),
            (
                "[schedule]\nmax_interval_mins = 600000\n",
                "c.toml: [schedule] max_interval_mins must be at most 525600 (a year)",
            ),
            (
                "[schedule]\ninterval_mins = 120\nmax_interval_mins = 60\n",
                "c.toml: [schedule] interval_mins = 120 is above max_interval_mins = 60",
            ),
            (
                "[schedule]\nmin_interval_secs = 7200\nmax_interval_mins = 60\n",
                "c.toml: [schedule] min_interval_secs = 7200 is above max_interval_mins = 60 (3600 s)",
            ),
            (
                "[schedule]\nmax_interval_mins = 60\n[[source]]\nname = \"l\"\nurl = \"https://a.example/\"\ninterval_mins = 90\n",
                "c.toml: source #1 `l`: interval_mins = 90 is above [schedule] max_interval_mins = 60",
            ),
        ] {
            let config = parse(text, "c.toml").unwrap();
            let message = validate(&config, "c.toml").unwrap_err().to_string();
            assert_eq!(message, expected);
        }
        let message = parse("[schedule]\nmin_interval_secs = -5\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("c.toml:2:21: invalid value"),
            "{message}"
        );
    }
}
