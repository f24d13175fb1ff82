//! `DESKQL_TRACE=1`: how long each step of an ingest or of opening a
//! database takes, on stderr, to see where the time goes in a benchmark or on
//! a slow export. Silent otherwise.

use anyhow::Result;

/// Run `work`, and with `DESKQL_TRACE` set print `trace: <step>: <seconds>`.
pub fn trace<T>(step: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    if std::env::var_os("DESKQL_TRACE").is_none() {
        return work();
    }
    let started = std::time::Instant::now();
    let result = work();
    eprintln!("trace: {step}: {:.3} s", started.elapsed().as_secs_f64());
    result
}

/// With `DESKQL_TRACE` set, print `trace: <what>` (a decision a step made).
pub fn note(what: &str) {
    if std::env::var_os("DESKQL_TRACE").is_some() {
        eprintln!("trace: {what}");
    }
}
