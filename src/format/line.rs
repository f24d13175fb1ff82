//! The `line` format, as the DuckDB CLI's `.mode line`: one `column = value`
//! per line, names right-aligned, a blank line between rows.

use std::io::Write;

use anyhow::Result;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::cells::ColumnText;

/// Write the rows of `batch`; `written` rows came before it. Returns the new count.
pub fn write(out: &mut dyn Write, schema: &SchemaRef, batch: &RecordBatch, written: usize) -> Result<usize> {
    let names: Vec<&String> = schema.fields().iter().map(|f| f.name()).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect();
    for row in 0..batch.num_rows() {
        if written + row > 0 {
            writeln!(out)?;
        }
        for (name, column) in names.iter().zip(&columns) {
            writeln!(out, "{name:>width$} = {}", column.text(row))?;
        }
    }
    Ok(written + batch.num_rows())
}
