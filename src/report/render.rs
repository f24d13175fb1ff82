//! Rendering a report document: `table` (terminal), `markdown`, `csv`,
//! `json` (the document itself) and `html` (see `html.rs`).

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::{Array, ArrayRef, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use super::ReportFormat;
use super::chart::sparkline;
use super::document::{Card, ReportDoc, Table};
use super::query::Rows;
use super::units::{display_change, display_difference, display_value, duration, is_duration_column, section_title};
use crate::format::{self, Format, TableOptions};

pub fn write(out: &mut dyn Write, doc: &ReportDoc, format: ReportFormat) -> Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, doc)?;
            writeln!(out)?;
        }
        ReportFormat::Table => write_text(out, doc)?,
        ReportFormat::Markdown => write_markdown(out, doc)?,
        ReportFormat::Csv => write_csv(out, doc)?,
        ReportFormat::Html => out.write_all(super::html::document(doc).as_bytes())?,
    }
    out.flush()?;
    Ok(())
}

/// The report's title line, e.g. `Company report: Acme (account 1, pro plan)`.
pub fn title(doc: &ReportDoc) -> String {
    let who = match &doc.header.subject {
        Some(s) if s.kind == "team" => format!(" for team {} ({} members)", s.name, s.users.len()),
        Some(s) => format!(" for {} (user {})", s.name, s.id),
        None => String::new(),
    };
    let mut kind = doc.report.clone();
    if let Some(first) = kind.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{kind} report{who}: {} (account {}, {} plan)", doc.header.account.name, doc.header.account.id, doc.header.account.plan)
}

/// The header's facts, one per line, shared by every text format.
pub fn header_lines(doc: &ReportDoc) -> Vec<String> {
    let h = &doc.header;
    let mut lines = vec![format!(
        "Period: {} to {} ({} days, {}; the end day excluded)",
        h.period.from, h.period.to, h.period.days, h.period.time_zone
    )];
    if let Some(p) = &h.previous_period {
        lines.push(format!("Compared with: {} to {}", p.from, p.to));
    }
    lines.push(format!("Snapshot: {} (seq {}, as of {}); library {}", h.snapshot.id, h.snapshot.seq, h.snapshot.taken_at, h.library.version));
    let mut filters = Vec::new();
    if let Some(i) = &h.filters.inboxes {
        filters.push(format!("inboxes {}", i.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")));
    }
    if let Some(c) = &h.filters.channels {
        filters.push(format!("channels {}", c.join(", ")));
    }
    if let Some(t) = &h.filters.tags {
        filters.push(format!("tags {}", t.join(", ")));
    }
    if let Some(v) = &h.viewer {
        filters.push(format!("as seen by {} (user {})", v.name, v.id));
    }
    if !filters.is_empty() {
        lines.push(format!("Filters: {}", filters.join("; ")));
    }
    if let Some(schedule) = h.schedule.as_ref().filter(|_| h.office_hours) {
        lines.push(format!("Office hours: times in office time, {}", schedule.summary));
    }
    for note in &h.notes {
        lines.push(format!("Note: {note}"));
    }
    lines
}

/// Cards grouped by section, in order.
pub fn sections(cards: &[Card]) -> Vec<(String, Vec<&Card>)> {
    let mut out: Vec<(String, Vec<&Card>)> = Vec::new();
    for card in cards {
        match out.last_mut() {
            Some((section, list)) if *section == card.section => list.push(card),
            _ => out.push((card.section.clone(), vec![card])),
        }
    }
    out
}

/// Which columns a section's cards show, after the metric and its value.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// `--compare`: previous and change.
    pub compared: bool,
    /// Usage report: benchmark and difference.
    pub benchmarked: bool,
}

/// The columns of one section: benchmark columns where a card has a
/// benchmark, and always in the usage report's performance section (whose
/// benchmark is only missing when no account has data).
pub fn columns(doc: &ReportDoc, section: &str, cards: &[&Card]) -> Columns {
    let benchmarked = doc.spec.benchmark_section == Some(section) || cards.iter().any(|c| c.benchmark.is_some() || c.difference.is_some());
    Columns { compared: doc.header.previous_period.is_some(), benchmarked }
}

/// A section's cards as people read them: `None` when the section is not
/// enabled (a `flag` card of 0, e.g. the usage report's `enabled`), else its
/// cards without the flags (which only say the section is there).
pub fn shown_cards<'a>(cards: &[&'a Card]) -> Option<Vec<&'a Card>> {
    if cards.iter().any(|c| c.unit == "flag" && c.value == Some(0.0)) {
        return None;
    }
    Some(cards.iter().copied().filter(|c| c.unit != "flag").collect())
}

/// What a section that is not enabled says instead of its figures.
pub fn not_enabled_text(section: &str) -> String {
    format!("{}: not enabled for this account.", section_title(section))
}

pub fn card_cells(card: &Card, columns: Columns) -> Vec<String> {
    let mut cells = vec![card.label.clone(), display_value(&card.unit, card.value)];
    if columns.compared {
        cells.push(display_value(&card.unit, card.previous));
        cells.push(display_change(card.change, card.change_unit.as_deref()));
    }
    if columns.benchmarked {
        // blank for the section's metrics without a benchmark (a count of responses, ...)
        match card.benchmark {
            Some(_) => cells.extend([display_value(&card.unit, card.benchmark), display_difference(&card.unit, card.difference)]),
            None => cells.extend([String::new(), String::new()]),
        }
    }
    cells
}

pub fn card_header(columns: Columns) -> Vec<&'static str> {
    let mut header = vec!["metric", "value"];
    if columns.compared {
        header.extend(["previous", "change"]);
    }
    if columns.benchmarked {
        header.extend(["benchmark", "difference"]);
    }
    header
}

