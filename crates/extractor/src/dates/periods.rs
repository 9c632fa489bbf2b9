//! The periods and relative expressions beyond explicit days: months alone, years,
//! quarters and halves, parts of a year, weeks and weekends, spans counted from the
//! publication date ("three days ago", "in two weeks"), weekdays with this/next/last and
//! ordinals ("the 21st of this month"), in EN, FR, DE, PL, UK and RU.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Captures;

use super::DateRegex;

use super::{Ctx, Span, Tense, month_number, weekday};
use crate::fold::fold_str;

/// Prepositions that make a month or a year name a time ("in May", "until 2020").
const PREPS: &[&str] = &[
    "in",
    "until",
    "till",
    "by",
    "since",
    "from",
    "to",
    "through",
    "before",
    "after",
    "during",
    "for",
    "of",
    "early in",
    "en",
    "d'ici",
    "depuis",
    "jusqu'en",
    "jusqu'à",
    "à compter de",
    "à partir de",
    "avant",
    "après",
    "dès",
    "im",
    "ab",
    "bis",
    "seit",
    "vor",
    "nach",
    "zum",
    "w",
    "we",
    "od",
    "do",
    "przed",
    "po",
    "от",
    "в",
    "у",
    "з",
    "до",
    "с",
    "к",
    "по",
    "від",
    "після",
    "после",
    "na",
];

/// Month names in the forms that follow a preposition, beyond the genitives of explicit
/// dates: nominative and locative (PL, UK, RU).
const MONTH_FORMS: &[(&str, u32)] = &[
    ("styczeń", 1),
    ("styczniu", 1),
    ("luty", 2),
    ("lutym", 2),
    ("marzec", 3),
    ("marcu", 3),
    ("kwiecień", 4),
    ("kwietniu", 4),
    ("maj", 5),
    ("maju", 5),
    ("czerwiec", 6),
    ("czerwcu", 6),
    ("lipiec", 7),
    ("lipcu", 7),
    ("sierpień", 8),
    ("sierpniu", 8),
    ("wrzesień", 9),
    ("wrześniu", 9),
    ("październik", 10),
    ("październiku", 10),
    ("listopad", 11),
    ("listopadzie", 11),
    ("grudzień", 12),
    ("grudniu", 12),
    ("січень", 1),
    ("січні", 1),
    ("лютий", 2),
    ("лютому", 2),
    ("березень", 3),
    ("березні", 3),
    ("квітень", 4),
    ("квітні", 4),
    ("травень", 5),
    ("травні", 5),
    ("червень", 6),
    ("червні", 6),
    ("липень", 7),
    ("липні", 7),
    ("серпень", 8),
    ("серпні", 8),
    ("вересень", 9),
    ("вересні", 9),
    ("жовтень", 10),
    ("жовтні", 10),
    ("листопад", 11),
    ("листопаді", 11),
    ("грудень", 12),
    ("грудні", 12),
    ("январь", 1),
    ("январе", 1),
    ("февраль", 2),
    ("феврале", 2),
    ("март", 3),
    ("марте", 3),
    ("апрель", 4),
    ("апреле", 4),
    ("май", 5),
    ("мае", 5),
    ("июнь", 6),
    ("июне", 6),
    ("июль", 7),
    ("июле", 7),
    ("август", 8),
    ("августе", 8),
    ("сентябрь", 9),
    ("сентябре", 9),
    ("октябрь", 10),
    ("октябре", 10),
    ("ноябрь", 11),
    ("ноябре", 11),
    ("декабрь", 12),
    ("декабре", 12),
];

/// Ordinals of quarters and halves ("third-quarter", "zweiten Halbjahr", "IV квартал").
const ORDINALS: &[(&str, u32)] = &[
    ("first", 1),
    ("1st", 1),
    ("second", 2),
    ("2nd", 2),
    ("third", 3),
    ("3rd", 3),
    ("fourth", 4),
    ("4th", 4),
    ("final", 4),
    ("premier", 1),
    ("première", 1),
    ("deuxième", 2),
    ("second", 2),
    ("seconde", 2),
    ("troisième", 3),
    ("quatrième", 4),
    ("erste", 1),
    ("ersten", 1),
    ("erstes", 1),
    ("zweite", 2),
    ("zweiten", 2),
    ("dritte", 3),
    ("dritten", 3),
    ("vierte", 4),
    ("vierten", 4),
    ("pierwszy", 1),
    ("pierwszym", 1),
    ("pierwszej", 1),
    ("pierwsza", 1),
    ("pierwszego", 1),
    ("drugi", 2),
    ("drugim", 2),
    ("drugiej", 2),
    ("druga", 2),
    ("drugiego", 2),
    ("trzeci", 3),
    ("trzecim", 3),
    ("trzeciego", 3),
    ("czwarty", 4),
    ("czwartym", 4),
    ("czwartego", 4),
    ("перший", 1),
    ("першому", 1),
    ("першого", 1),
    ("перше", 1),
    ("першій", 1),
    ("другий", 2),
    ("другому", 2),
    ("другого", 2),
    ("друге", 2),
    ("другій", 2),
    ("третій", 3),
    ("третьому", 3),
    ("третього", 3),
    ("четвертий", 4),
    ("четвертому", 4),
    ("четвертого", 4),
    ("первый", 1),
    ("первом", 1),
    ("первого", 1),
    ("первое", 1),
    ("второй", 2),
    ("втором", 2),
    ("второго", 2),
    ("второе", 2),
    ("третий", 3),
    ("третьем", 3),
    ("третьего", 3),
    ("четвертый", 4),
    ("четвертом", 4),
    ("четвертого", 4),
    ("i", 1),
    ("ii", 2),
    ("iii", 3),
    ("iv", 4),
];

