//! Repairs for documents that feed-rs 3.0 rejects, reads as empty, or panics on, although a
//! lenient reader gets their items right. Each returns `None` when it does not apply.
//!
//! The byte-level repairs edit only ASCII markup (root attributes, namespace URIs, `&`, `type`
//! values), so they are safe in any ASCII-compatible encoding; UTF-16 and UTF-32 documents are
//! transcoded to UTF-8 first by `wide_to_utf8`.

/// An `<rss>` root without a `version` attribute, or with a version feed-rs does not dispatch on
/// (`0.93`, `0.94`, `2.00`, `2.01`, …), gets `version="2.0"`.
///
/// feed-rs 3.0 only accepts `2.0`, `""`, `0.91` and `0.92` and answers `NoFeedRoot` otherwise,
/// although every later 0.9x and 2.0x variant is a subset of RSS 2.0.
/// See: feed-rs/feed-rs#275 (open); PR #280 only added `version=""`.
pub(crate) fn rss_version(body: &[u8]) -> Option<Vec<u8>> {
    let start = root_start(body)?;
    let name_end = start + 4;
    if body.get(start..name_end)? != b"<rss" {
        return None;
    }
    let after = *body.get(name_end)?;
    if !(after.is_ascii_whitespace() || after == b'>' || after == b'/') {
        return None;
    }
    let tag_end = tag_end(body, name_end)?;
    let mut patched = Vec::with_capacity(body.len() + 16);
    match find_attribute(&body[name_end..tag_end], b"version") {
        None => {
            patched.extend_from_slice(&body[..name_end]);
            patched.extend_from_slice(br#" version="2.0""#);
            patched.extend_from_slice(&body[name_end..]);
        }
        Some(value) => {
            let (from, to) = (name_end + value.start, name_end + value.end);
            let version = body[from..to].trim_ascii();
            if matches!(version, b"2.0" | b"0.91" | b"0.92" | b"") {
                return None;
            }
            patched.extend_from_slice(&body[..from]);
            patched.extend_from_slice(b"2.0");
            patched.extend_from_slice(&body[to..]);
        }
    }
    Some(patched)
}

/// Namespaces of formats that feed-rs reads as empty, and the namespace of the later version
/// whose elements have the same names.
const LEGACY_NAMESPACES: &[(&[u8], &[u8])] = &[
    // Atom 0.3: titles, links, ids, summaries and content keep their names in Atom 1.0; the 0.3
    // dates (`issued`, `modified`) do not and stay unread.
    (b"http://purl.org/atom/ns#", b"http://www.w3.org/2005/Atom"),
    // RSS 0.90: channel, title, link and item are RSS 1.0's.
    (
        b"http://my.netscape.com/rdf/simple/0.9/",
        b"http://purl.org/rss/1.0/",
    ),
    // RSS 2.0 put in UserLand's namespace, which feed-rs does not know as RSS.
    (
        b"http://backend.userland.com/rss2",
        b"http://purl.org/rss/1.0/",
    ),
];

/// Atom 0.3, RSS 0.90 and UserLand RSS 2.0 namespaces rewritten to those feed-rs reads.
///
/// feed-rs parses these documents without error but matches no element in the old namespace,
/// so the feed comes back without title or entries.
pub(crate) fn legacy_namespaces(body: &[u8]) -> Option<Vec<u8>> {
    let mut patched: Option<Vec<u8>> = None;
    for (old, new) in LEGACY_NAMESPACES {
        let source = patched.as_deref().unwrap_or(body);
        if find(source, old).is_some() {
            patched = Some(replace_all(source, old, new));
        }
    }
    patched
}

/// Two XML syntax errors that a lenient reader recovers from, fixed: a final end tag cut off
/// before its `>` (`</rss` at the end of a truncated download), and `&` not starting a
/// reference (`?a=1&b=2` pasted into a link), which becomes `&amp;`.
///
/// quick-xml is strict about both and feed-rs then rejects the whole document. CDATA sections
/// and comments are left alone: a bare `&` is legal there.
pub(crate) fn xml_syntax(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 64);
    let mut changed = false;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        let skip = if rest.starts_with(b"<![CDATA[") {
            find(rest, b"]]>").map_or(rest.len(), |end| end + 3)
        } else if rest.starts_with(b"<!--") {
            find(rest, b"-->").map_or(rest.len(), |end| end + 3)
        } else {
            0
        };
        if skip > 0 {
            out.extend_from_slice(&rest[..skip]);
            i += skip;
            continue;
        }
        if rest[0] == b'&' && !starts_reference(&rest[1..]) {
            out.extend_from_slice(b"&amp;");
            changed = true;
        } else {
            out.push(rest[0]);
        }
        i += 1;
    }
    let trimmed = out.trim_ascii_end();
    if let Some(lt) = trimmed.iter().rposition(|&b| b == b'<')
        && trimmed.get(lt + 1) == Some(&b'/')
        && trimmed.len() > lt + 2
        && trimmed[lt + 2..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_' | b'.'))
    {
        out.truncate(trimmed.len());
        out.push(b'>');
        changed = true;
    }
    changed.then_some(out)
}

/// Whether the bytes after a `&` form `name;`, `#digits;` or `#xhex;`.
fn starts_reference(after: &[u8]) -> bool {
    let end = after.iter().take(40).position(|&b| b == b';');
    let Some(end) = end else {
        return false;
    };
    let name = &after[..end];
    match name {
        [b'#', b'x', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        [first, rest @ ..] => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        }
        [] => false,
    }
}

