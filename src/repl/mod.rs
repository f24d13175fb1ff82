//! The SQL shell: `deskql` / `deskql repl` (interactive on a terminal, a
//! script when stdin is piped) and `deskql sql "..."` (one-shot).
//!
//! - `exec`: running statements from a script or the prompt
//! - `split`: statements on `;` outside strings, comments and dollar quotes
//! - `command`: dot commands
//! - `session`: connection policy (read-only opens per statement), state, output
//! - `helper`, `catalog`: completion from the live catalog, multi-line validation
//! - `interrupt`, `pager`, `history`: Ctrl-C, long results, the history file

mod catalog;
mod command;
mod exec;
mod helper;
mod history;
mod interrupt;
mod pager;
mod session;
mod split;

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use crate::exit;
use crate::format::Format;
use crate::storage::{Access, DatabaseLocked};

use session::{Session, Settings, TERMINAL_MAX_ROWS};

/// Options shared by `repl` and `sql`.
#[derive(Args, Debug, Default, Clone)]
pub struct ShellOptions {
    /// Open the database read-write (DDL/DML allowed) and keep it open for the
    /// session. Default: read-only, opened for each statement only.
    #[arg(long)]
    pub write: bool,
    /// Seconds to wait for another writer (an ingest) to finish: with
    /// --write, when the session opens; read-only, for each statement (a
    /// script then rides through a nightly ingest). 0: say it is locked.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub wait: u64,
    /// Output format.
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

    fn settings(&self) -> Settings {
        let max_rows = match self.max_rows {
            Some(0) => None,
            Some(n) => Some(n),
            None if std::io::stdout().is_terminal() => Some(TERMINAL_MAX_ROWS),
            None => None,
        };
        Settings { format: self.format, timer: false, max_rows, wait: Duration::from_secs(self.wait) }
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
    let mut session = Session::new(db, args.options.access(), args.options.settings(), interactive);
    if !interactive {
        interrupt::install();
        let mut script = String::new();
        std::io::stdin().read_to_string(&mut script).context("reading the script from stdin")?;
        let result = exec::run_script(&mut session, &script);
        session.finish()?;
        result?;
        return Ok(exit::OK);
    }
    let shared = Arc::new(Mutex::new(catalog::Catalog::default()));
    session.share_catalog(shared.clone());
    // Fail early on a missing database; a locked one is said and the shell
    // opens anyway (the lock may be gone by the first query).
    match session.with_connection(|_, _| Ok(())) {
        Err(err) if err.downcast_ref::<DatabaseLocked>().is_some() => exec::report_error(&err),
        other => other?,
    }
    let _ = exec::greet(&session, &mut std::io::stdout());
    let result = exec::run_prompt(&mut session, helper::ReplHelper::new(shared));
    session.finish()?;
    result?;
    Ok(exit::OK)
}

/// `deskql sql "..."`: run the statements, stop at the first error.
pub fn run_sql(db: &Path, args: &SqlArgs) -> Result<u8> {
    interrupt::install();
    let mut session = Session::new(db, args.options.access(), args.options.settings(), false);
    let result = exec::run_script(&mut session, &args.sql);
    session.finish()?;
    result?;
    Ok(exit::OK)
}
