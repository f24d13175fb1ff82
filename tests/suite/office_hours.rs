//! Office hours (issue 12) end to end: the contract's new tables and rules
//! at ingest; the 30 golden cases of the note through both SQL paths (the
//! office clock and the per-pair overlap); a property test against a
//! brute-force walk with chrono-tz (`brute`); golden report figures worked
//! out by hand (company, team, user history, compare, usage with its
//! benchmark); `--office-hours` in the header, JSON and text, refused where
//! it cannot apply; audits; the DuckDB Python client.

mod brute;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use duckdb::params;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use crate::fixture::{Snapshot, deskql, office, query, stdout};

/// A database holding `snapshot`, ingested as of `as_of`.
fn db_with(tmp: &TempDir, snapshot: &Snapshot, as_of: &str) -> PathBuf {
    let db = tmp.path().join("office.duckdb");
    let dir = snapshot.write(&tmp.path().join("snapshot"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", as_of]).arg(&dir).assert().success();
    db
}

fn read_only(db: &Path) -> duckdb::Connection {
    let config = duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).unwrap();
    duckdb::Connection::open_with_flags(db, config).unwrap()
}

// ---------------------------------------------------------------------------
// the contract at ingest
// ---------------------------------------------------------------------------

fn with_office_hours(rows: &str) -> Snapshot {
    Snapshot::minimal().with("teams", "SELECT 1::BIGINT AS account_id, 7::BIGINT AS team_id, 'Night' AS name").with("office_hours", rows)
}

fn hours(rows: &[(&str, &str)]) -> String {
    let values: Vec<String> = rows.iter().enumerate().map(|(i, (o, c))| format!("({}, '{o}', '{c}')", i + 1)).collect();
    format!(
        "SELECT 1::BIGINT AS account_id, 0::BIGINT AS team_id, DATE '2025-01-01' AS valid_from, weekday::INTEGER AS weekday, \
         opens::TIME AS opens, closes::TIME AS closes FROM (VALUES {}) t(weekday, opens, closes)",
        values.join(", ")
    )
}

#[test]
fn an_interval_that_closes_at_or_before_it_opens_is_refused_with_its_row() {
    for (bad, shown) in [(("22:00", "06:00"), "06:00:00"), (("10:00", "10:00"), "10:00:00"), (("24:00", "00:00"), "00:00:00")] {
        let tmp = TempDir::new().unwrap();
        let db = tmp.path().join("t.duckdb");
        let dir = with_office_hours(&hours(&[("09:00", "17:00"), bad])).write(&tmp.path().join("s"));
        deskql(&db)
            .arg("ingest")
            .arg(&dir)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("1 row(s) close at or before they open (rule closes_after_opens): first at row 2 of"))
            .stderr(predicate::str::contains(format!("closes \"{shown}\"")))
            .stderr(predicate::str::contains("split an interval across midnight into two rows"));
        assert!(!db.exists(), "a refused first snapshot leaves no database");
    }
    // the end of the day, written either way, and the whole day
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, &with_office_hours(&hours(&[("22:00", "00:00"), ("00:00", "24:00"), ("00:00", "00:00")])), "2025-04-01");
    assert_eq!(query(&db, "SELECT CAST(closes AS VARCHAR) FROM office_hours ORDER BY weekday"), ["00:00:00", "24:00:00", "00:00:00"]);
}

