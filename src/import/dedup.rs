//! Later records replace earlier ones. The tap can emit a record twice: a
//! conversation modified while the tap pages through `modifiedAt` order
//! shows up on two pages, and two extracts can be imported as one
//! (`cat full.jsonl incremental.jsonl`). A snapshot with a duplicate key is
//! refused by `deskql ingest`, and the later copy is the newer one.
//!
//! Rows are written as they come (memory stays flat); each table remembers,
//! per key, where its latest row (or block of rows: all threads of a
//! conversation) sits in the file, about 32 bytes a key. Only when a key
//! came again is the file rewritten once at the end, without the rows that
//! were replaced, streaming batch by batch.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};
use arrow::array::BooleanArray;
use arrow::compute::filter_record_batch;
use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// A row's identity within its table: its key columns other than
/// `account_id` (the second part is 0 for one-column keys).
pub type Key = (i64, i64);

/// Rows of one table: where each key's latest rows are, and the rows
/// that later ones replaced.
#[derive(Debug, Default)]
pub struct LastWins {
    /// key -> (first row, number of rows) of its latest occurrence.
    latest: HashMap<Key, (u64, u64)>,
    /// Row ranges [start, end) replaced by a later occurrence of their key.
    superseded: Vec<(u64, u64)>,
}

impl LastWins {
    /// Rows `start..start + rows` are the newest for `key`.
    pub fn record(&mut self, key: Key, start: u64, rows: u64) {
        if let Some((old_start, old_rows)) = self.latest.insert(key, (start, rows))
            && old_rows > 0
        {
            self.superseded.push((old_start, old_start + old_rows));
        }
    }

    /// The replaced row ranges, in file order.
    pub fn superseded(&self) -> Vec<(u64, u64)> {
        let mut ranges = self.superseded.clone();
        ranges.sort_unstable();
        ranges
    }
}

/// Whether each row ordinal is kept, walking sorted, disjoint ranges once.
struct Keep<'a> {
    ranges: &'a [(u64, u64)],
    next: usize,
}

impl Keep<'_> {
    /// Ordinals must be asked in increasing order.
    fn kept(&mut self, ordinal: u64) -> bool {
        while self.next < self.ranges.len() && self.ranges[self.next].1 <= ordinal {
            self.next += 1;
        }
        !(self.next < self.ranges.len() && self.ranges[self.next].0 <= ordinal)
    }
}

/// Rewrite the Parquet file at `path` without the rows in `superseded`
/// (sorted, disjoint ranges of row ordinals). Returns the rows kept.
pub fn drop_rows(path: &Path, schema: &SchemaRef, superseded: &[(u64, u64)]) -> Result<u64> {
    let rewritten = path.with_extension("parquet.rewrite");
    let input = File::open(path).with_context(|| format!("reading back {}", path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(input)?.build()?;
    let output = File::create(&rewritten).with_context(|| format!("creating {}", rewritten.display()))?;
    let mut writer = ArrowWriter::try_new(BufWriter::new(output), schema.clone(), Some(super::writer::properties()?))?;
    let mut keep = Keep { ranges: superseded, next: 0 };
    let mut ordinal = 0u64;
    let mut kept = 0u64;
    for batch in reader {
        let batch = batch.with_context(|| format!("reading back {}", path.display()))?;
        let mask: BooleanArray = (0..batch.num_rows() as u64).map(|i| Some(keep.kept(ordinal + i))).collect();
        ordinal += batch.num_rows() as u64;
        let filtered = filter_record_batch(&batch, &mask)?;
        kept += filtered.num_rows() as u64;
        writer.write(&filtered)?;
    }
    let file = writer.into_inner()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all().with_context(|| format!("writing {}", rewritten.display()))?;
    std::fs::rename(&rewritten, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_supersedes_its_previous_rows_only() {
        let mut rows = LastWins::default();
        rows.record((1, 0), 0, 1);
        rows.record((9001, 0), 1, 5);
        rows.record((2, 0), 6, 1);
        rows.record((9001, 0), 7, 3);
        rows.record((1, 0), 10, 1);
        rows.record((7, 0), 11, 0);
        rows.record((7, 0), 11, 2);
        assert_eq!(rows.superseded(), vec![(0, 1), (1, 6)]);
    }

    #[test]
    fn keep_walks_the_ranges() {
        let ranges = [(0, 1), (3, 5)];
        let mut keep = Keep { ranges: &ranges, next: 0 };
        let kept: Vec<u64> = (0..7).filter(|o| keep.kept(*o)).collect();
        assert_eq!(kept, [1, 2, 5, 6]);
    }
}
