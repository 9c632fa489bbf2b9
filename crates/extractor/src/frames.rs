//! Concept frames: a key found by what a sentence says, not by a listed phrasing.
//!
//! A frame is a conjunction of concepts that must co-occur in one sentence ("a U.S.
//! actor" × "a guarantee word" × "Ukraine or the deal"), optionally with concepts that
//! may sit anywhere in the sentence's paragraph (the place of a meeting), and guards
//! that veto it (a Brexit "backstop", a NATO summit in Washington). Concepts are word
//! lists in every language, matched as stems over folded text (see [`crate::lexicon`]),
//! and shared by all frames. Everything is data (`config/frames.toml`):
//!
//! ```toml
//! [concepts]
//! us = ["u.s.", "usa$", "american", "washington"]   # stems; "$": the whole word
//! guarantee = ["guarant", "gwarancj", "гаранті"]
//!
//! [[frame]]
//! tag = "tier/us-backstop"
//! name = "us-guarantee"
//! all = ["us", "guarantee|backstop"]    # each item in the sentence; "a|b": either
//! paragraph = ["ukraine"]               # each item somewhere in the paragraph
//! text = ["paris"]                      # each item somewhere in the text
//! not = ["brexit"]                      # none of these in the sentence
//! unless = ["nato_summit_2024"]         # none of these anywhere in the text
//! ```
//!
//! **Days** name an event by its date rather than its words: `[days] summit_day =
//! "2026-01-06"` (or `"2026-01-06..2026-01-07"`) is an item like a concept, present in a
//! sentence when a date the date recogniser resolved there ("on Tuesday", "yesterday",
//! "6 January") falls within those days, in any language. `published = ["summit_day"]`
//! asks that the article itself be published on one of those days (a live blog's
//! present tense: "the leaders meet at the Élysée").
//!
//! **Story context**: `story = N` lets a frame fire only in an article where at least `N`
//! other keys were already found (by the rules or by frames without `story`), so weak
//! passing mentions ("the summit", "the plant") resolve to the story's key in coverage
//! of the story and stay silent in a decoy that shares the words; `story_of =
//! ["funding"]` counts only keys of those kinds (or tags), so a passing "loan" resolves
//! to the story's money only where the story's funding is already found.
//!
//! **Rivals**: `rivals = ["other_countries"]` silences every frame in an article that
//! names those items in more sentences than the story's subject (the gate's
//! `stands_for`): a piece about Taiwan's guarantees that mentions Ukraine once.
//!
//! **Looking back**: `recalls = ["story_month"]` beside `published` lets an article
//! published after those days meet the frame when it names them ("in January"); a
//! year-less date the recogniser resolved after the `period` is read a year back ("5
//! stycznia" in a December review); a date-only sentence ("5 January.") dates the rest of
//! its paragraph (the tagger lends it).
//!
//! **Story gate**: `[gate] any = [...]`, `min = N`, `stands_for = "ukraine"`: a text that
//! fails a key's topic gate still opens to the frames when N distinct items of `any` occur
//! in it, and the open gate counts as the `stands_for` concept in every paragraph; the
//! decision keeps the words that opened it.
//!
//! The tagger runs frames only for keys its rules did not find, within each key's topic
//! gate (or the story gate); every frame hit keeps its sentence, offsets and which concept
//! matched which word.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fold::Folded;
use crate::lexicon::{Lexicon, LexiconConfig};
use crate::{Error, Result};

/// The frames file as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FramesConfig {
    /// The story's period, `YYYY-MM-DD..YYYY-MM-DD`: no frame fires in an article
    /// published outside it (the other years' summits, funds and guarantees that share
    /// the words); an article without a date counts as inside.
    #[serde(default)]
    pub period: Option<String>,
    /// Concept name → entries (stems, or whole words ending in `$`).
    #[serde(default)]
    pub concepts: BTreeMap<String, Vec<String>>,
    /// Day name → `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`: items met by a resolved date.
    #[serde(default)]
    pub days: BTreeMap<String, String>,
    /// The story's own words, which let frames run in a text that never passes a key's
    /// topic gate (a live blog from the Élysée, a Kremlin reaction, a Ukrainian text
    /// that says "our army" rather than "Ukraine").
    #[serde(default)]
    pub gate: Option<GateConfig>,
    /// Other subjects that silence every frame when they occur in more sentences than the
    /// story's own (the `[gate]`'s `stands_for` concept): an article mostly about Taiwan's
    /// or Israel's guarantees, or Moldova's accession, that names Ukraine in passing.
    #[serde(default)]
    pub rivals: Vec<String>,
    /// The frames, in any order.
    #[serde(default, rename = "frame")]
    pub frames: Vec<FrameConfig>,
}

/// The story gate as written: a text off a key's topic still counts as on it for the
/// frames when at least `min` distinct items of `any` occur somewhere in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    /// Items (concepts or days; `a|b` is either) that speak of the story.
    pub any: Vec<String>,
    /// How many distinct items must occur.
    pub min: usize,
    /// A concept the open gate stands for in every paragraph (the topic's own concept,
    /// "ukraine"), so frames that ask for it in the paragraph or text can fire.
    #[serde(default)]
    pub stands_for: Option<String>,
}

/// One frame as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameConfig {
    /// The tag the frame finds, `kind/key`.
    pub tag: String,
    /// A name for explanations; the frame's position when absent.
    #[serde(default)]
    pub name: String,
    /// Items that must all occur in one sentence; an item `a|b` is either concept.
    pub all: Vec<String>,
    /// Items that must all occur in that sentence's paragraph.
    #[serde(default)]
    pub paragraph: Vec<String>,
    /// Items that must all occur somewhere in the text.
    #[serde(default)]
    pub text: Vec<String>,
    /// Items that veto the frame in the sentence.
    #[serde(default)]
    pub not: Vec<String>,
    /// Items that veto the frame anywhere in the text.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Days (of `[days]`) of which the article's publication date must fall on one.
    #[serde(default)]
    pub published: Vec<String>,
    /// Items that stand for `published` in an article published after those days: the
    /// text looks back at them ("in January", "last winter in Paris"), so a retrospective
    /// meets the frame that live coverage meets by its date.
    #[serde(default)]
    pub recalls: Vec<String>,
    /// How many other keys the article must already have (found by the rules or by
    /// frames without `story`) before this frame may fire.
    #[serde(default)]
    pub story: usize,
    /// Which keys count towards `story`: kinds (`"funding"`) or whole tags; empty, any
    /// key. A passing "EU loan" is the story's public money only where the article already
    /// speaks of the story's funding, not because it also names the plant or a meeting.
    #[serde(default)]
    pub story_of: Vec<String>,
}

