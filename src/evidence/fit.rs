//! The fit (issue 19): the roofline's corrections (`estimate::correction`) fitted over the
//! measurement catalog by weighted ridge regression in log space, and the bands from the
//! cross-validation residuals. Pure and deterministic: the same catalog gives the same file.
//!
//! For each quantity (decode, batched output, prefill, first token) the physical model's estimate
//! e of every scored measurement m gives y = ln(m ÷ e); y is regressed on the setup's groups
//! (`Setup::features`): a shared intercept, device class × vendor, runtime, placement, dense or MoE, bytes per token, software
//! era, and ln(concurrency) for served speeds. The ridge penalty pulls every log factor toward 0
//! (factor 1, the physical prior), so a group measured a few times moves little. Each measurement
//! weighs 1 ÷ √(its source's measurements of the quantity), so no single source dominates.

use super::crossval::{banded_residuals, observations, table, Observation, SpeedModel};
use super::crossval::{HeldOutBy, RegimeStats, Residual};
use super::setup::{predict, Prediction};
use super::stats::quantile;
use super::Evidence;
use crate::catalog::schema::Metric;
use crate::catalog::Catalog;
use crate::estimate::correction::{BandCell, Fitted, Parameter, Quantity, Setup};
use std::collections::{BTreeMap, BTreeSet};

/// Ridge penalty: pseudo-observations at factor 1 for each parameter.
pub const RIDGE: f64 = 4.0;
/// The band's percentiles of the residuals: about 80% of left-out points inside.
pub const BAND_QUANTILES: (f64, f64) = (0.1, 0.9);
/// Fewest residuals a band cell is drawn from; thinner cells fall back to a pooled cell.
pub const MIN_BAND_RESIDUALS: usize = 10;

/// How the parameters are fitted, for the file and the `accuracy` report.
pub const METHOD: &str = "weighted ridge regression of ln(measured / physical estimate) on the \
     setup's groups per quantity (intercept, device class x vendor, runtime, placement, dense or \
     MoE, log10 GB read per token, half-year before 2026 and ln concurrency for served speeds); weight \
     1/sqrt(measurements of the source); bands: 10th-90th percentiles of leave-one-source-out and \
     leave-one-hardware-out residuals per quantity, regime and evidence density";

/// One scored measurement as the fit sees it: the physical model's log error and the features.
#[derive(Debug, Clone)]
struct Sample<'a> {
    source: &'a str,
    quantity: Quantity,
    setup: Setup,
    /// ln(measured ÷ physical estimate).
    y: f64,
    regime: &'static str,
    hardware: String,
}

fn sample<'a>(catalog: &Catalog, o: &Observation<'a>, identity: &Fitted) -> Option<Sample<'a>> {
    let p = predict(catalog, o.point, o.metric, identity).ok()?;
    let c = p.context?;
    Some(Sample {
        source: o.source,
        quantity: c.quantity,
        setup: c.setup,
        y: (o.measured / p.value).ln(),
        regime: c.regime,
        hardware: density_hardware(o),
    })
}

/// The hardware type density is judged on, as `correction::hardware_type` names a machine.
fn density_hardware(o: &Observation) -> String {
    o.point
        .gpus
        .first()
        .map_or_else(|| "cpu".to_string(), |(id, _)| id.clone())
}

/// The key of an observation in the sample cache: the point's address and the metric.
fn key(o: &Observation) -> (usize, Metric) {
    (std::ptr::from_ref(o.point) as usize, o.metric)
}

/// The estimator with its corrections fitted on the training fold: inside each fold the ridge
/// fit runs again on what is left, and the held-out points are asked of that fit. The physical
/// model's estimates (which no fold changes) are computed once.
pub struct FittedEstimator<'c, 'a> {
    catalog: &'c Catalog,
    samples: BTreeMap<(usize, Metric), Sample<'a>>,
}

