//! What `deepseek-advisor accuracy` reports: the catalog's size, what the estimator's
//! parameters are, and the cross-validation table.

use super::crossval::{
    cross_validate, observations, residuals, CurrentEstimator, HeldOutBy, RegimeStats,
};
use super::regime::Regime;
use super::Evidence;
use crate::catalog::schema::{MeasuredPoint, Metric};
use crate::catalog::Catalog;
use std::collections::BTreeMap;

/// How the estimator's efficiencies were set.
pub const PARAMETERS: &str = "set by hand in src/estimate/calibration.rs from shared/reference \
     rows (no fit yet: phase 2 of issue 19 fits them inside each fold)";

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

/// The accuracy of today's estimator on `evidence`.
pub fn accuracy(catalog: &Catalog, evidence: &'static Evidence) -> Accuracy {
    let obs = observations(catalog, evidence);
    let model = CurrentEstimator { catalog };
    let rows = cross_validate(&model, &obs.scored);
    let mut scored_points: Vec<ScoredPoint> = residuals(&model, &obs.scored, HeldOutBy::Source)
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
    Accuracy {
        points: evidence.points.len(),
        hardware: evidence.hardware_types().len(),
        sources: evidence.sources.len(),
        scored: obs.scored.len(),
        skipped: obs.skipped,
        rows,
        scored_points,
    }
}
