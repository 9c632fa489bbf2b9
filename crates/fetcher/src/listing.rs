//! Listing pages: a section front page whose article links a CSS selector picks out, for sites
//! with neither a feed nor a news sitemap.

use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::canonical::canonicalize;
use crate::discover::base_url;
use crate::feed::FeedItem;

/// A compiled CSS selector for the article links of a listing page.
#[derive(Debug, Clone)]
pub struct ListingSelector {
    css: String,
    selector: Selector,
}

impl ListingSelector {
    /// Compiles `css`. The error says what is wrong with it, for a config error message.
    pub fn new(css: &str) -> std::result::Result<ListingSelector, String> {
        if css.trim().is_empty() {
            return Err("selector is empty".into());
        }
        let selector = Selector::parse(css).map_err(|err| {
            format!(
                "invalid CSS selector `{css}`: {}",
                err.to_string()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })?;
        Ok(ListingSelector {
            css: css.to_string(),
            selector,
        })
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.css
    }
}

/// The article links of a listing page fetched from `page`, in document order, without
/// duplicates.
///
/// Each element the selector matches gives one link: its own `href` when it is a link, else
/// the first `a[href]` inside it (so `article h2` works as well as `article h2 a`). Links are
/// resolved against `<base href>` or `page` and canonicalised. Only links to the listing's own
/// site (the same host, `www.` aside) are kept: a front page also links to partners, ads and
/// social networks, which are not articles of this source. The link's text is the title.
pub fn parse_listing(html: &[u8], page: &Url, selector: &ListingSelector) -> Vec<FeedItem> {
    let document = Html::parse_document(&String::from_utf8_lossy(html));
    let base = base_url(&document, page);
    let anchors = Selector::parse("a[href]").ok();
    let mut items: Vec<FeedItem> = Vec::new();
    for element in document.select(&selector.selector) {
        let anchor = if element.value().attr("href").is_some() {
            Some(element)
        } else {
            anchors
                .as_ref()
                .and_then(|anchors| element.select(anchors).next())
        };
        let Some(anchor) = anchor else { continue };
        let Some(href) = anchor.value().attr("href") else {
            continue;
        };
        let Ok(url) = base.join(href.trim()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") || !same_site(&url, page) {
            continue;
        }
        let url = canonicalize(&url);
        if url == canonicalize(page) || items.iter().any(|i| i.link.as_ref() == Some(&url)) {
            continue;
        }
        items.push(FeedItem {
            id: url.to_string(),
            link: Some(url),
            title: text(anchor),
            summary: None,
            published: None,
            updated: None,
        });
    }
    items
}

/// The same host, ignoring a leading `www.`.
pub fn same_site(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    host(a).is_some() && host(a) == host(b)
}

fn text(element: ElementRef<'_>) -> Option<String> {
    let text = element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &[u8] = br#"<html><body>
        <nav><a href="/">Home</a><a href="/world/">World</a></nav>
        <main>
          <article><h2><a href="/world/2026/01/06/paris-summit?utm_source=hp#top">Leaders
            meet   in Paris</a></h2></article>
          <article><h2><a href="https://www.news.example/world/2026/01/07/backstop">Backstop</a></h2></article>
          <article><h2><a href="/world/2026/01/06/paris-summit">Leaders meet in Paris</a></h2></article>
          <article><h2><a href="https://partner.example/promo">Promo</a></h2></article>
          <article><h2><a href="mailto:desk@news.example">Mail us</a></h2></article>
          <article><h2>No link here</h2></article>
        </main></body></html>"#;

    fn page() -> Url {
        Url::parse("https://news.example/world/").unwrap()
    }

    #[test]
    fn picks_same_site_article_links_once_with_titles() {
        for css in ["main article h2 a", "main article h2", "article"] {
            let items = parse_listing(PAGE, &page(), &ListingSelector::new(css).unwrap());
            let links: Vec<&str> = items
                .iter()
                .filter_map(|i| i.link.as_ref().map(Url::as_str))
                .collect();
            assert_eq!(
                links,
                [
                    "https://news.example/world/2026/01/06/paris-summit",
                    "https://www.news.example/world/2026/01/07/backstop",
                ],
                "{css}"
            );
            assert_eq!(items[0].title.as_deref(), Some("Leaders meet in Paris"));
            assert_eq!(items[0].id, links[0]);
        }
    }

    #[test]
    fn a_selector_matching_nothing_gives_nothing() {
        let items = parse_listing(PAGE, &page(), &ListingSelector::new(".nope a").unwrap());
        assert!(items.is_empty());
        let items = parse_listing(
            b"\xff\x00<<>>",
            &page(),
            &ListingSelector::new("a").unwrap(),
        );
        assert!(items.is_empty());
    }

    #[test]
    fn bad_selectors_are_refused_with_a_reason() {
        let err = ListingSelector::new("article >> a[").unwrap_err();
        assert!(
            err.starts_with("invalid CSS selector `article >> a[`"),
            "{err}"
        );
        assert_eq!(ListingSelector::new("  ").unwrap_err(), "selector is empty");
    }
}
