-- `.describe NAME` for a macro or table macro: its parameters and body.
-- {{schema}} and {{name}} are SQL string literals ({{schema}} NULL: any schema).
SELECT schema_name AS "schema", function_name AS "name", replace(function_type, '_', ' ') AS "kind",
       array_to_string(parameters, ', ') AS "parameters", macro_definition AS "definition", "comment"
FROM duckdb_functions()
WHERE NOT internal AND function_type IN ('macro', 'table_macro')
  AND lower(function_name) = lower({{name}}) AND ({{schema}} IS NULL OR lower(schema_name) = lower({{schema}}))
ORDER BY 1
