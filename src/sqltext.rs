//! Lexical helpers on SQL text: splitting a script into statements at the
//! semicolons that end them (not those inside strings, quoted identifiers,
//! comments or dollar-quoted bodies), and telling whether a script's last
//! statement is complete. Shared by the library installer and the REPL.

/// One statement of a script, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    pub text: &'a str,
    pub line: usize,
}

/// Where the scanner is: what an upcoming `;` would mean.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Code,
    SingleQuoted,
    DoubleQuoted,
    LineComment,
    BlockComment(usize),
    DollarQuoted(String),
}

/// Split `script` into statements. A statement's text excludes its `;` and
/// surrounding whitespace; pieces holding only comments are dropped. A last
/// statement without `;` is kept (see `is_complete` to tell).
pub fn split_statements(script: &str) -> Vec<Statement<'_>> {
    let mut statements = Vec::new();
    let mut start = 0;
    for end in statement_ends(script) {
        push_statement(script, start, end, &mut statements);
        start = end + 1;
    }
    push_statement(script, start, script.len(), &mut statements);
    statements
}

/// True when `script` holds no unterminated string, comment or statement,
/// i.e. it ends (after whitespace and comments) with a terminating `;`, or
/// holds nothing but whitespace and comments.
pub fn is_complete(script: &str) -> bool {
    let (ends, state) = scan(script);
    if state != State::Code && state != State::LineComment {
        return false;
    }
    let tail_start = ends.last().map(|e| e + 1).unwrap_or(0);
    is_only_comments(&script[tail_start..])
}

fn push_statement<'a>(script: &'a str, start: usize, end: usize, out: &mut Vec<Statement<'a>>) {
    let piece = &script[start..end];
    if is_only_comments(piece) {
        return;
    }
    let trimmed_start = start + (piece.len() - piece.trim_start().len());
    let line = script[..trimmed_start].matches('\n').count() + 1;
    out.push(Statement { text: piece.trim(), line });
}

/// Byte offsets of the semicolons that end statements.
fn statement_ends(script: &str) -> Vec<usize> {
    scan(script).0
}

fn scan(script: &str) -> (Vec<usize>, State) {
    let bytes = script.as_bytes();
    let mut ends = Vec::new();
    let mut state = State::Code;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        state = match state {
            State::Code => match c {
                b';' => {
                    ends.push(i);
                    State::Code
                }
                b'\'' => State::SingleQuoted,
                b'"' => State::DoubleQuoted,
                b'-' if next == Some(b'-') => {
                    i += 1;
                    State::LineComment
                }
                b'/' if next == Some(b'*') => {
                    i += 1;
                    State::BlockComment(1)
                }
                b'$' => match dollar_tag(&script[i..]) {
                    Some(tag) => {
                        i += tag.len() - 1;
                        State::DollarQuoted(tag)
                    }
                    None => State::Code,
                },
                _ => State::Code,
            },
            // '' inside a string is an escaped quote: leaving and re-entering
            // the string on the next byte gives the same result.
            State::SingleQuoted => if c == b'\'' { State::Code } else { State::SingleQuoted },
            State::DoubleQuoted => if c == b'"' { State::Code } else { State::DoubleQuoted },
            State::LineComment => if c == b'\n' { State::Code } else { State::LineComment },
            State::BlockComment(depth) => {
                if c == b'*' && next == Some(b'/') {
                    i += 1;
                    if depth == 1 { State::Code } else { State::BlockComment(depth - 1) }
                } else if c == b'/' && next == Some(b'*') {
                    i += 1;
                    State::BlockComment(depth + 1)
                } else {
                    State::BlockComment(depth)
                }
            }
            State::DollarQuoted(tag) => {
                if bytes[i..].starts_with(tag.as_bytes()) {
                    i += tag.len() - 1;
                    State::Code
                } else {
                    State::DollarQuoted(tag)
                }
            }
        };
        i += 1;
    }
    (ends, state)
}

/// `$$` or `$tag$` at the start of `text` (a dollar-quote opener).
fn dollar_tag(text: &str) -> Option<String> {
    let rest = &text[1..];
    let close = rest.find('$')?;
    let tag = &rest[..close];
    let is_tag = tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !tag.starts_with(|c: char| c.is_ascii_digit());
    is_tag.then(|| format!("${tag}$"))
}

/// True when `text` holds only whitespace and comments.
fn is_only_comments(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.find('\n').map(|n| &after[n..]).unwrap_or("").trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            match after.find("*/") {
                Some(n) => rest = after[n + 2..].trim_start(),
                None => return true,
            }
        } else {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_strings_comments_and_dollar_quotes() {
        let script = "SELECT 'a;b' AS x; -- c;d\nSELECT \"e;f\" FROM t /* g; h */;\nSELECT $$i;j$$, $q$k;l$q$;";
        assert_eq!(
            texts(script),
            vec!["SELECT 'a;b' AS x", "-- c;d\nSELECT \"e;f\" FROM t /* g; h */", "SELECT $$i;j$$, $q$k;l$q$"]
        );
    }

    #[test]
    fn escaped_quotes_stay_inside_the_string() {
        assert_eq!(texts("SELECT 'it''s; fine'; SELECT 2"), vec!["SELECT 'it''s; fine'", "SELECT 2"]);
    }

    #[test]
    fn leading_comments_stay_with_their_statement_and_comment_only_pieces_are_dropped() {
        let statements = split_statements("\n-- header\n\nCREATE VIEW v AS SELECT 1;\n-- trailing comment\n");
        assert_eq!(statements, vec![Statement { text: "-- header\n\nCREATE VIEW v AS SELECT 1", line: 2 }]);
    }

    #[test]
    fn completeness_needs_a_final_semicolon_outside_strings_and_comments() {
        assert!(is_complete("SELECT 1;"));
        assert!(is_complete("SELECT 1; -- done"));
        assert!(is_complete("   "));
        assert!(!is_complete("SELECT 1"));
        assert!(!is_complete("SELECT 'a;"));
        assert!(!is_complete("SELECT 1 /* ; */"));
        assert!(!is_complete("SELECT 1; SELECT 2"));
        assert!(!is_complete("SELECT $$ ; "));
    }

    #[test]
    fn multibyte_text_inside_any_quote_is_safe() {
        assert_eq!(texts("SELECT $$é;€$$; SELECT 'ü;'"), vec!["SELECT $$é;€$$", "SELECT 'ü;'"]);
    }

    #[test]
    fn a_lone_dollar_is_not_a_quote() {
        assert_eq!(texts("SELECT $1; SELECT 2"), vec!["SELECT $1", "SELECT 2"]);
    }
}
