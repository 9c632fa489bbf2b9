//! The compiled taxonomy: finds each key's mentions in a text, with evidence.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::dates::find_dates_in;
use crate::fold::{Folded, fold, fold_pattern, fold_str};
use crate::frames::{FrameArticle, FrameDecision, FrameSentence, Frames};
// Compiled on first use, once per distinct alternation and only the branches a text may
// match (see lazy.rs): a short command pays only for what its text needs.
use crate::lazy::{Found, Known, LazyRegex as Regex, Pieces, Union};
use crate::model::Model;
use crate::money::{SMALL, find_amounts};
use crate::pattern_cache::PatternCache;
use crate::sentence::paragraphs;
use crate::{
    Amount, Article, DateMention, KeyConfig, Mention, ModelDecision, MoneyConfig, Result, Scope,
    Taxonomy,
};

/// Tags texts against a [`Taxonomy`]. Build once with [`Taxonomy::build`], then call
/// [`Tagger::tag`] (or [`Tagger::tag_with`], [`Tagger::tag_article`]) from any thread.
#[derive(Debug, Clone)]
pub struct Tagger {
    keys: Vec<CompiledKey>,
    money: MoneyConfig,
    /// The learned scorer, for keys the rules miss.
    model: Option<std::sync::Arc<Model>>,
    /// Concept frames, for keys the rules miss (see frames.rs).
    frames: Option<std::sync::Arc<Frames>>,
    /// One search per sentence for every key's cue-list literals, once a long run has
    /// tagged [`UNION_AFTER`] texts (shared by clones).
    cues: std::sync::Arc<Cues>,
}

/// Texts tagged before the keys' cue lists are searched as one [`Union`]: a short command
/// never pays for building its DFA (the lists' own gates serve it), a long run (ingest, a
/// benchmark) reads most of its text through it.
const UNION_AFTER: usize = 512;

/// The keys' cue lists searched as one, built on first need after [`UNION_AFTER`] texts.
#[derive(Debug, Default)]
struct Cues {
    tagged: std::sync::atomic::AtomicUsize,
    /// The union of every key's cue, context, exclusion and place lists; `None` inside
    /// if it could not be built.
    union: std::sync::OnceLock<Option<Union>>,
}

/// Everything the tagger finds in one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tagging {
    /// One mention per key found, in taxonomy order.
    pub mentions: Vec<Mention>,
    /// Every money expression, in text order (amounts under a million only in a
    /// sentence where a key with `amounts = true` matched: a phone's price is no funding).
    pub amounts: Vec<Amount>,
    /// Every date expression that resolves, in text order.
    pub dates: Vec<DateMention>,
    /// The tags that the learned scorer (not a rule) decided, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub learned: Vec<ModelDecision>,
    /// The tags that a concept frame (not a phrase rule) decided, with the words that met
    /// each concept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<FrameDecision>,
}

#[derive(Debug, Clone)]
struct CompiledKey {
    tag: String,
    strong: Option<Regex>,
    weak: Option<Regex>,
    context: Option<Regex>,
    context_scope: Scope,
    exclude: Option<Regex>,
    exclude_scope: Scope,
    /// Checked by [`Tagger::tag_with`] before [`CompiledKey::mention`].
    topic: Option<Regex>,
    amounts: bool,
    event: Option<Event>,
}

/// A meeting as data: when, where and who.
#[derive(Debug, Clone)]
struct Event {
    first: NaiveDate,
    last: NaiveDate,
    place: Regex,
    participants: Regex,
}

/// A sentence of the tagged text, folded for matching.
struct Sentence {
    range: Range<usize>,
    paragraph: usize,
    folded: Folded,
}

/// A key's matches: the mention, and which sentences matched (for amounts).
struct KeyHits {
    mention: Mention,
    sentences: Vec<usize>,
    amounts: bool,
}

impl Tagger {
    pub(crate) fn new(taxonomy: &Taxonomy, cache: &mut PatternCache) -> Result<Tagger> {
        let mut shared = HashMap::new();
        let pieces = Pieces::default();
        check_gates(taxonomy, cache)?;
        let keys = taxonomy
            .keys()
            .map(|(tag, key)| compile_key(taxonomy, tag, key, &mut shared, &pieces, cache))
            .collect::<Result<Vec<_>>>()?;
        cache.save();
        let model = match &taxonomy.model {
            Some((file, source)) => Some(std::sync::Arc::new(Model::new(
                file,
                &taxonomy.tags(),
                source,
            )?)),
            None => None,
        };
        Ok(Tagger {
            keys,
            money: taxonomy.money.clone(),
            model,
            frames: None,
            cues: Default::default(),
        })
    }

    /// The same tagger with concept frames (`config/frames.toml` format, see
    /// [`crate::FramesConfig`]) for the keys its rules miss; `source` names the frames in
    /// errors. Every frame's tag must be a key of the taxonomy.
    pub fn with_frames(mut self, frames: &str, source: &str) -> Result<Tagger> {
        let tags: Vec<String> = self.tags().map(str::to_string).collect();
        self.frames = Some(std::sync::Arc::new(Frames::from_toml(
            frames, &tags, source,
        )?));
        Ok(self)
    }

