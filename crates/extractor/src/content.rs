//! Page to [`Article`]: main-content extraction and metadata.
//!
//! The main content comes from `dom_smoothie`, a close port of Mozilla Readability
//! (the reader view of Firefox), chosen in DEPENDENCIES.md for sharing html5ever with
//! the rest of the build. Metadata it does not give (the canonical URL, `<time>`
//! elements) is read from the same parsed document, so each page is parsed once.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dom_query::Document;
use dom_smoothie::{Config, ParsePolicy, Readability, ReadabilityError, TextMode};

use crate::boilerplate::{self, Dropped};
use crate::language::detect_language;
use crate::markup;
use crate::{Article, Error, Result, decode};

/// Pages with more elements than this are not scored: Readability's cost grows with the
/// element count, and no news article needs this many. Such pages are read as text.
const MAX_ELEMENTS: usize = 60_000;
/// Pages nested deeper than this are read as text, never parsed into a tree: see
/// [`crate::markup`]. Real pages nest a few dozen levels, broken ones a few hundred.
const MAX_NESTING: usize = 2_000;

/// Turns fetched bytes (HTML or plain text, any charset) into an [`Article`].
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    _private: (),
}

impl Extractor {
    /// An extractor with the default settings.
    pub fn new() -> Extractor {
        Extractor { _private: () }
    }

