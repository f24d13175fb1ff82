-- The Usage report (`deskql report usage`), one calendar month of one
-- account with the benchmark of every account. Parameters: those of
-- common.sql ($date_from is the month's first day), $deflection_window
-- (seconds) and $office_hours (`--office-hours`: each account's office
-- time). The report takes no filters (it is account-wide).

-- name: default_month
SELECT strftime(month_start, '%Y-%m') AS month, zone_name, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ') AS taken_at
FROM metrics.usage_default_month($account, zone := $zone, snap := $snap);

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit,
       benchmark, difference, benchmark_accounts
FROM metrics.usage($account, CAST($date_from AS DATE), zone := $zone, snap := $snap, deflection_window := $deflection_window,
                   office_hours := $office_hours)
ORDER BY ordinal;

-- name: features
SELECT feature, used, uses, users
FROM metrics.usage_features($account, CAST($date_from AS DATE), zone := $zone, snap := $snap)
ORDER BY feature;
