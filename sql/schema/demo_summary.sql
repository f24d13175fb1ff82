-- What `deskql demo` shows after ingesting the samples: per table, rows in the
-- latest state and what the second snapshot changed.
SELECT t.table_name AS "table",
       sum(t.input_rows) FILTER (WHERE s.seq = (SELECT max(seq) FROM deskql_meta.snapshots)) AS latest_rows,
       sum(t.inserted) FILTER (WHERE s.seq > 1) AS new,
       sum(t.updated) FILTER (WHERE s.seq > 1) AS changed,
       sum(t.deleted) FILTER (WHERE s.seq > 1) AS deleted
FROM deskql_meta.snapshot_tables t JOIN deskql_meta.snapshots s USING (seq)
GROUP BY t.table_name
ORDER BY t.table_name;