#[test]
fn overlapping_intervals_are_a_warning_and_touching_ones_are_not() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    let rows = "SELECT 1::BIGINT AS account_id, 0::BIGINT AS team_id, DATE '2025-01-01' AS valid_from, 1 AS weekday, opens::TIME AS opens, \
                closes::TIME AS closes FROM (VALUES ('09:00', '12:00'), ('12:00', '17:00'), ('10:00', '11:00')) t(opens, closes)";
    let dir = with_office_hours(rows).write(&tmp.path().join("s"));
    deskql(&db)
        .args(["ingest", "--as-of", "2025-04-01"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 row(s) overlap an earlier interval of the same schedule and weekday; the two are merged into their union"))
        .stderr(predicate::str::contains("first at row 3").and(predicate::str::contains("opens=10:00:00")));
    // merged: 09:00-17:00
    let merged = query(&db, "SELECT CAST(opens AS VARCHAR) || '-' || CAST(closes AS VARCHAR) || ' ' || rows_merged FROM metrics.office_schedule(account := 1)");
    assert_eq!(merged, ["09:00:00-17:00:00 3"]);
}

#[test]
fn optional_key_columns_take_their_defaults_and_references_skip_them() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.duckdb");
    // no team_id nor valid_from column; times as text
    let rows = "SELECT 1::BIGINT AS account_id, 1 AS weekday, '09:00' AS opens, '17:30' AS closes";
    let dir = Snapshot::minimal().with("office_hours", rows).write(&tmp.path().join("s1"));
    let out = deskql(&db).args(["ingest", "--as-of", "2025-04-01", "--snapshot", "s1"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has no column `team_id` (optional): it takes its default 0 in every row"), "{stderr}");
    assert!(stderr.contains("has no column `valid_from` (optional): it takes its default 1900-01-01 in every row"), "{stderr}");
    assert!(!stderr.contains("missing teams row"), "team 0 is the account, not a team: {stderr}");
    assert_eq!(query(&db, "SELECT team_id, CAST(valid_from AS VARCHAR), CAST(closes AS VARCHAR) FROM office_hours"), ["0|1900-01-01|17:30:00"]);
    // a NULL team is the account too; a team that does not exist is an orphan (a warning)
    let rows = "SELECT 1::BIGINT AS account_id, team_id::BIGINT AS team_id, NULL::DATE AS valid_from, 1 AS weekday, '09:00' AS opens, '17:30' AS closes \
                FROM (VALUES (NULL), (77)) t(team_id)";
    let dir = Snapshot::minimal().with("office_hours", rows).write(&tmp.path().join("s2"));
    deskql(&db)
        .args(["ingest", "--as-of", "2025-04-02", "--snapshot", "s2"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 row(s) refer to a missing teams row (e.g. account_id=1, team_id=77)"));
    assert_eq!(query(&db, "SELECT team_id FROM office_hours ORDER BY team_id"), ["0", "77"]);
    // an unreadable time is refused with its row
    let rows = "SELECT 1::BIGINT AS account_id, 1 AS weekday, '25:00' AS opens, '26:00' AS closes";
    let dir = Snapshot::minimal().with("office_hours", rows).write(&tmp.path().join("s3"));
    deskql(&db)
        .args(["ingest", "--as-of", "2025-04-03", "--snapshot", "s3"])
        .arg(&dir)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("value(s) cannot be read as TIME: first at row 1"))
        .stderr(predicate::str::contains("'HH:MM[:SS]'"));
}

#[test]
fn the_contract_command_prints_the_new_tables_rules_and_warnings() {
    let tmp = TempDir::new().unwrap();
    let text = stdout(&tmp.path().join("none.duckdb"), &["contract"]);
    assert!(text.contains("office_hours (optional; key: account_id, team_id, valid_from, weekday, opens)"), "{text}");
    assert!(text.contains("absent or NULL: 0") && text.contains("absent or NULL: 1900-01-01"), "{text}");
    assert!(text.contains("rule closes_after_opens (error)") && text.contains("check overlapping_intervals (warning)"), "{text}");
    assert!(text.contains("holidays (optional; key: account_id, day)"), "{text}");
}

// ---------------------------------------------------------------------------
// office seconds: golden cases and the property test
// ---------------------------------------------------------------------------

fn golden_cases_db(tmp: &TempDir) -> PathBuf {
    db_with(tmp, &office::golden_cases(), "2027-02-01")
}

/// Office seconds of pairs through the set-based path (`office_durations`:
/// the office clock and two ASOF joins), one query per team; `pairs` holds
/// (key, account, team, a, b) with instants as epoch seconds.
fn office_durations(conn: &duckdb::Connection, pairs: &[(i64, i64, Option<i64>, i64, i64)]) -> BTreeMap<i64, Option<f64>> {
    let values: Vec<String> = pairs
        .iter()
        .map(|(key, account, team, a, b)| format!("({key}, {account}, {}, {a}, {b})", team.map_or("NULL".to_string(), |t| t.to_string())))
        .collect();
    conn.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE all_pairs AS SELECT pair_key, account_id, team, make_timestamp(a::BIGINT * 1000000) AS started_at, \
         make_timestamp(b::BIGINT * 1000000) AS ended_at FROM (VALUES {}) t(pair_key, account_id, team, a, b)",
        values.join(", ")
    ))
    .unwrap();
    let mut out = BTreeMap::new();
    let teams: std::collections::BTreeSet<Option<i64>> = pairs.iter().map(|p| p.2).collect();
    for team in teams {
        let team_sql = team.map_or("NULL".to_string(), |t| t.to_string());
        conn.execute_batch(&format!("CREATE OR REPLACE TEMP TABLE team_pairs AS SELECT * FROM all_pairs WHERE team IS NOT DISTINCT FROM {team_sql}")).unwrap();
        let mut stmt = conn.prepare("SELECT pair_key, office_seconds FROM metrics.office_durations('team_pairs', team := ?)").unwrap();
        let rows = stmt.query_map(params![team], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<f64>>(1)?))).unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// The same pairs through the per-pair path (`office_seconds`: the overlap
/// with `office_intervals`).
fn office_seconds_scalar(conn: &duckdb::Connection, account: i64, team: Option<i64>, a: i64, b: i64) -> Option<f64> {
    conn.query_row(
        "SELECT metrics.office_seconds(?, make_timestamp(? * 1000000), make_timestamp(? * 1000000), team := ?)",
        params![account, a, b, team],
        |r| r.get(0),
    )
    .unwrap()
}

fn epoch_seconds(utc: &str) -> i64 {
    let format = if utc.len() > 16 { "%Y-%m-%d %H:%M:%S" } else { "%Y-%m-%d %H:%M" };
    chrono::NaiveDateTime::parse_from_str(utc, format).unwrap().and_utc().timestamp()
}

#[test]
fn the_thirty_golden_cases_hold_through_both_paths() {
    let tmp = TempDir::new().unwrap();
    let db = golden_cases_db(&tmp);
    let conn = read_only(&db);
    let pairs: Vec<(i64, i64, Option<i64>, i64, i64)> =
        office::GOLDEN.iter().enumerate().map(|(i, (_, account, team, a, b, _))| (i as i64, *account, *team, epoch_seconds(a), epoch_seconds(b))).collect();
    let clock = office_durations(&conn, &pairs);
    let mut failures = Vec::new();
    for (i, (case, account, team, a, b, expected)) in office::GOLDEN.iter().enumerate() {
        let scalar = office_seconds_scalar(&conn, *account, *team, epoch_seconds(a), epoch_seconds(b));
        let by_clock = clock[&(i as i64)];
        if by_clock != Some(*expected as f64) || scalar != Some(*expected as f64) {
            failures.push(format!("{case}: expected {expected}, clock {by_clock:?}, overlap {scalar:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // NULL in, NULL out
    let null: Option<f64> = conn.query_row("SELECT metrics.office_seconds(1, NULL, TIMESTAMP '2026-03-17 10:00')", [], |r| r.get(0)).unwrap();
    assert_eq!(null, None);
}

#[test]
fn every_interval_bound_is_the_library_s_to_utc_and_the_summary_says_who_keeps_hours() {
    let tmp = TempDir::new().unwrap();
    let db = golden_cases_db(&tmp);
    let differ = query(
        &db,
        "SELECT count(*) FILTER (WHERE opens_at IS DISTINCT FROM metrics.to_utc(local_day + opens, zone)) \
         + count(*) FILTER (WHERE closes_at IS DISTINCT FROM metrics.to_utc(local_day + closes, zone)), count(*) > 3000 \
         FROM metrics.office_intervals(TIMESTAMP '2026-01-01', TIMESTAMP '2027-01-10')",
    );
    assert_eq!(differ, ["0|true"]);
    let summary = query(&db, "SELECT account_id || ' ' || schedule || ' ' || team_schedules || ' ' || holidays FROM metrics.office_hours_summary() ORDER BY account_id");
    assert_eq!(
        summary,
        [
            "1 office hours 1 3",
            "2 office hours 0 0",
            "3 office hours 0 0",
            "4 office hours 1 0",
            "5 office hours 0 0",
            "6 office hours 0 2",
            "7 open 24/7 0 0",
            "8 open 24/7 except holidays 0 1",
            "9 office hours 0 0"
        ]
    );
}

/// `DESKQL_OFFICE_SEEDS=1,2,3` runs more seeds than the default one.
fn property_seeds() -> Vec<u64> {
    std::env::var("DESKQL_OFFICE_SEEDS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| vec![12])
}

/// The scenarios as a snapshot: one account each (in its zone), its rows,
/// holidays and team, and the mandatory tables of account 1.
fn scenario_snapshot(scenarios: &[brute::Scenario]) -> Snapshot {
    let accounts: Vec<String> = std::iter::once("(1, 'Europe/Paris')".to_string())
        .chain(scenarios.iter().map(|s| format!("({}, '{}')", s.account, s.zone)))
        .collect();
    let mut rows = Vec::new();
    for s in scenarios {
        for r in &s.rows {
            let team = r.team.map_or("NULL".to_string(), |t| t.to_string());
            let from = r.valid_from.map_or("NULL".to_string(), |d| format!("'{d}'"));
            rows.push(format!("({}, {team}, {from}, {}, '{}', '{}')", s.account, r.weekday, brute::time_text(r.opens), r.closes_text));
        }
    }
    let holidays: Vec<String> = scenarios.iter().flat_map(|s| s.holidays.iter().map(move |d| format!("({}, '{d}')", s.account))).collect();
    let teams: Vec<String> = scenarios.iter().filter(|s| s.team.is_some()).map(|s| format!("({}, {})", s.account, brute::TEAM)).collect();
    let mut snapshot = Snapshot::minimal()
        .with(
            "accounts",
            &format!(
                "SELECT account_id::BIGINT AS account_id, 'Random ' || account_id AS name, 'pro' AS plan, timezone, TIMESTAMP '2020-01-01' AS created_at \
                 FROM (VALUES {}) t(account_id, timezone)",
                accounts.join(", ")
            ),
        )
        .with(
            "office_hours",
            &format!(
                "SELECT account_id::BIGINT AS account_id, team_id::BIGINT AS team_id, valid_from::DATE AS valid_from, weekday::INTEGER AS weekday, \
                 opens::TIME AS opens, closes::TIME AS closes FROM (VALUES {}) t(account_id, team_id, valid_from, weekday, opens, closes)",
                rows.join(", ")
            ),
        );
    if !holidays.is_empty() {
        snapshot = snapshot.with(
            "holidays",
            &format!("SELECT account_id::BIGINT AS account_id, day::DATE AS day, 'h' AS name FROM (VALUES {}) t(account_id, day)", holidays.join(", ")),
        );
    }
    if !teams.is_empty() {
        snapshot = snapshot.with(
            "teams",
            &format!("SELECT account_id::BIGINT AS account_id, team_id::BIGINT AS team_id, 'Team' AS name FROM (VALUES {}) t(account_id, team_id)", teams.join(", ")),
        );
    }
    snapshot
}

#[test]
fn office_seconds_equal_a_brute_force_walk_over_every_minute_or_second() {
    for seed in property_seeds() {
        let scenarios = brute::scenarios(seed);
        let tmp = TempDir::new().unwrap();
        let db = db_with(&tmp, &scenario_snapshot(&scenarios), "2028-02-01");
        let conn = read_only(&db);
        let mut pairs = Vec::new();
        let mut expected = BTreeMap::new();
        for s in &scenarios {
            for (i, ((a, b), seconds)) in s.pairs.iter().zip(brute::office_seconds(s)).enumerate() {
                let key = s.account * 1000 + i as i64;
                pairs.push((key, s.account, s.team, *a, *b));
                expected.insert(key, seconds);
            }
        }
        let clock = office_durations(&conn, &pairs);
        let mut failures = Vec::new();
        for (key, account, team, a, b) in &pairs {
            let want = expected[key] as f64;
            if clock[key] != Some(want) {
                failures.push(format!("seed {seed}, account {account}, team {team:?}, {a} -> {b}: clock {:?}, brute force {want}", clock[key]));
            }
            // the per-pair path on every tenth pair (it runs one query per pair)
            if key % 10 == 0 {
                let scalar = office_seconds_scalar(&conn, *account, *team, *a, *b);
                if scalar != Some(want) {
                    failures.push(format!("seed {seed}, account {account}, team {team:?}, {a} -> {b}: overlap {scalar:?}, brute force {want}"));
                }
            }
        }
        assert!(failures.is_empty(), "{} of {} pairs differ; first: {:#?}", failures.len(), pairs.len(), &failures[..failures.len().min(20)]);
        // the scenarios did put schedule bounds in skipped and repeated hours
        let ambiguous = scenarios
            .iter()
            .flat_map(|s| {
                let days = (s.w1 - s.w0) / 86_400;
                let first = chrono::DateTime::from_timestamp(s.w0, 0).unwrap().date_naive();
                s.rows.iter().flat_map(move |r| {
                    (0..days).filter_map(move |d| {
                        let day = first + chrono::Duration::days(d);
                        let wall = day.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::seconds(r.opens);
                        brute::is_ambiguous(s.zone, wall).then_some(())
                    })
                })
            })
            .count();
        assert!(ambiguous > 0, "seed {seed}: no opening time fell in a skipped or repeated hour");
    }
}

// ---------------------------------------------------------------------------
// reports
// ---------------------------------------------------------------------------

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];

fn report_json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout(db, &[&["report"], args, &["--format", "json"]].concat())).unwrap()
}

fn golden_reports_db(tmp: &TempDir) -> PathBuf {
    db_with(tmp, &office::golden_reports(), "2025-11-15")
}

/// section/metric -> value, in report order.
fn values(doc: &Value) -> Vec<(String, Option<f64>)> {
    doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (format!("{}/{}", c["section"].as_str().unwrap(), c["metric"].as_str().unwrap()), c["value"].as_f64()))
        .collect()
}

fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let got = actual.unwrap_or_else(|| panic!("{what}: no value"));
    assert!((got - expected).abs() < 1e-9, "{what}: got {got}, expected {expected}");
}

/// Company, October 2025, in account 1's office hours (Mon-Fri 09:30-12:30
/// and 13:30-17:00 Paris time; CEST until 26 October): the waits and
/// resolutions of `fixture/golden.rs`, with the open part of each.
const COMPANY_OFFICE: &[(&str, f64)] = &[
    // waits: 5001 10:00-11:00 local (3600) and 12:00-14:00 (12:00-12:30 + 13:30-14:00 = 3600);
    // 5002 on Sunday (0, 0); 5004 09:00-10:00 (09:30-10:00 = 1800); 5011 00:30-01:00 on 1 October (0)
    ("all/office_response_time", 9000.0 / 6.0),
    // first replies: 5001 3600, 5002 0, 5011 0
    ("all/office_first_response_time", 3600.0 / 3.0),
    // 5001 10:00-14:05 (9000 + 2100 = 11100); 5002 0; 5011 09:30-10:00 (1800); 5004 from Monday
    // 15 September 11:00 to Thursday 2 October 10:10: 5 h + 4 x 6.5 h + (22nd: holiday) 4 x 6.5 h
    // + 3 x 6.5 h + 40 min = 277800
    ("all/office_resolution_time", (11100.0 + 0.0 + 277800.0 + 1800.0) / 4.0),
    ("email/office_response_time", (3600.0 + 3600.0 + 1800.0 + 0.0) / 4.0),
    ("email/office_first_response_time", 3600.0 / 2.0),
    ("email/office_resolution_time", (11100.0 + 277800.0 + 1800.0) / 3.0),
    ("chat/office_response_time", 0.0),
    ("chat/office_chat_wait_time", 0.0),
];

/// The Team report of Tier 1 (Ann and Bob), in the team's own hours
/// (Mon-Fri 08:00-20:00; the holiday closes it too).
const TEAM_OFFICE: &[(&str, f64)] = &[
    // waits: 3600, 7200, 0, 0, 3600 (09:00-10:00), 0
    ("all/office_response_time", 14400.0 / 6.0),
    ("all/office_first_response_time", 3600.0 / 3.0),
    // 5001 14700; 5002 0; 5011 08:00-10:00 (7200); 5004: 9 h + 4 x 12 h + 4 x 12 h + 3 x 12 h + 2 h 10 = 515400
    ("all/office_resolution_time", (14700.0 + 0.0 + 515400.0 + 7200.0) / 4.0),
    ("email/office_response_time", 14400.0 / 4.0),
    ("email/office_first_response_time", 3600.0 / 2.0),
    ("email/office_resolution_time", (14700.0 + 515400.0 + 7200.0) / 3.0),
    ("chat/office_response_time", 0.0),
    ("chat/office_chat_wait_time", 0.0),
];

/// Cards of a report with `--office-hours` against the same report without:
/// the same cards in the same order, counts equal, each duration `X`
/// replaced by `office_X`; returns the office cards.
fn office_against_calendar(calendar: &Value, office: &Value) -> BTreeMap<String, Option<f64>> {
    let (calendar, office) = (values(calendar), values(office));
    assert_eq!(calendar.len(), office.len());
    let mut durations = BTreeMap::new();
    for ((key, value), (office_key, office_value)) in calendar.iter().zip(&office) {
        if key == office_key {
            assert_eq!(value, office_value, "{key}: the same with office hours");
        } else {
            let (section, metric) = key.split_once('/').unwrap();
            assert_eq!(*office_key, format!("{section}/office_{metric}"), "a twin in place of {key}");
            durations.insert(office_key.clone(), *office_value);
        }
    }
    durations
}

#[test]
fn company_report_with_office_hours_golden_figures_counts_unchanged() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let calendar = report_json(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    let office = report_json(&db, &[&["company", "--account", "1", "--office-hours"], &OCTOBER[..]].concat());
    let durations = office_against_calendar(&calendar, &office);
    assert_eq!(durations.len(), COMPANY_OFFICE.len(), "{durations:?}");
    for (key, expected) in COMPANY_OFFICE {
        assert_close(durations[*key], *expected, key);
    }
    // the header says so, and which hours; a calendar report does not carry the fields
    let header = &office["header"];
    assert_eq!(header["office_hours"], true);
    assert_eq!(header["schedule"]["kind"], "office hours");
    assert_eq!(header["schedule"]["owner"], "account");
    assert_eq!(header["schedule"]["weeks"][0]["hours"][0], "Mon-Fri 09:30-12:30, 13:30-17:00");
    assert!(calendar["header"].get("office_hours").is_none() && calendar["header"].get("schedule").is_none());
    let text = stdout(&db, &[&["report", "company", "--account", "1", "--office-hours"], &OCTOBER[..]].concat());
    assert!(text.contains("Office hours: times in office time, the account's, in Europe/Paris: Mon-Fri 09:30-12:30, 13:30-17:00"), "{text}");
    assert!(text.contains("Response time (office hours)"), "{text}");
}

#[test]
fn compare_uses_office_time_in_both_periods_and_names_the_holiday() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let doc = report_json(&db, &[&["company", "--account", "1", "--office-hours", "--compare"], &OCTOBER[..]].concat());
    let cards = crate::fixture::cards_by(&doc, ["value", "previous", "change"]);
    // September: 5004's first reply, 10:00 to 11:00 UTC on Monday the 15th (11:00-12:00 local): 3600 s
    let frt = cards["all/office_first_response_time"];
    assert_eq!((frt.0, frt.1), (Some(1200.0), Some(3600.0)));
    assert!((frt.2.unwrap() - (1200.0 - 3600.0) / 3600.0 * 100.0).abs() < 1e-9);
    assert_eq!(cards["all/new_conversations"].1, Some(1.0), "counts unchanged");
    assert_eq!(doc["header"]["schedule"]["holidays"][0]["day"], "2025-09-22");
}

