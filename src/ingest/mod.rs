//! `deskql ingest`: validate a snapshot folder against the contract, then add
//! it to the temporal history in one transaction (all or nothing).
//!
//! Order of work, and why:
//! 1. discover files, read Parquet footers and hash the content (no database
//!    access yet, so a bad folder never even takes the write lock);
//! 2. open the database (bounded wait for the single-writer lock) and decide
//!    whether this content is already there (idempotent re-runs are no-ops);
//! 3. in one transaction: stage every table into temp tables with casts,
//!    validate, and only if nothing is wrong apply the diff and record the
//!    snapshot; any error or a kill before COMMIT leaves the file untouched.

mod apply;
mod columns;
mod discover;
mod problems;
mod stage;
mod template;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDateTime, Utc};
use clap::{Args, ValueEnum};
use duckdb::{Connection, params};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::exit::{self, WaitArgs};
use crate::catalog;
use crate::contract::Contract;
use crate::storage::{self, Access};
use crate::trace::trace;

pub use apply::Changes;
pub use problems::{Problem, Problems};

#[derive(Args, Debug, Clone)]
pub struct IngestArgs {
    /// Snapshot folder: one `<table>.parquet` (or `<table>/` of parts) per table.
    pub dir: PathBuf,
    /// Snapshot id (label). Default: derived from the content hash.
    #[arg(long)]
    pub snapshot: Option<String>,
    /// When the snapshot was taken (UTC; `2026-11-01`, `2026-11-01T06:00:00Z`).
    /// Default: the newest input file's modification time, which a copy or a
    /// git clone resets: give it explicitly in cron jobs.
    #[arg(long, value_name = "INSTANT", value_parser = crate::values::instant)]
    pub as_of: Option<String>,
    /// `full`: rows absent from the snapshot are closed as deleted.
    /// `incremental`: upsert; absent rows stay.
    #[arg(long, value_enum, default_value_t = Mode::Full)]
    pub mode: Mode,
    /// Replace the latest snapshot when its id is reused with different content.
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Do not print warnings (orphan references, ignored files) on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Refuse the snapshot (exit 3) when a file has a column the contract
    /// does not know, or lacks an optional one (warnings otherwise).
    #[arg(long)]
    pub strict: bool,
    /// Accept an as-of earlier than the latest snapshot's (a back-fill of an
    /// old export); refused otherwise, since reports would go back in time.
    #[arg(long)]
    pub backfill: bool,
    /// Accept an empty file for this mandatory table (repeatable); otherwise
    /// an empty mandatory table in full mode is refused, since it would
    /// close every row of the table as deleted.
    #[arg(long, value_name = "TABLE")]
    pub allow_empty: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Full,
    Incremental,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Incremental => "incremental",
        }
    }
}

/// The snapshot failed validation; nothing was written.
#[derive(Debug)]
pub struct InvalidSnapshot {
    pub dir: PathBuf,
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for InvalidSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors: Vec<&Problem> = self.problems.iter().filter(|p| p.severity == problems::Severity::Error).collect();
        writeln!(f, "snapshot {} is invalid ({} error(s)); the database was not changed:", self.dir.display(), errors.len())?;
        for problem in errors {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidSnapshot {}

/// The snapshot id is taken by different content.
#[derive(Debug)]
pub struct SnapshotConflict {
    pub id: String,
    pub message: String,
}

impl std::fmt::Display for SnapshotConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "snapshot {:?}: {}", self.id, self.message)
    }
}

impl std::error::Error for SnapshotConflict {}

/// What an ingest did, printed as text or JSON.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub status: &'static str,
    pub snapshot: String,
    pub seq: i32,
    pub content_hash: String,
    pub mode: Mode,
    pub taken_at: String,
    /// Where the as-of came from: `--as-of`, or the newest input file's
    /// modification time.
    pub as_of_source: String,
    pub tables: Vec<TableSummary>,
    pub warnings: Vec<Problem>,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct TableSummary {
    pub table: String,
    pub input_rows: Option<i64>,
    #[serde(flatten)]
    pub changes: Changes,
}

pub fn run(db: &Path, args: &IngestArgs) -> Result<u8> {
    let summary = ingest(db, args)?;
    if args.json {
        writeln!(std::io::stdout().lock(), "{}", serde_json::to_string_pretty(&summary)?)?;
    } else {
        if !args.quiet {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
        }
        // Quiet by default for cron: the one-line summary only on a terminal.
        if std::io::stderr().is_terminal() {
            eprintln!("{}", summary.message);
        }
    }
    Ok(exit::OK)
}

