//! The reports' SQL: named queries over the library's table macros, with
//! named parameters (`$account`, `$date_from`, ...) that are always bound,
//! never interpolated. The query files belong to the metric library version
//! the report reads (`Library::report_queries`), so a version's reports, and
//! the audits made with it, always run the same queries.
//!
//! A query file is a list of `-- name: <name>` sections. Queries name the
//! library schema `metrics`; an audit of an older version runs them against
//! its side-by-side schema instead (`library::install::in_schema`).

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use duckdb::Connection;
use duckdb::types::Value;

use crate::library::install::in_schema;
use crate::sqltext::{named, split_statements};

/// Named parameter values, bound by name into whichever queries use them.
#[derive(Debug, Clone, Default)]
pub struct Parameters {
    values: BTreeMap<String, Value>,
}

impl Parameters {
    pub fn set(&mut self, name: &str, value: Value) -> &mut Self {
        self.values.insert(name.to_string(), value);
        self
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }
}

/// A query's result: its schema and batches.
#[derive(Debug, Clone)]
pub struct Rows {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

impl Rows {
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }
}

/// Run query `name` of `file` against library schema `schema`.
pub fn run(conn: &Connection, file: &str, name: &str, schema: &str, parameters: &Parameters) -> Result<Rows> {
    let sql = in_schema(&named(file, name)?, schema);
    let mut stmt = conn.prepare(&sql).with_context(|| format!("preparing report query {name}"))?;
    let values = bound_values(&stmt, name, parameters)?;
    let arrow = crate::trace::trace(&format!("query {name}"), || Ok(stmt.query_arrow(duckdb::params_from_iter(values)).map_err(clean_error)?))
        .with_context(|| format!("running report query {name}"))?;
    let schema = arrow.get_schema();
    let batches: Vec<RecordBatch> = arrow.collect();
    Ok(Rows { schema, batches })
}

/// Run every statement of section `name` of `file` (DDL or DML, no rows)
/// against library schema `schema`, each with its parameters bound by name.
pub fn run_script(conn: &Connection, file: &str, name: &str, schema: &str, parameters: &Parameters) -> Result<()> {
    let script = in_schema(&named(file, name)?, schema);
    for statement in split_statements(&script) {
        execute(conn, statement.text, name, parameters)?;
    }
    Ok(())
}

fn execute(conn: &Connection, sql: &str, name: &str, parameters: &Parameters) -> Result<()> {
    let mut stmt = conn.prepare(sql).with_context(|| format!("preparing {name}"))?;
    let values = bound_values(&stmt, name, parameters)?;
    crate::trace::trace(name, || Ok(stmt.execute(duckdb::params_from_iter(values)).map_err(clean_error)?)).with_context(|| format!("running {name}"))?;
    Ok(())
}

/// Run a small lookup query and return its rows as values.
pub fn values(conn: &Connection, file: &str, name: &str, parameters: &Parameters) -> Result<Vec<Vec<Value>>> {
    let sql = named(file, name)?;
    let mut stmt = conn.prepare(&sql).with_context(|| format!("preparing lookup {name}"))?;
    let values = bound_values(&stmt, name, parameters)?;
    let mut rows = stmt.query(duckdb::params_from_iter(values)).map_err(clean_error).with_context(|| format!("running lookup {name}"))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let columns = row.as_ref().column_count();
        out.push((0..columns).map(|i| row.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>()?);
    }
    Ok(out)
}

/// Whether query text `sql` uses parameter `$name` (not a longer name
/// starting with it).
pub fn uses_parameter(sql: &str, name: &str) -> bool {
    let marker = format!("${name}");
    sql.match_indices(&marker).any(|(at, _)| {
        sql[at + marker.len()..].chars().next().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The statement's parameters, in order, from `parameters` by name.
fn bound_values(stmt: &duckdb::Statement<'_>, name: &str, parameters: &Parameters) -> Result<Vec<Value>> {
    let mut values = Vec::new();
    for index in 1..=stmt.parameter_count() {
        let parameter = stmt.parameter_name(index)?;
        let Some(value) = parameters.get(&parameter) else {
            bail!("report query {name} uses ${parameter}, which the report does not set");
        };
        values.push(value.clone());
    }
    Ok(values)
}

/// DuckDB reports a library `error()` as "Invalid Input Error: <message>";
/// keep the message, which is written for people.
fn clean_error(err: duckdb::Error) -> anyhow::Error {
    let text = err.to_string();
    match text.split_once("Invalid Input Error: ") {
        Some((_, message)) => anyhow::anyhow!("{}", message.trim()),
        None => anyhow::Error::new(err),
    }
}

#[cfg(test)]
mod tests {
    use super::uses_parameter;

    #[test]
    fn a_parameter_is_found_by_its_whole_name() {
        assert!(uses_parameter("SELECT * FROM t WHERE r = $rating", "rating"));
        assert!(uses_parameter("f(top := $top)", "top"));
        assert!(!uses_parameter("f(x := $topic)", "top"));
        assert!(!uses_parameter("SELECT 1", "by"));
    }
}
