//! The state of one shell session and how it reaches the database.
//!
//! Read-only (the default) never holds the file between statements: the
//! session has one in-memory DuckDB instance and connection
//! (`storage::ReadOnlyInstance`), and each statement (or dot command)
//! attaches the file read-only, runs, and detaches it, so a cron ingest
//! waiting for the write lock gets in between two queries. What the session
//! sets (the pinned snapshot, `SET VARIABLE`, temporary tables and views)
//! lives on its connection; a `USE` is replayed after each attach. With
//! `--write` one read-write connection lives for the session.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Result;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use duckdb::Connection;

use crate::format::types::ColumnType;
use crate::format::{Format, Style, TableOptions};
use crate::outfile::OutputFile;
use crate::storage::{self, Access, ReadOnlyInstance};

use super::catalog::{self, Catalog, SharedCatalog};
use super::pager::{self, Paged};

/// Rows a table shows on a terminal unless `--max-rows`/`.maxrows` says otherwise.
pub const TERMINAL_MAX_ROWS: usize = 40;

#[derive(Debug, Clone)]
pub struct Settings {
    pub format: Format,
    pub timer: bool,
    /// `None`: every row.
    pub max_rows: Option<usize>,
    /// How long a read-only statement waits for a writer to finish.
    pub wait: std::time::Duration,
    /// Stop a script (or the rest of a line) at the first error: on in
    /// scripts and `deskql sql`, off at the prompt (`.bail`).
    pub bail: bool,
    /// Syntax highlighting at the prompt (`.highlight`; never with NO_COLOR),
    /// shared with the line editor.
    pub highlight: Arc<AtomicBool>,
}

/// How the shell was started, for hints that name the command to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `deskql`, `deskql repl`
    Repl,
    /// `deskql sql "..."`
    Sql,
}

/// Results kept for `.last` up to this size (Arrow memory): a bigger one is
/// said to be too big, not kept half.
pub const LAST_RESULT_LIMIT: usize = 256 << 20;

/// The last result shown, kept for `.last`.
pub struct LastResult {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
    pub types: Vec<ColumnType>,
    /// Bigger than `LAST_RESULT_LIMIT`: the batches were let go.
    pub too_big: bool,
    bytes: usize,
}

impl LastResult {
    pub fn new(schema: SchemaRef, types: Vec<ColumnType>) -> LastResult {
        LastResult { schema, batches: Vec::new(), types, too_big: false, bytes: 0 }
    }

    pub fn push(&mut self, batch: &RecordBatch) {
        if self.too_big {
            return;
        }
        self.bytes += batch.get_array_memory_size();
        if self.bytes > LAST_RESULT_LIMIT {
            self.too_big = true;
            self.batches = Vec::new();
        } else {
            self.batches.push(batch.clone());
        }
    }
}

pub struct Session {
    db: PathBuf,
    access: Access,
    /// The session's connection: read-write with `--write`, else to the
    /// read-only session's in-memory instance (`instance`).
    conn: Option<Connection>,
    instance: Option<ReadOnlyInstance>,
    /// Statements re-run after each read-only attach (`USE`), in order.
    replay: Vec<String>,
    /// The snapshot id pinned by `.snapshot`, for the prompt.
    pub pinned: Option<String>,
    pub settings: Settings,
    pub target: Target,
    /// A person at a terminal: errors do not stop the shell, messages are shown.
    pub interactive: bool,
    /// For completion (interactive sessions), reloaded when stale.
    catalog: Option<SharedCatalog>,
    catalog_stale: bool,
    /// The database file's size and modification time when the catalog was
    /// loaded: another process (an ingest) changing it makes it stale too.
    catalog_version: Option<(u64, std::time::SystemTime)>,
    /// Nesting of `.read`, bounded against a file that reads itself.
    pub read_depth: usize,
    pub mode: Mode,
    /// `.once FILE`: the next result goes there, then output is as before.
    pub once: Option<OutputFile>,
    /// For `.last`.
    pub last: Option<LastResult>,
    /// The last SQL statement run, for `.edit`.
    pub last_sql: Option<String>,
    /// Text `.edit` brought back, offered at the next prompt.
    pub next_input: Option<String>,
    /// A statement failed and the script went on (`.bail off`): the exit code says so.
    pub failed: bool,
}

