-- Names offered by TAB completion in the REPL, read from the live catalog on
-- each connection: (kind, schema_name, relation, name).
--   keyword   SQL keywords of this DuckDB
--   schema    schemas (DuckDB's own information_schema/pg_catalog left out)
--   relation  tables and views
--   function  macros, table macros and functions (operators left out)
--   column    columns of tables and views, with their relation
SELECT 'keyword' AS kind, NULL AS schema_name, NULL AS relation, keyword_name AS name
FROM duckdb_keywords()
UNION ALL
SELECT 'schema', schema_name, NULL, schema_name
FROM duckdb_schemas()
WHERE database_name NOT IN ('system', 'temp') AND schema_name NOT IN ('information_schema', 'pg_catalog')
UNION ALL
SELECT 'relation', schema_name, NULL, table_name
FROM duckdb_tables()
UNION ALL
SELECT 'relation', schema_name, NULL, view_name
FROM duckdb_views()
WHERE NOT internal
UNION ALL
SELECT DISTINCT 'function', CASE WHEN internal THEN NULL ELSE schema_name END, NULL, function_name
FROM duckdb_functions()
WHERE regexp_matches(function_name, '^[A-Za-z][A-Za-z0-9_]*$')
UNION ALL
SELECT 'column', schema_name, table_name, column_name
FROM duckdb_columns()
WHERE NOT internal
