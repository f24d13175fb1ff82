//! The command line: argument definitions, dispatch to the command modules,
//! and the one place where an outcome becomes an exit code (README "Exit
//! codes"; `crate::exit`). A closed pipe (`deskql metrics | head`) ends the
//! process quietly with 0, here and nowhere else.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::exit;

/// The database when neither `--db` nor `DESKQL_DB` names one.
pub const DEFAULT_DB: &str = "deskql.duckdb";

#[derive(Parser, Debug)]
#[command(
    name = "deskql",
    version,
    about = "Help-desk metrics on an embedded, temporal DuckDB",
    long_about = None,
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Database file [default: deskql.duckdb] (each command that reads one
    /// also takes it after its name).
    #[arg(long, env = "DESKQL_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// `deskql` with no command is the shell, `deskql repl`, and takes its
    /// options: `deskql --write` is `deskql repl --write`.
    #[command(flatten, next_help_heading = "Shell options (deskql with no command is deskql repl)")]
    pub shell: crate::repl::ShellOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--db`, on the commands that read or write a database (and their own
/// subcommands), so the others do not offer it.
#[derive(Args, Debug, Clone, Default)]
pub struct DbArg {
    /// Database file [default: deskql.duckdb].
    #[arg(long = "db", env = "DESKQL_DB", value_name = "FILE", global = true)]
    pub path: Option<PathBuf>,
}

/// A command's arguments and `--db`.
#[derive(Args, Debug)]
pub struct WithDb<T: Args> {
    #[command(flatten)]
    pub args: T,
    #[command(flatten)]
    pub db: DbArg,
}

impl DbArg {
    /// This command's `--db`, else the one before the command, else the default.
    fn resolve(&self, before: Option<&PathBuf>) -> PathBuf {
        self.path.clone().or_else(|| before.cloned()).unwrap_or_else(|| PathBuf::from(DEFAULT_DB))
    }
}

const EXAMPLES: &str = "\
Examples:
  deskql demo                                   # a database to try, from the sample (./deskql-demo.duckdb)
  deskql ingest /exports/2026-11-24 --snapshot 2026-11-24 --as-of 2026-11-24T02:00:00Z
  deskql report company --account 1 --month 2026-10 --compare
  deskql                                        # the SQL shell (read-only; `deskql repl --write` to change data)

The database is ./deskql.duckdb unless --db FILE or DESKQL_DB names another.
Exit codes: 0 ok, 1 failure, 2 usage, 3 invalid snapshot, 4 locked, 5 snapshot id conflict, 6 audit differs, 7 some deliveries failed.";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate a snapshot folder and ingest it as a new snapshot (all or nothing).
    #[command(after_help = "\
Examples:
  deskql ingest /exports/2026-11-24 --snapshot 2026-11-24 --as-of 2026-11-24T02:00:00Z --json
  deskql ingest /exports/hourly --mode incremental --as-of 2026-11-24T15:00:00Z
  deskql ingest /exports/2020-01-01 --as-of 2020-01-01 --backfill      # an old export, on purpose")]
    Ingest(WithDb<crate::ingest::IngestArgs>),
    /// Turn a help desk's export (Help Scout's tap-helpscout output) into a snapshot folder.
    #[command(after_help = "\
Examples:
  tap-helpscout -c hs-config.json --catalog catalog.json | deskql import helpscout --account-id 1 --plan plus --timezone Europe/Paris - --out snap/full
  deskql import helpscout --account-id 1 --account-created-at 2021-03-01 hs-inc.jsonl --out snap/inc --state-out hs-state.json")]
    Import(crate::import::ImportArgs),
    /// List, drop or prune snapshots.
    #[command(after_help = "\
Examples:
  deskql snapshots                      # every snapshot, oldest first
  deskql snapshots drop 2026-11-01
  deskql snapshots prune --keep 30 --json")]
    Snapshots(WithDb<crate::snapshots::SnapshotsArgs>),
    /// Write a deterministic synthetic snapshot.
    #[command(after_help = "\
Examples:
  deskql generate --out snap-1 --accounts 4 --conversations 400 --seed 42
  deskql generate --out snap-2 --accounts 4 --conversations 400 --seed 42 --revision 1   # a week later")]
    Generate(crate::generate::GenerateArgs),
    /// Print the snapshot contract (tables, columns, keys, accepted values).
    #[command(after_help = "Example:\n  deskql contract | less")]
    Contract,
    /// Build a demo database (./deskql-demo.duckdb) from the generated sample and show what is in it.
    #[command(after_help = "\
The demo writes its own file and refuses a database holding snapshots it did not make.
Example:
  deskql demo && deskql --db deskql-demo.duckdb repl")]
    Demo(DbArg),
    /// Interactive SQL shell (also the default when no command is given).
    #[command(after_help = "\
Examples:
  deskql repl                           # read-only: an ingest is never blocked
  deskql repl --write                   # one read-write connection, DDL and DML allowed
  deskql repl --wait 60 < checks.sql    # a script that rides through a nightly ingest")]
    Repl(WithDb<crate::repl::ReplArgs>),
    /// Run SQL statements and print the results.
    #[command(after_help = "\
Examples:
  deskql sql \"SELECT status, count(*) FROM conversations GROUP BY ALL\" --format csv
  deskql sql \"SELECT * FROM metrics.company(1, DATE '2026-10-01', DATE '2026-11-01')\"")]
    Sql(WithDb<crate::repl::SqlArgs>),
    /// Install the metric library, or list, show and check its objects.
    #[command(after_help = "\
Examples:
  deskql views status
  deskql views install                  # the newest version this deskql embeds
  deskql views install --version 1.0.0 --side-by-side
  deskql views show company")]
    Views(WithDb<crate::views::ViewsArgs>),
    /// Print every metric with its definition (from the library's doc comments).
    #[command(after_help = "\
Examples:
  deskql metrics --report usage
  deskql metrics --markdown > catalogue.md")]
    Metrics(crate::views::MetricsArgs),
    /// Run a named report (company, user, team, happiness, usage).
    #[command(after_help = crate::report::help_text())]
    Report(WithDb<crate::report::ReportArgs>),
    /// Email reports: each account's monthly usage report to its primary contacts, once.
    #[command(after_help = "\
Examples:
  deskql mail usage --from 'Customer Success <success@vendor.example>' --dry-run
  deskql mail usage --month 2026-10 --from success@vendor.example --eml-dir out/
  deskql mail usage --from success@vendor.example --smtp 'smtp://mail.vendor.example:587?tls=required'
Exit 7: some deliveries failed (recorded; the same command again retries them).")]
    Mail(WithDb<crate::mail::MailArgs>),
    /// Record a report with its provenance, verify a record, or compare two snapshots.
    #[command(after_help = "\
Examples:
  deskql audit run company --account 1 --month 2026-10 --output oct.json
  deskql audit verify oct.json           # exit 0: identical; 6: differs (each field named)
  deskql audit diff company --account 1 --month 2026-10 --snapshot 2026-11-01 --snapshot 2026-11-08
Set DESKQL_AUDIT_KEY to sign records (HMAC-SHA256) and to check signatures.")]
    Audit(WithDb<crate::audit::AuditArgs>),
    /// Measure ingest (against a plain DuckDB copy of the same files) and reports at scale.
    #[command(after_help = "\
Examples:
  deskql bench                                            # a 2-minute taste (100k conversations)
  cargo run --profile perf -- bench --sizes 100000,1000000,10000000 --runs 3 --json bench.json   # ~30 min, ~10 GB")]
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
    } else if err.downcast_ref::<crate::ingest::InvalidSnapshot>().is_some() || err.downcast_ref::<crate::import::InvalidExtract>().is_some() {
        exit::INVALID_SNAPSHOT
    } else if err.downcast_ref::<crate::import::MissingAccountCreatedAt>().is_some() {
        exit::USAGE
    } else if err.downcast_ref::<crate::ingest::SnapshotConflict>().is_some() {
        exit::CONFLICT
    } else {
        exit::FAILURE
    }
}

fn dispatch(cli: Cli) -> Result<u8> {
    let before = cli.db.as_ref();
    match cli.command {
        Some(Command::Ingest(c)) => crate::ingest::run(&c.db.resolve(before), &c.args),
        Some(Command::Import(args)) => crate::import::run(&DbArg::default().resolve(before), &args),
        Some(Command::Snapshots(c)) => crate::snapshots::run(&c.db.resolve(before), &c.args),
        Some(Command::Generate(args)) => crate::generate::run(&args),
        Some(Command::Contract) => print_contract(),
        Some(Command::Demo(db)) => crate::demo::run(&crate::demo::database(db.path.as_ref().or(before).map(PathBuf::as_path))),
        Some(Command::Repl(c)) => crate::repl::run_repl(&c.db.resolve(before), &c.args),
        Some(Command::Sql(c)) => crate::repl::run_sql(&c.db.resolve(before), &c.args),
        Some(Command::Views(c)) => crate::views::run_views(&c.db.resolve(before), &c.args),
        Some(Command::Metrics(args)) => crate::views::run_metrics(&args),
        Some(Command::Report(c)) => crate::report::run(&c.db.resolve(before), &c.args),
        Some(Command::Mail(c)) => crate::mail::run(&c.db.resolve(before), &c.args),
        Some(Command::Audit(c)) => crate::audit::run(&c.db.resolve(before), &c.args),
        Some(Command::Bench(args)) => crate::bench::run(&args),
        None => crate::repl::run_repl(&DbArg::default().resolve(before), &crate::repl::ReplArgs { options: cli.shell }),
    }
}

fn print_contract() -> Result<u8> {
    let text = crate::contract::describe(crate::contract::Contract::get());
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(exit::OK)
}
