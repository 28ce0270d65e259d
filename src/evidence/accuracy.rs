//! What `deepseek-advisor accuracy` reports: the catalog's size, what the estimator's
//! parameters are, and the cross-validation table.

use super::crossval::{cross_validate, observations, CurrentEstimator, RegimeStats};
use super::Evidence;
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
}

/// The accuracy of today's estimator on `evidence`.
pub fn accuracy(catalog: &Catalog, evidence: &Evidence) -> Accuracy {
    let obs = observations(catalog, evidence);
    let rows = cross_validate(&CurrentEstimator { catalog }, &obs.scored);
    Accuracy {
        points: evidence.points.len(),
        hardware: evidence.hardware_types().len(),
        sources: evidence.sources.len(),
        scored: obs.scored.len(),
        skipped: obs.skipped,
        rows,
    }
}