impl<'c, 'a> FittedEstimator<'c, 'a> {
    pub fn new(catalog: &'c Catalog, obs: &[Observation<'a>]) -> Self {
        let identity = Fitted::identity();
        let samples = obs
            .iter()
            .filter_map(|o| Some((key(o), sample(catalog, o, &identity)?)))
            .collect();
        FittedEstimator { catalog, samples }
    }

    fn fit_on(&self, training: &[&Observation]) -> Fitted {
        let samples: Vec<&Sample> = training
            .iter()
            .filter_map(|o| self.samples.get(&key(o)))
            .collect();
        Fitted {
            parameters: fit_parameters(&samples),
            measured: measured(&samples),
            ridge: RIDGE,
            ..Fitted::identity()
        }
        .sorted()
    }
}

impl SpeedModel for FittedEstimator<'_, '_> {
    type Params = Fitted;
    fn fit(&self, training: &[&Observation]) -> Fitted {
        self.fit_on(training)
    }
    fn predict(&self, fitted: &Fitted, o: &Observation) -> Option<Prediction> {
        predict(self.catalog, o.point, o.metric, fitted).ok()
    }
}

/// The quantities with fitted factors. First-token times are banded but not fitted: published
/// ones are burst measurements (every request sent at once, the last waiting for all prompts
/// before it), while the estimator's is steady-state queueing at a request rate; a factor fitted
/// on one would misstate the other.
pub const FITTED: [Quantity; 3] = [Quantity::Decode, Quantity::Batched, Quantity::Prefill];

/// One regression row: (feature index, value) pairs, y, weight, source.
struct Row<'s> {
    x: Vec<(usize, f64)>,
    y: f64,
    w: f64,
    source: &'s str,
}

/// Ridge solution per quantity.
fn fit_parameters(samples: &[&Sample]) -> Vec<Parameter> {
    let mut out = Vec::new();
    for q in FITTED {
        let qs: Vec<&Sample> = samples
            .iter()
            .copied()
            .filter(|s| s.quantity == q)
            .collect();
        if qs.is_empty() {
            continue;
        }
        let mut per_source: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &qs {
            *per_source.entry(s.source).or_default() += 1;
        }
        let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let rows: Vec<Row> = qs
            .iter()
            .map(|s| {
                let x = s
                    .setup
                    .features(q, &s.hardware)
                    .into_iter()
                    .map(|(g, n, v)| {
                        let next = index.len();
                        (*index.entry((g, n)).or_insert(next), v)
                    })
                    .collect();
                Row {
                    x,
                    y: s.y,
                    w: 1.0 / (per_source[s.source] as f64).sqrt(),
                    source: s.source,
                }
            })
            .collect();
        let k = index.len();
        let mut a = vec![vec![0.0; k]; k];
        let mut b = vec![0.0; k];
        for r in &rows {
            for &(i, xi) in &r.x {
                b[i] += r.w * xi * r.y;
                for &(j, xj) in &r.x {
                    a[i][j] += r.w * xi * xj;
                }
            }
        }
        for ((g, _), i) in &index {
            a[*i][*i] += penalty(g);
        }
        let beta = solve(a, b);
        for ((g, n), i) in &index {
            let used: Vec<&Row> = rows
                .iter()
                .filter(|r| r.x.iter().any(|(j, v)| j == i && *v != 0.0))
                .collect();
            out.push(Parameter {
                quantity: q.name().to_string(),
                group: g.to_string(),
                name: n.to_string(),
                log_factor: beta[*i],
                factor: beta[*i].exp(),
                points: used.len(),
                sources: used.iter().map(|r| r.source).collect::<BTreeSet<_>>().len(),
            });
        }
    }
    out
}

/// The ridge penalty of a group: `RIDGE`, except the software era, a nuisance term the
/// estimator never applies (it answers for today's software), which is left free so old
/// measurements do not drag today's factors (a vanishing penalty keeps the system definite).
fn penalty(group: &str) -> f64 {
    if group == "era" {
        1e-6
    } else {
        RIDGE
    }
}

