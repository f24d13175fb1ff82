//! The Usage report's stored figures (library 1.4.0, issue 15): every
//! account's figures of a month are computed by the first report that needs
//! them and stored (`deskql_meta.usage_figures`); later reports read them.
//! These tests hold the store to the figures recomputed from the base
//! tables (the library's plain-SQL `metrics.usage`, and audits), on every
//! account and month of the usage fixture, with and without office hours
//! and with another deflection window; and check when a set is written,
//! that a report which cannot write still answers, that a dropped snapshot
//! takes its sets along, and that an audit never reads the store.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::fixture::{deskql, office, query, stdout};

const AS_OF: &str = "2025-11-15";

/// The usage fixture with office hours for two of its three accounts.
fn db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("usage.duckdb");
    let dir = office::usage().write(&tmp.path().join("snapshot"));
    deskql(&db).args(["ingest", "--snapshot", "u", "--as-of", AS_OF]).arg(&dir).assert().success();
    db
}

fn report(db: &Path, args: &[&str]) -> (Value, String) {
    let output = deskql(db).args(["report", "usage", "--format", "json"]).args(args).output().unwrap();
    assert!(output.status.success(), "report usage {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    (serde_json::from_slice(&output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).to_string())
}

fn stored_sets(db: &Path) -> Vec<String> {
    query(db, "SELECT snapshot_seq || ' ' || month_start || ' ' || deflection_window || ' ' || office_hours || ' ' || accounts \
               FROM deskql_meta.usage_figure_sets ORDER BY ALL")
}

/// The cards as `metric value benchmark difference accounts`, numbers
/// rounded to 6 decimals (as audits round them) (the two paths sum in a different order).
fn card_lines(doc: &Value) -> Vec<String> {
    let number = |v: &Value| v.as_f64().map_or("NULL".to_string(), |x| format!("{:.6}", x));
    doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}/{} {} {} {} {}",
                c["section"].as_str().unwrap(),
                c["metric"].as_str().unwrap(),
                number(&c["value"]),
                number(&c["benchmark"]),
                number(&c["difference"]),
                c["benchmark_accounts"]
            )
        })
        .collect()
}

/// The same lines from the library's `metrics.usage`, which computes every
/// figure from the base tables in plain SQL (`extra`: more named arguments).
fn recomputed_lines(db: &Path, account: i64, month: &str, window: i64, office_hours: bool, extra: &str) -> Vec<String> {
    query(
        db,
        &format!(
            "SELECT section || '/' || metric || ' ' || coalesce(printf('%.6f', value), 'NULL') || ' ' || coalesce(printf('%.6f', benchmark), 'NULL') \
             || ' ' || coalesce(printf('%.6f', difference), 'NULL') || ' ' || coalesce(CAST(benchmark_accounts AS VARCHAR), 'null') \
             FROM metrics.usage({account}, DATE '{month}-01', deflection_window := {window}, office_hours := {office_hours}{extra}) ORDER BY ordinal"
        ),
    )
}

#[test]
fn stored_figures_are_the_recomputed_ones_on_every_account_and_month() {
    let tmp = TempDir::new().unwrap();
    let db = db(&tmp);
    let variants: [(&[&str], i64, bool); 3] = [(&[], 86400, false), (&["--office-hours"], 86400, true), (&["--deflection-window", "90m"], 5400, false)];
    let mut compared = 0;
    for month in ["2025-09", "2025-10", "2025-11"] {
        for (options, window, office_hours) in variants {
            for account in [1, 2, 3] {
                let account_text = account.to_string();
                let args = [&["--account", account_text.as_str(), "--month", month][..], options].concat();
                let (first, _) = report(&db, &args);
                let (again, _) = report(&db, &args);
                assert_eq!(first, again, "the stored figures give the report that computed them: {args:?}");
                let expected = recomputed_lines(&db, account, month, window, office_hours, "");
                assert_eq!(card_lines(&first), expected, "{args:?}");
                compared += 1;
            }
            // the stored rows are every account's `metrics.usage_figures`, no more, no less
            let differing = query(
                &db,
                &format!(
                    "WITH stored AS (SELECT account_id, section, metric, value FROM deskql_meta.usage_figures \
                                     WHERE month_start = DATE '{month}-01' AND deflection_window = {window} AND office_hours = {office_hours}), \
                          fresh AS (SELECT account_id, section, metric, value FROM metrics.usage_figures(DATE '{month}-01', \
                                     deflection_window := {window}, office_hours := {office_hours})) \
                     SELECT count(*) FROM ((SELECT * FROM stored EXCEPT ALL SELECT * FROM fresh) UNION ALL (SELECT * FROM fresh EXCEPT ALL SELECT * FROM stored))"
                ),
            );
            assert_eq!(differing, ["0"], "{month} {options:?}");
        }
    }
    assert_eq!(compared, 27);
    assert_eq!(stored_sets(&db).len(), 9, "one set per month and variant: {:?}", stored_sets(&db));
}

