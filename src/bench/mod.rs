//! `deskql bench`: ingest cost at scale, each figure next to a baseline
//! measured in the same run on the same files (a plain DuckDB
//! `CREATE TABLE AS SELECT * FROM read_parquet(...)`), so the ratios hold on
//! any machine; and report timings on the result (`reports`). Not part of
//! `cargo test`; `tests/suite/bench.rs` runs a tiny size.
//!
//! Every deskql step runs as a child process of this executable, as cron
//! would run it, so its wall time and peak RSS are its own.

mod measure;
mod reports;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use duckdb::{Config, Connection};
use serde::Serialize;

use crate::exit;
use crate::contract::Contract;
use crate::sqltext::{quote_ident, render};
use measure::{median, size_of, time};

const PLAIN_COPY_SQL: &str = include_str!("../../sql/bench/plain_copy.sql");

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Conversation counts to generate and measure (about 6 threads each).
    /// The default is a 2-minute taste; the full run of the README,
    /// `--sizes 100000,1000000,10000000`, takes about 30 minutes and 10 GB.
    #[arg(long, value_delimiter = ',', default_values_t = [100_000u64])]
    pub sizes: Vec<u64>,
    /// Accounts in each generated snapshot. A report's cost follows its
    /// account's activity in the period: 200 accounts of 10M conversations
    /// make the largest one handle ~20k conversations a month.
    #[arg(long, default_value_t = 200)]
    pub accounts: u32,
    /// Runs per measurement; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// DuckDB memory limit for the ingests and the baseline (DuckDB spills to
    /// disk beyond it).
    #[arg(long, default_value = "3GB")]
    pub memory_limit: String,
    /// Working folder for the generated snapshots and databases (removed
    /// afterwards unless --keep).
    #[arg(long, default_value_os_t = std::env::temp_dir().join("deskql-bench"))]
    pub work: PathBuf,
    /// Keep the working folder.
    #[arg(long)]
    pub keep: bool,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Measure the ingests and their baselines only, not the start-up and
    /// the reports: the quick check after a change to the ingest (at 10M,
    /// minutes instead of half an hour).
    #[arg(long)]
    pub ingest_only: bool,
}

/// The figures for one size. Times are medians in seconds.
#[derive(Debug, Serialize)]
pub struct SizeResult {
    pub conversations: u64,
    pub input_rows: i64,
    pub parquet_bytes_first: u64,
    pub parquet_bytes_second: u64,
    pub plain_copy_first_s: f64,
    pub ingest_first_s: f64,
    /// ingest_first_s / plain_copy_first_s (target: at most 1.5).
    pub ingest_first_ratio: f64,
    pub ingest_first_peak_rss_bytes: u64,
    pub plain_copy_second_s: f64,
    pub ingest_second_s: f64,
    /// ingest_second_s / plain_copy_second_s (target: below 1).
    pub ingest_second_ratio: f64,
    pub ingest_second_peak_rss_bytes: u64,
    /// The database holding both snapshots.
    pub db_bytes: u64,
    /// db_bytes / (parquet_bytes_first + parquet_bytes_second).
    pub db_vs_parquet_ratio: f64,
    /// `deskql sql "SELECT 1"` on that database: start, open, answer, exit.
    pub startup_s: Option<f64>,
    /// `deskql repl` with `SELECT 1;` on its standard input.
    pub repl_startup_s: Option<f64>,
    /// Reports on the database holding both snapshots.
    pub reports: Vec<reports::ReportTiming>,
    /// The company report for the largest account with `--office-hours`
    /// against without (target: at most 1.5).
    pub office_hours_ratio: Option<f64>,
}

pub fn run(args: &BenchArgs) -> Result<u8> {
    std::fs::create_dir_all(&args.work).with_context(|| format!("creating {}", args.work.display()))?;
    let largest = args.sizes.iter().max().copied().unwrap_or(0);
    eprintln!(
        "bench: sizes {:?}, {} runs each, in {}: the largest takes about {} and {} of disk (Ctrl-C stops)",
        args.sizes,
        args.runs,
        args.work.display(),
        if largest >= 10_000_000 { "20 minutes" } else if largest >= 1_000_000 { "3 minutes" } else { "1 minute" },
        if largest >= 10_000_000 { "10 GB" } else if largest >= 1_000_000 { "1 GB" } else { "150 MB" }
    );
    let mut results = Vec::new();
    for &size in &args.sizes {
        eprintln!("bench: {size} conversations ...");
        results.push(bench_size(args, size)?);
        print_results(&results)?;
    }
    if let Some(path) = &args.json {
        let doc = serde_json::json!({ "machine": machine(), "memory_limit": args.memory_limit, "runs": args.runs, "results": results });
        std::fs::write(path, serde_json::to_string_pretty(&doc)?).with_context(|| format!("writing {}", path.display()))?;
    }
    if !args.keep {
        let _ = std::fs::remove_dir_all(&args.work);
    }
    Ok(exit::OK)
}

