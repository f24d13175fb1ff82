//! `deskql sql "..."` and the REPL run as a script (piped stdin): every
//! output format, every DuckDB type in every format, statement splitting,
//! every dot command, read-only mode, locks, and stopping at the first error.

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
        ("table", "┌───────┬─────────┬────────┐\n│     a │ b       │ c      │\n│ int32 │ varchar │ \"NULL\" │\n├───────┼─────────┼────────┤\n│     1 │ x       │ NULL   │\n└───────┴─────────┴────────┘\n"),
        ("box", "┌───────┬─────────┬────────┐\n│     a │ b       │ c      │\n│ int32 │ varchar │ \"NULL\" │\n├───────┼─────────┼────────┤\n│     1 │ x       │ NULL   │\n└───────┴─────────┴────────┘\n"),
        ("list", "a|b|c\n1|x|NULL\n"),
        ("csv", "a,b,c\n1,x,\n"),
        ("json", "[{\"a\":1,\"b\":\"x\",\"c\":null}]\n"),
        ("jsonl", "{\"a\":1,\"b\":\"x\",\"c\":null}\n"),
        ("markdown", "|   a | b   | c    |\n| --: | --- | ---- |\n|   1 | x   | NULL |\n"),
        ("line", "a = 1\nb = x\nc = NULL\n"),
    ];
    for (format, expected) in cases {
        // .mode takes the DuckDB CLI's names too (box, duckbox, jsonlines).
        assert_eq!(script_output(&db, &format!(".mode {format}\n{SMALL};\n")), expected, "format {format}");
        if format != "box" {
            assert_eq!(sql_output(&db, &["--format", format, SMALL]), expected, "format {format}");
        }
    }
}

#[test]
fn empty_results_keep_their_header() {
    let (_tmp, db) = empty_db();
    let empty = "SELECT 1 AS a, 'x' AS b WHERE false";
    let cases = [
        ("table", "┌───────┬─────────┐\n│     a │ b       │\n│ int32 │ varchar │\n├───────┼─────────┤\n└───────┴─────────┘\n"),
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
    assert_eq!(out, "┌───────┬─────────┐\n│     n │ s       │\n│ int32 │ varchar │\n├───────┼─────────┤\n│     1 │ a       │\n│  1000 │ bbbb    │\n│  NULL │ NULL    │\n└───────┴─────────┘\n");
}

#[test]
fn long_results_are_elided_with_a_footer() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--max-rows", "4", "SELECT i FROM range(10) t(i)"]);
    assert_eq!(out, "┌───────┐\n│     i │\n│ int64 │\n├───────┤\n│     0 │\n│     1 │\n│     … │\n│     8 │\n│     9 │\n└───────┘\n10 rows, 4 shown\n");
    // Within the limit, or with no limit (the default off a terminal): every row, no footer.
    assert!(!sql_output(&db, &["--max-rows", "10", "SELECT i FROM range(10) t(i)"]).contains("shown"));
    assert_eq!(sql_output(&db, &["SELECT i FROM range(100) t(i)"]).lines().count(), 105);
    // Other formats are never elided.
    assert_eq!(sql_output(&db, &["--max-rows", "4", "--format", "csv", "SELECT i FROM range(10) t(i)"]).lines().count(), 11);
}