/// Why a frame tagged a key: the frame and the words that met each concept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameDecision {
    /// The tag decided.
    pub tag: String,
    /// The frame's name.
    pub frame: String,
    /// Each concept of the frame and the words of the text that met it.
    pub concepts: Vec<(String, String)>,
    /// When the text was off the key's topic: the story gate's items that opened it,
    /// with their words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate: Vec<(String, String)>,
}

/// A compiled set of frames.
#[derive(Debug, Clone)]
pub(crate) struct Frames {
    lexicon: Lexicon,
    /// The days, indexed after the lexicon's concepts: their names and spans.
    days: Vec<(String, NaiveDate, NaiveDate)>,
    /// The story's period (see [`FramesConfig::period`]).
    period: Option<(NaiveDate, NaiveDate)>,
    /// The story gate: its items, how many must occur, and the concept it stands for.
    gate: Option<Gate>,
    /// Other subjects (see [`FramesConfig::rivals`]).
    rivals: Vec<Item>,
    frames: Vec<Frame>,
}

/// The compiled story gate (see [`GateConfig`]).
#[derive(Debug, Clone)]
struct Gate {
    any: Vec<Item>,
    min: usize,
    stands_for: Option<usize>,
}

/// An item: concepts of which any one will do.
type Item = Vec<usize>;

#[derive(Debug, Clone)]
struct Frame {
    tag: String,
    name: String,
    all: Vec<Item>,
    paragraph: Vec<Item>,
    text: Vec<Item>,
    not: Vec<Item>,
    unless: Vec<Item>,
    /// Indices into `Frames::days`.
    published: Vec<usize>,
    recalls: Vec<Item>,
    story: usize,
    story_of: Vec<String>,
}

impl Frame {
    /// Whether `key` counts towards the frame's story context (see
    /// [`FrameConfig::story_of`]): any other key when the list is empty, else a key of
    /// one of its kinds or one of its tags.
    fn counts_for_story(&self, key: &str) -> bool {
        key != self.tag
            && (self.story_of.is_empty()
                || self.story_of.iter().any(|of| {
                    key == of
                        || key
                            .strip_prefix(of.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                }))
    }
}

/// A sentence as the frames see it: its paragraph, folded text, and the dates resolved
/// in it (first and last day, byte range in the text).
pub(crate) struct FrameSentence<'a> {
    pub(crate) paragraph: usize,
    pub(crate) folded: &'a Folded,
    pub(crate) range: Range<usize>,
    pub(crate) dates: Vec<(NaiveDate, NaiveDate, Range<usize>)>,
}

/// What the frames know of the article beyond its sentences.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FrameArticle<'a> {
    /// Its publication date.
    pub(crate) published: Option<NaiveDate>,
    /// The keys already found by the rules.
    pub(crate) found: &'a [String],
    /// Keys whose topic gate the text did not pass: frames may still find them when the
    /// story gate opens.
    pub(crate) off_topic: &'a [String],
}

/// A frame's hit: the sentence, the byte range in the text, and the decision.
pub(crate) struct FrameHit {
    pub(crate) sentence: usize,
    pub(crate) range: Range<usize>,
    /// Sentences where a frame of this tag matched.
    pub(crate) sentences: Vec<usize>,
    pub(crate) decision: FrameDecision,
}

/// Where a concept first occurs in a sentence: folded offsets for a lexicon concept,
/// offsets of the original sentence for a day, or offsets in the text for a day the
/// sentence takes from a dateline before it ("5 January." heading a timeline entry).
#[derive(Debug, Clone)]
enum At {
    Folded(Range<usize>),
    Original(Range<usize>),
    Dateline(Range<usize>),
}

/// The concepts of one sentence: for each concept (then each day), where it occurs.
type Found = Vec<Option<At>>;

