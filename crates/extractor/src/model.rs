//! The learned scorer: per key, a linear model over the words, word stems, word pairs,
//! lexicon concepts and concept frames of a text, trained by `newsmon train` (see
//! [`crate::train_model`]) and kept as data (`config/taxonomy.model.json`). It tags a key
//! the rules missed when its score passes the key's threshold; the evidence is the
//! sentence whose features weigh most for the key. Trained over concept frames, it also
//! verifies the frames' tags: a key with a `verify` threshold keeps a frame's tag only when
//! its score reaches it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fold::Folded;
use crate::lexicon::{Lexicon, LexiconConfig};
use crate::{Error, Mention, Result};

/// The model file's format version.
const FORMAT: u32 = 1;
/// How many features an explanation lists.
const EXPLAIN_FEATURES: usize = 6;

/// A trained model as stored: the lexicon it was trained with, and per key its weights.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Format version (1).
    pub format: u32,
    /// How the model was made (command, data), for people.
    #[serde(default)]
    pub trained_on: String,
    /// The concept lexicon that the `c:` and `f:` features refer to.
    pub lexicon: LexiconConfig,
    /// One linear model per taxonomy key.
    pub keys: Vec<KeyWeights>,
    /// Character n-grams of each word (`g:` features, the word padded with a space each
    /// side) of this length; 0 (the default): none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ngrams: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One key's linear model: `sigmoid(bias + (sum of the weights of the text's features) /
/// sqrt(its word count))` tags the key at `threshold` or above.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyWeights {
    /// The tag, `kind/key`.
    pub tag: String,
    /// The intercept.
    pub bias: f32,
    /// The probability at or above which the key is tagged.
    pub threshold: f32,
    /// Feature → weight. Features: `w:word`, `p:stem` (first five letters of a longer
    /// word), `b:word word`, `c:concept`, `f:concept+concept` (both in one sentence),
    /// `fr:frame` (a concept frame fired in the text; only in models trained over frames).
    pub weights: BTreeMap<String, f32>,
    /// The verifier: a concept frame's tag for this key is kept only when the key's
    /// probability reaches it (absent: frames' tags are kept as they are). Set by
    /// training over frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<f32>,
}

/// Why the model tagged a key: its score against the threshold and the features that
/// weighed most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelDecision {
    /// The tag decided.
    pub tag: String,
    /// The probability the model gives the key.
    pub score: f32,
    /// The key's threshold.
    pub threshold: f32,
    /// The heaviest features present in the text, with their weights.
    pub features: Vec<(String, f32)>,
    /// True when a concept frame proposed the tag and the model verified it: `threshold`
    /// is then the key's verifier threshold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verified: bool,
}

/// A compiled model.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    lexicon: Lexicon,
    /// Feature name → id.
    vocabulary: HashMap<String, u32>,
    names: Vec<String>,
    /// Per feature id, the keys it weighs for.
    weights: Vec<Vec<(u16, f32)>>,
    keys: Vec<KeyModel>,
    /// See [`ModelFile::ngrams`].
    ngrams: usize,
}

#[derive(Debug, Clone)]
struct KeyModel {
    tag: String,
    bias: f32,
    threshold: f32,
    verify: Option<f32>,
}

/// A model's candidate mention, before the tagger's topic gate.
pub(crate) struct Candidate {
    pub(crate) mention: Mention,
    pub(crate) sentence: usize,
    pub(crate) decision: ModelDecision,
}

/// A text's features and every key's probability (see [`Model::score`]).
pub(crate) struct Scored {
    occurrences: Vec<Occurrence>,
    present: Vec<bool>,
    scores: Vec<f32>,
}

/// One occurrence of a feature: its id, sentence (`usize::MAX` for the text's frames) and
/// range in the folded sentence.
struct Occurrence {
    feature: u32,
    sentence: usize,
    range: Range<usize>,
}

impl ModelFile {
    /// Reads a model file.
    pub fn load(path: &Path) -> Result<ModelFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.display().to_string(),
            message: format!("cannot read model: {e}"),
        })?;
        ModelFile::from_json(&text, &path.display().to_string())
    }

    /// Parses a model; `path` names it in errors.
    pub fn from_json(text: &str, path: &str) -> Result<ModelFile> {
        let file: ModelFile = serde_json::from_str(text).map_err(|e| Error::Config {
            path: path.to_string(),
            message: format!("not a model file: {e}"),
        })?;
        if file.format != FORMAT {
            return Err(Error::Config {
                path: path.to_string(),
                message: format!("model format {} (this newsmon reads {FORMAT})", file.format),
            });
        }
        Ok(file)
    }

    /// The model as JSON (what `newsmon train` writes).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A key's weights with each feature folded as today's text is: a model trained when
