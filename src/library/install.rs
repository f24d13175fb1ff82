//! Installing a library version into the database: every object, the metric
//! catalogue and the bookkeeping rows, in one transaction.
//!
//! The current version lives in schema `metrics`. Installing is idempotent
//! (the same version and SQL again is a no-op), upgrades replace the schema,
//! and a downgrade is refused unless asked for. An older version can also be
//! installed side by side in its own schema (`metrics_1_0_0`), which audits
//! use to recompute figures with the definitions they were made with.

use anyhow::{Context, Result, bail};
use duckdb::{Connection, params};

use super::{Library, SCHEMA, Version};
use crate::sqltext::{named, quote_ident, render, split_statements};

const CATALOGUE_SQL: &str = include_str!("../../sql/schema/catalogue.sql");
const USAGE_FIGURES_SQL: &str = include_str!("../../sql/reports/usage_figures.sql");

/// Where a version goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Schema `metrics`; refuse to replace a newer version unless `allow_downgrade`.
    Current { allow_downgrade: bool },
    /// Its own schema, `metrics_<major>_<minor>_<patch>`.
    SideBySide,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Installed { schema: String, version: Version, replaced: Option<String> },
    Unchanged { schema: String, version: Version },
}

impl Outcome {
    pub fn message(&self) -> String {
        match self {
            Outcome::Installed { schema, version, replaced: None } => format!("installed metric library {version} in schema {schema}"),
            Outcome::Installed { schema, version, replaced: Some(old) } => {
                format!("installed metric library {version} in schema {schema} (replacing {old})")
            }
            Outcome::Unchanged { schema, version } => format!("metric library {version} is already installed in schema {schema}; nothing to do"),
        }
    }
}

/// One installed version, from `deskql_meta.library`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Installed {
    pub schema: String,
    pub version: String,
    pub sql_sha256: String,
    pub installed_at: String,
}

pub fn schema_for(library: &Library, target: Target) -> String {
    match target {
        Target::Current { .. } => SCHEMA.to_string(),
        Target::SideBySide => library.version.side_by_side_schema(),
    }
}

/// Install `library` (see the module doc). Runs its own transaction.
pub fn install(conn: &Connection, library: &Library, target: Target) -> Result<Outcome> {
    let schema = schema_for(library, target);
    let existing = installed_in(conn, &schema)?;
    if let Some(existing) = &existing {
        if existing.version == library.version.to_string() && existing.sql_sha256 == library.sha256 {
            return Ok(Outcome::Unchanged { schema, version: library.version });
        }
        if let Target::Current { allow_downgrade: false } = target
            && Version::parse(&existing.version)? > library.version
        {
            bail!(
                "refusing to downgrade the metric library in schema {schema} from {} to {}: reports would silently change. \
                 Pass --allow-downgrade to do it anyway, or install {} side by side (--side-by-side)",
                existing.version,
                library.version,
                library.version
            );
        }
    }
    crate::storage::in_transaction(conn, "the metric library", || write_schema(conn, library, &schema))
        .map_err(|err| err.context(format!("installing metric library {} in schema {schema}; the database was not changed", library.version)))?;
    let replaced = existing.map(|e| if e.version == library.version.to_string() { format!("{} with other SQL", e.version) } else { e.version });
    Ok(Outcome::Installed { schema, version: library.version, replaced })
}

/// Install the newest embedded version if the database has none (a new
/// database). Never upgrades: that is `deskql views install`'s decision.
pub fn ensure_installed(conn: &Connection) -> Result<()> {
    if installed_in(conn, SCHEMA)?.is_none() {
        install(conn, super::latest(), Target::Current { allow_downgrade: false })?;
    }
    Ok(())
}

