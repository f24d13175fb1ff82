//! `deskql audit run|verify|diff`: proving a figure. `run` records a report
//! with everything that produced it (`record`); `verify` recomputes it with
//! the recorded snapshot and library version and says whether it is
//! identical (`verify`); `diff` shows which metrics changed between two
//! snapshots and which conversations explain it (`diff`).

// The canonical form is a service since the usage batch digests its
// documents too (`report::batch`); `audit::canonical` keeps its old path.
pub use crate::canonical;
mod diff;
pub mod record;
mod signature;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand};
use duckdb::Connection;

use crate::exit::{self, WaitArgs};
use crate::library::install::{self, Target};
use crate::library::{self, SCHEMA, Version};
use crate::outfile::OutputFile;
use crate::report::ReportArgs;
use crate::storage::{self, Access};

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditAction,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Run a report and record it with its provenance and a digest of its figures.
    Run(RunArgs),
    /// Recompute an audit's report and check that it is identical (exit 0) or show what differs (exit 1).
    Verify(VerifyArgs),
    /// Which metrics of a report changed between two snapshots (--snapshot A --snapshot B), and why.
    Diff(DiffArgs),
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub report: ReportArgs,
    /// Library version to compute with (default: the installed one). An older
    /// embedded version is installed side by side if needed.
    #[arg(long, value_name = "VERSION")]
    pub library: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The audit record written by `deskql audit run`.
    pub audit: PathBuf,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// The report's arguments, with `--snapshot` given twice; `--format table`
/// (default) or `json`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(db: &Path, args: &AuditArgs) -> Result<u8> {
    match &args.action {
        AuditAction::Run(run) => record_audit(db, run),
        AuditAction::Verify(verify) => verify::verify(db, verify),
        AuditAction::Diff(diff) => diff::diff(db, diff),
    }
}

fn record_audit(db: &Path, args: &RunArgs) -> Result<u8> {
    let version = match &args.library {
        Some(v) => Version::parse(v)?,
        None => library::installed_library(&storage::open(db, Access::ReadOnly)?)?.version,
    };
    let library = library::find(version)?;
    let (conn, schema) = open_with_library(db, library, &args.wait)?;
    let mut report = args.report.clone();
    let snapshot = record::snapshot_proof(&conn, &report)?;
    report.snapshot = vec![snapshot.id.clone()];
    let (result, result_digest, inputs) = record::compute(&conn, &report, &schema, &snapshot)?;
    let (library_proof, report_sql) = record::library_proof(library, report.kind)?;
    let audit = record::AuditRecord {
        format: record::FORMAT.to_string(),
        created_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        tool: record::tool(&conn)?,
        report,
        snapshot,
        library: library_proof,
        report_sql,
        inputs,
        result,
        result_digest,
        signature: None,
    };
    let mut value = serde_json::to_value(&audit)?;
    if let Some(key) = signature::key() {
        value["signature"] = serde_json::to_value(signature::sign(&key, &value)?)?;
    }
    let text = serde_json::to_string_pretty(&value)? + "\n";
    // The record goes where the report's --output says (standard output by
    // default, or with `-`).
    match args.report.output.as_deref().filter(|p| p.as_os_str() != "-") {
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
        Some(path) => {
            let mut file = OutputFile::create(path, db)?;
            file.write_all(text.as_bytes())?;
            file.commit()?;
            eprintln!(
                "audit of the {} report written to {}: snapshot {}, library {}, result digest {}",
                audit.report.kind.name(),
                path.display(),
                audit.snapshot.id,
                audit.library.version,
                audit.result_digest
            );
        }
    }
    Ok(exit::OK)
}

/// A read-only connection and the schema where `library` is installed: the
/// current schema if it holds that version, else the version's side-by-side
/// schema, installed first if missing (the only write an audit makes).
fn open_with_library(db: &Path, library: &library::Library, wait: &WaitArgs) -> Result<(Connection, String)> {
    let conn = storage::open(db, Access::ReadOnly)?;
    let holds = |conn: &Connection, schema: &str| -> Result<bool> {
        Ok(install::installed_in(conn, schema)?.is_some_and(|i| i.version == library.version.to_string() && i.sql_sha256 == library.sha256))
    };
    if holds(&conn, SCHEMA)? {
        return Ok((conn, SCHEMA.to_string()));
    }
    let side = library.version.side_by_side_schema();
    if holds(&conn, &side)? {
        return Ok((conn, side));
    }
    drop(conn);
    let writer = storage::open(db, Access::read_write(wait))?;
    let outcome = install::install(&writer, library, Target::SideBySide)?;
    eprintln!("{} (to compute with the audited definitions)", outcome.message());
    drop(writer);
    Ok((storage::open(db, Access::ReadOnly)?, side))
}
