-- deskql metric library: the monthly Usage report (Helpshift's monthly usage
-- email): performance against a benchmark of every account, contract vs
-- usage, automation (Predict, QuickSearch Bot, custom bots) and feature usage.
--
-- The report covers one local calendar month, [first day, first day of the
-- next month), in the account's time zone (or `zone`), through
-- `metrics.period`: "in the month" means the UTC instant is in [utc_from,
-- utc_to) of that month. It is account-wide: no inbox, channel, tag or viewer
-- filter (the benchmark compares whole accounts). Spam (status 'spam') and
-- deleted (state 'deleted') conversations never count, nor does anything
-- attached to them (CSAT responses, Predict labels, QuickSearch showings, bot
-- runs, threads).
--
-- 1.2.0: the same definitions as 1.1.0; the threads are read only for the
-- conversations active in the month (in any account's time zone: the UTC
-- window `metrics.window_start` .. `metrics.window_end` of the month).
--
-- Every figure is computed for every account at once (`account` NULL) or for
-- one, by `metrics.usage_figures`; the benchmark is the mean over accounts of
-- those same figures (`metrics.usage_benchmark`); `metrics.usage` gives the
-- report's cards.
--
-- 1.3.0, as the seed words it: time to resolve counts the conversations a
-- customer started only; issues resolved and rejected are set by a user, bot
-- or workflow (not the customer); an account's benchmark leaves the account
-- out ("the rest of Helpshift's customers"); Predict accuracy is per label
-- over the conversations resolved or rejected.
-- 1.3.0: `office_hours := true` adds the office-time twins of the two times
-- (`office_time_to_first_response`, `office_time_to_resolve`), computed from
-- the same rows, each account in its own office hours and time zone (an
-- account without office hours: its calendar time); `metrics.usage` then
-- shows them in place of the calendar ones, with their benchmark.
--
-- 1.4.0: the same figures, in two phases, so that every account's figures
-- of a month are computed once and then read by each report:
-- `metrics.usage_benchmark_over` and `metrics.usage_cards` take the figures
-- as a table (the name of a table or CTE, read with `query_table`, in the
-- long form of `metrics.usage_figures`); `metrics.usage` and
-- `metrics.usage_benchmark` compute them from the base tables and call
-- those, so that the benchmark and the cards are defined once. deskql
-- stores each month's figures of every account (`deskql_meta.usage_figures`,
-- README "Usage report") and passes them to `metrics.usage_cards`.

