//! Money amounts as outlets write them: "$800bn", "US$800 billion", "800 milliards de
//! dollars", "800 млрд доларів", "€2,5 mld", "half a trillion dollars", "$500-600 billion".
//!
//! Every size counts, from "twenty bucks" to "¥1.2 trillion": symbols and ISO codes
//! before or after the number, currency names and their inflections in EN, FR, DE, PL, UK
//! and RU ([`lexicon`] holds them as data), digits in both number styles ("1,234.5",
//! "1.234,5", "1 234,5"), written-out numbers ("four thousand five hundred", "trois
//! millions", "двісті п'ятдесят тисяч"), scales ("bn", "Mrd.", "mld", "млрд"), ranges
//! ("$500-600 billion", "between €2 and €3 million", "від 2 до 3 млрд грн"), bounds ("up to",
//! "more than", "-plus"), approximations ("roughly") and prices per unit ("$70-a-share").
//! Years, percentages, counts, phone numbers, scores and versions have no currency next to
//! them and are not money.
//!
//! One regex (compiled once, linear time: the `regex` crate never backtracks) finds
//! candidates in the folded text; the code then reads the few words around each (bounded
//! look-behind and look-ahead, so the whole stays linear) and normalises it to a value in
//! whole units of an ISO 4217 currency, plus its U.S. dollar equivalent at the rates of
//! [`MoneyConfig`]. Whether an amount matters to a story (its size, a funding cue nearby)
//! is the tagger's decision, not this module's: it lists every amount.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex_automata::{Anchored, Input, meta};
use serde::{Deserialize, Serialize};

use crate::fold::{Folded, fold, fold_str};

mod colloquial;
mod gate;
mod lexicon;
mod starts;

use lexicon::Word;

/// One money expression found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    /// The expression as written ("$800bn", "800 milliards de dollars").
    pub text: String,
    /// The amount in whole units of `currency`; the lower bound of a range.
    pub value: u64,
    /// The upper bound of a range ("$500-600 billion"), if the text gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// ISO 4217 code (`USD`, `EUR`, `GBP`, `UAH`, `PLN`, `RUB`); `None` for a bare
    /// "1.2 trillion" whose sentence names no currency.
    pub currency: Option<String>,
    /// `value` in U.S. dollars at the configured rate; `None` without a currency or rate.
    pub usd: Option<u64>,
    /// `max` in U.S. dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_max: Option<u64>,
    /// Hedged by the writer: "roughly", "about", "some", "~".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approx: bool,
    /// One value (`point`), a span (`range`: `min` to `max`), or a limit (`bound`).
    #[serde(default)]
    pub kind: AmountKind,
    /// The lower end of a range, unrounded, in whole units of `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Which side a bound limits: "up to $5" is `upper`, "more than $5" `lower`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// The unit of a price per unit ("$70-a-share": `share`; "€2 per litre": `litre`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// The value unrounded ("$78.42" is 78.42; `value` rounds it to 78); a range's lower end.
    #[serde(default)]
    pub exact: f64,
    /// A range's upper end, unrounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact_max: Option<f64>,
    /// Byte offset of the expression in the text.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
}

/// The shape of an amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AmountKind {
    /// One value ("$94,000", "about €4.2bn").
    #[default]
    Point,
    /// From `min` to `max` ("$500-600 billion", "between €2 and €3 million").
    Range,
    /// A limit on one side ("up to €7", "more than $4bn", "$200 billion-plus").
    Bound,
}

/// The side a bound limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// At most the value ("up to", "under", "less than", "no more than").
    Upper,
    /// At least the value ("more than", "over", "at least", "-plus").
    Lower,
}

/// The `[money]` table of the configuration: exchange rates for the `usd` equivalent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MoneyConfig {
    /// U.S. dollars per one unit of each currency, by ISO 4217 code (`EUR = 1.17`).
    /// Amounts in a currency missing here get no `usd` value.
    pub usd_rates: BTreeMap<String, f64>,
}

impl Default for MoneyConfig {
    fn default() -> Self {
        // Rough January 2026 rates; the config file documents the same values.
        let rates = [
            ("EUR", 1.17),
            ("GBP", 1.34),
            ("PLN", 0.275),
            ("RUB", 0.0125),
            ("UAH", 0.024),
            ("USD", 1.0),
        ];
        MoneyConfig {
            usd_rates: rates.iter().map(|(c, r)| (c.to_string(), *r)).collect(),
        }
    }
}

impl MoneyConfig {
    /// Every problem of the table, one line each (`[money.usd_rates] EUR must be ...`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (code, rate) in &self.usd_rates {
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                out.push(format!(
                    "[money.usd_rates] `{code}` is not an ISO 4217 code (three capital letters)"
                ));
            }
            if !(rate.is_finite() && *rate > 0.0) {
                out.push(format!(
                    "[money.usd_rates] {code} must be a positive number, not {rate}"
                ));
            }
        }
        out
    }

    fn usd(&self, value: u64, currency: Option<&str>) -> Option<u64> {
        let rate = self.usd_rates.get(currency?)?;
        Some(to_units(value as f64 * rate)).flatten()
    }
}

/// Amounts above this (10 quadrillion, a hundred times world GDP) are not money but noise.
const IMPLAUSIBLE: f64 = 1e16;
/// Below a million, an amount is a price or a salary, not this story's money: a funding
/// mention attaches it only where a funding cue sits in the same sentence (see the tagger).
pub(crate) const SMALL: u64 = 1_000_000;
/// How far before an amount its cue words may start ("no more than", "не більше ніж").
const LOOK_BEHIND: usize = 48;

// Digits as outlets group them: "1,234,567.89", "1.234.567,89", "1 234 567,89", "2.5", "94000".
// Swiss and Liechtenstein style groups with an apostrophe: "1'234.50" (folding makes "’" "'").
const NUM: &str =
    r"\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?: \d{3})+|(?:'\d{3})+)(?:[.,]\d+)?|\d+(?:[.,]\d+)?";

/// The lexicon's words, folded, longest first (the regex takes the first alternative that
/// matches, so "dollars" must come before "dollar"), escaped, as one alternation.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut folded: Vec<String> = words.map(fold_str).collect();
    folded.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    folded.dedup();
    folded
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

/// Does `word` end with a letter or digit, so that the regex must see a word boundary after it?
fn wordy(word: &str) -> bool {
    word.chars().last().is_some_and(char::is_alphanumeric)
}

/// What joins the two sides of a range ("$500-600", "2 to 3", "від 2 до 3").
const SEP: &str = r"-to-| ?- ?| to | and | et | und | i | и | і | та | a | bis | do | до | по ";

/// The amount regex, on the regex crate's own engine: searched anchored at each place an
/// amount can start (see [`starts`]), which `regex::Regex` cannot do.
static AMOUNT: LazyLock<meta::Regex> = LazyLock::new(|| amount_regex(true));
/// One amount without a second side: what a rejected range's first side is alone.
static SINGLE: LazyLock<meta::Regex> = LazyLock::new(|| amount_regex(false));

