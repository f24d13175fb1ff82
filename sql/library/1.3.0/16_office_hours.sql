-- deskql metric library 1.3.0: office hours. Plain SQL, no extension, no
-- UDF: local time only through `deskql_meta.tz_offsets`.
--
-- An account's office hours are weekly schedules in its own time zone
-- (`accounts.timezone`, whatever zone a report is shown in), from the
-- optional contract tables `office_hours` and `holidays`:
-- - a schedule is every row of one (account, team, valid_from); the one in
--   force on a local day is the latest whose valid_from is on or before that
--   day; an owner's first schedule also covers the days before its
--   valid_from (exports often stamp the day they were set up); a weekday
--   without rows is closed; a holiday closes the whole local day, for every
--   team;
-- - team_id 0 (a NULL or absent team_id in the file) is the account's
--   schedule; a team without rows of its own follows the account's; an
--   account without account-wide rows is open 00:00-24:00 every day (so
--   without office_hours and holidays rows office time is calendar time);
-- - `closes` 00:00 means 24:00 (the end of the day); overlapping or
--   touching intervals of one weekday are merged;
-- - a local wall time W of day d becomes the UTC instant
--   `min { t : local(t) >= W }`, the first instant the wall clock shows W or
--   later (`metrics.to_utc` does the same for one value): a wall time that
--   occurs twice (clocks going back) is its first occurrence, one that never
--   occurs (clocks going forward) is the instant of the change. Both ends of
--   every interval go through that one monotone map, so intervals never
--   overlap, adjacent ones tile, and an interval counts the real elapsed
--   seconds between its two instants (09:00-17:00 is 8 hours on both
--   change days; 00:00-24:00 is 23 or 25 hours).
--
-- Office seconds between instants a and b = the length of the overlap of
-- [a, b) with the open intervals = clock(b) - clock(a), where the office
-- clock counts open seconds since a fixed origin (`metrics.office_clock`
-- and `metrics.office_clock_us`): two ASOF joins per pair, whatever its
-- length. A duration entirely outside office hours is 0, not NULL: the
-- event still happened, and counts do not change.
--
-- The report macros take `office_hours := false` and `team := NULL`; with
-- office hours, every duration metric `X` is shown as its twin `office_X`
-- (`metrics.report_catalogue`).

