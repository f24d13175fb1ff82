//! SQL text, shared by every module that builds or reads SQL: where
//! statements end (the REPL, the library installer), quoting identifiers,
//! rendering the `{{name}}` templates of `sql/`, and picking one `-- name:`
//! query of a query file. Where statements end: A `;` ends a statement except inside a
//! string ('...', E'...'), a quoted identifier ("..."), a comment (`--`,
//! `/* */`, nested like PostgreSQL's) or a dollar-quoted body (`$$...$$`,
//! `$tag$...$tag$`).

/// The complete statements of `text` and what follows the last `;`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub statements: Vec<String>,
    /// Text after the last terminating `;` (may hold an unfinished statement).
    pub rest: String,
}

/// One statement of a script, with the 1-based line it starts on. Comments
/// before it are part of it (the library's doc comments live there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub text: &'a str,
    pub line: usize,
}

/// Where the scanner is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Code,
    /// In '...'; `backslash` for E'...' strings, where \' does not end it.
    Str { backslash: bool },
    Ident,
    LineComment,
    BlockComment { depth: usize },
    Dollar { tag: String },
}

/// Byte offsets of the terminating `;`s of `text` and the state at its end.
pub fn scan(text: &str) -> (Vec<usize>, State) {
    let bytes = text.as_bytes();
    let mut ends = Vec::new();
    let mut state = State::Code;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match &mut state {
            State::Code => match c {
                b';' => ends.push(i),
                b'\'' => state = State::Str { backslash: is_escape_string_prefix(bytes, i) },
                b'"' => state = State::Ident,
                b'-' if next == Some(b'-') => {
                    state = State::LineComment;
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    state = State::BlockComment { depth: 1 };
                    i += 1;
                }
                b'$' => {
                    if let Some(tag) = dollar_tag(text, i) {
                        i += tag.len() + 1;
                        state = State::Dollar { tag };
                    }
                }
                _ => {}
            },
            State::Str { backslash } => match c {
                b'\\' if *backslash => i += 1,
                b'\'' if next == Some(b'\'') => i += 1,
                b'\'' => state = State::Code,
                _ => {}
            },
            State::Ident => match c {
                b'"' if next == Some(b'"') => i += 1,
                b'"' => state = State::Code,
                _ => {}
            },
            State::LineComment => {
                if c == b'\n' {
                    state = State::Code;
                }
            }
            State::BlockComment { depth } => {
                if c == b'*' && next == Some(b'/') {
                    *depth -= 1;
                    i += 1;
                    if *depth == 0 {
                        state = State::Code;
                    }
                } else if c == b'/' && next == Some(b'*') {
                    *depth += 1;
                    i += 1;
                }
            }
            State::Dollar { tag } => {
                if c == b'$' && text[i..].starts_with(tag.as_str()) {
                    i += tag.len() - 1;
                    state = State::Code;
                }
            }
        }
        i += 1;
    }
    (ends, state)
}

/// `E'...'` (or `e'...'`) not preceded by an identifier character.
fn is_escape_string_prefix(bytes: &[u8], quote: usize) -> bool {
    quote >= 1 && matches!(bytes[quote - 1], b'e' | b'E') && (quote < 2 || !is_ident_byte(bytes[quote - 2]))
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The opening tag (`$$` or `$name$`) at byte `at`, if one starts there. `$1`
/// (a parameter) and `a$b` (part of a name) are not tags.
fn dollar_tag(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    if at > 0 && is_ident_byte(bytes[at - 1]) {
        return None;
    }
    let body = &text[at + 1..];
    let len = body.bytes().take_while(|&b| b.is_ascii_alphanumeric() || b == b'_').count();
    let name = &body[..len];
    if name.starts_with(|c: char| c.is_ascii_digit()) || !body[len..].starts_with('$') {
        return None;
    }
    Some(format!("${name}$"))
}

/// Split `text` into complete statements (blank ones, such as `;;` or a
/// comment alone, are dropped) and the rest after the last `;`.
pub fn split(text: &str) -> Split {
    let (ends, _) = scan(text);
    let mut statements = Vec::new();
    let mut start = 0;
    for end in ends {
        let statement = &text[start..end];
        if !is_blank(statement) {
            statements.push(statement.trim().to_string());
        }
        start = end + 1;
    }
    Split { statements, rest: text[start..].to_string() }
}

/// Only whitespace and comments.
pub fn is_blank(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail).trim_start();
        } else if rest.starts_with("/*") {
            rest = after_block_comment(rest).trim_start();
        } else {
            return false;
        }
    }
}