fn write_schema(conn: &Connection, library: &Library, schema: &str) -> Result<()> {
    let quoted = quote_ident(schema);
    conn.execute_batch(&format!("DROP SCHEMA IF EXISTS {quoted} CASCADE; CREATE SCHEMA {quoted};"))?;
    write_catalogue(conn, library, &quoted)?;
    for object in &library.docs.objects {
        conn.execute_batch(&in_schema(&object.sql, schema))
            .with_context(|| format!("creating {SCHEMA}.{} ({}:{})", object.name, object.file, object.line))?;
    }
    conn.execute("DELETE FROM deskql_meta.library WHERE schema_name = ?", [schema])?;
    conn.execute("DELETE FROM deskql_meta.library_objects WHERE schema_name = ?", [schema])?;
    conn.execute(
        "INSERT INTO deskql_meta.library VALUES (?, ?, ?, now()::TIMESTAMP, ?)",
        params![schema, library.version.to_string(), library.sha256, env!("CARGO_PKG_VERSION")],
    )?;
    let mut appender = conn.appender_to_db("library_objects", "deskql_meta")?;
    for o in &library.docs.objects {
        appender.append_row(params![schema, o.name, o.kind, o.sha256, o.file, o.line as i64, o.doc])?;
    }
    appender.flush()?;
    forget_stored_figures_of_other_libraries(conn)
}

/// Stored usage figures (`deskql_meta.usage_figures`) are keyed by the SQL
/// that computed them; those of SQL no schema holds any more go.
fn forget_stored_figures_of_other_libraries(conn: &Connection) -> Result<()> {
    let sql = named(USAGE_FIGURES_SQL, "forget_other_libraries")?;
    for statement in split_statements(&sql) {
        conn.execute(statement.text, [])?;
    }
    Ok(())
}

fn write_catalogue(conn: &Connection, library: &Library, quoted_schema: &str) -> Result<()> {
    conn.execute_batch(&render(CATALOGUE_SQL, &[("schema", quoted_schema)]))?;
    let mut insert = conn.prepare(&format!("INSERT INTO {quoted_schema}.catalogue VALUES (?, ?, ?, ?, ?, ?, ?)"))?;
    for r in &library.docs.catalogue {
        insert.execute(params![r.report, r.section, r.metric, r.label, r.unit, r.definition, r.ordinal])?;
    }
    Ok(())
}

/// The SQL of an object, with its schema `metrics` replaced by `schema`
/// wherever `metrics.` starts a qualified name.
pub fn in_schema(sql: &str, schema: &str) -> String {
    if schema == SCHEMA {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len());
    let mut copied = 0;
    for at in super::schema_qualifiers(sql) {
        out.push_str(&sql[copied..at]);
        out.push_str(schema);
        copied = at + SCHEMA.len();
    }
    out.push_str(&sql[copied..]);
    out
}

/// The version installed in `schema`, if any.
pub fn installed_in(conn: &Connection, schema: &str) -> Result<Option<Installed>> {
    Ok(installed(conn)?.into_iter().find(|i| i.schema == schema))
}

