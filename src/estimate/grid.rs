//! The fit matrix: every catalog model × every quant the runtime loads × several contexts, for
//! one machine — what the verdict grid and `check` show. Cheap enough to run every frame.

use super::kv::KvCacheType;
use super::{fit_with_params, params, problem, Fit, FitOptions};
use crate::catalog::schema::{ModelRole, Runtime};
use crate::catalog::Catalog;
use crate::hardware::Machine;

/// Fits of every DeepSeek model × loadable quant × context (contexts above a model's maximum are
/// clamped to it), in catalog order.
pub fn fit_matrix<'a>(
    catalog: &'a Catalog,
    machine: &Machine,
    runtime: Runtime,
    contexts: &[u32],
) -> Vec<Fit<'a>> {
    let mut out = Vec::with_capacity(
        catalog.models.models.len() * catalog.quants.quants.len() * contexts.len(),
    );
    for model in catalog
        .models
        .models
        .iter()
        .filter(|m| m.role == ModelRole::DeepSeek)
    {
        let p = params::count(&model.arch);
        for quant in &catalog.quants.quants {
            for &ctx in contexts {
                let options = FitOptions {
                    runtime,
                    context: ctx.clamp(1, model.arch.max_context),
                    concurrency: 1,
                    kv_type: KvCacheType::F16,
                };
                if problem(model, quant, &options).is_none() {
                    out.push(fit_with_params(model, quant, machine, options, p));
                }
            }
        }
    }
    out
}
