//! Concept lexicons: many words, in many languages and inflections, for one idea
//! ("a guarantee", "troops", "the U.S. side"), as data (`config/lexicon.toml`).
//!
//! ```toml
//! [concepts]
//! guarantee = ["guarant", "garanti", "gwarancj", "гаранті"]  # stems: match a word's start
//! us = ["u.s.", "usa$", "american"]                           # "$": the whole word
//! ```
//!
//! Entries are folded like the text (see `fold`) and match at the start of a word; an
//! entry ending in `$` must also end at a word's end. In a phrase, a word ending in `*` is
//! a stem too, so one entry covers the cases of both words ("plan* gospodarcz" =
//! "plan gospodarczy", "planu gospodarczego", "planem gospodarczym"); the phrase's other
//! words are matched as written. The learned scorer uses the
//! concepts found in a sentence, and their pairs (frames), as features.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::fold::fold_str;

/// The lexicon as written: concept name → entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconConfig {
    /// Concepts and their entries.
    pub concepts: BTreeMap<String, Vec<String>>,
}

/// A compiled lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    names: Vec<String>,
    table: Table,
    /// For each pattern of the table: its concept, whether it must end a word, and the
    /// stems of a phrase's words before it (`plan*` in "plan* gospodarcz"), in order.
    entries: Vec<(usize, bool, Vec<String>)>,
}

/// The entries' patterns in byte order, entered by their first two bytes.
///
/// An entry matches only at a word's start (or, beginning with a sign, "$800", anywhere
/// that sign is), so the text is read at those places alone, each by narrowing the sorted
/// patterns byte by byte to those the text there begins with. Sorting costs a fraction of
/// a millisecond where an Aho-Corasick automaton over the shipped frames' 4,500 entries
/// cost 15 ms to build, most of a short command's time; reading a few bytes at each
/// word's start costs less than following the automaton over every byte.
#[derive(Debug, Clone, Default)]
struct Table {
    /// The patterns in byte order, end to end: the narrowing reads neighbours.
    bytes: Vec<u8>,
    /// For each pattern in byte order (ties by index): where it is in `bytes`, its
    /// length, and its index in `Lexicon::entries`.
    sorted: Vec<(usize, usize, usize)>,
    /// `starts[k]`: how many patterns come before those whose [`key`] is `k`.
    starts: Vec<usize>,
    /// A bit for each key some pattern has: most places of a text (a space, a word no
    /// entry begins like) are passed over here, in a table small enough to stay in cache.
    keys: Vec<u64>,
    /// Which characters of two UTF-8 bytes (Latin, Greek, Cyrillic...) are alphanumeric:
    /// the Unicode tables cost a lookup for each character of a non-ASCII text.
    alphanumeric: Vec<u64>,
}

/// Characters below this take one or two UTF-8 bytes.
const TWO_BYTES: u32 = 0x800;

/// Keys of the first two bytes, in byte order: a one-byte pattern before the longer ones
/// it begins.
const KEYS: usize = 256 * 257;

/// A pattern's (or a text's) first byte, and its second byte if any.
fn key(first: u8, second: Option<u8>) -> usize {
    usize::from(first) * 257 + second.map_or(0, |b| usize::from(b) + 1)
}

