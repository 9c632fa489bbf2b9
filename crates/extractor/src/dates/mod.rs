//! Date expressions as outlets write them, resolved against the publication date:
//! "Jan. 6, 2026", "6 January", "2026-01-06", "06.01.2026", "6 janvier", "6. Januar",
//! "6 stycznia", "6 січня", ranges ("Jan 6–7", "January 6 to 7", "6 and 7 January"),
//! month parts ("late January", "early next month", "fin janvier", "Ende Januar") and
//! relative days ("on Tuesday", "next week", "tomorrow", "am Dienstag", "we wtorek").
//!
//! A few regexes, compiled once, run over the folded text (linear time, no
//! backtracking); an expression that needs a reference date (a weekday, a date without
//! a year) is dropped when the article has none, since an unresolved guess would mislead.

use std::collections::{BTreeMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use crate::fold::fold;

mod periods;
mod triggers;

use triggers::{Trigger, Windows};

/// The first and last day of a period, inclusive.
type Span = (NaiveDate, NaiveDate);

/// What a resolver knows about a match: the folded text, where the match is, the
/// publication date, the language and the last date resolved before it.
struct Ctx<'a> {
    f: &'a str,
    start: usize,
    end: usize,
    reference: Option<NaiveDate>,
    language: &'a str,
    previous: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
}

/// Tense cue words, folded: the closest one in the same sentence, before the expression
/// first, decides.
const PAST: &[&str] = &[
    "was",
    "said",
    "told",
    "yesterday",
    "hier",
    "gestern",
    "wczoraj",
    "вчора",
    "учора",
    "вчера",
    "were",
    "had",
    "did",
    "met",
    "went",
    "ran",
    "began",
    "held",
    "collapsed",
    "talked",
    "ago",
    "saw",
    "fell",
    "closed",
    "ended",
    "signed",
    "announced",
    "agreed",
    "took",
    "left",
    "picked",
    "issued",
    "a ete",
    "ont",
    "avait",
    "etait",
    "hatte",
    "hatten",
    "war",
    "waren",
    "wurde",
    "wurden",
    "hat",
    "haben",
    "habe",
    "był",
    "była",
    "było",
    "były",
    "obniżyła",
    "був",
    "була",
    "було",
    "були",
    "был",
    "была",
    "было",
    "были",
];
const FUTURE: &[&str] = &[
    "will",
    "could",
    "would",
    "might",
    "tomorrow",
    "tmrw",
    "demain",
    "jutro",
    "завтра",
    "'ll",
    "shall",
    "going",
    "let's",
    "plans",
    "expects",
    "expected",
    "scheduled",
    "upcoming",
    "sera",
    "seront",
    "aura",
    "auront",
    "reprendront",
    "wird",
    "werden",
    "soll",
    "sollen",
    "będzie",
    "będą",
    "odbędzie",
    "буде",
    "будуть",
    "будет",
    "будут",
    "jadę",
    "wracam",
    "wrócę",
    "spotkamy",
];

/// [`PAST`] and [`FUTURE`], folded like the text.
static CUES: LazyLock<(HashSet<String>, HashSet<String>)> = LazyLock::new(|| {
    let fold_all = |words: &[&str]| words.iter().map(|w| crate::fold::fold_str(w)).collect();
    (fold_all(PAST), fold_all(FUTURE))
});

/// One date expression, resolved to the days it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// The expression as written ("on Tuesday", "Jan 6–7").
    pub text: String,
    /// The first day it covers.
    pub start: NaiveDate,
    /// The last day it covers (`start` for a single day).
    pub end: NaiveDate,
    /// What kind of period it is: `day`, `week` (Monday-Sunday), `weekend`, `month`,
    /// `quarter`, `half`, `year`, or `range` for any other span ("January 6 to 7").
    #[serde(default)]
    pub grain: String,
    /// Byte offset of the expression in the text.
    pub byte_start: usize,
    /// Byte offset just past the expression.
    pub byte_end: usize,
}

const MONTHS_EN: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
// FR, DE, PL (genitive), UK and RU (genitive), folded (no diacritics, "й" as "и").
const MONTHS_OTHER: &str = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|januar|janner|februar|marz|juni|juli|oktober|dezember|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrzesnia|pazdziernika|listopada|grudnia|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря";
const WEEKDAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|poniedziałek|wtorek|srode|czwartek|piatek|sobote|niedziele|понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю|понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье";
/// Months named relative to publication after a part ("the end of next month"), the
/// relative alternatives of [`PARTS`].
const PART_REL_WORDS: &str = "next month|this month|last month|the month|du mois prochain|du mois|nachsten monats|des monats|dieses monats|przyszłego miesiaca|miesiaca|tego miesiaca|наступного місяця|місяця|цього місяця|месяца|этого месяца";
/// Locative month forms (PL) after a part ("pod koniec marca", "w połowie marcu").
const PART_MONTHS: &str = "styczniu|lutym|marcu|kwietniu|maju|czerwcu|lipcu|sierpniu|wrzesniu|pazdzierniku|listopadzie|grudniu";
const RANGE_SEP: &str =
    r" ?- ?| to | and | through | et | au | und | bis | i | и | і | та | do | po | по | до ";
const ORD: &str = r"(?:st|nd|rd|th|er)?";

static EXPLICIT: LazyLock<Vec<DateRegex>> = LazyLock::new(|| {
    let months = format!("{MONTHS_EN}|{MONTHS_OTHER}");
    let lead = format!(r"(?:\b(?:{WEEKDAYS}),? (?:den |dem |le |the )?)?");
    compile_all(&[
        // 2026-01-06
        r"\b(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d1>\d{2})\b".to_string(),
        // 06.01.2026, 7. 1. 2026
        r"\b(?P<d1>\d{1,2})\. ?(?P<mn>\d{1,2})\. ?(?P<y>\d{4})\b".to_string(),
        // January 6, Jan. 6, 2026, Jan 6–7, January 6 to 7
        format!(
            r"{lead}\b(?P<m>{MONTHS_EN})\.? (?P<d1>\d{{1,2}}){ORD}(?:(?:{RANGE_SEP})(?:the |le |zum |dem )?(?P<d2>\d{{1,2}}){ORD})?\b(?:,? (?P<y>\d{{4}})\b)?"
        ),
        // 6 January 2026, 6-7 January, 6. Januar, mardi 6 janvier, 6 stycznia, 6 січня
        format!(
            r"{lead}\b(?P<d1>\d{{1,2}}){ORD}\.?(?:(?:{RANGE_SEP})(?:the |le |zum |dem )?(?P<d2>\d{{1,2}}){ORD}\.?)? (?:of )?(?P<m>{months})\b\.?(?:,? (?P<y>\d{{4}})\b)?"
        ),
    ])
});

