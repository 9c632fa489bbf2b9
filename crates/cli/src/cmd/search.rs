//! `newsmon search`: query the index.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use newsmon_index::{Hit, Index, SearchRequest, SearchResults, Sort};

use super::ingest::TANTIVY_DIR;
use crate::output::print_json;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon search backstop --tag tier/us-backstop --since 7d
  newsmon search '\"prosperity plan\" amount_usd:>=100bn' --sort newest --format json
  newsmon search '*' --source 'BBC News: Europe' --collapse --limit 20")]
pub struct Cmd {
    /// Words, "phrases", AND/OR/NOT, field:value (title, body, source, tag, lang, url, id),
    /// ranges (amount_usd:>=100bn, published:[2026-01-05 TO 2026-01-08]); `*` for all.
    query: String,
    #[command(flatten)]
    filters: Filters,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Fold syndicated copies of one story into one hit listing their outlets.
    #[arg(long)]
    collapse: bool,
    /// At most N hits.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Skip the first N hits (paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: usize,
    /// Output format: a table for people, json (one document), jsonl (one hit a line) or
    /// csv for scripts.
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    format: SearchFormat,
}

/// The filters shared by `search`, `stats`, `funding` and `export`.
#[derive(Debug, Clone, clap::Args)]
pub struct Filters {
    /// Only articles with this tag (KIND/KEY, or KIND for any of its keys); repeatable,
    /// all must hold.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only articles from this source (its configured name); repeatable, any may hold.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Only articles in this language (en, fr, uk, ...); repeatable, any may hold.
    #[arg(long = "lang", value_name = "CODE")]
    pub langs: Vec<String>,
    /// Only articles published on or after DATE (YYYY-MM-DD, RFC 3339, or 7d/24h/2w ago).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published before DATE, or on DATE itself if it has no time.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl Filters {
    /// A request for `query` with these filters.
    pub fn request(&self, query: &str) -> Result<SearchRequest> {
        Ok(SearchRequest {
            query: query.to_string(),
            tags: self.tags.clone(),
            sources: self.sources.clone(),
            langs: self.langs.clone(),
            since: self
                .since
                .as_deref()
                .map(|d| parse_date(d, false))
                .transpose()?,
            until: self
                .until
                .as_deref()
                .map(|d| parse_date(d, true))
                .transpose()?,
            ..SearchRequest::default()
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SearchFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let request = SearchRequest {
        limit: cmd.limit,
        offset: cmd.offset,
        collapse: cmd.collapse,
        sort: match cmd.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        ..cmd.filters.request(&cmd.query)?
    };
    let index = open_index(index_dir)?;
    let results = index.search(&request)?;
    match cmd.format {
        SearchFormat::Json => print_json(&results)?,
        SearchFormat::Jsonl => {
            let mut out = std::io::stdout().lock();
            for hit in &results.hits {
                serde_json::to_writer(&mut out, hit)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
        SearchFormat::Csv => print_csv(&results)?,
        SearchFormat::Table => print_table(&results, &request)?,
    }
    Ok(if results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Opens the index of `index_dir`.
pub fn open_index(index_dir: &Path) -> Result<Index> {
    Ok(Index::open(&index_dir.join(TANTIVY_DIR))?)
}

fn print_csv(results: &SearchResults) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "id,url,title,source,published,score,lang,tags,outlets,snippet"
    )?;
    for hit in &results.hits {
        let row = [
            hit.id.clone(),
            hit.url.clone(),
            hit.title.clone(),
            hit.source.clone(),
            hit.published.clone(),
            hit.score.to_string(),
            hit.lang.clone(),
            hit.tags.join(";"),
            hit.outlets.as_deref().unwrap_or_default().join(";"),
            hit.snippet.clone(),
        ];
        writeln!(out, "{}", csv_row(&row))?;
    }
    out.flush()?;
    Ok(())
}

/// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted.
pub fn csv_row(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// ANSI styles, on only for a terminal without `NO_COLOR` (<https://no-color.org>).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    pub fn for_stdout() -> Style {
        Style {
            on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn cyan(&self, text: &str) -> String {
        self.paint("36", text)
    }
    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }
    /// The query's words in a snippet.
    pub fn highlight(&self, text: &str) -> String {
        if self.on {
            self.paint("1;31", text)
        } else {
            format!("[{text}]")
        }
    }
}

/// The terminal's width in columns (`COLUMNS` wins), else 100 (in a pipe).
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| comfy_table::Table::new().width().map(usize::from))
                .flatten()
        })
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` padded with spaces to `width` characters.
pub fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

/// The snippet with its highlighted ranges styled, wrapped into lines of at most `room`
/// visible characters.
fn highlighted(hit: &Hit, style: Style, room: usize) -> Vec<String> {
    let text = &hit.snippet;
    let mut lines = Vec::new();
    let (mut line, mut visible) = (String::new(), 0);
    let mut at = 0;
    for word in text.split(' ') {
        let (start, end) = (at, at + word.len());
        at = end + 1;
        // The word, with the parts of it inside a highlight styled.
        let mut styled = String::new();
        let mut cursor = start;
        for [h_start, h_end] in &hit.highlights {
            let (from, to) = ((*h_start).max(start), (*h_end).min(end));
            if from >= to {
                continue;
            }
            styled.push_str(text.get(cursor..from).unwrap_or_default());
            styled.push_str(&style.highlight(text.get(from..to).unwrap_or_default()));
            cursor = to;
        }
        styled.push_str(text.get(cursor..end).unwrap_or_default());
        let width = word.chars().count();
        if visible > 0 && visible + 1 + width > room {
            lines.push(std::mem::take(&mut line));
            visible = 0;
        }
        if visible > 0 {
            line.push(' ');
            visible += 1;
        }
        line.push_str(&styled);
        visible += width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One block per hit, the first line aligned in columns: rank, date, source, title; then
/// the snippet, the tags and the URL, indented.
fn print_table(results: &SearchResults, request: &SearchRequest) -> Result<()> {
    let style = Style::for_stdout();
    let width = width();
    let source_width = results
        .hits
        .iter()
        .map(|h| h.source.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let rank_width = (request.offset + results.hits.len()).to_string().len();
    let indent = " ".repeat(rank_width + 2);
    let mut out = std::io::stdout().lock();
    for (i, hit) in results.hits.iter().enumerate() {
        let date = hit.published.get(..10).unwrap_or(&hit.published);
        let title_room = width
            .saturating_sub(rank_width + 2 + 10 + 2 + source_width + 2)
            .max(20);
        writeln!(
            out,
            "{:>rank_width$}  {}  {}  {}",
            request.offset + i + 1,
            style.dim(date),
            style.cyan(&pad(&fit(&hit.source, source_width), source_width)),
            style.bold(&fit(&hit.title, title_room)),
        )?;
        if let Some(outlets) = &hit.outlets
            && outlets.len() > 1
        {
            writeln!(
                out,
                "{indent}{}",
                style.yellow(&format!(
                    "{} copies: {}",
                    hit.copies.unwrap_or(outlets.len()),
                    outlets.join(", ")
                ))
            )?;
        }
        for line in highlighted(hit, style, width.saturating_sub(indent.len()).max(30)) {
            writeln!(out, "{indent}{line}")?;
        }
        if !hit.tags.is_empty() {
            writeln!(out, "{indent}{}", style.green(&hit.tags.join("  ")))?;
        }
        writeln!(out, "{indent}{}", style.dim(&hit.url))?;
        writeln!(out)?;
    }
    // "N of M matching articles": scripts and tests read this line.
    let stories = if request.collapse { " stories" } else { "" };
    writeln!(
        out,
        "{}{stories} of {} matching articles",
        results.hits.len(),
        results.total
    )?;
    out.flush()?;
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

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(
            csv_row(&["a".into(), "b,c".into(), "say \"hi\"".into(), "x\ny".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\""
        );
    }

    #[test]
    fn fit_and_pad_count_characters() {
        assert_eq!(fit("Élysée summit", 6), "Élysé…");
        assert_eq!(pad("Kyiv", 6), "Kyiv  ");
    }
}
