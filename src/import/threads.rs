//! Help Scout threads -> contract threads. The tap emits all threads of a
//! conversation together, newest first; they are mapped one by one
//! (`event`, so a bad record is refused with its line), then the
//! conversation's events are put in time order and reduced to what each
//! thread *changed* (`normalise`), which is what the contract's `status`
//! and `assigned_to` mean.

use super::mapping::{Refusal, THREADS, instant, user_id_of};
use super::records::Thread;
use super::report::{Notices, shown};
use super::writer::Row;

/// A thread as the contract sees it, before `normalise`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub created_at: i64,
    pub kind: &'static str,
    pub actor_type: &'static str,
    pub actor_id: Option<i64>,
    pub status: &'static str,
    pub assigned_to: Option<i64>,
}

/// Thread types -> contract types. Forwards are internal actions or mail
/// to a third party, not replies to the customer: notes, so they never
/// count as replies. A type the mapping does not know becomes a line item,
/// which keeps its status change and assignment but is never a message.
fn contract_type(kind: Option<&str>, notices: &mut Notices) -> &'static str {
    match kind {
        Some("customer") => "customer",
        Some("message") => "reply",
        Some("note") => "note",
        Some("lineitem") => "lineitem",
        Some("chat" | "beaconchat") => "chat",
        Some("phone") => "phone",
        Some("forwardparent" | "forwardchild") => "note",
        other => {
            notices.count(THREADS, "type", shown(other), "type set to lineitem (never counted as a message)");
            "lineitem"
        }
    }
}

fn contract_status(status: Option<&str>, notices: &mut Notices) -> &'static str {
    match status {
        None | Some("nochange") => "nochange",
        Some("active") => "active",
        Some("pending") => "pending",
        Some("closed") => "closed",
        Some("spam") => "spam",
        Some(other) => {
            notices.count(THREADS, "status", other, "status set to nochange");
            "nochange"
        }
    }
}

/// Who acted. An automatic workflow has no person (and the tap drops the
/// workflow's id). The v2 API reports AI system users as `user`; only v3
/// says `system_user`, which is a bot.
fn actor(thread: &Thread, kind: &'static str, notices: &mut Notices) -> (&'static str, Option<i64>) {
    let action = thread.action.as_ref().and_then(|a| a.kind.as_deref());
    if action == Some("automatic-workflow") {
        return ("workflow", None);
    }
    let id_of = |id: Option<i64>| id.filter(|id| *id != 0);
    if let Some(person) = &thread.created_by {
        return match person.kind.as_deref() {
            Some("customer") => ("customer", id_of(person.id)),
            Some("user") => ("user", id_of(person.id)),
            Some("system_user") => ("bot", id_of(person.id)),
            other => {
                notices.count(THREADS, "created_by.type", shown(other), "actor set to user");
                ("user", id_of(person.id))
            }
        };
    }
    if kind == "customer" {
        notices.count(THREADS, "created_by", "null", "customer thread: actor taken from its customer");
        return ("customer", id_of(thread.customer.as_ref().and_then(|c| c.id)));
    }
    if action.is_some_and(|a| a.contains("workflow")) {
        return ("workflow", None);
    }
    notices.count(THREADS, "created_by", "null", "actor set to user, with no id");
    ("user", None)
}

/// Map one thread record; `None` when it was never sent (a draft, or held
/// for review), counted.
pub fn event(thread: Thread, notices: &mut Notices) -> Result<Option<Event>, Refusal> {
    match thread.state.as_deref() {
        // hidden: removed from the customer's emails, but it happened.
        None | Some("published" | "hidden") => {}
        Some(state @ ("draft" | "review" | "underreview")) => {
            notices.count(THREADS, "state", state, "skipped: never sent");
            return Ok(None);
        }
        Some(other) => notices.count(THREADS, "state", other, "kept as sent"),
    }
    let kind = contract_type(thread.kind.as_deref(), notices);
    let (actor_type, actor_id) = actor(&thread, kind, notices);
    let created_at = instant("created_at", thread.created_at.as_deref())?.ok_or("`created_at` is missing, and the contract needs it")?;
    Ok(Some(Event {
        id: thread.id,
        created_at,
        kind,
        actor_type,
        actor_id,
        status: contract_status(thread.status.as_deref(), notices),
        assigned_to: user_id_of(THREADS, "assigned_to.type", thread.assigned_to.as_ref(), notices),
    }))
}

/// Put a conversation's events in time order and keep only what each one
/// changed. The API documents `status` as set only on a change (else
/// `nochange`), but puts the current assignee on every thread: a status
/// equal to the running one becomes `nochange` (a no-op if the API keeps
/// its word), and an assignee equal to the previous thread's becomes NULL.
pub fn normalise(events: &mut [Event]) {
    events.sort_by_key(|e| (e.created_at, e.id));
    let mut status: Option<&'static str> = None;
    let mut assignee: Option<i64> = None;
    for event in events.iter_mut() {
        if event.status != "nochange" {
            if status == Some(event.status) {
                event.status = "nochange";
            } else {
                status = Some(event.status);
            }
        }
        if event.assigned_to == assignee {
            event.assigned_to = None;
        } else {
            assignee = event.assigned_to;
        }
    }
}

