-- The staging view of a table written before it is checked (see
-- src/ingest/mod.rs, "written first"): its rows as written to history at
-- this snapshot, so that the checks scan DuckDB's own storage instead of
-- decoding the Parquet files again. Where a row came from (`_part`, `_row`)
-- is not kept in history: a broken rule is located in the files' view,
-- {{source}}, which only a failing snapshot reads again.
CREATE OR REPLACE TEMP VIEW {{stage}} AS
SELECT {{columns}}, CAST(NULL AS INTEGER) AS _part, CAST(NULL AS BIGINT) AS _row, _hash
FROM hist.{{table}}
WHERE _from_seq = {{seq}};
