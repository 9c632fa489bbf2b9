//! Whole articles read back from the index: `show` one, `export` many.

use chrono::{DateTime, Utc};
use newsmon_extractor::{Amount, Mention};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::{Error, Index, Result, SearchRequest};

/// Reads the stored values of one document.
pub(crate) struct Stored<'a>(pub(crate) &'a TantivyDocument);

impl Stored<'_> {
    pub(crate) fn text(&self, field: Field) -> String {
        self.0
            .get_first(field)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub(crate) fn datetime(&self, field: Field) -> Option<DateTime<Utc>> {
        self.0
            .get_first(field)
            .and_then(|v| v.as_datetime())
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
    }

    /// RFC 3339, or empty.
    pub(crate) fn date(&self, field: Field) -> String {
        self.datetime(field)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    pub(crate) fn u64s(&self, field: Field) -> Vec<u64> {
        self.0.get_all(field).filter_map(|v| v.as_u64()).collect()
    }

    /// A cluster id as 16 hex digits, or empty.
    pub(crate) fn cluster(&self, field: Field) -> String {
        self.0
            .get_first(field)
            .and_then(|v| v.as_u64())
            .map(|c| format!("{c:016x}"))
            .unwrap_or_default()
    }

    pub(crate) fn tags(&self, field: Field) -> Vec<String> {
        self.0
            .get_all(field)
            .filter_map(|v| {
                v.as_facet()
                    .map(|f| f.split('\0').collect::<Vec<_>>().join("/"))
            })
            .collect()
    }
}

/// One article as stored in the index, with its tags' evidence and its amounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    /// The document id.
    pub id: String,
    /// The canonical URL.
    pub url: String,
    /// The headline.
    pub title: String,
    /// The source's name.
    pub source: String,
    /// The publication date, RFC 3339.
    pub published: String,
    /// When it was fetched, RFC 3339.
    pub fetched: String,
    /// The language code, if known.
    pub lang: String,
    /// The author line, if any.
    pub byline: String,
    /// The tags, `kind/key`.
    pub tags: Vec<String>,
    /// Every tag with its evidence sentence (and, for funding keys, its amounts).
    pub mentions: Vec<Mention>,
    /// Every money amount of the text.
    pub amounts: Vec<Amount>,
    /// The amounts in U.S. dollars, as indexed (`amount_usd`).
    pub amounts_usd: Vec<u64>,
    /// The story's cluster (copies share it).
    pub cluster: String,
    /// The article text, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Index {
    pub(crate) fn stored_article(&self, doc: &TantivyDocument, with_text: bool) -> StoredArticle {
        let f = &self.fields;
        let stored = Stored(doc);
        StoredArticle {
            id: stored.text(f.id),
            url: stored.text(f.url),
            title: stored.text(f.title),
            source: stored.text(f.source),
            published: stored.date(f.published),
            fetched: stored.date(f.fetched),
            lang: stored.text(f.lang),
            byline: stored.text(f.byline),
            tags: stored.tags(f.tags),
            // Written by this crate from plain data; an unreadable value shows as none.
            mentions: serde_json::from_str(&stored.text(f.mentions)).unwrap_or_default(),
            amounts: serde_json::from_str(&stored.text(f.amounts)).unwrap_or_default(),
            amounts_usd: stored.u64s(f.amount_usd),
            cluster: stored.cluster(f.cluster),
            text: with_text.then(|| stored.text(f.body)),
        }
    }

    /// The article with this id or canonical URL, text included.
    pub fn article(&self, id_or_url: &str) -> Result<Option<StoredArticle>> {
        let searcher = self.searcher()?;
        let key = id_or_url.trim();
        let query = BooleanQuery::new(vec![
            (Occur::Should, term_query(self.fields.id, key)),
            (Occur::Should, term_query(self.fields.url, key)),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let Some((_, address)) = top.into_iter().next() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(Some(self.stored_article(&doc, true)))
    }

    /// Every article matching the request's query and filters, oldest first, read one at a
    /// time: only their addresses are held in memory (16 bytes an article).
    pub fn export(&self, request: &SearchRequest, with_text: bool) -> Result<Export> {
        let searcher = self.searcher()?;
        let query = self.filtered(self.text_query(&request.query)?, request)?;
        let addresses = addresses_by_date(&searcher, &*query, &self.dir)?;
        Ok(Export {
            index: self.clone(),
            searcher,
            addresses: addresses.into_iter(),
            with_text,
        })
    }
}

/// Every matching document's address, oldest published first. Only the matches are held
/// (a top-k collector sized to the whole index would reserve room for every document).
pub(crate) fn addresses_by_date(
    searcher: &Searcher,
    query: &dyn Query,
    dir: &std::path::Path,
) -> Result<Vec<DocAddress>> {
    let mut keyed = Vec::new();
    for (address, published) in matches(searcher, query, dir)? {
        keyed.push((published, address));
    }
    keyed.sort_unstable();
    Ok(keyed.into_iter().map(|(_, address)| address).collect())
}

/// Every matching document's address with its publication time (seconds), in index order:
/// reading stored documents in this order decompresses each block of the store once.
pub(crate) fn matches(
    searcher: &Searcher,
    query: &dyn Query,
    dir: &std::path::Path,
) -> Result<Vec<(DocAddress, i64)>> {
    let err = |e| Error::tantivy(dir, e);
    let found = searcher
        .search(query, &tantivy::collector::DocSetCollector)
        .map_err(err)?;
    let mut addresses: Vec<DocAddress> = found.into_iter().collect();
    addresses.sort_unstable();
    let mut out = Vec::with_capacity(addresses.len());
    let mut column = None;
    let mut segment = u32::MAX;
    for address in addresses {
        if address.segment_ord != segment {
            segment = address.segment_ord;
            column = Some(
                searcher
                    .segment_reader(segment)
                    .fast_fields()
                    .date("published")
                    .map_err(err)?,
            );
        }
        let published = column
            .as_ref()
            .and_then(|c| c.first(address.doc_id))
            .map_or(i64::MIN, |d| d.into_timestamp_secs());
        out.push((address, published));
    }
    Ok(out)
}

fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The articles of [`Index::export`], read from the index as they are iterated.
pub struct Export {
    index: Index,
    searcher: Searcher,
    addresses: std::vec::IntoIter<DocAddress>,
    with_text: bool,
}

impl Export {
    /// How many articles are left.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    /// Whether none is left.
    pub fn is_empty(&self) -> bool {
        self.addresses.len() == 0
    }
}

impl Iterator for Export {
    type Item = Result<StoredArticle>;

    fn next(&mut self) -> Option<Self::Item> {
        let address = self.addresses.next()?;
        Some(
            self.searcher
                .doc::<TantivyDocument>(address)
                .map_err(|e| Error::tantivy(&self.index.dir, e))
                .map(|doc| self.index.stored_article(&doc, self.with_text)),
        )
    }
}
