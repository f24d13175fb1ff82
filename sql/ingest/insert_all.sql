-- A table without current rows in history (its first snapshot, or after it
-- was emptied): every staged row is a new version, no diff needed.
INSERT INTO hist.{{table}} ({{columns}}, _from_seq, _to_seq, _hash)
SELECT {{columns}}, ?, NULL, _hash
FROM {{stage}};
