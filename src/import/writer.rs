//! Writing contract Parquet files. The Arrow schema of every table is built
//! from the contract itself (`crate::contract`), so the snapshot has exactly
//! the column names and types `deskql ingest` expects; a row is given by
//! column name and checked (type, not-null, accepted values) before any of
//! its cells is appended.
//!
//! Rows are buffered in Arrow builders and flushed every `BATCH_ROWS` rows
//! into row groups of at most `ROW_GROUP_ROWS`, so memory stays flat whatever
//! the size of the export. The whole snapshot is written into a temporary
//! folder next to `--out` and renamed to it only when complete: a failed
//! import leaves no folder behind (`SnapshotWriter`'s `Drop`).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{ArrayRef, BooleanBuilder, Int64Builder, ListBuilder, StringBuilder, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::contract::{Column, Contract, Table};

use super::dedup::{Key, LastWins};

/// Rows per Arrow record batch (what is buffered before it is encoded).
const BATCH_ROWS: usize = 8 * 1024;
/// Rows per Parquet row group (what the Parquet writer buffers, encoded).
const ROW_GROUP_ROWS: usize = 64 * 1024;

/// One value of a row. Instants are microseconds since the epoch, UTC.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
    Time(i64),
    Texts(Vec<String>),
}

impl From<Option<i64>> for Cell {
    fn from(value: Option<i64>) -> Cell {
        value.map_or(Cell::Null, Cell::Int)
    }
}

impl From<Option<String>> for Cell {
    fn from(value: Option<String>) -> Cell {
        value.map_or(Cell::Null, Cell::Text)
    }
}

/// A row of a contract table, cells named by their column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    cells: Vec<(&'static str, Cell)>,
}

impl Row {
    /// A row of account `account_id` (every contract table has the column).
    pub fn of_account(account_id: i64) -> Row {
        Row::default().set("account_id", Cell::Int(account_id))
    }

    pub fn set(mut self, column: &'static str, cell: impl Into<Cell>) -> Row {
        self.cells.push((column, cell.into()));
        self
    }

    pub fn int(self, column: &'static str, value: i64) -> Row {
        self.set(column, Cell::Int(value))
    }

    pub fn text(self, column: &'static str, value: impl Into<String>) -> Row {
        self.set(column, Cell::Text(value.into()))
    }

    pub fn time(self, column: &'static str, value: Option<i64>) -> Row {
        self.set(column, value.map_or(Cell::Null, Cell::Time))
    }

    /// The cell of `column`, if the row sets it.
    pub fn get(&self, column: &str) -> Option<&Cell> {
        self.cells.iter().find(|(name, _)| *name == column).map(|(_, cell)| cell)
    }

