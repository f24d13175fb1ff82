//! How a metric value reads, by unit: counts as integers, times as
//! durations, shares as percents, weekdays and hours by name.

/// A card's value as text; `–` when undefined (NULL).
pub fn display_value(unit: &str, value: Option<f64>) -> String {
    let Some(v) = value else { return "–".to_string() };
    match unit {
        "count" => integer_or_decimal(v),
        "seconds" => duration(v),
        "percent" => format!("{v:.1} %"),
        "score" => format!("{v:+.1}"),
        "weekday" => weekday(v).to_string(),
        "hour" => hour(v),
        "stars" => format!("{v:.2} / 5"),
        "flag" => if v != 0.0 { "yes" } else { "no" }.to_string(),
        _ => format!("{v:.2}"),
    }
}

/// A difference from a benchmark (value minus benchmark), in the unit of
/// the value: `+3.0 pts` for percents, `-12m 05s` for times, `+0.25` for
/// stars; `–` when undefined.
pub fn display_difference(unit: &str, difference: Option<f64>) -> String {
    let Some(d) = difference else { return "–".to_string() };
    let sign = if d < 0.0 { "-" } else { "+" };
    match unit {
        "percent" | "score" => format!("{d:+.1} pts"),
        "seconds" => format!("{sign}{}", duration(d.abs())),
        "count" => format!("{sign}{}", integer_or_decimal(d.abs())),
        _ => format!("{d:+.2}"),
    }
}

/// A change as text: `+12.5 %` (relative) or `+3.0 pts` (points); empty
/// when there is none.
pub fn display_change(change: Option<f64>, change_unit: Option<&str>) -> String {
    match (change, change_unit) {
        (Some(c), Some("points")) => format!("{c:+.1} pts"),
        (Some(c), Some(_)) => format!("{c:+.1} %"),
        _ => String::new(),
    }
}

/// A compared card's change as text: the change (`display_change`), or why
/// there is none: `new` when the previous figure was 0 (a percent change
/// from nothing is undefined), `no change` when it was 0 and still is.
pub fn display_card_change(change: Option<f64>, change_unit: Option<&str>, change_note: Option<&str>, previous: Option<f64>) -> String {
    match (change, change_note) {
        (Some(_), _) => display_change(change, change_unit),
        (None, Some("no previous value")) if previous == Some(0.0) => "new".to_string(),
        (None, Some("no change")) => "no change".to_string(),
        _ => String::new(),
    }
}

/// Which way a metric is better, for colouring a change: more replies are
/// good, a longer response time is bad, more new conversations are
/// neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

pub fn better(metric: &str, unit: &str) -> Better {
    match metric {
        "replies_to_resolve" | "not_good" => Better::Lower,
        "customers_helped" | "replies_sent" | "replies" | "replies_per_day" | "handled_per_day" | "closed" | "resolved"
        | "resolved_on_first_reply" | "great" | "happiness_score" | "csat" | "csat_satisfied" | "deflection"
        | "quicksearch_deflection" | "accuracy" | "resolved_by_bot" | "completions" | "issues_resolved" | "faqs_suggested" => Better::Higher,
        // a longer chat is not worse service in itself
        "chat_duration" => Better::Neither,
        _ if unit == "seconds" => Better::Lower,
        _ => Better::Neither,
    }
}

/// Whether a change (or a difference from a benchmark) is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

pub fn tone(metric: &str, unit: &str, change: Option<f64>) -> Tone {
    let Some(change) = change.filter(|c| *c != 0.0 && c.is_finite()) else { return Tone::Neutral };
    match (better(metric, unit), change > 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => Tone::Good,
        (Better::Higher, false) | (Better::Lower, true) => Tone::Bad,
        (Better::Neither, _) => Tone::Neutral,
    }
}

fn integer_or_decimal(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v:.2}") }
}

/// `45s`, `12m 05s`, `3h 07m`, `2d 04h`.
pub fn duration(seconds: f64) -> String {
    let sign = if seconds < 0.0 { "-" } else { "" };
    let s = seconds.abs().round() as u64;
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let text = if d > 0 {
        format!("{d}d {h:02}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {sec:02}s")
    } else {
        format!("{sec}s")
    };
    format!("{sign}{text}")
}

/// Whether a table column holds seconds to show as durations: the
/// library names such columns `*_time` (`first_response_time`, ...).
pub fn is_duration_column(name: &str) -> bool {
    name.ends_with("_time")
}

