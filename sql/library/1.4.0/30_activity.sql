-- deskql metric library: the activity metrics of the Company, User and Team
-- reports, defined once. `actors` NULL computes them for the company; a list
-- of user ids computes them for those users (the User report is one user, the
-- Team report the team's members). Each report shows the metrics its
-- `@shown` lines name (through `metrics.catalogue`).
--
-- Sections: 'all' (every channel) and one per channel ('email', 'chat',
-- 'phone'), where a metric counts only conversations of that channel.
-- "In the period" means: the instant (UTC) is in [utc_from, utc_to) of
-- `metrics.period`, i.e. its local date in the report's zone is in
-- [date_from, date_to).
--
-- 1.2.0: the same definitions as 1.0.0, computed over the conversations
-- active in the period only (`metrics.active_conversations` of the window
-- `metrics.window_start(date_from)` .. `metrics.window_end(date_to)`).
--
-- 1.3.0: per-day rates divide by the known days of a period that ends after
-- the snapshot's as-of time (`metrics.rate_days`); the busiest day and hour
-- are the highest average per occurrence of the weekday or hour
-- (`metrics.period_days`, `metrics.hour_occurrences`), as Help Scout's
-- "highest number of new conversations on average".
-- 1.3.0: `office_hours := true` adds the office-time twin `office_X` of
-- every duration metric `X`, computed from the same rows (the same filters
-- apply to both; counts do not change), in the schedule of the account or,
-- with `team`, of that team when it has one (16_office_hours.sql).
--
-- 1.4.0: the same definitions, readable from facts computed once per
-- report. `metrics.window_conversations` and `metrics.window_threads` are
-- the facts of the conversations in scope active in a period's window;
-- `metrics.activity_of` (and the `_of` macros of the Company report's
-- cards and tables) compute the figures from them, given as the names of
-- two tables or CTEs (read with `query_table`). `metrics.activity` and the
-- other macros keep their arguments and results: they compute those facts
-- from the base tables and call their `_of` macro. deskql's reports compute
-- the facts once into two TEMP tables and call the `_of` macros, so that
-- the cards and the tables do not each read the period again.

--- The conversation facts (`metrics.fact_conversations`) of the conversations
--- in scope (`metrics.scoped_conversations`, same arguments), only those
--- active in [active_from, active_to) when given; `office_hours` and `team`
--- as in `metrics.fact_conversations_at`.
CREATE OR REPLACE MACRO metrics.report_conversations(account, inboxes := NULL, channels := NULL, with_tags := NULL, viewer := NULL, snap := NULL,
                                                  active_from := NULL, active_to := NULL, office_hours := false, team := NULL) AS TABLE
SELECT f.*
FROM metrics.fact_conversations_at(snap, account := account, active_from := active_from, active_to := active_to,
                                   office_hours := office_hours, team := team) AS f
WHERE f.account_id = account
  AND f.conversation_id IN (
      SELECT conversation_id
      FROM metrics.scoped_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap));

--- The thread facts (`metrics.fact_threads`) of the conversations in scope,
--- with the conversation's customer; `office_hours` and `team` as in
--- `metrics.fact_threads_at`.
CREATE OR REPLACE MACRO metrics.report_threads(account, inboxes := NULL, channels := NULL, with_tags := NULL, viewer := NULL, snap := NULL,
                                                  active_from := NULL, active_to := NULL, office_hours := false, team := NULL) AS TABLE
SELECT t.*, c.customer_id
FROM metrics.fact_threads_at(snap, account := account, active_from := active_from, active_to := active_to,
                             office_hours := office_hours, team := team) AS t
JOIN metrics.report_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap,
                                  active_from := active_from, active_to := active_to) AS c
     USING (account_id, conversation_id);

--- The reply facts (`metrics.fact_replies`) of the conversations in scope,
--- with the conversation's customer; `office_hours` and `team` as in
--- `metrics.fact_replies_at`.
CREATE OR REPLACE MACRO metrics.report_replies(account, inboxes := NULL, channels := NULL, with_tags := NULL, viewer := NULL, snap := NULL,
                                                  active_from := NULL, active_to := NULL, office_hours := false, team := NULL) AS TABLE