/// `text` (starting with `/*`) after its closing `*/`, nesting included.
fn after_block_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return &text[i..];
            }
        } else {
            i += 1;
        }
    }
    ""
}

/// What separates the items of a list bound as one text parameter: lists
/// cannot be bound directly, so a list goes in as its items joined by this
/// ASCII unit separator and SQL splits it back (`string_split(?, chr(31))`).
pub const LIST_SEPARATOR: char = '\u{1f}';

/// `items` as one text for `string_split(?, chr(31))`, or the first item
/// that holds the separator (it would be split in two).
pub fn bound_list(items: &[String]) -> Result<String, &String> {
    match items.iter().find(|item| item.contains(LIST_SEPARATOR)) {
        Some(bad) => Err(bad),
        None => Ok(items.join(&LIST_SEPARATOR.to_string())),
    }
}

/// Every statement of a script with its line (a last one without `;` too);
/// pieces holding only comments are dropped.
pub fn split_statements(script: &str) -> Vec<Statement<'_>> {
    let (ends, _) = scan(script);
    let mut statements = Vec::new();
    let mut start = 0;
    for end in ends.into_iter().chain(std::iter::once(script.len())) {
        let piece = &script[start..end];
        if !is_blank(piece) {
            let trimmed_start = start + (piece.len() - piece.trim_start().len());
            let line = script[..trimmed_start].matches('\n').count() + 1;
            statements.push(Statement { text: piece.trim(), line });
        }
        start = (end + 1).min(script.len());
    }
    statements
}

/// Whether every statement of `input` is terminated by a `;` outside
/// strings and comments (an empty or comment-only input is complete).
pub fn is_complete_sql(input: &str) -> bool {
    let (ends, state) = scan(input);
    let after = ends.last().map_or(input, |&end| &input[end + 1..]);
    matches!(state, State::Code | State::LineComment) && is_blank(after)
}

/// The first `n` words of a statement, upper-cased: runs of letters, digits
/// and `_`, with comments (nested block comments too), whitespace,
/// parentheses and commas between them skipped. Stops at anything else (a
/// string, an operator), which no statement keyword follows.
pub fn leading_words(sql: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = sql;
    while words.len() < n {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',');
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail);
            continue;
        }
        if rest.starts_with("/*") {
            rest = after_block_comment(rest);
            continue;
        }
        let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if word.is_empty() {
            break;
        }
        rest = &rest[word.len()..];
        words.push(word.to_ascii_uppercase());
    }
    words
}

/// Quote an identifier for SQL. Only ever used on names from the contract or
/// names already checked against the catalog, never on raw user input.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Replace each `{{name}}` of a `sql/` template with its value. Values are
/// identifiers from the contract (quoted) or fragments built from them;
/// user values are bound as parameters, never rendered. A placeholder left
/// unreplaced is a programming error, caught by the tests that run every
/// template.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut sql = template.to_string();
    for (name, value) in values {
        sql = sql.replace(&format!("{{{{{name}}}}}"), value);
    }
    debug_assert!(!sql.contains("{{"), "unrendered placeholder in:\n{sql}");
    sql
}