impl Table {
    fn new(patterns: Vec<String>) -> Table {
        let mut order: Vec<(String, usize)> = patterns
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i))
            .collect();
        order.sort_unstable();
        let mut table = Table::default();
        let mut keys = Vec::with_capacity(order.len());
        for (pattern, index) in order {
            let bytes = pattern.as_bytes();
            if let Some(&first) = bytes.first() {
                keys.push(key(first, bytes.get(1).copied()));
            }
            table.sorted.push((table.bytes.len(), bytes.len(), index));
            table.bytes.extend_from_slice(bytes);
        }
        table.alphanumeric = vec![0; TWO_BYTES as usize / 64];
        for c in (0..TWO_BYTES).filter_map(char::from_u32) {
            if let (true, Some(bits)) = (
                c.is_alphanumeric(),
                table.alphanumeric.get_mut(c as usize / 64),
            ) {
                *bits |= 1 << (c as usize % 64);
            }
        }
        table.keys = vec![0; KEYS.div_ceil(64)];
        for &k in &keys {
            if let Some(bits) = table.keys.get_mut(k / 64) {
                *bits |= 1 << (k % 64);
            }
        }
        let mut before = 0;
        table.starts = (0..=KEYS)
            .map(|k| {
                while keys.get(before).is_some_and(|&key| key < k) {
                    before += 1;
                }
                before
            })
            .collect();
        table
    }

    /// The patterns whose key is `k`, as a range of `sorted`.
    fn keyed(&self, k: usize) -> (usize, usize) {
        if self
            .keys
            .get(k / 64)
            .is_none_or(|bits| bits & (1 << (k % 64)) == 0)
        {
            return (0, 0);
        }
        let at = |k: usize| self.starts.get(k).copied().unwrap_or(self.sorted.len());
        (at(k), at(k + 1))
    }

    /// Byte `depth` of pattern `i` of `sorted`; `None` past its end.
    fn byte(&self, &(at, len, _): &(usize, usize, usize), depth: usize) -> Option<u8> {
        (depth < len).then(|| self.bytes.get(at + depth).copied())?
    }

    /// `char::is_alphanumeric`, from a table below [`TWO_BYTES`].
    fn is_alphanumeric(&self, c: char) -> bool {
        match self.alphanumeric.get(c as usize / 64) {
            Some(bits) => bits & (1 << (c as usize % 64)) != 0,
            None => c.is_alphanumeric(),
        }
    }

    /// Calls `found(index, length)` for each pattern that `text` begins with.
    fn prefixes_of(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        let Some(&first) = text.first() else {
            return;
        };
        let (lo, hi) = self.keyed(key(first, None));
        for &(_, _, index) in self.sorted.get(lo..hi).unwrap_or_default() {
            found(index, 1);
        }
        let Some(&second) = text.get(1) else {
            return;
        };
        let (mut lo, mut hi) = self.keyed(key(first, Some(second)));
        let mut depth = 2;
        // Invariant: the patterns in `lo..hi` are those that begin with `text[..depth]`;
        // sorted, so the one equal to it comes first, and the rest by their next byte.
        while lo < hi {
            while let Some(&(_, len, index)) = self.sorted.get(lo).filter(|_| lo < hi) {
                if len != depth {
                    break;
                }
                found(index, depth);
                lo += 1;
            }
            let (Some(next), Some(candidates)) = (text.get(depth), self.sorted.get(lo..hi)) else {
                return;
            };
            let from = candidates.partition_point(|p| self.byte(p, depth) < Some(*next));
            let to = candidates.partition_point(|p| self.byte(p, depth) <= Some(*next));
            (lo, hi) = (lo + from, lo + to);
            depth += 1;
        }
    }

    /// Every occurrence of every pattern that starts a word or begins with a sign, as
    /// `(end, start, index)`, in the order an Aho-Corasick overlapping search reports
    /// them: by end, then longest first, then by index.
    fn occurrences(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut in_word = false;
        for (at, c) in text.char_indices() {
            let alphanumeric = self.is_alphanumeric(c);
            if !(in_word && alphanumeric) {
                let rest = text.as_bytes().get(at..).unwrap_or_default();
                self.prefixes_of(rest, |index, len| found.push((at + len, at, index)));
            }
            in_word = alphanumeric;
        }
        found.sort_unstable();
        found
    }
}

impl Lexicon {
    /// Compiles the entries; `source` names the lexicon in errors.
    pub(crate) fn new(config: &LexiconConfig) -> std::result::Result<Lexicon, String> {
        let mut names = Vec::new();
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for (concept, words) in &config.concepts {
            let index = names.len();
            names.push(concept.clone());
            for (i, word) in words.iter().enumerate() {
                // A lone "$" is the dollar sign, not a marker.
                let whole = word.len() > 1 && word.ends_with('$');
                let folded = fold_str(if whole { &word[..word.len() - 1] } else { word }.trim());
                let (stems, last) = split_stems(&folded);
                if last.is_empty() || stems.iter().any(String::is_empty) {
                    return Err(format!("concept {concept}: entry {i} is empty"));
                }
                patterns.push(last);
                entries.push((index, whole, stems));
            }
        }
        Ok(Lexicon {
            names,
            table: Table::new(patterns),
            entries,
        })
    }

