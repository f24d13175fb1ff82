-- `.describe NAME`: the object NAME stands for, as DuckDB's search path
-- would find it (main first). Parameters: the bare name, then the schema
-- (NULL: any schema). Columns: schema, name, kind ('table', 'view' or 'macro').
SELECT "schema", "name", kind
FROM (
    SELECT schema_name AS "schema", table_name AS "name", 'table' AS kind FROM duckdb_tables() WHERE NOT internal
    UNION ALL
    SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE NOT internal
    UNION ALL
    SELECT DISTINCT schema_name, function_name, 'macro' FROM duckdb_functions()
    WHERE NOT internal AND function_type IN ('macro', 'table_macro')
)
WHERE lower("name") = lower($1) AND ($2 IS NULL OR lower("schema") = lower($2))
ORDER BY "schema" <> 'main', kind = 'macro', "schema"
LIMIT 1
