//! Sitemaps (sitemaps.org 0.9) and Google News sitemaps: the article list of a site that
//! publishes no feed.
//!
//! A sitemap index points at sitemaps; a sitemap lists URLs. News sitemaps add a `news:news`
//! element to each recent article with its title and publication date
//! (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap>).

use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

use crate::canonical::canonicalize;
use crate::error::{Error, Result};
use crate::feed::FeedItem;

/// A parsed sitemap document.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<sitemapindex>`: the sitemaps it points at.
    Index(Vec<SitemapRef>),
    /// A `<urlset>`: the pages it lists.
    Urls(Vec<SitemapUrl>),
}

/// One `<sitemap>` of a sitemap index.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapRef {
    /// The child sitemap.
    pub loc: Url,
    /// When it last changed, if the index says.
    pub lastmod: Option<DateTime<Utc>>,
}

/// One `<url>` of a sitemap.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapUrl {
    /// The page, absolute and canonicalised.
    pub loc: Url,
    /// `<lastmod>`.
    pub lastmod: Option<DateTime<Utc>>,
    /// `<news:news>`, for the entries of a news sitemap.
    pub news: Option<NewsEntry>,
}

/// The `<news:news>` element of a news sitemap entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewsEntry {
    /// `<news:title>`.
    pub title: Option<String>,
    /// `<news:publication_date>`.
    pub publication_date: Option<DateTime<Utc>>,
}

impl SitemapUrl {
    /// The entry as a feed item, so that the pipeline treats every kind of source alike.
    pub fn into_item(self) -> FeedItem {
        let news = self.news.unwrap_or_default();
        FeedItem {
            id: self.loc.to_string(),
            title: news.title,
            summary: None,
            published: news.publication_date.or(self.lastmod),
            updated: self.lastmod,
            link: Some(self.loc),
        }
    }
}

