//! Training the learned scorer ([`crate::ModelFile`]) from labelled texts: per key, a
//! logistic regression over the text's features, fitted by deterministic stochastic
//! gradient descent; each key's threshold is chosen from out-of-fold scores so that the
//! tags the model adds to the rules' stay precise.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::fold::fold;
use crate::lexicon::{Lexicon, LexiconConfig};
use crate::model::{Features, KeyWeights, ModelFile, for_each_feature, scale, sigmoid};
use crate::sentence::paragraphs;
use crate::{Error, Result, Tagger, Tagging, Taxonomy};

/// One labelled text: a line of `EXAMPLES.jsonl` (`{"text": "...", "tags": ["kind/key"],
/// "published": "2026-01-03"}`; `published` is optional).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TrainingExample {
    /// The text.
    pub text: String,
    /// Its tags, `kind/key`; none for a text about something else.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Its publication date (resolves "on Tuesday" for the rules' meetings).
    #[serde(default, deserialize_with = "date_or_time")]
    pub published: Option<DateTime<Utc>>,
}

fn date_or_time<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Ok(Some(date.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    DateTime::parse_from_rfc3339(&text)
        .map(|d| Some(d.with_timezone(&Utc)))
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date")))
}

/// What training found, per key, for people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingReport {
    /// Per tag: examples with the tag, then out of fold, among the examples the rules did
    /// not tag, the model's right and wrong additions at the chosen threshold.
    pub keys: BTreeMap<String, (usize, usize, usize)>,
    /// Per tag with a verifier: its threshold, then out of fold the frames' wrong and
    /// right tags it drops.
    pub verify: BTreeMap<String, (f32, usize, usize)>,
    /// Per tag that the base tagger's frames proposed: how many of those tags were right,
    /// and how many wrong (what the verifier learns from).
    pub framed: BTreeMap<String, (usize, usize)>,
}

/// Fitting settings (the defaults are the shipped model's).
const EPOCHS: usize = 30;
const RATE: f32 = 0.2;
const L2: f32 = 1e-4;
const FOLDS: usize = 4;
/// A feature must occur in this many examples to be learned.
const MIN_EXAMPLES: usize = 2;
/// How each key's threshold is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainingOptions {
    /// Out of fold, the tags the model adds to the rules' must be at least this precise.
    pub target_precision: f64,
    /// And the threshold at least this probability.
    pub min_threshold: f32,
    /// Character n-grams of this length as features too (0: none; see
    /// [`crate::ModelFile::ngrams`]).
    pub ngrams: usize,
}

impl Default for TrainingOptions {
    /// The shipped model's settings.
    fn default() -> TrainingOptions {
        TrainingOptions {
            target_precision: 0.9,
            min_threshold: 0.5,
            ngrams: 0,
        }
    }
}
/// At most this many features per key are kept (the heaviest).
const MAX_FEATURES: usize = 3000;

/// Trains a model for every key of `taxonomy` from `examples` with `lexicon`;
/// `trained_on` is recorded in the file. The model adds to the taxonomy's rules.
pub fn train_model(
    taxonomy: &Taxonomy,
    lexicon: &LexiconConfig,
    examples: &[TrainingExample],
    trained_on: &str,
    options: TrainingOptions,
) -> Result<(ModelFile, TrainingReport)> {
    let rules = taxonomy.without_model().build()?;
    train_model_over(taxonomy, lexicon, examples, trained_on, options, &rules)
}

