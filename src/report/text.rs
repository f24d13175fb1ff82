//! The people formats in plain text: the terminal table (`--format table`)
//! and Markdown. Cards by section, then each table drawn by its shape:
//! sparklines over the series, a heat grid for the busiest time, a sentence
//! for the busiest two hours, rows in words for the rest.

use std::io::Write;

use anyhow::Result;
use comfy_table::{Cell, CellAlignment};
use serde_json::Value;

use super::chart::{heat_grid, sparkline_with_gaps};
use super::document::{ReportDoc, Table};
use super::present::{self, hour_text};
use super::render::{card_cells, card_header, columns, header_lines, not_enabled_text, sections, shown_cards, title};
use super::spec::TableShape;
use super::units::{display_value, is_duration_column, section_title};
use crate::format;

/// Rows a terminal table shows at most (the rest: `--format csv --table`).
const TERMINAL_ROWS: usize = 60;

pub fn write_terminal(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
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
        let count = table.column_count();
        right_align(&mut table, 1..count);
        writeln!(out, "{table}")?;
    }
    for table in &doc.tables {
        writeln!(out, "\n{}", table.title)?;
        if table.rows.is_empty() {
            writeln!(out, "(none)")?;
            continue;
        }
        match table.shape {
            TableShape::Series => {
                write_sparklines(out, doc, table)?;
                write_terminal_rows(out, table)?;
            }
            TableShape::HourGrid => {
                for line in heat_grid(&grid_rows(table)) {
                    writeln!(out, "{line}")?;
                }
            }
            TableShape::HourRange => writeln!(out, "{}", range_sentence(doc, table))?,
            TableShape::Rows => write_terminal_rows(out, table)?,
        }
    }
    Ok(())
}

fn right_align(table: &mut comfy_table::Table, columns: std::ops::Range<usize>) {
    for column in columns {
        if let Some(c) = table.column_mut(column) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// One sparkline per figure of the series, with the figure of the whole
/// period from its card when the report has one (never a sum of the
/// buckets: distinct counts and averages do not add up), and the largest
/// bucket of a count.
fn write_sparklines(out: &mut dyn Write, doc: &ReportDoc, table: &Table) -> Result<()> {
    let figures: Vec<&String> = table.columns.iter().skip(1).collect();
    let width = figures.iter().map(|c| present::heading(c).chars().count()).max().unwrap_or(0);
    for column in figures {
        let values = table.numbers(column);
        let mut notes = Vec::new();
        if let Some(card) = doc.cards.iter().find(|c| c.section == "all" && &c.metric == column) {
            notes.push(format!("period: {}", display_value(&card.unit, card.value)));
        }
        if !is_duration_column(column) {
            let max = values.iter().flatten().copied().fold(0.0, f64::max);
            notes.push(format!("max {max} a {}", doc.by.name()));
        }
        writeln!(out, "  {:<width$}  {}  {}", present::heading(column), sparkline_with_gaps(&values), notes.join(", "))?;
    }
    Ok(())
}

/// A table of rows in words, at most `TERMINAL_ROWS` of them.
fn write_terminal_rows(out: &mut dyn Write, table: &Table) -> Result<()> {
    let shown: Vec<&String> = table.columns.iter().filter(|c| !present::hidden(c)).collect();
    let mut text = format::text_table(shown.iter().map(|c| present::heading(c)).collect::<Vec<_>>());
    let mut numeric = vec![false; shown.len()];
    for row in table.rows.iter().take(TERMINAL_ROWS) {
        let cells: Vec<Cell> = shown
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let cell = present::cell(column, row.get(*column).unwrap_or(&Value::Null));
                numeric[i] |= cell.numeric;
                Cell::new(cell.text)
            })
            .collect();
        text.add_row(cells);
    }
    for (i, is_numeric) in numeric.iter().enumerate() {
        if *is_numeric {
            right_align(&mut text, i..i + 1);
        }
    }
    writeln!(out, "{text}")?;
    if table.rows.len() > TERMINAL_ROWS {
        writeln!(
            out,
            "{} rows, the first {TERMINAL_ROWS} shown (all of them: --format csv --table {} or --format json)",
            table.rows.len(),
            table.name
        )?;
    }
    Ok(())
}

