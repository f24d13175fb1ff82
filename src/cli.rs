//! The command line: argument definitions, dispatch to the command modules,
//! and the one place where an outcome becomes an exit code (README "Exit
//! codes"; `crate::exit`). A closed pipe (`deskql metrics | head`) ends the
//! process quietly with 0, here and nowhere else.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::exit;

/// The database when neither `--db` nor `DESKQL_DB` names one.
pub const DEFAULT_DB: &str = "deskql.duckdb";

#[derive(Parser, Debug)]
#[command(name = "deskql", version, about = "Help-desk metrics on an embedded, temporal DuckDB", long_about = None)]
pub struct Cli {
    /// Database file [default: deskql.duckdb; `deskql demo`: deskql-demo.duckdb].
    #[arg(long, global = true, env = "DESKQL_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// `deskql` with no command is the shell, `deskql repl`, and takes its
    /// options: `deskql --write` is `deskql repl --write`.
    #[command(flatten, next_help_heading = "Shell options (deskql with no command is deskql repl)")]
    pub shell: crate::repl::ShellOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    fn database(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DB))
    }
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
    /// Build a demo database (./deskql-demo.duckdb) from the generated sample and show what is in it.
    Demo,
    /// Interactive SQL shell (also the default when no command is given).
    Repl(crate::repl::ReplArgs),
    /// Run SQL statements and print the results.
    Sql(crate::repl::SqlArgs),
    /// Install the metric library, or list, show and check its objects.
    Views(crate::views::ViewsArgs),
    /// Print every metric with its definition (from the library's doc comments).
    Metrics(crate::views::MetricsArgs),
    /// Run a named report (company, user, team, happiness, usage).
    Report(crate::report::ReportArgs),
    /// Record a report with its provenance, verify a record, or compare two snapshots.
    Audit(crate::audit::AuditArgs),
    /// Measure ingest (against a plain DuckDB copy of the same files) and reports at scale.
    Bench(crate::bench::BenchArgs),
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    if cli.command.is_some() && cli.shell != crate::repl::ShellOptions::default() {
        eprintln!(
            "error: --write, --wait, --format and --max-rows before a command are the shell's (`deskql --write` is \
             `deskql repl --write`); give a command's options after its name"
        );
        return ExitCode::from(exit::USAGE);
    }
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) if exit::is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit_code_for(&err))
        }
    }
}

fn exit_code_for(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<crate::storage::DatabaseLocked>().is_some() {
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
    let db = cli.database();
    match cli.command {
        Some(Command::Ingest(args)) => crate::ingest::run(&db, &args),
        Some(Command::Snapshots(args)) => crate::snapshots::run(&db, &args),
        Some(Command::Generate(args)) => crate::generate::run(&args),
        Some(Command::Contract) => print_contract(),
        Some(Command::Demo) => crate::demo::run(&crate::demo::database(cli.db.as_deref())),
        Some(Command::Repl(args)) => crate::repl::run_repl(&db, &args),
        Some(Command::Sql(args)) => crate::repl::run_sql(&db, &args),
        Some(Command::Views(args)) => crate::views::run_views(&db, &args),
        Some(Command::Metrics(args)) => crate::views::run_metrics(&args),
        Some(Command::Report(args)) => crate::report::run(&db, &args),
        Some(Command::Audit(args)) => crate::audit::run(&db, &args),
        Some(Command::Bench(args)) => crate::bench::run(&args),
        None => crate::repl::run_repl(&db, &crate::repl::ReplArgs { options: cli.shell }),
    }
}

fn print_contract() -> Result<u8> {
    let text = crate::contract::describe(crate::contract::Contract::get());
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(exit::OK)
}
