//! `deskql import helpscout` against the REAL tap: tap-helpscout 1.2.2 from
//! PyPI runs against a local stand-in of the Help Scout Mailbox API 2.0
//! (`tests/helpscout/fixture_server.py`, routed by `run_tap.py`), its output
//! is imported, ingested and reported on, and the figures are the ones
//! computed by hand from the fixtures (`tests/helpscout/make_fixtures.py`;
//! the derivations are next to each expected value below).
//!
//! The tap lives in its own virtual environment, which `.ci/run` creates:
//! `$DESKQL_TAP_HELPSCOUT_PYTHON`, else `~/.cache/deskql-tap-helpscout/bin/python`.
//! Without it these tests fail, saying how to install it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use assert_cmd::assert::OutputAssertExt;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use crate::fixture::{deskql, query, stdout};

const TAP_VERSION: &str = "1.2.2";
const DEFAULT_VENV: &str = ".cache/deskql-tap-helpscout";
const INVALID: i32 = 3;
const USAGE: i32 = 2;

fn harness(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helpscout").join(file)
}

/// The Python of the tap's virtual environment; fails the test (never
/// skips it) when the tap is not installed there.
fn tap_python() -> PathBuf {
    let python = match std::env::var_os("DESKQL_TAP_HELPSCOUT_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(DEFAULT_VENV).join("bin/python"),
    };
    let probe = Command::new(&python).args(["-c", "import importlib.metadata as m, tap_helpscout; print(m.version('tap-helpscout'))"]).output();
    let version = probe.ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    assert_eq!(
        version.as_deref(),
        Some(TAP_VERSION),
        "tap-helpscout {TAP_VERSION} is not installed for {}. Run .ci/run, or:\n  python3 -m venv ~/{DEFAULT_VENV} && ~/{DEFAULT_VENV}/bin/pip install -r tests/helpscout/requirements.lock\n\
         (or point DESKQL_TAP_HELPSCOUT_PYTHON at the python of a virtual environment that has it)",
        python.display()
    );
    python
}

/// `fixture_server.py` on a free 127.0.0.1 port; stopped (by its own pid) when dropped.
struct FixtureServer {
    child: Child,
    base: String,
}

