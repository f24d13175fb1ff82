//! Ingest end to end through the CLI: every class of bad input, atomicity,
//! idempotency, full vs incremental, as-of queries, concurrent writers.



use std::path::Path;
use std::time::Duration;

use crate::fixture::{Snapshot, deskql, query};
use predicates::prelude::*;
use tempfile::TempDir;

const INVALID: i32 = 3;
const LOCKED: i32 = 4;
const CONFLICT: i32 = 5;

fn ingest(db: &Path, dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    deskql(db).arg("ingest").arg(dir).args(extra).assert()
}

fn snapshot_ids(db: &Path) -> Vec<String> {
    query(db, "SELECT id FROM deskql_meta.snapshots ORDER BY seq")
}

/// The whole database state that an ingest could touch, as text.
fn fingerprint(db: &Path) -> Vec<String> {
    let mut all = query(db, "SELECT seq || ' ' || id || ' ' || content_hash FROM deskql_meta.snapshots ORDER BY seq");
    for table in ["accounts", "conversations", "threads", "customers"] {
        all.extend(query(db, &format!("SELECT '{table} ' || count(*) || ' ' || coalesce(sum(hash(_from_seq, _to_seq, _hash)), 0) FROM hist.{table}")));
    }
    all
}

/// A bad snapshot is refused with the `expected` texts, and leaves the
/// database as it was: into a database that has a snapshot (whose rows a
/// valid one would be diffed against), and as the first snapshot of a
/// database, new (no file left behind) or emptied by `snapshots drop`.
fn ingest_bad(snapshot: Snapshot, expected: &[&str]) {
    let tmp = TempDir::new().unwrap();
    let good = Snapshot::minimal().write(&tmp.path().join("good"));
    let dir = snapshot.write(&tmp.path().join("bad"));
    let refused = |db: &Path| {
        let mut assert = ingest(db, &dir, &[]).code(INVALID).stderr(predicate::str::contains("the database was not changed"));
        for text in expected {
            assert = assert.stderr(predicate::str::contains(*text));
        }
    };

    let db = tmp.path().join("t.duckdb");
    ingest(&db, &good, &["--snapshot", "good"]).success();
    let before = fingerprint(&db);
    refused(&db);
    assert_eq!(fingerprint(&db), before, "a refused snapshot must leave the database exactly as it was");

    let new_db = tmp.path().join("new.duckdb");
    refused(&new_db);
    assert!(!new_db.exists(), "a refused first snapshot leaves no database behind");

    let emptied = tmp.path().join("emptied.duckdb");
    ingest(&emptied, &good, &["--snapshot", "good"]).success();
    deskql(&emptied).args(["snapshots", "drop", "good"]).assert().success();
    let before = fingerprint(&emptied);
    refused(&emptied);
    assert_eq!(fingerprint(&emptied), before, "a refused first snapshot leaves an existing database exactly as it was");
}

#[test]
fn a_valid_snapshot_is_ingested_and_listed() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let dir = Snapshot::minimal().write(&tmp.path().join("s1"));
    deskql(&db).args(["ingest", "--json", "--snapshot", "first", "--as-of", "2025-04-01"]).arg(&dir).assert().success().stdout(
        predicate::str::contains("\"status\": \"ingested\"").and(predicate::str::contains("\"snapshot\": \"first\"")),
    );
    assert_eq!(snapshot_ids(&db), vec!["first"]);
    assert_eq!(query(&db, "SELECT count(*) FROM conversations"), vec!["2"]);
    assert_eq!(query(&db, "SELECT CAST(taken_at AS VARCHAR) FROM deskql_meta.snapshots"), vec!["2025-04-01 00:00:00"]);
    deskql(&db).args(["snapshots"]).assert().success().stdout(predicate::str::contains("first"));
}

#[test]
fn missing_mandatory_table_is_refused() {
    ingest_bad(Snapshot::minimal().without("threads"), &["threads: missing mandatory table", "threads.parquet"]);
}

