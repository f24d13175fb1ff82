//! Dot commands: one enum, a parser from the typed line, and `execute`.
//! A new command is a variant, a line in `COMMANDS`, a parse arm and an
//! execute arm. Arguments never become SQL text: patterns and names are
//! bound parameters, and `.describe` quotes only names found in the catalog.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, anyhow, bail};
use arrow::array::{ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use clap::{CommandFactory, FromArgMatches, ValueEnum};
use duckdb::{Connection, OptionalExt};

use crate::format::Format;
use crate::format::text::{self, Controls};
use crate::format::types::ColumnType;
use crate::outfile::OutputFile;
use crate::report::{ReplReport, ReportFormat, ReportKind};
use crate::sqltext::quote_ident;
use crate::storage::SNAPSHOT_VARIABLE;

use super::exec;
use super::session::{Session, Target};

/// Name, arguments, what it does: the `.help` text and the completion list.
const COMMANDS: &[(&str, &str, &str)] = &[
    (".help", "", "show this help"),
    (".tables", "[PATTERN]", "what to query: the current-state views first, then the metric library, then the rest (LIKE pattern)"),
    (".views", "", "list the views and table macros"),
    (".schema", "[PATTERN]", "the CREATE statements of the matching tables, views and macros"),
    (".metrics", "", "the metric library's catalogue, with definitions"),
    (".describe", "NAME", "columns of a table or view; parameters and body of a macro"),
    (".snapshots", "", "list the snapshots (current: the one queries see)"),
    (".snapshot", "[ID|latest]", "pin every following query to snapshot ID (latest: unpin); no argument: show"),
    (".mode", "[FORMAT]", "output format: table (box, duckbox), list, line, markdown, csv, json, jsonl (jsonlines); .format is the same"),
    (".timer", "on|off", "print the run time of each statement"),
    (".maxrows", "N", "rows a table shows at most (0: all)"),
    (".highlight", "on|off", "syntax highlighting at the prompt (off with NO_COLOR)"),
    (".bail", "on|off", "stop at the first error (on in scripts and `deskql sql`, off at the prompt)"),
    (".output", "[FILE]", "write results to FILE; no argument: back to the terminal"),
    (".once", "FILE", "write the next result to FILE"),
    (".last", "", "the last result again, whole: every row, column and character"),
    (".edit", "", "open $EDITOR on the last statement (typed alone on a continuation line: the statement being typed)"),
    (".read", "FILE", "run the statements and dot commands of FILE"),
    (".report", "KIND --account A ...", "a named report, with the arguments of `deskql report` (.report --help); follows .mode"),
    (".quit", "", "leave the shell (.exit, Ctrl-D)"),
];

/// `.read` inside `.read` inside ...: deeper than this is a file reading itself.
const MAX_READ_DEPTH: usize = 16;

const TABLES_SQL: &str = include_str!("../../sql/repl/tables.sql");
const SCHEMA_SQL: &str = include_str!("../../sql/repl/schema.sql");
const RESOLVE_SQL: &str = include_str!("../../sql/repl/resolve.sql");
const VIEWS_SQL: &str = include_str!("../../sql/repl/views.sql");
const SNAPSHOTS_SQL: &str = include_str!("../../sql/repl/snapshots.sql");
const METRICS_SQL: &str = include_str!("../../sql/repl/metrics.sql");
const DESCRIBE_MACRO_SQL: &str = include_str!("../../sql/repl/describe_macro.sql");

/// What the shell does after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotCommand {
    Help,
    /// A LIKE pattern; `None`: everything.
    Tables(Option<String>),
    Views,
    Schema(Option<String>),
    Metrics,
    Describe(String),
    Snapshots,
    /// `None`: show the pin; `Some("latest")`: unpin.
    Snapshot(Option<String>),
    /// `None`: show the format.
    Format(Option<Format>),
    Timer(bool),
    /// `None`: every row.
    MaxRows(Option<usize>),
    Highlight(bool),
    Bail(bool),
    /// `None`: back to stdout.
    Output(Option<PathBuf>),
    Once(PathBuf),
    Last,
    Edit,
    Read(PathBuf),
    /// The words after `.report`.
    Report(Vec<String>),
    Quit,
}

/// Every command name, aliases included, for completion.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = COMMANDS.iter().map(|(name, _, _)| *name).collect();
    names.extend([".exit", ".format"]);
    names.sort_unstable();
    names
}

/// The report kinds `.report` takes, for completion.
pub fn report_kinds() -> Vec<String> {
    ReportKind::value_variants().iter().filter_map(|k| k.to_possible_value()).map(|v| v.get_name().to_string()).collect()
}