impl FixtureServer {
    fn start(python: &Path, revision: u32) -> FixtureServer {
        let mut child = Command::new(python)
            .arg(harness("fixture_server.py"))
            .args(["0", "--revision", &revision.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the fixture server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("the fixture server printed {line:?}, not its port"));
        FixtureServer { child, base: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The real tap through the routing wrapper, with a writable copy of the
/// config (the tap writes the rotated refresh token back into it).
fn tap(python: &Path, server: &FixtureServer, config: &Path, extra: &[&str], log: &Path) -> Command {
    let mut cmd = Command::new(python);
    cmd.arg(harness("run_tap.py"))
        .args(["--base", &server.base, "--", "-c"])
        .arg(config)
        .arg("--catalog")
        .arg(harness("catalog.json"))
        .args(extra)
        .stderr(std::fs::File::create(log).unwrap());
    cmd
}

fn deskql_bin() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("deskql"));
    cmd.env_remove("DESKQL_DB");
    cmd
}

const ACCOUNT: [&str; 6] = ["--account-id", "1", "--account-name", "Acme", "--plan", "plus"];

/// `tap | deskql import helpscout ... - --out <out>`, keeping a copy of
/// what went through the pipe. Returns the tap's output and the import's
/// JSON summary.
fn tap_piped_into_import(python: &Path, server: &FixtureServer, config: &Path, work: &Path, out: &Path) -> (Vec<u8>, Value) {
    let mut tap = tap(python, server, config, &[], &work.join("tap-full.log")).stdout(Stdio::piped()).spawn().unwrap();
    let mut import = deskql_bin()
        .args(["import", "helpscout"])
        .args(ACCOUNT)
        .args(["--json", "-", "--out"])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut from_tap = tap.stdout.take().unwrap();
    let mut to_import = import.stdin.take().unwrap();
    let tee = std::thread::spawn(move || {
        let mut copy = Vec::new();
        let mut buffer = [0u8; 64 * 1024];
        // Drain the tap even if the import stopped reading (its error is asserted below).
        let mut importing = true;
        loop {
            let n = from_tap.read(&mut buffer).unwrap();
            if n == 0 {
                break copy;
            }
            importing = importing && to_import.write_all(&buffer[..n]).is_ok();
            copy.extend_from_slice(&buffer[..n]);
        }
    });
    let output = import.wait_with_output().unwrap();
    let copy = tee.join().unwrap();
    assert!(output.status.success(), "import failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(tap.wait().unwrap().success(), "the tap failed: {}", std::fs::read_to_string(work.join("tap-full.log")).unwrap());
    (copy, serde_json::from_slice(&output.stdout).unwrap())
}

fn import_file(input: &Path, out: &Path, extra: &[&str]) -> Value {
    let output = deskql_bin().args(["import", "helpscout"]).args(ACCOUNT).args(extra).args(["--json"]).arg(input).arg("--out").arg(out).output().unwrap();
    assert!(output.status.success(), "import failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ingest(db: &Path, dir: &Path, args: &[&str]) {
    deskql(db).arg("ingest").arg(dir).args(args).assert().success();
}

const OCTOBER: [&str; 4] = ["--from", "2026-10-01", "--to", "2026-11-01"];

fn report(db: &Path, kind: &str, extra: &[&str]) -> Value {
    let args: Vec<&str> = [&["report", kind, "--account", "1", "--format", "json"][..], &OCTOBER[..], extra].concat();
    serde_json::from_str(&stdout(db, &args)).unwrap()
}

/// Every expected `section/metric` card has the value (to 1e-6, relative).
fn assert_cards(doc: &Value, what: &str, expected: &[(&str, f64)]) {
    let cards: BTreeMap<String, Option<f64>> = doc["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (format!("{}/{}", c["section"].as_str().unwrap(), c["metric"].as_str().unwrap()), c["value"].as_f64()))
        .collect();
    let mut wrong = Vec::new();
    for (key, value) in expected {
        match cards.get(*key) {
            Some(Some(found)) if (found - value).abs() <= 1e-6 * value.abs().max(1.0) => {}
            found => wrong.push(format!("{key}: expected {value}, found {found:?}")),
        }
    }
    assert!(wrong.is_empty(), "{what}:\n  {}\ncards: {cards:?}", wrong.join("\n  "));
}

// October 2026, UTC. In scope: C1 (9001), C2, C3, C4, C7; C5 is spam and C6
// deleted. User replies (reply/chat/phone threads by a user): C1 70013,
// 70015 (Uma 103); C2 70022, 70024 (Adam 102); C3 70031 (Uma, phone);
// C4 70043, 70045 (Adam); C7 70071, 70073 (Olivia 101).
// Response times (reply - the first customer thread since the last reply):
// C1 3600, 3600; C2 120, 60; C4 3600, 7200; C7 -, 3600; C3 none.
// First responses: C1 3600, C2 120, C4 3600 (C3 and C7 were started by users).
// Resolved (closed now, with a reply before the last close): C1 at 13:00
// (2 replies, 14400 s), C2 at 14:10 (2, 600 s), C7 at 10-13 10:00 (2, 68400 s).
// Closed in October: C1, C2, C4 (closed on 10-08, reopened), C7.
const COMPANY_FULL: &[(&str, f64)] = &[
    ("all/new_conversations", 5.0),
    ("all/conversations_per_day", 5.0 / 31.0),
    ("all/replies_sent", 9.0),
    ("all/replies_per_day", 9.0 / 31.0),
    ("all/active_users", 3.0),
    ("all/customers_helped", 4.0),
    ("all/response_time", (3600.0 + 3600.0 + 120.0 + 60.0 + 3600.0 + 7200.0 + 3600.0) / 7.0),
    ("all/first_response_time", (3600.0 + 120.0 + 3600.0) / 3.0),
    ("all/closed", 4.0),
    ("all/resolved", 3.0),
    ("all/resolved_on_first_reply", 0.0),
    ("all/replies_to_resolve", 2.0),
    ("all/resolution_time", (14400.0 + 600.0 + 68400.0) / 3.0),
    ("email/replies_sent", 6.0),
    ("email/response_time", (3600.0 + 3600.0 + 3600.0 + 7200.0 + 3600.0) / 5.0),
    ("email/first_response_time", 3600.0),
    ("email/resolved", 2.0),
    ("email/resolution_time", (14400.0 + 68400.0) / 2.0),
    ("chat/response_time", 90.0),
    ("chat/chats", 1.0),
    ("chat/chat_wait_time", 120.0),
    ("chat/chat_duration", 360.0),
    ("chat/messages_per_chat", 4.0),
    ("phone/phone_conversations", 1.0),
    ("phone/new_phone_conversations", 1.0),
    ("phone/phone_customers", 1.0),
];

// Ratings: R1 great (C1, Uma), R2 okay (C2, Adam), R3 not good (C4, Adam),
// R4 great (C7, Olivia). Score = % great - % not good.
const HAPPINESS_FULL: &[(&str, f64)] = &[("happiness/ratings", 4.0), ("happiness/great", 50.0), ("happiness/okay", 25.0), ("happiness/not_good", 25.0), ("happiness/happiness_score", 25.0)];

// Adam (102): replies 70022, 70024, 70043, 70045 (C2, C4: 2 customers);
// responses 120, 60, 3600, 7200; first responses C2 120, C4 3600; closed
// C2 (line item 70025) and C4 (reply 70043); resolved C2 (600 s);
// ratings okay and not good.
const ADAM: &[(&str, f64)] = &[
    ("all/replies_sent", 4.0),
    ("all/customers_helped", 2.0),
    ("all/response_time", (120.0 + 60.0 + 3600.0 + 7200.0) / 4.0),
    ("all/first_response_time", (120.0 + 3600.0) / 2.0),
    ("all/closed", 2.0),
    ("all/resolved", 1.0),
    ("all/resolution_time", 600.0),
    ("happiness/ratings", 2.0),
    ("happiness/okay", 50.0),
    ("happiness/not_good", 50.0),
    ("happiness/happiness_score", -50.0),
];

// Tier 1 = Adam + Uma: Uma adds replies 70013, 70015, 70031 (C1, C3;
// customers 301, 303), responses 3600, 3600, first response C1 3600, closed
// and resolved C1 (14400 s), rating great.
const TIER_1: &[(&str, f64)] = &[
    ("all/replies_sent", 7.0),
    ("all/customers_helped", 4.0),
    ("all/response_time", (3600.0 + 3600.0 + 120.0 + 60.0 + 3600.0 + 7200.0) / 6.0),
    ("all/first_response_time", (3600.0 + 120.0 + 3600.0) / 3.0),
    ("all/closed", 3.0),
    ("all/resolved", 2.0),
    ("all/resolution_time", (14400.0 + 600.0) / 2.0),
    ("happiness/ratings", 3.0),
    ("happiness/great", 100.0 / 3.0),
    ("happiness/okay", 100.0 / 3.0),
    ("happiness/not_good", 100.0 / 3.0),
    ("happiness/happiness_score", 0.0),
];

// After the incremental run (revision 2): C3 gets a customer thread on
// 10-20 09:00 and Uma's reply at 10:00 closes it (response 3600; C3 now
// resolved: 2 replies, created 10-07 10:00 -> 13 days, 1 123 200 s); new chat C8
// (customer 304) 10-25 16:00, Uma's chat 16:01 (response 60, first
// response 60), line item 16:05 closes it (resolved on the first reply,
// 300 s); R5 great on C8.
const COMPANY_COMBINED: &[(&str, f64)] = &[
    ("all/new_conversations", 6.0),
    ("all/replies_sent", 11.0),
    ("all/customers_helped", 4.0),
    ("all/response_time", (21780.0 + 3600.0 + 60.0) / 9.0),
    ("all/first_response_time", (7320.0 + 60.0) / 4.0),
    ("all/closed", 6.0),
    ("all/resolved", 5.0),
    ("all/resolved_on_first_reply", 20.0),
    ("all/replies_to_resolve", (2.0 + 2.0 + 2.0 + 2.0 + 1.0) / 5.0),
    ("all/resolution_time", (14400.0 + 600.0 + 68400.0 + 1_123_200.0 + 300.0) / 5.0),
];
const HAPPINESS_COMBINED: &[(&str, f64)] = &[("happiness/ratings", 5.0), ("happiness/great", 60.0), ("happiness/okay", 20.0), ("happiness/not_good", 20.0), ("happiness/happiness_score", 40.0)];

fn counts(summary: &Value) -> BTreeMap<String, u64> {
    summary["tables"].as_array().unwrap().iter().map(|t| (t["table"].as_str().unwrap().to_string(), t["rows"].as_u64().unwrap())).collect()
}

#[test]
fn the_real_tap_s_output_imports_ingests_and_reports_the_hand_computed_figures() {
    let python = tap_python();
    let tmp = TempDir::new().unwrap();
    let work = tmp.path();
    let config = work.join("config.json");
    std::fs::copy(harness("config.template.json"), &config).unwrap();
    let db = work.join("desk.duckdb");

    // Full extract, piped straight from the tap into the import.
    let server = FixtureServer::start(&python, 1);
    let (full_output, summary) = tap_piped_into_import(&python, &server, &config, work, &work.join("full"));
    drop(server);
    assert_eq!((summary["extract"].as_str(), summary["complete"].as_bool()), (Some("full"), Some(true)), "{summary}");
    let expected_rows = [("accounts", 1), ("inboxes", 2), ("users", 3), ("user_inboxes", 4), ("teams", 1), ("team_members", 2), ("customers", 4), ("conversations", 7), ("threads", 24), ("ratings", 4)];
    assert_eq!(counts(&summary), expected_rows.iter().map(|(t, n)| (t.to_string(), *n)).collect(), "{summary}");
    assert!(summary["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("user_inboxes comes from")), "{summary}");
    assert_eq!(summary["counted"].as_array().unwrap().len(), 0, "the fixture holds no value the mapping does not know: {summary}");
    ingest(&db, &work.join("full"), &["--snapshot", "full", "--as-of", "2026-11-01T00:00:00Z"]);

    // The mapping as it lands in the database.
    assert_eq!(query(&db, "SELECT CAST(created_at AS VARCHAR), plan, timezone FROM accounts"), ["2026-01-10 09:00:00|plus|UTC"]);
    assert_eq!(query(&db, "SELECT user_id || ' ' || role || ' ' || can_view_reports FROM users ORDER BY 1"), ["101 owner true", "102 admin true", "103 user false"]);
    // Tap bug: the folders of the second mailbox after the first's bookmark are dropped, (102, 5002) with them.
    assert_eq!(query(&db, "SELECT user_id || '/' || inbox_id FROM user_inboxes ORDER BY 1"), ["101/5001", "101/5002", "102/5001", "103/5001"]);
    assert_eq!(query(&db, "SELECT conversation_id || ' ' || status || ' ' || state FROM conversations WHERE conversation_id IN (9005, 9006) ORDER BY 1"), ["9005 spam published", "9006 closed deleted"]);
    assert_eq!(query(&db, "SELECT type || ' ' || actor_type || ' ' || coalesce(actor_id::VARCHAR, '-') || ' ' || status FROM threads WHERE thread_id = 70052"), ["lineitem workflow - spam"]);
    assert_eq!(query(&db, "SELECT thread_id || ' ' || coalesce(assigned_to::VARCHAR, '-') FROM threads WHERE conversation_id = 9001 ORDER BY created_at"), ["70011 -", "70012 103", "70013 -", "70014 -", "70015 -"]);
    assert_eq!(query(&db, "SELECT rating || ' ' || rating_id FROM ratings WHERE conversation_id = 9001"), ["great 2208944668464567118"]);

    assert_cards(&report(&db, "company", &[]), "company report, full extract", COMPANY_FULL);
    assert_cards(&report(&db, "happiness", &[]), "happiness report, full extract", HAPPINESS_FULL);
    assert_cards(&report(&db, "user", &["--user", "102"]), "user report of Adam, full extract", ADAM);
    assert_cards(&report(&db, "team", &["--team", "Tier 1"]), "team report of Tier 1, full extract", TIER_1);

    // The state for the next run, as a cron job keeps it (no jq).
    let state = work.join("state.json");
    let last_line = full_output.split(|b| *b == b'\n').filter(|l| !l.is_empty()).last().unwrap();
    let last_state: Value = serde_json::from_slice(last_line).unwrap();
    std::fs::write(&state, serde_json::to_string(&last_state["value"]).unwrap()).unwrap();

    // Incremental extract (the account some weeks later), from a file.
    let server = FixtureServer::start(&python, 2);
    let incremental = work.join("incremental.jsonl");
    let output = tap(&python, &server, &config, &["-s", state.to_str().unwrap()], &work.join("tap-incremental.log")).output().unwrap();
    assert!(output.status.success(), "the incremental tap run failed: {}", std::fs::read_to_string(work.join("tap-incremental.log")).unwrap());
    std::fs::write(&incremental, &output.stdout).unwrap();
    drop(server);
    deskql_bin()
        .args(["import", "helpscout"])
        .args(ACCOUNT)
        .arg(&incremental)
        .arg("--out")
        .arg(work.join("refused"))
        .assert()
        .code(USAGE)
        .stderr(predicate::str::contains("incremental extract").and(predicate::str::contains("--account-created-at")));
    assert!(!work.join("refused").exists());
    let next_state = work.join("state-next.json");
    let summary = import_file(&incremental, &work.join("incremental"), &["--account-created-at", "2026-01-10T09:00:00Z", "--state-out", next_state.to_str().unwrap()]);
    assert_eq!(summary["extract"], "incremental", "{summary}");
    assert_eq!(counts(&summary)["conversations"], 3, "{summary}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&next_state).unwrap()).unwrap();
    assert_eq!(saved["bookmarks"]["conversations"], "2026-10-25T16:05:00Z");
    assert_eq!(saved, summary["state"]);
    ingest(&db, &work.join("incremental"), &["--snapshot", "incremental", "--mode", "incremental", "--as-of", "2026-11-02T00:00:00Z"]);
    assert_eq!(query(&db, "SELECT CAST(created_at AS VARCHAR) FROM accounts"), ["2026-01-10 09:00:00"]);
    assert_eq!(query(&db, "SELECT name FROM users WHERE user_id = 103"), ["Uma Ueda-Smith"]);
    assert_cards(&report(&db, "company", &[]), "company report, full + incremental", COMPANY_COMBINED);
    assert_cards(&report(&db, "happiness", &[]), "happiness report, full + incremental", HAPPINESS_COMBINED);

    // Both extracts imported as one: the later copies of C3, C7, their
    // threads, user 103... replace the earlier ones, and a full ingest of
    // the result gives the same figures.
    let both = work.join("both.jsonl");
    std::fs::write(&both, [full_output.as_slice(), output.stdout.as_slice()].concat()).unwrap();
    let summary = import_file(&both, &work.join("both"), &[]);
    assert_eq!((counts(&summary)["conversations"], counts(&summary)["threads"], counts(&summary)["ratings"]), (8, 29, 5), "{summary}");
    let db2 = work.join("both.duckdb");
    ingest(&db2, &work.join("both"), &["--as-of", "2026-11-02T00:00:00Z"]);
    assert_cards(&report(&db2, "company", &[]), "company report, both extracts as one", COMPANY_COMBINED);
    assert_cards(&report(&db2, "happiness", &[]), "happiness report, both extracts as one", HAPPINESS_COMBINED);

    // The real output cut in the middle of a line, as a killed tap leaves it.
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().position(|l| l.contains("\"stream\": \"conversation_threads\", \"record\"")).unwrap() + 1;
    let cut: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum::<usize>() + 60;
    std::fs::write(work.join("cut.jsonl"), &text[..cut]).unwrap();
    deskql_bin()
        .args(["import", "helpscout"])
        .args(ACCOUNT)
        .args(["--account-created-at", "2026-01-10"])
        .arg(work.join("cut.jsonl"))
        .arg("--out")
        .arg(work.join("cut"))
        .assert()
        .code(INVALID)
        .stderr(predicate::str::contains(format!("line {line} (stream conversation_threads): not a JSON message (truncated")));
    assert!(!work.join("cut").exists());
}

/// A small hand-made output, for the errors: a full extract with one user and
/// one mailbox, `records` inserted before the final STATE.
fn extract(records: &str) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n",
        r#"{"type": "STATE", "value": {"currently_syncing": "users"}}"#,
        r#"{"type": "SCHEMA", "stream": "users", "schema": {}, "key_properties": ["id"]}"#,
        r#"{"type": "RECORD", "stream": "users", "record": {"id": 101, "first_name": "Olivia", "role": "owner", "type": "user", "created_at": "2026-01-10T09:00:00.000000Z"}}"#,
        r#"{"type": "SCHEMA", "stream": "mailboxes", "schema": {}, "key_properties": ["id"]}"#,
        records.trim_end(),
        r#"{"type": "STATE", "value": {"currently_syncing": null, "bookmarks": {}}}"#,
    )
}

fn import_text(tmp: &TempDir, text: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let input = tmp.path().join("in.jsonl");
    std::fs::write(&input, text).unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("deskql").unwrap();
    cmd.env_remove("DESKQL_DB").args(["import", "helpscout", "--account-id", "1"]).args(extra).arg(&input).arg("--out").arg(tmp.path().join("out"));
    cmd.assert()
}

/// Refused with exit 3, the message naming what is wrong, and nothing left
/// behind: no snapshot, no temporary folder.
fn refused(text: &str, message: &str) {
    let tmp = TempDir::new().unwrap();
    import_text(&tmp, text, &[]).code(INVALID).stderr(predicate::str::contains(message).and(predicate::str::contains("no snapshot was written")));
    let left: Vec<String> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["in.jsonl"], "nothing but the input is left");
}

const MAILBOX: &str = r#"{"type": "RECORD", "stream": "mailboxes", "record": {"id": 5001, "name": "Support", "created_at": "2026-01-05T09:00:00.000000Z"}}"#;

#[test]
fn bad_lines_are_refused_naming_the_line_and_stream() {
    refused(&extract(&format!("{MAILBOX}\n{}\n", &MAILBOX[..70])), "line 6 (stream mailboxes): not a JSON message (truncated");
    refused(&extract("{\"type\": \"RECORD\", \"stream\": \"teams\", \"record\": {\"id\": 201}}\n"), "line 5 (stream teams): a RECORD before the stream's SCHEMA");
    refused(&extract(r#"{"type": "RECORD", "stream": "mailboxes", "record": {"name": "No id"}}"#), "line 5 (stream mailboxes): the record is not usable: missing field `id`");
    let conversation = r#"{"type": "SCHEMA", "stream": "conversations", "schema": {}}
{"type": "RECORD", "stream": "conversations", "record": {"id": 9001, "number": 1001, "mailbox_id": 5001, "created_at": "soon"}}"#;
    refused(&extract(conversation), "line 6 (stream conversations): `created_at` is not a date-time");
}

#[test]
fn an_unfinished_tap_run_is_refused_unless_allowed_and_its_state_not_kept() {
    let text = extract(MAILBOX);
    let unfinished: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
    refused(&unfinished, "the output ends without the tap's final STATE (it stopped while syncing users)");
    let tmp = TempDir::new().unwrap();
    let state = tmp.path().join("state.json");
    let output = import_text(&tmp, &unfinished, &["--allow-partial", "--json", "--state-out", state.to_str().unwrap()]).success().get_output().stdout.clone();
    let summary: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!((summary["complete"].as_bool(), summary["ingest_mode"].as_str()), (Some(false), Some("incremental")));
    assert!(!state.exists(), "a partial extract's state would skip data next time");
}

#[test]
fn unknown_streams_and_values_are_counted_not_fatal() {
    let tmp = TempDir::new().unwrap();
    let records = format!(
        "{MAILBOX}\n{}\n{}\n{}\n{}\n",
        r#"{"type": "SCHEMA", "stream": "ai_summaries", "schema": {}}"#,
        r#"{"type": "RECORD", "stream": "ai_summaries", "record": {"id": 1}}"#,
        r#"{"type": "SCHEMA", "stream": "conversations", "schema": {}}"#,
        r#"{"type": "RECORD", "stream": "conversations", "record": {"id": 9001, "number": 1001, "mailbox_id": 5001, "type": "whatsapp", "status": "snoozed", "created_at": "2026-10-05T09:00:00Z"}}"#,
    );
    let output = import_text(&tmp, &extract(&records), &["--json"]).success().get_output().stdout.clone();
    let summary: Value = serde_json::from_slice(&output).unwrap();
    let counted: Vec<String> = summary["counted"].as_array().unwrap().iter().map(|c| format!("{}.{}={} x{}", c["stream"].as_str().unwrap(), c["field"].as_str().unwrap(), c["value"].as_str().unwrap(), c["count"])).collect();
    assert_eq!(counted, ["ai_summaries.stream=ai_summaries x1", "conversations.status=snoozed x1", "conversations.type=whatsapp x1"]);
    let db = tmp.path().join("t.duckdb");
    ingest(&db, &tmp.path().join("out"), &["--as-of", "2026-11-01", "--allow-empty", "threads", "--allow-empty", "customers"]);
    assert_eq!(query(&db, "SELECT channel || ' ' || status FROM conversations"), ["email active"]);
    // Text mode: the same counts as warnings on stderr.
    let again = TempDir::new().unwrap();
    import_text(&again, &extract(&records), &[]).success().stderr(predicate::str::contains("warning: conversations.type = \"whatsapp\": 1 record: channel set to email"));
}

#[test]
fn an_existing_out_folder_is_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    std::fs::create_dir_all(tmp.path().join("out")).unwrap();
    std::fs::write(tmp.path().join("out/keep.txt"), "mine").unwrap();
    import_text(&tmp, &extract(MAILBOX), &[]).failure().stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(tmp.path().join("out/keep.txt")).unwrap(), "mine");
    import_text(&tmp, &extract(MAILBOX), &["--timezone", "Mars/Olympus"]).code(USAGE).stderr(predicate::str::contains("not an IANA time-zone name"));
}

#[test]
fn hostile_option_values_are_usage_errors_not_panics() {
    let tmp = TempDir::new().unwrap();
    let hostile: [&[&str]; 6] = [
        &["--account-id", "99999999999999999999"],
        &["--account-id", ""],
        &["--account-created-at", "+262142-01-01T00:00:00Z"],
        &["--account-created-at", "9999-12-31"],
        &["--timezone", ""],
        &["--plan", "enterprise"],
    ];
    for extra in hostile {
        let input = tmp.path().join("in.jsonl");
        std::fs::write(&input, extract(MAILBOX)).unwrap();
        let account: &[&str] = if extra[0] == "--account-id" { &[] } else { &["--account-id", "1"] };
        let output = deskql_bin().args(["import", "helpscout"]).args(account).args(extra).arg(&input).arg("--out").arg(tmp.path().join("out")).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{extra:?} panicked:\n{stderr}");
        assert_eq!(output.status.code(), Some(USAGE), "{extra:?}: {stderr}");
        assert!(!tmp.path().join("out").exists());
    }
}