/// ISO day of week: 1 = Monday ... 7 = Sunday.
pub fn weekday(v: f64) -> &'static str {
    match v as i64 {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        6 => "Saturday",
        7 => "Sunday",
        _ => "?",
    }
}

fn hour(v: f64) -> String {
    let h = v as i64;
    format!("{h:02}:00–{:02}:00", (h + 1) % 24)
}

/// Section titles, for display.
pub fn section_title(section: &str) -> String {
    match section {
        "all" => "All channels".to_string(),
        "email" => "Email".to_string(),
        "chat" => "Chat".to_string(),
        "phone" => "Phone".to_string(),
        "happiness" => "Happiness".to_string(),
        "performance" => "Performance".to_string(),
        "contract" => "Contract vs usage".to_string(),
        "predict" => "Predict".to_string(),
        "quicksearch" => "QuickSearch Bot".to_string(),
        "bots" => "Custom bots".to_string(),
        "usage" => "Feature usage".to_string(),
        other => {
            let mut words: Vec<String> = other.split('_').map(str::to_string).collect();
            if let Some(first) = words.first_mut()
                && let Some(c) = first.chars().next()
            {
                *first = c.to_uppercase().collect::<String>() + &first[c.len_utf8()..];
            }
            words.join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_by_unit() {
        assert_eq!(display_value("count", Some(12.0)), "12");
        assert_eq!(display_value("per_day", Some(2.0 / 3.0)), "0.67");
        assert_eq!(display_value("seconds", Some(3725.0)), "1h 02m");
        assert_eq!(display_value("seconds", Some(59.6)), "1m 00s");
        assert_eq!(display_value("seconds", Some(200_000.0)), "2d 07h");
        assert_eq!(display_value("percent", Some(33.333)), "33.3 %");
        assert_eq!(display_value("score", Some(-12.5)), "-12.5");
        assert_eq!(display_value("weekday", Some(2.0)), "Tuesday");
        assert_eq!(display_value("hour", Some(23.0)), "23:00–00:00");
        assert_eq!(display_value("seconds", None), "–");
        assert_eq!(display_value("stars", Some(11.0 / 3.0)), "3.67 / 5");
        assert_eq!(display_value("flag", Some(0.0)), "no");
    }

    #[test]
    fn differences_read_in_the_unit_of_the_value() {
        assert_eq!(display_difference("percent", Some(25.0 / 3.0)), "+8.3 pts");
        assert_eq!(display_difference("seconds", Some(-725.0)), "-12m 05s");
        assert_eq!(display_difference("seconds", Some(3010.0 / 3.0)), "+16m 43s");
        assert_eq!(display_difference("stars", Some(-1.0 / 6.0)), "-0.17");
        assert_eq!(display_difference("count", Some(-3.0)), "-3");
        assert_eq!(display_difference("stars", None), "–");
    }

    #[test]
    fn changes_say_their_unit() {
        assert_eq!(display_change(Some(12.345), Some("percent")), "+12.3 %");
        assert_eq!(display_change(Some(-3.0), Some("points")), "-3.0 pts");
        assert_eq!(display_change(None, Some("percent")), "");
    }

    #[test]
    fn a_change_from_zero_is_new() {
        assert_eq!(display_card_change(None, Some("percent"), Some("no previous value"), Some(0.0)), "new");
        assert_eq!(display_card_change(None, Some("percent"), Some("no change"), Some(0.0)), "no change");
        assert_eq!(display_card_change(None, Some("percent"), Some("no previous value"), None), "");
        assert_eq!(display_card_change(Some(50.0), Some("percent"), None, Some(2.0)), "+50.0 %");
    }

    #[test]
    fn a_change_is_good_or_bad_by_the_metric() {
        assert_eq!(tone("response_time", "seconds", Some(12.0)), Tone::Bad);
        assert_eq!(tone("response_time", "seconds", Some(-12.0)), Tone::Good);
        assert_eq!(tone("replies_sent", "count", Some(5.0)), Tone::Good);
        assert_eq!(tone("not_good", "percent", Some(5.0)), Tone::Bad);
        assert_eq!(tone("new_conversations", "count", Some(5.0)), Tone::Neutral);
        assert_eq!(tone("resolved", "count", None), Tone::Neutral);
    }

    #[test]
    fn section_titles() {
        assert_eq!(section_title("all"), "All channels");
        assert_eq!(section_title("contract_vs_usage"), "Contract vs usage");
        assert_eq!(section_title("quicksearch"), "QuickSearch Bot");
    }
}
