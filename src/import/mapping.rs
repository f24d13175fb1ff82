//! Help Scout records -> contract rows, one function per stream (threads:
//! `threads`). The decisions, field by field, are the README's "Importing
//! Help Scout data" tables; the comments here say why where it is not
//! obvious. A value the mapping does not know is mapped to the safest
//! contract value and counted (`Notices`); a record is refused (`Err`, with
//! the field) only when the contract cannot hold it (a missing `number`,
//! `created_at`, ...).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::dedup::Key;
use super::records::{Conversation, Customer, Folder, Mailbox, Person, Rating, Team, TeamMember, User};
use super::report::{Notices, shown};
use super::writer::{Cell, Row};

pub const CONVERSATIONS: &str = "conversations";
pub const THREADS: &str = "conversation_threads";
pub const CUSTOMERS: &str = "customers";
pub const RATINGS: &str = "happiness_ratings_report";
pub const MAILBOXES: &str = "mailboxes";
pub const FOLDERS: &str = "mailbox_folders";
pub const TEAMS: &str = "teams";
pub const TEAM_MEMBERS: &str = "team_members";
pub const USERS: &str = "users";
/// Streams the tap has but the contract has no table for.
pub const NOT_NEEDED: [&str; 2] = ["workflows", "mailbox_fields"];

/// How the account's rows are made.
#[derive(Debug, Clone)]
pub struct Options {
    pub account_id: i64,
    /// Role `user` may view reports (the API does not say; default false).
    pub users_can_view_reports: bool,
}

/// A contract row with its table and identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub table: &'static str,
    pub key: Key,
    pub row: Row,
}

/// Why a record cannot be imported; the caller adds the line and stream.
pub type Refusal = String;

/// An instant as the tap writes it (`2026-10-05T09:00:00.000000Z`, any RFC
/// 3339 form) -> microseconds since the epoch. Empty or absent: `None`.
pub fn instant(field: &str, value: Option<&str>) -> Result<Option<i64>, Refusal> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc).timestamp_micros()))
            .map_err(|_| format!("`{field}` is not a date-time: {text:?}")),
    }
}

fn required_instant(field: &str, value: Option<&str>) -> Result<i64, Refusal> {
    instant(field, value)?.ok_or_else(|| format!("`{field}` is missing, and the contract needs it"))
}

fn required<T>(field: &str, value: Option<T>) -> Result<T, Refusal> {
    value.ok_or_else(|| format!("`{field}` is missing, and the contract needs it"))
}

