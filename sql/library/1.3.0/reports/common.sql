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

-- name: office_hours
-- `--office-hours`: whether the account keeps office hours
-- (`metrics.office_hours_summary`), and whose schedule the report uses: the
-- team's ($team, the Team report's) when it has one, else the account's.
SELECT s.schedule, s.holidays, s.team_schedules, a.timezone AS zone,
       EXISTS (SELECT 1 FROM metrics.office_schedule(account := $account, snap := $snap) AS o WHERE o.team_id = $team) AS team_schedule
FROM metrics.office_hours_summary(account := $account, snap := $snap) AS s
JOIN main.accounts_at(metrics.snapshot_seq($snap)) AS a USING (account_id);

-- name: office_schedule
-- `--office-hours`: the weekly schedule used (the team's when $team has
-- one, else the account's) in each version in force on some local day of
-- [$from_day, $date_to), one row per weekday interval.
WITH schedules AS (
    SELECT * FROM metrics.office_schedule(account := $account, snap := $snap)
),
owner AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM schedules WHERE team_id = $team) THEN CAST($team AS BIGINT) ELSE 0 END AS team_id
),
versions AS (
    SELECT valid_from, lead(valid_from) OVER (ORDER BY valid_from) AS valid_to
    FROM (SELECT DISTINCT s.valid_from FROM schedules AS s JOIN owner ON s.team_id = owner.team_id)
)
SELECT CAST(s.valid_from AS VARCHAR) AS valid_from, CAST(s.declared_from AS VARCHAR) AS declared_from, s.weekday,
       strftime(CAST('2000-01-01' AS DATE) + s.opens, '%H:%M') AS opens,
       CASE WHEN s.closes = TIME '24:00:00' THEN '24:00' ELSE strftime(CAST('2000-01-01' AS DATE) + s.closes, '%H:%M') END AS closes,
       s.is_default
FROM schedules AS s
JOIN owner ON s.team_id = owner.team_id
JOIN versions AS v ON v.valid_from = s.valid_from
WHERE v.valid_from < CAST($date_to AS DATE) AND (v.valid_to IS NULL OR v.valid_to > CAST($from_day AS DATE))
ORDER BY s.valid_from, s.weekday, s.opens;

-- name: office_holidays
-- `--office-hours`: the account's holidays (local days, closed all day)
-- in [$from_day, $date_to).
SELECT CAST(h.day AS VARCHAR) AS day, h.name
FROM main.holidays_at(metrics.snapshot_seq($snap)) AS h
WHERE h.account_id = $account AND h.day >= CAST($from_day AS DATE) AND h.day < CAST($date_to AS DATE)
ORDER BY h.day;

-- name: office_hours_accounts
-- Benchmarked reports with `--office-hours`: how many of the snapshot's
-- accounts keep office hours (the others count calendar time).
SELECT count(*) FILTER (WHERE schedule = 'office hours') AS with_office_hours, count(*) AS accounts
FROM metrics.office_hours_summary(snap := $snap);
