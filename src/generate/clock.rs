//! Time: the fixed as-of dates of the revisions, and each account's calendar
//! (its working hours and the hourly intensity of new conversations, in the
//! account's own time zone, so daylight-saving changes shift them as they would
//! a real team).
//!
//! Instants are microseconds since the Unix epoch, UTC, always whole seconds.

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::rng::Rand;

pub const SECOND: i64 = 1_000_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
pub const WEEK: i64 = 7 * DAY;

/// As-of of revision 0: 2026-11-01 00:00:00 UTC. Fixed (never the wall clock)
/// so a seed always gives the same bytes. Revision 0 spans the 120 days before.
pub const BASE_AS_OF: i64 = 1_793_491_200 * SECOND;
pub const WINDOW_DAYS: i64 = 120;
pub const WINDOW_START: i64 = BASE_AS_OF - WINDOW_DAYS * DAY;

/// As-of of revision `k`: `k` weeks after the base.
pub fn as_of(revision: u32) -> i64 {
    BASE_AS_OF + i64::from(revision) * WEEK
}

/// Start of the `week`-th later week (week 1 starts at the base as-of).
pub fn week_start(week: u32) -> i64 {
    as_of(week - 1)
}

/// A duration in (fractional) seconds, rounded to whole seconds, at least one.
pub fn seconds(x: f64) -> i64 {
    (x.round() as i64).max(1) * SECOND
}

