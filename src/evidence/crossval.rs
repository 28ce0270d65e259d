//! Cross-validation that can fail: whole sources, or whole hardware types, are left out; the
//! model is fitted on the rest (inside the fold) and scored on what was left out, per regime and
//! metric. The estimator's fit (`fit::FittedEstimator`) is one [`SpeedModel`]; bands of a fold's
//! predictions come from the residuals of the other folds (`banded_residuals`).

use super::fit::band_residuals;
use super::regime::Regime;
use super::setup::{predict, unexpressible, Context, Prediction};
use super::{hardware_type, Evidence};
use crate::catalog::schema::{DeviceClass, MeasuredPoint, Metric};
use crate::catalog::Catalog;
use crate::estimate::correction::Fitted;
use std::collections::{BTreeMap, BTreeSet};

/// One measured number the estimator is scored on.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    pub point: &'a MeasuredPoint,
    pub metric: Metric,
    pub measured: f64,
    pub regime: Regime,
    /// Source id (the leave-one-source-out group).
    pub source: &'a str,
    /// Hardware type (the leave-one-hardware-out group).
    pub hardware: String,
}

/// How the folds are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeldOutBy {
    Source,
    Hardware,
}

impl HeldOutBy {
    pub const ALL: [HeldOutBy; 2] = [HeldOutBy::Source, HeldOutBy::Hardware];

    pub fn json_name(self) -> &'static str {
        match self {
            HeldOutBy::Source => "source",
            HeldOutBy::Hardware => "hardware",
        }
    }

    fn group<'a>(self, o: &'a Observation) -> &'a str {
        match self {
            HeldOutBy::Source => o.source,
            HeldOutBy::Hardware => &o.hardware,
        }
    }
}

/// A speed model with a fit step. `fit` sees only the training fold; `predict` answers for a
/// held-out observation (`None` when the model cannot express it).
pub trait SpeedModel {
    type Params;
    fn fit(&self, training: &[&Observation]) -> Self::Params;
    fn predict(&self, params: &Self::Params, o: &Observation) -> Option<Prediction>;
}

/// Observations to score and the ones left aside, with the reason.
pub struct Observations<'a> {
    pub scored: Vec<Observation<'a>>,
    /// (reason, count) for measured numbers that are not scored.
    pub skipped: BTreeMap<String, usize>,
}

/// Every metric of every point in `evidence`, split into those the cross-validation scores and
/// those it cannot (a point's `exclude`, or a setup the estimator cannot express).
pub fn observations<'a>(catalog: &Catalog, evidence: &'a Evidence) -> Observations<'a> {
    let mut scored = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let identity = Fitted::identity();
    for (p, r) in evidence.points.iter().zip(&evidence.resolved) {
        let unified = r.primary_gpu.is_some_and(|g| {
            matches!(g.class, DeviceClass::AppleUnified | DeviceClass::SocUnified)
        });
        for (metric, measured) in p.metrics() {
            let why = if let Some(reason) = &p.exclude {
                Some(format!("excluded in the catalog: {reason}"))
            } else {
                unexpressible(p).or_else(|| predict(catalog, p, metric, &identity).err())
            };
            if let Some(why) = why {
                *skipped.entry(why).or_default() += 1;
                continue;
            }
            scored.push(Observation {
                point: p,
                metric,
                measured,
                regime: Regime::of(p, metric, unified),
                source: &p.source,
                hardware: hardware_type(p),
            });
        }
    }
    Observations { scored, skipped }
}

/// A held-out observation scored.
#[derive(Debug, Clone, Copy)]
pub struct Residual {
    /// (estimate − measured) ÷ measured.
    pub error: f64,
    /// ln(measured ÷ estimate): what bands are made of.
    pub log_ratio: f64,
    /// Where the fitted model placed the prediction (its band cell).
    pub context: Option<Context>,
    /// Whether the band held the measurement; `None` without a band.
    pub in_band: Option<bool>,
    /// high ÷ low of the band.
    pub band_ratio: Option<f64>,
}

/// One row of the accuracy table.
#[derive(Debug, Clone, PartialEq)]
pub struct RegimeStats {
    pub regime: Regime,
    pub metric: Metric,
    pub held_out_by: HeldOutBy,
    /// Held-out observations scored.
    pub points: usize,
    /// Distinct sources and hardware types among them.
    pub sources: usize,
    pub hardware: usize,
    pub median_abs_error: f64,
    pub p90_abs_error: f64,
    /// Median signed error (positive: the estimate runs high).
    pub median_error: f64,
    /// Share of banded observations inside their band; `None` where the estimator gives no band.
    pub band_coverage: Option<f64>,
    pub median_band_ratio: Option<f64>,
}