static PARTS: LazyLock<Vec<DateRegex>> = LazyLock::new(|| {
    let months = format!("{MONTHS_EN}|{MONTHS_OTHER}|{PART_MONTHS}");
    let parts = r"early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|debut|fin|mi|anfang|mitte|ende|na poczatku|w połowie|pod koniec|do konca|koniec|konca|на початку|з початку|в середині|у середині|наприкінці|в кінці|у кінці|на кінець|до кінця|кінець|з середини|до середини|в начале|с начала|в середине|с середины|до середины|в конце|до конца|конец|конца|the middle of|middle of|od połowy|do połowy";
    compile_all(&[format!(
        r"\b(?P<part>{parts})[ -](?:(?P<m>{months})\b(?: (?P<y>\d{{4}})\b)?|(?P<rel>{PART_REL_WORDS}))"
    )])
});

fn compile_all(patterns: &[String]) -> Vec<DateRegex> {
    patterns.iter().map(|p| DateRegex::new(p)).collect()
}

/// A date pass's regex, compiled on first use in one of two forms: for ASCII text, its
/// ASCII subset (which matches the same there, and compiles several times faster: a
/// Unicode `\d` or `\b` is a large automaton), and for other text the regex itself.
pub(super) struct DateRegex {
    pattern: String,
    full: OnceLock<Regex>,
    ascii: OnceLock<Option<Regex>>,
}

impl DateRegex {
    /// A pass's regex over folded text. Its literal words are written as spelt and folded
    /// here as the text is; none of the folded letters is regex syntax.
    pub(super) fn new(pattern: &str) -> DateRegex {
        DateRegex {
            pattern: crate::fold::fold_pattern(pattern),
            full: OnceLock::new(),
            ascii: OnceLock::new(),
        }
    }

    #[cfg(test)]
    pub(super) fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The form that searches `text`.
    pub(super) fn for_text(&self, text: &str) -> &Regex {
        if text.is_ascii()
            && let Some(ascii) = self.ascii.get_or_init(|| {
                crate::lazy::ascii_pattern(&self.pattern).and_then(|p| Regex::new(&p).ok())
            })
        {
            return ascii;
        }
        self.full.get_or_init(|| {
            // The patterns are constants: failing to compile is a bug caught by every test.
            #[allow(clippy::expect_used)]
            Regex::new(&self.pattern).expect("the date regexes compile")
        })
    }
}

/// Turns a regex match into the days it covers, given the reference date.
type Resolver = fn(&Captures<'_>, &Ctx<'_>) -> Option<Span>;

/// Every date expression of `text` that resolves, in text order, read by the
/// conventions of `language` (ISO 639-1: "en" reads 03/04/2026 as March 4, the others as
/// 3 April), each as the inclusive period it names.
///
/// The year of a yearless date ("6 January", "in May", "late June") is the one a careful
/// reader takes from the publication date `reference`: with a past-tense cue in the same
/// sentence ("met", "hatte", "was") the most recent such date on or before it; with a
/// future cue ("will", "soll", "будет") the next on or after it; with no cue the nearest
/// one. A weekday alone naming the weekday of `reference` is `reference` itself;
/// otherwise it is the next such day after `reference` unless the sentence is in the
/// past tense; "this Tuesday" is the Tuesday of the current Monday-Sunday week, "next
/// Tuesday" the Tuesday of next week, "last Tuesday" the most recent one before.
pub fn find_dates_in(
    text: &str,
    reference: Option<NaiveDate>,
    language: Option<&str>,
) -> Vec<DateMention> {
    scan_dates(text, reference, language, Scan::Windows)
}

/// How the passes read the text: only around their triggers, or all of it (the reference
/// the windows are tested against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    Windows,
    #[cfg_attr(not(test), allow(dead_code))]
    Whole,
}

/// What a pass's resolver needs besides its match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    /// A reference date: without one it resolves nothing (it starts with `ctx.reference?`).
    Reference,
}

/// A pass's regexes, compiled on the first call.
type Regexes = fn() -> &'static [DateRegex];

fn one(regex: &DateRegex) -> &[DateRegex] {
    std::slice::from_ref(regex)
}

/// One date pass: its regexes, the resolver of their matches, the trigger every match
/// holds, and what the resolver needs.
type Pass = (Regexes, Resolver, Trigger, Needs);

/// The passes in the order they take spans: explicit dates first, then periods, then
/// relative words; a later, vaguer match never overrides an earlier one it overlaps
/// ("Tuesday, January 6").
fn passes() -> [Pass; 18] {
    [
        (
            || one(&periods::WEEK_OF),
            periods::week_of,
            Trigger::Week,
            Needs::Nothing,
        ),
        (
            || one(&periods::QUARTERS),
            periods::quarter,
            Trigger::QuarterOrDigit,
            Needs::Nothing,
        ),
        // The explicit and numeric passes in their order, each regex with the trigger its
        // every match holds: the ones that name a month read only near both a month's name
        // and a digit, a small part of a text full of numbers (see `Trigger::MonthAndDigit`).
        (
            || EXPLICIT.get(..2).unwrap_or_default(),
            explicit,
            Trigger::Digit,
            Needs::Nothing,
        ),
        (
            || EXPLICIT.get(2..).unwrap_or_default(),
            explicit,
            Trigger::MonthAndDigit,
            Needs::Nothing,
        ),
        (
            || NUMERIC.get(..1).unwrap_or_default(),
            numeric,
            Trigger::Digit,
            Needs::Nothing,
        ),
        (
            || NUMERIC.get(1..2).unwrap_or_default(),
            numeric,
            Trigger::MonthAndDigit,
            Needs::Nothing,
        ),
        (
            || NUMERIC.get(2..).unwrap_or_default(),
            numeric,
            Trigger::Digit,
            Needs::Nothing,
        ),
        (
            || PARTS.as_slice(),
            month_part,
            Trigger::Month,
            Needs::Nothing,
        ),
        (
            || one(&periods::YEAR_PARTS),
            periods::year_part,
            Trigger::YearOrDigit,
            Needs::Nothing,
        ),
        (
            || one(&periods::MONTHS_ALONE),
            periods::month_alone,
            Trigger::Month,
            Needs::Nothing,
        ),
        (
            || one(&periods::SPANS),
            periods::span,
            Trigger::Unit,
            Needs::Reference,
        ),
        (
            || one(&periods::WEEKS),
            periods::weeks,
            Trigger::Week,
            Needs::Reference,
        ),
        (
            || one(&periods::DAYS),
            periods::days,
            Trigger::Day,
            Needs::Reference,
        ),
        (
            || one(&periods::WEEKDAY_ORDINAL),
            periods::weekday_ordinal,
            Trigger::Weekday,
            Needs::Reference,
        ),
        (
            || one(&periods::WEEKDAYS),
            periods::weekday_named,
            Trigger::Weekday,
            Needs::Reference,
        ),
        (
            || one(&periods::ORDINAL_DAY),
            periods::ordinal_day,
            Trigger::Digit,
            Needs::Reference,
        ),
        (
            || one(&periods::MONTHS_REL),
            periods::month_rel,
            Trigger::MonthRel,
            Needs::Reference,
        ),
        (
            || one(&periods::YEARS),
            periods::year,
            Trigger::YearOrDigit,
            Needs::Nothing,
        ),
    ]
}

