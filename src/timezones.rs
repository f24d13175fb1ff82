//! Local time without ICU: deskql writes every IANA zone's UTC offsets, from
//! chrono-tz, into `deskql_meta.tz_offsets`, and views convert with a range join.
//! Any DuckDB client can then read local times with plain SQL.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, TZ_VARIANTS, Tz};
use duckdb::{Connection, params};

/// Offsets are exact from here to `COVERAGE_END`; outside, the nearest known
/// offset is extended to the open bounds below.
const COVERAGE_START: (i32, u32, u32) = (1970, 1, 1);
const COVERAGE_END: (i32, u32, u32) = (2100, 1, 1);
const OPEN_START: &str = "1900-01-01 00:00:00";
const OPEN_END: &str = "2200-01-01 00:00:00";

/// One constant-offset interval of a zone, in UTC: [from, to).
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetInterval {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub offset_seconds: i32,
    pub abbreviation: String,
}

fn utc(date: (i32, u32, u32)) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()
}

fn offset_at(tz: Tz, at: DateTime<Utc>) -> (i32, String) {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    (offset.fix().local_minus_utc(), offset.abbreviation().unwrap_or("").to_string())
}

/// Scan step. Since 1970 no zone has two offset or abbreviation changes less
/// than 6.9 days apart (America/Cambridge_Bay, 2000), so a 3-day step sees
/// every change and the scan costs a third of a daily one (this runs once per
/// database, for ~600 zones over 130 years). A test compares against daily.
const SCAN_STEP_DAYS: i64 = 3;

/// The zone's offset intervals over the coverage window. Scans in steps of
/// `SCAN_STEP_DAYS` and bisects to the second where the offset changes.
pub fn intervals(tz: Tz) -> Vec<OffsetInterval> {
    intervals_scanned(tz, SCAN_STEP_DAYS)
}

fn intervals_scanned(tz: Tz, step_days: i64) -> Vec<OffsetInterval> {
    let end = utc(COVERAGE_END);
    let mut out = Vec::new();
    let mut start = utc(COVERAGE_START);
    let (mut current, mut abbreviation) = offset_at(tz, start);
    let mut day = start;
    while day < end {
        let next_day = (day + Duration::days(step_days)).min(end);
        let (next_offset, next_abbreviation) = offset_at(tz, next_day);
        if next_offset != current || next_abbreviation != abbreviation {
            let change = first_change(tz, day, next_day, (current, &abbreviation));
            out.push(OffsetInterval { from: start, to: change, offset_seconds: current, abbreviation: abbreviation.clone() });
            start = change;
            (current, abbreviation) = offset_at(tz, change);
        }
        day = next_day;
    }
    out.push(OffsetInterval { from: start, to: end, offset_seconds: current, abbreviation });
    out
}

/// First whole second in (lo, hi] whose offset differs from `before`.
/// Bisects on integer seconds: zone changes happen on whole seconds.
fn first_change(tz: Tz, lo: DateTime<Utc>, hi: DateTime<Utc>, before: (i32, &str)) -> DateTime<Utc> {
    let (mut lo, mut hi) = (lo.timestamp(), hi.timestamp());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let at = DateTime::from_timestamp(mid, 0).expect("within the coverage window");
        let (offset, abbreviation) = offset_at(tz, at);
        if offset == before.0 && abbreviation == before.1 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    DateTime::from_timestamp(hi, 0).expect("within the coverage window")
}

/// Fill `deskql_meta.tz_offsets` once per database (and again if chrono-tz's data
/// changed, which a new deskql release may bring).
pub fn ensure_offsets(conn: &Connection) -> Result<()> {
    let present: i64 = conn.query_row("SELECT count(DISTINCT tz) FROM deskql_meta.tz_offsets", [], |r| r.get(0))?;
    if present as usize == TZ_VARIANTS.len() {
        return Ok(());
    }
    conn.execute_batch("DELETE FROM deskql_meta.tz_offsets")?;
    let mut appender = conn.appender_to_db("tz_offsets", "deskql_meta")?;
    let computed = crate::trace::trace("compute time zones", || Ok(all_intervals()))?;
    for (tz, rows) in TZ_VARIANTS.iter().zip(computed) {
        let last = rows.len() - 1;
        for (i, row) in rows.into_iter().enumerate() {
            let from = if i == 0 { OPEN_START.to_string() } else { timestamp_text(row.from) };
            let to = if i == last { OPEN_END.to_string() } else { timestamp_text(row.to) };
            appender.append_row(params![tz.name(), from, to, row.offset_seconds, row.abbreviation])?;
        }
    }
    appender.flush()?;
    Ok(())
}

/// `intervals` of every zone, in `TZ_VARIANTS` order, computed on every
/// core: this runs when a database is created, before its first ingest.
fn all_intervals() -> Vec<Vec<OffsetInterval>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = TZ_VARIANTS.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = TZ_VARIANTS.chunks(chunk).map(|zones| scope.spawn(move || zones.iter().map(|&tz| intervals(tz)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("computing time-zone offsets does not panic")).collect()
    })
}

fn timestamp_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_switches_to_summer_time_at_one_utc_on_the_last_sunday_of_march() {
        let rows = intervals(chrono_tz::Europe::Paris);
        let spring_2024 = rows.iter().find(|r| r.from.format("%Y-%m-%d").to_string() == "2024-03-31").unwrap();
        assert_eq!(timestamp_text(spring_2024.from), "2024-03-31 01:00:00");
        assert_eq!(spring_2024.offset_seconds, 7200);
        assert_eq!(timestamp_text(spring_2024.to), "2024-10-27 01:00:00");
    }

    #[test]
    fn a_zone_without_dst_has_one_interval_after_its_last_change() {
        let rows = intervals(chrono_tz::Asia::Tokyo);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].offset_seconds, 9 * 3600);
    }

    #[test]
    fn the_coarse_scan_finds_the_same_changes_as_a_daily_one() {
        use chrono_tz::America;
        // The zones with the closest changes since 1970, plus ordinary ones.
        for tz in [America::Cambridge_Bay, America::Boa_Vista, America::Noronha, America::Asuncion, chrono_tz::Africa::Casablanca, chrono_tz::Europe::Paris] {
            assert_eq!(intervals(tz), intervals_scanned(tz, 1), "{tz}");
        }
    }

    #[test]
    fn intervals_are_contiguous() {
        for tz in [chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe, chrono_tz::Asia::Kolkata] {
            let rows = intervals(tz);
            for pair in rows.windows(2) {
                assert_eq!(pair[0].to, pair[1].from, "{tz}");
                assert_ne!((pair[0].offset_seconds, &pair[0].abbreviation), (pair[1].offset_seconds, &pair[1].abbreviation));
            }
        }
    }
}