#[test]
fn nested_values_in_every_format() {
    let (_tmp, db) = empty_db();
    let query = "SELECT [1, 2] AS l, {'k': 'v'} AS s, DATE '2026-11-01' AS d, 1.50::DECIMAL(5,2) AS m";
    assert_eq!(sql_output(&db, &["--format", "csv", query]), "l,s,d,m\n\"[1, 2]\",{'k': v},2026-11-01,1.50\n");
    assert_eq!(sql_output(&db, &["--format", "json", query]), "[{\"l\":[1,2],\"s\":{\"k\":\"v\"},\"d\":\"2026-11-01\",\"m\":1.50}]\n");
    assert!(sql_output(&db, &[query]).contains("│ [1, 2]  │ {'k': v}          │ 2026-11-01 │         1.50 │"), "{}", sql_output(&db, &[query]));
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
        .stderr(predicate::str::contains("read-only").and(predicate::str::contains("`deskql sql --write \"...\"`")));
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
    assert!(tables.starts_with("schema,name,kind,about\n"), "{tables}");
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

/// One value of each DuckDB type, with NULL, infinities and extremes: the
/// text DuckDB writes for each (its CAST AS VARCHAR), as every text format
/// must show it.
const EVERY_TYPE: &[(&str, &str, &str)] = &[
    ("nothing", "NULL", "NULL"),
    ("yes", "true", "true"),
    ("tiny", "(-128)::TINYINT", "-128"),
    ("small", "32767::SMALLINT", "32767"),
    ("int", "(-2147483648)::INTEGER", "-2147483648"),
    ("big", "9223372036854775807::BIGINT", "9223372036854775807"),
    ("hmin", "(-170141183460469231731687303715884105728)::HUGEINT", "-170141183460469231731687303715884105728"),
    ("hmax", "170141183460469231731687303715884105727::HUGEINT", "170141183460469231731687303715884105727"),
    ("utiny", "255::UTINYINT", "255"),
    ("ubig", "18446744073709551615::UBIGINT", "18446744073709551615"),
    ("uhmin", "0::UHUGEINT", "0"),
    ("uhmax", "340282366920938463463374607431768211455::UHUGEINT", "340282366920938463463374607431768211455"),
    ("float", "0.5::FLOAT", "0.5"),
    ("double", "0.1::DOUBLE", "0.1"),
    ("dinf", "'inf'::DOUBLE", "inf"),
    ("dninf", "'-inf'::DOUBLE", "-inf"),
    ("dnan", "'nan'::DOUBLE", "nan"),
    ("dec", "1234567890123456789012345678.9012345678::DECIMAL(38,10)", "1234567890123456789012345678.9012345678"),
    ("dec_small", "(-1.50)::DECIMAL(4,2)", "-1.50"),
    ("text", "'déjà vu'", "déjà vu"),
    ("uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
    ("day", "DATE '2026-11-01'", "2026-11-01"),
    ("day_inf", "'infinity'::DATE", "infinity"),
    ("day_ninf", "'-infinity'::DATE", "-infinity"),
    ("clock", "TIME '24:00:00'", "24:00:00"),
    ("clock_tz", "TIMETZ '12:34:56+02:00'", "12:34:56+02"),
    ("ts", "TIMESTAMP '2026-11-01 10:00:00.5'", "2026-11-01 10:00:00.5"),
    ("ts_s", "TIMESTAMP_S '2026-11-01 10:00:00'", "2026-11-01 10:00:00"),
    ("ts_ms", "TIMESTAMP_MS '2026-11-01 10:00:00.123'", "2026-11-01 10:00:00.123"),
    ("ts_ns", "TIMESTAMP_NS '2026-11-01 10:00:00.123456789'", "2026-11-01 10:00:00.123456789"),
    ("ts_inf", "'infinity'::TIMESTAMP", "infinity"),
    ("ts_ninf", "'-infinity'::TIMESTAMP", "-infinity"),
    ("tstz", "TIMESTAMPTZ '2026-11-01 10:00:00+00'", "2026-11-01 10:00:00+00"),
    ("tstz_inf", "'infinity'::TIMESTAMPTZ", "infinity"),
    ("span", "INTERVAL '1 year 2 months 3 days 04:05:06.789'", "1 year 2 months 3 days 04:05:06.789"),
    ("bytes", "'\\xAA\\x00ab'::BLOB", "\\xAA\\x00ab"),
    ("bits", "'0101'::BIT", "0101"),
    ("bignum", "'123456789012345678901234567890123456789012'::BIGNUM", "123456789012345678901234567890123456789012"),
    ("choice", "'b'::ENUM('a', 'b')", "b"),
    ("list", "[1, 2, NULL]", "[1, 2, NULL]"),
    ("list_ts", "['infinity'::TIMESTAMP]", "[infinity]"),
    ("arr", "[1, 2, 3]::INTEGER[3]", "[1, 2, 3]"),
    ("rec", "{'k': 'v', 'n': 1}", "{'k': v, 'n': 1}"),
    ("rec_tz", "{'at': TIMESTAMPTZ '2026-11-01 10:00:00+00'}", "{'at': '2026-11-01 10:00:00+00'}"),
    ("dict", "MAP {'a': 1}", "{a=1}"),
    ("dict_int", "MAP {1: 'x'}", "{1=x}"),
    ("tagged", "union_value(num := 2)::UNION(num INTEGER, str VARCHAR)", "2"),
];

fn every_type_query() -> String {
    let columns: Vec<String> = EVERY_TYPE.iter().map(|(name, value, _)| format!("{value} AS {name}")).collect();
    format!("SELECT {}", columns.join(", "))
}

#[test]
fn every_type_reads_as_duckdb_writes_it_in_every_text_format() {
    let (_tmp, db) = empty_db();
    let query = every_type_query();
    let line = sql_output(&db, &["--format", "line", &query]);
    for (name, _, text) in EVERY_TYPE {
        let expected = format!("{name:>9} = {text}");
        assert!(line.lines().any(|l| l == expected), "{name}: expected {expected:?} in\n{line}");
    }
    let csv = sql_output(&db, &["--format", "csv", &query]);
    let list = sql_output(&db, &["--format", "list", &query]);
    let markdown = sql_output(&db, &["--format", "markdown", &query]);
    let table = sql_output(&db, &[&query]);
    for (name, _, text) in EVERY_TYPE {
        for (format, out) in [("csv", &csv), ("list", &list), ("markdown", &markdown), ("table", &table)] {
            // Markdown escapes a backslash, CSV writes NULL as an empty field.
            let text = match format {
                "markdown" => text.replace('\\', "\\\\"),
                "csv" if *name == "nothing" => String::new(),
                _ => text.to_string(),
            };
            assert!(out.contains(&text), "{name} in {format}: {text:?} missing from\n{out}");
        }
    }
    for out in [&line, &csv, &list, &markdown, &table] {
        assert!(!out.contains("ERROR") && !out.contains("Cast error") && !out.contains(" value>"), "{out}");
    }
    // The header shows DuckDB's types, as the DuckDB CLI does.
    for type_name in ["int32", "int128", "uint128", "decimal(38,10)", "timestamp with time zone", "time with time zone", "interval", "blob", "bit", "integer[3]", "int32[]", "struct(k varchar, n integer)", "map(varchar, integer)"] {
        assert!(table.contains(type_name), "{type_name} missing from the header:\n{table}");
    }
}

#[test]
fn every_type_is_json_as_its_kind_says() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--format", "jsonl", &every_type_query()]);
    let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    let json = |name: &str| value[name].clone();
    // Numbers stay numbers, exactly (checked on the text: they exceed f64).
    for raw in ["\"hmin\":-170141183460469231731687303715884105728", "\"hmax\":170141183460469231731687303715884105727", "\"ubig\":18446744073709551615", "\"dec\":1234567890123456789012345678.9012345678"] {
        assert!(out.contains(raw), "{raw} in {out}");
    }
    assert_eq!(json("nothing"), serde_json::Value::Null);
    assert_eq!(json("yes"), serde_json::json!(true));
    assert_eq!(json("uhmax"), serde_json::json!("340282366920938463463374607431768211455"), "no unsigned 128-bit JSON number in Arrow: a string");
    assert_eq!(json("dinf"), serde_json::json!("Infinity"));
    assert_eq!(json("dnan"), serde_json::json!("NaN"));
    assert_eq!(json("ts_inf"), serde_json::json!("infinity"));
    assert_eq!(json("tstz"), serde_json::json!("2026-11-01 10:00:00+00"));
    assert_eq!(json("clock_tz"), serde_json::json!("12:34:56+02"));
    assert_eq!(json("span"), serde_json::json!("1 year 2 months 3 days 04:05:06.789"));
    assert_eq!(json("list"), serde_json::json!([1, 2, null]));
    assert_eq!(json("list_ts"), serde_json::json!(["infinity"]));
    assert_eq!(json("arr"), serde_json::json!([1, 2, 3]));
    assert_eq!(json("rec"), serde_json::json!({"k": "v", "n": 1}));
    assert_eq!(json("rec_tz"), serde_json::json!({"at": "2026-11-01 10:00:00+00"}));
    assert_eq!(json("dict"), serde_json::json!({"a": 1}));
    assert_eq!(json("dict_int"), serde_json::json!({"1": "x"}));
    assert_eq!(json("tagged"), serde_json::json!("2"));
    assert_eq!(json("choice"), serde_json::json!("b"));
    // now() is a TIMESTAMP WITH TIME ZONE: no error in any format.
    for format in ["table", "csv", "json", "jsonl", "markdown", "line", "list"] {
        deskql(&db).args(["sql", "--format", format, "SELECT now() AS t"]).assert().success().stdout(predicate::str::contains("+00"));
    }
}

#[test]
fn wrapping_for_types_keeps_order_names_and_duplicates() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--format", "csv", "SELECT i, TIMESTAMP '2026-01-01' + INTERVAL (i) DAY AS \"at day\", i AS i FROM range(5) t(i) ORDER BY i DESC -- a comment"]);
    assert_eq!(out, "i,at day,i\n4,2026-01-05 00:00:00,4\n3,2026-01-04 00:00:00,3\n2,2026-01-03 00:00:00,2\n1,2026-01-02 00:00:00,1\n0,2026-01-01 00:00:00,0\n");
}

