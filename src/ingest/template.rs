//! The ingest SQL templates from `sql/ingest/`, rendered per contract table
//! with `sqltext::render`.

pub const STAGE_CREATE: &str = include_str!("../../sql/ingest/stage_create.sql");
pub const STAGE_FILES: &str = include_str!("../../sql/ingest/stage_files.sql");
pub const INSERT_ALL: &str = include_str!("../../sql/ingest/insert_all.sql");
pub const STAGE_EMPTY: &str = include_str!("../../sql/ingest/stage_empty.sql");
pub const DIFF: &str = include_str!("../../sql/ingest/diff.sql");
pub const CLOSE_VERSIONS: &str = include_str!("../../sql/ingest/close_versions.sql");
pub const INSERT_VERSIONS: &str = include_str!("../../sql/ingest/insert_versions.sql");
pub const CHECK_ROWS: &str = include_str!("../../sql/ingest/check_rows.sql");
pub const CHECK_VALUES: &str = include_str!("../../sql/ingest/check_values.sql");
pub const CHECK_DUPLICATES: &str = include_str!("../../sql/ingest/check_duplicates.sql");
pub const CHECK_REFERENCES: &str = include_str!("../../sql/ingest/check_references.sql");
