//! Rebuilding the index beside the live one, then swapping it in at once.
//!
//! The live path (`index/tantivy`) becomes a symbolic link to a generation directory
//! (`index/tantivy.<n>`). A rebuild writes the next generation, then renames a new link
//! over the live one: `rename(2)` replaces it atomically, so a search opens either the old
//! index or the new one, never a mix. The first rebuild of an index that is still a plain
//! directory exchanges it with the new link in one `renameat2(RENAME_EXCHANGE)` on Linux,
//! atomic too; elsewhere it moves the directory aside first, and for that one rename a
//! search finds no index and says so. [`crate::Index::open`] resolves the link once,
//! so a search reads one generation throughout. The previous generation is kept (a search
//! may still be reading it) and removed by the next rebuild.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tantivy::schema::Value;
use tantivy::{IndexWriter, TantivyDocument};

use crate::{Error, Result};

/// A document of the old index, whatever its schema version: the fields a rebuild needs.
#[derive(Debug, Clone, PartialEq)]
pub struct OldDocument {
    /// The canonical URL (the document key).
    pub url: String,
    /// The source's name.
    pub source: String,
    /// The headline.
    pub title: Option<String>,
    /// The article text.
    pub text: String,
    /// The publication date.
    pub published: Option<DateTime<Utc>>,
    /// When it was fetched.
    pub fetched: Option<DateTime<Utc>>,
    /// The language code.
    pub language: Option<String>,
    /// The author line.
    pub byline: Option<String>,
}

/// The documents of an old index, in the order a rebuild adds them (see
/// [`Rebuild::documents`]); documents without a URL are skipped.
pub struct OldDocuments {
    /// url, source, title, body, published, fetched, lang, byline: by name, since the
    /// old index may be of another schema version.
    fields: [Option<tantivy::schema::Field>; 8],
    searcher: tantivy::Searcher,
    order: std::vec::IntoIter<(i64, tantivy::DocAddress)>,
    live: PathBuf,
}

impl OldDocuments {
    /// How many documents are left (an upper bound: URL-less ones are skipped).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is left.
    pub fn is_empty(&self) -> bool {
        self.order.len() == 0
    }
}

impl Iterator for OldDocuments {
    type Item = Result<OldDocument>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (_, address) = self.order.next()?;
            let doc: TantivyDocument = match self.searcher.doc(address) {
                Ok(doc) => doc,
                Err(e) => return Some(Err(Error::tantivy(&self.live, e))),
            };
            let [url, source, title, body, published, fetched, lang, byline] = self.fields;
            let text = |f: Option<tantivy::schema::Field>| {
                f.and_then(|f| doc.get_first(f))
                    .and_then(|v| v.as_str().map(str::to_string))
                    .filter(|s| !s.is_empty())
            };
            let date = |f: Option<tantivy::schema::Field>| {
                f.and_then(|f| doc.get_first(f))
                    .and_then(|v| v.as_datetime())
                    .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
            };
            let Some(doc_url) = text(url) else { continue };
            return Some(Ok(OldDocument {
                url: doc_url,
                source: text(source).unwrap_or_default(),
                title: text(title),
                text: text(body).unwrap_or_default(),
                published: date(published),
                fetched: date(fetched),
                language: text(lang),
                byline: text(byline),
            }));
        }
    }
}

/// An old index held against writers while its replacement is built.
pub struct Rebuild {
    live: PathBuf,
    old: tantivy::Index,
    // Held until the swap: `ingest` and `run` stop with "another newsmon is writing".
    _lock: IndexWriter,
    next: PathBuf,
}

