-- The User and Team reports (`deskql report user|team`). Parameters: those of
-- company.sql, and $users (the user ids, a list bound like $inboxes; for a
-- team, its members), $team (the Team report's team, whose office hours
-- apply when it has its own; NULL otherwise) and $rating (the ratings list:
-- great, okay, not_good or NULL for all).
--
-- 1.4.0: `prepare` computes the period's facts once into two TEMP tables
-- (in the team's office hours when it has its own), which the cards and
-- the tables read through the `_of` macros; `release` drops them (see
-- company.sql). `cards_compare` computes both periods from the base tables.

-- name: prepare
CREATE OR REPLACE TEMP TABLE deskql_conversation_facts AS
SELECT * FROM metrics.window_conversations($account, CAST($date_from AS DATE), CAST($date_to AS DATE),
                                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                                           office_hours := $office_hours, team := $team);
CREATE OR REPLACE TEMP TABLE deskql_thread_facts AS
SELECT * FROM metrics.window_threads($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', snap := $snap,
                                     office_hours := $office_hours, team := $team);

-- name: release
DROP TABLE IF EXISTS temp.main.deskql_conversation_facts;
DROP TABLE IF EXISTS temp.main.deskql_thread_facts;

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.user_report_of($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE),
                            'deskql_conversation_facts', 'deskql_thread_facts', zone := $zone,
                         inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                         with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                         office_hours := $office_hours, team := $team)
ORDER BY ordinal;

-- name: cards_compare
SELECT section, metric, label, unit, value, previous, change, change_unit, metrics.change_note(unit, value, previous) AS change_note
FROM metrics.user_compare($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                          office_hours := $office_hours, team := $team)
ORDER BY ordinal;

-- name: daily
SELECT day, handled, replies_sent, customers_helped, closed, resolved,
       first_response_time,
       response_time
FROM metrics.activity_series_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), bucket := $by)
ORDER BY day;

-- name: daily_office_hours
-- The series with `--office-hours`: its times in office time, under their
-- metric ids (`office_first_response_time`, `office_response_time`).
SELECT day, handled, replies_sent, customers_helped, closed, resolved,
       office_first_response_time,
       office_response_time
FROM metrics.activity_series_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), bucket := $by,
                             office_hours := true, team := $team)
ORDER BY day;

-- name: busiest_time
-- (the columns of the grid: weekday, day, h00 ... h23, total)
SELECT *
FROM metrics.busiest_time_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]))
ORDER BY weekday;

-- name: busiest_range
SELECT from_hour, to_hour, events, per_day
FROM metrics.busiest_range_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]));

-- name: top_users
SELECT user, replies, customers_helped, resolved, closed,
       response_time, first_response_time,
       ratings, happiness_score, user_id
FROM metrics.top_users_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]));

-- name: top_users_office_hours
-- Top users with `--office-hours`: their times in office time.
SELECT user, replies, customers_helped, resolved, closed,
       office_response_time, office_first_response_time,
       ratings, happiness_score, user_id
FROM metrics.top_users_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]),
                       office_hours := true, team := $team);

-- name: conversations
SELECT number, subject, customer, channel, status, replies_by_users, first_response_time, response_time, resolution_time,
       last_activity_at
FROM metrics.user_conversations_of($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE),
                                   'deskql_conversation_facts', 'deskql_thread_facts', zone := $zone,
                                inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                                with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap);

-- name: conversations_office_hours
-- The conversation history with `--office-hours`: each time in calendar
-- time and in office time.
SELECT number, subject, customer, channel, status, replies_by_users, first_response_time, office_first_response_time,
       response_time, office_response_time, resolution_time, office_resolution_time, last_activity_at
FROM metrics.user_conversations_of($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE),
                                   'deskql_conversation_facts', 'deskql_thread_facts', zone := $zone,
                                inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                                with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                                office_hours := true, team := $team);

-- name: ratings
SELECT rated_at, rating, conversation_number, subject, customer, user_name, comments
FROM metrics.ratings_list($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), with_rating := $rating);

-- name: tags
SELECT tag, conversations, share
FROM metrics.active_tags_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                         inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                         with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), top := $top);

-- name: customers
SELECT customer, conversations, messages, customer_id
FROM metrics.active_customers_of($account, CAST($date_from AS DATE), CAST($date_to AS DATE), 'deskql_conversation_facts', 'deskql_thread_facts',
     zone := $zone,
                              inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                              with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), top := $top);
