//! Running what the user typed: a script (piped stdin, `deskql sql`, `.read`)
//! or the interactive prompt, statement by statement.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use arrow::datatypes::SchemaRef;
use duckdb::Connection;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::format::ResultWriter;
use crate::storage::DatabaseLocked;

use super::command::{DotCommand, Flow};
use super::helper::ReplHelper;
use super::session::Session;
use super::split::{self, Item};
use super::{history, interrupt};

/// The error of a statement stopped by Ctrl-C.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("query interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// Run a script. Interactive (a `.read` at the prompt): report each error and
/// go on. Otherwise stop at the first error and return it (like `duckdb -bail`).
pub fn run_script(session: &mut Session, text: &str) -> Result<Flow> {
    for item in split::items(text) {
        if !session.interactive && interrupt::take() {
            return Err(Interrupted.into());
        }
        match run_item(session, &item) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Quit) => return Ok(Flow::Quit),
            // Ctrl-C stops the rest of the input, `.read` files included.
            Err(err) if session.interactive && err.downcast_ref::<Interrupted>().is_some() => {
                if session.read_depth > 0 {
                    return Err(err);
                }
                report_error(&err);
                break;
            }
            Err(err) if session.interactive => report_error(&err),
            Err(err) => return Err(err),
        }
    }
    Ok(Flow::Continue)
}

fn run_item(session: &mut Session, item: &Item) -> Result<Flow> {
    match item {
        Item::Sql(sql) => {
            run_statement(session, sql)?;
            Ok(Flow::Continue)
        }
        Item::Dot(line) => DotCommand::parse(line)?.execute(session),
    }
}

/// Print an error for the person at the prompt; the shell goes on.
pub fn report_error(err: &anyhow::Error) {
    if err.downcast_ref::<Interrupted>().is_some() {
        eprintln!("query interrupted");
    } else {
        eprintln!("Error: {}", message(err));
    }
}

/// The error and its causes, as `{:#}` prints them, but DuckDB's message
/// without duckdb-rs's ": Error code 1: Unknown error code" tail.
pub fn message(err: &anyhow::Error) -> String {
    let causes: Vec<String> = err
        .chain()
        // duckdb-rs gives its error a source of its own: the bare error code.
        .filter(|cause| cause.downcast_ref::<duckdb::ffi::Error>().is_none())
        .map(|cause| match cause.downcast_ref::<duckdb::Error>() {
            Some(duckdb::Error::DuckDBFailure(_, Some(message))) => message.clone(),
            _ => cause.to_string(),
        })
        .collect();
    causes.join(": ")
}

/// The message of a failed statement, saying what to do when the cause is
/// the read-only mode.
fn explain(session: &Session, err: &anyhow::Error) -> String {
    let message = message(err);
    if session.is_read_only() && message.contains("read-only mode") {
        format!(
            "{message}\nThe database is open read-only (the default, so that a running ingest is neither blocked nor broken); \
             start deskql with --write to change it."
        )
    } else {
        message
    }
}

/// Run one SQL statement and print its result.
pub fn run_statement(session: &mut Session, sql: &str) -> Result<()> {
    crate::storage::guard::check(sql, session.is_read_only())?;
    let started = Instant::now();
    let result = session.with_connection(|conn, session| execute(conn, session, sql));
    match result {
        Ok(()) => {}
        Err(err) if interrupt::take() || interrupt::is_interrupt_error(&err) => return Err(Interrupted.into()),
        // Kept as is: its type gives the exit code of a script (4).
        Err(err) if err.downcast_ref::<DatabaseLocked>().is_some() => return Err(err),
        Err(err) => return Err(anyhow!(explain(session, &err))),
    }
    if is_state_statement(sql) {
        session.remember(sql);
    }
    if session.settings.timer {
        writeln!(std::io::stdout(), "Run Time: {:.3} s", started.elapsed().as_secs_f64())?;
    }
    Ok(())
}

/// Stream the result through the output format while DuckDB produces it.
fn execute(conn: &Connection, session: &mut Session, sql: &str) -> Result<()> {
    let _running = interrupt::Running::new(conn.interrupt_handle());
    let mut stmt = conn.prepare(sql)?;
    let stream = stmt.stream_arrow([])?;
    let schema = stream.get_schema();
    if !shows_result(sql, &schema) {
        for batch in stream {
            batch?;
        }
        return Ok(());
    }
    let (format, options, style) = (session.settings.format, session.table_options(), session.style());
    let mut sink = session.sink();
    let mut writer = ResultWriter::new(&mut sink, schema, format, &options, style)?;
    for batch in stream {
        writer.push(&batch?)?;
    }
    writer.finish()?;
    sink.finish()
}