const QUARTER_WORDS: &[&str] = &[
    "quarter",
    "trimestre",
    "quartal",
    "kwartał",
    "kwartale",
    "kwartału",
    "квартал",
    "кварталі",
    "кварталу",
    "квартале",
    "квартала",
];
const HALF_WORDS: &[&str] = &[
    "half",
    "semestre",
    "halbjahr",
    "jahreshälfte",
    "połowie",
    "połowa",
    "półrocze",
    "półroczu",
    "півріччі",
    "півріччя",
    "півроку",
    "полугодии",
    "полугодие",
    "полугодия",
];
/// Words after a yearless quarter or half that name the year of publication.
const YEAR_WORDS: &[&str] = &[
    "of next year",
    "of last year",
    "of this year",
    "de l'année prochaine",
    "de l'année dernière",
    "des nächsten jahres",
    "przyszłego roku",
    "zeszłego roku",
    "наступного року",
    "минулого року",
    "следующего года",
    "прошлого года",
    "of the year",
    "roku",
    "року",
    "года",
    "de l'année",
    "des jahres",
];
/// Words after a year that mark it as one ("2020 roku", "2021 року", "2017 года").
const YEAR_AFTER: &[&str] = &[
    "roku", "rok", "r.", "року", "р.", "года", "году", "г.", "рік", "год",
];

