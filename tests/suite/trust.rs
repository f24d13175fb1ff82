//! Trust: the demo never touches real data, read-only never writes a file,
//! nothing installs an extension, reports and audits never write over the
//! database, tables show only what the viewer may see, and a period past
//! the snapshot says so.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::fixture::{Snapshot, query};
use crate::shell::{deskql, demo_db};

fn file_sha256(path: &Path) -> String {
    format!("{:x}", Sha256::digest(std::fs::read(path).unwrap()))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn the_demo_writes_its_own_file_and_never_touches_real_data() {
    let tmp = TempDir::new().unwrap();
    // Without --db, in an empty folder: ./deskql-demo.duckdb, said at the end.
    let mut demo = assert_cmd::Command::cargo_bin("deskql").unwrap();
    let output = demo.env_remove("DESKQL_DB").env("PAGER", "").current_dir(tmp.path()).arg("demo").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("The demo database is deskql-demo.duckdb. Next:"), "{text}");
    assert!(tmp.path().join("deskql-demo.duckdb").exists());
    assert!(!tmp.path().join("deskql.duckdb").exists(), "the user's default database is not created");
    // Again: a no-op on its own file.
    let again = assert_cmd::Command::cargo_bin("deskql").unwrap().env_remove("DESKQL_DB").current_dir(tmp.path()).arg("demo").output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    // A real database, named with --db: refused, untouched.
    let real = tmp.path().join("real.duckdb");
    let dir = Snapshot::minimal().write(&tmp.path().join("snap"));
    crate::fixture::deskql(&real).args(["ingest", "--snapshot", "2025-04-01", "--as-of", "2025-04-01"]).arg(&dir).assert().success();
    let before = file_sha256(&real);
    deskql(&real).arg("demo").assert().code(1).stderr(predicate::str::contains("holds snapshot \"2025-04-01\", which the demo did not make"));
    assert_eq!(file_sha256(&real), before);
}

