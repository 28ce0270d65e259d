//! The best quant of every DeepSeek model on a machine, best verdict first, with what it would
//! take to run the stronger models that don't fit — `check`'s list and the app's headline.

use super::grid::{deepseek_models, model_fits, RuntimeChoice};
use super::suggest::{smallest_changes, Change};
use super::verdict::VerdictLevel;
use super::weights::{quality_bits, same_architecture};
use super::Fit;
use crate::catalog::schema::{ModelEntry, Tuning};
use crate::catalog::Catalog;
use crate::hardware::Machine;
use crate::lang::Lang;

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

/// For each DeepSeek model (catalog order = strongest first): its [`best_fit`].
pub fn best_per_model<'a>(
    catalog: &'a Catalog,
    machine: &'a Machine,
    runtime: RuntimeChoice,
    context: u32,
) -> Vec<ModelResult<'a>> {
    let mut out = Vec::new();
    for model in deepseek_models(catalog) {
        if let Some(fit) = best_fit(model_fits(catalog, model, machine, runtime, context)) {
            out.push(ModelResult {
                fit,
                changes: Vec::new(),
            });
        }
    }
    // Best verdict first; within a level, chat models before base, R1-Zero and prover
    // checkpoints (which do not answer like an assistant), then catalog order (strength).
    out.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.fit.verdict.level),
            r.fit.model.tuning != Tuning::Chat,
        )
    });
    out
}

/// Of one model's fits in its quants, the one to recommend: the best verdict, ties going to more
/// quality bits, then speed; for a model that fits nowhere, the smallest quant. Quants too coarse
/// for the model's size and F32 are never chosen.
pub fn best_fit<'a>(fits: impl Iterator<Item = Fit<'a>>) -> Option<Fit<'a>> {
    fits.filter(|f| f.quant.body_bpw >= MIN_SENSIBLE_BPW || f.params.total() >= LOW_BIT_FROM_PARAMS)
        // F32 doubles BF16's memory for no gain: never a choice.
        .filter(|f| f.quant.body_bpw <= 16.0)
        .max_by(better)
}

/// Orders two fits of one model, the better last: the verdict, then (where it runs usably) held
/// in memory before streamed from disk, the quality, the speed and the smaller file; below a usable speed the speed; among misfits the
/// smaller file, closest to fitting.
pub fn better(a: &Fit, b: &Fit) -> std::cmp::Ordering {
    let fitted = |f: &Fit| f.verdict.level != VerdictLevel::DoesNotFit;
    // Quality stops growing at Q8_0 ("practically lossless") and at a model's released
    // width: more bits only cost speed.
    let quality = |f: &Fit| quality_bits(f.model, &f.params, f.quant);
    a.verdict.level.cmp(&b.verdict.level).then_with(|| {
        if a.verdict.level == VerdictLevel::Slow {
            // Below a usable speed, speed is what matters.
            a.speed.decode.total_cmp(&b.speed.decode)
        } else if fitted(a) {
            // Held in memory beats streamed from disk: a streamed speed rests on the hot-expert
            // cache's hit rate and its band is wide. Then equal quality: the faster, the smaller.
            let in_memory = |f: &Fit| !f.placement.kind.streams_from_disk();
            in_memory(a)
                .cmp(&in_memory(b))
                .then_with(|| quality(a).total_cmp(&quality(b)))
                .then_with(|| a.speed.decode.total_cmp(&b.speed.decode))
                .then_with(|| b.weights.bytes.total_cmp(&a.weights.bytes))
        } else {
            // Among misfits the smallest is closest to fitting.
            b.weights.bytes.total_cmp(&a.weights.bytes)
        }
    })
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

/// Why `estimate` without `--quant` chose the quant it did (the choice is [`best_fit`]'s, as in
/// `check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantChoice {
    /// The best quant that runs on the machine.
    BestThatRuns,
    /// Nothing runs: the quant closest to fitting (the smallest).
    ClosestToFitting,
}

impl QuantChoice {
    pub fn of(fit: &Fit) -> QuantChoice {
        if fit.verdict.level == VerdictLevel::DoesNotFit {
            QuantChoice::ClosestToFitting
        } else {
            QuantChoice::BestThatRuns
        }
    }

    /// The spelling in JSON.
    pub fn json_name(self) -> &'static str {
        match self {
            QuantChoice::BestThatRuns => "best_that_runs",
            QuantChoice::ClosestToFitting => "closest_to_fitting",
        }
    }

    /// One sentence: how the quant was chosen and how to choose another.
    pub fn reason(self, lang: Lang) -> &'static str {
        match self {
            QuantChoice::BestThatRuns => lang.pick(
                "what `check` picks: the best verdict on this machine, then held in memory before streamed from disk, then quality, then speed (--quant picks another)",
                "与 `check` 的选择相同：先看本机上的结论，再优先放在内存中而非从磁盘流式读取，再看质量，再看速度（用 --quant 指定其他量化）",
            ),
            QuantChoice::ClosestToFitting => lang.pick(
                "nothing runs on this machine, so what `check` shows: the quant closest to fitting (--quant picks another)",
                "本机运行不了任何量化版本，因此与 `check` 相同，选最接近装下的一个（用 --quant 指定其他量化）",
            ),
        }
    }
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
