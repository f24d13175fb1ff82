//! Reading a table's Parquet files into a temporary staging table, cast to the
//! contract's types, and validating the staged rows.

use anyhow::{Context, Result, bail};
use duckdb::Connection;

use crate::contract::{Column, Contract, Rule, Table};
use crate::sqltext::{quote_ident, render};

use super::discover::{TableFiles, expected_form, type_is_compatible, type_is_exact};
use super::problems::Problems;
use super::template;

pub fn stage_name(table: &str) -> String {
    quote_ident(&format!("stage_{table}"))
}

fn raw_name(column: &str) -> String {
    quote_ident(&format!("_raw_{column}"))
}

/// How a contract column is read from a file: cast, raw value kept when the
/// cast can fail, or NULL when the (optional) column is absent. A file column
/// is named by its position (DuckDB's `#n`, 1-based), never by its name:
/// DuckDB matches names without regard to case, so a file with `SUBJECT`
/// before `subject` would otherwise give SUBJECT's values for `subject`.
enum Source {
    Exact(usize),
    Cast(usize),
    Absent,
}

fn column_sources<'a>(table: &'a Table, files: &TableFiles, problems: &mut Problems) -> Vec<(&'a Column, Source)> {
    let mut sources = Vec::new();
    for column in &table.columns {
        let found = files.schema.fields().iter().enumerate().find(|(_, f)| f.name() == &column.name);
        let source = match found {
            None if column.required => {
                problems.error(
                    &table.name,
                    Some(&column.name),
                    format!("missing column in {}: expected {} ({})", file_label(files), column.name, expected_form(&column.sql_type)),
                );
                Source::Absent
            }
            None => Source::Absent,
            Some((_, field)) if !type_is_compatible(field.data_type(), &column.sql_type) => {
                problems.error(
                    &table.name,
                    Some(&column.name),
                    format!("wrong type in {}: found {}, expected {}", file_label(files), field.data_type(), expected_form(&column.sql_type)),
                );
                Source::Absent
            }
            Some((at, field)) if type_is_exact(field.data_type(), &column.sql_type) => Source::Exact(at + 1),
            Some((at, _)) => Source::Cast(at + 1),
        };
        sources.push((column, source));
    }
    sources
}

fn file_label(files: &TableFiles) -> String {
    files.label()
}

fn select_list(sources: &[(&Column, Source)]) -> String {
    let mut items = Vec::new();
    for (column, source) in sources {
        let name = quote_ident(&column.name);
        let value = match source {
            // CAST even when exact: tz-aware timestamps become UTC TIMESTAMP,
            // narrower integers widen. None of these can fail.
            Source::Exact(at) => format!("CAST(#{at} AS {})", column.sql_type),
            // The raw value is kept next to it, so a failed cast (NULL from a
            // value that is not) is reported with its row.
            Source::Cast(at) => format!("TRY_CAST(#{at} AS {})", column.sql_type),
            Source::Absent => format!("CAST(NULL AS {})", column.sql_type),
        };
        items.push(format!("{} AS {name}", with_default(column, source, value)));
        if let Source::Cast(at) = source {
            items.push(format!("#{at} AS {}", raw_name(&column.name)));
        }
    }
    items.join(", ")
}

/// A column's staged value: the file's, or its contract default where the
/// file has no value (a NULL, or no such column). Tested on the file's
/// value, not the cast's, so a value that fails its cast stays NULL and is
/// reported rather than silently replaced.
fn with_default(column: &Column, source: &Source, value: String) -> String {
    match (column.default_literal(), source) {
        (None, _) => value,
        (Some(default), Source::Absent) => default,
        (Some(default), Source::Exact(at) | Source::Cast(at)) => format!("CASE WHEN #{at} IS NULL THEN {default} ELSE {value} END"),
    }
}

