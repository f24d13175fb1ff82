//! Keeping the rows a bounded table shows: the first and the last ones, and
//! the count of every row, without holding the whole result in memory.

use std::collections::VecDeque;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

/// The rows of a result as a table shows them.
pub struct Elided {
    pub schema: SchemaRef,
    /// The first rows, in order.
    pub head: Vec<RecordBatch>,
    /// The last rows (after the head), in order; trimmed as batches arrive.
    pub tail: VecDeque<RecordBatch>,
    /// Every row of the result, shown or not.
    pub total: usize,
    head_keep: usize,
    tail_keep: usize,
    head_rows: usize,
    tail_rows: usize,
}

impl Elided {
    /// `limit`: rows to show at most (half from the start, half from the end);
    /// `None` keeps everything.
    pub fn new(schema: SchemaRef, limit: Option<usize>) -> Elided {
        // A limit of 0 would show nothing at all: take it as "no limit".
        let (head_keep, tail_keep) = match limit.filter(|&limit| limit > 0) {
            Some(limit) => (limit.div_ceil(2), limit / 2),
            None => (usize::MAX, 0),
        };
        Elided { schema, head: Vec::new(), tail: VecDeque::new(), total: 0, head_keep, tail_keep, head_rows: 0, tail_rows: 0 }
    }

    pub fn push(&mut self, batch: &RecordBatch) {
        let rows = batch.num_rows();
        self.total += rows;
        let to_head = rows.min(self.head_keep - self.head_rows);
        if to_head > 0 {
            self.head.push(batch.slice(0, to_head));
            self.head_rows += to_head;
        }
        if to_head < rows && self.tail_keep > 0 {
            self.tail.push_back(batch.slice(to_head, rows - to_head));
            self.tail_rows += rows - to_head;
            self.trim_tail();
        }
    }

    /// Drop whole batches, then the front of the first one, beyond `tail_keep`.
    fn trim_tail(&mut self) {
        while let Some(front) = self.tail.front() {
            let excess = self.tail_rows.saturating_sub(self.tail_keep);
            if excess == 0 {
                break;
            }
            if front.num_rows() <= excess {
                self.tail_rows -= front.num_rows();
                self.tail.pop_front();
            } else {
                let kept = front.slice(excess, front.num_rows() - excess);
                self.tail_rows -= excess;
                self.tail[0] = kept;
            }
        }
    }

    /// Rows that will be shown.
    pub fn shown(&self) -> usize {
        self.head_rows + self.tail_rows
    }

    /// Whether rows were left out between the head and the tail.
    pub fn is_elided(&self) -> bool {
        self.shown() < self.total
    }
}
