//! What a text must hold before the money regexes can match it, checked without them.
//!
//! The amount regex is large (every currency, scale and number word of six languages) and
//! takes a good part of a short command's start to compile, while most sentences name no
//! number at all ("Leaders meet in Paris on Tuesday"). Every match of it holds a number:
//! a digit, or a number word (or a fraction) that starts at a word boundary; every slang
//! match holds one of its slang words. These gates look for exactly that, so a text that
//! fails one is one the regex would find nothing in, and it is never compiled for it.
//! They may pass a text the regex then rejects: they gate, they do not match.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::lexicon;
use crate::fold::fold_str;

/// Joins number words after "hundred" or a scale word ("a hundred and fifty").
const JOINING: &[&str] = &["hundred", "thousand", "million", "billion"];

/// The folded words one of which starts every written-out number of the amount regex
/// (and of which every word of such a number is one).
pub(super) static NUMBER_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let words = lexicon::NUMBER_WORDS
        .iter()
        .map(|(w, _)| *w)
        .chain(lexicon::FRACTIONS.iter().map(|(w, _)| *w))
        .chain(JOINING.iter().copied());
    automaton(words)
});

/// The folded slang words ("tenner", "stówa") and "grand".
static SLANG_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let words = super::colloquial::FIXED
        .iter()
        .map(|(w, ..)| *w)
        .chain(["grand"]);
    automaton(words)
});

/// An automaton over the folded `words` (folded as the regexes fold them); `None` only if
/// it could not be built, and then every gate passes.
fn automaton<'a>(words: impl Iterator<Item = &'a str>) -> Option<AhoCorasick> {
    let mut folded: Vec<String> = words.map(fold_str).filter(|w| !w.is_empty()).collect();
    folded.sort();
    folded.dedup();
    AhoCorasick::new(folded).ok()
}

/// May the folded text `f` hold a number as the amount regex reads one: any numeric
/// character (a superset of `\d`), or a number or fraction word at a word start?
pub(super) fn may_hold_number(f: &str) -> bool {
    if has_digit(f) {
        return true;
    }
    let Some(words) = NUMBER_WORDS.as_ref() else {
        return true;
    };
    // Overlapping: a word inside another ("un" in "une") must not hide one at a start.
    words
        .find_overlapping_iter(f)
        .any(|m| at_word_start(f, m.start()))
}

/// May the folded text `f` hold any numeric character (every `\d` is one)?
pub(super) fn has_digit(f: &str) -> bool {
    f.chars().any(char::is_numeric)
}

/// The byte range of every slang word or "grand" in the folded text `f`, in order: each
/// one, or one overlapping it (slang words are letters only, so an overlapping one lies in
/// the same run of letters). With no automaton, the whole text.
pub(super) fn slang_words(f: &str) -> Vec<(usize, usize)> {
    match SLANG_WORDS.as_ref() {
        Some(words) => words.find_iter(f).map(|m| (m.start(), m.end())).collect(),
        None => vec![(0, f.len())],
    }
}

/// Could `\b` hold before the word char at `at`? Only when the character before is not a
/// word character; anything alphanumeric or `_` before it rules that out. (A numeric
/// character that is not `\w`, such as "²", passes the digit test anyway.)
fn at_word_start(f: &str, at: usize) -> bool {
    f.get(..at)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    #[test]
    fn every_gate_word_starts_with_a_word_character() {
        // `at_word_start` assumes it: `\b` before a word means a non-word character before.
        let all = lexicon::NUMBER_WORDS
            .iter()
            .map(|(w, _)| *w)
            .chain(lexicon::FRACTIONS.iter().map(|(w, _)| *w))
            .chain(super::super::colloquial::FIXED.iter().map(|(w, ..)| *w));
        for word in all {
            let first = fold_str(word).chars().next();
            assert!(
                first.is_some_and(char::is_alphanumeric),
                "{word:?} starts with a word character"
            );
        }
    }

    #[test]
    fn numbers_pass_and_texts_without_one_do_not() {
        let passes = |t: &str| may_hold_number(&fold(t).text);
        assert!(passes("€5bn for Kyiv"));
        assert!(passes("٣ million")); // an Arabic-Indic digit is `\d` too
        assert!(passes("Two hundred soldiers"));
        assert!(passes("half a billion dollars"));
        assert!(passes("x-fünf"), "a hyphen is a word boundary");
        assert!(!passes(
            "Leaders meet in Paris on Tuesday to agree a US backstop."
        ));
        assert!(
            !passes("the mundane backstop"),
            "\"un\" and \"sto\" inside words are no number"
        );
        assert!(
            passes("undone"),
            "a gate, not a matcher: the regex says no to this"
        );
        let slang = |t: &str| slang_words(&fold(t).text);
        assert_eq!(slang("lend me a tenner"), [(10, 16)]);
        assert_eq!(slang("two GRAND in cash"), [(4, 9)]);
        assert!(slang("a fiscal backstop").is_empty());
    }
}
