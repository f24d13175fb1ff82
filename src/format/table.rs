//! The `table` format: a box table drawn by comfy-table.

use std::io::Write;

use anyhow::Result;
use arrow::record_batch::RecordBatch;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};

use super::cells::{self, ColumnText};
use super::elide::Elided;
use super::{Style, TableOptions};

/// comfy-table's UTF8_FULL_CONDENSED with plain lines inside, like the DuckDB CLI.
const BOX: &str = "││──├─┼┤│    ┬┴┌┐└┘";

/// The cell standing for the rows left out of an elided table.
const ELISION_MARK: &str = "…";

pub fn write(out: &mut dyn Write, rows: &Elided, options: &TableOptions, style: Style) -> Result<()> {
    let fields = rows.schema.fields();
    if fields.is_empty() {
        return Ok(()); // a statement without a result (CREATE, SET, ...)
    }
    let mut table = Table::new();
    table.load_preset(BOX);
    // Never ask comfy-table to look at stdout: the output may be a file, and
    // the caller knows the width.
    table.force_no_tty();
    if style == Style::Terminal {
        table.enforce_styling();
    }
    if let Some(width) = options.max_width {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
    }
    table.set_header(fields.iter().map(|f| Cell::new(f.name())));
    for batch in &rows.head {
        add_rows(&mut table, batch, style);
    }
    if rows.is_elided() {
        table.add_row(fields.iter().map(|_| Cell::new(ELISION_MARK)));
    }
    for batch in &rows.tail {
        add_rows(&mut table, batch, style);
    }
    for (index, field) in fields.iter().enumerate() {
        if cells::is_numeric(field.data_type())
            && let Some(column) = table.column_mut(index)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "{table}")?;
    if rows.is_elided() {
        writeln!(out, "{} rows, {} shown", rows.total, rows.shown())?;
    }
    Ok(())
}

fn add_rows(table: &mut Table, batch: &RecordBatch, style: Style) {
    let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect();
    for row in 0..batch.num_rows() {
        table.add_row(columns.iter().map(|column| match column.get(row) {
            Some(text) => Cell::new(text),
            None => null_cell(style),
        }));
    }
}

/// NULL reads `NULL`, dimmed on a terminal so it stands apart from the text 'NULL'.
fn null_cell(style: Style) -> Cell {
    let cell = Cell::new(cells::NULL_TEXT);
    match style {
        Style::Terminal => cell.add_attribute(Attribute::Dim),
        Style::Plain => cell,
    }
}