/// folding kept "ß" or "œ" names words as they were folded then ("w:weiß"), and folded
/// again they meet today's text. Features that become one ("w:weiß", "w:weiss") stood for
/// one word written two ways: they get the mean of their weights, not the sum.
fn refolded(weights: &BTreeMap<String, f32>) -> Vec<(String, f32)> {
    let mut merged: BTreeMap<String, (f32, f32)> = BTreeMap::new();
    for (feature, &weight) in weights {
        let mut feature = crate::fold::fold_pattern(feature);
        // A stem is a word's first five letters: "p:weiße" folds to "p:weisse", whose
        // stem today is "p:weiss".
        if let Some(stem) = feature.strip_prefix("p:")
            && let Some((cut, _)) = stem.char_indices().nth(5)
        {
            feature.truncate("p:".len() + cut);
        }
        let entry = merged.entry(feature).or_insert((0.0, 0.0));
        entry.0 += weight;
        entry.1 += 1.0;
    }
    merged
        .into_iter()
        .map(|(feature, (sum, n))| (feature, sum / n))
        .collect()
}

impl Model {
    /// Compiles a model file; every tag must be one of `tags`.
    pub(crate) fn new(file: &ModelFile, tags: &[String], path: &str) -> Result<Model> {
        let error = |message: String| Error::Config {
            path: path.to_string(),
            message,
        };
        let lexicon = Lexicon::new(&file.lexicon).map_err(error)?;
        let mut vocabulary = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut weights: Vec<Vec<(u16, f32)>> = Vec::new();
        let mut keys = Vec::new();
        for (k, key) in file.keys.iter().enumerate() {
            if !tags.contains(&key.tag) {
                return Err(error(format!(
                    "model key {} is not in the taxonomy",
                    key.tag
                )));
            }
            let k = u16::try_from(k).map_err(|_| error("too many keys".into()))?;
            for (feature, weight) in refolded(&key.weights) {
                let id = *vocabulary.entry(feature.clone()).or_insert_with(|| {
                    names.push(feature.clone());
                    weights.push(Vec::new());
                    (names.len() - 1) as u32
                });
                weights[id as usize].push((k, weight));
            }
            keys.push(KeyModel {
                tag: key.tag.clone(),
                bias: key.bias,
                threshold: key.threshold,
                verify: key.verify,
            });
        }
        Ok(Model {
            lexicon,
            vocabulary,
            names,
            weights,
            keys,
            ngrams: file.ngrams,
        })
    }

    /// Every key's probability for a text in which the concept frames `fired`.
    pub(crate) fn score(&self, sentences: &[(Range<usize>, &Folded)], fired: &[&str]) -> Scored {
        let (mut occurrences, words) = self.occurrences(sentences);
        // Frames are a feature of the text, not of a sentence: they count once, and are
        // never evidence (their range is empty).
        let mut buffer = String::new();
        for frame in fired {
            buffer.clear();
            buffer.push_str("fr:");
            buffer.push_str(frame);
            if let Some(&feature) = self.vocabulary.get(buffer.as_str()) {
                occurrences.push(Occurrence {
                    feature,
                    sentence: usize::MAX,
                    range: 0..0,
                });
            }
        }
        let mut present = vec![false; self.names.len()];
        let mut sums = vec![0.0f32; self.keys.len()];
        for o in &occurrences {
            if !std::mem::replace(&mut present[o.feature as usize], true) {
                for &(k, w) in &self.weights[o.feature as usize] {
                    sums[k as usize] += w;
                }
            }
        }
        let scale = scale(words);
        let scores = self
            .keys
            .iter()
            .zip(sums)
            .map(|(key, sum)| sigmoid(key.bias + scale * sum))
            .collect();
        Scored {
            occurrences,
            present,
            scores,
        }
    }

    /// The verifier's decision on a frame's tag: `None` when the key has no verifier (the
    /// frame's tag stands), else whether the score reaches it, and why.
    pub(crate) fn verify(&self, scored: &Scored, tag: &str) -> Option<(bool, ModelDecision)> {
        let k = self.keys.iter().position(|key| key.tag == tag)?;
        let threshold = self.keys[k].verify?;
        let score = scored.scores[k];
        Some((
            score >= threshold,
            ModelDecision {
                tag: tag.to_string(),
                score,
                threshold,
                features: self.explain(k, &scored.present),
                verified: true,
            },
        ))
    }

