//! What a saved measurement does to the estimates for the machine it was made on — a separate,
//! named step after the estimator, never inside its speed formula:
//!
//! * for the measured model and quant the estimate's decode speed becomes the measured one
//!   (scaled to the estimate's context by the formula), with the measured spread as its band,
//!   and the measured prefill replaces the estimated one;
//! * every other estimate on that machine that uses the same kind of placement (GPU, offload,
//!   CPU, …) and the same family of runtime is multiplied by this machine's factor, measured ÷
//!   estimated decode speed of the measured model, and says so.
//!
//! The verdict is judged again on the corrected speed.

use super::run::{BenchReport, LevelResult};
use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::estimate::placement::PlacementKind;
use crate::estimate::verdict::{judge, speed_range};
use crate::estimate::{fit, Fit, FitOptions};
use crate::hardware::Machine;
use crate::lang::Lang;

/// Whether the estimate is the measured model itself or another one on the same machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The measured model and quant.
    Measured,
    /// Another model, scaled by this machine's factor.
    Adjusted,
}

/// A correction for one estimate and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub basis: Basis,
    /// Measured ÷ estimated decode speed of the measured model on this machine.
    pub factor: f64,
    /// Measured ÷ estimated prefill (applied to the measured model only).
    pub prefill_factor: f64,
    /// The measurement: catalog model, quant, server kind, date, and the figures compared.
    pub model: String,
    pub quant: String,
    pub server: &'static str,
    pub date: String,
    pub measured_tok_s: f64,
    pub estimated_tok_s: f64,
    /// The measured decode spread ÷ its median (for the measured model's band).
    pub spread: (f64, f64),
}

/// Smallest measured model whose measured ÷ estimated speed adjusts other models: below about
/// 1 GB of weights, per-token overheads (sampling, thread hand-offs, streaming) rather than
/// memory bandwidth set the speed (the smallest DeepSeek distill at Q4_K_M is 1.1 GB).
pub const MIN_BASIS_WEIGHTS_BYTES: f64 = 1e9;

/// Runtimes that share kernels and so share this machine's efficiency.
fn family(r: Runtime) -> u8 {
    match r {
        Runtime::LlamaCpp | Runtime::Ollama => 0,
        Runtime::Vllm | Runtime::Sglang | Runtime::TensorrtLlm => 1,
        other => 2 + other as u8,
    }
}

/// The level to compare with the estimator: the fewest users (normally 1).
fn base_level(r: &BenchReport) -> Option<&LevelResult> {
    r.results
        .iter()
        .filter(|l| l.decode_tok_s > 0.0)
        .min_by_key(|l| l.concurrency)
}

/// The estimator's figures for what a report measured, on this machine, at its conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimated {
    /// What was estimated: a catalog model id, or the file the server loaded.
    pub model: String,
    pub quant: String,
    pub runtime: Runtime,
    pub placement: PlacementKind,
    /// Per-user decode speed at the compared level's users, with the band, tokens/s.
    pub decode_tok_s: f64,
    pub decode_tok_s_low: f64,
    pub decode_tok_s_high: f64,
    pub prefill_tok_s: f64,
    /// Weights read per token, bytes (the measured model's size).
    pub weights_bytes: f64,
    /// The compared level.
    pub level: LevelResult,
}

fn estimated(f: &Fit, model: String, quant: String, level: &LevelResult) -> Option<Estimated> {
    if f.placement.kind == PlacementKind::DoesNotFit || f.speed.decode <= 0.0 {
        return None;
    }
    // Above one user the estimator's per-user speed is the aggregate shared out.
    let share = if level.concurrency > 1 {
        f.speed.aggregate / f64::from(level.concurrency) / f.speed.decode
    } else {
        1.0
    };
    Some(Estimated {
        model,
        quant,
        runtime: f.options.runtime,
        placement: f.placement.kind,
        decode_tok_s: f.speed.decode * share,
        decode_tok_s_low: f.speed.decode_low * share,
        decode_tok_s_high: f.speed.decode_high * share,
        prefill_tok_s: f.speed.prefill,
        weights_bytes: f.weights.bytes,
        level: level.clone(),
    })
}