--- The report months of the Usage report, one row per account (or only
--- `account`): the local calendar month starting on `month_start` (which
--- must be the first day of a month) in time zone `zone` (NULL: each
--- account's own), as `metrics.period` gives it (`zone_name`, `local_from`,
--- `local_to`, `utc_from`, `utc_to`, `within_window`, `taken_at`). The plan
--- history window is not checked here (`metrics.usage` checks it for the
--- report's account; the benchmark reads every account).
CREATE OR REPLACE MACRO metrics.usage_months(month_start, zone := NULL, snap := NULL, account := NULL) AS TABLE
SELECT usage_account.account_id,
       usage_period.zone_name,
       usage_period.local_from,
       usage_period.local_to,
       usage_period.utc_from,
       usage_period.utc_to,
       usage_period.within_window,
       usage_period.taken_at
FROM main.accounts_at(metrics.snapshot_seq(snap)) AS usage_account,
     LATERAL (SELECT * FROM metrics.period(usage_account.account_id, CAST(month_start AS DATE),
                                           CAST(CAST(month_start AS DATE) + INTERVAL 1 MONTH AS DATE),
                                           zone := zone, snap := snap, check_window := false)) AS usage_period
WHERE (account IS NULL OR usage_account.account_id = account)
  AND metrics.assert(dayofmonth(CAST(month_start AS DATE)) = 1,
                     'month_start ' || CAST(month_start AS DATE) || ' is not the first day of a month: the usage report covers one calendar month');

--- The conversations the Usage report counts, for every account (or only
--- `account`): `metrics.scoped_conversations` of each account without
--- filters (spam and deleted conversations left out).
CREATE OR REPLACE MACRO metrics.usage_conversations(snap := NULL, account := NULL) AS TABLE
SELECT usage_scope.*
FROM main.accounts_at(metrics.snapshot_seq(snap)) AS usage_account,
     LATERAL (SELECT * FROM metrics.scoped_conversations(usage_account.account_id, snap := snap)) AS usage_scope
WHERE account IS NULL OR usage_account.account_id = account;

--- The default month of a Usage report (one row, `month_start`): the
--- calendar month before the one that holds the snapshot's as-of instant
--- (`taken_at`), in time zone `zone` (default: the account's). A snapshot
--- taken at 2025-11-01 00:30 Paris time gives October 2025 in Paris, and
--- September 2025 in UTC (2025-10-31 23:30 UTC).
CREATE OR REPLACE MACRO metrics.usage_default_month(account, zone := NULL, snap := NULL) AS TABLE
SELECT CAST(date_trunc('month', CAST(metrics.to_local(h.taken_at, h.zone_name) AS DATE)) - INTERVAL 1 MONTH AS DATE) AS month_start,
       h.zone_name,
       h.taken_at
FROM metrics.history_window(account, zone := zone, snap := snap) AS h;

--- Every figure of the Usage report for the month starting on `month_start`
--- (see `metrics.usage_months`), for every account (`account` NULL) or one,
--- in long form: one row per (account_id, section, metric) with its value
--- (DOUBLE). Counts of nothing are 0; averages and shares of nothing are
--- NULL (no data). In a section that is not enabled (`enabled` = 0:
--- predict, quicksearch, bots) every other figure is NULL.
--- `deflection_window`: seconds after an FAQ view in which a conversation
--- of the same customer means the view was not deflected (default 86400, 24
--- hours). `zone`: NULL for each account's own time zone. `office_hours`:
--- also the office-time twins of the times (`office_*`), each account in
--- its own office hours (16_office_hours.sql).
CREATE OR REPLACE MACRO metrics.usage_figures(month_start, zone := NULL, snap := NULL, deflection_window := 86400, account := NULL,
                                               office_hours := false) AS TABLE
WITH months AS MATERIALIZED (
    SELECT * FROM metrics.usage_months(month_start, zone := zone, snap := snap, account := account)
    WHERE metrics.assert(coalesce(deflection_window > 0, false),
                         'deflection_window must be a positive number of seconds, not ' || coalesce(CAST(deflection_window AS VARCHAR), 'NULL'))
),
scope_conversations AS MATERIALIZED (
    SELECT c.account_id, c.conversation_id, c.customer_id, c.status, c.created_at, c.created_by_type
    FROM metrics.usage_conversations(snap := snap, account := account) AS c
),
-- conversations of the snapshot that the report does not count (spam,
-- deleted): what is attached to them is left out too
unscoped_conversations AS MATERIALIZED (
    SELECT x.account_id, x.conversation_id
    FROM main.conversations_at(metrics.snapshot_seq(snap)) AS x
    WHERE account IS NULL OR x.account_id = account
    EXCEPT
    SELECT account_id, conversation_id FROM scope_conversations
),
scope_threads AS MATERIALIZED (
    SELECT t.account_id, t.conversation_id, t.type, t.actor_type, t.actor_id, t.created_at, t.status, t.is_reply, t.closes
    FROM metrics.fact_threads_at(snap, account := account, active_from := metrics.window_start(month_start),
                                 active_to := metrics.window_end(CAST(CAST(month_start AS DATE) + INTERVAL 1 MONTH AS DATE))) AS t
    JOIN scope_conversations AS c ON c.account_id = t.account_id AND c.conversation_id = t.conversation_id
),
month_threads AS (
    SELECT t.*
    FROM scope_threads AS t
    JOIN months AS m ON m.account_id = t.account_id AND t.created_at >= m.utc_from AND t.created_at < m.utc_to
),
office_clock AS MATERIALIZED (
    -- every account's office clock (its own schedule and zone), from the
    -- creation of the oldest conversation read to the end of the month's
    -- window; empty unless office_hours (a NULL range has no days)
    SELECT * FROM metrics.office_clock(
        (SELECT min(c.created_at) FROM scope_conversations AS c
         WHERE office_hours AND (c.account_id, c.conversation_id) IN (SELECT account_id, conversation_id FROM scope_threads)),
        (SELECT metrics.window_end(CAST(CAST(month_start AS DATE) + INTERVAL 1 MONTH AS DATE)) WHERE office_hours),
        account := account, snap := snap)
),

-- performance ----------------------------------------------------------------
csat_figures AS (
    SELECT m.account_id,
           --- @metric csat (stars) "CSAT"
           --- @shown usage: performance
           --- Average stars (1 to 5) of the CSAT responses given in the month
           --- (`csat.created_at`) on conversations in scope; NULL without
           --- responses. Benchmarked against the
           --- mean of the other accounts.
           avg(r.stars) AS csat,
           --- @metric csat_satisfied (percent) "Satisfied (4-5 stars)"
           --- @shown usage: performance
           --- Share of those CSAT responses with 4 or 5 stars; NULL without
           --- responses. Benchmarked against the
           --- mean of the other accounts.
           100.0 * count(*) FILTER (WHERE r.stars >= 4) / nullif(count(*), 0) AS csat_satisfied,
           --- @metric csat_responses (count) "CSAT responses"
           --- @shown usage: performance
           --- CSAT responses given in the month on conversations in scope
           --- (what the CSAT average and the satisfied share are computed
           --- over).
           count(*) AS csat_responses
    FROM months AS m
    JOIN main.csat_at(metrics.snapshot_seq(snap)) AS r
         ON r.account_id = m.account_id AND r.created_at >= m.utc_from AND r.created_at < m.utc_to
    JOIN scope_conversations AS c ON c.account_id = r.account_id AND c.conversation_id = r.conversation_id
    GROUP BY m.account_id
),
first_responses AS (
    -- a response: a message to the customer by a user (`fact_threads.is_reply`:
    -- reply, chat or phone by a user) or by a bot (reply or chat); notes and
    -- line items (also a bot's) are not responses
    SELECT t.account_id, t.conversation_id, min(t.created_at) AS first_response_at
    FROM scope_threads AS t
    WHERE t.is_reply OR (t.actor_type = 'bot' AND t.type IN ('reply', 'chat'))
    GROUP BY t.account_id, t.conversation_id
),
first_response_figures AS (
    SELECT m.account_id,
           --- @metric time_to_first_response (seconds) "Time to first response"
           --- @shown usage: performance
           --- Average, over the conversations a customer started
           --- (`created_by_type` 'customer') whose first response was in the
           --- month, of the time from the conversation's creation to that
           --- first response. A response is a message to the customer by a
           --- user (a reply, chat or phone thread by a user, as
           --- `fact_threads.is_reply`) or by a bot (a bot's reply or chat
           --- thread); notes and line items, also a bot's, are not. Calendar
           --- time. Benchmarked against the
           --- mean of the other accounts.
           avg(metrics.seconds_between(c.created_at, f.first_response_at)) AS time_to_first_response,
           --- @metric office_time_to_first_response (seconds) "Time to first response (office hours)"
           --- @shown usage: performance
           --- Time to first response in office time (`--office-hours`,
           --- shown in its place): over the same conversations, the average
           --- of the open time from the conversation's creation to its first
           --- response, in the account's office hours and time zone,
           --- holidays closed (an account without office hours: calendar
           --- time); 0 when entirely outside office hours. Benchmarked: each
           --- account in its own office hours.
           avg(CASE WHEN office_hours
                    THEN (metrics.office_clock_us(f.first_response_at, kf.opens_at, kf.closes_at, kf.open_before_us)
                          - metrics.office_clock_us(c.created_at, kc.opens_at, kc.closes_at, kc.open_before_us)) / 1000000
               END) AS office_time_to_first_response
    FROM months AS m
    JOIN first_responses AS f ON f.account_id = m.account_id AND f.first_response_at >= m.utc_from AND f.first_response_at < m.utc_to
    JOIN scope_conversations AS c ON c.account_id = f.account_id AND c.conversation_id = f.conversation_id
    ASOF LEFT JOIN office_clock AS kc ON kc.account_id = c.account_id AND c.created_at >= kc.opens_at
    ASOF LEFT JOIN office_clock AS kf ON kf.account_id = f.account_id AND f.first_response_at >= kf.opens_at
    WHERE c.created_by_type = 'customer'
    GROUP BY m.account_id
),
last_closes AS (
    SELECT t.account_id, t.conversation_id, max(t.created_at) AS closed_at
    FROM scope_threads AS t
    WHERE t.closes AND t.actor_type IN ('user', 'bot', 'workflow')
    GROUP BY t.account_id, t.conversation_id
),
resolve_figures AS (
    SELECT m.account_id,
           --- @metric time_to_resolve (seconds) "Time to resolve"
           --- @shown usage: performance
           --- Average, over the conversations a customer started
           --- (`created_by_type` 'customer', "from the time your customers
           --- ask a question") that are closed now (current status 'closed';
           --- rejected ones are not resolved) and whose last close (the last
           --- thread by a user, bot or workflow that set the status to
           --- 'closed') was in the month, of the time from the
           --- conversation's creation to that close. No reply is needed (a
           --- bot or a workflow may resolve); a conversation reopened and
           --- closed again counts once, at its last close. Calendar time.
           --- Benchmarked against the
           --- mean of the other accounts.
           avg(metrics.seconds_between(c.created_at, l.closed_at)) AS time_to_resolve,
           --- @metric office_time_to_resolve (seconds) "Time to resolve (office hours)"
           --- @shown usage: performance
           --- Time to resolve in office time (`--office-hours`, shown in its
           --- place): over the same conversations, the average of the open
           --- time from the conversation's creation to its last close, in
           --- the account's office hours and time zone, holidays closed (an
           --- account without office hours: calendar time); 0 when entirely
           --- outside office hours. Benchmarked: each account in its own
           --- office hours.
           avg(CASE WHEN office_hours
                    THEN (metrics.office_clock_us(l.closed_at, kl.opens_at, kl.closes_at, kl.open_before_us)
                          - metrics.office_clock_us(c.created_at, kc.opens_at, kc.closes_at, kc.open_before_us)) / 1000000
               END) AS office_time_to_resolve
    FROM months AS m
    JOIN last_closes AS l ON l.account_id = m.account_id AND l.closed_at >= m.utc_from AND l.closed_at < m.utc_to
    JOIN scope_conversations AS c ON c.account_id = l.account_id AND c.conversation_id = l.conversation_id
    ASOF LEFT JOIN office_clock AS kc ON kc.account_id = c.account_id AND c.created_at >= kc.opens_at
    ASOF LEFT JOIN office_clock AS kl ON kl.account_id = l.account_id AND l.closed_at >= kl.opens_at
    WHERE c.status = 'closed' AND c.created_by_type = 'customer'
    GROUP BY m.account_id
),
month_views AS (
    SELECT m.account_id,
           v.view_id,
           EXISTS (SELECT 1 FROM scope_conversations AS c
                   WHERE c.account_id = v.account_id AND c.customer_id = v.customer_id
                     AND c.created_at > v.viewed_at AND c.created_at <= v.viewed_at + to_seconds(deflection_window)) AS followed
    FROM months AS m
    JOIN main.faq_views_at(metrics.snapshot_seq(snap)) AS v
         ON v.account_id = m.account_id AND v.viewed_at >= m.utc_from AND v.viewed_at < m.utc_to
    WHERE v.customer_id IS NOT NULL
      AND v.viewed_at + to_seconds(deflection_window) <= m.taken_at
),
deflection_figures AS (
    SELECT account_id,
           --- @metric deflection (percent) "Deflection"
           --- @shown usage: performance
           --- Share of the FAQ views of the month (`faq_views.viewed_at`)
           --- not followed by a conversation in scope created by the same
           --- customer within the deflection window after the view
           --- (viewed_at < created_at <= viewed_at + window; default 24 hours,
           --- `--deflection-window`). Views without a customer are left out,
           --- and so are views whose window had not ended by the snapshot's
           --- as-of time (their outcome is not known yet). NULL without
           --- views. Benchmarked against the
           --- mean of the other accounts.
           100.0 * count(*) FILTER (WHERE NOT followed) / nullif(count(*), 0) AS deflection
    FROM month_views
    GROUP BY account_id
),

-- feature usage: issues -------------------------------------------------------
created_figures AS (
    SELECT m.account_id,
           --- @metric issues_created (count) "Issues created"
           --- @shown usage: usage
           --- Conversations in scope created in the month.
           count(*) AS issues_created
    FROM months AS m
    JOIN scope_conversations AS c ON c.account_id = m.account_id AND c.created_at >= m.utc_from AND c.created_at < m.utc_to
    GROUP BY m.account_id
),
status_figures AS (
    SELECT account_id,
           --- @metric issues_resolved (count) "Issues resolved"
           --- @shown usage: usage
           --- Distinct conversations in scope with a status change to
           --- 'closed' in the month by a user, a bot or a workflow (a thread
           --- of theirs that set it; a customer closing their own
           --- conversation does not count), whatever their status now;
           --- closed twice, counted once.
           count(DISTINCT conversation_id) FILTER (WHERE status = 'closed') AS issues_resolved,
           --- @metric issues_rejected (count) "Issues rejected"
           --- @shown usage: usage
           --- Distinct conversations in scope with a status change to
           --- 'rejected' in the month by a user, a bot or a workflow,
           --- whatever their status now.
           count(DISTINCT conversation_id) FILTER (WHERE status = 'rejected') AS issues_rejected
    FROM month_threads
    WHERE actor_type IN ('user', 'bot', 'workflow')
    GROUP BY account_id
),

-- contract vs usage -----------------------------------------------------------
contract_rows AS (
    -- the contract covering the month: starts by its last day, ends on or after its first; the latest if several
    SELECT m.account_id, k.starts_on, k.ends_on, k.contracted_mau, k.contracted_seats
    FROM months AS m
    JOIN main.contracts_at(metrics.snapshot_seq(snap)) AS k
         ON k.account_id = m.account_id AND k.starts_on <= m.local_to - 1 AND k.ends_on >= m.local_from
    QUALIFY row_number() OVER (PARTITION BY m.account_id ORDER BY k.starts_on DESC) = 1
),
mau_counts AS (
    SELECT m.account_id, count(DISTINCT e.customer_id) AS mau
    FROM months AS m
    JOIN main.end_user_activity_at(metrics.snapshot_seq(snap)) AS e
         ON e.account_id = m.account_id AND e.active_at >= m.utc_from AND e.active_at < m.utc_to
    GROUP BY m.account_id
),
active_user_counts AS (
    SELECT account_id, count(DISTINCT actor_id) AS active_users
    FROM month_threads
    WHERE is_reply
    GROUP BY account_id
),
contract_figures AS (
    SELECT m.account_id,
           --- @metric contracted_mau (count) "Contracted MAU"
           --- @shown usage: contract
           --- `contracted_mau` of the contract covering the month (the
           --- `contracts` row with starts_on <= the month's last day and
           --- ends_on >= its first day; the latest starts_on if several);
           --- NULL without one.
           k.contracted_mau,
           --- @metric mau (count) "Total MAU"
           --- @shown usage: contract, usage
           --- Monthly active users: distinct customers with at least one
           --- activity (`end_user_activity.active_at`) in the month.
           coalesce(mc.mau, 0) AS mau,
           --- @metric mau_used (percent) "MAU used"
           --- @shown usage: contract
           --- Total MAU as a percentage of the contracted MAU; NULL without a
           --- contract covering the month or without a contracted MAU (or
           --- with 0).
           100.0 * coalesce(mc.mau, 0) / nullif(k.contracted_mau, 0) AS mau_used,
           --- @metric contracted_seats (count) "Contracted seats"
           --- @shown usage: contract
           --- `contracted_seats` of the contract covering the month (as for
           --- the contracted MAU); NULL without one.
           k.contracted_seats,
           --- @metric active_users (count) "Active users"
           --- @shown usage: contract
           --- Distinct users who sent at least one reply (a reply, chat or
           --- phone thread by a user) in the month, in conversations in
           --- scope; set against the contracted seats.
           coalesce(au.active_users, 0) AS active_users,
           --- @metric seats_used (percent) "Seats used"
           --- @shown usage: contract
           --- Active users as a percentage of the contracted seats; NULL
           --- without a contract covering the month or without contracted
           --- seats (or with 0).
           100.0 * coalesce(au.active_users, 0) / nullif(k.contracted_seats, 0) AS seats_used
    FROM months AS m
    LEFT JOIN contract_rows AS k USING (account_id)
    LEFT JOIN mau_counts AS mc USING (account_id)
    LEFT JOIN active_user_counts AS au USING (account_id)
),

-- automation ------------------------------------------------------------------
enabled_figures AS (
    SELECT m.account_id,
           --- @metric enabled (flag) "Enabled"
           --- @shown usage: predict, quicksearch, bots
           --- 1 when the account has ever had (in the snapshot, at any time)
           --- a Predict model (predict section), a QuickSearch Bot showing
           --- (quicksearch section) or a custom bot (bots section), else 0.
           --- When 0 the section's other figures are NULL and reports print
           --- "not enabled" for it instead of its figures.
           CAST(EXISTS (SELECT 1 FROM main.predict_models_at(metrics.snapshot_seq(snap)) AS x WHERE x.account_id = m.account_id) AS INTEGER) AS predict_enabled,
           CAST(EXISTS (SELECT 1 FROM main.quicksearch_at(metrics.snapshot_seq(snap)) AS x WHERE x.account_id = m.account_id) AS INTEGER) AS quicksearch_enabled,
           CAST(EXISTS (SELECT 1 FROM main.bots_at(metrics.snapshot_seq(snap)) AS x WHERE x.account_id = m.account_id) AS INTEGER) AS bots_enabled
    FROM months AS m
),
month_labels AS (
    -- one row per Predict label (prediction) of the month on a conversation in scope
    SELECT m.account_id, l.conversation_id, l.marked_inaccurate, c.status IN ('closed', 'rejected') AS finished
    FROM months AS m
    JOIN main.predict_labels_at(metrics.snapshot_seq(snap)) AS l
         ON l.account_id = m.account_id AND l.predicted_at >= m.utc_from AND l.predicted_at < m.utc_to
    JOIN scope_conversations AS c ON c.account_id = l.account_id AND c.conversation_id = l.conversation_id
),
predict_figures AS (
    SELECT account_id,
           --- @metric issues_labeled (count) "Issues labeled"
           --- @shown usage: predict
           --- Distinct conversations in scope with a Predict label predicted
           --- in the month (`predict_labels.predicted_at`), by any model.
           count(DISTINCT conversation_id) AS issues_labeled,
           --- @metric accuracy (percent) "Accuracy"
           --- @shown usage: predict
           --- Per prediction: among the labels predicted in the month on
           --- conversations resolved or rejected now (current status
           --- 'closed' or 'rejected'), the share not marked inaccurate
           --- (`marked_inaccurate`); a conversation with two labels counts
           --- twice. NULL when no labeled conversation is resolved or
           --- rejected.
           100.0 * count(*) FILTER (WHERE finished AND NOT marked_inaccurate) / nullif(count(*) FILTER (WHERE finished), 0) AS accuracy
    FROM month_labels
    GROUP BY account_id
),
model_figures AS (
    SELECT m.account_id,
           --- @metric models (count) "Models"
           --- @shown usage: predict
           --- Predict models existing at the end of the month: created
           --- before it ends and not deleted by then (`deleted_at` NULL or at
           --- or after the month's end).
           count(*) AS models
    FROM months AS m
    JOIN main.predict_models_at(metrics.snapshot_seq(snap)) AS pm
         ON pm.account_id = m.account_id AND pm.created_at < m.utc_to AND (pm.deleted_at IS NULL OR pm.deleted_at >= m.utc_to)
    GROUP BY m.account_id
),
month_showings AS (
    -- QuickSearch showings of the month, except those attached to a conversation the report does not count
    SELECT m.account_id, q.faqs_suggested, q.conversation_id
    FROM months AS m
    JOIN main.quicksearch_at(metrics.snapshot_seq(snap)) AS q
         ON q.account_id = m.account_id AND q.shown_at >= m.utc_from AND q.shown_at < m.utc_to
    WHERE q.conversation_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM unscoped_conversations AS u WHERE u.account_id = q.account_id AND u.conversation_id = q.conversation_id)
),
quicksearch_figures AS (
    SELECT account_id,
           --- @metric faqs_suggested (count) "Times FAQs suggested"
           --- @shown usage: quicksearch
           --- QuickSearch Bot showings in the month (`quicksearch.shown_at`)
           --- that suggested at least one FAQ (`faqs_suggested` >= 1).
           --- Showings attached to a spam or deleted conversation are left
           --- out.
           count(*) FILTER (WHERE faqs_suggested >= 1) AS faqs_suggested,
           --- @metric quicksearch_deflection (percent) "Deflection rate"
           --- @shown usage: quicksearch
           --- Share of the month's QuickSearch Bot showings not followed by
           --- a conversation (`quicksearch.conversation_id` NULL); showings
           --- attached to a spam or deleted conversation are left out. NULL
           --- without showings.
           100.0 * count(*) FILTER (WHERE conversation_id IS NULL) / nullif(count(*), 0) AS quicksearch_deflection
    FROM month_showings
    GROUP BY account_id
),
runs AS (
    -- custom bot runs, except those attached to a conversation the report does not count
    SELECT r.account_id, r.conversation_id, r.started_at, r.ended_at, r.outcome
    FROM main.bot_runs_at(metrics.snapshot_seq(snap)) AS r
    WHERE (account IS NULL OR r.account_id = account)
      AND (r.conversation_id IS NULL
           OR NOT EXISTS (SELECT 1 FROM unscoped_conversations AS u WHERE u.account_id = r.account_id AND u.conversation_id = r.conversation_id))
),
run_figures AS (
    SELECT m.account_id,
           --- @metric invocations (count) "Invocations"
           --- @shown usage: bots
           --- Custom bot runs started in the month (`bot_runs.started_at`).
           --- Runs attached to a spam or deleted conversation are left out
           --- (here and in the other bot figures).
           count(*) FILTER (WHERE r.started_at >= m.utc_from AND r.started_at < m.utc_to) AS invocations,
           --- @metric resolved_by_bot (count) "Issues resolved"
           --- @shown usage: bots
           --- Distinct conversations of the bot runs that ended in the month
           --- (`bot_runs.ended_at`) with outcome 'resolved'.
           count(DISTINCT r.conversation_id) FILTER (WHERE r.ended_at >= m.utc_from AND r.ended_at < m.utc_to AND r.outcome = 'resolved') AS resolved_by_bot
    FROM months AS m
    JOIN runs AS r ON r.account_id = m.account_id
    GROUP BY m.account_id
),
bot_message_figures AS (
    SELECT account_id,
           --- @metric outbound_messages (count) "Outbound messages"
           --- @shown usage: bots
           --- Messages bots sent to customers in the month: threads by a bot
           --- (actor_type 'bot') of type 'reply' or 'chat', in conversations
           --- in scope; a bot's line items are not messages.
           count(*) AS outbound_messages
    FROM month_threads
    WHERE actor_type = 'bot' AND type IN ('reply', 'chat')
    GROUP BY account_id
),
completion_figures AS (
    SELECT m.account_id,
           --- @metric completions (count) "Completions"
           --- @shown usage: bots
           --- Bot runs that ended in the month with the flow completed:
           --- outcome 'resolved', 'rejected' or 'handed_off' (to an agent);
           --- abandoned and unfinished runs are not completions.
           count(*) AS completions
    FROM months AS m
    JOIN runs AS r ON r.account_id = m.account_id AND r.ended_at >= m.utc_from AND r.ended_at < m.utc_to
    WHERE r.outcome IN ('resolved', 'rejected', 'handed_off')
    GROUP BY m.account_id
),
bot_figures AS (
    SELECT m.account_id,
           --- @metric bots (count) "Custom bots"
           --- @shown usage: bots
           --- Custom bots existing at the end of the month: created before
           --- it ends and not deleted by then (`deleted_at` NULL or at or
           --- after the month's end).
           count(*) AS bots
    FROM months AS m
    JOIN main.bots_at(metrics.snapshot_seq(snap)) AS b
         ON b.account_id = m.account_id AND b.created_at < m.utc_to AND (b.deleted_at IS NULL OR b.deleted_at >= m.utc_to)
    GROUP BY m.account_id
),

-- every figure, one row per account, then long ---------------------------------
wide AS (
    SELECT m.account_id,
           cs.csat, cs.csat_satisfied, coalesce(cs.csat_responses, 0) AS csat_responses,
           fr.time_to_first_response, rs.time_to_resolve, df.deflection,
           fr.office_time_to_first_response, rs.office_time_to_resolve,
           k.contracted_mau, k.mau, k.mau_used, k.contracted_seats, k.active_users, k.seats_used,
           e.predict_enabled, e.quicksearch_enabled, e.bots_enabled,
           coalesce(pr.issues_labeled, 0) AS issues_labeled, pr.accuracy, coalesce(mo.models, 0) AS models,
           coalesce(qs.faqs_suggested, 0) AS faqs_suggested, qs.quicksearch_deflection,
           coalesce(ru.invocations, 0) AS invocations, coalesce(ru.resolved_by_bot, 0) AS resolved_by_bot,
           coalesce(bm.outbound_messages, 0) AS outbound_messages, coalesce(co.completions, 0) AS completions,
           coalesce(bo.bots, 0) AS bots,
           coalesce(cr.issues_created, 0) AS issues_created, coalesce(st.issues_resolved, 0) AS issues_resolved,
           coalesce(st.issues_rejected, 0) AS issues_rejected
    FROM months AS m
    LEFT JOIN csat_figures AS cs USING (account_id)
    LEFT JOIN first_response_figures AS fr USING (account_id)
    LEFT JOIN resolve_figures AS rs USING (account_id)
    LEFT JOIN deflection_figures AS df USING (account_id)
    LEFT JOIN contract_figures AS k USING (account_id)
    LEFT JOIN enabled_figures AS e USING (account_id)
    LEFT JOIN predict_figures AS pr USING (account_id)
    LEFT JOIN model_figures AS mo USING (account_id)
    LEFT JOIN quicksearch_figures AS qs USING (account_id)
    LEFT JOIN run_figures AS ru USING (account_id)
    LEFT JOIN bot_message_figures AS bm USING (account_id)
    LEFT JOIN completion_figures AS co USING (account_id)
    LEFT JOIN bot_figures AS bo USING (account_id)
    LEFT JOIN created_figures AS cr USING (account_id)
    LEFT JOIN status_figures AS st USING (account_id)
)
SELECT account_id, 'performance' AS section, metric, CAST(value AS DOUBLE) AS value
FROM (SELECT account_id, csat, csat_satisfied, csat_responses, time_to_first_response, time_to_resolve, deflection FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (csat, csat_satisfied, csat_responses, time_to_first_response, time_to_resolve, deflection))
UNION ALL
SELECT account_id, 'contract', metric, CAST(value AS DOUBLE)
FROM (SELECT account_id, contracted_mau, mau, mau_used, contracted_seats, active_users, seats_used FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (contracted_mau, mau, mau_used, contracted_seats, active_users, seats_used))
UNION ALL
SELECT account_id, 'predict', metric, CASE WHEN section_enabled = 1 OR metric = 'enabled' THEN CAST(value AS DOUBLE) END
FROM (SELECT account_id, predict_enabled AS section_enabled, predict_enabled AS enabled, issues_labeled, accuracy, models FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (enabled, issues_labeled, accuracy, models))
UNION ALL
SELECT account_id, 'quicksearch', metric, CASE WHEN section_enabled = 1 OR metric = 'enabled' THEN CAST(value AS DOUBLE) END
FROM (SELECT account_id, quicksearch_enabled AS section_enabled, quicksearch_enabled AS enabled, faqs_suggested, quicksearch_deflection FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (enabled, faqs_suggested, quicksearch_deflection))
UNION ALL
SELECT account_id, 'bots', metric, CASE WHEN section_enabled = 1 OR metric = 'enabled' THEN CAST(value AS DOUBLE) END
FROM (SELECT account_id, bots_enabled AS section_enabled, bots_enabled AS enabled, invocations, resolved_by_bot, outbound_messages, completions, bots FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (enabled, invocations, resolved_by_bot, outbound_messages, completions, bots))
UNION ALL
SELECT account_id, 'usage', metric, CAST(value AS DOUBLE)
FROM (SELECT account_id, issues_created, issues_resolved, issues_rejected, mau FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (issues_created, issues_resolved, issues_rejected, mau))
UNION ALL
-- the office-time twins, only when asked for
SELECT account_id, 'performance', metric, CAST(value AS DOUBLE)
FROM (SELECT account_id, office_time_to_first_response, office_time_to_resolve FROM wide)
     UNPIVOT INCLUDE NULLS (value FOR metric IN (office_time_to_first_response, office_time_to_resolve))
WHERE office_hours;

--- The benchmark of the Usage report over figures already computed:
--- `figures` names a table (or CTE) in the long form of
--- `metrics.usage_figures` (`account_id`, `section`, `metric`, `value`) with
--- every account's figures of one month, each in its own time zone. For each
--- benchmarked figure (performance: csat, csat_satisfied,
--- time_to_first_response, time_to_resolve, deflection, and the office-time
--- twins of the two times), the unweighted mean of the accounts' values,
--- leaving out the accounts without a value (NULL: no data for that figure)
--- and the account `leave_out` (the report's own: the seed compares an
--- account with "the rest of Helpshift's customers"); `accounts` says how
--- many were averaged.
CREATE OR REPLACE MACRO metrics.usage_benchmark_over(figures, leave_out := NULL) AS TABLE
SELECT f.section, f.metric, avg(f.value) AS benchmark, count(f.value) AS accounts
FROM query_table(figures) AS f
WHERE f.section = 'performance' AND f.metric IN ('csat', 'csat_satisfied', 'time_to_first_response', 'time_to_resolve', 'deflection',
                                                 'office_time_to_first_response', 'office_time_to_resolve')
  AND f.account_id IS DISTINCT FROM leave_out
GROUP BY f.section, f.metric;

--- The benchmark of the Usage report for the month starting on
--- `month_start` (`metrics.usage_benchmark_over` of every account's
--- `metrics.usage_figures`), each account computed over its own local month
--- in its own time zone (the same calendar month). The plan history window
--- of each account does not apply (every account counts), and neither does
--- a report's `zone` override: every report of that month and snapshot
--- compares with the same other accounts' figures. With `office_hours`,
--- also the office-time twins of the times, each account in its own office
--- hours.
CREATE OR REPLACE MACRO metrics.usage_benchmark(month_start, snap := NULL, deflection_window := 86400, leave_out := NULL,
                                                office_hours := false) AS TABLE
WITH usage_benchmark_figures AS (
    SELECT account_id, section, metric, value
    FROM metrics.usage_figures(month_start, snap := snap, deflection_window := deflection_window, office_hours := office_hours)
)
SELECT * FROM metrics.usage_benchmark_over('usage_benchmark_figures', leave_out := leave_out);

--- The metric cards of the Usage report of `account` for the month starting
--- on `month_start` over figures already computed (each a table or CTE
--- name, in the long form of `metrics.usage_figures`): `figures` holds the
--- account's own (in `zone`, default: the account's; other accounts' rows
--- are ignored), `benchmark_figures` every account's, each in its own time
--- zone (`metrics.usage_benchmark_over`, `account` left out). The month is
--- checked as in `metrics.usage`, whose columns it gives.
CREATE OR REPLACE MACRO metrics.usage_cards(account, month_start, figures, benchmark_figures, zone := NULL, snap := NULL,
                                             office_hours := false) AS TABLE
WITH checked AS (
    SELECT p.account_id
    FROM metrics.period(account, CAST(month_start AS DATE), CAST(CAST(month_start AS DATE) + INTERVAL 1 MONTH AS DATE), zone := zone, snap := snap) AS p
    WHERE metrics.assert(dayofmonth(CAST(month_start AS DATE)) = 1,
                         'month_start ' || CAST(month_start AS DATE) || ' is not the first day of a month: the usage report covers one calendar month')
),
own_figures AS (
    SELECT f.section, f.metric, f.value
    FROM query_table(figures) AS f
    JOIN checked AS ch ON ch.account_id = f.account_id
),
benchmarks AS (
    SELECT * FROM metrics.usage_benchmark_over(benchmark_figures, leave_out := account)
)
SELECT k.section, k.metric, k.label, k.unit, f.value, b.benchmark, f.value - b.benchmark AS difference, b.accounts AS benchmark_accounts, k.ordinal
FROM metrics.report_catalogue('usage', office_hours := office_hours) AS k
LEFT JOIN own_figures AS f USING (section, metric)
LEFT JOIN benchmarks AS b USING (section, metric)
WHERE k.report = 'usage'
  AND metrics.assert(EXISTS (SELECT 1 FROM main.accounts_at(metrics.snapshot_seq(snap)) AS usage_account WHERE usage_account.account_id = account),
                     'no account ' || account || ' in the snapshot')
ORDER BY k.ordinal;

--- The metric cards of the Usage report of `account` for the month starting
--- on `month_start` (a DATE, the first day of the month) in `zone` (default:
--- the account's): the 'usage' rows of `metrics.catalogue` with their
--- `value` (`metrics.usage_figures`), and for the benchmarked figures the
--- `benchmark` (`metrics.usage_benchmark` of the other accounts: `account`
--- left out), `difference` (value minus benchmark: points for percents,
--- seconds for times, stars for CSAT) and `benchmark_accounts` (how many
--- accounts the benchmark averages). The month is checked by `metrics.period` (the
--- account must exist, the zone be known, the month be within the plan's
--- history window). `deflection_window` in seconds (default 86400).
--- `office_hours`: the office-time twins of the times in their place (each
--- account in its own office hours, in the benchmark too). Computed from
--- the base tables; `metrics.usage_cards` gives the same from stored figures.
CREATE OR REPLACE MACRO metrics.usage(account, month_start, zone := NULL, snap := NULL, deflection_window := 86400,
                                       office_hours := false) AS TABLE
WITH usage_own_figures AS (
    SELECT account_id, section, metric, value
    FROM metrics.usage_figures(month_start, zone := zone, snap := snap, deflection_window := deflection_window, account := account,
                               office_hours := office_hours)
),
usage_every_account AS (
    SELECT account_id, section, metric, value
    FROM metrics.usage_figures(month_start, snap := snap, deflection_window := deflection_window, office_hours := office_hours)
)
SELECT * FROM metrics.usage_cards(account, month_start, 'usage_own_figures', 'usage_every_account', zone := zone, snap := snap,
                                  office_hours := office_hours);

--- The feature adoption table of the Usage report: one row per feature seen
--- in `feature_usage` (of any account, at any time, as of the snapshot, so
--- that features the account never used show too), alphabetically: `used`
--- (used in the month), `uses` (events in the month) and `users` (distinct
--- users with an event in the month), for `account` over the month starting
--- on `month_start` in `zone` (default: the account's), checked as in
--- `metrics.usage`.
CREATE OR REPLACE MACRO metrics.usage_features(account, month_start, zone := NULL, snap := NULL) AS TABLE
WITH p AS (
    SELECT *
    FROM metrics.period(account, CAST(month_start AS DATE), CAST(CAST(month_start AS DATE) + INTERVAL 1 MONTH AS DATE), zone := zone, snap := snap)
    WHERE metrics.assert(dayofmonth(CAST(month_start AS DATE)) = 1,
                         'month_start ' || CAST(month_start AS DATE) || ' is not the first day of a month: the usage report covers one calendar month')
),
known_features AS (
    SELECT DISTINCT fu.feature FROM main.feature_usage_at(metrics.snapshot_seq(snap)) AS fu
),
month_uses AS (
    SELECT fu.feature, count(*) AS uses, count(DISTINCT fu.user_id) AS users
    FROM main.feature_usage_at(metrics.snapshot_seq(snap)) AS fu, p
    WHERE fu.account_id = p.account_id AND fu.used_at >= p.utc_from AND fu.used_at < p.utc_to
    GROUP BY fu.feature
)
SELECT kf.feature, coalesce(u.uses, 0) > 0 AS used, coalesce(u.uses, 0) AS uses, coalesce(u.users, 0) AS users
FROM known_features AS kf
CROSS JOIN (SELECT count(*) AS checked FROM p) AS period_checked
LEFT JOIN month_uses AS u USING (feature)
WHERE period_checked.checked = 1
  AND metrics.assert(EXISTS (SELECT 1 FROM main.accounts_at(metrics.snapshot_seq(snap)) AS usage_account WHERE usage_account.account_id = account),
                     'no account ' || account || ' in the snapshot')
ORDER BY kf.feature;
