//! A measured point as the estimator's inputs, and what the estimator predicts for it. Points
//! the estimator cannot express (a multi-node deployment, an unnamed GPU) say why.

use crate::catalog::schema::{DeviceClass, MeasuredPoint, Metric, Offload, Runtime};
use crate::catalog::Catalog;
use crate::estimate::correction::{Era, Fitted, Quantity, Setup};
use crate::estimate::kv::KvCacheType;
use crate::estimate::placement::PlacementKind;
use crate::estimate::serving::{operating_point, RequestShape};
use crate::estimate::{fit_measured, FitOptions};
use crate::hardware::machine::GB_PER_APPLE_GB;
use crate::hardware::{GpuGroup, Machine};

/// Decode position assumed where a point states none (a short chat turn).
pub const DEFAULT_DEPTH: u32 = 512;

/// What the estimator says for one metric of a point, with its band where it gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub value: f64,
    /// Low–high band (from the fit's residuals; `None` when the fit has no band for it).
    pub band: Option<(f64, f64)>,
    /// Where the fitted model places the prediction; `None` for models without a fit.
    pub context: Option<Context>,
}

/// What the fit corrects for a prediction, the setup's groups, and the band's cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    pub quantity: Quantity,
    pub setup: Setup,
    /// The band's regime and whether the hardware was measured there (dense evidence).
    pub regime: &'static str,
    pub dense: bool,
}

/// The fitted quantity a metric measures at `concurrency`.
pub fn quantity_of(metric: Metric, concurrency: u32) -> Quantity {
    match metric {
        Metric::Decode => Quantity::Decode,
        Metric::PerUser | Metric::Aggregate if concurrency > 1 => Quantity::Batched,
        Metric::PerUser | Metric::Aggregate => Quantity::Decode,
        Metric::Prefill => Quantity::Prefill,
        Metric::Ttft => Quantity::FirstToken,
    }
}

/// The machine a point ran on.
pub fn machine(catalog: &Catalog, p: &MeasuredPoint) -> Result<Machine, String> {
    let mut gpus = Vec::new();
    for (id, count) in &p.gpus {
        let spec = catalog
            .gpus
            .gpus
            .iter()
            .find(|g| &g.id == id)
            .ok_or_else(|| format!("GPU `{id}` is not in the catalog"))?;
        gpus.push(GpuGroup {
            spec: spec.clone(),
            count: *count,
        });
    }
    let apple = gpus
        .first()
        .is_some_and(|g| g.spec.class == DeviceClass::AppleUnified);
    // Macs are sold in GiB ("128GB"); the estimator counts 10^9-byte GB.
    let ram = p
        .ram_gb
        .map(|r| if apple { r * GB_PER_APPLE_GB } else { r });
    let mut m =
        Machine::from_parts(gpus, ram, p.cpu_mem_bw_gbs, p.cpu_cores).map_err(|e| e.to_string())?;
    if let Some(s) = p.ssd_gbps {
        m.set_ssd_read_gbs(s).map_err(|e| e.to_string())?;
    }
    Ok(m)
}

/// Why the estimator cannot be asked about a point at all (any metric), if it cannot.
pub fn unexpressible(p: &MeasuredPoint) -> Option<String> {
    if p.model_id.is_none() {
        Some("the model is not in the catalog".into())
    } else if p.quant_id.is_none() {
        Some("no catalog quant matches the file".into())
    } else if p.runtime.is_none() {
        Some("the serving stack is in-house or not named".into())
    } else if p.nodes.is_some_and(|n| n > 1) || p.disaggregated {
        Some("multi-node or disaggregated serving: the estimator models one server".into())
    } else if p.gpus.is_empty() && p.cpu.is_none() {
        Some("the GPUs are not named".into())
    } else {
        None
    }
}

