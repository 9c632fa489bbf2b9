//! What checking and planning a taxonomy's patterns found, kept on disk between runs.
//!
//! Building a tagger checks the syntax of every pattern of the taxonomy (hundreds, each
//! parsed with its Unicode classes case-folded) and planning extracts each touched
//! branch's literals: deterministic work that a short command (`newsmon tag` on one
//! line) repeats on every start. [`crate::Taxonomy::build_cached`] keeps its result in a
//! file of the cache dir, one per taxonomy (named by a hash of its patterns), so that a
//! warm start neither parses nor extracts.
//!
//! The file is only ever a shortcut. Entries are looked up by the pattern's whole text
//! and hold only patterns that passed the check, so a stale file (another taxonomy, an
//! edited one) merely misses; a file of another version of this crate, or one whose
//! checksum fails (truncated, corrupt), is ignored whole; one that cannot be read or
//! written costs the time it would have saved and nothing else. A pattern it does not
//! hold is checked as without it, so a bad pattern is reported exactly as before.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lazy::{Known, Planned, check};

/// Written in every file; a file of another version is not read.
const VERSION: &str = concat!(
    "newsmon-extractor ",
    env!("CARGO_PKG_VERSION"),
    " patterns 3"
);

/// The planned patterns of one taxonomy, with where they are kept.
#[derive(Debug)]
pub(crate) struct PatternCache {
    path: Option<PathBuf>,
    entries: HashMap<String, Planned>,
    /// Entries were added since the file was read: worth writing back.
    dirty: bool,
}

/// The file's shape.
#[derive(Serialize, Deserialize)]
struct File {
    version: String,
    /// [`checksum`] of `entries` as serialised: catches a damaged file that still parses.
    checksum: u64,
    entries: String,
}

impl PatternCache {
    /// A cache that neither reads nor writes: every pattern is checked.
    pub(crate) fn none() -> PatternCache {
        PatternCache {
            path: None,
            entries: HashMap::new(),
            dirty: false,
        }
    }

    /// The cache of the taxonomy whose patterns are `patterns`, in `dir`; empty when its
    /// file is missing, of another version, or damaged.
    pub(crate) fn open<'a>(dir: &Path, patterns: impl Iterator<Item = &'a str>) -> PatternCache {
        let path = dir.join(format!("patterns-{:016x}.json", key(patterns)));
        let entries = read(&path).unwrap_or_default();
        PatternCache {
            path: Some(path),
            entries,
            dirty: false,
        }
    }

    /// What the tagger knows of `pattern` once checked: its plan, from the file or
    /// computed now (and kept) with a cache dir; its parse, planned only when a text
    /// touches it, without one. The error is [`check`]'s.
    pub(crate) fn known(&mut self, pattern: &str) -> Result<Known, String> {
        if self.path.is_none() {
            return check(pattern).map(Known::Parsed);
        }
        self.plan(pattern).map(Known::Planned)
    }

    /// What the tagger knows of a phrase's regex that has no words to gate it by (a phrase
    /// in Cyrillic, say): its plan with a cache dir, nothing (it is planned when a text
    /// touches it) without one.
    pub(crate) fn unworded(&mut self, regex: &str) -> Known {
        match self.path {
            Some(_) => self.plan(regex).map_or(Known::Nothing, Known::Planned),
            None => Known::Nothing,
        }
    }

    /// Checks `pattern` (or finds that it passed before) and plans it; the error is
    /// [`check`]'s.
    pub(crate) fn plan(&mut self, pattern: &str) -> Result<Planned, String> {
        if let Some(planned) = self.entries.get(pattern) {
            return Ok(planned.clone());
        }
        let planned = Planned::of(pattern, &check(pattern)?);
        if self.path.is_some() {
            self.entries.insert(pattern.to_string(), planned.clone());
            self.dirty = true;
        }
        Ok(planned)
    }

    /// Writes the entries back when there are new ones. Failing is not an error: the
    /// next run checks again.
    pub(crate) fn save(&self) {
        if let (Some(path), true) = (&self.path, self.dirty) {
            let _ = write(path, &self.entries);
        }
    }
}

/// Names a taxonomy's file: the same patterns, the same file. (`DefaultHasher` may change
/// between Rust releases; then the file is merely not found.)
fn key<'a>(patterns: impl Iterator<Item = &'a str>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    VERSION.hash(&mut hasher);
    for pattern in patterns {
        pattern.hash(&mut hasher);
    }
    hasher.finish()
}

fn checksum(entries: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    entries.hash(&mut hasher);
    hasher.finish()
}

