-- deskql metric library 1.3.0: the tables of the Company, User and Team
-- reports that Help Scout shows next to the cards: the busiest time (a
-- weekday x hour grid and the busiest two hours), the top users, the most
-- active tags and customers, the ratings list and the activity series by
-- day, week or month.
--
-- Every macro takes the arguments of the report macros (account, date_from,
-- date_to, zone, inboxes, channels, with_tags, viewer, snap) and `users`:
-- NULL for the Company report, the user ids of a User or Team report. Each
-- figure keeps the definition of the card of the same name
-- (`metrics.activity`, `metrics.happiness_metrics`), so that a table's row
-- and the card agree.
--
-- 1.4.0: each table also has an `_of` macro that reads the period's facts
-- computed already (`conversation_facts`, `thread_facts`: see
-- `metrics.activity_of`); the macro of the table's name computes them from
-- the base tables and calls it. The ratings list reads ratings only.

--- `metrics.busy_events` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.busy_events_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
scope AS (
    SELECT c.account_id, c.conversation_id, c.created_at
    FROM query_table(conversation_facts) AS c
)
SELECT metrics.to_local(s.created_at, p.zone_name) AS local_at
FROM scope AS s, p
WHERE users IS NULL AND s.created_at >= p.utc_from AND s.created_at < p.utc_to
UNION ALL
SELECT metrics.to_local(t.created_at, p.zone_name)
FROM query_table(thread_facts) AS t, p
WHERE users IS NOT NULL AND t.is_reply AND list_contains(users, t.actor_id)
  AND t.created_at >= p.utc_from AND t.created_at < p.utc_to;

--- The events the busiest day, hour and time of a report count, one row
--- each with its local time `local_at` in the report's zone: for the
--- company (`users` NULL) the conversations in scope created in the
--- period; for `users`, their replies (`fact_threads.is_reply`) sent in it.
CREATE OR REPLACE MACRO metrics.busy_events(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                             with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH busy_events_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
busy_events_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'busy_events_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.busy_events_of(account, date_from, date_to, 'busy_events_conversation_facts', 'busy_events_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users);

--- `metrics.busiest_time` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.busiest_time_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                 with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH events AS (
    SELECT isodow(local_at) AS weekday, hour(local_at) AS hour_of_day
    FROM metrics.busy_events_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                             with_tags := with_tags, viewer := viewer, snap := snap, users := users)
)
SELECT w.weekday,
       dayname(DATE '2024-01-01' + CAST(w.weekday - 1 AS INTEGER)) AS day,  -- 2024-01-01 is a Monday
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 0) AS h00,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 1) AS h01,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 2) AS h02,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 3) AS h03,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 4) AS h04,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 5) AS h05,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 6) AS h06,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 7) AS h07,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 8) AS h08,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 9) AS h09,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 10) AS h10,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 11) AS h11,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 12) AS h12,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 13) AS h13,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 14) AS h14,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 15) AS h15,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 16) AS h16,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 17) AS h17,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 18) AS h18,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 19) AS h19,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 20) AS h20,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 21) AS h21,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 22) AS h22,
       count(e.hour_of_day) FILTER (WHERE e.hour_of_day = 23) AS h23,
       count(e.hour_of_day) AS total
FROM range(1, 8) AS w(weekday)
LEFT JOIN events AS e ON e.weekday = w.weekday
GROUP BY w.weekday
ORDER BY w.weekday;

--- The Busiest time grid: one row per local weekday (`weekday` 1 = Monday
--- ... 7 = Sunday, `day` its name), with the events of `metrics.busy_events`
--- (new conversations; for `users`, their replies) in each local hour of
--- the day, `h00` (00:00-01:00) ... `h23`, and in the whole day (`total`).
--- Counts over the period, in the report's zone.
CREATE OR REPLACE MACRO metrics.busiest_time(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                              with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH busiest_time_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
busiest_time_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'busiest_time_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.busiest_time_of(account, date_from, date_to, 'busiest_time_conversation_facts', 'busiest_time_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users);

