-- Rows of a staged table that break one rule: how many, and the first one
-- (by file and row) with its key and the offending value.
SELECT count(*) OVER () AS violations, _part, _row, {{key_text}} AS row_key, CAST({{value}} AS VARCHAR) AS value
FROM {{stage}}
WHERE {{condition}}
ORDER BY _part, _row
LIMIT 1;
