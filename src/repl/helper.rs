//! The rustyline helper: TAB completion from the live catalog and syntax
//! highlighting (`highlight`). Lines are read one at a time (the prompt
//! gathers a statement over several), so there is no validator.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::{Context, Helper, Hinter, Validator};

use crate::format::Format;
use crate::sqltext::{self, State};

use super::catalog::{Catalog, SharedCatalog};
use super::command;
use super::highlight;
use super::split;

#[derive(Helper, Hinter, Validator)]
pub struct ReplHelper {
    catalog: SharedCatalog,
    files: FilenameCompleter,
    /// `.highlight on|off`, shared with the session.
    highlight: Arc<AtomicBool>,
    /// Where the statement typed on the previous lines left off.
    start: State,
}

impl ReplHelper {
    pub fn new(catalog: SharedCatalog, highlight: Arc<AtomicBool>) -> ReplHelper {
        ReplHelper { catalog, files: FilenameCompleter::new(), highlight, start: State::Code }
    }

    fn with_catalog<T>(&self, f: impl FnOnce(&Catalog) -> T) -> T {
        let guard = self.catalog.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&guard)
    }

    /// The next line continues `pending` (empty: a new statement).
    pub fn set_start_state(&mut self, pending: &str) {
        self.start = sqltext::scan(pending).1;
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.highlight.load(Ordering::Relaxed) {
            return Cow::Borrowed(line);
        }
        let coloured = self.with_catalog(|catalog| highlight::highlight(line, &self.start, &|word| catalog.keywords.contains(&word.to_ascii_uppercase())));
        Cow::Owned(coloured)
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Every change may colour the line differently (a quote opens a string).
        self.highlight.load(Ordering::Relaxed)
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let statement_start = last_statement_start(before);
        let current = &before[statement_start..];
        if !current.trim_start().starts_with('.') {
            return Ok(self.with_catalog(|catalog| complete_sql(catalog, before)));
        }
        let args_at = current.find(char::is_whitespace);
        match args_at {
            None => {
                let start = statement_start + (current.len() - current.trim_start().len());
                Ok((start, pairs(command::names().into_iter().filter(|name| name.starts_with(&before[start..])).map(String::from))))
            }
            Some(at) => {
                let command = current.split_whitespace().next().unwrap_or_default();
                let args = &current[at..];
                if matches!(command, ".read" | ".output" | ".once") {
                    return self.files.complete(line, pos, ctx);
                }
                let word_start = pos - args.len() + args.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                let word = &before[word_start..];
                let choices = self.with_catalog(|catalog| argument_choices(catalog, command, args));
                Ok((word_start, pairs(choices.into_iter().filter(|c| starts_with_ignore_case(c, word)))))
            }
        }
    }
}

/// Where the statement being typed starts (after the last complete one).
fn last_statement_start(before: &str) -> usize {
    let split = split::split(before);
    before.len() - split.rest.len()
}

