//! One result value as text, for the text formats (table, markdown, line).

use arrow::array::{Array, ArrayRef};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};

/// How NULL reads in the text formats.
pub const NULL_TEXT: &str = "NULL";

/// The values of one column of a batch as text.
pub struct ColumnText<'a> {
    formatter: Option<ArrayFormatter<'a>>,
    /// Logical nulls: a `NullArray` (a bare `NULL` in SQL) has no null bitmap
    /// but every value is NULL.
    nulls: Option<NullBuffer>,
    data_type: &'a DataType,
}

impl<'a> ColumnText<'a> {
    pub fn new(array: &'a ArrayRef) -> ColumnText<'a> {
        // `with_display_error`: a value that cannot be shown reads as an error
        // text instead of failing the whole result.
        let options = FormatOptions::new().with_null(NULL_TEXT).with_display_error(true);
        ColumnText { formatter: ArrayFormatter::try_new(array.as_ref(), &options).ok(), nulls: array.logical_nulls(), data_type: array.data_type() }
    }

    /// The value at `row`, or `None` for NULL.
    pub fn get(&self, row: usize) -> Option<String> {
        if self.nulls.as_ref().is_some_and(|nulls| nulls.is_null(row)) {
            return None;
        }
        Some(match &self.formatter {
            Some(formatter) => formatter.value(row).to_string(),
            None => format!("<{} value>", self.data_type),
        })
    }

    /// The value at `row`, NULL as `NULL`.
    pub fn text(&self, row: usize) -> String {
        self.get(row).unwrap_or_else(|| NULL_TEXT.to_string())
    }
}

/// Numbers are right-aligned.
pub fn is_numeric(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, value) => is_numeric(value),
        other => other.is_numeric(),
    }
}
