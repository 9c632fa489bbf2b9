//! `newsmon export`: every matching article with its tags and amounts, streamed.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::search::{Filters, csv_row, open_index};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon export --tag funding --since 30d > funding.jsonl
  newsmon export '\"security guarantee\"' --format csv --text > guarantees.csv")]
pub struct Cmd {
    /// The query (as for `search`); all articles when absent.
    #[arg(default_value = "*")]
    query: String,
    #[command(flatten)]
    filters: Filters,
    /// jsonl: one article a line, with its mentions (evidence) and amounts; csv: one row
    /// an article.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Include each article's text.
    #[arg(long)]
    text: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Jsonl,
    Csv,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let index = open_index(index_dir)?;
    let request = cmd.filters.request(&cmd.query)?;
    let articles = index.export(&request, cmd.text)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if cmd.format == ExportFormat::Csv {
        let mut header =
            "id,url,title,source,published,fetched,lang,tags,amounts,amounts_usd".to_string();
        if cmd.text {
            header.push_str(",text");
        }
        writeln!(out, "{header}")?;
    }
    for article in articles {
        let article = article?;
        match cmd.format {
            ExportFormat::Jsonl => {
                serde_json::to_writer(&mut out, &article)?;
                out.write_all(b"\n")?;
            }
            ExportFormat::Csv => {
                let mut row = vec![
                    article.id.clone(),
                    article.url.clone(),
                    article.title.clone(),
                    article.source.clone(),
                    article.published.clone(),
                    article.fetched.clone(),
                    article.lang.clone(),
                    article.tags.join(";"),
                    article
                        .amounts
                        .iter()
                        .map(|a| a.text.clone())
                        .collect::<Vec<_>>()
                        .join(";"),
                    article
                        .amounts_usd
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(";"),
                ];
                if let Some(text) = &article.text {
                    row.push(text.clone());
                }
                writeln!(out, "{}", csv_row(&row))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