/// Small counts of days, weeks and months ("three days ago", "in zwei Wochen").
const COUNTS: &[(&str, u32)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("dix", 10),
    ("ein", 1),
    ("einem", 1),
    ("einer", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("zehn", 10),
    ("jeden", 1),
    ("dwa", 2),
    ("dwie", 2),
    ("trzy", 3),
    ("cztery", 4),
    ("pięć", 5),
    ("один", 1),
    ("одну", 1),
    ("два", 2),
    ("дві", 2),
    ("две", 2),
    ("три", 3),
    ("чотири", 4),
    ("четыре", 4),
    ("п'ять", 5),
    ("пять", 5),
];

/// Units of a span: (word, days per unit, or 0 for months).
const UNITS: &[(&str, u32)] = &[
    ("day", 1),
    ("days", 1),
    ("week", 7),
    ("weeks", 7),
    ("fortnight", 14),
    ("fortnights", 14),
    ("month", 0),
    ("months", 0),
    ("jour", 1),
    ("jours", 1),
    ("semaine", 7),
    ("semaines", 7),
    ("mois", 0),
    ("tag", 1),
    ("tagen", 1),
    ("tage", 1),
    ("woche", 7),
    ("wochen", 7),
    ("monat", 0),
    ("monaten", 0),
    ("dzień", 1),
    ("dni", 1),
    ("tydzień", 7),
    ("tygodnie", 7),
    ("tygodni", 7),
    ("miesiąc", 0),
    ("miesiące", 0),
    ("miesięcy", 0),
    ("день", 1),
    ("дні", 1),
    ("днів", 1),
    ("дня", 1),
    ("дней", 1),
    ("тиждень", 7),
    ("тижні", 7),
    ("тижнів", 7),
    ("неделю", 7),
    ("недели", 7),
    ("недель", 7),
    ("місяць", 0),
    ("місяці", 0),
    ("місяців", 0),
    ("месяц", 0),
    ("месяца", 0),
    ("месяцев", 0),
];

/// Weekday forms beyond those of explicit dates (genitives, nominatives, locatives).
pub(super) const WEEKDAY_FORMS: &str = "понеділка|вівторка|середи|четверга|п'ятниці|суботи|неділі|понедельника|вторника|пятницы|субботы|воскресенья|poniedzialek|sobota|niedziela|sroda|piatku|sobotę";
/// Relative days, the alternatives of [`DAYS`] (also the triggers of its pass).
pub(super) const DAY_WORDS: &str = "the day after tomorrow|the day before yesterday|this morning|this afternoon|this evening|last night|ce matin|ce soir|cet apres-midi|today|tonight|tomorrow|tmrw|tmr|yesterday|apres-demain|avant-hier|aujourd'hui|demain|hier|ubermorgen|vorgestern|heute|morgen|gestern|pojutrze|przedwczoraj|dzisiaj|dzis|jutro|wczoraj|післязавтра|позавчора|сьогодні|завтра|вчора|учора|послезавтра|позавчера|сегодня|вчера";
/// Weeks and weekends, the alternatives of [`WEEKS`].
pub(super) const WEEK_WORDS: &str = "(?:the )?week after next|(?:the )?weekend after next|ubernachste woche|ubernachsten woche|(?:the )?following week|this week|next week|last week|this weekend|next weekend|last weekend|the weekend|cette semaine|la semaine prochaine|la semaine derniere|ce week-end|ce weekend|le week-end prochain|le week-end dernier|diese woche|nachste woche|nachsten woche|kommende woche|kommenden woche|letzte woche|letzten woche|am wochenende|dieses wochenende|nachstes wochenende|w tym tygodniu|w przyszłym tygodniu|w zeszłym tygodniu|w ubiegłym tygodniu|w ten weekend|w weekend|w przyszły weekend|w zeszły weekend|przyszły weekend|zeszły weekend|przyszły tydzień|zeszły tydzień|ten tydzień|цього тижня|на цьому тижні|наступного тижня|на наступному тижні|минулого тижня|на вихідних|цих вихідних|цими вихідними|минулими вихідними|наступними вихідними|минулих вихідних|наступних вихідних|наступний тиждень|минулий тиждень|цей тиждень|на этой неделе|на следующей неделе|на прошлой неделе|в эти выходные|на этих выходных|в прошлые выходные|в следующие выходные|следующую неделю|прошлую неделю|эту неделю|на выходных";
/// Months named by their distance, the alternatives of [`MONTHS_REL`].
pub(super) const MONTH_REL_WORDS: &str = "last month|this month|next month|le mois dernier|le mois prochain|ce mois-ci|letzten monat|diesen monat|nachsten monat|w zeszłym miesiacu|w tym miesiacu|w przyszłym miesiacu|минулого місяця|цього місяця|наступного місяця|в прошлом месяце|в этом месяце|в следующем месяце";
/// Years named by their distance, the relative alternatives of [`YEARS`].
pub(super) const YEAR_REL_WORDS: &str = "last year|this year|next year|l'an dernier|l'annee derniere|l'an prochain|l'annee prochaine|cette annee|letztes jahr|letzten jahres|dieses jahr|nachstes jahr|w zeszłym roku|w tym roku|w przyszłym roku|торік|минулого року|цього року|наступного року|в прошлом году|в этом году|в следующем году";
/// Years after a part ("the end of the year"), the relative alternatives of [`YEAR_PARTS`].
pub(super) const YEAR_PART_REL: &str = "this year|next year|last year|the year|l'annee|l'annee prochaine|cette annee|des jahres|dieses jahres|nachsten jahres|roku|tego roku|przyszłego roku|року|цього року|наступного року|года|этого года|следующего года";

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

/// A lexicon table with its words folded like the text, built once.
type Folded<T> = LazyLock<Vec<(String, T)>>;

fn folded<T: Copy>(table: &[(&str, T)]) -> Vec<(String, T)> {
    table.iter().map(|(w, v)| (fold_str(w), *v)).collect()
}

static MONTH_FORMS_F: Folded<u32> = LazyLock::new(|| folded(MONTH_FORMS));
static ORDINALS_F: Folded<u32> = LazyLock::new(|| folded(ORDINALS));
static COUNTS_F: Folded<u32> = LazyLock::new(|| folded(COUNTS));
static UNITS_F: Folded<u32> = LazyLock::new(|| folded(UNITS));

fn lookup<T: Copy>(table: &[(String, T)], word: &str) -> Option<T> {
    table.iter().find(|(w, _)| w == word).map(|(_, v)| *v)
}

/// A month's number from any of its forms (genitive, nominative, locative, English).
pub(super) fn any_month(word: &str) -> Option<u32> {
    month_number(word).or_else(|| lookup(&MONTH_FORMS_F, word.trim_end_matches('.')))
}

/// The words of a table, folded, as one "|"-joined list (the triggers of a pass).
fn joined<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.map(fold_str).collect::<Vec<_>>().join("|")
}

pub(super) fn month_forms() -> String {
    joined(MONTH_FORMS.iter().map(|(w, _)| *w))
}

pub(super) fn quarter_and_half_words() -> String {
    joined(QUARTER_WORDS.iter().chain(HALF_WORDS).copied())
}

pub(super) fn unit_words() -> String {
    joined(UNITS.iter().map(|(w, _)| *w))
}

pub(super) static WEEK_OF: LazyLock<DateRegex> = LazyLock::new(|| {
    let months = format!("{}|{}", super::MONTHS_EN, super::MONTHS_OTHER);
    DateRegex::new(&format!(
        r"\b(?:the )?week of (?P<span>(?P<m>{months})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?)\b"
    ))
});

