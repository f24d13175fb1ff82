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
    /// Conditions that make a row invalid (an error naming the first row).
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Checks across rows that only warn (the data stays usable).
    #[serde(default)]
    pub warnings: Vec<Warning>,
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
    /// The value stored when the file has no such column or the value is
    /// NULL. It lets an optional column belong to the key, which is never
    /// NULL (the ingest's diff joins on the key). A reference skips rows
    /// holding it, as it skips NULLs.
    #[serde(default)]
    pub default: Option<toml::Value>,
    #[serde(default)]
    pub doc: String,
}

/// A row rule: rows for which `condition` (SQL over the staged columns,
/// written in the contract, never user input) is true are refused.
#[derive(Debug, Deserialize)]
pub struct Rule {
    pub name: String,
    pub condition: String,
    /// The column whose value the error message shows.
    pub value: String,
    /// What is wrong, after "N row(s) ...".
    pub message: String,
    /// What would be right.
    #[serde(default)]
    pub hint: String,
}

/// A check across rows that warns: the named query of
/// `sql/ingest/warnings/` (see `ingest::template::warning_query`) counts
/// the rows it is about and gives the first one.
#[derive(Debug, Deserialize)]
pub struct Warning {
    pub name: String,
    pub query: String,
    /// What it means, after "N row(s) ...".
    pub message: String,
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

    /// Internal consistency: keys, references and rules name real columns;
    /// defaults are literals of a type with a literal form.
    fn check(&self) -> Result<()> {
        for table in &self.tables {
            for key in &table.key {
                if table.column(key).is_none() {
                    bail!("contract: key column {}.{key} is not a column", table.name);
                }
            }
            for rule in &table.rules {
                if table.column(&rule.value).is_none() {
                    bail!("contract: rule {}.{} shows column {}, which is not a column", table.name, rule.name, rule.value);
                }
            }
            for column in &table.columns {
                if column.default.is_some() && column.default_literal().is_none() {
                    bail!("contract: the default of {}.{} must be a string, an integer or a boolean", table.name, column.name);
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

    /// The default as an SQL expression of the column's type
    /// (`CAST('1900-01-01' AS DATE)`), if the column has one.
    pub fn default_literal(&self) -> Option<String> {
        let literal = match self.default.as_ref()? {
            toml::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => return None,
        };
        Some(format!("CAST({literal} AS {})", self.sql_type))
    }

    /// The default as a person reads it.
    pub fn default_display(&self) -> Option<String> {
        self.default.as_ref().map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
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
            if let Some(default) = c.default_display() {
                notes.push(format!("absent or NULL: {default}"));
            }
            if !c.doc.is_empty() {
                notes.push(c.doc.clone());
            }
            text.push_str(&format!("  {:<18} {:<10} {}\n", c.name, c.sql_type, notes.join("; ")));
        }
        for r in &table.references {
            text.push_str(&format!("  -> ({}) references {}\n", r.columns.join(", "), r.table));
        }
        for rule in &table.rules {
            text.push_str(&format!("  rule {} (error): refused when {}\n", rule.name, rule.condition));
        }
        for warning in &table.warnings {
            text.push_str(&format!("  check {} (warning): rows that {}\n", warning.name, warning.message));
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
    fn office_hours_defaults_rules_and_warnings_are_read() {
        let table = Contract::get().table("office_hours").unwrap();
        assert_eq!(table.column("team_id").unwrap().default_literal().as_deref(), Some("CAST(0 AS BIGINT)"));
        assert_eq!(table.column("valid_from").unwrap().default_literal().as_deref(), Some("CAST('1900-01-01' AS DATE)"));
        assert_eq!(table.column("opens").unwrap().sql_type, "TIME");
        assert_eq!(table.rules[0].name, "closes_after_opens");
        assert_eq!(table.warnings[0].query, "office_hours_overlaps");
        let text = describe(Contract::get());
        assert!(text.contains("absent or NULL: 1900-01-01"), "{text}");
        assert!(text.contains("rule closes_after_opens (error)") && text.contains("check overlapping_intervals (warning)"), "{text}");
    }

    #[test]
    fn a_rule_must_show_a_real_column_and_a_default_must_be_a_literal() {
        let table = |extra: &str| format!("[[table]]\nname = \"a\"\nkey = [\"id\"]\n{extra}\n");
        let rule = table("columns = [{ name = \"id\", type = \"BIGINT\" }]\nrules = [{ name = \"r\", condition = \"id < 0\", value = \"nope\", message = \"m\" }]");
        assert!(Contract::parse(&rule).unwrap_err().to_string().contains("shows column nope"));
        let default = table("columns = [{ name = \"id\", type = \"BIGINT\", default = [1] }]");
        assert!(Contract::parse(&default).unwrap_err().to_string().contains("must be a string, an integer or a boolean"));
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