#[test]
fn read_only_statements_never_write_a_file() {
    let (tmp, db) = demo_db();
    let before = file_sha256(&db);
    let listing = files_in(tmp.path());
    let target = |name: &str| tmp.path().join(name).display().to_string();
    let db_text = db.display().to_string();
    let writes = [
        format!("COPY (SELECT 'x') TO '{db_text}'"),
        format!("/* sneaky */ copy (SELECT 1) TO '{}' (FORMAT csv)", target("out.csv")),
        format!("COPY conversations TO '{}' (FORMAT parquet)", target("out.parquet")),
        format!("EXPORT DATABASE '{}'", target("exported")),
        format!("ATTACH '{}' AS other", target("other.duckdb")),
        format!("EXPLAIN ANALYZE COPY (SELECT 1) TO '{}'", target("explained.csv")),
        format!("PREPARE w AS COPY (SELECT 1) TO '{}'", target("prepared.csv")),
        format!("SET profiling_output = '{db_text}'"),
        format!("PRAGMA profiling_output = '{}'", target("profile.json")),
        format!("SET log_query_path = '{}'", target("queries.log")),
        "SET enable_profiling = 'json'".to_string(),
        "CREATE TABLE t AS SELECT 1".to_string(),
    ];
    for sql in &writes {
        let output = deskql(&db).args(["sql", sql]).output().unwrap();
        assert!(!output.status.success(), "read-only ran {sql:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        // The same through a script, with a query after it.
        let output = deskql(&db).arg("repl").write_stdin(format!("{sql};\nSELECT 1;\n")).output().unwrap();
        assert!(!output.status.success(), "read-only script ran {sql:?}");
    }
    assert_eq!(file_sha256(&db), before, "the database is untouched");
    assert_eq!(files_in(tmp.path()), listing, "no file was written");
    deskql(&db)
        .args(["sql", "COPY (SELECT 1) TO 'x.csv'"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("COPY writes files, and this session is read-only").and(predicate::str::contains("--write")));
    // Reading a local file stays allowed.
    let csv = tmp.path().join("in.csv");
    std::fs::write(&csv, "a\n1\n2\n").unwrap();
    let output = deskql(&db).args(["sql", &format!("SELECT sum(a) AS s FROM read_csv('{}')", csv.display()), "--format", "csv"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "s\n3\n", "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn no_statement_installs_an_extension_or_changes_the_guards() {
    let (_tmp, db) = demo_db();
    for sql in [
        "/* x */ SET custom_extension_repository='http://127.0.0.1:9/ext'; /* x */ INSTALL httpfs;",
        "INSTALL httpfs FROM 'http://127.0.0.1:9/ext'",
        "-- c\n  install\thttpfs",
        "/* a /* b */ */ FORCE INSTALL httpfs",
        "LOAD httpfs",
        "UPDATE EXTENSIONS",
        "SET autoinstall_known_extensions = true",
        "SET autoload_known_extensions = true",
        "SET allow_community_extensions = true",
        "RESET custom_extension_repository",
        "SET lock_configuration = false",
    ] {
        for write in [false, true] {
            let mut cmd = deskql(&db);
            cmd.arg("sql").arg(sql);
            if write {
                cmd.arg("--write");
            }
            let output = cmd.output().unwrap();
            assert!(!output.status.success(), "{sql:?} (write: {write}) ran");
        }
    }
    // Reading a Parquet file over http would need an extension: it fails without a download.
    let output = deskql(&db).args(["sql", "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')"]).output().unwrap();
    assert!(!output.status.success());
    assert_eq!(query(&db, "SELECT count(*) FROM duckdb_extensions() WHERE installed AND install_mode = 'REPOSITORY'"), vec!["0"]);
}

#[test]
fn reports_and_audits_never_write_over_the_database() {
    let (tmp, db) = demo_db();
    let before = file_sha256(&db);
    let linked = tmp.path().join("link.duckdb");
    std::os::unix::fs::symlink(&db, &linked).unwrap();
    for target in [db.clone(), linked, tmp.path().join(".").join("demo.duckdb")] {
        deskql(&db)
            .args(["report", "company", "--account", "1", "--month", "2026-10", "--output"])
            .arg(&target)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("it is the database"));
        deskql(&db)
            .args(["audit", "run", "company", "--account", "1", "--month", "2026-10", "--output"])
            .arg(&target)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("it is the database"));
        let output = deskql(&db).arg("repl").write_stdin(format!(".output {}\nSELECT 1;\n", target.display())).output().unwrap();
        assert!(!output.status.success());
    }
    assert_eq!(file_sha256(&db), before);
    // A failed report leaves no file.
    let html = tmp.path().join("r.html");
    deskql(&db).args(["report", "company", "--account", "999", "--month", "2026-10", "--output"]).arg(&html).assert().code(1);
    assert!(!html.exists(), "no empty file after a failed report");
    deskql(&db).args(["report", "company", "--account", "1", "--month", "2026-10", "--format", "html", "--output"]).arg(&html).assert().success();
    assert!(std::fs::read_to_string(&html).unwrap().contains("<html"));
}

#[test]
fn a_period_past_the_snapshot_says_so_and_one_after_it_is_refused() {
    let (_tmp, db) = demo_db();
    // sample-2 is as of 2026-11-08: November is partly known.
    let output = deskql(&db).args(["report", "company", "--account", "1", "--month", "2026-11", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["header"]["data_until"], "2026-11-08T00:00:00Z");
    assert!(doc["header"]["notes"].to_string().contains("data until 2026-11-08T00:00:00Z"), "{}", doc["header"]["notes"]);
    let text = deskql(&db).args(["report", "company", "--account", "1", "--month", "2026-11"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("data until 2026-11-08"));
    deskql(&db)
        .args(["report", "company", "--account", "1", "--month", "2026-12"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("starts after snapshot sample-2's as-of time"));
    let october = deskql(&db).args(["report", "company", "--account", "1", "--month", "2026-10", "--format", "json"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&october.stdout).unwrap();
    assert_eq!(doc["header"]["data_until"], Value::Null);
}

#[test]
fn a_piped_script_lets_a_waiting_ingest_in() {
    let (tmp, db) = demo_db();
    // A long script of quick read-only statements, running while an ingest waits.
    let statements: String = (0..4000).map(|i| format!("SELECT {i} AS n;\n")).collect();
    let mut script = std::process::Command::new(assert_cmd::cargo::cargo_bin("deskql"))
        .env_remove("DESKQL_DB")
        .env("PAGER", "")
        .args(["--db"])
        .arg(&db)
        .args(["repl", "--wait", "60"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut input = script.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = input.write_all(statements.as_bytes());
        });
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let dir = Snapshot::minimal().write(&tmp.path().join("snap"));
    let started = std::time::Instant::now();
    crate::fixture::deskql(&db)
        .args(["ingest", "--snapshot", "third", "--as-of", "2026-11-15", "--wait", "10"])
        .arg(&dir)
        .assert()
        .success();
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "the ingest got in between two statements");
    let status = script.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut script.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "the script rode through the ingest (--wait): {stderr}");
}

/// The conversation numbers the viewer may see: those of the inboxes they
/// can access in the latest snapshot.
fn visible_numbers(db: &Path, account: i64, viewer: i64) -> Vec<String> {
    query(
        db,
        &format!(
            "SELECT DISTINCT c.number FROM conversations c WHERE c.account_id = {account} AND c.inbox_id IN \
             (SELECT inbox_id FROM metrics.visible_inboxes({account}, viewer := {viewer})) ORDER BY 1"
        ),
    )
}

#[test]
fn every_table_shows_only_what_the_viewer_may_see() {
    let (_tmp, db) = demo_db();
    // A user of role `user` with the reports permission and access to some inboxes, not all.
    let viewers = query(
        &db,
        "WITH access AS (SELECT account_id, user_id, count(*) AS inboxes FROM user_inboxes GROUP BY ALL), \
              totals AS (SELECT account_id, count(*) AS inboxes FROM inboxes GROUP BY ALL) \
         SELECT u.account_id || '|' || u.user_id FROM users u JOIN access a USING (account_id, user_id) JOIN totals t USING (account_id) \
         WHERE u.role = 'user' AND u.can_view_reports AND u.deleted_at IS NULL AND a.inboxes < t.inboxes ORDER BY 1 LIMIT 1",
    );
    let (account, viewer) = viewers[0].split_once('|').map(|(a, v)| (a.parse::<i64>().unwrap(), v.parse::<i64>().unwrap())).unwrap();
    let visible = visible_numbers(&db, account, viewer);
    let (account_text, viewer_text) = (account.to_string(), viewer.to_string());
    let common = ["--account", account_text.as_str(), "--month", "2026-10", "--as-user", viewer_text.as_str(), "--format", "json"];
    let mut seen_rows = 0;
    for (kind, extra) in [("company", vec![]), ("user", vec!["--user", viewer_text.as_str()]), ("happiness", vec![]), ("team", vec![])] {
        let mut args = vec!["report", kind];
        args.extend(common);
        if kind == "team" {
            let teams = query(&db, &format!("SELECT team_id FROM team_members WHERE account_id = {account} ORDER BY 1 LIMIT 1"));
            let Some(team) = teams.first() else { continue };
            args.extend(["--team", Box::leak(team.clone().into_boxed_str())]);
        }
        args.extend(extra);
        let output = deskql(&db).args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        for table in doc["tables"].as_array().unwrap() {
            for row in table["rows"].as_array().unwrap() {
                let number = row.get("number").or_else(|| row.get("conversation_number"));
                if let Some(number) = number.filter(|n| !n.is_null()) {
                    seen_rows += 1;
                    assert!(visible.contains(&number.to_string()), "{kind} table {}: conversation {number} is in an inbox user {viewer} cannot see", table["name"]);
                }
            }
        }
    }
    assert!(seen_rows > 0, "the check saw conversation rows");
    // audit diff lists only the viewer's conversations too
    let mut args = vec!["audit", "diff", "company", "--snapshot", "sample-1", "--snapshot", "sample-2"];
    args.extend(common);
    let output = deskql(&db).args(&args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    let all = deskql(&db).args(["audit", "diff", "company", "--snapshot", "sample-1", "--snapshot", "sample-2", "--format", "json", "--account", &account_text, "--month", "2026-10"]).output().unwrap();
    let everything: Value = serde_json::from_slice(&all.stdout).unwrap();
    let listed = diff["conversations"].as_array().unwrap();
    assert!(listed.len() < everything["conversations"].as_array().unwrap().len(), "the viewer sees fewer changed conversations than the account has");
    for row in listed {
        assert!(visible.contains(&row["number"].to_string()), "audit diff lists conversation {} outside the viewer's inboxes", row["number"]);
    }
}

#[test]
fn the_latest_snapshot_decides_who_may_read() {
    let (tmp, db) = demo_db();
    let viewer = query(&db, "SELECT user_id FROM users WHERE account_id = 1 AND role = 'admin' AND can_view_reports AND deleted_at IS NULL ORDER BY 1 LIMIT 1").remove(0);
    let args = ["report", "company", "--account", "1", "--month", "2026-10", "--snapshot", "sample-1", "--as-user", viewer.as_str()];
    deskql(&db).args(args).assert().success();
    revoke_in_new_snapshot(&db, tmp.path(), &viewer);
    deskql(&db).args(args).assert().code(1).stderr(predicate::str::contains("lacks the reports permission"));
}

/// Ingest a copy of the latest snapshot where `viewer` lost the reports permission.
fn revoke_in_new_snapshot(db: &Path, dir: &Path, viewer: &str) {
    let snap = dir.join("revoked");
    std::fs::create_dir_all(&snap).unwrap();
    let tables = query(db, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'hist' ORDER BY 1");
    let sql: Vec<String> = tables
        .iter()
        .map(|t| {
            let select = if t == "users" {
                format!("SELECT * REPLACE (CASE WHEN user_id = {viewer} THEN false ELSE can_view_reports END AS can_view_reports) FROM users")
            } else {
                format!("SELECT * FROM {t}")
            };
            format!("COPY ({select}) TO '{}' (FORMAT parquet)", snap.join(format!("{t}.parquet")).display())
        })
        .collect();
    deskql(db).args(["sql", "--write", &sql.join("; ")]).assert().success();
    crate::fixture::deskql(db).args(["ingest", "--snapshot", "revoked", "--as-of", "2026-11-09"]).arg(&snap).assert().success();
}
