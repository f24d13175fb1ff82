-- `.describe NAME` for a macro or table macro: its parameters and body.
-- Parameters: the schema and the name, as `resolve.sql` found them.
SELECT schema_name AS "schema", function_name AS "name", replace(function_type, '_', ' ') AS "kind",
       array_to_string(parameters, ', ') AS "parameters", macro_definition AS "definition", "comment"
FROM duckdb_functions()
WHERE NOT internal AND function_type IN ('macro', 'table_macro')
  AND schema_name = ? AND function_name = ?
ORDER BY 1
