//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to [`Feed`] and [`FeedItem`]s.
//!
//! feed-rs does the parsing. This module works around what it gets wrong for a news pipeline:
//! it retries documents feed-rs rejects for a fixable reason (see `repair`), replaces feed-rs's
//! ids (random UUIDs for items without link or id: feed-rs/feed-rs#11, #112, #219) with stable
//! ones, resolves and canonicalises links, and reduces HTML text fields to plain text.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use feed_rs::model;
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use tracing::debug;
use url::Url;

use crate::canonical::canonicalize;
use crate::error::{Error, Result, flatten, one_line};
use crate::repair;
use crate::text::{html_to_text, unescape_text};

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// The feed's title as plain text.
    pub title: Option<String>,
    /// The items, in document order.
    pub items: Vec<FeedItem>,
    /// RSS 2.0 `<ttl>`: minutes the feed may be cached before it is fetched again; without
    /// one, the Syndication module's `sy:updatePeriod` / `sy:updateFrequency`.
    pub ttl_mins: Option<u32>,
}

/// One item (RSS `<item>`, Atom `<entry>`, JSON Feed item) of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// A key for this item that is the same on every poll: the canonical link if there is one,
    /// else the item's own guid or id, else a blake3 hash (hex) of the feed URL and the title.
    pub id: String,
    /// The item's page: absolute (resolved against `xml:base` or the feed URL), canonicalised,
    /// and `http` or `https`. `None` when the item has no such link.
    pub link: Option<Url>,
    /// The title as plain text, HTML entities decoded.
    pub title: Option<String>,
    /// The summary as plain text, or the content's text when there is no summary.
    pub summary: Option<String>,
    /// When the item was published, or else last updated.
    pub published: Option<DateTime<Utc>>,
    /// When the item was last updated.
    pub updated: Option<DateTime<Utc>>,
}