    /// How many concepts the lexicon has.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The name of a concept.
    pub(crate) fn name(&self, concept: usize) -> &str {
        self.names.get(concept).map_or("", String::as_str)
    }

    /// Every concept of a folded text with the range of its first occurrence,
    /// in concept order.
    pub(crate) fn find(&self, folded: &str) -> Vec<(usize, Range<usize>)> {
        self.found(folded, self.table.occurrences(folded))
    }

    /// The concepts of `occurrences`, given in the order an overlapping Aho-Corasick
    /// search reports them (see [`Table::occurrences`]).
    fn found(
        &self,
        folded: &str,
        occurrences: impl IntoIterator<Item = (usize, usize, usize)>,
    ) -> Vec<(usize, Range<usize>)> {
        // A sentence holds a few concepts of the hundred: a list, not a slot for each.
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        let bytes = folded.as_bytes();
        for (end, start, index) in occurrences {
            let Some((concept, whole, stems)) = self.entries.get(index) else {
                continue;
            };
            let (concept, whole) = (*concept, *whole);
            if found.iter().any(|(c, _)| *c == concept) {
                continue;
            }
            // Every occurrence starts a word or at a sign already (the table reads only
            // there); only its end is left to check.
            let ends_word = !whole
                || folded[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
                || bytes.len() == end;
            if !ends_word {
                continue;
            }
            if let Some(start) = stems_before(folded, start, stems) {
                found.push((concept, start..end));
            }
        }
        found.sort_unstable_by_key(|(c, _)| *c);
        found
    }
}

/// A phrase's stem words (each ending in `*`, marker removed) and the rest as written:
/// "plan* gospodarcz" is (["plan"], "gospodarcz"); an entry without a stem word is
/// itself.
fn split_stems(folded: &str) -> (Vec<String>, String) {
    let mut stems = Vec::new();
    let mut rest = folded;
    while let Some((word, after)) = rest.split_once(' ') {
        let Some(stem) = word.strip_suffix('*') else {
            break;
        };
        stems.push(stem.to_string());
        rest = after.trim_start();
    }
    (stems, rest.to_string())
}

/// Where the phrase starts when the words before `at` begin with `stems` (the last stem
/// right before `at`, one space or more between words); `at` itself with no stems.
fn stems_before(folded: &str, at: usize, stems: &[String]) -> Option<usize> {
    let mut at = at;
    for stem in stems.iter().rev() {
        let before = folded.get(..at)?;
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() == before.len() {
            return None;
        }
        let start = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map(|(i, _)| i)?;
        if !trimmed[start..].starts_with(stem.as_str()) {
            return None;
        }
        at = start;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts_alphanumeric(s: &str) -> bool {
        s.chars().next().is_some_and(char::is_alphanumeric)
    }

    fn lexicon(toml: &str) -> Lexicon {
        Lexicon::new(&toml::from_str(toml).unwrap()).unwrap()
    }

    #[test]
    fn entries_match_word_starts_and_whole_words() {
        let l = lexicon(
            "[concepts]\nguarantee = [\"gwarancj\", \"guarant\"]\nus = [\"usa$\", \"u.s.\"]\n",
        );
        let names = |text: &str| -> Vec<String> {
            l.find(&fold_str(text))
                .into_iter()
                .map(|(c, _)| l.name(c).to_string())
                .collect()
        };
        assert_eq!(
            names("Gwarancje dla Ukrainy z USA"),
            vec!["guarantee", "us"]
        );
        assert_eq!(names("the U.S. guarantees"), vec!["guarantee", "us"]);
        assert!(names("usable unguaranteed").is_empty());
    }

    #[test]
    fn stem_words_of_a_phrase_cover_their_cases() {
        let l = lexicon("[concepts]\nplan = [\"plan* gospodarcz\", \"road* map$\"]\n");
        let found = |text: &str| l.find(&fold_str(text)).first().map(|(_, r)| r.clone());
        // Folded offsets, to the end of the last stem: "kijow i planu gospodarcz".
        assert_eq!(found("Kijów i planu gospodarczego"), Some(8..24));
        assert_eq!(found("o planem  gospodarczym"), Some(2..19)); // folding keeps one space
        assert_eq!(found("the roadmap and the roads map"), Some(20..29));
        // Each stem must begin its word, and the words must be neighbours.
        assert_eq!(found("explan gospodarczy"), None);
        assert_eq!(found("plan nowy gospodarczy"), None);
        assert_eq!(found("gospodarczy"), None);
        assert_eq!(found("roads maps"), None);
        let config: LexiconConfig = toml::from_str("[concepts]\nx = [\"a* \", \"* b\"]\n").unwrap();
        assert!(Lexicon::new(&config).is_err());
    }

    /// The search the table replaced: every occurrence of every pattern, by an
    /// Aho-Corasick overlapping search.
    fn automaton(lexicon: &Lexicon) -> aho_corasick::AhoCorasick {
        let table = &lexicon.table;
        let mut patterns = vec![&b""[..]; table.sorted.len()];
        for &(at, len, index) in &table.sorted {
            patterns[index] = &table.bytes[at..at + len];
        }
        aho_corasick::AhoCorasick::new(&patterns).unwrap()
    }

    fn automaton_occurrences(
        automaton: &aho_corasick::AhoCorasick,
        text: &str,
    ) -> Vec<(usize, usize, usize)> {
        automaton
            .find_overlapping_iter(text)
            .map(|m| (m.end(), m.start(), m.pattern().as_usize()))
            .filter(|&(_, start, _)| {
                text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                    || !starts_alphanumeric(&text[start..])
            })
            .collect()
    }

    /// Texts made of the entries themselves, glued, cut and mixed with other scripts.
    fn texts_of(config: &LexiconConfig) -> Vec<String> {
        let entries: Vec<String> = config
            .concepts
            .values()
            .flatten()
            .map(|e| fold_str(e.trim_end_matches(['$', '*'])))
            .collect();
        let mut texts = vec![
            String::new(),
            "Gwarancje dla Ukrainy z USA, gwarancji; гарантії США — «Kyiv» $800m, £600".into(),
            "İ̇ ﬁ ß straße 東京 the u.s.-led talks; usa's leaders' x1 a$b".into(),
        ];
        for (i, chunk) in entries.chunks(7).enumerate() {
            let glue = [" ", "", "-", "'", ". ", "x", "é", "\u{0301}"][i % 8];
            texts.push(chunk.join(glue));
            let cut: Vec<&str> = chunk
                .iter()
                .map(|e| {
                    e.char_indices()
                        .nth(1)
                        .map_or(e.as_str(), |(at, _)| &e[at..])
                })
                .collect();
            texts.push(format!("{} {}", cut.join(" "), chunk.join("s ")));
        }
        texts
    }

    #[test]
    fn the_table_finds_what_the_automaton_finds() {
        let frames: crate::FramesConfig =
            toml::from_str(include_str!("../../../config/frames.toml")).unwrap();
        let config = LexiconConfig {
            concepts: frames.concepts,
        };
        let lexicon = Lexicon::new(&config).unwrap();
        let texts = texts_of(&config);
        assert!(texts.len() > 600, "{}", texts.len());
        let automaton = automaton(&lexicon);
        let mut occurrences = 0;
        for text in &texts {
            let expected = automaton_occurrences(&automaton, text);
            assert_eq!(lexicon.table.occurrences(text), expected, "{text}");
            occurrences += expected.len();
        }
        assert!(occurrences > 4_000, "{occurrences}");
    }

    #[test]
    fn the_table_finds_nested_and_repeated_patterns() {
        let l = lexicon(
            "[concepts]\na = [\"ab\", \"abc\", \"a\", \"ab\"]\nb = [\"$8\", \"b\", \"\u{e9}t\"]\n",
        );
        for text in ["abcd ab a", "x$800 ab$8", "étés été", "", "b", "ба ab"] {
            assert_eq!(
                l.table.occurrences(text),
                automaton_occurrences(&automaton(&l), text),
                "{text}"
            );
        }
    }

    #[test]
    fn the_alphanumeric_table_is_unicodes() {
        let table = lexicon("[concepts]\na = [\"a\"]\n").table;
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(table.is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn empty_entries_are_errors() {
        let config: LexiconConfig = toml::from_str("[concepts]\nx = [\"a\", \" \"]\n").unwrap();
        assert_eq!(
            Lexicon::new(&config).unwrap_err(),
            "concept x: entry 1 is empty"
        );
    }
}
