//! The fit matrix: every DeepSeek model × every quant × several contexts, for one machine — what
//! the verdict grid and `check` show, on one runtime or on the best runtime per cell. Cheap enough
//! to run every frame.

use super::{fit_with_params, machine_problem, params, problem, Fit, FitOptions};
use crate::catalog::schema::{ModelEntry, ModelRole, QuantEntry, Runtime};
use crate::catalog::Catalog;
use crate::hardware::Machine;
use std::cmp::Ordering;

/// Which runtime a fit uses: one the user chose, or the best one per model × quant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeChoice {
    /// Every runtime that runs the model and loads the quant on this machine; the best wins.
    Auto,
    One(Runtime),
}

impl RuntimeChoice {
    /// The spelling on the command line and in JSON.
    pub fn cli_name(self) -> &'static str {
        match self {
            RuntimeChoice::Auto => "auto",
            RuntimeChoice::One(r) => r.cli_name(),
        }
    }
}

/// The DeepSeek models in catalog order (strongest first).
pub fn deepseek_models(catalog: &Catalog) -> impl Iterator<Item = &ModelEntry> {
    catalog
        .models
        .models
        .iter()
        .filter(|m| m.role == ModelRole::DeepSeek)
}

/// Orders two fits of one model: better verdict, then held in memory before streamed from disk,
/// then more output tokens/s at their concurrency (one user's decode speed at 1; for misfits:
/// closer to fitting).
pub fn compare(a: &Fit, b: &Fit) -> Ordering {
    a.verdict.level.cmp(&b.verdict.level).then_with(|| {
        if a.verdict.level == super::verdict::VerdictLevel::DoesNotFit {
            b.verdict.short_by_gb.total_cmp(&a.verdict.short_by_gb)
        } else {
            let in_memory = |f: &Fit| !f.placement.kind.streams_from_disk();
            in_memory(a)
                .cmp(&in_memory(b))
                .then_with(|| a.speed.aggregate.total_cmp(&b.speed.aggregate))
        }
    })
}

/// The fit of `model` in `quant` on the chosen runtime (on `Auto`: the best of the runtimes that
/// can), or `None` when no runtime can run it here.
pub fn fit_on<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    choice: RuntimeChoice,
    template: FitOptions,
    params: params::ParamCounts,
) -> Option<Fit<'a>> {
    let try_one = |runtime: Runtime| {
        let options = FitOptions {
            runtime,
            ..template
        };
        if problem(model, quant, &options).is_some() || machine_problem(runtime, machine).is_some()
        {
            return None;
        }
        Some(fit_with_params(model, quant, machine, options, params))
    };
    match choice {
        RuntimeChoice::One(r) => try_one(r),
        // Ties keep the quant's first runtime (`max_by` keeps the last maximum, so go reversed).
        RuntimeChoice::Auto => quant
            .runtimes
            .iter()
            .rev()
            .filter_map(|&r| try_one(r))
            .max_by(compare),
    }
}

/// The options a single estimate uses: on `One`, that runtime; on `Auto`, the best runtime that
/// can run `model` in `quant` here, else the quant's first, whose refusal then says why.
pub fn chosen_options(
    model: &ModelEntry,
    quant: &QuantEntry,
    machine: &Machine,
    choice: RuntimeChoice,
    template: FitOptions,
) -> FitOptions {
    match choice {
        RuntimeChoice::One(runtime) => FitOptions {
            runtime,
            ..template
        },
        RuntimeChoice::Auto => fit_on(
            model,
            quant,
            machine,
            choice,
            template,
            params::count(&model.arch),
        )
        .map_or(template, |f| f.options),
    }
}

/// Fits of one model in every quant offered by default (`offered_by_default`) available on the chosen runtime
/// at `context` (clamped to the model's maximum), at concurrency 1 with the runtime's default KV
/// cache.
pub fn model_fits<'a>(
    catalog: &'a Catalog,
    model: &'a ModelEntry,
    machine: &'a Machine,
    choice: RuntimeChoice,
    context: u32,
) -> impl Iterator<Item = Fit<'a>> {
    let template = FitOptions::new(Runtime::LlamaCpp, context);
    model_fits_with(catalog, model, machine, choice, template)
}

/// Fits of one model in every quant available on the chosen runtime, with `template`'s options
/// (its context clamped to the model's maximum).
pub fn model_fits_with<'a>(
    catalog: &'a Catalog,
    model: &'a ModelEntry,
    machine: &'a Machine,
    choice: RuntimeChoice,
    template: FitOptions,
) -> impl Iterator<Item = Fit<'a>> {
    let p = params::count(&model.arch);
    let template = FitOptions {
        context: template.context.clamp(1, model.arch.max_context),
        ..template
    };
    // The files people publish; any other quant is an `estimate --quant` away.
    catalog
        .quants
        .quants
        .iter()
        .filter(move |q| super::offered_by_default(model, q))
        .filter_map(move |q| fit_on(model, q, machine, choice, template, p))
}

/// Fits of every DeepSeek model × available quant × context, in catalog order.
pub fn fit_matrix<'a>(
    catalog: &'a Catalog,
    machine: &'a Machine,
    choice: RuntimeChoice,
    contexts: &[u32],
) -> Vec<Fit<'a>> {
    let mut out = Vec::with_capacity(
        catalog.models.models.len() * catalog.quants.quants.len() * contexts.len(),
    );
    for model in deepseek_models(catalog) {
        for &ctx in contexts {
            out.extend(model_fits(catalog, model, machine, choice, ctx));
        }
    }
    out
}
