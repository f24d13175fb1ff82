//! A report as a document: header, metric cards and tables. Every output
//! format renders this one value; `--format json` prints it as is, and its
//! shape is the stable, documented JSON of README ("Report JSON").

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::params::{Resolved, Subject, UserRef};
use super::query::Rows;

/// Identifies the JSON shape; bumped on any incompatible change.
pub const FORMAT: &str = "deskql.report/1";

#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub format: &'static str,
    /// company, user, team, happiness or usage.
    pub report: String,
    /// What the renderers need to know of the report kind.
    #[serde(skip)]
    pub spec: &'static super::ReportSpec,
    /// The library version the figures come from: the renderers show its
    /// metric definitions (`definition`).
    #[serde(skip)]
    pub library: &'static crate::library::Library,
    /// `--by`: the buckets of the series table.
    #[serde(skip)]
    pub by: super::SeriesBy,
    pub header: Header,
    pub cards: Vec<Card>,
    pub tables: Vec<Table>,
}

impl ReportDoc {
    /// The catalogue definition of a card's metric, for tooltips.
    pub fn definition(&self, section: &str, metric: &str) -> Option<&str> {
        let catalogue = &self.library.docs.catalogue;
        catalogue
            .iter()
            .find(|r| r.report == self.spec.catalogue && r.section == section && r.metric == metric)
            .map(|r| r.definition.as_str())
    }

