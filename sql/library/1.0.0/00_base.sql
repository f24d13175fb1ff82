-- deskql metric library: snapshots, time zones, checks.
--
-- Conventions of the whole library (see sql/library/README.md):
-- - `--- ` lines are doc comments: a block right before a CREATE documents that
--   object; a block starting with `--- @metric` documents one metric. deskql
--   builds `metrics.catalogue` and `deskql metrics` from them.
-- - Every object reads the base views through `main.<table>_at(seq)`, with
--   `seq = metrics.snapshot_seq(snap)`, so that a `snap := N` argument, or the
--   session variable `deskql_snapshot`, pins it to one snapshot.
-- - Instants are UTC TIMESTAMPs. Local time comes from `deskql_meta.tz_offsets`
--   (written by deskql from chrono-tz): no ICU, plain SQL in any DuckDB client.
-- - Durations are DOUBLE seconds; shares are percents (0-100).
-- - Objects live in schema `metrics`, which the installer creates (and
--   renames for a version installed side by side, e.g. `metrics_1_0_0`).

--- The snapshot sequence that library objects read: `snap` when given, else
--- the session's pinned snapshot (`SET VARIABLE deskql_snapshot = N`), else
--- NULL, which the base macros read as the latest snapshot.
CREATE OR REPLACE MACRO metrics.snapshot_seq(snap) AS coalesce(snap, getvariable('deskql_snapshot'));

--- The snapshot a report reads, as one row (seq, id, taken_at, content_hash):
--- the one `metrics.snapshot_seq(snap)` names, else the latest.
CREATE OR REPLACE MACRO metrics.snapshot(snap := NULL) AS TABLE
SELECT seq, id, taken_at, content_hash
FROM deskql_meta.snapshots
WHERE seq = coalesce(metrics.snapshot_seq(snap), (SELECT max(seq) FROM deskql_meta.snapshots));

--- TRUE, or an error with `message`: lets a macro refuse bad arguments with a
--- clear message from any DuckDB client.
CREATE OR REPLACE MACRO metrics.assert(condition, message) AS
CASE WHEN condition THEN true ELSE error(message) END;

--- UTC offset in seconds of time zone `zone` at UTC instant `ts`.
CREATE OR REPLACE MACRO metrics.utc_offset_seconds(ts, zone) AS (
    SELECT o.offset_seconds
    FROM deskql_meta.tz_offsets AS o
    WHERE o.tz = zone AND ts >= o.utc_from AND ts < o.utc_to
);

--- Local wall-clock time in `zone` of the UTC instant `ts`.
CREATE OR REPLACE MACRO metrics.to_local(ts, zone) AS
ts + to_seconds(metrics.utc_offset_seconds(ts, zone));

--- The UTC instant at which the wall clock of `zone` shows `wall`. A wall time
--- that occurs twice (clocks going back) gives the earlier instant; one that
--- never occurs (clocks going forward) gives the instant of the change, i.e.
--- the first existing wall time after it.
CREATE OR REPLACE MACRO metrics.to_utc(wall, zone) AS (
    SELECT coalesce(
        min(wall - to_seconds(o.offset_seconds)) FILTER (
            WHERE wall - to_seconds(o.offset_seconds) >= o.utc_from
              AND wall - to_seconds(o.offset_seconds) < o.utc_to),
        min(o.utc_from) FILTER (WHERE o.utc_from + to_seconds(o.offset_seconds) > wall))
    FROM deskql_meta.tz_offsets AS o
    WHERE o.tz = zone
);

--- Seconds from instant `a` to instant `b` (DOUBLE; NULL if either is NULL).
CREATE OR REPLACE MACRO metrics.seconds_between(a, b) AS epoch(b) - epoch(a);

--- Percent change from `previous` to `current` for counts, rates and times;
--- point difference for percents and scores; NULL for positions (weekday,
--- hour) and when there is nothing to compare with (no previous value, or a
--- previous count of zero).
CREATE OR REPLACE MACRO metrics.change(unit, current, previous) AS
CASE
    WHEN unit IN ('percent', 'score') THEN current - previous
    WHEN unit IN ('count', 'per_day', 'seconds', 'ratio') AND previous <> 0
        THEN (current - previous) / abs(previous) * 100
    ELSE NULL
END;

--- The unit of a change computed by `metrics.change`: 'points' for percents
--- and scores, 'percent' for the rest, NULL where no change is computed.
CREATE OR REPLACE MACRO metrics.change_unit(unit) AS
CASE
    WHEN unit IN ('percent', 'score') THEN 'points'
    WHEN unit IN ('count', 'per_day', 'seconds', 'ratio') THEN 'percent'
    ELSE NULL
END;
