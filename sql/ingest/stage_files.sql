-- The part files of one table, for its staging view: ? is the paths joined
-- by chr(31) (which no path holds; deskql refuses one that does).
SET VARIABLE {{files_variable}} = string_split(CAST(? AS VARCHAR), chr(31));
