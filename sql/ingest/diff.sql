-- Row keys whose state differs between the staged snapshot and the current
-- versions: 'insert' (new key), 'update' (content hash changed) and, in full
-- mode only, 'delete' (key absent from the snapshot).
CREATE TEMP TABLE {{diff}} AS
SELECT {{keys}},
       CASE WHEN h._hash IS NULL THEN 'insert'
            WHEN s._hash IS NULL THEN 'delete'
            ELSE 'update' END AS change
FROM (SELECT {{keys}}, _hash FROM {{stage}}) AS s
{{join}} (SELECT {{keys}}, _hash FROM hist.{{table}} WHERE _to_seq IS NULL) AS h
USING ({{keys}})
WHERE s._hash IS DISTINCT FROM h._hash;