#[test]
fn missing_column_names_file_column_and_expected_type() {
    let conversations = crate::fixture::CONVERSATIONS.replace("SELECT 1::BIGINT AS account_id, *", "SELECT 1::BIGINT AS account_id, * EXCLUDE (channel)");
    ingest_bad(Snapshot::minimal().with("conversations", &conversations), &["conversations.channel: missing column", "conversations.parquet", "expected channel (a string"]);
}

#[test]
fn wrong_type_is_refused() {
    let threads = crate::fixture::THREADS.replace("SELECT 1::BIGINT AS account_id, *", "SELECT 1::BIGINT AS account_id, * REPLACE (created_at IS NULL AS created_at)");
    ingest_bad(Snapshot::minimal().with("threads", &threads), &["threads.created_at: wrong type", "found Boolean", "expected a timestamp"]);
}

#[test]
fn uncastable_value_names_row_key_and_value() {
    let customers = "SELECT 1 AS account_id, * FROM (VALUES ('1000', 'Carla', NULL, TIMESTAMP '2024-02-01'), ('10O1', 'Dan', NULL, TIMESTAMP '2024-02-01')) t(customer_id, name, email, created_at)";
    ingest_bad(Snapshot::minimal().with("customers", customers), &["customers.customer_id: 1 value(s) cannot be read as BIGINT", "row 2 of", "\"10O1\""]);
}

#[test]
fn null_in_key_column_is_refused() {
    let inboxes = "SELECT 1::BIGINT AS account_id, * FROM (VALUES (10::BIGINT, 'Support', TIMESTAMP '2024-01-01'), (NULL, 'Sales', TIMESTAMP '2024-01-01')) t(inbox_id, name, created_at)";
    ingest_bad(Snapshot::minimal().with("inboxes", inboxes), &["inboxes.inbox_id: 1 NULL(s) in key column", "row 2 of"]);
}

#[test]
fn unknown_enum_value_is_refused_with_the_accepted_values() {
    let conversations = crate::fixture::CONVERSATIONS.replace("'chat'", "'sms'");
    ingest_bad(Snapshot::minimal().with("conversations", &conversations), &["conversations.channel", "unknown values [sms]", "conversation_id=5001", "expected one of 'email', 'chat', 'phone'"]);
}

#[test]
fn duplicate_primary_key_is_refused() {
    let threads = crate::fixture::THREADS.replace("(4, 5001,", "(3, 5001,");
    ingest_bad(Snapshot::minimal().with("threads", &threads), &["threads: 1 duplicated primary key(s) (account_id, thread_id)", "thread_id=3", "at rows 3, 4;"]);
}

#[test]
fn unknown_time_zone_is_refused() {
    let accounts = crate::fixture::ACCOUNTS.replace("Europe/Paris", "Europe/Pariss");
    ingest_bad(Snapshot::minimal().with("accounts", &accounts), &["accounts.timezone", "unknown time zone", "Europe/Pariss"]);
}

#[test]
fn a_file_that_is_not_parquet_is_refused_by_name() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let dir = Snapshot::minimal().write(&tmp.path().join("s"));
    std::fs::write(dir.join("users.parquet"), b"user_id,name\n1,Ann\n").unwrap();
    ingest(&db, &dir, &[]).code(INVALID).stderr(predicate::str::contains("users.parquet is not a readable Parquet file"));
    assert!(query_snapshots_or_empty(&db).is_empty());
}

#[test]
fn a_truncated_parquet_file_is_refused_by_name() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let dir = Snapshot::minimal().write(&tmp.path().join("s"));
    let path = dir.join("threads.parquet");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    ingest(&db, &dir, &[]).code(INVALID).stderr(predicate::str::contains("threads.parquet is not a readable Parquet file"));
}

fn query_snapshots_or_empty(db: &Path) -> Vec<String> {
    if db.exists() { snapshot_ids(db) } else { Vec::new() }
}

#[test]
fn orphan_references_are_warnings_with_counts() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let threads = format!("{} UNION ALL SELECT 1, 9, 7777, 'note', 'user', 100, TIMESTAMP '2025-04-01', 'nochange', NULL", crate::fixture::THREADS);
    let dir = Snapshot::minimal().with("threads", &threads).write(&tmp.path().join("s"));
    ingest(&db, &dir, &[]).success().stderr(predicate::str::contains("warning: threads.account_id,conversation_id: 1 row(s) refer to a missing conversations row (e.g. account_id=1, conversation_id=7777)"));
}

