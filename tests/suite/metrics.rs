//! Golden figures of the Company, User, Team and Happiness reports on the
//! hand-made snapshot of `fixture/golden.rs`, every one worked out by hand
//! there (the comments say how). Each documented metric (library doc
//! comments -> `metrics.catalogue`) has its figure here, and each figure
//! here is a documented metric: the two are checked against each other.
//! The figures are library 1.2.0's; those 1.3.0 changed on purpose (see
//! `sql/library/CHANGELOG.md`) are pinned next to them, and both versions
//! are run.



use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fixture::{PINNED_VERSIONS, deskql, golden, query, use_library};
use serde_json::Value;
use tempfile::TempDir;

const OCTOBER: [&str; 4] = ["--from", "2025-10-01", "--to", "2025-11-01"];

/// A database with the golden snapshot (and, with `earlier`, the 2025-10-15
/// snapshot before it).
fn golden_db(tmp: &TempDir, earlier: bool) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    if earlier {
        let dir = golden::earlier_snapshot().write(&tmp.path().join("s1"));
        deskql(&db).args(["ingest", "--snapshot", "s1", "--as-of", "2025-10-15"]).arg(&dir).assert().success();
    }
    let dir = golden::snapshot().write(&tmp.path().join("s2"));
    deskql(&db).args(["ingest", "--snapshot", "s2", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

/// The golden database with library `version` in schema `metrics`.
fn golden_db_with(tmp: &TempDir, version: &str) -> PathBuf {
    let db = golden_db(tmp, false);
    use_library(&db, version);
    db
}

/// `base` (1.2.0's figures) with the figures `version` changed.
fn figures_of(version: &str, base: &[(&'static str, Option<f64>)], changed_in_1_3_0: &[(&'static str, Option<f64>)]) -> Vec<(&'static str, Option<f64>)> {
    base.iter()
        .map(|(key, value)| {
            let changed = changed_in_1_3_0.iter().find(|(k, _)| k == key).filter(|_| version >= "1.3.0");
            (*key, changed.map_or(*value, |(_, v)| *v))
        })
        .collect()
}

fn report_json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&crate::fixture::stdout(db, &[&["report"], args, &["--format", "json"]].concat())).unwrap()
}

/// section/metric -> value (and previous, change) of a report's cards.
fn cards(doc: &Value) -> BTreeMap<String, (Option<f64>, Option<f64>, Option<f64>)> {
    crate::fixture::cards_by(doc, ["value", "previous", "change"])
}

fn assert_figures(doc: &Value, expected: &[(&str, Option<f64>)]) {
    let actual = cards(doc);
    let expected_keys: Vec<&str> = expected.iter().map(|(k, _)| *k).collect();
    let actual_keys: Vec<&str> = actual.keys().map(String::as_str).collect();
    let mut sorted = expected_keys.clone();
    sorted.sort();
    assert_eq!(actual_keys, sorted, "the report's cards are exactly the expected ones");
    for (key, value) in expected {
        let got = actual[*key].0;
        match (got, value) {
            (Some(g), Some(e)) => assert!((g - e).abs() < 1e-9, "{key}: got {g}, expected {e}"),
            (g, e) => assert_eq!(g, *e, "{key}"),
        }
    }
}

