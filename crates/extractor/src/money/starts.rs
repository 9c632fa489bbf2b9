//! Where in a text an amount can start, found before the amount regex runs.
//!
//! The amount regex has Unicode word boundaries, so on a text with one non-ASCII character
//! (a "€", a quote mark, any Cyrillic) the regex engine's DFA gives up and its slow NFA
//! simulation (the Pike VM) reads the whole text; that was a third of tagging's time. But
//! every match holds a number: a run of digits, or a chain of number words ("four
//! thousand", "fünfundzwanzig", "half a billion") whose first word starts a word and
//! whose last ends one (the triggers). And it starts either with its first number, or a
//! few bytes before it with a tilde, a currency mark or "a"/"an" (the leads). An
//! Aho-Corasick scan for each and a scan for digits find them; the regex is then searched
//! anchored at each such start, in order, and reads only as far as a match could go.
//!
//! That finds exactly what one search over the whole text finds: that search returns the
//! match starting leftmost (from where it starts), and at that start the one the regex
//! prefers, which is what the anchored search at the first start that matches returns.
//! `starts_find_what_the_whole_text_finds` checks it on every text of the crate's corpora
//! (test splits excepted).

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex_syntax::is_word_character;

use super::{gate, lexicon};
use crate::fold::fold_str;

/// The most bytes a match's lead can take before its first number: a tilde, the longest
/// currency mark or code and its space, and "an " (a fraction is a number word itself).
pub(super) fn lead() -> usize {
    static LEAD: LazyLock<usize> = LazyLock::new(|| {
        let pre = LEADS.1;
        "≈ ".len() + pre + " ".len() + "an ".len()
    });
    *LEAD
}

/// The words that can lead a match (currency marks and codes, folded; "~", "≈", "a ",
/// "an "), and the length of the longest mark or code; `None` only if the automaton
/// could not be built, and then every place is a start.
static LEADS: LazyLock<(Option<AhoCorasick>, usize)> = LazyLock::new(|| {
    let marks: Vec<String> = lexicon::PREFIXES
        .iter()
        .map(|(w, _)| *w)
        .chain(lexicon::CODES.iter().copied())
        .map(fold_str)
        .collect();
    let longest = marks.iter().map(String::len).max().unwrap_or(0);
    let mut words: Vec<String> = marks
        .into_iter()
        .chain(["~", "≈", "a ", "an "].map(String::from))
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    (AhoCorasick::new(words).ok(), longest)
});

