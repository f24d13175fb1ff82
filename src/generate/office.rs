//! Office hours and holidays of the generated accounts (the contract's
//! `office_hours` and `holidays` tables), in turns of four accounts:
//!
//! | account index | office hours | holidays |
//! | --- | --- | --- |
//! | 0, 4, 8, ... | Mon-Fri 09:00-17:00, then from 2026-10-01 a split shift (Mon-Fri 08:00-12:00 and 13:00-18:00) and Sat 10:00-14:00; its first team keeps Mon-Fri 07:00-15:00 | its zone's |
//! | 2, 6, 10, ... | Mon-Fri, 9 hours from 08:00 or 09:00 | its zone's |
//! | odd | none: open 24/7 | none |
//!
//! The first schedule is written the way exports often write the account's
//! own schedule: no team (NULL) and no valid_from (NULL), which the contract
//! reads as the account's, since always. The rows are the same in every
//! revision, and they draw from their own random stream, so that no other
//! table changes. (Agents still answer in the generator's own working hours,
//! `clock::Calendar`, holidays or not: the conversations are what they were.)

use chrono::NaiveDate;

use super::account::Account;
use super::clock::HOUR;
use super::rng::{Domain, Streams};

/// One open interval of a weekday.
pub struct Interval {
    /// None: the account's schedule, written as NULL.
    pub team_id: Option<i64>,
    /// Days since 1970-01-01; None: since always, written as NULL.
    pub valid_from: Option<i32>,
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    /// Microseconds since midnight.
    pub opens: i64,
    pub closes: i64,
}

pub struct Holiday {
    /// Days since 1970-01-01.
    pub day: i32,
    pub name: &'static str,
}

pub struct OfficeHours {
    pub intervals: Vec<Interval>,
    pub holidays: Vec<Holiday>,
}

/// The day the split shift of the first kind of account starts.
const SPLIT_SHIFT_FROM: (i32, u32, u32) = (2026, 10, 1);

const WORKDAYS: std::ops::RangeInclusive<i32> = 1..=5;
const SATURDAY: i32 = 6;

impl OfficeHours {
    pub fn of(account: &Account, streams: &Streams) -> OfficeHours {
        let mut rng = streams.rng(Domain::OfficeHours, u64::from(account.index), 0);
        match account.index % 4 {
            0 => OfficeHours { intervals: changing_split_shift(account), holidays: holidays(account.timezone) },
            2 => {
                let opens = if rng.chance(0.5) { 8 } else { 9 };
                OfficeHours { intervals: weekdays(None, None, opens, opens + 9), holidays: holidays(account.timezone) }
            }
            _ => OfficeHours { intervals: Vec::new(), holidays: Vec::new() },
        }
    }
}

/// Mon-Fri 09-17 since always, then a split shift and Saturday mornings;
/// the first team (if any) keeps its own early hours.
fn changing_split_shift(account: &Account) -> Vec<Interval> {
    let (y, m, d) = SPLIT_SHIFT_FROM;
    let from = Some(day_number(y, m, d));
    let mut intervals = weekdays(None, None, 9, 17);
    intervals.extend(weekdays(Some(0), from, 8, 12));
    intervals.extend(weekdays(Some(0), from, 13, 18));
    intervals.push(interval(Some(0), from, SATURDAY, 10, 14));
    if let Some(team) = account.teams.first() {
        intervals.extend(weekdays(Some(team.id), None, 7, 15));
    }
    intervals
}

fn weekdays(team_id: Option<i64>, valid_from: Option<i32>, opens: i64, closes: i64) -> Vec<Interval> {
    WORKDAYS.map(|weekday| interval(team_id, valid_from, weekday, opens, closes)).collect()
}

fn interval(team_id: Option<i64>, valid_from: Option<i32>, weekday: i32, opens: i64, closes: i64) -> Interval {
    Interval { team_id, valid_from, weekday, opens: opens * HOUR, closes: closes * HOUR }
}

/// Public holidays of the generated period and the year's end, by zone.
const HOLIDAYS: &[(&str, &[((i32, u32, u32), &str)])] = &[
    (
        "Europe/Paris",
        &[
            ((2026, 7, 14), "Fête nationale"),
            ((2026, 8, 15), "Assomption"),
            ((2026, 11, 1), "Toussaint"),
            ((2026, 11, 11), "Armistice"),
            ((2026, 12, 25), "Noël"),
            ((2027, 1, 1), "Jour de l'an"),
        ],
    ),
    (
        "Australia/Sydney",
        &[((2026, 10, 5), "Labour Day"), ((2026, 12, 25), "Christmas Day"), ((2026, 12, 28), "Boxing Day (observed)"), ((2027, 1, 1), "New Year's Day")],
    ),
    (
        "America/Los_Angeles",
        &[((2026, 9, 7), "Labor Day"), ((2026, 11, 26), "Thanksgiving"), ((2026, 12, 25), "Christmas Day"), ((2027, 1, 1), "New Year's Day")],
    ),
    ("Europe/London", &[((2026, 8, 31), "Summer bank holiday"), ((2026, 12, 25), "Christmas Day"), ((2026, 12, 28), "Boxing Day (substitute)")]),
    ("Asia/Kolkata", &[((2026, 8, 15), "Independence Day"), ((2026, 10, 2), "Gandhi Jayanti"), ((2026, 11, 8), "Diwali")]),
];

/// What accounts in other zones close for.
const YEAR_END: &[((i32, u32, u32), &str)] = &[((2026, 12, 25), "Christmas Day"), ((2027, 1, 1), "New Year's Day")];

fn holidays(zone: &str) -> Vec<Holiday> {
    let days = HOLIDAYS.iter().find(|(z, _)| *z == zone).map_or(YEAR_END, |(_, days)| *days);
    days.iter().map(|&((y, m, d), name)| Holiday { day: day_number(y, m, d), name }).collect()
}

/// Days since 1970-01-01 of a date written in this file (valid by
/// construction; a unit test reads them all).
fn day_number(y: i32, m: u32, d: u32) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    NaiveDate::from_ymd_opt(y, m, d).map_or(0, |date| (date - epoch).num_days() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_holiday_is_a_real_date_and_unique_per_zone() {
        for (zone, days) in HOLIDAYS.iter().chain([("other", YEAR_END)].iter()) {
            let mut seen = std::collections::BTreeSet::new();
            for ((y, m, d), name) in days.iter() {
                assert!(NaiveDate::from_ymd_opt(*y, *m, *d).is_some(), "{zone}: {y}-{m}-{d} {name}");
                assert!(seen.insert((y, m, d)), "{zone}: {y}-{m}-{d} twice");
            }
        }
        assert_eq!(day_number(1970, 1, 2), 1);
    }

    #[test]
    fn intervals_close_after_they_open_and_keys_are_unique() {
        let streams = Streams::new(42);
        for index in 0..8 {
            let account = Account::build(&streams, index, 40, 0).unwrap();
            let office = OfficeHours::of(&account, &streams);
            let mut keys = std::collections::BTreeSet::new();
            for i in &office.intervals {
                assert!(i.opens < i.closes && i.closes <= 24 * HOUR);
                assert!(keys.insert((i.team_id.unwrap_or(0), i.valid_from.unwrap_or(-25567), i.weekday, i.opens)), "account {index}: a key twice");
            }
            assert_eq!(office.intervals.is_empty(), index % 2 == 1, "account {index}");
        }
    }
}
