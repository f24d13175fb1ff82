//! `--office-hours`: which library versions and reports have it, which
//! queries it runs, and the office hours a report states in its header (and
//! JSON) so that a reader knows what "office time" meant: whose weekly
//! hours, in which zone, in force when, and the holidays.

use std::collections::BTreeMap;

use anyhow::Result;
use duckdb::Connection;
use serde::Serialize;
use serde_json::{Map, Value};

use super::document::{Header, json_objects};
use super::params::Resolved;
use super::query;
use crate::library::Library;
use crate::sqltext::named;

/// The contract tables a report reads only with `--office-hours` (audits
/// fingerprint them then, and only then).
pub const TABLES: [&str; 2] = ["office_hours", "holidays"];

/// Whether a library version defines office time (1.3.0 and later).
pub fn library_has_office_hours(library: &Library) -> bool {
    library.docs.object("office_hours_summary").is_some()
}

/// The query of table `name`: with `--office-hours`, its variant
/// `<name>_office_hours` when the report's queries have one (the
/// conversation history then shows each time in calendar and office time).
pub fn table_query(file: &str, name: &str, office_hours: bool) -> String {
    let variant = format!("{name}_office_hours");
    if office_hours && named(file, &variant).is_ok() { variant } else { name.to_string() }
}

/// The office hours a report's times are computed in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Schedule {
    /// `office hours`, `open 24/7` (no office_hours rows and no holidays:
    /// office time equals calendar time) or `open 24/7 except holidays`.
    pub kind: String,
    /// Whose weekly hours: `account`, or `team` (a Team report's team with
    /// hours of its own).
    pub owner: String,
    /// The account's time zone, which the hours and holidays are in.
    pub time_zone: String,
    /// The weekly hours in force on some day of the report (and of the
    /// compared period), oldest first.
    pub weeks: Vec<Week>,
    /// The holidays among those days.
    pub holidays: Vec<Holiday>,
    /// All of it in one line, as the text formats show it.
    pub summary: String,
}

/// One version of the weekly hours.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Week {
    /// The first local day it is in force; null for the first version (in
    /// force since always).
    pub from: Option<String>,
    /// Open intervals by weekday, e.g. `Mon-Fri 08:00-12:00, 13:00-18:00`.
    pub hours: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Holiday {
    pub day: String,
    pub name: Option<String>,
}

/// Fill the header of a report with `--office-hours`: the flag, the
/// schedule, and for a benchmarked report how many accounts keep office
/// hours (each is benchmarked in its own).
pub fn describe(conn: &Connection, resolved: &Resolved, header: &mut Header) -> Result<()> {
    let common = resolved.library.report_queries("common")?;
    let run = |name: &str| -> Result<Vec<Map<String, Value>>> {
        json_objects(&query::run(conn, common.text, name, &resolved.schema, &resolved.parameters())?)
    };
    let summary = run("office_hours")?.into_iter().next().unwrap_or_default();
    let weeks = weeks(&run("office_schedule")?);
    let holidays: Vec<Holiday> = run("office_holidays")?.iter().map(|r| Holiday { day: text(r, "day"), name: optional_text(r, "name") }).collect();
    let team_schedule = summary.get("team_schedule").and_then(Value::as_bool).unwrap_or(false);
    let kind = if team_schedule { "office hours".to_string() } else { text(&summary, "schedule") };
    let owner = if team_schedule { "team" } else { "account" };
    let time_zone = text(&summary, "zone");
    let summary = summary_text(&kind, owner, &time_zone, &weeks, &holidays);
    header.office_hours = true;
    header.schedule = Some(Schedule { kind, owner: owner.to_string(), time_zone, weeks, holidays, summary });
    if resolved.kind.spec().benchmarked {
        let accounts = run("office_hours_accounts")?.into_iter().next().unwrap_or_default();
        header.notes.push(format!(
            "office hours in the benchmark: each account's own; {} of the {} accounts keep office hours, the others count calendar time",
            number(&accounts, "with_office_hours"),
            number(&accounts, "accounts")
        ));
    }
    Ok(())
}

/// Rows of the `office_schedule` query (valid_from, declared_from, weekday,
/// opens, closes) as weekly hours, one per version.
fn weeks(rows: &[Map<String, Value>]) -> Vec<Week> {
    let mut versions: BTreeMap<String, BTreeMap<i64, Vec<String>>> = BTreeMap::new();
    for row in rows {
        let interval = format!("{}-{}", text(row, "opens"), text(row, "closes"));
        let weekday = row.get("weekday").and_then(Value::as_i64).unwrap_or_default();
        versions.entry(text(row, "valid_from")).or_default().entry(weekday).or_default().push(interval);
    }
    versions
        .into_iter()
        .map(|(from, days)| Week { from: (from != SINCE_ALWAYS).then_some(from), hours: weekday_ranges(&days) })
        .collect()
}

/// The `valid_from` of a first schedule, in force since always.
const SINCE_ALWAYS: &str = "1900-01-01";

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Runs of consecutive weekdays (1 = Monday) with the same intervals:
/// `Mon-Fri 09:00-17:00`, `Sat 10:00-14:00`. Closed days are left out.
fn weekday_ranges(days: &BTreeMap<i64, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Option<(i64, i64, &Vec<String>)> = None;
    for day in 1..=7 {
        let hours = days.get(&day);
        match (&mut run, hours) {
            (Some((_, last, same)), Some(h)) if *last == day - 1 && *same == h => *last = day,
            _ => {
                if let Some(done) = run.take() {
                    out.push(range_text(done));
                }
                run = hours.map(|h| (day, day, h));
            }
        }
    }
    out.extend(run.map(range_text));
    out
}

