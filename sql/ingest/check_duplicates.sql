-- Primary-key values that occur more than once: how many keys, and the first
-- such key (by file and row) with the rows it appears in. The rows are only
-- listed for duplicated keys: grouping every key with a list of its rows
-- costs more than the whole copy of a large table.
WITH duplicated AS (
    SELECT {{keys}}, min(_part) AS first_part, arg_min(_row, _part * 4294967296 + _row) AS first_row
    FROM {{stage}}
    GROUP BY {{keys}}
    HAVING count(*) > 1
),
first_key AS (
    SELECT * FROM duplicated ORDER BY first_part, first_row LIMIT 1
)
SELECT (SELECT count(*) FROM duplicated) AS duplicated_keys,
       {{key_text}} AS row_key,
       array_to_string(list(_row + 1 ORDER BY _part, _row)[1:5], ', ') AS rows
FROM {{stage}} SEMI JOIN first_key USING ({{keys}})
GROUP BY {{keys}};
