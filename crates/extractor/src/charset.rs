//! Bytes to text. The order follows the WHATWG encoding sniffing algorithm in
//! spirit: BOM, then the transport's label, then `<meta charset>`, then a guess.

use encoding_rs::{Encoding, UTF_8};

/// How far into a document a `<meta charset>` declaration is looked for.
const META_SCAN_BYTES: usize = 4096;

/// Decodes `bytes` to text. The encoding comes from a byte-order mark; else, for bytes
/// that are valid UTF-8 and not plain ASCII, UTF-8; else the HTTP `Content-Type`
/// charset, a `<meta charset>` in the first 4 KiB, or a statistical guess, in that order.
/// Invalid sequences become U+FFFD; this never fails.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        // `decode` strips the BOM.
        return encoding.decode(bytes).0.into_owned();
    }
    // Legacy multi-byte text is almost never valid UTF-8 by accident, while labels are
    // often wrong: servers default to one charset for every page, and re-saved pages keep
    // their old <meta charset>. Valid UTF-8 outranks any label.
    let labelled = content_type.and_then(label_from_content_type).is_some();
    if let Ok(text) = std::str::from_utf8(bytes)
        && (!text.is_ascii() || !labelled)
    {
        return text.to_string();
    }
    let encoding = content_type
        .and_then(label_from_content_type)
        .or_else(|| meta_charset(bytes))
        .filter(|encoding| *encoding != UTF_8)
        .unwrap_or_else(|| guess(bytes));
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fn label_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(
            value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .as_bytes(),
        )
    })
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset=") {
        let start = from + pos + b"charset=".len();
        let value: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'' || b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            .collect();
        if let Some(encoding) = Encoding::for_label(&value) {
            // A document that claims UTF-16 in ASCII-compatible bytes is really UTF-8
            // (WHATWG "get an encoding" for meta).
            return Some(if encoding.name().starts_with("UTF-16") {
                UTF_8
            } else {
                encoding
            });
        }
        from = start;
    }
    None
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_header() {
        let bytes = b"\xEF\xBB\xBFcaf\xC3\xA9";
        assert_eq!(
            decode(bytes, Some("text/html; charset=windows-1252")),
            "café"
        );
    }

    #[test]
    fn header_label_is_used() {
        let bytes = b"caf\xE9";
        assert_eq!(
            decode(bytes, Some("text/html; charset=\"ISO-8859-1\"")),
            "café"
        );
    }

    #[test]
    fn meta_charset_is_used() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\"><p>Новости</p>");
        assert!(decode(&bytes, None).contains("Новости"));
    }

    #[test]
    fn utf8_label_on_cp1251_bytes_is_corrected() {
        let text = "Переговори щодо гарантій безпеки тривали два дні у Парижі. ".repeat(5);
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        let decoded = decode(&bytes, Some("text/html; charset=utf-8"));
        assert!(decoded.contains("Переговори"), "{decoded}");
    }

    #[test]
    fn valid_utf8_outranks_a_stale_meta_label() {
        let html = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>人工智能公司</p>";
        assert!(decode(html.as_bytes(), None).contains("人工智能公司"));
        assert!(decode(html.as_bytes(), Some("text/html; charset=gbk")).contains("人工智能公司"));
    }

    #[test]
    fn ascii_follows_its_label() {
        // Plain ASCII decodes the same in every ASCII-compatible label, except where a
        // label maps bytes differently; the label is honoured.
        assert_eq!(
            decode(b"plain text", Some("text/plain; charset=iso-8859-1")),
            "plain text"
        );
        assert_eq!(decode(b"plain text", None), "plain text");
    }

    #[test]
    fn invalid_bytes_never_fail() {
        let decoded = decode(&[0xff, 0xfe, 0x00, 0xc3], None);
        assert!(!decoded.is_empty());
    }
}
