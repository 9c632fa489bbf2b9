//! `newsmon train`: fits the learned scorer from labelled examples and writes the model
//! file that the tagger loads beside the taxonomy (`taxonomy.toml` → `taxonomy.model.json`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use newsmon_extractor::{
    LexiconConfig, Taxonomy, TrainingExample, TrainingOptions, train_model, train_model_over,
};

use crate::config;
use crate::paths::Paths;

#[derive(Debug, clap::Args)]
pub struct Cmd {
    /// Labelled examples: a JSONL file (one `{"text": "...", "tags": ["kind/key"],
    /// "published": "2026-01-03"}` a line), or a TOML file or directory of
    /// `[[article]]` tables with `text`, `tags` and `published` (other fields ignored).
    examples: PathBuf,
    /// The concept lexicon [default: lexicon.toml beside the taxonomy].
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
    /// Where to write the model [default: beside the taxonomy, TAXONOMY.model.json].
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Train over these concept frames (`frames.toml`): the model adds only what rules and
    /// frames miss, learns which frames fired, and verifies the frames' tags.
    #[arg(long, value_name = "FILE")]
    frames: Option<PathBuf>,
}

#[derive(serde::Deserialize)]
struct TomlFile {
    article: Vec<TrainingExample>,
}

pub fn run(cmd: Cmd, paths: &Paths) -> Result<ExitCode> {
    let loaded = config::load(paths)?;
    let taxonomy_path = config::taxonomy_path(&loaded.config, paths.config.as_deref());
    let beside = |name: &str| -> Result<PathBuf> {
        match &taxonomy_path {
            Some(path) if path.exists() => Ok(path.with_file_name(name)),
            _ => bail!("no taxonomy file: give --lexicon and --output"),
        }
    };
    let lexicon_path = match cmd.lexicon {
        Some(path) => path,
        None => beside("lexicon.toml")?,
    };
    let output = match cmd.output {
        Some(path) => path,
        None => match &taxonomy_path {
            Some(path) if path.exists() => Taxonomy::model_path(path),
            _ => bail!("no taxonomy file: give --output"),
        },
    };
    let text = std::fs::read_to_string(&lexicon_path)
        .with_context(|| format!("{}: cannot read lexicon", lexicon_path.display()))?;
    let lexicon: LexiconConfig = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", lexicon_path.display(), e.message()))?;
    let examples = read_examples(&cmd.examples)?;
    if examples.is_empty() {
        bail!("{}: no examples", cmd.examples.display());
    }
    let trained_on = format!(
        "newsmon train {} ({} examples)",
        cmd.examples.display(),
        examples.len()
    );
    let options = TrainingOptions::default();
    let (model, report) = match &cmd.frames {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read frames", path.display()))?;
            let base = loaded
                .taxonomy
                .without_model()
                .build()?
                .with_frames(&text, &path.display().to_string())?;
            let trained_on = format!("{trained_on} over frames {}", path.display());
            train_model_over(
                &loaded.taxonomy,
                &lexicon,
                &examples,
                &trained_on,
                options,
                &base,
            )?
        }
        None => train_model(&loaded.taxonomy, &lexicon, &examples, &trained_on, options)?,
    };
    std::fs::write(&output, model.to_json() + "\n")
        .with_context(|| format!("{}: cannot write model", output.display()))?;
    println!(
        "tag                                  examples  added right  added wrong  (out of fold)"
    );
    for (tag, (examples, right, wrong)) in &report.keys {
        println!("{tag:<36} {examples:>8}  {right:>11}  {wrong:>11}");
    }
    for (tag, (threshold, wrong, right)) in &report.verify {
        println!(
            "verify {tag:<29} at {threshold:.3}: drops {wrong} wrong, {right} right frame tags (out of fold)"
        );
    }
    println!("wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// JSONL, or TOML `[[article]]` files (one, or every `*.toml` of a directory, sorted).
fn read_examples(path: &Path) -> Result<Vec<TrainingExample>> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("{}: cannot read directory", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "jsonl"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for file in files {
            out.extend(read_examples(&file)?);
        }
        return Ok(out);
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read examples", path.display()))?;
    if path.extension().is_some_and(|e| e == "toml") {
        let file: TomlFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        return Ok(file.article);
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not an example", path.display(), i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_come_from_jsonl_and_toml() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("e.jsonl");
        std::fs::write(
            &jsonl,
            "{\"text\": \"a\", \"tags\": [\"tier/x\"]}\n\n{\"text\": \"b\", \"published\": \"2026-01-03\"}\n",
        )
        .unwrap();
        let examples = read_examples(&jsonl).unwrap();
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].tags, vec!["tier/x"]);
        assert!(examples[1].published.is_some());
        let toml = dir.path().join("e.toml");
        std::fs::write(
            &toml,
            "[[article]]\nid = \"x\"\ntext = \"c\"\ntags = []\npublished = \"2026-01-03\"\n",
        )
        .unwrap();
        assert_eq!(read_examples(dir.path()).unwrap().len(), 3);
        std::fs::write(&jsonl, "{\"tags\": []}\n").unwrap();
        let err = read_examples(&jsonl).unwrap_err().to_string();
        assert!(err.ends_with("e.jsonl:1: not an example"), "{err}");
    }
}