#[test]
fn team_report_uses_the_team_s_hours_and_the_history_shows_both_times() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let calendar = report_json(&db, &[&["team", "--account", "1", "--team", "Tier 1"], &OCTOBER[..]].concat());
    let office = report_json(&db, &[&["team", "--account", "1", "--team", "Tier 1", "--office-hours"], &OCTOBER[..]].concat());
    let durations = office_against_calendar(&calendar, &office);
    for (key, expected) in TEAM_OFFICE {
        assert_close(durations[*key], *expected, key);
    }
    assert_eq!(office["header"]["schedule"]["owner"], "team");
    // Bob's history in the account's hours: 5005 was answered on a Sunday (82800 s, none in office time)
    let bob = report_json(&db, &[&["user", "--account", "1", "--user", "bob@acme.test", "--office-hours"], &OCTOBER[..]].concat());
    let history = bob["tables"].as_array().unwrap().iter().find(|t| t["name"] == "conversations").unwrap();
    let column = |name: &str| history["rows"].as_array().unwrap().iter().map(|r| r[name].as_f64()).collect::<Vec<_>>();
    assert_eq!(column("number"), [9, 8, 5, 1, 4].map(|n| Some(f64::from(n))));
    assert_eq!(column("first_response_time"), [None, None, Some(82800.0), Some(3600.0), Some(3600.0)]);
    assert_eq!(column("office_first_response_time"), [None, None, Some(0.0), Some(3600.0), Some(3600.0)]);
    assert_eq!(column("office_response_time"), [None, None, None, Some(3600.0), Some(1800.0)]);
    assert_eq!(column("office_resolution_time"), [None, None, None, Some(11100.0), Some(277800.0)]);
    let calendar_bob = report_json(&db, &[&["user", "--account", "1", "--user", "bob@acme.test"], &OCTOBER[..]].concat());
    let columns = &calendar_bob["tables"].as_array().unwrap().iter().find(|t| t["name"] == "conversations").unwrap()["columns"];
    assert!(!columns.as_array().unwrap().iter().any(|c| c.as_str().unwrap().starts_with("office_")), "{columns}");
}

