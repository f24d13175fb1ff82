//! The definitions library 1.3.0 brought in line with the seeds (the Help
//! Scout and Helpshift texts in `shared/seeds/`), each against 1.2.0's on
//! the hand-made snapshot of `fixture/seed.rs`: the same report computed
//! with both versions side by side (`audit run --library`, which installs
//! the older one in its own schema), old and new figures pinned next to each
//! other, as `sql/library/CHANGELOG.md` lists them.

use std::path::{Path, PathBuf};

use crate::fixture::{deskql, seed, stdout};
use serde_json::Value;
use tempfile::TempDir;

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];
const NOVEMBER: [&str; 4] = ["--from", "2025-11-01", "--to", "2025-12-01"];

fn seed_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("seed.duckdb");
    let dir = seed::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

/// The report `args` computed with library `version`: the document an
/// audit records.
fn with_library(db: &Path, version: &str, args: &[&str]) -> Value {
    let output = deskql(db).args(["audit", "run"]).args(args).args(["--library", version, "--out", "-"]).output().unwrap();
    assert!(output.status.success(), "{args:?} with {version}: {}", String::from_utf8_lossy(&output.stderr));
    let record: Value = serde_json::from_slice(&output.stdout).unwrap();
    record["result"].clone()
}

/// Old (1.2.0) and new (1.3.0) documents of the same report.
fn old_and_new(db: &Path, args: &[&str]) -> (Value, Value) {
    (with_library(db, "1.2.0", args), with_library(db, "1.3.0", args))
}

fn card<'a>(doc: &'a Value, key: &str) -> &'a Value {
    let (section, metric) = key.split_once('/').unwrap();
    doc["cards"].as_array().unwrap().iter().find(|c| c["section"] == section && c["metric"] == metric).unwrap_or_else(|| panic!("no card {key}"))
}

fn value(doc: &Value, key: &str) -> Option<f64> {
    card(doc, key)["value"].as_f64()
}

/// Audit records round figures to 6 decimals.
fn assert_close(got: Option<f64>, expected: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no value"));
    assert!((got - expected).abs() < 1e-6, "{what}: got {got}, expected {expected}");
}

fn numbers(doc: &Value, table: &str, column: &str) -> Vec<i64> {
    let table = doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == table).unwrap_or_else(|| panic!("no table {table}"));
    table["rows"].as_array().unwrap().iter().map(|r| r[column].as_i64().unwrap()).collect()
}

#[test]
fn the_conversation_history_needs_activity_by_a_user_or_a_workflow() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &[&["user", "--account", "1", "--user", "Bob"], &OCTOBER[..]].concat());
    // 1.2.0: any thread in October on a conversation Bob touched at any time
    assert_eq!(value(&old, "all/total_conversations"), Some(6.0));
    assert_eq!(numbers(&old, "conversations", "number"), [4, 3, 2, 1, 6, 5]);
    // 1.3.0: #1 had a customer message only, #2 a bot's reply only; Bob first touched #5 on 3 November
    assert_eq!(value(&new, "all/total_conversations"), Some(3.0));
    assert_eq!(numbers(&new, "conversations", "number"), [4, 3, 6], "a workflow's line item (#3) and Ann's reply (#4) count");
}

#[test]
fn the_busiest_day_and_hour_are_averages_per_occurrence() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    // six new conversations on October's five Wednesdays (1.2), five on its four Mondays (1.25)
    assert_eq!(value(&old, "all/busiest_day"), Some(3.0));
    assert_eq!(value(&new, "all/busiest_day"), Some(1.0));
    // two at local 02:30 on 26 October (CEST and CET: local hour 2 happens 32 times in October), two at 09:xx (31 times)
    assert_eq!(value(&old, "all/busiest_hour"), Some(2.0), "a tie by count goes to the earlier hour");
    assert_eq!(value(&new, "all/busiest_hour"), Some(9.0));
    assert_eq!(value(&new, "all/new_conversations"), Some(19.0));
}

#[test]
fn per_day_rates_divide_by_the_days_up_to_the_as_of_time() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    // as of 15 November 00:00 UTC = 01:00 CET: 14 days and 1 hour of November are known; Bob's one reply is on 3 November
    let known_days = 14.0 + 1.0 / 24.0;
    let (old, new) = old_and_new(&db, &[&["company", "--account", "1"], &NOVEMBER[..]].concat());
    assert_close(value(&old, "all/replies_per_day"), 1.0 / 30.0, "1.2.0 replies per day");
    assert_close(value(&new, "all/replies_per_day"), 1.0 / known_days, "1.3.0 replies per day");
    assert!(new["header"]["notes"].to_string().contains("data until 2025-11-15T00:00:00Z"), "{}", new["header"]["notes"]);
    let (old, new) = old_and_new(&db, &[&["user", "--account", "1", "--user", "101"], &NOVEMBER[..]].concat());
    assert_close(value(&old, "all/handled_per_day"), 1.0 / 30.0, "1.2.0 conversations per day");
    assert_close(value(&new, "all/handled_per_day"), 1.0 / known_days, "1.3.0 conversations per day");
    // a period before the as-of time keeps its days
    let (_, october) = old_and_new(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    assert_close(value(&october, "all/conversations_per_day"), 19.0 / 31.0, "October");
}

