//! Streaming Parquet output: one writer per table, rows appended through
//! Arrow builders and flushed every `BATCH_ROWS` rows, so memory stays bounded
//! whatever the snapshot size. Writer properties are fixed (compression,
//! row-group size, `created_by`) so the same rows always give the same bytes.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder, Time64MicrosecondBuilder,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::tables::{Clock, Kind, Layout, TableSpec};

/// Rows per Arrow record batch.
const BATCH_ROWS: usize = 64 * 1024;
/// Rows per Parquet row group.
const ROW_GROUP_ROWS: usize = 1024 * 1024;
/// A part file of a split table is closed after this many rows.
const MAX_PART_ROWS: u64 = 8 * 1024 * 1024;

enum Column {
    Id(Int64Builder),
    Int(Int32Builder),
    Text(StringBuilder),
    Bool(BooleanBuilder),
    Time(TimestampMicrosecondBuilder),
    Date(Date32Builder),
    TimeOfDay(Time64MicrosecondBuilder),
    TextList(ListBuilder<StringBuilder>),
}

fn list_item() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

fn time_zone(clock: Clock) -> Option<Arc<str>> {
    match clock {
        Clock::Utc => Some("UTC".into()),
        Clock::Naive => None,
    }
}

fn data_type(kind: Kind, clock: Clock) -> DataType {
    match kind {
        Kind::Id => DataType::Int64,
        Kind::Int => DataType::Int32,
        Kind::Text => DataType::Utf8,
        Kind::Bool => DataType::Boolean,
        Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, time_zone(clock)),
        Kind::Date => DataType::Date32,
        Kind::TimeOfDay => DataType::Time64(TimeUnit::Microsecond),
        Kind::TextList => DataType::List(list_item()),
    }
}

impl Column {
    fn new(kind: Kind, clock: Clock) -> Column {
        match kind {
            Kind::Id => Column::Id(Int64Builder::new()),
            Kind::Int => Column::Int(Int32Builder::new()),
            Kind::Text => Column::Text(StringBuilder::new()),
            Kind::Bool => Column::Bool(BooleanBuilder::new()),
            Kind::Time => Column::Time(TimestampMicrosecondBuilder::new().with_timezone_opt(time_zone(clock))),
            Kind::Date => Column::Date(Date32Builder::new()),
            Kind::TimeOfDay => Column::TimeOfDay(Time64MicrosecondBuilder::new()),
            Kind::TextList => Column::TextList(ListBuilder::new(StringBuilder::new()).with_field(list_item())),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Id(b) => Arc::new(b.finish()),
            Column::Int(b) => Arc::new(b.finish()),
            Column::Text(b) => Arc::new(b.finish()),
            Column::Bool(b) => Arc::new(b.finish()),
            Column::Time(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::TimeOfDay(b) => Arc::new(b.finish()),
            Column::TextList(b) => Arc::new(b.finish()),
        }
    }
}

fn properties() -> Result<WriterProperties> {
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by("deskql generate".to_string())
        .build())
}

/// The files a table is written to, relative to the snapshot folder.
pub fn table_path(dir: &Path, spec: &TableSpec) -> PathBuf {
    match spec.layout {
        Layout::File => dir.join(format!("{}.parquet", spec.name)),
        Layout::Parts => dir.join(spec.name),
    }
}

pub struct TableWriter {
    spec: &'static TableSpec,
    schema: SchemaRef,
    columns: Vec<Column>,
    pending: usize,
    rows: u64,
    dir: PathBuf,
    writer: Option<ArrowWriter<BufWriter<File>>>,
    /// Part files opened so far (split tables).
    parts: u32,
    /// Rows since the current part was started (split tables).
    part_rows: u64,
}

impl TableWriter {
    pub fn create(dir: &Path, spec: &'static TableSpec) -> Result<TableWriter> {
        let fields: Vec<Field> = spec.columns.iter().map(|(name, kind)| Field::new(*name, data_type(*kind, spec.clock), true)).collect();
        let mut writer = TableWriter {
            spec,
            schema: Arc::new(Schema::new(fields)),
            columns: spec.columns.iter().map(|(_, kind)| Column::new(*kind, spec.clock)).collect(),
            pending: 0,
            rows: 0,
            dir: dir.to_path_buf(),
            writer: None,
            parts: 0,
            part_rows: 0,
        };
        if spec.layout == Layout::File {
            writer.open_file(table_path(dir, spec))?;
        } else {
            std::fs::create_dir_all(table_path(dir, spec)).with_context(|| format!("creating {}", table_path(dir, spec).display()))?;
        }
        Ok(writer)
    }

    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    fn open_file(&mut self, path: PathBuf) -> Result<()> {
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        self.writer = Some(ArrowWriter::try_new(BufWriter::new(file), self.schema.clone(), Some(properties()?))?);
        Ok(())
    }