    /// The tags this tagger can assign, `kind/key`, sorted.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.tag.as_str())
    }

    /// Every key mentioned in `text`, in taxonomy order, each with the sentence of its
    /// first match as evidence, the byte range of that match, and the match count. With
    /// no publication date, relative dates ("on Tuesday") do not resolve; see
    /// [`Tagger::tag_with`].
    pub fn tag(&self, text: &str) -> Vec<Mention> {
        self.tag_with(text, None).mentions
    }

    /// Tags an article's text, with its publication date as the reference for dates.
    pub fn tag_article(&self, article: &Article) -> Tagging {
        self.tag_in(
            &article.text,
            article.published,
            article.language.as_deref(),
        )
    }

    /// Mentions, amounts and dates of `text`; `published` resolves relative dates
    /// ("on Tuesday", "next week", "6 January" without a year).
    pub fn tag_with(&self, text: &str, published: Option<DateTime<Utc>>) -> Tagging {
        self.tag_in(text, published, None)
    }

    /// [`Tagger::tag_with`], reading numeric dates by `language` ("en": month first).
    /// The keys' cue lists as one search, once this tagger (or a clone) has tagged
    /// [`UNION_AFTER`] texts.
    fn union(&self) -> Option<&Union> {
        let cues = &self.cues;
        if let Some(built) = cues.union.get() {
            return built.as_ref();
        }
        if cues
            .tagged
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            < UNION_AFTER
        {
            return None;
        }
        cues.union
            .get_or_init(|| {
                let lists: Vec<&Regex> = self
                    .keys
                    .iter()
                    .flat_map(|k| {
                        k.strong
                            .iter()
                            .chain(&k.weak)
                            .chain(&k.context)
                            .chain(&k.exclude)
                            .chain(k.event.as_ref().map(|e| &e.place))
                    })
                    .collect();
                Union::new(&lists)
            })
            .as_ref()
    }

    fn tag_in(
        &self,
        text: &str,
        published: Option<DateTime<Utc>>,
        language: Option<&str>,
    ) -> Tagging {
        let sentences: Vec<Sentence> = paragraphs(text)
            .into_iter()
            .enumerate()
            .flat_map(|(paragraph, sentences)| {
                sentences.into_iter().map(move |range| Sentence {
                    folded: fold(&text[range.clone()]),
                    range,
                    paragraph,
                })
            })
            .collect();
        let reference = published.map(|p| p.date_naive());
        let dates = find_dates_in(text, reference, language);
        let amounts = find_amounts(text, &self.money);
        let sentence_of = |offset: usize| {
            sentences
                .partition_point(|s| s.range.end <= offset)
                .min(sentences.len().saturating_sub(1))
        };
        let dates_by_sentence: Vec<Vec<&DateMention>> = {
            let mut by = vec![Vec::new(); sentences.len()];
            if !sentences.is_empty() {
                for date in &dates {
                    by[sentence_of(date.byte_start)].push(date);
                }
            }
            by
        };
        // Keys share their topic gate (the story's own words): each distinct gate scans the
        // text once, not once per key.
        let mut on_topic: HashMap<&str, bool> = HashMap::new();
        // Which cue literals each sentence holds, for every key at once, searched when the
        // first key on topic needs them (an off-topic text never does).
        let union = self.union();
        let mut found: Option<Vec<Vec<Vec<usize>>>> = None;
        let mut hits: Vec<KeyHits> = Vec::new();
        for key in &self.keys {
            if !key.on_topic(&mut on_topic, &sentences) {
                continue;
            }
            let cues = union.map(|union| {
                let found = found.get_or_insert_with(|| {
                    sentences
                        .iter()
                        .map(|s| union.found(&s.folded.text))
                        .collect()
                });
                Cued { union, found }
            });
            hits.extend(key.mention(text, &sentences, &dates_by_sentence, cues));
        }
        // frames: the keys the rules missed, before the learned scorer sees what is left
        let frames = self.framed(
            text,
            (&sentences, &dates_by_sentence),
            reference,
            &mut hits,
            &mut on_topic,
        );
        let (frames, learned) = self.learned(text, &sentences, frames, &mut hits, &mut on_topic);
        // Small amounts count only in a sentence with a funding cue.
        let mut funding_sentences = vec![false; sentences.len()];
        for hit in hits.iter().filter(|h| h.amounts) {
            for &i in &hit.sentences {
                funding_sentences[i] = true;
            }
        }
        // Size and funding cue decide what a funding mention attaches, never what
        // `amounts` lists.
        let funding = |a: &Amount| {
            a.value >= SMALL || (!sentences.is_empty() && funding_sentences[sentence_of(a.start)])
        };
        let mentions = hits
            .into_iter()
            .map(|mut hit| {
                if hit.amounts {
                    hit.mention.amounts = amounts
                        .iter()
                        .filter(|a| {
                            funding(a)
                                && !sentences.is_empty()
                                && hit.sentences.contains(&sentence_of(a.start))
                        })
                        .cloned()
                        .collect();
                }
                hit.mention
            })
            .collect();
        Tagging {
            mentions,
            amounts,
            dates,
            learned,
            frames,
        }
    }

    /// Hook for concept frames: mentions for the keys the rules missed (within the key's
    /// topic), added to `hits` in taxonomy order.
    fn framed<'a>(
        &'a self,
        text: &str,
        (sentences, dates): (&[Sentence], &[Vec<&DateMention>]),
        published: Option<chrono::NaiveDate>,
        hits: &mut Vec<KeyHits>,
        on_topic: &mut HashMap<&'a str, bool>,
    ) -> Vec<FrameDecision> {
        let Some(frames) = &self.frames else {
            return Vec::new();
        };
        let mut spans: Vec<FrameSentence> = sentences
            .iter()
            .enumerate()
            .map(|(i, s)| FrameSentence {
                paragraph: s.paragraph,
                folded: &s.folded,
                range: s.range.clone(),
                dates: dates.get(i).map_or_else(Vec::new, |ds| {
                    ds.iter()
                        .map(|d| (d.start, d.end, d.byte_start..d.byte_end))
                        .collect()
                }),
            })
            .collect();
        lend_datelines(text, &mut spans);
        let found: Vec<String> = hits.iter().map(|h| h.mention.tag.clone()).collect();
        let (wanted, off_topic): (Vec<&CompiledKey>, Vec<&CompiledKey>) = self
            .keys
            .iter()
            .filter(|k| !found.contains(&k.tag))
            .partition(|k| k.on_topic(on_topic, sentences));
        let off_topic_tags: Vec<String> = off_topic.iter().map(|k| k.tag.clone()).collect();
        let mut decisions = Vec::new();
        let article = FrameArticle {
            published,
            found: &found,
            off_topic: &off_topic_tags,
        };
        for hit in frames.find(text, &spans, article, |tag| {
            wanted.iter().any(|k| k.tag == tag)
        }) {
            // An off-topic key comes back only when the frames' story gate opened.
            let Some(key) = wanted
                .iter()
                .chain(&off_topic)
                .find(|k| k.tag == hit.decision.tag)
            else {
                continue;
            };
            let sentence = &sentences[hit.sentence];
            hits.push(KeyHits {
                mention: Mention {
                    tag: key.tag.clone(),
                    evidence: text[sentence.range.clone()].to_string(),
                    matched: text.get(hit.range.clone()).unwrap_or_default().to_string(),
                    start: hit.range.start,
                    end: hit.range.end,
                    count: hit.sentences.len(),
                    amounts: Vec::new(),
                },
                sentences: hit.sentences,
                amounts: key.amounts,
            });
            decisions.push(hit.decision);
        }
        if !decisions.is_empty() {
            self.sort_in_taxonomy_order(hits);
        }
        decisions
    }

    /// The learned scorer over what rules and frames found: it drops the frames' tags its
    /// verifier rejects (keys with a `verify` threshold), then tags keys still missing
    /// (within the key's topic), added to `hits` in taxonomy order. Returns the frames'
    /// decisions kept, and the model's (additions and verifications).
    fn learned<'a>(
        &'a self,
        text: &str,
        sentences: &[Sentence],
        frames: Vec<FrameDecision>,
        hits: &mut Vec<KeyHits>,
        on_topic: &mut HashMap<&'a str, bool>,
    ) -> (Vec<FrameDecision>, Vec<ModelDecision>) {
        let Some(model) = &self.model else {
            return (frames, Vec::new());
        };
        let spans: Vec<(Range<usize>, &Folded)> = sentences
            .iter()
            .map(|s| (s.range.clone(), &s.folded))
            .collect();
        let fired: Vec<&str> = frames.iter().map(|f| f.frame.as_str()).collect();
        let scored = model.score(&spans, &fired);
        let mut decisions = Vec::new();
        let mut kept = Vec::new();
        let mut rejected: Vec<String> = Vec::new();
        for frame in frames {
            match model.verify(&scored, &frame.tag) {
                Some((false, _)) => {
                    hits.retain(|h| h.mention.tag != frame.tag);
                    rejected.push(frame.tag);
                }
                Some((true, decision)) => {
                    decisions.push(decision);
                    kept.push(frame);
                }
                None => kept.push(frame),
            }
        }
        let found: Vec<&str> = hits.iter().map(|h| h.mention.tag.as_str()).collect();
        let mut added = false;
        for candidate in model.candidates(text, &spans, &scored, &found) {
            // A key whose frame the verifier rejected is not proposed again by the scorer.
            if rejected.contains(&candidate.mention.tag) {
                continue;
            }
            let Some(key) = self.keys.iter().find(|k| k.tag == candidate.mention.tag) else {
                continue;
            };
            if !key.on_topic(on_topic, sentences) {
                continue;
            }
            decisions.push(candidate.decision);
            hits.push(KeyHits {
                mention: candidate.mention,
                sentences: vec![candidate.sentence],
                amounts: key.amounts,
            });
            added = true;
        }
        if added {
            self.sort_in_taxonomy_order(hits);
        }
        (kept, decisions)
    }

    /// Hits added after the rules go where their key stands in the taxonomy, as the rules'
    /// own do, so output order does not depend on which stage found a key.
    fn sort_in_taxonomy_order(&self, hits: &mut [KeyHits]) {
        let order = |tag: &str| self.keys.iter().position(|k| k.tag == tag);
        hits.sort_by_key(|h| order(&h.mention.tag));
    }
}

