//! Who gets which report: each account's document, its primary contacts,
//! and for each contact what to do given the delivery records (send, or
//! not again). Pure: the database was read before, nothing is sent here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;

use super::deliveries::History;
use crate::contacts::Contact;
use crate::report::batch::{Batch, Skipped, month_of};
use crate::report::document::ReportDoc;

/// What to do for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Send,
    /// Delivered before (the server accepted it at this time, UTC).
    AlreadySent(String),
    /// An earlier run was stopped while sending it (at this time): the
    /// server may or may not have it. Not sent again without `--resend`,
    /// so that nobody gets it twice.
    InDoubt(String),
}

#[derive(Debug, Clone)]
pub struct Recipient {
    pub contact: Contact,
    pub action: Action,
}

pub struct AccountPlan {
    pub document: ReportDoc,
    /// Every primary contact (the message's To: header), each with what to do.
    pub recipients: Vec<Recipient>,
}

pub struct Plan {
    pub accounts: Vec<AccountPlan>,
    /// Accounts without a report (the batch said why).
    pub skipped: Vec<Skipped>,
    /// Accounts with a report but no primary contact: nobody to send to.
    pub without_contacts: Vec<(i64, String)>,
}

/// Outcomes of the deliveries of one run.
#[derive(Debug, Default)]
pub struct Tally {
    pub sent: usize,
    pub failed: usize,
}

impl Tally {
    pub fn count<E>(&mut self, result: &Result<(), E>) {
        match result {
            Ok(()) => self.sent += 1,
            Err(_) => self.failed += 1,
        }
    }
}

impl Plan {
    pub fn new(batch: Batch, contacts: &BTreeMap<i64, Vec<Contact>>, history: &History, resend: bool) -> Result<Plan> {
        let mut accounts = Vec::new();
        let mut without_contacts = Vec::new();
        for document in batch.documents {
            let id = document.header.account.id;
            let Some(list) = contacts.get(&id).filter(|l| !l.is_empty()) else {
                without_contacts.push((id, document.header.account.name.clone()));
                continue;
            };
            let month = month_of(&document);
            let recipients = list
                .iter()
                .map(|contact| Recipient { contact: contact.clone(), action: action(history, id, &month, &contact.email, resend) })
                .collect();
            accounts.push(AccountPlan { document, recipients });
        }
        Ok(Plan { accounts, skipped: batch.skipped, without_contacts })
    }

    /// Recipients whose earlier delivery is in doubt (and not resent).
    pub fn in_doubt(&self) -> usize {
        self.recipients().filter(|r| matches!(r.action, Action::InDoubt(_))).count()
    }

    fn recipients(&self) -> impl Iterator<Item = &Recipient> {
        self.accounts.iter().flat_map(|a| a.recipients.iter())
    }

    /// `--dry-run`: who would get what, one line per account.
    pub fn describe(&self) -> String {
        let mut text = String::new();
        for account in &self.accounts {
            let doc = &account.document;
            let _ = writeln!(text, "account {} ({}), usage {}:", doc.header.account.id, doc.header.account.name, month_of(doc));
            for recipient in &account.recipients {
                let what = match &recipient.action {
                    Action::Send => "would send".to_string(),
                    Action::AlreadySent(at) => format!("already sent at {at}; not again (--resend sends again)"),
                    Action::InDoubt(at) => format!("in doubt: a run stopped while sending at {at}; not again (--resend sends again)"),
                };
                let _ = writeln!(text, "  {} {what}", recipient.contact.email);
            }
        }
        let due = self.recipients().filter(|r| r.action == Action::Send).count();
        let _ = writeln!(text, "{due} message(s) to send, to the primary contacts of {} account(s)", self.accounts.len());
        text.push_str(&self.skipped_text());
        text
    }

    /// The accounts nobody is written to, and why.
    pub fn skipped_text(&self) -> String {
        let mut text = String::new();
        for (id, name) in &self.without_contacts {
            let _ = writeln!(text, "skipped: account {id} ({name}): no primary contact (account_contacts with is_primary)");
        }
        for skipped in &self.skipped {
            let _ = writeln!(text, "skipped: account {}: {}", skipped.account, skipped.reason);
        }
        text
    }

    /// The closing line of a delivery run.
    pub fn summary(&self, tally: &Tally) -> String {
        let already = self.recipients().filter(|r| matches!(r.action, Action::AlreadySent(_))).count();
        let mut text = format!(
            "{} sent, {} failed, {already} already sent before, {} in doubt; {} account(s) without a primary contact, {} without a report\n",
            tally.sent,
            tally.failed,
            self.in_doubt(),
            self.without_contacts.len(),
            self.skipped.len()
        );
        if self.in_doubt() > 0 {
            text.push_str(
                "in doubt: an earlier run was stopped while sending; check the mail server's log, then `--resend --account A` if it never arrived\n",
            );
        }
        if tally.failed > 0 {
            text.push_str("the failed deliveries are recorded; run the same command again to retry them\n");
        }
        text
    }
}

fn action(history: &History, account: i64, month: &str, email: &str, resend: bool) -> Action {
    let Some(past) = history.get(&(account, month.to_string(), email.to_lowercase())) else { return Action::Send };
    if resend {
        return Action::Send;
    }
    if let Some(sent_at) = &past.sent_at {
        return Action::AlreadySent(sent_at.clone());
    }
    if past.last_status == "sending" {
        return Action::InDoubt(past.last_attempt.clone());
    }
    Action::Send
}

#[cfg(test)]
mod tests {
    use super::super::deliveries::Past;
    use super::*;

    fn history(entries: &[(&str, Option<&str>, &str)]) -> History {
        entries
            .iter()
            .map(|(email, sent_at, status)| {
                (
                    (1, "2025-10".to_string(), email.to_string()),
                    Past { sent_at: sent_at.map(str::to_string), last_status: status.to_string(), last_attempt: "2025-11-02T08:00:00".to_string() },
                )
            })
            .collect()
    }

    #[test]
    fn a_recipient_is_sent_to_unless_it_was_delivered_or_is_in_doubt() {
        let h = history(&[("sent@x.test", Some("2025-11-02T08:00:01"), "sent"), ("failed@x.test", None, "failed"), ("doubt@x.test", None, "sending")]);
        assert_eq!(action(&h, 1, "2025-10", "new@x.test", false), Action::Send);
        assert_eq!(action(&h, 1, "2025-10", "failed@x.test", false), Action::Send);
        assert_eq!(action(&h, 1, "2025-10", "Sent@X.test", false), Action::AlreadySent("2025-11-02T08:00:01".to_string()));
        assert_eq!(action(&h, 1, "2025-10", "doubt@x.test", false), Action::InDoubt("2025-11-02T08:00:00".to_string()));
        assert_eq!(action(&h, 1, "2025-11", "sent@x.test", false), Action::Send, "another month");
        assert_eq!(action(&h, 2, "2025-10", "sent@x.test", false), Action::Send, "another account");
        for email in ["sent@x.test", "doubt@x.test"] {
            assert_eq!(action(&h, 1, "2025-10", email, true), Action::Send, "--resend");
        }
    }

    #[test]
    fn a_failure_after_a_delivery_does_not_make_it_undelivered() {
        let h = history(&[("a@x.test", Some("2025-11-02T08:00:01"), "failed")]);
        assert!(matches!(action(&h, 1, "2025-10", "a@x.test", false), Action::AlreadySent(_)));
    }
}
