-- Primary-key values that occur more than once: how many keys, and the first
-- such key with the rows it appears in.
SELECT count(*) OVER () AS duplicated_keys, {{key_text}} AS row_key, array_to_string(rows, ', ') AS rows
FROM (
    SELECT {{keys}}, list(_row + 1 ORDER BY _part, _row)[1:5] AS rows, min(_part) AS first_part, min(_row) AS first_row
    FROM {{stage}}
    GROUP BY {{keys}}
    HAVING count(*) > 1
)
ORDER BY first_part, first_row
LIMIT 1;
