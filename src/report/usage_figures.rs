//! The Usage report's figures in two phases (library 1.4.0 and later).
//!
//! A usage report compares one account with the mean of every other
//! account, so its costly part is every account's figures of the month
//! (`metrics.usage_figures`), the same for every report of that month on
//! that snapshot. They are computed once and stored in
//! `deskql_meta.usage_figures`, one set per snapshot (sequence and content
//! hash), library SQL (SHA-256), month, deflection window and office-hours
//! flag; each report then reads its set (phase 1) and computes its cards
//! from it (phase 2: the library's `metrics.usage_cards`).
//!
//! Phase 1 fills two TEMP tables of the report's connection, which the
//! version's report queries read: `usage_month_figures` (every account's
//! figures, each in its own time zone: the stored set, or the `month_figures`
//! query) and `usage_own_figures` (the account's: its rows of those, or the
//! `own_figures` query when `--tz` puts it in another zone).
//!
//! A report opens the database read-only; storing a set is the one write a
//! report makes (`store_missing`, documented in the README): it takes the
//! writer's lock without waiting, and when it cannot (an ingest is running,
//! the file is read-only) the report computes the figures for itself.
//! Audits never read the store: they recompute from the base tables
//! (`Figures::Recomputed`), and a test compares the two on every account.

use std::path::Path;

use anyhow::{Context, Result};
use duckdb::Connection;
use duckdb::types::Value;

use super::query::{self, Parameters};
use crate::library::SCHEMA;
use crate::sqltext::named;
use crate::storage::{self, Access};

const SQL: &str = include_str!("../../sql/reports/usage_figures.sql");

/// The report query (of the version's usage queries) that computes every
/// account's figures of the month: its presence makes a version two-phase.
const MONTH_FIGURES: &str = "month_figures";

/// Where every account's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    /// The stored set when there is one, else computed: reports.
    Stored,
    /// Computed from the base tables, the store neither read nor written:
    /// audits.
    Recomputed,
}

/// How phase 1 got the figures (for `DESKQL_TRACE` and the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Stored,
    Computed,
}

/// The identity of a stored set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetKey {
    pub seq: i64,
    pub content_hash: String,
    pub library_sha256: String,
    /// The month's first day, `YYYY-MM-DD`.
    pub month_start: String,
    pub deflection_window: i64,
    pub office_hours: bool,
}

impl SetKey {
    fn parameters(&self) -> Parameters {
        let mut p = Parameters::default();
        p.set("seq", Value::BigInt(self.seq))
            .set("content_hash", Value::Text(self.content_hash.clone()))
            .set("library_sha256", Value::Text(self.library_sha256.clone()))
            .set("month_start", Value::Text(self.month_start.clone()))
            .set("deflection_window", Value::BigInt(self.deflection_window))
            .set("office_hours", Value::Boolean(self.office_hours))
            .set("tool_version", Value::Text(env!("CARGO_PKG_VERSION").to_string()));
        p
    }
}

/// Whether a version's usage queries (`queries`, the text of its
/// `usage.sql` or `usage_batch.sql`) read the phase-1 tables.
pub fn two_phase(usage_queries: &str) -> bool {
    named(usage_queries, MONTH_FIGURES).is_ok()
}

/// Phase 1 of a report: fill `usage_month_figures` (and, for a single
/// account's report, `usage_own_figures`) in `conn`. `usage_queries` is
/// the text of the version's `usage.sql`; `parameters` the report's.
pub fn prepare(
    conn: &Connection,
    usage_queries: &str,
    schema: &str,
    parameters: &Parameters,
    key: &SetKey,
    figures: Figures,
    own_zone: bool,
) -> Result<Source> {
    run_script(conn, "create_temp", &Parameters::default())?;
    let source = if figures == Figures::Stored && is_stored(conn, key)? {
        run_script(conn, "load_stored", &key.parameters())?;
        Source::Stored
    } else {
        compute_month(conn, usage_queries, schema, parameters)?;
        Source::Computed
    };
    if own_zone {
        fill_from_query(conn, usage_queries, "own_figures", "usage_own_figures", schema, parameters)?;
    } else {
        run_script(conn, "own_from_month", parameters)?;
    }
    crate::trace::note(&format!("usage figures of {}: {source:?}", key.month_start));
    Ok(source)
}

