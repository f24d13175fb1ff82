-- deskql metric library: the Company, User and Team reports. Each report is
-- a set of table macros with the same arguments:
--   account, date_from, date_to        (local dates, [date_from, date_to))
--   zone := NULL                       (IANA zone; default the account's)
--   inboxes, channels, with_tags := NULL (filters, see scoped_conversations)
--   viewer := NULL                     (user whose inbox access limits the report)
--   snap := NULL                       (snapshot seq; default pinned or latest)
-- and, for User and Team reports, `users` (a list of user ids) right after
-- `account`; `metrics.team_user_ids(account, team)` gives a team's list.
--
-- 1.2.0: the same definitions as 1.0.0; the series and the conversation
-- history read only the conversations active in the period.
--
-- 1.3.0: the conversation history (and Total conversations) as the seed
-- words it: activity in the period by a user or a workflow, on a
-- conversation the report's users touched up to the period's end.
-- 1.3.0: every report macro also takes `office_hours := false` and
-- `team := NULL`: with office hours, the cards show each duration metric's
-- office-time twin in its place (`metrics.report_catalogue`), in the
-- schedule of the account or, for a Team report, of `team` when it has one;
-- the conversation history shows both.
--
-- 1.4.0: `metrics.company_of` gives the Company report's cards from the
-- period's facts computed already (see 30_activity.sql); `metrics.company`
-- computes them and calls it; the same for the User report
-- (`metrics.user_report_of`) and the conversation history
-- (`metrics.user_conversations_of`).

--- `metrics.company` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.company_of(account, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                            with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                         office_hours := false, team := NULL) AS TABLE
SELECT k.section, k.metric, k.label, k.unit, metrics.card_value(k.unit, a.value) AS value, k.ordinal
FROM metrics.report_catalogue('company', office_hours := office_hours) AS k
LEFT JOIN metrics.activity_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                           with_tags := with_tags, viewer := viewer, snap := snap, check_window := check_window,
                           office_hours := office_hours, team := team) AS a
       USING (section, metric)
WHERE k.report = 'company'
ORDER BY k.ordinal;

--- The metric cards of the Company report: one row per metric shown
--- (`metrics.catalogue` rows of report 'company'), with section, metric,
--- label, unit, value and ordinal (display order). Counts without any event
--- are 0; averages and shares of nothing are NULL. With `office_hours`,
--- the office-time twin of each duration metric in its place.
CREATE OR REPLACE MACRO metrics.company(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                         with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                         office_hours := false, team := NULL) AS TABLE
WITH company_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
company_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'company_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.company_of(account, date_from, date_to, 'company_conversation_facts', 'company_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, check_window := check_window, office_hours := office_hours, team := team);

--- A card's value: counts and per-day rates of nothing are 0, other
--- figures of nothing stay NULL (undefined).
CREATE OR REPLACE MACRO metrics.card_value(unit, value) AS
CASE WHEN unit IN ('count', 'per_day') THEN coalesce(value, 0) ELSE value END;

--- The first day of the period before [date_from, date_to): the same number
--- of days, ending where this one starts.
CREATE OR REPLACE MACRO metrics.previous_from(date_from, date_to) AS
CAST(date_from AS DATE) - CAST(CAST(date_to AS DATE) - CAST(date_from AS DATE) AS INTEGER);

--- The Company report's cards next to the previous period of the same length
--- (`metrics.previous_from`): `previous` value, `change` and its
--- `change_unit` (`metrics.change`: percent change for counts, rates and
--- times, point difference for percents and scores). `previous` is NULL when
--- the previous period starts before the plan's history window.
--- `office_hours` and `team` as in `metrics.company`, for both periods.
CREATE OR REPLACE MACRO metrics.company_compare(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                 with_tags := NULL, viewer := NULL, snap := NULL,
                                                 office_hours := false, team := NULL) AS TABLE
WITH previous_period AS (
    SELECT within_window
    FROM metrics.period(account, metrics.previous_from(date_from, date_to), date_from, zone := zone, snap := snap, check_window := false)
),
current_cards AS (
    SELECT * FROM metrics.company(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                  with_tags := with_tags, viewer := viewer, snap := snap,
                                  office_hours := office_hours, team := team)
),
previous_cards AS (
    SELECT c.section, c.metric, CASE WHEN w.within_window THEN c.value END AS value
    FROM metrics.company(account, metrics.previous_from(date_from, date_to), date_from, zone := zone, inboxes := inboxes,
                         channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, check_window := false,
                         office_hours := office_hours, team := team) AS c,
         previous_period AS w
)
SELECT c.section, c.metric, c.label, c.unit, c.value, p.value AS previous,
       metrics.change(c.unit, c.value, p.value) AS change, metrics.change_unit(c.unit) AS change_unit, c.ordinal