    /// Split tables: close the current part; the next rows go to a new one.
    pub fn new_part(&mut self) -> Result<()> {
        if self.spec.layout == Layout::Parts {
            self.close_file()?;
            self.part_rows = 0;
        }
        Ok(())
    }

    fn open_part(&mut self) -> Result<()> {
        let path = table_path(&self.dir, self.spec).join(format!("part-{:05}.parquet", self.parts));
        self.open_file(path)?;
        self.parts += 1;
        Ok(())
    }

    fn close_file(&mut self) -> Result<()> {
        self.flush()?;
        if let Some(writer) = self.writer.take() {
            writer.close().with_context(|| format!("writing table {}", self.spec.name))?;
        }
        Ok(())
    }

    /// Start a row; columns are then given in contract order.
    pub fn row(&mut self) -> Row<'_> {
        Row { table: self, column: 0 }
    }

    fn end_row(&mut self, columns_given: usize) -> Result<()> {
        assert_eq!(columns_given, self.columns.len(), "generator bug: a {} row with {columns_given} columns", self.spec.name);
        self.pending += 1;
        self.rows += 1;
        self.part_rows += 1;
        if self.pending == BATCH_ROWS {
            self.flush()?;
        }
        if self.part_rows >= MAX_PART_ROWS {
            self.new_part()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        if self.writer.is_none() {
            self.open_part()?;
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.pending = 0;
        let writer = self.writer.as_mut().expect("a file is open while rows are pending");
        writer.write(&batch).with_context(|| format!("writing table {}", self.spec.name))?;
        Ok(())
    }

    /// Flush and close. A split table with no rows still gets one (empty) part,
    /// so the folder is a valid table.
    pub fn finish(mut self) -> Result<u64> {
        self.flush()?;
        if self.spec.layout == Layout::Parts && self.parts == 0 {
            self.open_part()?;
        }
        self.close_file()?;
        Ok(self.rows)
    }
}

/// One row being appended; each method fills the next column.
pub struct Row<'a> {
    table: &'a mut TableWriter,
    column: usize,
}

macro_rules! append {
    ($self:ident, $variant:ident, $builder:ident => $append:expr) => {{
        match $self.table.columns.get_mut($self.column) {
            Some(Column::$variant($builder)) => $append,
            _ => panic!(
                "generator bug: column {} of {} is not {}",
                $self.column,
                $self.table.spec.name,
                stringify!($variant)
            ),
        }
        $self.column += 1;
        $self
    }};
}

impl<'a> Row<'a> {
    pub fn id(mut self, value: i64) -> Self {
        append!(self, Id, b => b.append_value(value))
    }
    pub fn opt_id(mut self, value: Option<i64>) -> Self {
        append!(self, Id, b => b.append_option(value))
    }
    pub fn int(mut self, value: i32) -> Self {
        append!(self, Int, b => b.append_value(value))
    }
    pub fn text(mut self, value: &str) -> Self {
        append!(self, Text, b => b.append_value(value))
    }
    pub fn opt_text(mut self, value: Option<&str>) -> Self {
        append!(self, Text, b => b.append_option(value))
    }
    pub fn bool(mut self, value: bool) -> Self {
        append!(self, Bool, b => b.append_value(value))
    }
    pub fn time(mut self, value: i64) -> Self {
        append!(self, Time, b => b.append_value(value))
    }
    pub fn opt_time(mut self, value: Option<i64>) -> Self {
        append!(self, Time, b => b.append_option(value))
    }
    pub fn date(mut self, value: i32) -> Self {
        append!(self, Date, b => b.append_value(value))
    }
    pub fn opt_date(mut self, value: Option<i32>) -> Self {
        append!(self, Date, b => b.append_option(value))
    }
    /// A time of day, in microseconds since midnight.
    pub fn time_of_day(mut self, value: i64) -> Self {
        append!(self, TimeOfDay, b => b.append_value(value))
    }
    pub fn texts(mut self, values: &[&str]) -> Self {
        append!(self, TextList, b => {
            for value in values {
                b.values().append_value(value);
            }
            b.append(true)
        })
    }
    pub fn end(self) -> Result<()> {
        let given = self.column;
        self.table.end_row(given)
    }
}