fn read(path: &Path) -> Option<HashMap<String, Planned>> {
    let text = std::fs::read_to_string(path).ok()?;
    let file: File = serde_json::from_str(&text).ok()?;
    if file.version != VERSION || file.checksum != checksum(&file.entries) {
        return None;
    }
    serde_json::from_str(&file.entries).ok()
}

/// Writes to a temporary file and renames it over the old: a reader sees the old file or
/// the new one, never half of one.
fn write(path: &Path, entries: &HashMap<String, Planned>) -> std::io::Result<()> {
    let entries = serde_json::to_string(entries)?;
    let file = File {
        version: VERSION.to_string(),
        checksum: checksum(&entries),
        entries,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&file)?)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: [&str; 3] = [r"\bukrain\w*.{0,80}\b90 mld eur", r"\bkyiv\w*", "a?"];

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "newsmon-pattern-cache-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn open(dir: &Path) -> PatternCache {
        PatternCache::open(dir, PATTERNS.iter().copied())
    }

    /// Plans every pattern and saves; the plans as computed without a cache.
    fn fill(dir: &Path) -> Vec<Planned> {
        let mut cache = open(dir);
        let planned = PATTERNS.map(|p| cache.plan(p).unwrap()).to_vec();
        cache.save();
        planned
    }

    fn fresh() -> Vec<Planned> {
        PATTERNS
            .map(|p| Planned::of(p, &check(p).unwrap()))
            .to_vec()
    }

    #[test]
    fn a_warm_cache_gives_what_checking_and_planning_give() {
        let dir = temp_dir("warm");
        assert_eq!(fill(&dir), fresh());
        let warm = open(&dir);
        assert_eq!(warm.entries.len(), PATTERNS.len(), "read back");
        assert!(!warm.dirty);
        let mut warm = warm;
        let again: Vec<Planned> = PATTERNS.map(|p| warm.plan(p).unwrap()).to_vec();
        assert_eq!(again, fresh());
        assert!(!warm.dirty, "nothing new: not written again");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bad_pattern_is_reported_and_never_kept() {
        let dir = temp_dir("bad");
        let mut cache = open(&dir);
        assert_eq!(cache.plan("(unclosed").unwrap_err(), "unclosed group");
        assert!(cache.entries.is_empty());
        cache.save();
        assert!(!dir.exists(), "nothing new, nothing written");
        let mut none = PatternCache::none();
        assert!(none.plan("(unclosed").is_err());
        assert_eq!(none.plan(PATTERNS[1]).unwrap(), fresh()[1]);
        assert!(none.entries.is_empty(), "`none` keeps nothing");
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored_and_rewritten() {
        let dir = temp_dir("damaged");
        fill(&dir);
        let path = open(&dir).path.unwrap();
        let good = std::fs::read_to_string(&path).unwrap();
        // Truncated; not JSON; another version; entries altered under an old checksum.
        let mut file: File = serde_json::from_str(&good).unwrap();
        file.version = "newsmon-extractor 0.0.0 patterns 1".into();
        let foreign = serde_json::to_string(&file).unwrap();
        let tampered = good.replacen("true", "false", 1);
        assert_ne!(tampered, good);
        for bad in [&good[..good.len() / 2], "not json", &foreign, &tampered] {
            std::fs::write(&path, bad).unwrap();
            let mut cache = open(&dir);
            assert!(cache.entries.is_empty(), "ignored: {bad:.40}");
            let planned: Vec<Planned> = PATTERNS.map(|p| cache.plan(p).unwrap()).to_vec();
            assert_eq!(planned, fresh(), "computed instead");
            cache.save();
            assert_eq!(open(&dir).entries.len(), PATTERNS.len(), "rewritten whole");
        }
        // Another taxonomy: another file; this one's entries are not mixed in.
        let other = PatternCache::open(&dir, [r"\bparis\b"].into_iter());
        assert_ne!(other.path, open(&dir).path);
        assert!(other.entries.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unwritable_dir_costs_nothing_but_time() {
        let dir = temp_dir("unwritable");
        // A file where the directory should be: neither readable as a dir nor creatable.
        std::fs::write(&dir, "a file").unwrap();
        let mut cache = open(&dir);
        let planned: Vec<Planned> = PATTERNS.map(|p| cache.plan(p).unwrap()).to_vec();
        assert_eq!(planned, fresh());
        cache.save(); // must not panic or fail
        assert!(dir.is_file());
        std::fs::remove_file(&dir).unwrap();
    }
}
