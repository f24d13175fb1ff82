//! Named reports (company, user, team, happiness; usage): resolve the
//! arguments (`params`), run the report's queries over the library's table
//! macros (`query`, SQL in `sql/reports/`), assemble one document
//! (`document`) and render it (`render`, `html`).

pub mod batch;
mod chart;
pub mod document;
mod html;
pub mod params;
pub mod query;
pub mod render;
pub mod spec;
mod units;

pub use spec::{ReportSpec, spec};
pub use units::{display_difference, display_value, section_title};

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser, ValueEnum};
use duckdb::Connection;

use crate::exit;
use crate::library::{self, SCHEMA};
use crate::outfile::OutputFile;
use crate::sqltext::named;
use crate::storage::{self, Access};
use document::{LibraryRef, ReportDoc, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Company,
    User,
    Team,
    Happiness,
    Usage,
}

impl ReportKind {
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Company => "company",
            ReportKind::User => "user",
            ReportKind::Team => "team",
            ReportKind::Happiness => "happiness",
            ReportKind::Usage => "usage",
        }
    }

    pub fn spec(self) -> &'static ReportSpec {
        spec(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Chat,
    Phone,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
        }
    }
}

/// `deskql report KIND ...` (also `.report KIND ...` in the REPL).
#[derive(Args, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ReportArgs {
    /// Which report.
    #[arg(value_enum)]
    pub kind: ReportKind,
    /// Account id (or exact account name). Not with --all-accounts.
    #[arg(long, required_unless_present = "all_accounts", default_value = "", hide_default_value = true)]
    pub account: String,
    /// First local day of the period (YYYY-MM-DD, included).
    #[arg(long, value_name = "DAY", value_parser = crate::values::date)]
    pub from: Option<String>,
    /// First local day after the period (YYYY-MM-DD, excluded).
    #[arg(long, value_name = "DAY", value_parser = crate::values::date)]
    pub to: Option<String>,
    /// A calendar month (YYYY-MM) instead of --from/--to. The usage report
    /// takes a month only; default: the last full month before the
    /// snapshot's as-of date.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::values::month)]
    pub month: Option<String>,
    /// Time zone of the local dates (IANA name). Default: the account's.
    #[arg(long)]
    pub tz: Option<String>,
    /// Only these inboxes (id or exact name; repeatable).
    #[arg(long)]
    #[serde(default)]
    pub inbox: Vec<String>,
    /// Only these channels (repeatable).
    #[arg(long, value_enum)]
    #[serde(default)]
    pub channel: Vec<Channel>,
    /// Only conversations with one of these tags (repeatable).
    #[arg(long)]
    #[serde(default)]
    pub tag: Vec<String>,
    /// Report as this user sees it: only the inboxes they can access; refused
    /// without the reports permission (id, email or exact name).
    #[arg(long)]
    pub as_user: Option<String>,
    /// The user of a user (or happiness) report (id, email or exact name).
    #[arg(long)]
    pub user: Option<String>,
    /// The team of a team (or happiness) report (id or exact name).
    #[arg(long)]
    pub team: Option<String>,
    /// Compare with the previous period of the same length.
    #[arg(long)]
    #[serde(default)]
    pub compare: bool,
    /// Start the period at the plan's history limit instead of refusing it.
    #[arg(long)]
    #[serde(default)]
    pub clamp: bool,
    /// Report on this snapshot (id). Default: the latest. (`deskql audit
    /// diff` takes it twice: the two snapshots to compare.)
    #[arg(long, value_name = "ID", action = clap::ArgAction::Append)]
    #[serde(default)]
    pub snapshot: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    #[serde(skip, default = "default_format")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (complete or not at
    /// all: it appears when the report is done; never the database).
    #[arg(long, short, value_name = "FILE", alias = "out")]
    #[serde(skip)]
    pub output: Option<PathBuf>,
    /// Usage report: an FAQ view followed within this time by a conversation
    /// of the same customer is not deflected (24h, 90m, 3600s or seconds;
    /// default 24h).
    #[arg(long, value_name = "DURATION", value_parser = crate::values::duration)]
    #[serde(default)]
    pub deflection_window: Option<String>,
    /// Usage report: every account's report of the month, computed in one
    /// pass (the benchmark once), one file per account in --out-dir with
    /// an index.json. Each account in its own time zone.
    #[arg(long, conflicts_with_all = ["account", "output", "tz"], requires = "out_dir")]
    #[serde(skip)]
    pub all_accounts: bool,
    /// With --all-accounts: the folder for `<account_id>.<html|json|md>`
    /// and `index.json` (created if missing; each file complete or absent).
    #[arg(long, value_name = "DIR", requires = "all_accounts")]
    #[serde(skip)]
    pub out_dir: Option<PathBuf>,
}

fn default_format() -> ReportFormat {
    ReportFormat::Json
}

/// The same arguments parsed from a REPL line (`.report company --account 1 ...`).
#[derive(Parser, Debug)]
#[command(name = ".report", no_binary_name = true)]
pub struct ReplReport {
    #[command(flatten)]
    pub args: ReportArgs,
}

