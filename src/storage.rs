//! The DuckDB file: opening it safely, creating the temporal schema, and the
//! catalog of snapshots.
//!
//! Layout inside the database (all plain SQL objects, readable from any DuckDB
//! 2.0 client):
//! - `hist.<table>`: every row version of every contract table, with
//!   `_from_seq` (the snapshot sequence in which the version appeared),
//!   `_to_seq` (the sequence in which it changed or vanished; NULL = current)
//!   and `_hash` (a hash of the non-key columns, to detect changes cheaply).
//! - `main.<table>`: a view of the latest state; `main.<table>_at(seq)`: a table
//!   macro giving the state as of snapshot sequence `seq` (NULL = latest).
//! - `deskql_meta.snapshots`: one row per ingested snapshot.
//! - `deskql_meta.tz_offsets`: UTC offsets of every IANA zone, written by the tool
//!   (the bundled DuckDB has no ICU), see `timezones.rs`.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use duckdb::{AccessMode, Config, Connection};

use crate::contract::{Contract, Table, quote_ident};
use crate::trace::trace;

/// Version of the storage layout, recorded in `deskql_meta.meta`.
pub const STORAGE_VERSION: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Never blocks a writer's data, cannot change anything.
    ReadOnly,
    /// Takes DuckDB's single-writer lock, waiting up to `wait` for it.
    ReadWrite { wait: Duration },
}

/// The error shown when another process holds the file.
#[derive(Debug)]
pub struct DatabaseLocked {
    pub path: String,
    pub detail: String,
}

impl std::fmt::Display for DatabaseLocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "database {} is locked by another process (DuckDB allows one writer; is an ingest running?). \
             Retry later, or pass --wait SECS to wait for it. DuckDB said: {}",
            self.path, self.detail
        )
    }
}

impl std::error::Error for DatabaseLocked {}

fn config(access: Access) -> Result<Config> {
    let mode = match access {
        Access::ReadOnly => AccessMode::ReadOnly,
        Access::ReadWrite { .. } => AccessMode::ReadWrite,
    };
    // The tool must never reach the network: no extension auto-install or
    // autoload, and an explicit INSTALL (say, typed in the REPL) looks in a
    // local folder that does not exist instead of DuckDB's download site.
    let config = Config::default()
        .access_mode(mode)?
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")?
        .with("custom_extension_repository", NO_EXTENSION_REPOSITORY)?;
    // DuckDB's default limit is 80% of RAM; a cron host may want less (DuckDB
    // then spills to `<db>.tmp/` rather than failing).
    match std::env::var(MEMORY_LIMIT_VARIABLE) {
        Ok(limit) if !limit.is_empty() => Ok(config.max_memory(&limit).with_context(|| format!("{MEMORY_LIMIT_VARIABLE}={limit:?} is not a memory size such as 3GB"))?),
        _ => Ok(config),
    }
}

/// Statements that could make DuckDB reach the network or load code:
/// installing or loading extensions, or pointing it at another extension
/// repository. The shell refuses them before DuckDB sees them.
pub fn refuse_network_statement(sql: &str) -> Result<()> {
    let words: Vec<String> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(|l| l.split_whitespace())
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_').to_ascii_lowercase())
        .collect();
    let first = words.first().map(String::as_str).unwrap_or_default();
    let installs = matches!(first, "install" | "load") || (first == "force" && words.get(1).is_some_and(|w| w == "install"));
    let updates = first == "update" && words.get(1).is_some_and(|w| w == "extensions");
    let lowered = sql.to_ascii_lowercase();
    let settings = ["extension_repository", "autoinstall", "autoload", "allow_unsigned_extensions", "allow_community_extensions"];
    let reconfigures = matches!(first, "set" | "reset" | "pragma") && settings.iter().any(|s| lowered.contains(s));
    if installs || updates || reconfigures {
        bail!("deskql never installs or loads DuckDB extensions nor reaches the network; this statement is refused: {}", sql.trim());
    }
    Ok(())
}

/// Where an explicit `INSTALL` looks: nowhere reachable, so it fails at once.
const NO_EXTENSION_REPOSITORY: &str = "/nonexistent/deskql-installs-no-extensions";

/// Environment variable holding DuckDB's memory limit (e.g. `3GB`).
pub const MEMORY_LIMIT_VARIABLE: &str = "DESKQL_MEMORY_LIMIT";

/// The bundled DuckDB's version, e.g. `v1.5.0`.
pub fn duckdb_version_text() -> String {
    Connection::open_in_memory().and_then(|c| c.query_row("SELECT version()", [], |r| r.get(0))).unwrap_or_default()
}

fn is_lock_error(message: &str) -> bool {
    message.contains("Could not set lock") || message.contains("Conflicting lock")
}