/// Company, October 2025 (see golden.rs for the conversations).
const COMPANY_OCTOBER: &[(&str, Option<f64>)] = &[
    // replies in the period: 5001 x2, 5002 x2, 5004, 5008 (phone note), 5011
    ("all/replies_sent", Some(7.0)),
    ("all/replies_per_day", Some(7.0 / 31.0)),
    // customers 1000 (5001, 5004), 1001 (5002), 1003 (5008, 5011)
    ("all/customers_helped", Some(3.0)),
    ("all/active_users", Some(2.0)),
    // waits answered: 3600, 7200 (5001), 120, 300 (5002), 3600 (5004), 1800 (5011); 5008's call answers none
    ("all/response_time", Some(16620.0 / 6.0)),
    // first replies in October: 5001 3600, 5002 120, 5011 1800 (5008: no customer wait)
    ("all/first_response_time", Some(5520.0 / 3.0)),
    // closes in October: 5001, 5002, 5003 (no reply), 5004 (again), 5011
    ("all/closed", Some(5.0)),
    // resolved: 5001 (2 replies, 14700 s), 5002 (2, 900 s), 5004 (2, 1465800 s: from 15 Sep), 5011 (1, 34200 s)
    ("all/resolved", Some(4.0)),
    ("all/resolved_on_first_reply", Some(25.0)),
    ("all/replies_to_resolve", Some(1.75)),
    ("all/resolution_time", Some(1515600.0 / 4.0)),
    // created in October local time: 5001, 5002, 5003, 5008, 5009, 5011 (not 5010: 1 November local)
    ("all/new_conversations", Some(6.0)),
    ("all/conversations_per_day", Some(6.0 / 31.0)),
    // Monday: 5001, 5009; Sunday: 5002, 5003; a tie goes to Monday
    ("all/busiest_day", Some(1.0)),
    // 02:30 CEST (5002) and 02:30 CET (5003) are both in local hour 2
    ("all/busiest_hour", Some(2.0)),
    ("email/replies_sent", Some(4.0)),
    ("email/response_time", Some(16200.0 / 4.0)),
    ("email/first_response_time", Some(2700.0)),
    ("email/resolved", Some(3.0)),
    ("email/resolved_on_first_reply", Some(100.0 / 3.0)),
    ("email/replies_to_resolve", Some(5.0 / 3.0)),
    ("email/resolution_time", Some(1514700.0 / 3.0)),
    ("chat/response_time", Some(210.0)),
    ("chat/chats", Some(1.0)),
    ("chat/chat_wait_time", Some(120.0)),
    ("chat/chat_duration", Some(900.0)),
    ("chat/messages_per_chat", Some(4.0)),
    ("phone/phone_conversations", Some(1.0)),
    ("phone/new_phone_conversations", Some(1.0)),
    ("phone/phone_customers", Some(1.0)),
];

/// Bob (101), October 2025.
const BOB_OCTOBER: &[(&str, Option<f64>)] = &[
    // Bob's replies: 5001 (09:00 Mon 11:00 local), 5004 (Thu 10:00 local), both to customer 1000, both 3600 s
    ("all/replies_sent", Some(2.0)),
    ("all/replies_per_day", Some(2.0 / 31.0)),
    ("all/customers_helped", Some(1.0)),
    ("all/response_time", Some(3600.0)),
    // 5001's first reply was Bob's; 5004's was in September
    ("all/first_response_time", Some(3600.0)),
    // Bob closed 5004 (5001 was closed by Ann)
    ("all/closed", Some(1.0)),
    // 5004: Bob sent the last reply before its last close; 5001's last reply was Ann's
    ("all/resolved", Some(1.0)),
    ("all/resolved_on_first_reply", Some(0.0)),
    ("all/replies_to_resolve", Some(2.0)),
    ("all/resolution_time", Some(1465800.0)),
    ("all/handled_per_day", Some(2.0 / 31.0)),
    // touched in October by anyone and by Bob at any time: 5001, 5004, 5005 (his note in March), 5008, 5009 (notes)
    ("all/total_conversations", Some(5.0)),
    // Monday 11:00 and Thursday 10:00: ties go to Monday and to 10:00
    ("all/busiest_day", Some(1.0)),
    ("all/busiest_hour", Some(10.0)),
    ("email/replies_sent", Some(2.0)),
    ("email/response_time", Some(3600.0)),
    ("email/first_response_time", Some(3600.0)),
    ("email/resolved", Some(1.0)),
    ("email/resolved_on_first_reply", Some(0.0)),
    ("email/replies_to_resolve", Some(2.0)),
    ("email/resolution_time", Some(1465800.0)),
    ("chat/response_time", None),
    ("chat/chats", Some(0.0)),
    ("chat/chat_wait_time", None),
    ("chat/chat_duration", None),
    ("chat/messages_per_chat", None),
    ("phone/phone_conversations", Some(0.0)),
    ("phone/new_phone_conversations", Some(0.0)),
    ("phone/phone_customers", Some(0.0)),
    // rating 3 ('okay', 2 October) is Bob's
    ("happiness/ratings", Some(1.0)),
    ("happiness/great", Some(0.0)),
    ("happiness/okay", Some(100.0)),
    ("happiness/not_good", Some(0.0)),
    ("happiness/happiness_score", Some(0.0)),
];

