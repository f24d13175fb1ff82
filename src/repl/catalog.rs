//! The names TAB completion offers, read from the live database: keywords,
//! schemas, tables and views, macros and functions, columns, snapshot ids.
//! Reloaded after each statement (DDL may have changed it) and shared with
//! the rustyline helper.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use duckdb::Connection;

const COMPLETION_SQL: &str = include_str!("../../sql/repl/completion.sql");

#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub keywords: BTreeSet<String>,
    pub schemas: BTreeSet<String>,
    /// (schema, name) of every table and view.
    pub relations: BTreeSet<(String, String)>,
    /// (schema, name); the schema is empty for built-in functions.
    pub functions: BTreeSet<(String, String)>,
    /// (schema, relation, column).
    pub columns: BTreeSet<(String, String, String)>,
    pub snapshots: Vec<String>,
}

/// The catalog shared by the session (which reloads it) and the helper.
pub type SharedCatalog = Arc<Mutex<Catalog>>;

impl Catalog {
    pub fn load(conn: &Connection) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        let mut stmt = conn.prepare(COMPLETION_SQL)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let schema: Option<String> = row.get(1)?;
            let relation: Option<String> = row.get(2)?;
            let name: String = row.get(3)?;
            let schema = schema.unwrap_or_default();
            match kind.as_str() {
                "keyword" => {
                    catalog.keywords.insert(name.to_uppercase());
                }
                "schema" => {
                    catalog.schemas.insert(name);
                }
                "relation" => {
                    catalog.relations.insert((schema, name));
                }
                "function" => {
                    catalog.functions.insert((schema, name));
                }
                _ => {
                    catalog.columns.insert((schema, relation.unwrap_or_default(), name));
                }
            }
        }
        catalog.snapshots = crate::catalog::ids_newest_first(conn)?;
        Ok(catalog)
    }
}

/// Replace the shared catalog (a poisoned lock is taken over: the data is plain).
pub fn store(shared: &SharedCatalog, catalog: Catalog) {
    let mut guard = shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    *guard = catalog;
}
