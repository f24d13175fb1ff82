#!/usr/bin/env python3
"""A stand-in for the Help Scout Mailbox API 2.0, served from fixtures/*.json.

Standard library only. Binds 127.0.0.1 (never another address):

    python3 fixture_server.py PORT [--fixtures DIR] [--revision 1|2] [--port-file F] [--log F]

PORT 0 picks a free port. The chosen port is printed alone on the first line
of stdout (and written to --port-file), so scripts can read it; request logs
go to stderr and, one JSON object a line, to --log.

What it serves -- every endpoint tap-helpscout 1.2.2 calls, in the documented
shapes (developer.helpscout.com/mailbox-api/):

  POST /v2/oauth2/token                 refresh-token grant -> {access_token, refresh_token, expires_in}
  GET  /v2/mailboxes                    HAL: _embedded.mailboxes + page
  GET  /v2/mailboxes/{id}/fields        HAL: _embedded.fields
  GET  /v2/mailboxes/{id}/folders       HAL: _embedded.folders
  GET  /v2/users                        HAL: _embedded.users
  GET  /v2/teams                        HAL: _embedded.teams
  GET  /v2/teams/{id}/members           HAL: _embedded.users (user objects)
  GET  /v2/customers                    HAL: _embedded.customers; modifiedSince, sortField/sortOrder
  GET  /v2/conversations                HAL: _embedded.conversations; status (default active), modifiedSince,
                                        sortField/sortOrder
  GET  /v2/conversations/{id}/threads   HAL: _embedded.threads, newest first (documented default)
  GET  /v2/reports/happiness/ratings    {results, page, count, pages}; start and end required
  GET  /v2/workflows                    HAL: _embedded.workflows

HAL list responses carry `_embedded.<key>`, `_links` (self/first/last/next/
previous/page) and `page` {size, totalElements, totalPages, number}; every item
gets `_links.self`. Page sizes come from fixtures/server.json (small, so the
tap has to follow pages). Every GET needs `Authorization: Bearer <token>` with
a token this server issued (401 otherwise, like the API).

--standard-plan answers the reports endpoint with 403, as the API does for
accounts on the Standard plan ("The reporting endpoints are only available to
Plus and Pro plans").

--revision 2 applies fixtures/revision2.json on top of the base fixtures: the
same account some weeks later, for the incremental run.
"""
import argparse
import copy
import json
import os
import re
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_ts(value):
    """ISO 8601 instant (Z or offset) -> aware datetime; None stays None."""
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


class Data:
    """The fixture account, loaded once (and overlaid with revision 2 if asked)."""

    def __init__(self, directory, revision):
        def load(name):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                return json.load(f)

        self.oauth = load("oauth.json")
        self.page_size = load("server.json")["page_size"]
        self.mailboxes = load("mailboxes.json")
        self.mailbox_fields = load("mailbox_fields.json")
        self.mailbox_folders = load("mailbox_folders.json")
        self.users = load("users.json")
        self.teams = load("teams.json")
        self.team_members = load("team_members.json")
        self.customers = load("customers.json")
        self.conversations = load("conversations.json")
        self.threads = load("threads.json")
        self.ratings = load("happiness_ratings.json")
        self.workflows = load("workflows.json")
        if revision >= 2:
            self.overlay(load("revision2.json"))

    def overlay(self, rev):
        def upsert(records, changes, key):
            by_key = {key(r): i for i, r in enumerate(records)}
            for change in changes:
                if key(change) in by_key:
                    records[by_key[key(change)]] = change
                else:
                    records.append(change)

        ident = lambda r: r["id"]
        upsert(self.users, rev.get("users", []), ident)
        upsert(self.customers, rev.get("customers", []), ident)
        upsert(self.conversations, rev.get("conversations", []), ident)
        self.threads.update(rev.get("threads", {}))
        upsert(self.ratings, rev.get("happiness_ratings", []),
               lambda r: (r["id"], r["ratingCustomerId"], r["ratingCreatedAt"]))

    def size(self, name):
        return self.page_size.get(name, self.page_size["default"])


def conversation_modified_at(conv, threads):
    """What modifiedSince compares with: the latest change we know of."""
    instants = [conv.get("createdAt"), conv.get("userUpdatedAt"), conv.get("closedAt"),
                (conv.get("customerWaitingSince") or {}).get("time")]
    instants += [t.get("createdAt") for t in threads]
    return max(parse_ts(i) for i in instants if i)