impl CompiledKey {
    /// Whether the text passes the key's topic gate; each distinct gate is checked once
    /// per text (`cache`).
    fn on_topic<'a>(&'a self, cache: &mut HashMap<&'a str, bool>, sentences: &[Sentence]) -> bool {
        match &self.topic {
            None => true,
            Some(topic) => *cache
                .entry(topic.as_str())
                .or_insert_with(|| sentences.iter().any(|s| topic.is_match(&s.folded.text))),
        }
    }

    /// `cues`: the literals of every key's lists in each sentence, when the tagger
    /// searched them at once.
    fn mention(
        &self,
        text: &str,
        sentences: &[Sentence],
        dates: &[Vec<&DateMention>],
        cues: Option<Cued<'_>>,
    ) -> Option<KeyHits> {
        // Exclusions, context and the event's place are asked only of sentences with a
        // cue (or, for the place, an event to look for): most sentences have none.
        let mut excluded = ScopeHits::new(self.exclude.as_ref(), self.exclude_scope, cues);
        let mut context = ScopeHits::new(self.context.as_ref(), self.context_scope, cues);
        // A meeting's place may be named once for the paragraph ("Paris hosted three
        // meetings. On Monday the chiefs ...").
        let mut place = ScopeHits::new(
            self.event.as_ref().map(|e| &e.place),
            Scope::Paragraph,
            cues,
        );
        // The first match, in byte offsets of the original text.
        let mut first: Option<(usize, Range<usize>)> = None;
        let mut count = 0;
        let mut matched_sentences = Vec::new();
        for (i, sentence) in sentences.iter().enumerate() {
            let folded = &sentence.folded.text;
            let strong: Vec<Found> = self
                .strong
                .iter()
                .flat_map(|r| r.find_iter_found(folded, cues.and_then(|c| c.of(r, i))))
                .collect();
            let weak: Vec<Found> = self
                .weak
                .iter()
                .flat_map(|r| r.find_iter_found(folded, cues.and_then(|c| c.of(r, i))))
                .collect();
            if strong.is_empty() && weak.is_empty() && self.event.is_none() {
                continue;
            }
            if excluded.at(sentences, i) {
                continue;
            }
            let sentence_text = &text[sentence.range.clone()];
            let weak_allowed = !weak.is_empty() && context.at(sentences, i);
            let weak = weak.into_iter().filter(|_| weak_allowed);
            let mut ranges: Vec<Range<usize>> = strong
                .into_iter()
                .chain(weak)
                .map(|m| {
                    let (from, to) =
                        sentence
                            .folded
                            .original_range(sentence_text, m.start(), m.end());
                    sentence.range.start + from..sentence.range.start + to
                })
                .collect();
            // The event's own evidence counts only where no phrasing matched, so that
            // "the Paris summit on Tuesday" is one match, not two.
            if let Some(event) = &self.event
                && ranges.is_empty()
                && place.at(sentences, i)
            {
                ranges.extend(event.matches(sentence, dates.get(i).map_or(&[][..], |d| d)));
            }
            if ranges.is_empty() {
                continue;
            }
            matched_sentences.push(i);
            for range in ranges {
                count += 1;
                let earlier = first
                    .as_ref()
                    .is_none_or(|(j, r)| *j == i && range.start < r.start);
                if earlier {
                    first = Some((i, range));
                }
            }
        }
        let (i, range) = first?;
        let sentence = &sentences[i];
        Some(KeyHits {
            mention: Mention {
                tag: self.tag.clone(),
                evidence: text[sentence.range.clone()].to_string(),
                matched: text.get(range.clone()).unwrap_or_default().to_string(),
                start: range.start,
                end: range.end,
                count,
                amounts: Vec::new(),
            },
            sentences: matched_sentences,
            amounts: self.amounts,
        })
    }
}

