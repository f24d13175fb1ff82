//! The people an account's monthly usage email goes to: the primary
//! contacts of the contract table `account_contacts`, as of a snapshot.
//! Used by the usage batch (its index lists each report's recipients) and
//! by `deskql mail usage` (who gets each message).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use duckdb::Connection;

use crate::sqltext::named;

const SQL: &str = include_str!("../sql/mail/contacts.sql");

/// One recipient: an address the ingest checked (contract format `email`)
/// and the contact's name, if given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub email: String,
    pub name: Option<String>,
}

/// Every account's primary contacts as of snapshot `snap` (None: the
/// latest), by account id; an account without one is absent. An address
/// listed twice for an account in different case (`Ana@x.test`,
/// `ana@x.test`; the key tells them apart, mail servers do not) is kept
/// once, so nobody gets the same report twice.
pub fn primary_contacts(conn: &Connection, snap: Option<i32>) -> Result<BTreeMap<i64, Vec<Contact>>> {
    let mut contacts: BTreeMap<i64, Vec<Contact>> = BTreeMap::new();
    if !table_exists(conn)? {
        return Ok(contacts);
    }
    let mut stmt = conn.prepare(&named(SQL, "primary_contacts")?)?;
    let mut rows = stmt.query([snap]).context("reading account_contacts")?;
    while let Some(row) = rows.next()? {
        let account: i64 = row.get(0)?;
        let contact = Contact { email: row.get(1)?, name: row.get(2)? };
        let list = contacts.entry(account).or_default();
        if !list.iter().any(|c| c.email.eq_ignore_ascii_case(&contact.email)) {
            list.push(contact);
        }
    }
    Ok(contacts)
}

fn table_exists(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(&named(SQL, "table_exists")?, [], |r| r.get(0))?)
}
