-- `.tables [PATTERN]`: what there is to query, in the order to read it:
--   1  the views of the current state (`conversations`, ...), what users query
--   2  the metric library (`metrics.*`): views, then macros
--   3  table macros of the state as of a snapshot (`conversations_at(seq)`)
--   4  everything else: history tables, deskql's own tables, older library
--      versions side by side, other schemas
-- Columns: rank, schema, name (macros with their parameters), kind, object
-- (the bare name, to find its documentation). The two `?` are the same
-- pattern (ILIKE, '%' for all), matched on the name or schema.name.
SELECT rank, "schema", "name", kind, object
FROM (
    SELECT CASE WHEN schema_name = 'main' THEN 1 WHEN schema_name = 'metrics' THEN 2 ELSE 4 END AS rank,
           schema_name AS "schema", view_name AS "name", 'view' AS kind, view_name AS object
    FROM duckdb_views()
    WHERE NOT internal
    UNION ALL
    SELECT CASE WHEN schema_name = 'metrics' THEN 2 WHEN schema_name = 'main' THEN 3 ELSE 4 END,
           schema_name, function_name || '(' || array_to_string(parameters, ', ') || ')',
           replace(function_type, '_', ' '), function_name
    FROM duckdb_functions()
    WHERE NOT internal AND function_type IN ('macro', 'table_macro')
    UNION ALL
    SELECT 4, schema_name, table_name, 'table', table_name
    FROM duckdb_tables()
    WHERE NOT internal
)
WHERE "name" ILIKE ? OR "schema" || '.' || "name" ILIKE ?
ORDER BY rank, "schema", kind DESC, "name"