FROM current_cards AS c
LEFT JOIN previous_cards AS p USING (section, metric)
ORDER BY c.ordinal;

--- Activity per local day of the period (every day, zero-filled): `day`,
--- `new_conversations` (created that day), `handled` (company: same as new;
--- users: conversations they replied to or started that day),
--- `replies_sent`, `customers_helped` (distinct customers replied to that
--- day) and `closed` (distinct conversations set to closed that day), with
--- the definitions of `metrics.activity`; `actors` as there. `office_hours`
--- and `team` are taken for the series' durations as in `metrics.activity`
--- (the series has none in 1.3.0: its figures are counts).
CREATE OR REPLACE MACRO metrics.activity_daily(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                with_tags := NULL, viewer := NULL, snap := NULL, actors := NULL,
                                                office_hours := false, team := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap)
),
days AS (
    SELECT CAST(d AS DATE) AS day FROM p, range(CAST(p.local_from AS TIMESTAMP), CAST(p.local_to AS TIMESTAMP), INTERVAL 1 DAY) AS r(d)
),
scope AS MATERIALIZED (
    SELECT c.account_id, c.conversation_id, c.customer_id, c.created_at, c.created_by_type, c.created_by_id
    FROM metrics.scoped_conversations(account, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap) AS c
),
conversations AS (
    SELECT c.*, CAST(metrics.to_local(c.created_at, p.zone_name) AS DATE) AS day
    FROM scope AS c, p
    WHERE c.created_at >= p.utc_from AND c.created_at < p.utc_to
),
-- the period's threads, read once (the fact layer's classification)
period_threads AS MATERIALIZED (
    SELECT t.conversation_id, t.actor_type, t.actor_id, t.is_reply, t.closes, c.customer_id,
           CAST(metrics.to_local(t.created_at, p.zone_name) AS DATE) AS day
    FROM metrics.fact_threads_at(snap, account := account, active_from := metrics.window_start(date_from),
                                 active_to := metrics.window_end(date_to)) AS t
    JOIN scope AS c USING (account_id, conversation_id), p
    WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
),
replies AS (
    SELECT conversation_id, customer_id, day FROM period_threads
    WHERE is_reply AND (actors IS NULL OR list_contains(actors, actor_id))
),
closes AS (
    SELECT conversation_id, day FROM period_threads
    WHERE closes AND (actors IS NULL OR (actor_type = 'user' AND list_contains(actors, actor_id)))
),
handled AS (
    SELECT day, conversation_id FROM conversations
    WHERE actors IS NULL OR (created_by_type = 'user' AND list_contains(actors, created_by_id))
    UNION
    SELECT day, conversation_id FROM replies WHERE actors IS NOT NULL
)
SELECT d.day,
       (SELECT count(*) FROM conversations AS c WHERE c.day = d.day) AS new_conversations,
       (SELECT count(*) FROM handled AS h WHERE h.day = d.day) AS handled,
       (SELECT count(*) FROM replies AS r WHERE r.day = d.day) AS replies_sent,
       (SELECT count(DISTINCT r.customer_id) FROM replies AS r WHERE r.day = d.day) AS customers_helped,
       (SELECT count(DISTINCT x.conversation_id) FROM closes AS x WHERE x.day = d.day) AS closed
FROM days AS d
ORDER BY d.day;

--- The Company report's series per local day: `metrics.activity_daily`
--- for the whole company (`office_hours`, `team` as there).
CREATE OR REPLACE MACRO metrics.company_daily(account, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                               with_tags := NULL, viewer := NULL, snap := NULL,
                                               office_hours := false, team := NULL) AS TABLE
SELECT day, new_conversations, replies_sent, customers_helped, closed
FROM metrics.activity_daily(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                            with_tags := with_tags, viewer := viewer, snap := snap,
                            office_hours := office_hours, team := team)
ORDER BY day;

--- The ids of a team's members (a sorted list), for the `users` argument of
--- the User report macros: the Team report is the User report over them.
CREATE OR REPLACE MACRO metrics.team_user_ids(account, team, snap := NULL) AS (
    SELECT list(m.user_id ORDER BY m.user_id)
    FROM main.team_members_at(metrics.snapshot_seq(snap)) AS m
    WHERE m.account_id = account AND m.team_id = team
);