#[test]
fn statements_that_cannot_be_wrapped_still_show_their_values() {
    let (_tmp, db) = empty_db();
    let out = sql_output(&db, &["--write", "--format", "csv", "CREATE TABLE w(t TIMESTAMPTZ, d DATE); INSERT INTO w VALUES (TIMESTAMPTZ '2026-11-01 10:00:00+00', DATE '2026-11-01') RETURNING t, d"]);
    assert!(out.starts_with("t,d\n2026-11-01") && out.contains("10:00:00") && out.contains(",2026-11-01"), "{out}");
}

#[test]
fn long_cells_are_cut_in_tables_and_whole_elsewhere() {
    let (_tmp, db) = empty_db();
    let query = "SELECT repeat('x', 10000000) AS big, 1 AS after";
    let table = sql_output(&db, &[query]);
    let row = table.lines().nth(4).unwrap();
    assert!(row.contains("x… │") && row.ends_with("│     1 │"), "{}", &row[row.len().saturating_sub(40)..]);
    assert!(row.chars().count() < 1100, "the cell is cut at its limit, not drawn whole");
    let csv = sql_output(&db, &["--format", "csv", query]);
    assert_eq!(csv.len(), "big,after\n".len() + 10_000_000 + ",1\n".len());
}

#[test]
fn control_characters_from_the_data_never_reach_the_terminal() {
    let (_tmp, db) = empty_db();
    let query = "SELECT 'Refund ' || chr(27) || '[2J' || chr(13) || 'now' || chr(10) || 'please' AS subject";
    for format in ["table", "line", "markdown", "list"] {
        let out = sql_output(&db, &["--format", format, query]);
        assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{format}: {out:?}");
        assert!(out.contains("Refund \\e[2J\\rnow"), "{format}: {out:?}");
    }
    assert!(sql_output(&db, &["--format", "json", query]).contains("Refund \\u001b[2J\\rnow\\nplease"));
    // Error messages that quote a value are escaped too.
    deskql(&db).args(["sql", "SELECT (chr(27) || '[2J')::INTEGER"]).assert().code(1).stderr(predicate::str::contains("\\e[2J").and(predicate::str::contains("\u{1b}").not()));
}

