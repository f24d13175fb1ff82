-- deskql metric library: fact layer. One row per thread, per user reply and
-- per conversation, for every account, as of a snapshot. Reports filter these
-- by account, scope and period; every metric is defined on these facts.
--
-- Each fact has a macro `<fact>_at(snap)` (NULL: the session's pinned or the
-- latest snapshot) and a view `<fact>` reading the session's snapshot.
--
-- 1.2.0: the same definitions as 1.0.0; the macros also take an optional
-- activity window (`active_from`, `active_to`: UTC instants) that keeps only
-- the conversations active in it (`metrics.active_conversations`), so that a
-- report's cost follows the activity of its period, not the account's
-- whole history. Their figures for instants in the window are unchanged.
--
-- 1.3.0: the same facts, and with `office_hours := true` the office-time
-- twins of their durations (`office_*` columns, NULL otherwise), in the
-- schedule of the account or of `team` (see 16_office_hours.sql). The
-- calendar columns are unchanged.

--- The thread facts of `metrics.fact_threads_at` without the office-time
--- column: what the other fact macros build on, so that a report in
--- calendar time plans no office-hours code. Same arguments but
--- `office_hours` and `team`.
CREATE OR REPLACE MACRO metrics.fact_threads_calendar_at(snap, account := NULL, active_from := NULL, active_to := NULL) AS TABLE
WITH classified AS (
    SELECT t.account_id,
           t.conversation_id,
           t.thread_id,
           t.type,
           t.actor_type,
           t.actor_id,
           t.created_at,
           t.status,
           t.assigned_to,
           c.channel,
           (t.actor_type = 'user' AND t.type IN ('reply', 'chat', 'phone')) AS is_reply,
           (t.actor_type = 'customer') AS is_customer_message,
           (t.actor_type = 'user' AND t.type IN ('reply', 'chat', 'phone')) OR t.actor_type = 'customer' AS is_message,
           (t.status = 'closed') AS closes
    FROM main.threads_at(metrics.snapshot_seq(snap)) AS t
    JOIN main.conversations_at(metrics.snapshot_seq(snap)) AS c USING (account_id, conversation_id)
    WHERE c.state = 'published' AND c.status <> 'spam'
      AND (account IS NULL OR t.account_id = account)
      AND (account IS NULL OR c.account_id = account)
      AND (active_from IS NULL
           OR (t.account_id, t.conversation_id) IN (SELECT account_id, conversation_id
                                                   FROM metrics.active_conversations(snap, account, active_from, active_to)))
),
ordered AS (
    SELECT *,
           row_number() OVER conversation_order AS thread_index,
           count(*) FILTER (WHERE is_reply) OVER conversation_order AS replies_so_far
    FROM classified
    WINDOW conversation_order AS (PARTITION BY account_id, conversation_id ORDER BY created_at, thread_id
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
waits AS (
    -- customer messages grouped by the replies before them: the messages of
    -- group k are the wait that reply number k + 1 answers
    SELECT account_id, conversation_id, replies_so_far AS replies_before, min(created_at) AS wait_started_at
    FROM ordered
    WHERE is_customer_message
    GROUP BY account_id, conversation_id, replies_so_far
)
SELECT o.account_id, o.conversation_id, o.thread_id, o.type, o.actor_type, o.actor_id, o.created_at, o.status, o.assigned_to, o.channel,
       o.is_reply, o.is_customer_message, o.is_message, o.closes, o.thread_index, o.replies_so_far,
       CASE WHEN o.is_reply THEN o.replies_so_far END AS reply_number,
       w.wait_started_at,
       metrics.seconds_between(w.wait_started_at, o.created_at) AS response_seconds
FROM ordered AS o
LEFT JOIN waits AS w
       ON o.is_reply AND w.account_id = o.account_id AND w.conversation_id = o.conversation_id AND w.replies_before = o.replies_so_far - 1;

--- One row per thread (conversation event) of a published, non-spam
--- conversation, in conversation order (`created_at`, then `thread_id`), with
--- its classification:
--- - `is_reply`: a user's reply, chat message or phone note (type 'reply',
---   'chat' or 'phone' by actor_type 'user'). Notes, line items, status
---   changes and assignments are not replies.
--- - `is_customer_message`: any thread by the customer (actor_type 'customer').
--- - `is_message`: a reply or a customer message (bots and workflows excluded).
--- - `closes`: the thread set the status to 'closed'.
--- - `thread_index`: 1-based position in the conversation; `replies_so_far`:
---   user replies up to and including this thread; `reply_number`: for a
---   reply, that same count (1 = the conversation's first reply).
--- - For a reply, the customer wait it answers: `wait_started_at`, the
---   earliest customer message after the previous reply (or since the
---   conversation began, for the first reply) and before this one, and
---   `response_seconds`, from then to this reply (its response time). Both
---   NULL when no customer message is waiting (a follow-up, or an outbound
---   conversation a user started), and for other threads.
--- - With `office_hours := true`, `office_response_seconds`: the office
---   time of that wait (`metrics.office_clock` of the account's schedule, or
---   `team`'s when it has one: open seconds in [wait_started_at, reply));
---   NULL otherwise and wherever `response_seconds` is NULL.
--- `account` (optional) keeps one account's threads only; `active_from` and
--- `active_to` (optional) only those of conversations active in that window.
CREATE OR REPLACE MACRO metrics.fact_threads_at(snap, account := NULL, active_from := NULL, active_to := NULL,
                                                 office_hours := false, team := NULL) AS TABLE
WITH threads AS (
    SELECT * FROM metrics.fact_threads_calendar_at(snap, account := account, active_from := active_from, active_to := active_to)
),
clock AS MATERIALIZED (
    -- the office clock over the account's threads (its whole history, read
    -- from the base table rather than from `threads`, which the calendar
    -- branch would then plan again); empty unless office_hours (a NULL range
    -- has no days)
    SELECT * FROM metrics.office_clock((SELECT min(x.created_at) FROM main.threads_at(metrics.snapshot_seq(snap)) AS x
                                        WHERE coalesce(office_hours, false) AND (account IS NULL OR x.account_id = account)),
                                       (SELECT max(x.created_at) + INTERVAL 1 SECOND FROM main.threads_at(metrics.snapshot_seq(snap)) AS x
                                        WHERE coalesce(office_hours, false) AND (account IS NULL OR x.account_id = account)),
                                       account := account, team := team, snap := snap)
)
-- two branches, one of which a constant flag removes before the query runs:
-- without office hours, no clock and no ASOF join are computed
SELECT t.*, CAST(NULL AS DOUBLE) AS office_response_seconds
FROM threads AS t
WHERE NOT coalesce(office_hours, false)
UNION ALL
SELECT t.*,
       CASE WHEN t.response_seconds IS NOT NULL
            THEN (metrics.office_clock_us(t.created_at, cb.opens_at, cb.closes_at, cb.open_before_us)
                  - metrics.office_clock_us(t.wait_started_at, ca.opens_at, ca.closes_at, ca.open_before_us)) / 1000000
       END AS office_response_seconds
FROM threads AS t
ASOF LEFT JOIN clock AS ca ON ca.account_id = t.account_id AND t.wait_started_at >= ca.opens_at
ASOF LEFT JOIN clock AS cb ON cb.account_id = t.account_id AND t.created_at >= cb.opens_at
WHERE coalesce(office_hours, false);

--- One row per user reply (see `fact_threads.is_reply`): `user_id`, `channel`,
--- `created_at`, `reply_number` and the customer wait it answers
--- (`wait_started_at`, `response_seconds`), as in `fact_threads`.
--- `account`, `active_from`, `active_to`, `office_hours`, `team` (optional)
--- as in `fact_threads_at`, which gives `office_response_seconds`.
CREATE OR REPLACE MACRO metrics.fact_replies_at(snap, account := NULL, active_from := NULL, active_to := NULL,
                                                 office_hours := false, team := NULL) AS TABLE
SELECT account_id, conversation_id, thread_id, actor_id AS user_id, type, channel, created_at, thread_index,
       reply_number, wait_started_at, response_seconds, office_response_seconds
FROM metrics.fact_threads_at(snap, account := account, active_from := active_from, active_to := active_to,
                             office_hours := office_hours, team := team)
WHERE is_reply;

--- One row per published, non-spam conversation with its life as of the
--- snapshot:
--- - `replies`: user replies; `messages`: replies plus customer messages;
---   `first_message_at` / `last_message_at`: first and last of those.
--- - `first_reply_at`, `first_reply_user_id`: the first user reply;
---   `first_response_seconds`: its response time (`fact_threads`), from the
---   first customer message to the first reply; NULL when no customer
---   message came before the first reply (a user started it).
--- - `last_closed_at`: the last status change to 'closed' (NULL if never).
--- - Resolution: a conversation is resolved when its current status is
---   'closed' and at least one user reply came before its last close;
---   `resolved_at` is that last close (so a reopened conversation is resolved
---   again, and counted once, when it is closed again; one that is open now is
---   not resolved). `replies_to_resolve`: user replies before `resolved_at`;
---   `resolved_on_first_reply`: exactly one; `resolution_seconds`: from
---   `created_at` to `resolved_at`; `resolver_user_id`: the user who sent the
---   last reply up to the closing thread (a reply that closes counts), who a
---   resolution counts for in user reports, whoever set the status.
--- - With `office_hours := true` (and `team` as in `fact_threads_at`), the
---   office-time twins: `office_first_response_seconds` (the first reply's
---   wait in office time, as its `office_response_seconds` in
---   `fact_threads`), `office_resolution_seconds` (open seconds
---   from `created_at` to `resolved_at`) and `office_first_reply_wait_seconds`
---   (from `created_at` to `first_reply_at`: a chat's wait time); NULL
---   otherwise and wherever the calendar figure is undefined.
--- `account`, `active_from`, `active_to` (optional) as in `fact_threads_at`.
CREATE OR REPLACE MACRO metrics.fact_conversations_at(snap, account := NULL, active_from := NULL, active_to := NULL,
                                                       office_hours := false, team := NULL) AS TABLE
WITH threads AS (SELECT * FROM metrics.fact_threads_calendar_at(snap, account := account, active_from := active_from, active_to := active_to)),
per_conversation AS (
    SELECT account_id,
           conversation_id,
           count(*) FILTER (WHERE is_reply) AS replies,
           count(*) FILTER (WHERE is_message) AS messages,
           min(created_at) FILTER (WHERE is_message) AS first_message_at,
           max(created_at) FILTER (WHERE is_message) AS last_message_at,
           min(created_at) FILTER (WHERE is_reply) AS first_reply_at,
           arg_min(actor_id, thread_index) FILTER (WHERE is_reply) AS first_reply_user_id,
           any_value(response_seconds) FILTER (WHERE reply_number = 1) AS first_response_seconds,
           any_value(wait_started_at) FILTER (WHERE reply_number = 1) AS first_wait_started_at,
           max(created_at) FILTER (WHERE closes) AS last_closed_at,
           max(thread_index) FILTER (WHERE closes) AS last_close_index,
           arg_max(replies_so_far, thread_index) FILTER (WHERE closes) AS replies_before_last_close
    FROM threads
    GROUP BY account_id, conversation_id
),
resolvers AS (
    SELECT t.account_id, t.conversation_id, arg_max(t.actor_id, t.thread_index) AS resolver_user_id
    FROM threads AS t
    JOIN per_conversation AS p USING (account_id, conversation_id)
    WHERE t.is_reply AND t.thread_index <= p.last_close_index
    GROUP BY t.account_id, t.conversation_id
),
facts AS (
    SELECT c.account_id,
       c.conversation_id,
       c.number,
       c.inbox_id,
       c.channel,
       c.customer_id,
       c.subject,
       c.status,
       c.created_at,
       c.created_by_type,
       c.created_by_id,
       c.assignee_id,
       c.tags,
       coalesce(p.replies, 0) AS replies,
       coalesce(p.messages, 0) AS messages,
       p.first_message_at,
       p.last_message_at,
       p.first_reply_at,
       p.first_reply_user_id,
       p.first_response_seconds,
       p.last_closed_at,
       (c.status = 'closed' AND p.replies_before_last_close >= 1) AS is_resolved,
       CASE WHEN c.status = 'closed' AND p.replies_before_last_close >= 1 THEN p.last_closed_at END AS resolved_at,
       CASE WHEN c.status = 'closed' AND p.replies_before_last_close >= 1 THEN p.replies_before_last_close END AS replies_to_resolve,
       CASE WHEN c.status = 'closed' AND p.replies_before_last_close >= 1 THEN p.replies_before_last_close = 1 END AS resolved_on_first_reply,
       CASE WHEN c.status = 'closed' AND p.replies_before_last_close >= 1
            THEN metrics.seconds_between(c.created_at, p.last_closed_at) END AS resolution_seconds,
       CASE WHEN c.status = 'closed' AND p.replies_before_last_close >= 1 THEN r.resolver_user_id END AS resolver_user_id,
       p.first_wait_started_at
FROM main.conversations_at(metrics.snapshot_seq(snap)) AS c
LEFT JOIN per_conversation AS p USING (account_id, conversation_id)
LEFT JOIN resolvers AS r USING (account_id, conversation_id)
WHERE c.state = 'published' AND c.status <> 'spam'
  AND (account IS NULL OR c.account_id = account)
  AND (active_from IS NULL
       OR (c.account_id, c.conversation_id) IN (SELECT account_id, conversation_id
                                               FROM metrics.active_conversations(snap, account, active_from, active_to)))
),
span AS (
    -- the instants the office clock must hold (creations, first replies and
    -- resolutions, which are threads' instants): the account's whole
    -- history, from the base tables, and only with office hours
    SELECT least(min(x.created_at), (SELECT min(y.created_at) FROM main.threads_at(metrics.snapshot_seq(snap)) AS y
                                     WHERE account IS NULL OR y.account_id = account)) AS span_from,
           greatest(max(x.created_at), (SELECT max(y.created_at) FROM main.threads_at(metrics.snapshot_seq(snap)) AS y
                                        WHERE account IS NULL OR y.account_id = account)) + INTERVAL 1 SECOND AS span_to
    FROM main.conversations_at(metrics.snapshot_seq(snap)) AS x
    WHERE coalesce(office_hours, false) AND (account IS NULL OR x.account_id = account)
),
clock AS MATERIALIZED (
    -- empty unless office_hours (a NULL range has no days)
    SELECT * FROM metrics.office_clock((SELECT span_from FROM span), (SELECT span_to FROM span), account := account, team := team, snap := snap)
)
-- two branches, one of which a constant flag removes before the query runs
SELECT f.* EXCLUDE (first_wait_started_at), CAST(NULL AS DOUBLE) AS office_first_response_seconds,
       CAST(NULL AS DOUBLE) AS office_resolution_seconds, CAST(NULL AS DOUBLE) AS office_first_reply_wait_seconds
FROM facts AS f
WHERE NOT coalesce(office_hours, false)
UNION ALL
SELECT f.* EXCLUDE (first_wait_started_at),
       CASE WHEN f.first_response_seconds IS NOT NULL
            THEN (metrics.office_clock_us(f.first_reply_at, cf.opens_at, cf.closes_at, cf.open_before_us)
                  - metrics.office_clock_us(f.first_wait_started_at, cw.opens_at, cw.closes_at, cw.open_before_us)) / 1000000
       END AS office_first_response_seconds,
       CASE WHEN f.is_resolved
            THEN (metrics.office_clock_us(f.resolved_at, cr.opens_at, cr.closes_at, cr.open_before_us)
                  - metrics.office_clock_us(f.created_at, cc.opens_at, cc.closes_at, cc.open_before_us)) / 1000000
       END AS office_resolution_seconds,
       CASE WHEN f.first_reply_at IS NOT NULL
            THEN (metrics.office_clock_us(f.first_reply_at, cf.opens_at, cf.closes_at, cf.open_before_us)
                  - metrics.office_clock_us(f.created_at, cc.opens_at, cc.closes_at, cc.open_before_us)) / 1000000
       END AS office_first_reply_wait_seconds
FROM facts AS f
ASOF LEFT JOIN clock AS cc ON cc.account_id = f.account_id AND f.created_at >= cc.opens_at
ASOF LEFT JOIN clock AS cr ON cr.account_id = f.account_id AND f.resolved_at >= cr.opens_at
ASOF LEFT JOIN clock AS cf ON cf.account_id = f.account_id AND f.first_reply_at >= cf.opens_at
ASOF LEFT JOIN clock AS cw ON cw.account_id = f.account_id AND f.first_wait_started_at >= cw.opens_at
WHERE coalesce(office_hours, false);

--- `metrics.fact_threads_at` for the session's snapshot.
CREATE OR REPLACE VIEW metrics.fact_threads AS SELECT * FROM metrics.fact_threads_at(NULL);
--- `metrics.fact_replies_at` for the session's snapshot.
CREATE OR REPLACE VIEW metrics.fact_replies AS SELECT * FROM metrics.fact_replies_at(NULL);
--- `metrics.fact_conversations_at` for the session's snapshot.
CREATE OR REPLACE VIEW metrics.fact_conversations AS SELECT * FROM metrics.fact_conversations_at(NULL);
