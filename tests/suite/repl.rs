//! The interactive REPL in a real pseudo-terminal (tmux): multi-line input
//! with a continuation prompt, highlighting, `.edit`, completion, Ctrl-C of
//! a running query, history across sessions, the pager, wide results, locks,
//! and errors that never end the shell.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::shell::{Terminal, demo_db, empty_db, hold_write_lock, require_tmux};

fn start(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Terminal {
    let history = db.with_extension("history");
    let mut env = env.to_vec();
    if !env.iter().any(|(k, _)| *k == "DESKQL_HISTORY") {
        env.push(("DESKQL_HISTORY", history.to_str().unwrap()));
    }
    let mut all = vec!["repl"];
    all.extend(args);
    let terminal = Terminal::start(db, &all, &env);
    terminal.wait_prompt();
    terminal
}

#[test]
fn multi_line_input_and_errors_keep_the_shell() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[]);
    t.wait_for("(read-only; `deskql repl --write` to change data)");
    t.wait_for("no snapshot yet: run `deskql ingest DIR` (or `deskql demo`)");
    // A statement over two lines; the ';' inside the string does not end it.
    // The second line has the continuation prompt.
    t.command("SELECT 1 AS a,");
    t.wait_for("   ...> ");
    t.line("  'x;y' AS b;");
    t.wait_for("│     1 │ x;y     │");
    t.wait_for("   ...>   'x;y' AS b;");
    t.command("SELEC 1;");
    t.wait_for("Error: Parser Error: syntax error at or near \"SELEC\"");
    t.command(".frobnicate");
    t.wait_for("Error: unknown command .frobnicate; .help lists the commands");
    t.command(".format xml");
    t.wait_for("Error: unknown format \"xml\"");
    t.command(".report company --bogus");
    t.wait_for("unexpected argument '--bogus'");
    t.command("CREATE TABLE t(x INTEGER);");
    t.wait_for("start the shell with `deskql repl --write` (or `deskql --write`) to change it");
    // Ctrl-C at the prompt drops the line being typed.
    t.wait_prompt();
    t.type_text("SELECT garbage");
    t.press("C-c");
    t.command("SELECT 40 + 2 AS answer;");
    let screen = t.wait_for("│     42 │");
    // A statement typed after Ctrl-C on a continuation line starts afresh.
    t.command("SELECT 'dropped'");
    t.wait_for("   ...> ");
    t.press("C-c");
    t.command("SELECT 'kept' AS k;");
    t.wait_for("│ kept    │");
    assert!(!screen.contains("Unknown error code"), "duckdb-rs's error tail is not shown:\n{screen}");
    // Ctrl-D leaves.
    t.wait_prompt();
    t.press("C-d");
    t.wait_for("[exited 0]");
}

#[test]
fn tab_completes_names_from_the_live_catalog() {
    require_tmux();
    let (_tmp, db) = demo_db();
    let t = start(&db, &[], &[]);
    // A column of a table, after `table.`.
    t.type_text("SELECT conversations.subj");
    t.press("Tab");
    t.wait_for("SELECT conversations.subject");
    t.line(" FROM conversations LIMIT 0;");
    t.wait_for("│ subject │");
    // The view's columns only, not the history table's bookkeeping.
    t.wait_prompt();
    t.type_text("SELECT conversations._");
    t.press("Tab");
    t.press("Tab");
    sleep(Duration::from_millis(300));
    assert!(!t.screen().contains("_hash"), "{}", t.screen());
    t.press("C-c");
    // A keyword in the case typed.
    t.wait_prompt();
    t.type_text("sele");
    t.press("Tab");
    t.wait_for("deskql> select");
    t.press("C-c");
    // A table of a schema.
    t.wait_prompt();
    t.type_text("SELECT count(*) > 0 AS some FROM deskql_meta.snapshot_t");
    t.press("Tab");
    t.wait_for("FROM deskql_meta.snapshot_tables");
    t.line(";");
    t.wait_for("│ true    │");
    // A dot command and its argument.
    t.wait_prompt();
    t.type_text(".descr");
    t.press("Tab");
    t.type_text(" inbo");
    t.press("Tab");
    t.wait_for(".describe inboxes");
    t.press("Enter");
    t.wait_for("│ inbox_id ");
    drop(t);

    // A table created in this session is offered at once.
    let t = start(&db, &["--write"], &[]);
    t.command("CREATE TABLE scratch_pad(only_column INTEGER);");
    // The next prompt, not the one the statement was typed at (keys typed
    // while the statement runs may be lost when the line editor starts).
    t.wait_for_n("deskql[rw]> ", 2);
    t.wait_prompt();
    t.type_text("SELECT only_c");
    t.press("Tab");
    t.wait_for("SELECT only_column");
}