/// The estimate of what `report` measured on `machine`: from the catalog model it maps to, else
/// (a model the catalog lacks) from the weights file the server loaded, when that file is on
/// this machine. `None` when neither is known or the estimator refuses it.
pub fn estimate_of(report: &BenchReport, machine: &Machine) -> Option<Estimated> {
    let catalog = Catalog::get();
    let runtime = report.server.kind.runtime()?;
    let level = base_level(report)?;
    let options = |max_context: u32| FitOptions {
        concurrency: level.concurrency,
        ..FitOptions::new(
            runtime,
            (report.prompt_tokens + report.max_tokens).clamp(1, max_context.max(1)),
        )
    };
    if let (Some(m), Some(q)) = (&report.server.catalog_model, &report.server.quant) {
        let model = catalog.model(m).ok()?;
        let quant = catalog.quant(q).ok()?;
        let f = fit(model, quant, machine, options(model.arch.max_context)).ok()?;
        return estimated(&f, model.id.clone(), quant.id.clone(), level);
    }
    let path = std::path::Path::new(report.server.model_path.as_deref()?);
    if report.server.catalog_model.is_some() || !path.is_file() {
        return None;
    }
    let e = crate::modelfile::evaluate::evaluate_path(path).ok()?;
    let max_context = e.model.as_ref().ok()?.arch.max_context;
    let f = e.fit(machine, options(max_context)).ok()?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    estimated(&f, name, e.quant.id.clone(), level)
}

/// The correction for `estimate` from the measurements saved for this machine (newest first):
/// the measured model itself first, else the newest measurement on a like placement and
/// runtime family. `None` when nothing applies.
pub fn correction(estimate: &Fit, machine: &Machine, saved: &[BenchReport]) -> Option<Correction> {
    if estimate.placement.kind == PlacementKind::DoesNotFit {
        return None;
    }
    let exact = |r: &&BenchReport| {
        r.server.catalog_model.as_deref() == Some(estimate.model.id.as_str())
            && r.server.quant.as_deref() == Some(estimate.quant.id.as_str())
    };
    let ordered = saved
        .iter()
        .filter(exact)
        .chain(saved.iter().filter(|r| !exact(r)));
    for r in ordered {
        let Some(est) = estimate_of(r, machine) else {
            continue;
        };
        let basis = if exact(&r) {
            Basis::Measured
        } else {
            Basis::Adjusted
        };
        let like = est.placement == estimate.placement.kind
            && family(est.runtime) == family(estimate.options.runtime);
        // A model smaller than this is limited by per-token overheads, not memory bandwidth:
        // its ratio says nothing about larger models and adjusts none.
        if basis == Basis::Adjusted && (!like || est.weights_bytes < MIN_BASIS_WEIGHTS_BYTES) {
            continue;
        }
        let level = &est.level;
        let factor = level.decode_tok_s / est.decode_tok_s;
        let prefill_factor = if level.prefill_tok_s > 0.0 && est.prefill_tok_s > 0.0 {
            level.prefill_tok_s / est.prefill_tok_s
        } else {
            1.0
        };
        let spread = (
            level.decode_tok_s_range.0 / level.decode_tok_s,
            level.decode_tok_s_range.1 / level.decode_tok_s,
        );
        if !(factor.is_finite() && factor > 0.0 && prefill_factor.is_finite()) {
            continue;
        }
        return Some(Correction {
            basis,
            factor,
            prefill_factor,
            model: est.model,
            quant: est.quant,
            server: r.server.kind.display(),
            date: r.date.clone(),
            measured_tok_s: level.decode_tok_s,
            estimated_tok_s: est.decode_tok_s,
            spread,
        });
    }
    None
}

/// The estimate with the correction applied and its verdict judged again.
pub fn apply<'a>(estimate: &Fit<'a>, c: &Correction) -> Fit<'a> {
    let mut f = *estimate;
    let s = &mut f.speed;
    s.decode *= c.factor;
    s.aggregate *= c.factor;
    match c.basis {
        Basis::Measured => {
            s.decode_low = s.decode * c.spread.0.min(1.0);
            s.decode_high = s.decode * c.spread.1.max(1.0);
            s.prefill *= c.prefill_factor;
        }
        Basis::Adjusted => {
            s.decode_low *= c.factor;
            s.decode_high *= c.factor;
        }
    }
    f.verdict = judge(
        &f.placement,
        f.weights.bytes + f.kv_bytes,
        &f.speed,
        &f.disk,
    );
    f
}

