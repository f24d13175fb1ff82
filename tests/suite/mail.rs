//! The monthly usage email (issue 16): the contract table `account_contacts`
//! and its checks, the batch `report usage --all-accounts` (each file is the
//! single-account report), and `deskql mail usage` against a real SMTP
//! server on 127.0.0.1 (aiosmtpd, `tests/mail/smtp_server.py`): what
//! arrives, to whom, in which parts; the HTML part in headless chromium;
//! exactly once across reruns; a refused recipient, a dropped connection
//! and an unreachable server recorded and completed by a rerun.
//!
//! Contacts of the usage snapshot (`fixture/usage.rs`): Acme (1) has two
//! primary contacts and a secondary one, Beta (2) one, Gamma (3) only a
//! secondary one (no email for it).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::fixture::{deskql, query, stdout, usage};

const CONTACTS: &str = "SELECT * FROM (VALUES \
    (1::BIGINT, 'ann@acme.test', 'Ann Admin', true), \
    (1, 'bob@acme.test', 'Bob', true), \
    (1, 'cy@acme.test', 'Cy', false), \
    (2, 'gus@beta.test', 'Gus', true), \
    (3, 'ivy@gamma.test', 'Ivy', false)) t(account_id, email, name, is_primary)";

const MONTH: &str = "2025-10";
const FROM: &str = "Customer Success <success@vendor.test>";