fn scan_dates(
    text: &str,
    reference: Option<NaiveDate>,
    language: Option<&str>,
    scan: Scan,
) -> Vec<DateMention> {
    let folded = fold(text);
    let f = folded.text.as_str();
    let language = language.unwrap_or("");
    // The passes run in order (see `passes`). Spans taken so far, by start; they never overlap, so the one span starting
    // last before a candidate's end is the only one that can overlap it (a BTreeMap
    // keeps this check logarithmic: a Vec scan made long inputs quadratic).
    let mut taken: BTreeMap<usize, (usize, NaiveDate, NaiveDate)> = BTreeMap::new();
    let mut windows = Windows::new(f);
    let groups = passes();
    let whole_text = [(0, f.len())];
    for (regexes, resolve, trigger, needs) in groups {
        // A pass that cannot resolve anything without a reference date, when there is
        // none, is skipped: its matches would take no span ("on Tuesday" with no
        // publication date), and its triggers and regexes cost a short command's start.
        if needs == Needs::Reference && reference.is_none() {
            continue;
        }
        // Each pass reads only the windows around its triggers (see `triggers`).
        let ranges: &[(usize, usize)] = if scan == Scan::Windows {
            windows.of(trigger)
        } else {
            &whole_text
        };
        // A pass without triggers never compiles its regexes: a short text names few
        // kinds of date, and compiling all of them was a tenth of `newsmon tag`'s start.
        if ranges.is_empty() {
            continue;
        }
        for regex in regexes() {
            for &(from, to) in ranges {
                let Some(window) = f.get(from..to) else {
                    continue;
                };
                for caps in regex.for_text(window).captures_iter(window) {
                    let Some(whole) = caps.name("span").or_else(|| caps.get(0)) else {
                        continue;
                    };
                    let (s, e) = (from + whole.start(), from + whole.end());
                    let overlaps = taken
                        .range(..e)
                        .next_back()
                        .is_some_and(|(_, (te, ..))| s < *te);
                    if overlaps {
                        continue;
                    }
                    let previous = taken
                        .range(..s)
                        .next_back()
                        .map(|(_, (_, start, _))| *start);
                    let ctx = Ctx {
                        f,
                        start: s,
                        end: e,
                        reference,
                        language,
                        previous,
                    };
                    if let Some((start, end)) = resolve(&caps, &ctx) {
                        taken.insert(s, (e, start, end));
                    }
                }
            }
        }
    }
    let spans = merge_ranges(f, taken.into_iter().collect());
    spans
        .into_iter()
        .filter_map(|(s, (e, start, end))| {
            let (from, to) = folded.original_range(text, s, e);
            let written = text.get(from..to)?.trim_end_matches([',', '.', ' ']);
            Some(DateMention {
                text: written.to_string(),
                start,
                end,
                grain: grain(start, end).to_string(),
                byte_start: from,
                byte_end: from + written.len(),
            })
        })
        .collect()
}

/// Every date expression of `text` that resolves, in text order, with no language
/// known (numeric dates read day first). See [`find_dates_in`].
pub fn find_dates(text: &str, reference: Option<NaiveDate>) -> Vec<DateMention> {
    find_dates_in(text, reference, None)
}

/// The grain of a period, from its ends.
fn grain(start: NaiveDate, end: NaiveDate) -> &'static str {
    let days = (end - start).num_days();
    let month_end = |d: NaiveDate| d.succ_opt().is_some_and(|n| n.day() == 1);
    let whole_months = start.day() == 1 && month_end(end);
    let months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32 + 1;
    match days {
        0 => "day",
        1 if start.weekday() == Weekday::Sat => "weekend",
        6 if start.weekday() == Weekday::Mon => "week",
        _ if whole_months && months == 1 => "month",
        _ if whole_months && months == 3 && start.month() % 3 == 1 => "quarter",
        _ if whole_months && months == 6 && start.month() % 6 == 1 => "half",
        _ if whole_months && months == 12 && start.month() == 1 => "year",
        _ => "range",
    }
}

type Taken = (usize, (usize, NaiveDate, NaiveDate));

/// Joins "from March to May", "Aug. 2 to Aug. 13", "between 2025-11-01 and 2025-11-30"
/// into one range; the second end moves a year on when it would fall before the first.
fn merge_ranges(f: &str, spans: Vec<Taken>) -> Vec<Taken> {
    const OPENERS: &[&str] = &[
        "from",
        "between",
        "du",
        "vom",
        "von",
        "od",
        "z",
        "з",
        "с",
        "від",
        "от",
        "entre",
        "zwischen",
        "między",
        "между",
        "між",
    ];
    let mut out: Vec<Taken> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(last) = out.last_mut() {
            let (ls, (le, lstart, _)) = *last;
            let gap = f.get(le..span.0).unwrap_or("");
            let before = f.get(..ls).unwrap_or("").trim_end();
            let opened = OPENERS.iter().any(|o| {
                before
                    .strip_suffix(o)
                    .is_some_and(|h| !h.chars().last().is_some_and(char::is_alphanumeric))
            });
            let joined = matches!(
                gap.trim(),
                "-" | "to" | "through" | "until" | "till" | "thru" | "to the" | "through the"
            ) || (opened
                && matches!(
                    gap.trim(),
                    "and"
                        | "au"
                        | "jusqu'au"
                        | "bis zum"
                        | "bis zur"
                        | "a"
                        | "bis"
                        | "do"
                        | "по"
                        | "до"
                        | "et"
                        | "und"
                        | "i"
                        | "и"
                        | "і"
                ));
            if joined && (gap.trim() != "-" || opened || gap.len() <= 3) {
                let mut end = span.1.2;
                // "January 30 to February 2, 2026", "Q1 through Q2 2021": a year written
                // only at the end is the whole range's; the start takes the latest year
                // that keeps it before the end.
                let lstart = if written_year(f.get(span.0..span.1.0).unwrap_or(""))
                    && !written_year(f.get(ls..le).unwrap_or(""))
                {
                    start_in_year_of(lstart, end).unwrap_or(lstart)
                } else {
                    lstart
                };
                while end < lstart {
                    let Some(next) = end.checked_add_months(Months::new(12)) else {
                        break;
                    };
                    end = next;
                }
                *last = (ls, (span.1.0, lstart, end));
                continue;
            }
        }
        out.push(span);
    }
    out
}