impl FeedItem {
    /// A blake3 hash (hex) of title, summary and update time: when it changes between polls, the
    /// publisher edited the item.
    pub fn fingerprint(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in [
            self.title.as_deref().unwrap_or_default(),
            self.summary.as_deref().unwrap_or_default(),
            &self.updated.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ] {
            // Length-prefixed so that ("ab", "c") and ("a", "bc") differ.
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// Parses a feed document. Pure: nothing is fetched, not even what the document points at.
///
/// `body` must be the raw bytes as served: feed-rs decodes them by BOM and XML declaration, and
/// decoded text would be decoded twice (feed-rs/feed-rs#69). `feed_url` is where the document was
/// fetched from; relative links are resolved against it.
///
/// Documents that feed-rs rejects, or reads as empty, for a common and harmless reason are
/// repaired and parsed again: an `<rss>` root with a missing or unknown version, Atom 0.3 and
/// RSS 0.90 namespaces, UTF-16/UTF-32 bodies, undeclared invalid UTF-8 (replaced by U+FFFD), a
/// bare `&` or a truncated final end tag, an unknown `type` on an Atom text construct, and
/// wrongly typed JSON Feed fields. An `<rss>` without `<channel>` is an empty feed.
///
/// Fails with [`Error::NotFeed`], naming `feed_url` and what is wrong, for anything else.
pub fn parse_feed(body: &[u8], feed_url: &Url) -> Result<Feed> {
    match parse_model(body, feed_url)? {
        Some(parsed) => {
            let mut feed = convert(parsed, feed_url);
            feed.ttl_mins = feed.ttl_mins.or_else(|| syndication::update_minutes(body));
            Ok(feed)
        }
        None => Ok(Feed {
            title: None,
            items: Vec::new(),
            ttl_mins: None,
        }),
    }
}

/// [`parse_feed`] for a document served with `content_type`: its `charset`, when there is one,
/// decides how an XML feed is decoded, over the XML declaration (RFC 7303 §3.2 and the order
/// feedparser uses: BOM, HTTP charset, declaration, UTF-8). A UTF-8 label on bytes that are not
/// UTF-8 is a server default, not a statement about the document, and is ignored.
pub(crate) fn parse_feed_with_charset(
    body: &[u8],
    feed_url: &Url,
    content_type: Option<&str>,
) -> Result<Feed> {
    let label = content_type.and_then(repair::charset_param);
    match label.and_then(|label| repair::http_charset_to_utf8(body, label)) {
        Some(utf8) => parse_feed(&utf8, feed_url),
        None => parse_feed(body, feed_url),
    }
}

/// A repair from `repair` that made feed-rs accept a document it had rejected or read as empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    RssVersion,
    LegacyNamespaces,
    Utf8Lossy,
    XmlSyntax,
    JsonTypes,
    TextType,
    RdfLinks,
    RssChannel,
    Cdf,
    XmlContent,
}

/// How many times feed-rs may see one document: the first try plus one per fix (a document can
/// carry several odd `type` values, each rejected in turn).
const MAX_ATTEMPTS: usize = 10;

/// feed-rs's model of the document; `None` for an `<rss>` document without a `<channel>`, which
/// is an empty feed rather than an error.
///
/// When feed-rs rejects the document, or reads it as empty, for a reason `repair` knows, the
/// repaired document is parsed again. If no repair helps, the error reported is the first one
/// that says something about the document itself.
fn parse_model(body: &[u8], feed_url: &Url) -> Result<Option<model::Feed>> {
    if body.trim_ascii().is_empty() || body.trim_ascii() == b"\xEF\xBB\xBF" {
        return Err(Error::NotFeed {
            url: feed_url.clone(),
            detail: "empty document".into(),
        });
    }
    let transcoded = repair::wide_to_utf8(body).or_else(|| repair::unknown_encoding_to_utf8(body));
    let body = strip_bom_before_json(transcoded.as_deref().unwrap_or(body));
    let mut document = Cow::Borrowed(body);
    let mut fixes: Vec<Fix> = Vec::new();
    let mut reported: Option<String> = None;
    // A feed that parsed but lost items, kept in case the repair meant to recover them fails.
    let mut fallback: Option<model::Feed> = None;
    for _ in 0..MAX_ATTEMPTS {
        let err = match run_feed_rs(&document, feed_url) {
            Ok(feed) => {
                let improvement = improve(&feed, &document, &fixes);
                let Some((fix, patched)) = improvement else {
                    if !fixes.is_empty() {
                        debug!(url = %feed_url, ?fixes, "Repaired a feed that feed-rs rejected.");
                    }
                    return Ok(Some(feed));
                };
                fixes.push(fix);
                document = Cow::Owned(patched);
                if fallback
                    .as_ref()
                    .is_none_or(|kept| kept.entries.len() < feed.entries.len())
                {
                    fallback = Some(feed);
                }
                continue;
            }
            Err(err) => err,
        };
        let no_root = matches!(err, ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot));
        if !no_root && reported.is_none() {
            reported = Some(describe(&err));
        }
        let fix = match &err {
            _ if (no_root || matches!(err, ParseFeedError::XmlReader(_)))
                && !fixes.contains(&Fix::Utf8Lossy)
                && repair::needs_utf8_lossy(&document) =>
            {
                Some((
                    Fix::Utf8Lossy,
                    String::from_utf8_lossy(&document).into_owned().into_bytes(),
                ))
            }
            ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot)
                if repair::root_is_rss(&document) =>
            {
                match repair::rss_version(&document) {
                    Some(patched) if !fixes.contains(&Fix::RssVersion) => {
                        Some((Fix::RssVersion, patched))
                    }
                    // feed-rs answers NoFeedRoot also for an <rss> without <channel>: items
                    // straight under <rss> get one, and an <rss> without items is empty.
                    _ if !repair::contains(&document, b"<channel") => {
                        match repair::rss_channel(&document) {
                            Some(patched) if !fixes.contains(&Fix::RssChannel) => {
                                Some((Fix::RssChannel, patched))
                            }
                            _ => return Ok(None),
                        }
                    }
                    _ => None,
                }
            }
            ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
                repair::cdf_to_rss(&document).map(|patched| (Fix::Cdf, patched))
            }
            ParseFeedError::XmlReader(_) => {
                repair::xml_syntax(&document).map(|patched| (Fix::XmlSyntax, patched))
            }
            ParseFeedError::ParseError(ParseErrorKind::MissingContent { .. }) => {
                repair::xml_content_type(&document).map(|patched| (Fix::XmlContent, patched))
            }
            ParseFeedError::JsonSerde(_) => {
                repair::json_feed(&document).map(|patched| (Fix::JsonTypes, patched))
            }
            ParseFeedError::ParseError(ParseErrorKind::UnknownMimeType { mime, .. }) => {
                repair::text_type(&document, mime).map(|patched| (Fix::TextType, patched))
            }
            _ => None,
        };
        match fix {
            Some((fix, patched)) if fix == Fix::TextType || !fixes.contains(&fix) => {
                fixes.push(fix);
                document = Cow::Owned(patched);
            }
            _ => break,
        }
    }
    if let Some(feed) = fallback {
        return Ok(Some(feed));
    }
    Err(Error::NotFeed {
        url: feed_url.clone(),
        detail: reported.unwrap_or_else(|| no_feed_root(body)),
    })
}