/// Help Scout's 0 means "none".
fn id_or_none(id: Option<i64>) -> Option<i64> {
    id.filter(|id| *id != 0)
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// "First Last", either part alone, or `None`.
fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [first, last].into_iter().filter_map(non_empty).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn single(id: i64) -> Key {
    (id, 0)
}

pub fn inbox(options: &Options, mailbox: Mailbox) -> Result<Mapped, Refusal> {
    let name = non_empty(mailbox.name.as_deref()).map_or_else(|| format!("Mailbox {}", mailbox.id), str::to_string);
    let row = Row::of_account(options.account_id)
        .int("inbox_id", mailbox.id)
        .text("name", name)
        .time("created_at", instant("created_at", mailbox.created_at.as_deref())?);
    Ok(Mapped { table: "inboxes", key: single(mailbox.id), row })
}

/// Users. The API has no reports permission: owners and admins can see
/// everything, role `user` gets `options.users_can_view_reports`. Nor has it
/// a deletion date: a deleted user is absent from `/users`, and a full
/// ingest closes it.
pub fn user(options: &Options, user: User, notices: &mut Notices) -> Result<Option<Mapped>, Refusal> {
    if let Some(kind) = user.kind.as_deref().filter(|k| *k != "user") {
        notices.count(USERS, "type", kind, "skipped: not a user");
        return Ok(None);
    }
    let role = match user.role.as_deref() {
        Some(role @ ("owner" | "admin" | "user")) => role,
        other => {
            notices.count(USERS, "role", shown(other), "role set to user (the most restricted)");
            "user"
        }
    };
    let can_view_reports = role != "user" || options.users_can_view_reports;
    let name = full_name(user.first_name.as_deref(), user.last_name.as_deref())
        .or_else(|| non_empty(user.email.as_deref()).map(str::to_string))
        .unwrap_or_else(|| format!("User {}", user.id));
    let row = Row::of_account(options.account_id)
        .int("user_id", user.id)
        .text("name", name)
        .set("email", user.email)
        .text("role", role)
        .set("can_view_reports", Cell::Bool(can_view_reports))
        .time("created_at", instant("created_at", user.created_at.as_deref())?)
        .set("deleted_at", Cell::Null);
    Ok(Some(Mapped { table: "users", key: single(user.id), row }))
}

pub fn team(options: &Options, team: Team) -> Mapped {
    let name = non_empty(team.name.as_deref()).map_or_else(|| format!("Team {}", team.id), str::to_string);
    Mapped { table: "teams", key: single(team.id), row: Row::of_account(options.account_id).int("team_id", team.id).text("name", name) }
}

pub fn team_member(options: &Options, member: TeamMember) -> Mapped {
    let row = Row::of_account(options.account_id).int("team_id", member.team_id).int("user_id", member.user_id);
    Mapped { table: "team_members", key: (member.team_id, member.user_id), row }
}

/// A user's "mytickets" folder in a mailbox means the user has access to
/// it: the only place the API export says who sees which inbox.
pub fn user_inbox(options: &Options, folder: Folder) -> Option<Mapped> {
    let personal = matches!(folder.kind.as_deref(), Some("mytickets" | "mine"));
    let (user_id, inbox_id) = (id_or_none(folder.user_id)?, folder.mailbox_id?);
    personal.then(|| Mapped {
        table: "user_inboxes",
        key: (user_id, inbox_id),
        row: Row::of_account(options.account_id).int("user_id", user_id).int("inbox_id", inbox_id),
    })
}

pub fn customer(options: &Options, customer: Customer) -> Result<Mapped, Refusal> {
    let email = customer.emails.iter().flatten().find_map(|e| non_empty(e.value.as_deref())).map(str::to_string);
    let row = Row::of_account(options.account_id)
        .int("customer_id", customer.id)
        .set("name", full_name(customer.first_name.as_deref(), customer.last_name.as_deref()))
        .set("email", email)
        .time("created_at", instant("created_at", customer.created_at.as_deref())?);
    Ok(Mapped { table: "customers", key: single(customer.id), row })
}

/// A conversation the mapping leaves out, with why (its threads and
/// ratings are left out with it).
#[derive(Debug, Clone, PartialEq)]
pub enum ConversationOutcome {
    Kept(Mapped),
    /// A draft (never sent) or a state the mapping does not know.
    Skipped { state: String },
}

pub fn conversation(options: &Options, c: Conversation, notices: &mut Notices) -> Result<ConversationOutcome, Refusal> {
    let state = match c.state.as_deref() {
        // The API always says; an absent state is taken as the usual one.
        None | Some("published") => "published",
        Some("deleted") => "deleted",
        Some(other) => {
            let why = if other == "draft" { "skipped with its threads and ratings: a draft was never sent" } else { "skipped with its threads and ratings: unknown state" };
            notices.count(CONVERSATIONS, "state", other, why);
            return Ok(ConversationOutcome::Skipped { state: other.to_string() });
        }
    };
    let channel = match c.kind.as_deref() {
        Some(channel @ ("email" | "chat" | "phone")) => channel,
        other => {
            notices.count(CONVERSATIONS, "type", shown(other), "channel set to email");
            "email"
        }
    };
    let status = conversation_status(c.status.as_deref(), notices);
    let (created_by_type, created_by_id) = conversation_creator(c.created_by.as_ref(), notices);
    let closed = status == "closed";
    let tags: Vec<String> = c.tags.iter().flatten().filter_map(|t| non_empty(t.tag.as_deref()).map(str::to_string)).collect();
    let row = Row::of_account(options.account_id)
        .int("conversation_id", c.id)
        .int("number", required("number", c.number)?)
        .int("inbox_id", required("mailbox_id", c.mailbox_id)?)
        .text("channel", channel)
        .set("customer_id", id_or_none(c.primary_customer.as_ref().and_then(|p| p.id)))
        .set("subject", c.subject)
        .text("status", status)
        .text("state", state)
        .time("created_at", Some(required_instant("created_at", c.created_at.as_deref())?))
        .set("created_by_type", created_by_type.map(str::to_string))
        .set("created_by_id", created_by_id)
        .set("assignee_id", user_id_of(CONVERSATIONS, "assignee.type", c.assignee.as_ref(), notices))
        // The API may keep a stale close on a reopened conversation: a
        // close counts only while the conversation is closed.
        .time("closed_at", if closed { instant("closed_at", c.closed_at.as_deref())? } else { None })
        .set("closed_by_id", if closed { id_or_none(c.closed_by) } else { None })
        .set("tags", Cell::Texts(tags));
    Ok(ConversationOutcome::Kept(Mapped { table: "conversations", key: single(c.id), row }))
}

/// The contract's statuses are Help Scout's; `open` is only a filter of the
/// API, and anything else is taken as active (still to be handled).
fn conversation_status(status: Option<&str>, notices: &mut Notices) -> &'static str {
    match status {
        Some("active") => "active",
        Some("pending") => "pending",
        Some("closed") => "closed",
        Some("spam") => "spam",
        other => {
            notices.count(CONVERSATIONS, "status", shown(other), "status set to active");
            "active"
        }
    }
}

