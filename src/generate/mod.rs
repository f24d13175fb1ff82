//! `deskql generate`: a deterministic, realistic synthetic snapshot.
//!
//! Every account, customer, user and conversation draws from its own random
//! stream (see `rng`), and every row is the state of a time-stamped life as of
//! the snapshot's as-of (see `conversation`). So the same arguments give
//! byte-identical files, and `--revision K` shows the same accounts K weeks
//! later: rows untouched since are identical, a few conversations changed, new
//! ones were created, a few rows are gone.
//!
//! Rows are streamed to Parquet account by account, conversation by
//! conversation (see `sink`), so memory stays bounded for any size.

mod account;
mod clock;
mod conversation;
mod emit;
mod names;
mod office;
mod rng;
mod sink;
mod tables;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::exit;
use crate::contract::Contract;

use account::{Account, MAX_ACCOUNTS};
use conversation::{Conversation, Life};
use emit::Sinks;
use rng::{Domain, Streams};

/// Largest `--conversations`: ids leave room for a billion per account.
const MAX_CONVERSATIONS: u64 = 500_000_000;
/// Largest `--revision`: ten years of weekly snapshots.
const MAX_REVISION: u32 = 520;

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Output folder (created; existing contract files in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of customer accounts.
    #[arg(long, default_value_t = 3)]
    pub accounts: u32,
    /// Conversations created in the 120 days before the base as-of
    /// (2026-11-01), over all accounts.
    #[arg(long, default_value_t = 300)]
    pub conversations: u64,
    /// Random seed: the same arguments always give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Later snapshot of the same accounts, as of K weeks after 2026-11-01.
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub revision: u32,
    /// Percent of existing conversations that change in each later week.
    #[arg(long, default_value_t = 2.0, value_name = "PERCENT")]
    pub change_rate: f64,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &GenerateArgs) -> Result<u8> {
    check_args(args)?;
    tables::check_against_contract(Contract::get())?;
    prepare_out(&args.out)?;
    let started = Instant::now();
    let streams = Streams::new(args.seed);
    let split = split_conversations(&streams, args.accounts, args.conversations);
    let view = emit::view_of(args.revision);
    let progress = progress_bar(args);
    let mut sinks = Sinks::create(&args.out)?;
    let mut conv = Conversation::default();
    for (index, &base) in split.iter().enumerate() {
        let account = Account::build(&streams, index as u32, base, args.revision)?;
        emit::account_rows(&account, view, &mut sinks)?;
        emit::customer_rows(&account, &streams, view, &mut sinks)?;
        emit::feature_usage_rows(&account, &streams, view, &mut sinks)?;
        emit::office_hours_rows(&account, &streams, &mut sinks)?;
        // Threads are split into one part file per account.
        sinks.threads.new_part()?;
        let life = Life { account: &account, streams: &streams, change_rate: args.change_rate / 100.0 };
        let arrivals = account.base_arrivals();
        for i in 0..base {
            life.simulate(&mut conv, i + 1, &arrivals, i, base, clock::WINDOW_START, args.revision);
            emit::conversation_rows(&account, &conv, view, &mut sinks)?;
            tick(&progress, i);
        }
        for week in 1..=args.revision {
            let count = account.week_conversations[week as usize - 1];
            let arrivals = account.week_arrivals(week);
            let first = account.first_number_of_week(week);
            for i in 0..count {
                life.simulate(&mut conv, first + i, &arrivals, i, count, clock::week_start(week), args.revision);
                emit::conversation_rows(&account, &conv, view, &mut sinks)?;
                tick(&progress, i);
            }
        }
        progress.set_message(format!("account {}/{}", index + 1, split.len()));
    }
    let counts = sinks.finish()?;
    progress.finish_and_clear();
    if !args.quiet {
        let tables: Vec<String> = counts.iter().map(|(table, rows)| format!("{table} {rows}")).collect();
        writeln!(
            std::io::stdout().lock(),
            "generated {} (revision {}, as of {}) in {:.1} s: {}",
            args.out.display(),
            args.revision,
            clock::format_utc(view.as_of),
            started.elapsed().as_secs_f64(),
            tables.join(", ")
        )?;
    }
    Ok(exit::OK)
}

