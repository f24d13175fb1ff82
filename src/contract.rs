//! The snapshot contract: which tables and columns a snapshot holds.
//!
//! The contract itself lives in `sql/schema/contract.toml` (embedded at build
//! time); this module only parses it and answers questions about it, so the
//! validator, the storage DDL and the documentation can never disagree.

use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

const CONTRACT_TOML: &str = include_str!("../sql/schema/contract.toml");

#[derive(Debug, Deserialize)]
pub struct Contract {
    #[serde(rename = "table")]
    pub tables: Vec<Table>,
}

#[derive(Debug, Deserialize)]
pub struct Table {
    pub name: String,
    /// A snapshot without this table is refused; optional tables may be absent.
    #[serde(default)]
    pub mandatory: bool,
    #[serde(default)]
    pub doc: String,
    /// Primary key: unique and never NULL.
    pub key: Vec<String>,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// `false`: no report reads the table (who gets a report, not what it
    /// says), so audits do not fingerprint it: a changed contact does not
    /// make a recorded figure differ.
    #[serde(default = "yes")]
    pub report_input: bool,
}

#[derive(Debug, Deserialize)]
pub struct Column {
    pub name: String,
    /// DuckDB type the column is stored as (`BIGINT`, `VARCHAR`, `TIMESTAMP`, ...).
    #[serde(rename = "type")]
    pub sql_type: String,
    #[serde(default)]
    pub not_null: bool,
    /// `false`: the file may omit the column, which is then NULL.
    #[serde(default = "yes")]
    pub required: bool,
    /// The closed set of accepted values (as SQL literals), if any.
    #[serde(default)]
    pub values: Vec<toml::Value>,
    /// A further format rule; `iana_timezone`: a zone name known to deskql;
    /// `email`: one email address.
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub doc: String,
}

#[derive(Debug, Deserialize)]
pub struct Reference {
    pub columns: Vec<String>,
    pub table: String,
}

fn yes() -> bool {
    true
}

impl Contract {
    /// The embedded contract. Parsed once; a malformed contract is a build bug,
    /// caught by the unit test below.
    pub fn get() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(|| Contract::parse(CONTRACT_TOML).expect("embedded contract.toml is valid"))
    }

    pub fn parse(text: &str) -> Result<Contract> {
        let contract: Contract = toml::from_str(text).context("parsing contract.toml")?;
        contract.check()?;
        Ok(contract)
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Internal consistency: keys and references name real columns.
    fn check(&self) -> Result<()> {
        for table in &self.tables {
            for key in &table.key {
                if table.column(key).is_none() {
                    bail!("contract: key column {}.{key} is not a column", table.name);
                }
            }
            for reference in &table.references {
                let Some(target) = self.table(&reference.table) else {
                    bail!("contract: {} references unknown table {}", table.name, reference.table);
                };
                if target.key != reference.columns {
                    bail!("contract: {} references {}({:?}), which is not its key", table.name, target.name, reference.columns);
                }
            }
        }
        Ok(())
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn is_key(&self, column: &str) -> bool {
        self.key.iter().any(|k| k == column)
    }

    /// Columns that are not part of the key: a change in any of them makes a new
    /// row version.
    pub fn value_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| !self.is_key(&c.name))
    }
}

impl Column {
    /// The accepted values rendered as SQL literals, for `IN (...)` lists.
    pub fn value_literals(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|v| match v {
                toml::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
                other => other.to_string(),
            })
            .collect()
    }

    /// The accepted values as a person reads them.
    pub fn values_display(&self) -> String {
        self.value_literals().join(", ")
    }
}

/// The contract as a person reads it (`deskql contract`): each table with
/// its key, columns, rules and references.
pub fn describe(contract: &Contract) -> String {
    let mut text = String::new();
    for table in &contract.tables {
        let need = if table.mandatory { "mandatory" } else { "optional" };
        text.push_str(&format!("{} ({need}; key: {})\n", table.name, table.key.join(", ")));
        if !table.doc.is_empty() {
            text.push_str(&format!("  {}\n", table.doc));
        }
        for c in &table.columns {
            let mut notes = Vec::new();
            if table.is_key(&c.name) || c.not_null {
                notes.push("not null".to_string());
            }
            if !c.required {
                notes.push("may be absent".to_string());
            }
            if !c.values.is_empty() {
                notes.push(format!("one of {}", c.values_display()));
            }
            if let Some(format) = &c.format {
                notes.push(format.clone());
            }
            if !c.doc.is_empty() {
                notes.push(c.doc.clone());
            }
            text.push_str(&format!("  {:<18} {:<10} {}\n", c.name, c.sql_type, notes.join("; ")));
        }
        for r in &table.references {
            text.push_str(&format!("  -> ({}) references {}\n", r.columns.join(", "), r.table));
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_contract_parses_and_is_consistent() {
        let contract = Contract::get();
        for mandatory in ["accounts", "inboxes", "users", "customers", "conversations", "threads"] {
            assert!(contract.table(mandatory).unwrap().mandatory, "{mandatory} must be mandatory");
        }
        assert!(!contract.table("csat").unwrap().mandatory);
        assert_eq!(contract.table("conversations").unwrap().column("channel").unwrap().values_display(), "'email', 'chat', 'phone'");
    }

    #[test]
    fn a_reference_to_a_non_key_is_rejected() {
        let text = r#"
            [[table]]
            name = "a"
            key = ["id"]
            columns = [{ name = "id", type = "BIGINT" }]
            [[table]]
            name = "b"
            key = ["id"]
            columns = [{ name = "id", type = "BIGINT" }, { name = "a_name", type = "VARCHAR" }]
            references = [{ columns = ["a_name"], table = "a" }]
        "#;
        let err = Contract::parse(text).unwrap_err().to_string();
        assert!(err.contains("not its key"), "{err}");
    }
}