--- `metrics.busiest_range` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.busiest_range_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                  with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
hours AS (
    SELECT hour(local_at) AS hour_of_day, count(*) AS events
    FROM metrics.busy_events_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                             with_tags := with_tags, viewer := viewer, snap := snap, users := users)
    GROUP BY ALL
),
occurrences AS (
    SELECT o.* FROM p, metrics.hour_occurrences(p.utc_from, p.utc_to, p.zone_name, p.taken_at) AS o
),
ranges AS (
    SELECT first.hour_of_day AS from_hour,
           (first.hour_of_day + 2) % 24 AS to_hour,
           coalesce(a.events, 0) + coalesce(b.events, 0) AS events,
           (first.occurrences + coalesce(second.occurrences, 0)) / 2.0 AS days
    FROM occurrences AS first
    LEFT JOIN occurrences AS second ON second.hour_of_day = (first.hour_of_day + 1) % 24
    LEFT JOIN hours AS a ON a.hour_of_day = first.hour_of_day
    LEFT JOIN hours AS b ON b.hour_of_day = (first.hour_of_day + 1) % 24
)
SELECT CAST(from_hour AS INTEGER) AS from_hour, CAST(to_hour AS INTEGER) AS to_hour, CAST(events AS BIGINT) AS events, events / days AS per_day
FROM ranges
WHERE events > 0
ORDER BY events / days DESC, from_hour
LIMIT 1;