pub(super) static QUARTERS: LazyLock<DateRegex> = LazyLock::new(|| {
    let ord = alternation(ORDINALS.iter().map(|(w, _)| *w));
    let q = alternation(QUARTER_WORDS.iter().copied());
    let h = alternation(HALF_WORDS.iter().copied());
    let yw = alternation(YEAR_WORDS.iter().copied());
    DateRegex::new(&format!(
        r"\b(?:(?:the )?(?P<ord>{ord})[ -](?:(?P<q>{q})|(?P<h>{h}))|(?P<rq>this|next|last|current|previous|past|coming) quarter|q(?P<qn>[1-4])|h(?P<hn>[12]))\b(?:(?: of| de| du| des)? (?P<y>(?:19|20)\d{{2}})\b| (?P<yw>{yw}))?"
    ))
});

pub(super) static YEAR_PARTS: LazyLock<DateRegex> = LazyLock::new(|| {
    let parts = r"early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of|middle of|debut|fin|mi|anfang|mitte|ende|na poczatku|w połowie|od połowy|do połowy|pod koniec|koniec|на початку|в середині|у середині|з середини|до середини|наприкінці|в кінці|у кінці|в начале|в середине|с середины|до середины|в конце|до кінця|до конца|do końca";
    DateRegex::new(&format!(
        r"\b(?P<part>{parts})[ -](?:(?P<y>(?:19|20)\d{{2}})|(?:the )?(?P<ry>{YEAR_PART_REL}))\b"
    ))
});

pub(super) static MONTHS_ALONE: LazyLock<DateRegex> = LazyLock::new(|| {
    let preps = alternation(PREPS.iter().copied());
    let months = format!(
        "{}|{}|{}",
        super::MONTHS_EN,
        super::MONTHS_OTHER,
        alternation(MONTH_FORMS.iter().map(|(w, _)| *w))
    );
    DateRegex::new(&format!(
        r"(?:\b(?:{preps}) (?P<span>(?P<m>{months})\b\.?(?:,? (?P<y>(?:19|20)\d{{2}})\b)?)|\b(?P<m2>{months})\.? (?P<y2>(?:19|20)\d{{2}})\b|\b(?P<m3>{months})\.?(?: to | through | until | till | ?- ?| bis | au | do | до | по )(?P<m4>{months})\b\.?(?:,? (?P<y3>(?:19|20)\d{{2}})\b)?)"
    ))
});

pub(super) static YEARS: LazyLock<DateRegex> = LazyLock::new(|| {
    let preps = alternation(
        PREPS
            .iter()
            .chain(&["year", "fiscal year", "the year"])
            .copied(),
    );
    let after = alternation(YEAR_AFTER.iter().copied());
    DateRegex::new(&format!(
        r"(?:\b(?:{preps}) (?P<span>(?P<y>(?:19|20)\d{{2}}))\b|\b(?P<y2>(?:19|20)\d{{2}}) (?:{after}))|\b(?P<rel>{YEAR_REL_WORDS})\b"
    ))
});

pub(super) static SPANS: LazyLock<DateRegex> = LazyLock::new(|| {
    let counts = alternation(COUNTS.iter().map(|(w, _)| *w));
    let units = alternation(UNITS.iter().map(|(w, _)| *w));
    let n = |k: &str| format!(r"(?P<{k}>\d{{1,3}}|{counts})");
    let (n1, n2, n3, n4) = (n("n"), n("n2"), n("n3"), n("n4"));
    DateRegex::new(&format!(
        r"\b(?:{n1} (?P<u>{units}) (?P<ago>ago|temu|тому|назад)|(?P<fwd>in|dans|za|через) {n2} (?P<u2>{units})|{n3} (?P<u3>{units}) from now|(?P<back>il y a|vor) {n4} (?P<u4>{units}))\b"
    ))
});

pub(super) static WEEKS: LazyLock<DateRegex> =
    LazyLock::new(|| DateRegex::new(&format!(r"\b(?P<w>{WEEK_WORDS})\b")));

/// Nouns an ordinal counts that make "on the 3rd ..." no day of the month.
const NOT_DAYS: &[&str] = &[
    "floor",
    "place",
    "round",
    "attempt",
    "try",
    "time",
    "day",
    "week",
    "month",
    "year",
    "anniversary",
    "century",
    "quarter",
    "grade",
    "term",
    "lap",
    "hole",
    "inning",
    "row",
    "line",
    "page",
    "level",
    "storey",
    "story",
    "tier",
    "stage",
    "leg",
    "game",
    "match",
];

/// A month named by its distance from the publication month ("last month").
pub(super) static MONTHS_REL: LazyLock<DateRegex> =
    LazyLock::new(|| DateRegex::new(&format!(r"\b(?P<w>{MONTH_REL_WORDS})\b")));

pub(super) fn month_rel(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let w = caps.name("w")?.as_str();
    let first = ymd(reference.year(), reference.month(), 1)?;
    let month = if ["last", "dernier", "letzt", "zeszł", "минул", "прошл"]
        .iter()
        .any(|c| w.contains(c))
    {
        first.checked_sub_months(Months::new(1))?
    } else if ["next", "prochain", "nachst", "przysz", "наступн", "следующ"]
        .iter()
        .any(|c| w.contains(c))
    {
        first.checked_add_months(Months::new(1))?
    } else {
        first
    };
    month_span(month.year(), month.month())
}

