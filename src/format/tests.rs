//! The formats on hand-made batches: exact text, NULLs, elision, empty results.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, NullArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};

use super::*;

fn small() -> (SchemaRef, RecordBatch) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("b", DataType::Utf8, true),
        Field::new("c", DataType::Null, true),
    ]));
    let columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(vec![1])), Arc::new(StringArray::from(vec!["x"])), Arc::new(NullArray::new(1))];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    (schema, batch)
}

fn render(schema: &SchemaRef, batches: &[RecordBatch], format: Format, options: &TableOptions) -> String {
    let mut out = Vec::new();
    write_batches(&mut out, schema, batches, format, options).unwrap();
    String::from_utf8(out).unwrap()
}

fn numbers(n: i64) -> (SchemaRef, Vec<RecordBatch>) {
    let schema = Arc::new(Schema::new(vec![Field::new("i", DataType::Int64, false)]));
    // Several batches, as DuckDB streams them.
    let batches = (0..n)
        .collect::<Vec<_>>()
        .chunks(3)
        .map(|chunk| RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(chunk.to_vec())) as ArrayRef]).unwrap())
        .collect();
    (schema, batches)
}

#[test]
fn every_format_of_one_row() {
    let (schema, batch) = small();
    let batches = [batch];
    let options = TableOptions::default();
    assert_eq!(render(&schema, &batches, Format::Table, &options), "┌───┬───┬──────┐\n│ a │ b │ c    │\n├───┼───┼──────┤\n│ 1 │ x │ NULL │\n└───┴───┴──────┘\n");
    assert_eq!(render(&schema, &batches, Format::Csv, &options), "a,b,c\n1,x,\n");
    assert_eq!(render(&schema, &batches, Format::Json, &options), "[{\"a\":1,\"b\":\"x\",\"c\":null}]\n");
    assert_eq!(render(&schema, &batches, Format::Jsonl, &options), "{\"a\":1,\"b\":\"x\",\"c\":null}\n");
    assert_eq!(render(&schema, &batches, Format::Markdown, &options), "|   a | b   | c    |\n| --: | --- | ---- |\n|   1 | x   | NULL |\n");
    assert_eq!(render(&schema, &batches, Format::Line, &options), "a = 1\nb = x\nc = NULL\n");
}

#[test]
fn empty_results() {
    let (schema, _) = small();
    let options = TableOptions::default();
    assert_eq!(render(&schema, &[], Format::Table, &options), "┌───┬───┬───┐\n│ a │ b │ c │\n├───┼───┼───┤\n└───┴───┴───┘\n");
    assert_eq!(render(&schema, &[], Format::Csv, &options), "a,b,c\n");
    assert_eq!(render(&schema, &[], Format::Json, &options), "[]\n");
    assert_eq!(render(&schema, &[], Format::Jsonl, &options), "");
    assert_eq!(render(&schema, &[], Format::Markdown, &options), "|   a | b   | c   |\n| --: | --- | --- |\n");
    assert_eq!(render(&schema, &[], Format::Line, &options), "");
}

#[test]
fn elision_keeps_the_first_and_last_rows_across_batches() {
    let (schema, batches) = numbers(10);
    let out = render(&schema, &batches, Format::Table, &TableOptions { max_rows: Some(5), max_width: None });
    assert_eq!(out, "┌───┐\n│ i │\n├───┤\n│ 0 │\n│ 1 │\n│ 2 │\n│ … │\n│ 8 │\n│ 9 │\n└───┘\n10 rows, 5 shown\n");
    let all = render(&schema, &batches, Format::Table, &TableOptions { max_rows: Some(10), max_width: None });
    assert!(!all.contains("shown") && all.contains("│ 5 │"));
    assert_eq!(render(&schema, &batches, Format::Table, &TableOptions { max_rows: Some(0), max_width: None }), all, "0 means no limit");
}

#[test]
fn line_format_aligns_names_and_separates_rows() {
    let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false), Field::new("longer", DataType::Float64, true)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1, 2])), Arc::new(Float64Array::from(vec![Some(0.5), None]))]).unwrap();
    assert_eq!(render(&schema, &[batch], Format::Line, &TableOptions::default()), "     n = 1\nlonger = 0.5\n\n     n = 2\nlonger = NULL\n");
}

#[test]
fn markdown_escapes_pipes_and_newlines() {
    let schema = Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec!["a|b\nc"]))]).unwrap();
    assert_eq!(render(&schema, &[batch], Format::Markdown, &TableOptions::default()), "| t         |\n| --------- |\n| a\\|b<br>c |\n");
}

#[test]
fn narrow_terminals_cut_cells_with_a_mark() {
    let schema = Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec!["a fairly long text that will not fit"]))]).unwrap();
    let out = render(&schema, &[batch], Format::Table, &TableOptions { max_rows: None, max_width: Some(20) });
    assert!(out.lines().all(|line| line.chars().count() <= 20), "{out}");
    assert!(out.contains("│ a fairly long t… │"), "{out}");
}

fn render_with(schema: &SchemaRef, batches: &[RecordBatch], format: Format, options: &TableOptions, layout: Layout) -> String {
    let mut out = Vec::new();
    let mut writer = ResultWriter::new(&mut out, schema.clone(), format, options, layout, Style::Plain).unwrap();
    for batch in batches {
        writer.push(batch).unwrap();
    }
    writer.finish().unwrap();
    String::from_utf8(out).unwrap()
}