--- The busiest two hours of the day (Help Scout's busiest time range): the
--- two consecutive local hours [`from_hour`, `to_hour`) (`to_hour` is
--- `from_hour` + 2, modulo 24: 23:00-01:00 is a range) with the highest
--- average number of events of `metrics.busy_events` per day, where a day
--- is one occurrence of the two hours (`metrics.hour_occurrences`: the
--- repeated hour of a DST change counts twice, the skipped one not at all);
--- `events` is their number in the period, `per_day` that average. Ties go
--- to the earlier range. No row without any event.
CREATE OR REPLACE MACRO metrics.busiest_range(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                               with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH busiest_range_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
busiest_range_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'busiest_range_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.busiest_range_of(account, date_from, date_to, 'busiest_range_conversation_facts', 'busiest_range_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users);

--- `metrics.top_users` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.top_users_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                              with_tags := NULL, viewer := NULL, snap := NULL, users := NULL,
                                           office_hours := false, team := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
conversations AS (
    SELECT * FROM query_table(conversation_facts)
),
period_threads AS MATERIALIZED (
    SELECT t.conversation_id, t.actor_type, t.actor_id, t.is_reply, t.closes, t.response_seconds, t.office_response_seconds, t.customer_id
    FROM query_table(thread_facts) AS t, p
    WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
),
reply_figures AS (
    SELECT actor_id AS user_id, count(*) AS replies, count(DISTINCT customer_id) AS customers_helped, avg(response_seconds) AS response_time,
           avg(office_response_seconds) AS office_response_time
    FROM period_threads
    WHERE is_reply AND (users IS NULL OR list_contains(users, actor_id))
    GROUP BY actor_id
),
close_figures AS (
    SELECT actor_id AS user_id, count(DISTINCT conversation_id) AS closed
    FROM period_threads
    WHERE closes AND actor_type = 'user'
    GROUP BY actor_id
),
first_response_figures AS (
    SELECT c.first_reply_user_id AS user_id, avg(c.first_response_seconds) AS first_response_time,
           avg(c.office_first_response_seconds) AS office_first_response_time
    FROM conversations AS c, p
    WHERE c.first_reply_at >= p.utc_from AND c.first_reply_at < p.utc_to
    GROUP BY c.first_reply_user_id
),
resolution_figures AS (
    SELECT c.resolver_user_id AS user_id, count(*) AS resolved
    FROM conversations AS c, p
    WHERE c.resolved_at >= p.utc_from AND c.resolved_at < p.utc_to
    GROUP BY c.resolver_user_id
),
rating_figures AS (
    SELECT r.user_id,
           count(*) AS ratings,
           100.0 * (count(*) FILTER (WHERE r.rating = 'great') - count(*) FILTER (WHERE r.rating = 'not_good')) / count(*) AS happiness_score
    FROM metrics.period_ratings(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                with_tags := with_tags, viewer := viewer, snap := snap) AS r
    GROUP BY r.user_id
)
SELECT coalesce(u.name, 'user ' || r.user_id) AS user,
       r.replies,
       r.customers_helped,
       coalesce(s.resolved, 0) AS resolved,
       coalesce(k.closed, 0) AS closed,
       r.response_time,
       f.first_response_time,
       coalesce(h.ratings, 0) AS ratings,
       h.happiness_score,
       r.user_id,
       r.office_response_time,
       f.office_first_response_time
FROM reply_figures AS r
LEFT JOIN close_figures AS k USING (user_id)
LEFT JOIN first_response_figures AS f USING (user_id)
LEFT JOIN resolution_figures AS s USING (user_id)
LEFT JOIN rating_figures AS h USING (user_id)
LEFT JOIN main.users_at(metrics.snapshot_seq(snap)) AS u ON u.account_id = account AND u.user_id = r.user_id
ORDER BY r.replies DESC, user, r.user_id;

--- The Top users table: one row per user who sent a reply in the period
--- (for `users`, among them), most replies first, with the figures of their
--- User report: `replies` (replies sent), `customers_helped`, `resolved`,
--- `closed`, `response_time`, `first_response_time` (seconds; NULL when
--- undefined), `ratings` and `happiness_score` (NULL without ratings), each
--- as `metrics.activity` and `metrics.happiness_metrics` define it for one
--- user; `user` is the user's name, `user_id` the id. With `office_hours`
--- (the schedule of the account, or of `team` when it has one), also
--- `office_response_time` and `office_first_response_time`, their
--- office-time twins (NULL without).
CREATE OR REPLACE MACRO metrics.top_users(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                           with_tags := NULL, viewer := NULL, snap := NULL, users := NULL,
                                           office_hours := false, team := NULL) AS TABLE
WITH top_users_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
top_users_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'top_users_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.top_users_of(account, date_from, date_to, 'top_users_conversation_facts', 'top_users_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users, office_hours := office_hours, team := team);

--- `metrics.period_conversations` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.period_conversations_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                         with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
scope AS (
    SELECT c.conversation_id, c.customer_id, c.tags, c.created_at
    FROM query_table(conversation_facts) AS c
),
active AS (
    SELECT s.conversation_id FROM scope AS s, p WHERE s.created_at >= p.utc_from AND s.created_at < p.utc_to
    UNION
    SELECT t.conversation_id
    FROM query_table(thread_facts) AS t, p
    WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
)
SELECT s.conversation_id, s.customer_id, s.tags
FROM scope AS s
WHERE s.conversation_id IN (
    SELECT conversation_id FROM active WHERE users IS NULL
    UNION ALL
    SELECT conversation_id
    FROM metrics.user_conversations_of(account, users, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                                    with_tags := with_tags, viewer := viewer, snap := snap)
    WHERE users IS NOT NULL);

--- The conversations a report's tags and customers tables count, one row
--- each (`conversation_id`, `customer_id`, `tags`): for the company
--- (`users` NULL), the conversations in scope active in the period (a
--- thread in it, by anyone, or created in it); for `users`, the rows of
--- their conversation history (`metrics.user_conversations`).
CREATE OR REPLACE MACRO metrics.period_conversations(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                      with_tags := NULL, viewer := NULL, snap := NULL, users := NULL) AS TABLE
WITH period_conversations_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
period_conversations_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'period_conversations_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.period_conversations_of(account, date_from, date_to, 'period_conversations_conversation_facts', 'period_conversations_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users);