    /// The text of `column`, if the row sets it to a text.
    #[cfg(test)]
    pub fn text_of(&self, column: &str) -> Option<&str> {
        match self.get(column) {
            Some(Cell::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// The integer of `column`, if the row sets it to one.
    #[cfg(test)]
    pub fn int_of(&self, column: &str) -> Option<i64> {
        match self.get(column) {
            Some(Cell::Int(value)) => Some(*value),
            _ => None,
        }
    }
}

/// How a contract column is held in Arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    Bool,
    Time,
    Texts,
}

impl Kind {
    fn of(column: &Column) -> Result<Kind> {
        Ok(match column.sql_type.as_str() {
            "BIGINT" => Kind::Int,
            "VARCHAR" => Kind::Text,
            "BOOLEAN" => Kind::Bool,
            "TIMESTAMP" => Kind::Time,
            "VARCHAR[]" => Kind::Texts,
            other => bail!("the importer cannot write column {} of type {other}", column.name),
        })
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::Int => DataType::Int64,
            Kind::Text => DataType::Utf8,
            Kind::Bool => DataType::Boolean,
            // tz-aware UTC: the ingest converts it to its plain UTC TIMESTAMP.
            Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Kind::Texts => DataType::List(list_item()),
        }
    }

    fn accepts(self, cell: &Cell) -> bool {
        matches!(
            (self, cell),
            (_, Cell::Null) | (Kind::Int, Cell::Int(_)) | (Kind::Text, Cell::Text(_)) | (Kind::Bool, Cell::Bool(_)) | (Kind::Time, Cell::Time(_)) | (Kind::Texts, Cell::Texts(_))
        )
    }
}

fn list_item() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

/// The Arrow schema of a contract table: its columns, in contract order.
pub fn arrow_schema(table: &Table) -> Result<SchemaRef> {
    let fields = table.columns.iter().map(|c| Ok(Field::new(&c.name, Kind::of(c)?.data_type(), true))).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

enum Builder {
    Int(Int64Builder),
    Text(StringBuilder),
    Bool(BooleanBuilder),
    Time(TimestampMicrosecondBuilder),
    Texts(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::Int => Builder::Int(Int64Builder::new()),
            Kind::Text => Builder::Text(StringBuilder::new()),
            Kind::Bool => Builder::Bool(BooleanBuilder::new()),
            Kind::Time => Builder::Time(TimestampMicrosecondBuilder::new().with_timezone("UTC")),
            Kind::Texts => Builder::Texts(ListBuilder::new(StringBuilder::new()).with_field(list_item())),
        }
    }

    /// Append `cell`, already checked against the column's kind by `Kind::accepts`.
    fn append(&mut self, cell: &Cell) {
        match (self, cell) {
            (Builder::Int(b), Cell::Int(v)) => b.append_value(*v),
            (Builder::Text(b), Cell::Text(v)) => b.append_value(v),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_value(*v),
            (Builder::Time(b), Cell::Time(v)) => b.append_value(*v),
            (Builder::Texts(b), Cell::Texts(values)) => {
                for value in values {
                    b.values().append_value(value);
                }
                b.append(true);
            }
            (Builder::Int(b), _) => b.append_null(),
            (Builder::Text(b), _) => b.append_null(),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::Time(b), _) => b.append_null(),
            (Builder::Texts(b), _) => b.append(false),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Texts(b) => Arc::new(b.finish()),
        }
    }
}

pub fn properties() -> Result<WriterProperties> {
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by("deskql import".to_string())
        .build())
}

/// One contract table being written to `<table>.parquet`.
struct TableWriter {
    table: &'static Table,
    kinds: Vec<Kind>,
    schema: SchemaRef,
    builders: Vec<Builder>,
    pending: usize,
    /// Rows appended so far: the ordinal of the next row.
    rows: u64,
    path: PathBuf,
    writer: ArrowWriter<BufWriter<File>>,
    last_wins: LastWins,
}

impl TableWriter {
    fn create(dir: &Path, table: &'static Table) -> Result<TableWriter> {
        let kinds = table.columns.iter().map(Kind::of).collect::<Result<Vec<_>>>()?;
        let schema = arrow_schema(table)?;
        let path = dir.join(format!("{}.parquet", table.name));
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let writer = ArrowWriter::try_new(BufWriter::new(file), schema.clone(), Some(properties()?))?;
        Ok(TableWriter {
            table,
            builders: kinds.iter().map(|k| Builder::new(*k)).collect(),
            kinds,
            schema,
            pending: 0,
            rows: 0,
            path,
            writer,
            last_wins: LastWins::default(),
        })
    }

