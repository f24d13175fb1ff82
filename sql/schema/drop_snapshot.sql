-- Remove snapshot sequence ? (= $1) from one history table, keeping every other
-- snapshot's state exactly as it was. $2 is the next snapshot's sequence
-- (NULL when dropping the latest).
-- 1. Versions visible only in the dropped snapshot disappear.
DELETE FROM hist.{{table}} WHERE _from_seq = $1 AND _to_seq IS NOT DISTINCT FROM $2;
-- 2. Versions that began at the dropped snapshot now begin at the next one.
UPDATE hist.{{table}} SET _from_seq = $2 WHERE _from_seq = $1;
-- 3. Versions that ended at the dropped snapshot now end at the next one
--    (or become current again when the latest snapshot is dropped).
UPDATE hist.{{table}} SET _to_seq = $2 WHERE _to_seq = $1;