fn check_args(args: &GenerateArgs) -> Result<()> {
    if args.accounts == 0 || args.accounts > MAX_ACCOUNTS {
        bail!("--accounts must be between 1 and {MAX_ACCOUNTS} (got {})", args.accounts);
    }
    if args.conversations == 0 || args.conversations > MAX_CONVERSATIONS {
        bail!("--conversations must be between 1 and {MAX_CONVERSATIONS} (got {})", args.conversations);
    }
    if args.revision > MAX_REVISION {
        bail!("--revision must be between 0 and {MAX_REVISION} weeks after the base snapshot (got {})", args.revision);
    }
    if !(0.0..=100.0).contains(&args.change_rate) {
        bail!("--change-rate is a percentage between 0 and 100 (got {})", args.change_rate);
    }
    Ok(())
}

/// Create the output folder and remove the contract files a previous run left
/// in it (and nothing else), so no stale table or part file survives.
fn prepare_out(out: &Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        bail!("--out {}: exists and is not a folder (expected a folder, created if missing)", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating output folder {}", out.display()))?;
    for spec in tables::ALL {
        let file = out.join(format!("{}.parquet", spec.name));
        if file.is_file() {
            std::fs::remove_file(&file).with_context(|| format!("removing old {}", file.display()))?;
        }
        let folder = out.join(spec.name);
        if folder.is_dir() {
            for entry in std::fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))? {
                let path = entry?.path();
                if path.is_file() && path.extension().is_some_and(|x| x == "parquet") {
                    std::fs::remove_file(&path).with_context(|| format!("removing old {}", path.display()))?;
                }
            }
            // Only if now empty; anything else in it is not ours to delete.
            let _ = std::fs::remove_dir(&folder);
        }
        let in_the_way = if spec.layout == tables::Layout::File { folder } else { file };
        if in_the_way.exists() {
            bail!("{} is in the way of table {}: remove it or choose another --out", in_the_way.display(), spec.name);
        }
    }
    Ok(())
}

/// Conversations per account: random weights (0.5 to 1.5) so accounts differ
/// in size, rounded so that they add up exactly.
fn split_conversations(streams: &Streams, accounts: u32, conversations: u64) -> Vec<u64> {
    let weights: Vec<f64> = (0..accounts).map(|a| 0.5 + streams.rng(Domain::Split, u64::from(a), 0).unit()).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = 0.0;
    let mut previous = 0u64;
    let mut split = Vec::with_capacity(weights.len());
    for (a, weight) in weights.iter().enumerate() {
        cumulative += weight;
        let boundary = if a + 1 == weights.len() { conversations } else { (conversations as f64 * cumulative / total).floor() as u64 };
        split.push(boundary - previous);
        previous = boundary;
    }
    split
}

fn progress_bar(args: &GenerateArgs) -> ProgressBar {
    if args.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // Later weeks add about 7/120 of the base each (the exact count is drawn
    // per account, so this is an estimate).
    let expected = args.conversations as f64 * (1.0 + f64::from(args.revision) * 7.0 / clock::WINDOW_DAYS as f64);
    let bar = ProgressBar::new(expected as u64);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} conversations, {msg} ({eta})").unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("account 1/{}", args.accounts));
    bar
}

/// Progress in steps of 1024 conversations (the bar's own locking is not free).
fn tick(progress: &ProgressBar, i: u64) {
    if i % 1024 == 1023 {
        progress.inc(1024);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_and_every_account_gets_some() {
        let streams = Streams::new(7);
        let split = split_conversations(&streams, 5, 1000);
        assert_eq!(split.iter().sum::<u64>(), 1000);
        assert!(split.iter().all(|n| *n > 50), "{split:?}");
        assert_eq!(split_conversations(&streams, 1, 12345), vec![12345]);
    }
}
