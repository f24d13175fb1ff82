-- deskql internal schema. Every statement is idempotent: it runs when the
-- schema's definition changed (see deskql_meta.schema_state below).

CREATE SCHEMA IF NOT EXISTS deskql_meta;
CREATE SCHEMA IF NOT EXISTS hist;

-- Storage layout version and the tool version that created the file.
CREATE TABLE IF NOT EXISTS deskql_meta.meta (
    storage_version BIGINT NOT NULL,
    created_by VARCHAR NOT NULL
);

-- One row per ingested snapshot. `seq` orders snapshots; row versions in
-- hist.* refer to it through _from_seq / _to_seq.
CREATE TABLE IF NOT EXISTS deskql_meta.snapshots (
    seq INTEGER PRIMARY KEY,
    id VARCHAR NOT NULL UNIQUE,          -- user label (--snapshot) or derived from the content hash
    taken_at TIMESTAMP NOT NULL,         -- UTC; --as-of, else the newest input file's mtime
    ingested_at TIMESTAMP NOT NULL,      -- UTC
    source VARCHAR NOT NULL,             -- the directory ingested
    content_hash VARCHAR NOT NULL,       -- SHA-256 over the input files' names and bytes
    mode VARCHAR NOT NULL,               -- 'full' or 'incremental'
    input_rows BIGINT NOT NULL,          -- rows in the input files, all tables
    tool_version VARCHAR NOT NULL
);

-- Per snapshot and table: rows in the input and the row versions it changed.
CREATE TABLE IF NOT EXISTS deskql_meta.snapshot_tables (
    seq INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    input_rows BIGINT,                   -- NULL: the table was not in the input
    inserted BIGINT NOT NULL,            -- new keys
    updated BIGINT NOT NULL,             -- keys whose content changed
    deleted BIGINT NOT NULL,             -- keys absent from a full snapshot
    PRIMARY KEY (seq, table_name)
);

-- UTC offset of each IANA time zone over [utc_from, utc_to), written by deskql
-- from chrono-tz because the bundled DuckDB has no ICU. Local time of a UTC
-- instant ts in zone z: ts + to_seconds(offset_seconds) for the row with
-- tz = z AND ts >= utc_from AND ts < utc_to.
CREATE TABLE IF NOT EXISTS deskql_meta.tz_offsets (
    tz VARCHAR NOT NULL,
    utc_from TIMESTAMP NOT NULL,
    utc_to TIMESTAMP NOT NULL,
    offset_seconds INTEGER NOT NULL,
    abbreviation VARCHAR NOT NULL
);

-- Installed metric library versions, one row per schema: `metrics` (the
-- current one, `deskql views install`) and side-by-side schemas of older
-- versions (`metrics_1_0_0`, installed for audits).
CREATE TABLE IF NOT EXISTS deskql_meta.library (
    schema_name VARCHAR PRIMARY KEY,
    version VARCHAR NOT NULL,
    sql_sha256 VARCHAR NOT NULL,         -- SHA-256 of the version's manifest and files
    installed_at TIMESTAMP NOT NULL,     -- UTC
    tool_version VARCHAR NOT NULL
);

-- Every object of an installed library version, with the SHA-256 of its SQL.
CREATE TABLE IF NOT EXISTS deskql_meta.library_objects (
    schema_name VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- macro, table macro, view
    sha256 VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER NOT NULL,
    doc VARCHAR NOT NULL,
    PRIMARY KEY (schema_name, name)
);

-- Every attempt of `deskql mail` to deliver a report to one recipient
-- (src/mail/deliveries.rs): written 'sending' before the message goes to
-- the server, then 'sent' once the server accepted it, or 'failed' with
-- its answer; a 'sending' row left behind means deskql was stopped mid-send
-- (in doubt: not sent again without --resend).
CREATE TABLE IF NOT EXISTS deskql_meta.mail_deliveries (
    report VARCHAR NOT NULL,          -- 'usage'
    account_id BIGINT NOT NULL,
    month VARCHAR NOT NULL,           -- the report's month, YYYY-MM
    recipient VARCHAR NOT NULL,       -- the envelope's one RCPT TO
    snapshot_id VARCHAR NOT NULL,     -- the snapshot the report read
    digest VARCHAR NOT NULL,          -- the figures' digest (as `audit run` records it)
    message_id VARCHAR NOT NULL,      -- the Message-ID header, without <>
    server VARCHAR NOT NULL,          -- smtp[s]://host:port, never credentials
    status VARCHAR NOT NULL,          -- sending | sent | failed
    attempted_at TIMESTAMP NOT NULL,  -- UTC
    finished_at TIMESTAMP,            -- UTC, when the server answered (or did not)
    error VARCHAR                     -- the server's or the connection's answer when failed
);

-- The Usage report's figures of every account for one month, stored by the
-- first report that needs them and read by every later one (README "Usage
-- report"; src/report/usage_figures.rs). Derived data: one set per
-- snapshot, library SQL, month, deflection window and office-hours flag,
-- deleted with its snapshot; audits recompute the figures instead.
CREATE TABLE IF NOT EXISTS deskql_meta.usage_figure_sets (
    snapshot_seq INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,    -- the snapshot's, at the time
    library_sha256 VARCHAR NOT NULL,  -- the library SQL that computed them
    month_start DATE NOT NULL,        -- the month (each account's local month)
    deflection_window BIGINT NOT NULL, -- seconds
    office_hours BOOLEAN NOT NULL,
    accounts BIGINT NOT NULL,
    computed_at TIMESTAMP NOT NULL,   -- UTC
    tool_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS deskql_meta.usage_figures (
    snapshot_seq INTEGER NOT NULL,
    library_sha256 VARCHAR NOT NULL,
    month_start DATE NOT NULL,
    deflection_window BIGINT NOT NULL,
    office_hours BOOLEAN NOT NULL,
    account_id BIGINT NOT NULL,
    section VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    value DOUBLE
);

-- SHA-256 of the schema's definition (this file, the generated history
-- tables and views, the time-zone list) when it was last brought up to date:
-- a read-write open with the same definition has nothing to do, and writes
-- nothing (src/storage/schema.rs).
CREATE TABLE IF NOT EXISTS deskql_meta.schema_state (
    sha256 VARCHAR NOT NULL
);
