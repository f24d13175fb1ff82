-- The Usage report (`deskql report usage`), one calendar month of one
-- account with the benchmark of every account. Parameters: those of
-- common.sql ($date_from is the month's first day), $deflection_window
-- (seconds) and $office_hours (`--office-hours`: each account's office
-- time). The report takes no filters (it is account-wide).
--
-- 1.4.0, in two phases (src/report/usage_figures.rs): deskql first fills
-- the TEMP tables `usage_month_figures` (every account's figures of the
-- month, each in its own zone: `month_figures`, or the set stored for this
-- snapshot, library, month, window and office-hours flag in
-- `deskql_meta.usage_figures`) and `usage_own_figures` (the account's: its
-- rows of those, or `own_figures` with `--tz`); `cards` reads them.

-- name: default_month
SELECT strftime(month_start, '%Y-%m') AS month, zone_name, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ') AS taken_at
FROM metrics.usage_default_month($account, zone := $zone, snap := $snap);

-- name: month_figures
-- Every account's figures of the month, each in its own time zone: what
-- the benchmark averages, and what `deskql_meta.usage_figures` stores.
SELECT account_id, section, metric, value
FROM metrics.usage_figures(CAST($date_from AS DATE), snap := $snap, deflection_window := $deflection_window,
                           office_hours := $office_hours);

-- name: own_figures
-- The account's figures in the report's time zone (`--tz`).
SELECT account_id, section, metric, value
FROM metrics.usage_figures(CAST($date_from AS DATE), zone := $zone, snap := $snap, deflection_window := $deflection_window,
                           account := $account, office_hours := $office_hours);

-- name: cards
SELECT section, metric, label, unit, value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit,
       benchmark, difference, benchmark_accounts
FROM metrics.usage_cards($account, CAST($date_from AS DATE), 'usage_own_figures', 'usage_month_figures', zone := $zone, snap := $snap,
                         office_hours := $office_hours)
ORDER BY ordinal;

-- name: features
SELECT feature, used, uses, users
FROM metrics.usage_features($account, CAST($date_from AS DATE), zone := $zone, snap := $snap)
ORDER BY feature;
