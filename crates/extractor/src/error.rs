use std::path::PathBuf;

/// Everything that can go wrong while extracting or tagging.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input holds no article text (empty, binary, all script, ...).
    #[error("{what}: no article found")]
    NoArticle {
        /// The input: a URL, a file name or `-`.
        what: String,
    },
    /// The taxonomy file could not be read.
    #[error("{}: cannot read taxonomy: {source}", path.display())]
    TaxonomyRead {
        /// The taxonomy file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The taxonomy is not valid TOML, or breaks a rule of the format.
    #[error("{path}:{line}:{column}: {message}")]
    TaxonomySyntax {
        /// The taxonomy file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A key of the taxonomy is invalid (a bad regex, no phrasing, ...).
    #[error("{path}: [{key}] {message}")]
    TaxonomyKey {
        /// The taxonomy file.
        path: String,
        /// The key, as `kind.key`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A table of the configuration file that this crate reads is invalid.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file.
        path: String,
        /// What is wrong, naming the table and key.
        message: String,
    },
}

/// A `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