fn bench_size(args: &BenchArgs, size: u64) -> Result<SizeResult> {
    let dir = args.work.join(size.to_string());
    let first = dir.join("snapshot-1");
    let second = dir.join("snapshot-2");
    generate(args, size, &first, 0)?;
    generate(args, size, &second, 1)?;
    let env = [("DESKQL_MEMORY_LIMIT", args.memory_limit.as_str())];

    let plain_first = repeat(args.runs, || plain_copy(&first, &dir.join("plain.duckdb"), &args.memory_limit))?;
    let db_first = dir.join("first.duckdb");
    let ingest_first = repeat_runs(args.runs, || {
        remove_db(&db_first);
        measure::run_deskql(&["--db", path(&db_first), "ingest", path(&first), "--snapshot", "s1", "--as-of", "2026-11-01", "--quiet"], &env)
    })?;

    let plain_second = repeat(args.runs, || plain_copy(&second, &dir.join("plain.duckdb"), &args.memory_limit))?;
    let db_both = dir.join("both.duckdb");
    let ingest_second = repeat_runs(args.runs, || {
        remove_db(&db_both);
        std::fs::copy(&db_first, &db_both)?;
        measure::run_deskql(&["--db", path(&db_both), "ingest", path(&second), "--snapshot", "s2", "--as-of", "2026-11-08", "--quiet"], &env)
    })?;
    let (startup, repl_startup, report_timings) = if args.ingest_only {
        (None, None, Vec::new())
    } else {
        let startup = repeat_runs(args.runs.max(5), || measure::run_deskql(&["--db", path(&db_both), "sql", "SELECT 1"], &[]))?;
        let repl_startup = repeat_runs(args.runs.max(5), || measure::run_deskql_with_input(&["--db", path(&db_both), "repl"], &[], "SELECT 1;\n"))?;
        eprintln!("bench: {size} conversations: reports ...");
        (Some(startup.0), Some(repl_startup.0), reports::measure_reports(&db_both, args.runs, &env)?)
    };

    let parquet_bytes_first = size_of(&first)?;
    let parquet_bytes_second = size_of(&second)?;
    let db_bytes = size_of(&db_both)?;
    let input_rows = input_rows(&db_first)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(SizeResult {
        conversations: size,
        input_rows,
        parquet_bytes_first,
        parquet_bytes_second,
        plain_copy_first_s: plain_first,
        ingest_first_s: ingest_first.0,
        ingest_first_ratio: ingest_first.0 / plain_first,
        ingest_first_peak_rss_bytes: ingest_first.1,
        plain_copy_second_s: plain_second,
        ingest_second_s: ingest_second.0,
        ingest_second_ratio: ingest_second.0 / plain_second,
        ingest_second_peak_rss_bytes: ingest_second.1,
        db_bytes,
        db_vs_parquet_ratio: db_bytes as f64 / (parquet_bytes_first + parquet_bytes_second) as f64,
        startup_s: startup,
        repl_startup_s: repl_startup,
        office_hours_ratio: reports::office_hours_ratio(&report_timings),
        reports: report_timings,
    })
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

fn generate(args: &BenchArgs, size: u64, out: &Path, revision: u32) -> Result<()> {
    let (accounts, conversations, revision) = (args.accounts.to_string(), size.to_string(), revision.to_string());
    let argv = ["generate", "--out", path(out), "--accounts", &accounts, "--conversations", &conversations, "--seed", "7", "--revision", &revision, "--quiet"];
    measure::run_deskql(&argv, &[])?;
    Ok(())
}

fn remove_db(db: &Path) {
    crate::storage::remove_database(db);
}

/// Median seconds of `runs` timed calls.
fn repeat(runs: usize, mut f: impl FnMut() -> Result<f64>) -> Result<f64> {
    let times = (0..runs.max(1)).map(|_| f()).collect::<Result<Vec<f64>>>()?;
    Ok(median(&times))
}

/// Median seconds and the highest peak RSS of `runs` child runs.
fn repeat_runs(runs: usize, mut f: impl FnMut() -> Result<measure::Run>) -> Result<(f64, u64)> {
    let all = (0..runs.max(1)).map(|_| f()).collect::<Result<Vec<_>>>()?;
    let seconds: Vec<f64> = all.iter().map(|r| r.seconds).collect();
    Ok((median(&seconds), all.iter().map(|r| r.peak_rss_bytes).max().unwrap_or(0)))
}

/// The baseline: every contract table of the snapshot copied into a fresh
/// database with `CREATE TABLE AS SELECT * FROM read_parquet(...)`, in one
/// transaction like an ingest. Returns seconds.
fn plain_copy(snapshot: &Path, db: &Path, memory_limit: &str) -> Result<f64> {
    remove_db(db);
    let (seconds, ()) = time(|| {
        let config = Config::default().max_memory(memory_limit)?.enable_autoload_extension(false)?.with("autoinstall_known_extensions", "false")?;
        let mut conn = Connection::open_with_flags(db, config)?;
        let transaction = conn.transaction()?;
        for table in &Contract::get().tables {
            let Some(files) = parquet_source(snapshot, &table.name) else { continue };
            transaction.execute(&render(PLAIN_COPY_SQL, &[("table", &quote_ident(&table.name))]), [files])?;
        }
        transaction.commit()?;
        Ok(())
    })?;
    remove_db(db);
    Ok(seconds)
}

/// `<table>.parquet`, or a glob over the part files of `<table>/`.
fn parquet_source(snapshot: &Path, table: &str) -> Option<String> {
    let file = snapshot.join(format!("{table}.parquet"));
    let folder = snapshot.join(table);
    if file.is_file() {
        Some(file.to_string_lossy().into_owned())
    } else if folder.is_dir() {
        Some(folder.join("*.parquet").to_string_lossy().into_owned())
    } else {
        None
    }
}

fn input_rows(db: &Path) -> Result<i64> {
    let conn = crate::storage::open(db, crate::storage::Access::ReadOnly)?;
    Ok(conn.query_row("SELECT input_rows FROM deskql_meta.snapshots ORDER BY seq LIMIT 1", [], |r| r.get(0))?)
}

fn machine() -> serde_json::Value {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find(|l| l.starts_with("MemTotal:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string()))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .unwrap_or(0);
    serde_json::json!({ "cores": cores, "memory_bytes": memory, "duckdb": crate::storage::duckdb_version_text() })
}

fn print_results(results: &[SizeResult]) -> Result<()> {
    let out = &mut std::io::stdout().lock();
    let mut table = crate::format::text_table(vec![
        "conversations", "rows", "plain copy 1", "ingest 1", "ratio (≤1.5)", "peak RSS 1", "plain copy 2", "ingest 2 (2%)", "ratio (<1)", "peak RSS 2", "db / parquet", "start-up",
    ]);
    for r in results {
        table.add_row(vec![
            r.conversations.to_string(),
            r.input_rows.to_string(),
            format!("{:.2} s", r.plain_copy_first_s),
            format!("{:.2} s", r.ingest_first_s),
            format!("{:.2}", r.ingest_first_ratio),
            megabytes(r.ingest_first_peak_rss_bytes),
            format!("{:.2} s", r.plain_copy_second_s),
            format!("{:.2} s", r.ingest_second_s),
            format!("{:.2}", r.ingest_second_ratio),
            megabytes(r.ingest_second_peak_rss_bytes),
            format!("{:.2}", r.db_vs_parquet_ratio),
            milliseconds(r.startup_s),
        ]);
    }
    writeln!(out, "{table}")?;
    print_report_results(out, results)
}

fn milliseconds(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "-".to_string(), |s| format!("{:.0} ms", s * 1000.0))
}

/// Report timings per size, with the cost per million conversations, so
/// that growth faster than linear shows.
fn print_report_results(out: &mut dyn Write, results: &[SizeResult]) -> Result<()> {
    let mut table = crate::format::text_table(["conversations", "report", "scope", "time", "per 1M conversations", "peak RSS", "repl start-up"]);
    for r in results {
        for t in &r.reports {
            let per_million = t.seconds / (r.conversations as f64 / 1e6);
            table.add_row(vec![
                r.conversations.to_string(),
                t.report.clone(),
                format!("{} ({})", t.scope, t.accounts),
                format!("{:.2} s", t.seconds),
                format!("{per_million:.2} s"),
                megabytes(t.peak_rss_bytes),
                milliseconds(r.repl_startup_s),
            ]);
        }
    }
    writeln!(out, "{table}")?;
    for r in results {
        if let Some(ratio) = r.office_hours_ratio {
            writeln!(out, "{} conversations: company report with --office-hours / without, largest account: {ratio:.2} (target ≤1.5)", r.conversations)?;
        }
        if let Some(ratio) = reports::first_usage_report_ratio(&r.reports) {
            writeln!(out, "{} conversations: first usage report of the month / the batch computing every account: {ratio:.2} (target <1.5)", r.conversations)?;
        }
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / 1_000_000)
}
