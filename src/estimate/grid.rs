//! The fit matrix: every DeepSeek model × every quant the runtime loads × several contexts, for
//! one machine — what the verdict grid and `check` show. Cheap enough to run every frame.

use super::kv::KvCacheType;
use super::{fit_with_params, params, problem, Fit, FitOptions};
use crate::catalog::schema::{ModelEntry, ModelRole, Runtime};
use crate::catalog::Catalog;
use crate::hardware::Machine;

/// The DeepSeek models in catalog order (strongest first).
pub fn deepseek_models(catalog: &Catalog) -> impl Iterator<Item = &ModelEntry> {
    catalog
        .models
        .models
        .iter()
        .filter(|m| m.role == ModelRole::DeepSeek)
}

/// Fits of one model in every quant the runtime accepts at `context` (clamped to the model's
/// maximum), at concurrency 1 with an f16 KV cache.
pub fn model_fits<'a>(
    catalog: &'a Catalog,
    model: &'a ModelEntry,
    machine: &'a Machine,
    runtime: Runtime,
    context: u32,
) -> impl Iterator<Item = Fit<'a>> {
    let p = params::count(&model.arch);
    let options = FitOptions {
        runtime,
        context: context.clamp(1, model.arch.max_context),
        concurrency: 1,
        kv_type: KvCacheType::F16,
    };
    catalog
        .quants
        .quants
        .iter()
        .filter(move |q| problem(model, q, &options).is_none())
        .map(move |q| fit_with_params(model, q, machine, options, p))
}

/// Fits of every DeepSeek model × loadable quant × context, in catalog order.
pub fn fit_matrix<'a>(
    catalog: &'a Catalog,
    machine: &'a Machine,
    runtime: Runtime,
    contexts: &[u32],
) -> Vec<Fit<'a>> {
    let mut out = Vec::with_capacity(
        catalog.models.models.len() * catalog.quants.quants.len() * contexts.len(),
    );
    for model in deepseek_models(catalog) {
        for &ctx in contexts {
            out.extend(model_fits(catalog, model, machine, runtime, ctx));
        }
    }
    out
}