/// Bob's figures that library 1.3.0 changed: 5005 had a customer message
/// only in October (no activity by a user or workflow).
const BOB_OCTOBER_1_3_0: &[(&str, Option<f64>)] = &[("all/total_conversations", Some(4.0))];

/// Happiness, October 2025: ratings 1 (great), 2 (not good), 3 (okay); 4 is on spam, 5 in September.
const HAPPINESS_OCTOBER: &[(&str, Option<f64>)] = &[
    ("happiness/ratings", Some(3.0)),
    ("happiness/great", Some(100.0 / 3.0)),
    ("happiness/okay", Some(100.0 / 3.0)),
    ("happiness/not_good", Some(100.0 / 3.0)),
    ("happiness/happiness_score", Some(0.0)),
];

#[test]
fn company_report_golden_figures() {
    for version in PINNED_VERSIONS {
        let tmp = TempDir::new().unwrap();
        let db = golden_db_with(&tmp, version);
        let doc = report_json(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
        assert_eq!(doc["header"]["library"]["version"], version);
        assert_figures(&doc, COMPANY_OCTOBER);
    }
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let doc = report_json(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    assert_eq!(doc["header"]["period"]["time_zone"], "Europe/Paris");
    assert_eq!(doc["header"]["period"]["days"], 31);
    // local midnights of 1 October (CEST) and 1 November (CET)
    assert_eq!(doc["header"]["period"]["utc_from"], "2025-09-30T22:00:00Z");
    assert_eq!(doc["header"]["period"]["utc_to"], "2025-10-31T23:00:00Z");
    assert_eq!(doc["header"]["snapshot"]["id"], "s2");
    assert_eq!(doc["header"]["library"]["schema"], "metrics");
}

#[test]
fn company_daily_series_buckets_by_local_day_across_the_dst_change() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let doc = report_json(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    let daily = doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == "daily").unwrap();
    let rows = daily["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 31, "every day of October, zero-filled");
    let day = |d: &str| rows.iter().find(|r| r["day"] == d).unwrap_or_else(|| panic!("no row for {d}"));
    let figures = |d: &str| {
        let r = day(d);
        ["new_conversations", "replies_sent", "customers_helped", "closed"].map(|c| r[c].as_i64().unwrap())
    };
    // 5011 created 00:30 local, replied 01:00 local, closed 10:00 local
    assert_eq!(figures("2025-10-01"), [1, 1, 1, 1]);
    assert_eq!(figures("2025-10-02"), [0, 1, 1, 1]);
    assert_eq!(figures("2025-10-06"), [1, 2, 1, 1]);
    assert_eq!(figures("2025-10-14"), [1, 1, 1, 0]);
    assert_eq!(figures("2025-10-20"), [1, 0, 0, 0]);
    // the 25-hour day: 5002 (CEST) and 5003 (CET)
    assert_eq!(figures("2025-10-26"), [2, 2, 1, 2]);
    assert_eq!(figures("2025-10-31"), [0, 0, 0, 0], "5010 is on 1 November local");
    let total: i64 = rows.iter().map(|r| r["new_conversations"].as_i64().unwrap()).sum();
    assert_eq!(total, 6, "the series adds up to the new conversations card");
}

#[test]
fn user_report_golden_figures_and_conversation_history() {
    for version in PINNED_VERSIONS {
        let tmp = TempDir::new().unwrap();
        let db = golden_db_with(&tmp, version);
        let doc = report_json(&db, &[&["user", "--account", "1", "--user", "bob@acme.test"], &OCTOBER[..]].concat());
        assert_figures(&doc, &figures_of(version, BOB_OCTOBER, BOB_OCTOBER_1_3_0));
        assert_eq!(doc["header"]["subject"]["name"], "Bob");
        let history = doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == "conversations").unwrap();
        let rows = history["rows"].as_array().unwrap();
        let column = |name: &str| rows.iter().map(|r| r[name].clone()).collect::<Vec<_>>();
        // most recently active first: 5009 (20 Oct), 5008 (14 Oct), 5005 (10 Oct), 5001 (6 Oct), 5004 (2 Oct);
        // 1.3.0 leaves 5005 out (in October, only its customer wrote)
        let keep = |values: Vec<Value>| -> Vec<Value> {
            values.into_iter().enumerate().filter(|(i, _)| version < "1.3.0" || *i != 2).map(|(_, v)| v).collect()
        };
        assert_eq!(column("number"), keep([9, 8, 5, 1, 4].map(Value::from).to_vec()), "{version}");
        assert_eq!(column("replies_by_users"), keep([0, 0, 0, 1, 1].map(Value::from).to_vec()));
        assert_eq!(column("first_response_time"), keep(vec![Value::Null, Value::Null, 82800.0.into(), 3600.0.into(), 3600.0.into()]));
        assert_eq!(column("resolution_time"), keep(vec![Value::Null, Value::Null, Value::Null, 14700.0.into(), 1465800.0.into()]));
        assert_eq!(column("response_time"), keep(vec![Value::Null, Value::Null, Value::Null, 3600.0.into(), 3600.0.into()]));
        assert_eq!(column("customer"), keep(["Dan", "Finn", "Finn", "Carla", "Carla"].map(Value::from).to_vec()));
        let total = cards(&doc)["all/total_conversations"].0.unwrap();
        assert_eq!(total as usize, rows.len(), "Total conversations counts the history's rows");
    }
}

#[test]
fn team_report_is_the_user_report_over_the_members() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let team = report_json(&db, &[&["team", "--account", "1", "--team", "Tier 1"], &OCTOBER[..]].concat());
    let c = cards(&team);
    // Ann and Bob sent every reply of the company
    assert_eq!(c["all/replies_sent"].0, Some(7.0));
    assert_eq!(c["all/resolved"].0, Some(4.0));
    assert_eq!(team["header"]["subject"]["users"].as_array().unwrap().len(), 2);
    let err = deskql(&db).args(["report", "team", "--account", "1", "--team", "Empty"]).args(OCTOBER).assert().failure();
    assert!(String::from_utf8_lossy(&err.get_output().stderr).contains("has no members"));
}

