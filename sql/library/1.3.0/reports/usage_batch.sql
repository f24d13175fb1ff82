-- The monthly Usage report of every account at once (`deskql report usage
-- --all-accounts`, `deskql mail usage`): the figures of every account are
-- computed in one pass (`metrics.usage_figures` without an account), each
-- account's benchmark (the other accounts' mean) from those same rows, and
-- each account's document is then cut from the result by `account_id`. Each account's cards and feature table
-- are those of `usage.sql` for that account (a test compares every batch
-- document with the single-account report). Each account in its own time
-- zone (no `--tz`). Parameters: $date_from (the month's first day), $snap,
-- $deflection_window (seconds), $office_hours.

-- name: accounts
SELECT account_id
FROM main.accounts_at(metrics.snapshot_seq($snap))
ORDER BY account_id;

-- name: cards
WITH figures AS MATERIALIZED (
    SELECT account_id, section, metric, value
    FROM metrics.usage_figures(CAST($date_from AS DATE), snap := $snap, deflection_window := $deflection_window,
                               office_hours := $office_hours)
),
report_accounts AS (
    SELECT DISTINCT account_id FROM figures
),
-- `metrics.usage_benchmark(leave_out := account)` for every account, over
-- the rows above (calling the macro would compute every account's figures
-- again for each): the mean of the other accounts' values, and how many.
benchmarks AS (
    SELECT a.account_id, o.section, o.metric, avg(o.value) AS benchmark, count(o.value) AS accounts
    FROM report_accounts AS a
    JOIN figures AS o ON o.account_id IS DISTINCT FROM a.account_id
    WHERE o.section = 'performance'
      AND o.metric IN ('csat', 'csat_satisfied', 'time_to_first_response', 'time_to_resolve', 'deflection',
                       'office_time_to_first_response', 'office_time_to_resolve')
    GROUP BY a.account_id, o.section, o.metric
)
SELECT a.account_id, k.section, k.metric, k.label, k.unit, f.value,
       CAST(NULL AS DOUBLE) AS previous, CAST(NULL AS DOUBLE) AS change, CAST(NULL AS VARCHAR) AS change_unit,
       b.benchmark, f.value - b.benchmark AS difference, b.accounts AS benchmark_accounts
FROM report_accounts AS a
CROSS JOIN metrics.report_catalogue('usage', office_hours := $office_hours) AS k
LEFT JOIN figures AS f ON f.account_id = a.account_id AND f.section = k.section AND f.metric = k.metric
LEFT JOIN benchmarks AS b ON b.account_id = a.account_id AND b.section = k.section AND b.metric = k.metric
WHERE k.report = 'usage'
ORDER BY a.account_id, k.ordinal;

-- name: features
WITH months AS (
    SELECT account_id, utc_from, utc_to FROM metrics.usage_months(CAST($date_from AS DATE), snap := $snap)
),
known_features AS (
    SELECT DISTINCT fu.feature FROM main.feature_usage_at(metrics.snapshot_seq($snap)) AS fu
),
month_uses AS (
    SELECT fu.account_id, fu.feature, count(*) AS uses, count(DISTINCT fu.user_id) AS users
    FROM main.feature_usage_at(metrics.snapshot_seq($snap)) AS fu
    JOIN months AS m ON fu.account_id = m.account_id AND fu.used_at >= m.utc_from AND fu.used_at < m.utc_to
    GROUP BY fu.account_id, fu.feature
)
SELECT m.account_id, kf.feature, coalesce(u.uses, 0) > 0 AS used, coalesce(u.uses, 0) AS uses, coalesce(u.users, 0) AS users
FROM months AS m
CROSS JOIN known_features AS kf
LEFT JOIN month_uses AS u ON u.account_id = m.account_id AND u.feature = kf.feature
ORDER BY m.account_id, kf.feature;