fn amount_regex(ranges: bool) -> meta::Regex {
    let symbols = alternation(lexicon::PREFIXES.iter().map(|(w, _)| *w));
    let codes = alternation(lexicon::CODES.iter().copied());
    let pre = format!(r"(?:{symbols}|\b(?:{codes})\b) ?");
    let scale = alternation(lexicon::SCALES.iter().map(|(w, _)| w.trim_end_matches('.')));
    let words = alternation(lexicon::NUMBER_WORDS.iter().map(|(w, _)| *w));
    let fractions = alternation(lexicon::FRACTIONS.iter().map(|(w, _)| *w));
    let wordy_post = alternation(
        lexicon::SUFFIXES
            .iter()
            .map(|(w, ..)| *w)
            .chain(lexicon::CODES.iter().copied())
            .filter(|w| wordy(w)),
    );
    let symbol_post = alternation(
        lexicon::SUFFIXES
            .iter()
            .map(|(w, ..)| *w)
            .filter(|w| !wordy(w)),
    );
    // "a hundred and fifty": " and " joins number words only after a hundred or a scale
    // word, so "between two and three million" stays a range.
    let word = format!(r"(?:(?:hundred|thousand|million|billion) and (?:{words})|(?:{words}))");
    let number = format!(
        r"(?:\b(?:{NUM})(?: ?(?:{scale})\b\.?)?|\b(?:(?:{fractions}) ?|an? )?{word}(?:(?:-| |-and-|und)?{word})*\b)"
    );
    let sep = SEP;
    let second = if ranges {
        format!(r"(?:(?P<sep>{sep})(?P<pre2>{pre})?(?P<n2>{number}))?")
    } else {
        String::new()
    };
    // ",-" and ",--" after the figure: no cents ("5.000,- EUR", "5000,- zł").
    let pattern = format!(
        r"(?P<tilde>[~≈] ?)?(?P<pre>{pre})?(?P<n1>{number}){second}(?:,--?|\.--?)?(?P<plus>-plus|\+)?(?:(?: (?:de |d'|of )?| ?|(?: de | d'))(?P<post>(?:{wordy_post})\b|{symbol_post}))?"
    );
    // The pattern is built from constants: failing to compile is a bug caught by every test.
    #[allow(clippy::expect_used)]
    meta::Regex::new(&pattern).expect("the money regex compiles")
}

/// One match of the amount regex and its groups, in the folded text `hay`.
struct Caps<'h> {
    hay: &'h str,
    caps: regex_automata::util::captures::Captures,
}

/// A group of a match: its place in the folded text.
#[derive(Clone, Copy)]
struct Group<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Group<'h> {
    fn as_str(&self) -> &'h str {
        self.hay.get(self.start..self.end).unwrap_or_default()
    }

    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }
}

impl<'h> Caps<'h> {
    /// The match of `regex` in `hay` that `input` (over `hay`) asks for, with its groups.
    fn search(regex: &meta::Regex, hay: &'h str, input: &Input<'_>) -> Option<Caps<'h>> {
        let mut caps = regex.create_captures();
        regex.search_captures(input, &mut caps);
        caps.is_match().then_some(Caps { hay, caps })
    }

    fn name(&self, name: &str) -> Option<Group<'h>> {
        self.caps.get_group_by_name(name).map(|span| Group {
            hay: self.hay,
            start: span.start,
            end: span.end,
        })
    }

    fn get(&self, index: usize) -> Option<Group<'h>> {
        self.caps.get_group(index).map(|span| Group {
            hay: self.hay,
            start: span.start,
            end: span.end,
        })
    }
}

