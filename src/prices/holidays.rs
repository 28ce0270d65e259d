//! The PRC public-holiday calendar (`assets/catalog/holidays.ron`) and the days DeepSeek bills at
//! its peak price: Monday to Friday outside the holiday breaks. Weekends are off-peak all day, a
//! weekend worked to make up for a break included; offices still work on it, which is why the
//! calendar tells working days and peak-billing days apart.

use crate::catalog::schema::HolidayYear;
use crate::catalog::Catalog;
use crate::date::Day;
use std::sync::OnceLock;

/// What a day is on the PRC calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Monday to Friday outside any break: DeepSeek's peak hours apply.
    Workday,
    /// Saturday or Sunday.
    Weekend,
    /// A day of a holiday break (statutory or moved into the break), weekday or not.
    Holiday,
    /// A Saturday or Sunday worked to make up for a break: offices work, DeepSeek bills off-peak.
    MakeUpDay,
}

/// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(d: Day) -> u32 {
    (d.days_since_epoch() + 3).rem_euclid(7) as u32
}

/// The calendar as day numbers (days since 1970-01-01), parsed once.
struct Parsed {
    breaks: Vec<(i64, i64)>,
    make_up: Vec<i64>,
}

fn parsed() -> &'static Parsed {
    static P: OnceLock<Parsed> = OnceLock::new();
    P.get_or_init(|| {
        // build.rs checks every date, so a failed parse cannot happen; it would only drop the day.
        let n = |s: &str| Day::parse_exact(s).map(Day::days_since_epoch);
        let years = &Catalog::get().holidays.years;
        Parsed {
            breaks: years
                .iter()
                .flat_map(|y| &y.breaks)
                .filter_map(|b| Some((n(&b.first)?, n(&b.last)?)))
                .collect(),
            make_up: years
                .iter()
                .flat_map(|y| &y.make_up_days)
                .filter_map(|d| n(d))
                .collect(),
        }
    })
}

/// What `d` is. Outside the years the catalog covers, every Monday–Friday is a workday (breaks
/// unknown: this counts more peak days than there are, which leans against the API).
pub fn kind(d: Day) -> DayKind {
    let n = d.days_since_epoch();
    let p = parsed();
    if p.breaks.iter().any(|&(a, b)| (a..=b).contains(&n)) {
        DayKind::Holiday
    } else if p.make_up.contains(&n) {
        DayKind::MakeUpDay
    } else if weekday(d) >= 5 {
        DayKind::Weekend
    } else {
        DayKind::Workday
    }
}

/// DeepSeek bills this day's peak hours at the peak price.
pub fn is_peak_billing_day(d: Day) -> bool {
    kind(d) == DayKind::Workday
}

/// Offices in China work on this day (workdays and make-up days).
pub fn is_working_day(d: Day) -> bool {
    matches!(kind(d), DayKind::Workday | DayKind::MakeUpDay)
}

/// The catalog's calendar for `year`, if it has one.
pub fn calendar_year(year: i32) -> Option<&'static HolidayYear> {
    Catalog::get()
        .holidays
        .years
        .iter()
        .find(|y| y.year == year)
}

/// The latest year whose State Council notice is in the catalog: the year typical traffic
/// patterns are computed on (a year with statutory days only would miss the moved weekdays).
pub fn reference_year() -> i32 {
    Catalog::get()
        .holidays
        .years
        .iter()
        .filter(|y| y.notice.is_some())
        .map(|y| y.year)
        .max()
        .unwrap_or(2026)
}

/// Every day of `year`, 1 January to 31 December.
pub fn days_of(year: i32) -> impl Iterator<Item = Day> {
    let first = Day::new(year, 1, 1).map_or(0, Day::days_since_epoch);
    let next = Day::new(year + 1, 1, 1).map_or(first, Day::days_since_epoch);
    (first..next).map(Day::from_days_since_epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse_exact(s).unwrap()
    }

    #[test]
    fn weekdays_and_kinds_of_2026() {
        assert_eq!(weekday(day("1970-01-01")), 3);
        assert_eq!(weekday(day("2026-10-05")), 0, "a Monday");
        assert_eq!(weekday(day("2026-10-10")), 5, "a Saturday");
        assert_eq!(kind(day("2026-10-05")), DayKind::Holiday);
        assert_eq!(kind(day("2026-10-08")), DayKind::Workday);
        assert_eq!(kind(day("2026-10-10")), DayKind::MakeUpDay);
        assert_eq!(kind(day("2026-10-11")), DayKind::Weekend);
        // Outside the calendar Monday–Friday count as workdays.
        assert_eq!(kind(day("2031-03-03")), DayKind::Workday);
        assert!(!is_peak_billing_day(day("2026-10-10")));
        assert!(is_working_day(day("2026-10-10")));
    }

    #[test]
    fn the_2026_calendar_by_hand() {
        // 2026 starts on a Thursday: 261 weekdays. The notice takes 19 of them off (Jan 1–2,
        // Feb 16–20 and 23, Apr 6, May 1, 4 and 5, Jun 19, Sep 25, Oct 1, 2, 5, 6, 7) and names
        // 6 make-up weekend days: 242 peak-billing days and 248 working days.
        let peak = days_of(2026).filter(|d| is_peak_billing_day(*d)).count();
        let working = days_of(2026).filter(|d| is_working_day(*d)).count();
        assert_eq!(days_of(2026).count(), 365);
        assert_eq!(peak, 242);
        assert_eq!(working, 248);
        assert_eq!(reference_year(), 2026);
        assert!(calendar_year(2027).is_some_and(|y| y.notice.is_none()));
    }
}
