//! URL canonicalisation: one article, one key.

use url::Url;

/// Query parameters that only say how a reader arrived, never which page they asked for.
///
/// Compared case-insensitively on the decoded name. `utm_*` is matched by prefix. Generic names
/// such as `ref`, `source` or `id` are deliberately absent: sites use them to select content.
/// The list follows Miniflux's `RemoveTrackingParameters`
/// (miniflux/v2: internal/reader/urlcleaner/urlcleaner.go) plus the click ids of the big ad networks.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "gbraid",
    "wbraid",
    "dclid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "_openstat",
    "mkt_tok",
    "ref_src",
    "ref_url",
    "cmpid",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "s_cid",
    "vero_conv",
    "vero_id",
    "wickedid",
];

/// Returns the canonical form of `url`, the key under which an article is deduplicated.
///
/// - Scheme and host are lowercase and a default port is dropped (the `url` crate already does
///   both when parsing).
/// - The fragment is dropped: it never selects a different document.
/// - Tracking parameters (`utm_*`, `fbclid`, `gclid`, …) are dropped; all other parameters
///   keep their order and their exact encoding.
/// - A query left empty is removed together with its `?`.
///
/// Nothing else changes: paths, trailing slashes, `www.` and the scheme are kept, because sites
/// disagree on whether those variants are the same page.
pub fn canonicalize(url: &Url) -> Url {
    let mut out = url.clone();
    out.set_fragment(None);
    let kept = url.query().map(|query| {
        query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking(pair))
            .collect::<Vec<_>>()
            .join("&")
    });
    match kept {
        Some(query) if !query.is_empty() => out.set_query(Some(&query)),
        _ => out.set_query(None),
    }
    out
}

fn is_tracking(pair: &str) -> bool {
    let raw_name = pair.split('=').next().unwrap_or(pair);
    let name: String = url::form_urlencoded::parse(raw_name.as_bytes())
        .next()
        .map(|(name, _)| name.to_ascii_lowercase())
        .unwrap_or_default();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalize_table() {
        let cases = [
            // (input, expected)
            ("HTTPS://Example.COM/a", "https://example.com/a"),
            ("http://example.com:80/a", "http://example.com/a"),
            ("https://example.com:443/a", "https://example.com/a"),
            ("https://example.com:8443/a", "https://example.com:8443/a"),
            ("https://example.com/a#section-2", "https://example.com/a"),
            ("https://example.com/a?", "https://example.com/a"),
            (
                "https://example.com/a?utm_source=rss&utm_medium=feed",
                "https://example.com/a",
            ),
            (
                "https://example.com/a?id=7&utm_campaign=x&page=2",
                "https://example.com/a?id=7&page=2",
            ),
            (
                "https://example.com/a?UTM_Source=x&b=1",
                "https://example.com/a?b=1",
            ),
            (
                "https://example.com/a?fbclid=abc&gclid=d&dclid=e&msclkid=f",
                "https://example.com/a",
            ),
            (
                "https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&_ga=4&yclid=5&ref_src=twsrc&cmpid=rss",
                "https://example.com/a",
            ),
            (
                "https://example.com/a?z=1&a=2&m=3",
                "https://example.com/a?z=1&a=2&m=3",
            ),
            (
                "https://example.com/a?q=a%20b&utm_term=x",
                "https://example.com/a?q=a%20b",
            ),
            (
                "https://example.com/a?q=a+b&&utm_term=x",
                "https://example.com/a?q=a+b",
            ),
            (
                "https://example.com/a?flag&utm_id=1",
                "https://example.com/a?flag",
            ),
            (
                "https://example.com/a?ref=home",
                "https://example.com/a?ref=home",
            ),
            (
                "https://example.com/a?utm_source=x#top",
                "https://example.com/a",
            ),
            ("https://example.com", "https://example.com/"),
            ("https://example.com/a/", "https://example.com/a/"),
            (
                "https://bücher.example/a",
                "https://xn--bcher-kva.example/a",
            ),
        ];
        for (input, want) in cases {
            let got = canonicalize(&Url::parse(input).unwrap());
            assert_eq!(got.as_str(), want, "canonicalize({input})");
        }
    }

    #[test]
    fn canonicalize_is_idempotent() {
        let url = Url::parse("HTTP://Example.com:80/a?b=1&utm_x=2#f").unwrap();
        let once = canonicalize(&url);
        assert_eq!(canonicalize(&once), once);
    }
}
