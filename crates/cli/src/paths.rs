//! Where newsmon finds its configuration and keeps its index.
//!
//! The configuration: `--config`, else `$NEWSMON_CONFIG`, else `./config/newsmon.toml` (a
//! checkout of the repository), else `newsmon.toml` in the XDG config dir
//! (`$XDG_CONFIG_HOME/newsmon`, by default `~/.config/newsmon`), else the embedded default.
//! The index: `--index`, else `./index` in a checkout, else the XDG data dir
//! (`$XDG_DATA_HOME/newsmon/index`, by default `~/.local/share/newsmon/index`).
//!
//! XDG look-up is a few lines over environment variables, written here rather than taken
//! from a crate: the `dirs`-style crates answer with macOS and Windows conventions on those
//! systems, while newsmon documents one layout everywhere.

use std::path::{Path, PathBuf};

/// The checkout's configuration file, relative to the working directory.
pub const CHECKOUT_CONFIG: &str = "config/newsmon.toml";
/// The checkout's index directory, relative to the working directory.
pub const CHECKOUT_INDEX: &str = "index";
/// The configuration file's name in the XDG config dir.
pub const CONFIG_FILE: &str = "newsmon.toml";

/// How the configuration file was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--config` (or `--index`).
    Flag,
    /// `$NEWSMON_CONFIG`.
    Env,
    /// `./config/newsmon.toml` or `./index`: the working directory is a checkout.
    Checkout,
    /// The XDG config or data dir.
    Xdg,
    /// No file: the configuration built into the binary.
    Embedded,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Flag => "--config/--index",
            Origin::Env => "$NEWSMON_CONFIG",
            Origin::Checkout => "checkout",
            Origin::Xdg => "XDG",
            Origin::Embedded => "embedded",
        }
    }
}

/// The files and directories one run of newsmon uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The configuration file; `None`: the embedded default.
    pub config: Option<PathBuf>,
    pub config_origin: Origin,
    pub index: PathBuf,
    pub index_origin: Origin,
    /// Where `newsmon init` writes by default.
    pub xdg_config_dir: Option<PathBuf>,
    /// What the tagger keeps between runs to start faster (see [`Env::cache_dir`]); `None`
    /// with no home to keep it in.
    pub cache_dir: Option<PathBuf>,
}

/// The environment the look-up reads, apart so that tests need not change the process's.
pub struct Env {
    pub newsmon_config: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
    pub xdg_data_home: Option<PathBuf>,
    pub xdg_cache_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// Whether `./config/newsmon.toml` exists.
    pub checkout: bool,
}

impl Env {
    /// This process's environment and working directory.
    pub fn current() -> Env {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Env {
            newsmon_config: var("NEWSMON_CONFIG"),
            xdg_config_home: var("XDG_CONFIG_HOME"),
            xdg_data_home: var("XDG_DATA_HOME"),
            xdg_cache_home: var("XDG_CACHE_HOME"),
            home: var("HOME"),
            checkout: Path::new(CHECKOUT_CONFIG).is_file(),
        }
    }

    /// `$XDG_CONFIG_HOME/newsmon`, or `~/.config/newsmon`. XDG says a relative value is
    /// to be ignored.
    pub fn config_dir(&self) -> Option<PathBuf> {
        xdg_dir(&self.xdg_config_home, &self.home, ".config")
    }

    /// `$XDG_DATA_HOME/newsmon`, or `~/.local/share/newsmon`.
    pub fn data_dir(&self) -> Option<PathBuf> {
        xdg_dir(&self.xdg_data_home, &self.home, ".local/share")
    }

    /// `$XDG_CACHE_HOME/newsmon`, or `~/.cache/newsmon`: what the tagger keeps between
    /// runs to start faster (see `Taxonomy::build_cached`); deleting it is always safe.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        xdg_dir(&self.xdg_cache_home, &self.home, ".cache")
    }
}

fn xdg_dir(set: &Option<PathBuf>, home: &Option<PathBuf>, fallback: &str) -> Option<PathBuf> {
    let base = match set {
        Some(dir) if dir.is_absolute() => dir.clone(),
        _ => home.as_ref()?.join(fallback),
    };
    Some(base.join("newsmon"))
}

