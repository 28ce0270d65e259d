//! The calendar: days as the catalog and price files write them (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`),
//! today from the system clock, days between two dates, and the dates shown in "as of" lines.
//! No time zones: dates are UTC days.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian date, and how much of it the source gave (shown as given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub precision: Precision,
}

/// A date given to the day, the month or only the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Day {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        let d = Day {
            year,
            month,
            day,
            precision: Precision::Day,
        };
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(d)
    }

    /// A catalog date: `2026-11-15`; a month-only `2026-03` or year-only `2026` is read as its
    /// first day (so ageing is never understated). `None` for `unknown`, `undated` or garbage.
    pub fn parse(text: &str) -> Option<Day> {
        let t = text.trim();
        let mut parts = t.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        if !(1900..=9999).contains(&year) {
            return None;
        }
        let (month, mut precision) = match parts.next() {
            Some(m) if m.len() == 2 => (m.parse().ok()?, Precision::Month),
            Some(_) => return None,
            None => (1, Precision::Year),
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 => {
                precision = Precision::Day;
                d.parse().ok()?
            }
            Some(_) => return None,
            None => 1,
        };
        Day::new(year, month, day).map(|d| Day { precision, ..d })
    }

    /// Strict `YYYY-MM-DD` (what users must write in a price file).
    pub fn parse_exact(text: &str) -> Option<Day> {
        Day::parse(text).filter(|d| d.precision == Precision::Day)
    }

    /// Today in UTC from the system clock.
    pub fn today() -> Day {
        Day::from_days_since_epoch((unix_now() / 86_400) as i64)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of `days_since_epoch` (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(z: i64) -> Day {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day {
            year,
            month,
            day,
            precision: Precision::Day,
        }
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_after(self, earlier: Day) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{:04}", self.year),
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

/// Seconds since 1970-01-01 UTC now (0 if the clock is before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Today's date.
pub fn today() -> String {
    Day::today().to_string()
}

/// The date `secs` seconds after 1970-01-01 00:00 UTC.
pub fn date_of_unix(secs: u64) -> String {
    Day::from_days_since_epoch((secs / 86_400) as i64).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_date_forms() {
        assert_eq!(Day::parse("2026-11-15"), Day::new(2026, 11, 15));
        let march = Day::parse("2026-03").unwrap();
        assert_eq!(
            march.days_since_epoch(),
            Day::new(2026, 3, 1).unwrap().days_since_epoch()
        );
        assert_eq!(march.to_string(), "2026-03");
        assert_eq!(Day::parse("2024").unwrap().to_string(), "2024");
        for bad in [
            "unknown",
            "undated",
            "2026-13",
            "2026-02-30",
            "26-01-01",
            "",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(Day::parse_exact("2026-11"), None);
        assert_eq!(Day::parse_exact("2026-11-30"), Day::new(2026, 11, 30));
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Day::new(2026, 12, 1).unwrap();
        assert_eq!(Day::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(Day::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        // 2026-08-16 → 2026-11-15: 15 + 30 + 31 + 15 = 91 days.
        assert_eq!(
            Day::new(2026, 11, 15)
                .unwrap()
                .days_after(Day::new(2026, 8, 16).unwrap()),
            91
        );
        assert_eq!(
            Day::new(2028, 3, 1)
                .unwrap()
                .days_after(Day::new(2028, 2, 28).unwrap()),
            2
        );
        assert!(Day::today() > Day::new(2020, 1, 1).unwrap());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(19_782 * 86_400), "2024-02-29");
        assert_eq!(date_of_unix(20_454 * 86_400 + 86_399), "2026-01-01");
        assert_eq!(today().len(), 10);
    }
}