#[test]
fn tables_lead_with_the_views_to_query_and_say_what_they_are() {
    let (_tmp, db) = demo_db();
    let tables = script_output(&db, ".mode csv\n.tables\n");
    let mut lines = tables.lines().skip(1);
    let first = lines.next().unwrap();
    assert!(first.starts_with("main,") && first.contains(",view,"), "{tables}");
    let conversations = tables.lines().find(|l| l.starts_with("main,conversations,view,")).unwrap_or_else(|| panic!("{tables}"));
    assert!(conversations.len() > "main,conversations,view,".len() + 10, "the contract's doc: {conversations}");
    let main_views = tables.lines().position(|l| l.starts_with("main,conversations,view")).unwrap();
    let hist = tables.lines().position(|l| l.starts_with("hist,conversations,table")).unwrap();
    assert!(main_views < hist, "{tables}");
    if let Some(library) = tables.lines().find(|l| l.starts_with("metrics,")) {
        assert!(!library.ends_with(','), "the library's doc comment: {library}");
    }
    // A pattern (LIKE, bound as a parameter: quotes are just characters).
    let conv = script_output(&db, ".mode csv\n.tables conv%\n");
    assert!(conv.lines().skip(1).all(|l| l.contains(",conv")), "{conv}");
    assert!(conv.contains("main,conversations,view,") && conv.contains("hist,conversations,table,"), "{conv}");
    assert_eq!(script_output(&db, ".mode csv\n.tables \"x' OR 1=1 --\"\n"), "schema,name,kind,about\n");
}