/// A repair for a document that parsed but lost items: Atom 0.3 and RSS 0.90 read as empty
/// (their namespaces are unknown to feed-rs), and RSS 1.0 items without `<link>`, which feed-rs
/// drops although `rdf:about` names the item.
fn improve(feed: &model::Feed, document: &[u8], fixes: &[Fix]) -> Option<(Fix, Vec<u8>)> {
    if feed.entries.is_empty()
        && !fixes.contains(&Fix::LegacyNamespaces)
        && let Some(patched) = repair::legacy_namespaces(document)
    {
        return Some((Fix::LegacyNamespaces, patched));
    }
    if feed.feed_type == model::FeedType::RSS1 && !fixes.contains(&Fix::RdfLinks) {
        return repair::rdf_item_links(document).map(|patched| (Fix::RdfLinks, patched));
    }
    None
}

fn run_feed_rs(body: &[u8], feed_url: &Url) -> std::result::Result<model::Feed, ParseFeedError> {
    let parse = || {
        feed_rs::parser::Builder::new()
            .base_uri(Some(feed_url.as_str()))
            // An empty id marks "the document had none"; `convert` then derives a stable one.
            .id_generator(|_links, _title, _uri| String::new())
            // Wider than feed-rs's own: zone abbreviations, asctime, partial W3C-DTF, rollover.
            .timestamp_parser(crate::dates::parse_date)
            .build()
            .parse(body)
    };
    // feed-rs and quick-xml have panicked on hostile input before (feed-rs#26, #28, and the
    // UTF-16BE case `repair::wide_to_utf8` avoids); one bad feed must not take the run down.
    std::panic::catch_unwind(parse).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ParseFeedError::IoError(std::io::Error::other(format!(
            "feed parser panicked: {}",
            one_line(&what)
        ))))
    })
}

/// serde_json rejects a byte-order mark that feed-rs's format sniffing skips over.
fn strip_bom_before_json(body: &[u8]) -> &[u8] {
    match body.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) if rest.trim_ascii_start().starts_with(b"{") => rest,
        _ => body,
    }
}

fn no_feed_root(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    if head.contains("<html") || head.contains("<!doctype html") {
        "an HTML page, not RSS, Atom or JSON Feed".into()
    } else if head.trim_start().starts_with('{') {
        "JSON without a https://jsonfeed.org/version/1 version".into()
    } else {
        "no RSS, Atom or JSON Feed root element".into()
    }
}

