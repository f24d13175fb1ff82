//! Interactive SQL shell and one-shot SQL (placeholder; being written).

use anyhow::{Result, bail};
use clap::Args;
use std::path::Path;

#[derive(Args, Debug, Default)]
pub struct ReplArgs {
    /// Open the database read-write (DDL/DML allowed). Default: read-only.
    #[arg(long)]
    pub write: bool,
}

#[derive(Args, Debug)]
pub struct SqlArgs {
    /// The SQL to run.
    pub sql: String,
    /// Open the database read-write.
    #[arg(long)]
    pub write: bool,
}

pub fn run_repl(_db: &Path, _args: &ReplArgs) -> Result<u8> {
    bail!("repl: not implemented yet")
}

pub fn run_sql(_db: &Path, _args: &SqlArgs) -> Result<u8> {
    bail!("sql: not implemented yet")
}