--- `metrics.active_tags` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.active_tags_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, top := 10) AS TABLE
WITH conversations AS MATERIALIZED (
    SELECT * FROM metrics.period_conversations_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                                               with_tags := with_tags, viewer := viewer, snap := snap, users := users)
),
tagged AS (
    SELECT DISTINCT conversation_id, tag
    FROM (SELECT conversation_id, unnest(tags) AS tag FROM conversations)
    WHERE tag IS NOT NULL AND tag <> ''
)
SELECT tag,
       count(*) AS conversations,
       100.0 * count(*) / (SELECT count(*) FROM conversations) AS share
FROM tagged
WHERE metrics.assert(top >= 1, 'top must be at least 1, not ' || top)
GROUP BY tag
QUALIFY row_number() OVER (ORDER BY count(*) DESC, tag) <= top
ORDER BY conversations DESC, tag;

--- The Most active tags table: the `top` tags (default 10) carried by the
--- most conversations of `metrics.period_conversations` (conversations in
--- scope touched in the period; for `users`, their conversation history),
--- one row each: `tag`, `conversations` (how many carry it) and `share`
--- (their percentage of all those conversations, tagged or not). Most
--- conversations first, then by tag.
CREATE OR REPLACE MACRO metrics.active_tags(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                             with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, top := 10) AS TABLE
WITH active_tags_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
active_tags_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'active_tags_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.active_tags_of(account, date_from, date_to, 'active_tags_conversation_facts', 'active_tags_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users, top := top);

--- `metrics.active_customers` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.active_customers_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                     with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, top := 10) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
conversations AS MATERIALIZED (
    SELECT * FROM metrics.period_conversations_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                                               with_tags := with_tags, viewer := viewer, snap := snap, users := users)
    WHERE customer_id IS NOT NULL
),
messages AS (
    SELECT t.conversation_id, count(*) AS messages
    FROM query_table(thread_facts) AS t, p
    WHERE t.actor_type = 'customer' AND t.created_at >= p.utc_from AND t.created_at < p.utc_to
      AND t.conversation_id IN (SELECT conversation_id FROM conversations)
    GROUP BY t.conversation_id
),
per_customer AS (
    SELECT c.customer_id, count(*) AS conversations, CAST(coalesce(sum(m.messages), 0) AS BIGINT) AS messages
    FROM conversations AS c
    LEFT JOIN messages AS m USING (conversation_id)
    GROUP BY c.customer_id
)
SELECT coalesce(cu.name, cu.email, 'customer ' || pc.customer_id) AS customer, pc.conversations, pc.messages, pc.customer_id
FROM per_customer AS pc
LEFT JOIN main.customers_at(metrics.snapshot_seq(snap)) AS cu ON cu.account_id = account AND cu.customer_id = pc.customer_id
WHERE metrics.assert(top >= 1, 'top must be at least 1, not ' || top)
QUALIFY row_number() OVER (ORDER BY pc.conversations DESC, pc.messages DESC, customer, pc.customer_id) <= top
ORDER BY pc.conversations DESC, pc.messages DESC, customer, pc.customer_id;

