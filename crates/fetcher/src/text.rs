//! Feed text fields to plain text: tags stripped, entities decoded, whitespace collapsed.
//!
//! Feeds carry titles and summaries as escaped HTML, as CDATA-wrapped HTML, or as text that was
//! escaped twice (`&amp;#8217;`). This is not an HTML sanitiser; the output is only ever used as
//! text.

use std::borrow::Cow;

/// Plain text of an HTML fragment: drops tags, comments and the contents of `<script>` and
/// `<style>`, decodes entities and collapses whitespace.
pub(crate) fn html_to_text(html: &str) -> String {
    let stripped = strip_tags(html);
    collapse_whitespace(&decode_entities(&stripped))
}

/// Plain text of a field that is already text but may hold entities that were escaped one
/// level too many.
pub(crate) fn unescape_text(text: &str) -> String {
    collapse_whitespace(&decode_entities(text))
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if text.contains('&') {
        html_escape::decode_html_entities(text)
    } else {
        Cow::Borrowed(text)
    }
}

fn collapse_whitespace(text: &str) -> String {
    // U+00A0 from `&nbsp;` counts as a space here; `split_whitespace` already treats it so.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            // "a < b" is text, not a tag.
            out.push('<');
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else {
            // An unclosed tag at the end: drop it.
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        // Block tags separate words ("<p>one</p><p>two</p>" is "one two"); inline ones do not
        // ("<b>w</b>ord" is "word").
        if !INLINE_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = find_ascii_case_insensitive(rest, &close)
                .and_then(|at| rest[at..].find('>').map(|gt| &rest[at + gt + 1..]))
                .unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
    "var",
];

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_table() {
        let cases = [
            ("<p>Hello, <b>world</b>!</p>", "Hello, world!"),
            ("<p>one</p><p>two</p>", "one two"),
            ("a < b and c > d", "a < b and c > d"),
            ("x<script>alert('<p>')</script>y", "x y"),
            ("x<STYLE>p { color: red }</STYLE>y", "x y"),
            ("x<!-- <b>hidden</b> -->y", "xy"),
            ("caf&eacute; &amp; bar&nbsp;&mdash; ok", "café & bar — ok"),
            ("&lt;b&gt;literal&lt;/b&gt;", "<b>literal</b>"),
            ("  lots \n of\t space  ", "lots of space"),
            ("unclosed <a href='x'", "unclosed"),
            ("<script>never closed", ""),
        ];
        for (input, want) in cases {
            assert_eq!(html_to_text(input), want, "html_to_text({input:?})");
        }
    }

    #[test]
    fn unescape_text_decodes_double_escaped_entities() {
        assert_eq!(unescape_text("It&#8217;s AT&T &amp; co"), "It’s AT&T & co");
    }
}