    /// Mentions of the keys not in `found` whose score passes their threshold.
    pub(crate) fn candidates(
        &self,
        text: &str,
        sentences: &[(Range<usize>, &Folded)],
        scored: &Scored,
        found: &[&str],
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        for (k, key) in self.keys.iter().enumerate() {
            let score = scored.scores[k];
            if score < key.threshold || found.contains(&key.tag.as_str()) {
                continue;
            }
            if let Some(candidate) = self.candidate(k, score, text, sentences, scored) {
                out.push(candidate);
            }
        }
        out
    }

    /// The features present that weigh most for a key, heaviest first.
    fn explain(&self, key: usize, present: &[bool]) -> Vec<(String, f32)> {
        let mut features: Vec<(String, f32)> = present
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .map(|(id, _)| (self.names[id].clone(), self.weight(id as u32, key)))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        features.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        features.truncate(EXPLAIN_FEATURES);
        features
    }

    fn weight(&self, feature: u32, key: usize) -> f32 {
        self.weights[feature as usize]
            .iter()
            .find(|(k, _)| *k as usize == key)
            .map_or(0.0, |(_, w)| *w)
    }

    /// The evidence: the sentence whose features weigh most for the key, and in it the
    /// heaviest feature's words.
    fn candidate(
        &self,
        key: usize,
        score: f32,
        text: &str,
        sentences: &[(Range<usize>, &Folded)],
        scored: &Scored,
    ) -> Option<Candidate> {
        let mut by_sentence = vec![0.0f32; sentences.len()];
        let mut best: Vec<Option<(f32, &Occurrence)>> = vec![None; sentences.len()];
        // Occurrences come in sentence order: a feature counts once per sentence.
        let mut last_sentence = vec![usize::MAX; self.names.len()];
        for o in scored
            .occurrences
            .iter()
            .filter(|o| o.sentence < sentences.len())
        {
            let w = self.weight(o.feature, key);
            if w <= 0.0
                || std::mem::replace(&mut last_sentence[o.feature as usize], o.sentence)
                    == o.sentence
            {
                continue;
            }
            by_sentence[o.sentence] += w;
            if best[o.sentence].is_none_or(|(bw, _)| w > bw) {
                best[o.sentence] = Some((w, o));
            }
        }
        let sentence = (0..sentences.len()).max_by(|&a, &b| {
            by_sentence[a]
                .partial_cmp(&by_sentence[b])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.cmp(&a))
        })?;
        let (_, heaviest) = best[sentence]?;
        let (range, folded) = &sentences[sentence];
        let original = &text[range.clone()];
        let (from, to) = folded.original_range(original, heaviest.range.start, heaviest.range.end);
        let (start, end) = (range.start + from, range.start + to);
        let features = self.explain(key, &scored.present);
        Some(Candidate {
            mention: Mention {
                tag: self.keys[key].tag.clone(),
                evidence: original.to_string(),
                matched: text.get(start..end).unwrap_or_default().to_string(),
                start,
                end,
                count: 1,
                amounts: Vec::new(),
            },
            sentence,
            decision: ModelDecision {
                tag: self.keys[key].tag.clone(),
                score,
                threshold: self.keys[key].threshold,
                features,
                verified: false,
            },
        })
    }

    /// Every known feature of every sentence, and the text's word count.
    fn occurrences(&self, sentences: &[(Range<usize>, &Folded)]) -> (Vec<Occurrence>, usize) {
        let mut out = Vec::new();
        let mut words = 0;
        let mut buffer = String::new();
        for (i, (_, folded)) in sentences.iter().enumerate() {
            let features = Features {
                lexicon: &self.lexicon,
                ngrams: self.ngrams,
            };
            for_each_feature(features, &folded.text, &mut buffer, |name, range| {
                words += usize::from(name.starts_with("w:"));
                if let Some(&feature) = self.vocabulary.get(name) {
                    out.push(Occurrence {
                        feature,
                        sentence: i,
                        range,
                    });
                }
            });
        }
        (out, words)
    }
}

