//! Counts over the matching articles: by tag, source, language and date, computed by
//! tantivy's collectors (facet counts, terms and date-histogram aggregations) on fast
//! fields, never by reading documents; and the funding view, which reads the stored
//! mentions of the funding-tagged articles only.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::TantivyDocument;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, FacetCollector};
use tantivy::schema::Facet;

use crate::stored::{Stored, matches};
use crate::{Error, Index, Result, SearchRequest};

/// The width of the timeline's buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// One bucket a day (UTC).
    #[default]
    Day,
    /// One bucket a week, Monday to Sunday (UTC).
    Week,
}

/// What to count: the articles matching a search (its limit, order and collapse ignored).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsRequest {
    /// The query and filters.
    pub search: SearchRequest,
    /// The timeline's bucket width.
    pub interval: Interval,
    /// At most this many sources and languages (the rest are summed in `other`).
    pub top: usize,
}

/// Counts over the matching articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Matching articles.
    pub total: usize,
    /// Articles per tag kind, each with its keys.
    pub tags: Vec<KindCount>,
    /// Articles per source, most first.
    pub sources: Vec<NameCount>,
    /// Articles of sources beyond the top ones.
    pub sources_other: u64,
    /// Articles per language, most first (`""`: unknown).
    pub languages: Vec<NameCount>,
    /// Articles of languages beyond the top ones.
    pub languages_other: u64,
    /// The bucket width of `timeline`.
    pub interval: Interval,
    /// Articles per day or week, oldest first, empty buckets included.
    pub timeline: Vec<DateCount>,
}

/// Articles carrying some key of one kind, and per key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindCount {
    /// The kind (`tier`).
    pub kind: String,
    /// Articles with any of its keys.
    pub count: u64,
    /// Per key (`tier/us-backstop`), most first.
    pub keys: Vec<NameCount>,
}

/// A name and how many articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameCount {
    /// The source, language or tag.
    pub name: String,
    /// Articles.
    pub count: u64,
}

/// One bucket of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateCount {
    /// The first day of the bucket, `YYYY-MM-DD`.
    pub date: String,
    /// Articles published in it.
    pub count: u64,
}

/// The keys of a terms aggregation's buckets, as strings, in their order.
pub(crate) fn bucket_keys(result: &serde_json::Value) -> Vec<String> {
    buckets(result).into_iter().map(|b| b.name).collect()
}

