//! No panic on any argument, and a closed pipe is not an error: every
//! command that prints is run with its standard output already closed (as
//! `deskql metrics | head` ends up), and every subcommand is given hostile
//! values. A panic (exit 101) or an error message fails the test.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::shell::demo_db;

fn deskql_bin() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("deskql"));
    cmd.env_remove("DESKQL_DB").env_remove("PAGER").env("DESKQL_HISTORY", "/dev/null");
    cmd
}

/// Run `deskql --db <db> <args>` with stdout a pipe whose reading end is
/// closed before the command writes: every write fails with EPIPE.
fn run_with_closed_stdout(db: &Path, args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let mut child = deskql_bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deskql starts");
    drop(child.stdout.take());
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
    }
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    (status.code(), stderr)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let (tmp, db) = demo_db();
    let db = db.as_path();
    let audit = tmp.path().join("a.json");
    let status = deskql_bin()
        .arg("--db")
        .arg(db)
        .args(["audit", "run", "company", "--account", "1", "--month", "2026-10", "--out"])
        .arg(&audit)
        .status()
        .unwrap();
    assert!(status.success());
    let audit = audit.to_str().unwrap();
    let generated = tmp.path().join("gen");
    let generated = generated.to_str().unwrap();
    let month = ["--account", "1", "--month", "2026-10"];
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["--version"],
        vec!["report", "--help"],
        vec!["contract"],
        vec!["metrics"],
        vec!["metrics", "--json"],
        vec!["metrics", "--markdown"],
        vec!["views", "list"],
        vec!["views", "list", "--json"],
        vec!["views", "show", "company"],
        vec!["views", "status"],
        vec!["snapshots"],
        vec!["snapshots", "--json"],
        vec!["sql", "SELECT * FROM range(100000)"],
        vec!["sql", "SELECT * FROM range(100000)", "--format", "csv"],
        vec!["sql", "SELECT * FROM range(100000)", "--format", "json"],
        vec!["repl"],
        vec!["audit", "verify", audit],
        vec!["audit", "run", "company", "--account", "1", "--month", "2026-10", "--out", "-"],
        vec!["generate", "--out", generated, "--accounts", "1", "--conversations", "5"],
        vec!["mail", "--help"],
        vec!["mail", "usage", "--help"],
        vec!["mail", "usage", "--from", "success@vendor.test", "--dry-run"],
    ];
    for format in ["table", "csv", "json", "markdown", "html"] {
        for kind in ["company", "happiness", "usage"] {
            let mut args = vec!["report", kind, "--format", format];
            args.extend(if kind == "usage" { &month[..2] } else { &month[..] });
            commands.push(args);
        }
    }
    commands.push(vec!["report", "user", "--user", "100002", "--account", "1", "--month", "2026-10"]);
    commands.push(vec!["audit", "diff", "company", "--account", "1", "--month", "2026-10", "--snapshot", "sample-1", "--snapshot", "sample-2"]);
    for args in &commands {
        let (code, stderr) = run_with_closed_stdout(db, args, "SELECT * FROM range(100000);\nSELECT 1;\n");
        assert_eq!(code, Some(0), "deskql {args:?} with a closed stdout: exit {code:?}, stderr:\n{stderr}");
        assert!(stderr.trim().is_empty() || !stderr.to_lowercase().contains("pipe"), "deskql {args:?} complained about the pipe:\n{stderr}");
        assert!(!stderr.contains("panicked"), "deskql {args:?} panicked:\n{stderr}");
    }
    // The demo itself, on a new file.
    let (code, stderr) = run_with_closed_stdout(&tmp.path().join("fresh-demo.duckdb"), &["demo"], "");
    assert_eq!(code, Some(0), "demo with a closed stdout: {stderr}");
}

