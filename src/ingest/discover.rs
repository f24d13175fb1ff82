//! Finding a snapshot's files, reading their Parquet schemas and hashing their
//! content, before the database is touched.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use arrow::datatypes::{DataType, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::{Digest, Sha256};

use crate::contract::Contract;

use super::problems::Problems;

/// The Parquet files of one contract table, with their (common) Arrow schema.
#[derive(Debug)]
pub struct TableFiles {
    pub files: Vec<PathBuf>,
    /// The paths DuckDB reads: `files`, or links to them without the glob
    /// characters DuckDB would expand (see `GlobSafe`).
    pub read_paths: Vec<PathBuf>,
    pub schema: Schema,
    pub rows: i64,
}

impl TableFiles {
    /// The files as a message names them.
    pub fn label(&self) -> String {
        match self.files.as_slice() {
            [one] => one.display().to_string(),
            many => format!("{} (and {} more part files)", many[0].display(), many.len() - 1),
        }
    }
}

#[derive(Debug)]
pub struct Discovered {
    pub tables: BTreeMap<String, TableFiles>,
    /// SHA-256 over every input file's relative path and bytes, in name order.
    pub content_hash: String,
    /// The newest modification time among the input files, used as the default
    /// `taken_at` of the snapshot.
    pub newest_mtime: Option<std::time::SystemTime>,
    /// Each input file's size and modification time when it was hashed.
    pub stamps: Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
    /// Links for paths holding glob characters, removed with this value.
    _links: Option<GlobSafe>,
}

/// DuckDB's `read_parquet` expands `*`, `?` and `[...]` in a path even in a
/// list of paths, so a snapshot folder named `exports*` would pull in files
/// of its sibling folders, unhashed. Paths are taken literally instead: when
/// one holds such a character, DuckDB reads a symbolic link to the file from
/// a private temporary folder, removed when the ingest ends.
#[derive(Debug)]
struct GlobSafe {
    dir: PathBuf,
}

impl GlobSafe {
    fn needed(path: &Path) -> bool {
        path.to_string_lossy().contains(['*', '?', '[', ']', '{', '}'])
    }

