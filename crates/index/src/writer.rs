//! The single writer of the index.

use std::collections::VecDeque;

use newsmon_extractor::{NEAR_DUPLICATE_BITS, distance, fingerprint};
use tantivy::schema::Facet;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::document::{document_id, id_number};
use crate::schema::Fields;
use crate::{Document, Error, Index, Result};

/// Where articles go. The tantivy [`Writer`] is one; a search-engine sink shared by
/// several ingesters is planned as another.
pub trait Sink {
    /// Adds a document, replacing any with the same canonical URL. Not visible before
    /// [`Sink::commit`].
    fn upsert(&mut self, document: &Document) -> Result<()>;
    /// Makes every upsert so far durable and visible, atomically.
    fn commit(&mut self) -> Result<()>;
}

/// The index's single writer; holding it locks the index against other processes.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    dir: std::path::PathBuf,
    /// The (fingerprint, cluster) of the most recent [`CLUSTER_WINDOW`] articles, oldest
    /// first: the index's at open, then each upsert's. A linear scan finds the first-seen
    /// near-duplicate among them.
    clusters: VecDeque<(u64, u64)>,
}

/// How many recent articles a new one is compared with for syndication. Wire copies run
/// within days of each other, and 100,000 articles is weeks of a busy beat; comparing
/// with every article ever indexed made each upsert cost O(index size): at a million
/// articles, 0.6 ms each, and indexing fell from 9,600 to 1,500 documents a second.
/// At 16 bytes and one XOR an entry, the window costs well under a millisecond.
const CLUSTER_WINDOW: usize = 100_000;

impl Index {
    /// Takes the writer lock. Fails at once with [`Error::Locked`] if another process
    /// writes to the index. `memory_bytes` is the indexing buffer (at least 15 MB a thread).
    pub fn writer(&self, memory_bytes: usize) -> Result<Writer> {
        let writer = self.index.writer(memory_bytes).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked {
                dir: self.dir.clone(),
            },
            other => Error::tantivy(&self.dir, other),
        })?;
        Ok(Writer {
            writer,
            fields: self.fields,
            dir: self.dir.clone(),
            clusters: self.clusters()?,
        })
    }

    /// The (fingerprint, cluster) of the most recent live documents, oldest first.
    fn clusters(&self) -> Result<VecDeque<(u64, u64)>> {
        let err = |e| Error::tantivy(&self.dir, e);
        let reader = self.index.reader().map_err(err)?;
        let searcher = reader.searcher();
        let mut out: Vec<(i64, u64, u64)> = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let fingerprints = fast.u64("fingerprint").map_err(err)?;
            let clusters = fast.u64("cluster").map_err(err)?;
            let fetched = fast.date("fetched").map_err(err)?;
            for doc in segment.doc_ids_alive() {
                if let (Some(fp), Some(cluster)) = (fingerprints.first(doc), clusters.first(doc)) {
                    let at = fetched.first(doc).map_or(0, |d| d.into_timestamp_secs());
                    out.push((at, fp, cluster));
                }
            }
        }
        out.sort_by_key(|(at, ..)| *at);
        let skip = out.len().saturating_sub(CLUSTER_WINDOW);
        Ok(out
            .into_iter()
            .skip(skip)
            .map(|(_, fp, c)| (fp, c))
            .collect())
    }
}

impl Writer {
    /// The cluster of a new document: that of the first-seen near-duplicate, else its own.
    fn cluster_for(&mut self, fingerprint: u64, own: u64) -> u64 {
        // A text without words has fingerprint 0: it is no copy of anything.
        if fingerprint == 0 {
            return own;
        }
        let cluster = self
            .clusters
            .iter()
            .find(|(fp, _)| distance(*fp, fingerprint) <= NEAR_DUPLICATE_BITS)
            .map_or(own, |(_, cluster)| *cluster);
        remember(&mut self.clusters, (fingerprint, cluster), CLUSTER_WINDOW);
        cluster
    }
}

/// Appends `entry`, forgetting the oldest entries beyond `window`.
fn remember(clusters: &mut VecDeque<(u64, u64)>, entry: (u64, u64), window: usize) {
    clusters.push_back(entry);
    while clusters.len() > window {
        clusters.pop_front();
    }
}

impl Sink for Writer {
    fn upsert(&mut self, document: &Document) -> Result<()> {
        let fingerprint = fingerprint(&document.article.text);
        let cluster = self.cluster_for(fingerprint, id_number(&document_id(&document.url)));
        self.replace(document, fingerprint, cluster)
    }

    fn commit(&mut self) -> Result<()> {
        self.writer
            .commit()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(())
    }
}