/// `deskql report --help`'s closing text: examples, and which options each
/// report kind takes (from the specs).
pub fn help_text() -> String {
    let mut text = String::from(
        "Examples:\n  deskql report company --account 1 --month 2026-10 --compare\n  \
         deskql report user --account 1 --user 100002 --from 2026-10-01 --to 2026-10-16\n  \
         deskql report team --account 1 --team 'Tier 1' --month 2026-10 --format markdown\n  \
         deskql report usage --account 1 --format html --output usage.html\n  \
         deskql report usage --all-accounts --month 2026-10 --format html --out-dir usage-2026-10\n\nOptions by report:\n",
    );
    for spec in spec::SPECS {
        let period = match spec.period {
            spec::PeriodRule::Dates => "--from/--to or --month",
            spec::PeriodRule::Month => "--month (default: the last full month)",
        };
        let subject = match spec.subject {
            spec::SubjectRule::Account => "",
            spec::SubjectRule::User => ", --user (required)",
            spec::SubjectRule::Team => ", --team (required)",
            spec::SubjectRule::Either => ", --user or --team (optional)",
        };
        let scope = if spec.scoped { ", --inbox, --channel, --tag, --as-user, --compare, --clamp" } else { "" };
        let window = if spec.deflection_window { ", --deflection-window" } else { "" };
        text.push_str(&format!("  {:<10} {period}{subject}{scope}{window}\n", spec.kind.name()));
    }
    text.push_str("Every report: --tz, --snapshot, --format, --output.");
    text
}

/// `deskql report ...`.
pub fn run(db: &Path, args: &ReportArgs) -> Result<u8> {
    let conn = storage::open(db, Access::ReadOnly)?;
    warn_if_library_is_old(&conn)?;
    if let Some(dir) = args.out_dir.as_deref().filter(|_| args.all_accounts) {
        return batch::run(db, &conn, args, dir);
    }
    match &args.output {
        Some(path) => {
            let mut file = OutputFile::create(path, db)?;
            run_with_connection(&conn, args, &mut file)?;
            file.commit()?;
        }
        None => run_with_connection(&conn, args, &mut std::io::stdout().lock())?,
    }
    Ok(exit::OK)
}

/// Run a report on an open connection and write it to `out`.
pub fn run_with_connection(conn: &Connection, args: &ReportArgs, out: &mut dyn Write) -> Result<()> {
    let doc = build(conn, args, SCHEMA)?;
    render::write(out, &doc, args.format)
}

fn warn_if_library_is_old(conn: &Connection) -> Result<()> {
    let installed = library::installed_library(conn)?;
    if installed.version < library::latest().version {
        eprintln!(
            "note: the database has metric library {}; this deskql has {} (`deskql views install` upgrades; figures may change)",
            installed.version,
            library::latest().version
        );
    }
    Ok(())
}

/// Build the report document, reading library schema `schema` (`metrics`,
/// or a side-by-side version for audits).
pub fn build(conn: &Connection, args: &ReportArgs, schema: &str) -> Result<ReportDoc> {
    if args.all_accounts {
        anyhow::bail!("--all-accounts writes one file per account: `deskql report usage --all-accounts --out-dir DIR`");
    }
    let (resolved, header) = resolve_with_header(conn, args, schema)?;
    let parameters = resolved.parameters();
    let spec = resolved.kind.spec();
    let queries = resolved.library.report_queries(spec.queries)?;
    let cards_query = if resolved.compare { "cards_compare" } else { "cards" };
    let cards = document::cards(&query::run(conn, queries.text, cards_query, schema, &parameters)?)?;
    let tables = spec
        .tables
        .iter()
        .filter(|t| named(queries.text, t.name).is_ok())
        .map(|t| Table::new(t.name, t.title, query::run(conn, queries.text, t.name, schema, &parameters)?))
        .collect::<Result<Vec<_>>>()?;
    Ok(ReportDoc { format: document::FORMAT, report: resolved.kind.name().to_string(), spec, header, cards, tables })
}

/// The arguments resolved and the document's header: everything of a
/// report but its figures (the usage batch computes those for every
/// account at once).
pub(crate) fn resolve_with_header(conn: &Connection, args: &ReportArgs, schema: &str) -> Result<(params::Resolved, document::Header)> {
    let library = library_ref(conn, schema)?;
    let resolved = params::resolve(conn, args, schema)?;
    let queries = resolved.library.report_queries("common")?;
    let period = query::run(conn, queries.text, "period", schema, &resolved.parameters())?;
    let mut header = document::header(&period, &resolved, library)?;
    note_data_end(&mut header)?;
    Ok((resolved, header))
}

/// A period that ends after the snapshot's as-of time is only partly known:
/// the header says until when the data goes. A period that starts at or
/// after it is not known at all, and refused. (Both instants are UTC text
/// in the same `YYYY-MM-DDTHH:MM:SSZ` form, so they compare as text.)
fn note_data_end(header: &mut document::Header) -> Result<()> {
    let as_of = &header.snapshot.taken_at;
    if header.period.utc_from >= *as_of {
        anyhow::bail!(
            "the period {} to {} starts after snapshot {}'s as-of time ({as_of}): there is no data for it yet",
            header.period.from,
            header.period.to,
            header.snapshot.id
        );
    }
    if header.period.utc_to > *as_of {
        header.notes.push(format!("data until {as_of}: the period ends after the snapshot's as-of time, so its last days are incomplete"));
        header.data_until = Some(as_of.clone());
    }
    Ok(())
}

fn library_ref(conn: &Connection, schema: &str) -> Result<LibraryRef> {
    let installed = library::install::installed_in(conn, schema)?
        .with_context(|| format!("no metric library is installed in schema {schema}: run `deskql views install`"))?;
    Ok(LibraryRef { version: installed.version, schema: schema.to_string(), sql_sha256: installed.sql_sha256 })
}