/// The folded lexicon tables, for lookups by the matched words.
struct Tables {
    prefixes: Vec<(String, &'static str)>,
    suffixes: Vec<(String, &'static str, f64)>,
    scales: Vec<(String, f64)>,
    words: Vec<(String, Word)>,
    upper: Vec<String>,
    lower: Vec<String>,
    approx: Vec<String>,
    between: Vec<String>,
    change: Vec<String>,
    exceed: Vec<String>,
    negations: Vec<String>,
    clause_openers: Vec<String>,
    from_words: Vec<String>,
    units: Vec<(String, &'static str)>,
    unit_adverbs: Vec<(String, &'static str)>,
    upper_after: Vec<String>,
    fillers: Vec<String>,
    lower_after: Vec<String>,
    /// Longest first, so "a quarter of a" is tried before "a quarter-".
    fractions: Vec<(String, f64)>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let list = |words: &[&str]| words.iter().map(|w| fold_str(w)).collect();
    let pairs = |words: &[(&str, &'static str)]| {
        words
            .iter()
            .map(|(w, c)| (fold_str(w), *c))
            .collect::<Vec<_>>()
    };
    Tables {
        prefixes: pairs(lexicon::PREFIXES),
        suffixes: lexicon::SUFFIXES
            .iter()
            .map(|(w, c, f)| (fold_str(w), *c, *f))
            .collect(),
        scales: lexicon::SCALES
            .iter()
            .map(|(w, f)| (fold_str(w), *f))
            .collect(),
        words: lexicon::NUMBER_WORDS
            .iter()
            .map(|(w, k)| (fold_str(w), *k))
            .collect(),
        upper: list(lexicon::UPPER),
        // Every verb of exceeding is a floor cue before its negation is looked at.
        lower: list(lexicon::LOWER)
            .into_iter()
            .chain(list(lexicon::EXCEED))
            .collect(),
        approx: list(lexicon::APPROX),
        between: list(lexicon::BETWEEN),
        change: list(lexicon::CHANGE_STEMS),
        exceed: list(lexicon::EXCEED),
        negations: list(lexicon::NEGATIONS),
        clause_openers: list(lexicon::CLAUSE_OPENERS),
        from_words: list(lexicon::FROM_WORDS),
        units: pairs(lexicon::UNITS),
        unit_adverbs: pairs(lexicon::UNIT_ADVERBS),
        upper_after: list(lexicon::UPPER_AFTER),
        fillers: list(lexicon::AMOUNT_NOUNS),
        lower_after: list(lexicon::LOWER_AFTER),
        fractions: {
            let mut f: Vec<(String, f64)> = lexicon::FRACTIONS
                .iter()
                .map(|(w, v)| (fold_str(w), *v))
                .collect();
            f.sort_by_key(|w| std::cmp::Reverse(w.0.len()));
            f
        },
    }
});

/// Words that may follow a bare "800 billion" (no currency anywhere in it) when it is
/// money; anything else ("1.2 billion people", "800 milliards de neurones") is not.
const BARE_FOLLOWERS: &[&str] = &[
    "",
    "in",
    "for",
    "to",
    "over",
    "through",
    "by",
    "from",
    "of",
    "and",
    "or",
    "worth",
    "package",
    "plan",
    "fund",
    "funds",
    "investment",
    "investments",
    "aid",
    "loan",
    "loans",
    "reconstruction",
    "budget",
    "needed",
    "would",
    "will",
    "is",
    "was",
    "are",
    "were",
    "until",
    "pour",
    "sur",
    "fur",
    "uber",
    "bis",
    "na",
    "w",
    "на",
    "у",
    "в",
    "до",
];

/// Finds every money expression of `text`, in text order, of any size.
pub fn find_amounts(text: &str, config: &MoneyConfig) -> Vec<Amount> {
    let folded = fold(text);
    let mut out: Vec<Amount> = Vec::new();
    // No number, no amount: the regex is not even compiled (see `gate`).
    if gate::may_hold_number(&folded.text) {
        regex_amounts(text, &folded, config, &mut out);
    }
    colloquial::add(text, &folded, &mut out, config);
    inherit_currency(text, &mut out, config);
    out
}

/// The amounts [`AMOUNT`] finds, in text order, appended to `out`: the regex is searched
/// anchored at each place where an amount can start (see [`starts`]), in order, which
/// finds what one search over the whole text finds (the match that starts leftmost, and
/// at that start the one the regex prefers) without the regex engine reading the rest.
fn regex_amounts(text: &str, folded: &Folded, config: &MoneyConfig, out: &mut Vec<Amount>) {
    let f = folded.text.as_str();
    let mut at = 0;
    for start in starts::starts(f) {
        if start < at {
            continue;
        }
        let input = Input::new(f).range(start..).anchored(Anchored::Yes);
        if let Some(caps) = Caps::search(&AMOUNT, f, &input) {
            at = take(text, folded, &caps, at, config, out);
        }
    }
}

/// One search over the whole text, match after match: what [`regex_amounts`] must equal.
#[cfg(test)]
fn regex_amounts_whole(text: &str, folded: &Folded, config: &MoneyConfig) -> Vec<Amount> {
    let f = folded.text.as_str();
    let mut out = Vec::new();
    let mut at = 0;
    while at < f.len() {
        let Some(caps) = Caps::search(&AMOUNT, f, &Input::new(f).range(at..)) else {
            break;
        };
        at = take(text, folded, &caps, at, config, &mut out);
    }
    out
}

/// Reads the match `caps` of a search from `at` into `out`; returns where the next
/// search starts.
fn take(
    text: &str,
    folded: &Folded,
    caps: &Caps<'_>,
    at: usize,
    config: &MoneyConfig,
    out: &mut Vec<Amount>,
) -> usize {
    let f = folded.text.as_str();
    {
        let Some(whole) = caps.get(0) else {
            return f.len();
        };
        let mut next = whole.end().max(at + 1);
        // "in 2023 €5bn": a symbol followed by a number is that number's, not the year's.
        if let Some(post) = caps.name("post")
            && !wordy(post.as_str())
            && f[post.end()..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        {
            next = post.start().max(at + 1);
            let candidate = parse(caps, f, text, folded, Some(post.start()));
            if let Some(amount) = candidate {
                push(out, amount, config);
            }
        } else if let Some(amount) = parse(caps, f, text, folded, None) {
            push(out, amount, config);
        } else if let Some(sep) = caps.name("sep") {
            // Not a range ("notes due 2031 and €500m", "CHF 1'234.5 Mio. und eine
            // Dividende"): the first side alone, then the second read afresh.
            let input = Input::new(f).range(whole.start()..).anchored(Anchored::Yes);
            if let Some(single) = Caps::search(&SINGLE, f, &input)
                && let Some(amount) = parse(&single, f, text, folded, None)
            {
                push(out, amount, config);
            }
            next = sep.end().max(at + 1);
        }
        while !f.is_char_boundary(next) {
            next += 1;
        }
        next
    }
}

fn push(out: &mut Vec<Amount>, mut amount: Amount, config: &MoneyConfig) {
    amount.usd = config.usd(amount.value, amount.currency.as_deref());
    amount.usd_max = amount
        .max
        .and_then(|m| config.usd(m, amount.currency.as_deref()));
    out.push(amount);
}

/// One side of a candidate: its currency mark and number as read.
struct Side {
    value: f64,
    /// The scale was written with the number ("5bn"), not borrowed from the other side.
    scaled: bool,
    /// Written in words, or with a one-letter scale ("5m"): alone, not money.
    weak: bool,
    /// The scale written with it (1 for none).
    factor: f64,
}

fn parse(
    caps: &Caps<'_>,
    f: &str,
    text: &str,
    folded: &crate::fold::Folded,
    cut_post: Option<usize>,
) -> Option<Amount> {
    let t = &*TABLES;
    let post = caps.name("post").filter(|_| cut_post.is_none());
    let code_ok = |m: Group<'_>| {
        // A three-letter code counts only in capitals ("USD 5", not "try 5").
        let raw = m.as_str().trim();
        // A currency name of three letters ("yen") is a word, not a code.
        let name = t.suffixes.iter().any(|(w, ..)| w == raw);
        if !name && raw.len() == 3 && raw.chars().all(|c| c.is_ascii_alphabetic()) {
            let (s, e) = folded.original_range(text, m.start(), m.start() + 3);
            return text
                .get(s..e)
                .is_some_and(|o| o.chars().all(|c| c.is_ascii_uppercase()));
        }
        true
    };
    let pre = caps.name("pre").filter(|m| code_ok(*m));
    let pre2 = caps.name("pre2").filter(|m| code_ok(*m));
    let post = post.filter(|m| code_ok(*m) && pence_ok(caps, *m));
    if caps.name("pre").is_some() && pre.is_none() {
        return None;
    }
    let (post_code, post_factor) = match post {
        Some(p) => {
            let w = p.as_str();
            match t.suffixes.iter().find(|(s, ..)| s == w) {
                Some((_, code, factor)) => (Some(*code), *factor),
                None => (code_of_iso(w), 1.0),
            }
        }
        None => (None, 1.0),
    };
    let pre_code = pre.and_then(|m| prefix_code(m.as_str()));
    let currency = pre_code
        .or_else(|| pre2.and_then(|m| prefix_code(m.as_str())))
        .or(post_code);
    let n1 = caps.name("n1")?;
    let mut a = side(n1.as_str(), currency)?;
    let mut b = match caps.name("n2") {
        Some(n2) => Some(side(n2.as_str(), currency)?),
        None => None,
    };
    // A range joined by "and" needs "between" before it; otherwise it was two things.
    let before = lookbehind(f, caps.get(0)?.start());
    if let (Some(sep), Some(_)) = (caps.name("sep"), &b) {
        let s = sep.as_str().trim();
        let joins = matches!(s, "and" | "et" | "und" | "i" | "и" | "і" | "та");
        if joins && !t.between.iter().any(|w| ends_with_word(before, w)) {
            return None;
        }
        // "going up from £1,150 to £1,275", "wzrósł z 5 do 7 zł": a change, two points.
        let to = matches!(s, "to" | "-to-" | "do" | "до" | "a" | "bis");
        if to
            && t.from_words
                .iter()
                .any(|w| ends_with_word(before, w) && changed(before, w))
        {
            return None;
        }
    }
    if let Some(second) = &mut b {
        // "$500-600 billion", "від 2 до 3 млрд грн": the scale written once applies to both.
        // A side in words lends only to a single word ("two", "twenty"), not "two hundred".
        let bare = if a.weak {
            a.value < 100.0
        } else {
            a.value < 1000.0
        };
        if second.scaled && !a.scaled && bare {
            a.value *= second.factor;
        }
        if second.value < a.value {
            return None;
        }
    }
    let currency = match currency {
        Some(c) => Some(c.to_string()),
        None => {
            // A bare number is money only with a large scale ("1.2 trillion") and a
            // plausible word after it; years, counts and percentages have neither.
            if a.weak
                || b.as_ref().is_some_and(|b| b.weak)
                || a.value.max(b.as_ref().map_or(0.0, |b| b.value)) < 1e9
            {
                return None;
            }
            let end = caps.get(0)?.end();
            let next = f
                .get(end..)
                .unwrap_or_default()
                .trim_start()
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default();
            if !BARE_FOLLOWERS.contains(&next) {
                return None;
            }
            None
        }
    };
    a.value *= post_factor;
    if let Some(b) = &mut b {
        b.value *= post_factor;
    }
    if a.value <= 0.0 || a.value >= IMPLAUSIBLE {
        return None;
    }
    let body_start = caps.name("pre").map_or(n1.start(), |p| p.start());
    let mut body_end = match (cut_post, post) {
        (Some(cut), _) => cut,
        (None, Some(p)) => p.end(),
        // The written amount ends with its last part read ("5 try" is "5").
        (None, None) => ["plus", "n2", "n1"]
            .iter()
            .find_map(|g| caps.name(g))?
            .end(),
    };
    if post.is_none() && f[..body_end].ends_with('.') {
        body_end -= 1;
    }
    let plus = caps.name("plus").is_some();
    let after = f.get(body_end..).unwrap_or_default();
    let (kind, bound) = if b.is_some() {
        (AmountKind::Range, None)
    } else if plus {
        (AmountKind::Bound, Some(Bound::Lower))
    } else {
        match bound_before(before).or_else(|| bound_after(after)) {
            Some(side) => (AmountKind::Bound, Some(side)),
            None => (AmountKind::Point, None),
        }
    };
    let approx = caps.name("tilde").is_some() || t.approx.iter().any(|w| ends_with_word(before, w));
    let (start, end) = folded.original_range(text, body_start, body_end.max(body_start));
    let written = text.get(start..end)?.trim_end();
    let exact_max = b.as_ref().map(|b| b.value);
    Some(Amount {
        text: written.to_string(),
        value: to_units(a.value)?,
        max: match exact_max {
            Some(m) => Some(to_units(m)?),
            None => None,
        },
        currency,
        usd: None,
        usd_max: None,
        approx,
        kind,
        min: exact_max.map(|_| a.value),
        bound,
        per: per_unit(after),
        exact: a.value,
        exact_max,
        start,
        end: start + written.len(),
    })
}

/// Video resolutions, written like pence ("1080p") but never money.
const RESOLUTIONS: &[&str] = &[
    "144", "240", "360", "480", "576", "720", "1080", "1440", "2160",
];

/// "p" after a number is pence only touching a plain number below a thousand with no
/// other currency mark ("99p", "145p"; not "5 p", "£1 p", "720p").
fn pence_ok(caps: &Caps<'_>, post: Group<'_>) -> bool {
    if post.as_str() != "p" {
        return true;
    }
    let Some(n1) = caps.name("n1") else {
        return false;
    };
    let digits = n1.as_str();
    post.start() == n1.end()
        && caps.name("pre").is_none()
        && caps.name("pre2").is_none()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !RESOLUTIONS.contains(&digits)
        && number(digits).is_some_and(|v| v < 1000.0)
}

/// Reads one number ("2,5 mld", "1 250,00", "four thousand five hundred").
fn side(raw: &str, currency: Option<&str>) -> Option<Side> {
    let raw = raw.trim_end_matches('.');
    if raw.starts_with(|c: char| c.is_ascii_digit()) {
        let digits_end = raw
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\'')))
            .map_or(raw.len(), |(i, _)| i);
        // The digits may end in a space before the scale ("2 mld"): keep the number only.
        let digits = raw[..digits_end].trim_end();
        let scale_word = raw[digits.len()..].trim();
        let value = number(digits)?;
        if scale_word.is_empty() {
            return Some(Side {
                value,
                scaled: false,
                weak: false,
                factor: 1.0,
            });
        }
        let factor = scale_of(scale_word, currency)?;
        return Some(Side {
            value: value * factor,
            scaled: true,
            weak: scale_word.trim_end_matches('.').chars().count() == 1,
            factor,
        });
    }
    let value = words_value(raw)?;
    // "three million": the scale word ends it, and lends itself to a bare "two" before.
    let last = raw.rsplit([' ', '-']).next().unwrap_or_default();
    let factor = match TABLES.words.iter().find(|(w, _)| w == last) {
        Some((_, Word::Scale(s))) => *s,
        _ => 1.0,
    };
    Some(Side {
        value,
        scaled: factor > 1.0,
        weak: true,
        factor,
    })
}

/// A number's value from its scale word ("bn", "Mrd.", "млрд"); "bln" is a billion in
/// English wires but a trillion (bilion) in Polish.
fn scale_of(word: &str, currency: Option<&str>) -> Option<f64> {
    let w = word.trim();
    if w == "bln" && currency == Some("PLN") {
        return Some(1e12);
    }
    TABLES
        .scales
        .iter()
        .find(|(s, _)| s == w || s.trim_end_matches('.') == w.trim_end_matches('.'))
        .map(|(_, f)| *f)
}

/// Plural scale words that, written before a number, multiply it ("тысяч пять").
const INVERTED_SCALES: &[(&str, f64)] = &[
    ("тысяч", 1e3),
    ("тисяч", 1e3),
    ("миллионов", 1e6),
    ("мільйонів", 1e6),
    ("миллиардов", 1e9),
    ("мільярдів", 1e9),
];

/// The value of written-out number words ("four thousand five hundred" = 4500,
/// "half a billion" = 5e8, "quatre-vingt-dix" = 90).
fn words_value(raw: &str) -> Option<f64> {
    // "тысяч пять рублей" (Russian and Ukrainian speech): a plural scale put first makes
    // the number after it approximate, not added to it ("тысяча пятьсот" is 1500).
    if let Some((scale, rest)) = raw.split_once(' ')
        && let Some(factor) = INVERTED_SCALES
            .iter()
            .find(|(w, _)| *w == scale)
            .map(|(_, f)| *f)
        && let Some(count) = words_value(rest).filter(|v| *v < 1000.0)
    {
        return Some(count * factor);
    }
    let mut factor = 1.0;
    let mut rest = raw;
    if let Some((w, f)) = TABLES
        .fractions
        .iter()
        .find(|(w, _)| raw.starts_with(w.as_str()))
    {
        factor = *f;
        rest = &raw[w.len()..];
    }
    let mut total = 0.0;
    let mut current = 0.0;
    let mut previous = "";
    let mut any = false;
    let tokens = rest
        .split([' ', '-'])
        .filter(|t| !matches!(*t, "" | "a" | "an" | "and" | "und"));
    for token in tokens.map(compound).collect::<Option<Vec<_>>>()?.concat() {
        if token == "und" {
            continue;
        }
        let kind = TABLES.words.iter().find(|(w, _)| w == token)?.1;
        any = true;
        match kind {
            // "quatre-vingt(s)" is eighty, not four plus twenty.
            Word::Add(v) if token.starts_with("vingt") && previous == "quatre" => {
                current += 80.0 - 4.0;
                let _ = v;
            }
            Word::Add(v) => current += v,
            Word::Hundred => current = current.max(1.0) * 100.0,
            Word::Scale(s) => {
                total += current.max(1.0) * s;
                current = 0.0;
            }
        }
        previous = token;
    }
    any.then_some((total + current) * factor)
}

/// A number word split into the words it is written of: German writes them as one
/// ("fünfzigtausend", "zweihundertfünfzig", "einundzwanzig"); other words are themselves.
fn compound(token: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = token;
    while !rest.is_empty() {
        let longest = TABLES
            .words
            .iter()
            .map(|(w, _)| w.as_str())
            .chain(["und"])
            .filter(|w| rest.starts_with(w))
            .max_by_key(|w| w.len())?;
        out.push(&rest[..longest.len()]);
        rest = &rest[longest.len()..];
    }
    Some(out)
}

fn prefix_code(mark: &str) -> Option<&'static str> {
    let m = mark.trim();
    TABLES
        .prefixes
        .iter()
        .find(|(p, _)| p == m)
        .map(|(_, c)| *c)
        .or_else(|| code_of_iso(m))
}