/// Candidates for the argument of a dot command.
fn argument_choices(catalog: &Catalog, command: &str, args: &str) -> Vec<String> {
    // Which argument the cursor is on: a new one after a space, else the last.
    let words = args.split_whitespace().count();
    let index = if args.ends_with(char::is_whitespace) { words } else { words.saturating_sub(1) };
    let first_argument = index == 0;
    match command {
        ".describe" | ".tables" | ".schema" => relation_names(catalog).into_iter().collect(),
        ".format" | ".mode" => Format::names().into_iter().chain(Format::mode_names()).map(String::from).collect(),
        ".timer" | ".highlight" | ".bail" => vec!["on".into(), "off".into()],
        ".snapshot" => catalog.snapshots.iter().cloned().chain(["latest".to_string()]).collect(),
        ".report" if first_argument => command::report_kinds(),
        ".report" => ["--account", "--from", "--to", "--format"].iter().map(|s| s.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Tables, views and table macros, schema-qualified outside `main`.
fn relation_names(catalog: &Catalog) -> BTreeSet<String> {
    let qualified = |schema: &str, name: &str| if schema == "main" || schema.is_empty() { name.to_string() } else { format!("{schema}.{name}") };
    catalog
        .relations
        .iter()
        .map(|(schema, name)| qualified(schema, name))
        .chain(catalog.functions.iter().filter(|(schema, _)| !schema.is_empty()).map(|(schema, name)| qualified(schema, name)))
        .collect()
}

/// Complete the word before the cursor in SQL: `schema.` gives its tables,
/// `table.` its columns, a bare word every keyword and name it starts.
fn complete_sql(catalog: &Catalog, before: &str) -> (usize, Vec<Pair>) {
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.' | '"'))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[start..];
    if word.is_empty() {
        return (start, Vec::new()); // offering thousands of names on a bare TAB helps no one
    }
    let candidates = match word.rsplit_once('.') {
        Some((qualifier, partial)) => qualified_names(catalog, qualifier, partial),
        None => bare_names(catalog, word),
    };
    (start, pairs(candidates))
}

fn qualified_names(catalog: &Catalog, qualifier: &str, partial: &str) -> BTreeSet<String> {
    let last = unquote(qualifier.rsplit('.').next().unwrap_or(qualifier));
    let in_schema = catalog
        .relations
        .iter()
        .chain(catalog.functions.iter())
        .filter(|(schema, name)| schema.eq_ignore_ascii_case(&last) && starts_with_ignore_case(name, partial))
        .map(|(_, name)| name);
    // `conversations.`: the columns of the relation the name stands for (the
    // view in `main`, not the history table in `hist` with its `_hash`);
    // `hist.conversations.`: that one's.
    let parts: Vec<String> = qualifier.split('.').map(unquote).collect();
    let relation = match parts.as_slice() {
        [.., schema, relation] => catalog.relations.iter().find(|(s, r)| s.eq_ignore_ascii_case(schema) && r.eq_ignore_ascii_case(relation)),
        [relation] => resolve(catalog, relation),
        [] => None,
    };
    let of_relation = catalog
        .columns
        .iter()
        .filter(|(schema, relation_name, column)| {
            relation.is_some_and(|(s, r)| s == schema && r == relation_name) && starts_with_ignore_case(column, partial)
        })
        .map(|(_, _, column)| column);
    in_schema.chain(of_relation).map(|name| format!("{qualifier}.{}", quote_if_needed(name))).collect()
}

fn bare_names(catalog: &Catalog, word: &str) -> BTreeSet<String> {
    let lower = word.chars().any(|c| c.is_lowercase());
    let keywords = catalog
        .keywords
        .iter()
        .filter(|k| starts_with_ignore_case(k, word))
        .map(|k| if lower { k.to_lowercase() } else { k.clone() });
    let names = catalog
        .schemas
        .iter()
        .chain(catalog.relations.iter().map(|(_, name)| name))
        .chain(catalog.functions.iter().map(|(_, name)| name))
        .chain(catalog.columns.iter().filter(|(schema, _, _)| !INTERNAL_SCHEMAS.contains(&schema.as_str())).map(|(_, _, column)| column))
        .filter(|name| starts_with_ignore_case(name, &unquote(word)))
        .map(|name| quote_if_needed(name));
    keywords.chain(names).collect()
}

/// Schemas whose columns a bare word does not complete: the history tables'
/// bookkeeping (`_hash`, `_from_seq`) is not in the views users query.
const INTERNAL_SCHEMAS: &[&str] = &["hist", "deskql_meta"];

/// The relation a bare name stands for, as DuckDB's search path finds it:
/// `main` first, then any schema.
fn resolve<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c (String, String)> {
    let matching = || catalog.relations.iter().filter(move |(_, r)| r.eq_ignore_ascii_case(name));
    matching().find(|(schema, _)| schema == "main").or_else(|| matching().next())
}

fn pairs(candidates: impl IntoIterator<Item = String>) -> Vec<Pair> {
    candidates.into_iter().map(|c| Pair { display: c.clone(), replacement: c }).collect()
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.is_char_boundary(prefix.len()) && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn unquote(name: &str) -> String {
    name.trim_matches('"').replace("\"\"", "\"")
}

/// Names that are not plain identifiers need double quotes in SQL.
fn quote_if_needed(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain { name.to_string() } else { format!("\"{}\"", name.replace('"', "\"\"")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut catalog = Catalog::default();
        catalog.keywords.extend(["SELECT", "SET", "FROM"].map(String::from));
        catalog.schemas.extend(["main", "hist"].map(String::from));
        catalog.relations.extend([("main", "conversations"), ("hist", "conversations"), ("main", "threads")].map(|(s, n)| (s.into(), n.into())));
        catalog.columns.extend(
            [("main", "conversations", "status"), ("main", "conversations", "state"), ("hist", "conversations", "_hash"), ("main", "threads", "Odd Name")]
                .map(|(s, r, c)| (s.into(), r.into(), c.into())),
        );
        catalog.snapshots = vec!["sample-2".into(), "sample-1".into()];
        catalog
    }

    fn replacements(before: &str) -> Vec<String> {
        complete_sql(&catalog(), before).1.into_iter().map(|p| p.replacement).collect()
    }

    #[test]
    fn keywords_follow_the_case_typed() {
        assert_eq!(replacements("SE"), vec!["SELECT", "SET"]);
        assert_eq!(replacements("sel"), vec!["select"]);
    }

    #[test]
    fn names_qualified_and_not() {
        assert_eq!(replacements("SELECT * FROM conv"), vec!["conversations"]);
        assert_eq!(replacements("SELECT * FROM hist.c"), vec!["hist.conversations"]);
        assert_eq!(replacements("SELECT conversations.sta"), vec!["conversations.state", "conversations.status"]);
        // The view has no bookkeeping columns; the history table does.
        assert!(replacements("SELECT conversations._").is_empty());
        assert!(replacements("SELECT _h").is_empty());
        assert_eq!(replacements("SELECT hist.conversations._h"), vec!["hist.conversations._hash"]);
        assert_eq!(replacements("SELECT Od"), vec!["\"Odd Name\""]);
        assert!(replacements("SELECT ").is_empty());
    }

    #[test]
    fn dot_command_arguments() {
        assert!(argument_choices(&catalog(), ".format", " ").contains(&"jsonl".to_string()));
        assert_eq!(argument_choices(&catalog(), ".snapshot", " s"), vec!["sample-2", "sample-1", "latest"]);
        assert!(argument_choices(&catalog(), ".describe", " ").contains(&"hist.conversations".to_string()));
    }
}