/// Does the text hold a year in digits ("2026")?
fn written_year(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && matches!(w[0], b'1' | b'2'))
}

/// `start` moved to the year of `end`, or the year before when it would fall after `end`
/// ("December 28 to January 3, 2027" starts in 2026).
fn start_in_year_of(start: NaiveDate, end: NaiveDate) -> Option<NaiveDate> {
    let same = start.with_year(end.year())?;
    if same <= end {
        Some(same)
    } else {
        start.with_year(end.year() - 1)
    }
}

impl<'a> Ctx<'a> {
    /// The tense of the clause around the match, from its closest cue word, before the
    /// match first.
    fn tense(&self) -> Option<Tense> {
        // "since March", "seit Mai": the preposition itself looks back.
        let before = self.f.get(..self.start).unwrap_or_default();
        if ["since ", "seit ", "depuis "].iter().any(|p| {
            before.ends_with(p)
                && !before[..before.len() - p.len()].ends_with(char::is_alphanumeric)
        }) {
            return Some(Tense::Past);
        }
        self.tense_within(&['.', '!', '?', ';', ','])
    }

    /// The tense of the clause, else of the whole sentence ("Let's push the call to
    /// Wednesday; I'm out Thursday and Friday").
    fn sentence_tense(&self) -> Option<Tense> {
        self.tense().or_else(|| self.tense_within(&['.', '!', '?']))
    }

    fn tense_within(&self, stops: &[char]) -> Option<Tense> {
        let from = self.f[..self.start].rfind(stops).map_or(0, |i| i + 1);
        let to = self.f[self.end..]
            .find(stops)
            .map_or(self.f.len(), |i| self.end + i);
        let words = |s: &'a str| -> Vec<&'a str> {
            s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .filter(|w| !w.is_empty())
                .collect()
        };
        let before = words(self.f.get(from..self.start).unwrap_or(""));
        let after = words(self.f.get(self.end..to).unwrap_or(""));
        let all: Vec<&str> = before.iter().chain(&after).copied().collect();
        // Closest first: the words before the match from the nearest back, then after it.
        let order = (0..before.len()).rev().chain(before.len()..all.len());
        order
            .filter_map(|i| cue(all[i], i.checked_sub(1).map(|p| all[p])))
            .next()
    }
}

/// The tense a word marks, given the word before it. A participle after a copula is an
/// adjective ("will be closed", "will remain closed"): no cue, the copula's own tense
/// ("was closed") or an auxiliary before it decides.
fn cue(word: &str, previous: Option<&str>) -> Option<Tense> {
    const COPULAS: &[&str] = &[
        "be", "remain", "remains", "stay", "stays", "is", "are", "get",
    ];
    if CUES.0.contains(word) {
        if previous.is_some_and(|p| COPULAS.contains(&p)) {
            return None;
        }
        Some(Tense::Past)
    } else if CUES.1.contains(word)
        || word.ends_with("'ll")
        // French futures ("se poursuivront", "reprendront").
        || (word.len() > 5 && word.ends_with("ront"))
    {
        Some(Tense::Future)
    } else {
        None
    }
}

/// The year of a yearless period given by `span_in(year)`: by tense, else the nearest.
fn year_for(ctx: &Ctx<'_>, span_in: impl Fn(i32) -> Option<Span>) -> Option<i32> {
    let reference = ctx.reference?;
    let years =
        (reference.year() - 1..=reference.year() + 1).filter_map(|y| span_in(y).map(|s| (y, s)));
    match ctx.tense() {
        Some(Tense::Past) => years
            .filter(|(_, (start, _))| *start <= reference)
            .max_by_key(|(y, _)| *y)
            .map(|(y, _)| y),
        Some(Tense::Future) => years
            .filter(|(_, (_, end))| *end >= reference)
            .min_by_key(|(y, _)| *y)
            .map(|(y, _)| y),
        None => years
            .min_by_key(|(_, (start, end))| {
                if *start <= reference && reference <= *end {
                    0
                } else {
                    (*start - reference)
                        .num_days()
                        .abs()
                        .min((*end - reference).num_days().abs())
                }
            })
            .map(|(y, _)| y),
    }
}

enum Part {
    Early,
    Mid,
    Late,
}

fn part_kind(part: &str) -> Part {
    match part {
        "early"
        | "debut"
        | "anfang"
        | "na poczatku"
        | "на початку"
        | "в начале"
        | "з початку"
        | "с начала" => Part::Early,
        _ if part.contains("beginning") || part.contains("start") => Part::Early,
        "mid" | "mi" | "mitte" => Part::Mid,
        _ if ["middle", "połow", "середин"]
            .iter()
            .any(|w| part.contains(w)) =>
        {
            Part::Mid
        }
        _ => Part::Late,
    }
}

static NUMERIC: LazyLock<Vec<DateRegex>> = LazyLock::new(|| {
    compile_all(&[
        // 06/15/2030 (en), 15/10/2024 (others), 1/7/26
        r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})\b".to_string(),
        // Oct/2
        format!(r"\b(?P<m>{MONTHS_EN})/(?P<d1>\d{{1,2}})\b"),
        // le 12/03: yearless, only after a word that introduces a date
        r"\b(?:le|on|am|du|au|by|until|od|do|до|з|с) (?P<span>(?P<a>\d{1,2})/(?P<b>\d{1,2}))\b"
            .to_string(),
        // vom 22.12. bis 2.1.: day and month with dots, no year, after a preposition
        r"\b(?:vom|bis|zum|am|ab|seit|le|du|au|od|do|от|до|з|с|по) (?:zum )?(?P<span>(?P<dd>\d{1,2})\.(?P<mm>\d{1,2})\.)"
            .to_string(),
    ])
});

