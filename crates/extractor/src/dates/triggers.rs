//! Where each date pass can match at all, found cheaply before any pass runs.
//!
//! Every match of a pass contains one of its trigger words ("january", "tomorrow",
//! "weekend", a quarter word) or a digit, because the pass's pattern is built from those
//! very words. One Aho-Corasick scan per kind of trigger (and one byte scan for digits)
//! finds them; a pass then runs only over the windows of [`REACH`] bytes either side of its
//! triggers, merged. A text with no trigger for a pass costs that pass nothing, and the
//! passes with rare triggers (weeks, relative days, weekdays) read a small part of a long
//! text instead of all of it.
//!
//! The windows give exactly the matches a scan of the whole text gives, as long as every
//! match is shorter than [`REACH`]: a match lies within the window of the trigger it
//! contains, and no match can touch a window's cut edge, since an edge is [`REACH`] bytes
//! from every trigger inside it (`windows_find_what_a_full_scan_finds` checks it).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::periods;

/// Bytes kept either side of a trigger: longer than any date expression the passes match
/// (the longest, a weekday, a day range, a Cyrillic month and a year, is under 80 bytes).
const REACH: usize = 256;

/// The kinds of trigger, one per distinct set of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    /// Any ASCII digit: explicit and numeric dates, ordinals, years, "Q1", "H2".
    Digit,
    /// A month's name in any of its forms, or a month named relative to publication.
    Month,
    /// A quarter or half word ("quarter", "Halbjahr", "півріччя") or a digit.
    QuarterOrDigit,
    /// A year word ("next year", "the end of the year") or a digit.
    YearOrDigit,
    /// A unit of a counted span ("days", "Wochen", "місяців").
    Unit,
    /// A week or weekend phrase.
    Week,
    /// A relative day ("tomorrow", "heute", "вчора").
    Day,
    /// A weekday's name.
    Weekday,
    /// A month named by its distance ("last month").
    MonthRel,
}

const KINDS: usize = 9;

impl Trigger {
    fn index(self) -> usize {
        self as usize
    }

    fn words(self) -> Option<&'static AhoCorasick> {
        let ac: &'static LazyLock<AhoCorasick> = match self {
            Trigger::Digit => return None,
            Trigger::Month => &MONTH,
            Trigger::QuarterOrDigit => &QUARTER,
            Trigger::YearOrDigit => &YEAR,
            Trigger::Unit => &UNIT,
            Trigger::Week => &WEEK,
            Trigger::Day => &DAY,
            Trigger::Weekday => &WEEKDAY,
            Trigger::MonthRel => &MONTH_REL,
        };
        Some(LazyLock::force(ac))
    }

    fn digits(self) -> bool {
        matches!(
            self,
            Trigger::Digit | Trigger::QuarterOrDigit | Trigger::YearOrDigit
        )
    }
}

/// An automaton over the words of `lists` (each a regex alternation of literals, possibly
/// with an optional "(?:the )?" lead, which a match need not contain), folded as the text.
fn automaton(lists: &[&str]) -> AhoCorasick {
    let mut words: Vec<String> = lists
        .iter()
        .flat_map(|l| l.split('|'))
        .map(|w| periods::fold_literal(&w.replace("(?:the )?", "")))
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    // The words are plain strings: building can fail only past size limits far above these
    // few hundred words, a bug every test would catch.
    #[allow(clippy::expect_used)]
    // A contiguous NFA: the default picks a DFA for sets this small, which finds the same
    // matches but costs several times as much to build, and a short command builds each
    // automaton its text needs once.
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .match_kind(MatchKind::LeftmostFirst)
        .build(&words)
        .expect("the date trigger automaton builds")
}

static MONTH: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let forms = periods::month_forms();
    automaton(&[
        super::MONTHS_EN,
        super::MONTHS_OTHER,
        super::PART_MONTHS,
        super::PART_REL_WORDS,
        &forms,
    ])
});
static QUARTER: LazyLock<AhoCorasick> =
    LazyLock::new(|| automaton(&[&periods::quarter_and_half_words()]));
static YEAR: LazyLock<AhoCorasick> =
    LazyLock::new(|| automaton(&[periods::YEAR_REL_WORDS, periods::YEAR_PART_REL]));
static UNIT: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&[&periods::unit_words()]));
static WEEK: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&[periods::WEEK_WORDS, "week of"]));
static DAY: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&[periods::DAY_WORDS]));
static WEEKDAY: LazyLock<AhoCorasick> =
    LazyLock::new(|| automaton(&[super::WEEKDAYS, periods::WEEKDAY_FORMS]));
static MONTH_REL: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(&[periods::MONTH_REL_WORDS]));

/// The windows of each kind of trigger in one text, computed on first use.
pub(super) struct Windows<'a> {
    f: &'a str,
    cache: [Option<Vec<(usize, usize)>>; KINDS],
}

impl<'a> Windows<'a> {
    pub(super) fn new(f: &'a str) -> Self {
        Windows {
            f,
            cache: Default::default(),
        }
    }

    /// The byte ranges of the text where a pass with `trigger` can match, in order,
    /// disjoint, on character boundaries.
    pub(super) fn of(&mut self, trigger: Trigger) -> &[(usize, usize)] {
        let f = self.f;
        self.cache[trigger.index()].get_or_insert_with(|| windows(f, trigger))
    }
}

fn windows(f: &str, trigger: Trigger) -> Vec<(usize, usize)> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    if trigger.digits() {
        digit_runs(f, &mut hits);
    }
    if let Some(ac) = trigger.words() {
        hits.extend(ac.find_iter(f).map(|m| (m.start(), m.end())));
    }
    hits.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in hits {
        let from = floor_boundary(f, s.saturating_sub(REACH));
        let to = ceil_boundary(f, e.saturating_add(REACH).min(f.len()));
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

/// Appends the byte range of every run of ASCII digits.
fn digit_runs(f: &str, hits: &mut Vec<(usize, usize)>) {
    let bytes = f.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            hits.push((start, i));
        } else {
            i += 1;
        }
    }
}

fn floor_boundary(f: &str, mut i: usize) -> usize {
    while i > 0 && !f.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(f: &str, mut i: usize) -> usize {
    while i < f.len() && !f.is_char_boundary(i) {
        i += 1;
    }
    i
}
