//! A file's columns against the contract's, before anything is read: a
//! column the contract does not know is ignored, and said (a misspelt
//! `deletd_at` would otherwise leave `deleted_at` NULL without a word), with
//! the nearest contract column as a suggestion; an optional contract column
//! missing from the file is said too (a rename is the usual cause). Both are
//! warnings, or errors with `--strict`.

use arrow::datatypes::Schema;

use crate::contract::Table;

use super::problems::Problems;

/// Report unknown and missing optional columns of `table`'s files.
pub fn check(table: &Table, schema: &Schema, label: &str, strict: bool, problems: &mut Problems) {
    let mut report = |column: &str, message: String| {
        if strict {
            problems.error(&table.name, Some(column), format!("{message} (--strict)"));
        } else {
            problems.warning(&table.name, Some(column), message);
        }
    };
    for field in schema.fields() {
        let name = field.name();
        if table.column(name).is_some() {
            continue;
        }
        let hint = match nearest(table, name) {
            Some(near) => format!("; did you mean `{near}`?"),
            None => String::new(),
        };
        report(name, format!("{label} has a column `{name}` that the contract does not know: it is ignored{hint}"));
    }
    for column in table.columns.iter().filter(|c| !c.required) {
        if schema.fields().iter().all(|f| f.name() != &column.name) {
            let value = match column.default_display() {
                Some(default) => format!("it takes its default {default} in every row"),
                None => "it is NULL in every row".to_string(),
            };
            report(&column.name, format!("{label} has no column `{}` (optional): {value}; was it renamed?", column.name));
        }
    }
}

/// The contract column closest to `name`: equal but for case, or within an
/// edit distance of a third of its length (at least 1, at most 3).
fn nearest<'a>(table: &'a Table, name: &str) -> Option<&'a str> {
    let lower = name.to_lowercase();
    table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), distance(&lower, &c.name.to_lowercase())))
        .filter(|(column, d)| *d <= (column.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(_, d)| *d)
        .map(|(column, _)| column)
}

/// Levenshtein distance (insertions, deletions, substitutions).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Contract;

    #[test]
    fn suggestions_are_the_nearest_contract_columns() {
        let contract = Contract::get();
        assert_eq!(nearest(contract.table("users").unwrap(), "deletd_at"), Some("deleted_at"));
        assert_eq!(nearest(contract.table("conversations").unwrap(), "tag"), Some("tags"));
        assert_eq!(nearest(contract.table("conversations").unwrap(), "SUBJECT"), Some("subject"));
        assert_eq!(nearest(contract.table("conversations").unwrap(), "filename"), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
