use chrono::{DateTime, Utc};
use newsmon_extractor::{Amount, Article, Mention};

/// One article as the index stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The canonical URL: the document's identity (an upsert replaces the same URL).
    pub url: String,
    /// The name of the source it came from.
    pub source: String,
    /// What the extractor read from the page.
    pub article: Article,
    /// What the tagger found in the article's text.
    pub mentions: Vec<Mention>,
    /// Every money amount of the text (the tagger's `amounts`); their U.S. dollar values
    /// are indexed as `amount_usd`.
    pub amounts: Vec<Amount>,
    /// When the page was fetched; the date of an article that gives none.
    pub fetched: DateTime<Utc>,
    /// A hash of the extracted content, to tell an edited article from an unchanged one.
    pub content_hash: String,
}

/// The short, stable id of a document: the first 16 hex digits of the BLAKE3 hash of
/// its canonical URL.
pub fn document_id(url: &str) -> String {
    let hash = blake3::hash(url.as_bytes()).to_hex();
    hash.as_str().get(..16).unwrap_or(hash.as_str()).to_string()
}

/// The cluster number of a document id: its 16 hex digits read as a `u64`.
pub(crate) fn id_number(id: &str) -> u64 {
    u64::from_str_radix(id, 16).unwrap_or_default()
}
