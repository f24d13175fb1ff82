//! Reproducible audits: a recorded report verifies against the database
//! after later snapshots and after a library upgrade, tampering with stored
//! rows fails verification with a precise, metric-by-metric diff, digests do
//! not depend on the run or the database file, and `audit diff` explains a
//! change between snapshots by the conversations behind it.



use std::path::{Path, PathBuf};

use crate::fixture::{deskql, golden, query};
use serde_json::Value;
use tempfile::TempDir;

const OCTOBER: [&str; 6] = ["--account", "1", "--from", "2025-10-01", "--to", "2025-11-01"];

fn ingest(db: &Path, tmp: &TempDir, which: &str) {
    let (snapshot, as_of) = match which {
        "s1" => (golden::earlier_snapshot(), "2025-10-15"),
        _ => (golden::snapshot(), "2025-11-15"),
    };
    let dir = snapshot.write(&tmp.path().join(format!("in-{which}")));
    deskql(db).args(["ingest", "--snapshot", which, "--as-of", as_of]).arg(&dir).assert().success();
}

fn audit_run(db: &Path, out: &Path, args: &[&str]) -> Value {
    let output = deskql(db).args(["audit", "run"]).args(args).arg("--out").arg(out).output().unwrap();
    assert!(output.status.success(), "audit run {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// (exit code, stdout) of `audit verify`.
fn verify(db: &Path, audit: &Path) -> (i32, String) {
    let output = deskql(db).args(["audit", "verify"]).arg(audit).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr))
}

fn db_with(tmp: &TempDir, name: &str, snapshots: &[&str]) -> PathBuf {
    let db = tmp.path().join(name);
    for s in snapshots {
        ingest(&db, tmp, s);
    }
    db
}

#[test]
fn a_record_holds_the_provenance_and_verifies() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s2"]);
    let file = tmp.path().join("audit.json");
    let audit = audit_run(&db, &file, &[&["company"], &OCTOBER[..]].concat());
    assert_eq!(audit["format"], "deskql.audit/1");
    assert_eq!(audit["report"]["kind"], "company");
    assert_eq!(audit["report"]["snapshot"], serde_json::json!(["s2"]), "the record pins the snapshot it read");
    assert_eq!(audit["snapshot"]["content_hash"].as_str().unwrap().len(), 64);
    let installed = query(&db, "SELECT version FROM deskql_meta.library WHERE schema_name = 'metrics'").remove(0);
    assert_eq!(audit["library"]["version"], installed.as_str(), "the installed library by default");
    let objects: Vec<&str> = audit["library"]["objects"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    // library 1.4.0: the cards and tables read the period's facts (`window_threads`) through the `_of` macros
    for used in ["metrics.company", "metrics.company_of", "metrics.activity_of", "metrics.window_threads", "metrics.fact_threads_at", "metrics.period", "metrics.to_utc"] {
        assert!(objects.contains(&used), "{used} in {objects:?}");
    }
    assert!(!objects.contains(&"metrics.happiness_ratings"), "only what the company report uses");
    assert!(audit["tool"]["duckdb"].as_str().unwrap().starts_with("v2."));
    let threads = audit["inputs"].as_array().unwrap().iter().find(|i| i["table"] == "threads").unwrap();
    assert_eq!(threads["rows"], 36, "the account's threads as of the snapshot");
    let replies = audit["result"]["cards"].as_array().unwrap().iter().find(|c| c["metric"] == "replies_sent").unwrap();
    assert_eq!(replies["value"], 7);
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("verified: identical"), "{out}");
}

