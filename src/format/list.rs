//! The `list` format, as the DuckDB CLI's `.mode list`: a header line, then
//! one line per row, values separated by `|`, NULL as `NULL`. Values are not
//! quoted (`csv` is the format for data); control characters are escaped
//! (`text`), so a row is always one line.

use std::io::Write;

use anyhow::Result;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::cells::ColumnText;
use super::text::{self, Controls};

pub const SEPARATOR: &str = "|";

pub fn write_header(out: &mut dyn Write, schema: &SchemaRef) -> Result<()> {
    if schema.fields().is_empty() {
        return Ok(());
    }
    let names: Vec<String> = schema.fields().iter().map(|f| text::escape(f.name(), Controls::EscapeAll)).collect();
    writeln!(out, "{}", names.join(SEPARATOR))?;
    Ok(())
}

pub fn write(out: &mut dyn Write, batch: &RecordBatch) -> Result<()> {
    let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect::<Result<_>>()?;
    for row in 0..batch.num_rows() {
        let values = columns.iter().map(|c| Ok(text::escape(&c.text(row)?, Controls::EscapeAll))).collect::<Result<Vec<_>>>()?;
        writeln!(out, "{}", values.join(SEPARATOR))?;
    }
    Ok(())
}
