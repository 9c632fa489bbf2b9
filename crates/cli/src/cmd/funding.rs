//! `newsmon funding`: every amount reported under each funding key, and by whom.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Format;
use super::search::{Filters, Style, fit, open_index};
use super::show::thousands;
use crate::output::print_json;

/// The taxonomy kind whose keys carry amounts.
const FUNDING_KIND: &str = "funding";

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon funding
  newsmon funding --since 2026-01-01 --format json")]
pub struct Cmd {
    /// Only amounts from articles matching this query (as for `search`).
    #[arg(default_value = "*")]
    query: String,
    #[command(flatten)]
    filters: Filters,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let index = open_index(index_dir)?;
    let groups = index.funding(&cmd.filters.request(&cmd.query)?, FUNDING_KIND)?;
    if cmd.format == Format::Json {
        // A struct, not a json! map: fields keep their order.
        #[derive(serde::Serialize)]
        struct Out<'a> {
            amounts: &'a [newsmon_index::FundingGroup],
        }
        print_json(&Out { amounts: &groups })?;
    } else {
        let style = Style::for_stdout();
        let mut out = std::io::stdout().lock();
        let mut tag = None;
        for group in &groups {
            if tag != Some(&group.tag) {
                writeln!(out, "\n{}", style.green(&style.bold(&group.tag)))?;
                tag = Some(&group.tag);
            }
            let value = match group.max {
                Some(max) => format!("{}–{}", thousands(group.value), thousands(max)),
                None => thousands(group.value),
            };
            let currency = group.currency.as_deref().unwrap_or("(no currency)");
            let usd = match (group.usd, group.currency.as_deref()) {
                (Some(usd), Some(c)) if c != "USD" => format!("  ≈ ${}", thousands(usd)),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {} {}{}  {}",
                style.bold(&value),
                currency,
                usd,
                style.dim(&format!("as {}", group.written.join(", ")))
            )?;
            writeln!(
                out,
                "    {} outlet{} ({}), {} article{}, {} to {}",
                group.outlets,
                if group.outlets == 1 { "" } else { "s" },
                fit(&group.outlet_names.join(", "), 80),
                group.articles,
                if group.articles == 1 { "" } else { "s" },
                group.first_seen.get(..10).unwrap_or(&group.first_seen),
                group.last_seen.get(..10).unwrap_or(&group.last_seen),
            )?;
            writeln!(out, "    “{}”", fit(&group.example, 240))?;
        }
        if groups.is_empty() {
            writeln!(out, "no amounts reported under {FUNDING_KIND}/ keys")?;
        }
        out.flush()?;
    }
    Ok(if groups.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
