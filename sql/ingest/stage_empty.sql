-- An empty staging table, for an optional table absent from a full snapshot:
-- every current row of it is then closed as deleted.
CREATE TEMP TABLE {{stage}} AS
SELECT {{columns}}, NULL::INTEGER AS _part, NULL::BIGINT AS _row, _hash
FROM hist.{{table}} LIMIT 0;
