//! Helpers for the shell tests: databases to run on, `deskql` commands, and a
//! pseudo-terminal driven through tmux (installed by `.ci/run`; a test that
//! needs it fails, saying so, when it is missing).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// `deskql --db <db>`, without the caller's DESKQL_DB, pager or history.
pub fn deskql(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deskql").unwrap();
    cmd.env_remove("DESKQL_DB").env("PAGER", "").env("DESKQL_HISTORY", db.with_extension("history")).arg("--db").arg(db);
    cmd
}

/// A database with the two sample snapshots (`sample-1`, `sample-2`).
pub fn demo_db() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("demo.duckdb");
    deskql(&db).arg("demo").assert().success();
    (tmp, db)
}

/// A database with the deskql schema and no snapshot.
pub fn empty_db() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("empty.duckdb");
    deskql(&db).args(["sql", "--write", "SELECT 1"]).assert().success();
    (tmp, db)
}

/// Hold DuckDB's write lock on `db` for as long as the connection lives.
pub fn hold_write_lock(db: &Path) -> duckdb::Connection {
    duckdb::Connection::open(db).unwrap()
}

/// A terminal running one command, read through tmux.
pub struct Terminal {
    socket: PathBuf,
    _dir: TempDir,
}

/// tmux is part of the machine image; without it the pty tests cannot run.
/// The pseudo-terminal tests need tmux: without it they fail, saying so,
/// rather than pass without having run (`.ci/run` installs it).
pub fn require_tmux() {
    let found = Process::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(found, "tmux is not installed: the pseudo-terminal tests of the REPL need it (`apt-get install -y tmux`; .ci/run does it)");
}

fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', "'\\''"))
}

impl Terminal {
    /// Run `deskql --db <db> <args>` in a 160x40 terminal with `env` set. When
    /// the shell ends, "[exited N]" is printed and the pane stays.
    pub fn start(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Terminal {
        let dir = TempDir::new().unwrap();
        let socket = dir.path().join("tmux.sock");
        let binary = PathBuf::from(env!("CARGO_BIN_EXE_deskql"));
        let mut command = String::from("env -u DESKQL_DB PAGER= TERM=xterm-256color");
        for (key, value) in env {
            command.push_str(&format!(" {key}={}", quote(value)));
        }
        command.push_str(&format!(" {} --db {}", quote(&binary.to_string_lossy()), quote(&db.to_string_lossy())));
        for arg in args {
            command.push_str(&format!(" {}", quote(arg)));
        }
        command.push_str("; echo \"[exited $?]\"; sleep 600");
        let terminal = Terminal { socket, _dir: dir };
        terminal.tmux(&["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40", &command]);
        terminal
    }

    fn tmux(&self, args: &[&str]) -> Output {
        // -u: UTF-8 whatever the locale, for the box-drawing characters.
        let output = Process::new("tmux").arg("-u").arg("-S").arg(&self.socket).args(args).output().unwrap();
        assert!(output.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    /// Type text as is.
    pub fn type_text(&self, text: &str) {
        // tmux takes a `;` ending an argument for its command separator.
        let escaped = match text.strip_suffix(';') {
            Some(head) => format!("{head}\\;"),
            None => text.to_string(),
        };
        self.tmux(&["send-keys", "-l", &escaped]);
    }

    /// Press keys by tmux name: Enter, Tab, Up, C-c, C-d.
    pub fn press(&self, key: &str) {
        self.tmux(&["send-keys", key]);
    }

    /// Type a line and press Enter.
    pub fn line(&self, text: &str) {
        self.type_text(text);
        self.press("Enter");
    }

    /// The screen and its scroll-back, as text.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-J", "-S", "-2000"]).stdout).into_owned()
    }

    /// The screen with its colours, as the escape sequences that set them.
    pub fn screen_with_colours(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-J", "-S", "-2000"]).stdout).into_owned()
    }

    /// Wait until the screen shows `needle` `times` times; panic with the screen after 20 s.
    pub fn wait_for_n(&self, needle: &str, times: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.matches(needle).count() >= times {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {needle:?} (x{times}); the screen:\n{screen}");
            sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_n(needle, 1)
    }

    /// Wait until the shell reads a new line: the last line shown is a bare
    /// prompt (keys typed before that could reach the terminal before the
    /// line editor does).
    pub fn wait_prompt(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            let last = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().trim_end();
            if last.starts_with("deskql") && last.ends_with('>') {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for a prompt; the screen:\n{screen}");
            sleep(Duration::from_millis(50));
        }
    }

    /// At the next prompt, type a line and press Enter.
    pub fn command(&self, text: &str) {
        self.wait_prompt();
        self.line(text);
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        // Ends this test's own tmux server (and the shell in it), nothing else.
        let _ = Process::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}
