use std::path::PathBuf;

/// Everything that can go wrong with the index.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists in the directory.
    #[error("{}: no index here; run `newsmon ingest` first", dir.display())]
    Missing {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index was built by a different schema version.
    #[error("{}: index built by schema v{found}, this newsmon needs v{expected}; run `newsmon reindex`", dir.display())]
    Incompatible {
        /// The index directory.
        dir: PathBuf,
        /// The version found on disk.
        found: String,
        /// The version this build needs.
        expected: u32,
    },
    /// Another process holds the writer lock.
    #[error("{}: another newsmon is writing to this index", dir.display())]
    Locked {
        /// The index directory.
        dir: PathBuf,
    },
    /// The query could not be parsed.
    #[error("invalid query `{query}`: {message}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong, and where.
        message: String,
    },
    /// A filter is invalid (a malformed tag, say).
    #[error("invalid filter: {0}")]
    Filter(String),
    /// Reading or writing the index directory failed.
    #[error("{}: {source}", dir.display())]
    Io {
        /// The index directory.
        dir: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// tantivy failed.
    #[error("{}: index error: {message}", dir.display())]
    Tantivy {
        /// The index directory.
        dir: PathBuf,
        /// tantivy's message, on one line.
        message: String,
    },
}

impl Error {
    pub(crate) fn tantivy(dir: &std::path::Path, err: impl std::fmt::Display) -> Error {
        Error::Tantivy {
            dir: dir.to_path_buf(),
            message: err
                .to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// A `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
