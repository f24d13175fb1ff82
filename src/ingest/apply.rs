//! Applying a staged snapshot to the temporal history tables (SCD2): close the
//! current version of changed or vanished rows, open a version for new or
//! changed rows. Unchanged rows are not written again.

use std::collections::BTreeMap;

use anyhow::Result;
use duckdb::Connection;
use serde::Serialize;

use crate::contract::Table;
use crate::sqltext::{quote_ident, render};

use super::Mode;
use super::stage::stage_name;
use super::template;

#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Changes {
    pub inserted: i64,
    pub updated: i64,
    pub deleted: i64,
}

/// Apply one table's staged rows as snapshot `seq`.
pub fn apply_table(conn: &Connection, table: &Table, seq: i32, mode: Mode) -> Result<Changes> {
    let name = quote_ident(&table.name);
    let stage = stage_name(&table.name);
    let diff = quote_ident(&format!("diff_{}", table.name));
    let keys: Vec<String> = table.key.iter().map(|k| quote_ident(k)).collect();
    let keys = keys.join(", ");
    let columns = crate::storage::column_list(table);
    let key_match: Vec<String> = table.key.iter().map(|k| format!("h.{0} = d.{0}", quote_ident(k))).collect();
    // Full mode: a key missing from the snapshot is a deletion (FULL JOIN);
    // incremental mode: only the staged keys are considered (LEFT JOIN).
    let join = match mode {
        Mode::Full => "FULL JOIN",
        Mode::Incremental => "LEFT JOIN",
    };
    let values = [
        ("table", name.as_str()),
        ("stage", stage.as_str()),
        ("diff", diff.as_str()),
        ("keys", keys.as_str()),
        ("columns", columns.as_str()),
        ("join", join),
        ("key_match", &key_match.join(" AND ")),
    ];
    if !has_current_rows(conn, &name)? {
        // Nothing to compare with: every row is new (a first snapshot).
        let inserted = conn.execute(&render(template::INSERT_ALL, &values), [seq])? as i64;
        return Ok(Changes { inserted, ..Changes::default() });
    }
    conn.execute_batch(&render(template::DIFF, &values))?;
    let changes = count_changes(conn, &diff)?;
    if changes.updated + changes.deleted > 0 {
        conn.execute(&render(template::CLOSE_VERSIONS, &values), [seq])?;
    }
    if changes.inserted + changes.updated > 0 {
        conn.execute(&render(template::INSERT_VERSIONS, &values), [seq])?;
    }
    conn.execute_batch(&format!("DROP TABLE {diff}"))?;
    Ok(changes)
}

fn has_current_rows(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM hist.{table} WHERE _to_seq IS NULL)"), [], |r| r.get(0))?)
}

fn count_changes(conn: &Connection, diff: &str) -> Result<Changes> {
    let mut stmt = conn.prepare(&format!("SELECT change, count(*) FROM {diff} GROUP BY change"))?;
    let counts: BTreeMap<String, i64> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(Changes {
        inserted: counts.get("insert").copied().unwrap_or(0),
        updated: counts.get("update").copied().unwrap_or(0),
        deleted: counts.get("delete").copied().unwrap_or(0),
    })
}
