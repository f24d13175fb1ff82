//! Every account's usage report of a month, computed in one pass:
//! `deskql report usage --all-accounts --out-dir DIR`, and the documents
//! `deskql mail usage` sends.
//!
//! A single usage report already computes every account's figures (its
//! benchmark is their mean), so building 200 reports one by one would do
//! that work 200 times. Here the header of each account is resolved as for
//! its single report (cheap lookups: account, month, plan window), and the
//! figures come from the library's batch queries (`usage_batch.sql`): one
//! query for every account's cards with the benchmark, one for every
//! account's feature table. Each account's document is then cut from those
//! rows; it is the document `deskql report usage --account A` gives (a test
//! compares them).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{Array, Int64Array};
use chrono::NaiveDate;
use duckdb::Connection;
use duckdb::types::Value;
use serde::Serialize;

use super::document::{Header, ReportDoc};
use super::params::Resolved;
use super::query::{self, Parameters, Rows};
use super::{ReportArgs, ReportFormat, ReportKind, render};
use crate::contacts::{self, Contact};
use crate::exit;
use crate::library::SCHEMA;
use crate::outfile::OutputFile;
use crate::sqltext::named;

/// The library's batch queries (`[reports]` of library.toml, since 1.3.0).
const BATCH_QUERIES: &str = "usage_batch";

/// Identifies the shape of `index.json`; bumped on any incompatible change.
pub const INDEX_FORMAT: &str = "deskql.usage-batch/1";

/// The documents of a batch, and the accounts left out with the reason.
pub struct Batch {
    pub documents: Vec<ReportDoc>,
    pub skipped: Vec<Skipped>,
}

/// An account whose report could not be made (its month starts before its
/// plan's history window, or after the snapshot, ...): the single report
/// would refuse it with the same message.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub account: String,
    pub reason: String,
}

/// Which accounts a batch covers.
pub enum Accounts<'a> {
    /// Every account of the snapshot.
    All,
    /// These (ids or exact names), in this order.
    Only(&'a [String]),
}

/// `deskql report usage --all-accounts --out-dir DIR`.
pub fn run(db: &Path, conn: &Connection, args: &ReportArgs, dir: &Path) -> Result<u8> {
    let extension = extension(args)?;
    let batch = build(conn, args, Accounts::All)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let recipients = contacts::primary_contacts(conn, snapshot_of(&batch))?;
    let mut entries = Vec::new();
    for doc in &batch.documents {
        let file = format!("{}.{extension}", doc.header.account.id);
        write_document(db, &dir.join(&file), doc, args.output_format())?;
        entries.push(IndexEntry::new(doc, file, recipients.get(&doc.header.account.id).cloned().unwrap_or_default())?);
    }
    write_index(db, dir, &Index { format: INDEX_FORMAT, reports: entries, skipped: batch.skipped.clone() })?;
    for skipped in &batch.skipped {
        eprintln!("note: no report for account {}: {}", skipped.account, skipped.reason);
    }
    Ok(exit::OK)
}

/// The file extension of a batch format; the batch writes documents meant
/// to be read or sent, not terminal tables or CSV blocks.
fn extension(args: &ReportArgs) -> Result<&'static str> {
    if args.kind != ReportKind::Usage {
        bail!("--all-accounts applies to the usage report only (the monthly report sent to every account)");
    }
    match args.output_format() {
        ReportFormat::Html => Ok("html"),
        ReportFormat::Json => Ok("json"),
        ReportFormat::Markdown => Ok("md"),
        ReportFormat::Table | ReportFormat::Csv => bail!("--all-accounts writes --format html, json or markdown"),
    }
}

/// The snapshot every document of the batch reads (they all read the same).
fn snapshot_of(batch: &Batch) -> Option<i32> {
    batch.documents.first().and_then(|d| i32::try_from(d.header.snapshot.seq).ok())
}

