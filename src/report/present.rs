//! Reports as people read them (terminal, Markdown, HTML): column headings
//! and values in words (`Replies by users`, `Not good`, `1h 02m`), not the
//! raw names and codes that JSON and CSV keep for scripts.

use serde_json::Value;

use super::units::{duration, is_duration_column};

/// `not_good` -> `Not good`, `new_conversations` -> `New conversations`.
pub fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// The heading of a table column.
pub fn heading(column: &str) -> String {
    let special = match column {
        "conversation_number" | "number" => "Conversation",
        "user_name" => "User",
        "rated_at" => "Rated",
        "last_activity_at" => "Last activity",
        "share" => "Share of conversations",
        "replies" => "Replies sent",
        "per_day" => "A day",
        "handled" => "Conversations handled",
        _ => return words(column),
    };
    special.to_string()
}

/// Columns people do not read: ids, kept for scripts in JSON and CSV (the
/// name next to them says who or what).
pub fn hidden(column: &str) -> bool {
    column.ends_with("_id")
}

/// A table cell as text; `numeric` cells are right-aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub numeric: bool,
}

/// The value of `column` in words: durations for `*_time` columns, shares
/// as percents, codes (`not_good`, `email`, `active`) as words, timestamps
/// to the minute; `–` for NULL.
pub fn cell(column: &str, value: &Value) -> Cell {
    let text = |t: String| Cell { text: t, numeric: false };
    let number = |t: String| Cell { text: t, numeric: true };
    match value {
        Value::Null => text("–".to_string()),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if is_duration_column(column) {
                number(duration(x))
            } else if column == "share" {
                number(format!("{x:.1} %"))
            } else if column == "happiness_score" {
                number(format!("{x:+.1}"))
            } else if n.is_i64() || n.is_u64() {
                number(n.to_string())
            } else {
                number(format!("{x:.2}"))
            }
        }
        Value::String(s) if matches!(column, "rating" | "channel" | "status") => text(words(s)),
        Value::String(s) => text(printable(&readable_timestamp(s))),
        Value::Bool(b) => text(if *b { "yes" } else { "no" }.to_string()),
        other => text(printable(&other.to_string())),
    }
}

/// Arrow's `2026-10-05T09:30:00` as `2026-10-05 09:30`; other text as is.
pub fn readable_timestamp(text: &str) -> String {
    let b = text.as_bytes();
    let looks_like_timestamp = b.len() >= 16 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':';
    match (looks_like_timestamp, text.get(..10), text.get(11..16)) {
        (true, Some(day), Some(time)) => format!("{day} {time}"),
        _ => text.to_string(),
    }
}

/// Text from the data, safe for a terminal: control characters (an escape
/// sequence in a customer's name or a subject) are shown as `�`, never sent
/// raw.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect()
}

/// `10` -> `10:00`.
pub fn hour_text(hour: i64) -> String {
    format!("{:02}:00", hour.rem_euclid(24))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headings_and_codes_read_as_words() {
        assert_eq!(heading("replies_by_users"), "Replies by users");
        assert_eq!(heading("conversation_number"), "Conversation");
        assert_eq!(cell("rating", &json!("not_good")).text, "Not good");
        assert_eq!(cell("channel", &json!("email")).text, "Email");
        assert!(hidden("user_id") && !hidden("user"));
    }

    #[test]
    fn values_read_by_column() {
        assert_eq!(cell("response_time", &json!(3725.0)), Cell { text: "1h 02m".into(), numeric: true });
        assert_eq!(cell("share", &json!(12.5)).text, "12.5 %");
        assert_eq!(cell("replies", &json!(7)).text, "7");
        assert_eq!(cell("rated_at", &json!("2025-10-26T02:00:00")).text, "2025-10-26 02:00");
        assert_eq!(cell("day", &json!("2025-10-26")).text, "2025-10-26");
        assert_eq!(cell("comments", &Value::Null).text, "–");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(cell("subject", &json!("a\u{1b}[31mred")).text, "a\u{fffd}[31mred");
    }
}
