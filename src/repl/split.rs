//! A REPL script as items: SQL statements (split by `crate::sqltext`) and
//! dot commands (a line starting with `.` where a statement could start).
//! Also tells a finished interactive input from one that needs more lines.

use crate::sqltext::{is_blank, is_complete_sql};
pub use crate::sqltext::split;

/// Statements and dot commands of a script, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// One SQL statement, without its `;`.
    Sql(String),
    /// A line starting with `.` where a statement could start.
    Dot(String),
}

/// Whether an interactive input is ready to run: a dot command, or SQL whose
/// every statement is terminated by `;` outside strings and comments.
pub fn is_complete(input: &str) -> bool {
    is_dot_command(input) || is_complete_sql(input)
}

/// A line starting with `.`, where a statement could start.
fn is_dot_command(line: &str) -> bool {
    line.trim_start().starts_with('.')
}

/// The statements and dot commands of a script, in order. A dot command is a
/// line starting with `.` outside any statement; the last statement needs no `;`.
pub fn items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        if is_blank(&pending) && is_dot_command(line) {
            pending.clear();
            items.push(Item::Dot(line.trim().to_string()));
            continue;
        }
        pending.push_str(line);
        pending.push('\n');
        let split = split(&pending);
        items.extend(split.statements.into_iter().map(Item::Sql));
        pending = split.rest;
    }
    if !is_blank(&pending) {
        items.push(Item::Sql(pending.trim().to_string()));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(items: &[&str]) -> Vec<Item> {
        items.iter().map(|s| Item::Sql(s.to_string())).collect()
    }

    #[test]
    fn dot_commands_are_complete_inputs() {
        assert!(is_complete(".tables"));
        assert!(is_complete("SELECT 1;"));
        assert!(!is_complete("SELECT 1"));
    }

    #[test]
    fn script_items() {
        let text = ".format csv\nSELECT 1,\n  2;\n  .timer on\nSELECT '\n.not a command\n'; SELECT 3";
        assert_eq!(items(text), vec![
            Item::Dot(".format csv".into()),
            Item::Sql("SELECT 1,\n  2".into()),
            Item::Dot(".timer on".into()),
            Item::Sql("SELECT '\n.not a command\n'".into()),
            Item::Sql("SELECT 3".into()),
        ]);
        assert_eq!(items("SELECT 1;\n"), sql(&["SELECT 1"]));
    }
}
