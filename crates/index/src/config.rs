use serde::Deserialize;

/// The `[index]` table of the configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    /// Memory for the writer's indexing buffer, in MiB (tantivy needs at least 15 MiB
    /// per indexing thread). More memory means fewer, larger segments.
    pub writer_memory_mb: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            writer_memory_mb: default_writer_memory_mb(),
        }
    }
}

fn default_writer_memory_mb() -> usize {
    64
}

impl IndexConfig {
    /// The writer budget in bytes.
    pub fn writer_memory_bytes(&self) -> usize {
        self.writer_memory_mb.saturating_mul(1 << 20)
    }
}
