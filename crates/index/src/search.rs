//! Queries and filters in, hits ready to print out.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::{Error, Index, Result};

/// Title words weigh this much more than body words.
const TITLE_BOOST: f32 = 3.0;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

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
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            tags: Vec::new(),
            since: None,
            until: None,
            limit: 10,
        }
    }
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many articles match in all (not only those returned).
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
    /// The relevance score.
    pub score: f32,
    /// The article's tags, `kind/key`.
    pub tags: Vec<String>,
    /// A passage of the text around the query words.
    pub snippet: String,
    /// The article's money amounts in U.S. dollars (`amount_usd`), as indexed.
    pub amounts_usd: Vec<u64>,
    /// The id of the first-seen near-duplicate: copies of one story share it.
    pub cluster: String,
}

impl Index {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let reader = self
            .index
            .reader()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let searcher = reader.searcher();
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
        let (top, total) = searcher
            .search(
                &query,
                &(TopDocs::with_limit(request.limit).order_by_score(), Count),
            )
            .map_err(tantivy_err)?;
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, self.fields.body)
            .map_err(tantivy_err)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, &snippets, score, address))
            .collect::<Result<Vec<_>>>()?;
        Ok(SearchResults { total, hits })
    }

    fn text_query(&self, query: &str) -> Result<Box<dyn Query>> {
        let query = query.trim();
        if query.is_empty() || query == "*" {
            return Ok(Box::new(AllQuery));
        }
        let mut parser =
            QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.fields.title, TITLE_BOOST);
        parser.parse_query(query).map_err(|e| Error::Query {
            query: query.to_string(),
            message: e.to_string(),
        })
    }

    fn filtered(&self, query: Box<dyn Query>, request: &SearchRequest) -> Result<Box<dyn Query>> {
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
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let published = doc
            .get_first(f.published)
            .and_then(|v| v.as_datetime())
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
            .map(|d| d.to_rfc3339())
            .unwrap_or_default();
        let tags = doc
            .get_all(f.tags)
            .filter_map(|v| {
                v.as_facet()
                    .map(|f| f.split('\0').collect::<Vec<_>>().join("/"))
            })
            .collect();
        let mut snippet = snippets
            .snippet_from_doc(&doc)
            .fragment()
            .trim()
            .to_string();
        if snippet.is_empty() {
            let body = text(f.body);
            snippet = body.chars().take(SNIPPET_CHARS).collect();
        }
        Ok(Hit {
            id: text(f.id),
            url: text(f.url),
            title: text(f.title),
            source: text(f.source),
            published,
            score,
            tags,
            snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            amounts_usd: doc
                .get_all(f.amount_usd)
                .filter_map(|v| v.as_u64())
                .collect(),
            cluster: doc
                .get_first(f.cluster)
                .and_then(|v| v.as_u64())
                .map(|c| format!("{c:016x}"))
                .unwrap_or_default(),
        })
    }
}
