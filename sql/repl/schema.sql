-- `.schema [PATTERN]`: the CREATE statement of every table, view, macro and
-- index whose name (or schema.name) matches the pattern (ILIKE, bound twice;
-- '%' for all), in the order `.tables` lists them.
SELECT "sql"
FROM (
    SELECT schema_name AS "schema", view_name AS "name", 1 AS rank, "sql"
    FROM duckdb_views()
    WHERE NOT internal
    UNION ALL
    SELECT schema_name, function_name, 2,
           'CREATE MACRO ' || schema_name || '.' || function_name || '(' || array_to_string(parameters, ', ') || ') AS '
           || CASE WHEN function_type = 'table_macro' THEN 'TABLE ' ELSE '' END || macro_definition
    FROM duckdb_functions()
    WHERE NOT internal AND function_type IN ('macro', 'table_macro')
    UNION ALL
    SELECT schema_name, table_name, 3, "sql"
    FROM duckdb_tables()
    WHERE NOT internal
    UNION ALL
    SELECT schema_name, index_name, 4, "sql"
    FROM duckdb_indexes()
    WHERE "sql" IS NOT NULL
)
WHERE "name" ILIKE ? OR "schema" || '.' || "name" ILIKE ?
ORDER BY "schema" <> 'main', "schema", rank, "name"