fn code_of_iso(word: &str) -> Option<&'static str> {
    lexicon::CODES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(word))
        .map(|c| match *c {
            "RMB" => "CNY",
            c => c,
        })
}

/// The end of the folded text before `start`, at most [`LOOK_BEHIND`] bytes.
fn lookbehind(f: &str, start: usize) -> &str {
    let mut from = start.saturating_sub(LOOK_BEHIND);
    while !f.is_char_boundary(from) {
        from += 1;
    }
    f.get(from..start).unwrap_or_default()
}

/// Does `before` end with the word(s) `cue` and a space ("worth up to ")?
fn ends_with_word(before: &str, cue: &str) -> bool {
    let Some(head) = before.strip_suffix(' ').and_then(|b| b.strip_suffix(cue)) else {
        return false;
    };
    !head.chars().last().is_some_and(char::is_alphanumeric)
}

/// The bound a cue before the amount sets; the longest cue wins ("no more than" over
/// "more than"), and "до"/"do" after a verb of change is "to", not "up to".
fn bound_before(before: &str) -> Option<Bound> {
    let t = &*TABLES;
    // "does not exceed the amount of 130 000 zł", "nie przekracza kwoty": the cue is
    // before the noun naming the amount.
    let before = t
        .fillers
        .iter()
        .find_map(|w| {
            before
                .strip_suffix(' ')
                .and_then(|b| b.strip_suffix(w.as_str()))
                .filter(|_| ends_with_word(before, w))
        })
        .unwrap_or(before);
    let upper = t
        .upper
        .iter()
        .filter(|w| ends_with_word(before, w))
        .map(|w| w.len())
        .max();
    let lower = t
        .lower
        .iter()
        .filter(|w| ends_with_word(before, w))
        .map(|w| w.len())
        .max();
    match (upper, lower) {
        (Some(u), l) if l.is_none_or(|l| u > l) => {
            let cue = t
                .upper
                .iter()
                .find(|w| w.len() == u && ends_with_word(before, w))?;
            let plain_to = matches!(cue.as_str(), "do" | "до" | "up to");
            if plain_to && changed(before, cue) {
                return None;
            }
            Some(Bound::Upper)
        }
        (_, Some(l)) => {
            // "shall in no event exceed £5,000": a negated floor verb is a ceiling.
            let negated = t
                .exceed
                .iter()
                .filter(|w| w.len() == l && ends_with_word(before, w))
                .any(|w| negated(before, w));
            Some(if negated { Bound::Upper } else { Bound::Lower })
        }
        _ => None,
    }
}

