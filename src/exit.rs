//! Exit codes and the lock-wait option: the few things every command shares
//! with the command line. A leaf: it imports nothing of deskql.

use std::time::Duration;

use clap::Args;

/// Success, including an ingest that was a no-op.
pub const OK: u8 = 0;
/// Any other failure (I/O, SQL error, bad argument value).
pub const FAILURE: u8 = 1;
/// Command-line usage error (clap, or a value a parser refused).
pub const USAGE: u8 = 2;
/// The snapshot failed validation; nothing was written.
pub const INVALID_SNAPSHOT: u8 = 3;
/// The database is locked by another writer (after --wait).
pub const LOCKED: u8 = 4;
/// The snapshot id exists with different content (use --replace).
pub const CONFLICT: u8 = 5;
/// `audit verify`: the record or its recomputation differs (not an error:
/// the check ran and its answer is "no").
pub const DIFFERS: u8 = 6;
/// `mail`: some deliveries failed (refused, timed out, unreachable) or are
/// in doubt; each is recorded and listed, and a rerun retries the failed.
pub const DELIVERY_FAILED: u8 = 7;

/// Whether `err` is, anywhere in its chain, a write to a closed pipe: the
/// reader (`head`, a pager that quit) wants no more output. Not a failure:
/// the process exits quietly with 0, as ripgrep does.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    // Writers that wrap the io::Error in their own type (Arrow's CSV and
    // JSON writers) keep its text, "Broken pipe (os error 32)".
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.to_string().contains("Broken pipe (os error")
    })
}

/// Lock wait for commands that write.
#[derive(Args, Debug, Clone)]
pub struct WaitArgs {
    /// Seconds to wait for another writer (an ingest) to release the database.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub wait: u64,
}

impl WaitArgs {
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.wait)
    }
}