pub fn row(account_id: i64, conversation_id: i64, event: &Event) -> Row {
    Row::of_account(account_id)
        .int("thread_id", event.id)
        .int("conversation_id", conversation_id)
        .text("type", event.kind)
        .text("actor_type", event.actor_type)
        .set("actor_id", event.actor_id)
        .time("created_at", Some(event.created_at))
        .text("status", event.status)
        .set("assigned_to", event.assigned_to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::records::parse;
    use serde_json::{Value, json};

    fn thread(fields: Value) -> Value {
        let mut base = json!({"id": 1, "conversation_id": 9001, "type": "message", "status": "nochange", "state": "published",
                              "created_by": {"id": 103, "type": "user"}, "created_at": "2026-10-05T10:00:00.000000Z"});
        for (k, v) in fields.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    fn map(fields: Value, notices: &mut Notices) -> Option<Event> {
        event(parse(thread(fields)).unwrap(), notices).unwrap()
    }

    #[test]
    fn thread_types_map_to_contract_types() {
        let mut notices = Notices::default();
        let cases = [
            ("customer", "customer"),
            ("message", "reply"),
            ("note", "note"),
            ("lineitem", "lineitem"),
            ("chat", "chat"),
            ("beaconchat", "chat"),
            ("phone", "phone"),
            ("forwardparent", "note"),
            ("forwardchild", "note"),
            ("whatsapp", "lineitem"),
        ];
        for (api, contract) in cases {
            assert_eq!(map(json!({"type": api}), &mut notices).unwrap().kind, contract, "{api}");
        }
        assert_eq!(notices.count_of(THREADS, "type", "whatsapp"), 1);
        assert_eq!(notices.counted().len(), 1, "only the unknown type is counted");
    }

    #[test]
    fn actors_come_from_created_by_or_the_workflow() {
        let mut notices = Notices::default();
        let actor_of = |fields: Value, notices: &mut Notices| {
            let e = map(fields, notices).unwrap();
            (e.actor_type, e.actor_id)
        };
        assert_eq!(actor_of(json!({"created_by": {"id": 301, "type": "customer"}}), &mut notices), ("customer", Some(301)));
        assert_eq!(actor_of(json!({}), &mut notices), ("user", Some(103)));
        assert_eq!(actor_of(json!({"created_by": {"id": 55, "type": "system_user"}}), &mut notices), ("bot", Some(55)));
        let workflow = json!({"type": "lineitem", "action": {"type": "automatic-workflow", "text": "Spam filter"}, "created_by": null});
        assert_eq!(actor_of(workflow, &mut notices), ("workflow", None));
        let manual = json!({"type": "lineitem", "action": {"type": "manual-workflow"}, "created_by": {"id": 102, "type": "user"}});
        assert_eq!(actor_of(manual, &mut notices), ("user", Some(102)), "a manual workflow is the user who ran it");
        assert_eq!(actor_of(json!({"type": "customer", "created_by": null, "customer": {"id": 302}}), &mut notices), ("customer", Some(302)));
        assert_eq!(actor_of(json!({"created_by": {"id": 9, "type": "robot"}}), &mut notices), ("user", Some(9)));
        assert_eq!(actor_of(json!({"type": "lineitem", "created_by": null}), &mut notices), ("user", None));
        assert_eq!(notices.count_of(THREADS, "created_by.type", "robot"), 1);
        assert_eq!(notices.count_of(THREADS, "created_by", "null"), 2);
    }

    #[test]
    fn unsent_threads_are_skipped_and_unknown_values_counted() {
        let mut notices = Notices::default();
        for state in ["draft", "review", "underreview"] {
            assert!(map(json!({"state": state}), &mut notices).is_none(), "{state}");
        }
        assert!(map(json!({"state": "hidden"}), &mut notices).is_some());
        let odd = map(json!({"status": "snoozed", "assigned_to": {"id": 201, "type": "team"}}), &mut notices).unwrap();
        assert_eq!((odd.status, odd.assigned_to), ("nochange", None));
        assert_eq!(notices.count_of(THREADS, "state", "draft"), 1);
        assert_eq!(notices.count_of(THREADS, "status", "snoozed"), 1);
        assert_eq!(notices.count_of(THREADS, "assigned_to.type", "team"), 1);
        let no_time = event(parse(thread(json!({"created_at": null}))).unwrap(), &mut notices).unwrap_err();
        assert!(no_time.contains("`created_at` is missing"), "{no_time}");
    }

    #[test]
    fn normalise_orders_by_time_and_keeps_only_changes() {
        let e = |id: i64, minute: i64, status: &'static str, assigned_to: Option<i64>| Event {
            id,
            created_at: minute * 60_000_000,
            kind: "reply",
            actor_type: "user",
            actor_id: Some(103),
            status,
            assigned_to,
        };
        // Newest first, as the API lists them.
        let mut events = vec![e(5, 50, "closed", Some(103)), e(4, 40, "active", Some(103)), e(3, 30, "pending", Some(103)), e(2, 10, "active", Some(103)), e(1, 0, "active", None)];
        normalise(&mut events);
        let seen: Vec<(i64, &str, Option<i64>)> = events.iter().map(|e| (e.id, e.status, e.assigned_to)).collect();
        assert_eq!(seen, [(1, "active", None), (2, "nochange", Some(103)), (3, "pending", None), (4, "active", None), (5, "closed", None)]);
    }
}
