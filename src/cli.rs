//! Command-line interface: argument definitions and dispatch. Exit codes are
//! documented in README.md ("Exit codes") and in `exit` below.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::storage::{self, Access};

/// Exit codes, stable for cron jobs and scripts.
pub mod exit {
    /// Success, including an ingest that was a no-op.
    pub const OK: u8 = 0;
    /// Any other failure (I/O, SQL error, bad argument value).
    pub const FAILURE: u8 = 1;
    /// Command-line usage error (clap).
    pub const USAGE: u8 = 2;
    /// The snapshot failed validation; nothing was written.
    pub const INVALID_SNAPSHOT: u8 = 3;
    /// The database is locked by another writer (after --wait).
    pub const LOCKED: u8 = 4;
    /// The snapshot id exists with different content (use --replace).
    pub const CONFLICT: u8 = 5;
}

#[derive(Parser, Debug)]
#[command(name = "deskql", version, about = "Help-desk metrics on an embedded, temporal DuckDB", long_about = None)]
pub struct Cli {
    /// Database file.
    #[arg(long, global = true, env = "DESKQL_DB", default_value = "deskql.duckdb")]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate a snapshot folder and ingest it as a new snapshot (all or nothing).
    Ingest(crate::ingest::IngestArgs),
    /// List, drop or prune snapshots.
    Snapshots(crate::snapshots::SnapshotsArgs),
    /// Write a deterministic synthetic snapshot.
    Generate(crate::generate::GenerateArgs),
    /// Print the snapshot contract (tables, columns, keys, accepted values).
    Contract,
    /// Build a database from the bundled sample in data/ and show what is in it.
    Demo(DemoArgs),
    /// Interactive SQL shell (also the default when no command is given).
    Repl(crate::repl::ReplArgs),
    /// Run SQL statements and print the results.
    Sql(crate::repl::SqlArgs),
    /// Install the metric library, or list, show and check its objects.
    Views(crate::library::cli::ViewsArgs),
    /// Print every metric with its definition (from the library's doc comments).
    Metrics(crate::library::cli::MetricsArgs),
    /// Run a named report (company, user, team, happiness, usage).
    Report(crate::report::ReportArgs),
    /// Record a report with its provenance, verify a record, or compare two snapshots.
    Audit(crate::audit::AuditArgs),
    /// Measure ingest (against a plain DuckDB copy of the same files) and reports at scale.
    Bench(crate::bench::BenchArgs),
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Folder holding the sample snapshots (snapshot-1, snapshot-2).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/data"))]
    pub data: PathBuf,
}

/// Lock wait for commands that write, shared by ingest and snapshots.
#[derive(Args, Debug, Clone)]
pub struct WaitArgs {
    /// Seconds to wait for another writer to release the database.
    #[arg(long, default_value_t = 30)]
    pub wait: u64,
}

impl WaitArgs {
    pub fn access(&self) -> Access {
        Access::ReadWrite { wait: Duration::from_secs(self.wait) }
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit_code_for(&err))
        }
    }
}

fn exit_code_for(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<storage::DatabaseLocked>().is_some() {
        exit::LOCKED
    } else if err.downcast_ref::<crate::ingest::InvalidSnapshot>().is_some() {
        exit::INVALID_SNAPSHOT
    } else if err.downcast_ref::<crate::ingest::SnapshotConflict>().is_some() {
        exit::CONFLICT
    } else {
        exit::FAILURE
    }
}

fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        Some(Command::Ingest(args)) => crate::ingest::run(&cli.db, &args),
        Some(Command::Snapshots(args)) => crate::snapshots::run(&cli.db, &args),
        Some(Command::Generate(args)) => crate::generate::run(&args),
        Some(Command::Contract) => crate::snapshots::print_contract(),
        Some(Command::Demo(args)) => crate::snapshots::demo(&cli.db, &args.data),
        Some(Command::Repl(args)) => crate::repl::run_repl(&cli.db, &args),
        Some(Command::Sql(args)) => crate::repl::run_sql(&cli.db, &args),
        Some(Command::Views(args)) => crate::library::cli::run_views(&cli.db, &args),
        Some(Command::Metrics(args)) => crate::library::cli::run_metrics(&args),
        Some(Command::Report(args)) => crate::report::run(&cli.db, &args),
        Some(Command::Audit(args)) => crate::audit::run(&cli.db, &args),
        Some(Command::Bench(args)) => crate::bench::run(&args),
        None => crate::repl::run_repl(&cli.db, &crate::repl::ReplArgs::default()),
    }
}