impl DotCommand {
    pub fn parse(line: &str) -> Result<DotCommand> {
        let words = words(line)?;
        let Some((name, args)) = words.split_first() else { bail!("empty command") };
        let one = |usage: &str| match args {
            [arg] => Ok(arg.clone()),
            _ => Err(anyhow!("usage: {name} {usage}")),
        };
        let none = || if args.is_empty() { Ok(()) } else { Err(anyhow!("{name} takes no argument")) };
        let optional = || match args {
            [] => Ok(None),
            [arg] => Ok(Some(arg.clone())),
            _ => Err(anyhow!("{name} takes at most one argument")),
        };
        Ok(match name.as_str() {
            ".help" => none().map(|()| DotCommand::Help)?,
            ".tables" => DotCommand::Tables(optional()?),
            ".views" => none().map(|()| DotCommand::Views)?,
            ".schema" => DotCommand::Schema(optional()?),
            ".metrics" => none().map(|()| DotCommand::Metrics)?,
            ".describe" => DotCommand::Describe(one("NAME")?),
            ".snapshots" => none().map(|()| DotCommand::Snapshots)?,
            ".snapshot" => DotCommand::Snapshot(optional()?),
            ".format" | ".mode" => DotCommand::Format(optional()?.map(|f| parse_format(&f)).transpose()?),
            ".timer" => DotCommand::Timer(parse_switch(&one("on|off")?)?),
            ".maxrows" => DotCommand::MaxRows(parse_max_rows(&one("N")?)?),
            ".highlight" => DotCommand::Highlight(parse_switch(&one("on|off")?)?),
            ".bail" => DotCommand::Bail(parse_switch(&one("on|off")?)?),
            ".output" => DotCommand::Output(optional()?.map(PathBuf::from)),
            ".once" => DotCommand::Once(PathBuf::from(one("FILE")?)),
            ".last" => none().map(|()| DotCommand::Last)?,
            ".edit" => none().map(|()| DotCommand::Edit)?,
            ".read" => DotCommand::Read(PathBuf::from(one("FILE")?)),
            ".report" => DotCommand::Report(args.to_vec()),
            ".quit" | ".exit" => none().map(|()| DotCommand::Quit)?,
            other => bail!("unknown command {other}; .help lists the commands"),
        })
    }

    pub fn execute(self, session: &mut Session) -> Result<Flow> {
        match self {
            DotCommand::Help => print_help()?,
            DotCommand::Tables(pattern) => tables(session, pattern.as_deref())?,
            DotCommand::Views => exec::run_statement(session, VIEWS_SQL)?,
            DotCommand::Schema(pattern) => schema(session, pattern.as_deref())?,
            DotCommand::Metrics => metrics(session)?,
            DotCommand::Describe(name) => describe(session, &name)?,
            DotCommand::Snapshots => snapshots(session)?,
            DotCommand::Snapshot(id) => snapshot(session, id.as_deref())?,
            DotCommand::Format(None) => writeln!(std::io::stdout(), "{}", session.settings.format.name())?,
            DotCommand::Format(Some(format)) => session.settings.format = format,
            DotCommand::Timer(on) => session.settings.timer = on,
            DotCommand::MaxRows(max_rows) => session.settings.max_rows = max_rows,
            DotCommand::Highlight(on) => session.settings.highlight.store(on, Ordering::Relaxed),
            DotCommand::Bail(on) => session.settings.bail = on,
            DotCommand::Output(path) => output(session, path)?,
            DotCommand::Once(path) => session.once = Some(OutputFile::create(&path, session.db())?),
            DotCommand::Last => exec::show_last(session)?,
            DotCommand::Edit => edit(session)?,
            DotCommand::Read(path) => return read(session, &path),
            DotCommand::Report(words) => report(session, &words)?,
            DotCommand::Quit => return Ok(Flow::Quit),
        }
        Ok(Flow::Continue)
    }
}

fn parse_format(name: &str) -> Result<Format> {
    Format::parse(name).ok_or_else(|| {
        anyhow!("unknown format {name:?}; one of {} (or the DuckDB CLI's {})", Format::names().join(", "), Format::mode_names().join(", "))
    })
}

fn parse_switch(word: &str) -> Result<bool> {
    match word.to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => bail!("expected on or off, not {word:?}"),
    }
}

fn parse_max_rows(word: &str) -> Result<Option<usize>> {
    let n: usize = word.parse().map_err(|_| anyhow!("expected a number of rows, not {word:?}"))?;
    Ok((n > 0).then_some(n))
}

