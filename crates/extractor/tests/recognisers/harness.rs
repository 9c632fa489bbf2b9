//! The money and date recogniser sets (`tests/recognisers/<split>/{money,dates}.jsonl`)
//! and their scoring, shared by the `recognisers` test (which holds floors) and the
//! `eval_recognisers` example (which prints the report). The gold follows
//! `tests/recognisers/CONVENTIONS.md`; the scoring here is the one it defines:
//!
//! - money: a sentence is right when its gold amounts and the found amounts match one to
//!   one with the same kind, the same currency and every number within 0.5 %, and nothing
//!   else is found (a negative sentence: nothing at all);
//! - dates: a sentence is right when the set of (start, end) pairs found equals the gold
//!   set (a negative sentence: nothing found).

// Test-support code over the files of this repository: a broken fixture must fail loudly,
// and the example shares the module (where clippy does not allow unwrap by default).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use newsmon_extractor::{AmountKind, MoneyConfig, find_amounts, find_dates_in};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct MoneyCase {
    pub id: String,
    pub lang: String,
    pub category: String,
    pub text: String,
    pub amounts: Vec<GoldAmount>,
}

#[derive(Debug, Deserialize)]
pub struct GoldAmount {
    pub kind: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    pub currency: String,
}

#[derive(Debug, Deserialize)]
pub struct DateCase {
    pub id: String,
    pub lang: String,
    pub category: String,
    pub published: NaiveDate,
    pub text: String,
    pub dates: Vec<GoldDate>,
}

#[derive(Debug, Deserialize)]
pub struct GoldDate {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Vec<T> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

pub fn load_money(dir: &Path) -> Vec<MoneyCase> {
    load(&dir.join("money.jsonl"))
}

pub fn load_dates(dir: &Path) -> Vec<DateCase> {
    load(&dir.join("dates.jsonl"))
}

/// Right and total sentences, overall and by category and by language.
#[derive(Debug, Default)]
pub struct Score {
    pub right: usize,
    pub total: usize,
    pub by_category: BTreeMap<String, (usize, usize)>,
    pub by_lang: BTreeMap<String, (usize, usize)>,
    pub errors: Vec<String>,
}

impl Score {
    fn add(&mut self, category: &str, lang: &str, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
        for (map, key) in [(&mut self.by_category, category), (&mut self.by_lang, lang)] {
            let e = map.entry(key.to_string()).or_default();
            e.0 += usize::from(right);
            e.1 += 1;
        }
    }

    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }

    pub fn print(&self, name: &str) -> String {
        let mut out = format!(
            "{name}: {:.3} ({} of {} sentences)\n",
            self.accuracy(),
            self.right,
            self.total
        );
        for (title, map) in [("category", &self.by_category), ("language", &self.by_lang)] {
            let cells: Vec<String> = map
                .iter()
                .map(|(k, (r, t))| format!("{k} {:.3} ({r}/{t})", *r as f64 / *t as f64))
                .collect();
            out += &format!("  by {title}: {}\n", cells.join(", "));
        }
        out
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.005 * b.abs().max(a.abs())
}

/// (kind, currency, numbers) of one amount, the shape both sides are compared in.
type Key = (String, String, Vec<f64>);

fn gold_key(g: &GoldAmount) -> Key {
    let numbers = match g.kind.as_str() {
        "range" => vec![g.min.unwrap_or(f64::NAN), g.max.unwrap_or(f64::NAN)],
        _ => vec![g.value.unwrap_or(f64::NAN)],
    };
    (g.kind.clone(), g.currency.clone(), numbers)
}

fn same(a: &Key, b: &Key) -> bool {
    a.0 == b.0
        && a.1 == b.1
        && a.2.len() == b.2.len()
        && a.2.iter().zip(&b.2).all(|(x, y)| close(*x, *y))
}

pub fn score_money(cases: &[MoneyCase]) -> Score {
    let config = MoneyConfig::default();
    let mut score = Score::default();
    for case in cases {
        let found: Vec<Key> = find_amounts(&case.text, &config)
            .iter()
            .map(|a| {
                let (kind, numbers) = match a.kind {
                    AmountKind::Point => ("point", vec![a.exact]),
                    AmountKind::Bound => ("bound", vec![a.exact]),
                    AmountKind::Range => ("range", vec![a.exact, a.exact_max.unwrap_or(f64::NAN)]),
                };
                let currency = a.currency.clone().unwrap_or_else(|| "?".into());
                (kind.to_string(), currency, numbers)
            })
            .collect();
        let gold: Vec<Key> = case.amounts.iter().map(gold_key).collect();
        // One-to-one: each gold amount takes the first unused found amount it matches.
        let mut used = vec![false; found.len()];
        let mut all = true;
        for g in &gold {
            match (0..found.len()).find(|&i| !used[i] && same(g, &found[i])) {
                Some(i) => used[i] = true,
                None => all = false,
            }
        }
        let right = all && used.iter().all(|u| *u);
        if !right {
            score.errors.push(format!(
                "{}: {}\n    gold  {gold:?}\n    found {found:?}",
                case.id, case.text
            ));
        }
        score.add(&case.category, &case.lang, right);
    }
    score
}

pub fn score_dates(cases: &[DateCase]) -> Score {
    let mut score = Score::default();
    for case in cases {
        let found: BTreeSet<(NaiveDate, NaiveDate)> =
            find_dates_in(&case.text, Some(case.published), Some(&case.lang))
                .iter()
                .map(|d| (d.start, d.end))
                .collect();
        let gold: BTreeSet<(NaiveDate, NaiveDate)> =
            case.dates.iter().map(|d| (d.start, d.end)).collect();
        let right = found == gold;
        if !right {
            score.errors.push(format!(
                "{} ({}): {}\n    gold  {gold:?}\n    found {found:?}",
                case.id, case.published, case.text
            ));
        }
        score.add(&case.category, &case.lang, right);
    }
    score
}