/// Parses a sitemap or sitemap index fetched from `url`. Pure: child sitemaps are not fetched.
///
/// Entries whose `<loc>` is missing, not http(s) or not a URL are skipped: one bad entry must
/// not hide the others. Relative `<loc>`s (invalid by the protocol, but seen in the wild) are
/// resolved against `url`.
pub fn parse_sitemap(body: &[u8], url: &Url) -> Result<Sitemap> {
    let not_sitemap = |detail: String| Error::NotFeed {
        url: url.clone(),
        detail: format!("not a sitemap: {detail}"),
    };
    // The protocol requires UTF-8; anything else is read leniently rather than refused.
    let text = String::from_utf8_lossy(body);
    let mut reader = Reader::from_str(text.trim_start_matches('\u{feff}'));
    let mut root: Option<String> = None;
    // Element names (local, lowercase) from the root down to the current element.
    let mut path: Vec<String> = Vec::new();
    let mut value = String::new();
    let mut entry = Entry::default();
    let mut refs = Vec::new();
    let mut urls = Vec::new();
    loop {
        let event = reader.read_event().map_err(|err| {
            not_sitemap(format!(
                "malformed XML at byte {}: {err}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    if !matches!(name.as_str(), "urlset" | "sitemapindex") {
                        return Err(not_sitemap(format!("root element is <{name}>")));
                    }
                    root = Some(name.clone());
                }
                if matches!(name.as_str(), "url" | "sitemap") && path.len() == 1 {
                    entry = Entry::default();
                }
                path.push(name);
                value.clear();
            }
            Event::Empty(start) if root.is_none() => {
                let name = start.local_name().as_ref().to_ascii_lowercase();
                if !matches!(name.as_str(), "urlset" | "sitemapindex") {
                    return Err(not_sitemap(format!("root element is <{name}>")));
                }
                root = Some(name);
            }
            Event::Text(text) => value.push_str(&text),
            Event::CData(data) => value.push_str(&data.into_inner()),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => value.push(c),
                _ => value.push_str(match &*reference {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(_) => {
                let Some(name) = path.pop() else { continue };
                let parent = path.last().map(String::as_str);
                let text = value.trim();
                match (parent, name.as_str()) {
                    (Some("url" | "sitemap"), "loc") => entry.loc = Some(text.to_string()),
                    (Some("url" | "sitemap"), "lastmod") => entry.lastmod = parse_date(text),
                    (Some("news"), "title") => {
                        entry.news.get_or_insert_with(NewsEntry::default).title =
                            Some(text.to_string()).filter(|t| !t.is_empty());
                    }
                    (Some("news"), "publication_date") => {
                        entry
                            .news
                            .get_or_insert_with(NewsEntry::default)
                            .publication_date = parse_date(text);
                    }
                    (Some("url"), "news") => {
                        entry.news.get_or_insert_with(NewsEntry::default);
                    }
                    (Some(_), "url") if path.len() == 1 => {
                        if let Some(loc) = entry.resolve(url) {
                            urls.push(SitemapUrl {
                                loc,
                                lastmod: entry.lastmod,
                                news: entry.news.take(),
                            });
                        }
                    }
                    (Some(_), "sitemap") if path.len() == 1 => {
                        if let Some(loc) = entry.resolve(url) {
                            refs.push(SitemapRef {
                                loc,
                                lastmod: entry.lastmod,
                            });
                        }
                    }
                    _ => {}
                }
                value.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match root.as_deref() {
        Some("sitemapindex") => Ok(Sitemap::Index(refs)),
        Some(_) => Ok(Sitemap::Urls(urls)),
        None => Err(not_sitemap("no root element".into())),
    }
}

#[derive(Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<DateTime<Utc>>,
    news: Option<NewsEntry>,
}

impl Entry {
    fn resolve(&self, base: &Url) -> Option<Url> {
        let url = base.join(self.loc.as_deref()?).ok()?;
        matches!(url.scheme(), "http" | "https").then(|| canonicalize(&url))
    }
}

/// W3C Datetime, the sitemap date format: a date, or a date and time with minutes, optional
/// seconds and fractions, and a zone.
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    // Minutes without seconds, which RFC 3339 does not allow but W3C Datetime does.
    let zoned = match text.strip_suffix('Z') {
        Some(local) => format!("{local}+00:00"),
        None => text.to_string(),
    };
    if let Ok(at) = DateTime::parse_from_str(&zoned, "%Y-%m-%dT%H:%M%:z") {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
}

/// Which entries of a sitemap to treat as articles, newest first, at most `limit`.
///
/// A news sitemap lists only the last two days' articles, each with `news:news`: take those. A
/// plain sitemap lists a whole site, so take only the entries modified within `recent` of `now`:
/// the first poll of a large site must not turn into a crawl of its archive.
pub fn recent_entries(
    mut urls: Vec<SitemapUrl>,
    now: DateTime<Utc>,
    recent: chrono::Duration,
    limit: usize,
) -> Vec<SitemapUrl> {
    if urls.iter().any(|u| u.news.is_some()) {
        urls.retain(|u| u.news.is_some());
    } else {
        urls.retain(|u| u.lastmod.is_some_and(|at| now - at <= recent));
    }
    let date = |u: &SitemapUrl| {
        u.news
            .as_ref()
            .and_then(|n| n.publication_date)
            .or(u.lastmod)
    };
    urls.sort_by_key(|u| std::cmp::Reverse(date(u)));
    urls.truncate(limit);
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://news.example/sitemap.xml").unwrap()
    }

    #[test]
    fn a_news_sitemap_gives_titles_and_dates() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/world/paris-summit?utm_source=sitemap</loc>
    <lastmod>2026-01-06T18:00:00+01:00</lastmod>
    <news:news>
      <news:publication><news:name>News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-01-06T17:30:00+01:00</news:publication_date>
      <news:title>Leaders meet in Paris &amp; agree &#8220;guarantees&#8221;</news:title>
    </news:news>
  </url>
  <url><loc><![CDATA[/world/second]]></loc><news:news><news:publication_date>2026-01-07</news:publication_date><news:title>Second</news:title></news:news></url>
  <url><loc>ftp://news.example/x</loc></url>
  <url><lastmod>2026-01-01</lastmod></url>
</urlset>"#;
        let Sitemap::Urls(urls) = parse_sitemap(body, &url()).unwrap() else {
            panic!("not a urlset");
        };
        assert_eq!(urls.len(), 2);
        assert_eq!(
            urls[0].loc.as_str(),
            "https://news.example/world/paris-summit"
        );
        let news = urls[0].news.clone().unwrap();
        assert_eq!(
            news.title.as_deref(),
            Some("Leaders meet in Paris & agree \u{201c}guarantees\u{201d}")
        );
        assert_eq!(
            news.publication_date.unwrap().to_rfc3339(),
            "2026-01-06T16:30:00+00:00"
        );
        assert_eq!(urls[1].loc.as_str(), "https://news.example/world/second");
        let item = urls[1].clone().into_item();
        assert_eq!(item.title.as_deref(), Some("Second"));
        assert_eq!(
            item.published.unwrap().to_rfc3339(),
            "2026-01-07T00:00:00+00:00"
        );
        assert_eq!(item.link.as_ref().map(Url::as_str), Some(item.id.as_str()));
    }

    #[test]
    fn a_sitemap_index_lists_its_sitemaps() {
        let body = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc><lastmod>2026-01-07T10:00Z</lastmod></sitemap>
  <sitemap><loc>sitemap-2025.xml</loc></sitemap>
</sitemapindex>"#;
        let Sitemap::Index(refs) = parse_sitemap(body, &url()).unwrap() else {
            panic!("not an index");
        };
        assert_eq!(refs.len(), 2);
        assert_eq!(
            refs[0].lastmod.unwrap().to_rfc3339(),
            "2026-01-07T10:00:00+00:00"
        );
        assert_eq!(
            refs[1].loc.as_str(),
            "https://news.example/sitemap-2025.xml"
        );
    }

    #[test]
    fn other_documents_are_refused_with_the_url() {
        for body in [
            &b"<rss version=\"2.0\"><channel/></rss>"[..],
            b"<html><body>hi</body></html>",
            b"",
            b"<urlset><url><loc>x</loc></url",
            b"\xff\xfe<<<",
        ] {
            if let Err(err) = parse_sitemap(body, &url()) {
                let message = err.to_string();
                assert!(
                    message.starts_with("https://news.example/sitemap.xml: "),
                    "{message}"
                );
            }
        }
        let err = parse_sitemap(b"<rss/>", &url()).unwrap_err().to_string();
        assert!(err.contains("root element is <rss>"), "{err}");
    }

    #[test]
    fn recent_entries_prefer_news_then_recent_lastmod() {
        let at = |d: &str| parse_date(d);
        let entry = |path: &str, lastmod: Option<&str>, news: bool| SitemapUrl {
            loc: Url::parse("https://n.example/")
                .unwrap()
                .join(path)
                .unwrap(),
            lastmod: lastmod.and_then(at),
            news: news.then(NewsEntry::default),
        };
        let now = at("2026-01-10").unwrap();
        let plain = vec![
            entry("old", Some("2020-01-01"), false),
            entry("new", Some("2026-01-09"), false),
            entry("newer", Some("2026-01-09T12:00:00Z"), false),
            entry("undated", None, false),
        ];
        let picked = recent_entries(plain.clone(), now, chrono::Duration::days(2), 10);
        let paths: Vec<&str> = picked.iter().map(|u| u.loc.path()).collect();
        assert_eq!(paths, ["/newer", "/new"]);
        let mut mixed = plain;
        mixed.push(entry("news", None, true));
        let picked = recent_entries(mixed, now, chrono::Duration::days(2), 10);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].loc.path(), "/news");
    }
}