/// The rows of a weekday x hour grid: (three-letter day, 24 counts).
pub fn grid_rows(table: &Table) -> Vec<(String, Vec<f64>)> {
    table
        .rows
        .iter()
        .map(|row| {
            let day = row.get("day").and_then(Value::as_str).unwrap_or_default();
            let label: String = day.chars().take(3).collect();
            let cells = (0..24).map(|h| row.get(&format!("h{h:02}")).and_then(Value::as_f64).unwrap_or(0.0)).collect();
            (label, cells)
        })
        .collect()
}

/// The busiest two hours as a sentence: `10:00–12:00: 2 new conversations
/// in the period, 0.06 a day`.
pub fn range_sentence(doc: &ReportDoc, table: &Table) -> String {
    let Some(row) = table.rows.first() else { return "(none)".to_string() };
    let number = |key: &str| row.get(key).and_then(Value::as_f64);
    let (Some(from), Some(to), Some(events), Some(per_day)) = (number("from_hour"), number("to_hour"), number("events"), number("per_day")) else {
        return "(none)".to_string();
    };
    format!(
        "{}–{}: {events} {} in the period, {per_day:.2} a day",
        hour_text(from as i64),
        hour_text(to as i64),
        doc.spec.busy_events()
    )
}

pub fn write_markdown(out: &mut dyn Write, doc: &ReportDoc) -> Result<()> {
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
            let cells: Vec<String> = card_cells(card, columns).iter().map(|c| markdown_cell(c)).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
    }
    for table in &doc.tables {
        writeln!(out, "\n## {}\n", table.title)?;
        if table.rows.is_empty() {
            writeln!(out, "(none)")?;
            continue;
        }
        match table.shape {
            TableShape::HourGrid => write_markdown_grid(out, table)?,
            TableShape::HourRange => writeln!(out, "{}", range_sentence(doc, table))?,
            TableShape::Series | TableShape::Rows => write_markdown_rows(out, table)?,
        }
    }
    Ok(())
}

fn markdown_cell(text: &str) -> String {
    present::printable(text).replace('|', "\\|")
}

fn write_markdown_rows(out: &mut dyn Write, table: &Table) -> Result<()> {
    let shown: Vec<&String> = table.columns.iter().filter(|c| !present::hidden(c)).collect();
    let cells: Vec<Vec<present::Cell>> =
        table.rows.iter().map(|row| shown.iter().map(|c| present::cell(c, row.get(*c).unwrap_or(&Value::Null))).collect()).collect();
    let numeric: Vec<bool> = (0..shown.len()).map(|i| cells.iter().any(|r| r[i].numeric)).collect();
    writeln!(out, "| {} |", shown.iter().map(|c| markdown_cell(&present::heading(c))).collect::<Vec<_>>().join(" | "))?;
    writeln!(out, "|{}", numeric.iter().map(|n| if *n { " ---: |" } else { " --- |" }).collect::<String>())?;
    for row in cells {
        writeln!(out, "| {} |", row.iter().map(|c| markdown_cell(&c.text)).collect::<Vec<_>>().join(" | "))?;
    }
    Ok(())
}

/// The grid as a table of counts, an empty cell for none.
fn write_markdown_grid(out: &mut dyn Write, table: &Table) -> Result<()> {
    writeln!(out, "| Day | {} | Total |", (0..24).map(|h| format!("{h:02}")).collect::<Vec<_>>().join(" | "))?;
    writeln!(out, "| --- |{} ---: |", " ---: |".repeat(24))?;
    for (label, cells) in grid_rows(table) {
        let counts: Vec<String> = cells.iter().map(|&v| if v > 0.0 { format!("{v}") } else { String::new() }).collect();
        writeln!(out, "| {label} | {} | {} |", counts.join(" | "), cells.iter().sum::<f64>())?;
    }
    Ok(())
}