fn mail_db(tmp: &TempDir) -> PathBuf {
    let db = tmp.path().join("mail.duckdb");
    let dir = usage::snapshot().with("account_contacts", CONTACTS).write(&tmp.path().join("snapshot"));
    deskql(&db).args(["ingest", "--snapshot", "u", "--as-of", "2025-11-15"]).arg(&dir).assert().success();
    db
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

// ---------------------------------------------------------------- contract

#[test]
fn contacts_with_a_bad_address_or_twice_the_same_are_refused_with_the_row() {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("bad.duckdb");
    let bad = "SELECT * FROM (VALUES (1::BIGINT, 'ann@acme.test', 'Ann', true), (1, 'not an address', 'Bob', true)) t(account_id, email, name, is_primary)";
    let dir = usage::snapshot().with("account_contacts", bad).write(&tmp.path().join("bad"));
    let output = deskql(&db).args(["ingest", "--as-of", "2025-11-15"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "an invalid snapshot");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("account_contacts") && stderr.contains("email"), "{stderr}");
    assert!(stderr.contains("not an email address") && stderr.contains("row 2 of") && stderr.contains("\"not an address\""), "the row named: {stderr}");

    let twice = "SELECT * FROM (VALUES (1::BIGINT, 'ann@acme.test', 'Ann', true), (1, 'ann@acme.test', 'Ann again', false)) t(account_id, email, name, is_primary)";
    let dir = usage::snapshot().with("account_contacts", twice).write(&tmp.path().join("twice"));
    let output = deskql(&db).args(["ingest", "--as-of", "2025-11-15"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("duplicated primary key") && stderr.contains("email=ann@acme.test"), "{stderr}");
    assert!(!db.exists(), "a refused first ingest leaves no database");
}

// ------------------------------------------------------------------- batch

#[test]
fn mail_batch_files_are_the_single_account_reports() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let out = tmp.path().join("batch");
    deskql(&db)
        .args(["report", "usage", "--all-accounts", "--month", MONTH, "--format", "json", "--out-dir"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let index = read_json(&out.join("index.json"));
    assert_eq!(index["format"], "deskql.usage-batch/1");
    let reports = index["reports"].as_array().unwrap();
    assert_eq!(reports.iter().map(|r| r["account"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    for entry in reports {
        let account = entry["account"].as_i64().unwrap().to_string();
        assert_eq!(entry["file"], format!("{account}.json"));
        assert_eq!(entry["month"], MONTH);
        let batch = read_json(&out.join(entry["file"].as_str().unwrap()));
        let single: Value = serde_json::from_str(&stdout(&db, &["report", "usage", "--account", &account, "--month", MONTH, "--format", "json"])).unwrap();
        assert_eq!(batch, single, "account {account}: the batch document is the single report");
        // The digest is the one an audit of the same report records.
        let audit: Value = serde_json::from_str(&stdout(&db, &["audit", "run", "usage", "--account", &account, "--month", MONTH])).unwrap();
        assert_eq!(entry["digest"], audit["result_digest"], "account {account}");
    }
    let recipients = |i: usize| reports[i]["recipients"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(recipients(0), ["ann@acme.test", "bob@acme.test"], "primary contacts only");
    assert_eq!(recipients(1), ["gus@beta.test"]);
    assert!(recipients(2).is_empty());
    assert_eq!(reports[0]["recipients"][0], json!({"email": "ann@acme.test", "name": "Ann Admin"}));

    // HTML and the default month (October: the last full month before the
    // as-of in every account's zone).
    let html = tmp.path().join("html");
    deskql(&db).args(["report", "usage", "--all-accounts", "--format", "html", "--out-dir"]).arg(&html).assert().success();
    for account in ["1", "2", "3"] {
        let page = std::fs::read_to_string(html.join(format!("{account}.html"))).unwrap();
        let single = stdout(&db, &["report", "usage", "--account", account, "--format", "html"]);
        assert_eq!(page, single, "account {account}");
    }
    // In office time too (no office hours here: open 24/7, the office
    // twins in place of the times, with the schedule in the header).
    let office = tmp.path().join("office");
    deskql(&db).args(["report", "usage", "--all-accounts", "--month", MONTH, "--office-hours", "--format", "json", "--out-dir"]).arg(&office).assert().success();
    for account in ["1", "2", "3"] {
        let batch = read_json(&office.join(format!("{account}.json")));
        let single: Value = serde_json::from_str(&stdout(&db, &["report", "usage", "--account", account, "--month", MONTH, "--office-hours", "--format", "json"])).unwrap();
        assert_eq!(batch, single, "account {account}, --office-hours");
        assert!(batch["cards"].as_array().unwrap().iter().any(|c| c["metric"] == "office_time_to_resolve"), "account {account}");
    }

    let leftovers: Vec<_> = std::fs::read_dir(&html).unwrap().flatten().map(|e| e.file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");
}

#[test]
fn mail_batch_refuses_what_does_not_apply() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let out = tmp.path().join("o");
    for (args, expected) in [
        (vec!["report", "usage", "--all-accounts"], "--out-dir"),
        (vec!["report", "usage", "--all-accounts", "--account", "1", "--out-dir", "o"], "cannot be used with"),
        (vec!["report", "company", "--all-accounts", "--month", MONTH, "--out-dir", "o"], "usage report only"),
        (vec!["report", "usage", "--all-accounts", "--format", "csv", "--out-dir", "o"], "html, json or markdown"),
        (vec!["report", "usage", "--all-accounts", "--tz", "UTC", "--out-dir", "o"], "cannot be used with"),
        (vec!["report", "usage"], "--account"),
    ] {
        let output = deskql(&db).current_dir(tmp.path()).args(&args).output().unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(!out.exists(), "nothing written");
}

// -------------------------------------------------------------- mail usage

#[test]
fn mail_dry_run_says_who_would_get_what_and_sends_nothing() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let text = stdout(&db, &["mail", "usage", "--month", MONTH, "--from", FROM, "--dry-run"]);
    assert!(text.contains("account 1 (Acme), usage 2025-10:\n  ann@acme.test would send\n  bob@acme.test would send\n"), "{text}");
    assert!(text.contains("account 2 (Beta), usage 2025-10:\n  gus@beta.test would send\n"), "{text}");
    assert!(text.contains("3 message(s) to send, to the primary contacts of 2 account(s)"), "{text}");
    assert!(text.contains("skipped: account 3 (Gamma): no primary contact"), "{text}");
    assert!(!text.contains("cy@acme.test") && !text.contains("ivy@gamma.test"), "secondary contacts get nothing");
    assert_eq!(query(&db, "SELECT count(*) FROM deskql_meta.mail_deliveries"), ["0"], "a dry run records nothing");
}

#[test]
fn mail_eml_files_are_complete_messages() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let dir = tmp.path().join("eml");
    deskql(&db)
        .args(["mail", "usage", "--month", MONTH, "--account", "Beta", "--from", FROM, "--list-unsubscribe", "mailto:success@vendor.test?subject=unsubscribe", "--eml-dir"])
        .arg(&dir)
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["2.eml"]);
    let eml = std::fs::read_to_string(dir.join("2.eml")).unwrap();
    for header in [
        "From: \"Customer Success\" <success@vendor.test>",
        "To: Gus <gus@beta.test>",
        "Subject: Usage report, October 2025: Beta (account 2)",
        "List-Unsubscribe: <mailto:success@vendor.test?subject=unsubscribe>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative;",
        "Message-ID: <usage.2.2025-10.",
        "Date: ",
    ] {
        assert!(eml.contains(header), "{header} in:\n{}", &eml[..eml.len().min(1500)]);
    }
    assert!(eml.contains("Content-Type: text/plain; charset=utf-8") && eml.contains("Content-Type: text/html; charset=utf-8"));
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1, stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl SmtpServer {
    fn start(tmp: &TempDir, name: &str, options: Value) -> SmtpServer {
        let out = tmp.path().join(name);
        std::fs::create_dir_all(&out).unwrap();
        let mut options = options;
        options["out"] = json!(out.display().to_string());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_server.py");
        let mut child = Command::new(aiosmtpd_python())
            .arg(script)
            .arg(options.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("the SMTP server said {line:?}"));
        SmtpServer { child, port, out }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// What it accepted, in order: the summaries its script wrote.
    fn received(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.out).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
        names.sort();
        names.iter().map(|p| read_json(p)).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python with aiosmtpd (`.ci/run` creates it); a test without it fails
/// and says how to install it.
fn aiosmtpd_python() -> PathBuf {
    let python = std::env::var_os("DESKQL_AIOSMTPD_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/deskql-aiosmtpd/bin/python"));
    let ok = Command::new(&python).args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "the mail tests need a real SMTP server, aiosmtpd, in {}: `python3 -m venv ~/.cache/deskql-aiosmtpd && ~/.cache/deskql-aiosmtpd/bin/pip install -r tests/mail/requirements.lock` (.ci/run does it; DESKQL_AIOSMTPD_PYTHON names another Python)",
        python.display()
    );
    python
}

fn mail(db: &Path, extra: &[&str]) -> std::process::Output {
    mail_with_timeout(db, 10, extra)
}

fn mail_with_timeout(db: &Path, timeout: u64, extra: &[&str]) -> std::process::Output {
    let timeout = timeout.to_string();
    deskql(db).args(["mail", "usage", "--month", MONTH, "--from", FROM, "--timeout", &timeout, "--wait", "60"]).args(extra).output().unwrap()
}

/// The delivery records: `account|recipient|status|error?` in order of attempt.
fn records(db: &Path) -> Vec<String> {
    query(
        db,
        "SELECT account_id, recipient, status, coalesce(error IS NOT NULL, false) FROM deskql_meta.mail_deliveries ORDER BY attempted_at, account_id, recipient",
    )
}

fn text(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn mail_smtp_delivers_each_report_once_to_its_primary_contacts() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let server = SmtpServer::start(&tmp, "smtp", json!({}));
    let output = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let said = text(&output);
    assert!(said.contains("3 sent, 0 failed") && said.contains("skipped: account 3 (Gamma): no primary contact"), "{said}");

    let received = server.received();
    let envelopes: Vec<(String, Vec<Value>)> = received.iter().map(|m| (m["headers"]["Subject"].as_str().unwrap().to_string(), m["rcpt_tos"].as_array().unwrap().clone())).collect();
    assert_eq!(
        envelopes,
        [
            ("Usage report, October 2025: Acme (account 1)".to_string(), vec![json!("ann@acme.test")]),
            ("Usage report, October 2025: Acme (account 1)".to_string(), vec![json!("bob@acme.test")]),
            ("Usage report, October 2025: Beta (account 2)".to_string(), vec![json!("gus@beta.test")]),
        ],
        "one envelope per primary contact"
    );
    for message in &received {
        assert_eq!(message["mail_from"], "success@vendor.test");
        assert_eq!(message["parts"], json!(["multipart/alternative", "text/plain", "text/html"]));
        assert_eq!(message["defects"], json!([]), "Python's email parser finds no defect");
        let headers = &message["headers"];
        assert!(headers["Date"].is_string() && headers["Message-ID"].as_str().unwrap().starts_with("<usage."), "{headers}");
    }
    let acme = &received[0]["headers"];
    assert_eq!(acme["To"], "Ann Admin <ann@acme.test>, Bob <bob@acme.test>", "both primary contacts, no secondary");
    assert_eq!(acme["Message-ID"], received[1]["headers"]["Message-ID"], "one message per account");

    // The plain text part reads on its own. (MIME text travels with CRLF
    // line ends, its canonical form; a mail client shows lines.)
    let part = |name: &str| std::fs::read_to_string(server.out.join(name)).unwrap().replace("\r\n", "\n");
    let plain = part("001.txt");
    for expected in ["Usage report for Acme, October 2025", "Performance\n-----------", "CSAT", "benchmark", "Adoption of features", "Predict"] {
        assert!(plain.contains(expected), "{expected:?} in the text part:\n{plain}");
    }
    let beta = part("003.txt");
    assert!(beta.contains("Predict: not enabled for this account."), "{beta}");
    let html = part("001.html");
    assert_eq!(html, stdout(&db, &["report", "usage", "--account", "1", "--month", MONTH, "--format", "html"]), "the HTML part is the report");
    render_in_chromium(&tmp, &server.out.join("001.html"));

    let rows = records(&db);
    assert_eq!(rows, ["1|ann@acme.test|sent|false", "1|bob@acme.test|sent|false", "2|gus@beta.test|sent|false"]);
    let detail = query(&db, "SELECT DISTINCT month, snapshot_id, report, server, length(digest), message_id LIKE 'usage.1.2025-10.%' OR account_id <> 1 FROM deskql_meta.mail_deliveries");
    assert_eq!(detail, [format!("2025-10|u|usage|{}|64|true", server.url())]);

    // A rerun sends nothing; --resend does.
    let again = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(text(&again).contains("0 sent, 0 failed, 3 already sent before"), "{}", text(&again));
    assert_eq!(server.received().len(), 3, "nothing sent again");
    let dry = stdout(&db, &["mail", "usage", "--month", MONTH, "--from", FROM, "--dry-run"]);
    let sent_at = query(&db, "SELECT strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') FROM deskql_meta.mail_deliveries WHERE recipient = 'ann@acme.test'");
    assert!(dry.contains(&format!("  ann@acme.test already sent at {}; not again", sent_at[0])) && dry.contains("0 message(s) to send"), "{dry}");
    let resend = mail(&db, &["--smtp", &server.url(), "--account", "2", "--resend"]);
    assert_eq!(resend.status.code(), Some(0), "{}", text(&resend));
    assert_eq!(server.received().len(), 4);
    assert_eq!(server.received()[3]["rcpt_tos"], json!(["gus@beta.test"]));
}

#[test]
fn mail_a_refused_recipient_is_recorded_and_a_rerun_sends_only_it() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let refusing = SmtpServer::start(&tmp, "refusing", json!({"refuse": ["bob@acme.test"]}));
    let output = mail(&db, &["--smtp", &refusing.url()]);
    assert_eq!(output.status.code(), Some(7), "some deliveries failed: {}", text(&output));
    let said = text(&output);
    assert!(said.contains("FAILED: account 1 (Acme) to bob@acme.test: refused (permanent)") && said.contains("550"), "{said}");
    assert!(said.contains("2 sent, 1 failed"), "{said}");
    assert_eq!(refusing.received().len(), 2, "the others went on");
    assert_eq!(records(&db), ["1|ann@acme.test|sent|false", "1|bob@acme.test|failed|true", "2|gus@beta.test|sent|false"]);
    let error = query(&db, "SELECT error FROM deskql_meta.mail_deliveries WHERE status = 'failed'");
    assert!(error[0].contains("550") && error[0].contains("mailbox unavailable"), "{error:?}");

    let server = SmtpServer::start(&tmp, "fixed", json!({}));
    let rerun = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    let received = server.received();
    assert_eq!(received.len(), 1, "only what was not sent");
    assert_eq!(received[0]["rcpt_tos"], json!(["bob@acme.test"]));
    assert_eq!(records(&db).last().unwrap(), "1|bob@acme.test|sent|false");
}

#[test]
fn mail_a_connection_dropped_mid_message_fails_that_recipient_only() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    // The second message's DATA gets no answer: the server closes the connection.
    let dropping = SmtpServer::start(&tmp, "dropping", json!({"drop_at_data": 2}));
    let output = mail(&db, &["--smtp", &dropping.url()]);
    assert_eq!(output.status.code(), Some(7), "{}", text(&output));
    assert_eq!(records(&db), ["1|ann@acme.test|sent|false", "1|bob@acme.test|failed|true", "2|gus@beta.test|sent|false"], "nothing unanswered is recorded as sent");
    let rerun = mail(&db, &["--smtp", &dropping.url()]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(dropping.received().len(), 3);
    assert_eq!(dropping.received()[2]["rcpt_tos"], json!(["bob@acme.test"]));
}

#[test]
fn mail_a_server_that_hangs_times_out_for_that_recipient_only() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    // bob's RCPT TO gets no answer for a minute; the client waits 2 s.
    let hanging = SmtpServer::start(&tmp, "hanging", json!({"stall": ["bob@acme.test"]}));
    let started = std::time::Instant::now();
    let output = mail_with_timeout(&db, 2, &["--smtp", &hanging.url()]);
    assert_eq!(output.status.code(), Some(7), "{}", text(&output));
    assert!(started.elapsed().as_secs() < 30, "the timeout, not the server, ended the wait");
    let said = text(&output);
    assert!(said.contains("FAILED: account 1 (Acme) to bob@acme.test: timed out: no answer from smtp://127.0.0.1:") && said.contains("2 sent, 1 failed"), "{said}");
    assert_eq!(records(&db), ["1|ann@acme.test|sent|false", "1|bob@acme.test|failed|true", "2|gus@beta.test|sent|false"]);
    assert_eq!(hanging.received().len(), 2, "the others went on");

    let server = SmtpServer::start(&tmp, "answering", json!({}));
    let rerun = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(server.received().iter().map(|m| m["rcpt_tos"].clone()).collect::<Vec<_>>(), [json!(["bob@acme.test"])]);
    assert_eq!(records(&db).last().unwrap(), "1|bob@acme.test|sent|false");
}

#[test]
fn mail_a_delivery_left_in_doubt_is_not_sent_again_without_resend() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    // A run killed while bob's message was with the server: its row stayed 'sending'.
    deskql(&db)
        .args([
            "sql",
            "--write",
            "INSERT INTO deskql_meta.mail_deliveries (report, account_id, month, recipient, snapshot_id, digest, message_id, server, status, attempted_at) \
             VALUES ('usage', 1, '2025-10', 'bob@acme.test', 'u', 'd', 'usage.1.2025-10.x@vendor.test', 'smtp://127.0.0.1:1', 'sending', TIMESTAMP '2025-11-01 06:00:00')",
        ])
        .assert()
        .success();
    let server = SmtpServer::start(&tmp, "doubt", json!({}));
    let dry = stdout(&db, &["mail", "usage", "--month", MONTH, "--from", FROM, "--dry-run"]);
    assert!(dry.contains("  bob@acme.test in doubt: a run stopped while sending at 2025-11-01T06:00:00Z; not again"), "{dry}");
    let output = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(output.status.code(), Some(7), "in doubt is not all delivered: {}", text(&output));
    assert!(text(&output).contains("2 sent, 0 failed, 0 already sent before, 1 in doubt"), "{}", text(&output));
    let to: Vec<Value> = server.received().iter().map(|m| m["rcpt_tos"].clone()).collect();
    assert_eq!(to, [json!(["ann@acme.test"]), json!(["gus@beta.test"])], "bob is not sent twice");

    let resend = mail(&db, &["--smtp", &server.url(), "--account", "1", "--resend"]);
    assert_eq!(resend.status.code(), Some(0), "{}", text(&resend));
    let to: Vec<Value> = server.received().iter().skip(2).map(|m| m["rcpt_tos"].clone()).collect();
    assert_eq!(to, [json!(["ann@acme.test"]), json!(["bob@acme.test"])], "--resend --account 1: both of Acme's");
}

#[test]
fn mail_an_unreachable_server_fails_every_delivery_and_records_none_as_sent() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = mail(&db, &["--smtp", &format!("smtp://127.0.0.1:{port}")]);
    assert_eq!(output.status.code(), Some(7), "{}", text(&output));
    assert!(text(&output).contains("connection failed"), "{}", text(&output));
    assert_eq!(records(&db), ["1|ann@acme.test|failed|true", "1|bob@acme.test|failed|true", "2|gus@beta.test|failed|true"]);

    let server = SmtpServer::start(&tmp, "up", json!({}));
    let rerun = mail(&db, &["--smtp", &server.url()]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(server.received().len(), 3);
}

/// The test certificate (tests/mail/tls/), trusted by deskql through
/// OpenSSL's SSL_CERT_FILE, and the server options that use it.
fn tls_files() -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/tls");
    (dir.join("cert.pem").display().to_string(), dir.join("key.pem").display().to_string())
}

fn mail_over_tls(db: &Path, url: &str, login: Option<(&str, &str)>, trust: bool) -> std::process::Output {
    let (cert, _) = tls_files();
    let mut command = deskql(db);
    command.args(["mail", "usage", "--month", MONTH, "--from", FROM, "--timeout", "10", "--wait", "60", "--smtp", url]);
    command.env_remove("DESKQL_SMTP_USER").env_remove("DESKQL_SMTP_PASSWORD").env_remove("SSL_CERT_DIR");
    if trust {
        command.env("SSL_CERT_FILE", &cert);
    } else {
        // The system's store, which does not know the test certificate.
        command.env_remove("SSL_CERT_FILE");
    }
    if let Some((user, password)) = login {
        command.env("DESKQL_SMTP_USER", user).env("DESKQL_SMTP_PASSWORD", password);
    }
    command.output().unwrap()
}

#[test]
fn mail_starttls_with_a_login_from_the_environment() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let (cert, key) = tls_files();
    let server = SmtpServer::start(&tmp, "starttls", json!({"tls": "starttls", "cert": cert, "key": key, "logins": {"reports": "s3cret pass"}}));
    let url = format!("{}?tls=required", server.url());

    // A wrong password: every delivery refused (535), recorded, none sent.
    let output = mail_over_tls(&db, &url, Some(("reports", "wrong")), true);
    assert_eq!(output.status.code(), Some(7), "{}", text(&output));
    assert!(text(&output).contains("535"), "{}", text(&output));
    assert_eq!(records(&db), ["1|ann@acme.test|failed|true", "1|bob@acme.test|failed|true", "2|gus@beta.test|failed|true"]);
    assert!(server.received().is_empty());

    // The right one: delivered over TLS, as that user; the password is
    // nowhere in what deskql said or recorded.
    let output = mail_over_tls(&db, &url, Some(("reports", "s3cret pass")), true);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let received = server.received();
    assert_eq!(received.len(), 3);
    for message in &received {
        assert_eq!((message["tls"].clone(), message["login"].clone()), (json!(true), json!("reports")), "{message}");
    }
    assert!(!text(&output).contains("s3cret"));
    let stored = query(&db, "SELECT count(*) FROM deskql_meta.mail_deliveries WHERE contains(coalesce(error, '') || server, 's3cret')");
    assert_eq!(stored, ["0"]);
    assert_eq!(query(&db, "SELECT DISTINCT server FROM deskql_meta.mail_deliveries"), [server.url()]);
}

#[test]
fn mail_smtps_checks_the_server_certificate() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let (cert, key) = tls_files();
    let server = SmtpServer::start(&tmp, "smtps", json!({"tls": "smtps", "cert": cert, "key": key}));
    let url = format!("smtps://127.0.0.1:{}", server.port);

    // A certificate deskql has no reason to trust: nothing is sent.
    let output = mail_over_tls(&db, &url, None, false);
    assert_eq!(output.status.code(), Some(7), "{}", text(&output));
    assert!(text(&output).contains("TLS") && text(&output).contains("certificate"), "{}", text(&output));
    assert!(server.received().is_empty());
    assert!(records(&db).iter().all(|r| r.ends_with("|failed|true")), "{:?}", records(&db));

    let output = mail_over_tls(&db, &url, None, true);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|m| m["tls"] == json!(true) && m["login"].is_null()));
    assert_eq!(query(&db, "SELECT DISTINCT server FROM deskql_meta.mail_deliveries"), [url]);
}

