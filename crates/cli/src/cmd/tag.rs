//! `newsmon tag`: what newsmon reads and tags in one page, without the index.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use newsmon_extractor::{Article, Extractor, Mention};
use newsmon_fetcher::Fetcher;
use serde::Serialize;

use super::Format;
use crate::config;
use crate::output::{print, print_json};

#[derive(Debug, clap::Args)]
pub struct Cmd {
    /// A file, an http(s) URL, or - for standard input (HTML or plain text).
    #[arg(default_value = "-")]
    input: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The JSON shape: these field names are a contract; new fields may be added.
#[derive(Serialize)]
struct Tagged<'a> {
    title: &'a Option<String>,
    published: Option<String>,
    language: &'a Option<String>,
    byline: &'a Option<String>,
    site_name: &'a Option<String>,
    canonical_url: &'a Option<String>,
    description: &'a Option<String>,
    modified: Option<String>,
    text: &'a str,
    tags: &'a [Mention],
}

pub fn run(cmd: Cmd, config_path: &Path) -> Result<ExitCode> {
    let loaded = config::load(config_path)?;
    let tagger = loaded.taxonomy.build()?;
    let (bytes, content_type) = read_input(&cmd.input, &loaded.config.http)?;
    let article = Extractor::new().extract(&bytes, Some(&cmd.input), content_type.as_deref())?;
    let mentions = tagger.tag(&article.text);
    match cmd.format {
        Format::Json => print_json(&tagged(&article, &mentions))?,
        Format::Table => print(&human(&article, &mentions))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn read_input(
    input: &str,
    http: &newsmon_fetcher::HttpConfig,
) -> Result<(Vec<u8>, Option<String>)> {
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("standard input: cannot read")?;
        return Ok((bytes, None));
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = url::Url::parse(input).with_context(|| format!("{input}: invalid URL"))?;
        let fetcher = Fetcher::new(http)?;
        let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
        let page = runtime.block_on(fetcher.fetch_page(&url))?;
        return Ok((page.body, page.content_type));
    }
    let bytes = std::fs::read(input).with_context(|| format!("{input}: cannot read"))?;
    Ok((bytes, None))
}

fn tagged<'a>(article: &'a Article, mentions: &'a [Mention]) -> Tagged<'a> {
    Tagged {
        title: &article.title,
        published: article.published.map(|d| d.to_rfc3339()),
        language: &article.language,
        byline: &article.byline,
        site_name: &article.site_name,
        canonical_url: &article.canonical_url,
        description: &article.description,
        modified: article.modified.map(|d| d.to_rfc3339()),
        text: &article.text,
        tags: mentions,
    }
}

fn human(article: &Article, mentions: &[Mention]) -> String {
    let field = |name: &str, value: Option<String>| {
        format!("{name:<10} {}\n", value.unwrap_or_else(|| "-".into()))
    };
    let mut out = String::new();
    out += &field("title", article.title.clone());
    out += &field("published", article.published.map(|d| d.to_rfc3339()));
    out += &field("language", article.language.clone());
    out += &field("byline", article.byline.clone());
    out += &field("site", article.site_name.clone());
    out += &field("canonical", article.canonical_url.clone());
    out += &format!(
        "{:<10} {} words\n\n",
        "length",
        article.text.split_whitespace().count()
    );
    if mentions.is_empty() {
        out += "tags: none\n";
    } else {
        out += "tags:\n";
        for m in mentions {
            out += &format!(
                "  {} (x{}): \"{}\"\n      {}\n",
                m.tag, m.count, m.matched, m.evidence
            );
        }
    }
    out += "\n";
    out += &article.text;
    out
}
