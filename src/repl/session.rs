//! The state of one shell session and how it reaches the database.
//!
//! Read-only (the default) never holds the file between statements: each
//! statement (or dot command) opens the database, runs, and closes it, so a
//! cron ingest waiting for the write lock gets in between two queries. What
//! a session sets (the pinned snapshot, `SET`/`RESET`/`USE`) is replayed on
//! each open. With `--write` one read-write connection lives for the session.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use duckdb::Connection;

use crate::format::{Format, Style, TableOptions};
use crate::outfile::OutputFile;
use crate::storage::{self, Access};

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
}

pub struct Session {
    db: PathBuf,
    access: Access,
    /// The session's connection, with `--write` only.
    conn: Option<Connection>,
    /// Statements re-run on each read-only open, in order.
    replay: Vec<String>,
    /// The snapshot id pinned by `.snapshot`, for the prompt.
    pub pinned: Option<String>,
    pub settings: Settings,
    pub target: Target,
    /// A person at a terminal: errors do not stop the shell, messages are shown.
    pub interactive: bool,
    /// Reloaded after each statement when completion is on.
    catalog: Option<SharedCatalog>,
    /// Nesting of `.read`, bounded against a file that reads itself.
    pub read_depth: usize,
}

impl Session {
    pub fn new(db: &Path, access: Access, settings: Settings, interactive: bool) -> Session {
        Session {
            db: db.to_path_buf(),
            access,
            conn: None,
            replay: Vec::new(),
            pinned: None,
            settings,
            target: Target::Stdout,
            interactive,
            catalog: None,
            read_depth: 0,
        }
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    /// Keep `catalog` up to date from now on.
    pub fn share_catalog(&mut self, shared: SharedCatalog) {
        self.catalog = Some(shared);
    }

    /// A connection for one statement; hand it back with `release`.
    pub fn connect(&mut self) -> Result<Connection> {
        if let Some(conn) = self.conn.take() {
            return Ok(conn);
        }
        let conn = self.open()?;
        if !self.is_read_only() {
            // A database first written from the shell gets the metric library,
            // as one first written by an ingest does.
            crate::library::install::ensure_installed(&conn)?;
        }
        for statement in &self.replay {
            conn.execute_batch(statement)?;
        }
        Ok(conn)
    }

    /// Open the file; read-only, retrying while a writer holds it, up to
    /// `--wait` (said once at a terminal).
    fn open(&self) -> Result<Connection> {
        let deadline = std::time::Instant::now() + self.settings.wait;
        let mut said = false;
        loop {
            match storage::open(&self.db, self.access) {
                Err(err) if self.is_read_only() && err.downcast_ref::<storage::DatabaseLocked>().is_some() && std::time::Instant::now() < deadline => {
                    if self.interactive && !said {
                        eprintln!("(the database is being written by another process, an ingest perhaps; waiting for it)");
                        said = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    /// Read-only: close the connection (releasing the file lock). Read-write:
    /// keep it for the next statement.
    pub fn release(&mut self, conn: Connection) {
        if let Some(shared) = &self.catalog
            && let Ok(fresh) = Catalog::load(&conn)
        {
            catalog::store(shared, fresh);
        }
        if !self.is_read_only() {
            self.conn = Some(conn);
        }
    }

    /// Run `f` on a connection, then release it whatever `f` returned.
    pub fn with_connection<T>(&mut self, f: impl FnOnce(&Connection, &mut Session) -> Result<T>) -> Result<T> {
        let conn = self.connect()?;
        let result = f(&conn, self);
        self.release(conn);
        result
    }

    /// Set session state (`SET ...`, `RESET ...`, `USE ...`) now and, read-only,
    /// on every later open.
    pub fn set_state(&mut self, statement: &str) -> Result<()> {
        self.with_connection(|conn, _| Ok(conn.execute_batch(statement)?))?;
        self.remember(statement);
        Ok(())
    }

    /// Record a state statement that has run, for the next read-only opens.
    /// A repeated statement moves to the end instead of piling up.
    pub fn remember(&mut self, statement: &str) {
        if self.is_read_only() {
            self.replay.retain(|s| s != statement);
            self.replay.push(statement.to_string());
        }
    }

    /// Options for the table format on the current target.
    pub fn table_options(&self) -> TableOptions {
        let max_width = match self.target {
            Target::Stdout if io::stdout().is_terminal() => crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)),
            _ => None,
        };
        TableOptions { max_rows: self.settings.max_rows, max_width }
    }

    /// Terminal styling only on a terminal, and never with NO_COLOR set.
    pub fn style(&self) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match self.target {
            Target::Stdout if io::stdout().is_terminal() && !no_color => Style::Terminal,
            _ => Style::Plain,
        }
    }

    /// Where one result goes: the `.output` file, stdout, or (a person at a
    /// terminal) stdout through the pager.
    pub fn sink(&mut self) -> Sink<'_> {
        let interactive = self.interactive;
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