#[test]
fn digests_depend_on_the_figures_only() {
    let tmp = TempDir::new().unwrap();
    let first = db_with(&tmp, "first.duckdb", &["s2"]);
    let second = db_with(&tmp, "second.duckdb", &["s1", "s2"]);
    let a = audit_run(&first, &tmp.path().join("a.json"), &[&["user", "--user", "101"], &OCTOBER[..]].concat());
    let b = audit_run(&first, &tmp.path().join("b.json"), &[&["user", "--user", "101"], &OCTOBER[..]].concat());
    let c = audit_run(&second, &tmp.path().join("c.json"), &[&["user", "--user", "101"], &OCTOBER[..]].concat());
    assert_eq!(a["result_digest"], b["result_digest"], "two runs");
    // another database file, another history, the same snapshot content: the same figures
    assert_eq!(a["result"]["cards"], c["result"]["cards"]);
    assert_eq!(a["result"]["tables"], c["result"]["tables"]);
    assert_eq!(a["inputs"], c["inputs"], "stored rows fingerprint the same");
    assert_eq!(a["result_digest"], c["result_digest"], "the snapshot's sequence number in its database is not part of the figures");
    let other_user = audit_run(&first, &tmp.path().join("d.json"), &[&["user", "--user", "100"], &OCTOBER[..]].concat());
    assert_ne!(a["result_digest"], other_user["result_digest"]);
}

#[test]
fn verify_pins_the_recorded_snapshot_after_later_ingests() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s1"]);
    let file = tmp.path().join("audit.json");
    let audit = audit_run(&db, &file, &[&["company"], &OCTOBER[..]].concat());
    let resolved = audit["result"]["cards"].as_array().unwrap().iter().find(|c| c["metric"] == "resolved" && c["section"] == "all").unwrap().clone();
    assert_eq!(resolved["value"], 2);
    ingest(&db, &tmp, "s2");
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 0, "the record reads s1, whatever came later: {out}");
}

#[test]
fn tampering_with_stored_rows_fails_with_a_precise_diff() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s2"]);
    let file = tmp.path().join("audit.json");
    audit_run(&db, &file, &[&["company"], &OCTOBER[..]].concat());
    // Bob's first reply to 5001 moved an hour later: 3600 s -> 7200 s
    deskql(&db).args(["sql", "--write", "UPDATE hist.threads SET created_at = created_at + INTERVAL 1 HOUR WHERE thread_id = 2"]).assert().success();
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 6, "differs: {out}");
    assert!(out.contains("NOT identical"), "{out}");
    // (16620 + 3600) / 6 and (7200 + 120 + 1800) / 3
    assert!(out.contains("all/response_time (Response time): 2770 -> 3370 (+600)"), "{out}");
    assert!(out.contains("all/first_response_time (First response time): 1840 -> 3040 (+1200)"), "{out}");
    assert!(out.contains("inputs[threads]: 36 rows"), "the tampered table is named: {out}");
    assert!(!out.contains("all/replies_sent"), "unchanged figures are not listed: {out}");
}

#[test]
fn verify_fails_clearly_when_the_snapshot_is_gone_or_the_file_is_not_an_audit() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s1", "s2"]);
    let file = tmp.path().join("audit.json");
    audit_run(&db, &file, &[&["happiness", "--snapshot", "s1"], &OCTOBER[..]].concat());
    deskql(&db).args(["snapshots", "drop", "s1"]).assert().success();
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 6);
    assert!(out.contains("snapshot s1 is no longer in the database"), "{out}");
    let not_audit = tmp.path().join("x.json");
    std::fs::write(&not_audit, "{\"format\": \"something else\"}").unwrap();
    let (code, out) = verify(&db, &not_audit);
    assert_eq!(code, 1, "an unreadable record is an error, not a difference");
    assert!(out.contains("is not a deskql audit record"), "{out}");
}

