//! Running what the user typed: a script (piped stdin, `deskql sql`, `.read`)
//! statement by statement, and one statement's result through the output
//! format. The interactive prompt is `prompt`.

use std::io::Write;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use duckdb::{Connection, ToSql};

use crate::format::text::{self, Controls};
use crate::format::types::{ColumnType, Family};
use crate::format::{CELL_LIMIT, Layout, ResultWriter, TableOptions};
use crate::storage::DatabaseLocked;

use super::command::{DotCommand, Flow};
use super::effects::{self, Effect};
use super::interrupt;
use super::query;
use super::session::{LastResult, Session};
use super::split::{self, Item};

/// The error of a statement stopped by Ctrl-C.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("query interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// Run a script. With `.bail on` (scripts, `deskql sql`) stop at the first
/// error and return it (like `duckdb -bail`); with `.bail off` (the prompt)
/// report each error and go on. Ctrl-C stops the rest of the input either way.
pub fn run_script(session: &mut Session, text: &str) -> Result<Flow> {
    for item in split::items(text) {
        if !session.interactive && interrupt::take() {
            return Err(Interrupted.into());
        }
        match run_item(session, &item) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Quit) => return Ok(Flow::Quit),
            Err(err) if err.downcast_ref::<Interrupted>().is_some() && session.interactive => {
                // `.read` files included: the outermost input reports it.
                if session.read_depth > 0 {
                    return Err(err);
                }
                report_error(&err);
                break;
            }
            Err(err) if session.settings.bail => return Err(err),
            Err(err) => {
                report_error(&err);
                // A script's exit code says an error happened; a person at
                // the prompt saw it.
                session.failed |= !session.interactive;
            }
        }
    }
    Ok(Flow::Continue)
}

/// One statement or dot command; a `.once` file gets the output of the item
/// after `.once` and is put in place only if that item succeeded.
fn run_item(session: &mut Session, item: &Item) -> Result<Flow> {
    let once_armed = session.once.is_some();
    let result = match item {
        Item::Sql(sql) => run_statement(session, sql).map(|()| Flow::Continue),
        Item::Dot(line) => DotCommand::parse(line).and_then(|command| command.execute(session)),
    };
    if once_armed && let Some(file) = session.once.take() {
        match &result {
            Ok(_) => file.commit()?,
            Err(_) => drop(file), // nothing half-written is left behind
        }
    }
    result
}

