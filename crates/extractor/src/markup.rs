//! Linear-time scans over raw HTML, for pages the DOM path must not see.
//!
//! html5ever's tree builder checks the stack of open elements at each start tag, so a
//! page of 100,000 nested `<div>`s costs it 10^10 steps. Such pages (hostile or broken)
//! are measured here first and read as text, in time linear in their size.

/// Elements that never take an end tag, or whose end tag is optional and commonly left
/// out: they do not deepen the tree in a way that costs the parser.
const SHALLOW: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];

/// Elements whose content is not text for a reader.
const RAW_TEXT: &[&str] = &["script", "style", "noscript", "template", "svg", "textarea"];

/// Elements after which a reader sees a line break.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "article",
    "section",
    "blockquote",
    "header",
    "footer",
    "main",
    "pre",
    "ul",
    "ol",
    "table",
    "title",
];

/// Tags that mark a text as HTML when they open it or appear in its first kilobytes.
const HTML_MARKERS: &[&str] = &[
    "html", "head", "body", "meta", "title", "script", "style", "link", "div", "p", "table",
    "span", "a", "br", "article", "section", "ul", "li", "img", "h1", "h2", "h3", "form", "iframe",
    "noscript", "font", "center", "td", "tr",
];

/// How much of a text is searched for tags: enough for a page's head, however much
/// script, style or damage comes before it.
const SNIFF_BYTES: usize = 16 << 10;

/// Tells HTML from plain text by content alone, whatever the first bytes: pages arrive
/// with a BOM, stray bytes, a comment, a script or no doctype before their first tag, and
/// with wrong or missing content types. HTML is a text that opens with a known tag, or
/// has three known tags (open or close) in its first 16 KiB; prose that mentions one
/// `<p>` is not HTML.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(SNIFF_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<!--") {
        return lower.contains('>');
    }
    let mut tags = 0usize;
    let mut pos = 0usize;
    while let Some(offset) = lower[pos..].find('<') {
        let start = pos + offset;
        pos = start + 1;
        let rest = &lower[pos..];
        let name = rest.trim_start_matches('/');
        let len = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let boundary = name[len..].starts_with([' ', '>', '/', '\t', '\n', '\r']);
        if len > 0 && boundary && HTML_MARKERS.contains(&&name[..len]) {
            if start == 0 {
                return true;
            }
            tags += 1;
            if tags >= 3 {
                return true;
            }
        }
    }
    false
}

/// One tag: its lowercase name, whether it closes, and where the text after it starts.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    end: usize,
}

/// Reads the tag starting at `start` (a `<`). `None` for comments, doctypes and stray `<`.
fn tag_at(html: &str, start: usize) -> Option<Tag<'_>> {
    let rest = &html[start + 1..];
    let closing = rest.starts_with('/');
    let name_start = start + 1 + usize::from(closing);
    let name_len = html[name_start..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(html.len() - name_start);
    if name_len == 0 {
        return None;
    }
    let end = html[name_start..]
        .find('>')
        .map_or(html.len(), |i| name_start + i + 1);
    Some(Tag {
        name: &html[name_start..name_start + name_len],
        closing,
        self_closing: html[..end].ends_with("/>"),
        end,
    })
}

/// Where the markup construct at `start` (a `<`) ends: past a comment, a doctype, or a tag.
fn skip(html: &str, start: usize) -> usize {
    let rest = &html[start..];
    let close = if rest.starts_with("<!--") { "-->" } else { ">" };
    rest.find(close)
        .map_or(html.len(), |i| start + i + close.len())
}

/// A page made ready for the DOM path, and how deep it nests.
pub(crate) struct Prepared {
    /// The page without scripts (JSON-LD excepted), styles and comments.
    pub(crate) html: String,
    /// The deepest nesting of elements that need an end tag.
    pub(crate) depth: usize,
}

/// One linear pass over a page: measures its nesting, and drops what Readability would
/// drop first anyway (scripts, styles, comments), so that html5ever never tokenizes it.
/// Scripts are often half of a news page's bytes. JSON-LD stays: it carries metadata.
pub(crate) fn prepare(html: &str) -> Prepared {
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut deepest, mut pos, mut copied) = (0usize, 0usize, 0usize, 0usize);
    while let Some(offset) = html[pos..].find('<') {
        let start = pos + offset;
        let Some(tag) = tag_at(html, start) else {
            pos = skip(html, start).max(start + 1);
            if html[start..].starts_with("<!--") {
                out.push_str(&html[copied..start]);
                copied = pos;
            }
            continue;
        };
        pos = tag.end.max(start + 1);
        if tag.closing {
            depth = depth.saturating_sub(1);
        } else if is_one_of(tag.name, RAW_TEXT) {
            pos = end_of_raw_text(html, pos, tag.name);
            let droppable = tag.name.eq_ignore_ascii_case("style")
                || (tag.name.eq_ignore_ascii_case("script") && !is_json_ld(&html[start..tag.end]));
            if droppable {
                out.push_str(&html[copied..start]);
                // Resume after the end tag's `>`.
                copied = html[pos..].find('>').map_or(html.len(), |i| pos + i + 1);
                pos = copied;
            }
        } else if !tag.self_closing && !is_one_of(tag.name, SHALLOW) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    out.push_str(&html[copied.min(html.len())..]);
    Prepared {
        html: out,
        depth: deepest,
    }
}