/// Leaves each group of `by` out in turn, fits `model` on the rest, scores the group; returns
/// the residuals in the order of `obs` (`None` where the model could not predict).
pub fn residuals<M: SpeedModel>(
    model: &M,
    obs: &[Observation],
    by: HeldOutBy,
) -> Vec<Option<Residual>> {
    let groups: BTreeSet<&str> = obs.iter().map(|o| by.group(o)).collect();
    let mut out = vec![None; obs.len()];
    for g in groups {
        let training: Vec<&Observation> = obs.iter().filter(|o| by.group(o) != g).collect();
        let params = model.fit(&training);
        for (i, o) in obs.iter().enumerate().filter(|(_, o)| by.group(o) == g) {
            out[i] = model.predict(&params, o).map(|p| Residual {
                error: (p.value - o.measured) / o.measured,
                log_ratio: (o.measured / p.value).ln(),
                context: p.context,
                in_band: p.band.map(|(lo, hi)| lo <= o.measured && o.measured <= hi),
                band_ratio: p.band.filter(|(lo, _)| *lo > 0.0).map(|(lo, hi)| hi / lo),
            });
        }
    }
    out
}

/// Both schemes' residuals, with the bands of fitted predictions drawn from the residuals of the
/// other groups (`band_residuals`): a held-out point's band never sees its own group.
pub fn banded_residuals<M: SpeedModel>(
    model: &M,
    obs: &[Observation],
) -> BTreeMap<HeldOutBy, Vec<Option<Residual>>> {
    let raw: BTreeMap<HeldOutBy, Vec<Option<Residual>>> = HeldOutBy::ALL
        .iter()
        .map(|by| (*by, residuals(model, obs, *by)))
        .collect();
    let mut out = raw.clone();
    for (by, res) in out.iter_mut() {
        let groups: BTreeSet<&str> = obs.iter().map(|o| by.group(o)).collect();
        for g in groups {
            let others = |i: usize| by.group(&obs[i]) != g;
            let cells = band_residuals(raw.values().flat_map(|r| {
                r.iter()
                    .enumerate()
                    .filter(move |(i, _)| others(*i))
                    .filter_map(|(_, r)| r.as_ref())
            }));
            let bands = Fitted {
                bands: cells,
                ..Fitted::identity()
            }
            .sorted();
            for (i, r) in res.iter_mut().enumerate() {
                let Some(r) = r.as_mut().filter(|_| by.group(&obs[i]) == g) else {
                    continue;
                };
                let Some(c) = r.context else { continue };
                let Some(b) = bands.band(c.quantity, c.regime, c.dense) else {
                    continue;
                };
                let (lo, hi) = (b.low.min(1.0), b.high.max(1.0));
                r.in_band = Some(lo.ln() <= r.log_ratio && r.log_ratio <= hi.ln());
                r.band_ratio = Some(hi / lo);
            }
        }
    }
    out
}

/// The accuracy table: per regime and metric, for each way of holding out.
pub fn cross_validate<M: SpeedModel>(model: &M, obs: &[Observation]) -> Vec<RegimeStats> {
    let all = banded_residuals(model, obs);
    table(obs, &all)
}

/// The accuracy table of residuals already computed.
pub fn table(
    obs: &[Observation],
    all: &BTreeMap<HeldOutBy, Vec<Option<Residual>>>,
) -> Vec<RegimeStats> {
    let mut rows = Vec::new();
    for (by, res) in all {
        let by = *by;
        let mut cells: BTreeMap<(Regime, Metric), Vec<(usize, Residual)>> = BTreeMap::new();
        for (i, r) in res.iter().enumerate() {
            if let Some(r) = r {
                cells
                    .entry((obs[i].regime, obs[i].metric))
                    .or_default()
                    .push((i, *r));
            }
        }
        for ((regime, metric), cell) in cells {
            rows.push(summarize(regime, metric, by, obs, &cell));
        }
    }
    rows.sort_by_key(|r| (r.regime, r.metric, r.held_out_by));
    rows
}