/// Print an error for the person at the prompt (or a script's stderr); the
/// caller decides whether to go on. Control characters from the data in a
/// message (DuckDB quotes values) are escaped.
pub fn report_error(err: &anyhow::Error) {
    if err.downcast_ref::<Interrupted>().is_some() {
        eprintln!("query interrupted");
    } else {
        eprintln!("Error: {}", text::escape(&message(err), Controls::KeepLines));
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
/// the read-only mode or the locked configuration.
fn explain(session: &Session, err: &anyhow::Error) -> String {
    let message = message(err);
    if session.is_read_only() && message.contains("read-only mode") {
        format!(
            "{message}\nThe database is open read-only (the default, so that a running ingest is neither blocked nor broken); \
             start the shell with {} to change it.",
            session.write_command()
        )
    } else if message.contains("configuration has been locked") {
        format!(
            "{message}\ndeskql locks DuckDB's configuration when it opens the database (no extension, network or file \
             setting may change), so SET of a DuckDB option is refused; `SET VARIABLE name = value` still works."
        )
    } else {
        message
    }
}

/// Run one SQL statement and print its result.
pub fn run_statement(session: &mut Session, sql: &str) -> Result<()> {
    run_query(session, sql, &[])
}

/// Run one statement with bound parameters and print its result.
pub fn run_query(session: &mut Session, sql: &str, params: &[&dyn ToSql]) -> Result<()> {
    crate::storage::guard::check(sql, session.is_read_only())?;
    let effect = effects::of(sql, session.write_command());
    if session.is_read_only()
        && let Effect::RefusedReadOnly(reason) = &effect
    {
        bail!("{reason}");
    }
    if !is_query(sql) {
        session.catalog_may_have_changed();
    }
    let started = Instant::now();
    let result = session.with_connection(|conn, session| execute(conn, session, sql, params));
    match result {
        Ok(()) => {}
        Err(err) if interrupt::take() || interrupt::is_interrupt_error(&err) => return Err(Interrupted.into()),
        // Kept as is: its type gives the exit code of a script (4).
        Err(err) if err.downcast_ref::<DatabaseLocked>().is_some() => return Err(err),
        // Escaped here, since a script's error is printed by the caller.
        Err(err) => return Err(anyhow!(text::escape(&explain(session, &err), Controls::KeepLines))),
    }
    if effect == Effect::Replayed {
        session.remember(sql);
    }
    if session.settings.timer {
        writeln!(std::io::stdout(), "Run Time: {:.3} s", started.elapsed().as_secs_f64())?;
    }
    Ok(())
}

/// Stream the result through the output format while DuckDB produces it.
fn execute(conn: &Connection, session: &mut Session, sql: &str, params: &[&dyn ToSql]) -> Result<()> {
    let _running = interrupt::Running::new(conn.interrupt_handle());
    let format = session.settings.format;
    let mut prepared = crate::trace::trace("prepare", || query::prepare(conn, sql, Family::of(format)))?;
    let stream = prepared.stmt.stream_arrow(params)?;
    let schema = stream.get_schema();
    if !shows_result(sql, &schema) {
        for batch in stream {
            batch?;
        }
        return Ok(());
    }
    session.last_sql = Some(sql.to_string());
    print_result(session, schema, prepared.types, stream.map(|batch| batch.map_err(anyhow::Error::from)))
}

/// Show a result built by deskql itself (a dot command's listing) as a
/// query's result is shown.
pub fn show(session: &mut Session, schema: SchemaRef, batches: &[RecordBatch], types: Vec<ColumnType>) -> Result<()> {
    print_result(session, schema, types, batches.iter().cloned().map(Ok))
}

/// Write a result in the session's format to its output while the batches
/// arrive, and keep it for `.last`.
fn print_result(session: &mut Session, schema: SchemaRef, types: Vec<ColumnType>, batches: impl Iterator<Item = Result<RecordBatch>>) -> Result<()> {
    let format = session.settings.format;
    let (options, style) = (session.table_options(), session.style());
    // On a terminal no cell is wider than the screen; elsewhere `CELL_LIMIT`.
    let layout = Layout { types: Some(types.clone()), cell_limit: Some(options.max_width.unwrap_or(CELL_LIMIT)) };
    let mut last = LastResult::new(schema.clone(), types);
    let mut sink = session.sink();
    let mut writer = ResultWriter::new(&mut sink, schema, format, &options, layout, style)?;
    for batch in batches {
        let batch = batch?;
        writer.push(&batch)?;
        last.push(&batch);
    }
    writer.finish()?;
    sink.finish()?;
    session.last = Some(last);
    Ok(())
}

/// `.last`: the last result again, whole: every row, every column, every
/// character, in the current format.
pub fn show_last(session: &mut Session) -> Result<()> {
    let Some(last) = session.last.take() else { bail!("no result yet: .last shows the last result of this session again") };
    if last.too_big {
        session.last = Some(last);
        bail!("the last result was too big to keep (over {} MB); run it again with `.maxrows 0`, or `.once FILE` with `.mode csv`", super::session::LAST_RESULT_LIMIT >> 20);
    }
    let format = session.settings.format;
    let layout = Layout { types: Some(last.types.clone()), cell_limit: None };
    let style = session.style();
    let shown = (|| {
        let mut sink = session.sink();
        let mut writer = ResultWriter::new(&mut sink, last.schema.clone(), format, &TableOptions::default(), layout, style)?;
        for batch in &last.batches {
            writer.push(batch)?;
        }
        writer.finish()?;
        sink.finish()
    })();
    session.last = Some(last);
    shown
}

/// DuckDB answers every statement with a result; like the DuckDB CLI, print
/// only those of queries: not the `Success` of a SET or DROP, not the row
/// count of an INSERT (its RETURNING rows are printed).
fn shows_result(sql: &str, schema: &SchemaRef) -> bool {
    let keyword = crate::sqltext::leading_words(sql, 1).into_iter().next();
    let query = is_query(sql);
    let changes = matches!(keyword.as_deref(), Some("INSERT" | "UPDATE" | "DELETE" | "CREATE" | "COPY" | "MERGE"));
    match schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>()[..] {
        [] => false,
        ["Success"] => query,
        ["Count"] => !changes,
        _ => true,
    }
}

/// Statements that read and answer (and change nothing).
fn is_query(sql: &str) -> bool {
    let keyword = crate::sqltext::leading_words(sql, 1).into_iter().next();
    matches!(
        keyword.as_deref(),
        Some("SELECT" | "WITH" | "FROM" | "VALUES" | "TABLE" | "DESCRIBE" | "SHOW" | "SUMMARIZE" | "EXPLAIN" | "PRAGMA" | "CALL" | "PIVOT" | "UNPIVOT")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    #[test]
    fn only_query_results_are_shown() {
        let schema = |name: &str| Arc::new(Schema::new(vec![Field::new(name, DataType::Int64, false)]));
        assert!(!shows_result("INSERT INTO t VALUES (1)", &schema("Count")));
        assert!(shows_result("SELECT count(*) AS \"Count\" FROM t", &schema("Count")));
        assert!(!shows_result("SET VARIABLE x = 1", &schema("Success")));
        assert!(shows_result("-- c\n(SELECT 1)", &schema("x")));
    }
}
