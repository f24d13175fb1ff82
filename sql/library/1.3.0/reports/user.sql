-- The User and Team reports (`deskql report user|team`). Parameters: those of
-- company.sql, and $users (the user ids, a list bound like $inboxes; for a
-- team, its members), $team (the Team report's team, whose office hours
-- apply when it has its own; NULL otherwise) and $rating (the ratings list:
-- great, okay, not_good or NULL for all).

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.user_report($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
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
       CASE WHEN $office_hours THEN office_first_response_time ELSE first_response_time END AS first_response_time,
       CASE WHEN $office_hours THEN office_response_time ELSE response_time END AS response_time
FROM metrics.activity_series($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), bucket := $by,
                             office_hours := $office_hours, team := $team)
ORDER BY day;

-- name: busiest_time
-- (the columns of the grid: weekday, day, h00 ... h23, total)
SELECT *
FROM metrics.busiest_time($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]))
ORDER BY weekday;

-- name: busiest_range
SELECT from_hour, to_hour, events, per_day
FROM metrics.busiest_range($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]));

-- name: top_users
SELECT user, replies, customers_helped, resolved, closed,
       CASE WHEN $office_hours THEN office_response_time ELSE response_time END AS response_time,
       CASE WHEN $office_hours THEN office_first_response_time ELSE first_response_time END AS first_response_time,
       ratings, happiness_score, user_id
FROM metrics.top_users($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]),
                       office_hours := $office_hours, team := $team);

-- name: conversations
SELECT number, subject, customer, channel, status, replies_by_users, first_response_time, response_time, resolution_time,
       last_activity_at
FROM metrics.user_conversations($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                                inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                                with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap);

-- name: conversations_office_hours
-- The conversation history with `--office-hours`: each time in calendar
-- time and in office time.
SELECT number, subject, customer, channel, status, replies_by_users, first_response_time, office_first_response_time,
       response_time, office_response_time, resolution_time, office_resolution_time, last_activity_at
FROM metrics.user_conversations($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
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
FROM metrics.active_tags($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                         inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                         with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), top := $top);

-- name: customers
SELECT customer, conversations, messages, customer_id
FROM metrics.active_customers($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                              inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                              with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap, users := CAST(string_split($users, chr(31)) AS BIGINT[]), top := $top);
