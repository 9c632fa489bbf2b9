//! Any text through the tagger compiled from the shipped taxonomy: mentions always point
//! at char boundaries inside the text, and their evidence contains the match.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsmon_extractor::{Tagger, Taxonomy};

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| {
        let text = include_str!("../../config/taxonomy.toml");
        match Taxonomy::from_toml(text, "taxonomy.toml").and_then(|t| t.build()) {
            Ok(tagger) => tagger,
            Err(err) => panic!("the shipped taxonomy must build: {err}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for mention in tagger().tag(text) {
        let matched = &text[mention.start..mention.end];
        assert_eq!(matched, mention.matched);
        assert!(mention.evidence.contains(matched));
    }
});