/// Every byte offset of the folded text `f` where a match of the amount regex can start,
/// in order, without repeats.
pub(super) fn starts(f: &str) -> Vec<usize> {
    let mut triggers: Vec<(usize, usize)> = Vec::new();
    numeric_runs(f, &mut triggers);
    let (Some(words), (Some(leads), _)) = (gate::NUMBER_WORDS.as_ref(), &*LEADS) else {
        // No automaton (never for the shipped lexicon): every character may start one.
        return f.char_indices().map(|(i, _)| i).collect();
    };
    number_words(f, words, &mut triggers);
    triggers.sort_unstable();
    // A number starts at a word start: a digit or the first of a chain of number words.
    let mut out: Vec<usize> = triggers
        .iter()
        .flat_map(|&(s, e)| {
            f[s..e]
                .char_indices()
                .map(move |(i, _)| s + i)
                .filter(|&i| starts_word(f, i))
        })
        .collect();
    // A lead counts only with a number after it, within reach: some trigger that starts
    // by `s + lead` and ends past `s`. `reach[j]` is the furthest end of the first `j`.
    let lead = lead();
    let reach: Vec<usize> = std::iter::once(0)
        .chain(triggers.iter().scan(0, |m, &(_, e)| {
            *m = (*m).max(e);
            Some(*m)
        }))
        .collect();
    for m in leads.find_overlapping_iter(f) {
        let s = m.start();
        let j = triggers.partition_point(|&(ts, _)| ts <= s + lead);
        if reach[j] > s {
            out.push(s);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Appends the byte range of every run of numeric characters (a superset of the regex's
/// Unicode `\d`).
fn numeric_runs(f: &str, hits: &mut Vec<(usize, usize)>) {
    let mut run: Option<usize> = None;
    for (i, c) in f.char_indices() {
        match (c.is_numeric(), run) {
            (true, None) => run = Some(i),
            (false, Some(start)) => {
                hits.push((start, i));
                run = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run {
        hits.push((start, f.len()));
    }
}

/// Appends every number word that can be part of a written-out number: one of a chain of
/// number words, joined as the regex joins them (touching, or by "und"; a joining space or
/// hyphen starts a new word), whose first starts a word and whose last ends one. "un" in
/// "fund" and "sto" in "history" are no part of any chain that starts and ends a word.
fn number_words(f: &str, words: &aho_corasick::AhoCorasick, hits: &mut Vec<(usize, usize)>) {
    // Overlapping: "un" inside "une" must not hide "une".
    let mut found: Vec<(usize, usize)> = words
        .find_overlapping_iter(f)
        .map(|m| (m.start(), m.end()))
        .collect();
    found.sort_unstable();
    // Forward: which words a chain that starts a word can reach.
    let mut reached_ends: HashSet<usize> = HashSet::new();
    let reached: Vec<bool> = found
        .iter()
        .map(|&(s, e)| {
            let ok = starts_word(f, s)
                || reached_ends.contains(&s)
                || (s >= 3 && f.get(s - 3..s) == Some("und") && reached_ends.contains(&(s - 3)));
            if ok {
                reached_ends.insert(e);
            }
            ok
        })
        .collect();
    // Backward: which of those a chain can go on from to the end of a word.
    let mut live_starts: HashSet<usize> = HashSet::new();
    for (&(s, e), &ok) in found.iter().zip(&reached).rev() {
        let live = ok
            && (ends_word(f, e)
                || live_starts.contains(&e)
                || (f.get(e..e + 3) == Some("und") && live_starts.contains(&(e + 3))));
        if live {
            live_starts.insert(s);
            hits.push((s, e));
        }
    }
}

/// Could `\b` hold before the word starting at `at`: no word character before it? (A
/// number word that does not start with a word character passes too: the regex's `\b`
/// is then not about the text before it, and a wider gate is still exact.)
fn starts_word(f: &str, at: usize) -> bool {
    let first = f.get(at..).and_then(|t| t.chars().next());
    let before = f.get(..at).and_then(|t| t.chars().next_back());
    !first.is_some_and(is_word_character) || !before.is_some_and(is_word_character)
}

/// Could `\b` hold after the word ending at `at`: no word character after it?
fn ends_word(f: &str, at: usize) -> bool {
    let last = f.get(..at).and_then(|t| t.chars().next_back());
    let after = f.get(at..).and_then(|t| t.chars().next());
    !last.is_some_and(is_word_character) || !after.is_some_and(is_word_character)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::fold::fold;
    use crate::money::{MoneyConfig, regex_amounts, regex_amounts_whole};
    use std::path::Path;

    /// Every string field named `text` of a TOML or JSON-lines file.
    fn texts_of(path: &Path, out: &mut Vec<String>) {
        let Ok(raw) = std::fs::read_to_string(path) else {
            return;
        };
        fn walk_toml(v: &toml::Value, out: &mut Vec<String>) {
            match v {
                toml::Value::Table(t) => {
                    for (k, v) in t {
                        match (k.as_str(), v) {
                            ("text", toml::Value::String(s)) => out.push(s.clone()),
                            _ => walk_toml(v, out),
                        }
                    }
                }
                toml::Value::Array(a) => a.iter().for_each(|v| walk_toml(v, out)),
                _ => {}
            }
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => {
                if let Ok(table) = raw.parse::<toml::Table>() {
                    walk_toml(&toml::Value::Table(table), out);
                }
            }
            Some("jsonl") => {
                for line in raw.lines() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                        && let Some(t) = v.get("text").and_then(|t| t.as_str())
                    {
                        out.push(t.to_string());
                    }
                }
            }
            _ => {}
        }
    }

    /// The texts of the crate's corpora: the recognisers' and the tagging corpus's
    /// development and training splits, the regression set and the cases (never a test
    /// split).
    pub(in crate::money) fn corpus_texts() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let dirs = [
            "recognisers/dev",
            "recognisers/dev2",
            "recognisers/dev3",
            "recognisers/dev4",
            "tagcorpus/train",
            "tagcorpus/dev",
            "tagcorpus/dev2",
            "tagcorpus/dev3",
            "eval",
            "cases",
        ];
        let mut texts = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                texts_of(&path, &mut texts);
            }
        }
        texts
    }

    fn same(text: &str) {
        let folded = fold(text);
        let config = MoneyConfig::default();
        let mut windowed = Vec::new();
        regex_amounts(text, &folded, &config, &mut windowed);
        assert_eq!(
            windowed,
            regex_amounts_whole(text, &folded, &config),
            "{text}"
        );
    }

    #[test]
    fn starts_find_what_the_whole_text_finds() {
        let texts = corpus_texts();
        assert!(texts.len() > 1000, "{} texts", texts.len());
        let mut amounts = 0;
        for text in &texts {
            same(text);
            amounts += regex_amounts_whole(text, &fold(text), &MoneyConfig::default()).len();
        }
        assert!(amounts > 500, "{amounts} amounts");
        // Long texts: numbers of one text next to the next text's words, and far apart.
        let filler = " Lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod tempor incididunt labore dolore magna aliqua enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip commodo consequat duis aute irure dolor reprehenderit voluptate velit esse cillum dolore fugiat nulla pariatur excepteur sint occaecat cupidatat proident culpa officia deserunt mollit anim laborum. ";
        same(&texts.join(" "));
        same(&texts.join(filler));
    }

    #[test]
    fn chains_of_number_words_and_edge_cases_match_alike() {
        let filler = "x ".repeat(3 * lead());
        for text in [
            "fünfundzwanzig Euro",
            "fünfundzwanzigtausend Euro und dreihundert",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion dollars",
            "onetwothreefourfivesixseveneightnineteneleventwelvethirteenfourteenfifteensixteenseventeeneighteennineteentwentythirtyfortyfiftysixtyseventyeightyninetyhundredthousandmillion dollars",
            "≈ US$ 1,000,000.50 billion-plus United States dollars",
            "between €2 and €3 million, from £1,150 to £1,275",
            "від тридцяти тисяч до п'ятдесяти тисяч гривень і двісті п'ятдесят тисяч доларів",
            "a hundred and fifty thousand euros; half a billion dollars; une fund history",
            "5.000,- EUR und 1'234.50 CHF, 99p and 720p",
            "½ million dollars, ٣ million dollars, 5² euros",
        ] {
            same(text);
            same(&format!("{filler}{text}{filler}"));
            same(&format!("{text}{filler}{text}"));
        }
    }

    #[test]
    fn starts_skip_text_without_numbers() {
        let f = fold("The fund's history: undone, stop. Keine Einigung über das Wiederaufbauprogramm; місто стоїть, a plan.").text;
        assert!(starts(&f).is_empty(), "{:?}", starts(&f));
        let f = fold("Leaders pledged ~€5bn, and a hundred, then x2 and 3.").text;
        let at = |w: &str| f.find(w).unwrap_or(usize::MAX);
        assert_eq!(
            starts(&f),
            vec![
                at("~"),
                at("€"),
                at("5"),
                at("a hundred"),
                at("hundred"),
                at("3")
            ]
        );
    }
}
