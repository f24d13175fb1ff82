-- The monthly Usage report of every account at once (`deskql report usage
-- --all-accounts`, `deskql mail usage`): the figures of every account are
-- computed in one pass (`metrics.usage_figures` without an account), each
-- account's benchmark (the other accounts' mean) from those same rows, and
-- each account's document is then cut from the result by `account_id`. Each account's cards and feature table
-- are those of `usage.sql` for that account (a test compares every batch
-- document with the single-account report). Each account in its own time
-- zone (no `--tz`). Parameters: $date_from (the month's first day), $snap,
-- $deflection_window (seconds), $office_hours.
--
-- 1.4.0: every account's figures are read from the TEMP table
-- `usage_month_figures`, which deskql fills first as for a single report
-- (`usage.sql`'s `month_figures`, or the stored set), and the benchmark is
-- `metrics.usage_benchmark_over` of them.

-- name: accounts
SELECT account_id
FROM main.accounts_at(metrics.snapshot_seq($snap))
ORDER BY account_id;

-- name: cards
WITH figures AS MATERIALIZED (
    SELECT account_id, section, metric, value FROM usage_month_figures
),
report_accounts AS (
    SELECT DISTINCT account_id FROM figures
),
benchmarks AS (
    SELECT a.account_id, b.*
    FROM report_accounts AS a,
         LATERAL (SELECT * FROM metrics.usage_benchmark_over('figures', leave_out := a.account_id)) AS b
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
