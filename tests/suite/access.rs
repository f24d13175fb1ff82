//! The seed's rules on who sees what: `--as-user` limits every figure to the
//! inboxes that user can access (owners and admins: all), and is refused
//! without the reports permission; standard plans report on the last two
//! years only, plus and pro plans on the account's lifetime.



use std::path::{Path, PathBuf};

use crate::fixture::{deskql, golden};
use serde_json::Value;
use tempfile::TempDir;

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];

fn golden_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    let dir = golden::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

fn report(db: &Path, args: &[&str]) -> Value {
    let output = deskql(db).arg("report").args(args).args(OCTOBER).args(["--format", "json"]).output().unwrap();
    assert!(output.status.success(), "report {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn refused(db: &Path, args: &[&str]) -> String {
    let output = deskql(db).arg("report").args(args).output().unwrap();
    assert!(!output.status.success(), "report {args:?} should be refused");
    assert!(output.stdout.is_empty(), "a refused report prints nothing on stdout");
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// The figures of a report, without the header (which names the viewer).
fn figures(doc: &Value) -> (Value, Value) {
    (doc["cards"].clone(), doc["tables"].clone())
}

#[test]
fn a_restricted_viewer_sees_exactly_their_inboxes() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    for kind in [&["company"][..], &["happiness"], &["user", "--user", "100"], &["team", "--team", "1"]] {
        let base = [&["--account", "1"], kind].concat();
        let as_bob = report(&db, &[&base[..], &["--as-user", "101"]].concat());
        let inbox_10 = report(&db, &[&base[..], &["--inbox", "10"]].concat());
        assert_eq!(figures(&as_bob), figures(&inbox_10), "{kind:?}: Bob (inbox 10 only) sees inbox 10's figures");
        let everything = report(&db, &base);
        assert_ne!(figures(&as_bob), figures(&everything), "{kind:?}: the golden data has activity in inbox 11");
        // owners and admins see every inbox
        let as_dee = report(&db, &[&base[..], &["--as-user", "dee@acme.test"]].concat());
        assert_eq!(figures(&as_dee), figures(&everything), "{kind:?}: an admin sees all");
    }
}

#[test]
fn nothing_from_another_inbox_leaks_to_a_restricted_viewer() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let as_bob = report(&db, &["company", "--account", "1", "--as-user", "Bob"]);
    let chat = as_bob["cards"].as_array().unwrap().iter().find(|c| c["metric"] == "chats").unwrap();
    assert_eq!(chat["value"], 0.0, "the only chat (5002) is in inbox 11");
    let happiness = report(&db, &["happiness", "--account", "1", "--as-user", "101"]);
    let numbers: Vec<i64> = happiness["tables"][0]["rows"].as_array().unwrap().iter().map(|r| r["conversation_number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![1, 4], "rating 2 is on 5002, in inbox 11");
    let history = report(&db, &["user", "--account", "1", "--user", "101", "--as-user", "101"]);
    let history = history["tables"].as_array().unwrap().iter().find(|t| t["name"] == "conversations").unwrap().clone();
    let numbers: Vec<i64> = history["rows"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![9, 8, 1, 4], "5005 is in inbox 11");
    assert_eq!(as_bob["header"]["viewer"]["name"], "Bob");
}

#[test]
fn viewers_without_the_reports_permission_are_refused() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let base = ["company", "--account", "1", "--from", "2025-10-01", "--to", "2025-11-01"];
    let err = refused(&db, &[&base[..], &["--as-user", "cy@acme.test"]].concat());
    assert!(err.contains("lacks the reports permission"), "{err}");
    let err = refused(&db, &[&base[..], &["--as-user", "104"]].concat());
    assert!(err.contains("deleted"), "{err}");
    let err = refused(&db, &[&base[..], &["--as-user", "nobody"]].concat());
    assert!(err.contains("no user \"nobody\""), "{err}");
    let err = refused(&db, &[&base[..], &["--as-user", "101", "--inbox", "Sales"]].concat());
    assert!(err.contains("cannot access inbox 11"), "{err}");
}

#[test]
fn the_library_itself_refuses_a_viewer_without_permission() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let output = deskql(&db)
        .args(["sql", "SELECT count(*) FROM metrics.company(1, DATE '2025-10-01', DATE '2025-11-01', viewer := 102)"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("lacks the reports permission"));
}

#[test]
fn plan_history_limits_are_refused_or_clamped() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    // Beta is on the standard plan; the snapshot is as of 2025-11-15 00:00 UTC, i.e. 14 November in New York
    let err = refused(&db, &["company", "--account", "Beta", "--from", "2023-11-01", "--to", "2023-12-01"]);
    assert!(err.contains("standard plan") && err.contains("2023-11-14") && err.contains("--clamp"), "{err}");
    let output = deskql(&db)
        .args(["report", "company", "--account", "2", "--from", "2023-11-01", "--to", "2023-12-01", "--clamp", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["header"]["period"]["from"], "2023-11-14");
    assert_eq!(doc["header"]["period"]["days"], 17);
    assert!(doc["header"]["notes"][0].as_str().unwrap().contains("clamped"));
    // two years back exactly is allowed
    deskql(&db).args(["report", "company", "--account", "2", "--from", "2023-11-14", "--to", "2023-12-01"]).assert().success();
    // Acme is on the pro plan: its lifetime, from its creation day (2024-01-01 local)
    let err = refused(&db, &["company", "--account", "1", "--from", "2023-12-01", "--to", "2024-02-01"]);
    assert!(err.contains("pro plan") && err.contains("2024-01-01"), "{err}");
    deskql(&db).args(["report", "company", "--account", "1", "--from", "2024-01-01", "--to", "2024-02-01"]).assert().success();
}

#[test]
fn bad_report_arguments_get_specific_messages() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let cases: &[(&[&str], &str)] = &[
        (&["company", "--account", "9", "--month", "2025-10"], "no account \"9\""),
        (&["company", "--account", "1", "--from", "2025-10-05", "--to", "2025-10-05"], "the period is empty"),
        (&["company", "--account", "1", "--from", "2025-13-01", "--to", "2025-10-05"], "invalid value '2025-13-01' for '--from <DAY>': \"2025-13-01\" is not a date"),
        (&["company", "--account", "1", "--month", "2025-10", "--tz", "Mars/Olympus"], "not a time zone"),
        (&["company", "--account", "1"], "needs a period"),
        (&["user", "--account", "1", "--month", "2025-10"], "needs --user"),
        (&["user", "--account", "1", "--month", "2025-10", "--user", "zed"], "no user \"zed\""),
        (&["company", "--account", "1", "--month", "2025-10", "--inbox", "Nope"], "no inbox \"Nope\""),
        (&["company", "--account", "1", "--month", "2025-10", "--snapshot", "s9"], "no snapshot with id \"s9\""),
        (&["company", "--account", "1", "--month", "2025-10", "--user", "101"], "--user and --team apply to"),
    ];
    for (args, expected) in cases {
        let err = refused(&db, args);
        assert!(err.contains(expected), "{args:?}: expected {expected:?} in: {err}");
    }
}

#[test]
fn a_time_zone_argument_moves_the_period() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let utc = report(&db, &["company", "--account", "1", "--tz", "UTC"]);
    assert_eq!(utc["header"]["period"]["utc_from"], "2025-10-01T00:00:00Z");
    let new = utc["cards"].as_array().unwrap().iter().find(|c| c["metric"] == "new_conversations").unwrap()["value"].clone();
    // in UTC, 5011 (30 September 22:30 UTC) is out and 5010 (31 October 23:30 UTC) is in
    assert_eq!(new, 6.0);
    let hour = utc["cards"].as_array().unwrap().iter().find(|c| c["metric"] == "busiest_hour").unwrap()["value"].clone();
    // 5002 at 00:30 UTC, 5003 at 01:30 UTC, 5011 no longer, 5010 at 23:30: one each, the earliest hour wins
    assert_eq!(hour, 0.0);
}
