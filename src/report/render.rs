//! Rendering a report document: `table` (terminal) and `markdown` (see
//! `text.rs`), `csv` (`csv.rs`), `json` (the document itself) and `html`
//! (`html.rs`); and what they share: the title, the header lines and the
//! cards.

use std::io::Write;

use anyhow::Result;

use super::ReportFormat;
use super::document::{Card, ReportDoc};
use super::units::{display_card_change, display_difference, display_value, section_title};

/// Write `doc` in `format`; `table` is CSV's `--table` (the cards by default).
pub fn write(out: &mut dyn Write, doc: &ReportDoc, format: ReportFormat, table: Option<&str>) -> Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, doc)?;
            writeln!(out)?;
        }
        ReportFormat::Table => super::text::write_terminal(out, doc)?,
        ReportFormat::Markdown => super::text::write_markdown(out, doc)?,
        ReportFormat::Csv => super::csv::write(out, doc, table.unwrap_or(super::csv::CARDS))?,
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
        cells.push(display_card_change(card.change, card.change_unit.as_deref(), card.change_note.as_deref(), card.previous));
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