/// Every `type="{mime}"` attribute rewritten to a type that Atom text constructs allow: `html`
/// when the value mentions html (`application/xhtml+xml`, `text/xhtml`), else `text`.
///
/// feed-rs rejects the whole feed for one `type` value outside `text`, `html` and `xhtml` on a
/// title or summary. See the "unknown `type`" cases in the corpus README's `atom10` and
/// `entities` groups.
pub(crate) fn text_type(body: &[u8], mime: &str) -> Option<Vec<u8>> {
    if !mime.is_ascii() || mime.contains(['"', '\'']) {
        return None;
    }
    let replacement = if mime.to_ascii_lowercase().contains("html") {
        "html"
    } else {
        "text"
    };
    let mut out: Option<Vec<u8>> = None;
    for quote in ['"', '\''] {
        let old = format!("type={quote}{mime}{quote}");
        let new = format!("type={quote}{replacement}{quote}");
        let source = out.as_deref().unwrap_or(body);
        if find(source, old.as_bytes()).is_some() {
            out = Some(replace_all(source, old.as_bytes(), new.as_bytes()));
        }
    }
    out
}

/// Whether the document is neither valid UTF-8 nor declared to be in another encoding, so that
/// the parser fails on its first stray byte. Such a document is read with each invalid
/// sequence replaced by U+FFFD, rather than rejected whole.
pub(crate) fn needs_utf8_lossy(body: &[u8]) -> bool {
    if std::str::from_utf8(body).is_ok() {
        return false;
    }
    match declared_encoding(body) {
        None => true,
        Some(label) => {
            let label = label.trim_ascii();
            label.eq_ignore_ascii_case(b"utf-8") || label.eq_ignore_ascii_case(b"utf8")
        }
    }
}

/// An `<rss>` root whose items sit directly under it, without `<channel>`, given one.
///
/// feed-rs answers `NoFeedRoot` for such a document; feedparser reads its items (the
/// `encoding_attribute_crash` files of the corpus).
pub(crate) fn rss_channel(body: &[u8]) -> Option<Vec<u8>> {
    let start = root_start(body)?;
    let open_end = tag_end(body, start + 4)?;
    if body.get(open_end.checked_sub(1)?) == Some(&b'/') || !contains_element(body, b"item") {
        return None;
    }
    let close = rfind(body, b"</rss")?;
    if close <= open_end {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() + 24);
    out.extend_from_slice(&body[..=open_end]);
    out.extend_from_slice(b"<channel>");
    out.extend_from_slice(&body[open_end + 1..close]);
    out.extend_from_slice(b"</channel>");
    out.extend_from_slice(&body[close..]);
    Some(out)
}

/// RSS 1.0 `<item>`s without a `<link>` given one: the item's `rdf:about` (RSS 1.0 §5.5: "the
/// URI of the item", in practice its link), or a `urn:` placeholder that is not an http(s)
/// link and so leaves the item without one.
///
/// feed-rs 3.0 drops RSS 1.0 items without `<link>` (`rss1::handle_item`), losing items whose
/// only content is a title or description.
pub(crate) fn rdf_item_links(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 256);
    let mut changed = false;
    let mut i = 0;
    while let Some(found) = find_element_start(&body[i..], b"item") {
        let (lt, prefix) = (i + found.0, found.1);
        let Some(open_end) = tag_end(body, lt + 1) else {
            break;
        };
        out.extend_from_slice(&body[i..=open_end]);
        i = open_end + 1;
        if body[open_end - 1] == b'/' {
            continue;
        }
        let close_tag = [b"</".as_slice(), prefix, b"item"].concat();
        let item_end = find(&body[i..], &close_tag).map_or(body.len(), |at| i + at);
        let has_link = find_element_start(&body[i..item_end], b"link")
            .is_some_and(|(_, link_prefix)| link_prefix == prefix);
        if has_link {
            continue;
        }
        let attrs = &body[lt + 1 + prefix.len() + 4..open_end];
        let about = find_attribute(attrs, b"rdf:about")
            .or_else(|| find_attribute(attrs, b"about"))
            .map(|range| attrs[range].trim_ascii())
            .filter(|about| !about.is_empty() && !about.contains(&b'<'));
        out.push(b'<');
        out.extend_from_slice(prefix);
        out.extend_from_slice(b"link>");
        out.extend_from_slice(about.unwrap_or(b"urn:newsmon:no-link"));
        out.extend_from_slice(b"</");
        out.extend_from_slice(prefix);
        out.extend_from_slice(b"link>");
        changed = true;
    }
    out.extend_from_slice(&body[i..]);
    changed.then_some(out)
}