--- The Most active customers table: the `top` customers (default 10) with
--- the most conversations of `metrics.period_conversations`, one row each:
--- `customer` (name, else email), `conversations`, `messages` (their
--- messages in the period in those conversations: threads by the
--- customer) and `customer_id`. Most conversations first, then most
--- messages, then by name.
CREATE OR REPLACE MACRO metrics.active_customers(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                  with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, top := 10) AS TABLE
WITH active_customers_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := false, team := NULL)
),
active_customers_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'active_customers_conversation_facts', snap := snap, office_hours := false, team := NULL)
)
SELECT * FROM metrics.active_customers_of(account, date_from, date_to, 'active_customers_conversation_facts', 'active_customers_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users, top := top);

--- The ratings list of a report, newest first: the ratings of
--- `metrics.period_ratings` (for `users`, of their replies), only those of
--- `with_rating` ('great', 'okay' or 'not_good') when given, with the local
--- time, the rating, the conversation's number and subject, the customer's
--- and the user's names and the comment.
CREATE OR REPLACE MACRO metrics.ratings_list(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                              with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, with_rating := NULL) AS TABLE
SELECT r.local_created_at AS rated_at, r.rating, r.conversation_number, c.subject, r.customer, r.user_name, r.comments
FROM metrics.period_ratings(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                            with_tags := with_tags, viewer := viewer, snap := snap, actors := users) AS r
LEFT JOIN main.conversations_at(metrics.snapshot_seq(snap)) AS c ON c.account_id = account AND c.conversation_id = r.conversation_id
WHERE metrics.assert(with_rating IS NULL OR with_rating IN ('great', 'okay', 'not_good'),
                     'with_rating must be great, okay or not_good, not ' || coalesce(CAST(with_rating AS VARCHAR), 'NULL'))
  AND (with_rating IS NULL OR r.rating = with_rating)
ORDER BY r.created_at DESC, r.rating_id;

--- `metrics.activity_series` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.activity_series_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                    with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, bucket := 'day',
                                                 office_hours := false, team := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
    WHERE metrics.assert(bucket IN ('day', 'week', 'month'), 'bucket must be day, week or month, not ' || coalesce(CAST(bucket AS VARCHAR), 'NULL'))
),
days AS (
    SELECT d.day, greatest(CAST(date_trunc(bucket, d.day) AS DATE), p.local_from) AS bucket_day
    FROM p, metrics.period_days(p.local_from, p.local_to, p.zone_name, p.taken_at) AS d
),
buckets AS (
    SELECT bucket_day, count(*) AS days FROM days GROUP BY bucket_day
),
conversations AS MATERIALIZED (
    SELECT c.conversation_id, c.customer_id, c.created_by_type, c.created_by_id, c.first_reply_user_id, c.first_response_seconds,
           c.office_first_response_seconds, c.resolver_user_id,
           CASE WHEN c.created_at >= p.utc_from AND c.created_at < p.utc_to
                THEN CAST(metrics.to_local(c.created_at, p.zone_name) AS DATE) END AS created_day,
           CASE WHEN c.first_reply_at >= p.utc_from AND c.first_reply_at < p.utc_to
                THEN CAST(metrics.to_local(c.first_reply_at, p.zone_name) AS DATE) END AS first_reply_day,
           CASE WHEN c.resolved_at >= p.utc_from AND c.resolved_at < p.utc_to
                THEN CAST(metrics.to_local(c.resolved_at, p.zone_name) AS DATE) END AS resolved_day
    FROM query_table(conversation_facts) AS c, p
),
threads AS MATERIALIZED (
    SELECT t.conversation_id, t.actor_type, t.actor_id, t.is_reply, t.closes, t.response_seconds, t.office_response_seconds, t.customer_id,
           CAST(metrics.to_local(t.created_at, p.zone_name) AS DATE) AS day
    FROM query_table(thread_facts) AS t, p
    WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
),
replies AS (
    SELECT * FROM threads WHERE is_reply AND (users IS NULL OR list_contains(users, actor_id))
),
new_figures AS (
    SELECT d.bucket_day, count(*) AS new_conversations
    FROM conversations AS c JOIN days AS d ON d.day = c.created_day
    GROUP BY d.bucket_day
),
handled_figures AS (
    SELECT d.bucket_day, count(DISTINCT h.conversation_id) AS handled
    FROM (SELECT conversation_id, day FROM replies WHERE users IS NOT NULL
          UNION ALL
          SELECT conversation_id, created_day FROM conversations
          WHERE users IS NULL OR (created_by_type = 'user' AND list_contains(users, created_by_id))) AS h
    JOIN days AS d ON d.day = h.day
    GROUP BY d.bucket_day
),
reply_figures AS (
    SELECT d.bucket_day, count(*) AS replies_sent, count(DISTINCT r.customer_id) AS customers_helped, avg(r.response_seconds) AS response_time,
           avg(r.office_response_seconds) AS office_response_time
    FROM replies AS r JOIN days AS d ON d.day = r.day
    GROUP BY d.bucket_day
),
close_figures AS (
    SELECT d.bucket_day, count(DISTINCT t.conversation_id) AS closed
    FROM threads AS t JOIN days AS d ON d.day = t.day
    WHERE t.closes AND (users IS NULL OR (t.actor_type = 'user' AND list_contains(users, t.actor_id)))
    GROUP BY d.bucket_day
),
resolution_figures AS (
    SELECT d.bucket_day, count(*) AS resolved
    FROM conversations AS c JOIN days AS d ON d.day = c.resolved_day
    WHERE users IS NULL OR list_contains(users, c.resolver_user_id)
    GROUP BY d.bucket_day
),
first_response_figures AS (
    SELECT d.bucket_day, avg(c.first_response_seconds) AS first_response_time,
           avg(c.office_first_response_seconds) AS office_first_response_time
    FROM conversations AS c JOIN days AS d ON d.day = c.first_reply_day
    WHERE users IS NULL OR list_contains(users, c.first_reply_user_id)
    GROUP BY d.bucket_day
)
SELECT b.bucket_day AS day,
       b.days,
       coalesce(n.new_conversations, 0) AS new_conversations,
       coalesce(h.handled, 0) AS handled,
       coalesce(r.replies_sent, 0) AS replies_sent,
       coalesce(r.customers_helped, 0) AS customers_helped,
       coalesce(k.closed, 0) AS closed,
       coalesce(s.resolved, 0) AS resolved,
       f.first_response_time,
       r.response_time,
       f.office_first_response_time,
       r.office_response_time