#[test]
fn mail_credentials_never_come_from_the_command_line() {
    let tmp = TempDir::new().unwrap();
    let db = mail_db(&tmp);
    let output = mail(&db, &["--smtp", "smtp://user:secret@127.0.0.1:25"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("DESKQL_SMTP_PASSWORD"), "{}", text(&output));
    let output = deskql(&db)
        .env("DESKQL_SMTP_USER", "u")
        .env("DESKQL_SMTP_PASSWORD", "p")
        .args(["mail", "usage", "--from", FROM, "--smtp", "smtp://127.0.0.1:25"])
        .output()
        .unwrap();
    assert!(text(&output).contains("in clear"), "{}", text(&output));
    let output = deskql(&db).args(["mail", "usage", "--from", FROM]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "one of --dry-run, --eml-dir, --smtp is required");
}

/// The HTML part as a person sees it: headless chromium (Debian's) loads
/// it, takes a screenshot (kept with DESKQL_KEEP_SCREENSHOTS=DIR) and
/// dumps the DOM it built: every section and the charts are there.
fn render_in_chromium(tmp: &TempDir, html: &Path) {
    let profile = tmp.path().join("chromium-profile");
    let run = |extra: &str| crate::fixture::run_chromium(&profile, html, (900, 2000), &[extra.to_string()]);
    let shot = tmp.path().join("mail.png");
    run(&format!("--screenshot={}", shot.display()));
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot ({} bytes)", png.len());
    if let Ok(keep) = std::env::var("DESKQL_KEEP_SCREENSHOTS") {
        std::fs::copy(&shot, Path::new(&keep).join("mail-usage-1.png")).unwrap();
    }
    let dom = String::from_utf8(run("--dump-dom").stdout).unwrap();
    for title in ["Performance", "Contract vs usage", "Predict", "QuickSearch Bot", "Custom bots", "Feature usage"] {
        assert!(dom.contains(&format!(">{title}</h2>")), "{title} rendered");
    }
    assert!(dom.contains("data-table=\"features\"") && dom.contains("Adoption of features"));
    assert_eq!(dom.matches("<svg").count(), 5, "one account-vs-benchmark chart per benchmarked figure");
}
