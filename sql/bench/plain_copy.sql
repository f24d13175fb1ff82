-- Benchmark baseline: the plainest way to put a Parquet table into DuckDB, with
-- no validation, no history and no hashing. `deskql bench` times this for every
-- contract table of a snapshot and compares `deskql ingest` against it.
CREATE TABLE {{table}} AS SELECT * FROM read_parquet(?);
