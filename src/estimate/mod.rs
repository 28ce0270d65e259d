//! The estimator (DESIGN.md §3): memory, placement, speed and verdict for one model × quant ×
//! context × runtime on one machine. Pure functions; no allocation on the common path so the
//! app can recompute the whole grid every frame.

pub mod best;
pub mod calibration;
pub mod grid;
pub mod kv;
pub mod memory;
pub mod params;
pub mod placement;
pub mod speed;
pub mod suggest;
pub mod verdict;
pub mod weights;

use crate::catalog::schema::{ModelEntry, QuantEntry, Runtime};
use crate::hardware::Machine;
use kv::{KvCacheType, MlaLayout};
use params::ParamCounts;
use placement::{Needs, Placement};
use speed::{Speed, SpeedInputs};
use std::fmt;
use verdict::Verdict;
use weights::Weights;

/// Largest concurrency accepted (sequences decoded together).
pub const MAX_CONCURRENCY: u32 = 65_536;

/// What to estimate besides model, quant and machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitOptions {
    pub runtime: Runtime,
    /// Context window the runtime allocates, tokens.
    pub context: u32,
    /// Sequences decoded together.
    pub concurrency: u32,
    pub kv_type: KvCacheType,
}

/// Input the estimator refuses, naming the argument.
#[derive(Debug, Clone, PartialEq)]
pub struct FitError {
    pub argument: &'static str,
    pub message: String,
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.argument, self.message)
    }
}

impl std::error::Error for FitError {}

/// The complete estimate.
#[derive(Debug, Clone, Copy)]
pub struct Fit<'a> {
    pub model: &'a ModelEntry,
    pub quant: &'a QuantEntry,
    pub options: FitOptions,
    pub params: ParamCounts,
    pub weights: Weights,
    pub kv_bytes_per_token: f64,
    /// KV cache for context × concurrency.
    pub kv_bytes: f64,
    pub placement: Placement,
    pub speed: Speed,
    pub verdict: Verdict,
}

impl Fit<'_> {
    pub fn overhead_bytes(&self) -> f64 {
        self.placement.overhead.total()
    }

    pub fn total_bytes(&self) -> f64 {
        self.weights.bytes + self.kv_bytes + self.overhead_bytes()
    }
}

/// Why an estimate is refused (cheap to compute; the message is built only when shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    RuntimeCannotLoad,
    NotPublishedForModel,
    KtransformersNeedsMoe,
    ZeroContext,
    ContextTooLong,
    BadConcurrency,
    KvTypeUnsupported,
}

/// The first reason `quant` and `options` do not make sense for `model`, if any.
pub fn problem(model: &ModelEntry, quant: &QuantEntry, o: &FitOptions) -> Option<Problem> {
    if !quant.runtimes.contains(&o.runtime) {
        Some(Problem::RuntimeCannotLoad)
    } else if !quant.only_for.is_empty() && !quant.only_for.iter().any(|m| m == &model.id) {
        Some(Problem::NotPublishedForModel)
    } else if o.runtime == Runtime::Ktransformers && model.arch.moe.is_none() {
        Some(Problem::KtransformersNeedsMoe)
    } else if o.context == 0 {
        Some(Problem::ZeroContext)
    } else if o.context > model.arch.max_context {
        Some(Problem::ContextTooLong)
    } else if o.concurrency == 0 || o.concurrency > MAX_CONCURRENCY {
        Some(Problem::BadConcurrency)
    } else if !o.kv_type.supported_by(o.runtime) {
        Some(Problem::KvTypeUnsupported)
    } else {
        None
    }
}

/// Checks that `quant` and `options` make sense for `model`; the messages name the argument.
pub fn validate(model: &ModelEntry, quant: &QuantEntry, o: &FitOptions) -> Result<(), FitError> {
    let Some(p) = problem(model, quant, o) else {
        return Ok(());
    };
    let (argument, message) = match p {
        Problem::RuntimeCannotLoad => {
            let can: Vec<&str> = quant.runtimes.iter().map(|r| r.cli_name()).collect();
            (
                "--quant",
                format!(
                    "{} cannot load {} files; runtimes that can: {}",
                    o.runtime.cli_name(),
                    quant.id,
                    can.join(", ")
                ),
            )
        }
        Problem::NotPublishedForModel => (
            "--quant",
            format!(
                "{} is published only for {}",
                quant.id,
                quant.only_for.join(", ")
            ),
        ),
        Problem::KtransformersNeedsMoe => (
            "--runtime",
            format!("ktransformers runs MoE models only; {} is dense", model.id),
        ),
        Problem::ZeroContext => ("--context", "must be at least 1 token".into()),
        Problem::ContextTooLong => (
            "--context",
            format!(
                "{} exceeds the maximum context of {}: {} tokens",
                o.context, model.id, model.arch.max_context
            ),
        ),
        Problem::BadConcurrency => (
            "--concurrency",
            format!(
                "must be between 1 and {MAX_CONCURRENCY}, got {}",
                o.concurrency
            ),
        ),
        Problem::KvTypeUnsupported => (
            "--kv-cache",
            format!(
                "{} does not offer a {} KV cache",
                o.runtime.cli_name(),
                o.kv_type
            ),
        ),
    };
    Err(FitError { argument, message })
}

/// Estimates memory, placement, speed and verdict.
pub fn fit<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
) -> Result<Fit<'a>, FitError> {
    validate(model, quant, &options)?;
    let params = params::count(&model.arch);
    Ok(fit_with_params(model, quant, machine, options, params))
}

/// `fit` for options already validated and parameters already counted (the grid's inner loop).
pub fn fit_with_params<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
    params: ParamCounts,
) -> Fit<'a> {
    let weights = weights::weights(model, &params, quant);
    fit_with_weights(model, quant, machine, options, params, weights)
}

/// `fit_with_params` with the weights measured elsewhere (a model file's exact bytes by group).
pub fn fit_with_weights<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
    params: ParamCounts,
    weights: Weights,
) -> Fit<'a> {
    let arch = &model.arch;
    let kv_per_token = kv::bytes_per_token(
        arch,
        MlaLayout::for_runtime(options.runtime),
        options.kv_type,
    );
    let kv_bytes = kv_per_token * f64::from(options.context) * f64::from(options.concurrency);
    let needs = Needs {
        weights: weights.bytes,
        routed: weights.routed_expert_bytes,
        routed_active_fraction: params.routed_active_fraction,
        embed_output: weights.embed_bytes + weights.output_bytes,
        kv: kv_bytes,
        compute_buffer: memory::compute_buffer_bytes(arch, options.runtime),
    };
    let placement = placement::place(arch, &needs, machine, options.runtime);
    let speed = speed::speed(
        &SpeedInputs {
            arch,
            params: &params,
            weights: &weights,
            quant,
            kv_per_token,
            runtime: options.runtime,
            context: options.context,
            concurrency: options.concurrency,
        },
        &placement,
        machine,
    );
    let verdict = verdict::judge(&placement, weights.bytes + kv_bytes, &speed);
    Fit {
        model,
        quant,
        options,
        params,
        weights,
        kv_bytes_per_token: kv_per_token,
        kv_bytes,
        placement,
        speed,
        verdict,
    }
}