/// Where the snapshot's as-of instant came from, said in the summary.
const AS_OF_GIVEN: &str = "--as-of";
const AS_OF_MTIME: &str = "the newest input file's modification time";

/// Validate and ingest `args.dir` into the database at `db`. A refused
/// snapshot leaves an existing database as it was, and does not leave a new
/// one behind.
pub fn ingest(db: &Path, args: &IngestArgs) -> Result<Summary> {
    let mut problems = Problems::default();
    let taken_at_arg = args.as_of.as_deref().map(crate::values::read_instant).transpose().context("--as-of")?;
    let found = discover::discover(&args.dir, args.strict, &mut problems)?;
    refuse_empty_mandatory(args, &found, &mut problems)?;
    let id = match &args.snapshot {
        Some(id) => validate_id(id)?,
        None => found.content_hash[..12].to_string(),
    };
    let (taken_at, as_of_source) = match (taken_at_arg, found.newest_mtime) {
        (Some(given), _) => (given.naive_utc(), AS_OF_GIVEN),
        (None, Some(mtime)) => (DateTime::<Utc>::from(mtime).naive_utc(), AS_OF_MTIME),
        (None, None) => (Utc::now().naive_utc(), "the time of the ingest"),
    };
    if as_of_source != AS_OF_GIVEN {
        problems.warning(
            "-",
            None,
            format!(
                "no --as-of: the snapshot is taken as of {} ({as_of_source}), which a copy or a git clone changes; pass --as-of with the export's time",
                taken_at.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        );
    }
    let existed = db.exists();
    let conn = storage::open(db, Access::read_write(&args.wait))?;
    let result = ingest_into(&conn, args, &found, &mut problems, &id, taken_at, as_of_source);
    if result.is_err() && !existed {
        // The file did not exist before this ingest: leave none behind.
        drop(conn);
        storage::remove_database(db);
    }
    result
}

fn ingest_into(
    conn: &Connection,
    args: &IngestArgs,
    found: &discover::Discovered,
    problems: &mut Problems,
    id: &str,
    taken_at: NaiveDateTime,
    as_of_source: &str,
) -> Result<Summary> {
    // A new database gets the newest metric library; upgrades are
    // `deskql views install`'s explicit decision.
    crate::library::install::ensure_installed(conn)?;
    let replacing = match decide_identity(conn, id, &found.content_hash, args)? {
        Identity::AlreadyThere(summary) => return Ok(*summary),
        Identity::New => None,
        Identity::Replace(seq) => Some(seq),
    };
    refuse_going_back(conn, args, taken_at, replacing, problems)?;
    let progress = progress_bar(args);
    let result = storage::in_transaction(conn, "the snapshot", || {
        let mut summary = stage_validate_apply(conn, args, found, problems, replacing, id, taken_at, &progress)?;
        summary.as_of_source = as_of_source.to_string();
        pause_before_commit_for_tests();
        found.check_unchanged()?;
        Ok(summary)
    });
    progress.finish_and_clear();
    result
}

/// In full mode, an empty file of a mandatory table would close every row
/// of that table as deleted (an export that failed half-way, usually):
/// refused unless `--allow-empty TABLE` says it is meant.
fn refuse_empty_mandatory(args: &IngestArgs, found: &discover::Discovered, problems: &mut Problems) -> Result<()> {
    let contract = Contract::get();
    if let Some(unknown) = args.allow_empty.iter().find(|t| contract.table(t).is_none()) {
        bail!("--allow-empty {unknown}: not a table of the contract (see `deskql contract`)");
    }
    if args.mode != Mode::Full {
        return Ok(());
    }
    for table in contract.tables.iter().filter(|t| t.mandatory && !args.allow_empty.contains(&t.name)) {
        if let Some(files) = found.tables.get(&table.name).filter(|f| f.rows == 0) {
            problems.error(
                &table.name,
                None,
                format!(
                    "{} has no rows: in full mode that would close every {} row as deleted; pass --allow-empty {} if that is meant",
                    files.label(),
                    table.name,
                    table.name
                ),
            );
        }
    }
    Ok(())
}

/// An as-of earlier than the latest snapshot's would make every report go
/// back in time, silently: refused unless `--backfill` says it is meant.
fn refuse_going_back(conn: &Connection, args: &IngestArgs, taken_at: NaiveDateTime, replacing: Option<i32>, problems: &mut Problems) -> Result<()> {
    let Some(latest) = catalog::latest(conn)? else { return Ok(()) };
    let latest_at = NaiveDateTime::parse_from_str(&latest.taken_at, "%Y-%m-%dT%H:%M:%SZ").context("reading the latest snapshot's as-of")?;
    if args.backfill || replacing == Some(latest.seq) || taken_at >= latest_at {
        return Ok(());
    }
    problems.error(
        "-",
        None,
        format!(
            "the as-of {} is earlier than the latest snapshot's ({}, {}): reports would go back in time; \
             pass --backfill if this is an old export ingested on purpose, or the right --as-of",
            taken_at.format("%Y-%m-%dT%H:%M:%SZ"),
            latest.id,
            latest.taken_at
        ),
    );
    Err(InvalidSnapshot { dir: args.dir.clone(), problems: problems.items.clone() }.into())
}

/// A bar on stderr, counting tables staged then applied; only on a terminal
/// (cron logs stay clean) and never with `--quiet` or `--json`.
fn progress_bar(args: &IngestArgs) -> ProgressBar {
    if args.quiet || args.json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let steps = 2 * Contract::get().tables.len() as u64;
    let bar = ProgressBar::new(steps);
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar
}

#[allow(clippy::too_many_arguments)]
fn stage_validate_apply(
    conn: &Connection,
    args: &IngestArgs,
    found: &discover::Discovered,
    problems: &mut Problems,
    replacing: Option<i32>,
    id: &str,
    taken_at: NaiveDateTime,
    progress: &ProgressBar,
) -> Result<Summary> {
    let contract = Contract::get();
    let mut staged = Vec::new();
    let mut unreadable = Vec::new();
    for table in &contract.tables {
        progress.set_message(format!("validating {}", table.name));
        progress.inc(1);
        match found.tables.get(&table.name) {
            Some(files) => {
                let staged_ok = trace(&format!("stage {}", table.name), || stage::stage_table(conn, table, files, problems))?;
                if staged_ok {
                    trace(&format!("check {}", table.name), || stage::check_rows(conn, table, files, problems))?;
                    trace(&format!("warnings {}", table.name), || stage::check_warnings(conn, table, files, problems))?;
                    staged.push(table.name.clone());
                } else {
                    unreadable.push(table.name.clone());
                }
            }
            None if args.mode == Mode::Full => stage::stage_empty(conn, table)?,
            None => {}
        }
    }
    let incremental = args.mode == Mode::Incremental;
    for name in &staged {
        let table = contract.table(name).expect("staged tables come from the contract");
        let target_state = |t: &str| {
            if unreadable.iter().any(|u| u == t) {
                stage::Target::Unreadable
            } else if staged.iter().any(|s| s == t) {
                stage::Target::Staged
            } else {
                stage::Target::NotInSnapshot
            }
        };
        trace(&format!("references {}", table.name), || stage::check_references(conn, table, incremental, &target_state, problems))?;
    }
    if problems.has_errors() {
        return Err(InvalidSnapshot { dir: args.dir.clone(), problems: problems.items.clone() }.into());
    }
    if let Some(seq) = replacing {
        catalog::drop_seq(conn, seq)?;
    }
    let seq = catalog::next_seq(conn)?;
    let mut tables = Vec::new();
    for table in &contract.tables {
        progress.set_message(format!("applying {}", table.name));
        progress.inc(1);
        let input = found.tables.get(&table.name);
        if input.is_none() && incremental {
            continue;
        }
        let changes = trace(&format!("apply {}", table.name), || apply::apply_table(conn, table, seq, args.mode))?;
        tables.push(TableSummary { table: table.name.clone(), input_rows: input.map(|f| f.rows), changes });
    }
    record_snapshot(conn, seq, id, taken_at, args, found, &tables)?;
    let total: Changes = tables.iter().fold(Changes::default(), |acc, t| Changes {
        inserted: acc.inserted + t.changes.inserted,
        updated: acc.updated + t.changes.updated,
        deleted: acc.deleted + t.changes.deleted,
    });
    let message = format!(
        "ingested snapshot {id} (seq {seq}, {} mode): {} new, {} changed, {} deleted rows",
        args.mode.as_str(),
        total.inserted,
        total.updated,
        total.deleted
    );
    Ok(Summary {
        status: if replacing.is_some() { "replaced" } else { "ingested" },
        snapshot: id.to_string(),
        seq,
        content_hash: found.content_hash.clone(),
        mode: args.mode,
        taken_at: taken_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        as_of_source: String::new(),
        tables,
        warnings: problems.warnings().cloned().collect(),
        message,
    })
}

fn record_snapshot(
    conn: &Connection,
    seq: i32,
    id: &str,
    taken_at: NaiveDateTime,
    args: &IngestArgs,
    found: &discover::Discovered,
    tables: &[TableSummary],
) -> Result<()> {
    let input_rows: i64 = found.tables.values().map(|t| t.rows).sum();
    let source = std::fs::canonicalize(&args.dir).unwrap_or_else(|_| args.dir.clone()).display().to_string();
    catalog::record(
        conn,
        &catalog::NewSnapshot { seq, id, taken_at, source: &source, content_hash: &found.content_hash, mode: args.mode.as_str(), input_rows },
    )?;
    let mut appender = conn.appender_to_db("snapshot_tables", "deskql_meta")?;
    for t in tables {
        appender.append_row(params![seq, t.table, t.input_rows, t.changes.inserted, t.changes.updated, t.changes.deleted])?;
    }
    appender.flush()?;
    Ok(())
}

enum Identity {
    New,
    Replace(i32),
    AlreadyThere(Box<Summary>),
}

/// Idempotency: the same content again is a no-op; a taken id with other
/// content is refused unless --replace (and then only for the latest snapshot,
/// so history keeps its order).
fn decide_identity(conn: &Connection, id: &str, content_hash: &str, args: &IngestArgs) -> Result<Identity> {
    let existing = catalog::by_id(conn, id)?.map(|s| (s.seq, s.content_hash));
    let latest = catalog::latest(conn)?.map(|s| (s.seq, s.id, s.content_hash));
    if let Some((seq, hash)) = existing {
        if hash == content_hash {
            return Ok(Identity::AlreadyThere(Box::new(unchanged(seq, id, content_hash, args, "already ingested with identical content"))));
        }
        if !args.replace {
            return Err(SnapshotConflict {
                id: id.to_string(),
                message: "exists with different content; pass --replace to replace it, or choose another --snapshot id".into(),
            }
            .into());
        }
        if latest.as_ref().map(|l| l.0) != Some(seq) {
            bail!(SnapshotConflict {
                id: id.to_string(),
                message: "only the latest snapshot can be replaced (later snapshots were built on it); drop the later ones first".into(),
            });
        }
        return Ok(Identity::Replace(seq));
    }
    if let Some((seq, latest_id, hash)) = latest
        && hash == content_hash
    {
        let note = format!("identical to the latest snapshot {latest_id}; nothing to do");
        return Ok(Identity::AlreadyThere(Box::new(unchanged(seq, &latest_id, content_hash, args, &note))));
    }
    Ok(Identity::New)
}

fn unchanged(seq: i32, id: &str, content_hash: &str, args: &IngestArgs, why: &str) -> Summary {
    Summary {
        status: "unchanged",
        snapshot: id.to_string(),
        seq,
        content_hash: content_hash.to_string(),
        mode: args.mode,
        taken_at: String::new(),
        as_of_source: String::new(),
        tables: Vec::new(),
        warnings: Vec::new(),
        message: format!("snapshot {id}: {why}"),
    }
}

fn validate_id(id: &str) -> Result<String> {
    let ok = !id.is_empty() && id.len() <= 100 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    if !ok {
        bail!("snapshot id {id:?} is not valid: use 1-100 characters among letters, digits, '-', '_', '.', ':'");
    }
    Ok(id.to_string())
}

/// Test hook: `DESKQL_TEST_PAUSE_BEFORE_COMMIT_MS` makes the ingest sleep with
/// its transaction open, so the atomicity test can kill -9 it mid-ingest.
fn pause_before_commit_for_tests() {
    if let Some(ms) = std::env::var("DESKQL_TEST_PAUSE_BEFORE_COMMIT_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        eprintln!("(test hook) pausing {ms} ms before commit");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_ids_are_restricted_to_safe_characters() {
        assert!(validate_id("2026-11-01").is_ok());
        assert!(validate_id("a b").is_err());
        assert!(validate_id("").is_err());
    }
}
