//! The property test's two halves: random scenarios (a zone, schedules,
//! holidays, maybe a team, pairs of instants, mostly around a DST change)
//! and the definition of office time set down again, independently of the
//! SQL, as a walk over every minute (or second) with chrono-tz.
//!
//! The walk keeps the high-water mark of the wall clock: an instant is open
//! when the latest wall time shown so far falls in an open interval of its
//! local day, with the schedule in force that day. So the office opens at
//! the first instant its clock shows the opening time or later (a skipped
//! opening time opens at the change; a repeated hour is open or closed as
//! its first pass left it), which is the library's rule, stated another way.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};
use chrono_tz::Tz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Zones with DST on both hemispheres, a half-hour change (Lord Howe), a
/// change at midnight (Santiago) and none (Tokyo, UTC).
pub const ZONES: [&str; 7] = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC", "Australia/Lord_Howe", "America/Santiago"];

const DAY: i64 = 86_400;
/// The team some scenarios report for.
pub const TEAM: i64 = 9;

/// One `office_hours` row as the file holds it.
#[derive(Debug, Clone)]
pub struct Row {
    pub team: Option<i64>,
    pub valid_from: Option<NaiveDate>,
    pub weekday: u32,
    /// Seconds of the day; `closes` 86400 is the end of the day.
    pub opens: i64,
    pub closes: i64,
    /// How `closes` is written: `24:00:00` or `00:00` for the end of the day.
    pub closes_text: String,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub account: i64,
    pub zone: &'static str,
    /// The window of instants (epoch seconds) and the walk's step.
    pub w0: i64,
    pub w1: i64,
    pub step: i64,
    pub rows: Vec<Row>,
    pub holidays: BTreeSet<NaiveDate>,
    /// The team the pairs are measured for (None: the account's schedule).
    pub team: Option<i64>,
    pub pairs: Vec<(i64, i64)>,
}

fn tz(zone: &str) -> Tz {
    zone.parse().expect("a zone of ZONES")
}

fn offset(zone: Tz, t: i64) -> i32 {
    let utc = DateTime::from_timestamp(t, 0).expect("in range").naive_utc();
    zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// The instants (epoch seconds) at which the zone's offset changes in 2025-2027.
fn changes(zone: Tz) -> Vec<i64> {
    let (from, to) = (epoch("2025-01-01"), epoch("2028-01-01"));
    let mut out = Vec::new();
    let mut t = from;
    while t < to {
        let next = t + 3600;
        if offset(zone, t) != offset(zone, next) {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(zone, mid) == offset(zone, t) { lo = mid } else { hi = mid }
            }
            out.push(hi);
        }
        t = next;
    }
    out
}

fn epoch(day: &str) -> i64 {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date").and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()
}

fn date_of(t: i64) -> NaiveDate {
    DateTime::from_timestamp(t, 0).expect("in range").date_naive()
}

