//! `newsmon search`: query the index.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use newsmon_index::{Index, SearchRequest, SearchResults};

use super::Format;
use super::ingest::TANTIVY_DIR;
use crate::output::{print, print_json, table};

#[derive(Debug, clap::Args)]
pub struct Cmd {
    /// Words, "phrases", AND/OR/NOT, field:value (title, body, source, lang); `*` for all.
    query: String,
    /// Only articles with this tag (KIND/KEY, or KIND for any of its keys); repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Only articles published on or after DATE (YYYY-MM-DD, RFC 3339, or 7d/24h/2w ago).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only articles published before DATE, or on DATE itself if it has no time.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// At most N hits.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let request = SearchRequest {
        query: cmd.query,
        tags: cmd.tags,
        since: cmd
            .since
            .as_deref()
            .map(|d| parse_date(d, false))
            .transpose()?,
        until: cmd
            .until
            .as_deref()
            .map(|d| parse_date(d, true))
            .transpose()?,
        limit: cmd.limit,
    };
    let index = Index::open(&index_dir.join(TANTIVY_DIR))?;
    let results = index.search(&request)?;
    match cmd.format {
        Format::Json => print_json(&results)?,
        Format::Table => print_table(&results)?,
    }
    Ok(if results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_table(results: &SearchResults) -> Result<()> {
    let mut table = table();
    table.set_header(["date", "source", "article", "tags"]);
    for hit in &results.hits {
        table.add_row([
            hit.published
                .get(..10)
                .unwrap_or(&hit.published)
                .to_string(),
            hit.source.clone(),
            format!("{}\n{}\n{}", hit.title, hit.snippet, hit.url),
            hit.tags.join("\n"),
        ]);
    }
    print(&format!(
        "{table}\n{} of {} matching articles",
        results.hits.len(),
        results.total
    ))?;
    Ok(())
}

/// `until` dates without a time include the whole day.
pub fn parse_date(text: &str, until: bool) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Ok(date.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if until {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        if let Some(start) = day.and_hms_opt(0, 0, 0) {
            return Ok(start.and_utc());
        }
    }
    if let Some(ago) = relative(text) {
        return Ok(Utc::now() - ago);
    }
    bail!(
        "invalid date `{text}`: expected YYYY-MM-DD, an RFC 3339 time, or an age like 7d, 24h, 2w"
    )
}

fn relative(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let amount: i64 = text.get(..text.len() - 1)?.parse().ok()?;
    match unit {
        'h' => Duration::try_hours(amount),
        'd' => Duration::try_days(amount),
        'w' => Duration::try_weeks(amount),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_absolute_relative_and_inclusive_until() {
        assert_eq!(
            parse_date("2026-01-06", false).unwrap().to_rfc3339(),
            "2026-01-06T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("2026-01-06", true).unwrap().to_rfc3339(),
            "2026-01-07T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("2026-01-06T10:00:00+01:00", false)
                .unwrap()
                .to_rfc3339(),
            "2026-01-06T09:00:00+00:00"
        );
        let week = Utc::now() - parse_date("7d", false).unwrap();
        assert!((week.num_days() - 7).abs() <= 1);
        for bad in ["yesterday", "2026-13-01", "7y", "d", ""] {
            assert!(parse_date(bad, false).is_err(), "{bad}");
        }
    }
}
