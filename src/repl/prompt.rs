//! The interactive prompt: read lines until a statement is complete (a
//! continuation prompt for the lines after the first, as the DuckDB CLI
//! does), run them, keep the history, and `.edit` through `$EDITOR`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

use super::command::Flow;
use super::exec::{self, report_error};
use super::helper::ReplHelper;
use super::session::Session;
use super::split;
use super::{history, interrupt};

/// Typed alone on a continuation line: edit the statement typed so far.
const EDIT: &str = ".edit";

/// The interactive shell: read, run, print, until `.quit` or Ctrl-D.
pub fn run(session: &mut Session, helper: ReplHelper) -> Result<()> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .history_ignore_space(true)
        .max_history_size(10_000)?
        .build();
    let mut editor: Editor<ReplHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(helper));
    // The editor installs a SIGINT handler of its own (used only while it
    // reads a line); ours must come after it to see Ctrl-C during a query.
    interrupt::install();
    let history = history::path();
    if let Some(path) = &history {
        // A first session has no file yet; any other problem is worth a word.
        if path.exists()
            && let Err(err) = editor.load_history(path)
        {
            eprintln!("warning: cannot read the history {}: {err}", path.display());
        }
    }
    // The statement being typed, over one or more lines.
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { prompt(session) } else { continuation(&prompt(session)) };
        if let Some(helper) = editor.helper_mut() {
            helper.set_start_state(&pending);
        }
        let line = match session.next_input.take() {
            Some(initial) => editor.readline_with_initial(&prompt, (&initial, "")),
            None => editor.readline(&prompt),
        };
        match line {
            Ok(line) if !pending.is_empty() && line.trim() == EDIT => {
                session.next_input = edit(std::mem::take(&mut pending).trim_end()).map_err(|e| report_error(&e)).ok();
            }
            Ok(line) => {
                if pending.is_empty() && line.trim().is_empty() {
                    continue;
                }
                pending.push_str(&line);
                pending.push('\n');
                if !split::is_complete(&pending) {
                    continue;
                }
                let input = std::mem::take(&mut pending);
                remember_line(&mut editor, history.as_deref(), &input);
                if exec::run_script(session, &input)? == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C at the prompt: the statement being typed is dropped.
            Err(ReadlineError::Interrupted) => pending.clear(),
            Err(ReadlineError::Eof) => break,
            Err(err) => return Err(err).context("reading the terminal"),
        }
    }
    Ok(())
}

/// Add the input to the history and append it to the file at once, so a
/// second session (or a crash) keeps it.
fn remember_line(editor: &mut Editor<ReplHelper, FileHistory>, path: Option<&Path>, input: &str) {
    let _ = editor.add_history_entry(input.trim_end());
    let Some(path) = path else { return };
    let saved = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| e.to_string()),
        _ => Ok(()),
    }
    .and_then(|()| editor.append_history(path).map_err(|e| e.to_string()));
    if let Err(err) = saved {
        eprintln!("warning: cannot write the history {}: {err}", path.display());
    }
}

fn prompt(session: &Session) -> String {
    let mode = if session.is_read_only() { "" } else { "[rw]" };
    match &session.pinned {
        Some(id) => format!("deskql{mode}@{id}> "),
        None => format!("deskql{mode}> "),
    }
}

/// `...> ` as wide as the first line's prompt, so the lines stay aligned.
fn continuation(first: &str) -> String {
    format!("{:>width$} ", "...>", width = first.chars().count().saturating_sub(1))
}

/// Open `$VISUAL` or `$EDITOR` (else `vi`) on `statement`; the text saved
/// is what the next prompt offers. Run through `sh`, so that an editor
/// given with arguments (`code --wait`) works, as for git.
pub fn edit(statement: &str) -> Result<String> {
    let editor = ["VISUAL", "EDITOR"].iter().find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty())).unwrap_or_else(|| "vi".to_string());
    let path = std::env::temp_dir().join(format!("deskql-edit-{}.sql", std::process::id()));
    std::fs::write(&path, format!("{statement}\n")).with_context(|| format!("cannot write {}", path.display()))?;
    let status = std::process::Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("deskql-edit").arg(&path).status();
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => bail!("the editor {editor:?} failed ({status}); nothing changed"),
        Err(err) => bail!("cannot start the editor {editor:?}: {err}"),
    }
    Ok(text.context("reading back the edited statement")?.trim_end().to_string())
}

/// The banner of an interactive session.
pub fn greet(session: &Session, out: &mut dyn Write, snapshot_count: Option<i64>) -> std::io::Result<()> {
    let access = if session.is_read_only() { "read-only; `deskql repl --write` to change data".to_string() } else { "read-write".to_string() };
    writeln!(out, "deskql {} on {} ({access}).", env!("CARGO_PKG_VERSION"), session.db().display())?;
    if snapshot_count == Some(0) {
        writeln!(out, "{}", crate::catalog::NO_SNAPSHOT_YET)?;
    }
    writeln!(out, "Statements end with ';'. .help lists the commands; Ctrl-C stops a query, Ctrl-D quits.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_continuation_prompt_lines_up() {
        assert_eq!(continuation("deskql> "), "   ...> ");
        assert_eq!(continuation("deskql@s1> ").chars().count(), "deskql@s1> ".chars().count());
    }
}