/// Statements whose effect lasts for the session (replayed on each read-only open).
fn is_state_statement(sql: &str) -> bool {
    matches!(first_keyword(sql).as_deref(), Some("SET" | "RESET" | "USE"))
}

/// DuckDB answers every statement with a result; like the DuckDB CLI, print
/// only those of queries: not the `Success` of a SET or DROP, not the row
/// count of an INSERT (its RETURNING rows are printed).
fn shows_result(sql: &str, schema: &SchemaRef) -> bool {
    let keyword = first_keyword(sql);
    let query = matches!(
        keyword.as_deref(),
        Some("SELECT" | "WITH" | "FROM" | "VALUES" | "TABLE" | "DESCRIBE" | "SHOW" | "SUMMARIZE" | "EXPLAIN" | "PRAGMA" | "CALL" | "PIVOT" | "UNPIVOT")
    );
    let changes = matches!(keyword.as_deref(), Some("INSERT" | "UPDATE" | "DELETE" | "CREATE" | "COPY" | "MERGE"));
    match schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>()[..] {
        [] => false,
        ["Success"] => query,
        ["Count"] => !changes,
        _ => true,
    }
}

/// The first word of a statement, after comments and parentheses, upper-cased.
fn first_keyword(sql: &str) -> Option<String> {
    let mut rest = sql;
    loop {
        rest = rest.trim_start().trim_start_matches('(').trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail);
        } else if rest.starts_with("/*") {
            rest = rest.split_once("*/").map_or("", |(_, tail)| tail);
        } else {
            break;
        }
    }
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    (!word.is_empty()).then(|| word.to_ascii_uppercase())
}

/// The interactive shell: read, run, print, until `.quit` or Ctrl-D.
pub fn run_prompt(session: &mut Session, helper: ReplHelper) -> Result<()> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .history_ignore_space(true)
        .max_history_size(10_000)?
        .build();
    let mut editor: Editor<ReplHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(helper));
    // The editor installs a SIGINT handler of its own (used only while it
    // reads a line); ours must come after it to see Ctrl-C during a query.
    interrupt::install();
    let history = history::path();
    if let Some(path) = &history {
        // A first session has no file yet; any other problem is worth a word.
        if path.exists()
            && let Err(err) = editor.load_history(path)
        {
            eprintln!("warning: cannot read the history {}: {err}", path.display());
        }
    }
    loop {
        match editor.readline(&prompt(session)) {
            Ok(input) => {
                if input.trim().is_empty() {
                    continue;
                }
                remember_line(&mut editor, history.as_deref(), &input);
                if run_script(session, &input)? == Flow::Quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue, // Ctrl-C at the prompt: the line is dropped
            Err(ReadlineError::Eof) => break,
            Err(err) => return Err(err).context("reading the terminal"),
        }
    }
    Ok(())
}

/// Add the input to the history and append it to the file at once, so a
/// second session (or a crash) keeps it.
fn remember_line(editor: &mut Editor<ReplHelper, FileHistory>, path: Option<&std::path::Path>, input: &str) {
    let _ = editor.add_history_entry(input.trim_end());
    let Some(path) = path else { return };
    let saved = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| e.to_string()),
        _ => Ok(()),
    }
    .and_then(|()| editor.append_history(path).map_err(|e| e.to_string()));
    if let Err(err) = saved {
        eprintln!("warning: cannot write the history {}: {err}", path.display());
    }
}

fn prompt(session: &Session) -> String {
    let mode = if session.is_read_only() { "" } else { "[rw]" };
    match &session.pinned {
        Some(id) => format!("deskql{mode}@{id}> "),
        None => format!("deskql{mode}> "),
    }
}

/// The banner of an interactive session.
pub fn greet(session: &Session, out: &mut dyn Write) -> std::io::Result<()> {
    let access = if session.is_read_only() { "read-only; --write to change data" } else { "read-write" };
    writeln!(out, "deskql {} on {} ({access}).", env!("CARGO_PKG_VERSION"), session.db().display())?;
    writeln!(out, "Statements end with ';'. .help lists the commands; Ctrl-C stops a query, Ctrl-D quits.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_keywords() {
        assert_eq!(first_keyword("-- c\n /* d */ (select 1)").as_deref(), Some("SELECT"));
        assert_eq!(first_keyword("set variable x = 1").as_deref(), Some("SET"));
        assert_eq!(first_keyword("  ").as_deref(), None);
        assert!(is_state_statement("RESET VARIABLE deskql_snapshot"));
        assert!(!is_state_statement("SELECT 1"));
    }
}