/// Drop the phase-1 tables (a REPL session keeps its connection).
pub fn release(conn: &Connection) -> Result<()> {
    run_script(conn, "drop_temp", &Parameters::default())
}

/// Whether the set is stored (false in a database made before the store
/// existed, which a read-only report cannot change).
pub fn is_stored(conn: &Connection, key: &SetKey) -> Result<bool> {
    let exists: bool = conn.query_row(&named(SQL, "store_exists")?, [], |r| r.get(0))?;
    if !exists {
        return Ok(false);
    }
    let rows = query::values(conn, SQL, "is_stored", &key.parameters())?;
    Ok(matches!(rows.first().and_then(|r| r.first()), Some(Value::Boolean(true))))
}

/// Compute the set and store it, in one transaction of a read-write
/// connection.
pub fn store(conn: &Connection, usage_queries: &str, schema: &str, parameters: &Parameters, key: &SetKey) -> Result<()> {
    // asked again under the writer's lock: another report may have stored
    // the set since this one looked, read-only
    if is_stored(conn, key)? {
        return Ok(());
    }
    storage::in_transaction(conn, "the usage figures", || {
        run_script(conn, "create_temp", &Parameters::default())?;
        compute_month(conn, usage_queries, schema, parameters)?;
        run_script(conn, "store_rows", &key.parameters())?;
        run_script(conn, "store_set", &key.parameters())?;
        release(conn)
    })
}

/// A report's one write: store the set `key` if it is missing. `conn` is
/// the report's read-only connection, closed and opened again around the
/// write (DuckDB gives one process one mode per file); the returned one is
/// read-only again. When the writer's lock is not free, or the file cannot
/// be written, the reason goes to standard error and nothing is stored.
pub fn store_missing(
    db: &Path,
    conn: Connection,
    usage_queries: &str,
    schema: &str,
    parameters: &Parameters,
    key: &SetKey,
) -> Result<Connection> {
    if is_stored(&conn, key)? {
        return Ok(conn);
    }
    drop(conn);
    let stored = storage::open(db, Access::ReadWrite { wait: std::time::Duration::ZERO })
        .and_then(|writer| crate::trace::trace("store usage figures", || store(&writer, usage_queries, schema, parameters, key)));
    if let Err(err) = stored {
        eprintln!(
            "note: the usage figures of every account for {} were not stored ({}); this report computes them itself",
            key.month_start,
            first_line(&format!("{err:#}"))
        );
    }
    storage::open(db, Access::ReadOnly)
}

/// Forget every stored set (`deskql bench` times the first report of a
/// month, which computes them, as well as the later ones).
pub fn forget_all(conn: &Connection) -> Result<()> {
    run_script(conn, "forget_all", &Parameters::default())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

fn compute_month(conn: &Connection, usage_queries: &str, schema: &str, parameters: &Parameters) -> Result<()> {
    fill_from_query(conn, usage_queries, MONTH_FIGURES, "usage_month_figures", schema, parameters)
}

/// `INSERT INTO temp.main.<table>` the rows of report query `name`.
fn fill_from_query(conn: &Connection, queries: &str, name: &str, table: &str, schema: &str, parameters: &Parameters) -> Result<()> {
    let select = named(queries, name)?;
    let file = format!("-- name: {name}\nINSERT INTO temp.main.{table}\n{select}\n");
    query::run_script(conn, &file, name, schema, parameters).with_context(|| format!("computing the usage figures ({name})"))
}

/// Run the named script of `usage_figures.sql`.
fn run_script(conn: &Connection, name: &str, parameters: &Parameters) -> Result<()> {
    query::run_script(conn, SQL, name, SCHEMA, parameters)
}