/// Is there a negation among the few words before `cue` ("not", "in no event", "nie")?
/// Only the cue's own clause counts: the words after the last comma or clause opener.
fn negated(before: &str, cue: &str) -> bool {
    let t = &*TABLES;
    let head = before.trim_end().strip_suffix(cue).unwrap_or(before);
    let head = head.rsplit([',', ';', '(']).next().unwrap_or(head);
    head.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .rev()
        .take(5)
        .take_while(|w| !t.clause_openers.iter().any(|o| o == w))
        .any(|w| w.ends_with("n't") || t.negations.iter().any(|n| n == w))
}

/// The bound a cue right after the amount sets ("$10m max", "$5bn or more", "€2 million
/// at most", "20 € et plus").
fn bound_after(after: &str) -> Option<Bound> {
    let t = &*TABLES;
    let head = after.strip_prefix(',').unwrap_or(after).strip_prefix(' ')?;
    let cue = |words: &[String]| {
        words.iter().any(|w| {
            starts_with_word(head, w) || (w.ends_with('.') && head.starts_with(w.as_str()))
        })
    };
    if cue(&t.upper_after) {
        Some(Bound::Upper)
    } else if cue(&t.lower_after) {
        Some(Bound::Lower)
    } else {
        None
    }
}

/// Is there a verb of change among the few words before `cue` ("rose to", "spadł o 4
/// proc., do", "going up to")?
fn changed(before: &str, cue: &str) -> bool {
    let head = before.trim_end().strip_suffix(cue).unwrap_or(before);
    // Figures are skipped: "wzrósł z 2 000 zł do" has its verb five tokens back.
    head.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .rev()
        .take(4)
        .any(|w| {
            TABLES
                .change
                .iter()
                .any(|s| w.starts_with(s.as_str()) && (s.len() > 4 || w == s))
        })
}

/// The unit of a price per unit, from the words after the amount.
fn per_unit(after: &str) -> Option<String> {
    let t = &*TABLES;
    let head: String = after.chars().take(40).collect();
    if let Some((_, unit)) = t.unit_adverbs.iter().find(|(w, _)| {
        head.strip_prefix(' ')
            .is_some_and(|h| starts_with_word(h, w))
    }) {
        return Some((*unit).to_string());
    }
    let rest = [
        "-a-", "-an-", "-per-", " a ", " an ", " per ", " le ", " la ", " pro ", " je ", " za ",
        " на ", " за ", " each ",
    ]
    .iter()
    .find_map(|p| head.strip_prefix(p))?;
    let rest = rest.strip_prefix("calendar ").unwrap_or(rest);
    let word = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    t.units
        .iter()
        .find(|(w, _)| w == word)
        .map(|(_, u)| (*u).to_string())
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
}

