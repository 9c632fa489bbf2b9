//! The taxonomy file: kinds, keys and their phrasings, as data.
//!
//! ```toml
//! [tier.us-backstop]                 # kind "tier", key "us-backstop" → tag "tier/us-backstop"
//! label = "U.S. backstop"
//! phrases = ["Article 5-like"]       # strong cues: tag on their own
//! patterns = ['\b15-year guarantee'] # strong regexes over folded text (non-ASCII folded too)
//! weak_phrases = ["backstop"]        # need a `context` phrase within `context_scope`
//! context = ["ukraine", "kyiv"]
//! context_scope = "sentence"         # sentence | paragraph | article
//! exclude = ["brexit"]               # veto within `exclude_scope`
//! exclude_scope = "paragraph"
//! topic = ["ukraine", "kyiv"]        # the text must mention one of these somewhere
//! gate = "story"                     # ... or one of [gates.story]'s (shared by many keys)
//! amounts = true                     # attach the money amounts of a match's sentence
//! date = "2026-01-06"                # an event: a sentence naming a participant and a
//! date_end = "2026-01-07"            #   date within date..=date_end, in a paragraph
//! place = ["Paris"]                  #   naming the place, also tags the key
//! participants = ["leaders"]
//!
//! [gates.story]                      # not a kind: a story gate that keys name with `gate`
//! topic = ["ukraine"]
//! topic_patterns = ['\bkyiv\w*']
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::pattern_cache::PatternCache;
use crate::{Error, ModelFile, MoneyConfig, Result, Tagger};

/// How far from a match a context or exclusion phrase counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The sentence that holds the match.
    #[default]
    Sentence,
    /// The paragraph that holds the match.
    Paragraph,
    /// Anywhere in the text.
    Article,
}

/// One key of the taxonomy, as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    /// A short human label (required of a key; a gate's is optional).
    #[serde(default)]
    pub label: String,
    /// What the key stands for.
    #[serde(default)]
    pub description: String,
    /// Literal phrasings that tag on their own.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Regular expressions, over folded text, that tag on their own.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Literal phrasings that tag only with a `context` phrase nearby.
    #[serde(default)]
    pub weak_phrases: Vec<String>,
    /// Regular expressions that tag only with a `context` phrase nearby.
    #[serde(default)]
    pub weak_patterns: Vec<String>,
    /// Phrases of which one must occur within `context_scope` of a weak match.
    #[serde(default)]
    pub context: Vec<String>,
    /// Where a context phrase counts.
    #[serde(default)]
    pub context_scope: Scope,
    /// Phrases that, within `exclude_scope`, veto any match of this key.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Where an exclusion counts.
    #[serde(default)]
    pub exclude_scope: Scope,
    /// Phrases of which one must occur anywhere in the text for the key to apply at all:
    /// the story the key belongs to (a "prosperity plan" is only this story's plan in a
    /// text about Ukraine).
    #[serde(default)]
    pub topic: Vec<String>,
    /// Regular expressions that count like `topic` phrases.
    #[serde(default)]
    pub topic_patterns: Vec<String>,
    /// The name of a shared story gate (`[gates.NAME]`), whose `topic` and
    /// `topic_patterns` count as this key's own: one list for the many keys of a story.
    #[serde(default)]
    pub gate: Option<String>,
    /// Money amounts in the sentence of a match are attached to the mention (for the
    /// funding keys: "the $800bn prosperity plan").
    #[serde(default)]
    pub amounts: bool,
    /// The day of the event the key stands for (a meeting). With `place` and
    /// `participants`, a sentence naming a place, a participant and a date expression
    /// that resolves within `date..=date_end` also tags the key ("leaders gather in Paris
    /// on Tuesday", read on Saturday 3 January 2026).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The last day of the event; `date` when absent.
    #[serde(default)]
    pub date_end: Option<NaiveDate>,
    /// Where the event takes place (phrases, matched like `phrases`).
    #[serde(default)]
    pub place: Vec<String>,
    /// Who takes part (phrases, matched like `phrases`).
    #[serde(default)]
    pub participants: Vec<String>,
}

