//! Feed dates, read leniently: the timestamp parser given to feed-rs
//! (`Builder::timestamp_parser`).
//!
//! feed-rs's own parser knows RFC 3339 and RFC 2822 with a few fixes; real feeds also carry US
//! zone abbreviations (`EDT`, and `ET`/`PT` without the S), asctime, MSSQL `2004-07-08
//! 23:56:58.0`, W3C-DTF partial dates (`2003-12`, `20031231`), `Etc/GMT`, and out-of-range
//! values that feedparser rolls over (June 31 is July 1, 25:14 is 01:14 the next day). An
//! unreadable date is `None`: it never costs the item (see the corpus README's `dates` group).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The date in `text`, or `None` when no format fits.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    if text.starts_with(|c: char| c.is_ascii_digit())
        && let Some(date) = w3c_dtf(text)
    {
        return Some(date);
    }
    tokens(text)
}

/// W3C-DTF / ISO 8601 in the forms feeds use: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYYMMDD`,
/// then optionally `T` or a space, `hh:mm[:ss[.fraction]]` and `Z`, `±hh:mm` or `±hhmm`.
fn w3c_dtf(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = split_at_time(text);
    let digits: Vec<&str> = date.split('-').collect();
    let (year, month, day) = match digits.as_slice() {
        [y] if y.len() == 8 => (y.get(..4)?, y.get(4..6)?, y.get(6..8)?),
        [y] if y.len() == 4 => (*y, "1", "1"),
        [y, m] if y.len() == 4 => (*y, *m, "1"),
        [y, m, d] if y.len() == 4 => (*y, *m, *d),
        _ => return None,
    };
    let (year, month, day) = (
        year.parse::<i32>().ok()?,
        month.parse::<u32>().ok()?,
        day.parse::<i64>().ok()?,
    );
    let (clock, offset) = match rest {
        None => ((0, 0, 0.0), 0),
        Some(rest) => {
            let (clock, zone) = split_zone(rest);
            (parse_clock(clock)?, zone_offset(zone)?)
        }
    };
    assemble(year, month, day, clock, offset)
}

/// `("2004-07-08", Some("23:56:58.0"))` for `2004-07-08 23:56:58.0` or `2004-07-08T23:56…`.
fn split_at_time(text: &str) -> (&str, Option<&str>) {
    match text.find(['T', 't', ' ']) {
        Some(at) => (&text[..at], Some(text[at + 1..].trim())),
        None => (text, None),
    }
}

/// `("10:14:55", "+08:00")` from `10:14:55+08:00`; `("10:14:55", "")` without a zone.
fn split_zone(rest: &str) -> (&str, &str) {
    match rest.find(['Z', 'z', '+', '-', ' ']) {
        Some(at) => (&rest[..at], rest[at..].trim()),
        None => (rest, ""),
    }
}

/// `h:mm[:ss[.frac]]` as (hours, minutes, seconds); out-of-range values are kept, to roll over.
fn parse_clock(clock: &str) -> Option<(i64, i64, f64)> {
    let mut parts = clock.split(':');
    let hours = parts.next()?.trim().parse::<i64>().ok()?;
    let minutes = parts.next()?.trim().parse::<i64>().ok()?;
    let seconds = match parts.next() {
        Some(s) => s.trim().parse::<f64>().ok().filter(|s| s.is_finite())?,
        None => 0.0,
    };
    if parts.next().is_some() || hours > 48 || minutes > 120 || !(0.0..121.0).contains(&seconds) {
        return None;
    }
    Some((hours, minutes, seconds))
}

