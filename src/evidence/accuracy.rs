//! What `deepseek-advisor accuracy` reports: the catalog's size, what the estimator's
//! parameters are, and the cross-validation table.

use super::crossval::{observations, HeldOutBy, RegimeStats};
use super::fit::{fit_catalog, FitRun};
use super::regime::Regime;
use super::Evidence;
use crate::catalog::schema::{MeasuredPoint, Metric};
use crate::catalog::Catalog;
use crate::estimate::correction::Fitted;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Accuracy {
    /// Measured points in the catalog.
    pub points: usize,
    /// Distinct hardware types and sources among them.
    pub hardware: usize,
    pub sources: usize,
    /// Measured numbers (a point may carry several metrics) scored by the cross-validation.
    pub scored: usize,
    /// Measured numbers left out of it, by reason.
    pub skipped: BTreeMap<String, usize>,
    pub rows: Vec<RegimeStats>,
    /// The fit of the whole catalog as run now; `matches_committed` says whether the estimator's
    /// committed file (`assets/catalog/fitted.ron`) holds the same parameters and bands.
    pub fitted: Fitted,
    pub matches_committed: bool,
    /// Every scored number with its leave-one-source-out estimate, by regime, worst first.
    pub scored_points: Vec<ScoredPoint<'static>>,
}

/// One measured number against the estimate made with its source left out.
#[derive(Debug, Clone)]
pub struct ScoredPoint<'a> {
    pub point: &'a MeasuredPoint,
    pub metric: Metric,
    pub regime: Regime,
    pub measured: f64,
    pub estimate: f64,
    /// (estimate − measured) ÷ measured.
    pub error: f64,
}

/// The accuracy of the fitted estimator on `evidence`: the fit rerun inside each fold.
pub fn accuracy(catalog: &Catalog, evidence: &'static Evidence) -> Accuracy {
    let obs = observations(catalog, evidence);
    let FitRun {
        fitted,
        rows,
        residuals,
    } = fit_catalog(catalog, evidence, "");
    let mut scored_points: Vec<ScoredPoint> = residuals[&HeldOutBy::Source]
        .iter()
        .zip(&obs.scored)
        .filter_map(|(r, o)| {
            r.map(|r| ScoredPoint {
                point: o.point,
                metric: o.metric,
                regime: o.regime,
                measured: o.measured,
                estimate: o.measured * (1.0 + r.error),
                error: r.error,
            })
        })
        .collect();
    scored_points.sort_by(|a, b| {
        (a.regime, a.metric)
            .cmp(&(b.regime, b.metric))
            .then(b.error.abs().total_cmp(&a.error.abs()))
    });
    let matches_committed = same_fit(&fitted, Fitted::get());
    Accuracy {
        points: evidence.points.len(),
        hardware: evidence.hardware_types().len(),
        sources: evidence.sources.len(),
        scored: obs.scored.len(),
        skipped: obs.skipped,
        rows,
        fitted,
        matches_committed,
        scored_points,
    }
}

/// Whether two fits hold the same parameters, bands and measured cells (the date aside), to
/// 1e-9 relative.
pub fn same_fit(a: &Fitted, b: &Fitted) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
    a.catalog_hash == b.catalog_hash
        && a.method == b.method
        && a.ridge == b.ridge
        && a.measured == b.measured
        && a.parameters.len() == b.parameters.len()
        && a.parameters.iter().zip(&b.parameters).all(|(p, q)| {
            (&p.quantity, &p.group, &p.name, p.points, p.sources)
                == (&q.quantity, &q.group, &q.name, q.points, q.sources)
                && close(p.log_factor, q.log_factor)
        })
        && a.bands.len() == b.bands.len()
        && a.bands.iter().zip(&b.bands).all(|(p, q)| {
            (&p.quantity, &p.regime, &p.evidence, p.residuals)
                == (&q.quantity, &q.regime, &q.evidence, q.residuals)
                && close(p.low, q.low)
                && close(p.high, q.high)
        })
}

/// What issue 19 asks of a regime's leave-one-source-out figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub max_median_abs_error: f64,
    pub band_coverage: (f64, f64),
    pub max_band_ratio: Option<f64>,
}

/// Fewest held-out points for a regime's target to apply.
pub const TARGET_MIN_POINTS: usize = 20;

/// The target of a row, if one applies: single-user decode ≤ 12% with a band ratio ≤ 1.8, served
/// aggregate output ≤ 20%; band coverage 70–90%; leave-one-source-out rows of 20 points or more.
pub fn target(r: &RegimeStats) -> Option<Target> {
    if r.held_out_by != HeldOutBy::Source || r.points < TARGET_MIN_POINTS {
        return None;
    }
    match (r.regime, r.metric) {
        (Regime::MultiGpuServing, Metric::Aggregate) => Some(Target {
            max_median_abs_error: 0.20,
            band_coverage: (0.70, 0.90),
            max_band_ratio: None,
        }),
        (Regime::MultiGpuServing, _) => None,
        (_, Metric::Decode) => Some(Target {
            max_median_abs_error: 0.12,
            band_coverage: (0.70, 0.90),
            max_band_ratio: Some(1.8),
        }),
        _ => None,
    }
}

/// Whether a row meets its target (`None` without one).
pub fn meets_target(r: &RegimeStats) -> Option<bool> {
    let t = target(r)?;
    let coverage = r
        .band_coverage
        .is_some_and(|c| t.band_coverage.0 <= c && c <= t.band_coverage.1);
    let ratio = t
        .max_band_ratio
        .is_none_or(|m| r.median_band_ratio.is_some_and(|x| x <= m));
    Some(r.median_abs_error <= t.max_median_abs_error && coverage && ratio)
}