#[test]
fn diff_names_the_changed_metrics_and_the_conversations_behind_them() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s1", "s2"]);
    let output = deskql(&db)
        .args(["audit", "diff", "company", "--snapshot", "s1", "--snapshot", "s2", "--format", "json"])
        .args(OCTOBER)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    let metric = |section: &str, name: &str| diff["metrics"].as_array().unwrap().iter().find(|m| m["section"] == section && m["metric"] == name).cloned();
    let resolved = metric("all", "resolved").expect("resolved changed");
    assert_eq!((resolved["before"].clone(), resolved["after"].clone(), resolved["difference"].clone()), (2.0.into(), 4.0.into(), 2.0.into()));
    assert_eq!(metric("chat", "chats").unwrap()["after"], 1.0);
    assert!(metric("email", "replies_sent").is_none(), "unchanged metrics are not listed");
    let conversations: Vec<(i64, String)> = diff["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].as_i64().unwrap(), c["change"].as_str().unwrap().to_string()))
        .collect();
    // 5001 got its closing line item; 5002 and 5003 are new; 5010 is new but in November (local)
    assert_eq!(conversations, vec![(1, "changed".to_string()), (2, "new".to_string()), (3, "new".to_string())]);
    let table = deskql(&db).args(["audit", "diff", "company", "--snapshot", "s1", "--snapshot", "s2"]).args(OCTOBER).output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("company report: snapshot s1 -> s2") && text.contains("Resolved"), "{text}");
    let refused = deskql(&db).args(["audit", "diff", "company", "--snapshot", "s1"]).args(OCTOBER).output().unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("compares two snapshots"));
}

#[test]
fn verify_recomputes_with_the_audited_library_after_an_upgrade() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s2"]);
    // the database starts on 1.0.0, as an older deskql would have left it
    deskql(&db).args(["views", "install", "--version", "1.0.0", "--allow-downgrade"]).assert().success();
    let file = tmp.path().join("audit.json");
    let audit = audit_run(&db, &file, &[&["company"], &OCTOBER[..]].concat());
    assert_eq!(audit["library"]["version"], "1.0.0");
    deskql(&db).args(["views", "install"]).assert().success();
    let installed = query(&db, "SELECT version FROM deskql_meta.library WHERE schema_name = 'metrics'");
    assert_ne!(installed, vec!["1.0.0"], "the upgrade installs a newer library");
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 0, "{out}");
    assert_eq!(query(&db, "SELECT version FROM deskql_meta.library WHERE schema_name = 'metrics_1_0_0'"), vec!["1.0.0"], "1.0.0 side by side");
    // and an audit can ask for an older library explicitly
    let again = audit_run(&db, &tmp.path().join("again.json"), &[&["company", "--library", "1.0.0"], &OCTOBER[..]].concat());
    assert_eq!(again["result_digest"], audit["result_digest"]);
}

/// `audit verify` with an edited copy of a record: (exit code, output).
fn verify_edited(db: &Path, tmp: &TempDir, record: &Value, name: &str, edit: impl Fn(&mut Value)) -> (i32, String) {
    let mut edited = record.clone();
    edit(&mut edited);
    let file = tmp.path().join(format!("edited-{name}.json"));
    std::fs::write(&file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    verify(db, &file)
}

fn card<'a>(record: &'a mut Value, metric: &str) -> &'a mut Value {
    record["result"]["cards"].as_array_mut().unwrap().iter_mut().find(|c| c["section"] == "all" && c["metric"] == metric).unwrap()
}

/// Add 1, keeping an integer an integer (a record's counts are integers).
fn bump(value: &mut Value) {
    *value = match value.as_i64() {
        Some(n) => serde_json::json!(n + 1),
        None => serde_json::json!(value.as_f64().unwrap() + 1.0),
    };
}