#[test]
fn the_first_report_of_a_month_stores_every_accounts_figures_once() {
    let tmp = TempDir::new().unwrap();
    let db = db(&tmp);
    assert!(stored_sets(&db).is_empty());
    report(&db, &["--account", "1", "--month", "2025-10"]);
    assert_eq!(stored_sets(&db), ["1 2025-10-01 86400 false 3"]);
    // another account of the same month reads the same set
    report(&db, &["--account", "2", "--month", "2025-10"]);
    assert_eq!(stored_sets(&db), ["1 2025-10-01 86400 false 3"]);
    // --tz puts the account's own figures in another zone; the benchmark's are the stored ones
    let (tokyo, _) = report(&db, &["--account", "1", "--month", "2025-10", "--tz", "Asia/Tokyo"]);
    assert_eq!(stored_sets(&db), ["1 2025-10-01 86400 false 3"]);
    assert_eq!(card_lines(&tokyo), recomputed_lines(&db, 1, "2025-10", 86400, false, ", zone := 'Asia/Tokyo'"));
    report(&db, &["--account", "1", "--month", "2025-09", "--deflection-window", "1h"]);
    assert_eq!(stored_sets(&db), ["1 2025-09-01 3600 false 3", "1 2025-10-01 86400 false 3"]);
    // a refused report writes nothing
    deskql(&db).args(["report", "usage", "--account", "1", "--month", "2026-01"]).assert().failure();
    assert_eq!(stored_sets(&db).len(), 2);
    // the SQL that computed them is replaced: they go with it
    crate::fixture::use_library(&db, "1.3.0");
    assert!(stored_sets(&db).is_empty(), "{:?}", stored_sets(&db));
}

#[test]
fn a_report_that_cannot_write_computes_the_figures_itself() {
    let tmp = TempDir::new().unwrap();
    let db = db(&tmp);
    let (expected, _) = report(&db, &["--account", "3", "--month", "2025-10"]);
    deskql(&db).args(["sql", "--write", "DELETE FROM deskql_meta.usage_figures; DELETE FROM deskql_meta.usage_figure_sets"]).assert().success();
    // another process reading the file (a shared lock): the report can open
    // it read-only, but not take the writer's lock to store its figures
    let config = duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).unwrap();
    let reader = duckdb::Connection::open_with_flags(&db, config).unwrap();
    let output = deskql(&db).args(["report", "usage", "--account", "3", "--month", "2025-10", "--format", "json"]).output();
    drop(reader);
    let output = output.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("note: the usage figures of every account for 2025-10-01 were not stored") && stderr.contains("locked"), "{stderr}");
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc, expected);
    assert!(stored_sets(&db).is_empty());
}

#[test]
fn a_dropped_snapshot_takes_its_stored_figures_along() {
    let tmp = TempDir::new().unwrap();
    let db = db(&tmp);
    let (first, _) = report(&db, &["--account", "1", "--month", "2025-10"]);
    // a second snapshot in which Acme's October changed: one more customer conversation
    let changed = office::usage().with(
        "conversations",
        &format!(
            "SELECT * FROM read_parquet('{}') UNION ALL SELECT * REPLACE (conversation_id + 900000 AS conversation_id, number + 900000 AS number) \
             FROM read_parquet('{}') WHERE account_id = 1 AND created_at >= '2025-10-01' AND created_at < '2025-10-31' LIMIT 1",
            tmp.path().join("snapshot/conversations.parquet").display(),
            tmp.path().join("snapshot/conversations.parquet").display()
        ),
    );
    let dir = changed.write(&tmp.path().join("snapshot-2"));
    deskql(&db).args(["ingest", "--snapshot", "v", "--as-of", "2025-11-16"]).arg(&dir).assert().success();
    let (second, _) = report(&db, &["--account", "1", "--month", "2025-10"]);
    assert_ne!(card_lines(&first), card_lines(&second), "the new snapshot changes Acme's October");
    assert_eq!(stored_sets(&db), ["1 2025-10-01 86400 false 3", "2 2025-10-01 86400 false 3"]);
    deskql(&db).args(["snapshots", "drop", "v"]).assert().success();
    assert_eq!(stored_sets(&db), ["1 2025-10-01 86400 false 3"]);
    // the sequence number 2 is given again, to a snapshot without the change
    let dir = office::usage().write(&tmp.path().join("snapshot-3"));
    deskql(&db).args(["ingest", "--snapshot", "w", "--as-of", "2025-11-17"]).arg(&dir).assert().success();
    let (third, _) = report(&db, &["--account", "1", "--month", "2025-10"]);
    assert_eq!(card_lines(&third), card_lines(&first));
    assert_eq!(card_lines(&third), recomputed_lines(&db, 1, "2025-10", 86400, false, ""));
}

#[test]
fn an_audit_recomputes_from_the_base_tables_and_never_reads_the_store() {
    let tmp = TempDir::new().unwrap();
    let db = db(&tmp);
    let args = ["--account", "2", "--month", "2025-10"];
    let (honest, _) = report(&db, &args);
    // a forged stored figure shows in the report (the store is trusted
    // derived data, like an index) ...
    deskql(&db)
        .args(["sql", "--write", "UPDATE deskql_meta.usage_figures SET value = value + 1000 WHERE account_id = 2 AND metric = 'time_to_first_response'"])
        .assert()
        .success();
    let (forged, _) = report(&db, &args);
    assert_ne!(card_lines(&forged), card_lines(&honest));
    // ... but not in an audit, which recomputes: its figures are the honest ones
    let record = tmp.path().join("audit.json");
    deskql(&db).args(["audit", "run", "usage"]).args(args).arg("--out").arg(&record).assert().success();
    let audit: Value = serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let audited = serde_json::json!({ "cards": audit["result"]["cards"].clone() });
    assert_eq!(card_lines(&audited), card_lines(&honest));
    let verified = stdout(&db, &["audit", "verify", record.to_str().unwrap()]);
    assert!(verified.contains("verified: identical"), "{verified}");
}
