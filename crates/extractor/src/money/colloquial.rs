//! Amounts the main pattern cannot see on its own, read after it:
//!
//! - slang with a value of its own: "a fiver" (£5), "two tenners" (£20), "stówa" (100 zł),
//!   "dycha" (10 zł), and "two grand" (a thousand of the currency the text uses);
//! - a bare number that borrows the currency written once after the next amount:
//!   "59,99 statt 89,99 Euro", "went up from 5 to 7 dollars", and figures followed by the
//!   same number in words, then the currency: "2 400 000 (два миллиона четыреста тысяч)
//!   рублей".
//!
//! Every pattern here is a `regex` (linear time) and each match reads a bounded window.
//!
//! Neither pattern is searched over the whole text. Their Unicode `\b` makes the regex
//! engine's DFA give up on the first non-ASCII byte, and the slow engines that take over
//! (Pike VM, backtracker) then read the rest of the text: ~10 % of tagging a 2 KB article.
//! A borrower match starts with a digit at a word start, so the borrower regex is searched
//! anchored at each such place ([`borrower_matches`]); a slang match holds a slang word
//! and only characters a count can hold, so the slang regex is searched only in the runs
//! of such characters around a slang word ([`slang_matches`]). Both searches see the whole
//! text around them (`Input::range`, `Input::span`), so `\b` reads what it read before;
//! the tests check they find what a search over the whole text finds.

use std::sync::LazyLock;

use regex::Regex;
use regex_automata::{Anchored, Input, meta};
use regex_syntax::is_word_character;

use super::{
    Amount, AmountKind, Caps, MoneyConfig, NUM, TABLES, alternation, bound_before, changed,
    ends_with_word, lexicon, lookbehind, number, push, to_units, words_value, wordy,
};
use crate::fold::{Folded, fold_str};

/// Slang words worth a fixed amount, folded ("stówę" is "stowe"), with their value.
pub(super) const FIXED: &[(&str, f64, &str)] = &[
    ("fiver", 5.0, "GBP"),
    ("fivers", 5.0, "GBP"),
    ("tenner", 10.0, "GBP"),
    ("tenners", 10.0, "GBP"),
    ("stowa", 100.0, "PLN"),
    ("stowe", 100.0, "PLN"),
    ("stowy", 100.0, "PLN"),
    ("stow", 100.0, "PLN"),
    ("stowka", 100.0, "PLN"),
    ("stowke", 100.0, "PLN"),
    ("stowki", 100.0, "PLN"),
    ("stowek", 100.0, "PLN"),
    ("dycha", 10.0, "PLN"),
    ("dyche", 10.0, "PLN"),
    ("dychy", 10.0, "PLN"),
    ("dyszka", 10.0, "PLN"),
    ("dyszke", 10.0, "PLN"),
    ("dyszki", 10.0, "PLN"),
    ("tysiak", 1000.0, "PLN"),
    ("tysiaka", 1000.0, "PLN"),
    ("tysiaki", 1000.0, "PLN"),
    ("tysiakow", 1000.0, "PLN"),
    // German notes by their value ("'nen Zehner", "einen Fünfer", "zwei Hunnis").
    ("funfer", 5.0, "EUR"),
    ("zehner", 10.0, "EUR"),
    ("zwanziger", 20.0, "EUR"),
    ("funfziger", 50.0, "EUR"),
    ("fuffziger", 50.0, "EUR"),
    ("fuffi", 50.0, "EUR"),
    ("hunni", 100.0, "EUR"),
    ("hunnis", 100.0, "EUR"),
    ("hunderter", 100.0, "EUR"),
];

/// Labels before a number spelt out in parentheses, folded ("(słownie: pięć tysięcy)").
const SPELLED: &[&str] = &[
    "słownie",
    "slownie",
    "прописью",
    "in words",
    "en toutes lettres",
    "in worten",
];

/// Words that may follow "grand" when it is money ("two grand in cash", "ten grand a
/// month", "a grand."), not an adjective ("a grand jury", "two grand pianos").
const GRAND_FOLLOWERS: &[&str] = &[
    "", "in", "for", "to", "a", "an", "on", "and", "or", "each", "per", "from", "off", "cash",
    "more", "less", "up", "down", "at", "but", "so", "if", "when", "then", "is", "was", "of",
    "that", "this", "now", "last", "next", "back", "total", "tops", "max", "min", "plus",
];

