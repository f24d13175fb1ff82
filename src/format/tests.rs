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
fn narrow_terminals_wrap_cells() {
    let schema = Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec!["a fairly long text that will not fit"]))]).unwrap();
    let out = render(&schema, &[batch], Format::Table, &TableOptions { max_rows: None, max_width: Some(20) });
    assert!(out.lines().all(|line| line.chars().count() <= 20), "{out}");
}

#[test]
fn styled_nulls_are_dimmed() {
    let (schema, batch) = small();
    let mut out = Vec::new();
    let mut writer = ResultWriter::new(&mut out, schema, Format::Table, &TableOptions::default(), Style::Terminal).unwrap();
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
