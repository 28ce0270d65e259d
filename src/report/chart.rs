//! A line chart as data — series, axes, break-even markers — and the geometry both renderers share:
//! the SVG in HTML reports and the PNG beside Markdown reports draw the same ticks at the same
//! places.

use crate::lang::{format_amount, Lang};

/// Pixel size of a rendered chart and its plot area's margins.
pub const WIDTH: f64 = 760.0;
pub const HEIGHT: f64 = 360.0;
pub const MARGIN_LEFT: f64 = 84.0;
pub const MARGIN_RIGHT: f64 = 44.0;
pub const MARGIN_TOP: f64 = 40.0;
pub const MARGIN_BOTTOM: f64 = 44.0;

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: [u8; 3],
    pub points: Vec<[f64; 2]>,
}

/// A labelled point (a break-even volume).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub at: [f64; 2],
    pub label: String,
}

/// One axis: its range and whether it is logarithmic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

impl Axis {
    /// The range covering `values` (positive ones only on a log axis), padded to whole decades
    /// (log) or starting at zero (linear). A degenerate range is widened so nothing divides by 0.
    pub fn fit(values: impl Iterator<Item = f64>, log: bool) -> Axis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite() && (!log || *v > 0.0)) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if log {
            if !lo.is_finite() {
                return Axis {
                    lo: 1.0,
                    hi: 10.0,
                    log,
                };
            }
            let (lo, hi) = (lo.log10().floor(), hi.log10().ceil());
            Axis {
                lo: 10f64.powf(lo),
                hi: 10f64.powf(if hi > lo { hi } else { lo + 1.0 }),
                log,
            }
        } else {
            let lo = if lo.is_finite() { lo.min(0.0) } else { 0.0 };
            let hi = if hi.is_finite() && hi > lo {
                hi
            } else {
                lo + 1.0
            };
            let step = nice_step((hi - lo) / 5.0);
            Axis {
                lo,
                hi: (hi / step).ceil() * step,
                log,
            }
        }
    }

    /// Where `v` falls on the axis, 0 at `lo` and 1 at `hi`; `None` off a log axis's domain.
    pub fn frac(&self, v: f64) -> Option<f64> {
        if !v.is_finite() {
            return None;
        }
        let f = if self.log {
            if v <= 0.0 {
                return None;
            }
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        f.is_finite().then_some(f)
    }

    /// Tick values: every decade on a log axis, 1-2-5 steps on a linear one.
    pub fn ticks(&self) -> Vec<f64> {
        if self.log {
            let (a, b) = (
                self.lo.log10().round() as i32,
                self.hi.log10().round() as i32,
            );
            let every = ((b - a) / 8 + 1).max(1);
            (a..=b)
                .filter(|e| (e - a) % every == 0)
                .map(|e| 10f64.powi(e))
                .collect()
        } else {
            let step = nice_step((self.hi - self.lo) / 5.0);
            let mut out = Vec::new();
            let mut k = (self.lo / step).ceil();
            while k * step <= self.hi + step * 1e-9 && out.len() < 20 {
                out.push(k * step);
                k += 1.0;
            }
            out
        }
    }
}

/// The 1, 2 or 5 × 10^k at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    let n = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    n * p
}

/// A chart: what it shows and the file stem its PNG gets beside a Markdown report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub file_stem: &'static str,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
}

impl Chart {
    /// A chart whose axes cover every series and marker.
    pub fn new(
        file_stem: &'static str,
        title: String,
        (x_label, x_log): (String, bool),
        (y_label, y_log): (String, bool),
        series: Vec<Series>,
        markers: Vec<Marker>,
    ) -> Chart {
        let all = || {
            series
                .iter()
                .flat_map(|s| s.points.iter().copied())
                .chain(markers.iter().map(|m| m.at))
        };
        let x = Axis::fit(all().map(|p| p[0]), x_log);
        let y = Axis::fit(all().map(|p| p[1]), y_log);
        Chart {
            file_stem,
            title,
            x_label,
            y_label,
            x,
            y,
            series,
            markers,
        }
    }

    /// Pixel position of a data point inside the plot area, `None` when it cannot be drawn.
    pub fn to_pixel(&self, p: [f64; 2]) -> Option<(f64, f64)> {
        let (fx, fy) = (self.x.frac(p[0])?, self.y.frac(p[1])?);
        let w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
        let h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
        Some((MARGIN_LEFT + fx * w, MARGIN_TOP + (1.0 - fy) * h))
    }

    /// The plot area: left, top, right, bottom.
    pub fn plot_area() -> (f64, f64, f64, f64) {
        (
            MARGIN_LEFT,
            MARGIN_TOP,
            WIDTH - MARGIN_RIGHT,
            HEIGHT - MARGIN_BOTTOM,
        )
    }
}

/// A tick label in the report's language (万 and 亿 in Chinese).
pub fn tick_label(lang: Lang, v: f64) -> String {
    if v.abs() < 1000.0 && v.fract() != 0.0 {
        format!("{v:.1}")
    } else {
        format_amount(lang, v)
    }
}

/// A short ASCII tick label for the PNG's built-in digits: `10`, `2.5k`, `1M`, `3B`.
pub fn compact_label(v: f64) -> String {
    let a = v.abs();
    let (div, suffix) = if a >= 1e9 {
        (1e9, "B")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / div;
    let text = if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    format!("{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_spans_whole_decades_and_ticks_each() {
        let a = Axis::fit([12.0, 9_000.0, -5.0, f64::NAN].into_iter(), true);
        assert_eq!((a.lo, a.hi), (10.0, 10_000.0));
        assert_eq!(a.ticks(), vec![10.0, 100.0, 1000.0, 10_000.0]);
        assert_eq!(a.frac(100.0).map(|f| (f * 3.0).round()), Some(1.0));
        assert_eq!(a.frac(0.0), None);
    }

    #[test]
    fn linear_axis_starts_at_zero_with_nice_steps() {
        let a = Axis::fit([3.0, 7_400_000.0].into_iter(), false);
        assert_eq!(a.lo, 0.0);
        assert_eq!(a.hi, 8_000_000.0);
        assert_eq!(a.ticks()[1], 2_000_000.0);
    }

    #[test]
    fn empty_and_flat_data_give_a_usable_range() {
        for log in [false, true] {
            let a = Axis::fit(std::iter::empty(), log);
            assert!(a.hi > a.lo);
            let b = Axis::fit([5.0, 5.0].into_iter(), log);
            assert!(b.hi > b.lo);
            assert!(b.frac(5.0).is_some_and(f64::is_finite));
        }
    }

    #[test]
    fn compact_labels() {
        assert_eq!(compact_label(10.0), "10");
        assert_eq!(compact_label(2_500.0), "2.5k");
        assert_eq!(compact_label(10_000_000.0), "10M");
        assert_eq!(compact_label(3e9), "3B");
        assert_eq!(tick_label(Lang::Zh, 100_000.0), "10.0 万");
    }
}