/// Every installed version.
pub fn installed(conn: &Connection) -> Result<Vec<Installed>> {
    let mut stmt = conn.prepare(
        "SELECT schema_name, version, sql_sha256, strftime(installed_at, '%Y-%m-%dT%H:%M:%SZ') FROM deskql_meta.library ORDER BY schema_name",
    )?;
    let rows = stmt.query_map([], |r| Ok(Installed { schema: r.get(0)?, version: r.get(1)?, sql_sha256: r.get(2)?, installed_at: r.get(3)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh in-memory database with the newest library installed.
    fn with_library() -> Connection {
        let conn = crate::storage::open_in_memory().unwrap();
        install(&conn, crate::library::latest(), Target::Current { allow_downgrade: false }).unwrap();
        conn
    }

    fn text(conn: &Connection, sql: &str) -> String {
        conn.query_row(&format!("SELECT CAST(({sql}) AS VARCHAR)"), [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn local_time_across_daylight_saving_changes() {
        let conn = with_library();
        // Paris, 26 October 2025: 03:00 CEST becomes 02:00 CET at 01:00 UTC
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-10-26 00:30:00', 'Europe/Paris')"), "2025-10-26 02:30:00");
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-10-26 01:30:00', 'Europe/Paris')"), "2025-10-26 02:30:00");
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-10-26 01:00:00', 'Europe/Paris')"), "2025-10-26 02:00:00");
        // Lord Howe moves by half an hour
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-07-01 00:00:00', 'Australia/Lord_Howe')"), "2025-07-01 10:30:00");
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-12-01 00:00:00', 'Australia/Lord_Howe')"), "2025-12-01 11:00:00");
    }

    #[test]
    fn wall_times_that_occur_twice_or_never_map_to_one_instant() {
        let conn = with_library();
        // twice (clocks back): the earlier instant
        assert_eq!(text(&conn, "metrics.to_utc(TIMESTAMP '2025-10-26 02:30:00', 'Europe/Paris')"), "2025-10-26 00:30:00");
        // never (clocks forward at 02:00 CET): the change itself
        assert_eq!(text(&conn, "metrics.to_utc(TIMESTAMP '2025-03-30 02:30:00', 'Europe/Paris')"), "2025-03-30 01:00:00");
        assert_eq!(text(&conn, "metrics.to_utc(TIMESTAMP '2025-03-30 00:00:00', 'Europe/Paris')"), "2025-03-29 23:00:00");
        // Santiago goes forward at midnight: 7 September 2025 starts at 01:00 local (04:00 UTC)
        assert_eq!(text(&conn, "metrics.to_utc(TIMESTAMP '2025-09-07 00:00:00', 'America/Santiago')"), "2025-09-07 04:00:00");
        assert_eq!(text(&conn, "metrics.to_local(TIMESTAMP '2025-09-07 04:00:00', 'America/Santiago')"), "2025-09-07 01:00:00");
    }

    #[test]
    fn every_instant_round_trips_through_local_time() {
        let conn = with_library();
        // every 15 minutes of 2025 in zones with odd rules: to_utc(to_local(t)) = t, except in the
        // repeated hour, where to_utc gives the earlier of the two instants
        for zone in ["Europe/Paris", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns"] {
            let bad: i64 = conn
                .query_row(
                    "SELECT count(*) FROM range(TIMESTAMP '2025-01-01', TIMESTAMP '2026-01-01', INTERVAL 15 MINUTE) r(t) \
                     WHERE metrics.to_utc(metrics.to_local(t, ?), ?) <> t \
                       AND metrics.to_local(metrics.to_utc(metrics.to_local(t, ?), ?), ?) <> metrics.to_local(t, ?)",
                    duckdb::params![zone, zone, zone, zone, zone, zone],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(bad, 0, "{zone}");
        }
    }

    #[test]
    fn a_period_crossing_a_change_has_its_real_length() {
        let conn = with_library();
        let hours = |from: &str, to: &str| -> i64 {
            conn.query_row(
                &format!("SELECT (epoch(metrics.to_utc(TIMESTAMP '{to}', 'Europe/Paris')) - epoch(metrics.to_utc(TIMESTAMP '{from}', 'Europe/Paris'))) / 3600"),
                [],
                |r| r.get::<_, f64>(0),
            )
            .unwrap() as i64
        };
        assert_eq!(hours("2025-10-26 00:00:00", "2025-10-27 00:00:00"), 25);
        assert_eq!(hours("2025-03-30 00:00:00", "2025-03-31 00:00:00"), 23);
        assert_eq!(hours("2025-10-01 00:00:00", "2025-11-01 00:00:00"), 31 * 24 + 1);
    }

    #[test]
    fn side_by_side_rewrites_only_qualified_library_names() {
        use super::in_schema;
        let sql = "CREATE MACRO metrics.a() AS TABLE SELECT * FROM metrics.b(1) JOIN xmetrics.c USING (x) -- metrics.d";
        assert_eq!(
            in_schema(sql, "metrics_1_0_0"),
            "CREATE MACRO metrics_1_0_0.a() AS TABLE SELECT * FROM metrics_1_0_0.b(1) JOIN xmetrics.c USING (x) -- metrics_1_0_0.d"
        );
        assert_eq!(in_schema(sql, "metrics"), sql);
    }
}