/// Stage one table's files as a view over them. Returns false (with
/// problems recorded) when the files' columns make staging impossible.
pub fn stage_table(conn: &Connection, table: &Table, files: &TableFiles, problems: &mut Problems) -> Result<bool> {
    let errors_before = problems.errors().count();
    let sources = column_sources(table, files, problems);
    if problems.errors().count() > errors_before {
        return Ok(false);
    }
    let paths = joined_paths(files)?;
    let variable = files_variable(&table.name);
    conn.execute(&render(template::STAGE_FILES, &[("files_variable", &variable)]), [paths])
        .with_context(|| format!("listing the files of {}", table.name))?;
    let stage = stage_name(&table.name);
    let select = select_list(&sources);
    let hash = crate::storage::hash_expression(table);
    let part = virtual_column(files, "file_index", "INTEGER");
    let row = virtual_column(files, "file_row_number", "BIGINT");
    let values = [
        ("stage", stage.as_str()),
        ("select_list", select.as_str()),
        ("hash", hash.as_str()),
        ("files_variable", variable.as_str()),
        ("part", part.as_str()),
        ("row", row.as_str()),
    ];
    conn.execute_batch(&render(template::STAGE_CREATE, &values)).with_context(|| format!("reading {}", file_label(files)))?;
    check_casts(conn, table, files, &sources, problems)?;
    Ok(true)
}

/// One of DuckDB's virtual columns of `read_parquet` (where a row comes
/// from), or NULL when the files have a real column of that name, which
/// hides it (DuckDB matches names without regard to case).
fn virtual_column(files: &TableFiles, name: &str, sql_type: &str) -> String {
    if files.schema.fields().iter().any(|f| f.name().eq_ignore_ascii_case(name)) {
        format!("CAST(NULL AS {sql_type})")
    } else {
        format!("CAST({name} AS {sql_type})")
    }
}

/// The session variable holding a table's part files (a contract name).
fn files_variable(table: &str) -> String {
    format!("deskql_stage_files_{table}")
}

/// The part files' paths as the list `stage_files.sql` splits.
fn joined_paths(files: &TableFiles) -> Result<String> {
    let paths: Vec<String> = files.read_paths.iter().map(|f| f.to_string_lossy().into_owned()).collect();
    match crate::sqltext::bound_list(&paths) {
        Ok(joined) => Ok(joined),
        Err(bad) => bail!("file path {bad:?} holds the control character U+001F, which deskql cannot read safely; rename it"),
    }
}

/// An empty staging table for an optional table absent from a full snapshot.
pub fn stage_empty(conn: &Connection, table: &Table) -> Result<()> {
    let stage = stage_name(&table.name);
    let columns = crate::storage::column_list(table);
    let name = quote_ident(&table.name);
    conn.execute_batch(&render(template::STAGE_EMPTY, &[("stage", &stage), ("columns", &columns), ("table", &name)]))?;
    Ok(())
}

/// One violation found by `check_rows.sql`.
struct Violation {
    count: i64,
    /// The part file and the row in it; unknown when the file hides DuckDB's
    /// virtual columns (see `virtual_column`).
    part: Option<i32>,
    row: Option<i64>,
    key: String,
    value: Option<String>,
}

fn key_text(table: &Table) -> String {
    let parts: Vec<String> = table
        .key
        .iter()
        .map(|k| format!("'{k}=' || coalesce(CAST({} AS VARCHAR), 'NULL')", quote_ident(k)))
        .collect();
    format!("concat_ws(', ', {})", parts.join(", "))
}

fn first_violation(conn: &Connection, table: &Table, value: &str, condition: &str) -> Result<Option<Violation>> {
    let stage = stage_name(&table.name);
    let keys = key_text(table);
    let sql = render(template::CHECK_ROWS, &[("stage", &stage), ("key_text", &keys), ("value", value), ("condition", condition)]);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    match rows.next()? {
        None => Ok(None),
        Some(row) => Ok(Some(Violation { count: row.get(0)?, part: row.get(1)?, row: row.get(2)?, key: row.get(3)?, value: row.get(4)? })),
    }
}