#[test]
fn an_account_without_office_hours_says_office_time_is_calendar_time() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let doc = report_json(&db, &[&["company", "--account", "2", "--office-hours"], &OCTOBER[..]].concat());
    assert_eq!(doc["header"]["schedule"]["kind"], "open 24/7");
    assert_eq!(doc["header"]["schedule"]["summary"], "open 24/7: office time equals calendar time");
}

#[test]
fn office_hours_is_refused_where_it_cannot_apply() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    deskql(&db)
        .args([&["report", "happiness", "--account", "1", "--office-hours"], &OCTOBER[..]].concat())
        .assert()
        .failure()
        .stderr(predicate::str::contains("--office-hours does not apply to the happiness report"));
    deskql(&db)
        .args([&["audit", "run", "company", "--account", "1", "--office-hours", "--library", "1.2.0"], &OCTOBER[..]].concat())
        .assert()
        .failure()
        .stderr(predicate::str::contains("metric library 1.2.0 has no office hours (they came with library 1.3.0)"));
}

#[test]
fn an_audit_with_office_hours_records_the_flag_and_its_tables_and_verifies() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let record = tmp.path().join("audit.json");
    deskql(&db)
        .args([&["audit", "run", "team", "--account", "1", "--team", "Tier 1", "--office-hours", "--compare", "--out"], &[record.to_str().unwrap()][..], &OCTOBER[..]].concat())
        .assert()
        .success();
    let audit: Value = serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(audit["report"]["office_hours"], true);
    let inputs: Vec<&str> = audit["inputs"].as_array().unwrap().iter().map(|i| i["table"].as_str().unwrap()).collect();
    assert!(inputs.contains(&"office_hours") && inputs.contains(&"holidays"), "{inputs:?}");
    deskql(&db).args(["audit", "verify"]).arg(&record).assert().success().stdout(predicate::str::contains("verified: identical"));
    // a calendar audit neither records the flag nor reads the office tables, as before the option existed
    let plain = tmp.path().join("plain.json");
    deskql(&db).args([&["audit", "run", "company", "--account", "1", "--out"], &[plain.to_str().unwrap()][..], &OCTOBER[..]].concat()).assert().success();
    let audit: Value = serde_json::from_str(&std::fs::read_to_string(&plain).unwrap()).unwrap();
    assert!(audit["report"].get("office_hours").is_none());
    assert!(!audit["inputs"].as_array().unwrap().iter().any(|i| i["table"] == "office_hours"));
    // stored office hours changed behind the audits' backs: the office audit
    // says so, the calendar one (which does not read them) still verifies
    deskql(&db).args(["sql", "--write", "UPDATE hist.office_hours SET closes = TIME '18:00:00' WHERE team_id = 1"]).assert().success();
    deskql(&db)
        .args(["audit", "verify"])
        .arg(&record)
        .assert()
        .code(6)
        .stdout(predicate::str::contains("inputs[office_hours]").and(predicate::str::contains("stored rows changed")));
    deskql(&db).args(["audit", "verify"]).arg(&plain).assert().success();
}

