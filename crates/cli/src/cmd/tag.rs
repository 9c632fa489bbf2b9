//! `newsmon tag`: what newsmon reads and tags in one page, without the index.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use newsmon_extractor::{Amount, Article, DateMention, Extractor, Mention, Tagging};
use newsmon_fetcher::Fetcher;
use serde::Serialize;

use crate::config;
use crate::output::{print, print_json};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsmon tag https://example.com/some-article
  echo 'Leaders meet in Paris on Tuesday.' | newsmon tag --published 2026-01-03
  newsmon tag pages/*.html --format jsonl > tags.jsonl")]
pub struct Cmd {
    /// Files, http(s) URLs, or - for standard input (HTML or plain text). Several inputs
    /// are tagged in one process, one JSON line each by default.
    #[arg(default_value = "-")]
    inputs: Vec<String>,
    /// Output format [default: table for one input, jsonl for several]. `jsonl` adds an
    /// `input` field to each line.
    #[arg(long, value_enum)]
    format: Option<TagFormat>,
    /// The publication date for input that gives none (plain text): resolves "on
    /// Tuesday", "next week", "6 January". YYYY-MM-DD or RFC 3339.
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    published: Option<DateTime<Utc>>,
    /// Also list the blocks of the page's main content that were left out of the
    /// article (share boxes, related links, comments...) and why.
    #[arg(long)]
    explain_extraction: bool,
    /// Show what decided each tag: the rule cue that matched, the concept frame (which
    /// concept met which words), or the learned scorer's score against its threshold and
    /// its heaviest features.
    #[arg(long)]
    explain: bool,
}

fn parse_published(value: &str) -> std::result::Result<DateTime<Utc>, String> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(value)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| format!("`{value}` is not a date (YYYY-MM-DD or RFC 3339)"))
}

/// How `tag` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TagFormat {
    /// For people.
    Table,
    /// One JSON document (one input only).
    Json,
    /// One compact JSON object a line, one line per input.
    Jsonl,
}

/// The JSON shape: these field names are a contract; new fields may be added.
#[derive(Serialize)]
struct Tagged<'a> {
    /// The input as given (file, URL or `-`), in `jsonl` lines only.
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
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
    /// Every money expression of any size: `text`, `value`, `currency`, `usd`, `kind`
    /// (point|range|bound), `exact` (+ `min`, `max`, `exact_max`, `usd_max` for a range,
    /// `bound` upper|lower, `approx`, `per`), byte `start`/`end`.
    amounts: &'a [Amount],
    /// Every resolved date expression: `text`, `start`, `end` (days, inclusive), `grain`,
    /// byte offsets.
    dates: &'a [DateMention],
    /// With `--explain-extraction`: each dropped block's `text` and `reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped: Option<Vec<DroppedBlock>>,
    /// The tags the learned scorer decided: `tag`, `score`, `threshold`, `features`; and
    /// the frames' tags its verifier kept (`verified: true`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    learned: &'a [newsmon_extractor::ModelDecision],
    /// The tags a concept frame decided: `tag`, `frame`, `concepts` ([concept, words]).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    frames: &'a [newsmon_extractor::FrameDecision],
}

#[derive(Serialize)]
struct DroppedBlock {
    text: String,
    reason: String,
}

pub fn run(cmd: Cmd, paths: &crate::paths::Paths) -> Result<ExitCode> {
    let several = cmd.inputs.len() > 1;
    let format = cmd.format.unwrap_or(if several {
        TagFormat::Jsonl
    } else {
        TagFormat::Table
    });
    if several && format == TagFormat::Json {
        bail!("tag: --format json takes one input; use --format jsonl for several");
    }
    let loaded = config::load(paths)?;
    // Never dropped: freeing the compiled regexes one by one at exit took a few percent
    // of a one-line `tag`, and the process ends right after.
    let tagger = std::mem::ManuallyDrop::new(loaded.tagger()?);
    let extractor = Extractor::new();
    let mut failed = 0;
    for input in &cmd.inputs {
        let tag_one = || -> Result<()> {
            let (bytes, content_type) = read_input(input, &loaded.config.http)?;
            let explained =
                extractor.explain(&bytes, Some(input.as_str()), content_type.as_deref())?;
            let mut article = explained.article;
            let dropped = cmd.explain_extraction.then(|| {
                explained
                    .dropped
                    .iter()
                    .map(|d| DroppedBlock {
                        text: d.text.clone(),
                        reason: d.reason.to_string(),
                    })
                    .collect::<Vec<_>>()
            });
            // A page's own date wins; --published stands in for input that has none.
            if article.published.is_none() {
                article.published = cmd.published;
            }
            let tagging = tagger.tag_article(&article);
            match format {
                TagFormat::Json => print_json(&Tagged {
                    dropped,
                    ..tagged(&article, &tagging)
                })?,
                TagFormat::Jsonl => {
                    let line = Tagged {
                        input: Some(input.as_str()),
                        dropped,
                        ..tagged(&article, &tagging)
                    };
                    print(&serde_json::to_string(&line)?)?;
                }
                TagFormat::Table => {
                    let mut out = human(&article, &tagging, cmd.explain);
                    if let Some(dropped) = &dropped {
                        out += &explain(dropped);
                    }
                    if several {
                        out = format!("== {input}\n{out}\n");
                    }
                    print(&out)?
                }
            }
            Ok(())
        };
        match tag_one() {
            Ok(()) => {}
            // One bad file among many is reported and skipped; alone, it is the error.
            Err(err) if several && !is_broken_pipe(&err) => {
                failed += 1;
                eprintln!("newsmon: failed: {err:#}");
            }
            Err(err) => return Err(err),
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
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

fn tagged<'a>(article: &'a Article, tagging: &'a Tagging) -> Tagged<'a> {
    Tagged {
        input: None,
        title: &article.title,
        published: article.published.map(|d| d.to_rfc3339()),
        language: &article.language,
        byline: &article.byline,
        site_name: &article.site_name,
        canonical_url: &article.canonical_url,
        description: &article.description,
        modified: article.modified.map(|d| d.to_rfc3339()),
        text: &article.text,
        tags: &tagging.mentions,
        amounts: &tagging.amounts,
        dates: &tagging.dates,
        learned: &tagging.learned,
        frames: &tagging.frames,
        dropped: None,
    }
}

/// What decided a tag: the rule cue that matched, the concept frame and its words, or the
/// learned scorer's score.
fn why(mention: &Mention, tagging: &Tagging) -> String {
    if let Some(f) = tagging.frames.iter().find(|d| d.tag == mention.tag) {
        let concepts: Vec<String> = f
            .concepts
            .iter()
            .map(|(concept, words)| format!("{concept} = \"{words}\""))
            .collect();
        // Off the key's topic, say which of the story's words let the frame run.
        let gate = if f.gate.is_empty() {
            String::new()
        } else {
            let words: Vec<String> = f
                .gate
                .iter()
                .map(|(concept, word)| format!("{concept} = \"{word}\""))
                .collect();
            format!("; off topic, story gate: {}", words.join(", "))
        };
        // A learned verifier kept the frame's tag: its score against its threshold.
        let verified = tagging
            .learned
            .iter()
            .find(|d| d.verified && d.tag == mention.tag)
            .map(|d| {
                format!(
                    "; model verifier: score {:.3} >= threshold {:.3}",
                    d.score, d.threshold
                )
            })
            .unwrap_or_default();
        return format!(
            "frame {}: {} at bytes {}..{}{gate}{verified}",
            f.frame,
            concepts.join(" x "),
            mention.start,
            mention.end
        );
    }
    match tagging
        .learned
        .iter()
        .find(|d| !d.verified && d.tag == mention.tag)
    {
        Some(d) => {
            let features: Vec<String> = d
                .features
                .iter()
                .map(|(f, w)| format!("{f} {w:+.2}"))
                .collect();
            format!(
                "model: score {:.3} >= threshold {:.3}; {}",
                d.score,
                d.threshold,
                features.join(", ")
            )
        }
        None => format!(
            "rule: cue \"{}\" at bytes {}..{}",
            mention.matched, mention.start, mention.end
        ),
    }
}

fn explain(dropped: &[DroppedBlock]) -> String {
    let mut out = format!("\n\ndropped from the page ({} blocks):\n", dropped.len());
    for d in dropped {
        let text: String = d.text.chars().take(160).collect();
        let more = if text.len() < d.text.len() { "..." } else { "" };
        out += &format!("  [{}] {text}{more}\n", d.reason);
    }
    out
}

fn human(article: &Article, tagging: &Tagging, explain: bool) -> String {
    let mentions = &tagging.mentions;
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
            if explain {
                out += &format!("      decided by {}\n", why(m, tagging));
            }
            for a in &m.amounts {
                out += &format!("      amount: {}\n", a.text);
            }
        }
    }
    if !tagging.amounts.is_empty() {
        out += "amounts:\n";
        for a in &tagging.amounts {
            let usd = a.usd.map_or_else(|| "?".to_string(), |u| format!("${u}"));
            let currency = a.currency.as_deref().unwrap_or("?");
            out += &format!("  {} = {} {currency} (USD {usd})\n", a.text, a.value);
        }
    }
    if !tagging.dates.is_empty() {
        out += "dates:\n";
        for d in &tagging.dates {
            out += &format!("  {} = {}..{}\n", d.text, d.start, d.end);
        }
    }
    out += "\n";
    out += &article.text;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_takes_a_day_or_an_instant() {
        assert_eq!(
            parse_published("2026-01-03").unwrap().to_rfc3339(),
            "2026-01-03T00:00:00+00:00"
        );
        assert_eq!(
            parse_published("2026-01-03T10:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-01-03T08:00:00+00:00"
        );
        assert!(parse_published("Saturday").is_err());
    }

    #[test]
    fn json_adds_amounts_and_dates_and_keeps_the_old_fields() {
        let tagger = newsmon_extractor::Taxonomy::from_toml(crate::config::DEFAULT_TAXONOMY, "t")
            .unwrap()
            .build()
            .unwrap();
        let article = Article {
            text: "Leaders gather in Paris on Tuesday to back Ukraine's prosperity plan worth up to $800bn.".into(),
            published: parse_published("2026-01-03").ok(),
            ..Article::default()
        };
        let tagging = tagger.tag_article(&article);
        let json = serde_json::to_value(tagged(&article, &tagging)).unwrap();
        for key in [
            "title",
            "published",
            "language",
            "text",
            "tags",
            "amounts",
            "dates",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["amounts"][0]["text"], "$800bn");
        assert_eq!(json["amounts"][0]["value"], 800_000_000_000u64);
        assert_eq!(json["amounts"][0]["currency"], "USD");
        assert_eq!(json["amounts"][0]["usd"], 800_000_000_000u64);
        assert_eq!(json["dates"][0]["start"], "2026-01-06");
        let tags: Vec<&str> = json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["tag"].as_str().unwrap())
            .collect();
        assert!(tags.contains(&"meeting/leaders-summit"), "{tags:?}");
        let plan = json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tag"] == "funding/prosperity-plan")
            .unwrap();
        assert_eq!(plan["amounts"][0]["usd"], 800_000_000_000u64);
    }
}
