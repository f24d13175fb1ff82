//! `--format csv`: one table per output, so that any CSV reader (DuckDB's
//! `read_csv`, a spreadsheet) loads it as is. The cards by default; another
//! table with `--table NAME`; every one, each in its own file, with
//! `--out-dir DIR` (`cards.csv`, `daily.csv`, ...). Values are raw numbers
//! (seconds, percents; the usage report's flags 1 or 0), for scripts.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use duckdb::Connection;

use super::document::ReportDoc;
use crate::format::{self, Format, TableOptions};
use crate::outfile::OutputFile;

/// The name `--table` gives the cards.
pub const CARDS: &str = "cards";

/// Write the part `name` of `doc` (the cards, or a table) as CSV.
pub fn write(out: &mut dyn Write, doc: &ReportDoc, name: &str) -> Result<()> {
    if name == CARDS {
        return write_cards(out, doc);
    }
    let Some(table) = doc.table(name) else {
        bail!("the {} report has no table {name:?}; --table takes one of: {}", doc.report, part_names(doc).join(", "));
    };
    format::write_batches(out, &table.arrow.schema, &table.arrow.batches, Format::Csv, &TableOptions::default())
}

/// Every part a report writes: the cards, then its tables.
fn part_names(doc: &ReportDoc) -> Vec<&str> {
    std::iter::once(CARDS).chain(doc.tables.iter().map(|t| t.name.as_str())).collect()
}

/// `--out-dir DIR`: one file per part, each written whole or not at all
/// (and never over the database the connection reads).
pub fn write_folder(conn: &Connection, doc: &ReportDoc, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let database = database_path(conn)?;
    let mut written = Vec::new();
    for name in part_names(doc) {
        let file_name = format!("{name}.csv");
        let mut file = OutputFile::create(&dir.join(&file_name), &database)?;
        write(&mut file, doc, name)?;
        file.commit()?;
        written.push(file_name);
    }
    eprintln!("wrote {} to {}", written.join(", "), dir.display());
    Ok(())
}

/// The file of the database `conn` reads (empty in memory).
fn database_path(conn: &Connection) -> Result<std::path::PathBuf> {
    let path: Option<String> = conn
        .query_row("SELECT path FROM duckdb_databases() WHERE database_name = current_database()", [], |r| r.get(0))
        .context("finding the database file")?;
    Ok(path.unwrap_or_default().into())
}

/// The cards: `section,metric,label,unit,value,previous,change,change_unit`,
/// and for the usage report `benchmark,difference`.
fn write_cards(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
    let benchmarked = doc.spec.benchmarked;
    writeln!(out, "section,metric,label,unit,value,previous,change,change_unit{}", if benchmarked { ",benchmark,difference" } else { "" })?;
    for c in &doc.cards {
        let number = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        write!(
            out,
            "{},{},{},{},{},{},{},{}",
            field(&c.section),
            field(&c.metric),
            field(&c.label),
            field(&c.unit),
            number(c.value),
            number(c.previous),
            number(c.change),
            field(c.change_unit.as_deref().unwrap_or_default())
        )?;
        if benchmarked {
            write!(out, ",{},{}", number(c.benchmark), number(c.difference))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}
