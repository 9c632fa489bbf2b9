//! Where each date pass can match at all, found cheaply before any pass runs.
//!
//! Every match of a pass contains one of its trigger words ("january", "tomorrow",
//! "weekend", a quarter word) or a digit, because the pass's pattern is built from those
//! very words. One Aho-Corasick scan per kind of trigger (and one byte scan for digits)
//! finds them; a pass then runs only over the windows of [`Trigger::reach`] bytes either
//! side of its triggers, merged. A text with no trigger for a pass costs that pass nothing, and the
//! passes with rare triggers (weeks, relative days, weekdays) read a small part of a long
//! text instead of all of it.
//!
//! The windows give exactly the matches a scan of the whole text gives, as long as every
//! match is shorter than the reach: a match lies within the window of the trigger it
//! contains, and no match can touch a window's cut edge, since an edge is that many bytes
//! from every trigger inside it (`windows_find_what_a_full_scan_finds` checks it).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::periods;
use crate::lazy::DfaLater;

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
    /// A month's name and a digit, both: the passes whose every match holds a month's
    /// name and a day ("January 6", "6 stycznia", "Oct/2") read only where the windows of
    /// the two kinds overlap, not every number's (see [`intersect`]).
    MonthAndDigit,
}

const KINDS: usize = 10;

impl Trigger {
    fn index(self) -> usize {
        self as usize
    }

    fn words(self) -> Option<&'static AhoCorasick> {
        self.automata().map(Automata::get)
    }

    /// The automata of this kind's words; `None` for the kinds found by their digits.
    fn automata(self) -> Option<&'static Automata> {
        let ac: &'static LazyLock<Automata> = match self {
            Trigger::Digit | Trigger::MonthAndDigit => return None,
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

    /// Bytes kept either side of a trigger of this kind: more than the longest match of
    /// any pass it triggers (`every_match_is_shorter_than_its_triggers_reach` checks it).
    ///
    /// Each kind has its own: a window no wider than its passes need reads fewer bytes,
    /// and a narrow window of a text in a non-Latin script is more often ASCII, which the
    /// regexes' fast forms read (see `DateRegex::for_text`).
    pub(super) fn reach(self) -> usize {
        match self {
            Trigger::Digit | Trigger::Unit | Trigger::Week | Trigger::Day | Trigger::MonthRel => 64,
            Trigger::Month | Trigger::YearOrDigit | Trigger::Weekday => 96,
            Trigger::QuarterOrDigit | Trigger::MonthAndDigit => 128,
        }
    }

    fn digits(self) -> bool {
        matches!(
            self,
            Trigger::Digit | Trigger::QuarterOrDigit | Trigger::YearOrDigit
        )
    }
}

/// A kind's trigger words in two automata that find the same matches: a contiguous NFA
/// at first, cheap to build, and in a long run (ingest, a benchmark) a DFA, dearer to
/// build but faster to search (see [`DfaLater`]).
struct Automata {
    words: Vec<String>,
    nfa: AhoCorasick,
    dfa: DfaLater,
}

impl Automata {
    /// The automaton that searches now.
    fn get(&self) -> &AhoCorasick {
        self.dfa
            .serve(&self.nfa, || build(&self.words, AhoCorasickKind::DFA).ok())
    }
}

fn build(words: &[String], kind: AhoCorasickKind) -> Result<AhoCorasick, aho_corasick::BuildError> {
    // Leftmost-first in both kinds, so that the two find the very same matches.
    AhoCorasick::builder()
        .kind(Some(kind))
        .match_kind(MatchKind::LeftmostFirst)
        .build(words)
}

/// An automaton over the words of `lists` (each a regex alternation of literals, possibly
/// with an optional "(?:the )?" lead, which a match need not contain), folded as the text.
fn automaton(lists: &[&str]) -> Automata {
    let mut words: Vec<String> = lists
        .iter()
        .flat_map(|l| l.split('|'))
        .map(|w| crate::fold::fold_pattern(&w.replace("(?:the )?", "")))
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
    let nfa =
        build(&words, AhoCorasickKind::ContiguousNFA).expect("the date trigger automaton builds");
    Automata {
        words,
        nfa,
        dfa: DfaLater::default(),
    }
}

