//! A read-only shell's DuckDB: one in-memory instance for the session, and
//! the database file attached to it (read-only) for each statement only.
//!
//! Opening the file for each statement (so that an ingest gets in between
//! two) used to create a DuckDB instance each time: registering every
//! built-in function, loading the bundled Parquet extension, starting the
//! thread pool. That, not reading the file's catalog, was most of the cost
//! of a read-only statement. Now the instance (and the session's
//! connection, with its variables and temporary objects) lives for the
//! session, with the same locked configuration as any open
//! (`storage::config`), and `ATTACH ... (READ_ONLY)` / `DETACH` take and
//! release the file; the file is held only while a statement runs.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use duckdb::Connection;

use super::{Access, DatabaseLocked, check_file_name, config, is_lock_error, waiting};
use crate::sqltext::quote_ident;

/// The session's instance and the file it attaches.
pub struct ReadOnlyInstance {
    path: PathBuf,
    /// Quoted alias: the file's stem, as DuckDB names a file it opens, so
    /// `current_database()` and qualified names read as they would.
    alias: String,
}

impl ReadOnlyInstance {
    /// The instance for `path`, and its one connection.
    pub fn create(path: &Path) -> Result<(ReadOnlyInstance, Connection)> {
        check_file_name(path)?;
        // The in-memory catalog is writable (DuckDB has no read-only
        // in-memory database); the file itself is only ever attached READ_ONLY.
        let conn = Connection::open_in_memory_with_flags(config(Access::ReadWrite { wait: std::time::Duration::ZERO })?)?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let alias = if stem.is_empty() || stem.eq_ignore_ascii_case("memory") { "deskql".to_string() } else { stem };
        Ok((ReadOnlyInstance { path: path.to_path_buf(), alias: quote_ident(&alias) }, conn))
    }

    /// Attach the file (read-only) and make it the default database. A
    /// writer waiting for the file is let in first; a writer holding it is
    /// `DatabaseLocked`.
    pub fn attach(&self, conn: &Connection) -> Result<()> {
        if !self.path.exists() {
            bail!("database {} does not exist; create it with `deskql ingest DIR` (or `deskql demo`)", self.path.display());
        }
        waiting::let_writer_in(&self.path);
        let literal = format!("'{}'", self.path.to_string_lossy().replace('\'', "''"));
        let attached = crate::trace::trace("attach", || Ok(conn.execute_batch(&format!("ATTACH {literal} AS {} (READ_ONLY)", self.alias))?));
        match attached {
            Ok(()) => {
                if let Err(err) = conn.execute_batch(&format!("USE {}", self.alias)) {
                    self.detach(conn)?;
                    return Err(err.into());
                }
                Ok(())
            }
            Err(err) if is_lock_error(&err.to_string()) => Err(DatabaseLocked { path: self.path.display().to_string(), detail: err.to_string() }.into()),
            Err(err) => Err(err.context(format!("opening database {}", self.path.display()))),
        }
    }

    /// Release the file (a no-op when it is not attached).
    pub fn detach(&self, conn: &Connection) -> Result<()> {
        crate::trace::trace("detach", || Ok(conn.execute_batch(&format!("USE memory; DETACH DATABASE IF EXISTS {};", self.alias))?))
    }
}
