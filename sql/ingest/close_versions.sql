-- Close the current version of every updated or deleted key at this snapshot.
UPDATE hist.{{table}} AS h
SET _to_seq = ?
FROM {{diff}} AS d
WHERE h._to_seq IS NULL AND {{key_match}} AND d.change IN ('update', 'delete');