    /// Extracts the article from raw bytes: decodes them (see [`decode`]), tells HTML from
    /// plain text by content, and dispatches to [`Extractor::extract_html`] or
    /// [`Extractor::extract_text`]. `url` names the input in errors and resolves relative
    /// links; `content_type` is the HTTP header, if any.
    pub fn extract(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Article> {
        self.explain(bytes, url, content_type).map(|e| e.article)
    }

    /// Like [`Extractor::extract`], and also lists what the boilerplate stage left out of
    /// the article and why: the parts of a page a user may find missing.
    pub fn explain(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Explained> {
        let text = decode(bytes, content_type);
        if markup::looks_like_html(&text) {
            self.explain_html(&text, url)
        } else {
            Ok(Explained {
                article: self.extract_text(&text, url)?,
                dropped: Vec::new(),
            })
        }
    }

    /// Extracts the main article and its metadata from an HTML page.
    pub fn extract_html(&self, html: &str, url: Option<&str>) -> Result<Article> {
        self.explain_html(html, url).map(|e| e.article)
    }

    fn explain_html(&self, html: &str, url: Option<&str>) -> Result<Explained> {
        let what = || url.unwrap_or("input").to_string();
        let prepared = markup::prepare(html);
        if prepared.depth > MAX_NESTING {
            return self.extract_markup_as_text(html, url).map(Explained::whole);
        }
        let document = Document::from(prepared.html.as_str());
        boilerplate::mark_furniture(&document);
        // Metadata lives in <head>: searching it alone keeps these lookups off the page's
        // (much larger) body.
        let head = document.select_single("head");
        let canonical_url = attr(&head, "link[rel=canonical]", "href");
        let description = attr(&head, "meta[property='og:description']", "content")
            .or_else(|| attr(&head, "meta[name=description]", "content"));
        // A whole-document selector costs a full walk; most pages have no <time> at all.
        let time_element = if prepared.html.contains("<time") {
            attr(
                &document.select_single("body"),
                "article time[datetime], time[datetime]",
                "datetime",
            )
        } else {
            None
        };
        let config = Config {
            text_mode: TextMode::Formatted,
            // The boilerplate stage reads class words; Readability would strip them.
            keep_classes: true,
            max_elements_to_parse: MAX_ELEMENTS,
            ..Config::default()
        };
        let absolute_url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        let strict = Readability::with_document(document, absolute_url, Some(config.clone()))
            .map_err(|_| Error::NoArticle { what: what() })?
            .parse_with_policy(ParsePolicy::Strict);
        // `parse` retries with looser policies when the strict pass finds too little text,
        // cloning the whole DOM before every pass. One strict pass is the same first step
        // without the clone; only pages where it falls short pay for the retries.
        let parsed = match strict {
            Ok(parsed) if parsed.length >= config.char_threshold => Ok(parsed),
            Err(ReadabilityError::TooManyElements(..)) => {
                return self.extract_markup_as_text(html, url).map(Explained::whole);
            }
            _ => {
                let document = Document::from(prepared.html.as_str());
                boilerplate::mark_furniture(&document);
                Readability::with_document(document, absolute_url, Some(config))
                    .map_err(|_| Error::NoArticle { what: what() })?
                    .parse()
            }
        };
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(ReadabilityError::TooManyElements(..)) => {
                return self.extract_markup_as_text(html, url).map(Explained::whole);
            }
            Err(_) => {
                return match second_opinion(&prepared.html, "") {
                    Some((cleaned, dropped)) => self
                        .extract_text(&cleaned, url)
                        .map(|article| Explained { article, dropped }),
                    None => Err(Error::NoArticle { what: what() }),
                };
            }
        };
        let (mut cleaned, mut dropped) = boilerplate::clean(&parsed.content);
        let size = boilerplate::text_size(&cleaned);
        if size < SECOND_OPINION_BELOW
            && let Some((other, other_dropped)) = second_opinion(&prepared.html, &cleaned)
        {
            dropped = std::iter::once(Dropped {
                text: normalize_text(&cleaned).replace("\n\n", " "),
                reason: boilerplate::Reason::SecondOpinion,
            })
            .chain(other_dropped)
            .collect();
            cleaned = other;
        }
        let text = normalize_text(&cleaned);
        if text.is_empty() {
            return Err(Error::NoArticle { what: what() });
        }
        let language = parsed
            .lang
            .as_deref()
            .and_then(language_from_tag)
            .or_else(|| detect_language(&text));
        let article = Article {
            title: non_empty(&parsed.title),
            byline: parsed.byline.as_deref().and_then(non_empty),
            published: parsed
                .published_time
                .as_deref()
                .and_then(parse_date)
                .or_else(|| time_element.as_deref().and_then(parse_date))
                .or_else(|| url.and_then(date_from_url)),
            modified: parsed.modified_time.as_deref().and_then(parse_date),
            site_name: parsed.site_name.as_deref().and_then(non_empty),
            canonical_url: canonical_url.or(parsed.url),
            language,
            description: description
                .or(parsed.excerpt)
                .as_deref()
                .and_then(non_empty),
            text,
        };
        Ok(Explained { article, dropped })
    }

    /// The fallback for pages too large or too deep for the DOM path: all visible text,
    /// titled by `<title>`.
    fn extract_markup_as_text(&self, html: &str, url: Option<&str>) -> Result<Article> {
        let text = markup::visible_text(html);
        let mut article = self.extract_text(&text, url)?;
        article.title = markup::title(html).or(article.title);
        Ok(article)
    }

    /// Wraps plain text as an article: the first line is its title when it reads like
    /// a headline (short, no final full stop).
    pub fn extract_text(&self, text: &str, url: Option<&str>) -> Result<Article> {
        let text = normalize_text(text);
        if text.is_empty() {
            return Err(Error::NoArticle {
                what: url.unwrap_or("input").to_string(),
            });
        }
        let first_line = text.lines().next().unwrap_or_default().trim();
        let title = (first_line.chars().count() <= 150
            && !first_line.ends_with(['.', '!', '?', ':'])
            && text.len() > first_line.len())
        .then(|| first_line.to_string());
        Ok(Article {
            title,
            language: detect_language(&text),
            text,
            ..Article::default()
        })
    }
}

/// Under this many characters of text, Readability's pick is checked against the block
/// with the most paragraph text: a short pick is often a promotion box beside the article.
const SECOND_OPINION_BELOW: usize = 1500;

/// A line this long is a paragraph of prose, not a label, promotion or link.
const MIN_PARAGRAPH_WORDS: usize = 20;

/// The densest block of the page, cleaned, when it holds at least twice the text of
/// Readability's pick (`size` characters).
fn second_opinion(html: &str, first: &str) -> Option<(String, Vec<Dropped>)> {
    let block = boilerplate::densest_block(html)?;
    let (text, dropped) = boilerplate::clean(&block);
    let (size, other) = (boilerplate::text_size(first), boilerplate::text_size(&text));
    // A block that holds the pick's text agrees with it, only with more around it; and a
    // pick with a real paragraph is an article, whatever is bigger elsewhere.
    let prose = |t: &str| {
        t.lines()
            .map(|l| l.split_whitespace().count())
            .max()
            .unwrap_or(0)
    };
    (other * 10 >= 13 * size.max(100)
        && prose(first) < MIN_PARAGRAPH_WORDS
        && prose(&text) >= MIN_PARAGRAPH_WORDS
        && !boilerplate::contains_most_of(&text, first))
    .then_some((text, dropped))
}

/// An article with the parts of its page that the boilerplate stage left out.
#[derive(Debug, Clone, Default)]
pub struct Explained {
    /// The article, as [`Extractor::extract`] gives it.
    pub article: Article,
    /// What was in the main content but is not the article, in page order.
    pub dropped: Vec<Dropped>,
}

impl Explained {
    fn whole(article: Article) -> Explained {
        Explained {
            article,
            dropped: Vec::new(),
        }
    }
}

fn attr(scope: &dom_query::Selection<'_>, selector: &str, name: &str) -> Option<String> {
    scope
        .select_single(selector)
        .attr(name)
        .and_then(|v| non_empty(&v))
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Paragraphs separated by one blank line, lines trimmed, runs of spaces collapsed, and
/// control characters (NUL from broken pages) dropped before they reach the index.
pub(crate) fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty());
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

/// A date in an article's URL path, as many outlets write it: `/2026/01/06/`,
/// `/2026-01-06-slug`, `/20260106/`. A last resort after the page's own metadata.
fn date_from_url(url: &str) -> Option<DateTime<Utc>> {
    static PATTERN: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let pattern = PATTERN
        .get_or_init(|| {
            regex::Regex::new(
                r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)",
            )
            .ok()
        })
        .as_ref()?;
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let captures = pattern.captures(path)?;
    let number = |i: usize| captures.get(i)?.as_str().parse::<u32>().ok();
    let year = i32::try_from(number(1)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(2)?, number(3)?)?
        .and_hms_opt(0, 0, 0)
        .map(|dt| dt.and_utc())
}