/// Build the usage documents of `accounts` for the month and snapshot of
/// `args` (`--month`, default: each account's last full month;
/// `--snapshot`; `--deflection-window`).
pub fn build(conn: &Connection, args: &ReportArgs, accounts: Accounts<'_>) -> Result<Batch> {
    if args.tz.is_some() {
        bail!("--tz does not apply to a batch: each account's report is in its own time zone");
    }
    let mut one = args.clone();
    one.kind = ReportKind::Usage;
    one.all_accounts = false;
    one.out_dir = None;
    one.output = None;
    one.table = None;
    let words = match accounts {
        Accounts::All => every_account(conn, &one)?,
        Accounts::Only(words) => words.to_vec(),
    };
    let mut months: BTreeMap<NaiveDate, Vec<(Resolved, Header)>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for word in words {
        one.account = word.clone();
        match super::resolve_with_header(conn, &one, SCHEMA) {
            Ok((resolved, header)) => months.entry(resolved.date_from).or_default().push((resolved, header)),
            Err(err) => skipped.push(Skipped { account: word, reason: format!("{err:#}") }),
        }
    }
    let mut documents = Vec::new();
    // Without --month each account's default month is in its own zone, so
    // near a month's end two months can be due at once: one pass each.
    for accounts in months.into_values() {
        documents.extend(month_documents(conn, &one, accounts)?);
    }
    documents.sort_by_key(|d| d.header.account.id);
    Ok(Batch { documents, skipped })
}

/// Every account id of the report's snapshot.
fn every_account(conn: &Connection, args: &ReportArgs) -> Result<Vec<String>> {
    let library = super::params::library_in(conn, SCHEMA)?;
    let queries = batch_queries(library)?;
    let mut parameters = Parameters::default();
    parameters.set("snap", crate::catalog::for_report(conn, &args.snapshot)?.map_or(Value::Null, Value::Int));
    let rows = query::values(conn, queries.text, "accounts", &parameters)?;
    Ok(rows.iter().filter_map(|r| r.first()).map(id_text).collect())
}

fn batch_queries(library: &crate::library::Library) -> Result<crate::library::SourceFile> {
    library.report_queries(BATCH_QUERIES).with_context(|| {
        format!("metric library {} has no batch usage queries: `deskql views install` installs the newest library", library.version)
    })
}