impl Session {
    pub fn new(db: &Path, access: Access, settings: Settings, interactive: bool, mode: Mode) -> Session {
        Session {
            db: db.to_path_buf(),
            access,
            conn: None,
            instance: None,
            replay: Vec::new(),
            pinned: None,
            settings,
            target: Target::Stdout,
            interactive,
            catalog: None,
            catalog_stale: false,
            catalog_version: None,
            read_depth: 0,
            mode,
            once: None,
            last: None,
            last_sql: None,
            next_input: None,
            failed: false,
        }
    }

    /// The command that opens this shell read-write, for hints.
    pub fn write_command(&self) -> &'static str {
        match self.mode {
            Mode::Repl => "`deskql repl --write` (or `deskql --write`)",
            Mode::Sql => "`deskql sql --write \"...\"`",
        }
    }


    pub fn db(&self) -> &Path {
        &self.db
    }

    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    /// A statement may have changed the catalog (DDL, a temporary view): the
    /// completion catalog is reloaded when the connection is released.
    pub fn catalog_may_have_changed(&mut self) {
        self.catalog_stale = true;
    }

    /// Keep `catalog` up to date from now on.
    pub fn share_catalog(&mut self, shared: SharedCatalog) {
        self.catalog = Some(shared);
        self.catalog_stale = true;
    }

    /// A connection for one statement; hand it back with `release`.
    /// Read-only: the session's in-memory instance with the file attached.
    pub fn connect(&mut self) -> Result<Connection> {
        if !self.is_read_only() {
            if let Some(conn) = self.conn.take() {
                return Ok(conn);
            }
            let conn = storage::open(&self.db, self.access)?;
            // A database first written from the shell gets the metric library,
            // as one first written by an ingest does.
            crate::library::install::ensure_installed(&conn)?;
            return Ok(conn);
        }
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => {
                let (instance, conn) = ReadOnlyInstance::create(&self.db)?;
                self.instance = Some(instance);
                conn
            }
        };
        match self.attach(&conn) {
            Ok(()) => Ok(conn),
            Err(err) => {
                self.conn = Some(conn);
                Err(err)
            }
        }
    }

    /// Attach the file, retrying while a writer holds it, up to `--wait`
    /// (said once at a terminal); then the user's `USE`, if any.
    fn attach(&self, conn: &Connection) -> Result<()> {
        let Some(instance) = &self.instance else { return Ok(()) };
        let deadline = std::time::Instant::now() + self.settings.wait;
        let mut said = false;
        loop {
            match instance.attach(conn) {
                Err(err) if err.downcast_ref::<storage::DatabaseLocked>().is_some() && std::time::Instant::now() < deadline => {
                    if self.interactive && !said {
                        eprintln!("(the database is being written by another process, an ingest perhaps; waiting for it)");
                        said = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other?,
            }
        }
        for statement in &self.replay {
            conn.execute_batch(statement)?;
        }
        Ok(())
    }

    /// Read-only: detach the file (releasing its lock); read-write: keep the
    /// connection for the next statement. The completion catalog is reloaded
    /// first, only when it may have changed (loading it binds every view:
    /// too slow to do after each query).
    pub fn release(&mut self, conn: Connection) {
        let file_changed = self.catalog_version != file_version(&self.db);
        if let Some(shared) = &self.catalog
            && (self.catalog_stale || file_changed)
            && let Ok(fresh) = Catalog::load(&conn)
        {
            catalog::store(shared, fresh);
            self.catalog_stale = false;
            self.catalog_version = file_version(&self.db);
        }
        if let Some(instance) = &self.instance
            && let Err(err) = instance.detach(&conn)
        {
            // Not detached, the file would stay locked: start afresh next time.
            eprintln!("warning: could not release the database: {}", super::exec::message(&err));
            self.instance = None;
            return;
        }
        self.conn = Some(conn);
    }

    /// Run `f` on a connection, then release it whatever `f` returned.
    pub fn with_connection<T>(&mut self, f: impl FnOnce(&Connection, &mut Session) -> Result<T>) -> Result<T> {
        let conn = self.connect()?;
        let result = f(&conn, self);
        self.release(conn);
        result
    }

    /// Set session state (`SET VARIABLE ...`, `RESET VARIABLE ...`): it lives
    /// on the session's connection.
    pub fn set_state(&mut self, statement: &str) -> Result<()> {
        self.with_connection(|conn, _| Ok(conn.execute_batch(statement)?))
    }

    /// Record a statement to run again after each read-only attach (a
    /// `USE`: attaching makes the file the default database again). The
    /// latest one wins.
    pub fn remember(&mut self, statement: &str) {
        if self.is_read_only() {
            self.replay.clear();
            self.replay.push(statement.to_string());
        }
    }

    /// Whether results go to the terminal (not a `.output`/`.once` file, not a pipe).
    fn to_terminal(&self) -> bool {
        self.once.is_none() && matches!(self.target, Target::Stdout) && io::stdout().is_terminal()
    }

    /// Options for the table format on the current target.
    pub fn table_options(&self) -> TableOptions {
        let max_width = if self.to_terminal() { crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)) } else { None };
        TableOptions { max_rows: self.settings.max_rows, max_width }
    }

    /// Terminal styling only on a terminal, and never with NO_COLOR set.
    pub fn style(&self) -> Style {
        if self.to_terminal() && !no_color() { Style::Terminal } else { Style::Plain }
    }

    /// Where one result goes: the `.once` file, the `.output` file, stdout,
    /// or (a person at a terminal) stdout through the pager.
    pub fn sink(&mut self) -> Sink<'_> {
        let interactive = self.interactive;
        if let Some(file) = &mut self.once {
            return Sink::File(file);
        }
        match &mut self.target {
            Target::File(file) => Sink::File(file),
            Target::Stdout => match pager_height(interactive) {
                Some((command, height)) => Sink::Paged(Paged::new(command, height)),
                None => Sink::Stdout(io::stdout().lock()),
            },
        }
    }

    /// The session ends: an `.output` file is put in place with what was
    /// written to it.
    pub fn finish(&mut self) -> Result<()> {
        std::mem::replace(&mut self.target, Target::Stdout).close()
    }

    /// A message for the person at the terminal (silent in scripts).
    pub fn say(&self, message: &str) {
        if self.interactive {
            // At a terminal: nothing to do if it is gone.
            let _ = writeln!(io::stdout(), "{message}");
        }
    }
}