/// `en-GB` → `en`; the language tag of `<html lang>`.
fn language_from_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// Parses a date as pages write them in metadata: RFC 3339, ISO 8601 with or without a
/// zone (none is taken as UTC), with a space for the `T`, a bare date, or RFC 2822.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, format) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, format) {
            return Some(dt.and_utc());
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head>
        <title>Allies back Paris Declaration | The Daily</title>
        <meta property="og:title" content="Allies back Paris Declaration">
        <meta name="author" content="Jane Roe">
        <meta property="article:published_time" content="2026-01-06T18:30:00+01:00">
        <link rel="canonical" href="https://daily.example/world/paris-declaration">
        </head><body>
        <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
        <div class="cookie-banner">We use cookies. Accept all cookies?</div>
        <article><h1>Allies back Paris Declaration</h1>
        <p>Leaders of the Coalition of the Willing met at the Élysée Palace on Tuesday and
        signed the Paris Declaration on security guarantees for Ukraine after a ceasefire.</p>
        <p>The declaration foresees a multinational force led by Britain and France, with
        military hubs across Ukraine, and long-term support for the Ukrainian armed forces,
        which remain the first line of defence and deterrence.</p>
        <p>American envoys attended the meeting but the United States did not sign the text,
        which leaves the question of a U.S. backstop to bilateral talks later this week.</p>
        </article>
        <aside class="related"><h2>Related</h2><ul><li><a href="/a">Other story</a></li></ul></aside>
        <section id="comments"><p>Great article, thanks!</p></section>
        </body></html>"#;

    #[test]
    fn extracts_article_text_and_metadata() {
        let article = Extractor::new()
            .extract(PAGE.as_bytes(), Some("https://daily.example/x"), None)
            .unwrap();
        assert_eq!(
            article.title.as_deref(),
            Some("Allies back Paris Declaration")
        );
        assert_eq!(article.byline.as_deref(), Some("Jane Roe"));
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2026-01-06T17:30:00+00:00".to_string())
        );
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(
            article.canonical_url.as_deref(),
            Some("https://daily.example/world/paris-declaration")
        );
        assert!(
            article
                .text
                .contains("Coalition of the Willing met at the Élysée")
        );
        assert!(article.text.contains("\n\n"), "paragraphs are kept apart");
        for noise in [
            "Accept all cookies",
            "Great article",
            "Other story",
            "Sport",
        ] {
            assert!(
                !article.text.contains(noise),
                "{noise} leaked: {}",
                article.text
            );
        }
    }

    #[test]
    fn html_without_doctype_or_html_tag_is_read_as_html() {
        // As 13 pages of L3S-GN1 begin: a comment or a script, no doctype, no <html>.
        for prefix in [
            "<!--section:world--->\n",
            "<script>var a = 1;</script>\n",
            "?\n",
        ] {
            let body = PAGE
                .split_once("<body>")
                .map(|(_, body)| body)
                .unwrap_or(PAGE);
            let page = format!("{prefix}<title>Allies back Paris Declaration</title>{body}");
            let article = Extractor::new()
                .extract(page.as_bytes(), None, Some("text/plain"))
                .unwrap();
            assert!(
                article
                    .text
                    .contains("Coalition of the Willing met at the Élysée"),
                "{prefix:?}: {}",
                article.text
            );
            assert!(
                !article.text.contains('<'),
                "{prefix:?}: markup kept: {}",
                article.text
            );
        }
    }

    #[test]
    fn plain_text_is_kept_with_a_headline_title() {
        let article = Extractor::new()
            .extract(
                b"Paris talks end\n\nLeaders met in Paris on Tuesday.",
                None,
                None,
            )
            .unwrap();
        assert_eq!(article.title.as_deref(), Some("Paris talks end"));
        assert_eq!(
            article.text,
            "Paris talks end\n\nLeaders met in Paris on Tuesday."
        );
    }

    #[test]
    fn empty_and_script_only_pages_have_no_article() {
        let extractor = Extractor::new();
        for input in [
            &b""[..],
            b"   \n\t ",
            b"<html><head><script>var a = 1;</script></head><body><script>x()</script></body></html>",
        ] {
            let err = extractor.extract(input, Some("https://x.example/a"), None).unwrap_err();
            assert_eq!(err.to_string(), "https://x.example/a: no article found");
        }
    }

    #[test]
    fn binary_and_truncated_input_do_not_panic() {
        let extractor = Extractor::new();
        let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
        let _ = extractor.extract(&binary, None, None);
        let truncated = &PAGE[..PAGE.len() / 2];
        let _ = extractor.extract(truncated.as_bytes(), None, None);
    }

    #[test]
    fn dates_in_metadata_formats() {
        for (input, expected) in [
            ("2026-01-06T10:00:00Z", "2026-01-06T10:00:00+00:00"),
            (
                "2026-01-06T10:00:00.123+02:00",
                "2026-01-06T08:00:00.123+00:00",
            ),
            ("2026-01-06T10:00:00", "2026-01-06T10:00:00+00:00"),
            ("2026-01-06", "2026-01-06T00:00:00+00:00"),
            ("2017-11-03 03:01:00.000000", "2017-11-03T03:01:00+00:00"),
            ("2021-11-01T10:52:50+0100", "2021-11-01T09:52:50+00:00"),
            ("Tue, 06 Jan 2026 10:00:00 GMT", "2026-01-06T10:00:00+00:00"),
        ] {
            assert_eq!(
                parse_date(input).map(|d| d.to_rfc3339()).as_deref(),
                Some(expected),
                "{input}"
            );
        }
        assert_eq!(parse_date("next Tuesday"), None);
    }

    #[test]
    fn dates_in_urls() {
        for (url, expected) in [
            (
                "https://x.example/world/2026/01/06/paris-summit",
                Some("2026-01-06"),
            ),
            (
                "https://x.example/2026-01-06-paris-summit.html",
                Some("2026-01-06"),
            ),
            ("https://x.example/news/20260106/story", Some("2026-01-06")),
            ("https://x.example/a/2026/13/06/x", None),
            ("https://x.example/id/123456789012", None),
            ("https://x.example/a?d=2026/01/06", None),
        ] {
            let got = date_from_url(url).map(|d| d.format("%Y-%m-%d").to_string());
            assert_eq!(got.as_deref(), expected, "{url}");
        }
    }
}
