//! The metric library as installed objects: install is idempotent and
//! recorded, downgrades are refused, versions install side by side, the
//! catalogue comes from the doc comments, and the installed views run in the
//! official DuckDB Python client (no deskql-only functions).



use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixture::{deskql, golden, query, stdout};
use tempfile::TempDir;

fn golden_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("golden.duckdb");
    let dir = golden::snapshot().write(&tmp.path().join("s"));
    deskql(&db).args(["ingest", "--snapshot", "s", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}


#[test]
fn a_new_database_gets_the_library_and_installing_again_is_a_no_op() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let installed = query(&db, "SELECT schema_name, version FROM deskql_meta.library");
    assert_eq!(installed.len(), 1);
    assert!(installed[0].starts_with("metrics|"));
    let objects = query(&db, "SELECT count(*) FROM deskql_meta.library_objects WHERE schema_name = 'metrics' AND length(sha256) = 64");
    let in_catalog = query(&db, "SELECT count(*) FROM duckdb_functions() WHERE schema_name = 'metrics' AND function_type IN ('macro', 'table_macro')");
    let views = query(&db, "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'metrics'");
    let n = |v: &[String]| v[0].parse::<i64>().unwrap();
    assert_eq!(n(&objects), n(&in_catalog) + n(&views), "every object is recorded with its hash");
    let before = query(&db, "SELECT installed_at FROM deskql_meta.library");
    assert!(stdout(&db, &["views", "install"]).contains("already installed"));
    assert_eq!(query(&db, "SELECT installed_at FROM deskql_meta.library"), before, "a no-op writes nothing");
}

#[test]
fn a_downgrade_is_refused_unless_asked_for() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    // pretend a newer deskql installed version 9.0.0
    deskql(&db).args(["sql", "--write", "UPDATE deskql_meta.library SET version = '9.0.0'"]).assert().success();
    let output = deskql(&db).args(["views", "install"]).output().unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("refusing to downgrade") && err.contains("9.0.0"), "{err}");
    assert_eq!(query(&db, "SELECT version FROM deskql_meta.library"), vec!["9.0.0"], "refused: nothing changed");
    assert!(stdout(&db, &["views", "install", "--allow-downgrade"]).contains("replacing 9.0.0"));
}

#[test]
fn a_version_installs_side_by_side_and_gives_the_same_figures() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let version = query(&db, "SELECT version FROM deskql_meta.library WHERE schema_name = 'metrics'").remove(0);
    let out = stdout(&db, &["views", "install", "--version", &version, "--side-by-side"]);
    let schema = format!("metrics_{}", version.replace('.', "_"));
    assert!(out.contains(&schema), "{out}");
    let figures = |schema: &str| {
        query(&db, &format!("SELECT metric, value FROM {schema}.company(1, DATE '2025-10-01', DATE '2025-11-01') WHERE section = 'all' ORDER BY ordinal"))
    };
    assert_eq!(figures(&schema), figures("metrics"));
    assert_eq!(query(&db, "SELECT count(*) FROM deskql_meta.library"), vec!["2"]);
}

#[test]
fn the_catalogue_and_metrics_command_come_from_the_doc_comments() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let json: serde_json::Value = serde_json::from_str(&stdout(&db, &["metrics", "--report", "company", "--json"])).unwrap();
    let metrics = json["metrics"].as_array().unwrap();
    let catalogue = query(&db, "SELECT count(*) FROM metrics.catalogue WHERE report = 'company'");
    assert_eq!(catalogue, vec![metrics.len().to_string()]);
    let helped = metrics.iter().find(|m| m["metric"] == "customers_helped").unwrap();
    assert!(helped["definition"].as_str().unwrap().starts_with("Distinct customers of the conversations that received a reply"));
    let text = stdout(&db, &["metrics"]);
    assert!(text.contains("Customers helped") && text.contains("Happiness score"));
    let list = stdout(&db, &["views", "list"]);
    assert!(list.contains("metrics.fact_conversations") && list.contains("table macro"));
    let show = stdout(&db, &["views", "show", "fact_replies_at"]);
    assert!(show.contains("wait_started_at") && show.contains("CREATE OR REPLACE MACRO metrics.fact_replies_at"));
}

#[test]
fn the_installed_views_run_in_the_official_duckdb_python_client() {
    let tmp = TempDir::new().unwrap();
    let db = golden_db(&tmp);
    let script = r#"
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
rows = con.sql("SELECT metric, value FROM metrics.company(1, DATE '2025-10-01', DATE '2025-11-01') WHERE section = 'all' AND metric IN ('replies_sent', 'busiest_hour') ORDER BY metric").fetchall()
print(rows)
print(con.sql("SELECT count(*) FROM metrics.fact_replies").fetchall()[0][0])
try:
    con.sql("SELECT * FROM metrics.company(1, DATE '2025-10-01', DATE '2025-11-01', viewer := 102)").fetchall()
except duckdb.Error as e:
    print("refused:", "lacks the reports permission" in str(e))
"#;
    let output = Command::new("python3").arg("-c").arg(script).arg(&db).output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the DuckDB Python client must be installed (`pip install duckdb==2.0.1`; .ci/run does it): {stderr}"
    );
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(out.lines().collect::<Vec<_>>(), ["[('busiest_hour', 2.0), ('replies_sent', 7.0)]", "9", "refused: True"], "{stderr}");
}

/// The figures of a report computed with library `version` (through an audit
/// record, which installs the version side by side when needed).
fn figures_with(db: &Path, version: &str, report: &[&str]) -> serde_json::Value {
    let output = deskql(db).args(["audit", "run"]).args(report).args(["--library", version, "--out", "-"]).output().unwrap();
    assert!(output.status.success(), "{report:?} with {version}: {}", String::from_utf8_lossy(&output.stderr));
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    serde_json::json!({ "cards": record["result"]["cards"], "tables": record["result"]["tables"] })
}

#[test]
fn a_faster_library_version_gives_the_same_figures_as_the_one_before() {
    // 1.2.0 computes 1.1.0's definitions over the conversations active in a
    // period only: on the sample, every report of every account must come
    // out identical (October for all, and the November to date of one).
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("sample.duckdb");
    deskql(&db).args(["demo"]).assert().success();
    for account in ["1", "2", "3", "4"] {
        let user = query(&db, &format!("SELECT min(user_id) FROM users WHERE account_id = {account}")).remove(0);
        let team = query(&db, &format!("SELECT min(team_id) FROM teams WHERE account_id = {account}")).remove(0);
        let months: &[&str] = if account == "1" { &["2026-10", "2026-11"] } else { &["2026-10"] };
        for &month in months {
            let reports: Vec<Vec<&str>> = vec![
                vec!["company", "--account", account, "--month", month, "--compare"],
                vec!["user", "--account", account, "--user", &user, "--month", month],
                vec!["team", "--account", account, "--team", &team, "--month", month],
                vec!["happiness", "--account", account, "--month", month],
                vec!["usage", "--account", account, "--month", month],
            ];
            for report in reports {
                assert_eq!(figures_with(&db, "1.1.0", &report), figures_with(&db, "1.2.0", &report), "{report:?}");
            }
        }
    }
}