/// A bare amount ("1.2 trillion") takes the currency of the closest amount before it in
/// the same sentence ("$317bn for reconstruction and 57 billion for housing").
fn inherit_currency(text: &str, amounts: &mut [Amount], config: &MoneyConfig) {
    let mut last: Option<(String, usize)> = None;
    for amount in amounts.iter_mut() {
        match &amount.currency {
            Some(currency) => last = Some((currency.clone(), amount.end)),
            None => {
                if let Some((currency, end)) = &last {
                    let between = text.get(*end..amount.start).unwrap_or(".");
                    let same_sentence = !between.contains(['.', '!', '?', '\n']);
                    if same_sentence {
                        amount.currency = Some(currency.clone());
                        amount.usd = config.usd(amount.value, Some(currency));
                        amount.usd_max = amount.max.and_then(|m| config.usd(m, Some(currency)));
                    }
                }
            }
        }
    }
}

/// Parses "800", "2.5", "2,5", "1,000,000", "1.000.000", "1 000 000", "1.234,5".
fn number(raw: &str) -> Option<f64> {
    let s: String = raw.chars().filter(|c| !matches!(c, ' ' | '\'')).collect();
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let decimal = match (last_dot, last_comma) {
        // Both kinds: the last one is the decimal mark ("1,234.5", "1.234,5").
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(i), None) | (None, Some(i)) => {
            let sep = s.as_bytes().get(i).copied().unwrap_or(b'.');
            let once = s.bytes().filter(|b| *b == sep).count() == 1;
            let three_after = s.len() - i - 1 == 3;
            // One separator followed by exactly three digits groups thousands ("1,500",
            // "800.000"); otherwise it is a decimal mark ("2.5", "2,5").
            if once && !three_after { Some(i) } else { None }
        }
        (None, None) => None,
    };
    let mut plain = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            plain.push(c);
        } else if Some(i) == decimal {
            plain.push('.');
        }
    }
    plain.parse::<f64>().ok()
}