/// A count before a slang word: digits, "a"/"an", or number words ("two", "dwie", "pięć").
fn count_pattern() -> String {
    let words = alternation(lexicon::NUMBER_WORDS.iter().map(|(w, _)| *w));
    format!(r"\d+(?:[.,]\d+)?|(?:a )?couple(?: of)?|an?|(?:{words})(?:[- ](?:{words}))*")
}

/// On the regex crate's own engine, to be searched in spans of the text (see
/// [`slang_matches`]), which `regex::Regex` cannot do.
static SLANG: LazyLock<meta::Regex> = LazyLock::new(|| {
    let fixed = alternation(FIXED.iter().map(|(w, ..)| *w));
    let count = count_pattern();
    let pattern =
        format!(r"\b(?:(?P<n>{count}) )?(?P<w>{fixed})\b|\b(?P<gn>{count}) (?P<grand>grand)\b");
    // Built from constants: failing to compile is a bug every test catches.
    #[allow(clippy::expect_used)]
    meta::Regex::new(&pattern).expect("the slang regex compiles")
});

/// The characters other than letters and digits that a slang match can hold: those of
/// its words (folded), the spaces and hyphens that join them. "." and "," join digits
/// only ("1.5 grand"), and are checked apart (see [`may_be_in_slang`]).
static SLANG_EXTRA: LazyLock<Vec<char>> = LazyLock::new(|| {
    let words = lexicon::NUMBER_WORDS
        .iter()
        .map(|(w, _)| *w)
        .chain(FIXED.iter().map(|(w, ..)| *w))
        .chain(["a", "an", "couple", "of", "grand"]);
    let mut extra: Vec<char> = words
        .flat_map(|w| fold_str(w).chars().collect::<Vec<_>>())
        .chain([' ', '-'])
        .filter(|c| !c.is_alphanumeric())
        .collect();
    extra.sort_unstable();
    extra.dedup();
    extra
});

/// Can the character `c`, followed by `next`, be part of a slang match? Letters and
/// digits can (every `\d` and every letter of a word is alphanumeric), the joiners of its
/// words can, and "." or "," only before a digit (`\d+(?:[.,]\d+)?`) unless a word
/// holds one.
fn may_be_in_slang(c: char, next: Option<char>) -> bool {
    if c.is_alphanumeric() || SLANG_EXTRA.contains(&c) {
        return true;
    }
    matches!(c, '.' | ',') && next.is_some_and(char::is_numeric)
}

/// The matches of [`SLANG`] in the folded text `f`, in order: what one search over the
/// whole text finds. Every match holds a slang word and only characters for which
/// [`may_be_in_slang`] holds, so it lies within the run of such characters around one of
/// the slang words, and is found by a search of that run alone (a span: `\b` at its
/// edges still sees the text around it). Searching each run from its start finds the
/// match starting leftmost in it, as the whole-text search does on reaching the run.
fn slang_matches(f: &str) -> Vec<Caps<'_>> {
    let mut out = Vec::new();
    let mut done = 0;
    for (s, e) in super::gate::slang_words(f) {
        if s < done {
            continue;
        }
        // The run around the word: its words are letters, so it is one run.
        let mut lo = s;
        let mut next = f.get(s..).and_then(|t| t.chars().next());
        for (i, c) in f.get(..s).unwrap_or_default().char_indices().rev() {
            if !may_be_in_slang(c, next) {
                break;
            }
            lo = i;
            next = Some(c);
        }
        let mut hi = f.len();
        let mut chars = f.get(e..).unwrap_or_default().char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !may_be_in_slang(c, chars.peek().map(|&(_, n)| n)) {
                hi = e + i;
                break;
            }
        }
        let hi = hi.max(e);
        done = hi;
        let mut at = lo;
        while at < hi {
            let input = Input::new(f).span(at..hi);
            let Some(caps) = Caps::search(&SLANG, f, &input) else {
                break;
            };
            // A match is never empty (it holds a word): the next search starts past it.
            at = caps.get(0).map_or(hi, |m| m.end().max(at + 1));
            out.push(caps);
        }
    }
    out
}

