use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Amount;

/// What newsmon read from one page: the article's own text and its metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The headline, without the site's suffix.
    pub title: Option<String>,
    /// The author line, as the page gives it.
    pub byline: Option<String>,
    /// When the article was first published.
    pub published: Option<DateTime<Utc>>,
    /// When the article was last modified.
    pub modified: Option<DateTime<Utc>>,
    /// The outlet's name.
    pub site_name: Option<String>,
    /// The page's own `rel=canonical` URL, if it declares one.
    pub canonical_url: Option<String>,
    /// ISO 639-1 code (`en`, `fr`, `uk`, ...) where known, else ISO 639-3.
    pub language: Option<String>,
    /// The page's summary (`og:description` and the like).
    pub description: Option<String>,
    /// The article text: paragraphs separated by blank lines.
    pub text: String,
}

/// One taxonomy key found in a text, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The tag, `kind/key` (for example `tier/us-backstop`).
    pub tag: String,
    /// The sentence holding the first match.
    pub evidence: String,
    /// The words that matched, as written.
    pub matched: String,
    /// Byte offset of the first match in the tagged text.
    pub start: usize,
    /// Byte offset just past the first match in the tagged text.
    pub end: usize,
    /// How many times the key matched in the text.
    pub count: usize,
    /// The money amounts in the sentences where the key matched, for keys with
    /// `amounts = true` in the taxonomy (the funding keys); in text order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amounts: Vec<Amount>,
}