static MONTH: LazyLock<Automata> = LazyLock::new(|| {
    let forms = periods::month_forms();
    automaton(&[
        super::MONTHS_EN,
        super::MONTHS_OTHER,
        super::PART_MONTHS,
        super::PART_REL_WORDS,
        &forms,
    ])
});
static QUARTER: LazyLock<Automata> =
    LazyLock::new(|| automaton(&[&periods::quarter_and_half_words()]));
static YEAR: LazyLock<Automata> =
    LazyLock::new(|| automaton(&[periods::YEAR_REL_WORDS, periods::YEAR_PART_REL]));
static UNIT: LazyLock<Automata> = LazyLock::new(|| automaton(&[&periods::unit_words()]));
static WEEK: LazyLock<Automata> = LazyLock::new(|| automaton(&[periods::WEEK_WORDS, "week of"]));
static DAY: LazyLock<Automata> = LazyLock::new(|| automaton(&[periods::DAY_WORDS]));
static WEEKDAY: LazyLock<Automata> =
    LazyLock::new(|| automaton(&[super::WEEKDAYS, periods::WEEKDAY_FORMS]));
static MONTH_REL: LazyLock<Automata> = LazyLock::new(|| automaton(&[periods::MONTH_REL_WORDS]));

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
    let reach = trigger.reach();
    if trigger == Trigger::MonthAndDigit {
        // Each kind's windows at this kind's reach, so that the argument of `intersect`
        // holds for the longest match of this kind's passes.
        let mut digits = Vec::new();
        digit_runs(f, &mut digits);
        let months: Vec<(usize, usize)> = MONTH
            .get()
            .find_iter(f)
            .map(|m| (m.start(), m.end()))
            .collect();
        return intersect(&around(f, months, reach), &around(f, digits, reach));
    }
    let mut hits: Vec<(usize, usize)> = Vec::new();
    if trigger.digits() {
        digit_runs(f, &mut hits);
    }
    if let Some(ac) = trigger.words() {
        hits.extend(ac.find_iter(f).map(|m| (m.start(), m.end())));
    }
    around(f, hits, reach)
}

/// The ranges within `reach` bytes of any of `hits`, merged, in order, on character
/// boundaries.
fn around(f: &str, mut hits: Vec<(usize, usize)>, reach: usize) -> Vec<(usize, usize)> {
    hits.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in hits {
        let from = floor_boundary(f, s.saturating_sub(reach));
        let to = ceil_boundary(f, e.saturating_add(reach).min(f.len()));
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

/// The ranges covered by both `a` and `b` (each in order and disjoint), in order.
///
/// A match holding a trigger of each kind lies inside a window of each, so inside their
/// overlap; an edge of the overlap is an edge of one of the two windows, the reach
/// from every trigger of that kind inside it, so no match touches it, and the overlaps
/// find what the windows of either kind find.
fn intersect(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(&(a0, a1)), Some(&(b0, b1))) = (a.get(i), b.get(j)) {
        let (from, to) = (a0.max(b0), a1.min(b1));
        if from < to {
            out.push((from, to));
        }
        // The range that ends first meets no later range of the other list.
        if a1 <= b1 {
            i += 1;
        } else {
            j += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind's DFA finds what its NFA finds, so the windows do not depend on which
    /// one a process has reached.
    #[test]
    fn the_dfa_finds_what_the_nfa_finds() {
        let texts = [
            "Talks in mid-January, then on Tuesday 6 janvier and next week; the day after tomorrow.",
            "6 stycznia, 6 січня, 6 января; w przyszłym tygodniu, через два тижні, in two weeks",
            "the end of next month, fin mars, Ende Januar, pod koniec marca, наприкінці травня",
            "Q1 and H2, the first quarter, la deuxième moitié, drugie półrocze, last year",
        ];
        for kind in [
            Trigger::Month,
            Trigger::QuarterOrDigit,
            Trigger::YearOrDigit,
            Trigger::Unit,
            Trigger::Week,
            Trigger::Day,
            Trigger::Weekday,
            Trigger::MonthRel,
        ] {
            let automata = kind.automata().unwrap();
            let nfa = &automata.nfa;
            let dfa = build(&automata.words, AhoCorasickKind::DFA).unwrap();
            for text in texts {
                let f = crate::fold::fold_str(text);
                let spans = |ac: &AhoCorasick| -> Vec<(usize, usize, usize)> {
                    ac.find_iter(&f)
                        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                        .collect()
                };
                assert_eq!(spans(&dfa), spans(nfa), "{kind:?} on {f}");
            }
        }
    }
}