/// The offset in seconds east of UTC of a zone written as `Z`, `±hh:mm`, `±hhmm`, `±hh` or a
/// name of the table below (empty: UTC).
fn zone_offset(zone: &str) -> Option<i64> {
    let zone = zone.trim();
    if zone.is_empty() {
        return Some(0);
    }
    if let Some(sign) = zone
        .strip_prefix('+')
        .map(|z| (1, z))
        .or_else(|| zone.strip_prefix('-').map(|z| (-1, z)))
    {
        let (sign, digits) = sign;
        let digits: String = digits.chars().filter(|c| *c != ':').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (hours, minutes) = match digits.len() {
            1 | 2 => (digits.parse::<i64>().ok()?, 0),
            4 => (
                digits.get(..2)?.parse::<i64>().ok()?,
                digits.get(2..)?.parse::<i64>().ok()?,
            ),
            _ => return None,
        };
        if hours > 14 || minutes > 59 {
            return None;
        }
        return Some(sign * (hours * 3600 + minutes * 60));
    }
    let hours = match zone.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "ETC/GMT" | "ETC/UTC" | "WET" => 0.0,
        "BST" | "CET" | "MET" | "WEST" => 1.0,
        "CEST" | "EET" | "MEST" | "SAST" => 2.0,
        "EEST" | "MSK" => 3.0,
        "JST" | "KST" => 9.0,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        // North America; the bare forms (ET, PT…) are what Disney's feeds wrote, read as
        // standard time as feedparser does.
        "AST" | "AT" | "EDT" => -4.0,
        "ADT" => -3.0,
        "EST" | "ET" | "CDT" => -5.0,
        "CST" | "CT" | "MDT" => -6.0,
        "MST" | "MT" | "PDT" => -7.0,
        "PST" | "PT" | "AKDT" => -8.0,
        "AKST" => -9.0,
        "HST" => -10.0,
        _ => return None,
    };
    Some((hours * 3600.0) as i64)
}

/// RFC 822 and its relatives, read as tokens in any order: an English month name, a day, a
/// year of 2 or 4 digits (or `YYYY/MM/DD`), an optional time and an optional zone. Weekday names
/// are ignored. Covers `Thu, 01 Jan 04 19:48:21 GMT`, `Mon, 26 January 2004 16:31:00 ET`,
/// asctime (`Sun Jan  4 16:29:06 PST 2004`) and `Fri, 2006/09/15 08:19:53 EDT`.
fn tokens(text: &str) -> Option<DateTime<Utc>> {
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut clock, mut offset) = (None, None);
    for token in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        if token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit()) {
            let (time, zone) = split_zone(token);
            clock = Some(parse_clock(time)?);
            if !zone.is_empty() {
                offset = Some(zone_offset(zone)?);
            }
        } else if token.starts_with(['+', '-']) && clock.is_some() {
            offset = Some(zone_offset(token)?);
        } else if let Some((y, rest)) = token
            .split_once('/')
            .filter(|_| token.starts_with(|c: char| c.is_ascii_digit()))
        {
            let (m, d) = rest.split_once('/')?;
            year = Some(y.parse::<i32>().ok()?);
            month = Some(m.parse::<u32>().ok()?);
            day = Some(d.parse::<i64>().ok()?);
        } else if token.chars().all(|c| c.is_ascii_digit()) {
            let value = token.parse::<i64>().ok()?;
            // The first short number before any year is the day.
            if day.is_none() && token.len() <= 2 && year.is_none() {
                day = Some(value);
            } else if year.is_none() {
                year = Some(match (token.len(), value) {
                    (4, v) => i32::try_from(v).ok()?,
                    // RFC 2822 §4.3: two-digit years below 50 are 20xx.
                    (1 | 2, v) if v < 50 => 2000 + i32::try_from(v).ok()?,
                    (1 | 2, v) => 1900 + i32::try_from(v).ok()?,
                    _ => return None,
                });
            } else {
                return None;
            }
        } else if token
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '.' || c == '/')
        {
            if let Some(m) = month_number(token)
                && month.is_none()
            {
                month = Some(m);
                continue;
            }
            if is_weekday(token) {
                continue;
            }
            if clock.is_some() && offset.is_none() {
                offset = Some(zone_offset(token)?);
            } else {
                return None;
            }
        } else {
            return None;
        }
    }
    assemble(
        year?,
        month?,
        day?,
        clock.unwrap_or((0, 0, 0.0)),
        offset.unwrap_or(0),
    )
}

/// Builds the instant, rolling values past the end of their range over into the next unit,
/// as feedparser does (`31 Jun` is 1 July, `25:14` is 01:14 the next day).
fn assemble(
    year: i32,
    month: u32,
    day: i64,
    clock: (i64, i64, f64),
    offset: i64,
) -> Option<DateTime<Utc>> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1000..=9999).contains(&year) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let (hours, minutes, seconds) = clock;
    let midnight = NaiveDateTime::new(first, NaiveTime::MIN);
    let local = midnight
        .checked_add_signed(Duration::days(day - 1))?
        .checked_add_signed(Duration::hours(hours))?
        .checked_add_signed(Duration::minutes(minutes))?
        .checked_add_signed(Duration::milliseconds((seconds * 1000.0).round() as i64))?;
    let utc = local.checked_sub_signed(Duration::seconds(offset))?;
    Some(Utc.from_utc_datetime(&utc))
}