/// Open the database file. Read-write access creates the file and the schema
/// if needed and waits (bounded) for another writer to finish.
pub fn open(path: &Path, access: Access) -> Result<Connection> {
    check_file_name(path)?;
    if access == Access::ReadOnly && !path.exists() {
        bail!(
            "database {} does not exist; create it with `deskql ingest DIR` (or `deskql demo`)",
            path.display()
        );
    }
    let deadline = match access {
        Access::ReadWrite { wait } => Instant::now() + wait,
        Access::ReadOnly => Instant::now(),
    };
    loop {
        match Connection::open_with_flags(path, config(access)?) {
            Ok(conn) => {
                if matches!(access, Access::ReadWrite { .. }) {
                    trace("open schema", || ensure_schema(&conn)).with_context(|| format!("preparing database {}", path.display()))?;
                    // A new database gets the newest metric library; upgrades
                    // are `deskql views install`'s explicit decision.
                    trace("open library", || crate::library::install::ensure_installed(&conn))
                        .with_context(|| format!("installing the metric library in {}", path.display()))?;
                }
                return Ok(conn);
            }
            Err(err) if is_lock_error(&err.to_string()) => {
                if Instant::now() >= deadline {
                    return Err(DatabaseLocked { path: path.display().to_string(), detail: err.to_string() }.into());
                }
                sleep(Duration::from_millis(200));
            }
            Err(err) => {
                return Err(anyhow::Error::new(err).context(format!("opening database {}", path.display())));
            }
        }
    }
}

/// Schemas deskql creates. DuckDB names a database after its file (its
/// catalog), so a file named like one of them makes `metrics.x` ambiguous.
const SCHEMAS: &[&str] = &["deskql_meta", "hist", "metrics", "main", "temp", "system"];

fn check_file_name(path: &Path) -> Result<()> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    if SCHEMAS.contains(&stem.as_str()) || stem.starts_with("metrics_") {
        bail!(
            "database file {}: DuckDB names a database after its file, and {stem:?} is also the name of a schema deskql uses, \
             so queries would be ambiguous; choose another file name, e.g. desk.duckdb",
            path.display()
        );
    }
    Ok(())
}

/// An in-memory database with the full schema, for unit tests of the SQL.
#[cfg(test)]
mod tests {
    use super::refuse_network_statement;

    #[test]
    fn extension_statements_are_refused_and_others_pass() {
        for sql in ["INSTALL httpfs", "force install spatial", "LOAD 'x.duckdb_extension'", "-- c\nload icu", "SET custom_extension_repository = 'http://x'", "UPDATE EXTENSIONS"] {
            assert!(refuse_network_statement(sql).is_err(), "{sql}");
        }
        for sql in ["SELECT 'install'", "SET threads = 2", "UPDATE t SET a = 1", "SET VARIABLE deskql_snapshot = 1"] {
            assert!(refuse_network_statement(sql).is_ok(), "{sql}");
        }
    }
}

#[cfg(test)]
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory_with_flags(config(Access::ReadWrite { wait: Duration::ZERO })?)?;
    ensure_schema(&conn)?;
    Ok(conn)
}

const BASE_SCHEMA_SQL: &str = include_str!("../sql/schema/base.sql");

/// Create the internal schema, the history tables and the state views. Every
/// statement is idempotent (`IF NOT EXISTS` / `OR REPLACE`), so this runs on each
/// read-write open; a newer contract column is added with ALTER TABLE.
pub fn ensure_schema(conn: &Connection) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'deskql_meta' AND table_name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    if exists {
        let version: i64 = conn.query_row("SELECT storage_version FROM deskql_meta.meta", [], |r| r.get(0))?;
        if version > STORAGE_VERSION {
            bail!("this database was written by a newer deskql (storage version {version}; this binary knows {STORAGE_VERSION})");
        }
    }
    in_transaction(conn, "the schema", || {
        conn.execute_batch(BASE_SCHEMA_SQL)?;
        if !exists {
            conn.execute("INSERT INTO deskql_meta.meta VALUES (?, ?)", duckdb::params![STORAGE_VERSION, env!("CARGO_PKG_VERSION")])?;
        }
        for table in &Contract::get().tables {
            conn.execute_batch(&history_table_ddl(table))?;
            conn.execute_batch(&state_view_ddl(table))?;
        }
        trace("open time zones", || crate::timezones::ensure_offsets(conn))?;
        Ok(())
    })
}

/// Run `work` in one transaction: committed if it succeeds; rolled back if it
/// fails, leaving the database exactly as it was. `what` names the work in
/// the message of a failed COMMIT.
pub fn in_transaction<T>(conn: &Connection, what: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("BEGIN TRANSACTION")?;
    match work() {
        Ok(value) => {
            conn.execute_batch("COMMIT").with_context(|| format!("committing {what}"))?;
            Ok(value)
        }
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(err)
        }
    }
}

/// `hist.<table>`: contract columns plus the version bookkeeping columns.
/// Generated from the contract (not hand-written SQL) so the two cannot drift.
fn history_table_ddl(table: &Table) -> String {
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} {}", quote_ident(&c.name), c.sql_type))
        .collect();
    columns.push("_from_seq INTEGER NOT NULL".into());
    columns.push("_to_seq INTEGER".into());
    columns.push("_hash UBIGINT NOT NULL".into());
    format!("CREATE TABLE IF NOT EXISTS hist.{} ({});", quote_ident(&table.name), columns.join(", "))
}

/// The session variable that pins every `main.<table>` view to a snapshot
/// sequence (`SET VARIABLE deskql_snapshot = 3`); unset or NULL means latest.
/// A variable rather than a rewritten view, so that pinning is per session and
/// works read-only, from the REPL and from any other DuckDB client.
pub const SNAPSHOT_VARIABLE: &str = "deskql_snapshot";

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