#[test]
fn schema_prints_create_statements() {
    let (_tmp, db) = demo_db();
    let out = script_output(&db, ".schema conversations\n");
    assert!(out.contains("CREATE VIEW conversations AS") && out.contains("CREATE TABLE hist.conversations("), "{out}");
    assert!(out.lines().filter(|l| l.starts_with("CREATE")).count() >= 2 && out.trim_end().ends_with(';'), "{out}");
    assert!(!script_output(&db, ".schema\n").is_empty());
    assert_eq!(script_output(&db, ".schema 'no such thing'\n"), "");
}

#[test]
fn describe_looks_names_up_instead_of_running_them() {
    let (_tmp, db) = demo_db();
    script(&db, ".describe \"conversations; DROP VIEW conversations\"\n").code(1).stderr(predicate::str::contains("no table, view or macro named"));
    assert!(script_output(&db, ".mode csv\n.describe hist.conversations\n").contains("_hash,"));
    assert!(!script_output(&db, ".mode csv\n.describe conversations\n").contains("_hash"));
}

#[test]
fn last_shows_the_last_result_whole() {
    let (_tmp, db) = empty_db();
    let out = script_output(&db, ".maxrows 4\nSELECT i FROM range(10) t(i);\n.last\n");
    assert!(out.contains("10 rows, 4 shown"), "{out}");
    let after = &out[out.find("10 rows, 4 shown").unwrap()..];
    let whole: String = after.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(whole.contains("│     5 │") && !whole.contains("shown") && !whole.contains('…'), "{after}");
    // In the format of the moment.
    assert!(script_output(&db, "SELECT 1 AS a;\n.mode csv\n.last\n").ends_with("a\n1\n"));
    script(&db, ".last\n").code(1).stderr(predicate::str::contains("no result yet"));
}

