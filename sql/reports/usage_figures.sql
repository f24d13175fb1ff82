-- The Usage report's stored figures (src/report/usage_figures.rs): every
-- account's figures of one month, computed once per snapshot, library SQL,
-- month, deflection window and office-hours flag, and read by each report
-- of that month. Values are bound ($name), never interpolated.

-- name: store_exists
SELECT count(*) = 2 FROM duckdb_tables()
WHERE schema_name = 'deskql_meta' AND table_name IN ('usage_figure_sets', 'usage_figures');

-- name: is_stored
-- The content hash guards against a snapshot dropped and its sequence
-- number given to a new one (its rows are deleted with it as well).
SELECT count(*) > 0 FROM deskql_meta.usage_figure_sets
WHERE snapshot_seq = $seq AND content_hash = $content_hash AND library_sha256 = $library_sha256
  AND month_start = CAST($month_start AS DATE) AND deflection_window = $deflection_window AND office_hours = $office_hours;

-- name: create_temp
CREATE OR REPLACE TEMP TABLE usage_month_figures (account_id BIGINT, section VARCHAR, metric VARCHAR, value DOUBLE);
CREATE OR REPLACE TEMP TABLE usage_own_figures (account_id BIGINT, section VARCHAR, metric VARCHAR, value DOUBLE);

-- name: drop_temp
DROP TABLE IF EXISTS temp.main.usage_month_figures;
DROP TABLE IF EXISTS temp.main.usage_own_figures;

-- name: load_stored
INSERT INTO temp.main.usage_month_figures
SELECT account_id, section, metric, value FROM deskql_meta.usage_figures
WHERE snapshot_seq = $seq AND library_sha256 = $library_sha256 AND month_start = CAST($month_start AS DATE)
  AND deflection_window = $deflection_window AND office_hours = $office_hours;

-- name: own_from_month
INSERT INTO temp.main.usage_own_figures
SELECT * FROM temp.main.usage_month_figures WHERE account_id = $account;

-- name: store_rows
INSERT INTO deskql_meta.usage_figures
SELECT $seq, $library_sha256, CAST($month_start AS DATE), $deflection_window, $office_hours, account_id, section, metric, value
FROM temp.main.usage_month_figures;

-- name: store_set
INSERT INTO deskql_meta.usage_figure_sets
SELECT $seq, $content_hash, $library_sha256, CAST($month_start AS DATE), $deflection_window, $office_hours,
       (SELECT count(DISTINCT account_id) FROM temp.main.usage_month_figures), now()::TIMESTAMP, $tool_version;

-- name: forget_other_libraries
-- After a library install: sets computed by SQL no schema has any more.
DELETE FROM deskql_meta.usage_figures WHERE library_sha256 NOT IN (SELECT sql_sha256 FROM deskql_meta.library);
DELETE FROM deskql_meta.usage_figure_sets WHERE library_sha256 NOT IN (SELECT sql_sha256 FROM deskql_meta.library);

-- name: forget_all
-- `deskql bench`: time the first report of a month again.
DELETE FROM deskql_meta.usage_figures;
DELETE FROM deskql_meta.usage_figure_sets;
