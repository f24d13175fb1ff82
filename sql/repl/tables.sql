-- `.tables`: the base tables of the database (history, catalog, library),
-- with DuckDB's row estimate.
SELECT schema_name AS "schema", table_name AS "name", estimated_size AS "rows", column_count AS "columns", "comment"
FROM duckdb_tables()
WHERE NOT internal
ORDER BY database_name <> current_database(), schema_name, table_name
