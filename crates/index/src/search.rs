//! Queries and filters in, hits ready to print out.

use std::collections::HashMap;
use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::{Error, Index, Result};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;
/// Outlets listed for one collapsed story, at most.
const MAX_OUTLETS: u32 = 100;

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title words boosted).
    #[default]
    Relevance,
    /// Latest publication date first.
    Newest,
    /// Earliest publication date first.
    Oldest,
}

/// A search: a query in tantivy's query language plus filters.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// Words, phrases, AND/OR/NOT, `field:value`; empty or `*` matches everything.
    pub query: String,
    /// Tags that every hit must carry: `kind/key`, or a bare `kind` for any of its keys.
    pub tags: Vec<String>,
    /// Only articles published at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only articles published before this instant.
    pub until: Option<DateTime<Utc>>,
    /// At most this many hits.
    pub limit: usize,
    /// Only articles from one of these sources (exact names); empty for all.
    pub sources: Vec<String>,
    /// Only articles in one of these languages (`en`, `fr`, ...); empty for all.
    pub langs: Vec<String>,
    /// Only these documents (canonical URLs); empty for all. Watches use it to look at
    /// what one commit added.
    pub urls: Vec<String>,
    /// The order of hits.
    pub sort: Sort,
    /// Fold copies of one story (same `cluster`) into one hit that lists their outlets.
    pub collapse: bool,
    /// Skip this many hits first (paging).
    pub offset: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            tags: Vec::new(),
            since: None,
            until: None,
            limit: 10,
            sources: Vec::new(),
            langs: Vec::new(),
            urls: Vec::new(),
            sort: Sort::Relevance,
            collapse: false,
            offset: 0,
        }
    }
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many articles match in all (not only those returned; copies counted).
    pub total: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The document id (see [`crate::document_id`]).
    pub id: String,
    /// The canonical URL.
    pub url: String,
    /// The headline.
    pub title: String,
    /// The source's name.
    pub source: String,
    /// The publication date, RFC 3339.
    pub published: String,
    /// The relevance score (0 when sorted by date).
    pub score: f32,
    /// The article's tags, `kind/key`.
    pub tags: Vec<String>,
    /// A passage of the text around the query words.
    pub snippet: String,
    /// Byte ranges of the query's words in `snippet`, to highlight.
    pub highlights: Vec<[usize; 2]>,
    /// The language code, if known.
    pub lang: String,
    /// The article's money amounts in U.S. dollars (`amount_usd`), as indexed.
    pub amounts_usd: Vec<u64>,
    /// The id of the first-seen near-duplicate: copies of one story share it.
    pub cluster: String,
    /// With `collapse`: every outlet that ran a matching copy of this story, most copies
    /// first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlets: Option<Vec<String>>,
    /// With `collapse`: how many matching articles this hit stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<usize>,
}