/// Solves the symmetric positive definite system `a x = b` (Cholesky; the ridge term keeps it
/// positive definite).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for j in 0..n {
        let d = (a[j][j] - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>()).sqrt();
        a[j][j] = d;
        for i in j + 1..n {
            let s: f64 = (0..j).map(|k| a[i][k] * a[j][k]).sum();
            a[i][j] = (a[i][j] - s) / d;
        }
    }
    for i in 0..n {
        let s: f64 = (0..i).map(|k| a[i][k] * b[k]).sum();
        b[i] = (b[i] - s) / a[i][i];
    }
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[k][i] * b[k]).sum();
        b[i] = (b[i] - s) / a[i][i];
    }
    b
}

/// (quantity, regime, hardware) with a measurement: where evidence counts as dense.
fn measured(samples: &[&Sample]) -> Vec<(String, String, String)> {
    samples
        .iter()
        .map(|s| {
            (
                s.quantity.name().to_string(),
                s.regime.to_string(),
                s.hardware.clone(),
            )
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Band cells from left-out residuals: per quantity × regime × density, per quantity × regime
/// pooled, and per quantity over all regimes; only cells with `MIN_BAND_RESIDUALS`.
pub fn band_residuals<'r>(residuals: impl Iterator<Item = &'r Residual>) -> Vec<BandCell> {
    let mut cells: BTreeMap<(Quantity, &str, &str), Vec<f64>> = BTreeMap::new();
    for r in residuals {
        let Some(c) = r.context else { continue };
        let density = if c.dense { "dense" } else { "thin" };
        for key in [
            (c.quantity, c.regime, density),
            (c.quantity, c.regime, "any"),
            (c.quantity, "all", density),
            (c.quantity, "all", "any"),
        ] {
            cells.entry(key).or_default().push(r.log_ratio);
        }
    }
    cells
        .into_iter()
        .filter(|(_, v)| v.len() >= MIN_BAND_RESIDUALS)
        .filter_map(|((q, regime, evidence), v)| {
            let lo = quantile(&v, BAND_QUANTILES.0)?;
            let hi = quantile(&v, BAND_QUANTILES.1)?;
            Some(BandCell {
                quantity: q.name().to_string(),
                regime: regime.to_string(),
                evidence: evidence.to_string(),
                low: lo.min(0.0).exp(),
                high: hi.max(0.0).exp(),
                residuals: v.len(),
            })
        })
        .collect()
}

/// The fit of the whole catalog with its cross-validation.
pub struct FitRun {
    pub fitted: Fitted,
    pub rows: Vec<RegimeStats>,
    /// Both schemes' residuals, in the order of the scored observations.
    pub residuals: BTreeMap<HeldOutBy, Vec<Option<Residual>>>,
}

/// Fits the corrections on every scored measurement, cross-validates (the fit rerun inside each
/// fold), and draws the bands from the pooled left-out residuals. `fitted_on` dates the file.
pub fn fit_catalog(catalog: &Catalog, evidence: &Evidence, fitted_on: &str) -> FitRun {
    let obs = observations(catalog, evidence);
    let training: Vec<&Observation> = obs.scored.iter().collect();
    let model = FittedEstimator::new(catalog, &obs.scored);
    let residuals = banded_residuals(&model, &obs.scored);
    let rows = table(&obs.scored, &residuals);
    let fitted = Fitted {
        fitted_on: fitted_on.to_string(),
        catalog_hash: catalog_hash(crate::catalog::MEASUREMENTS_RON),
        method: METHOD.to_string(),
        bands: band_residuals(residuals.values().flatten().flatten()),
        ..model.fit_on(&training)
    }
    .sorted();
    FitRun {
        fitted,
        rows,
        residuals,
    }
}

/// FNV-1a 64 of the measurement catalog's text, hex.
pub fn catalog_hash(text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// The fit as the committed file holds it.
pub fn to_ron(f: &Fitted) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new().depth_limit(3);
    ron::ser::to_string_pretty(f, config)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let x = solve(a, vec![2.0, 1.0]);
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
    }

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(catalog_hash(""), "cbf29ce484222325");
        assert_ne!(catalog_hash("a"), catalog_hash("b"));
    }
}
