//! `deskql audit diff --snapshot A --snapshot B ...`: the same report as of
//! two snapshots, which metrics changed and by how much, and the
//! conversations whose stored rows changed in between and that are active in
//! the period: the rows that explain the change.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use duckdb::types::Value as SqlValue;
use serde::Serialize;
use serde_json::Value;

use super::DiffArgs;
use crate::exit;
use crate::format::{self, Format, TableOptions};
use crate::library::SCHEMA;
use crate::report::document::{Card, ReportDoc};
use crate::report::query::{self, Parameters};
use crate::report::{self, ReportFormat};
use crate::storage::{self, Access};

const CHANGED_SQL: &str = include_str!("../../sql/audit/changed_conversations.sql");

#[derive(Debug, Serialize)]
struct MetricChange {
    section: String,
    metric: String,
    label: String,
    unit: String,
    before: Option<f64>,
    after: Option<f64>,
    /// after - before, in the metric's unit.
    difference: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Comparison {
    report: String,
    before: String,
    after: String,
    metrics: Vec<MetricChange>,
    conversations: Vec<serde_json::Map<String, Value>>,
}

pub fn diff(db: &Path, args: &DiffArgs) -> Result<u8> {
    let [before_id, after_id] = args.report.snapshot.as_slice() else {
        bail!("audit diff compares two snapshots: give --snapshot A --snapshot B (older first)");
    };
    let format = args.report.output_format();
    if !matches!(format, ReportFormat::Table | ReportFormat::Json) {
        bail!("audit diff prints --format table or json");
    }
    let conn = storage::open(db, Access::ReadOnly)?;
    let at = |id: &String| {
        let mut one = args.report.clone();
        one.snapshot = vec![id.clone()];
        report::build_with(&conn, &one, SCHEMA, report::usage_figures::Figures::Recomputed)
    };
    let (before, after) = (at(before_id)?, at(after_id)?);
    let metrics = changed_metrics(&before.cards, &after.cards);
    let mut scope_args = args.report.clone();
    scope_args.snapshot = vec![after_id.clone()];
    let scope = report::params::resolve(&conn, &scope_args, SCHEMA)?.parameters();
    let conversations = explaining_conversations(&conn, scope, &before, &after)?;
    let comparison = Comparison {
        report: before.report.clone(),
        before: before_id.clone(),
        after: after_id.clone(),
        metrics,
        conversations: crate::report::document::json_objects(&conversations)?,
    };
    let out = &mut std::io::stdout().lock();
    if format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &comparison)?;
        writeln!(out)?;
        return Ok(exit::OK);
    }
    print_table(out, &comparison, &conversations)?;
    Ok(exit::OK)
}

fn changed_metrics(before: &[Card], after: &[Card]) -> Vec<MetricChange> {
    after
        .iter()
        .filter_map(|a| {
            let b = before.iter().find(|b| b.section == a.section && b.metric == a.metric);
            let old = b.and_then(|b| b.value);
            let same = match (old, a.value) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-9,
                (x, y) => x == y,
            };
            (!same).then(|| MetricChange {
                section: a.section.clone(),
                metric: a.metric.clone(),
                label: a.label.clone(),
                unit: a.unit.clone(),
                before: old,
                after: a.value,
                difference: old.zip(a.value).map(|(x, y)| y - x),
            })
        })
        .collect()
}

/// The conversations whose rows changed between the two snapshots, within
/// the report's scope (`scope`: its filters and viewer, as its figures).
fn explaining_conversations(conn: &duckdb::Connection, scope: Parameters, before: &ReportDoc, after: &ReportDoc) -> Result<query::Rows> {
    let mut p = scope;
    p.set("account", SqlValue::BigInt(after.header.account.id))
        .set("before", SqlValue::BigInt(before.header.snapshot.seq))
        .set("after", SqlValue::BigInt(after.header.snapshot.seq))
        .set("utc_from", SqlValue::Text(after.header.period.utc_from.trim_end_matches('Z').to_string()))
        .set("utc_to", SqlValue::Text(after.header.period.utc_to.trim_end_matches('Z').to_string()));
    query::run(conn, CHANGED_SQL, "changed", SCHEMA, &p)
}

fn print_table(out: &mut dyn std::io::Write, comparison: &Comparison, conversations: &query::Rows) -> Result<()> {
    writeln!(out, "{} report: snapshot {} -> {}", comparison.report, comparison.before, comparison.after)?;
    if comparison.metrics.is_empty() {
        writeln!(out, "\nNo metric changed.")?;
    } else {
        writeln!(out, "\nMetrics that changed")?;
        let mut table = format::text_table(["section", "metric", "before", "after", "difference"]);
        for m in &comparison.metrics {
            let shown = |v: Option<f64>| crate::report::display_value(&m.unit, v);
            let difference = match (m.difference, m.unit.as_str()) {
                (Some(d), "seconds") => format!("{}{}", if d < 0.0 { "-" } else { "+" }, crate::report::display_value("seconds", Some(d.abs()))),
                (Some(d), _) => format!("{d:+.2}"),
                (None, _) => String::new(),
            };
            table.add_row(vec![m.section.clone(), m.label.clone(), shown(m.before), shown(m.after), difference]);
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out, "\nConversations active in the period whose stored rows changed ({})", conversations.row_count())?;
    format::write_batches(out, &conversations.schema, &conversations.batches, Format::Table, &TableOptions { max_rows: Some(100), max_width: None })?;
    Ok(())
}
