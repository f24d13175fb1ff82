//! Values given on the command line: dates, months, instants and durations.
//! Each has a parser that clap runs while it reads the arguments
//! (`value_parser = values::date`), so a bad value is a usage error (exit 2)
//! naming the option and what was expected, never a panic or a failure
//! half-way through a command. The parsers return the value as typed
//! (normalised), because report arguments are stored as text in audit
//! records; the typed readers below take that text.
//!
//! Every instant deskql handles lies in the range of the time-zone table,
//! [1900-01-01, 2200-01-01) UTC (`timezones`); local dates one day inside it
//! are accepted, so that a period converts to UTC in any zone.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

/// The first and last local days a report period may touch.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 2).expect("a valid date")
}

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2199, 12, 30).expect("a valid date")
}

/// The UTC instants deskql can place in local time: [1900-01-01, 2200-01-01).
pub fn instant_in_range(at: NaiveDateTime) -> bool {
    let start = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date").and_hms_opt(0, 0, 0).expect("midnight");
    let end = NaiveDate::from_ymd_opt(2200, 1, 1).expect("a valid date").and_hms_opt(0, 0, 0).expect("midnight");
    at >= start && at < end
}

fn range_text() -> String {
    format!("between {} and {}", first_day(), last_day())
}

/// `YYYY-MM-DD` -> a day within the supported range.
pub fn read_date(text: &str) -> Result<NaiveDate> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok().filter(|d| d.to_string() == text.trim());
    let Some(day) = day else { bail!("{text:?} is not a date: expected YYYY-MM-DD, e.g. 2026-10-01") };
    if day < first_day() || day > last_day() {
        bail!("{text:?} is out of range: deskql reports on days {}", range_text());
    }
    Ok(day)
}

/// `YYYY-MM` -> [its first day, the first day of the next month).
pub fn month_bounds(text: &str) -> Result<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m").to_string() == text.trim())
        .with_context(|| format!("{text:?} is not a month: expected YYYY-MM, e.g. 2026-10"))?;
    let next = if first.month() == 12 { NaiveDate::from_ymd_opt(first.year() + 1, 1, 1) } else { NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1) };
    match next {
        Some(next) if first >= first_day() && next <= last_day() => Ok((first, next)),
        _ => bail!("{text:?} is out of range: deskql reports on days {}", range_text()),
    }
}

/// An instant: RFC 3339 (`2026-11-01T06:00:00Z`, `...+01:00`), or a UTC
/// date (`2026-11-01`) or date-time (`2026-11-01 06:00:00`).
pub fn read_instant(text: &str) -> Result<DateTime<Utc>> {
    let parsed = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
                .map(|t| t.and_utc())
        })
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()));
    let Some(at) = parsed else {
        bail!("{text:?} is not a date or time: expected e.g. 2026-11-01, 2026-11-01T06:00:00Z or '2026-11-01 06:00:00' (UTC)")
    };
    if !instant_in_range(at.naive_utc()) {
        bail!("{text:?} is out of range: deskql handles instants from 1900-01-01 to 2200-01-01 (UTC)");
    }
    Ok(at)
}

/// Longest duration option: a year (a longer deflection window means nothing).
const MAX_DURATION_SECONDS: i64 = 366 * 86_400;

/// A duration: `24h`, `90m`, `3600s` or plain seconds; positive, at most 366 days.
pub fn read_duration(text: &str) -> Result<i64> {
    let trimmed = text.trim();
    let (number, factor) = match trimmed.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => match unit.to_ascii_lowercase() {
            'h' => (&trimmed[..at], 3600),
            'm' => (&trimmed[..at], 60),
            's' => (&trimmed[..at], 1),
            _ => (trimmed, 0),
        },
        _ => (trimmed, 1),
    };
    let seconds = number.trim().parse::<i64>().ok().filter(|n| *n > 0 && factor > 0).and_then(|n| n.checked_mul(factor));
    match seconds {
        Some(s) if s <= MAX_DURATION_SECONDS => Ok(s),
        Some(_) => bail!("{text:?} is too long: at most 366 days (8784h)"),
        None => bail!("{text:?} is not a duration: expected a positive whole number of hours, minutes or seconds, e.g. 24h, 90m, 3600s or 3600"),
    }
}

/// A duration in seconds as the shortest of `24h`, `90m`, `45s`.
pub fn duration_text(seconds: i64) -> String {
    if seconds % 3600 == 0 {
        format!("{}h", seconds / 3600)
    } else if seconds % 60 == 0 {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

/// clap value parsers: check the text, keep it as typed.
fn checked<T>(text: &str, read: impl Fn(&str) -> Result<T>) -> Result<String, String> {
    read(text).map(|_| text.trim().to_string()).map_err(|e| e.to_string())
}

pub fn date(text: &str) -> Result<String, String> {
    checked(text, read_date)
}

pub fn month(text: &str) -> Result<String, String> {
    checked(text, month_bounds)
}

pub fn instant(text: &str) -> Result<String, String> {
    checked(text, read_instant)
}

pub fn duration(text: &str) -> Result<String, String> {
    checked(text, read_duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_end_on_the_first_of_the_next() {
        assert_eq!(month_bounds("2026-10").unwrap(), (d(2026, 10, 1), d(2026, 11, 1)));
        assert_eq!(month_bounds("2026-12").unwrap(), (d(2026, 12, 1), d(2027, 1, 1)));
        assert!(month_bounds("2026-13").unwrap_err().to_string().contains("expected YYYY-MM"));
    }

    #[test]
    fn values_outside_the_time_zone_table_are_refused_not_panicking() {
        for bad in ["+262142-12", "99999-01", "1899-12", "2200-01", "2199-12", "-0001-01"] {
            assert!(month(bad).is_err(), "{bad}");
        }
        for bad in ["99999-01-01", "1899-12-31", "2200-01-01", "0001-01-01", "2026-02-30", "2026-1-1"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        for bad in ["9999-12-31", "0001-01-01T00:00:00Z", "1899-12-31"] {
            assert!(instant(bad).is_err(), "{bad}");
        }
        assert_eq!(date("1900-01-02").unwrap(), "1900-01-02");
        assert_eq!(month("2199-11").unwrap(), "2199-11");
    }

    #[test]
    fn instants_accept_dates_and_times_in_utc() {
        assert_eq!(read_instant("2026-11-01").unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(read_instant("2026-11-01T07:30:00+01:00").unwrap().to_rfc3339(), "2026-11-01T06:30:00+00:00");
        assert!(read_instant("yesterday").unwrap_err().to_string().contains("expected e.g."));
    }

    #[test]
    fn durations_read_hours_minutes_and_seconds() {
        assert_eq!(read_duration("24h").unwrap(), 86_400);
        assert_eq!(read_duration("90m").unwrap(), 5_400);
        assert_eq!(read_duration("3600s").unwrap(), 3_600);
        assert_eq!(read_duration("3600").unwrap(), 3_600);
        assert_eq!(read_duration(" 2H ").unwrap(), 7_200);
        for bad in ["0", "-5m", "1.5h", "24d", "h", "", "soon", "99999999999999999999"] {
            assert!(read_duration(bad).unwrap_err().to_string().contains("e.g. 24h, 90m, 3600s or 3600"), "{bad:?}");
        }
        assert!(read_duration("9999h").unwrap_err().to_string().contains("at most 366 days"));
        assert_eq!(duration_text(86_400), "24h");
        assert_eq!(duration_text(5_400), "90m");
        assert_eq!(duration_text(45), "45s");
    }
}