#[test]
fn happiness_report_golden_figures_ratings_list_and_comparison() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let doc = report_json(&db, &[&["happiness", "--account", "1"], &OCTOBER[..]].concat());
    assert_figures(&doc, HAPPINESS_OCTOBER);
    let ratings = doc["tables"].as_array().unwrap().iter().find(|t| t["name"] == "ratings").unwrap()["rows"].as_array().unwrap().clone();
    let column = |name: &str| ratings.iter().map(|r| r[name].clone()).collect::<Vec<_>>();
    assert_eq!(column("conversation_number"), [2, 1, 4].map(Value::from).to_vec());
    assert_eq!(column("customer"), ["Dan", "Carla", "Carla"].map(Value::from).to_vec());
    assert_eq!(column("comments"), vec![Value::from("Slow"), Value::from("Thanks!"), Value::Null]);
    // 01:00 UTC on 26 October is the instant the clocks go back: 02:00 CET
    assert_eq!(ratings[0]["rated_at"], "2025-10-26T02:00:00");
    // September (31 days before): rating 5, great
    let compared = report_json(&db, &[&["happiness", "--account", "1", "--compare"], &OCTOBER[..]].concat());
    let c = cards(&compared);
    assert_eq!(c["happiness/ratings"], (Some(3.0), Some(1.0), Some(200.0)));
    assert_eq!(c["happiness/happiness_score"], (Some(0.0), Some(100.0), Some(-100.0)), "scores change in points");
    let great = c["happiness/great"];
    assert!((great.2.unwrap() - (100.0 / 3.0 - 100.0)).abs() < 1e-9, "percents change in points: {great:?}");
    assert_eq!(compared["header"]["previous_period"]["from"], "2025-08-31");
}