pub fn format_utc(t: i64) -> String {
    DateTime::from_timestamp_micros(t).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

/// Working hours and arrival intensity of one account, hour by hour (UTC hours)
/// over a bounded range; outside the range time passes unadjusted.
pub struct Calendar {
    start: i64,
    hours: Vec<Hour>,
}

#[derive(Clone, Copy)]
struct Hour {
    working: bool,
    /// Relative rate of new conversations in this hour.
    intensity: f64,
}

impl Calendar {
    /// `from` and `to` are whole days (UTC).
    pub fn new(tz: Tz, from: i64, to: i64) -> Calendar {
        let mut hours = Vec::with_capacity(((to - from) / HOUR) as usize);
        let mut day = from;
        while day < to {
            // Offsets change at most once a day: look the zone up per day, and
            // per hour only on the days of a change.
            let (start_offset, end_offset) = (offset_seconds(tz, day), offset_seconds(tz, day + DAY - SECOND));
            for h in 0..24 {
                let t = day + h * HOUR;
                let offset = if start_offset == end_offset { start_offset } else { offset_seconds(tz, t) };
                let (weekday, hour) = local_weekday_hour(t, offset);
                hours.push(Hour { working: is_working(weekday, hour), intensity: intensity(weekday, hour) });
            }
            day += DAY;
        }
        Calendar { start: from, hours }
    }

    fn hour_index(&self, t: i64) -> Option<usize> {
        let index = (t - self.start).div_euclid(HOUR);
        (0..self.hours.len() as i64).contains(&index).then_some(index as usize)
    }

    pub fn is_working(&self, t: i64) -> bool {
        self.hour_index(t).is_none_or(|i| self.hours[i].working)
    }

    /// `t` if it falls in working hours, else shortly after the next working
    /// hour starts (agents answer in their own office hours).
    pub fn next_working(&self, t: i64, rng: &mut Rand) -> i64 {
        let Some(index) = self.hour_index(t) else { return t };
        if self.hours[index].working {
            return t;
        }
        match self.hours[index..].iter().position(|h| h.working) {
            Some(ahead) => {
                let opening = self.start + (index + ahead) as i64 * HOUR;
                opening + seconds(rng.exponential(15.0 * 60.0)).min(50 * MINUTE)
            }
            None => t,
        }
    }

    /// Arrival profile over [from, to) (whole hours inside the range).
    pub fn arrivals(&self, from: i64, to: i64) -> Arrivals {
        let first = self.hour_index(from).expect("arrival window inside the calendar");
        let count = ((to - from) / HOUR) as usize;
        let mut cumulative = Vec::with_capacity(count + 1);
        let mut total = 0.0;
        cumulative.push(0.0);
        for hour in &self.hours[first..first + count] {
            total += hour.intensity;
            cumulative.push(total);
        }
        Arrivals { from, cumulative }
    }
}

/// Cumulative intensity over a window: maps a quantile to an instant, so the
/// i-th of n conversations is placed at quantile (i + u) / n and creation
/// times come out sorted without holding them all.
pub struct Arrivals {
    from: i64,
    cumulative: Vec<f64>,
}

impl Arrivals {
    pub fn at(&self, quantile: f64) -> i64 {
        let total = *self.cumulative.last().unwrap_or(&0.0);
        let target = quantile.clamp(0.0, 1.0) * total;
        // The hour whose cumulative range holds the target.
        let hour = self.cumulative.partition_point(|c| *c <= target).saturating_sub(1).min(self.cumulative.len().saturating_sub(2));
        let (lo, hi) = (self.cumulative[hour], self.cumulative[hour + 1]);
        let fraction = if hi > lo { ((target - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.0 };
        let t = self.from + hour as i64 * HOUR + (fraction * (HOUR - SECOND) as f64) as i64;
        t - t.rem_euclid(SECOND)
    }
}

fn offset_seconds(tz: Tz, t: i64) -> i64 {
    let utc = DateTime::from_timestamp_micros(t).expect("instant in range").naive_utc();
    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
}

/// Local weekday (Monday = 0) and hour of a UTC instant at a given offset.
fn local_weekday_hour(t: i64, offset_seconds: i64) -> (i64, i64) {
    let local = t.div_euclid(SECOND) + offset_seconds;
    let days = local.div_euclid(86_400);
    // 1970-01-01 was a Thursday (Monday = 0 -> Thursday = 3).
    ((days + 3).rem_euclid(7), local.rem_euclid(86_400) / 3_600)
}

fn is_working(weekday: i64, hour: i64) -> bool {
    weekday < 5 && (8..18).contains(&hour)
}

/// Customers write mostly in the day and on weekdays.
fn intensity(weekday: i64, hour: i64) -> f64 {
    let by_hour = match hour {
        0..=6 => 0.12,
        7 => 0.5,
        8..=11 | 14..=17 => 1.0,
        12 | 13 => 0.8,
        18..=20 => 0.45,
        _ => 0.25,
    };
    if weekday >= 5 { by_hour * 0.35 } else { by_hour }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::rng::{Domain, Streams};

    #[test]
    fn base_as_of_is_november_first_2026() {
        assert_eq!(format_utc(BASE_AS_OF), "2026-11-01 00:00 UTC");
        assert_eq!(format_utc(as_of(1)), "2026-11-08 00:00 UTC");
        assert_eq!(format_utc(WINDOW_START), "2026-07-04 00:00 UTC");
    }

    #[test]
    fn working_hours_follow_daylight_saving_in_paris() {
        let calendar = Calendar::new(chrono_tz::Europe::Paris, WINDOW_START, BASE_AS_OF + 7 * DAY);
        // Friday 2026-10-23: CEST (UTC+2), 08:00 local = 06:00 UTC.
        let friday = BASE_AS_OF - 9 * DAY;
        assert!(!calendar.is_working(friday + 5 * HOUR));
        assert!(calendar.is_working(friday + 6 * HOUR));
        // Monday 2026-10-26: CET (UTC+1), 08:00 local = 07:00 UTC.
        let monday = BASE_AS_OF - 6 * DAY;
        assert!(!calendar.is_working(monday + 6 * HOUR));
        assert!(calendar.is_working(monday + 7 * HOUR));
        // Saturday night -> Monday morning.
        let mut rng = Streams::new(1).rng(Domain::Account, 0, 0);
        let next = calendar.next_working(monday - 30 * HOUR, &mut rng);
        assert!(next >= monday + 7 * HOUR && next < monday + 8 * HOUR, "{}", format_utc(next));
    }

    #[test]
    fn arrivals_are_monotone_and_inside_the_window() {
        let calendar = Calendar::new(chrono_tz::Asia::Tokyo, WINDOW_START, BASE_AS_OF);
        let arrivals = calendar.arrivals(WINDOW_START, BASE_AS_OF);
        let times: Vec<i64> = (0..=100).map(|i| arrivals.at(i as f64 / 100.0)).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert!(times[0] >= WINDOW_START && times[100] < BASE_AS_OF);
        assert!(times.iter().all(|t| t % SECOND == 0));
    }
}