pub(super) static DAYS: LazyLock<DateRegex> =
    LazyLock::new(|| DateRegex::new(&format!(r"\b(?P<d>{DAY_WORDS})\b")));

/// German writes a weekday and its part of the day as one word ("Dienstagabend",
/// "am Montagmorgen"); the day is the weekday's.
const GERMAN_DAY_PARTS: &str = "morgen|vormittag|nachmittag|mittag|abend|nacht";

pub(super) static WEEKDAYS: LazyLock<DateRegex> = LazyLock::new(|| {
    let days = format!("{}|{WEEKDAY_FORMS}", super::WEEKDAYS);
    DateRegex::new(&format!(
        r"\b(?:(?P<mod>on|am|le|we|w|в|у|во|next|last|this|coming|nachsten|kommenden|letzten|diesen|ce|w przyszły|w przyszła|w przyszłą|w ten|w tę|w zeszły|w zeszłą|w ubiegły|в наступний|в наступну|наступного|наступної|минулого|минулої|в минулий|в цей|в следующий|в следующую|в прошлый|в прошлую|в этот|в эту) )?(?P<wd>{days})(?:{GERMAN_DAY_PARTS})?\b(?: (?P<post>dernier|prochain))?"
    ))
});

/// A weekday with an ordinal day ("on Saturday the 14th"): that day of whichever month
/// near publication falls on that weekday.
pub(super) static WEEKDAY_ORDINAL: LazyLock<DateRegex> = LazyLock::new(|| {
    DateRegex::new(&format!(
        r"\b(?P<wd>{}),? the (?P<d>\d{{1,2}})(?:st|nd|rd|th)\b",
        super::WEEKDAYS
    ))
});

pub(super) fn weekday_ordinal(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let target = weekday(caps.name("wd")?.as_str())?;
    let d: u32 = caps.name("d")?.as_str().parse().ok()?;
    let first = ymd(reference.year(), reference.month(), 1)?;
    let day = [-1i32, 0, 1, 2]
        .iter()
        .filter_map(|k| {
            let month = if *k < 0 {
                first.checked_sub_months(Months::new(k.unsigned_abs()))?
            } else {
                first.checked_add_months(Months::new(k.unsigned_abs()))?
            };
            ymd(month.year(), month.month(), d)
        })
        .filter(|x| x.weekday() == target)
        .min_by_key(|x| (*x - reference).num_days().abs())?;
    Some((day, day))
}

pub(super) static ORDINAL_DAY: LazyLock<DateRegex> = LazyLock::new(|| {
    DateRegex::new(
        r"\b(?:(?:on )?the (?P<d>\d{1,2})(?:st|nd|rd|th) of (?P<this>this|the|next|last) month|on the (?P<d2>\d{1,2})(?:st|nd|rd|th)\b)",
    )
});

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_span(y: i32, m: u32) -> Option<Span> {
    let first = ymd(y, m, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some((first, last))
}

fn year_of(caps: &Captures<'_>, names: &[&str]) -> Option<i32> {
    names
        .iter()
        .find_map(|n| caps.name(n))
        .and_then(|m| m.as_str().parse().ok())
}

pub(super) fn week_of(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let m = any_month(caps.name("m")?.as_str())?;
    let d: u32 = caps.name("d")?.as_str().parse().ok()?;
    let y = super::year_for(ctx, |y| ymd(y, m, d).map(|x| (x, x)))?;
    let day = ymd(y, m, d)?;
    week_containing(day, 0)
}

fn week_containing(day: NaiveDate, weeks: i64) -> Option<Span> {
    let monday =
        day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))?;
    let start = monday.checked_add_signed(chrono::Duration::weeks(weeks))?;
    Some((start, start.checked_add_days(Days::new(6))?))
}

/// The year a relative word points to, from the publication year: +1 for "next year" and
/// its kin in every language, -1 for "last year", 0 otherwise ("this year").
fn year_shift(word: &str) -> i32 {
    const NEXT: [&str; 6] = [
        "next",
        "prochaine",
        "nachsten",
        "przysz",
        "наступн",
        "следующ",
    ];
    const LAST: [&str; 5] = ["last", "derniere", "zeszł", "минул", "прошл"];
    if NEXT.iter().any(|w| word.contains(w)) {
        1
    } else if LAST.iter().any(|w| word.contains(w)) {
        -1
    } else {
        0
    }
}