--- `metrics.user_conversations` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.user_conversations_of(account, users, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                       with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                                    office_hours := false, team := NULL) AS TABLE
WITH p AS (
    SELECT * FROM metrics.period(account, date_from, date_to, zone := zone, snap := snap, check_window := check_window)
),
conversations AS (
    SELECT * FROM query_table(conversation_facts)
),
threads AS (
    SELECT * FROM query_table(thread_facts)
),
touched_in_period AS (
    -- the last activity by anyone, and whether a user or a workflow was active
    SELECT t.conversation_id, max(t.created_at) AS last_activity_at, bool_or(t.actor_type IN ('user', 'workflow')) AS by_user_or_workflow
    FROM threads AS t, p
    WHERE t.created_at >= p.utc_from AND t.created_at < p.utc_to
    GROUP BY t.conversation_id
    UNION ALL
    -- a conversation created in the period without any thread (exports may lack the first one): a user's counts
    SELECT c.conversation_id, c.created_at, c.created_by_type = 'user'
    FROM conversations AS c, p
    WHERE c.created_at >= p.utc_from AND c.created_at < p.utc_to
),
touched_by_users AS (
    -- up to the period's end: a touch after it does not put the conversation in this period's history
    SELECT t.conversation_id FROM threads AS t, p
    WHERE t.actor_type = 'user' AND list_contains(users, t.actor_id) AND t.created_at < p.utc_to
    UNION
    SELECT c.conversation_id FROM conversations AS c, p
    WHERE c.created_by_type = 'user' AND list_contains(users, c.created_by_id) AND c.created_at < p.utc_to
),
user_replies AS (
    -- their replies (`fact_replies`), from the threads already read
    SELECT r.conversation_id, count(*) AS replies_by_users, avg(r.response_seconds) AS response_time,
           avg(r.office_response_seconds) AS office_response_time
    FROM threads AS r, p
    WHERE r.is_reply AND r.created_at >= p.utc_from AND r.created_at < p.utc_to AND list_contains(users, r.actor_id)
    GROUP BY r.conversation_id
),
history AS (
    SELECT conversation_id, max(last_activity_at) AS last_activity_at
    FROM touched_in_period
    WHERE conversation_id IN (SELECT conversation_id FROM touched_by_users)
    GROUP BY conversation_id
    HAVING bool_or(by_user_or_workflow)
)
SELECT c.number,
       c.conversation_id,
       c.subject,
       cu.name AS customer,
       c.channel,
       c.status,
       coalesce(u.replies_by_users, 0) AS replies_by_users,
       c.first_response_seconds AS first_response_time,
       u.response_time,
       c.resolution_seconds AS resolution_time,
       metrics.to_local(h.last_activity_at, p.zone_name) AS last_activity_at,
       c.office_first_response_seconds AS office_first_response_time,
       u.office_response_time,
       c.office_resolution_seconds AS office_resolution_time
FROM history AS h
JOIN conversations AS c USING (conversation_id)
LEFT JOIN main.customers_at(metrics.snapshot_seq(snap)) AS cu ON cu.account_id = c.account_id AND cu.customer_id = c.customer_id
LEFT JOIN user_replies AS u USING (conversation_id)
CROSS JOIN p
ORDER BY h.last_activity_at DESC, c.number;

--- The Conversation History of a User (or Team) report: every conversation
--- with activity in the period by any user or workflow (a thread by a user
--- or a workflow, or created by a user, in the period; activity by the
--- customer or a bot alone does not count) that one of `users` has touched
--- at any time up to the period's end (any thread by them, or started by
--- them), one row each, most recently active first: number,
--- subject, customer, channel, current status, `replies_by_users` (their
--- replies in the period), `first_response_time` (the conversation's),
--- `response_time` (average of their replies in the period that answer a
--- wait), `resolution_time` (if resolved), `last_activity_at` (local time of
--- the last thread in the period, by anyone), and with `office_hours` (schedule of the
--- account, or of `team` when it has one) their office-time twins
--- `office_first_response_time`, `office_response_time`,
--- `office_resolution_time` (NULL without).
CREATE OR REPLACE MACRO metrics.user_conversations(account, users, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                                    with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                                    office_hours := false, team := NULL) AS TABLE
WITH user_conversations_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
user_conversations_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'user_conversations_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.user_conversations_of(account, users, date_from, date_to, 'user_conversations_conversation_facts', 'user_conversations_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, check_window := check_window, office_hours := office_hours, team := team);

--- `metrics.user_report` over the period's facts computed already
--- (`conversation_facts`, `thread_facts`: see `metrics.activity_of`).
CREATE OR REPLACE MACRO metrics.user_report_of(account, users, date_from, date_to, conversation_facts, thread_facts, zone := NULL, inboxes := NULL, channels := NULL,
                                                with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                             office_hours := false, team := NULL) AS TABLE
