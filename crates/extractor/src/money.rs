//! Money amounts as outlets write them: "$800bn", "US$800 billion", "800 milliards de
//! dollars", "800 млрд доларів", "€2,5 mld", "half a trillion dollars", "$500-600 billion".
//!
//! One regex (compiled once, linear time: the `regex` crate never backtracks) finds
//! candidates in the folded text; the code then checks what a regex cannot say well
//! (is there a currency, is the number plausible, what follows a bare number) and
//! normalises each to a value in whole units of an ISO 4217 currency, plus its U.S. dollar
//! equivalent at the rates of [`MoneyConfig`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use crate::fold::fold;

/// One money expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Hedged by the writer: "roughly", "up to", "some", "~", "$200 billion-plus".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approx: bool,
    /// Byte offset of the expression in the text.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
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
/// Below a million, an amount is a price or a salary, not this story's money: it counts
/// only where a funding cue sits in the same sentence (see the tagger).
pub(crate) const SMALL: u64 = 1_000_000;

// Written over FOLDED text (lowercase, no diacritics, dashes as "-", one space).
const NUM: &str = r"\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?: \d{3})+)(?:[.,]\d+)?|\d+(?:[.,]\d+)?";
const PRE: &str = r"\bus ?\$|\$|\busd ?|\beur ?|€ ?|£ ?|\bgbp ?|₴ ?|\buah ?|\bpln ?";
const SCALE: &str = r"thousand|k|million|millions|mln|mn|m|billion|billions|bn|bln|b|trillion|trillions|tn|trn|milliards?|mds?|mrd|milliarden?|mio|millionen|billionen?|mld|miliard(?:y|ow|a)?|milion(?:y|ow|a)?|bilion(?:y|ow|a)?|tys|tysiecy|млрд|млн|трлн|мільярд(?:и|ів|а)?|мільион(?:и|ів|а)?|трильион(?:и|ів|а)?|миллиард(?:ы|ов|а)?|mil millones|millones";
const POST: &str = r"(?:us |american |u\.s\. )?dollars?|us-dollars?|usd|eur|euros?|€|\$|£|pounds?(?: sterling)?|sterling|gbp|hryvni?as?|hryvnyas?|uah|₴|гривень|гривні|гривня|гривен|грн\.?|доларів|долари|долара|долларов|дол\.|евро|євро|dolarow|dolary|dolara|dol\.|funtow|zł|złotych|zlotych|pln|рублей|руб\.";
const APPROX: &str = r"roughly|about|around|approximately|nearly|almost|some|up to|more than|over|at least|an estimated|close to|environ|pres de|jusqu'a|plus de|rund|etwa|fast|bis zu|uber|mehr als|okolo|ponad|prawie|do|около|близько|майже|понад|до";
const SEP: &str = r" ?- ?| to | bis | do | a | à | до ";

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?:(?:\b(?P<approx>{APPROX}) |(?P<tilde>[~≈]) ?))?(?P<body>(?P<pre>{PRE})?(?:\b(?P<half>half an?|an?|one) (?P<hscale>billion|trillion|million)|(?P<n1>\b(?:{NUM}))(?: ?(?P<s1>{SCALE})\b\.?)?(?:(?:{SEP})(?:{PRE})?(?P<n2>{NUM}))?(?: ?(?P<s2>{SCALE})\b\.?)?)(?P<plus>-plus|\+)?(?:(?: (?:de |d'|of )?| ?)(?P<post>{POST})(?:\b|$|[^\w]))?)"
    );
    // The pattern is a constant: failing to compile is a bug caught by every test.
    #[allow(clippy::expect_used)]
    Regex::new(&pattern).expect("the money regex compiles")
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

/// Finds every money expression of `text`. Amounts below a million are included; the
/// tagger keeps them only next to a funding cue.
pub fn find_amounts(text: &str, config: &MoneyConfig) -> Vec<Amount> {
    let folded = fold(text);
    let f = folded.text.as_str();
    let mut out: Vec<Amount> = Vec::new();
    for caps in AMOUNT.captures_iter(f) {
        let Some(amount) = parse(&caps, f) else {
            continue;
        };
        let Some(body) = caps.name("body") else {
            continue;
        };
        let mut body_end = body.end();
        // The trailing non-word char consumed after a currency word is not part of it.
        match caps.name("post") {
            Some(post) => body_end = body_end.min(post.end()),
            // "$5 mld." at the end of a sentence: the full stop is the sentence's.
            None if f[..body_end].ends_with('.') => body_end -= 1,
            None => {}
        }
        let (start, end) = folded.original_range(text, body.start(), body_end);
        let Some(written) = text.get(start..end) else {
            continue;
        };
        let (value, max, currency, approx) = amount;
        out.push(Amount {
            text: written.trim_end().to_string(),
            value,
            max,
            usd: config.usd(value, currency.as_deref()),
            usd_max: max.and_then(|m| config.usd(m, currency.as_deref())),
            currency,
            approx,
            start,
            end: start + written.trim_end().len(),
        });
    }
    inherit_currency(text, &mut out, config);
    out
}

type Parsed = (u64, Option<u64>, Option<String>, bool);

fn parse(caps: &Captures<'_>, folded: &str) -> Option<Parsed> {
    let currency = caps
        .name("pre")
        .map(|m| m.as_str())
        .or_else(|| caps.name("post").map(|m| m.as_str()))
        .and_then(currency_code);
    let approx = caps.name("approx").is_some()
        || caps.name("tilde").is_some()
        || caps.name("plus").is_some();
    if let (Some(half), Some(scale)) = (caps.name("half"), caps.name("hscale")) {
        currency.as_ref()?;
        let factor = if half.as_str().starts_with("half") {
            0.5
        } else {
            1.0
        };
        let value = to_units(factor * scale_factor(scale.as_str())?)?;
        return Some((value, None, currency, approx));
    }
    let n1 = number(caps.name("n1")?.as_str())?;
    let n2 = caps.name("n2").and_then(|m| number(m.as_str()));
    let s1 = caps.name("s1").and_then(|m| scale_factor(m.as_str()));
    let s2 = caps.name("s2").and_then(|m| scale_factor(m.as_str()));
    // "$500-600 billion": the scale after the range applies to both ends.
    let (f1, f2) = match (s1, s2) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) if n2.is_none() => (a, a),
        (Some(a), None) => (a, 1.0),
        (None, Some(b)) => (b, b),
        (None, None) => (1.0, 1.0),
    };
    if caps.name("n2").is_some() && n2.is_none() {
        return None;
    }
    if currency.is_none() {
        // A bare number is money only with a large scale ("1.2 trillion") and a
        // plausible word after it; years, counts and percentages have neither.
        let letter = |name| caps.name(name).is_some_and(|m| m.as_str().len() == 1);
        if f1.max(f2) < 1e9 || letter("s1") || letter("s2") {
            return None;
        }
        let end = caps.get(0).map_or(0, |m| m.end());
        let next = folded
            .get(end..)
            .unwrap_or_default()
            .trim_start()
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        if !BARE_FOLLOWERS.contains(&next) {
            return None;
        }
    }
    let value = to_units(n1 * f1)?;
    let max = match n2 {
        Some(n2) => Some(to_units(n2 * f2)?),
        None => None,
    };
    // "2026-2027" or "10-15" with a currency but backwards: not a range of money.
    if max.is_some_and(|m| m < value) {
        return None;
    }
    Some((value, max, currency, approx))
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

fn currency_code(word: &str) -> Option<String> {
    let w = word.trim().trim_end_matches('.');
    let code = if w.contains('$') || w.contains("dollar") || w.contains("usd") {
        "USD"
    } else if w.contains('€') || w.starts_with("eur") || w == "евро" || w == "євро" {
        "EUR"
    } else if w.contains('£') || w.starts_with("pound") || w == "sterling" || w == "gbp" {
        "GBP"
    } else if w.contains('₴')
        || w.starts_with("hryvn")
        || w == "uah"
        || w.starts_with("грив")
        || w == "грн"
    {
        "UAH"
    } else if w.starts_with("zł") || w.starts_with("zlot") || w == "pln" {
        "PLN"
    } else if w.starts_with("дол") || w.starts_with("dol") {
        "USD"
    } else if w.starts_with("руб") {
        "RUB"
    } else if w == "funtow" {
        "GBP"
    } else {
        return None;
    };
    Some(code.to_string())
}

fn scale_factor(word: &str) -> Option<f64> {
    let w = word.trim_end_matches('.');
    let factor = match w {
        "thousand" | "k" | "tys" | "tysiecy" => 1e3,
        "million" | "millions" | "mln" | "mn" | "m" | "mio" | "millionen" | "млн" => 1e6,
        "billion" | "billions" | "bn" | "bln" | "b" | "mrd" | "mld" | "млрд" => 1e9,
        "milliard" | "milliards" | "md" | "mds" | "milliarde" | "milliarden" => 1e9,
        "mil millones" => 1e9,
        "millones" => 1e6,
        "trillion" | "trillions" | "tn" | "trn" | "трлн" | "billionen" | "billione" => 1e12,
        _ if w.starts_with("miliard") || w.starts_with("мільярд") || w.starts_with("миллиард") => {
            1e9
        }
        _ if w.starts_with("milion") || w.starts_with("мільион") => 1e6,
        _ if w.starts_with("bilion") || w.starts_with("трильион") => 1e12,
        _ => return None,
    };
    Some(factor)
}

/// Parses "800", "2.5", "2,5", "1,000,000", "1.000.000", "1 000 000", "1.234,5".
fn number(raw: &str) -> Option<f64> {
    let s: String = raw.chars().filter(|c| *c != ' ').collect();
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
        assert!(a.approx);
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
