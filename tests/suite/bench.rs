//! Smoke run of `deskql bench` on a tiny size: every figure is measured and
//! sane, the JSON is complete, and the working folder is cleaned up. The real
//! benchmark (100k to 10M conversations) is run by hand, see README.

use assert_cmd::Command;
use tempfile::TempDir;

#[test]
fn a_tiny_bench_measures_every_figure_against_its_baseline() {
    let tmp = TempDir::new().unwrap();
    let work = tmp.path().join("work");
    let json = tmp.path().join("bench.json");
    Command::cargo_bin("deskql")
        .unwrap()
        .args(["bench", "--sizes", "150", "--accounts", "2", "--runs", "1", "--memory-limit", "1GB"])
        .arg("--work")
        .arg(&work)
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .stdout(predicates::str::contains("ratio (≤1.5)"));
    assert!(!work.exists(), "the working folder is removed without --keep");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["memory_limit"], "1GB");
    assert!(doc["machine"]["cores"].as_u64().unwrap() >= 1);
    let result = &doc["results"][0];
    assert_eq!(result["conversations"], 150);
    assert!(result["input_rows"].as_i64().unwrap() > 150, "threads alone outnumber conversations");
    for field in ["plain_copy_first_s", "ingest_first_s", "plain_copy_second_s", "ingest_second_s", "startup_s", "repl_startup_s"] {
        let seconds = result[field].as_f64().unwrap();
        assert!(seconds > 0.0 && seconds < 120.0, "{field} = {seconds}");
    }
    for field in ["ingest_first_ratio", "ingest_second_ratio", "db_vs_parquet_ratio"] {
        let ratio = result[field].as_f64().unwrap();
        assert!(ratio.is_finite() && ratio > 0.0, "{field} = {ratio}");
    }
    let reports: Vec<(String, String)> = result["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["report"].as_str().unwrap().to_string(), r["scope"].as_str().unwrap().to_string()))
        .collect();
    for kind in ["company", "user", "usage"] {
        for scope in ["one account", "all accounts"] {
            assert!(reports.contains(&(kind.to_string(), scope.to_string())), "{kind} for {scope} in {reports:?}");
        }
    }
    // The monthly usage batch (`report usage --all-accounts`) and its figures query alone.
    assert!(reports.contains(&("usage".to_string(), "all accounts, figures only".to_string())), "{reports:?}");
    // The first usage report of the month, which computes and stores every account's figures.
    assert!(reports.contains(&("usage (first of the month)".to_string(), "one account".to_string())), "{reports:?}");
    assert_eq!(
        reports.len(),
        9,
        "3 reports for one account and all, company with --office-hours, the first usage report, the usage figures alone: {reports:?}"
    );
    for timing in result["reports"].as_array().unwrap() {
        assert!(timing["seconds"].as_f64().unwrap() > 0.0 && timing["peak_rss_bytes"].as_u64().unwrap() > 0, "{timing}");
        let accounts = timing["accounts"].as_u64().unwrap();
        assert_eq!(accounts, if timing["scope"] == "one account" { 1 } else { 2 }, "{timing}");
    }
    let expected_ratio = result["ingest_first_s"].as_f64().unwrap() / result["plain_copy_first_s"].as_f64().unwrap();
    assert!((result["ingest_first_ratio"].as_f64().unwrap() - expected_ratio).abs() < 1e-9);
    for field in ["ingest_first_peak_rss_bytes", "ingest_second_peak_rss_bytes", "db_bytes", "parquet_bytes_first", "parquet_bytes_second"] {
        assert!(result[field].as_u64().unwrap() > 0, "{field}");
    }
}

#[test]
fn an_ingest_only_bench_measures_the_ingests_and_nothing_else() {
    let tmp = TempDir::new().unwrap();
    let json = tmp.path().join("bench.json");
    Command::cargo_bin("deskql")
        .unwrap()
        .args(["bench", "--ingest-only", "--sizes", "150", "--accounts", "2", "--runs", "1", "--memory-limit", "1GB"])
        .arg("--work")
        .arg(tmp.path().join("work"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .stdout(predicates::str::contains("ratio (≤1.5)"));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let result = &doc["results"][0];
    for field in ["ingest_first_ratio", "ingest_second_ratio"] {
        let ratio = result[field].as_f64().unwrap();
        assert!(ratio.is_finite() && ratio > 0.0, "{field} = {ratio}");
    }
    assert!(result["startup_s"].is_null() && result["repl_startup_s"].is_null(), "{result}");
    assert_eq!(result["reports"].as_array().unwrap().len(), 0, "{result}");
}