/// Usage, October 2025: Acme in Mon-Fri 09-17 Paris (closed Tuesday the
/// 14th), Beta in Mon-Fri 08-18 New York, Gamma without office hours.
/// - Acme first responses: 6101 60 s (10:00 local, Monday), 6102 3600 s
///   (11:00-12:00), 6103 created 23:00 on 30 September, answered 00:30:
///   0, 6107 on the holiday: 0 -> 915. Resolutions: 6101 300, 6102 7200,
///   6103 closed 10:00 on Wednesday 1 October: 09:00-10:00 = 3600 -> 3700.
/// - Beta: 6201 (23:00-01:00 EDT) 0, 6202 08:00-08:30 EDT 1800, 6204 (23:30
///   on Friday) 0 -> 600; resolutions 6201 0, 6202 08:00-10:00 7200 -> 3600.
/// - Gamma: its calendar times, 20 and 600.
///
/// Acme's benchmark is the mean of the other accounts (library 1.3.0 leaves
/// the report's own account out): Beta and Gamma.
const USAGE_OFFICE: &[(&str, f64, f64)] = &[
    ("performance/office_time_to_first_response", 915.0, (600.0 + 20.0) / 2.0),
    ("performance/office_time_to_resolve", 3700.0, (3600.0 + 600.0) / 2.0),
];

