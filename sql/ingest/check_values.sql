-- The distinct values of a column outside its accepted set (first few).
SELECT list(DISTINCT CAST({{column}} AS VARCHAR) ORDER BY CAST({{column}} AS VARCHAR))[1:5] AS unknown
FROM {{stage}}
WHERE {{condition}};
