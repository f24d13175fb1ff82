//! Rendering of query results (Arrow record batches) in every output format:
//! the REPL, `deskql sql` and the reports all print through here.
//!
//! - `types`: how each DuckDB type reaches the formats (the rule per type)
//! - `table` (with `fit`): a box table like the DuckDB CLI's duckbox, numbers
//!   right-aligned, NULL shown as `NULL` (dimmed when styled for a
//!   terminal), long results elided to the first and last rows with an
//!   explicit "N rows, K shown" footer, long cells cut with a `…`, wide
//!   results fitted to the terminal by leaving out middle columns
//! - `csv`, `json`, `jsonl` (`delimited`): the Arrow writers
//! - `markdown`: a GitHub table; `line`: one `column = value` per line;
//!   `list`: values separated by `|`
//! - `text`: control characters escaped for the terminal formats
//! - `cells`: one value as text; `elide`: the rows a bounded table keeps
//!
//! `ResultWriter` takes batches one at a time, so a result is printed while
//! DuckDB streams it and an elided table keeps only the rows it shows.

mod cells;
mod delimited;
mod elide;
mod fit;
mod line;
mod list;
mod markdown;
mod table;
pub mod text;
pub mod types;

use std::io::Write;

use std::sync::Arc;

use anyhow::Result;
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

pub use delimited::json_rows;
pub use table::{CELL_LIMIT, Layout};

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
    List,
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
            Format::List => "list",
        }
    }

    /// Parse a format name (as `.format NAME` receives it), or a name of the
    /// DuckDB CLI's `.mode` that means the same.
    pub fn parse(name: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(name, true).ok().or_else(|| {
            let lower = name.to_ascii_lowercase();
            DUCKDB_MODES.iter().find(|(mode, _)| *mode == lower).map(|(_, format)| *format)
        })
    }

    /// The DuckDB CLI's mode names `parse` accepts besides deskql's own.
    pub fn mode_names() -> Vec<&'static str> {
        DUCKDB_MODES.iter().map(|(mode, _)| *mode).collect()
    }

    /// Every format name, for help texts and completion.
    pub fn names() -> Vec<&'static str> {
        <Format as clap::ValueEnum>::value_variants().iter().map(|f| f.name()).collect()
    }
}

/// The DuckDB CLI's `.mode` names and the deskql format each maps to
/// (`table` and `line`, `list`, `csv`, `json`, `markdown` are the same names).
const DUCKDB_MODES: &[(&str, Format)] = &[("box", Format::Table), ("duckbox", Format::Table), ("column", Format::Table), ("jsonlines", Format::Jsonl), ("ndjson", Format::Jsonl)];

/// Limits of the `table` format (other formats always write every row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Show at most this many rows (the first and the last ones) and say how
    /// many there were. `None`: every row.
    pub max_rows: Option<usize>,
    /// Fit the table within this many columns (the terminal width) by
    /// narrowing wide columns and leaving out middle ones. `None`: no limit.
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
    let mut writer = ResultWriter::new(out, schema.clone(), format, options, Layout::default(), Style::Plain)?;
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
    Table { rows: elide::Elided, options: TableOptions, layout: Layout, style: Style },
    Markdown { rows: elide::Elided, layout: Layout },
    Line { schema: SchemaRef, rows_written: usize },
    List,
    Csv(delimited::Csv),
    Json(delimited::Json),
}

impl<'a> ResultWriter<'a> {
    /// `layout`: the table's column types and cell limit (the types also
    /// align markdown); other formats ignore it.
    pub fn new(out: &'a mut dyn Write, schema: SchemaRef, format: Format, options: &TableOptions, layout: Layout, style: Style) -> Result<Self> {
        let schema = readable_schema(&schema);
        let inner = match format {
            Format::Table => Inner::Table { rows: elide::Elided::new(schema, options.max_rows), options: *options, layout, style },
            Format::Markdown => Inner::Markdown { rows: elide::Elided::new(schema, None), layout },
            Format::Line => Inner::Line { schema, rows_written: 0 },
            Format::List => {
                list::write_header(out, &schema)?;
                Inner::List
            }
            Format::Csv => Inner::Csv(delimited::Csv::new(schema)?),
            Format::Json => Inner::Json(delimited::Json::new(schema, delimited::JsonShape::Array)),
            Format::Jsonl => Inner::Json(delimited::Json::new(schema, delimited::JsonShape::Lines)),
        };
        Ok(ResultWriter { out, inner })
    }

    pub fn push(&mut self, batch: &RecordBatch) -> Result<()> {
        let batch = readable_batch(batch)?;
        match &mut self.inner {
            Inner::Table { rows, .. } | Inner::Markdown { rows, .. } => rows.push(&batch),
            Inner::Line { schema, rows_written } => *rows_written = line::write(self.out, schema, &batch, *rows_written)?,
            Inner::List => list::write(self.out, &batch)?,
            Inner::Csv(csv) => csv.write(self.out, &batch)?,
            Inner::Json(json) => json.write(self.out, &batch)?,
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self.inner {
            Inner::Table { rows, options, layout, style } => table::write(self.out, &rows, &options, &layout, style)?,
            Inner::Markdown { rows, layout } => markdown::write(self.out, &rows, layout.types.as_deref())?,
            Inner::Line { .. } | Inner::List => {}
            Inner::Csv(csv) => csv.finish(self.out)?,
            Inner::Json(json) => json.finish(self.out)?,
        }
        self.out.flush()?;
        Ok(())
    }
}

/// `schema` with time-zone labels Arrow can read (`cells::readable_time_zone`).
fn readable_schema(schema: &SchemaRef) -> SchemaRef {
    let zoned = |f: &Field| matches!(f.data_type(), arrow::datatypes::DataType::Timestamp(_, Some(zone)) if !zone.starts_with(['+', '-']));
    if !schema.fields().iter().any(|f| zoned(f)) {
        return schema.clone();
    }
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            arrow::datatypes::DataType::Timestamp(unit, Some(_)) if zoned(f) => f.as_ref().clone().with_data_type(arrow::datatypes::DataType::Timestamp(*unit, Some("+00:00".into()))),
            _ => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn readable_batch(batch: &RecordBatch) -> Result<RecordBatch> {
    let schema = readable_schema(&batch.schema());
    if Arc::ptr_eq(&schema, &batch.schema()) {
        return Ok(batch.clone());
    }
    let columns = batch.columns().iter().map(cells::readable_time_zone).collect();
    Ok(RecordBatch::try_new(schema, columns)?)
}

#[cfg(test)]
mod tests;
