-- deskql metric library 1.2.0: activity windows, which let the fact layer
-- work on the conversations a report can see instead of an account's whole
-- history.

--- The start of the UTC window that surely holds the local day `day` in
--- any time zone: midnight UTC of the day before (offsets are within -12
--- and +14 hours). With `metrics.window_end`, a superset of any report
--- period's UTC bounds, computed from its arguments alone.
CREATE OR REPLACE MACRO metrics.window_start(day) AS CAST(CAST(day AS DATE) AS TIMESTAMP) - INTERVAL 1 DAY;

--- The end of the UTC window that surely holds every instant before the
--- local day `day` in any time zone: midnight UTC of the day after.
CREATE OR REPLACE MACRO metrics.window_end(day) AS CAST(CAST(day AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY;

--- The conversations active in the UTC window [active_from, active_to), as
--- of the snapshot (one row each: account_id, conversation_id): those with
--- a thread in it or created in it; `account` (optional) keeps one
--- account's. Every figure about instants in the window is a figure about
--- these conversations only (a reply, a close, a resolution, a first
--- response is a thread; a new conversation is created in it).
CREATE OR REPLACE MACRO metrics.active_conversations(snap, account, active_from, active_to) AS TABLE
SELECT t.account_id, t.conversation_id
FROM main.threads_at(metrics.snapshot_seq(snap)) AS t
WHERE (account IS NULL OR t.account_id = account) AND t.created_at >= active_from AND t.created_at < active_to
UNION
SELECT c.account_id, c.conversation_id
FROM main.conversations_at(metrics.snapshot_seq(snap)) AS c
WHERE (account IS NULL OR c.account_id = account) AND c.created_at >= active_from AND c.created_at < active_to;