/// A time of day as the file writes it.
pub fn time_text(seconds: i64) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// A schedule bound: 40% of them between 00:00 and 04:00, where changes happen.
fn random_time(rng: &mut ChaCha8Rng, step: i64) -> i64 {
    if rng.random_bool(0.4) {
        let base = [0, 3600, 7200, 10800][rng.random_range(0..4)];
        base + rng.random_range(0..7200 / step) * step
    } else {
        rng.random_range(0..DAY / step) * step
    }
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// One random scenario (a port of `random_scenario` in the note's check.py).
pub fn scenario(rng: &mut ChaCha8Rng, account: i64, step: i64, window_days: i64) -> Scenario {
    let zone = pick(rng, &ZONES);
    let zone_changes = changes(tz(zone));
    let center = if !zone_changes.is_empty() && rng.random_bool(0.9) {
        pick(rng, &zone_changes)
    } else {
        rng.random_range(epoch("2025-02-01")..epoch("2027-11-01"))
    };
    let w0 = (center - rng.random_range(window_days / 4..=3 * window_days / 4) * DAY).div_euclid(DAY) * DAY;
    let w1 = w0 + window_days * DAY;
    let first_day = date_of(w0);
    let random_day = |rng: &mut ChaCha8Rng| first_day + chrono::Duration::days(rng.random_range(0..window_days));
    let mut owners = if rng.random_bool(0.85) { vec![0] } else { Vec::new() };
    let mut team = None;
    if rng.random_bool(0.35) {
        team = Some(TEAM);
        if rng.random_bool(0.6) {
            owners.push(TEAM);
        }
    }
    let mut rows = Vec::new();
    for owner in owners {
        let versions = pick(rng, &[1, 1, 2, 3]);
        let mut starts: BTreeSet<Option<NaiveDate>> = (1..versions).map(|_| Some(random_day(rng))).collect();
        // the first schedule since always, or (sometimes) only from a day in the window
        starts.insert(if rng.random_bool(0.3) { Some(random_day(rng)) } else { None });
        for valid_from in starts {
            for weekday in 1..=7 {
                let mut used = BTreeSet::new();
                for _ in 0..pick(rng, &[0, 1, 1, 1, 2, 2, 3]) {
                    let opens = random_time(rng, step);
                    if !used.insert(opens) {
                        continue;
                    }
                    let span = pick(rng, &[step, 3600, 4 * 3600, 8 * 3600, DAY]);
                    let closes = (opens + rng.random_range(1..=span / step) * step).min(DAY);
                    let team = if owner != 0 || rng.random_bool(0.8) { Some(owner) } else { None };
                    rows.push(row(team, valid_from, weekday, opens, closes, rng));
                }
                if rng.random_bool(0.05) && !used.contains(&0) {
                    // the whole day, written 00:00-00:00
                    rows.push(Row { team: Some(owner), valid_from, weekday, opens: 0, closes: DAY, closes_text: "00:00:00".into() });
                }
            }
        }
    }
    let holidays = (0..pick(rng, &[0, 0, 1, 3])).map(|_| random_day(rng)).collect();
    let mut pairs = Vec::new();
    for _ in 0..150 {
        let a = if rng.random_bool(0.4) && w0 <= center - DAY && center + DAY <= w1 {
            (center - DAY + rng.random_range(0..2 * DAY)).div_euclid(step) * step
        } else {
            w0 + rng.random_range(0..=(w1 - w0) / step) * step
        };
        let duration = pick(rng, &[0, step, 600, 3600, 5 * 3600, DAY, 3 * DAY, 10 * DAY, 40 * DAY]);
        let b = if duration == 0 { a } else { w1.min(a + rng.random_range(0..=duration / step) * step) };
        pairs.push(if rng.random_bool(0.05) { (b, a) } else { (a, b) });
    }
    Scenario { account, zone, w0, w1, step, rows: dedupe(rows), holidays, team, pairs }
}

fn row(team: Option<i64>, valid_from: Option<NaiveDate>, weekday: u32, opens: i64, closes: i64, rng: &mut ChaCha8Rng) -> Row {
    let closes_text = match closes {
        DAY if rng.random_bool(0.5) => "00:00:00".to_string(),
        DAY => "24:00:00".to_string(),
        c => time_text(c),
    };
    Row { team, valid_from, weekday, opens, closes, closes_text }
}

/// One row per key (team or 0, valid_from or since always, weekday, opens):
/// the last one, as a later line of an export would win.
fn dedupe(rows: Vec<Row>) -> Vec<Row> {
    let mut by_key: BTreeMap<(i64, Option<NaiveDate>, u32, i64), Row> = BTreeMap::new();
    for row in rows {
        by_key.insert((row.team.unwrap_or(0), row.valid_from, row.weekday, row.opens), row);
    }
    by_key.into_values().collect()
}

/// The definition of office hours for one scenario, set down again: for a
/// local day, the open intervals (seconds of the day) in force.
struct Schedules {
    zone: Tz,
    holidays: BTreeSet<NaiveDate>,
    /// Versions by first day (the first one also covers earlier days);
    /// per weekday, the intervals (not merged: a union is tested).
    versions: Vec<(NaiveDate, BTreeMap<u32, Vec<(i64, i64)>>)>,
}

impl Schedules {
    fn of(s: &Scenario) -> Schedules {
        let owner_rows = |owner: i64| s.rows.iter().filter(move |r| r.team.unwrap_or(0) == owner);
        let owner = match s.team {
            Some(team) if owner_rows(team).next().is_some() => team,
            _ => 0,
        };
        let since_always = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
        let mut versions: BTreeMap<NaiveDate, BTreeMap<u32, Vec<(i64, i64)>>> = BTreeMap::new();
        for r in owner_rows(owner) {
            versions.entry(r.valid_from.unwrap_or(since_always)).or_default().entry(r.weekday).or_default().push((r.opens, r.closes));
        }
        if versions.is_empty() {
            // no rows: open 00:00-24:00 every day
            versions.insert(since_always, (1..=7).map(|w| (w, vec![(0, DAY)])).collect());
        }
        Schedules { zone: tz(s.zone), holidays: s.holidays.clone(), versions: versions.into_iter().collect() }
    }

    /// Whether wall time `wall` (the high-water mark of the local clock) is
    /// in an open interval of its day.
    fn open_at(&self, wall: NaiveDateTime) -> bool {
        let day = wall.date();
        if self.holidays.contains(&day) {
            return false;
        }
        let index = self.versions.partition_point(|(from, _)| *from <= day).saturating_sub(1);
        let seconds = i64::from(wall.num_seconds_from_midnight());
        let weekday = day.weekday().number_from_monday();
        self.versions[index].1.get(&weekday).is_some_and(|intervals| intervals.iter().any(|(o, c)| *o <= seconds && seconds < *c))
    }

    fn wall(&self, t: i64) -> NaiveDateTime {
        let utc = DateTime::from_timestamp(t, 0).expect("in range").naive_utc();
        self.zone.from_utc_datetime(&utc).naive_local()
    }
}

/// Office seconds of every pair of a scenario, by brute force: walk the
/// window step by step (from a day before, for the high-water mark), and
/// count the open steps.
pub fn office_seconds(s: &Scenario) -> Vec<i64> {
    let schedules = Schedules::of(s);
    let mut prefix = vec![0i64];
    let mut high: Option<NaiveDateTime> = None;
    let mut t = s.w0 - DAY;
    while t <= s.w1 {
        let wall = schedules.wall(t);
        if high.is_none_or(|h| wall > h) {
            high = Some(wall);
        }
        if t >= s.w0 {
            let open = high.is_some_and(|h| schedules.open_at(h));
            prefix.push(prefix.last().copied().unwrap_or(0) + i64::from(open));
        }
        t += s.step;
    }
    s.pairs
        .iter()
        .map(|&(a, b)| {
            let (lo, hi) = (a.min(b), a.max(b));
            let seconds = (prefix[((hi - s.w0) / s.step) as usize] - prefix[((lo - s.w0) / s.step) as usize]) * s.step;
            if b >= a { seconds } else { -seconds }
        })
        .collect()
}

/// The scenarios of one seed: 40 at minute or quarter-hour steps over 14 or
/// 60 days, 8 at second steps over 3 days.
pub fn scenarios(seed: u64) -> Vec<Scenario> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for i in 0..40 {
        let step = pick(&mut rng, &[60, 900]);
        let days = pick(&mut rng, &[14, 60]);
        out.push(scenario(&mut rng, 1000 + i, step, days));
    }
    for i in 0..8 {
        out.push(scenario(&mut rng, 2000 + i, 1, 3));
    }
    out
}

/// Whether a local wall time `wall` of `zone` never occurs or occurs twice
/// (a bound in a skipped or repeated hour), for the test's statistics.
pub fn is_ambiguous(zone: &str, wall: NaiveDateTime) -> bool {
    !matches!(tz(zone).from_local_datetime(&wall), chrono::LocalResult::Single(_))
}

/// The walk on a known day: every day 09:00-17:00 in Paris is 8 hours on
/// 29 March 2026, a 23-hour day.
#[test]
fn the_walk_counts_a_paris_day_across_the_spring_change() {
    let rows = (1..=7).map(|w| Row { team: None, valid_from: None, weekday: w, opens: 9 * 3600, closes: 17 * 3600, closes_text: "17:00:00".into() }).collect();
    let day = epoch("2026-03-28") + 23 * 3600;
    let s = Scenario {
        account: 1,
        zone: "Europe/Paris",
        w0: epoch("2026-03-28"),
        w1: epoch("2026-03-31"),
        step: 60,
        rows,
        holidays: BTreeSet::new(),
        team: None,
        pairs: vec![(day, day + 23 * 3600)],
    };
    assert_eq!(office_seconds(&s), vec![8 * 3600]);
}