impl Paths {
    /// Resolves the paths from the flags and the environment; `exists` tells whether a
    /// file exists (the XDG config file is used only when it does).
    pub fn resolve(
        config: Option<&Path>,
        index: Option<&Path>,
        env: &Env,
        exists: impl Fn(&Path) -> bool,
    ) -> Paths {
        let xdg_config = env.config_dir().map(|dir| dir.join(CONFIG_FILE));
        let (config, config_origin) = if let Some(path) = config {
            (Some(path.to_path_buf()), Origin::Flag)
        } else if let Some(path) = &env.newsmon_config {
            (Some(path.clone()), Origin::Env)
        } else if env.checkout {
            (Some(PathBuf::from(CHECKOUT_CONFIG)), Origin::Checkout)
        } else if let Some(path) = xdg_config.filter(|p| exists(p)) {
            (Some(path), Origin::Xdg)
        } else {
            (None, Origin::Embedded)
        };
        let (index, index_origin) = match (index, env.data_dir()) {
            (Some(path), _) => (path.to_path_buf(), Origin::Flag),
            (None, Some(data)) if !env.checkout => (data.join("index"), Origin::Xdg),
            // In a checkout, or with no home to speak of: the working directory.
            (None, _) => (PathBuf::from(CHECKOUT_INDEX), Origin::Checkout),
        };
        Paths {
            config,
            config_origin,
            index,
            index_origin,
            xdg_config_dir: env.config_dir(),
            cache_dir: env.cache_dir(),
        }
    }

    /// From the flags and this process's environment.
    pub fn current(config: Option<&Path>, index: Option<&Path>) -> Paths {
        Paths::resolve(config, index, &Env::current(), Path::is_file)
    }

    /// The configuration's name in messages: its path, or `(embedded default config)`.
    pub fn config_name(&self) -> String {
        self.config.as_ref().map_or_else(
            || crate::config::EMBEDDED_CONFIG_NAME.to_string(),
            |p| p.display().to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(checkout: bool) -> Env {
        Env {
            newsmon_config: None,
            xdg_config_home: None,
            xdg_data_home: None,
            xdg_cache_home: None,
            home: Some(PathBuf::from("/home/u")),
            checkout,
        }
    }

    #[test]
    fn flags_win_then_env_then_checkout_then_xdg_then_embedded() {
        let all = |_: &Path| true;
        let none = |_: &Path| false;
        let mut e = env(true);
        e.newsmon_config = Some(PathBuf::from("/etc/n.toml"));
        let p = Paths::resolve(Some(Path::new("a.toml")), Some(Path::new("i")), &e, all);
        assert_eq!(p.config.as_deref(), Some(Path::new("a.toml")));
        assert_eq!(
            (p.config_origin, p.index_origin),
            (Origin::Flag, Origin::Flag)
        );
        let p = Paths::resolve(None, None, &e, all);
        assert_eq!(p.config.as_deref(), Some(Path::new("/etc/n.toml")));
        assert_eq!(p.config_origin, Origin::Env);
        assert_eq!(p.index, Path::new("index"), "a checkout keeps ./index");
        let p = Paths::resolve(None, None, &env(true), all);
        assert_eq!(p.config.as_deref(), Some(Path::new(CHECKOUT_CONFIG)));
        let p = Paths::resolve(None, None, &env(false), all);
        assert_eq!(
            p.config.as_deref(),
            Some(Path::new("/home/u/.config/newsmon/newsmon.toml"))
        );
        assert_eq!(p.index, Path::new("/home/u/.local/share/newsmon/index"));
        let p = Paths::resolve(None, None, &env(false), none);
        assert_eq!((p.config, p.config_origin), (None, Origin::Embedded));
    }

    #[test]
    fn xdg_variables_override_home_unless_relative() {
        let mut e = env(false);
        e.xdg_config_home = Some(PathBuf::from("/x/cfg"));
        e.xdg_data_home = Some(PathBuf::from("relative"));
        let p = Paths::resolve(None, None, &e, |_| true);
        assert_eq!(
            p.config.as_deref(),
            Some(Path::new("/x/cfg/newsmon/newsmon.toml"))
        );
        assert_eq!(p.index, Path::new("/home/u/.local/share/newsmon/index"));
        assert_eq!(e.cache_dir(), Some(PathBuf::from("/home/u/.cache/newsmon")));
        e.xdg_cache_home = Some(PathBuf::from("/x/cache"));
        assert_eq!(e.cache_dir(), Some(PathBuf::from("/x/cache/newsmon")));
        let p = Paths::resolve(None, None, &e, |_| true);
        assert_eq!(p.cache_dir, Some(PathBuf::from("/x/cache/newsmon")));
        e.home = None;
        e.xdg_config_home = None;
        let p = Paths::resolve(None, None, &e, |_| true);
        assert_eq!(p.config_origin, Origin::Embedded);
        assert_eq!(p.index, Path::new("index"));
    }
}
