-- Warning `overlapping_intervals` of table office_hours: intervals that
-- overlap an earlier-opening interval of the same account, team, valid_from
-- and weekday. Not an error: the library merges them into their union, so
-- the figures are well defined, and refusing a redundant export would stop
-- a cron ingest. Intervals that only touch (09:00-12:00, 12:00-17:00) are
-- not reported. `closes` 00:00 means 24:00; rows that close at or before
-- they open are refused by the rule `closes_after_opens` and left out here.
-- Same shape as check_rows.sql: how many, and the first one by file and row.
WITH valid AS (
    SELECT _part, _row, account_id, team_id, valid_from, weekday, opens,
           CASE WHEN closes = TIME '00:00:00' THEN TIME '24:00:00' ELSE closes END AS closes
    FROM {{stage}}
    WHERE opens < CASE WHEN closes = TIME '00:00:00' THEN TIME '24:00:00' ELSE closes END
),
ordered AS (
    SELECT *,
           max(closes) OVER (PARTITION BY account_id, team_id, valid_from, weekday ORDER BY opens, closes
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_closes
    FROM valid
)
SELECT count(*) OVER () AS violations, _part, _row, {{key_text}} AS row_key, CAST(NULL AS VARCHAR) AS value
FROM ordered
WHERE opens < earlier_closes
ORDER BY _part, _row
LIMIT 1;
