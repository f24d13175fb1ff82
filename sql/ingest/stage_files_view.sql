-- The staging view the checks and the diff read, when they read the files:
-- the files' view itself (stage_create.sql).
CREATE OR REPLACE TEMP VIEW {{stage}} AS
SELECT * FROM {{source}};
