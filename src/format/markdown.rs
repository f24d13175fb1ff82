//! The `markdown` format: a GitHub-flavoured table, numbers right-aligned
//! (by DuckDB's types when the shell knows them). A pipe is escaped, a
//! newline becomes `<br>`, other control characters are escaped (`text`).

use std::io::Write;

use anyhow::Result;

use super::cells::{self, ColumnText};
use super::elide::Elided;
use super::text::{self, Controls};
use super::types::ColumnType;

/// Markdown wants at least three dashes in a separator cell.
const MIN_WIDTH: usize = 3;

pub fn write(out: &mut dyn Write, rows: &Elided, types: Option<&[ColumnType]>) -> Result<()> {
    let fields = rows.schema.fields();
    if fields.is_empty() {
        return Ok(());
    }
    let header: Vec<String> = fields.iter().map(|f| escape(f.name())).collect();
    let body = body_rows(rows)?;
    let numeric: Vec<bool> = match types {
        Some(types) => types.iter().map(|t| t.numeric).collect(),
        None => fields.iter().map(|f| cells::is_numeric(f.data_type())).collect(),
    };
    let widths: Vec<usize> = (0..fields.len())
        .map(|c| body.iter().map(|r| width(&r[c])).chain([width(&header[c]), MIN_WIDTH]).max().unwrap_or(MIN_WIDTH))
        .collect();
    write_line(out, &header, &widths, &numeric)?;
    let separator: Vec<String> = widths
        .iter()
        .zip(&numeric)
        .map(|(&w, &right)| if right { format!("{}:", "-".repeat(w - 1)) } else { "-".repeat(w) })
        .collect();
    write_line(out, &separator, &widths, &numeric)?;
    for row in &body {
        write_line(out, row, &widths, &numeric)?;
    }
    Ok(())
}

fn body_rows(rows: &Elided) -> Result<Vec<Vec<String>>> {
    let mut body = Vec::with_capacity(rows.total);
    for batch in rows.head.iter().chain(&rows.tail) {
        let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect::<Result<_>>()?;
        for row in 0..batch.num_rows() {
            body.push(columns.iter().map(|c| Ok(escape(&c.text(row)?))).collect::<Result<_>>()?);
        }
    }
    Ok(body)
}

fn write_line(out: &mut dyn Write, cells: &[String], widths: &[usize], numeric: &[bool]) -> Result<()> {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .zip(numeric)
        .map(|((cell, &w), &right)| {
            let pad = " ".repeat(w.saturating_sub(width(cell)));
            if right { format!("{pad}{cell}") } else { format!("{cell}{pad}") }
        })
        .collect();
    writeln!(out, "| {} |", padded.join(" | "))?;
    Ok(())
}

/// A pipe would end the cell and a newline the row; other controls must
/// not reach a terminal.
fn escape(raw: &str) -> String {
    let markdown = raw.replace('\\', "\\\\").replace('|', "\\|").replace("\r\n", "<br>").replace('\n', "<br>");
    text::escape(&markdown, Controls::EscapeAll)
}

fn width(cell: &str) -> usize {
    text::width(cell)
}