/// [`train_model`] over another tagger's tags, `base` (the rules with concept frames): each
/// key's threshold is chosen on the examples `base` did not tag with it, the frames that
/// fired in an example are its features (`fr:frame`), and a key whose frames' tags were
/// wrong out of fold gets a verifier threshold ([`crate::KeyWeights::verify`]). `base`
/// must carry no model.
pub fn train_model_over(
    taxonomy: &Taxonomy,
    lexicon: &LexiconConfig,
    examples: &[TrainingExample],
    trained_on: &str,
    options: TrainingOptions,
    base: &Tagger,
) -> Result<(ModelFile, TrainingReport)> {
    let tags = taxonomy.tags();
    for (i, example) in examples.iter().enumerate() {
        if let Some(tag) = example.tags.iter().find(|t| !tags.contains(t)) {
            return Err(Error::Config {
                path: trained_on.to_string(),
                message: format!("example {}: tag {tag} is not in the taxonomy", i + 1),
            });
        }
    }
    let compiled = Lexicon::new(lexicon).map_err(|message| Error::Config {
        path: trained_on.to_string(),
        message,
    })?;
    let based: Vec<Tagging> = examples
        .iter()
        .map(|e| base.tag_with(&e.text, e.published))
        .collect();
    let features = Features {
        lexicon: &compiled,
        ngrams: options.ngrams,
    };
    let (docs, names) = featurize(features, examples, &based);
    let mut model = ModelFile {
        format: 1,
        trained_on: trained_on.to_string(),
        lexicon: lexicon.clone(),
        keys: Vec::new(),
        ngrams: options.ngrams,
    };
    let mut report = TrainingReport::default();
    let tagged = |i: usize, tag: &str| based[i].mentions.iter().any(|m| m.tag == tag);
    let framed = |i: usize, tag: &str| based[i].frames.iter().any(|f| f.tag == tag);
    for tag in &tags {
        let labels: Vec<bool> = examples.iter().map(|e| e.tags.contains(tag)).collect();
        let (bias, weights, out_of_fold) = folds(&docs, &labels, names.len());
        let missed: Vec<(f32, bool)> = (0..docs.len())
            .filter(|&i| !tagged(i, tag))
            .map(|i| (out_of_fold[i], labels[i]))
            .collect();
        let (threshold, right, wrong) = threshold(missed, options);
        let positives = labels.iter().filter(|l| **l).count();
        report.keys.insert(tag.clone(), (positives, right, wrong));
        let proposed: Vec<(f32, bool)> = (0..docs.len())
            .filter(|&i| framed(i, tag))
            .map(|i| (out_of_fold[i], labels[i]))
            .collect();
        let right_framed = proposed.iter().filter(|p| p.1).count();
        if !proposed.is_empty() {
            report
                .framed
                .insert(tag.clone(), (right_framed, proposed.len() - right_framed));
        }
        let verify = verify_threshold(proposed);
        if let Some(v) = verify {
            report.verify.insert(tag.clone(), v);
        }
        let mut kept: Vec<(usize, f32)> = weights
            .into_iter()
            .enumerate()
            .filter(|(_, w)| w.abs() >= 1e-3)
            .collect();
        kept.sort_by(|a, b| {
            b.1.abs()
                .partial_cmp(&a.1.abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        kept.truncate(MAX_FEATURES);
        model.keys.push(KeyWeights {
            tag: tag.clone(),
            bias: round(bias),
            threshold: round(threshold),
            verify: verify.map(|(t, _, _)| round(t)),
            weights: kept
                .into_iter()
                .map(|(f, w)| (names[f].clone(), round(w)))
                .collect(),
        });
    }
    Ok((model, report))
}

/// Four decimals keep the file small and diffable.
fn round(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

/// Each example's distinct features (ids), and the feature names, keeping features seen
/// in at least [`MIN_EXAMPLES`] examples.
fn featurize(
    features: Features,
    examples: &[TrainingExample],
    based: &[Tagging],
) -> (Vec<Doc>, Vec<String>) {
    let mut buffer = String::new();
    let mut scales = Vec::new();
    let per_example: Vec<Vec<String>> = examples
        .iter()
        .zip(based)
        .map(|(e, based)| {
            // The frames that fired, as the tagger passes them to the model.
            let mut names: Vec<String> = based
                .frames
                .iter()
                .map(|f| format!("fr:{}", f.frame))
                .collect();
            let mut words = 0;
            for range in paragraphs(&e.text).into_iter().flatten() {
                let folded = fold(&e.text[range]);
                for_each_feature(features, &folded.text, &mut buffer, |n, _| {
                    words += usize::from(n.starts_with("w:"));
                    names.push(n.to_string())
                });
            }
            scales.push(scale(words));
            names.sort();
            names.dedup();
            names
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for names in &per_example {
        for n in names {
            *counts.entry(n).or_default() += 1;
        }
    }
    let mut kept: Vec<&str> = counts
        .into_iter()
        .filter(|(_, c)| *c >= MIN_EXAMPLES)
        .map(|(n, _)| n)
        .collect();
    kept.sort_unstable();
    let ids: HashMap<&str, u32> = kept
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i as u32))
        .collect();
    let docs = per_example
        .iter()
        .zip(scales)
        .map(|(names, scale)| Doc {
            features: names
                .iter()
                .filter_map(|n| ids.get(n.as_str()).copied())
                .collect(),
            scale,
        })
        .collect();
    (docs, kept.into_iter().map(str::to_string).collect())
}

/// An example's known features, and the value each takes (see [`scale`]).
struct Doc {
    features: Vec<u32>,
    scale: f32,
}

impl Doc {
    fn score(&self, bias: f32, weights: &[f32]) -> f32 {
        bias + self.scale
            * self
                .features
                .iter()
                .map(|&f| weights[f as usize])
                .sum::<f32>()
    }
}

/// Logistic regression on binary features by SGD in a fixed pseudo-random order, the
/// positive class weighted up to balance it.
fn fit(docs: &[Doc], labels: &[bool], subset: &[usize], features: usize) -> (f32, Vec<f32>) {
    let mut weights = vec![0.0f32; features];
    let mut bias = 0.0f32;
    let positives = subset.iter().filter(|&&i| labels[i]).count();
    if positives == 0 {
        return (-10.0, weights);
    }
    let negatives = subset.len() - positives;
    let positive_weight = (negatives as f32 / positives as f32).clamp(1.0, 10.0);
    let mut order = subset.to_vec();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for epoch in 0..EPOCHS {
        // Fisher-Yates with a fixed linear congruential generator: reproducible.
        for i in (1..order.len()).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let rate = RATE / (1.0 + epoch as f32 * 0.2);
        for &i in &order {
            let doc = &docs[i];
            let z = doc.score(bias, &weights);
            let (target, weight) = if labels[i] {
                (1.0, positive_weight)
            } else {
                (0.0, 1.0)
            };
            let gradient = (sigmoid(z) - target) * weight;
            bias -= rate * gradient;
            for &f in &doc.features {
                let w = &mut weights[f as usize];
                *w -= rate * (gradient * doc.scale + L2 * *w);
            }
        }
    }
    (bias, weights)
}

/// One model per fold, fitted without it: their average is the key's model (so that its
/// scores on new text are like the folds' scores on their held-out examples, on which the
/// threshold is chosen), and each example's out-of-fold score.
fn folds(docs: &[Doc], labels: &[bool], features: usize) -> (f32, Vec<f32>, Vec<f32>) {
    let mut scores = vec![0.0; docs.len()];
    let mut mean_bias = 0.0;
    let mut mean = vec![0.0f32; features];
    for fold in 0..FOLDS {
        let train: Vec<usize> = (0..docs.len()).filter(|i| i % FOLDS != fold).collect();
        let (bias, weights) = fit(docs, labels, &train, features);
        for i in (0..docs.len()).filter(|i| i % FOLDS == fold) {
            scores[i] = sigmoid(docs[i].score(bias, &weights));
        }
        mean_bias += bias / FOLDS as f32;
        for (m, w) in mean.iter_mut().zip(weights) {
            *m += w / FOLDS as f32;
        }
    }
    (mean_bias, mean, scores)
}

/// The verifier's threshold for a key from the out-of-fold scores of its frames' tags
/// (right or wrong): the cut below which dropping them removes the most wrong tags net of
/// right ones, with the wrong and right tags it drops; none when no cut removes more
/// wrong than right.
fn verify_threshold(mut proposed: Vec<(f32, bool)>) -> Option<(f32, usize, usize)> {
    proposed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let (mut wrong, mut right) = (0usize, 0usize);
    let mut best: Option<(f32, usize, usize)> = None;
    for (i, &(score, label)) in proposed.iter().enumerate() {
        if label {
            right += 1;
        } else {
            wrong += 1;
        }
        // Cut between this score and the next (ties are dropped or kept together).
        let next = proposed.get(i + 1).map(|p| p.0);
        if next == Some(score) {
            continue;
        }
        let gain = wrong as i64 - right as i64;
        if gain > 0 && best.is_none_or(|(_, w, r)| gain > w as i64 - r as i64) {
            let cut = next.map_or(1.01, |n| (score + n) / 2.0);
            best = Some((cut, wrong, right));
        }
    }
    best
}

/// The lowest threshold at which the additions, best first, stay as precise as the
/// options ask; with the right and wrong additions there. Above 1 (never) when none is.
fn threshold(mut scored: Vec<(f32, bool)>, options: TrainingOptions) -> (f32, usize, usize) {
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let (mut right, mut wrong) = (0, 0);
    let mut best = (1.01f32, 0, 0);
    for (score, label) in scored {
        if score < options.min_threshold {
            break;
        }
        if label {
            right += 1;
        } else {
            wrong += 1;
        }
        if right as f64 / (right + wrong) as f64 >= options.target_precision && label {
            best = (score, right, wrong);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_keeps_additions_precise() {
        let scored = vec![
            (0.99, true),
            (0.95, true),
            (0.9, false),
            (0.8, true),
            (0.7, false),
            (0.6, false),
        ];
        // 0.99, 0.95: 2/2; 0.9: 2/3; 0.8: 3/4 (< 0.9): the threshold stays at 0.95.
        let options = TrainingOptions::default();
        assert_eq!(threshold(scored, options), (0.95, 2, 0));
        assert_eq!(threshold(vec![(0.9, false), (0.8, true)], options).0, 1.01);
        assert_eq!(
            threshold(vec![(0.4, true)], options).0,
            1.01,
            "never below the minimum"
        );
    }

    #[test]
    fn training_over_frames_learns_a_verifier_from_the_frames_wrong_tags() {
        let taxonomy = Taxonomy::from_toml(
            "[tier.us-backstop]\nlabel = \"x\"\nphrases = [\"Article 5-like\"]\ntopic = [\"Kyiv\", \"Ukraine\"]\n",
            "t.toml",
        )
        .unwrap();
        let frames = "[concepts]\nus = [\"washington\"]\nguarantee = [\"commitment\"]\n\n[[frame]]\ntag = \"tier/us-backstop\"\nname = \"us-guarantee\"\nall = [\"us\", \"guarantee\"]\n";
        let base = taxonomy
            .build()
            .unwrap()
            .with_frames(frames, "f.toml")
            .unwrap();
        let lexicon: LexiconConfig = toml::from_str("[concepts]\nus = [\"washington\"]\n").unwrap();
        // Frames tag every one of these; the annotators' label is wrong where the
        // commitment is to a port deal, which the model can learn from "harbour".
        let example = |i: usize, right: bool| TrainingExample {
            text: if right {
                format!(
                    "Kyiv waits, day {i}. Washington would back the peace deal with a commitment."
                )
            } else {
                format!("Kyiv waits, day {i}. Washington made a commitment on the harbour lease.")
            },
            tags: if right {
                vec!["tier/us-backstop".into()]
            } else {
                Vec::new()
            },
            published: None,
        };
        let examples: Vec<TrainingExample> = (0..24).map(|i| example(i, i % 3 != 0)).collect();
        let (model, report) = train_model_over(
            &taxonomy,
            &lexicon,
            &examples,
            "test",
            TrainingOptions::default(),
            &base,
        )
        .unwrap();
        assert_eq!(report.framed["tier/us-backstop"], (16, 8));
        let (threshold, wrong, right) = report.verify["tier/us-backstop"];
        assert!(wrong > right, "drops {wrong} wrong, {right} right");
        assert_eq!(model.keys[0].verify, Some(round(threshold)));
        assert!(model.keys[0].weights.contains_key("fr:us-guarantee"));
        // Over the rules alone there is no frame to verify.
        let (model, report) = train_model(
            &taxonomy,
            &lexicon,
            &examples,
            "test",
            TrainingOptions::default(),
        )
        .unwrap();
        assert!(report.verify.is_empty() && report.framed.is_empty());
        assert_eq!(model.keys[0].verify, None);
    }

    #[test]
    fn the_verifier_drops_more_wrong_frame_tags_than_right() {
        let proposed = vec![
            (0.1, false),
            (0.2, false),
            (0.3, true),
            (0.4, false),
            (0.8, true),
            (0.9, true),
        ];
        // Below 0.25: 2 wrong, 0 right; below 0.6: 3 wrong, 1 right (the same net 2, so
        // the first, lower cut stays).
        let (cut, wrong, right) = verify_threshold(proposed).unwrap();
        assert!((0.2..0.3).contains(&cut), "{cut}");
        assert_eq!((wrong, right), (2, 0));
        assert_eq!(verify_threshold(vec![(0.1, true), (0.2, false)]), None);
        assert_eq!(
            verify_threshold(vec![(0.5, false), (0.5, true), (0.7, false)]),
            Some((1.01, 2, 1)),
            "ties go together"
        );
        assert_eq!(verify_threshold(Vec::new()), None);
    }
}
