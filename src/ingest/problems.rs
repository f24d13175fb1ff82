//! Validation findings: errors refuse the snapshot, warnings are reported.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub table: String,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Problems {
    pub items: Vec<Problem>,
}

impl Problems {
    pub fn error(&mut self, table: &str, column: Option<&str>, message: String) {
        self.push(Severity::Error, table, column, message);
    }

    pub fn warning(&mut self, table: &str, column: Option<&str>, message: String) {
        self.push(Severity::Warning, table, column, message);
    }

    fn push(&mut self, severity: Severity, table: &str, column: Option<&str>, message: String) {
        self.items.push(Problem { severity, table: table.to_string(), column: column.map(str::to_string), message });
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|p| p.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter().filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter().filter(|p| p.severity == Severity::Warning)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = match &self.column {
            Some(column) => format!("{}.{}", self.table, column),
            None => self.table.clone(),
        };
        write!(f, "{place}: {}", self.message)
    }
}
