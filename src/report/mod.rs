//! Named reports (company, user, team, happiness; usage): resolve the
//! arguments (`params`), run the report's queries over the library's table
//! macros (`query`, SQL in `sql/reports/`), assemble one document
//! (`document`) and render it (`render`: terminal and Markdown in `text`,
//! CSV in `csv`, HTML in `html`; words for people in `present`).

pub mod batch;
mod chart;
mod csv;
pub mod document;
mod html;
pub mod office;
pub mod params;
mod present;
pub mod query;
pub mod render;
pub mod spec;
mod text;
mod units;
pub mod usage_figures;

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

impl ReportFormat {
    /// The format a file name's extension names (`report.html`), if any.
    pub fn of_extension(path: &Path) -> Option<ReportFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "html" | "htm" => Some(ReportFormat::Html),
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "txt" => Some(ReportFormat::Table),
            _ => None,
        }
    }
}

/// `--by`: the buckets of the activity series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesBy {
    #[default]
    Day,
    /// Weeks start on Monday, local time.
    Week,
    Month,
}

impl SeriesBy {
    pub fn name(self) -> &'static str {
        match self {
            SeriesBy::Day => "day",
            SeriesBy::Week => "week",
            SeriesBy::Month => "month",
        }
    }
}

/// `--rating`: which ratings the ratings list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
pub enum RatingFilter {
    #[value(name = "great")]
    #[serde(rename = "great")]
    Great,
    #[value(name = "okay")]
    #[serde(rename = "okay")]
    Okay,
    #[value(name = "not_good")]
    #[serde(rename = "not_good")]
    NotGood,
}

impl RatingFilter {
    /// The rating as the data holds it.
    pub fn name(self) -> &'static str {
        match self {
            RatingFilter::Great => "great",
            RatingFilter::Okay => "okay",
            RatingFilter::NotGood => "not_good",
        }
    }
}

/// Rows of the most active tags and customers tables without `--top`.
pub const DEFAULT_TOP: u32 = 10;

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
    /// Output format (default: the one --output's extension names, .html,
    /// .json, .csv or .md; CSV with --out-dir; else a terminal table).
    #[arg(long, value_enum)]
    #[serde(skip)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of standard output (complete or not at
    /// all: it appears when the report is done; never the database).
    #[arg(long, short, value_name = "FILE", alias = "out")]
    #[serde(skip)]
    pub output: Option<PathBuf>,
    /// The activity series by day, week (starting on Monday, local time) or
    /// month.
    #[arg(long, value_enum, default_value_t = SeriesBy::Day)]
    #[serde(default)]
    pub by: SeriesBy,
    /// Rows of the most active tags and customers tables.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TOP, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    #[serde(default = "default_top")]
    pub top: u32,
    /// Only these ratings in the ratings list (user, team and happiness
    /// reports).
    #[arg(long, value_enum)]
    #[serde(default)]
    pub rating: Option<RatingFilter>,
    /// CSV: write this table (`cards`, or a table's name such as `daily`)
    /// instead of the cards.
    #[arg(long, value_name = "NAME")]
    #[serde(skip)]
    pub table: Option<String>,
    /// CSV: write the cards and every table into this folder, one file each
    /// (`cards.csv`, `daily.csv`, ...). With --all-accounts: the folder for
    /// `<account_id>.<html|json|md>` and `index.json`.
    #[arg(long, value_name = "DIR")]
    #[serde(skip)]
    pub out_dir: Option<PathBuf>,
    /// Usage report: an FAQ view followed within this time by a conversation
    /// of the same customer is not deflected (24h, 90m, 3600s or seconds;
    /// default 24h).
    #[arg(long, value_name = "DURATION", value_parser = crate::values::duration)]
    #[serde(default)]
    pub deflection_window: Option<String>,
    /// Times in office time: they accrue only while the account (in a team
    /// report, the team, if it has its own hours) is open, in the account's
    /// time zone, holidays closed. Counts do not change. Library 1.3.0 and later.
    #[arg(long)]
    // Left out of audit records when off, so records made before the
    // option existed read, and recompute, exactly as they were written.
    #[serde(default, skip_serializing_if = "is_false")]
    pub office_hours: bool,
    /// Usage report: every account's report of the month, computed in one
    /// pass (the benchmark once), one file per account in --out-dir (HTML
    /// unless --format says json or markdown) with an index.json. Each
    /// account in its own time zone.
    #[arg(long, conflicts_with_all = ["account", "output", "tz", "table"], requires = "out_dir")]
    #[serde(skip)]
    pub all_accounts: bool,
}