#[test]
fn ctrl_c_interrupts_a_running_query_and_keeps_the_shell() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[]);
    // The statement after the interrupted one, on the same line, is not run.
    t.command("SELECT count(*) FROM range(10000000000) a, range(1000) b; SELECT 'not' || ' run' AS x;");
    sleep(Duration::from_millis(800));
    let pressed = Instant::now();
    t.press("C-c");
    t.wait_for("query interrupted");
    assert!(pressed.elapsed() < Duration::from_secs(10), "the interrupt took {:?}", pressed.elapsed());
    t.command("SELECT 'still' || ' here' AS s;");
    let screen = t.wait_for("│ still here │");
    assert!(!screen.contains("│ not run │"), "{screen}");
}

#[test]
fn history_persists_across_sessions() {
    require_tmux();
    let (tmp, db) = empty_db();
    let history = tmp.path().join("state").join("deskql-history");
    let env = [("DESKQL_HISTORY", history.to_str().unwrap())];
    let first = start(&db, &[], &env);
    first.command("SELECT 'remember' || ' me' AS h;");
    first.wait_for("│ remember me │");
    first.wait_prompt();
    first.press("C-d");
    first.wait_for("[exited 0]");
    drop(first);
    assert!(std::fs::read_to_string(&history).unwrap().contains("SELECT 'remember' || ' me' AS h;"));

    let second = start(&db, &[], &env);
    second.press("Up");
    second.wait_for("deskql> SELECT 'remember' || ' me' AS h;");
    second.press("Enter");
    second.wait_for("│ remember me │");
}

#[test]
fn long_results_are_elided_or_paged_on_a_terminal() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[("PAGER", "sed s/^/paged:/")]);
    // 40 rows by default on a terminal, with the footer.
    t.command("SELECT i FROM range(1000) t(i);");
    t.wait_for("1000 rows, 40 shown");
    // .last: the same result whole, through the pager.
    t.command(".last");
    t.wait_for("paged:│   999 │");
    // Every row: longer than the screen, so through the pager.
    t.command(".maxrows 0");
    t.command("SELECT i FROM range(100) t(i);");
    t.wait_for("paged:│    99 │");
    // A short result is printed as is.
    t.command("SELECT 'sh' || 'ort' AS s;");
    let screen = t.wait_for("│ short   │");
    assert!(!screen.contains("paged:│ short   │"), "{screen}");
}

#[test]
fn a_locked_database_is_said_and_the_shell_waits_for_it() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let writer = hold_write_lock(&db);
    let t = start(&db, &[], &[]);
    t.wait_for("is locked by another process");
    t.command("SELECT 1 AS one;");
    t.wait_for_n("is locked by another process", 2);
    drop(writer);
    t.command("SELECT 'free' || 'dom' AS f;");
    t.wait_for("│ freedom │");
}

