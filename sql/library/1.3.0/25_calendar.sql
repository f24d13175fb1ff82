-- deskql metric library 1.3.0: the calendar of a report period, for the
-- figures that are averages over time: per-day rates, the busiest day and
-- hour (an average per occurrence of the weekday or hour), and how a
-- comparison reads when the previous figure was zero.
--
-- "Known" means before the snapshot's as-of time (`taken_at`): a period that
-- ends after it has data for its first part only, so a rate divides by the
-- days of that part, not by days that have not happened yet in the data.

--- The number of days a per-day rate of the period [local_from, local_to)
--- (local dates of `zone_name`) divides by: the period's days; or, when the
--- period ends after the snapshot's as-of time `taken_at` (UTC), the
--- wall-clock days of the zone from the period's start to the as-of time,
--- with the fraction of the last day (an as-of time of 15 November 01:00
--- local gives 14.04 days for a period starting on 1 November). NULL when
--- the as-of time is not after the period's start (nothing is known yet).
CREATE OR REPLACE MACRO metrics.rate_days(local_from, local_to, zone_name, taken_at) AS
CASE WHEN metrics.to_local(taken_at, zone_name) < CAST(CAST(local_to AS DATE) AS TIMESTAMP)
     THEN nullif(greatest(epoch(metrics.to_local(taken_at, zone_name)) - epoch(CAST(CAST(local_from AS DATE) AS TIMESTAMP)), 0), 0) / 86400.0
     ELSE CAST(CAST(local_to AS DATE) - CAST(local_from AS DATE) AS DOUBLE)
END;

--- The local days of the period [local_from, local_to) that have begun by
--- the snapshot's as-of time `taken_at` (UTC), one row each: `day` and its
--- `weekday` (1 = Monday ... 7 = Sunday). How often each weekday occurs in
--- the known part of a period: a 31-day month has five of three weekdays.
CREATE OR REPLACE MACRO metrics.period_days(local_from, local_to, zone_name, taken_at) AS TABLE
SELECT CAST(d AS DATE) AS day, isodow(d) AS weekday
FROM range(CAST(CAST(local_from AS DATE) AS TIMESTAMP), CAST(CAST(local_to AS DATE) AS TIMESTAMP), INTERVAL 1 DAY) AS r(d)
WHERE d < metrics.to_local(taken_at, zone_name);

--- How often each local hour of the day occurs in the known part of the UTC
--- span [utc_from, utc_to) (up to `taken_at`), in `zone_name`: one row per
--- hour of the day (`hour_of_day`, 0-23) with `occurrences`, in hours. A
--- 31-day month gives 31 for each hour, 32 for the hour repeated when the
--- clocks go back and 30 for the one skipped when they go forward. Counted
--- on a 15-minute grid of UTC instants (every zone's offset is a multiple of
--- 15 minutes), each read in local time through `deskql_meta.tz_offsets`.
CREATE OR REPLACE MACRO metrics.hour_occurrences(utc_from, utc_to, zone_name, taken_at) AS TABLE
SELECT hour(r.t + to_seconds(o.offset_seconds)) AS hour_of_day, count(*) / 4.0 AS occurrences
FROM range(utc_from, least(utc_to, taken_at), INTERVAL 15 MINUTE) AS r(t)
JOIN deskql_meta.tz_offsets AS o ON o.tz = zone_name AND r.t >= o.utc_from AND r.t < o.utc_to
GROUP BY ALL;

--- Why a compared card has no `change` (`metrics.change`) although there is
--- a current figure: 'no previous value' when the previous figure is NULL
--- (nothing to compare with) or, for counts, rates, times and ratios, 0
--- (a percent change from 0 is undefined; reports show "new"); 'no change'
--- when both are 0. NULL otherwise, and for weekdays and hours (positions are
--- not compared).
CREATE OR REPLACE MACRO metrics.change_note(unit, current, previous) AS
CASE
    WHEN unit NOT IN ('count', 'per_day', 'seconds', 'ratio', 'percent', 'score') OR current IS NULL THEN NULL
    WHEN previous IS NULL THEN 'no previous value'
    WHEN unit IN ('count', 'per_day', 'seconds', 'ratio') AND previous = 0
        THEN CASE WHEN current = 0 THEN 'no change' ELSE 'no previous value' END
    ELSE NULL
END;