fn default_top() -> u32 {
    DEFAULT_TOP
}

impl ReportArgs {
    /// The output format: `--format`, else the one `--output`'s extension
    /// names, else HTML for `--all-accounts`, CSV for `--out-dir`, else the
    /// terminal table.
    pub fn output_format(&self) -> ReportFormat {
        self.format
            .or_else(|| self.output.as_deref().and_then(ReportFormat::of_extension))
            .or_else(|| self.all_accounts.then_some(ReportFormat::Html))
            .or_else(|| self.out_dir.as_ref().map(|_| ReportFormat::Csv))
            .unwrap_or(ReportFormat::Table)
    }

    /// The table options given with a value other than their default.
    fn table_options(&self) -> Vec<spec::TableOption> {
        let given = [
            (self.by != SeriesBy::Day, spec::TableOption::By),
            (self.top != DEFAULT_TOP, spec::TableOption::Top),
            (self.rating.is_some(), spec::TableOption::Rating),
        ];
        given.iter().filter(|(given, _)| *given).map(|(_, option)| *option).collect()
    }

    /// `--table` and `--out-dir` pick what CSV writes; they make no sense
    /// with another format, or with each other.
    fn check_output_options(&self) -> Result<()> {
        if self.all_accounts {
            anyhow::bail!("--all-accounts writes one file per account: `deskql report usage --all-accounts --out-dir DIR`");
        }
        let format = self.output_format();
        if self.out_dir.is_some() && self.output.is_some() {
            anyhow::bail!("--out-dir writes one file per table and --output one file: give one of them");
        }
        if self.out_dir.is_some() && self.table.is_some() {
            anyhow::bail!("--out-dir writes every table; --table picks one: give one of them");
        }
        if (self.out_dir.is_some() || self.table.is_some()) && format != ReportFormat::Csv {
            let flag = if self.out_dir.is_some() { "--out-dir" } else { "--table" };
            anyhow::bail!("{flag} applies to --format csv (the other formats show every table in one document)");
        }
        Ok(())
    }
}

fn is_false(value: &bool) -> bool {
    !*value
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
        let mut options: Vec<spec::TableOption> = Vec::new();
        for option in spec.tables.iter().flat_map(|t| t.options.iter().copied()) {
            if !options.contains(&option) {
                options.push(option);
            }
        }
        let tables: String = options.iter().map(|o| format!(", {}", o.flag())).collect();
        let office = if spec.office_hours { ", --office-hours" } else { "" };
        text.push_str(&format!("  {:<10} {period}{subject}{scope}{window}{office}{tables}\n", spec.kind.name()));
    }
    text.push_str("Every report: --tz, --snapshot, --format, --output; with --format csv, --table and --out-dir.");
    text
}

