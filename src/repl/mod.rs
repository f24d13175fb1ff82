//! The SQL shell: `deskql` / `deskql repl` (interactive on a terminal, a
//! script when stdin is piped) and `deskql sql "..."` (one-shot).
//!
//! - `exec`: running a script, one statement and its result
//! - `query`: a statement prepared for display (DuckDB's types, the casts of
//!   `format::types`)
//! - `prompt`: the interactive prompt (continuation lines, `.edit`, history)
//! - `split`: statements on `;` outside strings, comments and dollar quotes
//! - `command`: dot commands
//! - `session`: connection policy (read-only opens per statement), state, output
//! - `effects`: what a statement leaves behind (replayed or refused read-only)
//! - `helper`, `highlight`, `catalog`: completion from the live catalog,
//!   syntax highlighting
//! - `interrupt`, `pager`, `history`: Ctrl-C, long results, the history file

mod catalog;
mod command;
mod effects;
mod exec;
mod helper;
mod highlight;
mod history;
mod interrupt;
mod pager;
mod prompt;
mod query;
mod session;
mod split;

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use crate::exit;
use crate::format::Format;
use crate::storage::{Access, DatabaseLocked};

use session::{Mode, Session, Settings, TERMINAL_MAX_ROWS};

/// Options shared by `repl` and `sql` (and `deskql` with no command).
#[derive(Args, Debug, Default, Clone, PartialEq, Eq)]
pub struct ShellOptions {
    /// Open the database read-write (DDL/DML allowed) and keep it open for the
    /// session. Default: read-only, the file held only while a statement runs.
    #[arg(long)]
    pub write: bool,
    /// Seconds to wait for another writer (an ingest) to finish: with
    /// --write, when the session opens; read-only, for each statement (a
    /// script then rides through a nightly ingest). 0: say it is locked.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub wait: u64,
    /// Output format (`.mode` in the shell, which also takes the DuckDB CLI's names).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Rows a table shows at most, first and last ones (0: all). Default: 40
    /// on a terminal, all otherwise.
    #[arg(long)]
    pub max_rows: Option<usize>,
}

impl ShellOptions {
    fn access(&self) -> Access {
        if self.write { Access::ReadWrite { wait: Duration::from_secs(self.wait) } } else { Access::ReadOnly }
    }

    /// `interactive`: a person at the prompt (errors do not stop the shell).
    fn settings(&self, interactive: bool) -> Settings {
        let max_rows = match self.max_rows {
            Some(0) => None,
            Some(n) => Some(n),
            None if std::io::stdout().is_terminal() => Some(TERMINAL_MAX_ROWS),
            None => None,
        };
        Settings {
            format: self.format,
            timer: false,
            max_rows,
            wait: Duration::from_secs(self.wait),
            bail: !interactive,
            highlight: Arc::new(AtomicBool::new(!session::no_color())),
        }
    }
}

#[derive(Args, Debug, Default, Clone)]
pub struct ReplArgs {
    #[command(flatten)]
    pub options: ShellOptions,
}

#[derive(Args, Debug, Clone)]
pub struct SqlArgs {
    /// SQL statements (separated by ';') and dot commands (one a line).
    pub sql: String,
    #[command(flatten)]
    pub options: ShellOptions,
}

/// `deskql repl` (and `deskql` alone): interactive on a terminal, else run
/// stdin as a script.
pub fn run_repl(db: &Path, args: &ReplArgs) -> Result<u8> {
    let interactive = std::io::stdin().is_terminal();
    let mut session = Session::new(db, args.options.access(), args.options.settings(interactive), interactive, Mode::Repl);
    if !interactive {
        interrupt::install();
        let mut script = String::new();
        std::io::stdin().read_to_string(&mut script).context("reading the script from stdin")?;
        let result = exec::run_script(&mut session, &script);
        return finish(&mut session, result.map(|_| ()));
    }
    let shared = Arc::new(Mutex::new(catalog::Catalog::default()));
    session.share_catalog(shared.clone());
    // Fail early on a missing database; a locked one is said and the shell
    // opens anyway (the lock may be gone by the first query).
    let snapshots = match session.with_connection(|conn, _| snapshot_count(conn)) {
        Err(err) if err.downcast_ref::<DatabaseLocked>().is_some() => {
            exec::report_error(&err);
            None
        }
        other => Some(other?),
    };
    let _ = prompt::greet(&session, &mut std::io::stdout(), snapshots);
    let helper = helper::ReplHelper::new(shared, session.settings.highlight.clone());
    let result = prompt::run(&mut session, helper);
    finish(&mut session, result)
}

/// `deskql sql "..."`: run the statements, stop at the first error (unless
/// `.bail off` says otherwise).
pub fn run_sql(db: &Path, args: &SqlArgs) -> Result<u8> {
    interrupt::install();
    let mut session = Session::new(db, args.options.access(), args.options.settings(false), false, Mode::Sql);
    let result = exec::run_script(&mut session, &args.sql);
    finish(&mut session, result.map(|_| ()))
}

/// End a session: put an `.output` file in place, and turn what happened
/// into an exit code (1 when a statement failed under `.bail off`).
fn finish(session: &mut Session, result: Result<()>) -> Result<u8> {
    session.finish()?;
    result?;
    Ok(if session.failed { exit::FAILURE } else { exit::OK })
}

/// Snapshots in the database (0, also for a DuckDB file deskql did not
/// make: the banner says what to do first).
fn snapshot_count(conn: &duckdb::Connection) -> Result<i64> {
    Ok(crate::catalog::ids_newest_first(conn)?.len() as i64)
}
