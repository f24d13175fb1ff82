//! The records of tap-helpscout 1.2.2 as the mapping reads them: only the
//! fields it uses (serde ignores the others), with the tap's snake_case
//! names (the tap converts the API's camelCase). Every field the API may
//! leave out or set to null is an `Option`; only a record's key is
//! required, so a missing key fails here, with serde's message naming it.
//!
//! Enumerations (`type`, `status`, `state`, `role`) stay text: a value a
//! newer API adds is counted by the mapping, never a parse failure.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Read a RECORD's `record` object as `T`; the error says what is missing.
pub fn parse<T: DeserializeOwned>(record: Value) -> Result<T, String> {
    serde_json::from_value(record).map_err(|e| format!("the record is not usable: {e}"))
}

/// A person or team as the API embeds it (`createdBy`, `assignee`,
/// `primaryCustomer`, `assignedTo`, a thread's `customer`).
#[derive(Debug, Default, Deserialize)]
pub struct Person {
    pub id: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Tag {
    pub tag: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Conversation {
    pub id: i64,
    pub number: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub state: Option<String>,
    pub subject: Option<String>,
    pub mailbox_id: Option<i64>,
    pub assignee: Option<Person>,
    pub created_by: Option<Person>,
    pub created_at: Option<String>,
    /// The user who closed it; 0 when nobody did.
    pub closed_by: Option<i64>,
    pub closed_at: Option<String>,
    pub tags: Option<Vec<Tag>>,
    pub primary_customer: Option<Person>,
}

#[derive(Debug, Deserialize)]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Thread {
    pub id: i64,
    /// Added by the tap (child stream of conversations).
    pub conversation_id: i64,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub state: Option<String>,
    pub action: Option<Action>,
    pub created_by: Option<Person>,
    pub customer: Option<Person>,
    pub assigned_to: Option<Person>,
    pub created_at: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Option<Vec<Entry>>,
    pub created_at: Option<String>,
}

/// A row of the happiness ratings report (`/v2/reports/happiness/ratings`).
/// Its key, as the tap declares it, is (rating_customer_id,
/// conversation_id, rating_created_at).
#[derive(Debug, Deserialize)]
pub struct Rating {
    /// The API's `id`, renamed by the tap.
    pub conversation_id: i64,
    /// The rated reply (the API's `threadid`).
    pub thread_id: Option<i64>,
    /// The rating itself: 1 great, 2 okay, 3 not good. Kept as JSON so that
    /// another encoding from a newer API is counted, not a parse failure.
    pub rating_id: Option<Value>,
    pub rating_customer_id: i64,
    pub rating_comments: Option<String>,
    pub rating_created_at: String,
    pub rating_user_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Mailbox {
    pub id: i64,
    pub name: Option<String>,
    pub created_at: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub created_at: Option<String>,
    /// `user`, or `team` for a team listed among users.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TeamMember {
    pub team_id: i64,
    pub user_id: i64,
}

#[derive(Debug, Deserialize)]
pub struct Folder {
    pub mailbox_id: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The owner of a `mytickets` folder; 0 for shared folders.
    pub user_id: Option<i64>,
}