pub(super) fn quarter(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let year = match year_of(caps, &["y"]) {
        Some(y) => y,
        None => {
            // "the second half of next year", "I kwartał przyszłego roku".
            let yw = caps.name("yw").map_or("", |m| m.as_str());
            ctx.reference?.year() + year_shift(yw)
        }
    };
    if let Some(rq) = caps.name("rq") {
        return relative_quarter(rq.as_str(), caps, ctx);
    }
    let (n, months) = if let Some(q) = caps.name("qn") {
        (q.as_str().parse::<u32>().ok()?, 3)
    } else if let Some(h) = caps.name("hn") {
        (h.as_str().parse::<u32>().ok()?, 6)
    } else {
        let n = lookup(&ORDINALS_F, caps.name("ord")?.as_str())?;
        if caps.name("h").is_some() {
            if n > 2 {
                return None;
            }
            (n, 6)
        } else {
            (n, 3)
        }
    };
    let first_month = (n - 1) * months + 1;
    let (start, _) = month_span(year, first_month)?;
    let (_, end) = month_span(year, first_month + months - 1)?;
    Some((start, end))
}

/// "this quarter", "next quarter", "last quarter" from the publication date; "the last
/// quarter of 2025" (a year after it) is that year's fourth.
fn relative_quarter(rq: &str, caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    // "the past quarter century", "next quarter-final": not a quarter of a year.
    let after = ctx.f.get(ctx.end..).unwrap_or_default();
    if after.starts_with(" century") || after.starts_with('-') {
        return None;
    }
    if rq == "last" && (caps.name("y").is_some() || caps.name("yw").is_some()) {
        let year = year_of(caps, &["y"]).unwrap_or(reference.year());
        return Some((ymd(year, 10, 1)?, ymd(year, 12, 31)?));
    }
    let first = ymd(reference.year(), (reference.month0() / 3) * 3 + 1, 1)?;
    let start = match rq {
        "next" | "coming" => first.checked_add_months(Months::new(3))?,
        "last" | "previous" | "past" => first.checked_sub_months(Months::new(3))?,
        _ => first,
    };
    Some((start, start.checked_add_months(Months::new(3))?.pred_opt()?))
}

pub(super) fn year_part(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let y: i32 = match caps.name("y") {
        Some(y) => y.as_str().parse().ok()?,
        // "the end of the year", "later this year", "Ende des Jahres": the publication
        // year, or the one after or before it.
        None => ctx.reference?.year() + year_shift(caps.name("ry")?.as_str()),
    };
    let part = caps.name("part")?.as_str();
    let (a, b) = match super::part_kind(part) {
        super::Part::Early => (1, 4),
        super::Part::Mid => (5, 8),
        super::Part::Late => (9, 12),
    };
    Some((month_span(y, a)?.0, month_span(y, b)?.1))
}

pub(super) fn month_alone(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    if let (Some(a), Some(b)) = (caps.name("m3"), caps.name("m4")) {
        return month_range(any_month(a.as_str())?, any_month(b.as_str())?, caps, ctx);
    }
    let m = any_month(caps.name("m").or_else(|| caps.name("m2"))?.as_str())?;
    // "May" and "March" are also a verb and a noun: only "in May", "May 2026".
    let year = match year_of(caps, &["y", "y2"]) {
        Some(y) => y,
        None => {
            // "plan to march on the capital": "to" and a word a verb takes next.
            let whole = caps.get(0)?.as_str();
            let to = whole.starts_with("to ")
                || ctx.f.get(..ctx.start).unwrap_or_default().ends_with(" to ");
            let next = ctx.f.get(ctx.end..).unwrap_or_default().trim_start();
            let next = next
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default();
            let verb_next = [
                "on", "into", "through", "across", "against", "past", "with", "be",
            ];
            if to && (m == 3 || m == 5) && verb_next.contains(&next) {
                return None;
            }
            super::year_for(ctx, |y| month_span(y, m))?
        }
    };
    month_span(year, m)
}

/// "January to June 2027", "March-May": from the first day of one month to the last of
/// the other, across a year end when the second comes first in the calendar; a year
/// written at the end is the second month's.
fn month_range(a: u32, b: u32, caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let span_in = |y: i32| {
        let end_year = if a <= b { y } else { y + 1 };
        Some((month_span(y, a)?.0, month_span(end_year, b)?.1))
    };
    let start_year = match year_of(caps, &["y3"]) {
        Some(y) if a <= b => y,
        Some(y) => y - 1,
        None => super::year_for(ctx, span_in)?,
    };
    span_in(start_year)
}

pub(super) fn year(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let y = match year_of(caps, &["y", "y2"]) {
        Some(y) => y,
        None => {
            let r = ctx.reference?.year();
            let rel = caps.name("rel")?.as_str();
            if rel.contains("last")
                || rel.contains("dernier")
                || rel.contains("letzt")
                || rel.contains("zeszł")
                || rel.contains("торік")
                || rel.contains("минул")
                || rel.contains("прошл")
                || rel.contains("derniere")
            {
                r - 1
            } else if rel.starts_with("this")
                || rel.contains("cette")
                || rel.contains("dieses")
                || rel.contains("tym")
                || rel.contains("цього")
                || rel.contains("этом")
            {
                r
            } else {
                r + 1
            }
        }
    };
    Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?))
}

