//! The `line` format, as the DuckDB CLI's `.mode line`: one `column = value`
//! per line, names right-aligned, a blank line between rows. Newlines and
//! tabs inside a value are kept (a multi-line value reads as such); other
//! control characters are escaped (`text`).

use std::io::Write;

use anyhow::Result;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::cells::ColumnText;
use super::text::{self, Controls};

/// Write the rows of `batch`; `written` rows came before it. Returns the new count.
pub fn write(out: &mut dyn Write, schema: &SchemaRef, batch: &RecordBatch, written: usize) -> Result<usize> {
    let names: Vec<String> = schema.fields().iter().map(|f| text::escape(f.name(), Controls::EscapeAll)).collect();
    let width = names.iter().map(|n| text::width(n)).max().unwrap_or(0);
    let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect::<Result<_>>()?;
    for row in 0..batch.num_rows() {
        if written + row > 0 {
            writeln!(out)?;
        }
        for (name, column) in names.iter().zip(&columns) {
            let pad = " ".repeat(width - text::width(name));
            writeln!(out, "{pad}{name} = {}", text::escape(&column.text(row)?, Controls::KeepLines))?;
        }
    }
    Ok(written + batch.num_rows())
}