fn locate(files: &TableFiles, violation: &Violation) -> String {
    let file = match violation.part.and_then(|p| files.files.get(usize::try_from(p).ok()?)) {
        Some(file) => file.display().to_string(),
        None => files.label(),
    };
    match violation.row {
        Some(row) => format!("row {} of {file} ({})", row + 1, violation.key),
        None => format!("a row of {file} ({})", violation.key),
    }
}

fn check_casts(conn: &Connection, table: &Table, files: &TableFiles, sources: &[(&Column, Source)], problems: &mut Problems) -> Result<()> {
    for (column, source) in sources {
        if !matches!(source, Source::Cast(_)) {
            continue;
        }
        let name = quote_ident(&column.name);
        let raw = raw_name(&column.name);
        let condition = format!("{raw} IS NOT NULL AND {name} IS NULL");
        if let Some(v) = first_violation(conn, table, &raw, &condition)? {
            problems.error(
                &table.name,
                Some(&column.name),
                format!(
                    "{} value(s) cannot be read as {}: first at {}: {:?}; expected {}",
                    v.count,
                    column.sql_type,
                    locate(files, &v),
                    v.value.unwrap_or_default(),
                    expected_form(&column.sql_type)
                ),
            );
        }
    }
    Ok(())
}

/// Row-level rules on a staged table: NULLs in key and not-null columns,
/// values outside the accepted set, time-zone names, duplicate keys. Every
/// rule is first counted in one scan of the table; only a broken rule runs
/// its own query, to find the first offending row.
pub fn check_rows(conn: &Connection, table: &Table, files: &TableFiles, problems: &mut Problems) -> Result<()> {
    let present: Vec<&Column> = table.columns.iter().filter(|c| files.schema.fields().iter().any(|f| f.name() == &c.name)).collect();
    let conditions: Vec<String> = present
        .iter()
        .flat_map(|c| [not_null_condition(table, files, c), accepted_condition(c), format_condition(c), range_condition(c)])
        .flatten()
        .chain(table.rules.iter().map(rule_condition))
        .collect();
    let mut counts: Vec<String> = conditions.iter().map(|c| format!("count(*) FILTER (WHERE {c})")).collect();
    // Distinct key hashes as many as rows: no duplicate key, for sure; fewer:
    // a duplicate (or, once in billions, a hash collision), which the exact
    // query then finds. Cheaper than grouping by the key columns.
    let keys: Vec<String> = table.key.iter().map(|k| quote_ident(k)).collect();
    counts.push(format!("count(*) - count(DISTINCT hash({}))", keys.join(", ")));
    let found = count_all(conn, table, &counts)?;
    let broken: Vec<String> = conditions.iter().zip(&found).filter(|(_, n)| **n > 0).map(|(c, _)| c.clone()).collect();
    for column in present {
        check_not_null(conn, table, files, column, &broken, problems)?;
        check_accepted_values(conn, table, files, column, &broken, problems)?;
        check_format(conn, table, files, column, &broken, problems)?;
        check_range(conn, table, files, column, &broken, problems)?;
    }
    for rule in &table.rules {
        check_rule(conn, table, files, rule, &broken, problems)?;
    }
    if found.last().is_some_and(|n| *n > 0) {
        check_duplicates(conn, table, files, problems)?;
    }
    Ok(())
}

/// Several counts over the staged rows, in one scan.
fn count_all(conn: &Connection, table: &Table, counts: &[String]) -> Result<Vec<i64>> {
    let sql = format!("SELECT [{}] FROM {}", counts.join(", "), stage_name(&table.name));
    let value: duckdb::types::Value = conn.query_row(&sql, [], |r| r.get(0))?;
    let duckdb::types::Value::List(items) = value else { bail!("counting the rule violations of {}: unexpected result {value:?}", table.name) };
    items
        .into_iter()
        .map(|v| match v {
            duckdb::types::Value::BigInt(n) => Ok(n),
            other => bail!("counting the rule violations of {}: unexpected count {other:?}", table.name),
        })
        .collect()
}

