//! Ctrl-C while a statement runs: interrupt DuckDB and keep the shell.
//!
//! At the prompt the terminal is in raw mode and rustyline turns Ctrl-C into
//! "clear the line"; while a statement runs the terminal is cooked, Ctrl-C is
//! SIGINT, and this handler interrupts the running connection. DuckDB drops an
//! interrupt that arrives before execution starts (while it still prepares),
//! so the handler repeats it until that statement ends.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::thread::sleep;
use std::time::Duration;

use duckdb::InterruptHandle;

/// The statement running now, with a number telling statements apart.
static RUNNING: Mutex<Option<(u64, Arc<InterruptHandle>)>> = Mutex::new(None);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// Set by Ctrl-C, cleared by `take`.
static REQUESTED: AtomicBool = AtomicBool::new(false);

const REPEAT_EVERY: Duration = Duration::from_millis(50);
const REPEAT_FOR: u32 = 100; // 5 s

/// Install the SIGINT handler (once per process). Without it Ctrl-C would
/// kill the shell along with the query. Interactive: after creating the
/// line editor, which replaces the SIGINT handler when it is created.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Fails only if another handler is installed: then Ctrl-C keeps its default.
        let _ = ctrlc::set_handler(on_ctrl_c);
    });
}

fn on_ctrl_c() {
    REQUESTED.store(true, Ordering::SeqCst);
    let Some(id) = running().map(|(id, _)| id) else { return };
    for _ in 0..REPEAT_FOR {
        match running() {
            Some((now, handle)) if now == id => handle.interrupt(),
            _ => return, // that statement ended; never interrupt the next one
        }
        sleep(REPEAT_EVERY);
    }
}

fn running() -> Option<(u64, Arc<InterruptHandle>)> {
    RUNNING.lock().ok().and_then(|guard| guard.clone())
}

/// Whether Ctrl-C was pressed since the last call (and forget it).
pub fn take() -> bool {
    REQUESTED.swap(false, Ordering::SeqCst)
}

/// Marks a statement as running on a connection for as long as it lives.
pub struct Running(());

impl Running {
    pub fn new(handle: Arc<InterruptHandle>) -> Running {
        REQUESTED.store(false, Ordering::SeqCst);
        let id = NEXT_ID.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut guard) = RUNNING.lock() {
            *guard = Some((id, handle));
        }
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut guard) = RUNNING.lock() {
            *guard = None;
        }
    }
}

/// Whether an error is DuckDB reporting an interrupted statement.
pub fn is_interrupt_error(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.to_string().contains("INTERRUPT"))
}