fn numeric(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    if caps.name("m").is_some() {
        return explicit(caps, ctx);
    }
    let (month, day) = if let (Some(m), Some(d)) = (num(caps, "mm"), num(caps, "dd")) {
        (m, d)
    } else {
        let a: u32 = caps.name("a")?.as_str().parse().ok()?;
        let b: u32 = caps.name("b")?.as_str().parse().ok()?;
        if ctx.language == "en" { (a, b) } else { (b, a) }
    };
    let after = ctx.f.get(ctx.end..).unwrap_or_default();
    if after.starts_with('-') || after.starts_with('/') {
        return None;
    }
    let year = match caps.name("y") {
        Some(y) if y.as_str().len() == 2 => 2000 + y.as_str().parse::<i32>().ok()?,
        Some(y) => y.as_str().parse().ok()?,
        None => year_for(ctx, |y| {
            NaiveDate::from_ymd_opt(y, month, day).map(|d| (d, d))
        })?,
    };
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    Some((d, d))
}

fn num(caps: &Captures<'_>, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn explicit(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let month = match caps.name("m") {
        Some(m) => month_number(m.as_str())?,
        None => num(caps, "mn")?,
    };
    let d1 = num(caps, "d1")?;
    let d2 = num(caps, "d2").filter(|d2| *d2 > d1);
    let year = match num(caps, "y") {
        Some(y) if (1900..=2200).contains(&y) => y as i32,
        Some(_) => return None,
        None => year_for(ctx, |y| {
            NaiveDate::from_ymd_opt(y, month, d1).map(|d| (d, d))
        })?,
    };
    let start = NaiveDate::from_ymd_opt(year, month, d1)?;
    let end = match d2 {
        Some(d2) => NaiveDate::from_ymd_opt(year, month, d2)?,
        None => start,
    };
    Some((start, end))
}

fn month_part(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference;
    let (year, month) = if let Some(m) = caps.name("m") {
        let month = periods::any_month(m.as_str())?;
        let year = match num(caps, "y") {
            Some(y) if (1900..=2200).contains(&y) => y as i32,
            Some(_) => return None,
            None => year_for(ctx, |y| {
                let first = NaiveDate::from_ymd_opt(y, month, 1)?;
                Some((first, first.checked_add_months(Months::new(1))?.pred_opt()?))
            })?,
        };
        (year, month)
    } else {
        let reference = reference?;
        let rel = caps.name("rel")?.as_str();
        let first = reference.with_day(1)?;
        let month = if rel.starts_with("last") {
            first.checked_sub_months(Months::new(1))?
        } else if ["next", "prochain", "nachst", "przysz", "наступн"]
            .iter()
            .any(|w| rel.contains(w))
        {
            first.checked_add_months(Months::new(1))?
        } else {
            // "this month", "the end of the month", "fin du mois", "Ende des Monats".
            first
        };
        (month.year(), month.month())
    };
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first
        .checked_add_months(Months::new(1))?
        .checked_sub_days(Days::new(1))?;
    let part = caps.name("part")?.as_str();
    let day = |d| NaiveDate::from_ymd_opt(year, month, d);
    Some(match part_kind(part) {
        Part::Early => (first, day(10)?),
        Part::Mid => (day(11)?, day(20)?),
        Part::Late => (day(21)?, last),
    })
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    const TABLE: [&[&str]; 12] = [
        &[
            "jan",
            "january",
            "janvier",
            "januar",
            "janner",
            "stycznia",
            "styczniu",
            "січня",
            "января",
        ],
        &[
            "feb",
            "february",
            "fevrier",
            "februar",
            "lutego",
            "lutym",
            "лютого",
            "февраля",
        ],
        &[
            "mar",
            "march",
            "mars",
            "marz",
            "marca",
            "marcu",
            "березня",
            "марта",
        ],
        &[
            "apr",
            "april",
            "avril",
            "kwietnia",
            "kwietniu",
            "квітня",
            "апреля",
        ],
        &["may", "mai", "maja", "maju", "травня", "мая"],
        &[
            "jun",
            "june",
            "juin",
            "juni",
            "czerwca",
            "czerwcu",
            "червня",
            "июня",
        ],
        &[
            "jul",
            "july",
            "juillet",
            "juli",
            "lipca",
            "lipcu",
            "липня",
            "июля",
        ],
        &[
            "aug",
            "august",
            "aout",
            "sierpnia",
            "sierpniu",
            "серпня",
            "августа",
        ],
        &[
            "sep",
            "sept",
            "september",
            "septembre",
            "wrzesnia",
            "wrzesniu",
            "вересня",
            "сентября",
        ],
        &[
            "oct",
            "october",
            "octobre",
            "oktober",
            "pazdziernika",
            "pazdzierniku",
            "жовтня",
            "октября",
        ],
        &[
            "nov",
            "november",
            "novembre",
            "listopada",
            "listopadzie",
            "листопада",
            "ноября",
        ],
        &[
            "dec",
            "december",
            "decembre",
            "dezember",
            "grudnia",
            "grudniu",
            "грудня",
            "декабря",
        ],
    ];
    TABLE
        .iter()
        .position(|names| names.contains(&w))
        .map(|i| i as u32 + 1)
}