fn id_text(value: &Value) -> String {
    match value {
        Value::BigInt(i) => i.to_string(),
        Value::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// The documents of accounts that share a month (and, in one batch, the
/// snapshot and deflection window): the batch queries run once for them.
fn month_documents(conn: &Connection, args: &ReportArgs, accounts: Vec<(Resolved, Header)>) -> Result<Vec<ReportDoc>> {
    let Some((first, first_header)) = accounts.first() else { return Ok(Vec::new()) };
    let queries = batch_queries(first.library)?;
    let spec = first.kind.spec();
    let single = first.library.report_queries(spec.queries)?;
    super::check_table_options(spec, single.text, args, &first_header.library.version)?;
    let parameters = first.parameters();
    // every account's figures of the month: the stored set, or computed
    // here (phase 1 of the single report, whose query it runs)
    let two_phase = super::prepare_usage_figures(conn, single.text, SCHEMA, first, first_header, super::usage_figures::Figures::Stored, false)?;
    let cards = query::run(conn, queries.text, "cards", SCHEMA, &parameters);
    if two_phase {
        super::usage_figures::release(conn)?;
    }
    let mut cards = split_by_account(&cards?)?;
    let mut tables = Vec::new();
    for table in spec.tables.iter().filter(|t| named(single.text, t.name).is_ok()) {
        let name = super::office::table_query(single.text, table.name, first.office_hours);
        if named(queries.text, &name).is_err() {
            bail!("{} has no query {name}: the batch cannot build the report's table {:?}", queries.path, table.title);
        }
        let rows = query::run(conn, queries.text, &name, SCHEMA, &parameters)?;
        tables.push((table, split_by_account(&rows)?));
    }
    let mut documents = Vec::new();
    for (resolved, header) in accounts {
        let id = resolved.account_id;
        let account_cards = cards.remove(&id).with_context(|| format!("the batch computed no figures for account {id}"))?;
        let account_tables = tables.iter_mut().map(|(spec, by_account)| (*spec, by_account.remove(&id).unwrap_or_else(|| by_account.empty()))).collect();
        documents.push(super::assemble(conn, args, &resolved, header, &account_cards, account_tables)?);
    }
    Ok(documents)
}

/// A batch query's rows cut by account: each account's rows (in the
/// query's order), without the `account_id` column, as its single report's
/// query would return them.
struct ByAccount {
    schema: arrow::datatypes::SchemaRef,
    rows: BTreeMap<i64, Rows>,
}

impl ByAccount {
    fn remove(&mut self, account: &i64) -> Option<Rows> {
        self.rows.remove(account)
    }

    /// No rows, with the columns: an account the query returned nothing for.
    fn empty(&self) -> Rows {
        Rows { schema: self.schema.clone(), batches: Vec::new() }
    }
}

fn split_by_account(rows: &Rows) -> Result<ByAccount> {
    let index = rows.schema.index_of("account_id").context("a batch query returns account_id")?;
    let kept: Vec<usize> = (0..rows.schema.fields().len()).filter(|i| *i != index).collect();
    let schema = Arc::new(rows.schema.project(&kept)?);
    let mut by_account: BTreeMap<i64, Rows> = BTreeMap::new();
    for batch in &rows.batches {
        let ids = batch.column(index).as_any().downcast_ref::<Int64Array>().context("account_id of a batch query is a BIGINT")?;
        // The queries order by account, so each account is one run of rows.
        let mut start = 0;
        while start < batch.num_rows() {
            let id = ids.value(start);
            let end = (start..batch.num_rows()).find(|&i| ids.value(i) != id).unwrap_or(batch.num_rows());
            let part = batch.slice(start, end - start).project(&kept)?;
            by_account.entry(id).or_insert_with(|| Rows { schema: schema.clone(), batches: Vec::new() }).batches.push(part);
            start = end;
        }
    }
    Ok(ByAccount { schema, rows: by_account })
}

fn write_document(db: &Path, path: &Path, doc: &ReportDoc, format: ReportFormat) -> Result<()> {
    let mut file = OutputFile::create(path, db)?;
    render::write(&mut file, doc, format, None)?;
    file.commit()
}

/// `index.json`: what the batch wrote, for whom, and its figures' digest.
#[derive(Serialize)]
struct Index {
    format: &'static str,
    reports: Vec<IndexEntry>,
    skipped: Vec<Skipped>,
}

#[derive(Serialize)]
struct IndexEntry {
    account: i64,
    name: String,
    /// The report's month, `YYYY-MM`.
    month: String,
    /// The file, relative to the index.
    file: String,
    /// The account's primary contacts (`account_contacts`), who `deskql
    /// mail usage` sends the report to; empty: nobody.
    recipients: Vec<Contact>,
    /// SHA-256 of the document's canonical form, as an audit records it
    /// (`result_digest` of `deskql audit run usage` with the same arguments).
    digest: String,
    snapshot: String,
}

impl IndexEntry {
    fn new(doc: &ReportDoc, file: String, recipients: Vec<Contact>) -> Result<IndexEntry> {
        Ok(IndexEntry {
            account: doc.header.account.id,
            name: doc.header.account.name.clone(),
            month: month_of(doc),
            file,
            recipients,
            digest: doc.figures_digest()?,
            snapshot: doc.header.snapshot.id.clone(),
        })
    }
}

/// The month of a usage document, `YYYY-MM` (its period starts on the first).
pub fn month_of(doc: &ReportDoc) -> String {
    doc.header.period.from.get(..7).unwrap_or(&doc.header.period.from).to_string()
}

fn write_index(db: &Path, dir: &Path, index: &Index) -> Result<()> {
    let mut file = OutputFile::create(&dir.join("index.json"), db)?;
    serde_json::to_writer_pretty(&mut file, index)?;
    std::io::Write::write_all(&mut file, b"\n")?;
    file.commit()
}