impl Event {
    /// The dates of a sentence that name this event: the sentence must also name a
    /// participant (its paragraph, the place), and the date must fall within the
    /// event's days.
    fn matches(&self, sentence: &Sentence, dates: &[&DateMention]) -> Vec<Range<usize>> {
        let on_the_day: Vec<Range<usize>> = dates
            .iter()
            .filter(|d| d.start >= self.first && d.end <= self.last)
            .map(|d| d.byte_start..d.byte_end)
            .collect();
        if on_the_day.is_empty() || !self.participants.is_match(&sentence.folded.text) {
            return Vec::new();
        }
        on_the_day
    }
}

/// A regex's per-sentence hits widened to its scope, computed for every sentence on the
/// first question: `false` everywhere without a regex.
/// The literals of a tagger's lists in each sentence of a text, found at once.
#[derive(Clone, Copy)]
struct Cued<'a> {
    union: &'a Union,
    /// By sentence, then by list's place in `union`.
    found: &'a [Vec<Vec<usize>>],
}

impl<'a> Cued<'a> {
    /// The literals of `list` in sentence `i`, if the union holds the list.
    fn of(self, list: &Regex, i: usize) -> Option<&'a [usize]> {
        let found = self.found;
        found
            .get(i)?
            .get(self.union.place(list)?)
            .map(Vec::as_slice)
    }
}

struct ScopeHits<'r> {
    regex: Option<&'r Regex>,
    scope: Scope,
    cues: Option<Cued<'r>>,
    /// Whether the regex matches each sentence, asked on first need: a sentence-scoped
    /// list reads only the sentences asked about, a wider one stops at its first hit
    /// (reading every sentence up front was a tenth of tagging an on-topic text).
    matched: Vec<Option<bool>>,
}

impl<'r> ScopeHits<'r> {
    fn new(regex: Option<&'r Regex>, scope: Scope, cues: Option<Cued<'r>>) -> Self {
        ScopeHits {
            regex,
            scope,
            cues,
            matched: Vec::new(),
        }
    }

    /// Does the regex match within sentence `i`'s scope?
    fn at(&mut self, sentences: &[Sentence], i: usize) -> bool {
        let Some(regex) = self.regex else {
            return false;
        };
        let Some(paragraph) = sentences.get(i).map(|s| s.paragraph) else {
            return false;
        };
        if self.matched.len() != sentences.len() {
            self.matched = vec![None; sentences.len()];
        }
        // A paragraph's sentences are consecutive.
        let scope = match self.scope {
            Scope::Sentence => i..i + 1,
            Scope::Article => 0..sentences.len(),
            Scope::Paragraph => {
                let before = sentences[..i]
                    .iter()
                    .rev()
                    .take_while(|s| s.paragraph == paragraph)
                    .count();
                let from_here = sentences[i..]
                    .iter()
                    .take_while(|s| s.paragraph == paragraph)
                    .count();
                i - before..i + from_here
            }
        };
        let cues = self.cues;
        scope.into_iter().any(|j| {
            *self.matched[j].get_or_insert_with(|| {
                let found = cues.and_then(|c| c.of(regex, j));
                regex.is_match_found(&sentences[j].folded.text, found)
            })
        })
    }
}

/// A sentence that is only a date ("5 January." heading a timeline entry, "Tuesday, 14:20"
/// over a live post) dates the sentences after it in its paragraph that name no date of
/// their own, so frames that ask for a day meet timelines and live blogs.
fn lend_datelines(text: &str, spans: &mut [FrameSentence]) {
    let mut lent: Option<(usize, Vec<DateSpan>)> = None;
    for span in spans.iter_mut() {
        if lent.as_ref().is_some_and(|(p, _)| *p != span.paragraph) {
            lent = None;
        }
        if span.dates.is_empty() {
            if let Some((_, dates)) = &lent {
                span.dates.clone_from(dates);
            }
        } else if is_dateline(text, span) {
            lent = Some((span.paragraph, span.dates.clone()));
        } else {
            lent = None;
        }
    }
}

/// A resolved date's first and last day and its byte range in the text.
type DateSpan = (chrono::NaiveDate, chrono::NaiveDate, std::ops::Range<usize>);