/// A NULL that came from a failed cast was already reported as such.
fn not_cast_failure(column: &Column, files: &TableFiles) -> String {
    let exact = files
        .schema
        .fields()
        .iter()
        .find(|f| f.name() == &column.name)
        .is_some_and(|f| type_is_exact(f.data_type(), &column.sql_type));
    if exact { String::new() } else { format!(" AND {} IS NULL", raw_name(&column.name)) }
}

fn not_null_condition(table: &Table, files: &TableFiles, column: &Column) -> Option<String> {
    (table.is_key(&column.name) || column.not_null).then(|| format!("{} IS NULL{}", quote_ident(&column.name), not_cast_failure(column, files)))
}

fn accepted_condition(column: &Column) -> Option<String> {
    let name = quote_ident(&column.name);
    (!column.values.is_empty()).then(|| format!("{name} IS NOT NULL AND {name} NOT IN ({})", column.value_literals().join(", ")))
}

/// Instants and days outside the time-zone table's range (1900 to 2200)
/// cannot be placed in local time: every report would silently miss them.
fn range_condition(column: &Column) -> Option<String> {
    let name = quote_ident(&column.name);
    matches!(column.sql_type.as_str(), "TIMESTAMP" | "DATE")
        .then(|| format!("{name} IS NOT NULL AND ({name} < TIMESTAMP '1900-01-01' OR {name} >= TIMESTAMP '2200-01-01')"))
}

/// A valid email address as the HTML standard defines it (WHATWG, "valid
/// e-mail address"): what a mail server accepts in practice, without the
/// comments and quoted strings RFC 5322 allows. One address, no display
/// name, no spaces or commas: the monthly usage email sends to it as is.
const EMAIL_PATTERN: &str = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";

/// A constant of deskql's own as an SQL string literal.
fn sql_text_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn format_condition(column: &Column) -> Option<String> {
    let name = quote_ident(&column.name);
    match column.format.as_deref()? {
        "iana_timezone" => Some(format!("{name} IS NOT NULL AND {name} NOT IN (SELECT tz FROM deskql_meta.tz_offsets)")),
        "email" => Some(format!("{name} IS NOT NULL AND NOT regexp_full_match({name}, {})", sql_text_literal(EMAIL_PATTERN))),
        _ => None,
    }
}

fn check_not_null(conn: &Connection, table: &Table, files: &TableFiles, column: &Column, broken: &[String], problems: &mut Problems) -> Result<()> {
    let Some(condition) = not_null_condition(table, files, column).filter(|c| broken.contains(c)) else { return Ok(()) };
    if let Some(v) = first_violation(conn, table, "NULL", &condition)? {
        let what = if table.is_key(&column.name) { "key column" } else { "required value" };
        problems.error(&table.name, Some(&column.name), format!("{} NULL(s) in {what}: first at {}", v.count, locate(files, &v)));
    }
    Ok(())
}

fn check_accepted_values(conn: &Connection, table: &Table, files: &TableFiles, column: &Column, broken: &[String], problems: &mut Problems) -> Result<()> {
    let Some(condition) = accepted_condition(column).filter(|c| broken.contains(c)) else { return Ok(()) };
    let name = quote_ident(&column.name);
    if let Some(v) = first_violation(conn, table, &name, &condition)? {
        let stage = stage_name(&table.name);
        let sql = render(template::CHECK_VALUES, &[("stage", &stage), ("column", &name), ("condition", &condition)]);
        let unknown: String = conn.query_row(&format!("SELECT CAST(unknown AS VARCHAR) FROM ({})", sql.trim_end().trim_end_matches(';')), [], |r| r.get(0))?;
        problems.error(
            &table.name,
            Some(&column.name),
            format!("{} row(s) with unknown values {unknown}: first at {}; expected one of {}", v.count, locate(files, &v), column.values_display()),
        );
    }
    Ok(())
}

