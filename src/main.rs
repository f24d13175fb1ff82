//! deskql: the command-line entry point. Parses arguments and hands over to
//! the module that owns each concern; no logic lives here.

mod audit;
mod bench;
mod cli;
mod contract;
mod format;
mod generate;
mod ingest;
mod library;
mod repl;
mod report;
mod snapshots;
mod sqltext;
mod storage;
mod timezones;
mod trace;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
