//! Any bytes, with or without a content type, through the whole extractor: it returns an
//! article or an error, and never panics, overflows the stack or hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsmon_extractor::Extractor;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a declared charset, so label handling is fuzzed too.
    let (content_type, body) = match data.split_first() {
        Some((0, rest)) => (Some("text/html; charset=windows-1251"), rest),
        Some((1, rest)) => (Some("text/html; charset=utf-8"), rest),
        Some((2, rest)) => (Some("text/html; charset=shift_jis"), rest),
        _ => (None, data),
    };
    let _ = Extractor::new().extract(body, Some("https://example.com/a"), content_type);
});
