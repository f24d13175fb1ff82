//! The snapshot catalog (`deskql_meta.snapshots`): the one owner of which
//! snapshots exist, their sequence numbers and content hashes, which one a
//! report reads, and dropping one. Its SQL is `sql/schema/catalog.sql`.

use anyhow::{Context, Result, bail};
use chrono::NaiveDateTime;
use duckdb::{Connection, OptionalExt, params};
use serde::Serialize;

use crate::contract::Contract;
use crate::sqltext::{named, quote_ident, render, split_statements};

const CATALOG_SQL: &str = include_str!("../sql/schema/catalog.sql");
const DROP_SNAPSHOT_SQL: &str = include_str!("../sql/schema/drop_snapshot.sql");

/// What every command says when it meets a database without a snapshot.
pub const NO_SNAPSHOT_YET: &str = "no snapshot yet: run `deskql ingest DIR` (or `deskql demo`)";

/// One snapshot as the catalog records it.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub seq: i32,
    pub id: String,
    /// The as-of instant, UTC, `2026-11-01T00:00:00Z`.
    pub taken_at: String,
    pub ingested_at: String,
    pub mode: String,
    pub input_rows: i64,
    pub content_hash: String,
    pub source: String,
    pub tool_version: String,
}

/// What an ingest records for a new snapshot.
pub struct NewSnapshot<'a> {
    pub seq: i32,
    pub id: &'a str,
    pub taken_at: NaiveDateTime,
    pub source: &'a str,
    pub content_hash: &'a str,
    pub mode: &'a str,
    pub input_rows: i64,
}

fn sql(name: &str) -> String {
    named(CATALOG_SQL, name).expect("every catalog query is in sql/schema/catalog.sql")
}

fn snapshot_row(r: &duckdb::Row<'_>) -> duckdb::Result<Snapshot> {
    Ok(Snapshot {
        seq: r.get(0)?,
        id: r.get(1)?,
        taken_at: r.get(2)?,
        ingested_at: r.get(3)?,
        mode: r.get(4)?,
        input_rows: r.get(5)?,
        content_hash: r.get(6)?,
        source: r.get(7)?,
        tool_version: r.get(8)?,
    })
}

/// Every snapshot, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<Snapshot>> {
    let mut stmt = conn.prepare(&sql("list"))?;
    let rows = stmt.query_map([], snapshot_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every snapshot id, newest first; none when the database has no catalog
/// yet (a file deskql did not create).
pub fn ids_newest_first(conn: &Connection) -> Result<Vec<String>> {
    let exists: bool = conn.query_row(&sql("exists"), [], |r| r.get(0))?;
    if !exists {
        return Ok(Vec::new());
    }
    Ok(list(conn)?.into_iter().rev().map(|s| s.id).collect())
}

pub fn by_id(conn: &Connection, id: &str) -> Result<Option<Snapshot>> {
    Ok(conn.query_row(&sql("by_id"), [id], snapshot_row).optional()?)
}

pub fn by_seq(conn: &Connection, seq: i32) -> Result<Snapshot> {
    conn.query_row(&sql("by_seq"), [seq], snapshot_row).optional()?.with_context(|| format!("no snapshot with sequence {seq}"))
}

pub fn latest(conn: &Connection) -> Result<Option<Snapshot>> {
    Ok(conn.query_row(&sql("latest"), [], snapshot_row).optional()?)
}

/// The sequence of snapshot `id`; an unknown id is an error listing the known ones.
pub fn seq_of(conn: &Connection, id: &str) -> Result<i32> {
    if let Some(snapshot) = by_id(conn, id)? {
        return Ok(snapshot.seq);
    }
    let known: Vec<String> = list(conn)?.into_iter().map(|s| s.id).collect();
    if known.is_empty() {
        bail!("no snapshot with id {id:?}: {NO_SNAPSHOT_YET}");
    }
    bail!("no snapshot with id {id:?}; known snapshots: {}", known.join(", "))
}

/// The snapshot a report reads: `--snapshot ID` given at most once; none
/// given means the latest (`None`: the library's views follow the latest).
pub fn for_report(conn: &Connection, ids: &[String]) -> Result<Option<i32>> {
    if latest(conn)?.is_none() {
        bail!("{NO_SNAPSHOT_YET}");
    }
    match ids {
        [] => Ok(None),
        [id] => Ok(Some(seq_of(conn, id)?)),
        _ => bail!("a report reads one snapshot: give --snapshot once (`deskql audit diff` compares two)"),
    }
}

/// The snapshot a report reads, resolved to a row: `--snapshot ID`, else
/// the latest one (an error when there is none yet).
pub fn chosen(conn: &Connection, ids: &[String]) -> Result<Snapshot> {
    match for_report(conn, ids)? {
        Some(seq) => by_seq(conn, seq),
        None => latest(conn)?.context(NO_SNAPSHOT_YET),
    }
}

/// The sequence the next snapshot gets.
pub fn next_seq(conn: &Connection) -> Result<i32> {
    Ok(conn.query_row(&sql("next_seq"), [], |r| r.get(0))?)
}

/// Record a new snapshot. The caller holds the ingest's transaction.
pub fn record(conn: &Connection, new: &NewSnapshot<'_>) -> Result<()> {
    conn.execute(
        &sql("record"),
        params![new.seq, new.id, new.taken_at, new.source, new.content_hash, new.mode, new.input_rows, env!("CARGO_PKG_VERSION")],
    )?;
    Ok(())
}

/// Remove one snapshot from every history table and from the catalog,
/// leaving every other snapshot's state as it was. The caller holds the
/// transaction.
pub fn drop_seq(conn: &Connection, seq: i32) -> Result<()> {
    let following: Option<i32> = conn.query_row(&sql("following_seq"), [seq], |r| r.get(0))?;
    for table in &Contract::get().tables {
        let script = render(DROP_SNAPSHOT_SQL, &[("table", &quote_ident(&table.name))]);
        for statement in split_statements(&script) {
            conn.execute(statement.text, params![seq, following])?;
        }
    }
    conn.execute(&sql("forget_tables"), [seq])?;
    // derived from the snapshot: its stored usage figures go with it
    for statement in split_statements(&sql("forget_usage_figures")) {
        conn.execute(statement.text, [seq])?;
    }
    conn.execute(&sql("forget"), [seq])?;
    Ok(())
}