    /// The definition of the metric a table column holds (a column named
    /// like a metric of the report: `response_time`, `resolved`, ...; in
    /// section `all` when the metric is in several).
    pub fn column_definition(&self, column: &str) -> Option<&str> {
        let metric = match column {
            "replies" => "replies_sent",
            other => other,
        };
        let rows = self.library.docs.catalogue.iter().filter(|r| r.report == self.spec.catalogue && r.metric == metric);
        let mut best = None;
        for row in rows {
            if best.is_none() || row.section == "all" {
                best = Some(row.definition.as_str());
            }
        }
        best
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub account: AccountRef,
    pub period: Period,
    /// The period the cards are compared with (`--compare`), if any.
    pub previous_period: Option<Span>,
    pub snapshot: SnapshotRef,
    pub library: LibraryRef,
    pub filters: Filters,
    /// `--as-user`: whose inbox access limits the figures.
    pub viewer: Option<UserRef>,
    /// The user or team of a User, Team or Happiness report.
    pub subject: Option<Subject>,
    pub notes: Vec<String>,
    /// The snapshot's as-of time when the period ends after it (the period's
    /// data is known only until then); null otherwise.
    pub data_until: Option<String>,
    /// `--office-hours`: the times are office time. Absent without, so that
    /// calendar reports keep the shape (and audit digests) they always had.
    #[serde(skip_serializing_if = "is_false")]
    pub office_hours: bool,
    /// With `--office-hours`, the office hours the times are computed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<super::office::Schedule>,
    pub generated_by: String,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountRef {
    pub id: i64,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// First local day (inclusive).
    pub from: String,
    /// Day after the last (exclusive).
    pub to: String,
    pub days: i64,
    pub time_zone: String,
    /// The period's bounds as UTC instants.
    pub utc_from: String,
    pub utc_to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotRef {
    pub id: String,
    pub seq: i64,
    pub taken_at: String,
    pub content_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LibraryRef {
    pub version: String,
    pub schema: String,
    pub sql_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Filters {
    pub inboxes: Option<Vec<i64>>,
    pub channels: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
}

/// One metric card.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Card {
    pub section: String,
    pub metric: String,
    pub label: String,
    /// count, per_day, seconds, percent, score, ratio, weekday, hour, stars, flag.
    pub unit: String,
    pub value: Option<f64>,
    #[serde(default)]
    pub previous: Option<f64>,
    #[serde(default)]
    pub change: Option<f64>,
    /// `percent` (relative change) or `points` (difference of percents).
    #[serde(default)]
    pub change_unit: Option<String>,
    /// Why `change` is null although there is a value (library 1.3.0 on):
    /// `no previous value` (nothing, or 0, to compare with: shown "new") or
    /// `no change` (0 then and now).
    #[serde(default)]
    pub change_note: Option<String>,
    /// Usage report: the mean of the metric over every account of the
    /// snapshot with a value (NULL for other metrics and reports).
    #[serde(default)]
    pub benchmark: Option<f64>,
    /// Usage report: value minus benchmark, in the metric's unit (points for
    /// percents).
    #[serde(default)]
    pub difference: Option<f64>,
    /// Usage report (library 1.3.0 on): how many accounts the benchmark
    /// averages (the other accounts with a value).
    #[serde(default)]
    pub benchmark_accounts: Option<i64>,
}

/// A table of rows (the per-day series, the conversation history, ...).
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub name: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
    /// The same rows as Arrow, for the CSV renderer.
    #[serde(skip)]
    pub arrow: Rows,
    /// How the people formats draw it.
    #[serde(skip)]
    pub shape: super::spec::TableShape,
}

impl Table {
    pub fn new(name: &str, title: &str, shape: super::spec::TableShape, arrow: Rows) -> Result<Table> {
        let columns = arrow.schema.fields().iter().map(|f| f.name().clone()).collect();
        let rows = json_objects(&arrow)?;
        Ok(Table { name: name.to_string(), title: title.to_string(), columns, rows, arrow, shape })
    }

    /// The numbers of a column, row by row (NULL and text as `None`).
    pub fn numbers(&self, column: &str) -> Vec<Option<f64>> {
        self.rows.iter().map(|r| r.get(column).and_then(Value::as_f64)).collect()
    }
}

/// Rows as JSON objects, every column present (NULL as null).
pub fn json_objects(rows: &Rows) -> Result<Vec<Map<String, Value>>> {
    let mut objects = crate::format::json_rows(&rows.batches)?;
    for object in &mut objects {
        for field in rows.schema.fields() {
            object.entry(field.name().clone()).or_insert(Value::Null);
        }
    }
    Ok(objects)
}

/// Cards from the rows of a `cards` query.
pub fn cards(rows: &Rows) -> Result<Vec<Card>> {
    json_objects(rows)?
        .into_iter()
        .map(|row| serde_json::from_value(Value::Object(row)).context("reading a metric card"))
        .collect()
}

/// The header, from the `period` query and the resolved arguments.
pub fn header(period: &Rows, resolved: &Resolved, library: LibraryRef) -> Result<Header> {
    let rows = json_objects(period)?;
    let row = rows.first().context("the period query returned no row")?;
    let text = |key: &str| row.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let number = |key: &str| row.get(key).and_then(|v| v.as_i64()).unwrap_or_default();
    let previous_period = resolved.compare.then(|| {
        let days = resolved.date_to - resolved.date_from;
        Span { from: (resolved.date_from - days).to_string(), to: resolved.date_from.to_string() }
    });
    Ok(Header {
        account: AccountRef { id: number("account_id"), name: text("account_name"), plan: text("plan") },
        period: Period {
            from: text("local_from"),
            to: text("local_to"),
            days: number("days"),
            time_zone: text("zone_name"),
            utc_from: utc_text(&text("utc_from")),
            utc_to: utc_text(&text("utc_to")),
        },
        previous_period,
        snapshot: SnapshotRef { id: text("snapshot_id"), seq: number("snapshot_seq"), taken_at: utc_text(&text("taken_at")), content_hash: text("content_hash") },
        library,
        filters: Filters { inboxes: resolved.inboxes.clone(), channels: resolved.channels.clone(), tags: resolved.tags.clone() },
        viewer: resolved.viewer.clone(),
        subject: resolved.subject.clone(),
        notes: resolved.notes.clone(),
        data_until: None,
        office_hours: false,
        schedule: None,
        generated_by: format!("deskql {}", env!("CARGO_PKG_VERSION")),
    })
}

impl ReportDoc {
    /// The document as audits record it: canonical, without what depends on
    /// the database file or the tool rather than on data and definitions:
    /// the tool version, the schema the library is installed in, the
    /// snapshot's sequence number (its id and content hash stay). The same
    /// snapshot content with the same library gives the same value in any
    /// database, on any machine.
    pub fn audited_value(&self) -> Result<Value> {
        let mut value = serde_json::to_value(self)?;
        if let Some(header) = value.get_mut("header").and_then(Value::as_object_mut) {
            header.remove("generated_by");
            if let Some(library) = header.get_mut("library").and_then(Value::as_object_mut) {
                library.remove("schema");
            }
            if let Some(snapshot) = header.get_mut("snapshot").and_then(Value::as_object_mut) {
                snapshot.remove("seq");
            }
        }
        Ok(crate::canonical::canonical(&value))
    }

    /// The digest of `audited_value`: an audit record's `result_digest` for
    /// this report (`deskql audit run` of the same arguments gives it too).
    pub fn figures_digest(&self) -> Result<String> {
        Ok(crate::canonical::digest(&self.audited_value()?))
    }
}

/// Arrow's `2026-10-01T00:00:00` as RFC 3339 UTC (`2026-10-01T00:00:00Z`).
fn utc_text(text: &str) -> String {
    if text.is_empty() || text.ends_with('Z') { text.to_string() } else { format!("{text}Z") }
}
