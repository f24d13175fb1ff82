-- The snapshot catalog's queries (src/catalog.rs), one `-- name:` section
-- each. Values are bound ($1, $2, ...), never interpolated.

-- name: list
SELECT seq, id, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ'),
       mode, input_rows, content_hash, source, tool_version
FROM deskql_meta.snapshots
ORDER BY seq;

-- name: by_id
SELECT seq, id, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ'),
       mode, input_rows, content_hash, source, tool_version
FROM deskql_meta.snapshots
WHERE id = $1;

-- name: by_seq
SELECT seq, id, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ'),
       mode, input_rows, content_hash, source, tool_version
FROM deskql_meta.snapshots
WHERE seq = $1;

-- name: latest
SELECT seq, id, strftime(taken_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ'),
       mode, input_rows, content_hash, source, tool_version
FROM deskql_meta.snapshots
ORDER BY seq DESC
LIMIT 1;

-- name: next_seq
SELECT coalesce(max(seq), 0) + 1 FROM deskql_meta.snapshots;

-- name: following_seq
SELECT min(seq) FROM deskql_meta.snapshots WHERE seq > $1;

-- name: record
INSERT INTO deskql_meta.snapshots VALUES ($1, $2, $3, now()::TIMESTAMP, $4, $5, $6, $7, $8);

-- name: forget_tables
DELETE FROM deskql_meta.snapshot_tables WHERE seq = $1;

-- name: forget_usage_figures
DELETE FROM deskql_meta.usage_figures WHERE snapshot_seq = $1;
DELETE FROM deskql_meta.usage_figure_sets WHERE snapshot_seq = $1;

-- name: forget
DELETE FROM deskql_meta.snapshots WHERE seq = $1;

-- name: exists
SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'deskql_meta' AND table_name = 'snapshots';