/// A Microsoft CDF document (`<CHANNEL>` / `<ITEM HREF=…>`) rewritten as RSS 2.0: `HREF`
/// becomes `link`, `LASTMOD` `pubDate`, `TITLE` `title`, `ABSTRACT` `description`.
///
/// CDF (1997) predates RSS and is long dead, but feedparser reads it and so its corpus has it;
/// the rewrite is cheap and keeps its items instead of rejecting the document.
pub(crate) fn cdf_to_rss(body: &[u8]) -> Option<Vec<u8>> {
    let start = root_start(body)?;
    let root = body.get(start + 1..start + 8)?;
    if !root.eq_ignore_ascii_case(b"channel")
        || !body
            .get(start + 8)
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
    {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() + 128);
    out.extend_from_slice(&body[..start]);
    out.extend_from_slice(br#"<rss version="2.0">"#);
    let mut i = start;
    while let Some(lt) = body[i..].iter().position(|&b| b == b'<').map(|at| i + at) {
        out.extend_from_slice(&body[i..lt]);
        let rest = &body[lt..];
        if rest.starts_with(b"<!--") || rest.starts_with(b"<![CDATA[") || rest.starts_with(b"<?") {
            let end = if rest.starts_with(b"<!--") {
                find(rest, b"-->").map(|at| at + 3)
            } else if rest.starts_with(b"<?") {
                find(rest, b"?>").map(|at| at + 2)
            } else {
                find(rest, b"]]>").map(|at| at + 3)
            };
            let end = end.unwrap_or(rest.len());
            out.extend_from_slice(&rest[..end]);
            i = lt + end;
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = body[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(body.len() - name_start);
        let name = body[name_start..name_start + name_len].to_ascii_lowercase();
        let renamed: Option<&[u8]> = match name.as_slice() {
            b"channel" => Some(b"channel"),
            b"item" => Some(b"item"),
            b"title" => Some(b"title"),
            b"abstract" => Some(b"description"),
            _ => None,
        };
        let Some(end) = tag_end(body, name_start) else {
            // A download cut inside the last tag (`</CHANNEL`): close it if it is one of ours.
            if let (Some(new), true) = (renamed, closing) {
                out.extend_from_slice(b"</");
                out.extend_from_slice(new);
                out.push(b'>');
            }
            i = body.len();
            break;
        };
        let attrs = &body[name_start + name_len..end];
        let self_closing = attrs.last() == Some(&b'/');
        match (renamed, closing) {
            (Some(new), true) => {
                out.extend_from_slice(b"</");
                out.extend_from_slice(new);
                out.push(b'>');
            }
            (Some(new), false) => {
                out.push(b'<');
                out.extend_from_slice(new);
                out.push(b'>');
                if matches!(name.as_slice(), b"channel" | b"item") {
                    let attr = |key: &[u8]| {
                        find_attribute_ci(attrs, key).map(|range| attrs[range].trim_ascii())
                    };
                    if let Some(href) = attr(b"href") {
                        out.extend_from_slice(b"<link>");
                        out.extend_from_slice(href);
                        out.extend_from_slice(b"</link>");
                    }
                    if let Some(date) = attr(b"lastmod") {
                        out.extend_from_slice(b"<pubDate>");
                        out.extend_from_slice(date);
                        out.extend_from_slice(b"</pubDate>");
                    }
                }
                if self_closing {
                    out.extend_from_slice(b"</");
                    out.extend_from_slice(new);
                    out.push(b'>');
                }
            }
            // Other CDF elements (LOGO, SCHEDULE, USAGE…) carry nothing a news reader needs.
            (None, _) => {}
        }
        i = end + 1;
    }
    out.extend_from_slice(&body[i..]);
    out.extend_from_slice(b"</rss>");
    Some(out)
}

/// `type` values of Atom `<content>` elements that name an XML media type
/// (`application/xhtml+xml`, `text/xml`) rewritten to `xhtml`, which feed-rs reads as inline
/// markup.
///
/// RFC 4287 §4.1.3.3 says such content is inline XML, but feed-rs 3.0 tests the type with
/// `ends_with(" +xml")` (a stray space) and then expects escaped text, so it rejects the whole
/// feed with "missing content" (the Atom 0.3 files of the corpus use these types).
pub(crate) fn xml_content_type(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut changed = false;
    let mut i = 0;
    while let Some((at, prefix)) = find_element_start(&body[i..], b"content") {
        let lt = i + at;
        let Some(end) = tag_end(body, lt + 1) else {
            break;
        };
        let attrs_start = lt + 1 + prefix.len() + 7;
        out.extend_from_slice(&body[i..attrs_start]);
        let attrs = &body[attrs_start..end];
        let xml_type = find_attribute(attrs, b"type").filter(|range| {
            let value = attrs[range.clone()].trim_ascii().to_ascii_lowercase();
            value.ends_with(b"+xml") || value.ends_with(b"/xml")
        });
        match xml_type {
            Some(range) => {
                out.extend_from_slice(&attrs[..range.start]);
                out.extend_from_slice(b"xhtml");
                out.extend_from_slice(&attrs[range.end..]);
                changed = true;
            }
            None => out.extend_from_slice(attrs),
        }
        i = end;
    }
    out.extend_from_slice(&body[i..]);
    changed.then_some(out)
}

/// The offset of the next start tag of a `name` element with any namespace prefix, and the
/// prefix with its colon (empty for none).
fn find_element_start<'a>(body: &'a [u8], name: &[u8]) -> Option<(usize, &'a [u8])> {
    let mut from = 0;
    while let Some(at) = body[from..]
        .iter()
        .position(|&b| b == b'<')
        .map(|at| from + at)
    {
        from = at + 1;
        let rest = &body[at + 1..];
        let qname_len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.')))
            .unwrap_or(rest.len());
        let qname = &rest[..qname_len];
        let (prefix, local) = match qname.iter().rposition(|&b| b == b':') {
            Some(colon) => (&qname[..=colon], &qname[colon + 1..]),
            None => (&qname[..0], qname),
        };
        if local == name
            && rest
                .get(qname_len)
                .is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        {
            return Some((at, prefix));
        }
    }
    None
}

fn contains_element(body: &[u8], name: &[u8]) -> bool {
    find_element_start(body, name).is_some()
}

/// [`find_attribute`] with the name matched regardless of case (CDF writes `HREF` and `href`).
fn find_attribute_ci(attrs: &[u8], name: &[u8]) -> Option<std::ops::Range<usize>> {
    find_attribute(&attrs.to_ascii_lowercase(), &name.to_ascii_lowercase())
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub(crate) fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).trim())
            .filter(|value| !value.is_empty())
    })
}

