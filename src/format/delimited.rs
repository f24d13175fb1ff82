//! The machine-readable formats, written by the Arrow writers: `csv`
//! (`arrow::csv`), `json` and `jsonl` (`arrow::json`). Columns a writer cannot
//! encode (nested values in CSV, unions in JSON) are first turned into text;
//! JSON writes a float that is not a number (NaN, infinities) as a string
//! rather than Arrow's `null`, which would lose it silently. Each format
//! escapes by its own rules (CSV quotes, JSON string escapes).

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::datatypes::{DataType, Field, FieldRef, Float32Type, Float64Type, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::json::writer::{
    Encoder, EncoderFactory, EncoderOptions, JsonArray, JsonFormat, LineDelimited, NullableEncoder, Writer as JsonWriter, WriterBuilder as JsonWriterBuilder,
};
use arrow::record_batch::RecordBatch;

use super::cells::ColumnText;

/// CSV with a header line; NULL is an empty field.
pub struct Csv {
    schema: SchemaRef,
    header_written: bool,
}

impl Csv {
    pub fn new(schema: SchemaRef) -> Result<Csv> {
        Ok(Csv { schema: text_schema(&schema, csv_cannot_encode), header_written: false })
    }

    pub fn write(&mut self, out: &mut dyn Write, batch: &RecordBatch) -> Result<()> {
        let batch = as_text(batch, &self.schema, csv_cannot_encode)?;
        // A writer per batch: the header goes with the first one only.
        let mut writer = arrow::csv::WriterBuilder::new().with_header(!self.header_written).build(&mut *out);
        writer.write(&batch)?;
        self.header_written = true;
        Ok(())
    }

    /// An empty result still has its header line.
    pub fn finish(mut self, out: &mut dyn Write) -> Result<()> {
        if !self.header_written && !self.schema.fields().is_empty() {
            let empty = RecordBatch::new_empty(self.schema.clone());
            self.write(out, &empty)?;
        }
        Ok(())
    }
}

fn csv_cannot_encode(data_type: &DataType) -> bool {
    data_type.is_nested()
}

fn json_cannot_encode(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Union(..))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonShape {
    /// One JSON array of row objects (`[]` when empty).
    Array,
    /// One row object per line (nothing when empty).
    Lines,
}

/// JSON rows; NULL is an explicit `null`.
pub struct Json {
    schema: SchemaRef,
    writer: JsonStream,
}

enum JsonStream {
    Array(JsonWriter<Vec<u8>, JsonArray>),
    Lines(JsonWriter<Vec<u8>, LineDelimited>),
}

fn json_writer<F: JsonFormat>() -> JsonWriter<Vec<u8>, F> {
    JsonWriterBuilder::new().with_explicit_nulls(true).with_encoder_factory(Arc::new(Floats)).build::<_, F>(Vec::new())
}

/// Floats as JSON numbers, and NaN and the infinities, which JSON has no
/// number for, as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
#[derive(Debug)]
struct Floats;

impl EncoderFactory for Floats {
    fn make_default_encoder<'a>(
        &self,
        _field: &'a FieldRef,
        array: &'a dyn Array,
        _options: &'a EncoderOptions,
    ) -> Result<Option<NullableEncoder<'a>>, ArrowError> {
        let encoder: Box<dyn Encoder + 'a> = match array.data_type() {
            DataType::Float64 => Box::new(FloatEncoder(array.as_primitive::<Float64Type>().values().iter().copied().collect())),
            DataType::Float32 => Box::new(FloatEncoder(array.as_primitive::<Float32Type>().values().iter().map(|&v| f64::from(v)).collect())),
            _ => return Ok(None),
        };
        Ok(Some(NullableEncoder::new(encoder, array.logical_nulls())))
    }
}

struct FloatEncoder(Vec<f64>);