fn conversation_creator(created_by: Option<&Person>, notices: &mut Notices) -> (Option<&'static str>, Option<i64>) {
    let Some(person) = created_by else { return (None, None) };
    match person.kind.as_deref() {
        Some("customer") => (Some("customer"), id_or_none(person.id)),
        Some("user") => (Some("user"), id_or_none(person.id)),
        other => {
            notices.count(CONVERSATIONS, "created_by.type", shown(other), "created_by_type and created_by_id left NULL");
            (None, None)
        }
    }
}

/// The id of a person reference that is a user. Teams (and other kinds)
/// cannot be a contract assignee: NULL, counted.
pub fn user_id_of(stream: &str, field: &str, person: Option<&Person>, notices: &mut Notices) -> Option<i64> {
    let person = person?;
    match person.kind.as_deref() {
        None | Some("user") => id_or_none(person.id),
        Some(other) => {
            notices.count(stream, field, other, "left NULL: only a user can be an assignee");
            None
        }
    }
}

/// The ratings report encodes the rating as `ratingId`: 1 great, 2 okay,
/// 3 not good (README: the sources). The single-rating endpoint's words are
/// taken too, in case a newer report uses them.
fn rating_value(rating_id: Option<&Value>) -> Option<&'static str> {
    match rating_id? {
        Value::Number(n) => match n.as_i64()? {
            1 => Some("great"),
            2 => Some("okay"),
            3 => Some("not_good"),
            _ => None,
        },
        Value::String(s) => match s.as_str() {
            "great" => Some("great"),
            "okay" | "ok" => Some("okay"),
            "not_good" | "not-good" => Some("not_good"),
            _ => None,
        },
        _ => None,
    }
}

