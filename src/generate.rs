//! Deterministic synthetic snapshots (placeholder; being written).

use anyhow::{Result, bail};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Output folder (created; existing contract files in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 3)]
    pub accounts: u32,
    #[arg(long, default_value_t = 300)]
    pub conversations: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(_args: &GenerateArgs) -> Result<u8> {
    bail!("generate: not implemented yet")
}
