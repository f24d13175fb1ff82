#!/usr/bin/env python3
"""Writes fixtures/*.json: one small Help Scout account (Mailbox API 2.0 shapes).

The JSON files under fixtures/ are what fixture_server.py serves; this script is
their single source. Edit the data here and run it again:

    python3 make_fixtures.py            # rewrites fixtures/*.json

Records are stored the way the API returns them (camelCase, `_embedded`
sub-entities for customers and thread attachments). The server adds the HAL
envelope (`_embedded.<key>`, `_links`, `page`) and each item's `_links`.

Everything happens in October 2026 (UTC) so that reports can be computed by
hand; tests/suite/import_helpscout.rs has the expected figures, with how each was
counted. fixtures/revision2.json
is an overlay (what changed by November) for the incremental run.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

# --- people -----------------------------------------------------------------

USERS = {
    101: dict(first="Olivia", last="Owens", email="olivia@acme.example", role="owner",
              tz="Europe/Paris", created="2026-01-10T09:00:00Z", updated="2026-09-01T08:00:00Z"),
    102: dict(first="Adam", last="Alvarez", email="adam@acme.example", role="admin",
              tz="Europe/Paris", created="2026-02-01T09:00:00Z", updated="2026-09-02T08:00:00Z"),
    103: dict(first="Uma", last="Ueda", email="uma@acme.example", role="user",
              tz="Europe/London", created="2026-03-01T09:00:00Z", updated="2026-09-03T08:00:00Z"),
}

CUSTOMERS = {
    301: dict(first="Carla", last="Castro", email="carla@example.com", created="2026-09-28T08:00:00Z",
              updated="2026-10-05T09:00:00Z", org="Castro Cycles"),
    302: dict(first="Dan", last="Dubois", email="dan@example.com", created="2026-06-01T10:00:00Z",
              updated="2026-10-06T14:00:00Z", org=None),
    303: dict(first="Eve", last="Evans", email="eve@example.com", created="2026-10-07T09:55:00Z",
              updated="2026-10-07T09:55:00Z", org="Evans & Co"),
    304: dict(first="Frank", last="Fischer", email="frank@example.com", created="2026-10-08T07:59:00Z",
              updated="2026-10-08T08:00:00Z", org=None),
}


def user(uid, customer=False):
    """A person reference as the API embeds it in conversations and threads."""
    if customer:
        c = CUSTOMERS[uid]
        return {"id": uid, "type": "customer", "first": c["first"], "last": c["last"],
                "photoUrl": None, "email": c["email"]}
    u = USERS[uid]
    return {"id": uid, "type": "user", "first": u["first"], "last": u["last"],
            "photoUrl": None, "email": u["email"]}


def customer_ref(cid):
    c = CUSTOMERS[cid]
    return {"id": cid, "first": c["first"], "last": c["last"], "photoUrl": None, "email": c["email"]}


def users_json():
    out = []
    for uid, u in USERS.items():
        out.append({
            "id": uid, "firstName": u["first"], "lastName": u["last"], "email": u["email"],
            "role": u["role"], "timezone": u["tz"], "photoUrl": None,
            "createdAt": u["created"], "updatedAt": u["updated"], "type": "user",
            "mention": u["first"].lower(), "initials": u["first"][0] + u["last"][0],
            "jobTitle": None, "phone": None, "alternateEmails": [],
        })
    return out


def customers_json():
    out = []
    for cid, c in CUSTOMERS.items():
        out.append({
            "id": cid, "firstName": c["first"], "lastName": c["last"], "gender": "unknown",
            "jobTitle": None, "location": None, "organization": c["org"], "photoType": "default",
            "photoUrl": None, "age": None, "createdAt": c["created"], "updatedAt": c["updated"],
            "background": None, "draft": False,
            "_embedded": {
                "emails": [{"id": cid * 10 + 1, "value": c["email"], "type": "work"}],
                "phones": [], "chats": [], "social_profiles": [], "websites": [],
                "address": None, "properties": [],
            },
        })
    return out


# --- mailboxes, teams, workflows --------------------------------------------

MAILBOXES = [
    {"id": 5001, "name": "Support", "slug": "support", "email": "support@acme.example",
     "createdAt": "2026-01-10T09:05:00Z", "updatedAt": "2026-09-10T12:00:00Z"},
    {"id": 5002, "name": "Billing", "slug": "billing", "email": "billing@acme.example",
     "createdAt": "2026-03-01T09:05:00Z", "updatedAt": "2026-09-11T12:00:00Z"},
]

MAILBOX_FIELDS = {
    "5001": [{"id": 61, "name": "Priority", "type": "dropdown", "order": 1, "required": False,
              "options": [{"id": 611, "order": 1, "label": "High"}, {"id": 612, "order": 2, "label": "Low"}]}],
    "5002": [],
}


def folder(fid, name, ftype, uid, total, active, updated):
    return {"id": fid, "name": name, "type": ftype, "userId": uid, "totalCount": total,
            "activeCount": active, "updatedAt": updated}


# "mytickets" folders exist per user who can access the mailbox (userId = owner).
# Support's folders were touched later than Billing's: this shows how the tap's
# shared mailbox_folders bookmark drops the second mailbox's folders.
MAILBOX_FOLDERS = {
    "5001": [
        folder(41, "Unassigned", "open", 0, 0, 0, "2026-10-13T10:00:00Z"),
        folder(42, "Mine", "mytickets", 101, 0, 0, "2026-10-05T13:00:00Z"),
        folder(43, "Mine", "mytickets", 102, 0, 0, "2026-10-06T14:10:00Z"),
        folder(44, "Mine", "mytickets", 103, 1, 1, "2026-10-07T10:30:00Z"),
        folder(45, "Closed", "closed", 0, 2, 0, "2026-10-06T14:10:00Z"),
        folder(46, "Spam", "spam", 0, 1, 0, "2026-10-10T03:00:05Z"),
    ],
    "5002": [
        folder(51, "Unassigned", "open", 0, 0, 0, "2026-10-09T09:00:00Z"),
        folder(52, "Mine", "mytickets", 101, 0, 0, "2026-10-13T10:00:00Z"),
        folder(53, "Mine", "mytickets", 102, 1, 0, "2026-10-09T09:00:00Z"),
        folder(54, "Closed", "closed", 0, 1, 0, "2026-10-13T10:00:00Z"),
    ],
}

TEAMS = [
    {"id": 201, "name": "Tier 1", "timezone": "Europe/Paris", "photoUrl": None, "mention": "tier1",
     "initials": "T1", "createdAt": "2026-02-15T09:00:00Z", "updatedAt": "2026-09-05T09:00:00Z"},
]
TEAM_MEMBERS = {"201": [102, 103]}

WORKFLOWS = [
    {"id": 801, "mailboxId": 5001, "type": "automatic", "status": "active", "order": 1,
     "name": "Spam filter", "createdAt": "2026-02-01T10:00:00Z", "modifiedAt": "2026-09-20T10:00:00Z"},
    {"id": 802, "mailboxId": 5002, "type": "manual", "status": "active", "order": 1,
     "name": "Escalate to billing lead", "createdAt": "2026-03-02T10:00:00Z", "modifiedAt": "2026-09-21T10:00:00Z"},
]

# --- conversations and threads ----------------------------------------------


def thread(tid, ttype, at, status, by=None, by_customer=False, customer=None, assigned=None,
           action=None, body=None, state="published", source_type="email", to=None):
    """One thread as GET /v2/conversations/{id}/threads returns it."""
    t = {"id": tid, "type": ttype, "status": status, "state": state, "action": action,
         "body": body if body is not None else ("" if ttype == "lineitem" else f"thread {tid}"),
         "source": {"type": source_type, "via": "customer" if by_customer else "user"},
         "customer": customer_ref(customer) if customer else None,
         "assignedTo": user(assigned) if assigned else None,
         "savedReplyId": None, "to": to or [], "cc": [], "bcc": [],
         "createdAt": at, "openedAt": None,
         "_embedded": {"attachments": []}}
    if by is not None:
        t["createdBy"] = user(by, customer=by_customer)
    return t


def conversation(cid, number, ctype, mailbox, subject, customer, created_by, by_customer, created_at,
                 status, assignee, closed_by, closed_at, user_updated_at, waiting_since, latest_from,
                 threads, state="published", tags=(), custom_fields=(), source_type="email"):
    """One conversation as GET /v2/conversations returns it (no embedded threads)."""
    return {
        "id": cid, "number": number, "threads": sum(1 for t in threads if t["type"] != "lineitem"),
        "type": ctype, "folderId": 41 if mailbox == 5001 else 51, "status": status, "state": state,
        "subject": subject, "preview": f"{subject}...", "mailboxId": mailbox,
        "assignee": user(assignee) if assignee else None,
        "createdBy": user(created_by, customer=by_customer),
        "createdAt": created_at,
        "closedBy": closed_by or 0,
        "closedByUser": user(closed_by) if closed_by else None,
        "closedAt": closed_at,
        "userUpdatedAt": user_updated_at,
        "customerWaitingSince": {"time": waiting_since, "friendly": "a while ago", "latestReplyFrom": latest_from},
        "source": {"type": source_type, "via": "customer" if by_customer else "user"},
        "tags": [{"id": 900 + i, "color": "#a5b2bd", "tag": t} for i, t in enumerate(tags)],
        "cc": [], "bcc": [],
        "primaryCustomer": user(customer, customer=True),
        "customFields": list(custom_fields),
    }


def build_conversations():
    convs, threads = [], {}

    # C1: email, Support, customer 301; assigned to Uma by Adam; two replies; closed by Uma.
    t = [
        thread(70011, "customer", "2026-10-05T09:00:00Z", "active", by=301, by_customer=True, customer=301),
        thread(70012, "lineitem", "2026-10-05T09:10:00Z", "nochange", by=102, customer=301, assigned=103),
        thread(70013, "message", "2026-10-05T10:00:00Z", "pending", by=103, customer=301, assigned=103,
               to=["carla@example.com"]),
        thread(70014, "customer", "2026-10-05T12:00:00Z", "active", by=301, by_customer=True, customer=301,
               assigned=103),
        thread(70015, "message", "2026-10-05T13:00:00Z", "closed", by=103, customer=301, assigned=103,
               to=["carla@example.com"]),
    ]
    threads["9001"] = t
    convs.append(conversation(9001, 1001, "email", 5001, "Cannot log in", 301, 301, True,
                              "2026-10-05T09:00:00Z", "closed", 103, 103, "2026-10-05T13:00:00Z",
                              "2026-10-05T13:00:00Z", "2026-10-05T12:00:00Z", "user", t,
                              tags=["login", "vip"],
                              custom_fields=[{"id": 61, "name": "Priority", "value": "611", "text": "High"}]))

    # C2: Beacon chat, Support, customer 302; Adam answers twice; chat ended (closed) by Adam.
    t = [
        thread(70021, "chat", "2026-10-06T14:00:00Z", "active", by=302, by_customer=True, customer=302,
               source_type="chat"),
        thread(70022, "chat", "2026-10-06T14:02:00Z", "nochange", by=102, customer=302, assigned=102,
               source_type="chat"),
        thread(70023, "chat", "2026-10-06T14:05:00Z", "nochange", by=302, by_customer=True, customer=302,
               assigned=102, source_type="chat"),
        thread(70024, "chat", "2026-10-06T14:06:00Z", "nochange", by=102, customer=302, assigned=102,
               source_type="chat"),
        thread(70025, "lineitem", "2026-10-06T14:10:00Z", "closed", by=102, customer=302, assigned=102,
               source_type="chat"),
    ]
    threads["9002"] = t
    convs.append(conversation(9002, 1002, "chat", 5001, "Chat with Dan", 302, 302, True,
                              "2026-10-06T14:00:00Z", "closed", 102, 102, "2026-10-06T14:10:00Z",
                              "2026-10-06T14:10:00Z", "2026-10-06T14:05:00Z", "user", t, source_type="beacon"))

    # C3: phone, Support, started by Uma (logged call with customer 303), then a note; still active.
    t = [
        thread(70031, "phone", "2026-10-07T10:00:00Z", "active", by=103, customer=303, assigned=103,
               source_type="phone"),
        thread(70032, "note", "2026-10-07T10:30:00Z", "nochange", by=103, customer=303, assigned=103,
               source_type="web"),
    ]
    threads["9003"] = t
    convs.append(conversation(9003, 1003, "phone", 5001, "Phone: invoice question", 303, 103, False,
                              "2026-10-07T10:00:00Z", "active", 103, None, None,
                              "2026-10-07T10:30:00Z", "2026-10-07T10:00:00Z", "user", t, source_type="phone"))

    # C4: email, Billing, customer 304; note, reply+close by Adam, reopened by the customer, Adam replies (pending).
    t = [
        thread(70041, "customer", "2026-10-08T08:00:00Z", "active", by=304, by_customer=True, customer=304),
        thread(70042, "note", "2026-10-08T08:30:00Z", "nochange", by=102, customer=304, source_type="web"),
        thread(70043, "message", "2026-10-08T09:00:00Z", "closed", by=102, customer=304, assigned=102,
               to=["frank@example.com"]),
        thread(70044, "customer", "2026-10-09T07:00:00Z", "active", by=304, by_customer=True, customer=304,
               assigned=102),
        thread(70045, "message", "2026-10-09T09:00:00Z", "pending", by=102, customer=304, assigned=102,
               to=["frank@example.com"]),
    ]
    threads["9004"] = t
    convs.append(conversation(9004, 1004, "email", 5002, "Refund not received", 304, 304, True,
                              "2026-10-08T08:00:00Z", "pending", 102, None, None,
                              "2026-10-09T09:00:00Z", "2026-10-09T07:00:00Z", "user", t, tags=["refund"]))

    # C5: spam, Support, customer 301; an automatic workflow marks it spam (no createdBy on that line item).
    t = [
        thread(70051, "customer", "2026-10-10T03:00:00Z", "active", by=301, by_customer=True, customer=301),
        thread(70052, "lineitem", "2026-10-10T03:00:05Z", "spam", customer=301,
               action={"type": "automatic-workflow", "text": "Workflow Spam filter ran",
                       "associatedEntities": {"workflow": 801}}),
    ]
    threads["9005"] = t
    convs.append(conversation(9005, 1005, "email", 5001, "WIN A PRIZE", 301, 301, True,
                              "2026-10-10T03:00:00Z", "spam", None, None, None,
                              "2026-10-10T03:00:05Z", "2026-10-10T03:00:00Z", "customer", t))

    # C6: deleted (state), Support, customer 302; Uma replied and closed before it was deleted.
    t = [
        thread(70061, "customer", "2026-10-11T11:00:00Z", "active", by=302, by_customer=True, customer=302),
        thread(70062, "message", "2026-10-11T12:00:00Z", "closed", by=103, customer=302, assigned=103),
    ]
    threads["9006"] = t
    convs.append(conversation(9006, 1006, "email", 5001, "Duplicate request", 302, 302, True,
                              "2026-10-11T11:00:00Z", "closed", 103, 103, "2026-10-11T12:00:00Z",
                              "2026-10-11T12:00:00Z", "2026-10-11T11:00:00Z", "user", t, state="deleted"))

    # C7: outbound email by Olivia to customer 303 (Billing); customer answers; Olivia replies and closes.
    t = [
        thread(70071, "message", "2026-10-12T15:00:00Z", "pending", by=101, customer=303, assigned=101,
               to=["eve@example.com"]),
        thread(70072, "customer", "2026-10-13T09:00:00Z", "active", by=303, by_customer=True, customer=303,
               assigned=101),
        thread(70073, "message", "2026-10-13T10:00:00Z", "closed", by=101, customer=303, assigned=101,
               to=["eve@example.com"]),
    ]
    threads["9007"] = t
    convs.append(conversation(9007, 1007, "email", 5002, "Your renewal", 303, 101, False,
                              "2026-10-12T15:00:00Z", "closed", 101, 101, "2026-10-13T10:00:00Z",
                              "2026-10-13T10:00:00Z", "2026-10-13T09:00:00Z", "user", t))
    return convs, threads


def rating(number, threadid, thread_at, conv, ctype, rating_id, cust, comments, at, uid):
    """One row of GET /v2/reports/happiness/ratings `results` (ratingId 1 great, 2 okay, 3 not good)."""
    c, u = CUSTOMERS[cust], USERS[uid]
    return {"number": number, "threadid": threadid, "threadCreatedAt": thread_at, "id": conv, "type": ctype,
            "ratingId": rating_id, "ratingCustomerId": cust, "ratingComments": comments,
            "ratingCreatedAt": at, "ratingCustomerName": f"{c['first']} {c['last']}",
            "ratingUserId": uid, "ratingUserName": f"{u['first']} {u['last']}"}


RATINGS = [
    rating(1001, 70015, "2026-10-05T13:00:00Z", 9001, "email", 1, 301, "Quick fix, thanks!", "2026-10-05T14:00:00Z", 103),
    rating(1002, 70024, "2026-10-06T14:06:00Z", 9002, "chat", 2, 302, "", "2026-10-06T14:20:00Z", 102),
    rating(1004, 70043, "2026-10-08T09:00:00Z", 9004, "email", 3, 304, "Still no refund", "2026-10-08T10:00:00Z", 102),
    rating(1007, 70073, "2026-10-13T10:00:00Z", 9007, "email", 1, 303, "Thanks Olivia", "2026-10-13T11:00:00Z", 101),
]


def revision2():
    """What changed by November: C3 answered and closed, a new chat C8, a rating, Uma renamed."""
    c3_threads = [
        thread(70033, "customer", "2026-10-20T09:00:00Z", "nochange", by=303, by_customer=True, customer=303,
               assigned=103),
        thread(70034, "message", "2026-10-20T10:00:00Z", "closed", by=103, customer=303, assigned=103,
               to=["eve@example.com"]),
    ]
    all_c3 = build_conversations()[1]["9003"] + c3_threads
    c3 = conversation(9003, 1003, "phone", 5001, "Phone: invoice question", 303, 103, False,
                      "2026-10-07T10:00:00Z", "closed", 103, 103, "2026-10-20T10:00:00Z",
                      "2026-10-20T10:00:00Z", "2026-10-20T09:00:00Z", "user", all_c3, source_type="phone")
    c8_threads = [
        thread(70081, "chat", "2026-10-25T16:00:00Z", "active", by=304, by_customer=True, customer=304,
               source_type="chat"),
        thread(70082, "chat", "2026-10-25T16:01:00Z", "nochange", by=103, customer=304, assigned=103,
               source_type="chat"),
        thread(70083, "lineitem", "2026-10-25T16:05:00Z", "closed", by=103, customer=304, assigned=103,
               source_type="chat"),
    ]
    c8 = conversation(9008, 1008, "chat", 5001, "Chat with Frank", 304, 304, True,
                      "2026-10-25T16:00:00Z", "closed", 103, 103, "2026-10-25T16:05:00Z",
                      "2026-10-25T16:05:00Z", "2026-10-25T16:00:00Z", "user", c8_threads, source_type="beacon")
    uma = dict(users_json()[2])
    uma.update(lastName="Ueda-Smith", initials="US", updatedAt="2026-10-22T08:00:00Z")
    frank = dict(customers_json()[3])
    frank.update(updatedAt="2026-10-25T16:00:00Z")
    return {
        "_doc": "Overlay applied by fixture_server.py --revision 2: records replace those with the same id "
                "(threads: the whole list of that conversation), new ids are added.",
        "users": [uma],
        "customers": [frank],
        "conversations": [c3, c8],
        "threads": {"9003": all_c3, "9008": c8_threads},
        "happiness_ratings": [
            rating(1008, 70082, "2026-10-25T16:01:00Z", 9008, "chat", 1, 304, "Fast!", "2026-10-25T16:10:00Z", 103),
        ],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    convs, threads = build_conversations()
    files = {
        "oauth.json": {"_doc": "Credentials the token endpoint accepts (the tap's config must carry them).",
                       "client_id": "fixture-client-id", "client_secret": "fixture-client-secret",
                       "expires_in": 7200},
        "server.json": {"_doc": "Page sizes (the real API uses 25 for conversations, 50 elsewhere); "
                                "small here so that the tap must follow several pages.",
                        "page_size": {"conversations": 4, "threads": 3, "happiness_ratings": 3,
                                      "customers": 3, "default": 50}},
        "mailboxes.json": MAILBOXES,
        "mailbox_fields.json": MAILBOX_FIELDS,
        "mailbox_folders.json": MAILBOX_FOLDERS,
        "users.json": users_json(),
        "teams.json": TEAMS,
        "team_members.json": TEAM_MEMBERS,
        "customers.json": customers_json(),
        "conversations.json": convs,
        "threads.json": threads,
        "happiness_ratings.json": RATINGS,
        "workflows.json": WORKFLOWS,
        "revision2.json": revision2(),
    }
    for name, data in files.items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
    print(f"wrote {len(files)} files to {OUT}")


if __name__ == "__main__":
    main()
