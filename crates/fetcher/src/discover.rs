//! Feed discovery: the feeds a site's HTML page announces with `<link rel="alternate">`, and
//! what kind of document a body is when the configuration does not say.

use scraper::{Html, Selector};
use url::Url;

use crate::canonical::canonicalize;

/// Media types of the feeds a page can announce. Anything else under `rel=alternate` is a
/// translation, a print version or an AMP page, never a feed.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
];

/// The feeds `html` (a page fetched from `base`) announces, in document order, absolute and
/// canonicalised, without duplicates.
///
/// The page's `<base href>` is honoured, as browsers do. Links with a non-http(s) scheme are
/// dropped. Comment feeds (`/comments/` in the path, or a title starting with "Comments") come
/// last: WordPress announces the post feed first and the comments feed second, and some themes
/// reverse them.
pub fn discover_feeds(html: &[u8], base: &Url) -> Vec<Url> {
    let document = Html::parse_document(&String::from_utf8_lossy(html));
    let base = base_url(&document, base);
    let Ok(links) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let mut feeds: Vec<(bool, Url)> = Vec::new();
    for link in document.select(&links) {
        let element = link.value();
        let is_alternate = element.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("alternate"))
        });
        let media_type = element
            .attr("type")
            .map(|t| t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase());
        let is_feed = media_type
            .as_deref()
            .is_some_and(|t| FEED_TYPES.contains(&t));
        if !(is_alternate && is_feed) {
            continue;
        }
        let Some(url) = element
            .attr("href")
            .and_then(|href| base.join(href.trim()).ok())
        else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let url = canonicalize(&url);
        let title = element
            .attr("title")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let comments = url.path().contains("/comments/") || title.starts_with("comments");
        if !feeds.iter().any(|(_, known)| *known == url) {
            feeds.push((comments, url));
        }
    }
    // A stable sort keeps document order within each group.
    feeds.sort_by_key(|(comments, _)| *comments);
    feeds.into_iter().map(|(_, url)| url).collect()
}

/// `<base href>` resolved against the page URL, else the page URL.
pub(crate) fn base_url(document: &Html, page: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|selector| {
            document
                .select(&selector)
                .next()
                .and_then(|base| base.value().attr("href"))
                .and_then(|href| page.join(href.trim()).ok())
        })
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone())
}

/// What a fetched document looks like, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A sitemap or sitemap index (`<urlset>` or `<sitemapindex>` root).
    Sitemap,
    /// An HTML page.
    Html,
    /// Anything else (a feed, or something unknown: the feed parser decides).
    Other,
}

/// Sniffs `body`: the root element name within the first 4 KiB (past the XML declaration,
/// comments, processing instructions and a doctype) tells a sitemap from a page.
pub fn sniff(body: &[u8]) -> DocumentKind {
    let head = &body[..body.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    // Skip `<?...?>`, `<!--...-->` and `<!DOCTYPE ...>` until the first element.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else if rest.len() > 2 && rest.starts_with("<!") {
            if rest
                .get(..14)
                .is_some_and(|d| d.eq_ignore_ascii_case("<!doctype html"))
            {
                return DocumentKind::Html;
            }
            rest = rest.split_once('>').map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let name: String = rest
        .strip_prefix('<')
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_'))
        .collect::<String>()
        .to_ascii_lowercase();
    // A prefixed root (`<sm:urlset>`) is still a sitemap.
    let local = name.rsplit(':').next().unwrap_or_default();
    match local {
        "urlset" | "sitemapindex" => DocumentKind::Sitemap,
        "html" | "head" | "body" => DocumentKind::Html,
        _ => DocumentKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/world/").unwrap()
    }

    #[test]
    fn finds_rss_atom_and_json_feeds_in_order() {
        let html = br#"<!doctype html><html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
            <link rel="alternate" type="application/rss+xml" href="/feed/?utm_source=x">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
            <link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json#x">
            <link rel="alternate" hreflang="fr" href="/fr/">
            <link rel="alternate" type="application/rss+xml" href="/feed/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
        </head><body></body></html>"#;
        let feeds: Vec<String> = discover_feeds(html, &base())
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            feeds,
            [
                "https://news.example/feed/",
                "https://news.example/world/atom.xml",
                "https://cdn.example/feed.json",
                "https://news.example/comments/feed/",
            ]
        );
    }

    #[test]
    fn honours_base_href_and_finds_nothing_on_a_plain_page() {
        let html = br#"<html><head><base href="https://other.example/x/">
            <link rel="alternate" type="application/rss+xml" href="rss"></head></html>"#;
        assert_eq!(
            discover_feeds(html, &base())[0].as_str(),
            "https://other.example/x/rss"
        );
        assert!(discover_feeds(b"<html><p>hello</p></html>", &base()).is_empty());
        assert!(discover_feeds(b"\xff\xfe\x00garbage<<<", &base()).is_empty());
    }

    #[test]
    fn sniffs_sitemaps_and_pages() {
        for (body, kind) in [
            (
                &b"<?xml version=\"1.0\"?>\n<!-- hi --><urlset xmlns=\"x\"></urlset>"[..],
                DocumentKind::Sitemap,
            ),
            (b"\xef\xbb\xbf<sitemapindex>", DocumentKind::Sitemap),
            (b"<sm:urlset xmlns:sm=\"x\">", DocumentKind::Sitemap),
            (b"<!DOCTYPE html><html>", DocumentKind::Html),
            (b"  <html lang=en>", DocumentKind::Html),
            (
                b"<?xml version=\"1.0\"?><rss version=\"2.0\">",
                DocumentKind::Other,
            ),
            (
                b"{\"version\": \"https://jsonfeed.org/version/1.1\"}",
                DocumentKind::Other,
            ),
            (b"", DocumentKind::Other),
            (b"<?xml", DocumentKind::Other),
        ] {
            assert_eq!(sniff(body), kind, "{}", String::from_utf8_lossy(body));
        }
    }
}
