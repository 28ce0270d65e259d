//! Calendar dates (UTC, `YYYY-MM-DD`) for "as of" lines: when a report was made, when the memory
//! bandwidth was measured. No time-zone data: dates are UTC. The calendar arithmetic is
//! `prices::Day`'s.

use crate::prices::Day;
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
    fn civil_dates() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(19_782 * 86_400), "2024-02-29");
        assert_eq!(date_of_unix(20_454 * 86_400 + 86_399), "2026-01-01");
        assert_eq!(today().len(), 10);
    }
}
