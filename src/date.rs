//! Calendar dates (UTC, `YYYY-MM-DD`) for "as of" lines: when a report was made, when the memory
//! bandwidth was measured. No time-zone data: dates are UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 UTC now (0 if the clock is before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Today's date.
pub fn today() -> String {
    date_of_unix(unix_now())
}

/// The date `secs` seconds after 1970-01-01 00:00 UTC.
pub fn date_of_unix(secs: u64) -> String {
    civil_date((secs / 86_400) as i64)
}

/// The calendar date `days` after 1970-01-01 (proleptic Gregorian; Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
        assert_eq!(date_of_unix(86_399), "1970-01-01");
        assert_eq!(today().len(), 10);
    }
}