/// A bare number, then a joiner or the same number in words in parentheses. On the regex
/// crate's own engine, to be searched anchored (see [`borrower_matches`]).
static BORROWER: LazyLock<meta::Regex> = LazyLock::new(|| {
    let instead = alternation(lexicon::INSTEAD.iter().copied());
    let pattern = format!(
        r"\b(?P<n>{NUM})(?: (?P<instead>{instead}) | (?P<to>to|do|до|a|auf|bis|na|на) | ?\((?P<words>[^()]{{1,160}})\) ?)"
    );
    #[allow(clippy::expect_used)]
    meta::Regex::new(&pattern).expect("the borrower regex compiles")
});

/// The matches of [`BORROWER`] in the folded text `f`, in order: what one search over the
/// whole text finds. Every match starts with `\b` and a digit, that is with a numeric
/// character (a superset of `\d`) after no word character; the regex is searched
/// anchored at each such place, in order, past the last match, which returns the match
/// starting leftmost and at that start the one the regex prefers, as the whole-text
/// search does. The anchored search reads only as far as a match could go.
fn borrower_matches(f: &str) -> Vec<Caps<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut before: Option<char> = None;
    for (i, c) in f.char_indices() {
        let prev = before.replace(c);
        if i < at || !c.is_numeric() || prev.is_some_and(is_word_character) {
            continue;
        }
        let input = Input::new(f).range(i..).anchored(Anchored::Yes);
        if let Some(caps) = Caps::search(&BORROWER, f, &input) {
            // Never empty (it holds a digit): the next start is past it.
            at = caps.get(0).map_or(f.len(), |m| m.end().max(i + 1));
            out.push(caps);
        }
    }
    out
}

/// A currency name or symbol at the start of the text ("рублей 00 копеек", "zł").
static CURRENCY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let wordy_post = alternation(
        lexicon::SUFFIXES
            .iter()
            .map(|(w, ..)| *w)
            .filter(|w| wordy(w)),
    );
    let symbol_post = alternation(
        lexicon::SUFFIXES
            .iter()
            .map(|(w, ..)| *w)
            .filter(|w| !wordy(w)),
    );
    #[allow(clippy::expect_used)]
    Regex::new(&format!(r"^(?:(?:{wordy_post})\b|(?:{symbol_post}))"))
        .expect("the currency regex compiles")
});

/// Adds the slang and borrowed-currency amounts of `text` to `out`, in text order.
pub(super) fn add(text: &str, folded: &Folded, out: &mut Vec<Amount>, config: &MoneyConfig) {
    let mut found = slang(text, folded, out);
    found.extend(borrowed(text, folded, out));
    for amount in found {
        if out
            .iter()
            .any(|a| a.start < amount.end && amount.start < a.end)
        {
            continue;
        }
        push(out, amount, config);
    }
    out.sort_by_key(|a| a.start);
}

fn slang(text: &str, folded: &Folded, known: &[Amount]) -> Vec<Amount> {
    let f = folded.text.as_str();
    let mut found = Vec::new();
    // No slang word, no run to search (see `gate`).
    for caps in slang_matches(f) {
        let Some(whole) = caps.get(0) else { continue };
        let (count, value, currency) = if let Some(w) = caps.name("w") {
            let Some((_, value, currency)) = FIXED.iter().find(|(x, ..)| *x == w.as_str()) else {
                continue;
            };
            // "stow", "Stowe": the Polish word is written with "ó".
            let (s, e) = folded.original_range(text, w.start(), w.end());
            if w.as_str().starts_with("stow")
                && !text.get(s..e).is_some_and(|o| o.contains(['ó', 'Ó']))
            {
                continue;
            }
            (caps.name("n"), *value, Some((*currency).to_string()))
        } else {
            let Some(grand) = caps.name("grand") else {
                continue;
            };
            let next = f[grand.end()..]
                .trim_start()
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default();
            if !GRAND_FOLLOWERS.contains(&next) {
                continue;
            }
            (caps.name("gn"), 1000.0, None)
        };
        let times = match count.map(|c| c.as_str()) {
            None | Some("a" | "an") => 1.0,
            Some(c) if c.contains("couple") => 2.0,
            Some(c) if c.starts_with(|ch: char| ch.is_ascii_digit()) => match number(c) {
                Some(v) => v,
                None => continue,
            },
            Some(c) => match words_value(c) {
                Some(v) => v,
                None => continue,
            },
        };
        let currency = currency.or_else(|| nearest_currency(text, folded, whole.start(), known));
        let before = lookbehind(f, whole.start());
        if let Some(amount) = point(
            text,
            folded,
            whole.start(),
            whole.end(),
            times * value,
            currency,
            before,
        ) {
            found.push(amount);
        }
    }
    found
}

