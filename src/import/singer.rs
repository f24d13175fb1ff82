//! Reading a Singer tap's output: one JSON message a line, `SCHEMA` (a
//! stream's JSON schema, before its records), `RECORD` and `STATE` (the
//! bookmarks to resume from). Read line by line from a file or stdin, so
//! only one message is in memory at a time.
//!
//! What is wrong with the input itself (a line that is not JSON, a message
//! without its fields, a RECORD before its stream's SCHEMA) is an
//! `InvalidExtract` naming the line and, when known, the stream.

use std::collections::HashSet;
use std::io::{BufRead, ErrorKind};

use anyhow::Result;
use serde_json::Value;

/// The tap's output cannot be imported; nothing was written.
#[derive(Debug)]
pub struct InvalidExtract {
    /// 1-based line of the input, if the problem is on one line.
    pub line: Option<u64>,
    pub stream: Option<String>,
    pub message: String,
}

impl InvalidExtract {
    pub fn at(line: u64, stream: Option<&str>, message: impl Into<String>) -> InvalidExtract {
        InvalidExtract { line: Some(line), stream: stream.map(str::to_string), message: message.into() }
    }
}

impl std::fmt::Display for InvalidExtract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid tap output")?;
        match (self.line, &self.stream) {
            (Some(line), Some(stream)) => write!(f, " at line {line} (stream {stream})")?,
            (Some(line), None) => write!(f, " at line {line}")?,
            (None, Some(stream)) => write!(f, " (stream {stream})")?,
            (None, None) => {}
        }
        write!(f, ": {}; no snapshot was written", self.message)
    }
}

impl std::error::Error for InvalidExtract {}

#[derive(Debug, PartialEq)]
pub enum Message {
    Schema { stream: String },
    Record { stream: String, record: Value },
    State { value: Value },
    /// A message type the importer does not need (`ACTIVATE_VERSION`, ...).
    Other { kind: String },
}

/// Messages of a Singer output, with their line numbers.
pub struct Reader<R> {
    input: R,
    line: u64,
    buffer: String,
    /// Streams whose SCHEMA was seen: a RECORD of any other is refused.
    schemas: HashSet<String>,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        Reader { input, line: 0, buffer: String::new(), schemas: HashSet::new() }
    }

    /// Lines read so far (the line of the last message returned).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The next message and its line, or `None` at the end of the input.
    /// Blank lines are skipped.
    pub fn next_message(&mut self) -> Result<Option<(u64, Message)>> {
        loop {
            self.buffer.clear();
            self.line += 1;
            let read = match self.input.read_line(&mut self.buffer) {
                Ok(read) => read,
                Err(e) if e.kind() == ErrorKind::InvalidData => {
                    return Err(InvalidExtract::at(self.line, None, "the line is not UTF-8 text").into());
                }
                Err(e) => return Err(anyhow::Error::new(e).context(format!("reading the tap output at line {}", self.line))),
            };
            if read == 0 {
                self.line -= 1;
                return Ok(None);
            }
            if self.buffer.trim().is_empty() {
                continue;
            }
            let message = self.parse()?;
            return Ok(Some((self.line, message)));
        }
    }

    fn parse(&mut self) -> Result<Message> {
        let line = self.line;
        // Without the line end, a line cut short reads as "EOF", not as a
        // control character inside an unfinished string.
        let text = self.buffer.trim_end_matches(['\n', '\r']);
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let hint = if e.is_eof() { " (truncated: did the tap stop in the middle of a line?)" } else { "" };
            InvalidExtract::at(line, stream_named_in(text).as_deref(), format!("not a JSON message{hint}: {e}"))
        })?;
        let Value::Object(mut fields) = value else {
            return Err(InvalidExtract::at(line, None, "not a Singer message: expected a JSON object").into());
        };
        let kind = match fields.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return Err(InvalidExtract::at(line, None, "not a Singer message: no \"type\"").into()),
        };
        let stream = match fields.get("stream") {
            Some(Value::String(stream)) => Some(stream.clone()),
            _ => None,
        };
        let need_stream = || InvalidExtract::at(line, None, format!("a {kind} message without a \"stream\""));
        match kind.as_str() {
            "SCHEMA" => {
                let stream = stream.ok_or_else(need_stream)?;
                self.schemas.insert(stream.clone());
                Ok(Message::Schema { stream })
            }
            "RECORD" => {
                let stream = stream.ok_or_else(need_stream)?;
                if !self.schemas.contains(&stream) {
                    return Err(InvalidExtract::at(line, Some(&stream), "a RECORD before the stream's SCHEMA (is the output cut at the start, or two outputs interleaved?)").into());
                }
                match fields.remove("record") {
                    Some(record @ Value::Object(_)) => Ok(Message::Record { stream, record }),
                    _ => Err(InvalidExtract::at(line, Some(&stream), "a RECORD without a \"record\" object").into()),
                }
            }
            "STATE" => match fields.remove("value") {
                Some(value) => Ok(Message::State { value }),
                None => Err(InvalidExtract::at(line, None, "a STATE without a \"value\"").into()),
            },
            _ => Ok(Message::Other { kind }),
        }
    }
}