/// The text of query `name` in a query file: a list of sections, each
/// starting with a line `-- name: <name>` (see `sql/reports/`).
pub fn named(file: &str, name: &str) -> anyhow::Result<String> {
    let marker = format!("-- name: {name}");
    let start = file
        .lines()
        .position(|l| l.trim() == marker)
        .ok_or_else(|| anyhow::anyhow!("no query named {name:?} in the SQL file"))?;
    let body: Vec<&str> = file.lines().skip(start + 1).take_while(|l| !l.trim_start().starts_with("-- name:")).collect();
    Ok(body.join("\n").trim().trim_end_matches(';').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_words_skip_comments_of_every_kind() {
        assert_eq!(leading_words("/* x /* nested */ */ -- y\n  (force\tINSTALL httpfs", 3), ["FORCE", "INSTALL", "HTTPFS"]);
        assert_eq!(leading_words("SELECT 'a b' FROM t", 3), ["SELECT"]);
        assert!(leading_words("  -- only a comment", 2).is_empty());
    }

    #[test]
    fn render_replaces_every_occurrence() {
        assert_eq!(render("a {{x}} b {{x}} {{y}}", &[("x", "1"), ("y", "2")]), "a 1 b 1 2");
    }

    #[test]
    fn named_queries_are_cut_at_the_next_name() {
        let file = "-- intro\n-- name: a\nSELECT 1;\n\n-- name: b\nSELECT\n  2;\n";
        assert_eq!(named(file, "a").unwrap(), "SELECT 1");
        assert_eq!(named(file, "b").unwrap(), "SELECT\n  2");
        assert!(named(file, "c").is_err());
    }

    #[test]
    fn identifiers_are_quoted_with_doubled_quotes() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn splits_on_semicolons_outside_strings_and_comments() {
        let text = "SELECT ';' AS a; SELECT \"x;y\" FROM t; -- no; split\nSELECT 1 /* a ; b */ + 1;";
        assert_eq!(split(text).statements, vec!["SELECT ';' AS a", "SELECT \"x;y\" FROM t", "-- no; split\nSELECT 1 /* a ; b */ + 1"]);
    }

    #[test]
    fn doubled_quotes_and_escape_strings() {
        assert_eq!(split("SELECT 'it''s; ok'; SELECT E'\\'; still'; SELECT 'a\\';").statements, vec![
            "SELECT 'it''s; ok'",
            "SELECT E'\\'; still'",
            "SELECT 'a\\'"
        ]);
    }

    #[test]
    fn dollar_quotes_nested_comments_and_parameters() {
        let text = "CREATE MACRO m() AS $$ SELECT 1; $$; SELECT $t$ ; $$ ; $t$; /* a /* b; */ c; */ SELECT $1;";
        assert_eq!(split(text).statements, vec![
            "CREATE MACRO m() AS $$ SELECT 1; $$",
            "SELECT $t$ ; $$ ; $t$",
            "/* a /* b; */ c; */ SELECT $1"
        ]);
    }

    #[test]
    fn multibyte_text_inside_any_quote_is_safe() {
        assert_eq!(split("SELECT $$é;€$$; SELECT 'ü;';").statements, vec!["SELECT $$é;€$$", "SELECT 'ü;'"]);
    }

    #[test]
    fn rest_and_blank_statements() {
        let split = split("SELECT 1;; -- c\n; SELECT 2");
        assert_eq!(split.statements, vec!["SELECT 1"]);
        assert_eq!(split.rest, " SELECT 2");
    }

    #[test]
    fn statements_keep_their_leading_comments_and_lines() {
        let statements = split_statements("\n-- header\n\nCREATE VIEW v AS SELECT 1;\n-- trailing comment\nSELECT 2");
        assert_eq!(statements, vec![
            Statement { text: "-- header\n\nCREATE VIEW v AS SELECT 1", line: 2 },
            Statement { text: "-- trailing comment\nSELECT 2", line: 5 },
        ]);
    }

    #[test]
    fn completeness() {
        assert!(is_complete_sql("SELECT 1;"));
        assert!(is_complete_sql("SELECT 1; -- done"));
        assert!(is_complete_sql(""));
        assert!(!is_complete_sql("SELECT 1"));
        assert!(!is_complete_sql("SELECT ';"));
        assert!(!is_complete_sql("SELECT 1; SELECT 2"));
        assert!(!is_complete_sql("SELECT /* ; */ 1"));
        assert!(!is_complete_sql("SELECT $$;"));
    }

    #[test]
    fn blank() {
        assert!(is_blank("  -- x\n /* y /* z */ */ \n"));
        assert!(is_blank("/* never closed"));
        assert!(!is_blank("-- x\nSELECT"));
    }
}
