//! Report timings of the benchmark: the company, a user and the usage report
//! for one account (the largest) and for every account, on the database
//! holding both snapshots, as a person or a cron job would run them: each a
//! `deskql report` child process, except the usage report for all accounts,
//! which is the monthly batch (`deskql report usage --all-accounts`: every
//! account's HTML report and index.json from one query of every account's
//! figures): run account by account it would compute the all-account
//! benchmark again for each. The batch's figures query alone is timed too
//! (scope `all accounts, figures only`), to show what the documents cost.
//! The company report is also timed with `--office-hours` for the largest
//! account, next to the calendar one (issue 12's target: within 1.5x of it).
//! The usage report is timed twice (library 1.4.0): the first of the month,
//! which computes and stores every account's figures, and the later ones,
//! which read them; the batch is timed with nothing stored.

use std::path::Path;

use anyhow::Result;
use duckdb::Connection;
use serde::Serialize;

use super::measure::{self, median};
use crate::report::ReportKind;
use crate::report::spec::SubjectRule;
use super::path;

/// The month every report covers: fully inside the generated data (whose
/// base snapshot is as of 2026-11-01, with 120 days of history).
const MONTH: &str = "2026-10";

#[derive(Debug, Clone, Serialize)]
pub struct ReportTiming {
    /// company, user or usage; `company --office-hours` for the company
    /// report in office time.
    pub report: String,
    /// `one account` (the largest, median of runs) or `all accounts` (one
    /// run of each, summed).
    pub scope: String,
    pub accounts: usize,
    pub seconds: f64,
    pub peak_rss_bytes: u64,
}

/// Who the reports are about: every account with its busiest user, the
/// largest account first.
struct Subjects {
    accounts: Vec<(i64, i64)>,
}

fn subjects(db: &Path) -> Result<Subjects> {
    let conn = crate::storage::open(db, crate::storage::Access::ReadOnly)?;
    Ok(Subjects { accounts: accounts_with_busiest_user(&conn)? })
}

const SUBJECTS_SQL: &str = include_str!("../../sql/bench/subjects.sql");