#[test]
fn tz_aware_and_naive_timestamps_are_both_stored_as_utc() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    // 02:30+02:00 is 00:30 UTC.
    let conversations = crate::fixture::CONVERSATIONS.replace("TIMESTAMP '2025-03-30 00:30:00'", "TIMESTAMPTZ '2025-03-30 02:30:00+02:00'");
    let dir = Snapshot::minimal().with("conversations", &conversations).write(&tmp.path().join("s"));
    ingest(&db, &dir, &[]).success();
    assert_eq!(query(&db, "SELECT CAST(created_at AS VARCHAR) FROM conversations WHERE conversation_id = 5000"), vec!["2025-03-30 00:30:00"]);
    assert_eq!(query(&db, "SELECT typeof(created_at) FROM conversations LIMIT 1"), vec!["TIMESTAMP"]);
}

#[test]
fn ingesting_identical_content_again_is_a_no_op() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let dir = Snapshot::minimal().write(&tmp.path().join("s"));
    ingest(&db, &dir, &[]).success();
    let before = fingerprint(&db);
    deskql(&db).args(["ingest", "--json"]).arg(&dir).assert().success().stdout(predicate::str::contains("\"status\": \"unchanged\""));
    assert_eq!(fingerprint(&db), before);
    assert_eq!(snapshot_ids(&db).len(), 1);
}

#[test]
fn same_snapshot_id_with_other_content_needs_replace() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let first = Snapshot::minimal().write(&tmp.path().join("a"));
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    ingest(&db, &first, &["--snapshot", "day1"]).success();
    ingest(&db, &second, &["--snapshot", "day1"]).code(CONFLICT).stderr(predicate::str::contains("exists with different content; pass --replace"));
    assert_eq!(query(&db, "SELECT name FROM customers WHERE customer_id = 1001"), vec!["Dan"]);
    ingest(&db, &second, &["--snapshot", "day1", "--replace"]).success();
    assert_eq!(snapshot_ids(&db), vec!["day1"]);
    assert_eq!(query(&db, "SELECT name FROM customers WHERE customer_id = 1001"), vec!["Daniel"]);
    assert_eq!(query(&db, "SELECT count(*) FROM hist.customers"), vec!["2"], "the replaced version is gone, not kept as history");
}

#[test]
fn full_mode_closes_absent_rows_and_incremental_keeps_them() {
    let tmp = TempDir::new().unwrap();
    let only_first = crate::fixture::CONVERSATIONS.replace("SELECT 1::BIGINT AS account_id, *", "SELECT 1::BIGINT AS account_id, *") + " WHERE conversation_id = 5000";
    let first = Snapshot::minimal().write(&tmp.path().join("a"));
    let second = Snapshot::minimal().with("conversations", &only_first).write(&tmp.path().join("b"));
    for (mode, expected) in [("full", "5000"), ("incremental", "5000,5001")] {
        let db = tmp.path().join(format!("{mode}.duckdb"));
        ingest(&db, &first, &["--snapshot", "s1"]).success();
        ingest(&db, &second, &["--snapshot", "s2", "--mode", mode]).success();
        assert_eq!(query(&db, "SELECT string_agg(conversation_id, ',' ORDER BY conversation_id) FROM conversations"), vec![expected], "{mode}");
        assert_eq!(query(&db, "SELECT string_agg(conversation_id, ',' ORDER BY conversation_id) FROM conversations_at(1)"), vec!["5000,5001"], "{mode}");
    }
}