/// The value of each feature of a text of `words` words: long texts hold more features,
/// so that each counts for less (the binary vector has about unit length).
pub(crate) fn scale(words: usize) -> f32 {
    1.0 / (words.max(1) as f32).sqrt()
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// What a model's features are made of: its lexicon, and its n-gram length.
#[derive(Clone, Copy)]
pub(crate) struct Features<'a> {
    pub(crate) lexicon: &'a Lexicon,
    pub(crate) ngrams: usize,
}

/// Calls `f` with every feature of a folded sentence and its range (features repeat).
pub(crate) fn for_each_feature(
    features: Features,
    folded: &str,
    buffer: &mut String,
    mut f: impl FnMut(&str, Range<usize>),
) {
    let lexicon = features.lexicon;
    let words = words(folded);
    let mut previous: Option<Range<usize>> = None;
    for range in &words {
        let word = &folded[range.clone()];
        buffer.clear();
        buffer.push_str("w:");
        buffer.push_str(word);
        f(buffer, range.clone());
        if let Some((cut, _)) = word.char_indices().nth(5) {
            buffer.clear();
            buffer.push_str("p:");
            buffer.push_str(&word[..cut]);
            f(buffer, range.clone());
        }
        if let Some(previous) = previous {
            buffer.clear();
            buffer.push_str("b:");
            buffer.push_str(&folded[previous.clone()]);
            buffer.push(' ');
            buffer.push_str(word);
            f(buffer, previous.start..range.end);
        }
        previous = Some(range.clone());
        if features.ngrams > 0 {
            ngrams(word, features.ngrams, buffer, |g| f(g, range.clone()));
        }
    }
    let concepts = lexicon.find(folded);
    for (concept, range) in &concepts {
        buffer.clear();
        buffer.push_str("c:");
        buffer.push_str(lexicon.name(*concept));
        f(buffer, range.clone());
    }
    for (i, (a, ra)) in concepts.iter().enumerate() {
        for (b, rb) in &concepts[i + 1..] {
            buffer.clear();
            buffer.push_str("f:");
            buffer.push_str(lexicon.name(*a));
            buffer.push('+');
            buffer.push_str(lexicon.name(*b));
            f(buffer, ra.start.min(rb.start)..ra.end.max(rb.end));
        }
    }
}

/// Calls `f` with each `g:` n-gram of ` word ` (the padding marks its start and end; a
/// shorter word gives itself, padded).
fn ngrams(word: &str, n: usize, buffer: &mut String, mut f: impl FnMut(&str)) {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(word.chars())
        .chain(std::iter::once(' '))
        .collect();
    for gram in chars.windows(n.min(chars.len())) {
        buffer.clear();
        buffer.push_str("g:");
        buffer.extend(gram);
        f(buffer);
    }
}

/// The words of a folded text (runs of letters and digits, two characters or more).
fn words(folded: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(&mut out, folded, s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_word(&mut out, folded, s..folded.len());
    }
    out
}

fn push_word(out: &mut Vec<Range<usize>>, folded: &str, range: Range<usize>) {
    if folded[range.clone()].chars().nth(1).is_some() {
        out.push(range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_features_are_folded_as_today_s_text() {
        let weights: BTreeMap<String, f32> = [
            ("w:weiß", 1.0),
            ("w:weiss", 3.0),
            ("p:weiße", 0.5),
            ("w:generał", 0.25),
        ]
        .into_iter()
        .map(|(f, w)| (f.to_string(), w))
        .collect();
        assert_eq!(
            refolded(&weights),
            [
                ("p:weiss".to_string(), 0.5),
                ("w:generał".to_string(), 0.25),
                ("w:weiss".to_string(), 2.0),
            ]
        );
    }

    #[test]
    fn features_cover_words_stems_pairs_and_frames() {
        let config: LexiconConfig =
            toml::from_str("[concepts]\nus = [\"american\"]\nguarantee = [\"guarant\"]\n").unwrap();
        let lexicon = Lexicon::new(&config).unwrap();
        let mut names = Vec::new();
        let features = Features {
            lexicon: &lexicon,
            ngrams: 4,
        };
        for_each_feature(
            features,
            "a american guarantee",
            &mut String::new(),
            |n, _| names.push(n.to_string()),
        );
        for expected in [
            "w:guarantee",
            "p:guara",
            "b:american guarantee",
            "c:us",
            "c:guarantee",
            "f:guarantee+us",
            "g: ame",
            "g:ican",
            "g:can ",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(
            !names.iter().any(|n| n == "w:a"),
            "one-letter words are no features"
        );
    }
}
