-- Open a new version, starting at this snapshot, for every new or updated key.
INSERT INTO hist.{{table}} ({{columns}}, _from_seq, _to_seq, _hash)
SELECT {{columns}}, ?, NULL, _hash
FROM {{stage}} SEMI JOIN (SELECT {{keys}} FROM {{diff}} WHERE change IN ('insert', 'update')) USING ({{keys}});
