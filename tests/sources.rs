//! More kinds of source (a site with feed discovery, a news sitemap index, a listing page),
//! and dedup: one article reached through several URLs is one document; an edited article is
//! indexed again, an unchanged one is not.

use crate::util::TestDir;
use crate::util::mock::{HTML, MockSite, RSS, XML, article, rss};

fn ingest(dir: &TestDir) -> serde_json::Value {
    let run = dir.newsmon(&["ingest", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

fn kind_of(dir: &TestDir, name: &str) -> serde_json::Value {
    let run = dir.newsmon(&["sources", "--format", "json"]);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
        .clone()
}

#[test]
fn a_site_url_is_polled_through_the_feed_it_announces() {
    let site = MockSite::start();
    site.set(
        "/",
        HTML,
        "<!doctype html><html><head>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Comments\" href=\"/comments/feed/\">\
         <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\">\
         </head><body><p>Home</p></body></html>",
    );
    site.set(
        "feed/",
        RSS,
        &rss(&[("news/1", "Paris summit"), ("news/2", "Kyiv talks")]),
    );
    site.set("comments/feed/", RSS, &rss(&[("c/1", "A comment")]));
    site.set(
        "news/1",
        HTML,
        &article("Paris summit", None, "Leaders met"),
    );
    site.set(
        "news/2",
        HTML,
        &article("Kyiv talks", None, "Ministers met"),
    );
    let dir = TestDir::new();
    dir.write_config(&[("home", site.url("/"))]);
    let summary = ingest(&dir);
    assert_eq!(summary["articles_new"], 2, "{summary}");
    let source = kind_of(&dir, "home");
    assert_eq!(source["kind"], "site", "{source}");
    assert_eq!(source["feed_url"], site.url("feed/"), "{source}");

    // The next poll goes straight to the discovered feed, conditionally: 304.
    let home_hits = site.hits("/");
    let summary = ingest(&dir);
    assert_eq!(summary["sources_not_modified"], 1, "{summary}");
    assert_eq!(
        site.hits("/"),
        home_hits,
        "the home page is not fetched again"
    );

    // The site moves its feed: the old one fails, the home page is read again, the new feed
    // is polled in the same pass and remembered.
    site.set(
        "/",
        HTML,
        "<html><head><link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom.xml\">\
         </head></html>",
    );
    site.set("feed/", HTML, "<html><body>Moved</body></html>");
    site.set(
        "atom.xml",
        "application/atom+xml",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title>\
         <entry><title>Kyiv talks</title><link href=\"{{BASE}}/news/2\"/><id>n2</id>\
         <updated>2026-01-06T10:00:00Z</updated></entry>\
         <entry><title>New one</title><link href=\"{{BASE}}/news/3\"/><id>n3</id>\
         <updated>2026-01-07T10:00:00Z</updated></entry></feed>",
    );
    site.set(
        "news/3",
        HTML,
        &article("New one", None, "Envoys met again"),
    );
    let summary = ingest(&dir);
    assert_eq!(summary["articles_new"], 1, "{summary}");
    assert_eq!(kind_of(&dir, "home")["feed_url"], site.url("atom.xml"));
}

#[test]
fn a_news_sitemap_index_yields_its_news_entries() {
    let site = MockSite::start();
    site.set(
        "sitemap.xml",
        XML,
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <sitemap><loc>{{BASE}}/sitemap-old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>\
         <sitemap><loc>{{BASE}}/sitemap-news.xml</loc><lastmod>2026-01-07T10:00:00Z</lastmod></sitemap>\
         </sitemapindex>",
    );
    site.set(
        "sitemap-news.xml",
        XML,
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
         <url><loc>{{BASE}}/2026/01/06/summit</loc><news:news>\
           <news:publication_date>2026-01-06T10:00:00Z</news:publication_date>\
           <news:title>Summit in Paris</news:title></news:news></url>\
         <url><loc>{{BASE}}/2026/01/07/backstop</loc><news:news>\
           <news:publication_date>2026-01-07T10:00:00Z</news:publication_date>\
           <news:title>US backstop</news:title></news:news></url>\
         <url><loc>{{BASE}}/about</loc></url>\
         </urlset>",
    );
    site.set(
        "2026/01/06/summit",
        HTML,
        &article("Summit in Paris", None, "Leaders met"),
    );
    site.set(
        "2026/01/07/backstop",
        HTML,
        &article("US backstop", None, "Envoys met"),
    );
    let dir = TestDir::new();
    dir.write_config(&[("sitemap", site.url("sitemap.xml"))]);
    let summary = ingest(&dir);
    assert_eq!(summary["articles_new"], 2, "{summary}");
    assert_eq!(kind_of(&dir, "sitemap")["kind"], "sitemap");
    assert_eq!(
        site.hits("about"),
        0,
        "entries without news:news are skipped"
    );
    let mut urls = dir.indexed_urls();
    urls.sort();
    assert_eq!(
        urls,
        [
            site.url("2026/01/06/summit"),
            site.url("2026/01/07/backstop")
        ]
    );
}

#[test]
fn a_listing_page_gives_the_links_its_selector_picks() {
    let site = MockSite::start();
    site.set(
        "world/",
        HTML,
        "<html><body><nav><a href=\"/\">Home</a></nav><main>\
         <article><h2><a href=\"/world/one?utm_source=hp\">One</a></h2></article>\
         <article><h2><a href=\"/world/two\">Two</a></h2></article>\
         <article><h2><a href=\"https://ads.example/x\">Ad</a></h2></article>\
         </main></body></html>",
    );
    site.set(
        "world/one",
        HTML,
        &article("Story one", None, "Leaders met"),
    );
    site.set("world/two", HTML, &article("Story two", None, "Envoys met"));
    let dir = TestDir::new();
    dir.write_config_with(
        &[],
        "",
        &format!(
            "[[source]]\nname = \"world\"\nurl = \"{}\"\nkind = \"listing\"\nselector = \"main article h2 a\"\n",
            site.url("world/")
        ),
    );
    let summary = ingest(&dir);
    assert_eq!(summary["articles_new"], 2, "{summary}");
    let mut urls = dir.indexed_urls();
    urls.sort();
    assert_eq!(urls, [site.url("world/one"), site.url("world/two")]);

    // A selector that stops matching (a redesign) is a failing source, not a quiet one.
    dir.write_config_with(
        &[],
        "",
        &format!(
            "[[source]]\nname = \"world\"\nurl = \"{}\"\nkind = \"listing\"\nselector = \".gone a\"\n",
            site.url("world/")
        ),
    );
    let run = dir.newsmon(&["ingest"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("matches no article link"), "{run:?}");
}

#[test]
fn one_article_through_two_feeds_and_three_urls_is_one_document() {
    let site = MockSite::start();
    let canonical = "{{BASE}}/story";
    site.set(
        "story",
        HTML,
        &article("The story", Some(canonical), "Leaders met"),
    );
    site.set(
        "story?from=feed-b",
        HTML,
        &article("The story", Some(canonical), "Leaders met"),
    );
    site.set(
        "amp/story",
        HTML,
        &article("The story", Some(canonical), "Leaders met"),
    );
    site.set(
        "feed-a.xml",
        RSS,
        &rss(&[("story?utm_source=rss", "The story")]),
    );
    site.set(
        "feed-b.xml",
        RSS,
        &rss(&[
            ("story?from=feed-b", "The story"),
            ("amp/story", "The story"),
        ]),
    );
    let dir = TestDir::new();
    dir.write_config(&[("a", site.url("feed-a.xml")), ("b", site.url("feed-b.xml"))]);
    let first = ingest(&dir);
    assert_eq!(dir.indexed_urls(), [site.url("story")], "{first}");
    assert_eq!(first["articles_new"], 1, "{first}");

    // Next time, every URL of it is known: nothing is fetched again, nothing is added.
    site.set(
        "feed-a.xml",
        RSS,
        &format!("{} ", rss(&[("story?utm_source=rss", "The story")])),
    );
    site.set(
        "feed-b.xml",
        RSS,
        &format!(
            "{} ",
            rss(&[
                ("story?from=feed-b", "The story"),
                ("amp/story", "The story")
            ])
        ),
    );
    let pages = site.hits("story") + site.hits("story?from=feed-b") + site.hits("amp/story");
    let second = ingest(&dir);
    assert_eq!(second["articles_new"], 0, "{second}");
    assert_eq!(second["articles_updated"], 0, "{second}");
    assert_eq!(
        site.hits("story") + site.hits("story?from=feed-b") + site.hits("amp/story"),
        pages,
        "{second}"
    );
    assert_eq!(dir.indexed_urls(), [site.url("story")]);
}

#[test]
fn an_edited_article_is_indexed_again_and_an_unchanged_one_is_not() {
    let site = MockSite::start();
    site.set(
        "feed.xml",
        RSS,
        &rss(&[("edited", "Edited"), ("same", "Same")]),
    );
    site.set("edited", HTML, &article("Edited", None, "First version"));
    site.set("same", HTML, &article("Same", None, "Stable text"));
    let dir = TestDir::new();
    dir.write_config(&[("feed", site.url("feed.xml"))]);
    assert_eq!(ingest(&dir)["articles_new"], 2);

    // The feed edits both items' titles, so both pages are fetched again; one page changed.
    site.set(
        "feed.xml",
        RSS,
        &rss(&[("edited", "Edited (update)"), ("same", "Same (update)")]),
    );
    site.set(
        "edited",
        HTML,
        &article("Edited", None, "Second version with xylophones"),
    );
    let summary = ingest(&dir);
    assert_eq!(summary["articles_updated"], 1, "{summary}");
    assert_eq!(summary["articles_unchanged"], 1, "{summary}");
    assert_eq!(site.hits("same"), 2);
    let run = dir.newsmon(&["search", "xylophones", "--format", "json"]);
    assert_eq!(run.json()["total"], 1, "{run:?}");
    assert_eq!(dir.indexed_urls().len(), 2);

    // The unchanged item's new fingerprint was recorded: a third poll fetches nothing.
    site.set(
        "feed.xml",
        RSS,
        &format!(
            "{} ",
            rss(&[("edited", "Edited (update)"), ("same", "Same (update)")])
        ),
    );
    let summary = ingest(&dir);
    assert_eq!(summary["articles_unchanged"], 2, "{summary}");
    assert_eq!(site.hits("same"), 2);
}

#[test]
fn reindex_rebuilds_every_article_from_stored_pages_offline() {
    let site = MockSite::start();
    site.set("feed.xml", RSS, &rss(&[("one", "One"), ("two", "Two")]));
    site.set("one", HTML, &article("One", None, "Leaders met in Paris"));
    site.set("two", HTML, &article("Two", None, "Envoys met in Kyiv"));
    let dir = TestDir::new();
    dir.write_config(&[("feed", site.url("feed.xml"))]);
    assert_eq!(ingest(&dir)["articles_new"], 2);
    let hits = site.hits("one") + site.hits("two") + site.hits("feed.xml");

    let run = dir.newsmon(&["reindex", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["articles"], 2, "{run:?}");
    assert_eq!(run.json()["from_pages"], 2, "{run:?}");
    assert_eq!(
        site.hits("one") + site.hits("two") + site.hits("feed.xml"),
        hits,
        "reindex must not touch the network"
    );
    let mut urls = dir.indexed_urls();
    urls.sort();
    assert_eq!(urls, [site.url("one"), site.url("two")]);
    let run = dir.newsmon(&["search", "Kyiv", "--format", "json"]);
    assert_eq!(run.json()["total"], 1, "{run:?}");
}
