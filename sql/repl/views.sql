-- `.views`: views (the state of each table as of the pinned snapshot, the
-- metric views) and table macros (`<table>_at(seq)`, report macros).
SELECT schema_name AS "schema", view_name AS "name", 'view' AS "kind", "comment"
FROM duckdb_views()
WHERE NOT internal
UNION ALL
SELECT schema_name, function_name || '(' || array_to_string(parameters, ', ') || ')',
       replace(function_type, '_', ' '), "comment"
FROM duckdb_functions()
WHERE NOT internal AND function_type IN ('macro', 'table_macro')
ORDER BY 1, 3 DESC, 2
