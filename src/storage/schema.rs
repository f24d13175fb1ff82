//! The temporal schema of a deskql database: the internal tables
//! (`sql/schema/base.sql`), one history table per contract table and its
//! state view and macro, and the time-zone table.
//!
//! `ensure_schema` brings a database to this deskql's schema and is cheap
//! when there is nothing to do: the SHA-256 of the schema's definition is
//! recorded (`deskql_meta.schema_state`), and when it matches, nothing is
//! read beyond it and nothing is written, so a read-write open that changes
//! nothing leaves the file as it was. Otherwise it creates what is missing:
//! new tables, and the columns a newer contract added to an existing table
//! (ALTER TABLE; the row hashes are recomputed with the new column, so an
//! unchanged row is not taken for a changed one by the next ingest).

use anyhow::{Result, bail};
use duckdb::Connection;
use sha2::{Digest, Sha256};

use super::{STORAGE_VERSION, in_transaction};
use crate::contract::{Contract, Table};
use crate::sqltext::quote_ident;
use crate::trace::trace;

const BASE_SCHEMA_SQL: &str = include_str!("../../sql/schema/base.sql");

/// The session variable that pins every `main.<table>` view to a snapshot
/// sequence (`SET VARIABLE deskql_snapshot = 3`); unset or NULL means latest.
/// A variable rather than a rewritten view, so that pinning is per session and
/// works read-only, from the REPL and from any other DuckDB client.
pub const SNAPSHOT_VARIABLE: &str = "deskql_snapshot";

/// Create or update the schema (see the module doc). Runs its own
/// transaction when there is something to do.
pub fn ensure_schema(conn: &Connection) -> Result<()> {
    let definition = schema_sha256();
    let state = recorded_state(conn)?;
    if let Some((version, _)) = &state
        && *version > STORAGE_VERSION
    {
        bail!("this database was written by a newer deskql (storage version {version}; this binary knows {STORAGE_VERSION})");
    }
    if state.as_ref().is_some_and(|(_, sha)| sha.as_deref() == Some(definition.as_str())) {
        return Ok(());
    }
    let created = state.is_none();
    in_transaction(conn, "the schema", || {
        conn.execute_batch(BASE_SCHEMA_SQL)?;
        if created {
            conn.execute("INSERT INTO deskql_meta.meta VALUES (?, ?)", duckdb::params![STORAGE_VERSION, env!("CARGO_PKG_VERSION")])?;
        }
        for table in &Contract::get().tables {
            conn.execute_batch(&history_table_ddl(table))?;
            add_new_columns(conn, table)?;
            conn.execute_batch(&state_view_ddl(table))?;
        }
        trace("open time zones", || crate::timezones::ensure_offsets(conn))?;
        conn.execute("DELETE FROM deskql_meta.schema_state", [])?;
        conn.execute("INSERT INTO deskql_meta.schema_state VALUES (?)", [&definition])?;
        Ok(())
    })
}

/// The storage version and the recorded schema SHA-256 (`None` before this
/// was recorded), or `None` for a database without deskql's schema.
fn recorded_state(conn: &Connection) -> Result<Option<(i64, Option<String>)>> {
    let tables: Vec<String> = {
        let mut stmt = conn.prepare("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'deskql_meta' AND table_name IN ('meta', 'schema_state')")?;
        stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    if !tables.iter().any(|t| t == "meta") {
        return Ok(None);
    }
    let version: i64 = conn.query_row("SELECT max(storage_version) FROM deskql_meta.meta", [], |r| r.get(0))?;
    let sha = if tables.iter().any(|t| t == "schema_state") {
        conn.query_row("SELECT max(sha256) FROM deskql_meta.schema_state", [], |r| r.get::<_, Option<String>>(0))?
    } else {
        None
    };
    Ok(Some((version, sha)))
}

/// SHA-256 of everything the schema is made of: the base SQL, every
/// generated statement and the time-zone list's size (a new chrono-tz may
/// bring zones).
fn schema_sha256() -> String {
    let mut hasher = Sha256::new();
    hasher.update(BASE_SCHEMA_SQL.as_bytes());
    for table in &Contract::get().tables {
        hasher.update(history_table_ddl(table).as_bytes());
        hasher.update(state_view_ddl(table).as_bytes());
    }
    hasher.update(chrono_tz::TZ_VARIANTS.len().to_le_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `hist.<table>`: contract columns plus the version bookkeeping columns.
/// Generated from the contract (not hand-written SQL) so the two cannot drift.
fn history_table_ddl(table: &Table) -> String {
    let mut columns: Vec<String> = table.columns.iter().map(|c| format!("{} {}", quote_ident(&c.name), c.sql_type)).collect();
    columns.push("_from_seq INTEGER NOT NULL".into());
    columns.push("_to_seq INTEGER".into());
    columns.push("_hash UBIGINT NOT NULL".into());
    format!("CREATE TABLE IF NOT EXISTS hist.{} ({});", quote_ident(&table.name), columns.join(", "))
}

/// Columns of the contract that `hist.<table>` lacks (it was created by an
/// older deskql) are added, NULL in every stored version, and every
/// version's `_hash` is recomputed to cover them.
fn add_new_columns(conn: &Connection, table: &Table) -> Result<()> {
    let existing: Vec<String> = {
        let mut stmt = conn.prepare("SELECT column_name FROM duckdb_columns() WHERE schema_name = 'hist' AND table_name = ?")?;
        stmt.query_map([&table.name], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    let missing: Vec<_> = table.columns.iter().filter(|c| !existing.contains(&c.name)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let name = quote_ident(&table.name);
    for column in missing {
        conn.execute_batch(&format!("ALTER TABLE hist.{name} ADD COLUMN {} {}", quote_ident(&column.name), column.sql_type))?;
    }
    conn.execute_batch(&format!("UPDATE hist.{name} SET _hash = {}", hash_expression(table)))?;
    Ok(())
}

/// `hash(<non-key columns>)`: a change in any of them makes a new version.
pub fn hash_expression(table: &Table) -> String {
    let values: Vec<String> = table.value_columns().map(|c| quote_ident(&c.name)).collect();
    if values.is_empty() { "CAST(0 AS UBIGINT)".to_string() } else { format!("hash({})", values.join(", ")) }
}

/// `main.<table>_at(seq)` (state as of a snapshot sequence; NULL means latest)
/// and `main.<table>` (that state for the pinned snapshot, see
/// SNAPSHOT_VARIABLE). A version is visible at `seq` if it appeared at or
/// before `seq` and was not replaced at or before `seq`.
fn state_view_ddl(table: &Table) -> String {
    let name = quote_ident(&table.name);
    let at = quote_ident(&format!("{}_at", table.name));
    let cols = column_list(table);
    format!(
        "CREATE OR REPLACE MACRO main.{at}(seq) AS TABLE SELECT {cols} FROM hist.{name} \
         WHERE CASE WHEN seq IS NULL THEN _to_seq IS NULL ELSE _from_seq <= seq AND coalesce(_to_seq, 2147483647) > seq END;\n\
         CREATE OR REPLACE VIEW main.{name} AS SELECT * FROM main.{at}(getvariable('{SNAPSHOT_VARIABLE}'));"
    )
}

pub fn column_list(table: &Table) -> String {
    table.columns.iter().map(|c| quote_ident(&c.name)).collect::<Vec<_>>().join(", ")
}