impl Index {
    /// A searcher on the latest commit. The reader is made once per [`Index`] and
    /// reloaded on each call: making one per search costs a file watcher thread.
    pub(crate) fn searcher(&self) -> Result<Searcher> {
        let reader = match self.reader.get() {
            Some(reader) => reader,
            None => {
                let reader = self
                    .index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::Manual)
                    .try_into()
                    .map_err(|e| Error::tantivy(&self.dir, e))?;
                self.reader.get_or_init(|| reader)
            }
        };
        reader.reload().map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(reader.searcher())
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.searcher()?;
        let text_query = self.text_query(&request.query)?;
        let query = self.filtered(text_query.box_clone(), request)?;
        let tantivy_err = |e| Error::tantivy(&self.dir, e);
        if request.limit == 0 {
            let total = searcher.search(&query, &Count).map_err(tantivy_err)?;
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let (top, total) = if request.collapse {
            let total = searcher.search(&query, &Count).map_err(tantivy_err)?;
            (self.collapsed(&searcher, &*query, request)?, total)
        } else {
            self.top(
                &searcher,
                &*query,
                request.sort,
                request.offset,
                request.limit,
            )?
        };
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, self.fields.body)
            .map_err(tantivy_err)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address, copies) in top {
            let mut hit = self.hit(&searcher, &snippets, score, address)?;
            if let Some(cluster) = copies {
                let (outlets, count) = self.outlets(&searcher, &*query, cluster)?;
                hit.outlets = Some(outlets);
                hit.copies = Some(count);
            }
            hits.push(hit);
        }
        Ok(SearchResults { total, hits })
    }

    /// The top hits in `sort` order, with the total count: (score, address, None).
    #[allow(clippy::type_complexity)]
    fn top(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<(f32, DocAddress, Option<u64>)>, usize)> {
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let by_date = |order| -> Result<(Vec<(f32, DocAddress, Option<u64>)>, usize)> {
            let collector = TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_fast_field::<tantivy::DateTime>("published", order);
            let (docs, total) = searcher
                .search(query, &(collector, Count))
                .map_err(|e| Error::tantivy(&self.dir, e))?;
            Ok((
                docs.into_iter().map(|(_, a)| (0.0, a, None)).collect(),
                total,
            ))
        };
        match sort {
            Sort::Relevance => {
                let (docs, total) = searcher
                    .search(query, &(top.order_by_score(), Count))
                    .map_err(|e| Error::tantivy(&self.dir, e))?;
                Ok((docs.into_iter().map(|(s, a)| (s, a, None)).collect(), total))
            }
            Sort::Newest => by_date(Order::Desc),
            Sort::Oldest => by_date(Order::Asc),
        }
    }

    /// The best hit of each story (cluster), in `sort` order: pages through the hits until
    /// `limit` distinct stories are found (after skipping `offset` stories).
    fn collapsed(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<Vec<(f32, DocAddress, Option<u64>)>> {
        let wanted = request.offset + request.limit;
        let page = (wanted * 4).max(64);
        let mut columns = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let (docs, _) = self.top(searcher, query, request.sort, offset, page)?;
            let fetched = docs.len();
            for (score, address, _) in docs {
                let column = match columns.entry(address.segment_ord) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(
                        searcher
                            .segment_reader(address.segment_ord)
                            .fast_fields()
                            .u64("cluster")
                            .map_err(|e| Error::tantivy(&self.dir, e))?,
                    ),
                };
                // A document without a cluster is a story of its own.
                let cluster = column.first(address.doc_id);
                if cluster.is_none_or(|c| seen.insert(c)) {
                    out.push((score, address, cluster));
                    if out.len() == wanted {
                        return Ok(out.split_off(request.offset.min(out.len())));
                    }
                }
            }
            if fetched < page {
                return Ok(out.split_off(request.offset.min(out.len())));
            }
            offset += page;
        }
    }

    /// The outlets that ran a matching copy of `cluster`, most copies first, and the count.
    fn outlets(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        cluster: u64,
    ) -> Result<(Vec<String>, usize)> {
        let story = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.cluster, cluster),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "outlets": {"terms": {"field": "source", "size": MAX_OUTLETS}}
        }))
        .map_err(|e| Error::tantivy(&self.dir, e))?;
        let collector = AggregationCollector::from_aggs(aggs, AggContextParams::default());
        let (result, count) = searcher
            .search(&story, &(collector, Count))
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let json = serde_json::to_value(&result).map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok((crate::stats::bucket_keys(&json["outlets"]), count))
    }

    pub(crate) fn text_query(&self, query: &str) -> Result<Box<dyn Query>> {
        crate::query::parse(
            &self.index.schema(),
            self.fields.title,
            self.fields.body,
            query,
        )
    }

    /// `query` narrowed by the request's filters (not its limit, order or collapse).
    pub(crate) fn filtered(
        &self,
        query: Box<dyn Query>,
        request: &SearchRequest,
    ) -> Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        for tag in &request.tags {
            let parts: Vec<&str> = tag.trim_matches('/').split('/').collect();
            if parts.iter().any(|p| p.trim().is_empty()) {
                return Err(Error::Filter(format!(
                    "tag `{tag}`: expected KIND or KIND/KEY"
                )));
            }
            let term = Term::from_facet(self.fields.tags, &Facet::from_path(parts));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        let any_of =
            |field, values: &[String], lowercase: bool| -> Option<(Occur, Box<dyn Query>)> {
                (!values.is_empty()).then(|| {
                    let terms = values.iter().map(|v| {
                        let v = v.trim();
                        Term::from_field_text(
                            field,
                            &if lowercase {
                                v.to_lowercase()
                            } else {
                                v.to_string()
                            },
                        )
                    });
                    (
                        Occur::Must,
                        Box::new(TermSetQuery::new(terms)) as Box<dyn Query>,
                    )
                })
            };
        clauses.extend(any_of(self.fields.source, &request.sources, false));
        clauses.extend(any_of(self.fields.lang, &request.langs, true));
        clauses.extend(any_of(self.fields.url, &request.urls, false));
        if request.since.is_some() || request.until.is_some() {
            let bound = |date: Option<DateTime<Utc>>, inclusive: bool| match date {
                None => Bound::Unbounded,
                Some(date) => {
                    let term = Term::from_field_date(
                        self.fields.published,
                        tantivy::DateTime::from_timestamp_secs(date.timestamp()),
                    );
                    if inclusive {
                        Bound::Included(term)
                    } else {
                        Bound::Excluded(term)
                    }
                }
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(request.since, true),
                    bound(request.until, false),
                )),
            ));
        }
        Ok(if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        snippets: &SnippetGenerator,
        score: f32,
        address: DocAddress,
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let f = &self.fields;
        let stored = crate::stored::Stored(&doc);
        let (snippet, highlights) = match normalize(&snippets.snippet_from_doc(&doc)) {
            (text, _) if text.is_empty() => {
                let body: String = stored.text(f.body).chars().take(SNIPPET_CHARS).collect();
                (
                    body.split_whitespace().collect::<Vec<_>>().join(" "),
                    Vec::new(),
                )
            }
            found => found,
        };
        Ok(Hit {
            id: stored.text(f.id),
            url: stored.text(f.url),
            title: stored.text(f.title),
            source: stored.text(f.source),
            published: stored.date(f.published),
            score,
            tags: stored.tags(f.tags),
            snippet,
            highlights,
            lang: stored.text(f.lang),
            amounts_usd: stored.u64s(f.amount_usd),
            cluster: stored.cluster(f.cluster),
            outlets: None,
            copies: None,
        })
    }
}

/// The snippet's fragment on one line (runs of whitespace as one space, trimmed), with
/// its highlighted ranges moved to match.
fn normalize(snippet: &Snippet) -> (String, Vec<[usize; 2]>) {
    let fragment = snippet.fragment();
    // new_at[i]: where byte i of the fragment lands in the output.
    let mut new_at = vec![0usize; fragment.len() + 1];
    let mut out = String::with_capacity(fragment.len());
    let mut pending_space = false;
    for (i, c) in fragment.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            new_at[i] = out.len();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        new_at[i] = out.len();
        out.push(c);
    }
    new_at[fragment.len()] = out.len();
    let highlights = snippet
        .highlighted()
        .iter()
        .filter_map(|r| {
            let start = *new_at.get(r.start)?;
            let end = (*new_at.get(r.end)?).min(out.len());
            (start < end).then_some([start, end])
        })
        .collect();
    (out, highlights)
}