fn strings(values: &[&str]) -> (SchemaRef, RecordBatch) {
    let schema = Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(values.to_vec()))]).unwrap();
    (schema, batch)
}

#[test]
fn wide_results_leave_out_middle_columns() {
    let fields: Vec<Field> = (0..12).map(|i| Field::new(format!("column_{i:02}"), DataType::Int64, false)).collect();
    let schema = Arc::new(Schema::new(fields));
    let columns: Vec<ArrayRef> = (0..12).map(|i| Arc::new(Int64Array::from(vec![i])) as ArrayRef).collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let out = render(&schema, &[batch], Format::Table, &TableOptions { max_rows: None, max_width: Some(80) });
    assert!(out.lines().all(|line| line.chars().count() <= 80), "{out}");
    assert!(out.contains("column_00") && out.contains("column_11") && !out.contains("column_06"), "{out}");
    assert!(out.contains("│ … │") && out.ends_with("12 columns, 6 shown\n"), "{out}");
}

#[test]
fn column_types_show_under_the_names_and_align_numbers() {
    let (schema, batch) = strings(&["42"]);
    let types = vec![types::ColumnType { name: "int32".into(), numeric: true }];
    let out = render_with(&schema, &[batch], Format::Table, &TableOptions::default(), Layout { types: Some(types), cell_limit: None });
    assert_eq!(out, "┌───────┐\n│     t │\n│ int32 │\n├───────┤\n│    42 │\n└───────┘\n");
}

#[test]
fn long_cells_are_cut_with_a_mark() {
    let long = "x".repeat(10_000_000);
    let (schema, batch) = strings(&[&long]);
    let out = render_with(&schema, &[batch.clone()], Format::Table, &TableOptions::default(), Layout { types: None, cell_limit: Some(CELL_LIMIT) });
    let row = out.lines().nth(3).unwrap();
    assert_eq!(row.chars().count(), CELL_LIMIT + 4, "a cell of the limit's width, its padding and lines");
    assert!(row.ends_with("x… │"), "{}", &row[row.len() - 20..]);
    // Without a limit (`.last`) the whole value is drawn.
    let whole = render_with(&schema, &[batch], Format::Table, &TableOptions::default(), Layout::default());
    assert!(whole.lines().nth(3).unwrap().chars().count() > 10_000_000);
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let (schema, batch) = strings(&["a\u{1b}[2Jb\rc\nd\u{9b}"]);
    let batches = [batch];
    let options = TableOptions::default();
    for format in [Format::Table, Format::Markdown, Format::List, Format::Line] {
        let out = render(&schema, &batches, format, &options);
        assert!(!out.contains('\u{1b}') && !out.contains('\r') && !out.contains('\u{9b}'), "{format:?}: {out:?}");
        assert!(out.contains("a\\e[2Jb\\rc"), "{format:?}: {out:?}");
    }
    assert!(render(&schema, &batches, Format::Line, &options).contains("c\nd"), "line keeps newlines");
    assert!(render(&schema, &batches, Format::Table, &options).contains("c\\nd"), "a table row stays one line");
    // JSON escapes by its own rules.
    assert!(render(&schema, &batches, Format::Json, &options).contains("a\\u001b[2Jb\\rc\\nd"));
}

#[test]
fn list_format_separates_with_pipes() {
    let (schema, batch) = small();
    assert_eq!(render(&schema, &[batch], Format::List, &TableOptions::default()), "a|b|c\n1|x|NULL\n");
}

#[test]
fn json_floats_that_are_not_numbers_are_strings() {
    let schema = Arc::new(Schema::new(vec![Field::new("f", DataType::Float64, true)]));
    let values = Float64Array::from(vec![Some(0.5), Some(f64::NAN), Some(f64::INFINITY), Some(f64::NEG_INFINITY), None, Some(1e300)]);
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(values)]).unwrap();
    assert_eq!(
        render(&schema, &[batch], Format::Jsonl, &TableOptions::default()),
        "{\"f\":0.5}\n{\"f\":\"NaN\"}\n{\"f\":\"Infinity\"}\n{\"f\":\"-Infinity\"}\n{\"f\":null}\n{\"f\":1e+300}\n"
    );
}

#[test]
fn duckdb_mode_names_are_accepted() {
    for (mode, format) in [("box", Format::Table), ("duckbox", Format::Table), ("jsonlines", Format::Jsonl), ("list", Format::List), ("line", Format::Line)] {
        assert_eq!(Format::parse(mode), Some(format), "{mode}");
    }
}

#[test]
fn styled_nulls_are_dimmed() {
    let (schema, batch) = small();
    let mut out = Vec::new();
    let mut writer = ResultWriter::new(&mut out, schema, Format::Table, &TableOptions::default(), Layout::default(), Style::Terminal).unwrap();
    writer.push(&batch).unwrap();
    writer.finish().unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\u{1b}[2m NULL \u{1b}[0m"), "{text:?}");
}

#[test]
fn json_rows_for_documents() {
    let (_, batch) = small();
    let rows = json_rows(&[batch]).unwrap();
    assert_eq!(serde_json::Value::Array(rows.into_iter().map(serde_json::Value::Object).collect()), serde_json::json!([{"a": 1, "b": "x", "c": null}]));
    assert!(json_rows(&[]).unwrap().is_empty());
}

#[test]
fn format_names_round_trip() {
    for name in Format::names() {
        assert_eq!(Format::parse(name).map(Format::name), Some(name));
    }
    assert_eq!(Format::parse("CSV"), Some(Format::Csv));
    assert_eq!(Format::parse("xml"), None);
}