/// The report has no rating id; its key is (conversation, customer,
/// created_at). The contract's `rating_id` is a stable 63-bit hash of that
/// key: the first 8 bytes (big-endian) of the SHA-256 of
/// `helpscout-rating:<conversation>:<customer>:<created_at, microseconds, Z>`.
/// The rated thread is not unique enough: two customers can rate one reply.
pub fn rating_id(conversation_id: i64, customer_id: i64, created_at: i64) -> Result<i64, Refusal> {
    let at = DateTime::<Utc>::from_timestamp_micros(created_at).ok_or("`rating_created_at` is out of range")?;
    let text = format!("helpscout-rating:{conversation_id}:{customer_id}:{}", at.format("%Y-%m-%dT%H:%M:%S%.6fZ"));
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    Ok((u64::from_be_bytes(first) & (i64::MAX as u64)) as i64)
}

pub fn rating(options: &Options, r: Rating, notices: &mut Notices) -> Result<Option<Mapped>, Refusal> {
    let Some(rating) = rating_value(r.rating_id.as_ref()) else {
        let value = r.rating_id.as_ref().map_or("null".to_string(), |v| v.to_string());
        notices.count(RATINGS, "rating_id", &value, "skipped: not a known rating (1 great, 2 okay, 3 not good)");
        return Ok(None);
    };
    let created_at = required_instant("rating_created_at", Some(&r.rating_created_at))?;
    let id = rating_id(r.conversation_id, r.rating_customer_id, created_at)?;
    let row = Row::of_account(options.account_id)
        .int("rating_id", id)
        .int("conversation_id", r.conversation_id)
        .set("thread_id", id_or_none(r.thread_id))
        .set("user_id", id_or_none(r.rating_user_id))
        .set("customer_id", id_or_none(Some(r.rating_customer_id)))
        .text("rating", rating)
        .set("comments", non_empty(r.rating_comments.as_deref()).map(str::to_string))
        .time("created_at", Some(created_at));
    Ok(Some(Mapped { table: "ratings", key: single(id), row }))
}

/// The account row: the API has no account, so it comes from the options.
pub struct Account<'a> {
    pub id: i64,
    pub name: &'a str,
    pub plan: &'a str,
    pub timezone: &'a str,
    pub created_at: i64,
}

