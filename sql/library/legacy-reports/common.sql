-- Queries every report runs (see src/report/query.rs for the format).
-- Parameters: $account, $date_from, $date_to (local dates, date_to excluded),
-- $zone (NULL: the account's), $snap (snapshot seq; NULL: latest).

-- name: period
SELECT account_id, account_name, plan, zone_name, local_from, local_to, days, utc_from, utc_to, earliest_day,
       snapshot_seq, snapshot_id, taken_at,
       (SELECT content_hash FROM deskql_meta.snapshots WHERE seq = snapshot_seq) AS content_hash
FROM metrics.period($account, CAST($date_from AS DATE), CAST($date_to AS DATE), zone := $zone, snap := $snap);

-- name: history_window
SELECT plan, zone_name, taken_at, created_day, earliest_day
FROM metrics.history_window($account, zone := $zone, snap := $snap);
