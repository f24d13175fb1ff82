-- The Happiness report (`deskql report happiness`). Parameters: those of
-- company.sql, $users (a list bound like $inboxes, or NULL for the whole
-- company) and $rating (the ratings list: great, okay, not_good or NULL for
-- all).

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit
FROM metrics.happiness($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                       inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                       with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                       users := CAST(string_split($users, chr(31)) AS BIGINT[]))
ORDER BY ordinal;

-- name: cards_compare
SELECT section, metric, label, unit, value, previous, change, change_unit, metrics.change_note(unit, value, previous) AS change_note
FROM metrics.happiness_compare($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                               inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                               with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                               users := CAST(string_split($users, chr(31)) AS BIGINT[]))
ORDER BY ordinal;

-- name: ratings
SELECT rated_at, rating, conversation_number, subject, customer, user_name, comments
FROM metrics.ratings_list($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone,
                          inboxes := CAST(string_split($inboxes, chr(31)) AS BIGINT[]), channels := string_split($channels, chr(31)),
                          with_tags := string_split($with_tags, chr(31)), viewer := $viewer, snap := $snap,
                          users := CAST(string_split($users, chr(31)) AS BIGINT[]), with_rating := $rating);