class Handler(BaseHTTPRequestHandler):
    server_version = "helpscout-fixture/1"
    protocol_version = "HTTP/1.1"

    # -- plumbing -------------------------------------------------------------

    def log_message(self, fmt, *args):  # quiet default logging; we log ourselves
        pass

    def record(self, status):
        entry = {"method": self.command, "path": urlsplit(self.path).path,
                 "query": urlsplit(self.path).query, "status": status}
        sys.stderr.write(f"fixture-server: {self.command} {self.path} -> {status}\n")
        if self.server.log_file:
            with self.server.log_lock, open(self.server.log_file, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def send_json(self, status, body, content_type="application/hal+json"):
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type};charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.record(status)

    def error(self, status, message):
        self.send_json(status, {"error": message, "_embedded": {"errors": []}}, "application/vnd.error+json")

    def base(self):
        host = self.headers.get("Host", f"127.0.0.1:{self.server.server_address[1]}")
        return f"http://{host}/v2"

    def query(self):
        # The tap sends its query string unencoded (e.g. modifiedSince=2026-01-01T00:00:00Z);
        # parse_qs keeps blank values out and decodes what is encoded.
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=False).items()}

    # -- HAL ------------------------------------------------------------------

    def hal_page(self, key, items, size, path, link_item):
        q = self.query()
        try:
            number = max(1, int(q.get("page", "1")))
        except ValueError:
            return self.error(400, "page must be a number")
        total = len(items)
        total_pages = (total + size - 1) // size
        chunk = copy.deepcopy(items[(number - 1) * size: number * size])
        for item in chunk:
            item["_links"] = {"self": {"href": f"{self.base()}{link_item(item)}"}}
        url = f"{self.base()}{path}"
        links = {"self": {"href": f"{url}?page={number}"}, "first": {"href": f"{url}?page=1"},
                 "last": {"href": f"{url}?page={max(total_pages, 1)}"},
                 "page": {"href": f"{url}{{?page}}", "templated": True}}
        if number < total_pages:
            links["next"] = {"href": f"{url}?page={number + 1}"}
        if number > 1:
            links["previous"] = {"href": f"{url}?page={number - 1}"}
        body = {"_embedded": {key: chunk}, "_links": links,
                "page": {"size": size, "totalElements": total, "totalPages": total_pages, "number": number}}
        self.send_json(200, body)

    # -- auth -----------------------------------------------------------------

    def do_POST(self):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", "0") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        if path != "/v2/oauth2/token":
            return self.error(404, f"no POST endpoint {path} here")
        form = {k: v[-1] for k, v in parse_qs(raw).items()}
        oauth = self.server.data.oauth
        if form.get("grant_type") != "refresh_token":
            return self.send_json(400, {"error": "unsupported_grant_type"}, "application/json")
        if form.get("client_id") != oauth["client_id"] or form.get("client_secret") != oauth["client_secret"]:
            return self.send_json(401, {"error": "invalid_client"}, "application/json")
        if not form.get("refresh_token"):
            return self.send_json(400, {"error": "invalid_grant"}, "application/json")
        with self.server.token_lock:
            self.server.token_serial += 1
            n = self.server.token_serial
            access = f"fixture-access-token-{n}"
            self.server.tokens.add(access)
        self.send_json(200, {"token_type": "bearer", "access_token": access,
                             "refresh_token": f"fixture-refresh-token-{n}",
                             "expires_in": oauth["expires_in"]}, "application/json")

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        return token in self.server.tokens

    # -- GET ------------------------------------------------------------------

    def do_GET(self):
        path = urlsplit(self.path).path.rstrip("/")
        if not self.authorized():
            return self.error(401, "Not Authorized. OAuth2 token is either not provided or not valid.")
        d = self.server.data
        routes = [
            (r"/v2/mailboxes", lambda: self.hal_page("mailboxes", d.mailboxes, d.size("mailboxes"),
                                                     "/mailboxes", lambda i: f"/mailboxes/{i['id']}")),
            (r"/v2/mailboxes/(\d+)/fields", self.mailbox_child("fields", d.mailbox_fields)),
            (r"/v2/mailboxes/(\d+)/folders", self.mailbox_child("folders", d.mailbox_folders)),
            (r"/v2/users", lambda: self.hal_page("users", d.users, d.size("users"), "/users",
                                                 lambda i: f"/users/{i['id']}")),
            (r"/v2/teams", lambda: self.hal_page("teams", d.teams, d.size("teams"), "/teams",
                                                 lambda i: f"/teams/{i['id']}")),
            (r"/v2/teams/(\d+)/members", self.team_members),
            (r"/v2/customers", self.customers),
            (r"/v2/conversations", self.conversations),
            (r"/v2/conversations/(\d+)/threads", self.threads),
            (r"/v2/reports/happiness/ratings", self.ratings),
            (r"/v2/workflows", lambda: self.hal_page("workflows", d.workflows, d.size("workflows"), "/workflows",
                                                     lambda i: f"/workflows/{i['id']}")),
        ]
        for pattern, handler in routes:
            m = re.fullmatch(pattern, path)
            if m:
                return handler(*m.groups())
        self.error(404, f"Not Found: {path}")

    def mailbox_child(self, key, table):
        def handler(mailbox_id):
            if mailbox_id not in table:
                return self.error(404, f"mailbox {mailbox_id} not found")
            return self.hal_page(key, table[mailbox_id], self.server.data.size(key),
                                 f"/mailboxes/{mailbox_id}/{key}",
                                 lambda i: f"/mailboxes/{mailbox_id}/{key}/{i['id']}")
        return handler

    def team_members(self, team_id):
        d = self.server.data
        if team_id not in d.team_members:
            return self.error(404, f"team {team_id} not found")
        by_id = {u["id"]: u for u in d.users}
        members = [by_id[uid] for uid in d.team_members[team_id]]
        self.hal_page("users", members, d.size("users"), f"/teams/{team_id}/members",
                      lambda i: f"/users/{i['id']}")

    def sort(self, items, fields, default_field, default_order):
        q = self.query()
        field = q.get("sortField", default_field)
        order = q.get("sortOrder", default_order).lower()
        if field not in fields:
            return None
        return sorted(items, key=fields[field], reverse=(order == "desc"))

    def customers(self):
        d = self.server.data
        q = self.query()
        items = d.customers
        if "modifiedSince" in q:
            since = parse_ts(q["modifiedSince"])
            items = [c for c in items if parse_ts(c["updatedAt"]) >= since]
        items = self.sort(items, {"createdAt": lambda c: c["createdAt"], "modifiedAt": lambda c: c["updatedAt"],
                                  "firstName": lambda c: c["firstName"], "lastName": lambda c: c["lastName"]},
                          "createdAt", "desc")
        if items is None:
            return self.error(400, "invalid sortField")
        self.hal_page("customers", items, d.size("customers"), "/customers", lambda i: f"/customers/{i['id']}")

    def conversations(self):
        d = self.server.data
        q = self.query()
        status = q.get("status", "active")  # documented default: only active conversations
        allowed = {"active": {"active"}, "pending": {"pending"}, "closed": {"closed"}, "spam": {"spam"},
                   "open": {"active", "pending"}, "all": None}
        if status not in allowed:
            return self.error(400, f"invalid status {status}")
        items = [c for c in d.conversations if allowed[status] is None or c["status"] in allowed[status]]
        modified = {c["id"]: conversation_modified_at(c, d.threads.get(str(c["id"]), [])) for c in items}
        if "modifiedSince" in q:
            since = parse_ts(q["modifiedSince"])
            items = [c for c in items if modified[c["id"]] >= since]
        items = self.sort(items, {"createdAt": lambda c: c["createdAt"], "modifiedAt": lambda c: modified[c["id"]],
                                  "number": lambda c: c["number"], "status": lambda c: c["status"],
                                  "subject": lambda c: c["subject"], "mailboxid": lambda c: c["mailboxId"]},
                          "createdAt", "desc")
        if items is None:
            return self.error(400, "invalid sortField")
        self.hal_page("conversations", items, d.size("conversations"), "/conversations",
                      lambda i: f"/conversations/{i['id']}")

    def threads(self, conversation_id):
        d = self.server.data
        if conversation_id not in d.threads:
            return self.error(404, f"conversation {conversation_id} not found")
        items = sorted(d.threads[conversation_id], key=lambda t: (t["createdAt"], t["id"]), reverse=True)
        self.hal_page("threads", items, d.size("threads"), f"/conversations/{conversation_id}/threads",
                      lambda i: f"/conversations/{conversation_id}/threads/{i['id']}")

    def ratings(self):
        d = self.server.data
        q = self.query()
        if self.server.standard_plan:
            return self.error(403, "The reporting endpoints are only available to Plus and Pro plans")
        if "start" not in q or "end" not in q:
            return self.error(400, "start and end are required")
        try:
            start, end = parse_ts(q["start"]), parse_ts(q["end"])
            number = max(1, int(q.get("page", "1")))
        except ValueError as e:
            return self.error(400, f"bad parameter: {e}")
        rating_filter = {"great": {1}, "ok": {2}, "not-good": {3}, "all": {1, 2, 3}}.get(q.get("rating", "all"))
        if rating_filter is None:
            return self.error(400, "rating must be one of great, ok, all, not-good")
        items = [r for r in d.ratings
                 if start <= parse_ts(r["ratingCreatedAt"]) < end and r["ratingId"] in rating_filter]
        items.sort(key=lambda r: r["ratingCreatedAt"], reverse=True)
        size = d.size("happiness_ratings")
        pages = (len(items) + size - 1) // size
        body = {"results": items[(number - 1) * size: number * size], "page": number,
                "count": len(items), "pages": pages}
        self.send_json(200, body, "application/json")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("port", type=int, help="TCP port on 127.0.0.1 (0: pick a free one)")
    ap.add_argument("--fixtures", default=os.path.join(HERE, "fixtures"))
    ap.add_argument("--revision", type=int, default=1, choices=(1, 2))
    ap.add_argument("--port-file", help="also write the chosen port here")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--standard-plan", action="store_true", help="403 on the reports endpoint")
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.data = Data(args.fixtures, args.revision)
    server.tokens, server.token_serial, server.token_lock = set(), 0, threading.Lock()
    server.log_file, server.log_lock = args.log, threading.Lock()
    server.standard_plan = args.standard_plan
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    sys.stderr.write(f"fixture-server: listening on http://127.0.0.1:{port} (revision {args.revision})\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
