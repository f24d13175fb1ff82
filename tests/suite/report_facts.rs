//! Library 1.4.0 computes a report's period facts once: deskql's reports
//! call the `_of` macros over two TEMP tables of facts
//! (`window_conversations`, `window_threads`), while the macros without
//! `_of` compute the facts from the base tables themselves. Here every pair
//! is held to the same rows, on the golden report snapshot with office
//! hours (account 1: a split shift and a holiday; team 1 its own hours),
//! for the company, the users 100 and 101, with and without office hours,
//! with a filter, in the account's zone and in another one. (The golden
//! figures of the reports themselves are pinned in `metrics`, `tables`,
//! `office_hours`.)

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::fixture::office;

fn db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("facts.duckdb");
    let dir = office::golden_reports().write(&tmp.path().join("snapshot"));
    crate::fixture::deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

/// One case: the filters and options shared by the facts and the macros.
struct Case {
    from: &'static str,
    to: &'static str,
    /// Named arguments of `window_conversations` and of `window_threads`.
    conversations: &'static str,
    threads: &'static str,
    /// Named arguments of the report macros.
    report: &'static str,
}

const CASES: &[Case] = &[
    Case { from: "2025-10-01", to: "2025-11-01", conversations: "", threads: "", report: "" },
    Case { from: "2025-09-15", to: "2025-10-20", conversations: "office_hours := true", threads: "office_hours := true", report: "office_hours := true" },
    Case {
        from: "2025-09-15",
        to: "2025-10-20",
        conversations: "office_hours := true, team := 1",
        threads: "office_hours := true, team := 1",
        report: "office_hours := true, team := 1",
    },
    Case { from: "2025-10-01", to: "2025-11-01", conversations: "channels := ['email']", threads: "", report: "channels := ['email'], zone := 'America/New_York'" },
];

/// The macros held to their `_of` twins: (name, positional arguments
/// after `account`, extra named arguments, whether it takes `office_hours`
/// and `team`: the tables of counts do not).
const MACROS: &[(&str, &str, &str, bool)] = &[
    ("company", "{from}, {to}", "", true),
    ("activity", "{from}, {to}", "", true),
    ("activity", "{from}, {to}", "actors := [101]", true),
    ("user_report", "[100], {from}, {to}", "", true),
    ("user_report", "[100, 101], {from}, {to}", "", true),
    ("user_conversations", "[101], {from}, {to}", "", true),
    ("activity_series", "{from}, {to}", "bucket := 'week'", true),
    ("activity_series", "{from}, {to}", "users := [100]", true),
    ("busiest_time", "{from}, {to}", "", false),
    ("busiest_range", "{from}, {to}", "users := [101]", false),
    ("top_users", "{from}, {to}", "", true),
    ("active_tags", "{from}, {to}", "top := 3", false),
    ("active_customers", "{from}, {to}", "users := [100, 101]", false),
];

/// `report`'s named arguments without `office_hours` and `team`.
fn without_office(report: &str) -> String {
    report.split(", ").filter(|a| !a.starts_with("office_hours") && !a.starts_with("team")).collect::<Vec<_>>().join(", ")
}

fn joined(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).map(|p| format!(", {p}")).collect()
}

fn count(conn: &duckdb::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}\n{e}"))
}

fn check(db: &Path) {
    let config = duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly).unwrap();
    let conn = duckdb::Connection::open_with_flags(db, config).unwrap();
    let mut compared = 0;
    for case in CASES {
        let (from, to) = (format!("DATE '{}'", case.from), format!("DATE '{}'", case.to));
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE c AS SELECT * FROM metrics.window_conversations(1, {from}, {to}{facts});
             CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM metrics.window_threads(1, {from}, {to}, 'c'{threads});",
            facts = joined(&[case.conversations]),
            threads = joined(&[case.threads]),
        ))
        .unwrap();
        assert!(count(&conn, "SELECT count(*) FROM t") > 0, "the case has threads: {}", case.conversations);
        for (name, positional, named, takes_office_hours) in MACROS {
            let positional = positional.replace("{from}", &from).replace("{to}", &to);
            let report = if *takes_office_hours { case.report.to_string() } else { without_office(case.report) };
            let rest = joined(&[&report, named]);
            let direct = format!("SELECT * FROM metrics.{name}(1, {positional}{rest})");
            let (users, dates) = match positional.split_once("], ") {
                Some((users, dates)) => (format!("{users}], "), dates.to_string()),
                None => (String::new(), positional.clone()),
            };
            let over_facts = format!("SELECT * FROM metrics.{name}_of(1, {users}{dates}, 'c', 't'{rest})");
            let sql = format!(
                "WITH direct AS MATERIALIZED ({direct}), over_facts AS MATERIALIZED ({over_facts}) \
                 SELECT (SELECT count(*) FROM (FROM direct EXCEPT ALL FROM over_facts)) + (SELECT count(*) FROM (FROM over_facts EXCEPT ALL FROM direct)), \
                        (SELECT count(*) FROM direct)"
            );
            let (differing, rows): (i64, i64) = conn.query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap_or_else(|e| panic!("{sql}\n{e}"));
            assert_eq!(differing, 0, "{name} differs from {name}_of:\n{direct}\n{over_facts}");
            assert!(rows > 0 || *name == "user_conversations", "{direct} has rows");
            compared += 1;
        }
    }
    assert_eq!(compared, CASES.len() * MACROS.len());
}

#[test]
fn every_of_macro_gives_the_rows_of_its_macro_over_the_base_tables() {
    let tmp = TempDir::new().unwrap();
    check(&db(&tmp));
}