/// The estimator's value for `metric` of point `p`, corrected by `fitted` for the point's era.
pub fn predict(
    catalog: &Catalog,
    p: &MeasuredPoint,
    metric: Metric,
    fitted: &Fitted,
) -> Result<Prediction, String> {
    if let Some(why) = unexpressible(p) {
        return Err(why);
    }
    let (Some(model_id), Some(quant_id), Some(runtime)) = (&p.model_id, &p.quant_id, p.runtime)
    else {
        return Err("incomplete point".into());
    };
    let model = catalog.model(model_id).map_err(|e| e.to_string())?;
    let quant = catalog.quant(quant_id).map_err(|e| e.to_string())?;
    let machine = machine(catalog, p)?;
    let serving = matches!(metric, Metric::PerUser | Metric::Aggregate | Metric::Ttft);
    if serving && p.concurrency.is_none() {
        return Err("concurrency not stated".into());
    }
    let concurrency = p.concurrency();
    let shape = match (p.prompt, p.output) {
        (Some(i), Some(o)) if serving => Some(RequestShape {
            input_tokens: f64::from(i),
            output_tokens: f64::from(o),
        }),
        _ => None,
    };
    if metric == Metric::Ttft && shape.is_none() {
        return Err("first-token time needs the prompt and answer lengths".into());
    }
    let max = model.arch.max_context;
    let context = match shape {
        Some(s) => s.context(),
        // The estimator reports speed half-way through the window.
        None => p
            .decode_depth()
            .unwrap_or(DEFAULT_DEPTH)
            .saturating_mul(2)
            .max(2),
    }
    .min(max);
    let options = FitOptions {
        runtime,
        context,
        concurrency,
        kv_type: KvCacheType::Auto,
        speculative: p.speculative,
        experts_on_cpu: p.offload == Offload::Experts && runtime == Runtime::LlamaCpp,
    };
    let f = fit_measured(
        model,
        quant,
        &machine,
        options,
        fitted,
        Era::of_date(&p.date),
    )
    .map_err(|e| e.to_string())?;
    if f.placement.kind == PlacementKind::DoesNotFit {
        return Err("the estimator finds that it does not fit".into());
    }
    let s = &f.speed;
    let c = f64::from(concurrency.max(1));
    let value = match (metric, shape) {
        (Metric::Decode, _) => s.decode,
        (Metric::Prefill, _) => s.prefill,
        (Metric::Aggregate, Some(sh)) => operating_point(&f, sh).aggregate_tok_s,
        (Metric::PerUser, Some(sh)) => operating_point(&f, sh).per_user_tok_s,
        (Metric::Ttft, Some(sh)) => operating_point(&f, sh).ttft_s * 1000.0,
        // Batched decode without prompts (llama-batched-bench): the decode rate of the batch.
        (Metric::Aggregate, None) => s.aggregate,
        (Metric::PerUser, None) => s.aggregate / c,
        (Metric::Ttft, None) => return Err("no request shape".into()),
    };
    let quantity = quantity_of(metric, concurrency);
    let k = f.correction.get(quantity);
    // Bands hold the measured ÷ estimated ratios of the quantity's residuals (times included).
    let band = (k.residuals > 0).then_some((value * k.low, value * k.high));
    if value.is_finite() && value > 0.0 {
        Ok(Prediction {
            value,
            band,
            context: Some(Context {
                quantity,
                setup: f.correction.setup,
                regime: k.regime,
                dense: k.dense,
            }),
        })
    } else {
        Err("the estimator gives no speed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Evidence;

    #[test]
    fn most_points_are_expressible_and_predictions_are_finite() {
        let c = Catalog::get();
        let e = Evidence::get();
        let mut ok = 0;
        let mut total = 0;
        for p in &e.points {
            for (m, _) in p.metrics() {
                total += 1;
                if let Ok(pr) = predict(c, p, m, Fitted::get()) {
                    assert!(pr.value.is_finite() && pr.value > 0.0);
                    if let Some((lo, hi)) = pr.band {
                        assert!(
                            lo <= pr.value && pr.value <= hi,
                            "{}: {lo} {} {hi}",
                            p.hardware,
                            pr.value
                        );
                    }
                    ok += 1;
                }
            }
        }
        assert!(
            ok * 10 >= total * 7,
            "{ok} of {total} observations expressible"
        );
    }
}
