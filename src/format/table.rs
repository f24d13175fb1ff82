//! The `table` format: a box table like the DuckDB CLI's duckbox. Numbers
//! right-aligned; NULL as `NULL` (dimmed on a terminal); column types under
//! the names when the caller knows them (the shell); control characters
//! escaped (`text`); every cell cut to `cell_limit` columns with a `…`; on
//! a terminal, fitted to its width by narrowing the widest columns and then
//! leaving out middle ones (`fit`). Nothing is ever wrapped, so drawing
//! takes time linear in what is shown, however long a value is.

use std::io::Write;

use anyhow::Result;
use arrow::record_batch::RecordBatch;

use super::cells::{self, ColumnText};
use super::elide::Elided;
use super::fit::{self, Slot};
use super::text::{self, Controls};
use super::types::ColumnType;
use super::{Style, TableOptions};

/// Cells the shell cuts at this width when no terminal width applies (a
/// table written to a file or a pipe): a 10 MB value is a mistake to print
/// whole in a table (`line`, `csv`, `json` and `.last` show it whole).
pub const CELL_LIMIT: usize = 1000;

/// The cell standing for the rows or columns left out.
const ELISION_MARK: &str = "…";

const DIM: &str = "\u{1b}[2m";
const RESET: &str = "\u{1b}[0m";

/// How a table is drawn besides `TableOptions`.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// DuckDB's column types, shown under the names and deciding alignment
    /// (else alignment follows the Arrow types).
    pub types: Option<Vec<ColumnType>>,
    /// Cut cells longer than this many columns; `None`: never.
    pub cell_limit: Option<usize>,
}

/// A cell ready to draw: terminal-safe text and its display width.
struct Cell {
    text: String,
    width: usize,
    null: bool,
}

impl Cell {
    fn new(raw: &str, limit: usize) -> Cell {
        let (text, width) = text::fit(raw, Controls::EscapeAll, limit);
        Cell { text, width, null: false }
    }

    fn null() -> Cell {
        Cell { text: cells::NULL_TEXT.to_string(), width: cells::NULL_TEXT.len(), null: true }
    }

    fn mark() -> Cell {
        Cell { text: ELISION_MARK.to_string(), width: 1, null: false }
    }
}

pub fn write(out: &mut dyn Write, rows: &Elided, options: &TableOptions, layout: &Layout, style: Style) -> Result<()> {
    let fields = rows.schema.fields();
    if fields.is_empty() {
        return Ok(()); // a statement without a result (CREATE, SET, ...)
    }
    let limit = layout.cell_limit.unwrap_or(usize::MAX);
    let names: Vec<Cell> = fields.iter().map(|f| Cell::new(f.name(), limit)).collect();
    let types: Option<Vec<Cell>> = layout.types.as_ref().map(|types| types.iter().map(|t| Cell::new(&t.name, limit)).collect());
    let right: Vec<bool> = match &layout.types {
        Some(types) => types.iter().map(|t| t.numeric).collect(),
        None => fields.iter().map(|f| cells::is_numeric(f.data_type())).collect(),
    };
    let mut body = Vec::new();
    for batch in &rows.head {
        add_rows(&mut body, batch, limit)?;
    }
    let elided_at = body.len();
    for batch in &rows.tail {
        add_rows(&mut body, batch, limit)?;
    }
    let natural: Vec<usize> = (0..fields.len())
        .map(|c| body.iter().map(|row: &Vec<Cell>| row[c].width).chain([names[c].width]).chain(types.iter().map(|t| t[c].width)).max().unwrap_or(1))
        .collect();
    let slots = fit::layout(&natural, options.max_width);
    let drawer = Drawer { slots: &slots, right: &right, style };
    drawer.rule(out, ['┌', '┬', '┐'])?;
    drawer.row(out, &names)?;
    if let Some(types) = &types {
        drawer.row_styled(out, types, style == Style::Terminal)?;
    }
    drawer.rule(out, ['├', '┼', '┤'])?;
    for (index, row) in body.iter().enumerate() {
        if index == elided_at && rows.is_elided() {
            drawer.row(out, &fields.iter().map(|_| Cell::mark()).collect::<Vec<_>>())?;
        }
        drawer.row(out, row)?;
    }
    if elided_at == body.len() && rows.is_elided() {
        drawer.row(out, &fields.iter().map(|_| Cell::mark()).collect::<Vec<_>>())?;
    }
    drawer.rule(out, ['└', '┴', '┘'])?;
    if rows.is_elided() {
        writeln!(out, "{} rows, {} shown", rows.total, rows.shown())?;
    }
    let shown = slots.iter().filter(|s| matches!(s, Slot::Column { .. })).count();
    if shown < fields.len() {
        writeln!(out, "{} columns, {shown} shown", fields.len())?;
    }
    Ok(())
}

fn add_rows(body: &mut Vec<Vec<Cell>>, batch: &RecordBatch, limit: usize) -> Result<()> {
    let columns: Vec<ColumnText> = batch.columns().iter().map(ColumnText::new).collect::<Result<_>>()?;
    for row in 0..batch.num_rows() {
        let cells = columns
            .iter()
            .map(|column| Ok(column.get(row)?.map_or_else(Cell::null, |text| Cell::new(&text, limit))))
            .collect::<Result<Vec<Cell>>>()?;
        body.push(cells);
    }
    Ok(())
}

/// Draws lines of the table's slots.
struct Drawer<'a> {
    slots: &'a [Slot],
    right: &'a [bool],
    style: Style,
}

impl Drawer<'_> {
    fn rule(&self, out: &mut dyn Write, [left, middle, end]: [char; 3]) -> Result<()> {
        let segments: Vec<String> = self.slots.iter().map(|slot| "─".repeat(slot_width(slot) + 2)).collect();
        writeln!(out, "{left}{}{end}", segments.join(&middle.to_string()))?;
        Ok(())
    }

    fn row(&self, out: &mut dyn Write, cells: &[Cell]) -> Result<()> {
        self.row_styled(out, cells, false)
    }

    /// One line; `dim`: every cell dimmed (the type row on a terminal).
    fn row_styled(&self, out: &mut dyn Write, cells: &[Cell], dim: bool) -> Result<()> {
        let mut line = String::from("│");
        for slot in self.slots {
            let (text, styled) = match *slot {
                Slot::Column { index, width } => {
                    let cell = &cells[index];
                    let text = if cell.width > width { text::fit(&cell.text, Controls::EscapeAll, width).0 } else { cell.text.clone() };
                    let styled = dim || (cell.null && self.style == Style::Terminal);
                    (pad(&text, width, self.right[index]), styled)
                }
                Slot::Elided => (ELISION_MARK.to_string(), false),
            };
            if styled {
                line.push_str(&format!("{DIM} {text} {RESET}│"));
            } else {
                line.push_str(&format!(" {text} │"));
            }
        }
        writeln!(out, "{line}")?;
        Ok(())
    }
}

fn slot_width(slot: &Slot) -> usize {
    match slot {
        Slot::Column { width, .. } => *width,
        Slot::Elided => 1,
    }
}

/// `text` padded to `width` columns, on the left when right-aligned.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text::width(text)));
    if right { format!("{fill}{text}") } else { format!("{text}{fill}") }
}
