//! `deskql mail usage`: the monthly usage email, every account's report
//! delivered to its primary contacts, once.
//!
//! - `plan`: who gets which report, from the contacts and the delivery
//!   records (what was already sent is not sent again).
//! - `message`: one RFC 5322 message per account (lettre builds the MIME):
//!   a plain-text part (`text`) and the HTML report, multipart/alternative.
//! - `deliveries`: every attempt recorded in `deskql_meta.mail_deliveries`,
//!   in short write transactions (DuckDB allows one writer: the file is
//!   open for writing only while a record is written, never while a message
//!   travels, so an ingest waits seconds at most).
//! - `smtp`: the transport (smtp://, STARTTLS, smtps://; credentials from
//!   the environment only).
//!
//! The reports come from `report::batch` (every account in one pass).

mod deliveries;
mod message;
mod plan;
mod smtp;
mod text;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use crate::exit::{self, WaitArgs};
use crate::outfile::OutputFile;
use crate::report::batch::{self, Accounts};
use crate::report::{ReportArgs, ReportFormat, ReportKind};
use crate::storage::{self, Access};
use message::Sender;
use plan::{Action, Plan};

/// `deskql mail ...`.
#[derive(Args, Debug)]
pub struct MailArgs {
    #[command(subcommand)]
    pub command: MailCommand,
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Send each account's monthly usage report to its primary contacts.
    #[command(after_help = USAGE_HELP)]
    Usage(UsageMailArgs),
}

const USAGE_HELP: &str = "\
Examples:
  deskql mail usage --from 'Customer Success <success@vendor.example>' --dry-run
  deskql mail usage --month 2026-10 --account 7 --from success@vendor.example --eml-dir out/
  DESKQL_SMTP_USER=reports DESKQL_SMTP_PASSWORD=... deskql mail usage --from success@vendor.example --smtp 'smtp://mail.vendor.example:587?tls=required'

Every delivery is recorded in the database: a rerun sends only what was not
sent (--resend sends again). Exit code 7: some deliveries failed (each is
listed and recorded; a rerun retries them).
SMTP: smtp://HOST:PORT (no TLS: a relay on this host or network),
smtp://HOST:587?tls=required (STARTTLS), smtps://HOST:465 (TLS).
Credentials from DESKQL_SMTP_USER and DESKQL_SMTP_PASSWORD, never from the
command line; refused without TLS.";

/// Where the messages go: exactly one.
#[derive(Args, Debug, Clone)]
#[group(required = true, multiple = false)]
pub struct Destination {
    /// Print who would get which report; send nothing, record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write each account's message as DIR/<account_id>.eml (RFC 5322);
    /// send nothing, record nothing.
    #[arg(long, value_name = "DIR")]
    pub eml_dir: Option<PathBuf>,
    /// Deliver through this SMTP server: smtp://HOST:PORT,
    /// smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT.
    #[arg(long, value_name = "URL")]
    pub smtp: Option<String>,
}

