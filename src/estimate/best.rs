//! The best quant of every DeepSeek model on a machine, best verdict first, with what it would
//! take to run the stronger models that don't fit — `check`'s list and the app's headline.

use super::grid::{deepseek_models, model_fits, RuntimeChoice};
use super::suggest::{smallest_changes, Change};
use super::verdict::VerdictLevel;
use super::weights::{quality_bits, same_architecture};
use super::Fit;
use crate::catalog::schema::ModelEntry;
use crate::catalog::Catalog;
use crate::hardware::Machine;

/// Models that do not fit but rank above the best choice get a "what it would take" line.
pub const SHOWN_WOULD_TAKE: usize = 3;

/// Below about 3.5 bits per weight dense and small MoE models lose too much quality to recommend
/// (Q3_K_M already costs +0.66 perplexity on Llama-3-8B, S14b); only the large MoE models, for which
/// the 1.6–2.7-bit dynamic quants were designed (S15), go lower.
const MIN_SENSIBLE_BPW: f64 = 3.5;
/// Total parameters from which the sub-3.5-bit quants are offered.
const LOW_BIT_FROM_PARAMS: f64 = 100e9;

/// One model's best quant on the machine, with the changes that would make it fit.
pub struct ModelResult<'a> {
    pub fit: Fit<'a>,
    pub changes: Vec<Change>,
}

/// For each DeepSeek model (catalog order = strongest first): the quant with the best verdict,
/// ties going to more bits; for a model that fits nowhere, the smallest quant.
pub fn best_per_model<'a>(
    catalog: &'a Catalog,
    machine: &'a Machine,
    runtime: RuntimeChoice,
    context: u32,
) -> Vec<ModelResult<'a>> {
    let mut out = Vec::new();
    for model in deepseek_models(catalog) {
        let fits = model_fits(catalog, model, machine, runtime, context)
            .filter(|f| {
                f.quant.body_bpw >= MIN_SENSIBLE_BPW || f.params.total() >= LOW_BIT_FROM_PARAMS
            })
            // F32 doubles BF16's memory for no gain: never a choice.
            .filter(|f| f.quant.body_bpw <= 16.0);
        let best = fits.max_by(|a, b| {
            let fitted = |f: &Fit| f.verdict.level != VerdictLevel::DoesNotFit;
            // Quality stops growing at Q8_0 ("practically lossless") and at a model's released
            // width: more bits only cost speed.
            let quality = |f: &Fit| quality_bits(f.model, &f.params, f.quant);
            a.verdict.level.cmp(&b.verdict.level).then_with(|| {
                if a.verdict.level == VerdictLevel::Slow {
                    // Below a usable speed, speed is what matters.
                    a.speed.decode.total_cmp(&b.speed.decode)
                } else if fitted(a) {
                    // Equal quality: the faster, then the smaller.
                    quality(a)
                        .total_cmp(&quality(b))
                        .then_with(|| a.speed.decode.total_cmp(&b.speed.decode))
                        .then_with(|| b.weights.bytes.total_cmp(&a.weights.bytes))
                } else {
                    // Among misfits the smallest is closest to fitting.
                    b.weights.bytes.total_cmp(&a.weights.bytes)
                }
            })
        });
        if let Some(fit) = best {
            out.push(ModelResult {
                fit,
                changes: Vec::new(),
            });
        }
    }
    // Best verdict first; catalog order (strength) within a level.
    out.sort_by_key(|r| std::cmp::Reverse(r.fit.verdict.level));
    out
}

/// Adds "what it would take" to the strongest models (above the best one) that don't fit or only
/// run slowly.
pub fn add_would_take(catalog: &Catalog, machine: &Machine, results: &mut [ModelResult]) {
    let best_rank = catalog_rank(catalog, results.first().map(|r| r.fit.model.id.as_str()));
    let mut shown: Vec<&ModelEntry> = Vec::new();
    // Strongest first (catalog order), whatever their verdicts.
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by_key(|&i| catalog_rank(catalog, Some(&results[i].fit.model.id)));
    for i in order {
        let r = &mut results[i];
        if matches!(
            r.fit.verdict.level,
            VerdictLevel::DoesNotFit | VerdictLevel::Slow
        ) && catalog_rank(catalog, Some(&r.fit.model.id)) < best_rank
            && shown.len() < SHOWN_WOULD_TAKE
            // A preview or refresh of a model already shown would take the same.
            && !shown.iter().any(|m| same_architecture(m, r.fit.model))
        {
            r.changes = smallest_changes(catalog, &r.fit, machine);
            shown.push(r.fit.model);
        }
    }
}

fn catalog_rank(catalog: &Catalog, id: Option<&str>) -> usize {
    id.and_then(|id| catalog.models.models.iter().position(|m| m.id == id))
        .unwrap_or(usize::MAX)
}

/// The first comfortable result, else the first that fits.
pub fn best_index(results: &[ModelResult]) -> Option<usize> {
    results
        .iter()
        .position(|r| r.fit.verdict.level == VerdictLevel::Comfortable)
        .or_else(|| {
            results
                .iter()
                .position(|r| r.fit.verdict.level != VerdictLevel::DoesNotFit)
        })
}