#[test]
fn as_of_queries_see_each_snapshot_and_unchanged_rows_are_stored_once() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let first = Snapshot::minimal().write(&tmp.path().join("a"));
    let closed = crate::fixture::CONVERSATIONS.replace("'active', 'published', TIMESTAMP '2025-03-31 09:00:00', 'customer', 1001, NULL, NULL, NULL", "'closed', 'published', TIMESTAMP '2025-03-31 09:00:00', 'customer', 1001, 100, TIMESTAMP '2025-04-02 10:00:00', 100");
    let second = Snapshot::minimal().with("conversations", &closed).write(&tmp.path().join("b"));
    ingest(&db, &first, &["--snapshot", "s1"]).success();
    deskql(&db).args(["ingest", "--json", "--snapshot", "s2"]).arg(&second).assert().success().stdout(predicate::str::contains("\"updated\": 1"));
    assert_eq!(query(&db, "SELECT status FROM conversations_at(1) WHERE conversation_id = 5001"), vec!["active"]);
    assert_eq!(query(&db, "SELECT status FROM conversations_at(2) WHERE conversation_id = 5001"), vec!["closed"]);
    assert_eq!(query(&db, "SELECT status FROM conversations_at(NULL) WHERE conversation_id = 5001"), vec!["closed"]);
    assert_eq!(query(&db, "SELECT status FROM conversations WHERE conversation_id = 5001"), vec!["closed"], "the view defaults to the latest");
    // Pinning the session pins every contract view.
    let conn = duckdb::Connection::open(&db).unwrap();
    let status = |conn: &duckdb::Connection| -> String { conn.query_row("SELECT status FROM conversations WHERE conversation_id = 5001", [], |r| r.get(0)).unwrap() };
    conn.execute_batch("SET VARIABLE deskql_snapshot = 1").unwrap();
    assert_eq!(status(&conn), "active");
    conn.execute_batch("RESET VARIABLE deskql_snapshot").unwrap();
    assert_eq!(status(&conn), "closed");
    drop(conn);
    assert_eq!(query(&db, "SELECT count(*) FROM hist.conversations"), vec!["3"], "2 versions of 5001, 1 of the unchanged 5000");
    assert_eq!(query(&db, "SELECT count(*) FROM hist.threads"), vec!["4"], "unchanged threads are not stored again");
}

#[test]
fn dropping_a_snapshot_keeps_the_others_states() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let names = ["'Dan'", "'Daniel'", "'Danny'"];
    for (i, name) in names.iter().enumerate() {
        let dir = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", name)).write(&tmp.path().join(format!("s{i}")));
        ingest(&db, &dir, &["--snapshot", &format!("s{i}")]).success();
    }
    deskql(&db).args(["snapshots", "drop", "s1"]).assert().success();
    assert_eq!(query(&db, "SELECT name FROM customers_at(1) WHERE customer_id = 1001"), vec!["Dan"]);
    assert_eq!(query(&db, "SELECT name FROM customers_at(3) WHERE customer_id = 1001"), vec!["Danny"]);
    deskql(&db).args(["snapshots", "prune", "--keep", "1"]).assert().success().stdout(predicate::str::contains("pruned 1 snapshot(s), kept 1"));
    assert_eq!(snapshot_ids(&db), vec!["s2"]);
    assert_eq!(query(&db, "SELECT name FROM customers WHERE customer_id = 1001"), vec!["Danny"]);
    assert_eq!(query(&db, "SELECT count(*) FROM hist.customers"), vec!["2"]);
    deskql(&db).args(["snapshots", "drop", "nope"]).assert().failure().stderr(predicate::str::contains("no snapshot with id \"nope\"; known snapshots: s2"));
}

/// An ingest of `dir` that pauses `ms` milliseconds with its transaction
/// open, returned once it has staged and applied everything and sits before
/// COMMIT (the test hook has said so on stderr).
fn ingest_paused_before_commit(db: &Path, dir: &Path, ms: u64) -> (std::process::Child, std::io::BufReader<std::process::ChildStderr>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("deskql"))
        .arg("--db").arg(db).arg("ingest").arg(dir)
        .env("DESKQL_TEST_PAUSE_BEFORE_COMMIT_MS", ms.to_string())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert!(line.contains("pausing"), "{line}");
    (child, stderr)
}

#[test]
fn a_kill_during_ingest_leaves_the_database_as_before() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &["--snapshot", "s1"]).success();
    let before = fingerprint(&db);
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    let (mut child, _stderr) = ingest_paused_before_commit(&db, &second, 60_000);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(fingerprint(&db), before);
    assert_eq!(query(&db, "SELECT name FROM customers WHERE customer_id = 1001"), vec!["Dan"]);
    // And the database is still writable afterwards.
    ingest(&db, &second, &["--snapshot", "s2"]).success();
}

