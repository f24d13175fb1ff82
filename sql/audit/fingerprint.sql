-- The fingerprint of one contract table as an audit reads it: the rows of
-- the account (or of every account when the account is NULL) as of the
-- snapshot, their count and the SHA-256 of their MD5s in key order. Any
-- change to a stored row (a tampered value, a row added or removed) changes
-- it; the same rows always give the same text, on any machine.
-- {{table_at}} and {{keys}} come from the contract; values are bound:
-- ? = snapshot seq, then the account id twice.
SELECT count(*) AS row_count,
       coalesce(sha256(string_agg(md5(CAST(t AS VARCHAR)), '' ORDER BY {{keys}})), '') AS sha256
FROM main.{{table_at}}(?) AS t
WHERE CAST(? AS BIGINT) IS NULL OR t.account_id = ?;