/// The stream a line that is not valid JSON names, if it still says
/// `"stream": "<name>"` (a truncated RECORD usually does), for the message.
fn stream_named_in(text: &str) -> Option<String> {
    let after = &text[text.find("\"stream\"")? + "\"stream\"".len()..];
    let value = after.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let name = &value[..value.find('"')?];
    (!name.is_empty() && !name.contains('\\')).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages<T: AsRef<[u8]> + ?Sized>(input: &T) -> Result<Vec<(u64, Message)>> {
        let mut reader = Reader::new(input.as_ref());
        let mut out = Vec::new();
        while let Some(message) = reader.next_message()? {
            out.push(message);
        }
        Ok(out)
    }

    fn error(text: &str) -> String {
        messages(text).unwrap_err().to_string()
    }

    #[test]
    fn schema_record_and_state_are_read_with_their_lines() {
        let text = "{\"type\":\"STATE\",\"value\":{}}\n\n{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{}}\n{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1}}\n{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"users\",\"version\":1}";
        let read = messages(text).unwrap();
        assert_eq!(read.iter().map(|(line, _)| *line).collect::<Vec<_>>(), [1, 3, 4, 5]);
        assert_eq!(read[2].1, Message::Record { stream: "users".into(), record: serde_json::json!({"id": 1}) });
        assert_eq!(read[3].1, Message::Other { kind: "ACTIVATE_VERSION".into() });
    }

    #[test]
    fn bad_lines_name_the_line_and_stream() {
        let schema = "{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{}}\n";
        let truncated = error(&format!("{schema}{{\"type\":\"RECORD\",\"stream\":\"users\",\"rec"));
        assert!(truncated.starts_with("invalid tap output at line 2 (stream users): not a JSON message (truncated"), "{truncated}");
        let cut_early = error(&format!("{schema}{{\"type\":\"RECORD\",\"stre"));
        assert!(cut_early.starts_with("invalid tap output at line 2: not a JSON message (truncated"), "{cut_early}");
        let early = error("{\"type\":\"RECORD\",\"stream\":\"teams\",\"record\":{}}\n");
        assert!(early.contains("line 1 (stream teams): a RECORD before the stream's SCHEMA"), "{early}");
        assert!(error(&format!("{schema}[1]\n")).contains("line 2: not a Singer message"));
        assert!(error(&format!("{schema}{{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":3}}\n")).contains("line 2 (stream users): a RECORD without a \"record\" object"));
        assert!(error("{\"stream\":\"users\"}\n").contains("no \"type\""));
        let not_utf8 = messages(&b"{\"type\":\"STATE\",\"value\":{}}\n\xff\xfe\n"[..]).unwrap_err().to_string();
        assert!(not_utf8.contains("line 2: the line is not UTF-8"), "{not_utf8}");
        assert!(truncated.ends_with("no snapshot was written"));
    }
}
