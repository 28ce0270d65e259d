//! When the traffic comes, and the share of API tokens DeepSeek bills at its peak price.
//!
//! Since 2026-08-16 DeepSeek bills Monday–Friday 09:00–12:00 and 14:00–18:00 Beijing time at twice
//! the off-peak price; from 2026-08-23 weekends and Chinese public holidays are off-peak all day
//! (catalog-audit-2026-12 §3). A traffic pattern says which hours of the week carry traffic, evenly
//! spread; its peak share is the fraction of that traffic falling in peak hours. Public holidays
//! on weekdays (about 13 a year, ≈5% of weekdays) are counted as ordinary weekdays, which
//! overstates the peak share by up to ≈5% of itself and so leans against the API, never for it.

use crate::lang::Lang;

/// Peak hours on a weekday, Beijing time: 09:00–12:00 and 14:00–18:00 (7 of 24 hours).
pub const PEAK_HOURS: [bool; 24] = {
    let mut h = [false; 24];
    let mut i = 9;
    while i < 12 {
        h[i] = true;
        i += 1;
    }
    let mut i = 14;
    while i < 18 {
        h[i] = true;
        i += 1;
    }
    h
};

/// Hours of the week that carry traffic, evenly spread over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrafficPattern {
    /// Beijing-time hours (0–23) with traffic.
    pub hours: [bool; 24],
    /// Traffic on Saturdays and Sundays too (else weekdays only).
    pub weekends: bool,
}

impl TrafficPattern {
    /// Share of the week's traffic that falls in peak hours:
    /// (5 weekdays × active peak hours) ÷ (days with traffic × active hours).
    pub fn peak_share(&self) -> f64 {
        let active = self.hours.iter().filter(|h| **h).count() as f64;
        let active_peak = self
            .hours
            .iter()
            .zip(PEAK_HOURS)
            .filter(|(a, p)| **a && *p)
            .count() as f64;
        let days = if self.weekends { 7.0 } else { 5.0 };
        if active == 0.0 {
            0.0
        } else {
            5.0 * active_peak / (days * active)
        }
    }
}

const fn hours(from: usize, to: usize) -> [bool; 24] {
    let mut h = [false; 24];
    let mut i = from;
    while i < to {
        h[i] = true;
        i += 1;
    }
    h
}

/// Ready-made answers to "when does the traffic come?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeakPreset {
    /// An internal tool used in Chinese office hours: weekdays 09:00–18:00 Beijing time.
    /// Peak hours inside it: 09–12 (3) + 14–18 (4) = 7 of 9 → 7/9 ≈ 0.78.
    OfficeHoursChina,
    /// Users everywhere, evenly around the clock, every day.
    /// 7 peak hours of 24 on 5 of 7 days → (7/24) × (5/7) = 35/168 ≈ 0.21.
    Global24x7,
    /// Batch jobs run at night, 00:00–08:00 Beijing time, every day: no peak hours → 0.
    NightBatch,
}

impl PeakPreset {
    pub const ALL: [PeakPreset; 3] = [
        PeakPreset::OfficeHoursChina,
        PeakPreset::Global24x7,
        PeakPreset::NightBatch,
    ];

    pub fn pattern(self) -> TrafficPattern {
        match self {
            PeakPreset::OfficeHoursChina => TrafficPattern {
                hours: hours(9, 18),
                weekends: false,
            },
            PeakPreset::Global24x7 => TrafficPattern {
                hours: hours(0, 24),
                weekends: true,
            },
            PeakPreset::NightBatch => TrafficPattern {
                hours: hours(0, 8),
                weekends: true,
            },
        }
    }

    pub fn peak_share(self) -> f64 {
        self.pattern().peak_share()
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PeakPreset::OfficeHoursChina => lang.pick(
                "Office-hours app in China (weekdays 09–18 Beijing)",
                "中国工作时间应用（工作日北京时间 9–18 点）",
            ),
            PeakPreset::Global24x7 => lang.pick("Global, around the clock", "全球用户，全天候"),
            PeakPreset::NightBatch => lang.pick(
                "Batch jobs at night (00–08 Beijing)",
                "夜间批处理（北京时间 0–8 点）",
            ),
        }
    }

    /// The preset whose share this is, if any.
    pub fn matching(share: f64) -> Option<PeakPreset> {
        PeakPreset::ALL
            .into_iter()
            .find(|p| (p.peak_share() - share).abs() < 1e-9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_shares_by_hand() {
        assert_eq!(PEAK_HOURS.iter().filter(|h| **h).count(), 7);
        assert!((PeakPreset::OfficeHoursChina.peak_share() - 7.0 / 9.0).abs() < 1e-12);
        assert!((PeakPreset::Global24x7.peak_share() - 35.0 / 168.0).abs() < 1e-12);
        assert_eq!(PeakPreset::NightBatch.peak_share(), 0.0);
        // Weekdays only, all day: 7 of 24.
        let p = TrafficPattern {
            hours: hours(0, 24),
            weekends: false,
        };
        assert!((p.peak_share() - 7.0 / 24.0).abs() < 1e-12);
        assert_eq!(
            PeakPreset::matching(35.0 / 168.0),
            Some(PeakPreset::Global24x7)
        );
        assert_eq!(PeakPreset::matching(0.5), None);
    }
}
