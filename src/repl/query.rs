//! One statement prepared for display: its columns' DuckDB types (for the
//! table's header and alignment) and, for a query, the wrapped statement
//! that has DuckDB cast what Arrow cannot carry (`format::types`).

use anyhow::Result;
use duckdb::core::LogicalTypeHandle;
use duckdb::{Connection, Statement};

use crate::format::types::{self, Cast, ColumnType, Family};
use crate::sqltext::leading_words;

pub struct Prepared<'c> {
    pub stmt: Statement<'c>,
    pub types: Vec<ColumnType>,
}

/// Statements a subquery may hold (`FROM (<statement>)`); others (`INSERT
/// ... RETURNING`, `PRAGMA`, `EXPLAIN`, `EXECUTE`) go to Arrow as they are.
fn is_query(sql: &str) -> bool {
    let verb = leading_words(sql, 1);
    matches!(verb.first().map(String::as_str), Some("SELECT" | "WITH" | "FROM" | "VALUES" | "TABLE" | "PIVOT" | "UNPIVOT"))
}

/// Prepare `sql` to be shown in the formats of `family`.
pub fn prepare<'c>(conn: &'c Connection, sql: &str, family: Family) -> Result<Prepared<'c>> {
    let stmt = conn.prepare(sql)?;
    let handles: Vec<LogicalTypeHandle> = (0..stmt.column_count()).map(|i| stmt.column_logical_type(i)).collect();
    let mut types: Vec<ColumnType> = handles.iter().map(types::column_type).collect();
    if !is_query(sql) {
        return Ok(Prepared { stmt, types });
    }
    // DESCRIBE gives the names (duckdb-rs has them only once the statement
    // ran) and DuckDB's exact type text, for the header.
    let Some(described) = describe(conn, sql).filter(|d| d.len() == handles.len()) else { return Ok(Prepared { stmt, types }) };
    for (column, (_, text)) in types.iter_mut().zip(&described) {
        column.name = types::display_from_text(text);
    }
    let casts: Vec<Cast> = handles.iter().map(|h| types::cast_for(h, family)).collect();
    if casts.iter().all(Option::is_none) {
        return Ok(Prepared { stmt, types });
    }
    let names: Vec<String> = described.into_iter().map(|(name, _)| name).collect();
    // Should DuckDB refuse the wrapped form, the statement still runs as it is.
    match conn.prepare(&types::wrap(sql, &names, &casts)) {
        Ok(wrapped) => Ok(Prepared { stmt: wrapped, types }),
        Err(_) => Ok(Prepared { stmt, types }),
    }
}

/// The result columns of `sql`: (name, DuckDB type text). `None` when
/// DuckDB cannot describe it.
fn describe(conn: &Connection, sql: &str) -> Option<Vec<(String, String)>> {
    let mut stmt = conn.prepare(&format!("DESCRIBE\n{sql}\n")).ok()?;
    let rows = stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))).ok()?;
    rows.collect::<Result<Vec<_>, _>>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_told_from_other_statements() {
        assert!(is_query("/* c */ (SELECT 1)"));
        assert!(is_query("from t"));
        assert!(!is_query("INSERT INTO t VALUES (1) RETURNING *"));
        assert!(!is_query("PRAGMA version"));
    }
}
