//! The `deskql` binary: everything lives in the library crate (`src/lib.rs`);
//! this file only hands the process over to the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    deskql::cli::run()
}