impl Frames {
    /// Compiles `config`; every frame's tag must be one of `tags`. `source` names the
    /// file in errors.
    pub(crate) fn new(config: &FramesConfig, tags: &[String], source: &str) -> Result<Frames> {
        let error = |message: String| Error::Config {
            path: source.to_string(),
            message,
        };
        let lexicon = Lexicon::new(&LexiconConfig {
            concepts: config.concepts.clone(),
        })
        .map_err(error)?;
        let days = config
            .days
            .iter()
            .map(|(name, span)| {
                parse_days(span)
                    .map(|(first, last)| (name.clone(), first, last))
                    .ok_or_else(|| {
                        error(format!(
                            "[days] {name}: `{span}` is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
                        ))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let period = match &config.period {
            None => None,
            Some(span) => Some(parse_days(span).ok_or_else(|| {
                error(format!(
                    "period: `{span}` is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
                ))
            })?),
        };
        let names: Vec<&String> = config
            .concepts
            .keys()
            .chain(days.iter().map(|(name, _, _)| name))
            .collect();
        let frames = config
            .frames
            .iter()
            .enumerate()
            .map(|(i, frame)| {
                let name = if frame.name.is_empty() {
                    format!("frame {i}")
                } else {
                    frame.name.clone()
                };
                if !tags.contains(&frame.tag) {
                    return Err(error(format!(
                        "[[frame]] {name}: tag {} is not in the taxonomy",
                        frame.tag
                    )));
                }
                if frame.all.is_empty() {
                    return Err(error(format!("[[frame]] {name}: `all` is empty")));
                }
                let items = |list: &[String]| {
                    parse_items(&names, list)
                        .map_err(|c| error(format!("[[frame]] {name}: unknown concept `{c}`")))
                };
                let published = frame
                    .published
                    .iter()
                    .map(|day| {
                        days.iter()
                            .position(|(n, _, _)| n == day.trim())
                            .ok_or_else(|| {
                                error(format!("[[frame]] {name}: unknown day `{}`", day.trim()))
                            })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Frame {
                    published,
                    recalls: items(&frame.recalls)?,
                    story: frame.story,
                    story_of: frame
                        .story_of
                        .iter()
                        .map(|k| k.trim().to_string())
                        .collect(),
                    tag: frame.tag.clone(),
                    all: items(&frame.all)?,
                    paragraph: items(&frame.paragraph)?,
                    text: items(&frame.text)?,
                    not: items(&frame.not)?,
                    unless: items(&frame.unless)?,
                    name,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let gate = match &config.gate {
            None => None,
            Some(gate) => {
                let unknown = |c: String| error(format!("[gate]: unknown concept `{c}`"));
                let stands_for = match &gate.stands_for {
                    None => None,
                    Some(c) => Some(
                        names
                            .iter()
                            .position(|n| *n == c.trim())
                            .ok_or_else(|| unknown(c.clone()))?,
                    ),
                };
                Some(Gate {
                    any: parse_items(&names, &gate.any).map_err(unknown)?,
                    min: gate.min,
                    stands_for,
                })
            }
        };
        let rivals = parse_items(&names, &config.rivals)
            .map_err(|c| error(format!("rivals: unknown concept `{c}`")))?;
        if !rivals.is_empty() && gate.as_ref().and_then(|g| g.stands_for).is_none() {
            return Err(error(
                "rivals: needs the story's subject, [gate] stands_for".to_string(),
            ));
        }
        Ok(Frames {
            lexicon,
            days,
            period,
            gate,
            rivals,
            frames,
        })
    }

    /// Parses and compiles frames TOML (see [`Frames::new`]).
    pub(crate) fn from_toml(text: &str, tags: &[String], source: &str) -> Result<Frames> {
        let config: FramesConfig = toml::from_str(text).map_err(|e| {
            // Placed by line and column: the file holds thousands of entries.
            let (line, column) = e.span().map_or((1, 1), |span| {
                crate::taxonomy::line_column(text, span.start)
            });
            Error::Config {
                path: format!("{source}:{line}:{column}"),
                message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
            }
        })?;
        Frames::new(&config, tags, source)
    }

    /// The first hit of each tag accepted by `wanted`, in frame order (frames with
    /// `story` after the others); `text` is the tagged text that the sentences' ranges
    /// index.
    pub(crate) fn find(
        &self,
        text: &str,
        sentences: &[FrameSentence],
        article: FrameArticle,
        wanted: impl Fn(&str) -> bool,
    ) -> Vec<FrameHit> {
        let outside = |(first, last): (NaiveDate, NaiveDate)| {
            article.published.is_some_and(|p| p < first || p > last)
        };
        if self.period.is_some_and(outside) {
            return Vec::new();
        }
        let gated = |tag: &str| self.gate.is_some() && article.off_topic.iter().any(|k| k == tag);
        if !self.frames.iter().any(|f| wanted(&f.tag) || gated(&f.tag)) {
            return Vec::new();
        }
        let found: Vec<Found> = sentences.iter().map(|s| self.concepts_of(s)).collect();
        if self.outweighed(&found) {
            return Vec::new();
        }
        let mut presence = Presence::new(sentences, &found, self.lexicon.len() + self.days.len());
        // Off its topic, a key is open to the frames only where the story's own words are.
        let gate = if article.off_topic.is_empty() {
            None
        } else {
            self.gate_words(text, sentences, &found)
        };
        if let Some(c) = self.gate.as_ref().and_then(|g| g.stands_for)
            && gate.is_some()
        {
            presence.stand_in(c);
        }
        let frames: Vec<&Frame> = self
            .frames
            .iter()
            .filter(|f| wanted(&f.tag) || (gate.is_some() && gated(&f.tag)))
            .collect();
        let mut hits: Vec<FrameHit> = Vec::new();
        for frame in frames.iter().filter(|f| f.story == 0) {
            if self.article_allows(frame, &presence, article) {
                self.match_sentences(frame, text, sentences, &found, &presence, &mut hits);
            }
        }
        // Story frames: the keys found so far (rules and plain frames) say whether the
        // article is about the story at all.
        let mut keys: Vec<&str> = article.found.iter().map(String::as_str).collect();
        keys.extend(hits.iter().map(|h| h.decision.tag.as_str()));
        keys.sort_unstable();
        keys.dedup();
        let keys: Vec<String> = keys.into_iter().map(str::to_string).collect();
        for frame in frames.iter().filter(|f| f.story > 0) {
            let others = keys.iter().filter(|k| frame.counts_for_story(k)).count();
            if others >= frame.story && self.article_allows(frame, &presence, article) {
                self.match_sentences(frame, text, sentences, &found, &presence, &mut hits);
            }
        }
        if let Some(words) = gate {
            for hit in hits.iter_mut().filter(|h| !wanted(&h.decision.tag)) {
                hit.decision.gate.clone_from(&words);
            }
        }
        hits
    }

    /// The story gate's items met in the text, with their first words, when at least its
    /// minimum of distinct items occur; `None` when the gate stays closed.
    fn gate_words(
        &self,
        text: &str,
        sentences: &[FrameSentence],
        found: &[Found],
    ) -> Option<Vec<(String, String)>> {
        let gate = self.gate.as_ref()?;
        let words: Vec<(String, String)> = gate
            .any
            .iter()
            .filter_map(|item| {
                sentences.iter().zip(found).find_map(|(sentence, here)| {
                    item.iter().find_map(|&c| {
                        here[c].as_ref().map(|at| {
                            let (_, _, word) = self.word(text, sentence, at);
                            (self.name(c).to_string(), word.to_string())
                        })
                    })
                })
            })
            .collect();
        (words.len() >= gate.min && gate.min > 0).then_some(words)
    }

    /// The word of the sentence where a concept occurs, and its offsets in the sentence.
    fn word<'t>(
        &self,
        text: &'t str,
        sentence: &FrameSentence,
        at: &At,
    ) -> (usize, usize, &'t str) {
        let sentence_text = text.get(sentence.range.clone()).unwrap_or_default();
        match at {
            At::Folded(range) => {
                let (from, to) =
                    sentence
                        .folded
                        .original_range(sentence_text, range.start, range.end);
                (from, to, word_at(sentence_text, from, to))
            }
            At::Original(range) => (
                range.start,
                range.end,
                sentence_text.get(range.clone()).unwrap_or_default(),
            ),
            // Outside the sentence: the evidence span stays the sentence's own words.
            At::Dateline(range) => (0, 0, text.get(range.clone()).unwrap_or_default()),
        }
    }

    /// For each concept and day, where it first occurs in the sentence.
    fn concepts_of(&self, sentence: &FrameSentence) -> Found {
        let concepts = self.lexicon.len();
        let mut found = vec![None; concepts + self.days.len()];
        for (c, range) in self.lexicon.find(&sentence.folded.text) {
            found[c] = Some(At::Folded(range));
        }
        for (d, (_, first, last)) in self.days.iter().enumerate() {
            found[concepts + d] = sentence
                .dates
                .iter()
                .find(|(start, end, _)| {
                    let (start, end) = self.within_period(*start, *end);
                    start >= *first && end <= *last
                })
                .map(|(_, _, range)| {
                    if range.start >= sentence.range.start && range.end <= sentence.range.end {
                        At::Original(
                            range.start - sentence.range.start..range.end - sentence.range.start,
                        )
                    } else {
                        At::Dateline(range.clone())
                    }
                });
        }
        found
    }

    /// A resolved date after the story's period, one year back: a retrospective's "5
    /// January" written without a year resolves forward (to next January), but the story
    /// cannot happen after its period, so the writer meant the last one.
    fn within_period(&self, start: NaiveDate, end: NaiveDate) -> (NaiveDate, NaiveDate) {
        let year = chrono::Months::new(12);
        match self.period {
            Some((_, last)) if start > last => (
                start.checked_sub_months(year).unwrap_or(start),
                end.checked_sub_months(year).unwrap_or(end),
            ),
            _ => (start, end),
        }
    }

    /// Whether another subject outweighs the story's in the text (see
    /// [`FramesConfig::rivals`]): counted in sentences, so one long paragraph about
    /// Taiwan outweighs a closing line that mentions Ukraine.
    fn outweighed(&self, found: &[Found]) -> bool {
        let Some(subject) = self.gate.as_ref().and_then(|g| g.stands_for) else {
            return false;
        };
        let sentences_with = |item: &Item| {
            found
                .iter()
                .filter(|here| item.iter().any(|&c| here[c].is_some()))
                .count()
        };
        let own = sentences_with(&vec![subject]);
        self.rivals.iter().any(|item| sentences_with(item) > own)
    }

    /// The frame's text-wide conditions: `unless`, `text` and `published`.
    fn article_allows(&self, frame: &Frame, presence: &Presence, article: FrameArticle) -> bool {
        let on = |check: &dyn Fn(NaiveDate, NaiveDate, NaiveDate) -> bool| {
            article.published.is_some_and(|p| {
                frame.published.iter().any(|&d| {
                    self.days
                        .get(d)
                        .is_some_and(|(_, first, last)| check(p, *first, *last))
                })
            })
        };
        let recalled = !frame.recalls.is_empty()
            && on(&|p, _, last| p > last)
            && frame.recalls.iter().all(|i| presence.in_text(i));
        let published_ok =
            frame.published.is_empty() || on(&|p, first, last| p >= first && p <= last) || recalled;
        published_ok
            && !frame.unless.iter().any(|i| presence.in_text(i))
            && frame.text.iter().all(|i| presence.in_text(i))
    }

    /// Adds the frame's matching sentences to `hits` (a new hit for its first sentence
    /// when its tag has none yet).
    fn match_sentences(
        &self,
        frame: &Frame,
        text: &str,
        sentences: &[FrameSentence],
        found: &[Found],
        presence: &Presence,
        hits: &mut Vec<FrameHit>,
    ) {
        for (i, sentence) in sentences.iter().enumerate() {
            let here = &found[i];
            let present = |item: &Item| item.iter().any(|&c| here[c].is_some());
            let matches = frame.all.iter().all(present)
                && frame
                    .paragraph
                    .iter()
                    .all(|item| presence.in_paragraph(sentence.paragraph, item))
                && !frame.not.iter().any(present);
            if !matches {
                continue;
            }
            if let Some(hit) = hits.iter_mut().find(|h| h.decision.tag == frame.tag) {
                if !hit.sentences.contains(&i) {
                    hit.sentences.push(i);
                }
                continue;
            }
            hits.push(self.hit(frame, text, i, sentence, here));
        }
    }

    fn name(&self, c: usize) -> &str {
        let concepts = self.lexicon.len();
        if c < concepts {
            self.lexicon.name(c)
        } else {
            self.days
                .get(c - concepts)
                .map_or("", |(n, _, _)| n.as_str())
        }
    }

    /// The evidence of a frame in sentence `i`: the span from the first to the last
    /// concept word, and each concept with its word.
    fn hit(
        &self,
        frame: &Frame,
        text: &str,
        i: usize,
        sentence: &FrameSentence,
        found: &Found,
    ) -> FrameHit {
        let mut concepts = Vec::new();
        let mut span: Option<Range<usize>> = None;
        for item in &frame.all {
            let Some((c, at)) = item.iter().find_map(|&c| found[c].as_ref().map(|r| (c, r))) else {
                continue;
            };
            let (from, to, word) = self.word(text, sentence, at);
            concepts.push((self.name(c).to_string(), word.to_string()));
            if matches!(at, At::Dateline(_)) {
                continue;
            }
            span = Some(match span {
                None => from..to,
                Some(s) => s.start.min(from)..s.end.max(to),
            });
        }
        let span = span.unwrap_or(0..sentence.range.len());
        FrameHit {
            sentence: i,
            range: sentence.range.start + span.start..sentence.range.start + span.end,
            sentences: vec![i],
            decision: FrameDecision {
                tag: frame.tag.clone(),
                frame: frame.name.clone(),
                concepts,
                gate: Vec::new(),
            },
        }
    }
}

/// Which concepts occur in each paragraph and in the whole text.
struct Presence {
    paragraphs: Vec<Vec<bool>>,
    text: Vec<bool>,
}

impl Presence {
    fn new(sentences: &[FrameSentence], found: &[Found], concepts: usize) -> Presence {
        let paragraphs = sentences.last().map_or(0, |s| s.paragraph + 1);
        let mut presence = Presence {
            paragraphs: vec![vec![false; concepts]; paragraphs],
            text: vec![false; concepts],
        };
        for (s, f) in sentences.iter().zip(found) {
            for (c, r) in f.iter().enumerate() {
                if r.is_some() {
                    if let Some(p) = presence.paragraphs.get_mut(s.paragraph) {
                        p[c] = true;
                    }
                    presence.text[c] = true;
                }
            }
        }
        presence
    }

    /// Marks concept `c` present in every paragraph and the text.
    fn stand_in(&mut self, c: usize) {
        for p in &mut self.paragraphs {
            if let Some(x) = p.get_mut(c) {
                *x = true;
            }
        }
        if let Some(x) = self.text.get_mut(c) {
            *x = true;
        }
    }

    fn in_text(&self, item: &Item) -> bool {
        item.iter().any(|&c| self.text[c])
    }

    fn in_paragraph(&self, paragraph: usize, item: &Item) -> bool {
        self.paragraphs
            .get(paragraph)
            .is_some_and(|p| item.iter().any(|&c| p[c]))
    }
}

/// The items of `list` (`a|b`: either concept) as indices into `names`, or the first
/// unknown name.
fn parse_items(names: &[&String], list: &[String]) -> std::result::Result<Vec<Item>, String> {
    list.iter()
        .map(|item| {
            item.split('|')
                .map(|c| {
                    names
                        .iter()
                        .position(|n| *n == c.trim())
                        .ok_or_else(|| c.trim().to_string())
                })
                .collect()
        })
        .collect()
}

/// `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`, first day not after the last.
fn parse_days(span: &str) -> Option<(NaiveDate, NaiveDate)> {
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (first, last) = match span.split_once("..") {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(span)?, day(span)?),
    };
    (first <= last).then_some((first, last))
}

/// The whole word around `from..to` of `text` (a stem matched its start).
fn word_at(text: &str, from: usize, to: usize) -> &str {
    let end = text
        .get(to..)
        .and_then(|rest| {
            rest.char_indices()
                .find(|(_, c)| !c.is_alphanumeric() && *c != '\'' && *c != '-')
                .map(|(i, _)| to + i)
        })
        .unwrap_or(text.len());
    text.get(from..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold;

    const FRAMES: &str = r#"
[concepts]
us = ["u.s.", "american", "washington", "usa$"]
guarantee = ["guarant", "commitment", "gwarancj"]
backstop = ["backstop"]
ukraine = ["ukrain", "kyiv"]
brexit = ["brexit", "irish border"]

[[frame]]
tag = "tier/us-backstop"
name = "us-guarantee"
all = ["us", "guarantee|backstop"]
paragraph = ["ukraine"]
not = ["brexit"]
"#;

    fn find(text: &str) -> Vec<FrameHit> {
        let frames = Frames::from_toml(FRAMES, &["tier/us-backstop".to_string()], "f").unwrap();
        let paragraphs = crate::sentence::paragraphs(text);
        let folded: Vec<(usize, Range<usize>, Folded)> = paragraphs
            .into_iter()
            .enumerate()
            .flat_map(|(p, ss)| ss.into_iter().map(move |r| (p, r)))
            .map(|(p, r)| (p, r.clone(), fold(&text[r])))
            .collect();
        let sentences: Vec<FrameSentence> = folded
            .iter()
            .map(|(p, r, f)| FrameSentence {
                paragraph: *p,
                folded: f,
                range: r.clone(),
                dates: Vec::new(),
            })
            .collect();
        frames.find(text, &sentences, FrameArticle::default(), |_| true)
    }

    #[test]
    fn concepts_must_meet_in_one_sentence_with_the_paragraph_context() {
        let text = "Kyiv waits. Washington would stand behind the deal with its own commitment.";
        let hits = find(text);
        assert_eq!(hits.len(), 1);
        let hit = &hits[0];
        assert_eq!(
            &text[hit.range.clone()],
            "Washington would stand behind the deal with its own commitment"
        );
        assert_eq!(
            hit.decision.concepts,
            vec![
                ("us".to_string(), "Washington".to_string()),
                ("guarantee".to_string(), "commitment".to_string())
            ]
        );
        assert_eq!(hit.sentence, 1);
        // Split over two sentences, outside the paragraph's context, or vetoed: no hit.
        assert!(find("Kyiv waits. Washington waits. A commitment came.").is_empty());
        assert!(find("Washington made a commitment.\n\nKyiv waits.").is_empty());
        assert!(find("Kyiv. The American backstop of the Irish border.").is_empty());
    }

    #[test]
    fn text_items_must_occur_somewhere_and_unless_items_nowhere() {
        let frames = r#"
[concepts]
envoys = ["witkoff"]
ukrainians = ["umerov"]
paris = ["paris"]
miami = ["miami"]

[[frame]]
tag = "meeting/us-ukraine-sessions"
all = ["envoys", "ukrainians"]
text = ["paris"]
unless = ["miami"]
"#;
        let frames =
            Frames::from_toml(frames, &["meeting/us-ukraine-sessions".to_string()], "f").unwrap();
        let hits = |text: &str| {
            let folded: Vec<(Range<usize>, Folded)> = crate::sentence::paragraphs(text)
                .into_iter()
                .flatten()
                .map(|r| (r.clone(), fold(&text[r])))
                .collect();
            let sentences: Vec<FrameSentence> = folded
                .iter()
                .map(|(r, f)| FrameSentence {
                    paragraph: 0,
                    folded: f,
                    range: r.clone(),
                    dates: Vec::new(),
                })
                .collect();
            frames
                .find(text, &sentences, FrameArticle::default(), |_| true)
                .len()
        };
        assert_eq!(hits("In Paris.\n\nWitkoff met Umerov."), 1);
        assert_eq!(hits("Witkoff met Umerov."), 0);
        assert_eq!(
            hits("In Paris.\n\nWitkoff met Umerov.\n\nEarlier, in Miami."),
            0
        );
    }

    #[test]
    fn stems_match_inflections_and_whole_words_stay_whole() {
        assert_eq!(find("Ukraina dostanie gwarancje z USA.").len(), 1);
        assert!(find("Ukraina dostanie gwarancje z usable.").is_empty());
    }

    #[test]
    fn bad_frames_are_errors_naming_the_frame() {
        let tags = ["tier/us-backstop".to_string()];
        let unknown = "[concepts]\na = [\"x\"]\n[[frame]]\ntag = \"tier/us-backstop\"\nname = \"n\"\nall = [\"a|b\"]\n";
        assert_eq!(
            Frames::from_toml(unknown, &tags, "f")
                .unwrap_err()
                .to_string(),
            "f: [[frame]] n: unknown concept `b`"
        );
        let tag = "[concepts]\na = [\"x\"]\n[[frame]]\ntag = \"tier/other\"\nall = [\"a\"]\n";
        assert_eq!(
            Frames::from_toml(tag, &tags, "f").unwrap_err().to_string(),
            "f: [[frame]] frame 0: tag tier/other is not in the taxonomy"
        );
        assert!(Frames::from_toml("[[frame]]\ntag = 1\n", &tags, "f").is_err());
        // A syntax error is placed by line and column, on one line.
        let syntax = "[concepts]\na = [\"x\"]\nb = [\"y\",, \"z\"]\n";
        let message = Frames::from_toml(syntax, &tags, "f")
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("f:3:"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn the_tagger_uses_frames_for_keys_its_rules_miss_within_the_topic() {
        let taxonomy = crate::Taxonomy::from_toml(
            "[tier.us-backstop]\nlabel = \"x\"\nphrases = [\"Article 5-like\"]\ntopic = [\"Kyiv\", \"Ukraine\"]\n",
            "t.toml",
        )
        .unwrap();
        let tagger = taxonomy
            .build()
            .unwrap()
            .with_frames(FRAMES, "f.toml")
            .unwrap();
        let text = "Kyiv waits. Washington would stand behind the deal with its own commitment.";
        let tagging = tagger.tag_with(text, None);
        assert_eq!(tagging.mentions.len(), 1);
        assert_eq!(tagging.mentions[0].tag, "tier/us-backstop");
        assert_eq!(
            tagging.mentions[0].evidence,
            "Washington would stand behind the deal with its own commitment."
        );
        assert_eq!(tagging.frames[0].frame, "us-guarantee");
        // A rule match wins (no frame decision); off topic, no frame fires.
        let ruled = tagger.tag_with(
            "Kyiv wants an Article 5-like pledge. Washington gave a commitment.",
            None,
        );
        assert_eq!(ruled.mentions.len(), 1);
        assert!(ruled.frames.is_empty());
        let off_topic = "Taipei waits. Washington would stand behind it with a commitment.";
        assert!(tagger.tag_with(off_topic, None).mentions.is_empty());
        // The frames must name the taxonomy's keys.
        let other =
            crate::Taxonomy::from_toml("[tier.x]\nlabel = \"x\"\nphrases = [\"y\"]\n", "t.toml")
                .unwrap();
        assert!(
            other
                .build()
                .unwrap()
                .with_frames(FRAMES, "f.toml")
                .is_err()
        );
    }

    const DAYS: &str = r#"
[concepts]
leaders = ["leaders"]
meeting = ["meet"]
summit = ["summit"]

[days]
summit_day = "2026-01-06"

[[frame]]
tag = "meeting/leaders-summit"
name = "leaders-meet-on-the-day"
all = ["leaders", "meeting", "summit_day"]

[[frame]]
tag = "meeting/leaders-summit"
name = "leaders-meet-today"
all = ["leaders", "meeting"]
published = ["summit_day"]

[[frame]]
tag = "meeting/leaders-summit"
name = "the-summit-in-the-story"
all = ["summit"]
story = 1
"#;

    fn day_tagger() -> crate::Tagger {
        let taxonomy = crate::Taxonomy::from_toml(
            "[meeting.leaders-summit]\nlabel = \"x\"\nphrases = [\"Elysee summit\"]\ntopic = [\"Ukraine\"]\n\
             [tier.us-backstop]\nlabel = \"y\"\nphrases = [\"Article 5-like\"]\ntopic = [\"Ukraine\"]\n",
            "t.toml",
        )
        .unwrap();
        taxonomy
            .build()
            .unwrap()
            .with_frames(DAYS, "f.toml")
            .unwrap()
    }

    fn on(day: u32) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::NaiveDate::from_ymd_opt(2026, 1, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
    }

    #[test]
    fn a_resolved_date_on_the_events_day_meets_the_frame() {
        let tagger = day_tagger();
        // Published Saturday 3 January: "on Tuesday" is the 6th, "on Friday" the 2nd or 9th.
        let text = "Ukraine's allies wait. The leaders will meet on Tuesday.";
        let tagging = tagger.tag_with(text, on(3));
        assert_eq!(tagging.mentions.len(), 1, "{tagging:?}");
        let decision = &tagging.frames[0];
        assert_eq!(decision.frame, "leaders-meet-on-the-day");
        assert!(
            decision
                .concepts
                .iter()
                .any(|(c, w)| c == "summit_day" && w.contains("Tuesday")),
            "{decision:?}"
        );
        let friday = "Ukraine's allies wait. The leaders will meet on Friday.";
        assert!(tagger.tag_with(friday, on(3)).mentions.is_empty());
        // Without a publication date, "on Tuesday" resolves to no day.
        assert!(tagger.tag_with(text, None).mentions.is_empty());
    }

    #[test]
    fn published_days_and_story_context_gate_frames() {
        let tagger = day_tagger();
        let live = "Ukraine's allies gather. The leaders meet now.";
        assert_eq!(
            tagger.tag_with(live, on(6)).frames[0].frame,
            "leaders-meet-today"
        );
        assert!(tagger.tag_with(live, on(7)).mentions.is_empty());
        // A passing "summit" counts only where another key of the story was found.
        assert!(
            tagger
                .tag_with("Ukraine: the summit ended.", on(9))
                .mentions
                .is_empty()
        );
        let story = "Ukraine wants an Article 5-like pledge. The summit ended.";
        let tagging = tagger.tag_with(story, on(9));
        let tags: Vec<&str> = tagging.mentions.iter().map(|m| m.tag.as_str()).collect();
        assert_eq!(tags, ["meeting/leaders-summit", "tier/us-backstop"]);
        assert_eq!(tagging.frames[0].frame, "the-summit-in-the-story");
    }

    #[test]
    fn story_of_counts_only_the_named_kinds_or_tags() {
        let text = "Ukraine: the Elysee summit ended. The chiefs went home.";
        let tags_with = |of: &str| {
            let frames = format!(
                "[concepts]\nchiefs = [\"chiefs\"]\n[[frame]]\ntag = \"meeting/military-chiefs-meeting\"\n\
                 name = \"chiefs-in-the-story\"\nall = [\"chiefs\"]\nstory = 1\nstory_of = [{of}]\n"
            );
            tagger_with(&frames)
                .tag_with(text, None)
                .mentions
                .iter()
                .map(|m| m.tag.clone())
                .collect::<Vec<_>>()
        };
        let both = ["meeting/leaders-summit", "meeting/military-chiefs-meeting"];
        // The rules found the leaders' summit: a key of kind `meeting`.
        assert_eq!(tags_with(""), both);
        assert_eq!(tags_with("\"meeting\""), both);
        assert_eq!(tags_with("\" meeting/leaders-summit \""), both);
        // Another kind, or a mere prefix of the kind's name, does not count.
        assert_eq!(tags_with("\"tier\""), ["meeting/leaders-summit"]);
        assert_eq!(tags_with("\"meet\""), ["meeting/leaders-summit"]);
        // The frame's own key never counts for itself.
        assert_eq!(
            tags_with("\"meeting/military-chiefs-meeting\""),
            ["meeting/leaders-summit"]
        );
    }

    #[test]
    fn rivals_named_more_often_than_the_subject_silence_the_frames() {
        let frames = "rivals = [\"taiwan\"]\n[concepts]\nukraine = [\"ukrain\"]\ntaiwan = [\"taiwan\"]\n\
                      chiefs = [\"chiefs\"]\n[gate]\nany = [\"ukraine\"]\nmin = 5\nstands_for = \"ukraine\"\n\
                      [[frame]]\ntag = \"meeting/military-chiefs-meeting\"\nall = [\"chiefs\"]\n";
        let tagger = tagger_with(frames);
        let tags = |text: &str| tagger.tag_with(text, None).mentions.len();
        assert_eq!(tags("Ukraine: the chiefs met."), 1);
        // As many sentences of the rival as of the subject: still the story.
        assert_eq!(tags("Taiwan wants a pledge. Ukraine: the chiefs met."), 1);
        // More of them: the article is about the rival.
        assert_eq!(
            tags("Taiwan wants a pledge. Taiwan waits. Ukraine: the chiefs met."),
            0
        );
        // Rivals need the subject they are weighed against.
        let taxonomy = crate::Taxonomy::from_toml(
            "[meeting.military-chiefs-meeting]\nlabel = \"y\"\nphrases = [\"chiefs of staff meeting\"]\n",
            "t.toml",
        )
        .unwrap();
        let error = taxonomy
            .build()
            .unwrap()
            .with_frames(
                "rivals = [\"taiwan\"]\n[concepts]\ntaiwan = [\"taiwan\"]\n",
                "f.toml",
            )
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("rivals") && error.contains("f.toml"),
            "{error}"
        );
    }

    #[test]
    fn no_frame_fires_in_an_article_published_outside_the_period() {
        let frames = format!("period = \"2025-11-01..2026-12-31\"\n{DAYS}");
        let taxonomy = crate::Taxonomy::from_toml(
            "[meeting.leaders-summit]\nlabel = \"x\"\nphrases = [\"Elysee summit\"]\ntopic = [\"Ukraine\"]\n",
            "t.toml",
        )
        .unwrap();
        let tagger = taxonomy
            .build()
            .unwrap()
            .with_frames(&frames, "f.toml")
            .unwrap();
        let live = "Ukraine's allies gather. The leaders meet now.";
        assert_eq!(tagger.tag_with(live, on(6)).mentions.len(), 1);
        let before = chrono::NaiveDate::from_ymd_opt(2025, 8, 18)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc());
        let text = "Ukraine's allies wait. The leaders will meet today.";
        assert!(tagger.tag_with(text, before).mentions.is_empty());
        let bad = "period = \"2025\"\n";
        assert!(Frames::from_toml(bad, &[], "f").is_err());
    }

    #[test]
    fn bad_days_are_errors_naming_the_day() {
        let tags = ["meeting/leaders-summit".to_string()];
        let bad = "[days]\nd = \"2026-13-01\"\n";
        assert_eq!(
            Frames::from_toml(bad, &tags, "f").unwrap_err().to_string(),
            "f: [days] d: `2026-13-01` is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
        );
        let reversed = "[days]\nd = \"2026-01-07..2026-01-06\"\n";
        assert!(Frames::from_toml(reversed, &tags, "f").is_err());
        let unknown = "[concepts]\na = [\"x\"]\n[[frame]]\ntag = \"meeting/leaders-summit\"\nname = \"n\"\nall = [\"a\"]\npublished = [\"e\"]\n";
        assert_eq!(
            Frames::from_toml(unknown, &tags, "f")
                .unwrap_err()
                .to_string(),
            "f: [[frame]] n: unknown day `e`"
        );
    }

    #[test]
    fn the_shipped_frames_compile_against_the_shipped_taxonomy() {
        let taxonomy = crate::Taxonomy::from_toml(
            include_str!("../../../config/taxonomy.toml"),
            "taxonomy.toml",
        )
        .unwrap();
        taxonomy
            .build()
            .unwrap()
            .with_frames(include_str!("../../../config/frames.toml"), "frames.toml")
            .unwrap();
    }

    fn tagger_with(frames: &str) -> crate::Tagger {
        let taxonomy = crate::Taxonomy::from_toml(
            "[meeting.leaders-summit]\nlabel = \"x\"\nphrases = [\"Elysee summit\"]\ntopic = [\"Ukraine\"]\n\
             [meeting.military-chiefs-meeting]\nlabel = \"y\"\nphrases = [\"chiefs of staff meeting\"]\ntopic = [\"Ukraine\"]\n",
            "t.toml",
        )
        .unwrap();
        taxonomy
            .build()
            .unwrap()
            .with_frames(frames, "f.toml")
            .unwrap()
    }

    fn published(y: i32, m: u32, d: u32) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
    }

    const GATE: &str = r#"
[concepts]
ukraine = ["ukrain"]
leaders = ["leaders"]
meeting = ["meet"]
elysee = ["elysee"]
envoys = ["witkoff"]
paris = ["paris"]

[gate]
any = ["elysee", "envoys", "paris"]
min = 2
stands_for = "ukraine"

[[frame]]
tag = "meeting/leaders-summit"
name = "leaders-meet"
all = ["leaders", "meeting"]
paragraph = ["ukraine"]
"#;

    #[test]
    fn the_story_gate_opens_off_topic_texts_on_the_storys_own_words() {
        let tagger = tagger_with(GATE);
        // No Ukraine word, but the Élysée and Paris: the gate opens and stands for the
        // topic in the paragraph; `--explain` gets the words that opened it.
        let text = "The leaders meet at the Élysée in Paris.";
        let tagging = tagger.tag_with(text, None);
        assert_eq!(tagging.mentions.len(), 1, "{tagging:?}");
        assert_eq!(
            tagging.frames[0].gate,
            vec![
                ("elysee".to_string(), "Élysée".to_string()),
                ("paris".to_string(), "Paris".to_string())
            ]
        );
        // One of the story's words is not enough.
        assert!(
            tagger
                .tag_with("The leaders meet in Paris.", None)
                .mentions
                .is_empty()
        );
        // On topic, the gate plays no part and the decision says nothing of it.
        let on_topic = tagger.tag_with("Ukraine waits. The leaders meet.", None);
        assert_eq!(on_topic.mentions.len(), 1);
        assert!(on_topic.frames[0].gate.is_empty());
        // Without `stands_for`, a frame that asks for the topic's concept stays silent.
        let plain = GATE.replace("stands_for = \"ukraine\"\n", "");
        assert!(tagger_with(&plain).tag_with(text, None).mentions.is_empty());
        let unknown = GATE.replace("\"envoys\", \"paris\"]", "\"envoys\", \"rome\"]");
        assert!(Frames::from_toml(&unknown, &[], "f").is_err());
    }

    const RECALLS: &str = r#"
period = "2025-11-01..2026-12-31"

[concepts]
summit = ["summit"]
january = ["january"]
chiefs = ["chiefs", "szefowie"]

[days]
summit_day = "2026-01-06"
chiefs_day = "2026-01-05"

[[frame]]
tag = "meeting/leaders-summit"
name = "the-summit-live-or-recalled"
all = ["summit"]
published = ["summit_day"]
recalls = ["january"]

[[frame]]
tag = "meeting/military-chiefs-meeting"
name = "chiefs-on-their-day"
all = ["chiefs", "chiefs_day"]
"#;

    #[test]
    fn a_later_article_that_recalls_the_month_meets_a_frame_of_the_day() {
        let tagger = tagger_with(RECALLS);
        let live = "Ukraine's allies wait. The summit opens.";
        assert_eq!(
            tagger.tag_with(live, published(2026, 1, 6)).mentions.len(),
            1
        );
        assert!(
            tagger
                .tag_with(live, published(2026, 7, 6))
                .mentions
                .is_empty()
        );
        let recalled = "Ukraine's allies remember. The summit in January promised much.";
        let tagging = tagger.tag_with(recalled, published(2026, 7, 6));
        assert_eq!(tagging.mentions.len(), 1, "{tagging:?}");
        // Only looking back: before the day, "January" is a plan, not a memory.
        assert!(
            tagger
                .tag_with(recalled, published(2026, 1, 2))
                .mentions
                .is_empty()
        );
    }

    #[test]
    fn a_year_less_date_after_the_period_is_read_as_the_storys_year() {
        let tagger = tagger_with(RECALLS);
        // Published 22 December 2026, the Polish "5 stycznia" resolves forward to 2027:
        // after the period, so the review meant January 2026.
        let text = "Ukraine: rok w skrócie. 5 stycznia spotkali się szefowie sztabów.";
        let tagging = tagger.tag_with(text, published(2026, 12, 22));
        assert_eq!(tagging.mentions.len(), 1, "{tagging:?}");
        let without_period = RECALLS.replace("period = \"2025-11-01..2026-12-31\"\n", "");
        let tagger = tagger_with(&without_period);
        assert!(
            tagger
                .tag_with(text, published(2026, 12, 22))
                .mentions
                .is_empty()
        );
    }

    #[test]
    fn a_dateline_dates_the_rest_of_its_paragraph() {
        let tagger = tagger_with(RECALLS);
        let text = "Ukraine, the week in five dates.\n\n5 January. The chiefs met in Paris.";
        let tagging = tagger.tag_with(text, published(2026, 1, 9));
        assert_eq!(tagging.mentions.len(), 1, "{tagging:?}");
        assert_eq!(tagging.mentions[0].evidence, "The chiefs met in Paris.");
        assert!(
            tagging.frames[0]
                .concepts
                .iter()
                .any(|(c, w)| c == "chiefs_day" && w.contains("5 January")),
            "{:?}",
            tagging.frames[0]
        );
        // A date inside a sentence lends nothing; a new paragraph ends the dateline.
        let inside = "Ukraine.\n\nOn 5 January it rained. The chiefs met in Paris.";
        assert!(
            tagger
                .tag_with(inside, published(2026, 1, 9))
                .mentions
                .is_empty()
        );
        let apart = "Ukraine.\n\n5 January.\n\nThe chiefs met in Paris.";
        assert!(
            tagger
                .tag_with(apart, published(2026, 1, 9))
                .mentions
                .is_empty()
        );
    }

    #[test]
    fn odd_text_never_panics() {
        for text in ["", "\n\n", "…", "a\u{0}b", "İ̇ USA guarantee Kyiv"] {
            let _ = find(text);
        }
    }
}