pub(super) fn span(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let n = ["n", "n2", "n3", "n4"]
        .iter()
        .find_map(|k| caps.name(k))
        .map(|m| m.as_str())?;
    let n: u32 = n.parse().ok().or_else(|| lookup(&COUNTS_F, n))?;
    let unit = ["u", "u2", "u3", "u4"]
        .iter()
        .find_map(|k| caps.name(k))?
        .as_str();
    let per = lookup(&UNITS_F, unit)?;
    let back = caps.name("ago").is_some() || caps.name("back").is_some();
    if caps.name("fwd").is_some() && counted_before(ctx.f.get(..ctx.start).unwrap_or_default()) {
        return None;
    }
    let day = match (per, back) {
        (0, false) => reference.checked_add_months(Months::new(n))?,
        (0, true) => reference.checked_sub_months(Months::new(n))?,
        (d, false) => reference.checked_add_days(Days::new(u64::from(n * d)))?,
        (d, true) => reference.checked_sub_days(Days::new(u64::from(n * d)))?,
    };
    Some((day, day))
}

/// Whether `before` ends in a counted noun ("three meetings ", "a third meeting "): then
/// a following "in two days" is how long they took, not a date two days on.
fn counted_before(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    let (Some(_noun), Some(count)) = (words.next(), words.next()) else {
        return false;
    };
    const ORDINALS: &[&str] = &[
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    count.chars().all(|c| c.is_ascii_digit())
        || ORDINALS.contains(&count)
        || ["st", "nd", "rd", "th"].iter().any(|s| {
            count
                .strip_suffix(s)
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        })
        || lookup(&COUNTS_F, count).is_some_and(|n| n > 1)
}

pub(super) fn weeks(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let w = caps.name("w")?.as_str();
    // "Twenty years ago this week": an anniversary, the week is years back.
    if ctx.f.get(..ctx.start).unwrap_or_default().ends_with("ago ") {
        return None;
    }
    let weekend = w.contains("weekend")
        || w.contains("week-end")
        || w.contains("wochenende")
        || w.contains("вихідн")
        || w.contains("выходн");
    let offset = if w.contains("after next") || w.contains("ubernachst") {
        2
    } else if w.contains("last")
        || w.contains("derni")
        || w.contains("letzt")
        || w.contains("zeszł")
        || w.contains("ubiegł")
        || w.contains("минул")
        || w.contains("прошл")
    {
        -1
    } else if w.contains("next")
        || w.contains("following")
        || w.contains("prochain")
        || w.contains("nachst")
        || w.contains("kommend")
        || w.contains("przysz")
        || w.contains("наступн")
        || w.contains("следующ")
    {
        1
    } else {
        0
    };
    // "run into the following week" after "the 14th": the week after that date.
    if w.contains("following")
        && let Some(previous) = ctx.previous
    {
        return week_containing(previous, 1);
    }
    // A bare "the weekend" in the past tense, said on a weekday, is the one just gone.
    let bare = matches!(
        w,
        "the weekend" | "am wochenende" | "w weekend" | "на вихідних" | "на выходных"
    );
    let offset = if bare
        && offset == 0
        && reference.weekday().num_days_from_monday() < 5
        && past_for_weekend(ctx)
    {
        -1
    } else {
        offset
    };
    let (monday, sunday) = week_containing(reference, offset)?;
    if weekend {
        return Some((monday.checked_add_days(Days::new(5))?, sunday));
    }
    Some((monday, sunday))
}

/// The tense of a bare "the weekend": a cue word, else (with no cue) a regular English
/// past ("prices dropped over the weekend") in the words before it. Only here: read
/// everywhere, "-ed" words (adjectives, participles) mislead more than they help.
fn past_for_weekend(ctx: &Ctx<'_>) -> bool {
    let before = ctx.f.get(..ctx.start).unwrap_or_default();
    let clause = before
        .rsplit(['.', '!', '?', ';', ','])
        .next()
        .unwrap_or_default();
    // The closest verb before it decides: a cue word, or a regular English past.
    for w in clause.rsplit(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if let Some(t) = super::cue(w, None) {
            return t == Tense::Past;
        }
        if w.len() > 4 && w.ends_with("ed") && w.is_ascii() {
            return true;
        }
    }
    ctx.sentence_tense() == Some(Tense::Past)
}

pub(super) fn days(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let d = caps.name("d")?.as_str();
    let offset: i64 = match d {
        "the day after tomorrow"
        | "apres-demain"
        | "ubermorgen"
        | "pojutrze"
        | "післязавтра"
        | "послезавтра" => 2,
        "the day before yesterday"
        | "avant-hier"
        | "vorgestern"
        | "przedwczoraj"
        | "позавчора"
        | "позавчера" => -2,
        "tomorrow" | "tmrw" | "tmr" | "demain" | "morgen" | "jutro" | "завтра" => 1,
        "yesterday" | "last night" | "hier" | "gestern" | "wczoraj" | "вчора" | "учора"
        | "вчера" => -1,
        _ => 0,
    };
    let day = reference.checked_add_signed(chrono::Duration::days(offset))?;
    Some((day, day))
}

pub(super) fn weekday_named(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let wd = caps.name("wd")?.as_str();
    let target = weekday(wd).or_else(|| weekday_other(wd))?;
    let after = ctx.f.get(ctx.end..).unwrap_or_default();
    // "Monday.com", "Mardi Gras", "Crusoe's Friday": names, not days.
    if after.starts_with(".com") || after.starts_with(" gras") {
        return None;
    }
    if ctx.f.get(..ctx.start).unwrap_or_default().ends_with("'s ") {
        return None;
    }
    let modifier = caps
        .name("mod")
        .or_else(|| caps.name("post"))
        .map(|m| m.as_str())
        .unwrap_or_default();
    let this_week = week_containing(reference, 0)?.0;
    let in_week = |monday: NaiveDate| {
        monday.checked_add_days(Days::new(u64::from(target.num_days_from_monday())))
    };
    let next = |d: NaiveDate| {
        (1..=7)
            .filter_map(|i| d.checked_add_days(Days::new(i)))
            .find(|x| x.weekday() == target)
    };
    let previous = |d: NaiveDate| {
        (1..=7)
            .filter_map(|i| d.checked_sub_days(Days::new(i)))
            .find(|x| x.weekday() == target)
    };
    // The cue words are written folded, as the modifier is.
    let is = |words: &[&str]| words.iter().any(|w| modifier.contains(w));
    let day = if is(&[
        "next",
        "nachst",
        "kommend",
        "prochain",
        "przysz",
        "наступн",
        "следующ",
    ]) {
        in_week(this_week.checked_add_days(Days::new(7))?)?
    } else if is(&[
        "last",
        "letzt",
        "dernier",
        "zeszł",
        "ubiegł",
        "минул",
        "прошл",
    ]) {
        previous(reference)?
    } else if is(&["this", "diesen", "ce", "ten", "te", "цеи", "этот", "эту"]) {
        in_week(this_week)?
    } else if target == reference.weekday() {
        // A bare weekday naming the publication day is that day, whatever the tense
        // ("leaders met on Tuesday" in Tuesday's paper).
        reference
    } else {
        match ctx.sentence_tense() {
            Some(Tense::Past) => previous(reference)?,
            Some(Tense::Future) => next(reference)?,
            // No cue: the closest such day, today included, as news reports name it (a
            // Saturday paper's "on Tuesday" is three days on, its "on Friday" yesterday).
            None => {
                let ahead = (7 + i64::from(target.num_days_from_monday())
                    - i64::from(reference.weekday().num_days_from_monday()))
                    % 7;
                let offset = if ahead <= 3 { ahead } else { ahead - 7 };
                reference.checked_add_signed(chrono::Duration::days(offset))?
            }
        }
    };
    Some((day, day))
}

fn weekday_other(word: &str) -> Option<Weekday> {
    const TABLE: &[(&str, Weekday)] = &[
        ("понеділка", Weekday::Mon),
        ("вівторка", Weekday::Tue),
        ("середи", Weekday::Wed),
        ("четверга", Weekday::Thu),
        ("п'ятниці", Weekday::Fri),
        ("суботи", Weekday::Sat),
        ("неділі", Weekday::Sun),
        ("понедельника", Weekday::Mon),
        ("вторника", Weekday::Tue),
        ("пятницы", Weekday::Fri),
        ("субботы", Weekday::Sat),
        ("воскресенья", Weekday::Sun),
        ("poniedzialek", Weekday::Mon),
        ("sobota", Weekday::Sat),
        ("niedziela", Weekday::Sun),
        ("sroda", Weekday::Wed),
        ("piatku", Weekday::Fri),
        ("sobotę", Weekday::Sat),
    ];
    static FOLDED: Folded<Weekday> = LazyLock::new(|| folded(TABLE));
    lookup(&FOLDED, word)
}

pub(super) fn ordinal_day(caps: &Captures<'_>, ctx: &Ctx<'_>) -> Option<Span> {
    let reference = ctx.reference?;
    let d: u32 = caps
        .name("d")
        .or_else(|| caps.name("d2"))?
        .as_str()
        .parse()
        .ok()?;
    // "on the 3rd floor", "the 2nd round": an ordinal of something else.
    if caps.name("d2").is_some() {
        let next = ctx.f.get(ctx.end..).unwrap_or_default().trim_start();
        let noun = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        if NOT_DAYS.contains(&noun) {
            return None;
        }
    }
    // "back on the 16th": the month of the last date named before it, else this month's.
    let (y, m) = match (caps.name("this").map(|m| m.as_str()), ctx.previous) {
        (None, Some(prev)) => (prev.year(), prev.month()),
        (Some(w @ ("next" | "last")), _) => {
            let first = ymd(reference.year(), reference.month(), 1)?;
            let moved = if w == "next" {
                first.checked_add_months(Months::new(1))?
            } else {
                first.checked_sub_months(Months::new(1))?
            };
            (moved.year(), moved.month())
        }
        _ => (reference.year(), reference.month()),
    };
    let day = ymd(y, m, d)?;
    Some((day, day))
}
