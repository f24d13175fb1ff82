-- The Company report (`deskql report company`). Parameters: those of
-- common.sql, and the filters $inboxes, $channels, $with_tags (lists, bound
-- as text with the items separated by chr(31), or NULL) and $viewer (user id
-- or NULL), $office_hours (`--office-hours`: the cards in the account's
-- office time; the tables' times come from the `*_office_hours` variants of
-- their queries, which the report runs instead); for the tables, $by (the series'
-- buckets: day, week or month) and $top (rows of the tags and customers
-- tables).
--
-- 1.4.0: `prepare` computes the period's facts once into two TEMP tables
-- (deskql runs it first, and `release` last); the cards and the tables are
-- the `_of` macros over them, so that none reads the period again.
-- `cards_compare` computes both periods from the base tables.

-- name: prepare
CREATE OR REPLACE TEMP TABLE deskql_conversation_facts AS
SELECT * FROM metrics.window_conversations($account, CAST($date_from AS DATE), CAST($date_to AS DATE),
                                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                                           office_hours := $office_hours);
CREATE OR REPLACE TEMP TABLE deskql_thread_facts AS
SELECT * FROM metrics.window_threads($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', snap := $snap,
                                     office_hours := $office_hours);

-- name: release
DROP TABLE IF EXISTS temp.main.deskql_conversation_facts;
DROP TABLE IF EXISTS temp.main.deskql_thread_facts;

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.company_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts', zone := $zone,
                     inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                     with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                     office_hours := $office_hours)
ORDER BY ordinal;

-- name: cards_compare
SELECT section, metric, label, unit, value, previous, change, change_unit, metrics.change_note(unit, value, previous) AS change_note
FROM metrics.company_compare($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                             office_hours := $office_hours)
ORDER BY ordinal;

-- name: daily
SELECT day, new_conversations, replies_sent, customers_helped, closed, resolved,
       first_response_time,
       response_time
FROM metrics.activity_series_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, bucket := $by)
ORDER BY day;

-- name: daily_office_hours
-- The series with `--office-hours`: its times in office time, under their
-- metric ids (`office_first_response_time`, `office_response_time`).
SELECT day, new_conversations, replies_sent, customers_helped, closed, resolved,
       office_first_response_time,
       office_response_time
FROM metrics.activity_series_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, bucket := $by,
                             office_hours := true)
ORDER BY day;

-- name: busiest_time
-- (the columns of the grid: weekday, day, h00 ... h23, total)
SELECT *
FROM metrics.busiest_time_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap)
ORDER BY weekday;

-- name: busiest_range
SELECT from_hour, to_hour, events, per_day
FROM metrics.busiest_range_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap);

-- name: top_users
SELECT user, replies, customers_helped, resolved, closed,
       response_time, first_response_time,
       ratings, happiness_score, user_id
FROM metrics.top_users_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap);

-- name: top_users_office_hours
-- Top users with `--office-hours`: their times in office time.
SELECT user, replies, customers_helped, resolved, closed,
       office_response_time, office_first_response_time,
       ratings, happiness_score, user_id
FROM metrics.top_users_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                       office_hours := true);

-- name: tags
SELECT tag, conversations, share
FROM metrics.active_tags_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                         inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                         with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, top := $top);

-- name: customers
SELECT customer, conversations, messages, customer_id
FROM metrics.active_customers_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                              inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                              with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, top := $top);