/// Values that once made deskql panic, or could: out-of-range dates and
/// instants, huge numbers, empty and odd strings.
#[test]
fn hostile_values_never_panic_and_bad_dates_are_usage_errors() {
    let (tmp, db) = demo_db();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    let usage_errors: Vec<Vec<&str>> = vec![
        vec!["report", "company", "--account", "1", "--month", "+262142-12"],
        vec!["report", "company", "--account", "1", "--month", "262142-12"],
        vec!["report", "company", "--account", "1", "--from", "99999-01-01", "--to", "99999-02-01"],
        vec!["report", "company", "--account", "1", "--from", "2026-10-01", "--to", "+262143-01-01"],
        vec!["report", "company", "--account", "1", "--from", "0001-01-01", "--to", "2026-01-01"],
        vec!["report", "usage", "--account", "1", "--deflection-window", "99999999999999999999"],
        vec!["report", "usage", "--account", "1", "--deflection-window", "9223372036854775807h"],
        vec!["report", "usage", "--account", "1", "--month", "2026-00"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--top", "0"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--top", "99999999999999999999"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--by", "year"],
        vec!["report", "happiness", "--account", "1", "--month", "2026-10", "--rating", "awful"],
        vec!["audit", "run", "company", "--account", "1", "--month", "+262142-12", "--out", out],
        vec!["audit", "diff", "company", "--account", "1", "--from", "99999-01-01", "--to", "99999-01-02"],
        vec!["ingest", "/nonexistent", "--as-of", "9999-12-31"],
        vec!["ingest", "/nonexistent", "--as-of", "+262142-01-01T00:00:00Z"],
        vec!["ingest", "/nonexistent", "--wait", "99999999999999999999"],
        vec!["sql", "SELECT 1", "--max-rows", "-1"],
        vec!["generate", "--out", out, "--conversations", "99999999999999999999999"],
        vec!["bench", "--sizes", "-5"],
        vec!["mail", "usage", "--from", "s@v.test", "--dry-run", "--timeout", "0"],
        vec!["mail", "usage", "--from", "s@v.test", "--dry-run", "--timeout", "99999999999999999999"],
        vec!["mail", "usage", "--from", "s@v.test", "--dry-run", "--month", "+262142-12"],
        vec!["mail", "usage", "--from", "s@v.test", "--dry-run", "--eml-dir", out],
    ];
    for args in &usage_errors {
        let output = deskql_bin().arg("--db").arg(&db).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "deskql {args:?} panicked:\n{stderr}");
        assert_eq!(output.status.code(), Some(2), "deskql {args:?}: expected a usage error (exit 2), got {:?}:\n{stderr}", output.status.code());
    }
    let other_failures: Vec<Vec<&str>> = vec![
        vec!["report", "company", "--account", "", "--month", "2026-10"],
        vec!["report", "company", "--account", "99999999999999999999", "--month", "2026-10"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--tz", ""],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--tag", ""],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--inbox", "-1"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--snapshot", "nope"],
        vec!["report", "user", "--account", "1", "--month", "2026-10", "--user", "\u{1}\u{1b}[2J"],
        vec!["report", "company", "--account", "1", "--from", "2026-10-02", "--to", "2026-10-01"],
        vec!["report", "company", "--account", "1", "--month", "1900-02"],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--format", "csv", "--table", ""],
        vec!["report", "company", "--account", "1", "--month", "2026-10", "--out-dir", "/proc/deskql-nowhere"],
        vec!["report", "company", "--account", "1", "--month", "2199-11"],
        vec!["audit", "verify", "/nonexistent.json"],
        vec!["snapshots", "drop", "nope"],
        vec!["snapshots", "prune", "--keep", "18446744073709551615", "--wait", "0"],
        vec!["views", "show", "nope"],
        vec!["views", "install", "--version", "99.99.99"],
        vec!["metrics", "--version", "x"],
        vec!["generate", "--out", out, "--accounts", "0"],
        vec!["generate", "--out", out, "--change-rate", "NaN"],
        vec!["generate", "--out", out, "--revision", "4294967295"],
        vec!["ingest", "/nonexistent"],
        vec!["sql", "SELECT 1/0; SELECT 'x'::INTEGER"],
        vec!["sql", ".report company --account 1 --month +262142-12"],
        vec!["sql", ".maxrows 99999999999999999999999"],
        vec!["mail", "usage", "--from", "", "--dry-run"],
        vec!["mail", "usage", "--from", "\u{1}\u{1b}[2J", "--dry-run"],
        vec!["mail", "usage", "--from", "s@v.test", "--smtp", "smtp://[::1"],
        vec!["mail", "usage", "--from", "s@v.test", "--smtp", "smtp://127.0.0.1:0", "--timeout", "1", "--wait", "0"],
        vec!["mail", "usage", "--from", "s@v.test", "--list-unsubscribe", "mailto:\u{1}", "--dry-run"],
        vec!["mail", "usage", "--from", "s@v.test", "--account", "99999999999999999999", "--dry-run"],
        vec!["mail", "usage", "--from", "s@v.test", "--month", "1900-02", "--dry-run"],
    ];
    for args in &other_failures {
        let output = deskql_bin().arg("--db").arg(&db).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "deskql {args:?} panicked:\n{stderr}");
        assert_ne!(output.status.code(), Some(101), "deskql {args:?} exited 101:\n{stderr}");
        assert!(output.status.code().is_some(), "deskql {args:?} was killed by a signal:\n{stderr}");
    }
}
