use super::*;

fn feed_url() -> Url {
    Url::parse("https://news.example.com/section/feed.xml").unwrap()
}

fn parse(body: &str) -> Feed {
    parse_feed(body.as_bytes(), &feed_url()).unwrap()
}

fn date(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn rss2_items_have_links_titles_summaries_and_dates() {
    let feed = parse(
        r#"<?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
          <channel>
            <title>Example &amp; News</title>
            <item>
              <title>Central bank holds rates</title>
              <link>https://news.example.com/a/1?utm_source=rss#comments</link>
              <guid isPermaLink="false">urn:example:1</guid>
              <description><![CDATA[<p>The bank <b>held</b> rates.</p>]]></description>
              <pubDate>Tue, 15 Nov 2022 20:15:04 GMT</pubDate>
            </item>
            <item>
              <title>Second</title>
              <link>https://news.example.com/a/2</link>
              <content:encoded><![CDATA[<p>Full body</p>]]></content:encoded>
            </item>
          </channel>
        </rss>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Example & News"));
    assert_eq!(feed.items.len(), 2);
    let first = &feed.items[0];
    assert_eq!(first.id, "https://news.example.com/a/1");
    assert_eq!(
        first.link.as_ref().map(Url::as_str),
        Some("https://news.example.com/a/1")
    );
    assert_eq!(first.title.as_deref(), Some("Central bank holds rates"));
    assert_eq!(first.summary.as_deref(), Some("The bank held rates."));
    assert_eq!(first.published, Some(date("2022-11-15T20:15:04Z")));
    // The summary falls back to the content.
    assert_eq!(feed.items[1].summary.as_deref(), Some("Full body"));
}

#[test]
fn atom_html_title_is_unescaped_and_relative_links_resolve_against_xml_base() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/posts/">
          <title type="html">Blog &amp;amp; co</title>
          <id>urn:feed</id>
          <updated>2024-03-01T10:00:00Z</updated>
          <entry>
            <title type="html">I1 &amp;amp; &lt;em&gt;co&lt;/em&gt;</title>
            <id>tag:blog.example.org,2024:1</id>
            <link rel="alternate" href="first.html"/>
            <link rel="enclosure" type="audio/mpeg" href="/ep1.mp3"/>
            <published>2024-03-01T09:00:00Z</published>
            <updated>2024-03-01T10:00:00Z</updated>
            <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Short <i>text</i></p></div></summary>
          </entry>
          <entry>
            <title>Only updated</title>
            <id>tag:blog.example.org,2024:2</id>
            <link rel="self" href="https://blog.example.org/api/2"/>
            <updated>2024-03-02T10:00:00Z</updated>
          </entry>
        </feed>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Blog & co"));
    let first = &feed.items[0];
    assert_eq!(first.title.as_deref(), Some("I1 & co"));
    assert_eq!(
        first.link.as_ref().map(Url::as_str),
        Some("https://blog.example.org/posts/first.html")
    );
    assert_eq!(first.summary.as_deref(), Some("Short text"));
    assert_eq!(first.published, Some(date("2024-03-01T09:00:00Z")));
    assert_eq!(first.updated, Some(date("2024-03-01T10:00:00Z")));
    // rel="self" is not the article; the Atom id is kept as the key.
    let second = &feed.items[1];
    assert_eq!(second.link, None);
    assert_eq!(second.id, "tag:blog.example.org,2024:2");
    assert_eq!(second.published, second.updated);
}

#[test]
fn json_feed_items_resolve_relative_urls_against_the_feed() {
    let feed = parse(
        r#"{
          "version": "https://jsonfeed.org/version/1.1",
          "title": "JSON News",
          "items": [
            {"id": "1", "url": "/a/json-1", "title": "JSON one", "content_html": "<p>Body</p>",
             "date_published": "2024-05-01T12:00:00+02:00"},
            {"id": 2, "url": "https://other.example.net/x", "content_text": "No title"}
          ]
        }"#,
    );
    assert_eq!(feed.title.as_deref(), Some("JSON News"));
    assert_eq!(feed.items.len(), 2);
    assert_eq!(
        feed.items[0].link.as_ref().map(Url::as_str),
        Some("https://news.example.com/a/json-1")
    );
    assert_eq!(feed.items[0].summary.as_deref(), Some("Body"));
    assert_eq!(feed.items[0].published, Some(date("2024-05-01T10:00:00Z")));
    // A numeric id is coerced instead of failing the whole feed.
    assert_eq!(feed.items[1].id, "https://other.example.net/x");
    assert_eq!(feed.items[1].title, None);
}