#[test]
fn usage_report_office_twins_and_their_benchmark_in_each_account_s_hours() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, &office::usage(), "2025-11-15");
    let calendar = report_json(&db, &["usage", "--account", "1", "--month", "2025-10"]);
    let office = report_json(&db, &["usage", "--account", "1", "--month", "2025-10", "--office-hours"]);
    let durations = office_against_calendar(&calendar, &office);
    assert_eq!(durations.len(), USAGE_OFFICE.len());
    let cards = crate::fixture::cards_by(&office, ["value", "benchmark", "difference"]);
    for (key, value, benchmark) in USAGE_OFFICE {
        let (v, b, d) = cards[*key];
        assert_close(v, *value, key);
        assert_close(b, *benchmark, key);
        assert_close(d, value - benchmark, key);
    }
    let notes = office["header"]["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n.as_str().unwrap().contains("2 of the 3 accounts keep office hours")), "{notes:?}");
    // Beta's report compares with Acme and Gamma
    let beta = report_json(&db, &["usage", "--account", "2", "--month", "2025-10", "--office-hours"]);
    let beta_cards = crate::fixture::cards_by(&beta, ["value", "benchmark", "difference"]);
    assert_close(beta_cards["performance/office_time_to_first_response"].0, 600.0, "Beta");
    assert_close(beta_cards["performance/office_time_to_resolve"].1, (3700.0 + 600.0) / 2.0, "Beta's benchmark");
}