#[test]
fn compare_gives_percent_changes_and_nothing_against_zero() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let doc = report_json(&db, &[&["company", "--account", "1", "--compare"], &OCTOBER[..]].concat());
    let c = cards(&doc);
    // September: 5004 created, answered after 3600 s and closed; nothing resolved (its resolution is its last close, in October)
    assert_eq!(c["all/new_conversations"], (Some(6.0), Some(1.0), Some(500.0)));
    assert_eq!(c["all/replies_sent"], (Some(7.0), Some(1.0), Some(600.0)));
    assert_eq!(c["all/resolved"], (Some(4.0), Some(0.0), None), "no change against zero");
    let frt = c["all/first_response_time"];
    assert_eq!(frt.1, Some(3600.0));
    assert!((frt.2.unwrap() - (1840.0 - 3600.0) / 3600.0 * 100.0).abs() < 1e-9);
    assert_eq!(c["all/resolved_on_first_reply"].1, None);
}

#[test]
fn spam_and_deleted_conversations_never_count() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let facts = query(&db, "SELECT count(*) FROM metrics.fact_conversations WHERE conversation_id IN (5006, 5007)");
    assert_eq!(facts, vec!["0"]);
    let threads = query(&db, "SELECT count(*) FROM metrics.fact_threads WHERE conversation_id IN (5006, 5007)");
    assert_eq!(threads, vec!["0"]);
}

#[test]
fn reply_facts_carry_the_wait_they_answer() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    let rows = query(
        &db,
        "SELECT thread_id, reply_number, CAST(response_seconds AS BIGINT) FROM metrics.fact_replies WHERE conversation_id IN (5001, 5004, 5008) ORDER BY thread_id",
    );
    assert_eq!(rows, ["2|1|3600", "5|2|7200", "14|1|3600", "17|2|3600", "29|1|NULL"]);
    // the conversation's first response time is its first reply's response time
    let mismatches = query(
        &db,
        "SELECT count(*) FROM metrics.fact_conversations c JOIN metrics.fact_replies r ON r.conversation_id = c.conversation_id AND r.reply_number = 1 \
         WHERE c.first_response_seconds IS DISTINCT FROM r.response_seconds",
    );
    assert_eq!(mismatches, vec!["0"]);
}

#[test]
fn an_earlier_snapshot_gives_the_figures_as_they_were() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, true);
    let then = report_json(&db, &[&["company", "--account", "1", "--snapshot", "s1"], &OCTOBER[..]].concat());
    let c = cards(&then);
    // as of 15 October: 5001 still open, 5002 and 5003 not created yet
    assert_eq!(c["all/resolved"].0, Some(2.0));
    assert_eq!(c["all/new_conversations"].0, Some(4.0));
    assert_eq!(then["header"]["snapshot"]["id"], "s1");
    let now = report_json(&db, &[&["company", "--account", "1"], &OCTOBER[..]].concat());
    assert_eq!(cards(&now)["all/resolved"].0, Some(4.0));
}

#[test]
fn the_session_snapshot_variable_pins_the_library_views() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, true);
    let pinned = query(&db, "SET VARIABLE deskql_snapshot = 1; SELECT count(*) FROM metrics.fact_conversations WHERE is_resolved");
    let latest = query(&db, "SELECT count(*) FROM metrics.fact_conversations WHERE is_resolved");
    assert_eq!((pinned, latest), (vec!["2".to_string()], vec!["4".to_string()]));
}

#[test]
fn every_documented_metric_has_a_golden_figure_and_no_other() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp, false);
    // (the office-time twins are pinned in office_hours.rs)
    let documented = query(&db, "SELECT report || ':' || section || '/' || metric FROM metrics.catalogue WHERE report <> 'usage' AND NOT starts_with(metric, 'office_') ORDER BY 1");
    let mut pinned: Vec<String> = Vec::new();
    pinned.extend(COMPANY_OCTOBER.iter().map(|(k, _)| format!("company:{k}")));
    pinned.extend(BOB_OCTOBER.iter().map(|(k, _)| format!("user:{k}")));
    pinned.extend(HAPPINESS_OCTOBER.iter().map(|(k, _)| format!("happiness:{k}")));
    pinned.sort();
    assert_eq!(documented, pinned);
}