    /// The cell of every contract column for `row`, checked; nothing is
    /// appended unless the whole row is right, so the builders stay aligned.
    fn checked<'r>(&self, row: &'r Row) -> Result<Vec<&'r Cell>> {
        static NULL: Cell = Cell::Null;
        let mut cells: Vec<Option<&Cell>> = vec![None; self.table.columns.len()];
        for (name, cell) in &row.cells {
            let Some(at) = self.table.columns.iter().position(|c| c.name == *name) else {
                bail!("internal error: the importer wrote a column `{name}` that table {} does not have", self.table.name);
            };
            if cells[at].replace(cell).is_some() {
                bail!("internal error: the importer set column {}.{name} twice in one row", self.table.name);
            }
        }
        let mut out = Vec::with_capacity(cells.len());
        for ((column, kind), cell) in self.table.columns.iter().zip(&self.kinds).zip(cells) {
            let cell = cell.unwrap_or(&NULL);
            if !kind.accepts(cell) {
                bail!("internal error: the importer gave {}.{} a value of the wrong type: {cell:?}", self.table.name, column.name);
            }
            if *cell == Cell::Null && (column.not_null || self.table.is_key(&column.name)) {
                bail!("internal error: the importer left {}.{} NULL, which the contract forbids", self.table.name, column.name);
            }
            if let Cell::Text(text) = cell
                && !column.values.is_empty()
                && !column.values.iter().any(|v| v.as_str() == Some(text.as_str()))
            {
                bail!("internal error: the importer gave {}.{} the value {text:?}, not one of {}", self.table.name, column.name, column.values_display());
            }
            out.push(cell);
        }
        Ok(out)
    }

    fn append(&mut self, row: &Row) -> Result<()> {
        let cells = self.checked(row)?;
        for (builder, cell) in self.builders.iter_mut().zip(cells) {
            builder.append(cell);
        }
        self.pending += 1;
        self.rows += 1;
        if self.pending == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.pending = 0;
        self.writer.write(&batch).with_context(|| format!("writing {}", self.path.display()))
    }

    /// Close the file, then drop the rows later ones replaced; the rows kept.
    fn finish(mut self) -> Result<u64> {
        self.flush()?;
        let file = self.writer.into_inner().with_context(|| format!("writing {}", self.path.display()))?;
        let file = file.into_inner().map_err(|e| e.into_error()).with_context(|| format!("writing {}", self.path.display()))?;
        file.sync_all().with_context(|| format!("writing {}", self.path.display()))?;
        let superseded = self.last_wins.superseded();
        if superseded.is_empty() {
            return Ok(self.rows);
        }
        super::dedup::drop_rows(&self.path, &self.schema, &superseded)
    }
}

/// A snapshot folder being written: every table in a temporary folder next
/// to `out`, renamed to `out` by `finish`.
pub struct SnapshotWriter {
    out: PathBuf,
    temp: PathBuf,
    /// In the order given (the summary lists them so).
    tables: Vec<TableWriter>,
    committed: bool,
}

impl SnapshotWriter {
    /// Refuse an `out` that exists (other than as an empty folder), then
    /// create the temporary folder and one file per table in `tables`.
    pub fn create(out: &Path, tables: &[&str]) -> Result<SnapshotWriter> {
        check_out(out)?;
        let name = out.file_name().with_context(|| format!("--out {}: not a folder name", out.display()))?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let temp = parent.join(format!(".{}.deskql-import-{}.tmp", name.to_string_lossy(), std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp).with_context(|| format!("removing the leftover {}", temp.display()))?;
        }
        std::fs::create_dir(&temp).with_context(|| format!("creating {}", temp.display()))?;
        // From here on, Drop removes the temporary folder if anything fails.
        let mut writer = SnapshotWriter { out: out.to_path_buf(), temp, tables: Vec::new(), committed: false };
        let contract = Contract::get();
        for name in tables {
            let table = contract.table(name).with_context(|| format!("internal error: the contract has no table {name}"))?;
            let file = TableWriter::create(&writer.temp, table)?;
            writer.tables.push(file);
        }
        Ok(writer)
    }

    fn table(&mut self, name: &str) -> Result<&mut TableWriter> {
        self.tables.iter_mut().find(|t| t.table.name == name).with_context(|| format!("internal error: table {name} is not being written"))
    }