impl Correction {
    /// One sentence: "measured on this machine …" or "adjusted by your measurement of …".
    pub fn sentence(&self, lang: Lang) -> String {
        let (m, e) = (self.measured_tok_s, self.estimated_tok_s);
        match (self.basis, lang) {
            (Basis::Measured, Lang::En) => format!(
                "Measured on this machine with {} on {}: {} tok/s (the formula said {e:.1}); speeds use the measurement.",
                self.server,
                self.date,
                speed_range(m * self.spread.0, m * self.spread.1)
            ),
            (Basis::Measured, Lang::Zh) => format!(
                "已在本机用 {} 实测（{}）：{} tok/s（公式估算为 {e:.1}）；速度采用实测值。",
                self.server,
                self.date,
                speed_range(m * self.spread.0, m * self.spread.1)
            ),
            (Basis::Adjusted, Lang::En) => format!(
                "Adjusted by your measurement of {} {} with {} on {}: this machine runs at {:.0}% of the formula's speed ({m:.1} measured, {e:.1} estimated).",
                self.model,
                self.quant,
                self.server,
                self.date,
                self.factor * 100.0
            ),
            (Basis::Adjusted, Lang::Zh) => format!(
                "已按你在本机对 {} {} 的实测（{}，{}）校正：本机速度为公式估算的 {:.0}%（实测 {m:.1}，估算 {e:.1}）。",
                self.model,
                self.quant,
                self.server,
                self.date,
                self.factor * 100.0
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::store::tests::{profile, report};

    fn machine() -> Machine {
        Machine::from_profile(&profile(), Catalog::get()).unwrap()
    }

    fn estimate<'a>(model: &str, quant: &str, m: &Machine) -> Fit<'a> {
        let c = Catalog::get();
        let model = c.model(model).unwrap();
        let quant = c.quant(quant).unwrap();
        fit(model, quant, m, FitOptions::new(Runtime::Ollama, 8192)).unwrap()
    }

    #[test]
    fn the_measured_model_takes_the_measurement_and_others_the_factor() {
        let m = machine();
        let qwen7 = estimate("deepseek-r1-distill-qwen-7b", "Q4_K_M", &m);
        let qwen14 = estimate("deepseek-r1-distill-qwen-14b", "Q4_K_M", &m);
        assert_eq!(qwen7.placement.kind, PlacementKind::Cpu);
        // The formula's own speed at the bench's short context, then a measurement at 80% of it.
        let at_bench = estimate_of(&report("deepseek-r1:7b", "Q4_K_M", 1.0), &m).unwrap();
        let saved = [report(
            "deepseek-r1:7b",
            "Q4_K_M",
            0.8 * at_bench.decode_tok_s,
        )];

        let c = correction(&qwen7, &m, &saved).unwrap();
        assert_eq!(c.basis, Basis::Measured);
        assert!((c.factor - 0.8).abs() < 1e-9, "{}", c.factor);
        let fixed = apply(&qwen7, &c);
        assert!((fixed.speed.decode / qwen7.speed.decode - 0.8).abs() < 1e-9);
        // The band is the measured spread (±5%), not the formula's.
        assert!((fixed.speed.decode_high / fixed.speed.decode - 1.05).abs() < 1e-9);
        assert!(c
            .sentence(Lang::En)
            .starts_with("Measured on this machine with Ollama on 2026-12-06"));

        let c14 = correction(&qwen14, &m, &saved).unwrap();
        assert_eq!(c14.basis, Basis::Adjusted);
        assert!((c14.factor - 0.8).abs() < 1e-9);
        let fixed14 = apply(&qwen14, &c14);
        assert!((fixed14.speed.decode_low / qwen14.speed.decode_low - 0.8).abs() < 1e-9);
        let s = c14.sentence(Lang::En);
        assert!(
            s.starts_with("Adjusted by your measurement of deepseek-r1-distill-qwen-7b Q4_K_M"),
            "{s}"
        );
        assert!(s.contains("80%"), "{s}");
        assert!(c14.sentence(Lang::Zh).contains("实测"));
    }

    #[test]
    fn nothing_applies_across_placements_runtimes_or_to_unknown_models() {
        let m = machine();
        let qwen14 = estimate("deepseek-r1-distill-qwen-14b", "Q4_K_M", &m);
        // An unknown model has no estimate to compare with: it corrects nothing.
        let mut unknown = report("tiny-random", "Q4_K_M", 50.0);
        unknown.server.catalog_model = None;
        assert!(correction(&qwen14, &m, &[unknown]).is_none());
        // Measured on vLLM: a llama.cpp-family estimate is not scaled by it.
        let mut vllm = report("deepseek-r1:7b", "Q4_K_M", 5.0);
        vllm.server.kind = crate::bench::ServerKind::Vllm;
        assert!(correction(&qwen14, &m, &[vllm]).is_none());
        assert!(correction(&qwen14, &m, &[]).is_none());
    }
}
