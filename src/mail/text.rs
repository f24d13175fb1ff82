//! The plain-text part of the usage email: the same figures as the HTML
//! report, laid out to read well in any mail client that shows text only
//! (aligned, no tables to draw, under 80 columns where labels allow).

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::Value;

use crate::report::document::{ReportDoc, Table};
use crate::report::render::{Columns, card_cells, columns, not_enabled_text, sections, shown_cards};
use crate::report::section_title;

/// `Usage report, October 2025: Acme (account 1)`.
pub fn subject(doc: &ReportDoc) -> String {
    format!("Usage report, {}: {} (account {})", month_name(doc), doc.header.account.name, doc.header.account.id)
}

/// `October 2025`, from the period's first day.
fn month_name(doc: &ReportDoc) -> String {
    NaiveDate::parse_from_str(&doc.header.period.from, "%Y-%m-%d").map_or_else(|_| doc.header.period.from.clone(), |d| d.format("%B %Y").to_string())
}

pub fn plain(doc: &ReportDoc) -> String {
    let h = &doc.header;
    let mut text = String::new();
    let _ = writeln!(text, "Usage report for {}, {}", h.account.name, month_name(doc));
    let about = format!("Account {} ({} plan); the month {} to {} (end excluded), {} time.", h.account.id, h.account.plan, h.period.from, h.period.to, h.period.time_zone);
    text.push_str(&wrap(&about, WIDTH, "", ""));
    for (section, cards) in sections(&doc.cards) {
        let _ = writeln!(text, "\n{}\n{}", section_title(&section), "-".repeat(section_title(&section).chars().count()));
        match shown_cards(&cards) {
            None => {
                let _ = writeln!(text, "{}", not_enabled_text(&section));
            }
            Some(shown) => {
                let columns = columns(doc, &section, &shown);
                for card in shown {
                    text.push_str(&card_line(&card_cells(card, columns), columns));
                }
            }
        }
    }
    for table in &doc.tables {
        text.push_str(&table_text(table));
    }
    text.push_str("\nNotes\n-----\n");
    let data = format!("data: snapshot {} taken at {}; metric library {}", h.snapshot.id, h.snapshot.taken_at, h.library.version);
    for note in h.notes.iter().chain([&data]) {
        text.push_str(&bullet(note, WIDTH));
    }
    text.push_str("\nThe HTML version of this message shows the same figures with charts.\n");
    text
}

/// Lines of the notes fit in this many columns (words longer than that
/// stay whole).
const WIDTH: usize = 76;

/// `- ` and `text` wrapped at word boundaries to `width` columns, the
/// following lines indented under the first word.
fn bullet(text: &str, width: usize) -> String {
    wrap(text, width, "- ", "  ")
}

/// `text` wrapped at word boundaries to `width` columns: the first line
/// starts with `first`, the others with `rest`.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `  CSAT                         3.67 / 5   benchmark 3.83 / 5 (-0.17)`.
fn card_line(cells: &[String], columns: Columns) -> String {
    let label = cells.first().map_or("", String::as_str);
    let value = cells.get(1).map_or("", String::as_str);
    let mut line = format!("  {label:<30} {value:>12}");
    if columns.benchmarked
        && let [.., benchmark, difference] = cells
        && !benchmark.is_empty()
    {
        let _ = write!(line, "   benchmark {benchmark} ({difference})");
    }
    line.push('\n');
    line
}

/// A table as aligned columns, its title underlined.
fn table_text(table: &Table) -> String {
    let mut text = format!("\n{}\n{}\n", table.title, "-".repeat(table.title.chars().count()));
    if table.rows.is_empty() {
        text.push_str("(none)\n");
        return text;
    }
    let cells: Vec<Vec<String>> = table.rows.iter().map(|row| table.columns.iter().map(|c| cell_text(row.get(c))).collect()).collect();
    let widths: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| cells.iter().map(|r| r[i].chars().count()).chain([c.chars().count()]).max().unwrap_or(0))
        .collect();
    let line = |values: Vec<&str>| {
        let padded: Vec<String> = values.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}")).collect();
        format!("  {}\n", padded.join("  ").trim_end())
    };
    text.push_str(&line(table.columns.iter().map(String::as_str).collect()));
    for row in &cells {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "–".to_string(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::bullet;

    #[test]
    fn notes_wrap_under_their_first_word() {
        let note = "benchmark: the unweighted mean over the other accounts of the snapshot with data for the metric";
        assert_eq!(
            bullet(note, 40),
            "- benchmark: the unweighted mean over\n  the other accounts of the snapshot\n  with data for the metric\n"
        );
        assert_eq!(bullet("short", 40), "- short\n");
        assert_eq!(bullet("averylongwordthatdoesnotfit here", 10), "- averylongwordthatdoesnotfit\n  here\n");
    }
}