/// What tells a changed database file from an unchanged one, cheaply.
fn file_version(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// NO_COLOR set (to anything): no colours, no dimming (no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The pager and the screen height, when the pager applies: an interactive
/// session writing to a terminal, with a pager configured.
fn pager_height(interactive: bool) -> Option<(String, usize)> {
    if !interactive || !io::stdout().is_terminal() {
        return None;
    }
    let command = pager::command()?;
    let (_, height) = crossterm::terminal::size().ok()?;
    Some((command, usize::from(height)))
}

/// Where results are written (`.output`).
pub enum Target {
    Stdout,
    /// Written to a temporary file, put in place when the shell leaves it
    /// (another `.output`, or the end of the session).
    File(OutputFile),
}

impl Target {
    /// `.output FILE`: any file but the database.
    pub fn open(path: &Path, database: &Path) -> Result<Target> {
        Ok(Target::File(OutputFile::create(path, database)?))
    }

    /// Done with this target: a file is put in place.
    pub fn close(self) -> Result<()> {
        match self {
            Target::Stdout => Ok(()),
            Target::File(file) => file.commit(),
        }
    }
}

/// One result's output.
pub enum Sink<'a> {
    Stdout(io::StdoutLock<'static>),
    Paged(Paged),
    File(&'a mut OutputFile),
}

impl Sink<'_> {
    /// Everything shown (the pager quit, the file flushed).
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut out) => out.flush()?,
            Sink::Paged(paged) => paged.finish()?,
            Sink::File(file) => file.flush()?,
        }
        Ok(())
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::Paged(paged) => paged.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::Paged(paged) => paged.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}
