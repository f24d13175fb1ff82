//! A writer waiting for the lock, and readers letting it in.
//!
//! DuckDB lets one process write a file and no one read it meanwhile; a
//! reader holds the file while a statement runs. The read-only shell opens
//! the file for each statement, so an ingest waiting for the lock should get
//! in between two statements; but a script of quick statements reopens the
//! file within microseconds, and a writer retrying every 100 ms would almost
//! never find it free. So a waiting writer says so, with a file next to the
//! database (`<db>.writer-waiting`, holding its process id), and a reader
//! about to open the file first waits (bounded) until that writer got in.

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// How long a reader holds back for a waiting writer, at most.
const MAX_YIELD: Duration = Duration::from_secs(30);
/// A notice older than this is from a writer that died without removing it.
const STALE_AFTER: Duration = Duration::from_secs(600);

fn notice_path(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.writer-waiting", db.display()))
}

/// The notice of a waiting writer; removed when dropped (the writer got in,
/// or gave up).
pub struct Announced {
    path: PathBuf,
}

impl Drop for Announced {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Say that this process waits to write `db`. None if the notice cannot be
/// written (a read-only folder): the writer then only retries.
pub fn announce(db: &Path) -> Option<Announced> {
    let path = notice_path(db);
    std::fs::write(&path, std::process::id().to_string()).ok()?;
    Some(Announced { path })
}

/// Whether a live writer waits for `db`.
fn writer_waits(db: &Path) -> bool {
    let path = notice_path(db);
    let Ok(meta) = std::fs::metadata(&path) else { return false };
    let fresh = meta.modified().ok().and_then(|m| SystemTime::now().duration_since(m).ok()).is_some_and(|age| age < STALE_AFTER);
    let alive = std::fs::read_to_string(&path)
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok())
        .is_some_and(|pid| !cfg!(target_os = "linux") || Path::new(&format!("/proc/{pid}")).exists());
    fresh && alive
}

/// Before a reader opens `db`: wait until no writer waits (it got the lock,
/// or gave up), at most `MAX_YIELD`.
pub fn let_writer_in(db: &Path) {
    let deadline = Instant::now() + MAX_YIELD;
    while writer_waits(db) && Instant::now() < deadline {
        sleep(Duration::from_millis(20));
    }
}