#[test]
fn read_only_sessions_do_not_hold_the_file_between_statements() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[]);
    t.command("SELECT 'first' AS q;");
    t.wait_for("│ first   │");
    t.wait_prompt();
    // A writer (an ingest) gets the file while the shell sits at its prompt.
    let writer = hold_write_lock(&db);
    writer.execute_batch("CREATE TABLE written_meanwhile AS SELECT 7 AS seven").unwrap();
    drop(writer);
    t.command("SELECT seven FROM written_meanwhile;");
    t.wait_for("│     7 │");
}

#[test]
fn snapshot_pinning_shows_in_the_prompt() {
    require_tmux();
    let (_tmp, db) = demo_db();
    let t = start(&db, &[], &[]);
    t.command(".snapshot sample-1");
    t.wait_for("deskql@sample-1> ");
    t.command(".snapshot latest");
    t.wait_for("every query now runs on the latest snapshot");
    t.command(".snapshot");
    t.wait_for("every query runs on the latest snapshot");
}

#[test]
fn syntax_is_highlighted_unless_turned_off() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[]);
    t.type_text("SELECT 'str', 42 FROM t");
    t.wait_for("SELECT 'str', 42 FROM t");
    let coloured = t.screen_with_colours();
    // tmux writes the colours back as it sets them: green keywords, yellow constants.
    assert!(coloured.contains("\u{1b}[32mSELECT") && coloured.contains("\u{1b}[33m'str'") && coloured.contains("\u{1b}[33m42"), "{coloured:?}");
    t.press("C-c");
    t.command(".highlight off");
    // Its echo first: the prompt it was typed at is not the next one.
    t.wait_for("deskql> .highlight off");
    t.wait_prompt();
    t.type_text("SELECT 'plain'");
    t.wait_for("SELECT 'plain'");
    let line = t.screen_with_colours().lines().rev().find(|l| l.contains("SELECT 'plain'")).unwrap_or_default().to_string();
    assert!(!line.contains("\u{1b}[3"), "{line:?}");
    t.press("C-c");
    drop(t);

    let t = start(&db, &[], &[("NO_COLOR", "1")]);
    t.type_text("SELECT 'none'");
    t.wait_for("SELECT 'none'");
    let line = t.screen_with_colours().lines().rev().find(|l| l.contains("SELECT 'none'")).unwrap_or_default().to_string();
    assert!(!line.contains("\u{1b}[3"), "{line:?}");
}

#[test]
fn edit_opens_the_editor_and_offers_the_result() {
    require_tmux();
    let (tmp, db) = empty_db();
    // An "editor" that replaces the statement with another one.
    let editor = tmp.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf \"SELECT 'edited' || '!' AS e;\\n\" > \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let t = start(&db, &[], &[("EDITOR", editor.to_str().unwrap()), ("VISUAL", "")]);
    t.command("SELECT 'first' AS f;");
    t.wait_for("│ first   │");
    t.command(".edit");
    t.wait_for("deskql> SELECT 'edited' || '!' AS e;");
    t.press("Enter");
    t.wait_for("│ edited! │");
    // On a continuation line: the statement being typed.
    t.command("SELECT 'unfinished'");
    t.wait_for("   ...> ");
    t.line(".edit");
    t.wait_for_n("deskql> SELECT 'edited' || '!' AS e;", 2);
}

#[test]
fn wide_results_leave_out_middle_columns_to_fit_the_terminal() {
    require_tmux();
    let (_tmp, db) = empty_db();
    let t = start(&db, &[], &[]);
    let columns: Vec<String> = (0..30).map(|i| format!("'value {i:02}' AS column_{i:02}")).collect();
    t.command(&format!("SELECT {};", columns.join(", ")));
    let screen = t.wait_for("30 columns,");
    let table: Vec<&str> = screen.lines().filter(|l| l.starts_with(['┌', '│', '├', '└'])).collect();
    let header = table.get(1).copied().unwrap_or_default();
    assert!(header.contains("column_00") && header.contains("column_29") && !header.contains("column_15"), "{screen}");
    assert!(table.iter().all(|l| l.chars().count() <= 160), "{screen}");
    assert!(header.contains("│ … │"), "{screen}");
}
