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

/// The queries of the contract's `warnings` (`sql/ingest/warnings/`), by
/// the name the contract gives: rendered with `{{stage}}` and `{{key_text}}`,
/// they return what `CHECK_ROWS` returns.
const WARNING_QUERIES: &[(&str, &str)] = &[("office_hours_overlaps", include_str!("../../sql/ingest/warnings/office_hours_overlaps.sql"))];

pub fn warning_query(name: &str) -> Option<&'static str> {
    WARNING_QUERIES.iter().find(|(n, _)| *n == name).map(|(_, sql)| *sql)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_warning_of_the_contract_has_its_query() {
        for table in &crate::contract::Contract::get().tables {
            for warning in &table.warnings {
                assert!(super::warning_query(&warning.query).is_some(), "{}: no query {} in sql/ingest/warnings/", table.name, warning.query);
            }
        }
    }
}