impl Encoder for FloatEncoder {
    fn encode(&mut self, idx: usize, out: &mut Vec<u8>) {
        let value = self.0[idx];
        let text = match value {
            v if v.is_nan() => "\"NaN\"".to_string(),
            v if v == f64::INFINITY => "\"Infinity\"".to_string(),
            v if v == f64::NEG_INFINITY => "\"-Infinity\"".to_string(),
            v => serde_json::Number::from_f64(v).map_or_else(|| "null".to_string(), |n| n.to_string()),
        };
        out.extend_from_slice(text.as_bytes());
    }
}

impl Json {
    pub fn new(schema: SchemaRef, shape: JsonShape) -> Json {
        let writer = match shape {
            JsonShape::Array => JsonStream::Array(json_writer()),
            JsonShape::Lines => JsonStream::Lines(json_writer()),
        };
        Json { schema: text_schema(&schema, json_cannot_encode), writer }
    }

    /// The Arrow writer fills an in-memory buffer, copied to `out` after each
    /// batch, so the writer can live across batches while `out` is borrowed per call.
    pub fn write(&mut self, out: &mut dyn Write, batch: &RecordBatch) -> Result<()> {
        let batch = as_text(batch, &self.schema, json_cannot_encode)?;
        match &mut self.writer {
            JsonStream::Array(writer) => drain(writer.write(&batch), writer.get_mut(), out),
            JsonStream::Lines(writer) => drain(writer.write(&batch), writer.get_mut(), out),
        }
    }

    pub fn finish(mut self, out: &mut dyn Write) -> Result<()> {
        match &mut self.writer {
            JsonStream::Array(writer) => {
                drain(writer.finish(), writer.get_mut(), out)?;
                writeln!(out)?;
                Ok(())
            }
            JsonStream::Lines(writer) => drain(writer.finish(), writer.get_mut(), out),
        }
    }
}

fn drain(result: Result<(), arrow::error::ArrowError>, buffer: &mut Vec<u8>, out: &mut dyn Write) -> Result<()> {
    result.context("writing JSON")?;
    out.write_all(buffer)?;
    buffer.clear();
    Ok(())
}

/// The rows of `batches` as JSON objects (NULL as `null`), through the Arrow
/// JSON writer: for documents that embed a result, such as reports.
pub fn json_rows(batches: &[RecordBatch]) -> Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    let Some(first) = batches.first() else { return Ok(Vec::new()) };
    let mut json = Json::new(first.schema(), JsonShape::Array);
    let mut buffer = Vec::new();
    for batch in batches {
        json.write(&mut buffer, batch)?;
    }
    json.finish(&mut buffer)?;
    serde_json::from_slice(&buffer).context("reading back the JSON written by Arrow")
}

/// `schema` with the columns a writer cannot encode turned into text.
fn text_schema(schema: &SchemaRef, cannot_encode: fn(&DataType) -> bool) -> SchemaRef {
    if !schema.fields().iter().any(|f| cannot_encode(f.data_type())) {
        return schema.clone();
    }
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| if cannot_encode(f.data_type()) { Field::new(f.name(), DataType::Utf8, true) } else { f.as_ref().clone() })
        .collect();
    Arc::new(Schema::new(fields))
}

/// `batch` with the same columns as text as in `schema` (from `text_schema`).
fn as_text(batch: &RecordBatch, schema: &SchemaRef, cannot_encode: fn(&DataType) -> bool) -> Result<RecordBatch> {
    if !batch.columns().iter().any(|c| cannot_encode(c.data_type())) {
        return Ok(batch.clone());
    }
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|column| {
            if !cannot_encode(column.data_type()) {
                return Ok(column.clone());
            }
            let text = ColumnText::new(column)?;
            let values = (0..column.len()).map(|row| Ok(text.get(row)?.map(|v| v.into_owned()))).collect::<Result<Vec<Option<String>>>>()?;
            Ok(Arc::new(StringArray::from(values)) as ArrayRef)
        })
        .collect::<Result<_>>()?;
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}