impl Rebuild {
    /// Takes the writer lock of the index at `live` (of any schema version) and names the
    /// directory the new generation goes to.
    pub fn start(live: &Path) -> Result<Rebuild> {
        if !live.join("meta.json").exists() {
            return Err(Error::Missing {
                dir: live.to_path_buf(),
            });
        }
        let resolved = std::fs::canonicalize(live).unwrap_or_else(|_| live.to_path_buf());
        let old = tantivy::Index::open_in_dir(&resolved).map_err(|e| Error::tantivy(live, e))?;
        let lock = old
            .writer_with_num_threads(1, 15_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    dir: live.to_path_buf(),
                },
                other => Error::tantivy(live, other),
            })?;
        let stamp = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let next = generation(live, &stamp.to_string());
        Ok(Rebuild {
            live: live.to_path_buf(),
            old,
            _lock: lock,
            next,
        })
    }

    /// Where to build the new index.
    pub fn next_dir(&self) -> &Path {
        &self.next
    }

    /// Every document of the old index, first fetched first (so that a near-duplicate is
    /// clustered under the copy seen first, as at ingest). Read one at a time as iterated:
    /// only (fetched, address) pairs are held, never the corpus.
    pub fn documents(&self) -> Result<OldDocuments> {
        let err = |e| Error::tantivy(&self.live, e);
        let reader = self.old.reader().map_err(err)?;
        let searcher = reader.searcher();
        let mut order = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            // A field missing from an old schema reads as no date.
            let fetched = segment.fast_fields().date("fetched").ok();
            for doc_id in segment.doc_ids_alive() {
                let at = fetched
                    .as_ref()
                    .and_then(|c| c.first(doc_id))
                    .map_or(i64::MIN, |d| d.into_timestamp_secs());
                order.push((at, tantivy::DocAddress::new(ord as u32, doc_id)));
            }
        }
        order.sort_unstable();
        let schema = self.old.schema();
        let field = |name: &str| schema.get_field(name).ok();
        Ok(OldDocuments {
            fields: [
                "url",
                "source",
                "title",
                "body",
                "published",
                "fetched",
                "lang",
                "byline",
            ]
            .map(field),
            searcher,
            order: order.into_iter(),
            live: self.live.clone(),
        })
    }

    /// Makes the new generation live, atomically where the live path is already a link.
    pub fn swap(self) -> Result<()> {
        let io = |dir: &Path| {
            let dir = dir.to_path_buf();
            move |source| Error::Io { dir, source }
        };
        let parent = self.live.parent().unwrap_or(Path::new("."));
        let name = self.next.file_name().map(PathBuf::from).unwrap_or_default();
        let link = generation(&self.live, "swap");
        let _ = std::fs::remove_file(&link);
        symlink(&name, &link).map_err(io(&link))?;
        let previous = std::fs::read_link(&self.live).ok();
        if previous.is_none() {
            // A plain directory: where the system can, swap it with the new link in one
            // step (the old directory lands on the link's name) and move it aside after;
            // elsewhere, move it aside first (for that one rename, no index is there).
            let aside = generation(&self.live, "0");
            if exchange(&link, &self.live).is_ok() {
                std::fs::rename(&link, &aside).map_err(io(&link))?;
            } else {
                std::fs::rename(&self.live, &aside).map_err(io(&self.live))?;
                std::fs::rename(&link, &self.live).map_err(io(&self.live))?;
            }
        } else {
            std::fs::rename(&link, &self.live).map_err(io(&self.live))?;
        }
        // Older generations than the one just replaced are no longer read by anyone; that
        // one may still be, by a search that resolved the link before the swap.
        let replaced = previous.unwrap_or_else(|| PathBuf::from(generation_name(&self.live, "0")));
        let keep = [name, replaced];
        let prefix = generation_name(&self.live, "");
        if let Ok(entries) = std::fs::read_dir(parent) {
            for entry in entries.flatten() {
                let file = PathBuf::from(entry.file_name());
                let is_generation = file.to_str().is_some_and(|f| f.starts_with(&prefix));
                if is_generation && !keep.contains(&file) && entry.path().is_dir() {
                    // A leftover costs disk only; the next rebuild tries again.
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        Ok(())
    }
}

fn generation_name(live: &Path, suffix: &str) -> String {
    let base = live
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("tantivy");
    format!("{base}.{suffix}")
}

fn generation(live: &Path, suffix: &str) -> PathBuf {
    live.with_file_name(generation_name(live, suffix))
}

/// Swaps two paths atomically (`renameat2(RENAME_EXCHANGE)`, Linux 3.15 and later).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "reindex swaps the index with a symbolic link, which needs a Unix system",
    ))
}