/// The currency of the amount nearest to `at` in the same sentence, else of any amount in
/// the text, else the dollar ("grand" alone is American usage).
fn nearest_currency(text: &str, folded: &Folded, at: usize, known: &[Amount]) -> Option<String> {
    let (at, _) = folded.original_range(text, at, at + 1);
    let sentence = |a: &Amount| {
        let (from, to) = if a.start < at {
            (a.end, at)
        } else {
            (at, a.start)
        };
        !text
            .get(from..to)
            .unwrap_or(".")
            .contains(['.', '!', '?', '\n'])
    };
    // `known` is in text order: the closest with a currency on each side of `at`.
    let i = known.partition_point(|a| a.start < at);
    let with_currency = |a: &&Amount| a.currency.is_some();
    let before = known[..i].iter().rev().find(with_currency);
    let after = known[i..].iter().find(with_currency);
    let nearest = [before, after]
        .into_iter()
        .flatten()
        .filter(|a| sentence(a))
        .min_by_key(|a| a.start.abs_diff(at));
    nearest
        .or(before)
        .or(after)
        .and_then(|a| a.currency.clone())
        .or_else(|| Some("USD".to_string()))
}

/// Bare numbers that take the currency of what follows them.
fn borrowed(text: &str, folded: &Folded, known: &[Amount]) -> Vec<Amount> {
    let f = folded.text.as_str();
    let mut found = Vec::new();
    // Every match starts with `\d`.
    if !super::gate::has_digit(f) {
        return found;
    }
    let t = &*TABLES;
    for caps in borrower_matches(f) {
        let (Some(n), Some(whole)) = (caps.name("n"), caps.get(0)) else {
            continue;
        };
        let Some(value) = number(n.as_str()) else {
            continue;
        };
        let before = lookbehind(f, n.start());
        let (next_start, _) = folded.original_range(text, whole.end(), whole.end() + 1);
        let currency = if let Some(words) = caps.name("words") {
            // "2 400 000 (два миллиона четыреста тысяч) рублей": the words must say the
            // same number, and a currency must follow them.
            let mut said = words.as_str().trim();
            for label in SPELLED {
                said = said.strip_prefix(label).unwrap_or(said);
            }
            let said = said.trim_start_matches([':', ' ']);
            if !words_value(said).is_some_and(|w| (w - value).abs() <= 0.005 * value) {
                continue;
            }
            let Some(m) = CURRENCY_AFTER.find(&f[whole.end()..]) else {
                continue;
            };
            match t.suffixes.iter().find(|(s, ..)| s == m.as_str()) {
                Some((_, code, factor)) if *factor == 1.0 => Some((*code).to_string()),
                _ => continue,
            }
        } else {
            // "from 2019 to €5bn" is a year; a change needs "from" and a verb before it.
            if caps.name("to").is_some()
                && (!t
                    .from_words
                    .iter()
                    .any(|w| ends_with_word(before, w) && changed(before, w))
                    || n.as_str().len() == 4 && n.as_str().chars().all(|c| c.is_ascii_digit()))
            {
                continue;
            }
            // `known` is in text order: a binary search keeps the pass linear.
            let i = known.partition_point(|a| a.start < next_start);
            match known.get(i).filter(|a| a.start == next_start) {
                Some(a) if a.currency.is_some() => a.currency.clone(),
                _ => continue,
            }
        };
        if let Some(amount) = point(text, folded, n.start(), n.end(), value, currency, before) {
            found.push(amount);
        }
    }
    found
}

