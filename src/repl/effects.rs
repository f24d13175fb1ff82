//! What a statement leaves behind in a session, and what that means when
//! the session is read-only (the database opened anew for each statement):
//!
//! - settings (`SET`, `RESET`, `USE`), temporary views, macros and
//!   functions, and drops (read-only, only a temporary object can be
//!   dropped): replayed on each open, so they last as they would anywhere;
//! - transactions (`BEGIN` ... `COMMIT`) and temporary tables and sequences
//!   (their rows would have to be computed again on each open): refused
//!   when the statement runs, saying why and what to do instead.

use crate::sqltext::leading_words;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing that outlives the statement.
    None,
    /// Lasts: replay it on each read-only open.
    Lasting,
    /// Cannot last read-only; the message says why.
    RefusedReadOnly(String),
}

const REOPENED: &str = "this session is read-only, and each statement runs on a database opened for it and closed after it (so that an ingest can get in between two statements)";

/// What `sql` leaves behind. `write_command`: how to start a read-write shell.
pub fn of(sql: &str, write_command: &str) -> Effect {
    let words = leading_words(sql, 6);
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or_default();
    match word(0) {
        "SET" | "RESET" | "USE" | "DROP" => Effect::Lasting,
        "BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "ABORT" | "END" => Effect::RefusedReadOnly(format!(
            "{} refused: {REOPENED}, so a transaction would end with its statement. Start the shell with {write_command} to use transactions.",
            word(0)
        )),
        "CREATE" => {
            // CREATE [OR REPLACE] TEMP|TEMPORARY <kind>
            let rest: Vec<&str> = words[1..].iter().map(String::as_str).filter(|w| !matches!(*w, "OR" | "REPLACE")).collect();
            match rest.as_slice() {
                ["TEMP" | "TEMPORARY", "VIEW" | "MACRO" | "FUNCTION", ..] => Effect::Lasting,
                ["TEMP" | "TEMPORARY", kind, ..] => Effect::RefusedReadOnly(format!(
                    "CREATE TEMPORARY {kind} refused: {REOPENED}, so it would be gone by the next one. \
                     Use a CTE (WITH ...), a temporary view (kept for the session), or start the shell with {write_command}."
                )),
                _ => Effect::None,
            }
        }
        _ => Effect::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_temporary_definitions_last() {
        for sql in ["SET VARIABLE x = 1", "reset threads", "USE memory", "CREATE TEMP VIEW v AS SELECT 1", "create or replace temporary macro m(x) AS x + 1", "DROP VIEW v"] {
            assert_eq!(of(sql, "w"), Effect::Lasting, "{sql}");
        }
        assert_eq!(of("SELECT 1", "w"), Effect::None);
        assert_eq!(of("CREATE TABLE t(x INT)", "w"), Effect::None, "refused by DuckDB itself");
    }

    #[test]
    fn transactions_and_temporary_tables_are_refused_saying_why() {
        for sql in ["BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "/* x */ ROLLBACK", "CREATE TEMP TABLE t AS SELECT 1", "CREATE OR REPLACE TEMPORARY TABLE t(x INT)"] {
            let Effect::RefusedReadOnly(message) = of(sql, "`deskql repl --write`") else { panic!("{sql}") };
            assert!(message.contains("read-only") && message.contains("`deskql repl --write`"), "{message}");
        }
    }
}