FROM buckets AS b
LEFT JOIN new_figures AS n USING (bucket_day)
LEFT JOIN handled_figures AS h USING (bucket_day)
LEFT JOIN reply_figures AS r USING (bucket_day)
LEFT JOIN close_figures AS k USING (bucket_day)
LEFT JOIN resolution_figures AS s USING (bucket_day)
LEFT JOIN first_response_figures AS f USING (bucket_day)
ORDER BY b.bucket_day;

--- The activity series of a report: one row per `bucket` ('day', 'week'
--- starting on Monday, or 'month'; local dates of the report's zone) of the
--- period, up to the snapshot's as-of time, zero-filled. `day` is the
--- bucket's first day within the period (a week or month cut by the
--- period starts on the period's first day) and `days` how many of the
--- period's days it holds. Figures, with the definitions of the cards of the
--- same name over the bucket instead of the period: `new_conversations`,
--- `handled` (company: the new conversations; `users`: the conversations
--- they replied to or started), `replies_sent`, `customers_helped`
--- (distinct in the bucket), `closed`, `resolved`, `first_response_time`
--- and `response_time` (averages in seconds; NULL when there is none).
--- With `office_hours` (the schedule of the account, or of `team` when it
--- has one), also `office_first_response_time` and `office_response_time`,
--- their office-time twins (NULL without).
CREATE OR REPLACE MACRO metrics.activity_series(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                 with_tags := NULL, viewer := NULL, snap := NULL, users := NULL, bucket := 'day',
                                                 office_hours := false, team := NULL) AS TABLE
WITH activity_series_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
activity_series_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'activity_series_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.activity_series_of(account, date_from, date_to, 'activity_series_conversation_facts', 'activity_series_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, users := users, bucket := bucket, office_hours := office_hours, team := team);