fn write_text(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
    writeln!(out, "{}", title(doc))?;
    for line in header_lines(doc) {
        writeln!(out, "{line}")?;
    }
    for (section, cards) in sections(&doc.cards) {
        writeln!(out, "\n{}", section_title(&section))?;
        let Some(shown) = shown_cards(&cards) else {
            writeln!(out, "{}", not_enabled_text(&section))?;
            continue;
        };
        let columns = columns(doc, &section, &shown);
        let mut table = format::text_table(card_header(columns));
        for card in shown {
            table.add_row(card_cells(card, columns));
        }
        for column in 1..table.column_count() {
            if let Some(c) = table.column_mut(column) {
                c.set_cell_alignment(comfy_table::CellAlignment::Right);
            }
        }
        writeln!(out, "{table}")?;
    }
    for table in &doc.tables {
        writeln!(out, "\n{}", table.title)?;
        if table.name == "daily" {
            write_sparklines(out, table)?;
        }
        if table.rows.is_empty() {
            writeln!(out, "(none)")?;
            continue;
        }
        let rows = humanized(&table.arrow)?;
        format::write_batches(out, &rows.schema, &rows.batches, Format::Table, &TableOptions { max_rows: Some(60), max_width: None })?;
    }
    Ok(())
}

/// One sparkline per numeric column of the per-day series.
fn write_sparklines(out: &mut dyn Write, table: &Table) -> Result<()> {
    let width = table.columns.iter().skip(1).map(|c| c.len()).max().unwrap_or(0);
    for column in table.columns.iter().skip(1) {
        let values: Vec<f64> = table.rows.iter().map(|r| r.get(column).and_then(|v| v.as_f64()).unwrap_or(0.0)).collect();
        let total: f64 = values.iter().sum();
        let max = values.iter().copied().fold(0.0, f64::max);
        writeln!(out, "  {column:<width$}  {}  total {total}, max {max}/day", sparkline(&values))?;
    }
    Ok(())
}

fn write_markdown(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
    writeln!(out, "# {}\n", title(doc))?;
    for line in header_lines(doc) {
        writeln!(out, "- {line}")?;
    }
    for (section, cards) in sections(&doc.cards) {
        writeln!(out, "\n## {}\n", section_title(&section))?;
        let Some(shown) = shown_cards(&cards) else {
            writeln!(out, "{}", not_enabled_text(&section))?;
            continue;
        };
        let columns = columns(doc, &section, &shown);
        let header = card_header(columns);
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|{}", header.iter().enumerate().map(|(i, _)| if i == 0 { " --- |" } else { " ---: |" }).collect::<String>())?;
        for card in shown {
            let cells: Vec<String> = card_cells(card, columns).iter().map(|c| c.replace('|', "\\|")).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
    }
    for table in &doc.tables {
        writeln!(out, "\n## {}\n", table.title)?;
        if table.rows.is_empty() {
            writeln!(out, "(none)")?;
            continue;
        }
        let rows = humanized(&table.arrow)?;
        format::write_batches(out, &rows.schema, &rows.batches, Format::Markdown, &TableOptions::default())?;
    }
    Ok(())
}

/// CSV: one block per part, separated by a blank line, each with its own
/// header row: first the cards (`section,metric,label,unit,value,previous,
/// change,change_unit`, and for the usage report `benchmark,difference`),
/// then each table by name. Values are raw numbers (seconds, percents; the
/// usage report's flags 1 or 0), for spreadsheets and scripts.
fn write_csv(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
    let benchmarked = doc.spec.benchmarked;
    writeln!(out, "section,metric,label,unit,value,previous,change,change_unit{}", if benchmarked { ",benchmark,difference" } else { "" })?;
    for c in &doc.cards {
        let number = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        write!(
            out,
            "{},{},{},{},{},{},{},{}",
            csv_field(&c.section),
            csv_field(&c.metric),
            csv_field(&c.label),
            csv_field(&c.unit),
            number(c.value),
            number(c.previous),
            number(c.change),
            csv_field(c.change_unit.as_deref().unwrap_or_default())
        )?;
        if benchmarked {
            write!(out, ",{},{}", number(c.benchmark), number(c.difference))?;
        }
        writeln!(out)?;
    }
    for table in &doc.tables {
        writeln!(out)?;
        format::write_batches(out, &table.arrow.schema, &table.arrow.batches, Format::Csv, &TableOptions::default())?;
    }
    Ok(())
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// For people: columns of seconds (named `*_time`) as durations.
pub fn humanized(rows: &Rows) -> Result<Rows> {
    let is_duration = |f: &Field| is_duration_column(f.name()) && f.data_type() == &DataType::Float64;
    if !rows.schema.fields().iter().any(|f| is_duration(f)) {
        return Ok(rows.clone());
    }
    let fields: Vec<Field> = rows
        .schema
        .fields()
        .iter()
        .map(|f| if is_duration(f) { Field::new(f.name(), DataType::Utf8, true) } else { f.as_ref().clone() })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let mut batches = Vec::new();
    for batch in &rows.batches {
        let columns: Vec<ArrayRef> = batch
            .columns()
            .iter()
            .zip(rows.schema.fields())
            .map(|(column, field)| match column.as_any().downcast_ref::<Float64Array>() {
                Some(seconds) if is_duration(field) => {
                    Arc::new((0..seconds.len()).map(|i| (!seconds.is_null(i)).then(|| duration(seconds.value(i)))).collect::<StringArray>()) as ArrayRef
                }
                _ => column.clone(),
            })
            .collect();
        batches.push(RecordBatch::try_new(schema.clone(), columns)?);
    }
    Ok(Rows { schema, batches })
}