WITH figures AS (
    SELECT * FROM metrics.activity_of(account, date_from, date_to, conversation_facts, thread_facts, zone := zone, inboxes := inboxes, channels := channels,
                                   with_tags := with_tags, viewer := viewer, snap := snap, actors := users, check_window := check_window,
                                   office_hours := office_hours, team := team)
    UNION ALL
    SELECT * FROM metrics.happiness_metrics(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                            with_tags := with_tags, viewer := viewer, snap := snap, actors := users, check_window := check_window)
)
SELECT k.section, k.metric, k.label, k.unit, metrics.card_value(k.unit, f.value) AS value, k.ordinal
FROM metrics.report_catalogue('user', office_hours := office_hours) AS k
LEFT JOIN figures AS f USING (section, metric)
WHERE k.report = 'user'
ORDER BY k.ordinal;

--- The metric cards of the User report for `users` (one user; the Team
--- report passes the team's members): the 'user' rows of
--- `metrics.catalogue`, activity metrics (`metrics.activity` with
--- `actors := users`) and the happiness section (`metrics.happiness_metrics`
--- for ratings of those users). Same shape as `metrics.company`, and with
--- `office_hours` the office-time twins in place of the durations, in the
--- schedule of the account or of `team` (the Team report's) when it has one.
CREATE OR REPLACE MACRO metrics.user_report(account, users, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                             with_tags := NULL, viewer := NULL, snap := NULL, check_window := true,
                                             office_hours := false, team := NULL) AS TABLE
WITH user_report_conversation_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_conversations(account, date_from, date_to, inboxes := inboxes, channels := channels, with_tags := with_tags,
                                               viewer := viewer, snap := snap, office_hours := office_hours, team := team)
),
user_report_thread_facts AS MATERIALIZED (
    SELECT * FROM metrics.window_threads(account, date_from, date_to, 'user_report_conversation_facts', snap := snap, office_hours := office_hours, team := team)
)
SELECT * FROM metrics.user_report_of(account, users, date_from, date_to, 'user_report_conversation_facts', 'user_report_thread_facts',
    zone := zone, inboxes := inboxes, channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, check_window := check_window, office_hours := office_hours, team := team);

--- The User report's cards next to the previous period, as
--- `metrics.company_compare` does for the Company report (`office_hours`,
--- `team` as in `metrics.user_report`, for both periods).
CREATE OR REPLACE MACRO metrics.user_compare(account, users, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                              with_tags := NULL, viewer := NULL, snap := NULL,
                                              office_hours := false, team := NULL) AS TABLE
WITH previous_period AS (
    SELECT within_window
    FROM metrics.period(account, metrics.previous_from(date_from, date_to), date_from, zone := zone, snap := snap, check_window := false)
),
current_cards AS (
    SELECT * FROM metrics.user_report(account, users, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                                      with_tags := with_tags, viewer := viewer, snap := snap,
                                      office_hours := office_hours, team := team)
),
previous_cards AS (
    SELECT c.section, c.metric, CASE WHEN w.within_window THEN c.value END AS value
    FROM metrics.user_report(account, users, metrics.previous_from(date_from, date_to), date_from, zone := zone, inboxes := inboxes,
                             channels := channels, with_tags := with_tags, viewer := viewer, snap := snap, check_window := false,
                             office_hours := office_hours, team := team) AS c,
         previous_period AS w
)
SELECT c.section, c.metric, c.label, c.unit, c.value, p.value AS previous,
       metrics.change(c.unit, c.value, p.value) AS change, metrics.change_unit(c.unit) AS change_unit, c.ordinal
FROM current_cards AS c
LEFT JOIN previous_cards AS p USING (section, metric)
ORDER BY c.ordinal;

--- The User report's series per local day: `metrics.activity_daily` for
--- `users` (`handled`: conversations they replied to or started that day;
--- `office_hours`, `team` as in `metrics.activity_daily`).
CREATE OR REPLACE MACRO metrics.user_daily(account, users, date_from, date_to, zone := NULL, inboxes := NULL, channels := NULL,
                                            with_tags := NULL, viewer := NULL, snap := NULL,
                                            office_hours := false, team := NULL) AS TABLE
SELECT day, handled, replies_sent, customers_helped, closed
FROM metrics.activity_daily(account, date_from, date_to, zone := zone, inboxes := inboxes, channels := channels,
                            with_tags := with_tags, viewer := viewer, snap := snap, actors := users,
                            office_hours := office_hours, team := team)
ORDER BY day;