impl KeyConfig {
    /// The regular-expression lists, by field name.
    fn pattern_lists(&self) -> [(&'static str, &[String]); 3] {
        [
            ("patterns", &self.patterns),
            ("weak_patterns", &self.weak_patterns),
            ("topic_patterns", &self.topic_patterns),
        ]
    }

    /// The phrase lists, by field name.
    fn phrase_lists(&self) -> [(&'static str, &[String]); 7] {
        [
            ("phrases", &self.phrases),
            ("weak_phrases", &self.weak_phrases),
            ("context", &self.context),
            ("exclude", &self.exclude),
            ("topic", &self.topic),
            ("place", &self.place),
            ("participants", &self.participants),
        ]
    }
}

/// The whole taxonomy: kinds, each with its keys, in file order by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub(crate) path: String,
    pub(crate) kinds: BTreeMap<String, BTreeMap<String, KeyConfig>>,
    /// The shared story gates (`[gates.NAME]`), by name: only their `topic` and
    /// `topic_patterns` (and `label`, `description`) are set.
    pub(crate) gates: BTreeMap<String, KeyConfig>,
    pub(crate) money: MoneyConfig,
    /// The learned scorer and where it came from (see [`Taxonomy::with_model`]).
    pub(crate) model: Option<(ModelFile, String)>,
}

impl Taxonomy {
    /// Reads and parses a taxonomy file, with the learned scorer beside it when there is
    /// one (`taxonomy.toml` → `taxonomy.model.json`, written by `newsmon train`).
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::TaxonomyRead {
            path: path.to_path_buf(),
            source,
        })?;
        let taxonomy = Taxonomy::from_toml(&text, &path.display().to_string())?;
        let model_path = Taxonomy::model_path(path);
        if !model_path.exists() {
            return Ok(taxonomy);
        }
        let model = ModelFile::load(&model_path)?;
        Ok(taxonomy.with_model(model, &model_path.display().to_string()))
    }

    /// Where [`Taxonomy::load`] looks for the learned scorer of a taxonomy file.
    pub fn model_path(taxonomy: &Path) -> std::path::PathBuf {
        taxonomy.with_extension("model.json")
    }

    /// The same taxonomy with a learned scorer: keys the rules miss are tagged when the
    /// model's score passes their threshold. `source` names the model in errors.
    pub fn with_model(mut self, model: ModelFile, source: &str) -> Taxonomy {
        self.model = Some((model, source.to_string()));
        self
    }

    /// The same taxonomy with its rules only.
    pub fn without_model(&self) -> Taxonomy {
        Taxonomy {
            model: None,
            ..self.clone()
        }
    }

    /// Parses taxonomy TOML; `path` names it in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<Taxonomy> {
        // Gates are read as keys are, so that a mistake in one is placed by line too.
        let mut kinds: BTreeMap<String, BTreeMap<String, KeyConfig>> =
            toml::from_str(text).map_err(|err| syntax_error(text, path, &err))?;
        let gates = kinds.remove(GATES).unwrap_or_default();
        let taxonomy = Taxonomy {
            path: path.to_string(),
            kinds,
            gates,
            money: MoneyConfig::default(),
            model: None,
        };
        taxonomy.validate()?;
        Ok(taxonomy)
    }

    /// The same taxonomy with these exchange rates for the amounts' `usd` values (the
    /// default rates are [`MoneyConfig::default`]). `source` names the config in errors.
    pub fn with_money(mut self, money: MoneyConfig, source: &str) -> Result<Taxonomy> {
        if let Some(problem) = money.problems().into_iter().next() {
            return Err(Error::Config {
                path: source.to_string(),
                message: problem,
            });
        }
        self.money = money;
        Ok(self)
    }

    /// Every tag of the taxonomy (`kind/key`), sorted.
    pub fn tags(&self) -> Vec<String> {
        self.keys().map(|(tag, _)| tag).collect()
    }

    /// The label of a tag, if the taxonomy has it.
    pub fn label(&self, tag: &str) -> Option<&str> {
        let (kind, key) = tag.split_once('/')?;
        Some(self.kinds.get(kind)?.get(key)?.label.as_str())
    }

    /// Patterns that parse but can never match, one line each (`path: [kind.key]
    /// patterns[i] ...`): patterns meet folded, lowercase text, so a literal uppercase
    /// ASCII letter ("\\bNATO") is never met. Not errors: a taxonomy that loaded before
    /// still loads; `config check` shows them.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (tag, key) in self.keys().chain(self.gates()) {
            for (what, patterns) in key.pattern_lists() {
                for (i, pattern) in patterns.iter().enumerate() {
                    if let Some(letter) = uppercase_literal(pattern) {
                        // Worded and placed as a key's error is, though it is none.
                        let message = format!(
                            "{what}[{i}] never matches: '{letter}' is uppercase, and patterns \
                             meet folded (lowercase) text"
                        );
                        out.push(self.key_error(&tag, message).to_string());
                    }
                }
            }
        }
        out
    }

    /// Checks concept frames (`text`, named `source` in errors) against this taxonomy,
    /// as [`Tagger::with_frames`] would, without compiling the taxonomy: for commands
    /// that report a bad frames file but never tag.
    pub fn check_frames(&self, text: &str, source: &str) -> Result<()> {
        crate::frames::Frames::from_toml(text, &self.tags(), source).map(drop)
    }

    /// Compiles the taxonomy into a [`Tagger`].
    pub fn build(&self) -> Result<Tagger> {
        Tagger::new(self, &mut PatternCache::none())
    }

    /// [`Taxonomy::build`], keeping in `cache_dir` (created when missing) what checking
    /// and planning the patterns found, so that the next build of the same patterns
    /// skips both: a short command's start. The tagger and its errors are the same as
    /// [`Taxonomy::build`]'s; a missing, stale, damaged or unwritable cache only costs
    /// time.
    pub fn build_cached(&self, cache_dir: &Path) -> Result<Tagger> {
        // Names the cache file: every pattern and phrase, so that an edited taxonomy gets
        // a file of its own (the entries are looked up by their text anyway).
        let patterns = self.keys().chain(self.gates()).flat_map(|(_, key)| {
            let lists = key.pattern_lists().into_iter().chain(key.phrase_lists());
            lists.flat_map(|(_, list)| list).map(String::as_str)
        });
        let mut cache = PatternCache::open(cache_dir, patterns);
        Tagger::new(self, &mut cache)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = (String, &KeyConfig)> {
        self.kinds.iter().flat_map(|(kind, keys)| {
            keys.iter()
                .map(move |(key, config)| (format!("{kind}/{key}"), config))
        })
    }

    /// The shared gates, named `gates/NAME` as a key's tag is (so that errors place them
    /// as `[gates.NAME]`).
    pub(crate) fn gates(&self) -> impl Iterator<Item = (String, &KeyConfig)> {
        self.gates
            .iter()
            .map(|(name, gate)| (format!("{GATES}/{name}"), gate))
    }

    /// A key's story gate: its own `topic` and `topic_patterns`, then its shared gate's.
    pub(crate) fn topic_of(&self, key: &KeyConfig) -> (Vec<String>, Vec<String>) {
        let shared = key.gate.as_ref().and_then(|name| self.gates.get(name));
        let mut topic = key.topic.clone();
        let mut patterns = key.topic_patterns.clone();
        if let Some(gate) = shared {
            topic.extend(gate.topic.iter().cloned());
            patterns.extend(gate.topic_patterns.iter().cloned());
        }
        (topic, patterns)
    }

    pub(crate) fn key_error(&self, tag: &str, message: impl Into<String>) -> Error {
        Error::TaxonomyKey {
            path: self.path.clone(),
            key: tag.replacen('/', ".", 1),
            message: message.into(),
        }
    }

    /// A gate names the story's words and nothing else: a cue or an event in one would
    /// silently tag nothing.
    fn validate_gates(&self) -> Result<()> {
        for (name, gate) in &self.gates {
            let tag = format!("{GATES}/{name}");
            let only_gate = KeyConfig {
                label: gate.label.clone(),
                description: gate.description.clone(),
                topic: gate.topic.clone(),
                topic_patterns: gate.topic_patterns.clone(),
                ..KeyConfig::default()
            };
            if *gate != only_gate {
                return Err(self.key_error(
                    &tag,
                    "a gate holds only label, description, topic and topic_patterns",
                ));
            }
            if !valid_name(name) {
                return Err(self.key_error(&tag, "gate names use only a-z, 0-9 and -"));
            }
            if gate.topic.is_empty() && gate.topic_patterns.is_empty() {
                return Err(self.key_error(&tag, "has no topic or topic_patterns"));
            }
            self.no_empty_phrase(&tag, gate)?;
        }
        Ok(())
    }

    /// An empty phrase would match everywhere.
    fn no_empty_phrase(&self, tag: &str, key: &KeyConfig) -> Result<()> {
        for (name, list) in key.phrase_lists() {
            if let Some(i) = list.iter().position(|p| p.trim().is_empty()) {
                return Err(self.key_error(tag, format!("{name}[{i}] is empty")));
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        if self.kinds.is_empty() {
            return Err(self.key_error("(none)", "the taxonomy defines no kind"));
        }
        self.validate_gates()?;
        for (tag, key) in self.keys() {
            if !tag.split('/').all(valid_name) {
                return Err(self.key_error(&tag, "kind and key names use only a-z, 0-9 and -"));
            }
            if key.label.trim().is_empty() {
                return Err(self.key_error(&tag, "label is empty"));
            }
            let cues = [
                &key.phrases,
                &key.patterns,
                &key.weak_phrases,
                &key.weak_patterns,
            ];
            if cues
                .iter()
                .all(|list| list.iter().all(|s| s.trim().is_empty()))
            {
                return Err(self.key_error(&tag, "has no phrases or patterns"));
            }
            if let Some(gate) = &key.gate
                && !self.gates.contains_key(gate)
            {
                return Err(self.key_error(
                    &tag,
                    format!("gate \"{gate}\" is not defined (no [{GATES}.{gate}] table)"),
                ));
            }
            let has_weak = !key.weak_phrases.is_empty() || !key.weak_patterns.is_empty();
            if has_weak && key.context.is_empty() {
                return Err(self.key_error(&tag, "weak_phrases/weak_patterns need a context list"));
            }
            if key.date.is_some() && (key.place.is_empty() || key.participants.is_empty()) {
                return Err(self.key_error(&tag, "date needs a place and participants list"));
            }
            if key.date.is_none()
                && (key.date_end.is_some() || !key.place.is_empty() || !key.participants.is_empty())
            {
                return Err(self.key_error(&tag, "date_end, place and participants need a date"));
            }
            if let (Some(date), Some(end)) = (key.date, key.date_end)
                && end < date
            {
                return Err(self.key_error(&tag, "date_end is before date"));
            }
            self.no_empty_phrase(&tag, key)?;
        }
        Ok(())
    }
}

/// Kind, key and gate names: lowercase ASCII letters, digits and `-`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The top-level table that holds shared story gates instead of a kind's keys.
const GATES: &str = "gates";

/// One line with the file, line and column, and the parser's message.
fn syntax_error(text: &str, path: &str, err: &toml::de::Error) -> Error {
    let (line, column) = err
        .span()
        .map(|span| line_column(text, span.start))
        .unwrap_or((1, 1));
    Error::TaxonomySyntax {
        path: path.to_string(),
        line,
        column,
        message: err
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The first uppercase ASCII letter a pattern must match literally (outside classes,
/// escapes and case-insensitive groups), if any.
fn uppercase_literal(pattern: &str) -> Option<char> {
    use regex_syntax::hir::{Hir, HirKind};
    fn walk(hir: &Hir) -> Option<char> {
        match hir.kind() {
            HirKind::Literal(literal) => literal
                .0
                .iter()
                .find(|b| b.is_ascii_uppercase())
                .map(|&b| char::from(b)),
            HirKind::Capture(capture) => walk(&capture.sub),
            HirKind::Repetition(repetition) => walk(&repetition.sub),
            HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().find_map(walk),
            HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => None,
        }
    }
    let folded = crate::fold::fold_pattern(pattern);
    walk(&regex_syntax::Parser::new().parse(&folded).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_of_patterns_that_can_never_match_folded_text() {
        let text = "[tier.x]\nlabel = \"X\"\npatterns = ['\\bnato', '\\bNATO\\b', '[A-Z]\\d', '(?i)Nato', '\\Bx\\D']\n\
                    weak_phrases = [\"y\"]\ncontext = [\"z\"]\nweak_patterns = ['\\bKyiv']\n";
        let taxonomy = Taxonomy::from_toml(text, "t.toml").unwrap();
        assert_eq!(
            taxonomy.warnings(),
            [
                "t.toml: [tier.x] patterns[1] never matches: 'N' is uppercase, and patterns meet \
                 folded (lowercase) text",
                "t.toml: [tier.x] weak_patterns[0] never matches: 'K' is uppercase, and \
                 patterns meet folded (lowercase) text",
            ]
        );
    }

    #[test]
    fn parses_kinds_and_keys() {
        let taxonomy = Taxonomy::from_toml(
            "[tier.first-line]\nlabel = \"First line\"\nphrases = [\"first line of defence\"]\n\n[hurdle.zaporizhzhia-npp]\nlabel = \"ZNPP\"\nphrases = [\"ZNPP\"]\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(
            taxonomy.tags(),
            vec!["hurdle/zaporizhzhia-npp", "tier/first-line"]
        );
        assert_eq!(taxonomy.label("tier/first-line"), Some("First line"));
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let err = Taxonomy::from_toml("[tier.x]\nlabel = \"X\"\nphrase = [\"a\"]\n", "t.toml")
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("t.toml:3:1: unknown field `phrase`"),
            "{message}"
        );
        assert!(!message.contains('\n'));

        let err = Taxonomy::from_toml("[tier.x]\nlabel = \"X\"\nphrases = [\"a\"\n", "t.toml")
            .unwrap_err();
        assert!(err.to_string().starts_with("t.toml:3:"), "{err}");
    }

    #[test]
    fn rule_violations_name_the_key() {
        for (toml, expected) in [
            (
                "[tier.x]\nlabel = \"X\"\n",
                "t.toml: [tier.x] has no phrases or patterns",
            ),
            (
                "[tier.x]\nlabel = \"\"\nphrases=[\"a\"]\n",
                "t.toml: [tier.x] label is empty",
            ),
            (
                "[tier.X]\nlabel = \"X\"\nphrases=[\"a\"]\n",
                "t.toml: [tier.X] kind and key names use only a-z, 0-9 and -",
            ),
            (
                "[tier.x]\nlabel = \"X\"\nweak_phrases=[\"a\"]\n",
                "t.toml: [tier.x] weak_phrases/weak_patterns need a context list",
            ),
            (
                "[tier.x]\nlabel = \"X\"\nphrases=[\"a\", \" \"]\n",
                "t.toml: [tier.x] phrases[1] is empty",
            ),
        ] {
            assert_eq!(
                Taxonomy::from_toml(toml, "t.toml").unwrap_err().to_string(),
                expected
            );
        }
    }

    const GATED: &str = "[gates.story]\ndescription = \"Ukraine\"\ntopic = [\"Kyiv\"]\n\
                         topic_patterns = ['\\bukrain\\w*']\n\n\
                         [tier.x]\nlabel = \"X\"\nphrases = [\"backstop\"]\ngate = \"story\"\n\n\
                         [tier.y]\nlabel = \"Y\"\nphrases = [\"first line\"]\n";

    #[test]
    fn a_shared_gate_gates_the_keys_that_name_it_and_is_no_kind() {
        let taxonomy = Taxonomy::from_toml(GATED, "t.toml").unwrap();
        assert_eq!(taxonomy.tags(), ["tier/x", "tier/y"]);
        let tagger = taxonomy.build().unwrap();
        let tags =
            |text: &str| -> Vec<String> { tagger.tag(text).into_iter().map(|m| m.tag).collect() };
        assert_eq!(tags("A backstop on the first line."), ["tier/y"]);
        assert_eq!(
            tags("Ukraine's backstop on the first line."),
            ["tier/x", "tier/y"]
        );
        assert_eq!(tags("A backstop, said Kyiv."), ["tier/x"]);
    }

    #[test]
    fn a_key_keeps_its_own_topic_beside_its_gate() {
        let text = GATED.replace("gate = \"story\"", "gate = \"story\"\ntopic = [\"Kiew\"]");
        let tagger = Taxonomy::from_toml(&text, "t.toml")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(tagger.tag("Ein backstop, sagt Kiew.").len(), 1);
        assert_eq!(tagger.tag("A backstop, says Kyiv.").len(), 1);
        assert!(tagger.tag("A Brexit backstop.").is_empty());
    }

    #[test]
    fn gate_mistakes_name_the_gate_or_the_key() {
        for (from, to, expected) in [
            (
                "gate = \"story\"",
                "gate = \"stroy\"",
                "t.toml: [tier.x] gate \"stroy\" is not defined (no [gates.stroy] table)",
            ),
            (
                "description = \"Ukraine\"",
                "phrases = [\"Ukraine\"]",
                "t.toml: [gates.story] a gate holds only label, description, topic and \
                 topic_patterns",
            ),
            (
                "topic = [\"Kyiv\"]\ntopic_patterns = ['\\bukrain\\w*']",
                "",
                "t.toml: [gates.story] has no topic or topic_patterns",
            ),
            (
                "topic = [\"Kyiv\"]",
                "topic = [\"Kyiv\", \"\"]",
                "t.toml: [gates.story] topic[1] is empty",
            ),
            (
                "[gates.story]",
                "[gates.Story]",
                "t.toml: [gates.Story] gate names use only a-z, 0-9 and -",
            ),
        ] {
            assert!(GATED.contains(from), "{from}");
            let text = GATED.replace(from, to);
            let err = Taxonomy::from_toml(&text, "t.toml").unwrap_err();
            assert_eq!(err.to_string(), expected);
        }
        let text = GATED.replace("'\\bukrain\\w*'", "'\\bukrain(\\w*'");
        let err = Taxonomy::from_toml(&text, "t.toml")
            .unwrap()
            .build()
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t.toml: [gates.story] topic_patterns[0] is not a valid regex"),
            "{err}"
        );
        let text = GATED.replace("'\\bukrain\\w*'", "'\\bUkrain\\w*'");
        let warnings = Taxonomy::from_toml(&text, "t.toml").unwrap().warnings();
        assert_eq!(
            warnings,
            [
                "t.toml: [gates.story] topic_patterns[0] never matches: 'U' is uppercase, and \
              patterns meet folded (lowercase) text"
            ]
        );
    }
}