fn describe(err: &ParseFeedError) -> String {
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "no RSS, Atom or JSON Feed root element".into()
        }
        ParseFeedError::JsonSerde(err) => {
            format!("invalid JSON Feed: {}", one_line(&err.to_string()))
        }
        ParseFeedError::JsonUnsupportedVersion(version) => {
            format!("unsupported JSON Feed version {:?}", one_line(version))
        }
        other => flatten(other),
    }
}

fn convert(feed: model::Feed, feed_url: &Url) -> Feed {
    let rss = matches!(
        feed.feed_type,
        model::FeedType::RSS0 | model::FeedType::RSS2
    );
    Feed {
        title: feed.title.as_ref().and_then(text_of),
        items: feed
            .entries
            .into_iter()
            .map(|entry| convert_entry(entry, feed_url, rss))
            .collect(),
        ttl_mins: feed.ttl,
    }
}

fn convert_entry(entry: model::Entry, feed_url: &Url, rss: bool) -> FeedItem {
    let title = entry.title.as_ref().and_then(text_of);
    let summary = entry.summary.as_ref().and_then(text_of).or_else(|| {
        entry
            .content
            .as_ref()
            .and_then(|content| content.body.as_deref())
            .map(html_to_text)
            .filter(|text| !text.is_empty())
    });
    let own_id = entry.id.trim();
    let link = item_link(&entry.links, feed_url).or_else(|| {
        // RSS 2.0: a guid is a permalink unless isPermaLink="false" (which feed-rs does not
        // expose), and a permalink is a full URL: a relative guid such as
        // "brief-2026-01-07" is a name, not an address. Atom ids are never used as links.
        let absolute = Url::parse(own_id.trim()).is_ok();
        if rss && absolute {
            http_url(feed_url, own_id)
        } else {
            None
        }
    });
    let id = match (&link, own_id) {
        (Some(link), _) => link.to_string(),
        (None, id) if !id.is_empty() => id.to_string(),
        (None, _) => {
            let mut hasher = blake3::Hasher::new();
            hasher.update(feed_url.as_str().as_bytes());
            hasher.update(b"\n");
            hasher.update(
                title
                    .as_deref()
                    .or(summary.as_deref())
                    .unwrap_or_default()
                    .as_bytes(),
            );
            hasher.finalize().to_hex().to_string()
        }
    };
    FeedItem {
        id,
        link,
        title,
        summary,
        published: entry.published.or(entry.updated),
        updated: entry.updated,
    }
}

/// The first alternate (or rel-less) http(s) link. Enclosures, `self`, `replies` and the like
/// point elsewhere than the article.
fn item_link(links: &[model::Link], feed_url: &Url) -> Option<Url> {
    links
        .iter()
        .filter(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .filter(|link| {
            link.media_type.is_none() || !link.media_type.as_deref().is_some_and(is_media)
        })
        .find_map(|link| http_url(feed_url, &link.href))
}

fn is_media(media_type: &str) -> bool {
    ["audio/", "video/", "image/"]
        .iter()
        .any(|prefix| media_type.starts_with(prefix))
}

/// `href` resolved against the feed URL (feed-rs already applied `xml:base` for XML feeds; JSON
/// Feed links arrive unresolved), canonicalised, if it is http(s).
fn http_url(feed_url: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = feed_url.join(href).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| canonicalize(&url))
        .filter(|url| url.host().is_some())
}

fn text_of(text: &model::Text) -> Option<String> {
    let plain = if text.content_type.ty() == "text" && text.content_type.subty() == "plain" {
        unescape_text(&text.content)
    } else {
        // feed-rs leaves Atom `type="html"` text escaped; xhtml arrives as markup.
        html_to_text(&text.content)
    };
    (!plain.is_empty()).then_some(plain)
}

mod syndication;
#[cfg(test)]
mod tests;
