//! `deskql sql "..."` and the REPL run as a script (piped stdin): every
//! output format, statement splitting, dot commands, read-only mode, locks,
//! and stopping at the first error.



use std::path::Path;

use predicates::prelude::*;
use crate::shell::{deskql, demo_db, empty_db, hold_write_lock};

const SMALL: &str = "SELECT 1 AS a, 'x' AS b, NULL AS c";

fn sql_output(db: &Path, args: &[&str]) -> String {
    let output = deskql(db).arg("sql").args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(output).unwrap()
}

/// The REPL with `script` on stdin.
fn script(db: &Path, script: &str) -> assert_cmd::assert::Assert {
    deskql(db).arg("repl").write_stdin(script).assert()
}

fn script_output(db: &Path, text: &str) -> String {
    String::from_utf8(script(db, text).success().get_output().stdout.clone()).unwrap()
}

#[test]
fn every_format_exactly() {
    let (_tmp, db) = empty_db();
    let cases = [
        ("table", "┌───┬───┬──────┐\n│ a │ b │ c    │\n├───┼───┼──────┤\n│ 1 │ x │ NULL │\n└───┴───┴──────┘\n"),
        ("csv", "a,b,c\n1,x,\n"),
        ("json", "[{\"a\":1,\"b\":\"x\",\"c\":null}]\n"),
        ("jsonl", "{\"a\":1,\"b\":\"x\",\"c\":null}\n"),
        ("markdown", "|   a | b   | c    |\n| --: | --- | ---- |\n|   1 | x   | NULL |\n"),
        ("line", "a = 1\nb = x\nc = NULL\n"),
    ];
    for (format, expected) in cases {
        assert_eq!(sql_output(&db, &["--format", format, SMALL]), expected, "format {format}");
    }
}

#[test]
fn empty_results_keep_their_header() {
    let (_tmp, db) = empty_db();
    let empty = "SELECT 1 AS a, 'x' AS b WHERE false";
    let cases = [
        ("table", "┌───┬───┐\n│ a │ b │\n├───┼───┤\n└───┴───┘\n"),
        ("csv", "a,b\n"),
        ("json", "[]\n"),
        ("jsonl", ""),
        ("markdown", "|   a | b   |\n| --: | --- |\n"),
        ("line", ""),
    ];
    for (format, expected) in cases {
        assert_eq!(sql_output(&db, &["--format", format, empty]), expected, "format {format}");
    }
}

#[test]
fn numbers_right_aligned_and_strings_left() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["SELECT * FROM (VALUES (1, 'a'), (1000, 'bbbb'), (NULL, NULL)) t(n, s)"]);
    assert_eq!(out, "┌──────┬──────┐\n│    n │ s    │\n├──────┼──────┤\n│    1 │ a    │\n│ 1000 │ bbbb │\n│ NULL │ NULL │\n└──────┴──────┘\n");
}

#[test]
fn long_results_are_elided_with_a_footer() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--max-rows", "4", "SELECT i FROM range(10) t(i)"]);
    assert_eq!(out, "┌───┐\n│ i │\n├───┤\n│ 0 │\n│ 1 │\n│ … │\n│ 8 │\n│ 9 │\n└───┘\n10 rows, 4 shown\n");
    // Within the limit, or with no limit (the default off a terminal): every row, no footer.
    assert!(!sql_output(&db, &["--max-rows", "10", "SELECT i FROM range(10) t(i)"]).contains("shown"));
    assert_eq!(sql_output(&db, &["SELECT i FROM range(100) t(i)"]).lines().count(), 104);
    // Other formats are never elided.
    assert_eq!(sql_output(&db, &["--max-rows", "4", "--format", "csv", "SELECT i FROM range(10) t(i)"]).lines().count(), 11);
}

#[test]
fn nested_values_in_every_format() {
    let (_tmp, db) = empty_db();
    let query = "SELECT [1, 2] AS l, {'k': 'v'} AS s, DATE '2026-11-01' AS d, 1.50::DECIMAL(5,2) AS m";
    assert_eq!(sql_output(&db, &["--format", "csv", query]), "l,s,d,m\n\"[1, 2]\",{k: v},2026-11-01,1.50\n");
    assert_eq!(sql_output(&db, &["--format", "json", query]), "[{\"l\":[1,2],\"s\":{\"k\":\"v\"},\"d\":\"2026-11-01\",\"m\":1.50}]\n");
    assert!(sql_output(&db, &[query]).contains("│ [1, 2] │ {k: v} │ 2026-11-01 │ 1.50 │"));
}