fn month_number(token: &str) -> Option<u32> {
    let lower = token.trim_end_matches('.').to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    let number = match prefix {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let full = NAMES.get(number as usize - 1)?;
    (full.starts_with(lower.as_str()) || lower == "sept").then_some(number)
}

fn is_weekday(token: &str) -> bool {
    let lower = token.trim_end_matches('.').to_ascii_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .any(|day| lower.len() >= 3 && day.starts_with(lower.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_of_the_corpus_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2003-12-31T10:14:55Z", Some("2003-12-31T10:14:55Z")),
            ("2003-12-31T10:14:55-08:00", Some("2003-12-31T18:14:55Z")),
            (
                "2007-04-23T23:25:47.538+10:00",
                Some("2007-04-23T13:25:47.538Z"),
            ),
            (
                "2003-12-31T10:14:55.1234Z",
                Some("2003-12-31T10:14:55.123400Z"),
            ),
            (
                "Thu, 01 Jan 2004 19:48:21 GMT",
                Some("2004-01-01T19:48:21Z"),
            ),
            ("Thu, 01 Jan 04 19:48:21 GMT", Some("2004-01-01T19:48:21Z")),
            ("Thu, 01 Jan 2004 00:00 GMT", Some("2004-01-01T00:00:00Z")),
            ("Thu, 01 Jan 2004", Some("2004-01-01T00:00:00Z")),
            ("Tue, 15 Nov 2022 20:15:04 Z", Some("2022-11-15T20:15:04Z")),
            ("02 Apr 05 16:13 -0500", Some("2005-04-02T21:13:00Z")),
            (
                "Mon, 1 Jan 2024 00:00:00 CEST",
                Some("2023-12-31T22:00:00Z"),
            ),
            (
                "Mon, 26 January 2004 16:31:00 ET",
                Some("2004-01-26T21:31:00Z"),
            ),
            (
                "Mon, 26 January 2004 16:31:00 PT",
                Some("2004-01-27T00:31:00Z"),
            ),
            (
                "Mon, 26 January 2004 16:31:00 AT",
                Some("2004-01-26T20:31:00Z"),
            ),
            ("Sun Jan  4 16:29:06 PST 2004", Some("2004-01-05T00:29:06Z")),
            (
                "Wed, 19 Aug 2009 18:28:00 Etc/GMT",
                Some("2009-08-19T18:28:00Z"),
            ),
            ("Fri, 2006/09/15 08:19:53 EDT", Some("2006-09-15T12:19:53Z")),
            ("2004-07-08 23:56:58.0", Some("2004-07-08T23:56:58Z")),
            ("2004-07-08 23:56:58", Some("2004-07-08T23:56:58Z")),
            ("2004-05-25 ", Some("2004-05-25T00:00:00Z")),
            ("2003", Some("2003-01-01T00:00:00Z")),
            ("2003-12", Some("2003-12-01T00:00:00Z")),
            ("20031231", Some("2003-12-31T00:00:00Z")),
            (
                "Thu, 31 Jun 2004 19:48:21 GMT",
                Some("2004-07-01T19:48:21Z"),
            ),
            ("2003-12-31T25:14:55Z", Some("2004-01-01T01:14:55Z")),
            ("2003-12-31T10:61:55Z", Some("2003-12-31T11:01:55Z")),
            ("2004-02-28T18:14:55-08:00", Some("2004-02-29T02:14:55Z")),
            ("", None),
            ("yesterday", None),
            ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", None),
            ("2003-012-31T10:14:55+00:00", Some("2003-12-31T10:14:55Z")),
            ("99999999999999999999", None),
            ("Thu, 01 Foo 2004", None),
        ];
        for (text, want) in cases {
            let got =
                parse_date(text).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
            assert_eq!(got.as_deref(), *want, "{text:?}");
        }
    }
}
