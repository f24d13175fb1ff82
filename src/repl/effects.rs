//! What a statement leaves behind in a session, and what that means when
//! the session is read-only (one in-memory instance for the session, the
//! database file attached for each statement only, see `session`):
//!
//! - settings (`SET VARIABLE`), temporary tables, views and macros: they
//!   live on the session's connection, as anywhere;
//! - `USE`: attaching the file makes it the default database again, so a
//!   `USE` is replayed after each attach;
//! - transactions (`BEGIN` ... `COMMIT`): refused when the statement runs,
//!   saying why (the file is detached after each statement) and what to do;
//! - `CHECKPOINT`, `VACUUM`: they write the file; DuckDB would skip them on a
//!   database attached read-only and say nothing, so they are refused.

use crate::sqltext::leading_words;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing the session must do.
    None,
    /// Replay it after each read-only attach.
    Replayed,
    /// Cannot work read-only; the message says why.
    RefusedReadOnly(String),
}

/// What `sql` leaves behind. `write_command`: how to start a read-write shell.
pub fn of(sql: &str, write_command: &str) -> Effect {
    let words = leading_words(sql, 1);
    match words.first().map(String::as_str).unwrap_or_default() {
        "USE" => Effect::Replayed,
        verb @ ("CHECKPOINT" | "FORCE" | "VACUUM") => Effect::RefusedReadOnly(format!(
            "{verb} writes the database file, and this session is read-only. Start the shell with {write_command} to run it."
        )),
        verb @ ("BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "ABORT" | "END") => Effect::RefusedReadOnly(format!(
            "{verb} refused: this session is read-only, and the database is attached for each statement and released \
             after it (so that an ingest can get in between two statements), so a transaction would end with its \
             statement. Start the shell with {write_command} to use transactions."
        )),
        _ => Effect::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_is_replayed_and_the_rest_lives_on_the_connection() {
        assert_eq!(of("use memory", "w"), Effect::Replayed);
        for sql in ["SET VARIABLE x = 1", "CREATE TEMP TABLE t AS SELECT 1", "SELECT 1", "DROP VIEW v"] {
            assert_eq!(of(sql, "w"), Effect::None, "{sql}");
        }
    }

    #[test]
    fn transactions_and_checkpoints_are_refused_saying_why() {
        for sql in ["BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "/* x */ ROLLBACK", "CHECKPOINT", "force checkpoint", "VACUUM"] {
            let Effect::RefusedReadOnly(message) = of(sql, "`deskql repl --write`") else { panic!("{sql}") };
            assert!(message.contains("read-only") && message.contains("`deskql repl --write`"), "{message}");
        }
    }
}
