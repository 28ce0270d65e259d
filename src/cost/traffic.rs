//! When the traffic comes, and the share of API tokens DeepSeek bills at its peak price.
//!
//! Since 2026-08-16 DeepSeek bills Monday–Friday 09:00–12:00 and 14:00–18:00 Beijing time at twice
//! the off-peak price; weekends have been off-peak all day since 2026-08-23, and since 2026-09 the
//! pricing page excludes Chinese public holidays too: the holiday breaks are off-peak all day, and
//! so are the weekend days worked to make up for them (`prices::holidays`). A traffic pattern says
//! which hours of which days carry traffic, evenly spread; its peak share is the fraction of that
//! traffic falling in peak hours of peak-billing days, counted day by day over a calendar year.

use crate::lang::Lang;
use crate::prices::holidays::{self, days_of, is_peak_billing_day, is_working_day};
use crate::prices::Day;
use std::sync::OnceLock;

/// Peak hours on a peak-billing day, Beijing time: 09:00–12:00 and 14:00–18:00 (7 of 24 hours).
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

/// Which days carry traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficDays {
    /// China's working calendar: Monday–Friday outside the holiday breaks, plus the weekend days
    /// worked to make up for them (an office tool).
    WorkingDays,
    /// Every day of the year.
    EveryDay,
}

/// Hours of the day that carry traffic on the days that do, evenly spread over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrafficPattern {
    /// Beijing-time hours (0–23) with traffic.
    pub hours: [bool; 24],
    pub days: TrafficDays,
}

impl TrafficPattern {
    fn has_traffic(&self, d: Day) -> bool {
        match self.days {
            TrafficDays::WorkingDays => is_working_day(d),
            TrafficDays::EveryDay => true,
        }
    }

    /// Share of the traffic over `days` that falls in DeepSeek's peak hours: the active peak hours
    /// of the peak-billing days with traffic ÷ the active hours of all days with traffic.
    pub fn peak_share_over(&self, days: impl Iterator<Item = Day>) -> f64 {
        let active = self.hours.iter().filter(|h| **h).count() as f64;
        let active_peak = self
            .hours
            .iter()
            .zip(PEAK_HOURS)
            .filter(|(a, p)| **a && *p)
            .count() as f64;
        let (mut all, mut peak) = (0.0, 0.0);
        for d in days.filter(|d| self.has_traffic(*d)) {
            all += active;
            if is_peak_billing_day(d) {
                peak += active_peak;
            }
        }
        if all > 0.0 {
            peak / all
        } else {
            0.0
        }
    }

    /// The peak share over `year`.
    pub fn peak_share_in(&self, year: i32) -> f64 {
        self.peak_share_over(days_of(year))
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

/// Ready-made answers to "when does the traffic come?", computed on the PRC calendar of
/// `holidays::reference_year()` (2026: 365 days, 248 working days of which 242 bill peak hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeakPreset {
    /// An internal tool used in Chinese office hours: 09:00–18:00 Beijing time on working days
    /// (make-up weekend days included). 7 of its 9 hours are peak hours on the 242 peak-billing
    /// days, none on the 6 make-up days: 242 × 7 / (248 × 9) = 1,694 / 2,232 ≈ 0.759 (0.778
    /// before holidays were counted).
    OfficeHoursChina,
    /// Users everywhere, evenly around the clock, every day: 242 × 7 / (365 × 24) = 1,694 /
    /// 8,760 ≈ 0.193 (0.208 before holidays were counted).
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
                days: TrafficDays::WorkingDays,
            },
            PeakPreset::Global24x7 => TrafficPattern {
                hours: hours(0, 24),
                days: TrafficDays::EveryDay,
            },
            PeakPreset::NightBatch => TrafficPattern {
                hours: hours(0, 8),
                days: TrafficDays::EveryDay,
            },
        }
    }

    /// The preset's peak share on the reference year's calendar (computed once).
    pub fn peak_share(self) -> f64 {
        static SHARES: OnceLock<[f64; 3]> = OnceLock::new();
        let shares = SHARES.get_or_init(|| {
            let year = holidays::reference_year();
            PeakPreset::ALL.map(|p| p.pattern().peak_share_in(year))
        });
        shares[self as usize]
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

/// One sentence on how DeepSeek counts peak hours, for the wizard's traffic step and the Costs tab.
pub fn peak_rule(lang: Lang) -> String {
    let year = holidays::reference_year();
    match lang {
        Lang::En => format!(
            "Peak: Monday–Friday 09–12 and 14–18 Beijing time. Weekends, Chinese public holidays and the weekend days worked to make up for them are off-peak all day; the presets count the {year} holiday calendar."
        ),
        Lang::Zh => format!(
            "高峰：北京时间周一至周五 9–12 点、14–18 点。周末、中国法定节假日以及调休上班的周末全天按闲时计费；预设比例按 {year} 年放假安排计算。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(first: &str) -> impl Iterator<Item = Day> {
        let d = Day::parse_exact(first).unwrap().days_since_epoch();
        (d..d + 7).map(Day::from_days_since_epoch)
    }

    #[test]
    fn a_week_with_a_holiday_and_a_make_up_day_by_hand() {
        // 2026-10-05 … 10-11: Mon–Wed are the end of the National Day break, Thu and Fri are
        // workdays, Sat 10-10 is a make-up working day (off-peak: a weekend for DeepSeek), Sun off.
        let office = PeakPreset::OfficeHoursChina.pattern();
        // Traffic on Thu, Fri and Sat, 9 hours each = 27; peak hours on Thu and Fri, 7 each = 14.
        assert!((office.peak_share_over(week("2026-10-05")) - 14.0 / 27.0).abs() < 1e-12);
        let global = PeakPreset::Global24x7.pattern();
        // 168 hours of traffic, 14 of them peak; the weekday-only count gave 35/168.
        assert!((global.peak_share_over(week("2026-10-05")) - 14.0 / 168.0).abs() < 1e-12);
        // An ordinary week (2026-10-12 …) is the weekday-only count.
        assert!((global.peak_share_over(week("2026-10-12")) - 35.0 / 168.0).abs() < 1e-12);
        assert!((office.peak_share_over(week("2026-10-12")) - 7.0 / 9.0).abs() < 1e-12);
        // The week of 2026-05-04: Mon and Tue off, Wed–Fri peak, Sat 05-09 make-up.
        assert!((office.peak_share_over(week("2026-05-04")) - 21.0 / 36.0).abs() < 1e-12);
    }

    #[test]
    fn preset_shares_on_the_2026_calendar_by_hand() {
        assert_eq!(PEAK_HOURS.iter().filter(|h| **h).count(), 7);
        assert!(
            (PeakPreset::OfficeHoursChina.peak_share() - 1694.0 / 2232.0).abs() < 1e-12,
            "{}",
            PeakPreset::OfficeHoursChina.peak_share()
        );
        assert!((PeakPreset::Global24x7.peak_share() - 1694.0 / 8760.0).abs() < 1e-12);
        assert_eq!(PeakPreset::NightBatch.peak_share(), 0.0);
        assert_eq!(
            PeakPreset::matching(1694.0 / 8760.0),
            Some(PeakPreset::Global24x7)
        );
        assert_eq!(PeakPreset::matching(0.5), None);
        // Before holidays were counted (Monday–Friday only): 7/9 and 35/168; no longer presets.
        assert_eq!(PeakPreset::matching(7.0 / 9.0), None);
        assert!(peak_rule(Lang::En).contains("public holidays"));
        assert!(peak_rule(Lang::Zh).contains("法定节假日"));
    }
}