/// What a search node records in each index commit: the last article-log position the
/// commit holds, so that a restart resumes exactly there.
#[derive(serde::Serialize, serde::Deserialize)]
struct FollowPayload {
    applied_seq: i64,
}

impl Writer {
    /// Like [`Sink::upsert`], with the syndication cluster decided elsewhere (by the shared
    /// article log, so that every search node agrees) instead of from this index.
    pub fn upsert_clustered(&mut self, document: &Document, cluster: u64) -> Result<()> {
        let fingerprint = fingerprint(&document.article.text);
        remember(&mut self.clusters, (fingerprint, cluster), CLUSTER_WINDOW);
        self.replace(document, fingerprint, cluster)
    }

    /// Replaces the document at the same URL, if any, with `document`.
    fn replace(&mut self, document: &Document, fingerprint: u64, cluster: u64) -> Result<()> {
        let mut doc = to_tantivy(&self.fields, document);
        doc.add_u64(self.fields.fingerprint, fingerprint);
        doc.add_u64(self.fields.cluster, cluster);
        // Delete and add in the same commit: readers never see both or neither.
        self.writer
            .delete_term(Term::from_field_text(self.fields.url, &document.url));
        self.writer
            .add_document(doc)
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(())
    }

    /// Commits, recording `applied_seq` (the last article-log position applied) in the same
    /// commit: the documents and the position become durable together.
    pub fn commit_applied(&mut self, applied_seq: i64) -> Result<()> {
        let payload = serde_json::to_string(&FollowPayload { applied_seq }).unwrap_or_default();
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(())
    }
}

impl Index {
    /// The last article-log position applied, as recorded by [`Writer::commit_applied`];
    /// 0 for an index that never followed a log.
    pub fn applied_seq(&self) -> Result<i64> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|text| serde_json::from_str::<FollowPayload>(text).ok())
            .map_or(0, |payload| payload.applied_seq))
    }
}

fn to_tantivy(f: &Fields, document: &Document) -> TantivyDocument {
    let article = &document.article;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, document_id(&document.url));
    doc.add_text(f.url, &document.url);
    doc.add_text(f.title, article.title.as_deref().unwrap_or_default());
    doc.add_text(f.body, &article.text);
    doc.add_text(f.source, &document.source);
    let published = article.published.unwrap_or(document.fetched);
    doc.add_date(
        f.published,
        DateTime::from_timestamp_secs(published.timestamp()),
    );
    doc.add_date(
        f.fetched,
        DateTime::from_timestamp_secs(document.fetched.timestamp()),
    );
    for mention in &document.mentions {
        doc.add_facet(f.tags, Facet::from_path(mention.tag.split('/')));
    }
    if let Some(lang) = &article.language {
        doc.add_text(f.lang, lang);
    }
    if let Some(byline) = &article.byline {
        doc.add_text(f.byline, byline);
    }
    // Serialising plain data to a string cannot fail.
    let mentions = serde_json::to_string(&document.mentions).unwrap_or_default();
    doc.add_text(f.mentions, mentions);
    doc.add_text(f.content_hash, &document.content_hash);
    let amounts = serde_json::to_string(&document.amounts).unwrap_or_default();
    doc.add_text(f.amounts, amounts);
    for amount in &document.amounts {
        for usd in amount.usd.iter().chain(&amount.usd_max) {
            doc.add_u64(f.amount_usd, *usd);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_applied_position_survives_a_reopen_with_its_documents() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open_or_create(dir.path()).unwrap();
        assert_eq!(index.applied_seq().unwrap(), 0);
        let mut writer = index.writer(15_000_000).unwrap();
        let document = Document {
            url: "https://example.com/a".into(),
            source: "Example".into(),
            article: newsmon_extractor::Article {
                text: "Leaders met in Paris on Tuesday.".into(),
                ..Default::default()
            },
            mentions: vec![],
            amounts: vec![],
            fetched: chrono::Utc::now(),
            content_hash: "h".into(),
        };
        writer.upsert_clustered(&document, 42).unwrap();
        // Applying the same entry again replaces it: idempotent.
        writer.upsert_clustered(&document, 42).unwrap();
        writer.commit_applied(7).unwrap();
        drop(writer);
        let index = Index::open(dir.path()).unwrap();
        assert_eq!(index.applied_seq().unwrap(), 7);
        assert_eq!(index.num_docs().unwrap(), 1);
        let results = index
            .search(&crate::SearchRequest {
                query: "paris".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(results.hits[0].cluster, "000000000000002a");
    }

    #[test]
    fn the_cluster_window_forgets_the_oldest() {
        let mut clusters = VecDeque::new();
        for i in 0..5 {
            remember(&mut clusters, (i, i), 3);
        }
        assert_eq!(clusters, VecDeque::from([(2, 2), (3, 3), (4, 4)]));
    }
}