#[test]
fn several_statements_and_semicolons_inside_strings_and_comments() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--format", "csv", "SELECT 'a;b' AS x; -- not; here\nSELECT /* ; */ 2 AS y; SELECT $$c;d$$ AS z"]);
    assert_eq!(out, "x\na;b\ny\n2\nz\nc;d\n");
}

#[test]
fn piped_script_runs_multi_line_statements_and_dot_commands() {
    let (_tmp, db) = empty_db();
    let text = ".format csv\nSELECT 1 AS a,\n       'semi;colon' AS b\n; -- comment ; here\n.format line\nSELECT 'multi\nline' AS s;\nSELECT 3 AS last";
    assert_eq!(script_output(&db, text), "a,b\n1,semi;colon\ns = multi\nline\nlast = 3\n");
}

#[test]
fn a_script_stops_at_the_first_error() {
    let (_tmp, db) = empty_db();
    script(&db, ".format csv\nSELECT 1 AS ok;\nSELEC 2;\nSELECT 3 AS never;\n")
        .code(1)
        .stdout("ok\n1\n")
        .stderr(predicate::str::contains("Parser Error").and(predicate::str::contains("SELEC")));
    script(&db, ".frobnicate\nSELECT 1;\n").code(1).stdout("").stderr(predicate::str::contains("unknown command .frobnicate"));
    deskql(&db).args(["sql", "SELECT * FROM nowhere"]).assert().code(1).stderr(predicate::str::contains("nowhere"));
}

