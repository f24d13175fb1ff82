-- The Company report (`deskql report company`). Parameters: those of
-- common.sql, and the filters $inboxes, $channels, $with_tags (lists, bound
-- as text with the items separated by chr(31), or NULL) and $viewer (user id
-- or NULL), and $office_hours (`--office-hours`: the account's office time).

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.company($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                     inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                     with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                     office_hours := $office_hours)
ORDER BY ordinal;

-- name: cards_compare
SELECT section, metric, label, unit, value, previous, change, change_unit
FROM metrics.company_compare($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                             inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                             with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                             office_hours := $office_hours)
ORDER BY ordinal;

-- name: daily
SELECT day, new_conversations, replies_sent, customers_helped, closed
FROM metrics.company_daily($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                           inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                           with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                           office_hours := $office_hours)
ORDER BY day;