fn accounts_with_busiest_user(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(SUBJECTS_SQL)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The reports timed: one per kind of subject (the Team report is the
/// User report over several users; the Happiness report a subset of them).
const TIMED: [ReportKind; 3] = [ReportKind::Company, ReportKind::User, ReportKind::Usage];

/// The flag of a report timed in office time.
const OFFICE_HOURS: &str = "--office-hours";

fn report_args(kind: ReportKind, account: i64, user: i64, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["report".to_string(), kind.name().to_string(), "--account".into(), account.to_string(), "--month".into(), MONTH.into()];
    if kind.spec().subject == SubjectRule::User {
        args.extend(["--user".into(), user.to_string()]);
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    args.extend(["--format".into(), "json".into(), "--output".into(), "/dev/null".into()]);
    args
}

fn run_report(db: &Path, kind: ReportKind, account: i64, user: i64, extra: &[&str], env: &[(&str, &str)]) -> Result<measure::Run> {
    let mut argv = vec!["--db".to_string(), path(db).to_string()];
    argv.extend(report_args(kind, account, user, extra));
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    measure::run_deskql(&argv, env)
}

/// One report for the largest account: the median of `runs` runs.
fn time_largest(db: &Path, kind: ReportKind, (account, user): (i64, i64), extra: &[&str], runs: usize, env: &[(&str, &str)]) -> Result<ReportTiming> {
    let one: Vec<measure::Run> = (0..runs.max(1)).map(|_| run_report(db, kind, account, user, extra, env)).collect::<Result<_>>()?;
    let name = if extra.is_empty() { kind.name().to_string() } else { format!("{} {}", kind.name(), extra.join(" ")) };
    Ok(one_account(name, &one))
}

/// One account's timing from its runs: the median time, the highest peak RSS.
fn one_account(report: String, runs: &[measure::Run]) -> ReportTiming {
    ReportTiming {
        report,
        scope: "one account".to_string(),
        accounts: 1,
        seconds: median(&runs.iter().map(|r| r.seconds).collect::<Vec<_>>()),
        peak_rss_bytes: runs.iter().map(|r| r.peak_rss_bytes).max().unwrap_or(0),
    }
}

/// The usage report of the largest account when no report of the month
/// has run yet on the snapshot: it computes every account's figures and
/// stores them (`report::usage_figures`); the timing after it, `usage`, is
/// of the reports that read them. The median of `runs`, the store emptied
/// before each.
fn time_first_usage_report(db: &Path, (account, user): (i64, i64), runs: usize, env: &[(&str, &str)]) -> Result<ReportTiming> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        forget_stored_usage_figures(db)?;
        all.push(run_report(db, ReportKind::Usage, account, user, &[], env)?);
    }
    Ok(one_account(format!("{} (first of the month)", ReportKind::Usage.name()), &all))
}

fn forget_stored_usage_figures(db: &Path) -> Result<()> {
    let conn = crate::storage::open(db, crate::storage::Access::ReadWrite { wait: std::time::Duration::from_secs(30) })?;
    crate::report::usage_figures::forget_all(&conn)
}

/// The monthly batch: every account's usage report of the month as HTML
/// files (in a folder beside the database, removed afterwards).
fn usage_batch(db: &Path, env: &[(&str, &str)]) -> Result<measure::Run> {
    let out = db.with_file_name("usage-batch");
    let run = measure::run_deskql(&["--db", path(db), "report", "usage", "--all-accounts", "--month", MONTH, "--format", "html", "--out-dir", path(&out)], env);
    let _ = std::fs::remove_dir_all(&out);
    run
}

/// Every account's usage figures for the month, in one query.
fn usage_figures(db: &Path, env: &[(&str, &str)]) -> Result<measure::Run> {
    let sql = format!("SELECT count(*) FROM metrics.usage_figures(DATE '{MONTH}-01')");
    measure::run_deskql(&["--db", path(db), "sql", &sql], env)
}

/// Every report timing on `db`.
pub fn measure_reports(db: &Path, runs: usize, env: &[(&str, &str)]) -> Result<Vec<ReportTiming>> {
    let subjects = subjects(db)?;
    let Some(&largest) = subjects.accounts.first() else { return Ok(Vec::new()) };
    let mut timings = Vec::new();
    for kind in TIMED {
        if kind == ReportKind::Usage {
            timings.push(time_first_usage_report(db, largest, runs, env)?);
        }
        timings.push(time_largest(db, kind, largest, &[], runs, env)?);
        if kind == ReportKind::Company {
            timings.push(time_largest(db, kind, largest, &[OFFICE_HOURS], runs, env)?);
        }
        // A benchmarked report computes every account's figures anyway: for
        // all accounts, the batch does it once.
        let all: Vec<measure::Run> = if kind.spec().benchmarked {
            // computing every account's figures, as a batch with none stored does
            forget_stored_usage_figures(db)?;
            vec![usage_batch(db, env)?]
        } else {
            subjects.accounts.iter().map(|&(a, u)| run_report(db, kind, a, u, &[], env)).collect::<Result<_>>()?
        };
        timings.push(ReportTiming {
            report: kind.name().to_string(),
            scope: "all accounts".to_string(),
            accounts: subjects.accounts.len(),
            seconds: all.iter().map(|r| r.seconds).sum(),
            peak_rss_bytes: all.iter().map(|r| r.peak_rss_bytes).max().unwrap_or(0),
        });
        if kind.spec().benchmarked {
            let figures = usage_figures(db, env)?;
            timings.push(ReportTiming {
                report: kind.name().to_string(),
                scope: "all accounts, figures only".to_string(),
                accounts: subjects.accounts.len(),
                seconds: figures.seconds,
                peak_rss_bytes: figures.peak_rss_bytes,
            });
        }
    }
    Ok(timings)
}

/// The company report's time with `--office-hours` over its time without,
/// for the largest account.
pub fn office_hours_ratio(timings: &[ReportTiming]) -> Option<f64> {
    let one = |report: &str| timings.iter().find(|t| t.report == report && t.scope == "one account").map(|t| t.seconds);
    let company = ReportKind::Company.name();
    Some(one(&format!("{company} {OFFICE_HOURS}"))? / one(company)?)
}

/// The first usage report of a month (which computes and stores every
/// account's figures) over the batch that computes them (issue 15's target:
/// under 1.5x).
pub fn first_usage_report_ratio(timings: &[ReportTiming]) -> Option<f64> {
    let usage = ReportKind::Usage.name();
    let first = timings.iter().find(|t| t.report == format!("{usage} (first of the month)"))?.seconds;
    let batch = timings.iter().find(|t| t.report == usage && t.scope == "all accounts")?.seconds;
    Some(first / batch)
}
