-- Further part files of the same table, in the same shape as stage_create.sql.
INSERT INTO {{stage}}
SELECT *, {{hash}} AS _hash
FROM (
    SELECT {{select_list}}, ?::INTEGER AS _part, file_row_number AS _row
    FROM read_parquet(?, file_row_number = true)
);
