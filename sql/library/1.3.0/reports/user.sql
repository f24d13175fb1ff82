-- The User and Team reports (`deskql report user|team`). Parameters: those of
-- company.sql, and $users (the user ids, a list bound like $inboxes; for a
-- team, its members) and $team (the Team report's team, whose office hours
-- apply when it has its own; NULL otherwise).

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.user_report($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                         inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                         with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                         office_hours := $office_hours, team := $team)
ORDER BY ordinal;

-- name: cards_compare
SELECT section, metric, label, unit, value, previous, change, change_unit
FROM metrics.user_compare($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                          office_hours := $office_hours, team := $team)
ORDER BY ordinal;

-- name: daily
SELECT day, handled, replies_sent, customers_helped, closed
FROM metrics.user_daily($account, CAST(string_split($users, chr(31)) AS BIGINT[]), CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                        inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                        with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                        office_hours := $office_hours, team := $team)
ORDER BY day;

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