#[test]
fn rss_without_version_is_recovered() {
    let feed = parse(
        r#"<?xml version="1.0"?>
        <rss><channel><title>No version</title>
          <item><title>One</title><link>https://news.example.com/1</link></item>
        </channel></rss>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("No version"));
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn rss_with_unknown_version_is_read_as_rss2() {
    let feed =
        parse(r#"<rss version="2.00"><channel><item><title>One</title></item></channel></rss>"#);
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn malformed_xml_is_a_clear_error_naming_the_feed() {
    let err = parse_feed(
        b"<rss version=\"2.0\"><channel><item><title>Open</item></channel></rss>",
        &feed_url(),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::NotFeed { .. }), "{err:?}");
    assert!(
        message.starts_with("https://news.example.com/section/feed.xml: not a feed: "),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn documents_that_are_not_feeds_say_what_they_are() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "empty document"),
        (b"  \n ", "empty document"),
        (
            b"<!DOCTYPE html><html><body>Login</body></html>",
            "an HTML page",
        ),
        (b"{\"hello\": 1}", "not a feed: invalid JSON Feed"),
        (
            b"{\"version\": \"https://example.com/2\", \"title\": \"\", \"items\": []}",
            "unsupported JSON Feed version",
        ),
    ];
    for (body, want) in cases {
        let err = parse_feed(body, &feed_url()).unwrap_err().to_string();
        assert!(err.contains(want), "{body:?}: {err}");
    }
}

#[test]
fn item_without_link_gets_an_id_that_is_stable_across_parses() {
    let body = r#"<rss version="2.0"><channel>
        <item><title>No link, no guid</title><description>text</description></item>
        <item><title>Another</title></item>
    </channel></rss>"#;
    let first = parse(body);
    let second = parse(body);
    assert_eq!(first.items[0].link, None);
    assert_eq!(first.items[0].id, second.items[0].id);
    assert_eq!(first.items[0].id.len(), 64, "a blake3 hex digest");
    assert_ne!(first.items[0].id, first.items[1].id);
}

#[test]
fn guid_is_used_as_the_id_when_there_is_no_link() {
    let feed = parse(
        r#"<rss version="2.0"><channel>
          <item><title>A</title><guid isPermaLink="false">urn:x:42</guid></item>
          <item><title>B</title><guid>https://news.example.com/p/43</guid></item>
          <item><title>C</title><guid isPermaLink="false">brief-2026-01-07</guid></item>
        </channel></rss>"#,
    );
    assert_eq!(feed.items[0].id, "urn:x:42");
    assert_eq!(feed.items[0].link, None);
    // A relative guid is a name, not a link to resolve against the feed.
    assert_eq!(feed.items[2].link, None);
    assert_eq!(feed.items[2].id, "brief-2026-01-07");
    // An RSS guid that is an http URL is a permalink.
    assert_eq!(
        feed.items[1].link.as_ref().map(Url::as_str),
        Some("https://news.example.com/p/43")
    );
}

#[test]
fn relative_and_unsafe_links() {
    let feed = parse(
        r#"<rss version="2.0"><channel>
          <item><title>rel</title><link>../b/2.html</link></item>
          <item><title>root</title><link>/c/3</link></item>
          <item><title>js</title><link>javascript:alert(1)</link></item>
          <item><title>data</title><link>data:text/html,hi</link></item>
        </channel></rss>"#,
    );
    let links: Vec<Option<&str>> = feed
        .items
        .iter()
        .map(|item| item.link.as_ref().map(Url::as_str))
        .collect();
    assert_eq!(
        links,
        [
            Some("https://news.example.com/b/2.html"),
            Some("https://news.example.com/c/3"),
            None,
            None,
        ]
    );
}

#[test]
fn atom03_feed_is_read() {
    let feed = parse(
        r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#">
          <title>Old</title>
          <entry><title>Entry</title><link rel="alternate" type="text/html" href="https://old.example.com/1"/>
            <id>tag:old,2004:1</id></entry>
        </feed>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Old"));
    assert_eq!(feed.items.len(), 1);
    assert_eq!(
        feed.items[0].link.as_ref().map(Url::as_str),
        Some("https://old.example.com/1")
    );
}

#[test]
fn non_utf8_feed_is_decoded_from_raw_bytes() {
    let mut body = br#"<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>Caf"#.to_vec();
    body.push(0xE9);
    body.extend_from_slice(b"</title></item></channel></rss>");
    let feed = parse_feed(&body, &feed_url()).unwrap();
    assert_eq!(feed.items[0].title.as_deref(), Some("Café"));
}

#[test]
fn fingerprint_changes_when_the_item_is_edited() {
    let mut item = parse(
        r#"<rss version="2.0"><channel><item><title>T</title><description>S</description></item></channel></rss>"#,
    )
    .items
    .remove(0);
    let before = item.fingerprint();
    assert_eq!(before, item.fingerprint());
    item.summary = Some("S, corrected".into());
    assert_ne!(before, item.fingerprint());
}

#[test]
fn rss_without_channel_is_an_empty_feed() {
    for body in ["<rss version=\"2.0\">\n</rss>", "<rss></rss>"] {
        let feed = parse(body);
        assert_eq!(feed.items.len(), 0, "{body}");
        assert_eq!(feed.title, None);
    }
}

#[test]
fn rss090_feed_is_read() {
    let feed = parse(
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel><title>Netscape</title><link>https://old.example.com/</link></channel>
          <item><title>Item title</title><link>https://old.example.com/1</link></item>
        </rdf:RDF>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Netscape"));
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn utf16_feed_with_a_conflicting_declaration_parses_instead_of_panicking() {
    let xml = r#"<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><item><title>Ünïcode</title></item></channel></rss>"#;
    let body: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let feed = parse_feed(&body, &feed_url()).unwrap();
    assert_eq!(feed.items[0].title.as_deref(), Some("Ünïcode"));
}

#[test]
fn undeclared_non_utf8_bytes_are_replaced_not_fatal() {
    let mut body = b"<rss><channel><item><title>Caf".to_vec();
    body.push(0xE9);
    body.extend_from_slice(
        b"</title><link>https://news.example.com/1</link></item></channel></rss>",
    );
    let feed = parse_feed(&body, &feed_url()).unwrap();
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].title.as_deref(), Some("Caf\u{FFFD}"));
}

#[test]
fn bare_ampersand_in_a_link_and_a_truncated_end_tag_are_repaired() {
    let feed = parse(
        "<rss version=\"2.0\"><channel><item><link>http://news.example.com/?a=1&b=2&c</link></item></channel></rss",
    );
    assert_eq!(
        feed.items[0].link.as_ref().map(Url::as_str),
        Some("http://news.example.com/?a=1&b=2&c")
    );
}

#[test]
fn unknown_text_type_does_not_discard_the_feed() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
          <title type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml">A &amp; <b>B</b></div></title>
          <link href="https://news.example.com/ab"/>
        </entry></feed>"#,
    );
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].title.as_deref(), Some("A & B"));
}

