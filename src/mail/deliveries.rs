//! The delivery records (`deskql_meta.mail_deliveries`, SQL in
//! `sql/mail/deliveries.sql`): read once before a run, written around each
//! account's sending.
//!
//! DuckDB lets one process write a file at a time, and holds the lock as
//! long as the connection is open. So the file is opened for writing only
//! to write a record, in one short transaction, and closed before a message
//! goes to the server (which may take a minute to answer): an ingest that
//! starts during a mail run waits at most the time of one such write, and
//! a mail run that meets an ingest waits for it (`--wait`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{NaiveDateTime, Utc};
use duckdb::{Connection, params};
use lettre::Message;

use super::plan::Recipient;
use crate::exit::WaitArgs;
use crate::report::batch::month_of;
use crate::report::document::ReportDoc;
use crate::sqltext::named;
use crate::storage::{self, Access};

const SQL: &str = include_str!("../../sql/mail/deliveries.sql");

/// What the records say of one (account, month, recipient) of a report.
#[derive(Debug, Clone)]
pub struct Past {
    /// When the server first accepted it (UTC), if ever.
    pub sent_at: Option<String>,
    /// The latest attempt: `sending` (the run was stopped during it),
    /// `sent` or `failed`.
    pub last_status: String,
    pub last_attempt: String,
}

/// Keyed by (account, month `YYYY-MM`, recipient in lower case).
pub type History = BTreeMap<(i64, String, String), Past>;

/// Every earlier delivery of `report` to the accounts of `documents`.
pub fn history(conn: &Connection, report: &str, documents: &[ReportDoc]) -> Result<History> {
    let mut history = History::new();
    if documents.is_empty() || !conn.query_row(&named(SQL, "table_exists")?, [], |r| r.get::<_, bool>(0))? {
        return Ok(history);
    }
    let mut stmt = conn.prepare(&named(SQL, "history")?)?;
    let mut rows = stmt.query([report]).context("reading the delivery records")?;
    while let Some(row) = rows.next()? {
        let key = (row.get(0)?, row.get(1)?, row.get(2)?);
        history.insert(key, Past { sent_at: row.get(3)?, last_status: row.get(4)?, last_attempt: row.get(5)? });
    }
    Ok(history)
}

/// One account's message on its way: what every record of it says.
pub struct Attempt {
    pub report: String,
    pub account_id: i64,
    pub month: String,
    pub snapshot_id: String,
    pub digest: String,
    pub message_id: String,
    pub server: String,
}

impl Attempt {
    pub fn new(document: &ReportDoc, message: &Message, server: &str) -> Result<Attempt> {
        Ok(Attempt {
            report: document.report.clone(),
            account_id: document.header.account.id,
            month: month_of(document),
            snapshot_id: document.header.snapshot.id.clone(),
            digest: document.figures_digest()?,
            message_id: message_id_of(message),
            server: server.to_string(),
        })
    }
}

/// The Message-ID header's value without its angle brackets.
fn message_id_of(message: &Message) -> String {
    let headers = message.headers();
    let raw = headers.get_raw("Message-ID").unwrap_or_default();
    raw.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Record that `attempt` is about to go to `due`: rows in state `sending`,
/// so that a run stopped mid-send leaves a trace (in doubt) rather than
/// nothing (which a rerun would take for "never sent").
pub fn start(db: &Path, wait: &WaitArgs, attempt: &Attempt, due: &[&Recipient]) -> Result<()> {
    write(db, wait, "recording the deliveries about to start", |conn| {
        let mut stmt = conn.prepare(&named(SQL, "start")?)?;
        let at = now();
        for recipient in due {
            stmt.execute(params![
                attempt.report,
                attempt.account_id,
                attempt.month,
                recipient.contact.email,
                attempt.snapshot_id,
                attempt.digest,
                attempt.message_id,
                attempt.server,
                at
            ])?;
        }
        Ok(())
    })
}

/// Record each recipient's outcome: `sent` only for those the server
/// accepted, `failed` with its answer for the others.
pub fn finish(db: &Path, wait: &WaitArgs, attempt: &Attempt, results: &[(String, Result<(), String>)]) -> Result<()> {
    write(db, wait, "recording the deliveries' outcomes", |conn| {
        let mut stmt = conn.prepare(&named(SQL, "finish")?)?;
        let at = now();
        for (email, result) in results {
            let (status, error) = match result {
                Ok(()) => ("sent", None),
                Err(reason) => ("failed", Some(reason.as_str())),
            };
            stmt.execute(params![status, at, error, attempt.message_id, email])?;
        }
        Ok(())
    })
}

/// One short read-write open of the database, one transaction, closed.
fn write(db: &Path, wait: &WaitArgs, what: &str, work: impl FnOnce(&Connection) -> Result<()>) -> Result<()> {
    let conn = storage::open(db, Access::read_write(wait)).with_context(|| what.to_string())?;
    storage::in_transaction(&conn, what, || work(&conn)).with_context(|| what.to_string())
}