#[test]
fn read_only_by_default_and_write_on_request() {
    let (_tmp, db) = empty_db();
    deskql(&db)
        .args(["sql", "CREATE TABLE t(x INTEGER)"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only").and(predicate::str::contains("--write")));
    // --write: one connection for the whole script, so a temporary table lives on.
    let out = sql_output(&db, &["--write", "--format", "csv", "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2); CREATE TEMP TABLE tmp AS SELECT 5 AS y; SELECT sum(x) AS s FROM t, tmp"]);
    assert_eq!(out, "s\n3\n", "CREATE and INSERT print nothing");
    assert_eq!(sql_output(&db, &["--format", "csv", "SELECT count(*) AS n FROM t"]), "n\n2\n");
    // RETURNING rows are a result.
    assert_eq!(sql_output(&db, &["--write", "--format", "csv", "INSERT INTO t VALUES (7) RETURNING x"]), "x\n7\n");
}

#[test]
fn a_locked_database_says_so() {
    let (_tmp, db) = empty_db();
    let _writer = hold_write_lock(&db);
    deskql(&db).args(["sql", "SELECT 1"]).assert().code(4).stderr(predicate::str::contains("is locked by another process"));
    script(&db, "SELECT 1;\n").code(4).stderr(predicate::str::contains("is locked by another process"));
}

#[test]
fn a_missing_database_is_an_error() {
    let tmp = tempfile::TempDir::new().unwrap();
    deskql(&tmp.path().join("none.duckdb"))
        .args(["sql", "SELECT 1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn session_state_survives_read_only_reopening() {
    let (_tmp, db) = empty_db();
    // Each read-only statement opens the file anew; SET and .timer carry over.
    let out = script_output(&db, ".format csv\nSET VARIABLE v = 41;\nSELECT getvariable('v') + 1 AS answer;\n.timer on\nSELECT 1 AS one;\n.timer off\nSELECT 2 AS two;\n");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..2], ["answer", "42"]);
    assert_eq!(lines[2..4], ["one", "1"]);
    assert!(lines[4].starts_with("Run Time: ") && lines[4].ends_with(" s"), "{out}");
    assert_eq!(lines[5..], ["two", "2"]);
}

#[test]
fn dot_commands_on_the_demo_database() {
    let (tmp, db) = demo_db();
    let run = |text: &str| script_output(&db, text);

    let help = run(".help\n");
    for command in [".tables", ".views", ".metrics", ".describe", ".snapshots", ".snapshot", ".format", ".timer", ".output", ".read", ".report", ".quit"] {
        assert!(help.contains(command), "{command} missing from .help:\n{help}");
    }
    let tables = run(".format csv\n.tables\n");
    assert!(tables.starts_with("schema,name,rows,columns,comment\n"), "{tables}");
    assert!(tables.contains("hist,conversations,") && tables.contains("deskql_meta,snapshots,"), "{tables}");
    let views = run(".format csv\n.views\n");
    assert!(views.contains("main,conversations,view,") && views.contains("main,conversations_at(seq),table macro,"), "{views}");

    let metrics = run(".metrics\n");
    assert!(metrics.contains("the metric library is not installed: run `deskql views install`") || metrics.contains("definition"), "{metrics}");

    let describe = run(".format csv\n.describe conversations\n");
    assert!(describe.starts_with("column_name,column_type,null,key,default,extra\n") && describe.contains("status,VARCHAR"), "{describe}");
    let describe_macro = run(".format line\n.describe conversations_at\n");
    assert!(describe_macro.contains("parameters = seq") && describe_macro.contains("kind = table macro"), "{describe_macro}");
    script(&db, ".describe nowhere\n").code(1).stderr(predicate::str::contains("nowhere"));

    let snapshots = run(".format csv\n.snapshots\n");
    assert!(snapshots.starts_with("seq,id,taken_at,ingested_at,mode,input_rows,current\n"), "{snapshots}");
    assert!(snapshots.contains(",sample-1,") && snapshots.lines().last().unwrap().ends_with(",true"), "{snapshots}");

    // Pinning: every query (and .snapshots) sees sample-1 until unpinned.
    let count = "SELECT count(*) AS n FROM conversations;\n";
    let latest = run(&format!(".format csv\n{count}"));
    let pinned = run(&format!(".format csv\n.snapshot sample-1\n{count}.snapshots\n.snapshot latest\n{count}"));
    let first = crate_query(&db, "SELECT count(*) FROM conversations_at(1)");
    assert_eq!(pinned.lines().nth(1), Some(first.as_str()), "{pinned}");
    assert!(pinned.contains(",sample-1,") && pinned.lines().any(|l| l.contains(",sample-1,") && l.ends_with(",true")), "{pinned}");
    assert!(pinned.ends_with(&latest), "{pinned}");
    assert_ne!(first, latest.lines().nth(1).unwrap(), "the sample snapshots differ");
    script(&db, ".snapshot nope\n").code(1).stderr(predicate::str::contains("no snapshot with id \"nope\"").and(predicate::str::contains("sample-1")));

    // .output, then back to stdout; .read runs a file.
    let out_file = tmp.path().join("out.csv");
    let shown = run(&format!(".format csv\n.output {}\nSELECT 1 AS in_file;\n.output\nSELECT 2 AS on_screen;\n", out_file.display()));
    assert_eq!(shown, "on_screen\n2\n");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "in_file\n1\n");
    let read_file = tmp.path().join("script.sql");
    std::fs::write(&read_file, ".format csv\nSELECT 'from file' AS r;\n").unwrap();
    assert_eq!(run(&format!(".read {}\n", read_file.display())), "r\nfrom file\n");
    script(&db, &format!(".read {}\n", tmp.path().join("missing.sql").display())).code(1).stderr(predicate::str::contains("cannot read"));

    // .quit ends the script.
    assert_eq!(run(".format csv\nSELECT 1 AS a;\n.quit\nSELECT 2 AS b;\n"), "a\n1\n");
    // .format alone shows the format.
    assert_eq!(run(".format jsonl\n.format\n"), "jsonl\n");
}

#[test]
fn report_command_parses_like_the_cli() {
    let (_tmp, db) = demo_db();
    script(&db, ".report company --bogus\n").code(1).stderr(predicate::str::contains("--bogus"));
    script(&db, ".report\n").code(1).stderr(predicate::str::contains("<KIND>").or(predicate::str::contains("required")));
    // the same report as `deskql report`, printed in the shell's output
    let shell = script(&db, ".report company --account 1 --from 2026-10-01 --to 2026-11-01 --format json\n").success().get_output().stdout.clone();
    let cli = deskql(&db).args(["report", "company", "--account", "1", "--from", "2026-10-01", "--to", "2026-11-01", "--format", "json"]).output().unwrap();
    let cards = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).unwrap()["cards"].clone();
    assert_eq!(cards(&shell), cards(&cli.stdout));
    // a report error (an unknown account) is printed and the script stops like any error
    script(&db, ".report company --account 99 --month 2026-10\nSELECT 1;\n").code(1).stderr(predicate::str::contains("no account \"99\""));
}

/// One value from the database, through deskql itself.
fn crate_query(db: &Path, sql: &str) -> String {
    let out = sql_output(db, &["--format", "csv", sql]);
    out.lines().nth(1).unwrap_or_default().to_string()
}