#[test]
fn usage_time_to_resolve_counts_the_conversations_customers_started() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &["usage", "--account", "1", "--month", "2025-10"]);
    // 7041 (started by Ann, closed after 7200 s) and 7042 (3600 s)
    assert_eq!(value(&old, "performance/time_to_resolve"), Some(5400.0));
    assert_eq!(value(&new, "performance/time_to_resolve"), Some(3600.0));
}

#[test]
fn usage_issues_are_resolved_or_rejected_by_users_bots_or_workflows() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &["usage", "--account", "1", "--month", "2025-10"]);
    // 7043 was closed, 7045 rejected, by their customers
    assert_eq!((value(&old, "usage/issues_resolved"), value(&old, "usage/issues_rejected")), (Some(3.0), Some(2.0)));
    assert_eq!((value(&new, "usage/issues_resolved"), value(&new, "usage/issues_rejected")), (Some(2.0), Some(1.0)));
}

#[test]
fn the_usage_benchmark_leaves_the_account_out_and_says_how_many_it_averages() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &["usage", "--account", "1", "--month", "2025-10"]);
    // CSAT: Acme 4, Beta 2, Gamma 5 stars
    assert_close(card(&old, "performance/csat")["benchmark"].as_f64(), 11.0 / 3.0, "1.2.0: every account");
    assert_close(card(&new, "performance/csat")["benchmark"].as_f64(), 3.5, "1.3.0: the other accounts");
    assert_close(card(&new, "performance/csat")["difference"].as_f64(), 0.5, "difference");
    assert_eq!(card(&new, "performance/csat")["benchmark_accounts"], 2);
    assert_eq!(card(&old, "performance/csat").get("benchmark_accounts").cloned().unwrap_or(Value::Null), Value::Null);
    let note = |doc: &Value| doc["header"]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).find(|n| n.starts_with("benchmark:")).unwrap();
    assert!(note(&old).contains("every account"), "{}", note(&old));
    assert!(note(&new).contains("the other accounts") && note(&new).contains("CSAT 2"), "{}", note(&new));
    // Beta's benchmark is Acme's and Gamma's
    let beta = with_library(&db, "1.3.0", &["usage", "--account", "2", "--month", "2025-10"]);
    assert_close(card(&beta, "performance/csat")["benchmark"].as_f64(), 4.5, "Beta");
}

#[test]
fn predict_accuracy_is_per_label_over_resolved_or_rejected_conversations() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let (old, new) = old_and_new(&db, &["usage", "--account", "1", "--month", "2025-10"]);
    // 1.2.0: conversations closed now: 7042, with an inaccurate label
    assert_eq!(value(&old, "predict/accuracy"), Some(0.0));
    // 1.3.0: labels on closed or rejected conversations: 7042 (one of two inaccurate), 7044 (rejected, accurate)
    assert_close(value(&new, "predict/accuracy"), 200.0 / 3.0, "1.3.0 accuracy");
    assert_eq!(value(&old, "predict/issues_labeled"), value(&new, "predict/issues_labeled"), "still conversations");
}

#[test]
fn a_change_from_zero_is_new() {
    let tmp = TempDir::new().unwrap();
    let db = seed_db(&tmp);
    let args = [&["company", "--account", "1", "--compare"], &OCTOBER[..]].concat();
    let (old, new) = old_and_new(&db, &args);
    // nothing was resolved in September, three conversations in October
    for doc in [&old, &new] {
        let resolved = card(doc, "all/resolved");
        assert_eq!((resolved["value"].as_f64(), resolved["previous"].as_f64(), resolved["change"].clone()), (Some(3.0), Some(0.0), Value::Null));
    }
    assert_eq!(card(&old, "all/resolved").get("change_note").cloned().unwrap_or(Value::Null), Value::Null);
    assert_eq!(card(&new, "all/resolved")["change_note"], "no previous value");
    assert_eq!(card(&new, "chat/chats")["change_note"], "no change", "no chat then nor now");
    let text = stdout(&db, &[&["report"], &args[..]].concat());
    let line = text.lines().find(|l| l.contains("Resolved ")).unwrap();
    assert!(line.contains("new"), "{line}");
}
