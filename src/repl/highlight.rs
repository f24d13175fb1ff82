//! Syntax highlighting of the line being typed, in the DuckDB CLI's colours:
//! keywords green, strings and numbers yellow, comments grey. Only colour
//! codes are added, never characters, so the line editor's cursor stays
//! where it is. A line continuing a statement starts in the state the
//! previous lines left (inside a string, a comment).

use crate::sqltext::State;

const KEYWORD: &str = "\u{1b}[32m";
const CONSTANT: &str = "\u{1b}[33m";
const COMMENT: &str = "\u{1b}[90m";
const RESET: &str = "\u{1b}[0m";

/// `line` with colour codes; `start`: where the statement typed before it left off.
pub fn highlight(line: &str, start: &State, is_keyword: &dyn Fn(&str) -> bool) -> String {
    if line.trim_start().starts_with('.') && matches!(start, State::Code) {
        return line.to_string(); // a dot command
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut rest = line;
    // A string, comment or dollar-quoted body left open on a previous line.
    if let Some(end) = open_end(rest, start) {
        let colour = if matches!(start, State::LineComment | State::BlockComment { .. }) { COMMENT } else { CONSTANT };
        paint(&mut out, &rest[..end], colour);
        rest = &rest[end..];
    }
    while let Some(c) = rest.chars().next() {
        let (len, colour) = token(rest, c, is_keyword);
        match colour {
            Some(colour) => paint(&mut out, &rest[..len], colour),
            None => out.push_str(&rest[..len]),
        }
        rest = &rest[len..];
    }
    out
}

fn paint(out: &mut String, text: &str, colour: &str) {
    out.push_str(colour);
    out.push_str(text);
    out.push_str(RESET);
}

/// Where the construct open at the start of the line ends (the whole line if
/// it does not), `None` when the line starts in plain code.
fn open_end(line: &str, start: &State) -> Option<usize> {
    let after = |needle: &str| line.find(needle).map_or(line.len(), |i| i + needle.len());
    match start {
        State::Code | State::Ident => None,
        State::Str { .. } => Some(string_end(line, 0)),
        State::LineComment => Some(line.len()),
        State::BlockComment { .. } => Some(after("*/")),
        State::Dollar { tag } => Some(after(tag)),
    }
}

/// The end of a '...' string whose body starts at `from` ('' is a quote).
fn string_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    text.len()
}

/// The next token of `rest` (starting with `c`): its length and colour.
fn token(rest: &str, c: char, is_keyword: &dyn Fn(&str) -> bool) -> (usize, Option<&'static str>) {
    if rest.starts_with("--") {
        return (rest.len(), Some(COMMENT));
    }
    if rest.starts_with("/*") {
        return (rest.find("*/").map_or(rest.len(), |i| i + 2), Some(COMMENT));
    }
    match c {
        '\'' => (string_end(rest, 1), Some(CONSTANT)),
        '"' => (rest[1..].find('"').map_or(rest.len(), |i| i + 2), None),
        c if c.is_ascii_digit() => (rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(rest.len()), Some(CONSTANT)),
        c if c.is_alphabetic() || c == '_' => {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
            (len, is_keyword(&rest[..len]).then_some(KEYWORD))
        }
        c => (c.len_utf8(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword(word: &str) -> bool {
        ["SELECT", "FROM", "WHERE"].contains(&word.to_ascii_uppercase().as_str())
    }

    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut escape = false;
        for c in text.chars() {
            match c {
                '\u{1b}' => escape = true,
                'm' if escape => escape = false,
                c if !escape => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn keywords_constants_and_comments_are_coloured() {
        let line = "select 'it''s', 42, name FROM t -- note";
        let out = highlight(line, &State::Code, &keyword);
        assert_eq!(plain(&out), line, "only colour codes are added");
        assert!(out.starts_with("\u{1b}[32mselect\u{1b}[0m"));
        assert!(out.contains("\u{1b}[33m'it''s'\u{1b}[0m") && out.contains("\u{1b}[33m42\u{1b}[0m"));
        assert!(out.contains(" name ") && out.ends_with("\u{1b}[90m-- note\u{1b}[0m"));
    }

    #[test]
    fn a_continued_string_or_comment_stays_coloured() {
        let out = highlight("end of it' FROM t", &State::Str { backslash: false }, &keyword);
        assert!(out.starts_with("\u{1b}[33mend of it'\u{1b}[0m"), "{out:?}");
        let out = highlight("still */ SELECT", &State::BlockComment { depth: 1 }, &keyword);
        assert!(out.starts_with("\u{1b}[90mstill */\u{1b}[0m") && out.contains("\u{1b}[32mSELECT"), "{out:?}");
        assert_eq!(highlight(".tables", &State::Code, &keyword), ".tables");
    }
}