    fn create() -> Result<GlobSafe> {
        let dir = std::env::temp_dir().join(format!("deskql-ingest-{}", std::process::id()));
        if Self::needed(&dir) {
            bail!("the temporary folder {} holds glob characters; set TMPDIR to a plain path", dir.display());
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(GlobSafe { dir })
    }

    #[cfg(unix)]
    fn link(&self, target: &Path, index: usize) -> Result<PathBuf> {
        let link = self.dir.join(format!("part-{index:06}.parquet"));
        let target = std::fs::canonicalize(target).with_context(|| format!("reading {}", target.display()))?;
        std::os::unix::fs::symlink(&target, &link).with_context(|| format!("linking {}", target.display()))?;
        Ok(link)
    }

    #[cfg(not(unix))]
    fn link(&self, target: &Path, _index: usize) -> Result<PathBuf> {
        bail!("{}: paths with glob characters are not supported on this system; rename the folder", target.display())
    }
}

impl Drop for GlobSafe {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Give every table's files paths DuckDB takes literally.
fn make_glob_safe(tables: &mut BTreeMap<String, TableFiles>) -> Result<Option<GlobSafe>> {
    if !tables.values().flat_map(|t| &t.files).any(|f| GlobSafe::needed(f)) {
        return Ok(None);
    }
    let links = GlobSafe::create()?;
    let mut index = 0;
    for table in tables.values_mut() {
        table.read_paths = table
            .files
            .iter()
            .map(|f| {
                index += 1;
                links.link(f, index)
            })
            .collect::<Result<_>>()?;
    }
    Ok(Some(links))
}

impl Discovered {
    /// The files are read several times (validation, then history): refuse
    /// to commit if one changed since it was hashed, e.g. an export still
    /// being written.
    pub fn check_unchanged(&self) -> Result<()> {
        for (path, len, mtime) in &self.stamps {
            let now = std::fs::metadata(path).with_context(|| format!("{} vanished during the ingest", path.display()))?;
            if now.len() != *len || now.modified().ok() != *mtime {
                bail!("{} changed during the ingest (is the export still being written?); nothing was ingested, try again", path.display());
            }
        }
        Ok(())
    }
}

/// Locate `<table>.parquet` or `<table>/*.parquet` for each contract table.
/// Problems (missing mandatory tables, corrupt files, mismatching parts) are
/// collected rather than returned one at a time, so one run shows them all.
pub fn discover(dir: &Path, strict: bool, problems: &mut Problems) -> Result<Discovered> {
    if !dir.is_dir() {
        bail!("snapshot folder {} does not exist or is not a folder", dir.display());
    }
    let contract = Contract::get();
    let mut tables = BTreeMap::new();
    for table in &contract.tables {
        let files = table_files(dir, &table.name, problems)?;
        if files.is_empty() {
            if table.mandatory {
                problems.error(
                    &table.name,
                    None,
                    format!("missing mandatory table: expected {0}.parquet or a folder {0}/ of .parquet files in {1}", table.name, dir.display()),
                );
            }
            continue;
        }
        if let Some(found) = read_schemas(&table.name, files, problems) {
            super::columns::check(table, &found.schema, &found.label(), strict, problems);
            tables.insert(table.name.clone(), found);
        }
    }
    note_unknown_entries(dir, problems)?;
    let links = make_glob_safe(&mut tables)?;
    let all_files: Vec<&PathBuf> = tables.values().flat_map(|t| t.files.iter()).collect();
    let content_hash = hash_files(dir, &all_files)?;
    let newest_mtime = all_files.iter().filter_map(|f| f.metadata().ok()?.modified().ok()).max();
    let stamps = all_files
        .iter()
        .map(|f| {
            let meta = f.metadata().with_context(|| format!("reading {}", f.display()))?;
            Ok(((*f).clone(), meta.len(), meta.modified().ok()))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Discovered { tables, content_hash, newest_mtime, stamps, _links: links })
}

fn table_files(dir: &Path, table: &str, problems: &mut Problems) -> Result<Vec<PathBuf>> {
    let single = dir.join(format!("{table}.parquet"));
    let folder = dir.join(table);
    let mut files = Vec::new();
    if single.is_file() {
        files.push(single);
    }
    if folder.is_dir() {
        let mut parts: Vec<PathBuf> = std::fs::read_dir(&folder)
            .with_context(|| format!("reading folder {}", folder.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
            .collect();
        parts.sort();
        if parts.is_empty() {
            problems.error(table, None, format!("folder {} holds no .parquet part files", folder.display()));
        }
        if !files.is_empty() && !parts.is_empty() {
            problems.error(table, None, format!("both {table}.parquet and a folder {table}/ exist; keep one"));
        }
        files.extend(parts);
    }
    Ok(files)
}

/// Read each file's footer. A file that is not Parquet, or whose schema differs
/// from the table's first file, is an error naming that file.
fn read_schemas(table: &str, files: Vec<PathBuf>, problems: &mut Problems) -> Option<TableFiles> {
    let mut schema: Option<Schema> = None;
    let mut rows = 0i64;
    let mut ok = true;
    for file in &files {
        match parquet_schema(file) {
            Ok((file_schema, file_rows)) => {
                rows += file_rows;
                match &schema {
                    None => schema = Some(file_schema),
                    Some(first) if !same_columns(first, &file_schema) => {
                        ok = false;
                        problems.error(
                            table,
                            None,
                            format!("part file {} has columns {} but {} has {}", file.display(), describe(&file_schema), files[0].display(), describe(first)),
                        );
                    }
                    Some(_) => {}
                }
            }
            Err(err) => {
                ok = false;
                problems.error(table, None, format!("{} is not a readable Parquet file: {err:#}", file.display()));
            }
        }
    }
    let schema = schema?;
    ok.then(|| TableFiles { read_paths: files.clone(), files, schema, rows })
}

fn parquet_schema(file: &Path) -> Result<(Schema, i64)> {
    let handle = File::open(file)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(handle)?;
    let rows = builder.metadata().file_metadata().num_rows();
    Ok((builder.schema().as_ref().clone(), rows))
}

fn same_columns(a: &Schema, b: &Schema) -> bool {
    a.fields().len() == b.fields().len()
        && a.fields().iter().zip(b.fields().iter()).all(|(x, y)| x.name() == y.name() && x.data_type() == y.data_type())
}

fn describe(schema: &Schema) -> String {
    let cols: Vec<String> = schema.fields().iter().map(|f| format!("{} {}", f.name(), f.data_type())).collect();
    format!("({})", cols.join(", "))
}

/// Files and folders that are not part of the contract are ignored, but said
/// once: a misspelt table name should not go unnoticed.
fn note_unknown_entries(dir: &Path, problems: &mut Problems) -> Result<()> {
    let contract = Contract::get();
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if name.starts_with('.') || name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        let stem = name.strip_suffix(".parquet").unwrap_or(&name);
        if contract.table(stem).is_none() {
            problems.warning("-", None, format!("ignoring {name}: not a table of the contract (see `deskql contract`)"));
        }
    }
    Ok(())
}

fn hash_files(dir: &Path, files: &[&PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut sorted: Vec<&PathBuf> = files.to_vec();
    sorted.sort();
    let mut buffer = vec![0u8; 1 << 20];
    for file in sorted {
        let relative = file.strip_prefix(dir).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0u8]);
        let mut handle = File::open(file).with_context(|| format!("reading {}", file.display()))?;
        loop {
            let n = handle.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        hasher.update([0u8]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Whether an Arrow column type can hold values of the contract's SQL type.
/// Values are then cast row by row (TRY_CAST) and failures reported with the
/// row; this only rules out types no value of which could fit.
pub fn type_is_compatible(arrow: &DataType, sql_type: &str) -> bool {
    use DataType::*;
    let arrow = match arrow {
        Dictionary(_, value) => value.as_ref(),
        other => other,
    };
    // A column written with no type at all (every value NULL, e.g. pandas
    // `None` columns) fits any contract type.
    if matches!(arrow, Null) {
        return true;
    }
    let is_text = matches!(arrow, Utf8 | LargeUtf8 | Utf8View);
    let is_integer = matches!(arrow, Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64);
    match sql_type {
        "BIGINT" | "INTEGER" => is_integer || is_text || matches!(arrow, Decimal128(_, 0) | Decimal256(_, 0)),
        "VARCHAR" => is_text,
        "BOOLEAN" => matches!(arrow, Boolean) || is_text,
        "TIMESTAMP" => matches!(arrow, Timestamp(_, _) | Date32 | Date64) || is_text,
        "DATE" => matches!(arrow, Date32 | Date64 | Timestamp(_, None)) || is_text,
        "TIME" => matches!(arrow, Time32(_) | Time64(_)) || is_text,
        "VARCHAR[]" => match arrow {
            List(item) | LargeList(item) => matches!(item.data_type(), Utf8 | LargeUtf8 | Utf8View),
            _ => false,
        },
        _ => false,
    }
}

/// Whether DuckDB reads the column exactly as the contract type, so no
/// row can fail its cast (the validator then skips the per-row cast check).
pub fn type_is_exact(arrow: &DataType, sql_type: &str) -> bool {
    use DataType::*;
    matches!(
        (arrow, sql_type),
        (Int64, "BIGINT") | (Int32 | Int16 | Int8 | UInt8 | UInt16 | UInt32, "BIGINT") | (Int32 | Int16 | Int8 | UInt8 | UInt16, "INTEGER")
            | (Utf8 | LargeUtf8 | Utf8View, "VARCHAR") | (Boolean, "BOOLEAN") | (Timestamp(_, _), "TIMESTAMP") | (Date32, "DATE") | (Null, _)
            // any unit; a TIME adjusted to UTC is read as TIME WITH TIME ZONE, whose cast keeps the time of day
            | (Time32(_) | Time64(_), "TIME")
    )
}

/// Expected Arrow/Parquet form of a contract type, for error messages.
pub fn expected_form(sql_type: &str) -> &'static str {
    match sql_type {
        "BIGINT" => "an integer (INT32/INT64, or a string of digits)",
        "INTEGER" => "a 32-bit integer",
        "VARCHAR" => "a string (UTF8)",
        "BOOLEAN" => "a boolean (or the strings 'true'/'false')",
        "TIMESTAMP" => "a timestamp (UTC; tz-aware or naive) or an ISO-8601 string",
        "DATE" => "a date (DATE32) or a 'YYYY-MM-DD' string",
        "VARCHAR[]" => "a list of strings",
        "TIME" => "a time of day (Parquet TIME) or an 'HH:MM[:SS]' string, 00:00 to 24:00",
        _ => "the contract's type",
    }
}