fn summarize(
    regime: Regime,
    metric: Metric,
    by: HeldOutBy,
    obs: &[Observation],
    cell: &[(usize, Residual)],
) -> RegimeStats {
    use super::stats::{median, quantile};
    let abs: Vec<f64> = cell.iter().map(|(_, r)| r.error.abs()).collect();
    let signed: Vec<f64> = cell.iter().map(|(_, r)| r.error).collect();
    let banded: Vec<bool> = cell.iter().filter_map(|(_, r)| r.in_band).collect();
    let ratios: Vec<f64> = cell.iter().filter_map(|(_, r)| r.band_ratio).collect();
    RegimeStats {
        regime,
        metric,
        held_out_by: by,
        points: cell.len(),
        sources: cell
            .iter()
            .map(|(i, _)| obs[*i].source)
            .collect::<BTreeSet<_>>()
            .len(),
        hardware: cell
            .iter()
            .map(|(i, _)| obs[*i].hardware.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        median_abs_error: median(&abs).unwrap_or(0.0),
        p90_abs_error: quantile(&abs, 0.9).unwrap_or(0.0),
        median_error: median(&signed).unwrap_or(0.0),
        band_coverage: (!banded.is_empty())
            .then(|| banded.iter().filter(|b| **b).count() as f64 / banded.len() as f64),
        median_band_ratio: median(&ratios),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::Offload;

    fn point(source: &str, gpu: &str, decode: f64) -> MeasuredPoint {
        let text = format!(
            "(source: \"{source}\", date: \"2026\", model: \"m\", quant: \"q\", version: \"v\", hardware: \"h\", gpus: [(\"{gpu}\", 1)], decode: Some({decode}))"
        );
        ron::from_str(&text).unwrap()
    }

    /// Predicts the mean decode of the training fold on the same GPU, else of the whole fold,
    /// with a band of ±50%: a model whose fit depends on the fold, so leaving out changes it.
    struct MeanOfFold;
    impl SpeedModel for MeanOfFold {
        type Params = Vec<(String, f64)>;
        fn fit(&self, training: &[&Observation]) -> Self::Params {
            training
                .iter()
                .map(|o| (o.hardware.clone(), o.measured))
                .collect()
        }
        fn predict(&self, t: &Self::Params, o: &Observation) -> Option<Prediction> {
            let same: Vec<f64> = t
                .iter()
                .filter(|x| x.0 == o.hardware)
                .map(|x| x.1)
                .collect();
            let pool: Vec<f64> = if same.is_empty() {
                t.iter().map(|x| x.1).collect()
            } else {
                same
            };
            if pool.is_empty() {
                return None;
            }
            let v = pool.iter().sum::<f64>() / pool.len() as f64;
            Some(Prediction {
                value: v,
                band: Some((v * 0.5, v * 1.5)),
                context: None,
            })
        }
    }

    fn obs(points: &[MeasuredPoint]) -> Vec<Observation<'_>> {
        points
            .iter()
            .map(|p| Observation {
                point: p,
                metric: Metric::Decode,
                measured: p.decode.unwrap(),
                regime: Regime::of(p, Metric::Decode, false),
                source: &p.source,
                hardware: hardware_type(p),
            })
            .collect()
    }

    #[test]
    fn leaving_a_source_out_fits_on_the_others_only() {
        // Source a measured 100 and 200 on gpu-x; source b measured 100 on gpu-x.
        let points = vec![
            point("a", "gpu-x", 100.0),
            point("a", "gpu-x", 200.0),
            point("b", "gpu-x", 100.0),
        ];
        assert_eq!(points[0].offload, Offload::None);
        let o = obs(&points);
        let r = residuals(&MeanOfFold, &o, HeldOutBy::Source);
        // a's points see only b (100): errors 0 and −50%; b sees a's mean 150: +50%.
        let e: Vec<f64> = r.iter().map(|x| x.unwrap().error).collect();
        assert_eq!(e, vec![0.0, -0.5, 0.5]);
        // Bands 50–150 (for a) and 75–225 (for b): 100 in, 200 out, 100 in.
        let inside: Vec<bool> = r.iter().map(|x| x.unwrap().in_band.unwrap()).collect();
        assert_eq!(inside, vec![true, false, true]);
        let rows = cross_validate(&MeanOfFold, &o);
        let row = rows
            .iter()
            .find(|r| r.held_out_by == HeldOutBy::Source)
            .unwrap();
        assert_eq!(row.regime, Regime::SingleUserGpu);
        assert_eq!((row.points, row.sources, row.hardware), (3, 2, 1));
        assert!((row.median_abs_error - 0.5).abs() < 1e-12);
        assert!((row.p90_abs_error - 0.5).abs() < 1e-12);
        assert!((row.median_error - 0.0).abs() < 1e-12);
        assert!((row.band_coverage.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((row.median_band_ratio.unwrap() - 3.0).abs() < 1e-12);
    }

    #[test]
    fn leaving_a_hardware_type_out_never_sees_that_hardware() {
        let points = vec![
            point("a", "gpu-x", 100.0),
            point("a", "gpu-y", 300.0),
            point("b", "gpu-y", 100.0),
        ];
        let o = obs(&points);
        let r = residuals(&MeanOfFold, &o, HeldOutBy::Hardware);
        // gpu-x is predicted from gpu-y's mean (200): +100%; gpu-y points from gpu-x (100).
        let e: Vec<f64> = r.iter().map(|x| x.unwrap().error).collect();
        assert_eq!(e, vec![1.0, -2.0 / 3.0, 0.0]);
    }
}