/// A point or a bound (by the cue before it) over `start..end` of the folded text.
fn point(
    text: &str,
    folded: &Folded,
    start: usize,
    end: usize,
    value: f64,
    currency: Option<String>,
    before: &str,
) -> Option<Amount> {
    if value <= 0.0 {
        return None;
    }
    let bound = bound_before(before);
    let approx = TABLES.approx.iter().any(|w| ends_with_word(before, w));
    let (s, e) = folded.original_range(text, start, end);
    Some(Amount {
        text: text.get(s..e)?.to_string(),
        value: to_units(value)?,
        max: None,
        currency,
        usd: None,
        usd_max: None,
        approx,
        kind: if bound.is_some() {
            AmountKind::Bound
        } else {
            AmountKind::Point
        },
        min: None,
        bound,
        per: None,
        exact: value,
        exact_max: None,
        start: s,
        end: e,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Bound, find_amounts};
    use super::*;

    /// (kind, bound, currency, value) of every amount found.
    fn found(text: &str) -> Vec<(AmountKind, Option<Bound>, String, f64)> {
        find_amounts(text, &MoneyConfig::default())
            .into_iter()
            .map(|a| (a.kind, a.bound, a.currency.unwrap_or_default(), a.exact))
            .collect()
    }

    fn points(text: &str) -> Vec<(String, f64)> {
        found(text)
            .into_iter()
            .map(|(kind, _, c, v)| {
                assert_eq!(kind, AmountKind::Point, "{text}");
                (c, v)
            })
            .collect()
    }

    fn p(c: &str, v: f64) -> (String, f64) {
        (c.to_string(), v)
    }

    /// Every group's span of every match, in order.
    type Spans = Vec<Vec<Option<(usize, usize)>>>;

    fn spans(matches: impl Iterator<Item = regex_automata::util::captures::Captures>) -> Spans {
        matches
            .map(|c| c.iter().map(|g| g.map(|s| (s.start, s.end))).collect())
            .collect()
    }

    /// The windowed searches against one search over the whole folded text.
    fn same_as_whole(text: &str) -> usize {
        let f = crate::fold::fold(text).text;
        let whole = spans(BORROWER.captures_iter(&f));
        assert_eq!(
            spans(borrower_matches(&f).into_iter().map(|c| c.caps)),
            whole,
            "borrower: {text}"
        );
        let whole_slang = spans(SLANG.captures_iter(&f));
        assert_eq!(
            spans(slang_matches(&f).into_iter().map(|c| c.caps)),
            whole_slang,
            "slang: {text}"
        );
        whole.len() + whole_slang.len()
    }

    #[test]
    fn windowed_searches_find_what_a_whole_text_search_finds() {
        let texts = super::super::starts::tests::corpus_texts();
        assert!(texts.len() > 1000, "{} texts", texts.len());
        let found: usize = texts.iter().map(|t| same_as_whole(t)).sum();
        assert!(found > 100, "{found} matches");
        // Long texts: one text's numbers next to the next text's words.
        same_as_whole(&texts.join(" "));
        same_as_whole(&texts.join("\n"));
    }

    #[test]
    fn windowed_searches_at_edges_and_on_non_ascii_text() {
        for text in [
            // At the text's start and end, nothing around them.
            "5 tenners",
            "tenner",
            "grand",
            "2 grand",
            "59,99 statt 89,99 Euro",
            "5 to 7 dollars",
            "от 5 до 7",
            "5 (пять)",
            "(5 (five) dollars",
            // Digits after a word character are no `\b`; after a non-word one they are.
            "щ5 до 7 рублей, ж 5 до 7 рублей, x5 to 7 dollars, _5 to 7 dollars",
            "²5 to 7 dollars and ²5 grand, Ⅻ5 to 7, ½5 grand",
            "٣ to ٥ dollars; ٣ grand; ५ tenners",
            // Counts and slang words in Cyrillic, Polish and German text around them.
            "Дай мне 5 grand, а не два tenner. Він віддав 1.5 grand і 1,5 grand.",
            "Pożyczysz mi dwie stówy? Dałem mu stówę i pięć dych, a potem 3,5 stówy.",
            "Er gab mir zwei Hunnis, einen Fünfer und 'nen Zehner. Fünf Zehner!",
            "twenty-five grand, twenty five grand, a couple of grand, a couple grand",
            "1. grand 2, grand 3.5 grand 4,5 grand. 6.grand 7 ,grand",
            "un grand-père, la grande table, 5 grandes, grand.",
            "a fee of 250 (two hundred fifty) dollars and 5 000 (słownie: pięć tysięcy) złotych",
            "Стоимость 2 400 000 (два миллиона четыреста тысяч) рублей; цена выросла с 300 до 450 рублей.",
            "«5 tenners» — „2 grand“ (3 grand) [4 grand] 5 grand… 6 grand!",
            "5 grand\u{301} 6 tenner\u{0301}s é5 grand",
        ] {
            same_as_whole(text);
            // And inside long text of other scripts, at a window's edge.
            same_as_whole(&format!("Ещё один текст — {text}"));
            same_as_whole(&format!("{text} — и ещё"));
        }
    }

    #[test]
    fn slang_with_a_value_of_its_own() {
        assert_eq!(
            points("can you lend us a fiver till payday"),
            [p("GBP", 5.0)]
        );
        assert_eq!(points("Found a tenner in my old jeans"), [p("GBP", 10.0)]);
        assert_eq!(points("that's two tenners for the lot"), [p("GBP", 20.0)]);
        assert_eq!(points("Pożyczysz mi stówę do piątku?"), [p("PLN", 100.0)]);
        assert_eq!(points("Dałem mu dwie stówy."), [p("PLN", 200.0)]);
        assert_eq!(points("Wisisz mi dychę."), [p("PLN", 10.0)]);
        assert_eq!(points("Zaoszczędziłem tysiaka."), [p("PLN", 1000.0)]);
        assert_eq!(points("Gib mir mal 'nen Zehner."), [p("EUR", 10.0)]);
        assert_eq!(points("Das waren zwei Hunnis."), [p("EUR", 200.0)]);
        assert_eq!(points("Это стоило пять штук баксов."), [p("USD", 5000.0)]);
        assert_eq!(points("Купил 5 штук за 100 рублей."), [p("RUB", 100.0)]);
        assert_eq!(
            found("nie więcej niż stówę"),
            [(AmountKind::Bound, Some(Bound::Upper), "PLN".into(), 100.0)]
        );
    }

    #[test]
    fn grand_takes_the_currency_around_it() {
        assert_eq!(
            found("He wants two grand in cash for the van, but I'll offer him £1,800 at most."),
            [
                (AmountKind::Point, None, "GBP".into(), 2000.0),
                (AmountKind::Bound, Some(Bound::Upper), "GBP".into(), 1800.0)
            ]
        );
        assert_eq!(points("She paid 5 grand for it."), [p("USD", 5000.0)]);
        assert_eq!(points("It set me back a grand."), [p("USD", 1000.0)]);
        assert_eq!(
            points("He borrowed a couple of grand off his dad."),
            [p("USD", 2000.0)]
        );
        assert_eq!(
            points("I earn €40k and he makes ten grand more."),
            [p("EUR", 40000.0), p("EUR", 10000.0)]
        );
    }

    #[test]
    fn slang_look_alikes_are_not_money() {
        for text in [
            "A grand jury indicted him in 2019.",
            "They own two grand pianos.",
            "Stow your bags under the seat.",
            "We skied at Stowe last winter.",
            "the Grand Prix starts at 3 pm",
            "It was a grand day out.",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn a_bare_number_borrows_the_next_currency() {
        assert_eq!(
            points("Die Jacke war im Angebot, 59,99 statt 89,99 Euro!"),
            [p("EUR", 59.99), p("EUR", 89.99)]
        );
        assert_eq!(
            points("I paid 15 instead of 20 dollars."),
            [p("USD", 15.0), p("USD", 20.0)]
        );
        assert_eq!(
            points("Zapłaciłem 40 zamiast 60 zł."),
            [p("PLN", 40.0), p("PLN", 60.0)]
        );
        assert_eq!(
            points("Ticket price went up from 5 to 7 dollars."),
            [p("USD", 5.0), p("USD", 7.0)]
        );
        assert_eq!(
            points("Der Preis stieg von 49 auf 59 Euro."),
            [p("EUR", 49.0), p("EUR", 59.0)]
        );
        assert_eq!(
            points("Цена выросла с 300 до 450 рублей."),
            [p("RUB", 300.0), p("RUB", 450.0)]
        );
    }

    #[test]
    fn figures_then_the_same_number_in_words_then_the_currency() {
        assert_eq!(
            points(
                "Стоимость работ составляет 2 400 000 (два миллиона четыреста тысяч) рублей 00 копеек."
            ),
            [p("RUB", 2_400_000.0)]
        );
        assert_eq!(
            points("Kwota 5 000 (słownie: pięć tysięcy) złotych płatna z góry."),
            [p("PLN", 5000.0)]
        );
        assert_eq!(
            points("a fee of 250 (two hundred fifty) dollars"),
            [p("USD", 250.0)]
        );
    }

    #[test]
    fn borrowed_look_alikes_are_not_money() {
        for text in [
            "Article 12 (see above) dollars and cents are defined in section 3.",
            "Revenue grew from 2019 to 2021.",
            "It rose from 5 to 7 per cent.",
            "See paragraph 4 (four) of the agreement.",
            "Case no. 12 (twelve) was adjourned to 3 June.",
            "He chose 7 instead of 9.",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
