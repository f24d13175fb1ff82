//! Dot commands: one enum, a parser from the typed line, and `execute`.
//! A new command is a variant, a line in `COMMANDS`, a parse arm and an
//! execute arm.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, ValueEnum};

use crate::format::Format;
use crate::report::{ReplReport, ReportKind};
use crate::storage::SNAPSHOT_VARIABLE;

use super::exec;
use super::session::{Session, Target};

/// Name, arguments, what it does: the `.help` text and the completion list.
const COMMANDS: &[(&str, &str, &str)] = &[
    (".help", "", "show this help"),
    (".tables", "", "list the tables"),
    (".views", "", "list the views and table macros"),
    (".metrics", "", "the metric library's catalogue, with definitions"),
    (".describe", "NAME", "columns of a table or view; parameters and body of a macro"),
    (".snapshots", "", "list the snapshots (current: the one queries see)"),
    (".snapshot", "[ID|latest]", "pin every following query to snapshot ID (latest: unpin); no argument: show"),
    (".format", "[table|csv|json|jsonl|markdown|line]", "output format (.mode is the same)"),
    (".timer", "on|off", "print the run time of each statement"),
    (".maxrows", "N", "rows a table shows at most (0: all)"),
    (".output", "[FILE]", "write results to FILE; no argument: back to the terminal"),
    (".read", "FILE", "run the statements and dot commands of FILE"),
    (".report", "KIND --account A ...", "a named report, with the arguments of `deskql report` (.report --help)"),
    (".quit", "", "leave the shell (.exit, Ctrl-D)"),
];

/// `.read` inside `.read` inside ...: deeper than this is a file reading itself.
const MAX_READ_DEPTH: usize = 16;

const TABLES_SQL: &str = include_str!("../../sql/repl/tables.sql");
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
    Tables,
    Views,
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
    /// `None`: back to stdout.
    Output(Option<PathBuf>),
    Read(PathBuf),
    /// The words after `.report`.
    Report(Vec<String>),
    Quit,
}

/// Every command name, aliases included, for completion.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = COMMANDS.iter().map(|(name, _, _)| *name).collect();
    names.extend([".exit", ".mode"]);
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
            ".tables" => none().map(|()| DotCommand::Tables)?,
            ".views" => none().map(|()| DotCommand::Views)?,
            ".metrics" => none().map(|()| DotCommand::Metrics)?,
            ".describe" => DotCommand::Describe(one("NAME")?),
            ".snapshots" => none().map(|()| DotCommand::Snapshots)?,
            ".snapshot" => DotCommand::Snapshot(optional()?),
            ".format" | ".mode" => DotCommand::Format(optional()?.map(|f| parse_format(&f)).transpose()?),
            ".timer" => DotCommand::Timer(parse_switch(&one("on|off")?)?),
            ".maxrows" => DotCommand::MaxRows(parse_max_rows(&one("N")?)?),
            ".output" => DotCommand::Output(optional()?.map(PathBuf::from)),
            ".read" => DotCommand::Read(PathBuf::from(one("FILE")?)),
            ".report" => DotCommand::Report(args.to_vec()),
            ".quit" | ".exit" => none().map(|()| DotCommand::Quit)?,
            other => bail!("unknown command {other}; .help lists the commands"),
        })
    }

    pub fn execute(self, session: &mut Session) -> Result<Flow> {
        match self {
            DotCommand::Help => print_help()?,
            DotCommand::Tables => exec::run_statement(session, TABLES_SQL)?,
            DotCommand::Views => exec::run_statement(session, VIEWS_SQL)?,
            DotCommand::Metrics => metrics(session)?,
            DotCommand::Describe(name) => describe(session, &name)?,
            DotCommand::Snapshots => exec::run_statement(session, &SNAPSHOTS_SQL.replace("{{variable}}", SNAPSHOT_VARIABLE))?,
            DotCommand::Snapshot(id) => snapshot(session, id.as_deref())?,
            DotCommand::Format(None) => writeln!(std::io::stdout(), "{}", session.settings.format.name())?,
            DotCommand::Format(Some(format)) => session.settings.format = format,
            DotCommand::Timer(on) => session.settings.timer = on,
            DotCommand::MaxRows(max_rows) => session.settings.max_rows = max_rows,
            DotCommand::Output(path) => output(session, path)?,
            DotCommand::Read(path) => return read(session, &path),
            DotCommand::Report(words) => report(session, &words)?,
            DotCommand::Quit => return Ok(Flow::Quit),
        }
        Ok(Flow::Continue)
    }
}

fn parse_format(name: &str) -> Result<Format> {
    Format::parse(name).ok_or_else(|| anyhow!("unknown format {name:?}; one of {}", Format::names().join(", ")))
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
    writeln!(std::io::stdout(), "\nSQL statements end with ';' and may span lines. TAB completes keywords, tables, columns and commands.")?;
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

/// A macro shows its parameters and body; anything else is DESCRIBEd by DuckDB.
fn describe(session: &mut Session, name: &str) -> Result<()> {
    let (schema, bare) = match name.rsplit_once('.') {
        Some((schema, bare)) => (sql_string(schema), sql_string(bare)),
        None => ("NULL".to_string(), sql_string(name)),
    };
    let macro_sql = DESCRIBE_MACRO_SQL.replace("{{schema}}", &schema).replace("{{name}}", &bare);
    let is_macro: bool = session.with_connection(|conn, _| Ok(conn.query_row(&format!("SELECT count(*) > 0 FROM ({macro_sql})"), [], |r| r.get(0))?))?;
    if is_macro { exec::run_statement(session, &macro_sql) } else { exec::run_statement(session, &format!("DESCRIBE {name}")) }
}

/// A SQL string literal.
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
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

fn report(session: &mut Session, words: &[String]) -> Result<()> {
    let parsed = match ReplReport::try_parse_from(words) {
        Ok(parsed) => parsed,
        Err(err) if !err.use_stderr() => {
            write!(std::io::stdout(), "{err}")?; // --help
            return Ok(());
        }
        Err(err) => bail!("{}", err.to_string().trim().trim_start_matches("error: ")),
    };
    session.with_connection(|conn, session| {
        let mut sink = session.sink();
        crate::report::run_with_connection(conn, &parsed.args, &mut sink)?;
        sink.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(DotCommand::parse(".format csv").unwrap(), DotCommand::Format(Some(Format::Csv)));
        assert_eq!(DotCommand::parse(".mode").unwrap(), DotCommand::Format(None));
        assert_eq!(DotCommand::parse(".timer ON").unwrap(), DotCommand::Timer(true));
        assert_eq!(DotCommand::parse(".maxrows 0").unwrap(), DotCommand::MaxRows(None));
        assert_eq!(DotCommand::parse(".output 'my file.txt'").unwrap(), DotCommand::Output(Some("my file.txt".into())));
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
        assert_eq!(message(".tables x"), ".tables takes no argument");
        assert!(message(".read 'x").starts_with("unterminated '"));
    }

    #[test]
    fn every_command_has_help_and_completion() {
        for (name, _, _) in COMMANDS {
            assert!(names().contains(name));
        }
    }
}