    /// Append a row whose identity is `key`; a later row with the same key
    /// replaces it (the tap re-emits records, see `dedup`).
    pub fn append(&mut self, table: &str, key: Key, row: &Row) -> Result<()> {
        let file = self.table(table)?;
        let at = file.rows;
        file.append(row)?;
        file.last_wins.record(key, at, 1);
        Ok(())
    }

    /// Append a block of rows that stand or fall together (all threads of one
    /// conversation): a later block with the same key replaces the whole block.
    pub fn append_block(&mut self, table: &str, key: Key, rows: &[Row]) -> Result<()> {
        let file = self.table(table)?;
        let at = file.rows;
        for row in rows {
            file.append(row)?;
        }
        file.last_wins.record(key, at, rows.len() as u64);
        Ok(())
    }

    /// Close every file, drop replaced rows, check the files against the
    /// contract, and move the folder to `out`. Rows per table.
    pub fn finish(mut self) -> Result<Vec<(String, u64)>> {
        let mut counts = Vec::new();
        for file in std::mem::take(&mut self.tables) {
            counts.push((file.table.name.clone(), file.finish()?));
        }
        check_against_contract(&self.temp, &counts)?;
        check_out(&self.out)?;
        std::fs::rename(&self.temp, &self.out).with_context(|| format!("moving the snapshot into place at {}", self.out.display()))?;
        self.committed = true;
        Ok(counts)
    }
}