/// Whether the sentence holds nothing but its dates (and punctuation, a few letters).
fn is_dateline(text: &str, span: &FrameSentence) -> bool {
    let mut letters = 0;
    let mut at = span.range.start;
    for (start, end) in span
        .dates
        .iter()
        .map(|(_, _, r)| (r.start.max(span.range.start), r.end.min(span.range.end)))
        .chain(std::iter::once((span.range.end, span.range.end)))
    {
        if start > at {
            letters += text
                .get(at..start)
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_alphabetic())
                .count();
        }
        at = at.max(end);
    }
    letters <= 3
}

/// Checks the shared gates' patterns, so that a bad one is placed in its `[gates.NAME]`
/// table rather than in the first key that names the gate (the keys find them checked).
fn check_gates(taxonomy: &Taxonomy, cache: &mut PatternCache) -> Result<()> {
    for (tag, gate) in taxonomy.gates() {
        for (i, pattern) in gate.topic_patterns.iter().enumerate() {
            let folded = fold_pattern(pattern);
            check_pattern(taxonomy, &tag, ("topic_patterns", i), &folded, cache)?;
        }
    }
    Ok(())
}

/// Checks one folded pattern alone, so that an error points at it: `list[i]` of `tag`.
fn check_pattern(
    taxonomy: &Taxonomy,
    tag: &str,
    (list, i): (&str, usize),
    folded: &str,
    cache: &mut PatternCache,
) -> Result<Known> {
    cache
        .known(folded)
        .map_err(|e| taxonomy.key_error(tag, format!("{list}[{i}] is not a valid regex: {e}")))
}

/// `shared` holds the regexes built so far, by pattern: keys with the same list (the topic
/// gate of a story, say) share one, compiled once; `pieces` likewise their branches.
fn compile_key(
    taxonomy: &Taxonomy,
    tag: String,
    key: &KeyConfig,
    shared: &mut HashMap<String, Regex>,
    pieces: &Pieces,
    cache: &mut PatternCache,
) -> Result<CompiledKey> {
    let mut build =
        |what: &str, phrases: &[String], patterns: &[String]| -> Result<Option<Regex>> {
            let folded: Vec<String> = phrases.iter().map(|p| fold_str(p.trim())).collect();
            let mut parts: Vec<String> = folded.iter().map(|f| phrase_regex(f)).collect();
            let mut known: Vec<Known> = folded
                .iter()
                .zip(&parts)
                .map(|(f, regex)| match phrase_words(f) {
                    Some(words) => Known::Words(words),
                    None => cache.unworded(regex),
                })
                .collect();
            for (i, pattern) in patterns.iter().enumerate() {
                let pattern = fold_pattern(pattern);
                let checked = check_pattern(taxonomy, &tag, (what, i), &pattern, cache)?;
                parts.push(pattern);
                known.push(checked);
            }
            if parts.is_empty() {
                return Ok(None);
            }
            let regex = Regex::with_known(parts, known, pieces);
            Ok(Some(
                shared
                    .entry(regex.as_str().to_string())
                    .or_insert(regex)
                    .clone(),
            ))
        };
    let event = match key.date {
        Some(first) => {
            let place = build("place", &key.place, &[])?;
            let participants = build("participants", &key.participants, &[])?;
            match (place, participants) {
                (Some(place), Some(participants)) => Some(Event {
                    first,
                    last: key.date_end.unwrap_or(first),
                    place,
                    participants,
                }),
                // Validation requires both lists with a date.
                _ => None,
            }
        }
        None => None,
    };
    Ok(CompiledKey {
        amounts: key.amounts,
        event,
        strong: build("patterns", &key.phrases, &key.patterns)?,
        weak: build("weak_patterns", &key.weak_phrases, &key.weak_patterns)?,
        context: build("context", &key.context, &[])?,
        context_scope: key.context_scope,
        exclude: build("exclude", &key.exclude, &[])?,
        exclude_scope: key.exclude_scope,
        topic: {
            let (topic, patterns) = taxonomy.topic_of(key);
            build("topic_patterns", &topic, &patterns)?
        },
        tag,
    })
}

/// Words that every match of [`phrase_regex`]`(folded)` contains: the folded phrase's
/// runs of ASCII letters and digits, which that function copies as they are, so that the
/// branch is gated without being parsed. Only runs of four or more characters (short words
/// such as "of" or "a" occur everywhere and gate nothing), or the first run when there is
/// none; each cut before a fourth `k` or `s` (a limit from when the gate spelt each with
/// its non-ASCII case variant; see `lazy::ODD_LETTERS` for how those are met now). `None`
/// when the phrase has no such run.
fn phrase_words(folded: &str) -> Option<Vec<String>> {
    let runs: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
        .map(|run| {
            let mut odd = 0;
            run.chars()
                .take_while(|&c| {
                    odd += usize::from(matches!(c, 'k' | 's'));
                    odd <= 3
                })
                .collect()
        })
        .collect();
    let long: Vec<String> = runs.iter().filter(|r| r.len() >= 4).cloned().collect();
    match (long.is_empty(), runs.into_iter().next()) {
        (false, _) => Some(long),
        (true, Some(first)) if !first.is_empty() => Some(vec![first]),
        _ => None,
    }
}

