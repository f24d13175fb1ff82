//! What an import says about the data: counted notices (a value the mapping
//! does not know, a record it skipped), warnings about the extract as a
//! whole, and the summary printed as text or JSON (`--json`).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

/// Values the mapping had to decide about, counted per (stream, field,
/// value), each with what was done with them; and sentences about the
/// extract as a whole.
#[derive(Debug, Default)]
pub struct Notices {
    /// (stream, field, value, action) -> records. The action is part of the
    /// key because one value can be handled two ways (a missing
    /// `created_by` on a customer thread and on a line item).
    counted: BTreeMap<(String, String, String, String), u64>,
    warnings: Vec<String>,
}

impl Notices {
    /// One more record of `stream` whose `field` was `value`; `action`: what
    /// the mapping did with it.
    pub fn count(&mut self, stream: &str, field: &str, value: &str, action: &str) {
        *self.counted.entry((stream.to_string(), field.to_string(), value.to_string(), action.to_string())).or_insert(0) += 1;
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.warnings.push(text.into());
    }

    /// How many records were counted with `value` in `stream.field`.
    #[cfg(test)]
    pub fn count_of(&self, stream: &str, field: &str, value: &str) -> u64 {
        self.counted.iter().filter(|((s, f, v, _), _)| s == stream && f == field && v == value).map(|(_, n)| n).sum()
    }

    pub fn counted(&self) -> Vec<Counted> {
        self.counted
            .iter()
            .map(|((stream, field, value, action), count)| Counted {
                stream: stream.clone(),
                field: field.clone(),
                value: value.clone(),
                count: *count,
                action: action.clone(),
            })
            .collect()
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// A value as a notice shows it: the text, or `null` when absent.
pub fn shown(value: Option<&str>) -> &str {
    value.unwrap_or("null")
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counted {
    pub stream: String,
    pub field: String,
    pub value: String,
    pub count: u64,
    pub action: String,
}

#[derive(Debug, Serialize)]
pub struct StreamCount {
    pub stream: String,
    pub records: u64,
    /// `mapped`, `not needed` (no contract table) or `unknown` (ignored).
    #[serde(rename = "use")]
    pub used_as: &'static str,
}

#[derive(Debug, Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: u64,
}

/// What an import did (`--json` prints it on stdout).
#[derive(Debug, Serialize)]
pub struct Summary {
    pub status: &'static str,
    pub source: &'static str,
    pub out: String,
    /// `full` or `incremental`, from the first STATE of the output.
    pub extract: &'static str,
    /// The output ends with the tap's final STATE.
    pub complete: bool,
    /// The `deskql ingest --mode` this snapshot is for.
    pub ingest_mode: &'static str,
    pub lines: u64,
    pub streams: Vec<StreamCount>,
    pub tables: Vec<TableCount>,
    pub counted: Vec<Counted>,
    pub warnings: Vec<String>,
    /// The last STATE's value: the bookmarks the next incremental run starts from.
    pub state: Option<Value>,
    pub state_out: Option<String>,
    pub message: String,
}

impl Summary {
    /// One line per counted notice and warning, for stderr.
    pub fn warning_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .counted
            .iter()
            .map(|c| {
                let records = if c.count == 1 { "record" } else { "records" };
                format!("{}.{} = {:?}: {} {records}: {}", c.stream, c.field, c.value, c.count, c.action)
            })
            .collect();
        lines.extend(self.warnings.iter().cloned());
        lines
    }

    pub fn write_json(&self, out: &mut dyn Write) -> Result<()> {
        writeln!(out, "{}", serde_json::to_string_pretty(self)?)?;
        Ok(())
    }
}

/// The one-line message of a summary.
pub fn message(out: &str, extract: &str, complete: bool, tables: &[TableCount]) -> String {
    let rows: Vec<String> = tables.iter().map(|t| format!("{} {}", t.table, t.rows)).collect();
    let (partial, mode) = if complete { ("", extract) } else { (" (PARTIAL: the tap did not finish)", "incremental") };
    format!("imported a {extract} Help Scout extract{partial} into {out}: {}; next: deskql ingest {out} --mode {mode}", rows.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_count_per_stream_field_and_value() {
        let mut notices = Notices::default();
        notices.count("conversations", "type", "sms", "channel set to email");
        notices.count("conversations", "type", "sms", "channel set to email");
        notices.count("conversations", "type", "fax", "channel set to email");
        assert_eq!(notices.count_of("conversations", "type", "sms"), 2);
        let counted = notices.counted();
        assert_eq!(counted.len(), 2);
        assert_eq!((counted[1].value.as_str(), counted[1].count), ("sms", 2));
    }
}