fn is_json_ld(start_tag: &str) -> bool {
    start_tag
        .to_ascii_lowercase()
        .contains("application/ld+json")
}

#[cfg(test)]
pub(crate) fn nesting_depth(html: &str) -> usize {
    prepare(html).depth
}

/// The visible text of `html`: tags dropped, scripts and styles skipped, entities decoded,
/// a line break after each block element.
pub(crate) fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut pos = 0usize;
    while let Some(offset) = html[pos..].find('<') {
        let start = pos + offset;
        text.push_str(&html_escape::decode_html_entities(&html[pos..start]));
        let Some(tag) = tag_at(html, start) else {
            pos = skip(html, start).max(start + 1);
            continue;
        };
        pos = tag.end.max(start + 1);
        if !tag.closing && is_one_of(tag.name, RAW_TEXT) {
            pos = end_of_raw_text(html, pos, tag.name);
        } else if is_one_of(tag.name, BLOCKS) {
            text.push('\n');
        } else {
            text.push(' ');
        }
    }
    text.push_str(&html_escape::decode_html_entities(&html[pos..]));
    text
}

/// The `<title>` of a page, if it has one.
pub(crate) fn title(html: &str) -> Option<String> {
    let head = &html[..html.len().min(64 << 10)];
    let lower = head.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = html_escape::decode_html_entities(&head[open_end..close]);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// ASCII case-insensitive membership, without allocating a lowercase copy per tag.
fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn end_of_raw_text(html: &str, from: usize, name: &str) -> usize {
    // `find` on "</" is a fast substring search; the name is then compared in place.
    let mut pos = from;
    while let Some(offset) = html[pos..].find("</") {
        let start = pos + offset + 2;
        let candidate = html.as_bytes().get(start..start + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return start + name.len();
        }
        pos = start;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_only_elements_that_nest() {
        assert_eq!(nesting_depth("<div><div><p>a<p>b</div></div>"), 2);
        assert_eq!(nesting_depth("<ul><li>a<li>b<li>c</ul><br><img src=x>"), 1);
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(
            nesting_depth("<script>if (a<b) { '<div><div>' }</script><div></div>"),
            1
        );
        assert_eq!(nesting_depth("<!-- <div><div> --><span/>"), 0);
        assert_eq!(nesting_depth("a < b << <"), 0);
    }

    #[test]
    fn prepare_drops_scripts_styles_and_comments_but_keeps_json_ld() {
        let html = "<html><head><script>var a = '<p>x</p>';</script><STYLE>p{}</STYLE>\
                    <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head>\
                    <body><!-- ad slot --><p>Text</p><script src=x></script></body></html>";
        let prepared = prepare(html).html;
        assert_eq!(
            prepared,
            "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head>\
             <body><p>Text</p></body></html>"
        );
        assert_eq!(prepare("<p>a</p><!-- cut off").html, "<p>a</p>");
        assert_eq!(prepare("<script>never closed").html, "");
    }

    #[test]
    fn visible_text_drops_markup_and_scripts() {
        let html = "<html><head><title>T &amp; U</title><style>p{}</style></head><body><div>One&nbsp;two</div><script>x<y</script><p>Three<br>four</p></body></html>";
        let text = visible_text(html);
        assert!(text.contains("One\u{a0}two"), "{text:?}");
        assert!(text.contains("Three\nfour"), "{text:?}");
        assert!(!text.contains("x<y") && !text.contains("p{}"), "{text:?}");
        assert_eq!(title(html).as_deref(), Some("T & U"));
    }

    #[test]
    fn html_is_recognised_whatever_comes_first() {
        for html in [
            "<!DOCTYPE html><html><body><p>x</p></body></html>",
            "\u{feff}  <html><p>x</p></html>",
            "<!--section:news--->\n<script>var a = 1;</script><div><p>Text</p></div>",
            " <script LANGUAGE=\"JavaScript\">var b = 2;</script><table><tr><td>x</td></tr></table>",
            "<style type=\"text/css\">body { color: red }</style><title>T</title>",
            "? <!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">\n<html><head><title>T</title></head>",
            "<HTML><HEAD><TITLE>Radio</TITLE></HEAD><BODY>News</BODY></HTML>",
            "<p>One paragraph only",
        ] {
            assert!(looks_like_html(html), "{html}");
        }
        for text in [
            "Paris talks end\n\nLeaders met in Paris on Tuesday.",
            "In HTML a paragraph is written <p>; that is all.",
            "a < b and c > d, so <3 and x<y",
            "",
            "<not a tag> at all",
        ] {
            assert!(!looks_like_html(text), "{text}");
        }
        let late = format!("{}<div>a</div><p>b</p><span>c</span>", "x ".repeat(20_000));
        assert!(
            !looks_like_html(&late),
            "tags past the sniffed head do not count"
        );
    }

    #[test]
    fn cut_off_markup_is_safe() {
        for html in ["<", "<div", "</", "<!--", "<script>", "<title>x", "é<é"] {
            let _ = nesting_depth(html);
            let _ = visible_text(html);
            let _ = title(html);
        }
    }
}