--- The end of an office interval as a time of its day: `closes`, except that
--- 00:00 is read as 24:00 (the end of the day), so `00:00`-`00:00` is the
--- whole day. DuckDB's TIME holds `24:00:00` (ordered after 23:59:59), but
--- many writers (Python's `datetime.time`, Arrow from it) cannot.
CREATE OR REPLACE MACRO metrics.office_closes(closes) AS
CASE WHEN closes = TIME '00:00:00' THEN TIME '24:00:00' ELSE closes END;

--- The weekly schedules of every account (or only `account`) as of the
--- snapshot, one row per open interval: `account_id`, `team_id` (0: the
--- account's schedule), `valid_from` (the first day it is in force; the
--- first schedule of each account or team is in force since 1900-01-01, and
--- `declared_from` keeps the day written), `weekday` (1 = Monday .. 7),
--- `opens`, `closes` (local TIMEs of the account's zone; `closes` 24:00 for
--- the end of the day), `rows_merged` (how many contract rows were merged
--- into this interval: more than 1 when they overlap or touch) and
--- `is_default` (the 00:00-24:00 schedule of an account without
--- account-wide rows). Rows with `closes` <= `opens` (refused at ingest) are
--- left out.
CREATE OR REPLACE MACRO metrics.office_schedule(account := NULL, snap := NULL) AS TABLE
WITH declared AS (
    SELECT o.account_id,
           coalesce(o.team_id, 0) AS team_id,
           coalesce(o.valid_from, DATE '1900-01-01') AS declared_from,
           CAST(o.weekday AS INTEGER) AS weekday,
           o.opens,
           metrics.office_closes(o.closes) AS closes,
           false AS is_default
    FROM main.office_hours_at(metrics.snapshot_seq(snap)) AS o
    WHERE (account IS NULL OR o.account_id = account)
      AND o.opens < metrics.office_closes(o.closes)
),
defaults AS (
    -- accounts without account-wide rows: open all day, every day
    SELECT a.account_id, 0 AS team_id, DATE '1900-01-01' AS declared_from, CAST(w.weekday AS INTEGER) AS weekday,
           TIME '00:00:00' AS opens, TIME '24:00:00' AS closes, true AS is_default
    FROM main.accounts_at(metrics.snapshot_seq(snap)) AS a
    CROSS JOIN range(1, 8) AS w(weekday)
    LEFT JOIN (SELECT DISTINCT account_id FROM declared WHERE team_id = 0) AS d ON d.account_id = a.account_id
    WHERE (account IS NULL OR a.account_id = account) AND d.account_id IS NULL
),
effective AS (
    SELECT *,
           CASE WHEN declared_from = min(declared_from) OVER (PARTITION BY account_id, team_id)
                THEN DATE '1900-01-01' ELSE declared_from END AS valid_from
    FROM (SELECT * FROM declared UNION ALL SELECT * FROM defaults)
),
ordered AS (
    SELECT *,
           max(closes) OVER (PARTITION BY account_id, team_id, valid_from, weekday ORDER BY opens, closes
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_closes
    FROM effective
),
islands AS (
    SELECT *,
           sum(CASE WHEN opens <= earlier_closes THEN 0 ELSE 1 END)
               OVER (PARTITION BY account_id, team_id, valid_from, weekday ORDER BY opens, closes
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island
    FROM ordered
)
SELECT account_id, team_id, valid_from, any_value(declared_from) AS declared_from, weekday,
       min(opens) AS opens, max(closes) AS closes, count(*) AS rows_merged, bool_or(is_default) AS is_default
FROM islands
GROUP BY account_id, team_id, valid_from, weekday, island;

--- The open intervals, in UTC, of every account (or only `account`) that
--- overlap the UTC range [`range_from`, `range_to`), one row per local day
--- and merged interval: `account_id`, `team_id` (the schedule used: `team`
--- when that team has rows, else 0, the account's), `zone`, `local_day`,
--- `weekday`, `opens`, `closes` (local), `opens_at`, `closes_at` (UTC) and
--- `seconds`. For every local day of the account's zone around the range:
--- the schedule in force that day (`metrics.office_schedule`), unless the
--- day is a holiday; each bound `local_day + opens` / `local_day + closes`
--- goes to UTC as the first instant the wall clock shows it or later (a
--- repeated wall time: its first occurrence; a skipped one: the instant of
--- the change), with the offsets of `deskql_meta.tz_offsets`. Intervals
--- left empty by a skipped hour (02:00-03:00 on a spring-forward day) are
--- left out. Intervals are disjoint and in order per account.
CREATE OR REPLACE MACRO metrics.office_intervals(range_from, range_to, account := NULL, team := NULL, snap := NULL) AS TABLE
WITH zones AS (
    SELECT a.account_id, a.timezone AS zone
    FROM main.accounts_at(metrics.snapshot_seq(snap)) AS a
    WHERE account IS NULL OR a.account_id = account
),
all_schedules AS MATERIALIZED (
    SELECT * FROM metrics.office_schedule(account := account, snap := snap)
),
schedule AS MATERIALIZED (
    -- the team's schedule when it has one, else the account's
    SELECT s.*
    FROM all_schedules AS s
    LEFT JOIN (SELECT DISTINCT account_id FROM all_schedules WHERE team_id = team) AS t ON t.account_id = s.account_id
    WHERE s.team_id = team OR (s.team_id = 0 AND t.account_id IS NULL)
),
versions AS (
    SELECT DISTINCT account_id, team_id, valid_from FROM schedule
),
days AS (
    -- every local day whose hours can meet the range (offsets are within
    -- -12 and +14 hours), minus the holidays
    SELECT z.account_id, z.zone, CAST(r.day AS DATE) AS local_day
    FROM zones AS z
    CROSS JOIN range(CAST(CAST(range_from AS DATE) - 1 AS TIMESTAMP), CAST(CAST(range_to AS DATE) + 2 AS TIMESTAMP), INTERVAL 1 DAY) AS r(day)
    LEFT JOIN main.holidays_at(metrics.snapshot_seq(snap)) AS h ON h.account_id = z.account_id AND h.day = CAST(r.day AS DATE)
    WHERE h.account_id IS NULL
),
offsets AS (
    -- the zones' offset rows around the range, with the local time at
    -- which each ends
    SELECT o.tz, o.utc_from, o.offset_seconds, o.utc_to + to_seconds(o.offset_seconds) AS local_end
    FROM deskql_meta.tz_offsets AS o
    WHERE o.tz IN (SELECT zone FROM zones)
      AND o.utc_to > CAST(range_from AS TIMESTAMP) - INTERVAL 3 DAY
      AND o.utc_from < CAST(range_to AS TIMESTAMP) + INTERVAL 3 DAY
),
frontier AS (
    -- the rows whose local end is later than every earlier row's: the first
    -- row (in time) whose local end is after a wall time W is the frontier
    -- row with the smallest local end after W, which an ASOF join finds
    SELECT tz, utc_from, offset_seconds, local_end
    FROM (SELECT *, max(local_end) OVER (PARTITION BY tz ORDER BY utc_from ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
          FROM offsets)
    WHERE earlier_end IS NULL OR local_end > earlier_end
),
zone_days AS (
    -- per zone and local day, the offset row of its midnight; `plain`: that
    -- row holds every wall time of the day up to the next midnight
    -- included, so each is W minus that offset (the other days, a few a
    -- year, have a change: their wall times are converted one by one)
    SELECT zd.zone, zd.local_day, f.offset_seconds,
           f.utc_from + to_seconds(f.offset_seconds) <= zd.local_day AND f.local_end > zd.local_day + INTERVAL 1 DAY AS plain
    FROM (SELECT DISTINCT zone, local_day FROM days) AS zd
    ASOF JOIN frontier AS f ON f.tz = zd.zone AND CAST(zd.local_day AS TIMESTAMP) < f.local_end
),
walls AS MATERIALIZED (
    SELECT d.account_id, s.team_id, d.zone, d.local_day, s.weekday, s.opens, s.closes,
           d.local_day + s.opens AS opens_wall, d.local_day + s.closes AS closes_wall, zd.offset_seconds, zd.plain
    FROM days AS d
    JOIN zone_days AS zd USING (zone, local_day)
    ASOF JOIN versions AS v ON v.account_id = d.account_id AND d.local_day >= v.valid_from
    JOIN schedule AS s
      ON s.account_id = v.account_id AND s.team_id = v.team_id AND s.valid_from = v.valid_from AND s.weekday = isodow(d.local_day)
),
converted AS (
    SELECT account_id, team_id, zone, local_day, weekday, opens, closes,
           opens_wall - to_seconds(offset_seconds) AS opens_at,
           closes_wall - to_seconds(offset_seconds) AS closes_at
    FROM walls
    WHERE plain
    UNION ALL
    -- first instant showing W or later: in the first row whose local end is
    -- after W, W minus its offset, or the row's start when W falls in a gap
    SELECT w.account_id, w.team_id, w.zone, w.local_day, w.weekday, w.opens, w.closes,
           greatest(fo.utc_from, w.opens_wall - to_seconds(fo.offset_seconds)) AS opens_at,
           greatest(fc.utc_from, w.closes_wall - to_seconds(fc.offset_seconds)) AS closes_at
    FROM (SELECT * FROM walls WHERE NOT plain) AS w
    ASOF JOIN frontier AS fo ON fo.tz = w.zone AND w.opens_wall < fo.local_end
    ASOF JOIN frontier AS fc ON fc.tz = w.zone AND w.closes_wall < fc.local_end
)
SELECT account_id, team_id, zone, local_day, weekday, opens, closes, opens_at, closes_at,
       (epoch_us(closes_at) - epoch_us(opens_at)) / 1000000 AS seconds
FROM converted
WHERE opens_at < closes_at
  AND closes_at > CAST(range_from AS TIMESTAMP) AND opens_at < CAST(range_to AS TIMESTAMP);

--- The office clock of every account (or only `account`) over the UTC range
--- [`range_from`, `range_to`): the open intervals of
--- `metrics.office_intervals` (same arguments) with `open_before_us`, the
--- open microseconds from the range's first interval to this one's start.
--- The clock reading at an instant (`metrics.office_clock_us`) is then
--- `open_before_us` plus the part of its interval already elapsed, and the
--- office seconds between two instants of the range are the difference of
--- their readings: join each instant to the last interval opening at or
--- before it (`ASOF JOIN ... ON c.account_id = x.account_id AND x.t >=
--- c.opens_at`). The range must hold every instant read.
CREATE OR REPLACE MACRO metrics.office_clock(range_from, range_to, account := NULL, team := NULL, snap := NULL) AS TABLE
SELECT account_id, team_id, opens_at, closes_at,
       CAST(coalesce(sum(epoch_us(closes_at) - epoch_us(opens_at))
                         OVER (PARTITION BY account_id ORDER BY opens_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS open_before_us
FROM metrics.office_intervals(range_from, range_to, account := account, team := team, snap := snap);

--- The office clock reading, in open microseconds since the clock's origin,
--- at instant `t`, from the clock interval `opens_at`, `closes_at`,
--- `open_before_us` of `metrics.office_clock` that an ASOF join matched to
--- it (the last one opening at or before `t`; all NULL when none did: `t`
--- is before the first, the reading is 0). NULL when `t` is NULL.
CREATE OR REPLACE MACRO metrics.office_clock_us(t, opens_at, closes_at, open_before_us) AS
CASE WHEN t IS NULL THEN NULL
     WHEN opens_at IS NULL THEN CAST(0 AS BIGINT)
     ELSE open_before_us + least(epoch_us(CAST(t AS TIMESTAMP)) - epoch_us(opens_at), epoch_us(closes_at) - epoch_us(opens_at))
END;

--- Office seconds (DOUBLE) from instant `a` to instant `b` for every row
--- of table (or view) `pairs`, which has columns `account_id`, `started_at`,
--- `ended_at` (UTC TIMESTAMPs): the row's columns plus `office_seconds`, the
--- open time of the account's schedule (`team`'s when given and it has one)
--- in [started_at, ended_at); negative when ended_at is before started_at,
--- like `metrics.seconds_between`; NULL when either is NULL. Two ASOF joins
--- to `metrics.office_clock` over the pairs' range.
CREATE OR REPLACE MACRO metrics.office_durations(pairs, team := NULL, snap := NULL) AS TABLE
WITH input AS (
    SELECT * FROM query_table(pairs)
),
clock AS MATERIALIZED (
    SELECT * FROM metrics.office_clock((SELECT least(min(started_at), min(ended_at)) FROM input),
                                       (SELECT greatest(max(started_at), max(ended_at)) + INTERVAL 1 SECOND FROM input),
                                       team := team, snap := snap)
    WHERE account_id IN (SELECT account_id FROM input)
)
SELECT p.*,
       (metrics.office_clock_us(p.ended_at, cb.opens_at, cb.closes_at, cb.open_before_us)
        - metrics.office_clock_us(p.started_at, ca.opens_at, ca.closes_at, ca.open_before_us)) / 1000000 AS office_seconds
FROM input AS p
ASOF LEFT JOIN clock AS ca ON ca.account_id = p.account_id AND p.started_at >= ca.opens_at
ASOF LEFT JOIN clock AS cb ON cb.account_id = p.account_id AND p.ended_at >= cb.opens_at;

--- Office seconds (DOUBLE) of account `account` from instant `a` to
--- instant `b` (`team`: that team's schedule when it has one): the overlap
--- of [a, b) with `metrics.office_intervals`; negative when b is before a,
--- NULL when either is NULL. One query per call: for many pairs, join to
--- `metrics.office_clock` (or use `metrics.office_durations`).
CREATE OR REPLACE MACRO metrics.office_seconds(account, a, b, team := NULL, snap := NULL) AS (
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL
                ELSE sign(epoch_us(CAST(b AS TIMESTAMP)) - epoch_us(CAST(a AS TIMESTAMP)))
                     * coalesce(sum(greatest(0, epoch_us(least(greatest(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP)), i.closes_at))
                                                - epoch_us(greatest(least(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP)), i.opens_at)))), 0)
                     / 1000000 END
    FROM metrics.office_intervals(least(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP)),
                                  greatest(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP)) + INTERVAL 1 SECOND,
                                  account := account, team := team, snap := snap) AS i
);

--- Whether an account keeps office hours (one row per account, or only
--- `account`), for report headers: `schedule` 'open 24/7' (no account-wide
--- office_hours rows and no holidays: office time is calendar time),
--- 'open 24/7 except holidays', or 'office hours'; `team_schedules`
--- (teams with their own), `holidays`, and `schedule_versions` (distinct
--- valid_from of the account-wide schedule).
CREATE OR REPLACE MACRO metrics.office_hours_summary(account := NULL, snap := NULL) AS TABLE
WITH s AS (SELECT * FROM metrics.office_schedule(account := account, snap := snap)),
h AS (SELECT account_id, count(*) AS holidays FROM main.holidays_at(metrics.snapshot_seq(snap))
      WHERE account IS NULL OR account_id = account GROUP BY account_id)
SELECT s.account_id,
       CASE WHEN bool_or(s.team_id = 0 AND NOT s.is_default) THEN 'office hours'
            WHEN coalesce(any_value(h.holidays), 0) > 0 THEN 'open 24/7 except holidays'
            ELSE 'open 24/7' END AS schedule,
       count(DISTINCT s.team_id) FILTER (WHERE s.team_id <> 0) AS team_schedules,
       coalesce(any_value(h.holidays), 0) AS holidays,
       count(DISTINCT s.valid_from) FILTER (WHERE s.team_id = 0) AS schedule_versions
FROM s LEFT JOIN h USING (account_id)
GROUP BY s.account_id;

--- The catalogue rows (`metrics.catalogue`) that report `report_name` shows:
--- with `office_hours`, each office-time twin `office_X` in place of the
--- calendar metric `X` of the same report and section, at X's ordinal;
--- without, the calendar metrics only. Separate metric ids keep JSON,
--- comparisons and audits from ever mixing a calendar value with an office
--- one under one name.
CREATE OR REPLACE MACRO metrics.report_catalogue(report_name, office_hours := false) AS TABLE
SELECT k.report, k.section, k.metric, k.label, k.unit, k.definition, coalesce(calendar.ordinal, k.ordinal) AS ordinal
FROM metrics.catalogue AS k
LEFT JOIN metrics.catalogue AS calendar
       ON calendar.report = k.report AND calendar.section = k.section AND 'office_' || calendar.metric = k.metric
LEFT JOIN metrics.catalogue AS twin
       ON twin.report = k.report AND twin.section = k.section AND twin.metric = 'office_' || k.metric
WHERE k.report = report_name
  AND CASE WHEN coalesce(office_hours, false) THEN twin.metric IS NULL ELSE calendar.metric IS NULL END;
