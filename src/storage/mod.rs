//! The DuckDB file: opening it safely (locks, no network, memory limit) and
//! creating the temporal schema. The snapshot catalog is `crate::catalog`;
//! the metric library, which commands install, is `crate::library`.
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

use crate::exit::WaitArgs;
use crate::trace::trace;

pub mod guard;
mod instance;
mod schema;
mod waiting;

pub use instance::ReadOnlyInstance;
pub use schema::{SNAPSHOT_VARIABLE, column_list, ensure_schema, hash_expression};

/// Version of the storage layout, recorded in `deskql_meta.meta`.
pub const STORAGE_VERSION: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Never blocks a writer's data, cannot change anything.
    ReadOnly,
    /// Takes DuckDB's single-writer lock, waiting up to `wait` for it.
    ReadWrite { wait: Duration },
}

impl Access {
    /// Read-write, waiting as long as `--wait` says for another writer.
    pub fn read_write(wait: &WaitArgs) -> Access {
        Access::ReadWrite { wait: wait.duration() }
    }
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
    // The tool must never reach the network nor load code: no extension
    // auto-install or autoload, no community or unsigned extensions, and an
    // explicit INSTALL looks in a local folder that does not exist instead
    // of DuckDB's download site (the shell refuses INSTALL anyway, see
    // `guard`).
    let mut config = Config::default()
        .access_mode(mode)?
        .enable_autoload_extension(false)?
        .with("autoinstall_known_extensions", "false")?
        .with("allow_community_extensions", "false")?
        .with("allow_unsigned_extensions", "false")?
        .with("custom_extension_repository", NO_EXTENSION_REPOSITORY)?;
    // DuckDB's default limit is 80% of RAM; a cron host may want less (DuckDB
    // then spills to `<db>.tmp/` rather than failing).
    if let Ok(limit) = std::env::var(MEMORY_LIMIT_VARIABLE)
        && !limit.is_empty()
    {
        config = config.max_memory(&limit).with_context(|| format!("{MEMORY_LIMIT_VARIABLE}={limit:?} is not a memory size such as 3GB"))?;
    }
    // Last: no statement may change any of the above (nor point the
    // profiler's or the query log's output at a file).
    Ok(config.with("lock_configuration", "true")?)
}

/// Remove a database file and its write-ahead log (a database this process
/// created and must not leave behind, or a benchmark's scratch copy).
pub fn remove_database(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(format!("{}.wal", path.display()));
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
/// if needed and waits (bounded) for another writer to finish, saying so to
/// readers (`waiting`); a reader first lets such a waiting writer in.
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
        Access::ReadOnly => {
            waiting::let_writer_in(path);
            Instant::now()
        }
    };
    let mut announced = None;
    loop {
        match Connection::open_with_flags(path, config(access)?) {
            Ok(conn) => {
                drop(announced);
                if matches!(access, Access::ReadWrite { .. }) {
                    trace("open schema", || ensure_schema(&conn)).with_context(|| format!("preparing database {}", path.display()))?;
                }
                return Ok(conn);
            }
            Err(err) if is_lock_error(&err.to_string()) => {
                if Instant::now() >= deadline {
                    return Err(DatabaseLocked { path: path.display().to_string(), detail: err.to_string() }.into());
                }
                if announced.is_none() && matches!(access, Access::ReadWrite { .. }) {
                    announced = waiting::announce(path);
                }
                sleep(Duration::from_millis(100));
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
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory_with_flags(config(Access::ReadWrite { wait: Duration::ZERO })?)?;
    ensure_schema(&conn)?;
    Ok(conn)
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

