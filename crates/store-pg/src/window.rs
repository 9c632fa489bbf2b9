//! Syndication clusters, assigned once, at write time, under the article log's lock.
//!
//! The rule is the embedded writer's: an article joins the cluster of the first near-duplicate
//! (simhash within [`NEAR_DUPLICATE_BITS`]) among the most recent [`CLUSTER_WINDOW`] articles,
//! else starts its own. Here "first" and "most recent" follow the log's sequence, which is one
//! order for every ingester, so the cluster does not depend on which ingester or search node
//! saw an article first. Each ingester keeps the window in memory and catches up with the
//! rows other ingesters appended before it writes (it holds the log lock then, so nothing can
//! slip in between).

use std::collections::{BTreeMap, HashMap};

use newsmon_extractor::{NEAR_DUPLICATE_BITS, distance};

/// How many of the latest articles a new one is compared with (as in the tantivy writer).
pub(crate) const CLUSTER_WINDOW: usize = 100_000;

/// One article of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) seq: i64,
    /// The document's own number (from its id): its cluster when it copies nothing.
    pub(crate) own: u64,
    pub(crate) fingerprint: u64,
    pub(crate) cluster: u64,
}

/// The latest articles of the log, one entry per document (its latest version), by sequence.
#[derive(Debug, Default)]
pub(crate) struct Window {
    entries: BTreeMap<i64, Entry>,
    by_own: HashMap<u64, i64>,
    /// The log position the window reflects.
    pub(crate) last_seq: i64,
}

impl Window {
    /// The cluster of a document: that of the first near-duplicate in the window, then in
    /// `added` (this batch, not yet committed), else its own.
    pub(crate) fn cluster_for(&self, fingerprint: u64, own: u64, added: &[Entry]) -> u64 {
        // A text without words is no copy of anything.
        if fingerprint == 0 {
            return own;
        }
        self.entries
            .values()
            .chain(added)
            .find(|entry| distance(entry.fingerprint, fingerprint) <= NEAR_DUPLICATE_BITS)
            .map_or(own, |entry| entry.cluster)
    }

    /// Takes in a committed entry (its document's older entry leaves).
    pub(crate) fn apply(&mut self, entry: Entry) {
        self.last_seq = self.last_seq.max(entry.seq);
        if let Some(old) = self.by_own.remove(&entry.own) {
            self.entries.remove(&old);
        }
        if entry.fingerprint != 0 {
            self.entries.insert(entry.seq, entry);
            self.by_own.insert(entry.own, entry.seq);
        }
        while self.entries.len() > CLUSTER_WINDOW {
            if let Some((_, oldest)) = self.entries.pop_first() {
                self.by_own.remove(&oldest.own);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, own: u64, fingerprint: u64, cluster: u64) -> Entry {
        Entry {
            seq,
            own,
            fingerprint,
            cluster,
        }
    }

    #[test]
    fn a_copy_joins_the_first_near_duplicate_in_log_order() {
        let mut window = Window::default();
        window.apply(entry(1, 10, 0b1111_0000, 10));
        window.apply(entry(2, 20, 0b1111_0001, 10));
        window.apply(entry(3, 30, u64::MAX, 30));
        assert_eq!(window.cluster_for(0b1111_0011, 40, &[]), 10);
        assert_eq!(window.cluster_for(u64::MAX - 1, 40, &[]), 30);
        assert_eq!(window.cluster_for(0x00ff_ff00_0000_0000, 40, &[]), 40);
        assert_eq!(window.cluster_for(0, 40, &[]), 40);
        // Not yet committed entries of the same batch count, after the window's.
        let added = [entry(4, 50, 0x00ff_ff00_0000_0000, 50)];
        assert_eq!(window.cluster_for(0x00ff_ff00_0000_0001, 60, &added), 50);
        assert_eq!(window.last_seq, 3);
    }

    #[test]
    fn an_updated_document_keeps_one_entry_at_its_new_position() {
        let mut window = Window::default();
        window.apply(entry(1, 10, 0b1111, 10));
        window.apply(entry(2, 20, u64::MAX, 20));
        window.apply(entry(3, 10, u64::MAX - 1, 20));
        assert_eq!(window.entries.len(), 2);
        // The old text of document 10 is gone from the window.
        assert_eq!(window.cluster_for(0b1111, 30, &[]), 30);
        // An update to an empty text removes it.
        window.apply(entry(4, 20, 0, 20));
        assert_eq!(window.entries.len(), 1);
        assert_eq!(window.last_seq, 4);
    }
}