#[test]
fn rss_ttl_is_read_in_minutes_and_bad_values_are_dropped() {
    let with_ttl = |ttl: &str| {
        parse(&format!(
            "<rss version=\"2.0\"><channel><title>T</title><ttl>{ttl}</ttl>\
             <item><title>a</title><link>https://example.com/a</link></item></channel></rss>"
        ))
        .ttl_mins
    };
    assert_eq!(with_ttl("60"), Some(60));
    assert_eq!(with_ttl("0"), Some(0));
    // feed-rs parses the text as a u32 as it stands (untrimmed); what it rejects is no TTL.
    for bad in ["-5", "soon", "1.5", "99999999999", "", " 15 "] {
        assert_eq!(with_ttl(bad), None, "{bad:?}");
    }
    let atom = parse(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
         <entry><title>a</title><link href=\"https://example.com/a\"/></entry></feed>",
    );
    assert_eq!(atom.ttl_mins, None);
}

#[test]
fn the_syndication_module_stands_in_for_a_missing_ttl() {
    let feed = |head: &str| {
        parse(&format!(
            "<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">\
             <channel><title>T</title>{head}\
             <item><title>a</title><link>https://example.com/a</link></item></channel></rss>"
        ))
    };
    let hourly =
        "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>";
    let parsed = feed(hourly);
    assert_eq!(parsed.ttl_mins, Some(15));
    assert_eq!(parsed.items.len(), 1);
    // `<ttl>` says it directly and wins.
    assert_eq!(feed(&format!("<ttl>90</ttl>{hourly}")).ttl_mins, Some(90));
}