fn range_text((first, last, hours): (i64, i64, &Vec<String>)) -> String {
    let name = |day: i64| WEEKDAYS.get((day - 1) as usize).copied().unwrap_or("?");
    let days = if first == last { name(first).to_string() } else { format!("{}-{}", name(first), name(last)) };
    format!("{days} {}", hours.join(", "))
}

/// One line: `open 24/7: office time equals calendar time`, or the hours,
/// their versions and the holidays.
fn summary_text(kind: &str, owner: &str, time_zone: &str, weeks: &[Week], holidays: &[Holiday]) -> String {
    let closed = holidays_text(holidays);
    match kind {
        "open 24/7" => "open 24/7: office time equals calendar time".to_string(),
        "open 24/7 except holidays" => format!("open 24/7 except holidays{closed}"),
        _ => {
            let versions: Vec<String> = weeks
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let hours = if w.hours.is_empty() { "closed".to_string() } else { w.hours.join("; ") };
                    match (&w.from, i) {
                        (Some(from), 0) => format!("from {from}: {hours}"),
                        (Some(from), _) => format!("then from {from}: {hours}"),
                        (None, _) => hours,
                    }
                })
                .collect();
            format!("the {owner}'s, in {time_zone}: {}{closed}", versions.join("; "))
        }
    }
}

fn holidays_text(holidays: &[Holiday]) -> String {
    if holidays.is_empty() {
        return String::new();
    }
    let days: Vec<String> = holidays
        .iter()
        .map(|h| match &h.name {
            Some(name) => format!("{} ({name})", h.day),
            None => h.day.clone(),
        })
        .collect();
    format!("; closed on {}", days.join(", "))
}

fn text(row: &Map<String, Value>, key: &str) -> String {
    optional_text(row, key).unwrap_or_default()
}

fn optional_text(row: &Map<String, Value>, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_string)
}

fn number(row: &Map<String, Value>, key: &str) -> i64 {
    row.get(key).and_then(Value::as_i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(spec: &[(i64, &[&str])]) -> BTreeMap<i64, Vec<String>> {
        spec.iter().map(|(d, h)| (*d, h.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn consecutive_weekdays_with_the_same_hours_are_one_range() {
        let split = ["08:00-12:00", "13:00-18:00"];
        let week = days(&[(1, &split), (2, &split), (3, &split), (4, &split), (5, &split), (6, &["10:00-14:00"])]);
        assert_eq!(weekday_ranges(&week), ["Mon-Fri 08:00-12:00, 13:00-18:00", "Sat 10:00-14:00"]);
        let gaps = days(&[(1, &["09:00-17:00"]), (3, &["09:00-17:00"]), (7, &["00:00-24:00"])]);
        assert_eq!(weekday_ranges(&gaps), ["Mon 09:00-17:00", "Wed 09:00-17:00", "Sun 00:00-24:00"]);
        assert!(weekday_ranges(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn the_summary_says_when_office_time_is_calendar_time() {
        assert_eq!(summary_text("open 24/7", "account", "UTC", &[], &[]), "open 24/7: office time equals calendar time");
        let weeks = vec![
            Week { from: None, hours: vec!["Mon-Fri 09:00-17:00".into()] },
            Week { from: Some("2026-03-16".into()), hours: vec!["Mon-Fri 08:00-12:00, 13:00-18:00".into(), "Sat 10:00-14:00".into()] },
        ];
        let holidays = vec![Holiday { day: "2026-04-06".into(), name: Some("Easter Monday".into()) }];
        assert_eq!(
            summary_text("office hours", "account", "Europe/Paris", &weeks, &holidays),
            "the account's, in Europe/Paris: Mon-Fri 09:00-17:00; then from 2026-03-16: Mon-Fri 08:00-12:00, 13:00-18:00; Sat 10:00-14:00; closed on 2026-04-06 (Easter Monday)"
        );
        assert_eq!(summary_text("open 24/7 except holidays", "account", "UTC", &[], &holidays), "open 24/7 except holidays; closed on 2026-04-06 (Easter Monday)");
        // the first schedule shown may start within the period: "from", not "then from"
        assert_eq!(
            summary_text("office hours", "team", "Europe/Paris", &weeks[1..], &[]),
            "the team's, in Europe/Paris: from 2026-03-16: Mon-Fri 08:00-12:00, 13:00-18:00; Sat 10:00-14:00"
        );
    }

    #[test]
    fn a_table_uses_its_office_hours_variant_only_when_asked_and_there() {
        let file = "-- name: conversations\nSELECT 1;\n\n-- name: conversations_office_hours\nSELECT 2;\n\n-- name: daily\nSELECT 3;\n";
        assert_eq!(table_query(file, "conversations", true), "conversations_office_hours");
        assert_eq!(table_query(file, "conversations", false), "conversations");
        assert_eq!(table_query(file, "daily", true), "daily");
    }
}
