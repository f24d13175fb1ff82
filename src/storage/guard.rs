//! What the shell refuses before DuckDB runs a statement, on top of what
//! DuckDB itself enforces (read-only access, extensions off, configuration
//! locked: see `config` in `storage/mod.rs`).
//!
//! - Always: installing, loading or updating extensions (`INSTALL`, `LOAD`,
//!   `FORCE INSTALL`, `UPDATE EXTENSIONS`). With auto-install off and the
//!   configuration locked, DuckDB could still download from a repository
//!   named in the statement itself (`INSTALL x FROM 'http://...'`).
//! - Read-only: statements that write files, which DuckDB's read-only mode
//!   does not stop because they do not write the database: `COPY` (`TO` a
//!   file; `FROM` writes a table, refused anyway), `EXPORT DATABASE`,
//!   `ATTACH` (creates or opens another database, writable by default).
//!
//! The statement's verb is found by the SQL lexer of `sqltext`, so comments,
//! case and whitespace do not hide it; `EXPLAIN [ANALYZE]` and `PREPARE name
//! AS` are looked through (EXPLAIN ANALYZE runs its statement; a prepared one
//! runs on EXECUTE).

use anyhow::{Result, bail};

use crate::sqltext::leading_words;

/// The statement's verb, through EXPLAIN, ANALYZE, FORMAT x and PREPARE x AS.
fn verb(sql: &str) -> Vec<String> {
    let words = leading_words(sql, 16);
    let mut i = 0;
    while i < words.len() {
        match words[i].as_str() {
            "EXPLAIN" => {
                i += 1;
                while i < words.len() && matches!(words[i].as_str(), "ANALYZE" | "FORMAT" | "JSON" | "TEXT" | "HTML" | "GRAPHVIZ" | "YAML") {
                    i += 1;
                }
            }
            "PREPARE" => {
                i += 2;
                if words.get(i).is_some_and(|w| w == "AS") {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    words[i.min(words.len())..].iter().take(2).cloned().collect()
}

/// Refuse `sql` if it could reach the network or load code, or (read-only)
/// write a file.
pub fn check(sql: &str, read_only: bool) -> Result<()> {
    let verb = verb(sql);
    let first = verb.first().map(String::as_str).unwrap_or_default();
    let second = verb.get(1).map(String::as_str).unwrap_or_default();
    let extensions = matches!(first, "INSTALL" | "LOAD") || (first == "FORCE" && second == "INSTALL") || (first == "UPDATE" && second == "EXTENSIONS");
    if extensions {
        bail!("deskql never installs, loads or updates DuckDB extensions (it never reaches the network); this statement is refused");
    }
    if read_only && matches!(first, "COPY" | "EXPORT" | "ATTACH") {
        bail!(
            "{first} writes files, and this session is read-only (nothing it runs writes a file); \
             start deskql with --write to run it (`deskql repl --write`, `deskql sql --write \"...\"`)"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn extension_statements_are_refused_whatever_hides_them() {
        for sql in [
            "INSTALL httpfs",
            "force install spatial",
            "LOAD 'x.duckdb_extension'",
            "-- c\nload icu",
            "/* x */ INSTALL httpfs",
            "/* a /* nested */ */\n\tInStAlL httpfs FROM 'http://127.0.0.1:9/ext'",
            "UPDATE EXTENSIONS",
            "update\n extensions (httpfs)",
            "PREPARE p AS INSTALL httpfs",
        ] {
            assert!(check(sql, false).is_err(), "{sql}");
        }
    }

    #[test]
    fn file_writes_are_refused_read_only_only() {
        for sql in [
            "COPY (SELECT 'x') TO 'deskql.duckdb'",
            "/* x */ copy t TO 'a.csv'",
            "EXPORT DATABASE 'out'",
            "ATTACH 'new.duckdb' AS n",
            "EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'",
            "explain (format json) analyze copy (select 1) to 'x.csv'",
            "PREPARE w AS COPY (SELECT 1) TO 'x.csv'",
        ] {
            assert!(check(sql, true).is_err(), "{sql}");
            assert!(check(sql, false).is_ok(), "{sql}");
        }
    }

    #[test]
    fn reads_and_updates_of_tables_pass() {
        for sql in ["SELECT 'install'", "SELECT copy FROM t", "UPDATE t SET a = 1", "SET VARIABLE deskql_snapshot = 1", "EXPLAIN SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x"] {
            assert!(check(sql, true).is_ok(), "{sql}");
        }
    }
}