/// An XML document transcoded to UTF-8 from the HTTP `charset` `label`, with its declaration
/// changed to say UTF-8; `None` when feed-rs's own decoding (BOM, then declaration) gives the
/// same result or the label should not be trusted.
///
/// A BOM outranks the label (WHATWG and XML 1.0 appendix F agree). An unknown label is
/// ignored. A UTF-8 label on bytes that are not UTF-8 is ignored too: servers send one default
/// charset for every file, while the declaration was written with the document.
pub(crate) fn http_charset_to_utf8(body: &[u8], label: &str) -> Option<Vec<u8>> {
    use encoding_rs::{Encoding, UTF_8};

    if Encoding::for_bom(body).is_some() || wide_to_utf8(body).is_some() {
        return None;
    }
    let start = body.trim_ascii_start();
    if start.starts_with(b"{") || start.starts_with(b"[") {
        // JSON is UTF-8 by definition (RFC 8259 §8.1).
        return None;
    }
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    let declared = declared_encoding(body)
        .and_then(|declared| Encoding::for_label(declared.trim_ascii()))
        .unwrap_or(UTF_8);
    if encoding == UTF_8 && std::str::from_utf8(body).is_err() {
        return None;
    }
    if encoding == declared {
        return None;
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    Some(with_utf8_declaration(text.into_owned().into_bytes()))
}

/// A document whose XML declaration names an encoding that encoding_rs (and so quick-xml)
/// does not know, transcoded to UTF-8: by the label spelled the WHATWG way (`windows_1252`,
/// `macroman`, `cp874`), else as UTF-8 when the bytes are, else as windows-1252, which keeps
/// every ASCII byte (the markup) and maps each other byte to some character.
///
/// quick-xml rejects the whole document for an unknown label; the corpus README asks to
/// "accept unknown labels by falling back".
pub(crate) fn unknown_encoding_to_utf8(body: &[u8]) -> Option<Vec<u8>> {
    use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

    let label = declared_encoding(body)?.trim_ascii();
    if label.is_empty() || Encoding::for_label(label).is_some() {
        return None;
    }
    let spelled = String::from_utf8_lossy(label)
        .to_ascii_lowercase()
        .replace('_', "-");
    let alias = match spelled.as_str() {
        "macroman" | "mac-roman" | "macintosh-roman" => "macintosh",
        "mac-cyrillic" | "maccyrillic" => "x-mac-cyrillic",
        "cp874" | "ms874" => "windows-874",
        "cp-is" | "cp861" => "ibm861",
        other => other,
    };
    let encoding = Encoding::for_label(alias.as_bytes())
        .or_else(|| std::str::from_utf8(body).is_ok().then_some(UTF_8))
        .unwrap_or(WINDOWS_1252);
    let (text, _) = encoding.decode_without_bom_handling(body);
    Some(with_utf8_declaration(text.into_owned().into_bytes()))
}

/// `utf8` with the `encoding` of its XML declaration, if any, set to UTF-8.
fn with_utf8_declaration(mut utf8: Vec<u8>) -> Vec<u8> {
    let offset = utf8.len() - utf8.trim_ascii_start().len();
    if utf8[offset..].starts_with(b"<?xml")
        && let Some(end) = find(&utf8[offset..], b"?>")
        && let Some(value) = find_attribute(&utf8[offset + 5..offset + end], b"encoding")
    {
        let at = offset + 5;
        utf8.splice(at + value.start..at + value.end, b"UTF-8".iter().copied());
    }
    utf8
}

/// The `encoding` of the XML declaration, if there is one.
fn declared_encoding(body: &[u8]) -> Option<&[u8]> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let body = body.trim_ascii_start();
    if !body.starts_with(b"<?xml") {
        return None;
    }
    let end = find(body, b"?>")?;
    let value = find_attribute(&body[5..end], b"encoding")?;
    Some(&body[5 + value.start..5 + value.end])
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Whether the root element is `<rss>`.
pub(crate) fn root_is_rss(body: &[u8]) -> bool {
    root_start(body).is_some_and(|start| {
        body.get(start..start + 4) == Some(b"<rss")
            && body
                .get(start + 4)
                .is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
    })
}

fn replace_all(haystack: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + 16);
    let mut rest = haystack;
    while let Some(at) = find(rest, old) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(new);
        rest = &rest[at + old.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// A UTF-16 or UTF-32 document (by BOM, or by the `<?` pattern of XML 1.0 appendix F) transcoded
/// to UTF-8, with its XML declaration changed to say so.
///
/// quick-xml 0.42 panics when a UTF-16BE byte-order mark meets `encoding="utf-16"` (a label
/// WHATWG maps to little endian): "set_encoding() called after prefix buffer was drained". It
/// does not read UTF-32 at all. Undecodable units become U+FFFD instead of failing the document.
pub(crate) fn wide_to_utf8(body: &[u8]) -> Option<Vec<u8>> {
    #[derive(Clone, Copy)]
    enum Wide {
        Utf16 { big_endian: bool },
        Utf32 { big_endian: bool },
    }
    let (wide, skip) = match body {
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Wide::Utf32 { big_endian: true }, 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Wide::Utf32 { big_endian: false }, 4),
        [0xFE, 0xFF, ..] => (Wide::Utf16 { big_endian: true }, 2),
        [0xFF, 0xFE, ..] => (Wide::Utf16 { big_endian: false }, 2),
        [0x00, 0x00, 0x00, 0x3C, ..] => (Wide::Utf32 { big_endian: true }, 0),
        [0x3C, 0x00, 0x00, 0x00, ..] => (Wide::Utf32 { big_endian: false }, 0),
        [0x00, 0x3C, 0x00, 0x3F, ..] => (Wide::Utf16 { big_endian: true }, 0),
        [0x3C, 0x00, 0x3F, 0x00, ..] => (Wide::Utf16 { big_endian: false }, 0),
        _ => return None,
    };
    let body = &body[skip..];
    let text: String = match wide {
        Wide::Utf16 { big_endian } => {
            let units = body.chunks_exact(2).map(|pair| {
                let pair = [pair[0], pair[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        Wide::Utf32 { big_endian } => body
            .chunks_exact(4)
            .map(|quad| {
                let quad = [quad[0], quad[1], quad[2], quad[3]];
                let unit = if big_endian {
                    u32::from_be_bytes(quad)
                } else {
                    u32::from_le_bytes(quad)
                };
                char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
    };
    Some(with_utf8_declaration(text.into_bytes()))
}

/// A JSON Feed whose optional fields have the wrong type, re-serialised with those fields
/// coerced or dropped.
///
/// The JSON Feed spec says ids are strings but that numeric ids should be coerced; feed-rs's
/// strict serde model instead rejects the whole feed for one number, `null` or object in a place
/// it expects a string. Only documents that declare a `https://jsonfeed.org/version/1*` version
/// are touched: other JSON stays "not a feed".
pub(crate) fn json_feed(body: &[u8]) -> Option<Vec<u8>> {
    use serde_json::{Map, Value};

    fn keep_strings(object: &mut Map<String, Value>, keys: &[&str]) {
        for key in keys {
            if object.get(*key).is_some_and(|value| !value.is_string()) {
                object.remove(*key);
            }
        }
    }

    fn fix_authors(object: &mut Map<String, Value>) {
        let valid = |value: &mut Value| match value.as_object_mut() {
            Some(author) => {
                keep_strings(author, &["name", "url", "avatar"]);
                true
            }
            None => false,
        };
        if let Some(author) = object.get_mut("author")
            && !valid(author)
        {
            object.remove("author");
        }
        match object.get_mut("authors") {
            Some(Value::Array(authors)) => authors.retain_mut(valid),
            Some(_) => {
                object.remove("authors");
            }
            None => {}
        }
    }

    fn fix_item(item: &mut Value) -> bool {
        let Some(item) = item.as_object_mut() else {
            return false;
        };
        match item.get("id") {
            Some(Value::Number(n)) => {
                let id = n.to_string();
                item.insert("id".into(), Value::String(id));
            }
            Some(Value::Bool(b)) => {
                let id = b.to_string();
                item.insert("id".into(), Value::String(id));
            }
            Some(Value::String(_)) | None => {}
            Some(_) => {
                item.remove("id");
            }
        }
        keep_strings(
            item,
            &[
                "url",
                "external_url",
                "title",
                "content_html",
                "content_text",
                "summary",
                "date_published",
                "date_modified",
            ],
        );
        fix_authors(item);
        match item.get_mut("tags") {
            Some(Value::Array(tags)) => tags.retain(Value::is_string),
            Some(_) => {
                item.remove("tags");
            }
            None => {}
        }
        match item.get_mut("attachments") {
            Some(Value::Array(attachments)) => attachments.retain_mut(|attachment| {
                let Some(attachment) = attachment.as_object_mut() else {
                    return false;
                };
                keep_strings(attachment, &["title"]);
                if attachment
                    .get("size_in_bytes")
                    .is_some_and(|size| size.as_u64().is_none())
                {
                    attachment.remove("size_in_bytes");
                }
                ["url", "mime_type"]
                    .iter()
                    .all(|key| attachment.get(*key).is_some_and(Value::is_string))
            }),
            Some(_) => {
                item.remove("attachments");
            }
            None => {}
        }
        true
    }

    let mut value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => serde_json::from_slice(&json_text(body)?).ok()?,
    };
    let feed = value.as_object_mut()?;
    let version = feed.get("version")?.as_str()?.trim().to_string();
    if !version.starts_with("https://jsonfeed.org/version/1") {
        return None;
    }
    feed.insert("version".into(), Value::String(version));
    if !feed.get("title").is_some_and(Value::is_string) {
        feed.insert("title".into(), Value::String(String::new()));
    }
    keep_strings(
        feed,
        &[
            "home_page_url",
            "feed_url",
            "language",
            "description",
            "icon",
            "favicon",
        ],
    );
    fix_authors(feed);
    match feed.get_mut("items") {
        Some(Value::Array(items)) => items.retain_mut(fix_item),
        _ => {
            feed.insert("items".into(), Value::Array(Vec::new()));
        }
    }
    serde_json::to_vec(&value).ok()
}

/// JSON text that serde_json rejects, fixed where the intent is plain: escaped lone UTF-16
/// surrogates (`"\ud800"`, which JavaScript writes freely) become U+FFFD, and a document cut
/// short (a truncated download) is closed: the open string ends where the text ends, and open
/// arrays and objects are closed. A member cut before its value is dropped.
fn json_text(body: &[u8]) -> Option<Vec<u8>> {
    /// Deeper documents are not feeds (and serde_json stops at 128 levels anyway).
    const MAX_DEPTH: usize = 64;
    let unit = |at: usize| {
        body.get(at..at + 4)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u16::from_str_radix(hex, 16).ok())
    };
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut stack: Vec<u8> = Vec::new();
    let mut in_string = false;
    // Where a cut leaves valid JSON once closed: the last comma between complete members or
    // elements, and the depth there.
    let mut safe: Option<(usize, usize)> = None;
    let mut changed = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_string {
            let step = match b {
                b'\\' if body.get(i + 1) == Some(&b'u') => match unit(i + 2) {
                    Some(0xD800..=0xDBFF)
                        if body.get(i + 6..i + 8) == Some(b"\\u")
                            && unit(i + 8).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) =>
                    {
                        12
                    }
                    Some(0xD800..=0xDFFF) => {
                        out.extend_from_slice(b"\\ufffd");
                        changed = true;
                        i += 6;
                        continue;
                    }
                    _ => 6,
                },
                b'\\' => 2,
                b'"' => {
                    in_string = false;
                    1
                }
                _ => 1,
            };
            let end = (i + step).min(body.len());
            out.extend_from_slice(&body[i..end]);
            i = end;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                stack.push(if b == b'{' { b'}' } else { b']' });
                if stack.len() > MAX_DEPTH {
                    return None;
                }
            }
            b'}' | b']' => {
                let expected = stack.pop();
                if expected != Some(b) {
                    return None;
                }
            }
            b',' => safe = Some((out.len(), stack.len())),
            _ => {}
        }
        out.push(b);
        i += 1;
    }
    if in_string || !stack.is_empty() {
        let mut closed = out.clone();
        if in_string {
            closed.push(b'"');
        }
        closed.extend(stack.iter().rev());
        if serde_json::from_slice::<serde_json::Value>(&closed).is_ok() {
            return Some(closed);
        }
        // Cut mid-member ("key" with no value): drop back to the last complete member.
        let (cut, depth) = safe?;
        out.truncate(cut);
        stack.truncate(depth);
        out.extend(stack.iter().rev());
        return Some(out);
    }
    changed.then_some(out)
}

/// Offset of the `<` that opens the root element: after a BOM, the XML declaration, processing
/// instructions, comments and a DOCTYPE (internal subset included).
fn root_start(body: &[u8]) -> Option<usize> {
    let mut i = if body.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    loop {
        while body.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let rest = body.get(i..)?;
        if rest.starts_with(b"<?") {
            i += find(rest, b"?>")? + 2;
        } else if rest.starts_with(b"<!--") {
            i += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<!") {
            i += doctype_end(rest)?;
        } else if rest.starts_with(b"<") {
            return Some(i);
        } else {
            return None;
        }
    }
}

/// Length of a `<!DOCTYPE …>` declaration, skipping a `[…]` internal subset and quoted strings.
fn doctype_end(rest: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, &b) in rest.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Offset of the `>` that closes the start tag beginning before `from`, skipping quoted values.
fn tag_end(body: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in body.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The value range (relative to `attrs`) of the attribute called `name` in a start tag's
/// attribute list.
fn find_attribute(attrs: &[u8], name: &[u8]) -> Option<std::ops::Range<usize>> {
    let mut i = 0;
    loop {
        while attrs.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let name_start = i;
        while attrs
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'/' | b'>'))
        {
            i += 1;
        }
        if i == name_start {
            return None;
        }
        let this_name = &attrs[name_start..i];
        while attrs.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if attrs.get(i) != Some(&b'=') {
            // A bare attribute (not well-formed XML): keep scanning.
            continue;
        }
        i += 1;
        while attrs.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let quote = *attrs.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let value_len = attrs.get(value_start..)?.iter().position(|&b| b == quote)?;
        let value = value_start..value_start + value_len;
        if this_name == name {
            return Some(value);
        }
        i = value.end + 1;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(input: &str) -> Option<String> {
        rss_version(input.as_bytes()).map(|bytes| String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn rss_version_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "<rss><channel/></rss>",
                Some(r#"<rss version="2.0"><channel/></rss>"#),
            ),
            (
                "<rss\n  xmlns:dc='x'><channel/></rss>",
                Some("<rss version=\"2.0\"\n  xmlns:dc='x'><channel/></rss>"),
            ),
            (
                r#"<rss version="2.00"><channel/></rss>"#,
                Some(r#"<rss version="2.0"><channel/></rss>"#),
            ),
            (
                "<rss version='0.94' a=\"b\">",
                Some("<rss version='2.0' a=\"b\">"),
            ),
            (
                r#"<?xml version="1.0"?><!-- <rss> --><!DOCTYPE rss [<!ENTITY x "y>">]><rss a="version=1"><channel/></rss>"#,
                Some(
                    r#"<?xml version="1.0"?><!-- <rss> --><!DOCTYPE rss [<!ENTITY x "y>">]><rss version="2.0" a="version=1"><channel/></rss>"#,
                ),
            ),
            ("\u{feff}  <rss/>", Some("\u{feff}  <rss version=\"2.0\"/>")),
            (r#"<rss version="2.0"><channel/></rss>"#, None),
            (r#"<rss version="0.91"></rss>"#, None),
            (r#"<rss version=""></rss>"#, None),
            ("<rss2><channel/></rss2>", None),
            ("<feed><rss/></feed>", None),
            ("<html><body>hi</body></html>", None),
            ("plain text <rss>", None),
            ("<rss", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(patched(input).as_deref(), *want, "rss_version({input:?})");
        }
    }

    #[test]
    fn wide_encodings_become_utf8_with_a_matching_declaration() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>é</rss>";
        let want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>é</rss>";
        let utf16be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let utf16le: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf32le: Vec<u8> = xml
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        for (name, bytes) in [
            (
                "utf-16be with BOM",
                [vec![0xFE, 0xFF], utf16be.clone()].concat(),
            ),
            ("utf-16be autodetected", utf16be),
            (
                "utf-16le with BOM",
                [vec![0xFF, 0xFE], utf16le.clone()].concat(),
            ),
            ("utf-16le autodetected", utf16le),
            ("utf-32le autodetected", utf32le),
        ] {
            let out = wide_to_utf8(&bytes).unwrap_or_else(|| panic!("{name}: not detected"));
            assert_eq!(String::from_utf8(out).unwrap(), want, "{name}");
        }
        assert!(wide_to_utf8(xml.as_bytes()).is_none());
        assert!(wide_to_utf8(b"\xEF\xBB\xBF<rss/>").is_none());
    }

    #[test]
    fn json_feed_coerces_ids_and_drops_wrong_types() {
        let input = br#"{"version": " https://jsonfeed.org/version/1.1", "title": null,
            "icon": 7, "author": "me",
            "items": [{"id": 42, "title": ["x"], "url": "https://e.com/a", "tags": ["a", 1]},
                      {"id": {"x": 1}, "content_text": "t"}, "junk"]}"#;
        let out: serde_json::Value = serde_json::from_slice(&json_feed(input).unwrap()).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "",
                "items": [{"id": "42", "url": "https://e.com/a", "tags": ["a"]},
                          {"content_text": "t"}]})
        );
    }

    #[test]
    fn json_feed_leaves_other_json_alone() {
        assert!(json_feed(br#"{"items": []}"#).is_none());
        assert!(json_feed(br#"{"version": "2", "items": []}"#).is_none());
        assert!(json_feed(b"[1, 2]").is_none());
        assert!(json_feed(b"{ truncated").is_none());
    }

    #[test]
    fn legacy_namespaces_are_rewritten_everywhere() {
        let input = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><x xmlns:a="http://purl.org/atom/ns#"/></feed>"#;
        let out = String::from_utf8(legacy_namespaces(input).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<feed version="0.3" xmlns="http://www.w3.org/2005/Atom"><x xmlns:a="http://www.w3.org/2005/Atom"/></feed>"#
        );
        let rss090 = br#"<rdf:RDF xmlns="http://my.netscape.com/rdf/simple/0.9/"/>"#;
        let out = String::from_utf8(legacy_namespaces(rss090).unwrap()).unwrap();
        assert_eq!(out, r#"<rdf:RDF xmlns="http://purl.org/rss/1.0/"/>"#);
        assert!(legacy_namespaces(b"<feed xmlns='http://www.w3.org/2005/Atom'/>").is_none());
    }

    #[test]
    fn xml_syntax_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "<link>http://e/?a=1&b=2&c</link>",
                Some("<link>http://e/?a=1&amp;b=2&amp;c</link>"),
            ),
            ("<t>&amp; &#38; &#x26; &eacute;</t>", None),
            ("<t><![CDATA[a & b]]><!-- & --></t>", None),
            ("<rss><channel/></rss", Some("<rss><channel/></rss>")),
            ("<feed></feed\n  ", Some("<feed></feed>")),
            ("<a:feed></a:feed", Some("<a:feed></a:feed>")),
            ("<rss></rss>", None),
            ("<t>a < b</t>", None),
            ("& at the end &", Some("&amp; at the end &amp;")),
        ];
        for (input, want) in cases {
            let got = xml_syntax(input.as_bytes()).map(|b| String::from_utf8(b).unwrap());
            assert_eq!(got.as_deref(), *want, "xml_syntax({input:?})");
        }
    }

    #[test]
    fn text_type_rewrites_unknown_types() {
        let input =
            br#"<title type="application/xhtml+xml">x</title><summary type='text/rtf'>y</summary>"#;
        let out = text_type(input, "application/xhtml+xml").unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            r#"<title type="html">x</title><summary type='text/rtf'>y</summary>"#
        );
        let out = text_type(&out, "text/rtf").unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("<summary type='text'>y</summary>")
        );
        assert!(text_type(input, "image/png").is_none());
        let empty = text_type(br#"<title type="">x</title>"#, "").unwrap();
        assert_eq!(empty, br#"<title type="text">x</title>"#);
    }

    #[test]
    fn needs_utf8_lossy_only_for_undeclared_invalid_utf8() {
        assert!(needs_utf8_lossy(b"<rss>\xE9</rss>"));
        assert!(needs_utf8_lossy(
            b"<?xml version='1.0' encoding='UTF-8'?><rss>\xE9</rss>"
        ));
        assert!(!needs_utf8_lossy(
            b"<?xml version='1.0' encoding='koi8-r'?><rss>\xE9</rss>"
        ));
        assert!(!needs_utf8_lossy("<rss>é</rss>".as_bytes()));
    }

    #[test]
    fn http_charset_table() {
        let utf8 = |bytes: Option<Vec<u8>>| bytes.map(|b| String::from_utf8(b).unwrap());
        // cp1251 bytes, no declaration: the label decides.
        let cp1251 = b"<rss><title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title></rss>";
        assert_eq!(
            utf8(http_charset_to_utf8(cp1251, "windows-1251")).as_deref(),
            Some("<rss><title>Новости</title></rss>")
        );
        // The label outranks a declaration, which is rewritten.
        let declared = b"<?xml version='1.0' encoding='iso-8859-1'?><rss>\xcd</rss>";
        assert_eq!(
            utf8(http_charset_to_utf8(declared, "koi8-r")).as_deref(),
            Some("<?xml version='1.0' encoding='UTF-8'?><rss>м</rss>")
        );
        // UTF-8 label on non-UTF-8 bytes, same encoding, BOM, unknown label, JSON: untouched.
        assert_eq!(http_charset_to_utf8(declared, "utf-8"), None);
        assert_eq!(http_charset_to_utf8(declared, "latin1"), None);
        assert_eq!(http_charset_to_utf8(b"\xEF\xBB\xBF<rss/>", "koi8-r"), None);
        assert_eq!(http_charset_to_utf8(cp1251, "x-no-such-charset"), None);
        assert_eq!(http_charset_to_utf8(b"{\"items\": []}", "koi8-r"), None);
        // A declaration of another charset on bytes that are UTF-8, served as UTF-8.
        let mislabelled = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss>é</rss>";
        assert_eq!(
            utf8(http_charset_to_utf8(mislabelled.as_bytes(), "UTF-8")).as_deref(),
            Some("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>é</rss>")
        );
        assert_eq!(
            charset_param("text/xml; charset=\"KOI8-R\""),
            Some("KOI8-R")
        );
        assert_eq!(charset_param("text/xml;Charset=utf-8;x=y"), Some("utf-8"));
        assert_eq!(charset_param("text/xml"), None);
    }

    #[test]
    fn rdf_items_without_link_get_their_about_or_a_placeholder() {
        let input = br#"<rdf:RDF><channel/><item rdf:about="http://e.com/1"><title>a</title></item><rss:item><rss:title>b</rss:title></rss:item><item><link>http://e.com/3</link></item></rdf:RDF>"#;
        let out = String::from_utf8(rdf_item_links(input).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<rdf:RDF><channel/><item rdf:about="http://e.com/1"><link>http://e.com/1</link><title>a</title></item><rss:item><rss:link>urn:newsmon:no-link</rss:link><rss:title>b</rss:title></rss:item><item><link>http://e.com/3</link></item></rdf:RDF>"#
        );
        assert!(
            rdf_item_links(b"<rdf:RDF><items/><item><link>x</link></item></rdf:RDF>").is_none()
        );
    }

    #[test]
    fn rss_without_channel_gets_one_when_it_has_items() {
        let out = rss_channel(b"<rss><item><title>a</title></item></rss>").unwrap();
        assert_eq!(
            out,
            b"<rss><channel><item><title>a</title></item></channel></rss>"
        );
        assert!(rss_channel(b"<rss><title>no items</title></rss>").is_none());
        assert!(rss_channel(b"<rss/>").is_none());
    }

    #[test]
    fn cdf_becomes_rss() {
        let input = br#"<CHANNEL HREF="http://e.com/"><TITLE>c</TITLE><ITEM HREF="/1" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>i</TITLE><ABSTRACT>s</ABSTRACT><LOGO HREF="x"/></ITEM></CHANNEL"#;
        let out = String::from_utf8(cdf_to_rss(input).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<rss version="2.0"><channel><link>http://e.com/</link><title>c</title><item><link>/1</link><pubDate>2004-04-06T23:05:43-05:00</pubDate><title>i</title><description>s</description></item></channel></rss>"#
        );
        assert!(cdf_to_rss(b"<rss><channel/></rss>").is_none());
    }

    #[test]
    fn xml_content_types_become_xhtml() {
        let input = br#"<link type="application/atom+xml"/><content type="application/xhtml+xml" xml:lang=""><div/></content><content type="html">x</content>"#;
        let out = String::from_utf8(xml_content_type(input).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<link type="application/atom+xml"/><content type="xhtml" xml:lang=""><div/></content><content type="html">x</content>"#
        );
        assert!(xml_content_type(br#"<content type="html">x</content>"#).is_none());
    }

    #[test]
    fn json_text_fixes_lone_surrogates_and_truncation() {
        let text = |input: &[u8]| json_text(input).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(
            text(br#"{"a":"\ud800 x \udc00","b":"\ud83d\ude00"}"#).as_deref(),
            Some(r#"{"a":"\ufffd x \ufffd","b":"\ud83d\ude00"}"#)
        );
        assert_eq!(
            text(br#"{"items": [{"id": "1", "content_text": "cut"#).as_deref(),
            Some(r#"{"items": [{"id": "1", "content_text": "cut"}]}"#)
        );
        assert_eq!(
            text(br#"{"items": [{"id": "1"}, {"id": "2", "tit"#).as_deref(),
            Some(r#"{"items": [{"id": "1"}, {"id": "2"}]}"#)
        );
        assert_eq!(text(br#"{"a": 1}"#), None);
        assert_eq!(text(b"{]"), None);
        assert_eq!(text(&[b'['; 1000]), None);
    }

    #[test]
    fn unknown_encoding_labels_fall_back() {
        let utf8 = |bytes: Option<Vec<u8>>| bytes.map(|b| String::from_utf8(b).unwrap());
        assert_eq!(
            utf8(unknown_encoding_to_utf8(
                b"<?xml version='1.0' encoding='windows_1252'?><t>\x80</t>"
            ))
            .as_deref(),
            Some("<?xml version='1.0' encoding='UTF-8'?><t>€</t>")
        );
        assert_eq!(
            utf8(unknown_encoding_to_utf8(
                b"<?xml version='1.0' encoding='437'?><t>\x80</t>"
            ))
            .as_deref(),
            Some("<?xml version='1.0' encoding='UTF-8'?><t>€</t>")
        );
        assert_eq!(
            unknown_encoding_to_utf8(b"<?xml version='1.0' encoding='koi8-r'?><t/>"),
            None
        );
        assert_eq!(unknown_encoding_to_utf8(b"<t/>"), None);
    }

    #[test]
    fn root_is_rss_skips_the_prolog() {
        assert!(root_is_rss(
            b"<?xml version='1.0'?><!-- c --><rss version='2.0'></rss>"
        ));
        assert!(root_is_rss(b"<rss/>"));
        assert!(!root_is_rss(b"<rss2/>"));
        assert!(!root_is_rss(b"<feed><rss/></feed>"));
    }
}