fn buckets(result: &serde_json::Value) -> Vec<NameCount> {
    result["buckets"]
        .as_array()
        .map(|buckets| {
            buckets
                .iter()
                .map(|b| NameCount {
                    name: match &b["key"] {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                    count: b["doc_count"].as_u64().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Index {
    /// Counts the articles matching `request`.
    pub fn stats(&self, request: &StatsRequest) -> Result<Stats> {
        let searcher = self.searcher()?;
        let query = self.filtered(self.text_query(&request.search.query)?, &request.search)?;
        let size = request.top.max(1);
        let (interval, offset) = match request.interval {
            Interval::Day => ("1d", "0d"),
            // Epoch day 0 was a Thursday: shifted by 4 days, weeks start on Mondays.
            Interval::Week => ("7d", "4d"),
        };
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "sources": {"terms": {"field": "source", "size": size}},
            "languages": {"terms": {"field": "lang", "size": size, "missing": ""}},
            "timeline": {"date_histogram": {
                "field": "published", "fixed_interval": interval, "offset": offset,
                "min_doc_count": 0}},
        }))
        .map_err(|e| Error::tantivy(&self.dir, e))?;
        let aggregations = AggregationCollector::from_aggs(aggs, AggContextParams::default());
        // One pass over the matches: the kinds come from the term dictionary (a few terms),
        // so the per-key collector needs no first pass (one collector may not hold a facet
        // and its parent, hence two).
        let kinds = self.kinds(&searcher)?;
        let mut kind_collector = FacetCollector::for_field("tags");
        kind_collector.add_facet(Facet::root());
        let mut keys = FacetCollector::for_field("tags");
        for kind in &kinds {
            keys.add_facet(Facet::from_path([kind.as_str()]));
        }
        let (total, aggregated, kind_counts, key_counts) = searcher
            .search(&*query, &(Count, aggregations, kind_collector, keys))
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let json = serde_json::to_value(&aggregated).map_err(|e| Error::tantivy(&self.dir, e))?;
        let kind_list: Vec<(String, u64)> = kind_counts
            .get(Facet::root())
            .map(|(facet, count)| (facet.to_path().join("/"), count))
            .collect();
        let mut tags: Vec<KindCount> = kind_list
            .into_iter()
            .map(|(kind, count)| {
                let mut keys: Vec<NameCount> = key_counts
                    .get(Facet::from_path([kind.as_str()]))
                    .map(|(facet, count)| NameCount {
                        name: facet.to_path().join("/"),
                        count,
                    })
                    .collect();
                keys.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
                KindCount { kind, count, keys }
            })
            .collect();
        tags.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
        let other = |name: &str| {
            json[name]["sum_other_doc_count"]
                .as_u64()
                .unwrap_or_default()
        };
        let timeline = json["timeline"]["buckets"]
            .as_array()
            .map(|buckets| {
                buckets
                    .iter()
                    .filter_map(|b| {
                        let millis = b["key"].as_f64()?;
                        let date = DateTime::<Utc>::from_timestamp_millis(millis as i64)?;
                        Some(DateCount {
                            date: date.format("%Y-%m-%d").to_string(),
                            count: b["doc_count"].as_u64().unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Stats {
            total,
            tags,
            sources: buckets(&json["sources"]),
            sources_other: other("sources"),
            languages: buckets(&json["languages"]),
            languages_other: other("languages"),
            interval: request.interval,
            timeline,
        })
    }

    /// The tag kinds present in the index, from the facet terms (`tier`, `tier\0us-backstop`).
    fn kinds(&self, searcher: &tantivy::Searcher) -> Result<Vec<String>> {
        let err = |e: std::io::Error| Error::tantivy(&self.dir, e);
        let mut kinds = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.tags)
                .map_err(|e| Error::tantivy(&self.dir, e))?;
            let mut terms = inverted.terms().stream().map_err(err)?;
            while terms.advance() {
                let kind = terms.key().split(|b| *b == 0).next().unwrap_or_default();
                if let Ok(kind) = std::str::from_utf8(kind)
                    && !kind.is_empty()
                {
                    kinds.insert(kind.to_string());
                }
            }
        }
        Ok(kinds.into_iter().collect())
    }

    /// Every amount reported under a funding key by the matching articles, grouped by key
    /// and value: who reports $800 billion, and who reports something else.
    pub fn funding(&self, request: &SearchRequest, kind: &str) -> Result<Vec<FundingGroup>> {
        let searcher = self.searcher()?;
        let mut filters = request.clone();
        filters.tags.push(kind.to_string());
        let query = self.filtered(self.text_query(&request.query)?, &filters)?;
        let prefix = format!("{}/", kind.trim_matches('/'));
        let mut groups: BTreeMap<(String, Option<String>, u64, Option<u64>), Group> =
            BTreeMap::new();
        // In index order, for the store's sake; "first seen" is by publication date.
        for (address, _) in matches(&searcher, &*query, &self.dir)? {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| Error::tantivy(&self.dir, e))?;
            let stored = Stored(&doc);
            let f = &self.fields;
            let mentions: Vec<newsmon_extractor::Mention> =
                serde_json::from_str(&stored.text(f.mentions)).unwrap_or_default();
            let published = stored.datetime(f.published);
            let source = stored.text(f.source);
            let url = stored.text(f.url);
            let mut body = None;
            for mention in mentions.iter().filter(|m| m.tag.starts_with(&prefix)) {
                for amount in &mention.amounts {
                    let key = (
                        mention.tag.clone(),
                        amount.currency.clone(),
                        amount.value,
                        amount.max,
                    );
                    let group = groups.entry(key).or_insert_with(|| Group {
                        usd: amount.usd,
                        usd_max: amount.usd_max,
                        ..Group::default()
                    });
                    group.texts.insert(amount.text.clone());
                    group.outlets.insert(source.clone());
                    group.articles.insert(url.clone());
                    if let Some(at) = published {
                        group.first = Some(group.first.map_or(at, |f| f.min(at)));
                        group.last = Some(group.last.map_or(at, |l| l.max(at)));
                    }
                    let earlier = match (published, group.example_at) {
                        (Some(at), Some(example_at)) => at < example_at,
                        (_, None) => true,
                        (None, Some(_)) => false,
                    };
                    if group.example.is_none() || earlier {
                        group.example_at = published;
                        let text = body.get_or_insert_with(|| stored.text(f.body));
                        group.example = Some(sentence_at(text, amount.start, amount.end))
                            .filter(|s| !s.is_empty())
                            .or_else(|| Some(mention.evidence.clone()));
                        group.example_url = Some(url.clone());
                    }
                }
            }
        }
        let mut out: Vec<FundingGroup> = groups
            .into_iter()
            .map(|((tag, currency, value, max), g)| FundingGroup {
                tag,
                value,
                max,
                currency,
                usd: g.usd,
                usd_max: g.usd_max,
                written: g.texts.into_iter().collect(),
                outlets: g.outlets.len(),
                outlet_names: g.outlets.into_iter().collect(),
                articles: g.articles.len(),
                first_seen: g.first.map(|d| d.to_rfc3339()).unwrap_or_default(),
                last_seen: g.last.map(|d| d.to_rfc3339()).unwrap_or_default(),
                example: g.example.unwrap_or_default(),
                example_url: g.example_url.unwrap_or_default(),
            })
            .collect();
        out.sort_by(|a, b| {
            a.tag
                .cmp(&b.tag)
                .then(b.articles.cmp(&a.articles))
                .then(b.usd.cmp(&a.usd))
        });
        Ok(out)
    }
}

#[derive(Default)]
struct Group {
    usd: Option<u64>,
    usd_max: Option<u64>,
    texts: BTreeSet<String>,
    outlets: BTreeSet<String>,
    articles: BTreeSet<String>,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    example: Option<String>,
    example_url: Option<String>,
    example_at: Option<DateTime<Utc>>,
}

/// One reported amount under one funding key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingGroup {
    /// The funding key (`funding/prosperity-plan`).
    pub tag: String,
    /// The amount in whole units of `currency` (the low end of a range).
    pub value: u64,
    /// The high end of a range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// ISO 4217 code, if the text gives a currency.
    pub currency: Option<String>,
    /// `value` in U.S. dollars.
    pub usd: Option<u64>,
    /// `max` in U.S. dollars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usd_max: Option<u64>,
    /// How outlets wrote it ("$800bn", "800 milliards de dollars").
    pub written: Vec<String>,
    /// How many outlets reported it.
    pub outlets: usize,
    /// Which.
    pub outlet_names: Vec<String>,
    /// How many articles.
    pub articles: usize,
    /// The earliest publication date among them, RFC 3339.
    pub first_seen: String,
    /// The latest.
    pub last_seen: String,
    /// The sentence of the first article that reported it.
    pub example: String,
    /// That article.
    pub example_url: String,
}

/// The sentence of `text` around bytes `start..end`, on one line.
fn sentence_at(text: &str, start: usize, end: usize) -> String {
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return String::new();
    }
    // A sentence ends at . ! ? followed by a space ("U.S." and "$1.5" do not end one).
    let ends = |i: usize, c: char| {
        c == '\n'
            || (matches!(c, '.' | '!' | '?')
                && text
                    .get(i + 1..)
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace)))
    };
    let from = text
        .get(..start)
        .unwrap_or_default()
        .char_indices()
        .rfind(|&(i, c)| ends(i, c))
        .map_or(0, |(i, _)| i + 1);
    let to = text
        .get(end..)
        .unwrap_or_default()
        .char_indices()
        .find(|&(i, c)| ends(end + i, c))
        .map_or(text.len(), |(i, _)| end + i + 1);
    text.get(from..to.min(text.len()))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
