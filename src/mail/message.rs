//! One account's usage email as an RFC 5322 message, built by lettre (the
//! MIME structure, header encoding and line lengths are its job): To: the
//! account's primary contacts, a Subject naming the account and the month,
//! Date, Message-ID, optional Reply-To and List-Unsubscribe, and a
//! multipart/alternative body: the plain text (`text`) and the HTML report.

use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};

use super::plan::Recipient;
use super::text;
use crate::report::document::ReportDoc;
use crate::report::{ReportFormat, render};

/// Who the messages are from, and the headers every message shares.
pub struct Sender {
    pub from: Mailbox,
    reply_to: Option<Mailbox>,
    list_unsubscribe: Option<ListUnsubscribe>,
}

impl Sender {
    pub fn new(from: &str, reply_to: Option<&str>, list_unsubscribe: Option<&str>) -> Result<Sender> {
        Ok(Sender {
            from: mailbox(from).context("--from")?,
            reply_to: reply_to.map(mailbox).transpose().context("--reply-to")?,
            list_unsubscribe: list_unsubscribe.map(ListUnsubscribe::new).transpose()?,
        })
    }

    pub fn address(&self) -> &Address {
        &self.from.email
    }
}

fn mailbox(text: &str) -> Result<Mailbox> {
    text.parse::<Mailbox>().map_err(|err| anyhow::anyhow!("{text:?} is not an email address ({err}); e.g. 'Customer Success <success@vendor.example>'"))
}

/// The message of one account to every recipient (each gets it in its own
/// SMTP envelope, so that each one's outcome is known).
pub fn build(document: &ReportDoc, recipients: &[Recipient], sender: &Sender) -> Result<Message> {
    let mut builder = Message::builder()
        .from(sender.from.clone())
        .subject(text::subject(document))
        .date_now()
        .message_id(Some(message_id(document, sender)));
    for recipient in recipients {
        let contact = &recipient.contact;
        let email: Address = contact.email.parse().with_context(|| format!("account_contacts: {:?} is not an address lettre accepts", contact.email))?;
        builder = builder.to(Mailbox::new(contact.name.clone(), email));
    }
    if let Some(reply_to) = &sender.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some(header) = &sender.list_unsubscribe {
        builder = builder.header(header.clone());
    }
    let mut html = Vec::new();
    render::write(&mut html, document, ReportFormat::Html, None)?;
    let html = String::from_utf8(html).context("the HTML report is UTF-8")?;
    builder.multipart(MultiPart::alternative_plain_html(text::plain(document), html)).context("building the message")
}

/// A Message-ID unique to this message: the account, the month, the time
/// and a counter, at the sender's domain (RFC 5322 3.6.4).
fn message_id(document: &ReportDoc, sender: &Sender) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "<usage.{}.{}.{nanos:x}.{}.{count}@{}>",
        document.header.account.id,
        crate::report::batch::month_of(document),
        std::process::id(),
        sender.address().domain()
    )
}

/// `List-Unsubscribe: <mailto:...>` or `<https://...>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl ListUnsubscribe {
    fn new(uri: &str) -> Result<ListUnsubscribe> {
        let scheme_ok = uri.starts_with("mailto:") || uri.starts_with("https://") || uri.starts_with("http://");
        // The URI goes between angle brackets in a header: nothing that
        // would end it or the header.
        if !scheme_ok || uri.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',')) {
            bail!("--list-unsubscribe {uri:?}: expected one mailto: or https: URI without spaces, commas or angle brackets");
        }
        Ok(ListUnsubscribe(uri.to_string()))
    }
}

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.trim().trim_start_matches('<').trim_end_matches('>').to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}