SELECT r.*, c.customer_id
FROM metrics.fact_replies_at(snap, account := account, active_from := active_from, active_to := active_to,
                             office_hours := office_hours, team := team) AS r
JOIN metrics.report_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap,
                                  active_from := active_from, active_to := active_to) AS c
     USING (account_id, conversation_id);

--- The conversation facts a report's period reads (`metrics.report_conversations`):
--- the conversations in scope (`metrics.scoped_conversations`, same
--- filters) active in the window that surely holds the local period
--- [date_from, date_to) in any zone (`metrics.window_start` ..
--- `metrics.window_end`), with the office-time twins with `office_hours`
--- (in the schedule of the account, or of `team` when it has one).
CREATE OR REPLACE MACRO metrics.window_conversations(account, date_from, date_to, inboxes := NULL, channels := NULL, with_tags := NULL,
                                                      viewer := NULL, snap := NULL, office_hours := false, team := NULL) AS TABLE
SELECT * FROM metrics.report_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap,
                                           active_from := metrics.window_start(date_from), active_to := metrics.window_end(date_to),
                                           office_hours := office_hours, team := team);

--- The thread facts (`metrics.fact_threads`) of the conversations of
--- `conversation_facts` (the name of a table or CTE holding
--- `metrics.window_conversations` of the same arguments), with the
--- conversation's `customer_id`.
CREATE OR REPLACE MACRO metrics.window_threads(account, date_from, date_to, conversation_facts, snap := NULL, office_hours := false,
                                                team := NULL) AS TABLE
SELECT t.*, c.customer_id
FROM metrics.fact_threads_at(snap, account := account, active_from := metrics.window_start(date_from), active_to := metrics.window_end(date_to),
                             office_hours := office_hours, team := team) AS t
JOIN query_table(conversation_facts) AS c USING (account_id, conversation_id);

--- `metrics.activity` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.activity_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                             with_tags := NULL, viewer := NULL, snap := NULL, actors := NULL,
                                          check_window := true, office_hours := false, team := NULL) AS TABLE