impl Drop for SnapshotWriter {
    /// Not finished (an error, bad input): leave nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// `out` must not exist yet, or be an empty folder: an import never mixes
/// its files with others, nor replaces a snapshot someone may be ingesting.
fn check_out(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    let empty_folder = out.is_dir() && std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
    if !empty_folder {
        bail!("--out {} already exists: choose a new folder (or remove it); an import never overwrites a snapshot", out.display());
    }
    Ok(())
}

/// The written folder as `deskql ingest` will see it: every mandatory table
/// present, every file with the contract's columns and types, in order.
fn check_against_contract(dir: &Path, counts: &[(String, u64)]) -> Result<()> {
    let contract = Contract::get();
    for table in contract.tables.iter().filter(|t| t.mandatory) {
        if !counts.iter().any(|(name, _)| *name == table.name) {
            bail!("internal error: the import did not write the mandatory table {}", table.name);
        }
    }
    for (name, rows) in counts {
        let table = contract.table(name).with_context(|| format!("internal error: {name} is not a contract table"))?;
        let path = dir.join(format!("{name}.parquet"));
        let file = File::open(&path).with_context(|| format!("reading back {}", path.display()))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).with_context(|| format!("reading back {}", path.display()))?;
        let expected = arrow_schema(table)?;
        let found: Vec<(&String, &DataType)> = reader.schema().fields().iter().map(|f| (f.name(), f.data_type())).collect();
        let wanted: Vec<(&String, &DataType)> = expected.fields().iter().map(|f| (f.name(), f.data_type())).collect();
        if found != wanted {
            bail!("internal error: {} has columns {found:?}, the contract wants {wanted:?}", path.display());
        }
        let written = reader.metadata().file_metadata().num_rows();
        if u64::try_from(written).ok() != Some(*rows) {
            bail!("internal error: {} holds {written} rows, {rows} were written", path.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("deskql-import-writer-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn team(id: i64, name: &str) -> Row {
        Row::of_account(1).int("team_id", id).text("name", name)
    }

    #[test]
    fn a_finished_snapshot_appears_with_later_rows_replacing_earlier_ones() {
        let dir = temp_dir("finish");
        let out = dir.join("snap");
        let mut writer = SnapshotWriter::create(&out, &["accounts", "inboxes", "users", "customers", "conversations", "threads", "teams"]).unwrap();
        writer.append("teams", (1, 0), &team(1, "old")).unwrap();
        writer.append("teams", (2, 0), &team(2, "Two")).unwrap();
        writer.append("teams", (1, 0), &team(1, "new")).unwrap();
        assert!(!out.exists(), "nothing at --out before finish");
        let counts = writer.finish().unwrap();
        assert!(counts.contains(&("teams".to_string(), 2)), "{counts:?}");
        assert!(counts.contains(&("threads".to_string(), 0)), "{counts:?}");
        let file = File::open(out.join("teams.parquet")).unwrap();
        let batches: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap().map(|b| b.unwrap()).collect();
        let names: Vec<String> = batches
            .iter()
            .flat_map(|b| {
                let column = b.column(2).as_any().downcast_ref::<arrow::array::StringArray>().unwrap();
                column.iter().map(|v| v.unwrap().to_string()).collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(names, ["Two", "new"]);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary folder left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn replaced_rows_are_dropped_across_batches_and_row_groups() {
        let dir = temp_dir("many");
        let out = dir.join("snap");
        let mut writer = SnapshotWriter::create(&out, &["accounts", "inboxes", "users", "customers", "conversations", "threads", "teams"]).unwrap();
        // 20 000 rows (several batches); the last 5 000 replace the first 5 000.
        for i in 0..20_000i64 {
            let id = i % 15_000;
            writer.append("teams", (id, 0), &team(id, &format!("v{i}"))).unwrap();
        }
        assert!(writer.finish().unwrap().contains(&("teams".to_string(), 15_000)));
        let file = File::open(out.join("teams.parquet")).unwrap();
        let mut names = Vec::new();
        for batch in ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap() {
            let batch = batch.unwrap();
            let column = batch.column(2).as_any().downcast_ref::<arrow::array::StringArray>().unwrap();
            names.extend(column.iter().map(|v| v.unwrap().to_string()));
        }
        assert_eq!(names.len(), 15_000);
        assert_eq!((names[0].as_str(), names[9_999].as_str(), names[10_000].as_str()), ("v5000", "v14999", "v15000"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_import_leaves_no_folder_and_wrong_rows_are_errors_not_panics() {
        let dir = temp_dir("fail");
        let out = dir.join("snap");
        {
            let mut writer = SnapshotWriter::create(&out, &["teams"]).unwrap();
            let unknown = Row::of_account(1).int("team_id", 1).text("nmae", "x");
            assert!(writer.append("teams", (1, 0), &unknown).unwrap_err().to_string().contains("`nmae`"));
            let null_name = Row::of_account(1).int("team_id", 1);
            assert!(writer.append("teams", (1, 0), &null_name).unwrap_err().to_string().contains("teams.name NULL"));
            let wrong_type = Row::of_account(1).text("team_id", "1").text("name", "x");
            assert!(writer.append("teams", (1, 0), &wrong_type).unwrap_err().to_string().contains("wrong type"));
            assert!(writer.append("csat", (1, 0), &team(1, "x")).is_err());
            // dropped without finish
        }
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the temporary folder is removed");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn values_outside_the_contract_are_refused() {
        let dir = temp_dir("values");
        let mut writer = SnapshotWriter::create(&dir.join("snap"), &["threads"]).unwrap();
        let row = Row::of_account(1)
            .int("thread_id", 1)
            .int("conversation_id", 2)
            .text("type", "message")
            .text("actor_type", "user")
            .time("created_at", Some(0))
            .text("status", "nochange");
        assert!(writer.append("threads", (1, 0), &row).unwrap_err().to_string().contains("\"message\", not one of"));
        drop(writer);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_existing_out_is_refused_unless_an_empty_folder() {
        let dir = temp_dir("exists");
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        std::fs::create_dir_all(dir.join("full")).unwrap();
        std::fs::write(dir.join("full/x"), b"x").unwrap();
        assert!(check_out(&dir.join("empty")).is_ok());
        assert!(check_out(&dir.join("absent")).is_ok());
        assert!(check_out(&dir.join("full")).unwrap_err().to_string().contains("already exists"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