fn check_format(conn: &Connection, table: &Table, files: &TableFiles, column: &Column, broken: &[String], problems: &mut Problems) -> Result<()> {
    let (what, expected) = match column.format.as_deref() {
        Some("email") => ("row(s) with a value that is not an email address", "one address such as ana@example.com (no name, no spaces)"),
        _ => ("row(s) with an unknown time zone", "an IANA name such as Europe/Paris or America/New_York"),
    };
    let rule = ValueRule { condition: format_condition(column), what, expected };
    rule.check(conn, table, files, column, broken, problems)
}

fn check_range(conn: &Connection, table: &Table, files: &TableFiles, column: &Column, broken: &[String], problems: &mut Problems) -> Result<()> {
    let rule = ValueRule {
        condition: range_condition(column),
        what: "value(s) out of range",
        expected: "an instant from 1900-01-01 to 2200-01-01 (UTC), the range deskql can place in local time",
    };
    rule.check(conn, table, files, column, broken, problems)
}

/// A rule on a column's values whose breach is reported with the first
/// offending row and its value.
struct ValueRule {
    condition: Option<String>,
    /// What the count counts, e.g. "value(s) out of range".
    what: &'static str,
    expected: &'static str,
}

impl ValueRule {
    /// Report the rule's first breach, if the counting scan found any (`broken`).
    fn check(&self, conn: &Connection, table: &Table, files: &TableFiles, column: &Column, broken: &[String], problems: &mut Problems) -> Result<()> {
        let Some(condition) = self.condition.as_ref().filter(|c| broken.contains(c)) else { return Ok(()) };
        if let Some(v) = first_violation(conn, table, &quote_ident(&column.name), condition)? {
            let found = format!("{} {}: first at {}: {:?}", v.count, self.what, locate(files, &v), v.value.clone().unwrap_or_default());
            problems.error(&table.name, Some(&column.name), format!("{found}; expected {}", self.expected));
        }
        Ok(())
    }
}

/// A table rule of the contract, parenthesised so that it combines safely
/// with the other conditions.
fn rule_condition(rule: &Rule) -> String {
    format!("({})", rule.condition)
}

fn check_rule(conn: &Connection, table: &Table, files: &TableFiles, rule: &Rule, broken: &[String], problems: &mut Problems) -> Result<()> {
    let condition = rule_condition(rule);
    if !broken.contains(&condition) {
        return Ok(());
    }
    let value = quote_ident(&rule.value);
    if let Some(v) = first_violation(conn, table, &value, &condition)? {
        let hint = if rule.hint.is_empty() { String::new() } else { format!("; {}", rule.hint) };
        problems.error(
            &table.name,
            Some(&rule.value),
            format!(
                "{} row(s) {} (rule {}): first at {}, {} {:?}{hint}",
                v.count,
                rule.message,
                rule.name,
                locate(files, &v),
                rule.value,
                v.value.unwrap_or_default()
            ),
        );
    }
    Ok(())
}

/// The contract's warnings of a staged table: checks across rows that
/// leave the data usable (each a query of `sql/ingest/warnings/`), said as
/// warnings with the first row concerned.
pub fn check_warnings(conn: &Connection, table: &Table, files: &TableFiles, problems: &mut Problems) -> Result<()> {
    for warning in &table.warnings {
        let Some(query) = template::warning_query(&warning.query) else {
            bail!("the contract's warning {}.{} names query {}, which deskql does not have", table.name, warning.name, warning.query);
        };
        let sql = render(query, &[("stage", &stage_name(&table.name)), ("key_text", &key_text(table))]);
        let mut stmt = conn.prepare(&sql).with_context(|| format!("preparing the check {} of {}", warning.name, table.name))?;
        let mut rows = stmt.query([])?;
        if let Some(row) = rows.next()? {
            let v = Violation { count: row.get(0)?, part: row.get(1)?, row: row.get(2)?, key: row.get(3)?, value: None };
            problems.warning(&table.name, None, format!("{} row(s) {} ({}): first at {}", v.count, warning.message, warning.name, locate(files, &v)));
        }
    }
    Ok(())
}

