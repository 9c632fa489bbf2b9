//! Every field of the index in one place, and the version that guards it.

use std::path::{Path, PathBuf};

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, INDEXED, STORED, STRING, Schema,
    TEXT,
};

use crate::{Error, Result};

/// Bumped on every change to the fields below; an index built by another version is
/// refused rather than misread.
pub const SCHEMA_VERSION: u32 = 3;

/// Beside tantivy's own files, so that the version travels with the index.
const VERSION_FILE: &str = "newsmon-schema-version";

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) url: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) source: Field,
    pub(crate) published: Field,
    pub(crate) fetched: Field,
    pub(crate) tags: Field,
    pub(crate) lang: Field,
    pub(crate) byline: Field,
    pub(crate) mentions: Field,
    pub(crate) content_hash: Field,
    pub(crate) amount_usd: Field,
    pub(crate) fingerprint: Field,
    pub(crate) cluster: Field,
    /// v3: every money amount of the text, as JSON (`newsmon export` shows them).
    pub(crate) amounts: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let date = DateOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        url: b.add_text_field("url", STRING | STORED),
        title: b.add_text_field("title", TEXT | STORED),
        body: b.add_text_field("body", TEXT | STORED),
        source: b.add_text_field("source", STRING | STORED | FAST),
        // The article's own date; failing that, the feed's; failing that, first fetch.
        published: b.add_date_field("published", date.clone()),
        fetched: b.add_date_field("fetched", date),
        // Facets index every ancestor, so `/tier` finds any key of the kind.
        tags: b.add_facet_field("tags", FacetOptions::default().set_stored()),
        lang: b.add_text_field("lang", STRING | STORED | FAST),
        byline: b.add_text_field("byline", STORED),
        // The mentions with their evidence, as JSON: shown, never searched.
        mentions: b.add_text_field("mentions", STORED),
        content_hash: b.add_text_field("content_hash", STRING | STORED),
        // Every money amount of the article in U.S. dollars (both ends of a range), so
        // that `amount_usd:>=100000000000` filters and a fast field sorts.
        amount_usd: b.add_u64_field("amount_usd", INDEXED | FAST | STORED),
        // The simhash of the text (see newsmon_extractor::fingerprint).
        fingerprint: b.add_u64_field("fingerprint", FAST | STORED),
        // The id (as a number: its 16 hex digits) of the first-seen near-duplicate:
        // copies of one wire story share it, so search can collapse them.
        cluster: b.add_u64_field("cluster", INDEXED | FAST | STORED),
        amounts: b.add_text_field("amounts", STORED),
    };
    (b.build(), fields)
}

/// The newsmon index in one directory.
#[derive(Clone)]
pub struct Index {
    pub(crate) index: tantivy::Index,
    pub(crate) fields: Fields,
    pub(crate) dir: PathBuf,
    /// Made on the first search and shared by clones (see `Index::searcher`).
    pub(crate) reader: std::sync::Arc<std::sync::OnceLock<tantivy::IndexReader>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("dir", &self.dir).finish()
    }
}

impl Index {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    pub fn open_or_create(dir: &Path) -> Result<Index> {
        if !dir.join("meta.json").exists() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                dir: dir.to_path_buf(),
                source,
            })?;
            let (schema, fields) = schema();
            let index =
                tantivy::Index::create_in_dir(dir, schema).map_err(|e| Error::tantivy(dir, e))?;
            std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string()).map_err(
                |source| Error::Io {
                    dir: dir.to_path_buf(),
                    source,
                },
            )?;
            return Ok(Index {
                index,
                fields,
                dir: dir.to_path_buf(),
                reader: Default::default(),
            });
        }
        Index::open(dir)
    }

    /// Opens an existing index in `dir`.
    pub fn open(dir: &Path) -> Result<Index> {
        if !dir.join("meta.json").exists() {
            return Err(Error::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let found = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "(unknown)".to_string());
        if found != SCHEMA_VERSION.to_string() {
            return Err(Error::Incompatible {
                dir: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        // After a `reindex` the path is a link to the live generation (see rebuild.rs).
        // Resolved once here, every file of this Index comes from that one generation,
        // even if a reindex swaps in the next one meanwhile.
        let resolved = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let index = tantivy::Index::open_in_dir(&resolved).map_err(|e| Error::tantivy(dir, e))?;
        let (_, fields) = schema();
        Ok(Index {
            index,
            fields,
            dir: dir.to_path_buf(),
            reader: Default::default(),
        })
    }

    /// The directory of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many documents the index holds (as of the last commit).
    pub fn num_docs(&self) -> Result<u64> {
        let reader = self
            .index
            .reader()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(reader.searcher().num_docs())
    }
}
