-- The staging table: contract columns cast to their types, the raw value of each
-- column whose cast may fail (`_raw_<column>`), the part file index and the row
-- number in that file (for error messages), and the hash of the non-key columns.
CREATE TEMP TABLE {{stage}} AS
SELECT *, {{hash}} AS _hash
FROM (
    SELECT {{select_list}}, ?::INTEGER AS _part, file_row_number AS _row
    FROM read_parquet(?, file_row_number = true)
);