#[test]
fn an_input_file_changed_during_the_ingest_is_refused_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &["--snapshot", "s1"]).success();
    let before = fingerprint(&db);
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    let (mut child, mut stderr) = ingest_paused_before_commit(&db, &second, 1500);
    // The export is rewritten while the ingest has read it but not committed.
    Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Dana'")).write(&tmp.path().join("b"));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(!child.wait().unwrap().success());
    assert!(rest.contains(".parquet changed during the ingest") && rest.contains("nothing was ingested"), "{rest}");
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_second_writer_waits_then_fails_clearly_or_succeeds_once_the_lock_is_free() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &[]).success();
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    let holder = duckdb::Connection::open(&db).unwrap();
    ingest(&db, &second, &["--wait", "1"]).code(LOCKED).stderr(predicate::str::contains("is locked by another process").and(predicate::str::contains("--wait")));
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(holder);
    });
    ingest(&db, &second, &["--wait", "30"]).success();
    release.join().unwrap();
    assert_eq!(query(&db, "SELECT name FROM customers WHERE customer_id = 1001"), vec!["Daniel"]);
}

#[test]
fn optional_tables_may_be_absent_and_part_folders_are_read() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let dir = Snapshot::minimal().without("threads").write(&tmp.path().join("s"));
    let parts = Snapshot { tables: vec![
        ("part-0".into(), format!("SELECT * FROM ({}) WHERE thread_id <= 2", crate::fixture::THREADS)),
        ("part-1".into(), format!("SELECT * FROM ({}) WHERE thread_id > 2", crate::fixture::THREADS)),
    ] };
    parts.write(&dir.join("threads"));
    ingest(&db, &dir, &[]).success();
    assert_eq!(query(&db, "SELECT count(*) FROM threads"), vec!["4"]);
    assert_eq!(query(&db, "SELECT count(*) FROM ratings"), vec!["0"]);
}

