//! `newsmon stats`: how much coverage, of what, from whom, when.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use newsmon_index::{Interval, NameCount, Stats, StatsRequest};

use super::Format;
use super::search::{Filters, Style, fit, open_index, pad};
use crate::output::print_json;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon stats --since 2026-01-01 --interval week
  newsmon stats summit --tag meeting --format json")]
pub struct Cmd {
    /// Count only the articles matching this query (as for `search`); all when absent.
    #[arg(default_value = "*")]
    query: String,
    #[command(flatten)]
    filters: Filters,
    /// Timeline buckets.
    #[arg(long, value_enum, default_value_t = IntervalArg::Day)]
    interval: IntervalArg,
    /// At most N sources and languages listed (the rest summed as "other").
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum IntervalArg {
    Day,
    Week,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let index = open_index(index_dir)?;
    let request = StatsRequest {
        search: cmd.filters.request(&cmd.query)?,
        interval: match cmd.interval {
            IntervalArg::Day => Interval::Day,
            IntervalArg::Week => Interval::Week,
        },
        top: cmd.top,
    };
    let stats = index.stats(&request)?;
    match cmd.format {
        Format::Json => print_json(&stats)?,
        Format::Table => print_stats(&stats)?,
    }
    Ok(if stats.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Timelines of at most this many buckets are also listed one bucket a line.
const SHORT_TIMELINE: usize = 31;

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character a count, scaled to the largest: a zero is a space, the rest ▁ to █.
pub fn sparkline(counts: &[u64]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&c| {
            if c == 0 || max == 0 {
                ' '
            } else {
                let level = ((c - 1) * BLOCKS.len() as u64 / max) as usize;
                BLOCKS[level.min(BLOCKS.len() - 1)]
            }
        })
        .collect()
}

/// A horizontal bar of `count` scaled to `max` over `width` cells.
fn bar(count: u64, max: u64, width: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let cells = ((count as f64 / max as f64) * width as f64).round() as usize;
    "█".repeat(cells.max(usize::from(count > 0)))
}

fn print_stats(stats: &Stats) -> Result<()> {
    let style = Style::for_stdout();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} articles", style.bold(&stats.total.to_string()))?;
    let section =
        |out: &mut dyn Write, title: &str, rows: &[NameCount], other: u64| -> std::io::Result<()> {
            if rows.is_empty() {
                return Ok(());
            }
            writeln!(out, "\n{}", style.bold(title))?;
            let name_width = rows
                .iter()
                .map(|r| r.name.chars().count())
                .max()
                .unwrap_or(0)
                .min(32);
            let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
            for row in rows {
                let name = if row.name.is_empty() {
                    "(unknown)"
                } else {
                    &row.name
                };
                writeln!(
                    out,
                    "  {}  {:>6}  {}",
                    pad(&fit(name, name_width), name_width),
                    row.count,
                    style.cyan(&bar(row.count, max, 30))
                )?;
            }
            if other > 0 {
                writeln!(out, "  {}  {other:>6}", pad("(other)", name_width))?;
            }
            Ok(())
        };
    if !stats.tags.is_empty() {
        writeln!(out, "\n{}", style.bold("tags"))?;
        let width = stats
            .tags
            .iter()
            .flat_map(|k| k.keys.iter().map(|r| r.name.chars().count() + 2))
            .chain(stats.tags.iter().map(|k| k.kind.chars().count()))
            .max()
            .unwrap_or(0);
        let max = stats.tags.iter().map(|k| k.count).max().unwrap_or(0);
        for kind in &stats.tags {
            writeln!(
                out,
                "  {}  {:>6}  {}",
                style.green(&pad(&kind.kind, width)),
                kind.count,
                style.green(&bar(kind.count, max, 30))
            )?;
            for key in &kind.keys {
                writeln!(
                    out,
                    "    {}  {:>6}  {}",
                    pad(&key.name, width - 2),
                    key.count,
                    style.dim(&bar(key.count, max, 30))
                )?;
            }
        }
    }
    section(&mut out, "sources", &stats.sources, stats.sources_other)?;
    section(
        &mut out,
        "languages",
        &stats.languages,
        stats.languages_other,
    )?;
    if let (Some(first), Some(last)) = (stats.timeline.first(), stats.timeline.last()) {
        let unit = match stats.interval {
            Interval::Day => "day",
            Interval::Week => "week",
        };
        let counts: Vec<u64> = stats.timeline.iter().map(|b| b.count).collect();
        // The first of equal peaks.
        let peak = stats.timeline.iter().rev().max_by_key(|b| b.count);
        writeln!(out, "\n{}", style.bold(&format!("per {unit}")))?;
        // Long timelines wrap; each line starts with its first bucket's date.
        for (chunk, dates) in counts.chunks(60).zip(stats.timeline.chunks(60)) {
            writeln!(
                out,
                "  {}  {}",
                style.dim(&dates[0].date),
                style.cyan(&sparkline(chunk))
            )?;
        }
        writeln!(
            out,
            "  {} to {}, peak {} on {}",
            first.date,
            last.date,
            peak.map_or(0, |p| p.count),
            peak.map_or("", |p| p.date.as_str())
        )?;
        // A short timeline is also worth reading bucket by bucket.
        if stats.timeline.len() <= SHORT_TIMELINE {
            let max = counts.iter().copied().max().unwrap_or(0);
            for bucket in &stats.timeline {
                writeln!(
                    out,
                    "  {}  {:>6}  {}",
                    style.dim(&bucket.date),
                    bucket.count,
                    style.cyan(&bar(bucket.count, max, 30))
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_peak() {
        assert_eq!(sparkline(&[0, 1, 4, 8]), " ▁▄█");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }
}