#[test]
fn once_writes_the_next_result_only() {
    let (tmp, db) = empty_db();
    let file = tmp.path().join("once.csv");
    let out = script_output(&db, &format!(".mode csv\n.once {}\nSELECT 1 AS first;\nSELECT 2 AS second;\n", file.display()));
    assert_eq!(out, "second\n2\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "first\n1\n");
    // A failed statement leaves no file; the database itself is refused.
    let failed = tmp.path().join("failed.csv");
    script(&db, &format!(".once {}\nSELEC 1;\n", failed.display())).code(1);
    assert!(!failed.exists());
    script(&db, &format!(".once {}\nSELECT 1;\n", db.display())).code(1).stderr(predicate::str::contains("refusing to write"));
}

#[test]
fn bail_off_goes_on_after_errors_and_still_fails() {
    let (_tmp, db) = empty_db();
    script(&db, ".bail off\n.mode csv\nSELEC 1;\nSELECT 2 AS after;\n")
        .code(1)
        .stdout("after\n2\n")
        .stderr(predicate::str::contains("SELEC"));
    deskql(&db).args(["sql", ".bail off\nSELECT * FROM nowhere; SELECT 3 AS three"]).assert().code(1).stdout(predicate::str::contains("three"));
    script(&db, ".bail on\nSELEC 1;\nSELECT 2;\n").code(1).stdout("");
}

#[test]
fn read_only_sessions_keep_their_temporary_objects_and_refuse_transactions() {
    let (_tmp, db) = empty_db();
    script(&db, "BEGIN;\n").code(1).stderr(predicate::str::contains("read-only").and(predicate::str::contains("`deskql repl --write`")));
    deskql(&db).args(["sql", "BEGIN"]).assert().code(1).stderr(predicate::str::contains("`deskql sql --write \"...\"`"));
    // Temporary tables, views and macros last for the session (they live in
    // memory, never in the file).
    let out = script_output(
        &db,
        ".mode csv\nCREATE TEMP TABLE t AS SELECT 40 AS x;\nCREATE TEMP VIEW v AS SELECT x + 1 AS x FROM t;\nCREATE TEMP MACRO inc(a) AS a + 1;\n\
         SELECT inc(x) AS answer FROM v;\nDROP VIEW v;\nSELECT count(*) AS views FROM duckdb_views() WHERE view_name = 'v';\n",
    );
    assert_eq!(out, "answer\n42\nviews\n0\n");
    // The file is not written to: it is attached read-only.
    script(&db, "CREATE TABLE t(x INTEGER);\n").code(1).stderr(predicate::str::contains("read-only"));
    // Settings of DuckDB itself are locked: said plainly.
    script(&db, "SET threads = 1;\n").code(1).stderr(predicate::str::contains("locks DuckDB's configuration"));
    // Reading local files stays allowed.
    let csv = db.with_extension("csv");
    std::fs::write(&csv, "a\n1\n2\n").unwrap();
    assert_eq!(sql_output(&db, &["--format", "csv", &format!("SELECT sum(a) AS s FROM read_csv('{}')", csv.display())]), "s\n3\n");
}

#[test]
fn report_follows_the_mode_and_writes_its_output_file() {
    let (tmp, db) = demo_db();
    let args = "company --account 1 --from 2026-10-01 --to 2026-11-01";
    let json = script_output(&db, &format!(".mode json\n.report {args}\n"));
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");
    let markdown = script_output(&db, &format!(".mode markdown\n.report {args}\n"));
    assert!(markdown.contains("| ---"), "{markdown}");
    // --format wins over .mode.
    assert!(serde_json::from_str::<serde_json::Value>(&script_output(&db, &format!(".mode csv\n.report {args} --format json\n"))).is_ok());
    let file = tmp.path().join("company.html");
    let shown = script_output(&db, &format!(".report {args} --format html --output {}\n", file.display()));
    assert_eq!(shown, "");
    assert!(std::fs::read_to_string(&file).unwrap().contains("<html"));
}

#[test]
fn an_empty_database_says_what_to_do() {
    let (_tmp, db) = empty_db();
    const SAY: &str = "no snapshot yet: run `deskql ingest DIR` (or `deskql demo`)";
    assert_eq!(script_output(&db, ".snapshots\n"), format!("{SAY}\n"));
    script(&db, ".snapshot s1\n").code(1).stderr(predicate::str::contains(SAY));
    script(&db, ".report company --account 1 --month 2026-10\n").code(1).stderr(predicate::str::contains(SAY));
    deskql(&db).args(["report", "company", "--account", "1", "--month", "2026-10"]).assert().code(1).stderr(predicate::str::contains(SAY));
    deskql(&db).args(["snapshots"]).assert().success().stdout(format!("{SAY}\n"));
    deskql(&db).args(["snapshots", "drop", "s1"]).assert().code(1).stderr(predicate::str::contains(SAY));
}

#[test]
fn write_is_accepted_on_the_bare_command() {
    let (_tmp, db) = empty_db();
    deskql(&db).arg("--write").write_stdin("CREATE TABLE made_here AS SELECT 1 AS x;\n").assert().success();
    assert_eq!(sql_output(&db, &["--format", "csv", "SELECT x FROM made_here"]), "x\n1\n");
    deskql(&db).args(["--write", "report"]).assert().code(2);
}

#[test]
fn interactive_only_commands_say_so_in_scripts() {
    let (_tmp, db) = empty_db();
    script(&db, ".edit\n").code(1).stderr(predicate::str::contains("interactive prompt only"));
    // .highlight is accepted anywhere (it matters at the prompt only).
    script(&db, ".highlight off\n.highlight on\n").success();
}