/// `deskql report ...`.
pub fn run(db: &Path, args: &ReportArgs) -> Result<u8> {
    let mut conn = storage::open(db, Access::ReadOnly)?;
    warn_if_library_is_old(&conn)?;
    if args.kind == ReportKind::Usage && !args.all_accounts {
        conn = store_usage_figures(db, conn, args)?;
    }
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

/// Run a report on an open connection and write it to `out` (with
/// `--out-dir`, to one CSV file per table in that folder instead).
pub fn run_with_connection(conn: &Connection, args: &ReportArgs, out: &mut dyn Write) -> Result<()> {
    args.check_output_options()?;
    let doc = build(conn, args, SCHEMA)?;
    match &args.out_dir {
        Some(dir) => csv::write_folder(conn, &doc, dir),
        None => render::write(out, &doc, args.output_format(), args.table.as_deref()),
    }
}

/// A usage report's one write (library 1.4.0 and later): every account's
/// figures of its month, stored if they are not yet (`usage_figures`).
/// Arguments the report will refuse are left for it to refuse.
fn store_usage_figures(db: &Path, conn: Connection, args: &ReportArgs) -> Result<Connection> {
    let Ok((resolved, header)) = resolve_with_header(&conn, args, SCHEMA) else { return Ok(conn) };
    let queries = resolved.library.report_queries(resolved.kind.spec().queries)?;
    if !usage_figures::two_phase(queries.text) {
        return Ok(conn);
    }
    let key = usage_set_key(&resolved, &header);
    usage_figures::store_missing(db, conn, queries.text, SCHEMA, &usage_parameters(&resolved, &key), &key)
}

/// Phase 1 of a usage report (library 1.4.0 and later, `usage_figures`):
/// every account's figures of the month in `conn`'s TEMP tables, stored or
/// computed as `figures` says, and the account's own (`own_zone`: in the
/// report's `--tz`). `usage_queries` is the version's `usage.sql`. Returns
/// whether there was a phase 1: then `usage_figures::release` drops it.
pub(crate) fn prepare_usage_figures(
    conn: &Connection,
    usage_queries: &str,
    schema: &str,
    resolved: &params::Resolved,
    header: &document::Header,
    figures: usage_figures::Figures,
    own_zone: bool,
) -> Result<bool> {
    if resolved.kind != ReportKind::Usage || !usage_figures::two_phase(usage_queries) {
        return Ok(false);
    }
    let key = usage_set_key(resolved, header);
    usage_figures::prepare(conn, usage_queries, schema, &usage_parameters(resolved, &key), &key, figures, own_zone)?;
    Ok(true)
}

/// The stored set a usage report reads.
fn usage_set_key(resolved: &params::Resolved, header: &document::Header) -> usage_figures::SetKey {
    usage_figures::SetKey {
        seq: header.snapshot.seq,
        content_hash: header.snapshot.content_hash.clone(),
        library_sha256: header.library.sql_sha256.clone(),
        month_start: resolved.date_from.to_string(),
        deflection_window: resolved.deflection_window,
        office_hours: resolved.office_hours,
    }
}

/// The report's parameters with its snapshot named by sequence: the
/// figures stored under `key` are those of that snapshot even if another
/// is ingested meanwhile.
fn usage_parameters(resolved: &params::Resolved, key: &usage_figures::SetKey) -> query::Parameters {
    let mut parameters = resolved.parameters();
    parameters.set("snap", duckdb::types::Value::BigInt(key.seq));
    parameters
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
/// or a side-by-side version for audits), and the stored usage figures.
pub fn build(conn: &Connection, args: &ReportArgs, schema: &str) -> Result<ReportDoc> {
    build_with(conn, args, schema, usage_figures::Figures::Stored)
}

/// `build`, saying where a usage report's figures of every account come
/// from: audits recompute them from the base tables.
pub fn build_with(conn: &Connection, args: &ReportArgs, schema: &str, figures: usage_figures::Figures) -> Result<ReportDoc> {
    if args.all_accounts {
        anyhow::bail!("--all-accounts writes one file per account: `deskql report usage --all-accounts --out-dir DIR`");
    }
    let (resolved, header) = resolve_with_header(conn, args, schema)?;
    let parameters = resolved.parameters();
    let spec = resolved.kind.spec();
    let queries = resolved.library.report_queries(spec.queries)?;
    check_table_options(spec, queries.text, args, &header.library.version)?;
    let two_phase = prepare_usage_figures(conn, queries.text, schema, &resolved, &header, figures, resolved.zone.is_some())?;
    // Since library 1.4.0 a report's queries may `prepare` the period's
    // facts once (TEMP tables that its cards and tables read) and `release`
    // them: whatever happens in between, they are dropped.
    let prepared = named(queries.text, PREPARE).is_ok();
    let rows = if prepared { query::run_script(conn, queries.text, PREPARE, schema, &parameters) } else { Ok(()) }
        .and_then(|()| cards_and_tables(conn, queries.text, spec, &resolved, schema, &parameters));
    let released = if prepared { query::run_script(conn, queries.text, RELEASE, schema, &parameters) } else { Ok(()) };
    if two_phase {
        usage_figures::release(conn)?;
    }
    let (cards, tables) = rows?;
    released?;
    assemble(conn, args, &resolved, header, &cards, tables)
}

/// The report query that computes what its other queries share, and the one
/// that drops it (library 1.4.0 and later).
const PREPARE: &str = "prepare";
const RELEASE: &str = "release";

type TableRows = Vec<(&'static spec::TableSpec, query::Rows)>;

/// The rows of the cards and of every table the version's queries have.
fn cards_and_tables(
    conn: &Connection,
    queries: &str,
    spec: &'static ReportSpec,
    resolved: &params::Resolved,
    schema: &str,
    parameters: &query::Parameters,
) -> Result<(query::Rows, TableRows)> {
    let cards_query = if resolved.compare { "cards_compare" } else { "cards" };
    let cards = query::run(conn, queries, cards_query, schema, parameters)?;
    let tables = spec
        .tables
        .iter()
        .filter(|t| named(queries, t.name).is_ok())
        .map(|t| {
            let name = office::table_query(queries, t.name, resolved.office_hours);
            Ok((t, query::run(conn, queries, &name, schema, parameters)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((cards, tables))
}

/// The document from its header and the rows of its cards and tables: what
/// a single report and each account of the usage batch (`batch`, rows cut
/// from every account's) share, so that both give the same document.
pub(crate) fn assemble(
    conn: &Connection,
    args: &ReportArgs,
    resolved: &params::Resolved,
    mut header: document::Header,
    cards: &query::Rows,
    tables: Vec<(&spec::TableSpec, query::Rows)>,
) -> Result<ReportDoc> {
    let spec = resolved.kind.spec();
    if resolved.office_hours {
        office::describe(conn, resolved, &mut header)?;
    }
    let cards = document::cards(cards)?;
    note_benchmark_accounts(&mut header, &cards);
    let tables = tables.into_iter().map(|(t, rows)| Table::new(t.name, &t.title_for(spec, args), t.shape, rows)).collect::<Result<Vec<_>>>()?;
    Ok(ReportDoc { format: document::FORMAT, report: resolved.kind.name().to_string(), spec, library: resolved.library, by: args.by, header, cards, tables })
}

/// `--by`, `--top` and `--rating` shape tables: refuse one that no table of
/// the report takes, or that the library version's queries do not take
/// (before 1.3.0 there were no such tables, and a silently ignored option
/// would mislead).
pub(crate) fn check_table_options(spec: &ReportSpec, queries: &str, args: &ReportArgs, version: &str) -> Result<()> {
    for option in args.table_options() {
        let taking: Vec<&spec::TableSpec> = spec.tables.iter().filter(|t| t.options.contains(&option)).collect();
        if taking.is_empty() {
            anyhow::bail!("{} does not apply to the {} report: none of its tables takes it", option.flag(), spec.kind.name());
        }
        let supported = taking.iter().any(|t| named(queries, t.name).is_ok_and(|sql| query::uses_parameter(&sql, option.parameter())));
        if !supported {
            anyhow::bail!(
                "{} needs metric library 1.3.0 or later; this report reads library {version} (`deskql views install` upgrades)",
                option.flag()
            );
        }
    }
    Ok(())
}

/// Since library 1.3.0 a usage card says how many accounts its benchmark
/// averages (the account itself left out): the header says so too, in place
/// of the earlier versions' note about a mean over every account.
fn note_benchmark_accounts(header: &mut document::Header, cards: &[document::Card]) {
    let counted: Vec<String> = cards
        .iter()
        .filter_map(|c| c.benchmark_accounts.map(|n| format!("{} {n}", c.label)))
        .collect();
    if counted.is_empty() {
        return;
    }
    header.notes.retain(|n| !n.starts_with("benchmark:"));
    header.notes.push(format!(
        "benchmark: the unweighted mean over the other accounts of the snapshot (this one left out) with data for the metric, \
         each over the same calendar month in its own time zone; accounts averaged: {}",
        counted.join(", ")
    ));
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