/// `deskql mail usage`.
#[derive(Args, Debug, Clone)]
pub struct UsageMailArgs {
    /// The report month (YYYY-MM). Default: each account's last full month
    /// before the snapshot.
    #[arg(long, value_name = "YYYY-MM", value_parser = crate::values::month)]
    pub month: Option<String>,
    /// Only these accounts (id or exact name; repeatable). Default: every
    /// account of the snapshot.
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Vec<String>,
    /// The sender, e.g. 'Customer Success <success@vendor.example>'.
    #[arg(long, value_name = "ADDRESS")]
    pub from: String,
    /// A Reply-To address, if replies should go elsewhere than --from.
    #[arg(long, value_name = "ADDRESS")]
    pub reply_to: Option<String>,
    /// A List-Unsubscribe header: a mailto: or https: URI (RFC 2369).
    #[arg(long, value_name = "URI")]
    pub list_unsubscribe: Option<String>,
    /// Report on this snapshot (id). Default: the latest.
    #[arg(long, value_name = "ID")]
    pub snapshot: Option<String>,
    /// The usage report's deflection window (24h, 90m, 3600s; default 24h).
    #[arg(long, value_name = "DURATION", value_parser = crate::values::duration)]
    pub deflection_window: Option<String>,
    /// The report's times in office time (each account's office hours and
    /// holidays), as `deskql report usage --office-hours`.
    #[arg(long)]
    pub office_hours: bool,
    #[command(flatten)]
    pub destination: Destination,
    /// Send again to recipients who already got this month's report (and to
    /// those whose delivery an interrupted run left in doubt).
    #[arg(long)]
    pub resend: bool,
    /// Seconds to wait for the SMTP server before a delivery fails (1 to 3600).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// `deskql mail ...`.
pub fn run(db: &Path, args: &MailArgs) -> Result<u8> {
    match &args.command {
        MailCommand::Usage(usage) => run_usage(db, usage),
    }
}

fn run_usage(db: &Path, args: &UsageMailArgs) -> Result<u8> {
    let sender = Sender::new(&args.from, args.reply_to.as_deref(), args.list_unsubscribe.as_deref())?;
    // Check the server's URL and credentials before any report is computed.
    let transport = args.destination.smtp.as_deref().map(|url| smtp::Transport::new(url, args.timeout)).transpose()?;
    let plan = read_plan(db, args)?;
    if args.destination.dry_run {
        // A closed pipe (`| head`) ends here quietly (`exit::is_broken_pipe`).
        write!(std::io::stdout(), "{}", plan.describe())?;
        return Ok(exit::OK);
    }
    if let Some(dir) = &args.destination.eml_dir {
        write_eml(db, dir, &plan, &sender)?;
        return Ok(exit::OK);
    }
    let Some(transport) = transport else { bail!("say where the messages go: --dry-run, --eml-dir DIR or --smtp URL") };
    deliver(db, &args.wait, &plan, &sender, &transport)
}

/// The reports and who gets them, read in one read-only open of the
/// database (closed again before anything is sent).
fn read_plan(db: &Path, args: &UsageMailArgs) -> Result<Plan> {
    let conn = storage::open(db, Access::ReadOnly)?;
    let report = report_args(args)?;
    let accounts = if args.account.is_empty() { Accounts::All } else { Accounts::Only(&args.account) };
    let batch = batch::build(&conn, &report, accounts)?;
    let snapshot = batch.documents.first().and_then(|d| i32::try_from(d.header.snapshot.seq).ok());
    let contacts = crate::contacts::primary_contacts(&conn, snapshot)?;
    let history = deliveries::history(&conn, "usage", &batch.documents)?;
    Plan::new(batch, &contacts, &history, args.resend)
}

/// The usage report's arguments of a mail run (the batch resolves each
/// account itself).
fn report_args(args: &UsageMailArgs) -> Result<ReportArgs> {
    use clap::Parser;
    #[derive(Parser)]
    #[command(no_binary_name = true)]
    struct Words {
        #[command(flatten)]
        args: ReportArgs,
    }
    // The report's defaults come from its own argument definitions, so
    // they are those of `deskql report usage`.
    let mut words = vec!["usage".to_string(), "--all-accounts".to_string(), "--out-dir".to_string(), ".".to_string()];
    if let Some(month) = &args.month {
        words.extend(["--month".to_string(), month.clone()]);
    }
    if let Some(snapshot) = &args.snapshot {
        words.extend(["--snapshot".to_string(), snapshot.clone()]);
    }
    if let Some(window) = &args.deflection_window {
        words.extend(["--deflection-window".to_string(), window.clone()]);
    }
    if args.office_hours {
        words.push("--office-hours".to_string());
    }
    let mut report = Words::try_parse_from(words).map(|w| w.args).context("the usage report's arguments")?;
    report.kind = ReportKind::Usage;
    report.format = Some(ReportFormat::Html);
    Ok(report)
}

/// `--eml-dir`: every account's message as a file, whatever was sent.
fn write_eml(db: &Path, dir: &Path, plan: &Plan, sender: &Sender) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for account in plan.accounts.iter().filter(|a| !a.recipients.is_empty()) {
        let message = message::build(&account.document, &account.recipients, sender)?;
        let mut file = OutputFile::create(&dir.join(format!("{}.eml", account.document.header.account.id)), db)?;
        std::io::Write::write_all(&mut file, &message.formatted())?;
        file.commit()?;
    }
    eprint!("{}", plan.skipped_text());
    Ok(())
}

/// `--smtp`: send what is due, recipient by recipient, recording each
/// attempt before it starts and its outcome once the server answered.
fn deliver(db: &Path, wait: &WaitArgs, plan: &Plan, sender: &Sender, transport: &smtp::Transport) -> Result<u8> {
    let mut outcomes = plan::Tally::default();
    for account in &plan.accounts {
        let due: Vec<&plan::Recipient> = account.recipients.iter().filter(|r| r.action == Action::Send).collect();
        if due.is_empty() {
            continue;
        }
        let message = message::build(&account.document, &account.recipients, sender)?;
        let attempt = deliveries::Attempt::new(&account.document, &message, transport.server())?;
        deliveries::start(db, wait, &attempt, &due)?;
        let mut results = Vec::new();
        for recipient in &due {
            let result = transport.send(&message, sender, &recipient.contact.email);
            let who = format!("account {} ({}) to {}", attempt.account_id, account.document.header.account.name, recipient.contact.email);
            // Progress only: a closed stdout must not stop the deliveries
            // nor keep their outcomes from being recorded.
            let _ = match &result {
                Ok(()) => writeln!(std::io::stdout(), "sent: {who}"),
                Err(reason) => writeln!(std::io::stdout(), "FAILED: {who}: {reason}"),
            };
            outcomes.count(&result);
            results.push((recipient.contact.email.clone(), result));
        }
        deliveries::finish(db, wait, &attempt, &results).with_context(|| {
            format!(
                "account {}: the server answered, but its answers could not be recorded; the deliveries stay 'sending' (in doubt) in the records",
                attempt.account_id
            )
        })?;
    }
    let _ = write!(std::io::stdout(), "{}", plan.summary(&outcomes));
    eprint!("{}", plan.skipped_text());
    let in_doubt = plan.in_doubt();
    Ok(if outcomes.failed > 0 || in_doubt > 0 { exit::DELIVERY_FAILED } else { exit::OK })
}