WITH p AS (
    SELECT *, metrics.rate_days(local_from, local_to, zone_name, taken_at) AS rate_days
    FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap, check_window := check_window)
),
conversations AS (
    SELECT * FROM query_table(conversation_facts)
),
threads AS (
    SELECT * FROM query_table(thread_facts)
),
period_threads AS (
    SELECT t.* FROM threads AS t, p WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
),
replies AS (
    -- the replies of fact_replies, from the threads already read
    SELECT t.account_id, t.conversation_id, t.thread_id, t.actor_id AS user_id, t.channel, t.created_at, t.reply_number,
           t.response_seconds, t.customer_id,
           t.office_response_seconds
    FROM period_threads AS t
    WHERE t.is_reply AND (actors IS NULL OR list_contains(actors, t.actor_id))
),
reply_metrics AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS section,
           --- @metric customers_helped (count) "Customers helped"
           --- @shown company: all; user: all
           --- Distinct customers of the conversations that received a reply
           --- (a user's reply, chat message or phone note) in the period;
           --- notes, status changes and assignments do not count. In user and
           --- team reports, replies by the report's users only.
           count(DISTINCT customer_id) AS customers_helped,
           --- @metric replies_sent (count) "Replies sent"
           --- @shown company: all, email; user: all, email
           --- User replies (reply, chat or phone threads by a user) sent in
           --- the period; in the email section, in email conversations. In
           --- user and team reports, by the report's users.
           count(*) AS replies_sent,
           --- @metric replies_per_day (per_day) "Replies per day"
           --- @shown company: all; user: all
           --- Replies sent divided by the days in the period; when the
           --- period ends after the snapshot's as-of time, by the days up to
           --- the as-of time (local wall-clock days, with the fraction of the
           --- last one: `metrics.rate_days`), as the rest has no data yet.
           count(*) / any_value(p.rate_days) AS replies_per_day,
           --- @metric active_users (count) "Active users"
           --- @shown company: all
           --- Distinct users who sent at least one reply in the period.
           count(DISTINCT user_id) AS active_users,
           --- @metric response_time (seconds) "Response time"
           --- @shown company: all, email, chat; user: all, email, chat
           --- Average, over the replies sent in the period that answer a
           --- waiting customer, of the time from the earliest customer
           --- message after the previous reply to the reply
           --- (`fact_replies.response_seconds`). Replies that answer no
           --- customer message (follow-ups) are left out. Calendar time.
           avg(response_seconds) AS response_time,
           --- @metric office_response_time (seconds) "Response time (office hours)"
           --- @shown company: all, email, chat; user: all, email, chat
           --- Response time in office time (`--office-hours`, shown in its
           --- place): over the same replies, the average of the open time
           --- between the earliest waiting customer message and the reply
           --- (`fact_replies.office_response_seconds`), in the account's
           --- office hours (in a Team report, the team's if it has its own),
           --- in the account's time zone, holidays closed; 0 for a wait
           --- entirely outside office hours.
           avg(office_response_seconds) AS office_response_time
    FROM replies, p
    GROUP BY GROUPING SETS ((), (channel))
),
first_responses AS (
    SELECT c.*
    FROM conversations AS c, p
    WHERE c.first_reply_at >= p.utc_from AND c.first_reply_at < p.utc_to
      AND (actors IS NULL OR list_contains(actors, c.first_reply_user_id))
),
first_response_metrics AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS section,
           --- @metric first_response_time (seconds) "First response time"
           --- @shown company: all, email; user: all, email
           --- Average, over conversations whose first reply was sent in the
           --- period, of the time from the first customer message to that
           --- reply (`fact_conversations.first_response_seconds`);
           --- conversations a user started are left out. In user and team
           --- reports, conversations whose first reply was theirs.
           avg(first_response_seconds) AS first_response_time,
           --- @metric office_first_response_time (seconds) "First response time (office hours)"
           --- @shown company: all, email; user: all, email
           --- First response time in office time (`--office-hours`, shown
           --- in its place): over the same conversations, the average of the
           --- open time from the first customer message to the first reply
           --- (`fact_conversations.office_first_response_seconds`), in the
           --- office hours of the account (in a Team report, the team's if it
           --- has its own); 0 when entirely outside office hours.
           avg(office_first_response_seconds) AS office_first_response_time
    FROM first_responses
    GROUP BY GROUPING SETS ((), (channel))
),
closed_metrics AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS section,
           --- @metric closed (count) "Closed"
           --- @shown company: all; user: all
           --- Distinct conversations set to status 'closed' in the period (a
           --- thread that set the status to closed), whether or not anyone
           --- replied; a conversation closed twice counts once. In user and
           --- team reports, closed by the report's users.
           count(DISTINCT conversation_id) AS closed
    FROM period_threads
    WHERE closes AND (actors IS NULL OR (actor_type = 'user' AND list_contains(actors, actor_id)))
    GROUP BY GROUPING SETS ((), (channel))
),
resolutions AS (
    SELECT c.*
    FROM conversations AS c, p
    WHERE c.resolved_at >= p.utc_from AND c.resolved_at < p.utc_to
      AND (actors IS NULL OR list_contains(actors, c.resolver_user_id))
),
resolution_metrics AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS section,
           --- @metric resolved (count) "Resolved"
           --- @shown company: all, email; user: all, email
           --- Conversations resolved in the period: currently closed, with at
           --- least one user reply before their last close, which falls in
           --- the period (`fact_conversations.resolved_at`); each counts
           --- once. In user and team reports, those whose last reply before
           --- the close was sent by the report's users.
           count(*) AS resolved,
           --- @metric resolved_on_first_reply (percent) "Resolved on first reply"
           --- @shown company: all, email; user: all, email
           --- Share of the resolved conversations that had exactly one user
           --- reply before their resolution.
           100.0 * count(*) FILTER (WHERE resolved_on_first_reply) / nullif(count(*), 0) AS resolved_on_first_reply,
           --- @metric replies_to_resolve (ratio) "Replies to resolve"
           --- @shown company: all, email; user: all, email
           --- Average number of user replies before the resolution, over the
           --- resolved conversations.
           avg(replies_to_resolve) AS replies_to_resolve,
           --- @metric resolution_time (seconds) "Resolution time"
           --- @shown company: all, email; user: all, email
           --- Average time from creation to resolution, over the resolved
           --- conversations.
           avg(resolution_seconds) AS resolution_time,
           --- @metric office_resolution_time (seconds) "Resolution time (office hours)"
           --- @shown company: all, email; user: all, email
           --- Resolution time in office time (`--office-hours`, shown in its
           --- place): over the same resolved conversations, the average of
           --- the open time from creation to resolution
           --- (`fact_conversations.office_resolution_seconds`), in the
           --- office hours of the account (in a Team report, the team's if it
           --- has its own); 0 when entirely outside office hours.
           avg(office_resolution_seconds) AS office_resolution_time
    FROM resolutions
    GROUP BY GROUPING SETS ((), (channel))
),
new_conversations AS (
    SELECT c.*, metrics.to_local(c.created_at, p.zone_name) AS local_created_at
    FROM conversations AS c, p
    WHERE c.created_at >= p.utc_from AND c.created_at < p.utc_to
),
new_conversation_metrics AS (
    SELECT CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS section,
           --- @metric new_conversations (count) "New conversations"
           --- @shown company: all
           --- Conversations created in the period.
           count(*) AS new_conversations,
           --- @metric conversations_per_day (per_day) "Conversations per day"
           --- @shown company: all
           --- Conversations created in the period divided by the days in the
           --- period (up to the snapshot's as-of time when the period ends
           --- after it, as for replies per day).
           count(*) / any_value(p.rate_days) AS conversations_per_day
    FROM new_conversations, p
    GROUP BY GROUPING SETS ((), (channel))
),
handled AS (
    -- conversations the report's users replied to, or started, in the period
    SELECT conversation_id, channel FROM replies
    UNION
    SELECT c.conversation_id, c.channel FROM new_conversations AS c
    WHERE c.created_by_type = 'user' AND list_contains(actors, c.created_by_id)
),
handled_metrics AS (
    SELECT 'all' AS section,
           --- @metric handled_per_day (per_day) "Conversations per day"
           --- @shown user: all
           --- New or updated conversations per day: distinct conversations
           --- the report's users replied to or started in the period, divided
           --- by the days in the period (up to the snapshot's as-of time when
           --- the period ends after it, as for replies per day).
           count(DISTINCT conversation_id) / any_value(p.rate_days) AS handled_per_day
    FROM handled, p
),
history_metrics AS (
    SELECT 'all' AS section,
           --- @metric total_conversations (count) "Total conversations"
           --- @shown user: all
           --- Conversations with activity in the period by any user or
           --- workflow (a thread by a user or a workflow, or created by a
           --- user, in the period) that the report's users have touched at
           --- any time up to the period's end (replied to or modified: any
           --- thread by them, or started by them), even long before the
           --- period. Activity in the period by the customer or a bot alone
           --- does not count. The rows of the conversation history
           --- (`metrics.user_conversations`).
           count(*) AS total_conversations
    FROM metrics.user_conversations_of(account, actors, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                                    with_tags := with_tags, viewer := viewer, snap := snap, check_window := check_window)
    WHERE actors IS NOT NULL
),
weekday_counts AS (
    -- company: new conversations; users: their replies; by local weekday and hour
    SELECT isodow(local_created_at) AS weekday, hour(local_created_at) AS hour_of_day
    FROM new_conversations WHERE actors IS NULL
    UNION ALL
    SELECT isodow(metrics.to_local(r.created_at, p.zone_name)), hour(metrics.to_local(r.created_at, p.zone_name))
    FROM replies AS r, p WHERE actors IS NOT NULL
),
weekday_averages AS (
    -- events per occurrence of the weekday in the known part of the period
    SELECT c.weekday, count(*) / any_value(o.occurrences) AS average
    FROM weekday_counts AS c
    JOIN (SELECT d.weekday, count(*) AS occurrences
          FROM p, metrics.period_days(p.local_from, p.local_to, p.zone_name, p.taken_at) AS d
          GROUP BY d.weekday) AS o USING (weekday)
    GROUP BY c.weekday
),
hour_averages AS (
    -- events per occurrence of the local hour (31 in a 31-day month, 32 for the hour repeated by a DST change)
    SELECT c.hour_of_day, count(*) / any_value(o.occurrences) AS average
    FROM weekday_counts AS c
    JOIN (SELECT h.* FROM p, metrics.hour_occurrences(p.utc_from, p.utc_to, p.zone_name, p.taken_at) AS h) AS o USING (hour_of_day)
    GROUP BY c.hour_of_day
),
busiest_metrics AS (
    SELECT 'all' AS section,
           --- @metric busiest_day (weekday) "Busiest day"
           --- @shown company: all; user: all
           --- The day of the week (1 = Monday ... 7 = Sunday, local time of
           --- the report's zone) with the highest average number of new
           --- conversations per occurrence of that weekday in the period (a
           --- 31-day month has five of three weekdays; days after the
           --- snapshot's as-of time do not count); in user and team reports,
           --- of replies sent by the report's users. Ties go to the earlier
           --- day; NULL without any.
           (SELECT weekday FROM weekday_averages ORDER BY average DESC, weekday LIMIT 1) AS busiest_day,
           --- @metric busiest_hour (hour) "Busiest hour"
           --- @shown company: all; user: all
           --- The hour of the day (0-23, local time) with the highest average
           --- number of new conversations (user and team reports: replies
           --- sent) per occurrence of that hour in the period: once a day,
           --- twice on the day the clocks go back, not at all on the day they
           --- skip it. Ties go to the earlier hour; NULL without any.
           (SELECT hour_of_day FROM hour_averages ORDER BY average DESC, hour_of_day LIMIT 1) AS busiest_hour
),
chats AS (
    SELECT * FROM new_conversations
    WHERE channel = 'chat'
      AND (actors IS NULL OR conversation_id IN (SELECT conversation_id FROM threads WHERE is_reply AND list_contains(actors, actor_id)))
),
chat_metrics AS (
    SELECT 'chat' AS section,
           --- @metric chats (count) "Total chats"
           --- @shown company: chat; user: chat
           --- Chat conversations started in the period. In user and team
           --- reports, those in which the report's users sent a message.
           count(*) AS chats,
           --- @metric chat_wait_time (seconds) "Wait time"
           --- @shown company: chat; user: chat
           --- Average time from the start of the chat (its creation) to the
           --- first user message, over the chats that got one.
           avg(metrics.seconds_between(created_at, first_reply_at)) AS chat_wait_time,
           --- @metric office_chat_wait_time (seconds) "Wait time (office hours)"
           --- @shown company: chat; user: chat
           --- Wait time in office time (`--office-hours`, shown in its
           --- place): over the same chats, the average of the open time from
           --- the start of the chat to the first user message
           --- (`fact_conversations.office_first_reply_wait_seconds`), in the
           --- office hours of the account (in a Team report, the team's if it
           --- has its own). A chat's duration stays in calendar time: it
           --- measures how long the chat lasted, not how long the customer
           --- waited for the team.
           avg(office_first_reply_wait_seconds) AS office_chat_wait_time,
           --- @metric chat_duration (seconds) "Duration"
           --- @shown company: chat; user: chat
           --- Average time from the first to the last message (customer or
           --- user; bots and notes excluded) of the chats.
           avg(metrics.seconds_between(first_message_at, last_message_at)) AS chat_duration,
           --- @metric messages_per_chat (ratio) "Messages per chat"
           --- @shown company: chat; user: chat
           --- Average number of messages (customer messages and user replies)
           --- per chat.
           avg(messages) AS messages_per_chat
    FROM chats
),
phone_calls AS (
    SELECT conversation_id, customer_id, min(created_at) AS first_logged_at
    FROM period_threads
    WHERE channel = 'phone' AND type = 'phone' AND actor_type = 'user'
      AND (actors IS NULL OR list_contains(actors, actor_id))
    GROUP BY conversation_id, customer_id
),
phone_metrics AS (
    SELECT 'phone' AS section,
           --- @metric phone_conversations (count) "Phone conversations"
           --- @shown company: phone; user: phone
           --- Phone conversations for which a user logged a call (a phone
           --- thread by a user) in the period. In user and team reports,
           --- logged by the report's users.
           count(*) AS phone_conversations,
           --- @metric new_phone_conversations (count) "New phone conversations"
           --- @shown company: phone; user: phone
           --- Of those, the ones created in the period.
           count(*) FILTER (WHERE conversation_id IN (SELECT conversation_id FROM new_conversations)) AS new_phone_conversations,
           --- @metric phone_customers (count) "Customers"
           --- @shown company: phone; user: phone
           --- Distinct customers of those phone conversations.
           count(DISTINCT customer_id) AS phone_customers
    FROM phone_calls
),
all_metrics AS (
    SELECT section, metric, value FROM reply_metrics
        UNPIVOT INCLUDE NULLS (value FOR metric IN (customers_helped, replies_sent, replies_per_day, active_users, response_time, office_response_time))
    UNION ALL
    SELECT section, metric, value FROM first_response_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (first_response_time, office_first_response_time))
    UNION ALL
    SELECT section, metric, value FROM closed_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (closed))
    UNION ALL
    SELECT section, metric, value FROM resolution_metrics
        UNPIVOT INCLUDE NULLS (value FOR metric IN (resolved, resolved_on_first_reply, replies_to_resolve, resolution_time, office_resolution_time))
    UNION ALL
    SELECT section, metric, value FROM new_conversation_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (new_conversations, conversations_per_day))
    UNION ALL
    SELECT section, metric, value FROM handled_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (handled_per_day)) WHERE actors IS NOT NULL
    UNION ALL
    SELECT section, metric, value FROM history_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (total_conversations)) WHERE actors IS NOT NULL
    UNION ALL
    SELECT section, metric, value FROM busiest_metrics UNPIVOT INCLUDE NULLS (value FOR metric IN (busiest_day, busiest_hour))
    UNION ALL
    SELECT section, metric, value FROM chat_metrics
        UNPIVOT INCLUDE NULLS (value FOR metric IN (chats, chat_wait_time, office_chat_wait_time, chat_duration, messages_per_chat))
    UNION ALL
    SELECT section, metric, value FROM phone_metrics
        UNPIVOT INCLUDE NULLS (value FOR metric IN (phone_conversations, new_phone_conversations, phone_customers))
)
SELECT section, metric, CAST(value AS DOUBLE) AS value FROM all_metrics
-- the office-time twins only when asked for
WHERE office_hours OR NOT starts_with(metric, 'office_');

--- Every activity metric of a period, for the company (`actors` NULL) or for
--- a list of users, in long form: one row per (section, metric) with its
--- value (DOUBLE; NULL when undefined, e.g. an average of nothing). Takes
--- the arguments of `metrics.period` and `metrics.scoped_conversations`.
--- With `office_hours := true`, also the office-time twins (`office_*`) of
--- the duration metrics, in the schedule of the account or of `team`.
--- Computes the period's facts from the base tables and the figures with
--- `metrics.activity_of`.
CREATE OR REPLACE MACRO metrics.activity(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                          with_tags := NULL, viewer := NULL, snap := NULL, actors := NULL,
                                          check_window := true, office_hours := false, team := NULL) AS TABLE
WITH activity_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
activity_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'activity_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.activity_of(account, date_from, date_to, 'activity_conversation_facts', 'activity_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, actors := actors, check_window := check_window, office_hours := office_hours, team := team);