const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn an_edited_record_fails_verification_naming_the_field() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s2"]);
    let record = audit_run(&db, &tmp.path().join("audit.json"), &[&["company"], &OCTOBER[..]].concat());
    let object = record["library"]["objects"][0]["name"].as_str().unwrap().to_string();
    type Edit = Box<dyn Fn(&mut Value)>;
    let edits: Vec<(&str, Edit, String)> = vec![
        ("figure", Box::new(|r| bump(&mut card(r, "customers_helped")["value"])), "all/customers_helped (Customers helped)".into()),
        ("table-cell", Box::new(|r| bump(&mut r["result"]["tables"][0]["rows"][5]["new_conversations"])), "daily, ".into()),
        ("header", Box::new(|r| r["result"]["header"]["account"]["name"] = "Forged Inc".into()), "header.account.name".into()),
        ("header-period", Box::new(|r| r["result"]["header"]["period"]["days"] = 30.into()), "header.period.days".into()),
        ("digest", Box::new(|r| r["result_digest"] = ZEROS.into()), "result_digest".into()),
        ("object", Box::new(|r| r["library"]["objects"][0]["sha256"] = ZEROS.into()), format!("{object}: recorded 000000000000")),
        ("object-removed", Box::new(|r| { r["library"]["objects"].as_array_mut().unwrap().remove(0); }), format!("library.objects: {object} is used")),
        ("input", Box::new(|r| r["inputs"].as_array_mut().unwrap().iter_mut().find(|i| i["table"] == "threads").unwrap()["sha256"] = ZEROS.into()), "inputs[threads]".into()),
        ("input-rows", Box::new(|r| bump(&mut r["inputs"].as_array_mut().unwrap().iter_mut().find(|i| i["table"] == "threads").unwrap()["rows"])), "inputs[threads]".into()),
        ("snapshot", Box::new(|r| r["snapshot"]["content_hash"] = ZEROS.into()), "snapshot.content_hash".into()),
        ("snapshot-time", Box::new(|r| r["snapshot"]["taken_at"] = "2020-01-01T00:00:00Z".into()), "snapshot.taken_at".into()),
        ("library-sql", Box::new(|r| r["library"]["sql_sha256"] = ZEROS.into()), "library.sql_sha256".into()),
        ("report-sql", Box::new(|r| r["report_sql"]["sha256"] = ZEROS.into()), "report_sql".into()),
    ];
    for (name, edit, named) in edits {
        let (code, out) = verify_edited(&db, &tmp, &record, name, edit);
        assert_eq!(code, 6, "edited {name}: verify must say it differs: {out}");
        assert!(out.contains(&named), "edited {name}: verify must name {named:?}: {out}");
        assert!(out.contains("NOT identical"), "{out}");
    }
    // An editor who recomputes the digest is still caught by the recomputation.
    let (code, out) = verify_edited(&db, &tmp, &record, "figure-and-digest", |r| {
        bump(&mut card(r, "replies_sent")["value"]);
        r["result_digest"] = deskql::audit::canonical::digest(&r["result"]).into();
    });
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("all/replies_sent (Replies sent): 8 -> 7 (-1)"), "{out}");
    assert!(!out.contains("result_digest: the recorded result hashes"), "the digest itself is consistent: {out}");
}

#[test]
fn a_signed_record_proves_its_maker() {
    let tmp = TempDir::new().unwrap();
    let db = db_with(&tmp, "a.duckdb", &["s2"]);
    let file = tmp.path().join("signed.json");
    let output = deskql(&db).env("DESKQL_AUDIT_KEY", "s3cret").args(["audit", "run", "company"]).args(OCTOBER).arg("--output").arg(&file).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(record["signature"]["algorithm"], "HMAC-SHA256");
    let with_key = |file: &Path, key: &str| {
        let output = deskql(&db).env("DESKQL_AUDIT_KEY", key).args(["audit", "verify"]).arg(file).output().unwrap();
        (output.status.code().unwrap(), String::from_utf8_lossy(&output.stdout).to_string())
    };
    let (code, out) = with_key(&file, "s3cret");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok   signature by key"), "{out}");
    let (code, out) = verify(&db, &file);
    assert_eq!(code, 0, "without the key the signature is not checked, and said: {out}");
    assert!(out.contains("not checked"), "{out}");
    let (code, out) = with_key(&file, "another key");
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("signature.key_id"), "{out}");
    // a field no figure check covers: only the signature sees it changed
    let mut edited = record.clone();
    edited["created_at"] = "2020-01-01T00:00:00Z".into();
    let edited_file = tmp.path().join("edited-signed.json");
    std::fs::write(&edited_file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let (code, out) = with_key(&edited_file, "s3cret");
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("signature.value"), "{out}");
    // an unsigned record where a key says a signature is expected
    let unsigned = tmp.path().join("unsigned.json");
    audit_run(&db, &unsigned, &[&["company"], &OCTOBER[..]].concat());
    let (code, out) = with_key(&unsigned, "s3cret");
    assert_eq!(code, 6, "{out}");
    assert!(out.contains("the record is not signed"), "{out}");
}
