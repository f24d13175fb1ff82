-- Rows whose reference finds no row in the referenced table (in the staged
-- snapshot and, in incremental mode, the current versions too).
SELECT count(*) AS orphans, min({{key_text}}) AS sample
FROM {{stage}} AS s
WHERE {{not_null}} AND NOT EXISTS (
    SELECT 1 FROM ({{target}}) AS t WHERE {{match}}
);
