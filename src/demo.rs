//! `deskql demo`: a database to try deskql on, built from the sample
//! snapshots, then a summary of it and a Company report.
//!
//! The sample is generated (`deskql generate`, deterministic: the same bytes
//! as `data/snapshot-1` and `data/snapshot-2`, see `data/README.md`), so the
//! demo needs no checkout and runs from an installed binary. It writes its
//! own file, `./deskql-demo.duckdb` unless `--db` says otherwise, and refuses
//! a database holding anything it did not make: a demo must never touch real
//! data.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use duckdb::Connection;

use crate::catalog;
use crate::exit::{self, WaitArgs};
use crate::format::{self, Format, TableOptions};
use crate::generate::{self, GenerateArgs};
use crate::ingest::{self, IngestArgs, Mode};
use crate::storage::{self, Access};

/// The demo's database when `--db` is not given.
pub const DEMO_DB: &str = "deskql-demo.duckdb";

/// The two sample snapshots: id, as-of, generator revision. The generator
/// arguments are those of `data/README.md`.
const SAMPLES: [(&str, &str, u32); 2] = [("sample-1", "2026-11-01", 0), ("sample-2", "2026-11-08", 1)];

const DEMO_SUMMARY_SQL: &str = include_str!("../sql/schema/demo_summary.sql");

pub fn run(db: &Path) -> Result<u8> {
    refuse_foreign_database(db)?;
    let work = std::env::temp_dir().join(format!("deskql-demo-{}", std::process::id()));
    let result = build(db, &work);
    let _ = std::fs::remove_dir_all(&work);
    result?;
    let out = &mut std::io::stdout().lock();
    let conn = storage::open(db, Access::ReadOnly)?;
    writeln!(out)?;
    crate::snapshots::print_list(out, &catalog::list(&conn)?, false)?;
    print_summary(out, &conn)?;
    print_report(out, &conn)?;
    let db = db.display();
    writeln!(out, "\nThe demo database is {db}. Next:")?;
    writeln!(out, "  deskql --db {db} repl                                   # SQL on the views and the metric library")?;
    writeln!(out, "  deskql --db {db} report user --account 1 --user 100002 --month 2026-10")?;
    writeln!(out, "  deskql --db {db} report usage --account 1 --format html --output usage.html")?;
    writeln!(out, "  deskql metrics                                          # every metric with its definition")?;
    Ok(exit::OK)
}

/// The demo only ever writes a file that is new or that it made itself.
fn refuse_foreign_database(db: &Path) -> Result<()> {
    if !db.exists() {
        return Ok(());
    }
    let conn = storage::open(db, Access::ReadOnly)?;
    let ids = catalog::ids_newest_first(&conn)?;
    let ours = |id: &String| SAMPLES.iter().any(|(sample, _, _)| sample == id);
    if ids.is_empty() && has_tables(&conn)? {
        bail!("{} is a DuckDB database that deskql did not make; the demo writes its own file: run `deskql demo` without --db ({DEMO_DB}), or with a new file", db.display());
    }
    if let Some(foreign) = ids.iter().find(|id| !ours(id)) {
        bail!(
            "{} holds snapshot {foreign:?}, which the demo did not make; the demo never touches real data: run `deskql demo` without --db ({DEMO_DB}), or with a new file",
            db.display()
        );
    }
    Ok(())
}

fn has_tables(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) > 0 FROM duckdb_tables() WHERE NOT internal", [], |r| r.get(0))?)
}

/// Generate each sample into `work` and ingest it (a no-op when it is there already).
fn build(db: &Path, work: &Path) -> Result<()> {
    for (id, as_of, revision) in SAMPLES {
        let dir = work.join(id);
        let generated = GenerateArgs { out: dir.clone(), accounts: 4, conversations: 400, seed: 42, revision, change_rate: 2.0, quiet: true };
        generate::run(&generated).with_context(|| format!("generating the sample snapshot {id}"))?;
        let args = IngestArgs {
            dir,
            snapshot: Some(id.to_string()),
            as_of: Some(as_of.to_string()),
            mode: Mode::Full,
            replace: false,
            wait: WaitArgs { wait: 30 },
            json: false,
            quiet: true,
            strict: false,
            backfill: false,
            allow_empty: Vec::new(),
        };
        let summary = ingest::ingest(db, &args)?;
        writeln!(std::io::stdout().lock(), "{}", summary.message)?;
    }
    Ok(())
}

/// Per table: rows in the latest state and what the second snapshot changed.
fn print_summary(out: &mut dyn Write, conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(DEMO_SUMMARY_SQL)?;
    let arrow = stmt.query_arrow([])?;
    let schema = arrow.get_schema();
    let batches: Vec<_> = arrow.collect();
    writeln!(out, "\nChanges per table between the two snapshots (row versions):")?;
    format::write_batches(out, &schema, &batches, Format::Table, &TableOptions::default())
}

/// The Company report of the first sample account for the last full month
/// before the sample's as-of, as `deskql report` prints it.
fn print_report(out: &mut dyn Write, conn: &Connection) -> Result<()> {
    let words = ["company", "--account", "1", "--month", "2026-10", "--compare"];
    writeln!(out, "\n$ deskql report {}\n", words.join(" "))?;
    let parsed = <crate::report::ReplReport as clap::Parser>::try_parse_from(words)?;
    crate::report::run_with_connection(conn, &parsed.args, out)
}

/// The demo's database: `--db` (or `DESKQL_DB`) when given, else `./deskql-demo.duckdb`.
pub fn database(explicit: Option<&Path>) -> PathBuf {
    explicit.map_or_else(|| PathBuf::from(DEMO_DB), Path::to_path_buf)
}
