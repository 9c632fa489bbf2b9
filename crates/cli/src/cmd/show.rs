//! `newsmon show`: one article whole: metadata, text, every tag with its evidence.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Format;
use super::search::{Style, open_index};
use crate::output::print_json;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon show 3f2a9c0d1e4b5a67
  newsmon show https://example.com/some-article --format json")]
pub struct Cmd {
    /// The article's id (as `search` shows it) or its URL.
    article: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(cmd: Cmd, index_dir: &Path) -> Result<ExitCode> {
    let index = open_index(index_dir)?;
    let mut found = index.article(&cmd.article)?;
    // A URL as pasted from a browser (tracking parameters, a fragment) finds the article
    // under its canonical form.
    if found.is_none()
        && let Ok(url) = url::Url::parse(cmd.article.trim())
    {
        found = index.article(newsmon_fetcher::canonicalize(&url).as_str())?;
    }
    let Some(article) = found else {
        bail!(
            "{}: no article with this id or URL in the index",
            cmd.article.trim()
        );
    };
    if cmd.format == Format::Json {
        print_json(&article)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::for_stdout();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", style.bold(&article.title))?;
    let mut field = |name: &str, value: &str| -> std::io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        writeln!(out, "{} {value}", style.dim(&format!("{name:>10}")))
    };
    field("id", &article.id)?;
    field("url", &article.url)?;
    field("source", &article.source)?;
    field("published", &article.published)?;
    field("fetched", &article.fetched)?;
    field("language", &article.lang)?;
    field("byline", &article.byline)?;
    field("cluster", &article.cluster)?;
    let amounts: Vec<String> = article
        .amounts
        .iter()
        .map(|a| match a.usd {
            Some(usd) if a.currency.as_deref() != Some("USD") => {
                format!("{} (≈ ${})", a.text, thousands(usd))
            }
            _ => a.text.clone(),
        })
        .collect();
    field("amounts", &amounts.join("; "))?;
    writeln!(out)?;
    if article.mentions.is_empty() {
        writeln!(out, "{}", style.dim("no tags"))?;
    }
    for mention in &article.mentions {
        let times = if mention.count > 1 {
            format!(" ×{}", mention.count)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}{}  {}",
            style.green(&mention.tag),
            style.dim(&times),
            style.dim(&format!("matched “{}”", mention.matched))
        )?;
        // The matched words, found again in their sentence, stand out.
        let evidence = match mention.evidence.find(&mention.matched) {
            Some(at) if !mention.matched.is_empty() => format!(
                "{}{}{}",
                mention.evidence.get(..at).unwrap_or_default(),
                style.highlight(&mention.matched),
                mention
                    .evidence
                    .get(at + mention.matched.len()..)
                    .unwrap_or_default()
            ),
            _ => mention.evidence.clone(),
        };
        writeln!(out, "    {evidence}")?;
        for amount in &mention.amounts {
            writeln!(out, "    {} {}", style.yellow("amount"), amount.text)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", article.text.as_deref().unwrap_or_default())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// 800000000000 → "800,000,000,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(800_000_000_000), "800,000,000,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
    }
}
