//! `deskql import`: a help desk's own export -> a contract snapshot folder
//! that `deskql ingest` accepts. One source so far, Help Scout, read from
//! the output of its Singer tap (`tap-helpscout` 1.2.2):
//!
//! - `singer`: the tap's JSON lines (SCHEMA / RECORD / STATE), streamed;
//! - `records`: the tap's records as the mapping reads them;
//! - `mapping`, `threads`: records -> contract rows (README "Importing Help
//!   Scout data" is the field-by-field documentation);
//! - `writer`, `dedup`: contract Parquet files in a temporary folder, later
//!   records replacing earlier ones, renamed to `--out` when complete;
//! - `report`: counted notices, warnings and the summary;
//! - `helpscout`: the import, from the first line to the renamed folder.

mod dedup;
mod helpscout;
mod mapping;
mod records;
mod report;
mod singer;
mod threads;
mod writer;

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use crate::exit;
use crate::outfile::OutputFile;

pub use helpscout::MissingAccountCreatedAt;
pub use singer::InvalidExtract;

use helpscout::{Outcome, Settings};
use report::{StreamCount, Summary, TableCount};

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(Subcommand, Debug)]
pub enum Source {
    /// Help Scout (Mailbox API 2.0), from the output of the Singer tap tap-helpscout 1.2.2.
    Helpscout(HelpscoutArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Plan {
    Standard,
    Plus,
    Pro,
}

impl Plan {
    fn name(self) -> &'static str {
        match self {
            Plan::Standard => "standard",
            Plan::Plus => "plus",
            Plan::Pro => "pro",
        }
    }
}

#[derive(Args, Debug)]
pub struct HelpscoutArgs {
    /// The tap's output (Singer JSON lines), or `-` to read it from stdin.
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,
    /// Snapshot folder to create; it must not exist (or be empty). Written
    /// in a temporary folder beside it and renamed when complete.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The account's id in deskql (the export itself has no account).
    #[arg(long, value_name = "N")]
    pub account_id: i64,
    /// The account's name [default: "Help Scout account N"].
    #[arg(long, value_name = "NAME")]
    pub account_name: Option<String>,
    /// The Help Scout plan (ratings exist on Plus and Pro only).
    #[arg(long, value_enum, default_value_t = Plan::Standard)]
    pub plan: Plan,
    /// The account's IANA time zone (reports' local days).
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = timezone)]
    pub timezone: String,
    /// When the account was created (UTC). Default for a full extract: the
    /// earliest created_at of its mailboxes and users; required for an
    /// incremental one, which holds only what changed.
    #[arg(long, value_name = "INSTANT", value_parser = crate::values::instant)]
    pub account_created_at: Option<String>,
    /// Users with role `user` may view reports (the API does not say; owners
    /// and admins always may).
    #[arg(long)]
    pub users_can_view_reports: bool,
    /// Import an output that lacks the tap's final STATE (the tap stopped);
    /// refused otherwise. Such a snapshot is for `ingest --mode incremental` only.
    #[arg(long)]
    pub allow_partial: bool,
    /// Write the last STATE's value here (the `-s` file of the next
    /// incremental run), only if the extract is complete.
    #[arg(long, value_name = "FILE")]
    pub state_out: Option<PathBuf>,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Do not print warnings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--timezone`: a zone deskql knows (the contract's `iana_timezone`).
fn timezone(text: &str) -> Result<String, String> {
    text.parse::<chrono_tz::Tz>()
        .map(|_| text.to_string())
        .map_err(|_| format!("{text:?} is not an IANA time-zone name: expected e.g. UTC, Europe/Paris, America/New_York"))
}

pub fn run(db: &Path, args: &ImportArgs) -> Result<u8> {
    match &args.source {
        Source::Helpscout(args) => run_helpscout(db, args),
    }
}

fn run_helpscout(db: &Path, args: &HelpscoutArgs) -> Result<u8> {
    let settings = settings_of(args)?;
    let input = open_input(&args.input)?;
    let outcome = helpscout::import(input, &settings, &args.out)?;
    let state_out = write_state(db, args, &outcome)?;
    let summary = summary_of(args, &outcome, state_out);
    if args.json {
        summary.write_json(&mut std::io::stdout().lock())?;
    } else {
        if !args.quiet {
            for line in summary.warning_lines() {
                eprintln!("warning: {line}");
            }
        }
        // Quiet by default for cron, as `ingest`: the summary on a terminal only.
        if std::io::stderr().is_terminal() {
            eprintln!("{}", summary.message);
        }
    }
    Ok(exit::OK)
}

fn settings_of(args: &HelpscoutArgs) -> Result<Settings> {
    let account_created_at = match &args.account_created_at {
        Some(text) => Some(crate::values::read_instant(text).context("--account-created-at")?.timestamp_micros()),
        None => None,
    };
    Ok(Settings {
        options: mapping::Options { account_id: args.account_id, users_can_view_reports: args.users_can_view_reports },
        account_name: args.account_name.clone().unwrap_or_else(|| format!("Help Scout account {}", args.account_id)),
        plan: args.plan.name().to_string(),
        timezone: args.timezone.clone(),
        account_created_at,
        allow_partial: args.allow_partial,
    })
}

/// Large buffers: a tap's output is read once, line by line.
const READ_BUFFER: usize = 1 << 20;

fn open_input(input: &Path) -> Result<Box<dyn BufRead>> {
    if input.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(READ_BUFFER, std::io::stdin())));
    }
    let file = File::open(input).with_context(|| format!("cannot read the tap output {}", input.display()))?;
    Ok(Box::new(BufReader::with_capacity(READ_BUFFER, file)))
}

/// `--state-out`: the last STATE's value, for the tap's `-s` next time.
/// Not written for a partial extract, whose bookmarks would skip data.
fn write_state(db: &Path, args: &HelpscoutArgs, outcome: &Outcome) -> Result<Option<String>> {
    let Some(path) = &args.state_out else { return Ok(None) };
    // Said in the summary's warnings when it is not written.
    let Some(state) = outcome.last_state.as_ref().filter(|_| outcome.complete) else { return Ok(None) };
    let mut file = OutputFile::create(path, db)?;
    writeln!(file, "{}", serde_json::to_string(state)?).with_context(|| format!("writing {}", path.display()))?;
    file.commit().with_context(|| format!("the snapshot {} was written, but not the state file", args.out.display()))?;
    Ok(Some(path.display().to_string()))
}

fn summary_of(args: &HelpscoutArgs, outcome: &Outcome, state_out: Option<String>) -> Summary {
    let out = args.out.display().to_string();
    let tables: Vec<TableCount> = outcome.tables.iter().map(|(table, rows)| TableCount { table: table.clone(), rows: *rows }).collect();
    let streams = outcome.streams.iter().map(|(stream, (records, used_as))| StreamCount { stream: stream.clone(), records: *records, used_as: *used_as }).collect();
    let mut warnings = outcome.notices.warnings().to_vec();
    if args.state_out.is_some() && state_out.is_none() {
        warnings.push("--state-out was not written: the extract is partial; keep the previous state".to_string());
    }
    Summary {
        status: "imported",
        source: "helpscout",
        message: report::message(&out, outcome.extract.name(), outcome.complete, &tables),
        out,
        extract: outcome.extract.name(),
        complete: outcome.complete,
        ingest_mode: if outcome.complete { outcome.extract.name() } else { "incremental" },
        lines: outcome.lines,
        streams,
        tables,
        counted: outcome.notices.counted(),
        warnings,
        state: outcome.last_state.clone(),
        state_out,
    }
}