fn check_duplicates(conn: &Connection, table: &Table, files: &TableFiles, problems: &mut Problems) -> Result<()> {
    let stage = stage_name(&table.name);
    let keys: Vec<String> = table.key.iter().map(|k| quote_ident(k)).collect();
    let sql = render(template::CHECK_DUPLICATES, &[("stage", &stage), ("keys", &keys.join(", ")), ("key_text", &key_text(table))]);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    if let Some(row) = rows.next()? {
        let count: i64 = row.get(0)?;
        let key: String = row.get(1)?;
        let at: String = row.get(2)?;
        problems.error(
            &table.name,
            None,
            format!(
                "{count} duplicated primary key(s) ({}) in {}: first ({key}) at rows {at}; each key must appear once",
                table.key.join(", "),
                file_label(files)
            ),
        );
    }
    Ok(())
}

/// What the snapshot being ingested holds for a referenced table.
pub enum Target {
    Staged,
    /// In the snapshot but refused (an error is already reported): its rows
    /// are unknown, so references to it cannot be checked.
    Unreadable,
    NotInSnapshot,
}

/// Orphan references are warnings: live exports are rarely perfectly
/// consistent, and refusing them would stop every cron run.
pub fn check_references(conn: &Connection, table: &Table, incremental: bool, target_state: &dyn Fn(&str) -> Target, problems: &mut Problems) -> Result<()> {
    let contract = Contract::get();
    for reference in &table.references {
        let Some(target) = contract.table(&reference.table) else { continue };
        let target_sql = match target_state(&target.name) {
            Target::Unreadable => continue,
            Target::Staged => reference_target(target, incremental, true),
            Target::NotInSnapshot => reference_target(target, incremental, false),
        };
        let matches: Vec<String> = reference.columns.iter().map(|c| format!("t.{0} = s.{0}", quote_ident(c))).collect();
        let not_null: Vec<String> = reference.columns.iter().map(|c| referencing_value(table, c)).collect();
        let sample: Vec<String> = reference.columns.iter().map(|c| format!("'{c}=' || CAST(s.{} AS VARCHAR)", quote_ident(c))).collect();
        let sql = render(
            template::CHECK_REFERENCES,
            &[
                ("stage", &stage_name(&table.name)),
                ("key_text", &format!("concat_ws(', ', {})", sample.join(", "))),
                ("not_null", &not_null.join(" AND ")),
                ("target", &target_sql),
                ("match", &matches.join(" AND ")),
            ],
        );
        let (orphans, sample): (i64, Option<String>) = conn.query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if orphans > 0 {
            problems.warning(
                &table.name,
                Some(&reference.columns.join(",")),
                format!("{orphans} row(s) refer to a missing {} row (e.g. {})", target.name, sample.unwrap_or_default()),
            );
        }
    }
    Ok(())
}

/// The condition under which a row's column refers to something: not NULL,
/// and not the column's default (`team_id` 0 is the account itself, not a
/// team).
fn referencing_value(table: &Table, column: &str) -> String {
    let name = format!("s.{}", quote_ident(column));
    match table.column(column).and_then(Column::default_literal) {
        Some(default) => format!("{name} IS NOT NULL AND {name} <> {default}"),
        None => format!("{name} IS NOT NULL"),
    }
}

fn reference_target(target: &Table, incremental: bool, target_staged: bool) -> String {
    let stage = format!("SELECT {} FROM {}", crate::storage::column_list(target), stage_name(&target.name));
    let current = format!("SELECT {} FROM main.{}", crate::storage::column_list(target), quote_ident(&target.name));
    // In full mode every contract table has a staging table (an empty one for
    // an absent optional table), which is the whole truth of the snapshot.
    match (incremental, target_staged) {
        (false, _) => stage,
        (true, true) => format!("{stage} UNION ALL {current}"),
        (true, false) => current,
    }
}