pub fn account(account: &Account<'_>) -> Mapped {
    let row = Row::of_account(account.id)
        .text("name", account.name)
        .text("plan", account.plan)
        .text("timezone", account.timezone)
        .time("created_at", Some(account.created_at));
    Mapped { table: "accounts", key: single(account.id), row }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::records::parse;
    use serde_json::json;

    fn options() -> Options {
        Options { account_id: 1, users_can_view_reports: false }
    }

    fn conversation_json() -> Value {
        json!({"id": 9001, "number": 1001, "type": "email", "status": "closed", "state": "published", "mailbox_id": 5001,
               "created_by": {"id": 301, "type": "customer"}, "primary_customer": {"id": 301}, "assignee": {"id": 103, "type": "user"},
               "closed_by": 103, "closed_at": "2026-10-05T13:00:00.000000Z", "created_at": "2026-10-05T09:00:00.000000Z",
               "tags": [{"id": 1, "tag": "login"}, {"id": 2, "tag": "vip"}], "subject": "Cannot log in"})
    }

    fn map_conversation(value: Value, notices: &mut Notices) -> Result<ConversationOutcome, Refusal> {
        conversation(&options(), parse(value).unwrap(), notices)
    }

    fn kept(outcome: ConversationOutcome) -> Row {
        match outcome {
            ConversationOutcome::Kept(mapped) => mapped.row,
            other => panic!("{other:?}"),
        }
    }

    const T0: i64 = 1_791_190_800_000_000; // 2026-10-05T09:00:00Z

    #[test]
    fn a_conversation_maps_field_by_field() {
        let mut notices = Notices::default();
        let row = kept(map_conversation(conversation_json(), &mut notices).unwrap());
        assert_eq!(row.int_of("number"), Some(1001));
        assert_eq!(row.int_of("inbox_id"), Some(5001));
        assert_eq!(row.text_of("channel"), Some("email"));
        assert_eq!(row.int_of("customer_id"), Some(301));
        assert_eq!(row.text_of("created_by_type"), Some("customer"));
        assert_eq!(row.int_of("assignee_id"), Some(103));
        assert_eq!(row.int_of("closed_by_id"), Some(103));
        assert_eq!(row.get("created_at"), Some(&Cell::Time(T0)));
        assert_eq!(row.get("closed_at"), Some(&Cell::Time(T0 + 4 * 3_600_000_000)));
        assert_eq!(row.get("tags"), Some(&Cell::Texts(vec!["login".into(), "vip".into()])));
        assert!(notices.counted().is_empty());
    }

    #[test]
    fn a_reopened_conversation_keeps_no_stale_close() {
        let mut value = conversation_json();
        value["status"] = json!("active");
        let row = kept(map_conversation(value, &mut Notices::default()).unwrap());
        assert_eq!((row.get("closed_at"), row.get("closed_by_id")), (Some(&Cell::Null), Some(&Cell::Null)));
    }

    #[test]
    fn unknown_conversation_values_are_counted_not_fatal() {
        let mut notices = Notices::default();
        let mut value = conversation_json();
        value["type"] = json!("sms");
        value["status"] = json!("snoozed");
        value["created_by"] = json!({"id": 7, "type": "ai_agent"});
        value["assignee"] = json!({"id": 201, "type": "team"});
        let row = kept(map_conversation(value, &mut notices).unwrap());
        assert_eq!((row.text_of("channel"), row.text_of("status")), (Some("email"), Some("active")));
        assert_eq!((row.get("created_by_type"), row.get("assignee_id")), (Some(&Cell::Null), Some(&Cell::Null)));
        for (field, value) in [("type", "sms"), ("status", "snoozed"), ("created_by.type", "ai_agent"), ("assignee.type", "team")] {
            assert_eq!(notices.count_of(CONVERSATIONS, field, value), 1, "{field}");
        }
        let mut open = conversation_json();
        open["status"] = json!("open");
        assert_eq!(kept(map_conversation(open, &mut notices).unwrap()).text_of("status"), Some("active"));
    }

    #[test]
    fn drafts_and_unknown_states_are_skipped_and_counted() {
        let mut notices = Notices::default();
        for state in ["draft", "archived"] {
            let mut value = conversation_json();
            value["state"] = json!(state);
            assert_eq!(map_conversation(value, &mut notices).unwrap(), ConversationOutcome::Skipped { state: state.into() });
            assert_eq!(notices.count_of(CONVERSATIONS, "state", state), 1);
        }
        let mut deleted = conversation_json();
        deleted["state"] = json!("deleted");
        assert_eq!(kept(map_conversation(deleted, &mut notices).unwrap()).text_of("state"), Some("deleted"));
    }

    #[test]
    fn what_the_contract_needs_is_refused_with_the_field() {
        let mut value = conversation_json();
        value.as_object_mut().unwrap().remove("number");
        assert!(map_conversation(value, &mut Notices::default()).unwrap_err().contains("`number` is missing"));
        let mut value = conversation_json();
        value["created_at"] = json!("yesterday");
        assert!(map_conversation(value, &mut Notices::default()).unwrap_err().contains("`created_at` is not a date-time"));
        let no_id = parse::<Conversation>(json!({"number": 1})).unwrap_err();
        assert!(no_id.contains("missing field `id`"), "{no_id}");
    }

    fn map_rating(value: Value, notices: &mut Notices) -> Option<Row> {
        rating(&options(), parse(value).unwrap(), notices).unwrap().map(|m| m.row)
    }

    #[test]
    fn ratings_decode_rating_id_and_get_a_stable_hashed_id() {
        let mut notices = Notices::default();
        let base = json!({"conversation_id": 9001, "thread_id": 70015, "rating_customer_id": 301, "rating_user_id": 103,
                          "rating_comments": "", "rating_created_at": "2026-10-05T14:00:00.000000Z"});
        for (code, word) in [(json!(1), "great"), (json!(2), "okay"), (json!(3), "not_good"), (json!("not_good"), "not_good")] {
            let mut value = base.clone();
            value["rating_id"] = code;
            let row = map_rating(value, &mut notices).unwrap();
            assert_eq!(row.text_of("rating"), Some(word));
            // The same key as the prototype (reference_mapping.rating_key).
            assert_eq!(row.int_of("rating_id"), Some(2208944668464567118));
            assert_eq!((row.get("comments"), row.int_of("user_id"), row.int_of("thread_id")), (Some(&Cell::Null), Some(103), Some(70015)));
        }
        for unknown in [json!(0), json!(4), json!(null)] {
            let mut value = base.clone();
            value["rating_id"] = unknown.clone();
            assert!(map_rating(value, &mut notices).is_none());
            assert_eq!(notices.count_of(RATINGS, "rating_id", &unknown.to_string()), 1);
        }
        // The instant, not its spelling, makes the id.
        assert_eq!(rating_id(9001, 301, T0 + 5 * 3_600_000_000).unwrap(), 2208944668464567118);
    }

    #[test]
    fn users_roles_and_the_reports_permission() {
        let mut notices = Notices::default();
        let user_json = |role: &str| json!({"id": 103, "first_name": "Uma", "last_name": "Ueda", "email": "uma@acme.example", "role": role, "type": "user"});
        let map = |value: Value, options: &Options, notices: &mut Notices| user(options, parse(value).unwrap(), notices).unwrap().map(|m| m.row);
        let owner = map(user_json("owner"), &options(), &mut notices).unwrap();
        assert_eq!((owner.text_of("role"), owner.get("can_view_reports")), (Some("owner"), Some(&Cell::Bool(true))));
        let agent = map(user_json("user"), &options(), &mut notices).unwrap();
        assert_eq!((agent.text_of("name"), agent.get("can_view_reports")), (Some("Uma Ueda"), Some(&Cell::Bool(false))));
        let trusting = Options { users_can_view_reports: true, ..options() };
        assert_eq!(map(user_json("user"), &trusting, &mut notices).unwrap().get("can_view_reports"), Some(&Cell::Bool(true)));
        let light = map(user_json("light"), &options(), &mut notices).unwrap();
        assert_eq!((light.text_of("role"), light.get("can_view_reports")), (Some("user"), Some(&Cell::Bool(false))));
        assert_eq!(notices.count_of(USERS, "role", "light"), 1);
        assert!(map(json!({"id": 201, "type": "team"}), &options(), &mut notices).is_none());
        assert_eq!(notices.count_of(USERS, "type", "team"), 1);
        let nameless = map(json!({"id": 9, "email": "x@acme.example"}), &options(), &mut notices).unwrap();
        assert_eq!(nameless.text_of("name"), Some("x@acme.example"));
    }

    #[test]
    fn only_personal_folders_give_inbox_access() {
        let folder = |kind: &str, user_id: i64| user_inbox(&options(), parse(json!({"id": 1, "mailbox_id": 5001, "type": kind, "user_id": user_id})).unwrap());
        assert_eq!(folder("mytickets", 103).map(|m| m.key), Some((103, 5001)));
        assert!(folder("open", 0).is_none());
        assert!(folder("mytickets", 0).is_none());
    }

    #[test]
    fn customers_take_the_first_email() {
        let value = json!({"id": 301, "first_name": "Carla", "last_name": null, "emails": [{"value": ""}, {"value": "carla@example.com"}]});
        let row = customer(&options(), parse(value).unwrap()).unwrap().row;
        assert_eq!((row.text_of("name"), row.text_of("email")), (Some("Carla"), Some("carla@example.com")));
    }
}