/// Split a command line into words; "double" or 'single' quotes keep spaces.
fn words(line: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.trim().chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                current.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(current.take()),
            (None, c) => current.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(q) = quote {
        bail!("unterminated {q} in {line:?}");
    }
    words.extend(current);
    Ok(words)
}

fn print_help() -> Result<()> {
    let width = COMMANDS.iter().map(|(name, args, _)| name.len() + args.len() + 1).max().unwrap_or(0);
    for (name, args, what) in COMMANDS {
        let usage = if args.is_empty() { name.to_string() } else { format!("{name} {args}") };
        writeln!(std::io::stdout(), "{usage:<width$}  {what}")?;
    }
    writeln!(
        std::io::stdout(),
        "\nSQL statements end with ';' and may span lines. TAB completes keywords, tables, columns and commands.\n\
         Read-only (the default), the database is attached for each statement only: variables and temporary \
         tables last for the session, transactions cannot (start with --write for them)."
    )?;
    Ok(())
}

fn metrics(session: &mut Session) -> Result<()> {
    let installed: bool = session.with_connection(|conn, _| {
        Ok(conn.query_row(
            "SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'metrics' AND table_name = 'catalogue' \
             UNION ALL SELECT count(*) > 0 FROM duckdb_views() WHERE schema_name = 'metrics' AND view_name = 'catalogue' \
             ORDER BY 1 DESC LIMIT 1",
            [],
            |r| r.get(0),
        )?)
    })?;
    if !installed {
        writeln!(std::io::stdout(), "the metric library is not installed: run `deskql views install`")?;
        return Ok(());
    }
    exec::run_statement(session, METRICS_SQL)
}

/// `.tables`: the relations and macros matching `pattern`, each with what
/// it is: the contract's table docs for the state views, the library's doc
/// comments for its objects.
fn tables(session: &mut Session, pattern: Option<&str>) -> Result<()> {
    let pattern = pattern.unwrap_or("%").to_string();
    let rows = session.with_connection(|conn, _| {
        let docs = library_docs(conn)?;
        let mut stmt = conn.prepare(TABLES_SQL)?;
        let rows = stmt.query_map([&pattern, &pattern], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?)))?;
        let mut listed = Vec::new();
        for row in rows {
            let (schema, name, kind, object) = row?;
            let about = about(&docs, &schema, &object);
            listed.push([schema, name, kind, about]);
        }
        Ok(listed)
    })?;
    let headers = ["schema", "name", "kind", "about"];
    let schema = Arc::new(Schema::new(headers.iter().map(|h| Field::new(*h, DataType::Utf8, false)).collect::<Vec<_>>()));
    let columns: Vec<ArrayRef> = (0..headers.len()).map(|c| Arc::new(rows.iter().map(|r| Some(r[c].as_str())).collect::<StringArray>()) as ArrayRef).collect();
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    let types = headers.iter().map(|_| ColumnType { name: "varchar".into(), numeric: false }).collect();
    exec::show(session, schema, &[batch], types)
}

