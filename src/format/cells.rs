//! One result value as text, for the text formats (table, list, markdown,
//! line) and for the columns the CSV and JSON writers cannot encode.
//!
//! The shell hands most values over as DuckDB's own text already (see
//! `types`), so this is mostly reading strings; other columns (deskql's own
//! reports, statements the shell cannot wrap) are formatted by Arrow. A
//! value Arrow cannot format is an error naming the column, never an
//! "ERROR" text inside a result that otherwise looks fine.

use std::borrow::Cow;
use anyhow::{Result, anyhow};
use arrow::array::{Array, ArrayRef, AsArray, make_array};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};

/// How NULL reads in the text formats.
pub const NULL_TEXT: &str = "NULL";

/// The values of one column of a batch as text.
pub struct ColumnText<'a> {
    kind: Kind<'a>,
    /// Logical nulls: a `NullArray` (a bare `NULL` in SQL) has no null bitmap
    /// but every value is NULL.
    nulls: Option<NullBuffer>,
}

enum Kind<'a> {
    /// Strings are read in place (no copy of a long value).
    Utf8(&'a dyn Array),
    Formatted(ArrayFormatter<'a>),
}

impl<'a> ColumnText<'a> {
    /// Fails when Arrow has no text form for the column's type.
    pub fn new(array: &'a ArrayRef) -> Result<ColumnText<'a>> {
        let nulls = array.logical_nulls();
        let kind = match array.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Kind::Utf8(array.as_ref()),
            other => {
                // No `with_display_error`: a value that cannot be shown is an error.
                let options = FormatOptions::new().with_null(NULL_TEXT);
                let formatter = ArrayFormatter::try_new(array.as_ref(), &options).map_err(|err| anyhow!("cannot show a value of type {other}: {err}"))?;
                Kind::Formatted(formatter)
            }
        };
        Ok(ColumnText { kind, nulls })
    }

    /// The value at `row`, or `None` for NULL.
    pub fn get(&self, row: usize) -> Result<Option<Cow<'a, str>>> {
        if self.nulls.as_ref().is_some_and(|nulls| nulls.is_null(row)) {
            return Ok(None);
        }
        Ok(Some(match &self.kind {
            Kind::Utf8(array) => Cow::Borrowed(string_at(*array, row)),
            Kind::Formatted(formatter) => Cow::Owned(formatter.value(row).try_to_string()?),
        }))
    }

    /// The value at `row`, NULL as `NULL`.
    pub fn text(&self, row: usize) -> Result<Cow<'a, str>> {
        Ok(self.get(row)?.unwrap_or(Cow::Borrowed(NULL_TEXT)))
    }
}

fn string_at(array: &dyn Array, row: usize) -> &str {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row),
        _ => array.as_string_view().value(row),
    }
}

/// `array` with a time zone Arrow can read. DuckDB labels a `TIMESTAMP WITH
/// TIME ZONE` with the session's zone name (`UTC`), which Arrow (built
/// without its time-zone database) cannot parse, though the values are
/// UTC instants: label them `+00:00`. Other arrays are returned as they are.
pub fn readable_time_zone(array: &ArrayRef) -> ArrayRef {
    let DataType::Timestamp(unit, Some(zone)) = array.data_type() else { return array.clone() };
    if zone.starts_with(['+', '-']) {
        return array.clone();
    }
    let relabelled = DataType::Timestamp(*unit, Some("+00:00".into()));
    match array.to_data().into_builder().data_type(relabelled).build() {
        Ok(data) => make_array(data),
        Err(_) => array.clone(),
    }
}

/// Numbers are right-aligned.
pub fn is_numeric(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, value) => is_numeric(value),
        other => other.is_numeric(),
    }
}
