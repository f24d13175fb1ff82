-- The staging view of one table: its Parquet part files (the list held in
-- session variable {{files_variable}}, set with a bound parameter, never
-- spliced into SQL), every contract column cast to its type, the raw value of
-- each column whose cast may fail (`_raw_<column>`), the part file index and
-- the row number in that file (for error messages: DuckDB's virtual columns
-- `file_index` and `file_row_number`, or NULL when a file has real columns of
-- those names, which hide them), and the hash of the non-key columns.
-- A view, not a copy: each check reads only the columns it needs straight
-- from Parquet, and rows are written once, into history.
CREATE OR REPLACE TEMP VIEW {{stage}} AS
SELECT *, {{hash}} AS _hash
FROM (
    SELECT {{select_list}},
           {{part}} AS _part,
           {{row}} AS _row
    FROM read_parquet(getvariable('{{files_variable}}'))
);