fn weekday(word: &str) -> Option<Weekday> {
    const TABLE: [(&[&str], Weekday); 7] = [
        (
            &[
                "monday",
                "lundi",
                "montag",
                "poniedziałek",
                "понеділок",
                "понедельник",
            ],
            Weekday::Mon,
        ),
        (
            &[
                "tuesday",
                "mardi",
                "dienstag",
                "wtorek",
                "вівторок",
                "вторник",
            ],
            Weekday::Tue,
        ),
        (
            &[
                "wednesday",
                "mercredi",
                "mittwoch",
                "srode",
                "середу",
                "среду",
            ],
            Weekday::Wed,
        ),
        (
            &[
                "thursday",
                "jeudi",
                "donnerstag",
                "czwartek",
                "четвер",
                "четверг",
            ],
            Weekday::Thu,
        ),
        (
            &[
                "friday",
                "vendredi",
                "freitag",
                "piatek",
                "п'ятницю",
                "пятницу",
            ],
            Weekday::Fri,
        ),
        (
            &[
                "saturday",
                "samedi",
                "samstag",
                "sobote",
                "суботу",
                "субботу",
            ],
            Weekday::Sat,
        ),
        (
            &[
                "sunday",
                "dimanche",
                "sonntag",
                "niedziele",
                "неділю",
                "воскресенье",
            ],
            Weekday::Sun,
        ),
    ];
    TABLE
        .iter()
        .find(|(names, _)| names.contains(&word))
        .map(|(_, day)| *day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Saturday 3 January 2026, the day of the Kyiv NSA meeting.
    fn sat() -> Option<NaiveDate> {
        Some(d(2026, 1, 3))
    }

    fn one(text: &str, reference: Option<NaiveDate>) -> (String, NaiveDate, NaiveDate) {
        let found = find_dates(text, reference);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        let m = found.into_iter().next().unwrap();
        assert_eq!(&text[m.byte_start..m.byte_end], m.text);
        (m.text, m.start, m.end)
    }

    #[test]
    fn explicit_dates_in_five_languages() {
        let jan6 = d(2026, 1, 6);
        for (text, written) in [
            ("met on January 6, 2026 in Paris", "January 6, 2026"),
            ("on Jan. 6, 2026.", "Jan. 6, 2026"),
            ("on 6 January 2026", "6 January 2026"),
            ("dated 2026-01-06", "2026-01-06"),
            ("le 06.01.2026 à Paris", "06.01.2026"),
            ("dne 6. 1. 2026", "6. 1. 2026"),
            ("le mardi 6 janvier 2026", "mardi 6 janvier 2026"),
            ("am 6. Januar 2026", "6. Januar 2026"),
            ("6 stycznia 2026 r.", "6 stycznia 2026"),
            ("Tuesday, January 6, 2026", "Tuesday, January 6, 2026"),
        ] {
            assert_eq!(one(text, None), (written.to_string(), jan6, jan6), "{text}");
        }
        assert_eq!(one("6 січня у Парижі", sat()).1, jan6);
        assert_eq!(one("on Jan 6 in Paris", sat()).1, jan6);
        // Without a year and without a reference, a date does not resolve.
        assert!(find_dates("on Jan 6 in Paris", None).is_empty());
    }

    #[test]
    fn years_are_inferred_from_the_reference() {
        let dec28 = Some(d(2025, 12, 28));
        assert_eq!(one("on 6 January", dec28).1, d(2026, 1, 6));
        assert_eq!(one("on December 4", sat()).1, d(2025, 12, 4));
    }

    #[test]
    fn ranges() {
        let (_, s, e) = one("talks on Jan 6–7", sat());
        assert_eq!((s, e), (d(2026, 1, 6), d(2026, 1, 7)));
        let (t, s, e) = one("on January 6 to 7, 2026", None);
        assert_eq!(t, "January 6 to 7, 2026");
        assert_eq!((s, e), (d(2026, 1, 6), d(2026, 1, 7)));
        let (_, s, e) = one("on 6 and 7 January", sat());
        assert_eq!((s, e), (d(2026, 1, 6), d(2026, 1, 7)));
        let (_, s, e) = one("Dec 14-15 in Berlin", sat());
        assert_eq!((s, e), (d(2025, 12, 14), d(2025, 12, 15)));
    }

    #[test]
    fn month_parts() {
        let (t, s, e) = one("in late January", sat());
        assert_eq!(t, "late January");
        assert_eq!((s, e), (d(2026, 1, 21), d(2026, 1, 31)));
        let (_, s, e) = one("early next month", sat());
        assert_eq!((s, e), (d(2026, 2, 1), d(2026, 2, 10)));
        let (_, s, e) = one("mid-February 2026", None);
        assert_eq!((s, e), (d(2026, 2, 11), d(2026, 2, 20)));
        let (_, s, _) = one("fin janvier", sat());
        assert_eq!(s, d(2026, 1, 21));
        let (_, s, _) = one("Ende Januar", sat());
        assert_eq!(s, d(2026, 1, 21));
    }

    #[test]
    fn weekdays_and_weeks_are_relative_to_the_reference() {
        assert_eq!(
            one("leaders gather in Paris on Tuesday", sat()).1,
            d(2026, 1, 6)
        );
        assert_eq!(one("chiefs meet on Monday", sat()).1, d(2026, 1, 5));
        assert_eq!(one("NSAs met on Friday", sat()).1, d(2026, 1, 2));
        assert_eq!(one("am Dienstag in Paris", sat()).1, d(2026, 1, 6));
        assert_eq!(one("am Dienstagabend im Élysée", sat()).1, d(2026, 1, 6));
        assert_eq!(one("Mittwochmorgen", sat()).1, d(2025, 12, 31));
        assert_eq!(one("seit Montagnachmittag", sat()).1, d(2025, 12, 29));
        assert!(find_dates("Dienstagsrunde", sat()).is_empty());
        assert_eq!(one("we wtorek w Paryżu", sat()).1, d(2026, 1, 6));
        assert_eq!(one("у вівторок", sat()).1, d(2026, 1, 6));
        assert_eq!(one("next Saturday", sat()).1, d(2026, 1, 10));
        let (_, s, e) = one("as early as next week", Some(d(2026, 1, 8)));
        assert_eq!((s, e), (d(2026, 1, 12), d(2026, 1, 18)));
        assert_eq!(one("tomorrow", sat()).1, d(2026, 1, 4));
        // Ukrainian writes "yesterday" both ways ("вчора", "учора").
        assert_eq!(one("Учора в Парижі", sat()).1, d(2026, 1, 2));
        assert_eq!(one("вчора в Парижі", sat()).1, d(2026, 1, 2));
        assert!(find_dates("on Tuesday", None).is_empty());
    }

    #[test]
    fn the_publication_weekday_is_the_publication_day() {
        let tue = Some(d(2026, 1, 6));
        assert_eq!(one("leaders met on Tuesday", tue).1, d(2026, 1, 6));
        assert_eq!(one("the vote is on Tuesday", tue).1, d(2026, 1, 6));
        assert_eq!(one("leaders met on Monday", tue).1, d(2026, 1, 5));
        assert_eq!(one("the vote will be on Monday", tue).1, d(2026, 1, 12));
        assert_eq!(one("last Tuesday", tue).1, d(2025, 12, 30));
    }

    #[test]
    fn relative_months_since_and_look_alikes() {
        let p = d(2019, 11, 8);
        assert_eq!(
            spans("Shares have fallen 30% since March", p, "en"),
            span("2019-03-01", "2019-03-31")
        );
        assert_eq!(
            spans("started this job last month", p, "en"),
            span("2019-10-01", "2019-10-31")
        );
        assert_eq!(
            spans("Rent is due on the 5th of next month", p, "en"),
            span("2019-12-05", "2019-12-05")
        );
        assert_eq!(
            spans("lunch tmrw?", p, "en"),
            span("2019-11-09", "2019-11-09")
        );
        assert!(spans("on the 3rd floor", p, "en").is_empty());
        assert!(spans("they plan to march on the capital", p, "en").is_empty());
    }

    #[test]
    fn counted_durations_and_anniversaries_are_not_dates() {
        let wed = Some(d(2026, 1, 7));
        assert!(find_dates("a third meeting in two days", wed).is_empty());
        assert!(find_dates("three meetings in three days", wed).is_empty());
        assert!(find_dates("Twenty years ago this week", wed).is_empty());
        assert_eq!(one("talks resume in two days", wed).1, d(2026, 1, 9));
    }

    #[test]
    fn not_dates() {
        for text in ["800 billion", "Point 12 of 20", "may 6 people", "45%"] {
            let found = find_dates(text, None);
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }

    fn spans(text: &str, published: NaiveDate, lang: &str) -> Vec<(String, String)> {
        find_dates_in(text, Some(published), Some(lang))
            .iter()
            .map(|m| (m.start.to_string(), m.end.to_string()))
            .collect()
    }

    fn span(a: &str, b: &str) -> Vec<(String, String)> {
        vec![(a.to_string(), b.to_string())]
    }

    /// The examples of issue 9, published 2018-05-01 (a Tuesday).
    #[test]
    fn the_issue_examples() {
        let p = d(2018, 5, 1);
        assert_eq!(
            spans("We meet in May", p, "en"),
            span("2018-05-01", "2018-05-31")
        );
        assert_eq!(
            spans("from March to May", p, "en"),
            span("2018-03-01", "2018-05-31")
        );
        assert_eq!(
            spans("in the first quarter of 2026", p, "en"),
            span("2026-01-01", "2026-03-31")
        );
        assert_eq!(
            spans("the week of April 10th", p, "en"),
            span("2018-04-09", "2018-04-15")
        );
        assert_eq!(
            spans("this weekend", p, "en"),
            span("2018-05-05", "2018-05-06")
        );
    }

    #[test]
    fn periods_spans_and_weekdays() {
        let p = d(2026, 3, 12); // a Thursday
        assert_eq!(spans("H2 2026", p, "en"), span("2026-07-01", "2026-12-31"));
        assert_eq!(
            spans("by mid-2027", p, "en"),
            span("2027-05-01", "2027-08-31")
        );
        assert_eq!(
            spans("three days ago", p, "en"),
            span("2026-03-09", "2026-03-09")
        );
        assert_eq!(
            spans("in two weeks", p, "en"),
            span("2026-03-26", "2026-03-26")
        );
        assert_eq!(
            spans("next Tuesday", p, "en"),
            span("2026-03-17", "2026-03-17")
        );
        assert_eq!(
            spans("last Tuesday", p, "en"),
            span("2026-03-10", "2026-03-10")
        );
        assert_eq!(
            spans("this Tuesday", p, "en"),
            span("2026-03-10", "2026-03-10")
        );
        assert_eq!(
            spans("They met on Monday.", p, "en"),
            span("2026-03-09", "2026-03-09")
        );
        assert_eq!(
            spans("the 21st of this month", p, "en"),
            span("2026-03-21", "2026-03-21")
        );
        assert_eq!(
            spans("since 2022", p, "en"),
            span("2022-01-01", "2022-12-31")
        );
        assert_eq!(
            spans("la semaine prochaine", p, "fr"),
            span("2026-03-16", "2026-03-22")
        );
        assert_eq!(
            spans("w drugiej połowie roku", p, "pl"),
            span("2026-07-01", "2026-12-31")
        );
    }

    #[test]
    fn numeric_dates_follow_the_language() {
        let p = d(2026, 3, 12);
        assert_eq!(
            spans("due 03/04/2026", p, "en"),
            span("2026-03-04", "2026-03-04")
        );
        assert_eq!(
            spans("avant le 03/04/2026", p, "fr"),
            span("2026-04-03", "2026-04-03")
        );
        assert_eq!(
            spans("payable Oct/2", d(2026, 9, 12), "en"),
            span("2026-10-02", "2026-10-02")
        );
        // Not dates: a fraction, a round-the-clock service, a verb, a name.
        for text in [
            "a 3/8-inch bit",
            "open 24/7",
            "May I come?",
            "Monday.com rose",
            "Mardi Gras",
        ] {
            assert!(spans(text, p, "en").is_empty(), "{text}");
        }
    }

    /// Day ranges written with ordinals, and the year written only at the end of a range.
    #[test]
    fn ordinal_ranges_and_a_year_at_the_end() {
        let p = d(2026, 2, 10);
        assert_eq!(
            spans("The fair runs March 3rd to 5th.", p, "en"),
            span("2026-03-03", "2026-03-05")
        );
        assert_eq!(
            spans(
                "The fair will run from the 16th to the 20th of October",
                p,
                "en"
            ),
            span("2026-10-16", "2026-10-20")
        );
        assert_eq!(
            spans("January 30 to February 2, 2027", p, "en"),
            span("2027-01-30", "2027-02-02")
        );
        assert_eq!(
            spans("from December 28 to January 3, 2027", p, "en"),
            span("2026-12-28", "2027-01-03")
        );
        assert_eq!(
            spans("Q1 through Q2 2021", p, "en"),
            span("2021-01-01", "2021-06-30")
        );
        assert_eq!(
            spans("January to June 2027", p, "en"),
            span("2027-01-01", "2027-06-30")
        );
        assert_eq!(
            spans("vom 1. Januar 2021 bis zum 31. Dezember 2023", p, "de"),
            span("2021-01-01", "2023-12-31")
        );
    }

    /// Ranges across a year end take the next year for their end.
    #[test]
    fn ranges_across_a_year_end() {
        let p = d(2025, 12, 10);
        assert_eq!(
            spans("The office closes Dec 24 - Jan 2.", p, "en"),
            span("2025-12-24", "2026-01-02")
        );
        assert_eq!(
            spans("from November to February", p, "en"),
            span("2025-11-01", "2026-02-28")
        );
        assert_eq!(
            spans("December to March", p, "en"),
            span("2025-12-01", "2026-03-31")
        );
    }

    /// Weeks and parts counted from the publication date.
    #[test]
    fn relative_weeks_parts_and_quarters() {
        let p = d(2026, 3, 12); // a Thursday
        assert_eq!(
            spans("the week after next", p, "en"),
            span("2026-03-23", "2026-03-29")
        );
        assert_eq!(
            spans("by the end of the month", p, "en"),
            span("2026-03-21", "2026-03-31")
        );
        assert_eq!(
            spans("at the start of next month", p, "en"),
            span("2026-04-01", "2026-04-10")
        );
        assert_eq!(
            spans("by the end of the year", p, "en"),
            span("2026-09-01", "2026-12-31")
        );
        assert_eq!(spans("fin mars", p, "fr"), span("2026-03-21", "2026-03-31"));
        assert_eq!(
            spans("profit fell last quarter", p, "en"),
            span("2025-10-01", "2025-12-31")
        );
        assert_eq!(
            spans("guidance for next quarter", p, "en"),
            span("2026-04-01", "2026-06-30")
        );
        assert_eq!(
            spans("in the last quarter of 2025", p, "en"),
            span("2025-10-01", "2025-12-31")
        );
        assert!(spans("over the past quarter century", p, "en").is_empty());
        assert_eq!(
            spans("I saw her this morning", p, "en"),
            span("2026-03-12", "2026-03-12")
        );
        assert_eq!(
            spans("it rained last night", p, "en"),
            span("2026-03-11", "2026-03-11")
        );
    }

    /// "Over the weekend" with a regular past verb, said on a weekday, is the one gone.
    #[test]
    fn a_past_weekend_by_its_verb() {
        let mon = d(2026, 3, 9);
        assert_eq!(
            spans("Prices dropped over the weekend.", mon, "en"),
            span("2026-03-07", "2026-03-08")
        );
        assert_eq!(
            spans("Roads will close over the weekend.", mon, "en"),
            span("2026-03-14", "2026-03-15")
        );
    }

    /// The windows around triggers find exactly what a scan of the whole text finds.
    #[test]
    fn windows_find_what_a_full_scan_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recognisers");
        let mut texts = Vec::new();
        for split in ["dev", "dev2", "dev3"] {
            for file in ["dates.jsonl", "money.jsonl"] {
                let Ok(raw) = std::fs::read_to_string(dir.join(split).join(file)) else {
                    continue;
                };
                for line in raw.lines() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                        && let Some(t) = v.get("text").and_then(|t| t.as_str())
                    {
                        texts.push(t.to_string());
                    }
                }
            }
        }
        assert!(texts.len() > 500, "{}", texts.len());
        // Padding of text without triggers between sentences makes many windows.
        let filler = " Lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit. ";
        for joined in [texts.join(" "), texts.join(filler)] {
            for lang in ["en", "de"] {
                let a = scan_dates(&joined, sat(), Some(lang), Scan::Windows);
                let b = scan_dates(&joined, sat(), Some(lang), Scan::Whole);
                assert_eq!(a, b);
            }
        }
        assert!(find_dates(&filler.repeat(100), sat()).is_empty());
    }

    /// Every match of a pass is shorter than the reach of its trigger's windows, which is
    /// what lets the windows find exactly what a scan of the whole text finds.
    #[test]
    fn every_match_is_shorter_than_its_triggers_reach() {
        for (regexes, _, trigger, _) in passes() {
            for regex in regexes() {
                let hir = regex_syntax::parse(regex.pattern()).unwrap();
                let longest = hir.properties().maximum_len();
                eprintln!(
                    "{trigger:?} {longest:?} {}",
                    regex.pattern().chars().take(30).collect::<String>()
                );
                assert!(
                    longest.is_some_and(|n| n < trigger.reach()),
                    "{trigger:?}: {longest:?} {}",
                    regex.pattern()
                );
            }
        }
    }

    /// A month's and a digit's windows overlap where both do, and only there.
    #[test]
    fn the_month_and_digit_windows_are_the_overlap_of_each_kinds() {
        let text = format!(
            "{}12 apples{}in january{}on 6 janvier 2026{}",
            "x".repeat(300),
            "y".repeat(300),
            "z".repeat(300),
            "w".repeat(300)
        );
        let mut windows = Windows::new(&text);
        let reach = Trigger::MonthAndDigit.reach();
        let both = windows.of(Trigger::MonthAndDigit).to_vec();
        // "12" and "january" are too far apart; "6 janvier 2026" holds both, and its
        // window is no wider than either kind's.
        let at = text.find("6 janvier").unwrap();
        let end = at + "6 janvier 2026".len();
        assert_eq!(both.len(), 1);
        assert!(both[0].0 <= at && end <= both[0].1, "{both:?}");
        assert!(
            at - reach <= both[0].0 && both[0].1 <= end + reach,
            "{both:?}"
        );
        assert!(windows.of(Trigger::Digit).len() > both.len());
    }

    /// Linear time, counted in work rather than clock: the number of dates found (each a
    /// bounded amount of work) grows in proportion to the input, and doubling the input
    /// doubles it exactly.
    #[test]
    fn work_grows_linearly_with_input() {
        let unit = "Talks from March to May, then on Tuesday, 6-7 January and in Q1 2026. ";
        let one = find_dates(&unit.repeat(200), Some(d(2026, 1, 3))).len();
        let two = find_dates(&unit.repeat(400), Some(d(2026, 1, 3))).len();
        assert!(one > 0);
        assert_eq!(two, 2 * one);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*", days in -80_000i64..80_000) {
            let reference = d(2026, 1, 3).checked_add_signed(chrono::Duration::days(days));
            for m in find_dates(&text, reference) {
                proptest::prop_assert_eq!(&text[m.byte_start..m.byte_end], m.text.as_str());
                proptest::prop_assert!(m.start <= m.end);
            }
        }

        #[test]
        fn date_shaped_text_never_panics(
            text in "(on |next |late |early |mid-)?(tuesday|jan\\.?|january|stycznia|січня|december)? ?[0-9]{0,4}[ .,/-]{0,2}[0-9]{0,4}( to | and |-)?[0-9]{0,2}( january)?,? ?[0-9]{0,5}",
            days in -800_000i64..800_000,
        ) {
            let reference = d(2026, 1, 3).checked_add_signed(chrono::Duration::days(days));
            for m in find_dates(&text, reference) {
                proptest::prop_assert!(m.byte_start <= m.byte_end && m.byte_end <= text.len());
            }
        }
    }
}
