-- `.snapshots`: every snapshot; `current` marks the one queries see now
-- (the pinned one, else the latest). {{variable}}: the pinning session variable.
SELECT seq, id,
       strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ') AS taken_at,
       strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at,
       mode, input_rows,
       seq = coalesce(getvariable('{{variable}}'), max(seq) OVER ()) AS "current"
FROM deskql_meta.snapshots
ORDER BY seq
