//! Values as terminal text (the table, list, line and markdown formats):
//! control characters from the data never reach the terminal raw, and a
//! long value is cut, with a mark, in one pass.
//!
//! A customer's subject may hold an escape sequence (`ESC [ 2 J` clears the
//! screen) or a carriage return (the rest of the line overwrites its start):
//! every C0 control character, DEL and every C1 control character (U+0080 to
//! U+009F; some terminals take U+009B for `ESC [`) is written as an escape,
//! as the DuckDB CLI does: `\n`, `\r`, `\t`, `\e`, `\a`, `\b`, `\v`, `\f`,
//! else `\xHH` (C0, DEL) or `\u{HH}` (C1). The `line` format keeps newlines
//! and tabs raw (a multi-line value reads as such); the others escape them
//! too, because they would break the row. A backslash is written as is.

use unicode_width::UnicodeWidthChar;

/// The mark ending a value cut to fit its column.
pub const CUT_MARK: char = '…';

/// Which whitespace controls a format may write raw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// Everything escaped: one value, one line.
    EscapeAll,
    /// Newlines and tabs raw, every other control escaped.
    KeepLines,
}

/// The escape written for `c`, or `None` when `c` is written as is.
fn escape_of(c: char, controls: Controls) -> Option<String> {
    let named = match c {
        '\n' | '\t' if controls == Controls::KeepLines => return None,
        '\n' => "\\n",
        '\t' => "\\t",
        '\r' => "\\r",
        '\u{1b}' => "\\e",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        c if (c as u32) < 0x20 || c == '\u{7f}' => return Some(format!("\\x{:02x}", c as u32)),
        c if ('\u{80}'..='\u{9f}').contains(&c) => return Some(format!("\\u{{{:02x}}}", c as u32)),
        _ => return None,
    };
    Some(named.to_string())
}

/// `text` safe for a terminal (see the module doc).
pub fn escape(text: &str, controls: Controls) -> String {
    fit(text, controls, usize::MAX).0
}

/// `text` safe for a terminal, at most `max` display columns wide (cut with
/// `CUT_MARK` when longer), and its width. Linear in the part of `text`
/// that is kept: a 10 MB value costs no more than its first `max` columns.
pub fn fit(text: &str, controls: Controls, max: usize) -> (String, usize) {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)).min(1 << 20));
    let mut width = 0;
    // Where the text stood while it still left room for the mark.
    let mut before_mark = (0, 0);
    for c in text.chars() {
        let escaped = escape_of(c, controls);
        let piece_width = match &escaped {
            Some(escape) => escape.len(),
            None => c.width().unwrap_or(0),
        };
        if width + piece_width > max {
            out.truncate(before_mark.0);
            out.push(CUT_MARK);
            return (out, before_mark.1 + 1);
        }
        match escaped {
            Some(escape) => out.push_str(&escape),
            None => out.push(c),
        }
        width += piece_width;
        if width < max {
            before_mark = (out.len(), width);
        }
    }
    (out, width)
}

/// Display width of text already made safe by `escape`/`fit`.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape("a\u{1b}[2Jb\r\n\t\u{7f}\u{9b}\u{0}", Controls::EscapeAll), "a\\e[2Jb\\r\\n\\t\\x7f\\u{9b}\\x00");
        assert_eq!(escape("two\nlines\tand\u{1b}", Controls::KeepLines), "two\nlines\tand\\e");
        assert_eq!(escape("é 漢字 \\n", Controls::EscapeAll), "é 漢字 \\n");
    }

    #[test]
    fn long_text_is_cut_with_a_mark_within_the_width() {
        assert_eq!(fit("abcdef", Controls::EscapeAll, 6), ("abcdef".to_string(), 6));
        assert_eq!(fit("abcdefg", Controls::EscapeAll, 6), ("abcde…".to_string(), 6));
        // Wide characters and escapes are never split.
        assert_eq!(fit("漢字漢字", Controls::EscapeAll, 5), ("漢字…".to_string(), 5));
        assert_eq!(fit("ab\ncd", Controls::EscapeAll, 4), ("ab…".to_string(), 3));
        assert_eq!(fit("abc", Controls::EscapeAll, 0), ("…".to_string(), 1));
        let huge = "x".repeat(10_000_000);
        let (cut, width) = fit(&huge, Controls::EscapeAll, 80);
        assert_eq!((cut.chars().count(), width), (80, 80));
        assert!(cut.ends_with(CUT_MARK));
    }
}
