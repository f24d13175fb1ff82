//! The ingest SQL templates from `sql/ingest/`, rendered per contract table.
//! Placeholders only ever receive identifiers from the contract (quoted) or
//! fragments built from them; values are bound as parameters.

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

/// Replace each `{{name}}` with its value. A placeholder left unreplaced is a
/// programming error, caught by the tests that run every template.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut sql = template.to_string();
    for (name, value) in values {
        sql = sql.replace(&format!("{{{{{name}}}}}"), value);
    }
    debug_assert!(!sql.contains("{{"), "unrendered placeholder in:\n{sql}");
    sql
}

#[cfg(test)]
mod tests {
    #[test]
    fn render_replaces_every_occurrence() {
        assert_eq!(super::render("a {{x}} b {{x}} {{y}}", &[("x", "1"), ("y", "2")]), "a 1 b 1 2");
    }
}