/// (schema, object) -> the first line of the library's doc comment.
fn library_docs(conn: &Connection) -> Result<Vec<((String, String), String)>> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'deskql_meta' AND table_name = 'library_objects'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Vec::new()); // a DuckDB file deskql did not create
    }
    let mut stmt = conn.prepare("SELECT schema_name, name, doc FROM deskql_meta.library_objects")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), first_line(&r.get::<_, String>(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn first_line(doc: &str) -> String {
    doc.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_string()
}

/// What an object is, in a line.
fn about(docs: &[((String, String), String)], schema: &str, object: &str) -> String {
    if let Some((_, doc)) = docs.iter().find(|((s, o), _)| s == schema && o == object) {
        return doc.clone();
    }
    let contract = crate::contract::Contract::get();
    match schema {
        "main" => {
            if let Some(table) = contract.table(object) {
                return format!("{} Current state (or as of `.snapshot`).", table.doc);
            }
            if let Some(table) = object.strip_suffix("_at").and_then(|t| contract.table(t)) {
                return format!("{} As of snapshot seq (NULL: the latest).", table.doc);
            }
            String::new()
        }
        "hist" => contract.table(object).map(|t| format!("Every version of {} (_from_seq, _to_seq, _hash).", t.name)).unwrap_or_default(),
        _ => String::new(),
    }
}

/// `.schema`: the CREATE statements, as text (not a result table).
fn schema(session: &mut Session, pattern: Option<&str>) -> Result<()> {
    let pattern = pattern.unwrap_or("%").to_string();
    let statements: Vec<String> = session.with_connection(|conn, _| {
        let mut stmt = conn.prepare(SCHEMA_SQL)?;
        let rows = stmt.query_map([&pattern, &pattern], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    })?;
    if statements.is_empty() {
        session.say(&format!("nothing matches {pattern:?}; .tables lists what there is"));
        return Ok(());
    }
    let mut sink = session.sink();
    for statement in statements {
        let statement = statement.trim_end();
        let end = if statement.ends_with(';') { "" } else { ";" };
        writeln!(sink, "{}{end}", text::escape(statement, Controls::KeepLines))?;
    }
    sink.finish()
}

/// `.describe`: a macro shows its parameters and body; a table or view is
/// DESCRIBEd by DuckDB. The name is looked up in the catalog (a bound
/// parameter) and only the name found there is quoted into SQL.
fn describe(session: &mut Session, name: &str) -> Result<()> {
    let (schema, bare) = match name.rsplit_once('.') {
        Some((schema, bare)) => (Some(schema.trim_matches('"').to_string()), bare.trim_matches('"').to_string()),
        None => (None, name.trim_matches('"').to_string()),
    };
    let found: Option<(String, String, String)> = session.with_connection(|conn, _| {
        Ok(conn.query_row(RESOLVE_SQL, duckdb::params![bare, schema], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?)
    })?;
    let Some((schema, object, kind)) = found else { bail!("no table, view or macro named {name:?}; .tables lists them") };
    if kind == "macro" {
        exec::run_query(session, DESCRIBE_MACRO_SQL, &[&schema as &dyn duckdb::ToSql, &object])
    } else {
        exec::run_statement(session, &format!("DESCRIBE {}.{}", quote_ident(&schema), quote_ident(&object)))
    }
}

/// `.snapshots`: every snapshot, or what to do when there is none.
fn snapshots(session: &mut Session) -> Result<()> {
    let any = session.with_connection(|conn, _| Ok(!crate::catalog::ids_newest_first(conn)?.is_empty()))?;
    if !any {
        let mut sink = session.sink();
        writeln!(sink, "{}", crate::catalog::NO_SNAPSHOT_YET)?;
        return sink.finish();
    }
    exec::run_statement(session, &SNAPSHOTS_SQL.replace("{{variable}}", SNAPSHOT_VARIABLE))
}

/// `.edit` at the prompt: the last statement, edited, is offered at the next prompt.
fn edit(session: &mut Session) -> Result<()> {
    if !session.interactive {
        bail!(".edit works at the interactive prompt only");
    }
    let statement = session.last_sql.clone().map(|sql| format!("{sql};")).unwrap_or_default();
    session.next_input = Some(super::prompt::edit(&statement)?);
    Ok(())
}

fn snapshot(session: &mut Session, id: Option<&str>) -> Result<()> {
    match id {
        None => match &session.pinned {
            Some(id) => writeln!(std::io::stdout(), "every query runs as of snapshot {id}")?,
            None => writeln!(std::io::stdout(), "every query runs on the latest snapshot")?,
        },
        Some("latest") => {
            session.set_state(&format!("RESET VARIABLE {SNAPSHOT_VARIABLE}"))?;
            session.pinned = None;
            session.say("every query now runs on the latest snapshot");
        }
        Some(id) => {
            let seq = session.with_connection(|conn, _| crate::catalog::seq_of(conn, id))?;
            session.set_state(&format!("SET VARIABLE {SNAPSHOT_VARIABLE} = {seq}"))?;
            session.pinned = Some(id.to_string());
            session.say(&format!("every query now runs as of snapshot {id} (seq {seq}); `.snapshot latest` to unpin"));
        }
    }
    Ok(())
}

fn output(session: &mut Session, path: Option<PathBuf>) -> Result<()> {
    let next = match path {
        Some(path) => Target::open(&path, session.db())?,
        None => Target::Stdout,
    };
    // The file being replaced is complete: put it in place.
    std::mem::replace(&mut session.target, next).close()
}

fn read(session: &mut Session, path: &std::path::Path) -> Result<Flow> {
    if session.read_depth >= MAX_READ_DEPTH {
        bail!(".read nested deeper than {MAX_READ_DEPTH} files (does {} read itself?)", path.display());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    session.read_depth += 1;
    let flow = exec::run_script(session, &text);
    session.read_depth -= 1;
    flow
}

/// `.report`: parsed like `deskql report`; without `--format` it follows
/// `.mode`, and `--output FILE` writes the file (complete or not at all).
fn report(session: &mut Session, words: &[String]) -> Result<()> {
    let matches = match ReplReport::command().try_get_matches_from(words) {
        Ok(matches) => matches,
        Err(err) if !err.use_stderr() => {
            write!(std::io::stdout(), "{err}")?; // --help
            return Ok(());
        }
        Err(err) => bail!("{}", err.to_string().trim().trim_start_matches("error: ")),
    };
    let mut parsed = ReplReport::from_arg_matches(&matches).map_err(|err| anyhow!("{}", err.to_string().trim()))?;
    // `.mode` stands in for a `--format` not given, unless the output file's
    // extension or `--out-dir` names the format
    let named_by_output = parsed.args.output.as_deref().and_then(ReportFormat::of_extension).is_some() || parsed.args.out_dir.is_some();
    if parsed.args.format.is_none() && !named_by_output {
        parsed.args.format = Some(report_format(session.settings.format));
    }
    let output = parsed.args.output.take();
    let mut file = output.as_deref().map(|path| OutputFile::create(path, session.db())).transpose()?;
    session.with_connection(|conn, session| match &mut file {
        Some(file) => crate::report::run_with_connection(conn, &parsed.args, file),
        None => {
            let mut sink = session.sink();
            crate::report::run_with_connection(conn, &parsed.args, &mut sink)?;
            sink.finish()
        }
    })?;
    if let (Some(file), Some(path)) = (file, output) {
        file.commit()?;
        session.say(&format!("wrote {}", path.display()));
    }
    Ok(())
}

/// The report format closest to the shell's output format.
fn report_format(format: Format) -> ReportFormat {
    match format {
        Format::Csv => ReportFormat::Csv,
        Format::Json | Format::Jsonl => ReportFormat::Json,
        Format::Markdown => ReportFormat::Markdown,
        Format::Table | Format::Line | Format::List => ReportFormat::Table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(DotCommand::parse(".format csv").unwrap(), DotCommand::Format(Some(Format::Csv)));
        assert_eq!(DotCommand::parse(".mode duckbox").unwrap(), DotCommand::Format(Some(Format::Table)));
        assert_eq!(DotCommand::parse(".mode jsonlines").unwrap(), DotCommand::Format(Some(Format::Jsonl)));
        assert_eq!(DotCommand::parse(".mode").unwrap(), DotCommand::Format(None));
        assert_eq!(DotCommand::parse(".timer ON").unwrap(), DotCommand::Timer(true));
        assert_eq!(DotCommand::parse(".bail off").unwrap(), DotCommand::Bail(false));
        assert_eq!(DotCommand::parse(".highlight off").unwrap(), DotCommand::Highlight(false));
        assert_eq!(DotCommand::parse(".maxrows 0").unwrap(), DotCommand::MaxRows(None));
        assert_eq!(DotCommand::parse(".output 'my file.txt'").unwrap(), DotCommand::Output(Some("my file.txt".into())));
        assert_eq!(DotCommand::parse(".once out.csv").unwrap(), DotCommand::Once("out.csv".into()));
        assert_eq!(DotCommand::parse(".tables conv%").unwrap(), DotCommand::Tables(Some("conv%".into())));
        assert_eq!(DotCommand::parse(".schema").unwrap(), DotCommand::Schema(None));
        assert_eq!(DotCommand::parse(".report company --account 1").unwrap(), DotCommand::Report(vec!["company".into(), "--account".into(), "1".into()]));
        assert_eq!(DotCommand::parse(".exit").unwrap(), DotCommand::Quit);
    }

    #[test]
    fn bad_commands_say_why() {
        let message = |line: &str| DotCommand::parse(line).unwrap_err().to_string();
        assert_eq!(message(".frobnicate"), "unknown command .frobnicate; .help lists the commands");
        assert_eq!(message(".describe"), "usage: .describe NAME");
        assert!(message(".format xml").starts_with("unknown format \"xml\""));
        assert_eq!(message(".timer maybe"), "expected on or off, not \"maybe\"");
        assert_eq!(message(".last x"), ".last takes no argument");
        assert_eq!(message(".once"), "usage: .once FILE");
        assert!(message(".read 'x").starts_with("unterminated '"));
    }

    #[test]
    fn every_command_has_help_and_completion() {
        for (name, _, _) in COMMANDS {
            assert!(names().contains(name));
        }
    }

    #[test]
    fn reports_follow_the_output_format() {
        assert_eq!(report_format(Format::Csv), ReportFormat::Csv);
        assert_eq!(report_format(Format::Jsonl), ReportFormat::Json);
        assert_eq!(report_format(Format::List), ReportFormat::Table);
    }
}