/// A literal phrase, folded (`fold_str` of it trimmed), as a regex over folded text: word
/// boundaries at both ends, spaces and hyphens interchangeable, optional apostrophes and
/// abbreviation dots, and an optional plural or possessive ending.
fn phrase_regex(folded: &str) -> String {
    // Written straight into one string: this runs for every phrase of the taxonomy (over
    // a thousand) on every start, and a string per character was most of its cost.
    let mut re = String::with_capacity(folded.len() * 2 + 24);
    let mut chars = folded.chars().peekable();
    if chars.peek().is_some_and(|c| c.is_alphanumeric()) {
        re.push_str(r"\b");
    }
    let mut previous: Option<char> = None;
    while let Some(c) = chars.next() {
        let after_letter = previous.is_some_and(char::is_alphabetic);
        let last = chars.peek().is_none();
        match c {
            ' ' => re.push_str("(?: ?- ?| )"),
            '-' => re.push_str("(?: ?- ?| )?"),
            '\'' => re.push_str("'?"),
            // "U.S." also matches "US" and "U.S"; at the end, a dot or a word boundary.
            '.' if after_letter && last => re.push_str(r"(?:\.|\b)"),
            '.' if after_letter => re.push_str(r"\.?"),
            _ => regex_syntax::escape_into(c.encode_utf8(&mut [0; 4]), &mut re),
        }
        previous = Some(c);
    }
    let last_word = folded.rsplit([' ', '-']).next().unwrap_or_default();
    if last_word.len() >= 3 && last_word.chars().all(|c| c.is_ascii_alphabetic()) {
        re.push_str("(?:'s|s|es|')?");
    }
    if previous.is_some_and(|c| c.is_alphanumeric()) {
        re.push_str(r"\b");
    }
    re
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every regex of a key: its cue lists, its topic gate, its event's place and
    /// participants.
    fn regexes_of(key: &CompiledKey) -> impl Iterator<Item = &Regex> {
        [
            &key.strong,
            &key.weak,
            &key.context,
            &key.exclude,
            &key.topic,
        ]
        .into_iter()
        .flatten()
        .chain(key.event.iter().flat_map(|e| [&e.place, &e.participants]))
    }

    fn tagger(toml: &str) -> Tagger {
        Taxonomy::from_toml(toml, "t.toml")
            .unwrap()
            .build()
            .unwrap()
    }

    fn tags(tagger: &Tagger, text: &str) -> Vec<String> {
        tagger.tag(text).into_iter().map(|m| m.tag).collect()
    }

    #[test]
    fn the_model_verifies_frames_tags_and_drops_those_it_rejects() {
        let frames = "[concepts]\nus = [\"washington\"]\nguarantee = [\"commitment\"]\n\n[[frame]]\ntag = \"tier/us-backstop\"\nname = \"us-guarantee\"\nall = [\"us\", \"guarantee\"]\n";
        let model = crate::ModelFile {
            format: 1,
            keys: vec![crate::KeyWeights {
                tag: "tier/us-backstop".into(),
                bias: 0.0,
                // The model adds nothing itself: only the verifier is at work.
                threshold: 1.01,
                verify: Some(0.5),
                weights: [("fr:us-guarantee".into(), 5.0), ("w:harbour".into(), -50.0)]
                    .into_iter()
                    .collect(),
            }],
            ..crate::ModelFile::default()
        };
        let tagger = Taxonomy::from_toml(
            "[tier.us-backstop]\nlabel = \"x\"\nphrases = [\"Article 5-like\"]\ntopic = [\"Kyiv\"]\n",
            "t.toml",
        )
        .unwrap()
        .with_model(model, "m.json")
        .build()
        .unwrap()
        .with_frames(frames, "f.toml")
        .unwrap();
        let kept = tagger.tag_with("Kyiv waits. Washington gave a commitment.", None);
        assert_eq!(kept.mentions.len(), 1);
        assert_eq!(kept.frames.len(), 1);
        let decision = &kept.learned[0];
        assert!(decision.verified && decision.score >= 0.5 && decision.threshold == 0.5);
        assert_eq!(decision.features[0].0, "fr:us-guarantee");
        let dropped = tagger.tag_with("Kyiv waits. Washington gave a harbour commitment.", None);
        assert!(dropped.mentions.is_empty(), "{:?}", dropped.mentions);
        assert!(dropped.frames.is_empty() && dropped.learned.is_empty());
    }

    #[test]
    fn phrase_variants_match() {
        let t = tagger(
            "[meeting.us-ukraine-sessions]\nlabel = \"x\"\nphrases = [\"U.S.-Ukraine talk\", \"leaders' summit\"]\n",
        );
        for text in [
            "The U.S.-Ukraine talks resumed.",
            "US–Ukraine talks resumed.",
            "The US Ukraine talk resumed.",
            "A U.S. - Ukraine talk.",
            "The leaders’ summit opened.",
            "The Leaders Summit opened.",
            "LEADERS' SUMMITS",
        ] {
            assert_eq!(
                tags(&t, text),
                vec!["meeting/us-ukraine-sessions"],
                "{text}"
            );
        }
        for text in [
            "Ukraine talks with the U.S.",
            "the leaders summitry",
            "USA-Ukraine talks",
        ] {
            assert!(tags(&t, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn diacritics_fold_both_ways() {
        let t = tagger(
            "[meeting.leaders-summit]\nlabel = \"x\"\nphrases = [\"sommet de l'Élysée\", \"koalicji chętnych\"]\n",
        );
        assert_eq!(
            tags(&t, "Au SOMMET DE L’ELYSEE, mardi."),
            vec!["meeting/leaders-summit"]
        );
        assert_eq!(
            tags(&t, "Szczyt koalicji chetnych w Paryżu."),
            vec!["meeting/leaders-summit"]
        );
    }

    #[test]
    fn weak_phrases_need_context_and_exclusions_veto() {
        let t = tagger(
            r#"[tier.us-backstop]
label = "U.S. backstop"
phrases = ["Article 5-like"]
weak_phrases = ["backstop"]
context = ["ukraine", "kyiv"]
context_scope = "paragraph"
exclude = ["brexit", "irish border"]
exclude_scope = "paragraph"
"#,
        );
        assert_eq!(
            tags(&t, "Kyiv wants more. A U.S. backstop is key."),
            vec!["tier/us-backstop"]
        );
        assert!(tags(&t, "The bank offered a backstop to investors.").is_empty());
        assert!(
            tags(
                &t,
                "The Irish border backstop was dropped. Ukraine was not discussed."
            )
            .is_empty()
        );
        assert!(
            tags(&t, "Kyiv wants more.\n\nA backstop is key.").is_empty(),
            "context is per paragraph"
        );
        assert_eq!(
            tags(&t, "An Article 5-like pledge."),
            vec!["tier/us-backstop"]
        );
    }

    #[test]
    fn a_topic_gates_the_whole_key() {
        let t = tagger(
            "[funding.prosperity-plan]\nlabel = \"x\"\nphrases = [\"prosperity plan\"]\ntopic = [\"Ukraine\"]\ntopic_patterns = ['\\bkyiv\\w*']\n",
        );
        assert!(tags(&t, "The councils published a regional prosperity plan.").is_empty());
        assert_eq!(
            tags(&t, "A prosperity plan.\n\nKyiv's officials agreed."),
            vec!["funding/prosperity-plan"]
        );
        assert_eq!(
            tags(&t, "Ukraine's prosperity plan."),
            vec!["funding/prosperity-plan"]
        );
    }

    #[test]
    fn evidence_offsets_and_counts() {
        let t = tagger(
            "[hurdle.zaporizhzhia-npp]\nlabel = \"ZNPP\"\nphrases = [\"Zaporizhzhia nuclear power plant\", \"ZNPP\"]\n",
        );
        let text = "Talks went on.\n\nThe fate of the Zaporizhzhia Nuclear Power Plant is open. The ZNPP has six reactors.";
        let mentions = t.tag(text);
        assert_eq!(mentions.len(), 1);
        let m = &mentions[0];
        assert_eq!(
            m.evidence,
            "The fate of the Zaporizhzhia Nuclear Power Plant is open."
        );
        assert_eq!(&text[m.start..m.end], "Zaporizhzhia Nuclear Power Plant");
        assert_eq!(m.matched, "Zaporizhzhia Nuclear Power Plant");
        assert_eq!(m.count, 2);
    }

    #[test]
    fn patterns_are_checked_one_by_one() {
        let err = Taxonomy::from_toml(
            "[tier.x]\nlabel = \"x\"\npatterns = ['ok', '(unclosed']\n",
            "t.toml",
        )
        .unwrap()
        .build()
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("t.toml: [tier.x] patterns[1] is not a valid regex: "),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    #[test]
    fn every_regex_of_the_shipped_taxonomy_compiles_and_gates_are_shared() {
        let t = tagger(include_str!("../../../config/taxonomy.toml"));
        for key in &t.keys {
            for regex in regexes_of(key) {
                regex.force().unwrap_or_else(|e| panic!("{}: {e}", key.tag));
            }
        }
        let gates: std::collections::HashSet<*const str> = t
            .keys
            .iter()
            .filter_map(|k| k.topic.as_ref().map(|r| r.as_str() as *const str))
            .collect();
        let with_gate = t.keys.iter().filter(|k| k.topic.is_some()).count();
        assert!(
            gates.len() < with_gate,
            "one compiled gate per distinct topic list"
        );
    }

    /// Every `text` of the labelled fixtures (evaluation set, cases, the tagging corpus's
    /// train and dev splits; never its frozen test split).
    fn fixture_texts() -> Vec<String> {
        fn texts(value: &toml::Value, out: &mut Vec<String>) {
            match value {
                toml::Value::Table(table) => {
                    for (name, value) in table {
                        match value {
                            toml::Value::String(text) if name == "text" => out.push(text.clone()),
                            _ => texts(value, out),
                        }
                    }
                }
                toml::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
                _ => {}
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut out = Vec::new();
        for dir in ["eval", "cases", "tagcorpus/train", "tagcorpus/dev"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            for file in files {
                let value: toml::Value =
                    toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                texts(&value, &mut out);
            }
        }
        out
    }

    /// The keys' cue lists searched as one union tag every fixture as each list's own gate
    /// does.
    #[test]
    fn the_union_of_cue_lists_tags_the_fixtures_as_the_lists_own_gates() {
        let own = tagger(include_str!("../../../config/taxonomy.toml"));
        let union = tagger(include_str!("../../../config/taxonomy.toml"));
        union
            .cues
            .tagged
            .store(UNION_AFTER, std::sync::atomic::Ordering::Relaxed);
        let published = "2026-01-05T12:00:00Z".parse().ok();
        for text in fixture_texts() {
            for language in [None, Some("en")] {
                // The lists' own gates all along.
                own.cues
                    .tagged
                    .store(0, std::sync::atomic::Ordering::Relaxed);
                assert_eq!(
                    union.tag_in(&text, published, language),
                    own.tag_in(&text, published, language),
                    "{text}"
                );
            }
        }
        assert!(union.cues.union.get().is_some_and(|u| u.is_some()));
        assert!(own.cues.union.get().is_none());
    }

    #[test]
    fn split_alternations_match_what_the_whole_regexes_matched_on_the_fixtures() {
        let t = tagger(include_str!("../../../config/taxonomy.toml"));
        let mut regexes: Vec<&Regex> = t.keys.iter().flat_map(regexes_of).collect();
        let mut seen = std::collections::HashSet::new();
        regexes.retain(|r| seen.insert(r.as_str()));
        let whole: Vec<regex::Regex> = regexes
            .iter()
            .map(|r| {
                regex::RegexBuilder::new(r.as_str())
                    .case_insensitive(true)
                    .size_limit(64 << 20)
                    .build()
                    .unwrap()
            })
            .collect();
        let texts = fixture_texts();
        assert!(texts.len() > 400, "{} fixture texts", texts.len());
        let (mut sentences, mut matches) = (0, 0);
        for text in &texts {
            for range in paragraphs(text).into_iter().flatten() {
                let folded = fold(&text[range]).text;
                sentences += 1;
                for (lazy, whole) in regexes.iter().zip(&whole) {
                    let expected: Vec<Range<usize>> =
                        whole.find_iter(&folded).map(|m| m.range()).collect();
                    let found: Vec<Range<usize>> =
                        lazy.find_iter(&folded).map(|m| m.range()).collect();
                    assert_eq!(found, expected, "{} on {folded}", lazy.as_str());
                    assert_eq!(lazy.is_match(&folded), !expected.is_empty());
                    matches += expected.len();
                }
            }
        }
        assert!(
            sentences > 2_000 && matches > 7_000,
            "{sentences} sentences, {matches} matches"
        );
    }

    #[test]
    fn a_cached_build_tags_as_the_plain_one_cold_and_warm() {
        let toml = include_str!("../../../config/taxonomy.toml");
        let taxonomy = Taxonomy::from_toml(toml, "taxonomy.toml").unwrap();
        let dir = std::env::temp_dir().join(format!("newsmon-tagger-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let plain = taxonomy.build().unwrap();
        let cold = taxonomy.build_cached(&dir).unwrap();
        let files = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, 1, "the cold build wrote its file");
        let warm = taxonomy.build_cached(&dir).unwrap();
        let texts = fixture_texts();
        assert!(texts.len() > 400, "{} fixture texts", texts.len());
        let mut mentions = 0;
        for text in &texts {
            let expected = plain.tag_with(text, None);
            assert_eq!(cold.tag_with(text, None), expected, "cold, on {text}");
            assert_eq!(warm.tag_with(text, None), expected, "warm, on {text}");
            mentions += expected.mentions.len();
        }
        assert!(mentions > 300, "{mentions} mentions");
        // A bad pattern: the same one-line error with a warm cache as without one.
        let bad = toml.replacen("patterns = [", "patterns = [\"(unclosed\", ", 1);
        let bad = Taxonomy::from_toml(&bad, "taxonomy.toml").unwrap();
        let plain_error = bad.build().err().unwrap().to_string();
        assert!(plain_error.contains("unclosed group"), "{plain_error}");
        assert_eq!(
            bad.build_cached(&dir).err().unwrap().to_string(),
            plain_error
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn odd_text_never_panics() {
        let t = tagger("[tier.x]\nlabel = \"x\"\nphrases = [\"a b\"]\n");
        for text in ["", "\n\n\n", "a\u{0}b", "…", "ÉÉÉ. a b. ﬁ", "İ̇stanbul a b"] {
            let _ = t.tag(text);
        }
        let mentions = t.tag("İ̇ A B.");
        assert_eq!(mentions.len(), 1);
    }

    const MEETING: &str = r#"[meeting.leaders-summit]
label = "x"
weak_phrases = ["summit"]
context = ["Paris"]
date = "2026-01-06"
place = ["Paris", "Élysée"]
participants = ["leaders"]
"#;

    fn saturday() -> Option<DateTime<Utc>> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 3, 9, 0, 0).single()
    }

    #[test]
    fn a_meeting_is_found_by_place_participants_and_date() {
        let t = tagger(MEETING);
        let text = "European leaders gather in Paris on Tuesday to sign guarantees.";
        let tagging = t.tag_with(text, saturday());
        assert_eq!(tagging.mentions.len(), 1);
        assert_eq!(tagging.mentions[0].matched, "on Tuesday");
        assert_eq!(tagging.dates[0].start.to_string(), "2026-01-06");
        // No reference date, the wrong day, or no participant: no tag.
        assert!(t.tag(text).is_empty());
        let monday = "European leaders gather in Paris on Monday.";
        assert!(t.tag_with(monday, saturday()).mentions.is_empty());
        let no_one = "Fans gather in Paris on Tuesday.";
        assert!(t.tag_with(no_one, saturday()).mentions.is_empty());
        // The place may be named earlier in the paragraph.
        let later = "Paris is ready. The leaders meet on Tuesday.";
        assert_eq!(t.tag_with(later, saturday()).mentions.len(), 1);
    }

    #[test]
    fn funding_mentions_carry_the_amounts_of_their_sentences() {
        let t = tagger(
            "[funding.prosperity-plan]\nlabel = \"x\"\nphrases = [\"prosperity plan\"]\namounts = true\n",
        );
        let text = "The prosperity plan is worth up to $800bn. Separately, $5bn went to energy. The phone costs $999.";
        let tagging = t.tag_with(text, None);
        let amounts: Vec<&str> = tagging.mentions[0]
            .amounts
            .iter()
            .map(|a| a.text.as_str())
            .collect();
        assert_eq!(amounts, vec!["$800bn"]);
        let all: Vec<&str> = tagging.amounts.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            all,
            vec!["$800bn", "$5bn", "$999"],
            "every amount is listed, whatever its size"
        );
        let cue = t.tag_with("The prosperity plan adds a $900,000 grant.", None);
        assert_eq!(
            cue.mentions[0].amounts.len(),
            1,
            "a small amount by a funding cue"
        );
        let far = t.tag_with("The prosperity plan grows. The phone costs $999.", None);
        assert!(
            far.mentions[0].amounts.is_empty(),
            "a price away from the cue"
        );
        assert_eq!(far.amounts.len(), 1);
    }

    #[test]
    fn event_fields_are_validated() {
        for (toml, expected) in [
            (
                "[m.x]\nlabel = \"x\"\nphrases = [\"a\"]\ndate = \"2026-01-06\"\n",
                "date needs a place and participants list",
            ),
            (
                "[m.x]\nlabel = \"x\"\nphrases = [\"a\"]\nplace = [\"Paris\"]\n",
                "date_end, place and participants need a date",
            ),
            (
                "[m.x]\nlabel = \"x\"\nphrases = [\"a\"]\ndate = \"2026-01-06\"\ndate_end = \"2026-01-05\"\nplace = [\"P\"]\nparticipants = [\"l\"]\n",
                "date_end is before date",
            ),
        ] {
            let err = Taxonomy::from_toml(toml, "t.toml").unwrap_err().to_string();
            assert_eq!(err, format!("t.toml: [m.x] {expected}"));
        }
    }
}
