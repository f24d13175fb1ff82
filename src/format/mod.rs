//! Rendering of query results (Arrow record batches) in every output format:
//! the REPL, `deskql sql` and the reports all print through here.
//!
//! - `table`: a box table (comfy-table), numbers right-aligned, NULL shown as
//!   `NULL` (dimmed when styled for a terminal), long results elided to the
//!   first and last rows with an explicit "N rows, K shown" footer.
//! - `csv`, `json`, `jsonl`: the Arrow writers (`arrow::csv`, `arrow::json`).
//! - `markdown`: a GitHub table; `line`: one `column = value` per line.
//!
//! `ResultWriter` takes batches one at a time, so a result is printed while
//! DuckDB streams it and an elided table keeps only the rows it shows.

mod cells;
mod delimited;
mod elide;
mod line;
mod markdown;
mod table;

use std::io::Write;

use anyhow::Result;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

pub use delimited::json_rows;

/// Output format of a result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Jsonl,
    Markdown,
    Line,
}

impl Format {
    /// The name used on the command line and by `.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "markdown",
            Format::Line => "line",
        }
    }

    /// Parse a format name (as `.format NAME` receives it).
    pub fn parse(name: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(name, true).ok()
    }

    /// Every format name, for help texts and completion.
    pub fn names() -> Vec<&'static str> {
        <Format as clap::ValueEnum>::value_variants().iter().map(|f| f.name()).collect()
    }
}

/// Limits of the `table` format (other formats always write every row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Show at most this many rows (the first and the last ones) and say how
    /// many there were. `None`: every row.
    pub max_rows: Option<usize>,
    /// Wrap cells so the table fits this many columns (the terminal width).
    /// `None`: no limit.
    pub max_width: Option<usize>,
}

/// A box table of text cells with `header`: the style of deskql's own
/// listings (snapshots, report cards, comparisons, benchmark results).
pub fn text_table<T: Into<comfy_table::Row>>(header: T) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(header);
    table
}

/// Write a whole result in `format`. An empty result still writes its header
/// (table, markdown, csv) or `[]` (json).
pub fn write_batches(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: Format,
    options: &TableOptions,
) -> Result<()> {
    let mut writer = ResultWriter::new(out, schema.clone(), format, options, Style::Plain)?;
    for batch in batches {
        writer.push(batch)?;
    }
    writer.finish()
}

/// Whether table output may use terminal styling (ANSI) to set NULL apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Terminal,
}

/// A result being written batch by batch.
pub struct ResultWriter<'a> {
    out: &'a mut dyn Write,
    inner: Inner,
}

enum Inner {
    /// Collected (within the row limit) and drawn at the end, when the column
    /// widths are known.
    Table { rows: elide::Elided, options: TableOptions, style: Style },
    Markdown { rows: elide::Elided },
    Line { schema: SchemaRef, rows_written: usize },
    Csv(delimited::Csv),
    Json(delimited::Json),
}

impl<'a> ResultWriter<'a> {
    pub fn new(out: &'a mut dyn Write, schema: SchemaRef, format: Format, options: &TableOptions, style: Style) -> Result<Self> {
        let inner = match format {
            Format::Table => Inner::Table { rows: elide::Elided::new(schema, options.max_rows), options: *options, style },
            Format::Markdown => Inner::Markdown { rows: elide::Elided::new(schema, None) },
            Format::Line => Inner::Line { schema, rows_written: 0 },
            Format::Csv => Inner::Csv(delimited::Csv::new(schema)?),
            Format::Json => Inner::Json(delimited::Json::new(schema, delimited::JsonShape::Array)),
            Format::Jsonl => Inner::Json(delimited::Json::new(schema, delimited::JsonShape::Lines)),
        };
        Ok(ResultWriter { out, inner })
    }

    pub fn push(&mut self, batch: &RecordBatch) -> Result<()> {
        match &mut self.inner {
            Inner::Table { rows, .. } | Inner::Markdown { rows } => rows.push(batch),
            Inner::Line { schema, rows_written } => *rows_written = line::write(self.out, schema, batch, *rows_written)?,
            Inner::Csv(csv) => csv.write(self.out, batch)?,
            Inner::Json(json) => json.write(self.out, batch)?,
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self.inner {
            Inner::Table { rows, options, style } => table::write(self.out, &rows, &options, style)?,
            Inner::Markdown { rows } => markdown::write(self.out, &rows)?,
            Inner::Line { .. } => {}
            Inner::Csv(csv) => csv.finish(self.out)?,
            Inner::Json(json) => json.finish(self.out)?,
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