fn to_units(value: f64) -> Option<u64> {
    if !(0.0..IMPLAUSIBLE).contains(&value) {
        return None;
    }
    // In range by the check above, so the cast neither wraps nor saturates.
    Some(value.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Amount {
        let found = find_amounts(text, &MoneyConfig::default());
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    fn check(text: &str, written: &str, value: u64, currency: &str) {
        let a = one(text);
        assert_eq!(a.text, written, "{text}");
        assert_eq!(a.value, value, "{text}");
        assert_eq!(a.currency.as_deref(), Some(currency), "{text}");
        assert_eq!(&text[a.start..a.end], written);
    }

    const BN: u64 = 1_000_000_000;

    #[test]
    fn english_forms() {
        check(
            "a plan worth $800 billion.",
            "$800 billion",
            800 * BN,
            "USD",
        );
        check("up to $800bn by 2040", "$800bn", 800 * BN, "USD");
        check("US$800 billion in all", "US$800 billion", 800 * BN, "USD");
        check(
            "some 800 billion dollars",
            "800 billion dollars",
            800 * BN,
            "USD",
        );
        check("USD 500 bn over ten years", "USD 500 bn", 500 * BN, "USD");
        check("€100bn from the budget", "€100bn", 100 * BN, "EUR");
        check(
            "£2.5 billion for drones",
            "£2.5 billion",
            2_500_000_000,
            "GBP",
        );
        check(
            "half a trillion dollars",
            "half a trillion dollars",
            500 * BN,
            "USD",
        );
        check("a €90 billion loan", "€90 billion", 90 * BN, "EUR");
        check("$1,000,000,000 grant", "$1,000,000,000", BN, "USD");
        check("40 billion hryvnias", "40 billion hryvnias", 40 * BN, "UAH");
        check("₴1.5 billion", "₴1.5 billion", 1_500_000_000, "UAH");
        check("a $200k grant", "$200k", 200_000, "USD");
    }

    #[test]
    fn other_languages() {
        check(
            "800 milliards de dollars",
            "800 milliards de dollars",
            800 * BN,
            "USD",
        );
        check(
            "800 Milliarden Dollar",
            "800 Milliarden Dollar",
            800 * BN,
            "USD",
        );
        check(
            "rund 200 Milliarden US-Dollar",
            "200 Milliarden US-Dollar",
            200 * BN,
            "USD",
        );
        check("800 mld dolarów", "800 mld dolarów", 800 * BN, "USD");
        check("800 млрд доларів", "800 млрд доларів", 800 * BN, "USD");
        check("100 Mrd. Euro", "100 Mrd. Euro", 100 * BN, "EUR");
        check("2,5 mld euro", "2,5 mld euro", 2_500_000_000, "EUR");
        check(
            "US$800.000 millones",
            "US$800.000 millones",
            800 * BN,
            "USD",
        );
        check("90 млрд євро", "90 млрд євро", 90 * BN, "EUR");
    }

    #[test]
    fn ranges_hedges_and_plus() {
        let a = one("needs of $500-600 billion");
        assert_eq!((a.value, a.max), (500 * BN, Some(600 * BN)));
        let a = one("needs of $700–800bn");
        assert_eq!((a.value, a.max), (700 * BN, Some(800 * BN)));
        assert_eq!(a.usd_max, Some(800 * BN));
        let a = one("a $200 billion-plus fund");
        assert_eq!((a.kind, a.bound), (AmountKind::Bound, Some(Bound::Lower)));
        assert_eq!(a.value, 200 * BN);
        let a = one("roughly $500 billion over ten years");
        assert!(a.approx);
        assert_eq!(a.text, "$500 billion");
        assert!(!one("exactly $500 billion").approx);
    }

    #[test]
    fn bare_large_amounts() {
        let a = one("a 1.2 trillion package");
        assert_eq!(a.value, 1_200_000_000_000);
        assert_eq!(a.currency, None);
        assert_eq!(a.usd, None);
        let found = find_amounts(
            "$317bn for reconstruction and 57 billion for housing.",
            &MoneyConfig::default(),
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].currency.as_deref(), Some("USD"));
        assert_eq!(found[1].usd, Some(57 * BN));
    }

    #[test]
    fn usd_equivalents_follow_the_rates() {
        let a = one("€90bn");
        assert_eq!(a.usd, Some(105_300_000_000));
        let mut config = MoneyConfig::default();
        config.usd_rates.remove("EUR");
        assert_eq!(find_amounts("€90bn", &config)[0].usd, None);
    }

    #[test]
    fn numbers_in_both_styles() {
        assert_eq!(number("1,000,000"), Some(1e6));
        assert_eq!(number("1.000.000"), Some(1e6));
        assert_eq!(number("1 000 000"), Some(1e6));
        assert_eq!(number("2.5"), Some(2.5));
        assert_eq!(number("2,5"), Some(2.5));
        assert_eq!(number("1,234.5"), Some(1234.5));
        assert_eq!(number("1.234,5"), Some(1234.5));
        assert_eq!(number("800.000"), Some(800_000.0));
    }

    #[test]
    fn not_money() {
        for text in [
            "In 2026 the talks resumed.",
            "Turnout was 45% and 60 percent.",
            "an army of 800,000 troops",
            "800 000 soldiers",
            "1.2 billion people live there",
            "800 tys. żołnierzy",
            "The 28-point plan",
            "Point 12 covers the plant",
            "",
        ] {
            assert!(
                find_amounts(text, &MoneyConfig::default()).is_empty(),
                "{text}: {:?}",
                find_amounts(text, &MoneyConfig::default())
            );
        }
    }

    #[test]
    fn small_prices_are_found_and_marked_small() {
        let a = one("The phone costs $1,199.");
        assert!(a.value < SMALL);
    }

    #[test]
    fn config_problems_name_the_key() {
        let mut config = MoneyConfig::default();
        config.usd_rates.insert("eur".into(), -1.0);
        let problems = config.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("[money.usd_rates] `eur`"));
    }

    /// The examples of issue 9, and one of each shape.
    #[test]
    fn the_issue_examples_and_shapes() {
        let a = one("He paid $94,000 for it");
        assert_eq!(
            (a.value, a.currency.as_deref(), a.kind),
            (94_000, Some("USD"), AmountKind::Point)
        );
        assert_eq!(one("It costs 20 dollars").value, 20);
        let r = one("between €2 and €3 million");
        assert_eq!(
            (r.kind, r.min, r.exact_max),
            (AmountKind::Range, Some(2e6), Some(3e6))
        );
        let b = one("fines of up to €7");
        assert_eq!((b.kind, b.bound), (AmountKind::Bound, Some(Bound::Upper)));
        let b = one("more than $4bn");
        assert_eq!((b.bound, b.value), (Some(Bound::Lower), 4 * BN));
        let p = one("offered $70-a-share");
        assert_eq!((p.per.as_deref(), p.exact), (Some("share"), 70.0));
        assert_eq!(one("Brent at $78.42 a barrel").exact, 78.42);
        assert_eq!(one("twenty bucks").value, 20);
        assert_eq!(one("four thousand five hundred US dollars").value, 4500);
        assert_eq!(one("half a billion dollars").value, 500_000_000);
        assert_eq!(one("двісті п'ятдесят тисяч гривень").value, 250_000);
        assert_eq!(one("1 250,00 €").exact, 1250.0);
        assert_eq!(one("HK$38 billion").currency.as_deref(), Some("HKD"));
        assert_eq!(one("850 M€").value, 850_000_000);
        assert_eq!(one("5 tys. zł").value, 5_000);
        let r = one("від 2 до 3 млрд грн");
        assert_eq!((r.value, r.max), (2 * BN, Some(3 * BN)));
    }

    #[test]
    fn look_alikes_are_not_money() {
        for text in [
            "Call us on 1-800-555-0199 between 9 and 5.",
            "Version 2.14.1 fixes 2.13.0",
            "The Lakers beat the Celtics 112-108",
            "Thanks a million!",
            "The pound weakened against the dollar.",
            "2 million households cut back",
        ] {
            let found = find_amounts(text, &MoneyConfig::default());
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    /// Bounds written after the amount, in each language.
    #[test]
    fn legal_ceilings_and_floors() {
        for (text, side, value) in [
            (
                "liable to a fine not exceeding £20,000",
                Bound::Upper,
                20000.0,
            ),
            (
                "liability shall in no event exceed USD 500,000",
                Bound::Upper,
                500000.0,
            ),
            ("the deposit must never exceed $3,000", Bound::Upper, 3000.0),
            (
                "claims exceeding €10,000 go to the county court",
                Bound::Lower,
                10000.0,
            ),
            ("a sum not less than £1,000", Bound::Lower, 1000.0),
            ("nie więcej jednak niż 50 000,00 zł", Bound::Upper, 50000.0),
            ("w kwocie nie niższej niż 2 000 zł", Bound::Lower, 2000.0),
            (
                "kara nieprzekraczająca kwoty 10 000 zł",
                Bound::Upper,
                10000.0,
            ),
            (
                "une amende ne pouvant excéder 7 500 euros",
                Bound::Upper,
                7500.0,
            ),
            ("dans la limite de 3 000 euros", Bound::Upper, 3000.0),
            (
                "ne peut en aucun cas dépasser 1 000 euros",
                Bound::Upper,
                1000.0,
            ),
            ("bis zur Höhe von 25.000 Euro", Bound::Upper, 25000.0),
            ("штраф не свыше 5 000 рублей", Bound::Upper, 5000.0),
            ("не менее чем 10 000 рублей", Bound::Lower, 10000.0),
            ("в сумі не менше ніж 2 000 грн", Bound::Lower, 2000.0),
            (
                "Kara nie może być wyższa niż 20 000 zł.",
                Bound::Upper,
                20000.0,
            ),
            (
                "w kwocie nie przekraczającej 5 000 zł",
                Bound::Upper,
                5000.0,
            ),
            (
                "Сумма не должна превышать 1 000 000 рублей.",
                Bound::Upper,
                1e6,
            ),
            (
                "Сума не повинна перевищувати 200 000 гривень.",
                Bound::Upper,
                2e5,
            ),
            ("He did not pay more than $50.", Bound::Upper, 50.0),
            (
                "Le montant ne saurait excéder 15 000 euros.",
                Bound::Upper,
                15000.0,
            ),
            // The negation of another clause is not the bound's.
            (
                "It does not apply where the claim exceeds £5,000.",
                Bound::Lower,
                5000.0,
            ),
            (
                "This is not a claim, it exceeds £5,000.",
                Bound::Lower,
                5000.0,
            ),
            ("It not only raised more than $5bn.", Bound::Lower, 5e9),
            ("a fine of not less than $500", Bound::Lower, 500.0),
        ] {
            let a = one(text);
            assert_eq!(
                (a.kind, a.bound, a.exact),
                (AmountKind::Bound, Some(side), value),
                "{text}"
            );
        }
        // A named cap with no bound word is a point.
        assert_eq!(
            one("the liability cap of €1,000,000 applies").kind,
            AmountKind::Point
        );
    }

    #[test]
    fn and_inside_written_numbers() {
        check(
            "That's a hundred and fifty quid down the drain.",
            "a hundred and fifty quid",
            150,
            "GBP",
        );
        check(
            "two thousand and five dollars",
            "two thousand and five dollars",
            2005,
            "USD",
        );
        let a = one("between two and three million dollars");
        assert_eq!(
            (a.kind, a.exact, a.exact_max),
            (AmountKind::Range, 2e6, Some(3e6))
        );
    }

    #[test]
    fn no_cents_dashes_and_teens_in_words() {
        check("The Price is 5.000,- EUR net.", "5.000,- EUR", 5000, "EUR");
        check(
            "Wynagrodzenie w kwocie 5000,- zł.",
            "5000,- zł",
            5000,
            "PLN",
        );
        check(
            "у розмірі 17 000 (сімнадцять тисяч) гривень 00 копійок",
            "17 000",
            17000,
            "UAH",
        );
        check(
            "штраф пятнадцать тысяч рублей",
            "пятнадцать тысяч рублей",
            15000,
            "RUB",
        );
        check(
            "в полторы тысячи рублей",
            "полторы тысячи рублей",
            1500,
            "RUB",
        );
        check(
            "півтори тисячі гривень",
            "півтори тисячі гривень",
            1500,
            "UAH",
        );
        check(
            "półtora tysiąca złotych",
            "półtora tysiąca złotych",
            1500,
            "PLN",
        );
        check(
            "It costs a couple of hundred dollars.",
            "a couple of hundred dollars",
            200,
            "USD",
        );
        check(
            "a couple million euros",
            "a couple million euros",
            2_000_000,
            "EUR",
        );
    }

    #[test]
    fn a_plural_scale_first_is_an_approximate_count_of_it() {
        check(
            "Это стоит тысяч пять рублей.",
            "тысяч пять рублей",
            5000,
            "RUB",
        );
        check(
            "Коштує тисяч десять гривень.",
            "тисяч десять гривень",
            10000,
            "UAH",
        );
        check(
            "Стоит тысяча пятьсот рублей.",
            "тысяча пятьсот рублей",
            1500,
            "RUB",
        );
    }

    #[test]
    fn a_change_from_one_amount_to_another_is_two_points() {
        for text in [
            "My rent's going up from £1,150 to £1,275 a month",
            "The fee was raised from $20 to $25.",
            "Czynsz wzrósł z 2 000 zł do 2 300 zł.",
            "Тариф підвищили з 100 грн до 120 грн.",
        ] {
            let found = find_amounts(text, &MoneyConfig::default());
            let kinds: Vec<AmountKind> = found.iter().map(|a| a.kind).collect();
            assert_eq!(
                kinds,
                [AmountKind::Point, AmountKind::Point],
                "{text}: {found:?}"
            );
        }
        // Without a verb of change, "from X to Y" stays a range.
        assert_eq!(one("Prices range from $5 to $7.").kind, AmountKind::Range);
    }

    #[test]
    fn bounds_after_the_amount() {
        for (text, side, value) in [
            ("a budget of $10m max", Bound::Upper, 10_000_000.0),
            ("deals of $5bn or more", Bound::Lower, 5e9),
            ("€2 million at most", Bound::Upper, 2e6),
            ("tickets at 20 euros tops", Bound::Upper, 20.0),
            ("15 € et plus", Bound::Lower, 15.0),
            ("500 Euro oder mehr", Bound::Lower, 500.0),
            ("100 zł lub więcej", Bound::Lower, 100.0),
            ("200 гривень або більше", Bound::Lower, 200.0),
            ("300 рублей или меньше", Bound::Upper, 300.0),
        ] {
            let a = one(text);
            assert_eq!(
                (a.kind, a.bound, a.exact),
                (AmountKind::Bound, Some(side), value),
                "{text}"
            );
        }
        assert_eq!(one("$5bn or so").kind, AmountKind::Point);
    }

    /// Subunits: pence on the number, cents and their kin as words.
    #[test]
    fn pence_and_cents() {
        let a = one("a pint for 99p");
        assert_eq!((a.exact, a.currency.as_deref()), (0.99, Some("GBP")));
        assert_eq!(one("145p a share").per.as_deref(), Some("share"));
        let found = find_amounts("up 45 cents to $12.10", &MoneyConfig::default());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].exact, 0.45, "{found:?}");
        assert_eq!(found[0].currency.as_deref(), Some("USD"));
        for text in ["streams in 1080p and 720p", "see p. 5", "5 p"] {
            let found = find_amounts(text, &MoneyConfig::default());
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    /// A written-out scale with the currency's name after it, in each language.
    #[test]
    fn scale_words_then_currency_names() {
        assert_eq!(one("1.2 trillion yen").exact, 1.2e12);
        assert_eq!(one("1.2 trillion yen").currency.as_deref(), Some("JPY"));
        assert_eq!(
            one("3 billion Swiss francs").currency.as_deref(),
            Some("CHF")
        );
        assert_eq!(one("2,5 Milliarden Euro").exact, 2.5e9);
        assert_eq!(one("4 miliardy złotych").exact, 4e9);
    }

    /// Fractions of a written-out scale.
    #[test]
    fn fractions_of_a_scale() {
        assert_eq!(one("a quarter of a million dollars").exact, 250_000.0);
        assert_eq!(one("three quarters of a billion euros").exact, 7.5e8);
        assert_eq!(one("half a million pounds").exact, 500_000.0);
        assert_eq!(one("півтора мільярда гривень").exact, 1.5e9);
        assert!(find_amounts("a quarter of a million people", &MoneyConfig::default()).is_empty());
    }

    /// Swiss grouping with an apostrophe ("1'234.50", also typographic).
    #[test]
    fn apostrophe_groups() {
        assert_eq!(one("CHF 1'234.50").exact, 1234.5);
        assert_eq!(one("Fr. 12\u{2019}500").exact, 12_500.0);
        assert_eq!(number("1'000'000"), Some(1e6));
    }

    /// Currency names in the cases a sentence puts them in (PL, UK, RU, DE).
    #[test]
    fn inflected_currency_names() {
        for (text, code) in [
            ("zapłacił 50 dolarami", "USD"),
            ("kurs 1 złotego", "PLN"),
            ("500 Dollars", "USD"),
            ("10 Schweizer Franken", "CHF"),
            ("20 тисяч гривнями", "UAH"),
            ("5 миллионов рублями", "RUB"),
            ("100 фунтах", "GBP"),
        ] {
            assert_eq!(one(text).currency.as_deref(), Some(code), "{text}");
        }
    }

    /// Linear time, counted in work rather than clock: every repeated unit yields the same
    /// amounts, so doubling the input doubles the amounts found and nothing else.
    #[test]
    fn work_grows_linearly_with_input() {
        let unit = "$1,000,000.000 - 2 000 000 bn bis 3.5 mld € roughly twenty bucks. ";
        let config = MoneyConfig::default();
        let one = find_amounts(&unit.repeat(300), &config).len();
        let two = find_amounts(&unit.repeat(600), &config).len();
        assert!(one > 0);
        assert_eq!(two, 2 * one);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            for a in find_amounts(&text, &MoneyConfig::default()) {
                proptest::prop_assert_eq!(&text[a.start..a.end], a.text.as_str());
            }
        }

        #[test]
        fn money_shaped_text_never_panics(
            text in "[$€£₴ ]{0,2}[0-9][0-9,. ]{0,14}[ -]?(bn|billion|mld|млрд|trillion|m|k)?[ -]?(dollars|euros|грн|zł|-plus)?[ .]?"
        ) {
            for a in find_amounts(&text, &MoneyConfig::default()) {
                proptest::prop_assert!(a.start <= a.end && a.end <= text.len());
                proptest::prop_assert!(a.max.is_none_or(|m| m >= a.value));
            }
        }
    }
}