/// SHA-256 of a file's bytes.
fn file_sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn unknown_and_missing_optional_columns_are_warnings_or_errors_with_strict() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let users = crate::fixture::USERS.replace("created_at, deleted_at)", "created_at, deletd_at)");
    let conversations = crate::fixture::CONVERSATIONS.replace("closed_by_id, tags)", "closed_by_id, tag)");
    let dir = Snapshot::minimal().with("users", &users).with("conversations", &conversations).write(&tmp.path().join("s"));
    let output = deskql(&db).args(["ingest", "--json", "--as-of", "2025-04-01"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warnings: Vec<String> = summary["warnings"].as_array().unwrap().iter().map(|w| w["message"].as_str().unwrap().to_string()).collect();
    let has = |text: &str| warnings.iter().any(|w| w.contains(text));
    assert!(has("users.parquet has a column `deletd_at` that the contract does not know: it is ignored; did you mean `deleted_at`?"), "{warnings:?}");
    assert!(has("conversations.parquet has a column `tag` that the contract does not know: it is ignored; did you mean `tags`?"), "{warnings:?}");
    assert!(has("users.parquet has no column `deleted_at` (optional)"), "{warnings:?}");
    assert!(has("conversations.parquet has no column `tags` (optional)"), "{warnings:?}");
    let strict_db = tmp.path().join("strict.duckdb");
    deskql(&strict_db)
        .args(["ingest", "--strict", "--as-of", "2025-04-01"])
        .arg(&dir)
        .assert()
        .code(INVALID)
        .stderr(predicate::str::contains("did you mean `deleted_at`? (--strict)").and(predicate::str::contains("did you mean `tags`?")));
    assert!(!strict_db.exists(), "a refused first ingest leaves no database file behind");
}

/// Rewrite a Parquet file with one more text column, first, named `name`.
fn prepend_text_column(file: &Path, name: &str, value: &str) {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::ArrowWriter;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap()).unwrap().build().unwrap();
    let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    let old = batches[0].schema();
    let mut fields = vec![Arc::new(Field::new(name, DataType::Utf8, true))];
    fields.extend(old.fields().iter().cloned());
    let schema = Arc::new(Schema::new(fields));
    let mut writer = ArrowWriter::try_new(std::fs::File::create(file).unwrap(), schema.clone(), None).unwrap();
    for batch in batches {
        let extra: ArrayRef = Arc::new(StringArray::from(vec![value; batch.num_rows()]));
        let mut columns = vec![extra];
        columns.extend(batch.columns().iter().cloned());
        writer.write(&RecordBatch::try_new(schema.clone(), columns).unwrap()).unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn odd_column_names_are_ignored_not_read() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    // `filename` and `file_row_number` are the names of DuckDB's own virtual
    // columns; `SUBJECT`, before the real `subject`, differs from it only in case.
    let conversations = format!("SELECT *, 'x.parquet' AS filename, 42 AS file_row_number FROM ({})", crate::fixture::CONVERSATIONS);
    let dir = Snapshot::minimal().with("conversations", &conversations).write(&tmp.path().join("s"));
    prepend_text_column(&dir.join("conversations.parquet"), "SUBJECT", "SHOUTED");
    let output = deskql(&db).args(["ingest", "--json", "--as-of", "2025-04-01"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    for column in ["filename", "file_row_number", "SUBJECT"] {
        assert!(text.contains(&format!("has a column `{column}` that the contract does not know")), "{column}: {text}");
    }
    assert!(text.contains("did you mean `subject`?"), "{text}");
    assert_eq!(query(&db, "SELECT subject FROM conversations ORDER BY conversation_id"), vec!["Hello", "Hi"], "the real subject, not SUBJECT");
    // With the virtual columns hidden, a refused row is still named by its key.
    let broken = format!("SELECT * REPLACE ('sms' AS channel) FROM ({conversations})");
    let dir = Snapshot::minimal().with("conversations", &broken).write(&tmp.path().join("t"));
    ingest(&tmp.path().join("u.duckdb"), &dir, &[]).code(INVALID).stderr(predicate::str::contains("a row of").and(predicate::str::contains("conversation_id=5000")));
}

#[test]
fn going_back_in_time_is_refused_unless_a_backfill() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let first = Snapshot::minimal().write(&tmp.path().join("a"));
    ingest(&db, &first, &["--as-of", "2026-11-01"]).success();
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    let before = file_sha256(&db);
    ingest(&db, &second, &["--as-of", "2020-01-01"])
        .code(INVALID)
        .stderr(predicate::str::contains("the as-of 2020-01-01T00:00:00Z is earlier than the latest snapshot's").and(predicate::str::contains("--backfill")));
    assert_eq!(file_sha256(&db), before, "a refused ingest leaves the file byte-identical");
    let output = deskql(&db).args(["ingest", "--json", "--backfill", "--as-of", "2020-01-01"]).arg(&second).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["as_of_source"], "--as-of");
    // without --as-of the summary says where the as-of came from, and warns
    let third = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Dana'")).write(&tmp.path().join("c"));
    let output = deskql(&db).args(["ingest", "--json"]).arg(&third).output().unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["as_of_source"], "the newest input file's modification time");
    assert!(summary["warnings"].to_string().contains("no --as-of"), "{summary}");
}

#[test]
fn an_empty_mandatory_table_is_refused_in_full_mode() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &["--as-of", "2025-04-01"]).success();
    let empty = Snapshot::minimal()
        .with("conversations", &format!("SELECT * FROM ({}) WHERE false", crate::fixture::CONVERSATIONS))
        .with("threads", &format!("SELECT * FROM ({}) WHERE false", crate::fixture::THREADS))
        .write(&tmp.path().join("b"));
    let before = file_sha256(&db);
    ingest(&db, &empty, &["--as-of", "2025-04-02"])
        .code(INVALID)
        .stderr(predicate::str::contains("conversations.parquet has no rows").and(predicate::str::contains("--allow-empty conversations")));
    assert_eq!(file_sha256(&db), before);
    ingest(&db, &empty, &["--as-of", "2025-04-02", "--allow-empty", "conversations", "--allow-empty", "threads"]).success();
    assert_eq!(query(&db, "SELECT count(*) FROM conversations"), vec!["0"]);
    ingest(&db, &empty, &["--allow-empty", "conversation"]).code(1).stderr(predicate::str::contains("--allow-empty conversation: not a table of the contract"));
}