#[test]
fn every_office_time_metric_of_the_catalogue_is_pinned_here_and_twins_a_calendar_one() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let documented = query(&db, "SELECT report || ':' || section || '/' || metric FROM metrics.catalogue WHERE starts_with(metric, 'office_') ORDER BY 1");
    let mut pinned: Vec<String> = COMPANY_OFFICE.iter().map(|(k, _)| format!("company:{k}")).collect();
    pinned.extend(TEAM_OFFICE.iter().map(|(k, _)| format!("user:{k}")));
    pinned.extend(USAGE_OFFICE.iter().map(|(k, _, _)| format!("usage:{k}")));
    pinned.sort();
    assert_eq!(documented, pinned);
    let orphans = query(
        &db,
        "SELECT count(*) FROM metrics.catalogue AS o WHERE starts_with(o.metric, 'office_') AND NOT EXISTS \
         (SELECT 1 FROM metrics.catalogue AS c WHERE c.report = o.report AND c.section = o.section AND 'office_' || c.metric = o.metric)",
    );
    assert_eq!(orphans, ["0"]);
}

#[test]
fn the_office_hours_macros_run_in_the_official_duckdb_python_client() {
    let tmp = TempDir::new().unwrap();
    let db = golden_reports_db(&tmp);
    let script = r#"
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql("SELECT metric, value FROM metrics.company(1, DATE '2025-10-01', DATE '2025-11-01', office_hours := true) WHERE section = 'all' AND metric LIKE 'office_%' ORDER BY metric").fetchall())
print(con.sql("SELECT metrics.office_seconds(1, TIMESTAMP '2025-10-06 08:00:00', TIMESTAMP '2025-10-06 12:05:00')").fetchall()[0][0])
"#;
    let output = Command::new("python3").arg("-c").arg(script).arg(&db).output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the DuckDB Python client must be installed (`pip install duckdb==2.0.1`; .ci/run does it): {stderr}");
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["[('office_first_response_time', 1200.0), ('office_resolution_time', 72675.0), ('office_response_time', 1500.0)]", "11100.0"],
        "{stderr}"
    );
}
