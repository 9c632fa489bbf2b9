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

use aho_corasick::{AhoCorasick, MatchKind};
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
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern: its concept, whether it must end a word, and the
    /// stems of a phrase's words before it (`plan*` in "plan* gospodarcz"), in order.
    entries: Vec<(usize, bool, Vec<String>)>,
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
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| format!("cannot compile the lexicon: {e}"))?,
            )
        };
        Ok(Lexicon {
            names,
            automaton,
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
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<Option<Range<usize>>> = vec![None; self.names.len()];
        let bytes = folded.as_bytes();
        for m in automaton.find_overlapping_iter(folded) {
            let Some((concept, whole, stems)) = self.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            let (concept, whole) = (*concept, *whole);
            if found[concept].is_some() {
                continue;
            }
            let starts_word = folded[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                || !starts_alphanumeric(&folded[m.start()..]);
            let ends_word = !whole
                || folded[m.end()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
                || bytes.len() == m.end();
            if !(starts_word && ends_word) {
                continue;
            }
            if let Some(start) = stems_before(folded, m.start(), stems) {
                found[concept] = Some(start..m.end());
            }
        }
        found
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
            .collect()
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

fn starts_alphanumeric(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn empty_entries_are_errors() {
        let config: LexiconConfig = toml::from_str("[concepts]\nx = [\"a\", \" \"]\n").unwrap();
        assert_eq!(
            Lexicon::new(&config).unwrap_err(),
            "concept x: entry 1 is empty"
        );
    }
}