#[test]
fn instants_outside_the_time_zone_table_are_refused_with_the_row() {
    for (bad, shown) in [("TIMESTAMP '1899-12-31 23:00:00'", "1899-12-31"), ("TIMESTAMP '2200-01-01 00:00:00'", "2200-01-01"), ("TIMESTAMP '0001-01-01 00:00:00'", "0001-01-01"), ("TIMESTAMP '9999-12-31 00:00:00'", "9999-12-31")] {
        let threads = crate::fixture::THREADS.replace("TIMESTAMP '2025-03-30 02:30:00'", bad);
        ingest_bad(Snapshot::minimal().with("threads", &threads), &["threads.created_at: 1 value(s) out of range: first at row 2 of", "thread_id=2", shown]);
    }
}

#[test]
fn glob_characters_in_the_folder_are_taken_literally() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    // A sibling folder that `exports*` would match as a glob, with more rows.
    let literal = Snapshot::minimal().write(&tmp.path().join("exports*"));
    let extra = crate::fixture::CONVERSATIONS.replace("(5001, 2,", "(5002, 3,");
    Snapshot::minimal().with("conversations", &extra).write(&tmp.path().join("exports-other"));
    let output = deskql(&db).args(["ingest", "--json", "--as-of", "2025-04-01"]).arg(&literal).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(query(&db, "SELECT count(*) FROM conversations"), vec!["2"], "only the folder's own files");
}

#[test]
fn a_refused_ingest_leaves_the_file_byte_identical() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &["--as-of", "2025-04-01"]).success();
    let before = file_sha256(&db);
    let bad = Snapshot::minimal().with("accounts", &crate::fixture::ACCOUNTS.replace("Europe/Paris", "Mars/Olympus")).write(&tmp.path().join("b"));
    ingest(&db, &bad, &["--as-of", "2025-04-02"]).code(INVALID);
    assert_eq!(file_sha256(&db), before);
    assert!(!Path::new(&format!("{}.wal", db.display())).exists(), "no write-ahead log left behind");
}

#[test]
fn a_database_from_an_older_deskql_gets_the_new_contract_columns() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &Snapshot::minimal().write(&tmp.path().join("a")), &["--snapshot", "a", "--as-of", "2025-04-01"]).success();
    // Make it look as an older deskql left it: hist.users without `deleted_at`
    // (a column a later contract added), hashes computed without it, and no
    // record of the schema's definition.
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch(
            "ALTER TABLE hist.users DROP COLUMN deleted_at; \
             UPDATE hist.users SET _hash = hash(name, email, role, can_view_reports, created_at); \
             DELETE FROM deskql_meta.schema_state;",
        )
        .unwrap();
    }
    assert_eq!(query(&db, "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'hist' AND table_name = 'users' AND column_name = 'deleted_at'"), vec!["0"]);
    // The next ingest opens it read-write: the column comes back, the hashes
    // cover it, and the unchanged users are not taken for changed ones.
    let second = Snapshot::minimal().with("customers", &crate::fixture::CUSTOMERS.replace("'Dan'", "'Daniel'")).write(&tmp.path().join("b"));
    let output = deskql(&db).args(["ingest", "--json", "--snapshot", "b", "--as-of", "2025-04-02"]).arg(&second).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let users = summary["tables"].as_array().unwrap().iter().find(|t| t["table"] == "users").unwrap();
    assert_eq!((users["inserted"].as_i64(), users["updated"].as_i64(), users["deleted"].as_i64()), (Some(0), Some(0), Some(0)), "{users}");
    let customers = summary["tables"].as_array().unwrap().iter().find(|t| t["table"] == "customers").unwrap();
    assert_eq!(customers["updated"], 1);
    assert_eq!(query(&db, "SELECT count(*) FROM users WHERE deleted_at IS NULL"), vec!["2"]);
    assert_eq!(query(&db, "SELECT count(*) FROM deskql_meta.schema_state"), vec!["1"], "the definition is recorded again");
}
