//! The estimator (DESIGN.md §3): memory, placement, speed and verdict for one model × quant ×
//! context × runtime on one machine. Pure functions; no allocation on the common path so the
//! app can recompute the whole grid every frame.

pub mod best;
pub mod calibration;
pub mod correction;
pub mod disk;
pub mod expert_cache;
pub mod explain;
pub mod grid;
pub mod kv;
pub mod memory;
pub mod parallelism;
pub mod params;
pub mod placement;
pub mod precision;
pub mod serving;
pub mod speed;
pub mod suggest;
pub mod tiers;
pub mod verdict;
pub mod weights;

use crate::catalog::schema::{
    ModelEntry, QuantEntry, Runtime, SpeculativeKind, SupportLevel, Vendor,
};
use crate::hardware::Machine;
use kv::{KvCache, KvCacheType};
use params::ParamCounts;
use placement::{Needs, Placement, Routing};
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
    /// `Auto` = the runtime's default for the model.
    pub kv_type: KvCacheType,
    /// Speculative decoding with the checkpoint's MTP layers or DSpark module; `None` = off.
    pub speculative: Option<SpeculativeKind>,
    /// Keep the routed experts in RAM even when the GPUs could hold them (llama.cpp `--cpu-moe`),
    /// leaving GPU memory for context.
    pub experts_on_cpu: bool,
}

impl FitOptions {
    /// One sequence at `context` on `runtime`, default KV type, no speculative decoding.
    pub fn new(runtime: Runtime, context: u32) -> FitOptions {
        FitOptions {
            runtime,
            context,
            concurrency: 1,
            kv_type: KvCacheType::Auto,
            speculative: None,
            experts_on_cpu: false,
        }
    }
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
    /// The KV cache type used (`options.kv_type` with `Auto` resolved).
    pub kv_type: KvCacheType,
    /// KV cache of one sequence at the full context.
    pub kv_bytes_per_sequence: f64,
    /// Bytes the cache grows by per token (beyond V4's sliding window), for display.
    pub kv_slope: f64,
    /// KV cache for all sequences (`kv_bytes_per_sequence` × concurrency).
    pub kv_bytes: f64,
    /// The model files against the free disk space.
    pub disk: disk::DiskCheck,
    pub placement: Placement,
    /// Speeds after the fitted correction (`correction`), bands from its residuals.
    pub speed: Speed,
    /// The fitted correction and band applied to each quantity of this setup.
    pub correction: correction::Correction,
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
    /// A file made for other models (ds4's GGUFs, the V4 release formats).
    NotPublishedForModel,
    /// A mixed recipe for MoE models asked of a dense model.
    MoeRecipeOnDense,
    RuntimeNotForModel,
    KtransformersNeedsMoe,
    ZeroContext,
    ContextTooLong,
    BadConcurrency,
    KvTypeUnsupported,
    SpeculativeUnsupported,
    ExpertsOnCpuUnsupported,
}

/// Whether `runtime` runs `model` (its support matrix; an empty matrix allows every runtime).
pub fn runtime_runs(model: &ModelEntry, runtime: Runtime) -> bool {
    model.runtimes.is_empty() || model.runtimes.iter().any(|r| r.runtime == runtime)
}

/// Speculative decoding `runtime` offers for `model`.
pub fn speculative_offered(model: &ModelEntry, runtime: Runtime) -> &[SpeculativeKind] {
    model
        .runtimes
        .iter()
        .find(|r| r.runtime == runtime)
        .map_or(&[], |r| r.speculative.as_slice())
}

/// The first reason `quant` and `options` do not make sense for `model`, if any.
pub fn problem(model: &ModelEntry, quant: &QuantEntry, o: &FitOptions) -> Option<Problem> {
    if !runtime_runs(model, o.runtime) {
        Some(Problem::RuntimeNotForModel)
    } else if !quant.runtimes.contains(&o.runtime) {
        Some(Problem::RuntimeCannotLoad)
    } else if !quant.only_for.is_empty() && !quant.only_for.iter().any(|m| m == &model.id) {
        Some(Problem::NotPublishedForModel)
    } else if quant.moe_only && model.arch.moe.is_none() {
        Some(Problem::MoeRecipeOnDense)
    } else if o.runtime == Runtime::Ktransformers && model.arch.moe.is_none() {
        Some(Problem::KtransformersNeedsMoe)
    } else if o.context == 0 {
        Some(Problem::ZeroContext)
    } else if o.context > model.arch.max_context {
        Some(Problem::ContextTooLong)
    } else if o.concurrency == 0 || o.concurrency > MAX_CONCURRENCY {
        Some(Problem::BadConcurrency)
    } else if !o.kv_type.supported(&model.arch, o.runtime) {
        Some(Problem::KvTypeUnsupported)
    } else if o
        .speculative
        .is_some_and(|k| !speculative_offered(model, o.runtime).contains(&k))
    {
        Some(Problem::SpeculativeUnsupported)
    } else if o.experts_on_cpu
        && (model.arch.moe.is_none()
            || !matches!(o.runtime, Runtime::LlamaCpp | Runtime::Ktransformers))
    {
        Some(Problem::ExpertsOnCpuUnsupported)
    } else {
        None
    }
}

/// Whether `quant` is a file people publish for `model`: any quant of a model whose files converters
/// make freely, only the listed ones of a model with a fixed set of releases (V4). Others are
/// estimated by formula and said to be "not a file we know of".
pub fn is_known_file(model: &ModelEntry, quant: &QuantEntry) -> bool {
    model.quants.is_empty()
        || model
            .quants
            .iter()
            .any(|q| q.eq_ignore_ascii_case(&quant.id))
}

/// Quants tried without being asked for (grid, `check`, `buy`): the model's published files,
/// leaving out the types offered only on request.
pub fn offered_by_default(model: &ModelEntry, quant: &QuantEntry) -> bool {
    is_known_file(model, quant) && !quant.on_request
}

/// Runtimes that only run on some GPUs: a machine without one is refused, naming what it needs.
pub fn machine_problem(runtime: Runtime, machine: &Machine) -> Option<FitError> {
    let has = |vendors: &[Vendor]| {
        machine
            .gpus
            .iter()
            .any(|g| vendors.contains(&g.spec.vendor))
    };
    let message = match runtime {
        Runtime::Mlx if !has(&[Vendor::Apple]) => "mlx runs on Apple Silicon only",
        Runtime::TensorrtLlm if !has(&[Vendor::Nvidia]) => {
            "tensorrt-llm runs on NVIDIA data-centre and workstation GPUs only"
        }
        Runtime::Ds4 if !has(&[Vendor::Apple, Vendor::Nvidia, Vendor::Amd]) => {
            "ds4 needs an Apple Silicon, NVIDIA (CUDA) or AMD (ROCm) GPU"
        }
        _ => return None,
    };
    Some(FitError {
        argument: "--runtime",
        message: message.into(),
    })
}

/// The runtimes that run `model`, with the version that first did: `vllm (v0.20.0)`.
pub fn runtimes_that_run(model: &ModelEntry) -> String {
    model
        .runtimes
        .iter()
        .map(|r| match r.level {
            SupportLevel::Mainline => format!("{} ({})", r.runtime.cli_name(), r.since),
            SupportLevel::Fork => format!("{} (fork: {})", r.runtime.cli_name(), r.since),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks that `quant` and `options` make sense for `model`; the messages name the argument.
pub fn validate(model: &ModelEntry, quant: &QuantEntry, o: &FitOptions) -> Result<(), FitError> {
    let Some(p) = problem(model, quant, o) else {
        return Ok(());
    };
    let (argument, message) = match p {
        Problem::RuntimeNotForModel => {
            let cloud = if o.runtime == Runtime::Ollama && !model.ollama_cloud_tags.is_empty() {
                format!(
                    "Ollama offers it only as a cloud model ({}), which runs on Ollama's servers; local support is unverified. ",
                    model.ollama_cloud_tags.join(", ")
                )
            } else {
                String::new()
            };
            (
                "--runtime",
                format!(
                    "{} does not run {}. {cloud}Runtimes that do: {}",
                    o.runtime.cli_name(),
                    model.id,
                    runtimes_that_run(model)
                ),
            )
        }
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
                "{} files are made only for {}{}",
                quant.id,
                quant.only_for.join(", "),
                if model.quants.is_empty() {
                    String::new()
                } else {
                    format!("; files of {}: {}", model.id, model.quants.join(", "))
                }
            ),
        ),
        Problem::MoeRecipeOnDense => (
            "--quant",
            format!(
                "{} is a recipe for mixture-of-experts models (experts and the rest at different widths); {} is dense",
                quant.id, model.id
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
                "{} does not offer a {} KV cache for {}; it offers: {}",
                o.runtime.cli_name(),
                o.kv_type,
                model.id,
                KvCacheType::offered(&model.arch, o.runtime)
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Problem::ExpertsOnCpuUnsupported => (
            "--cpu-moe",
            if model.arch.moe.is_none() {
                format!("{} has no experts (a dense model)", model.id)
            } else {
                format!(
                    "{} cannot keep experts in RAM; llama.cpp and ktransformers can",
                    o.runtime.cli_name()
                )
            },
        ),
        Problem::SpeculativeUnsupported => {
            let offered: Vec<&str> = speculative_offered(model, o.runtime)
                .iter()
                .map(|k| k.cli_name())
                .collect();
            (
                "--speculative",
                format!(
                    "{} offers no {} speculative decoding for {}; {}",
                    o.runtime.cli_name(),
                    o.speculative.map_or("", |k| k.cli_name()),
                    model.id,
                    if offered.is_empty() {
                        "use --speculative off".to_string()
                    } else {
                        format!("it offers: {}", offered.join(", "))
                    }
                ),
            )
        }
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
    if let Some(e) = machine_problem(options.runtime, machine) {
        return Err(e);
    }
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
    let fitted = correction::Fitted::get();
    fit_corrected(
        model,
        quant,
        machine,
        options,
        params,
        weights,
        fitted,
        correction::Era::CURRENT,
    )
}

/// `fit` with the corrections of `fitted` for software of `era`: what the cross-validation asks
/// for a measured point (each fold its own fit; the measurement's year).
pub fn fit_measured<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
    fitted: &correction::Fitted,
    era: correction::Era,
) -> Result<Fit<'a>, FitError> {
    validate(model, quant, &options)?;
    if let Some(e) = machine_problem(options.runtime, machine) {
        return Err(e);
    }
    let params = params::count(&model.arch);
    let weights = weights::weights(model, &params, quant);
    Ok(fit_corrected(
        model, quant, machine, options, params, weights, fitted, era,
    ))
}

#[allow(clippy::too_many_arguments)]
fn fit_corrected<'a>(
    model: &'a ModelEntry,
    quant: &'a QuantEntry,
    machine: &Machine,
    options: FitOptions,
    params: ParamCounts,
    weights: Weights,
    fitted: &correction::Fitted,
    era: correction::Era,
) -> Fit<'a> {
    let arch = &model.arch;
    let kv_type = options.kv_type.resolve(arch, options.runtime);
    let cache = KvCache::new(arch, options.runtime, kv_type);
    let kv_per_sequence = cache.bytes(f64::from(options.context));
    let kv_bytes = kv_per_sequence * f64::from(options.concurrency);
    let needs = Needs {
        weights: weights.bytes,
        routed: weights.routed_expert_bytes,
        routed_active_fraction: params.routed_active_fraction,
        embed_output: weights.embed_bytes + weights.output_bytes,
        side_tables: weights.engram_bytes,
        experts_on_cpu: options.experts_on_cpu,
        kv: kv_bytes,
        compute_buffer: memory::compute_buffer_bytes(arch, options.runtime),
        routing: arch.moe.as_ref().map_or(Routing::default(), |m| Routing {
            moe_layers: params.moe_layers,
            experts: m.routed_experts,
            per_token: m.experts_per_token,
            zipf: model
                .expert_popularity_zipf
                .unwrap_or(expert_cache::DEFAULT_ROUTING_ZIPF),
        }),
    };
    let placement = placement::place(arch, &needs, machine, options.runtime);
    let physical = speed::speed(
        &SpeedInputs {
            arch,
            params: &params,
            weights: &weights,
            quant,
            cache: &cache,
            runtime: options.runtime,
            context: options.context,
            concurrency: options.concurrency,
            speculative: options.speculative,
        },
        &placement,
        machine,
    );
    let per_token = weights.dense_streamed_bytes()
        + weights.routed_expert_bytes * params.routed_active_fraction;
    let setup = correction::Setup::of(
        &placement,
        machine,
        &options,
        (params.routed_experts > 0.0, per_token / 1e9),
        era,
    );
    let correction = correction::Correction::of(fitted, setup, correction::hardware_type(machine));
    let speed = correct(physical, &correction, options.concurrency);
    let disk = disk::check(&weights, &placement, machine);
    let verdict = verdict::judge(&placement, weights.bytes + kv_bytes, &speed, &disk);
    Fit {
        model,
        quant,
        options,
        params,
        weights,
        kv_type,
        kv_bytes_per_sequence: kv_per_sequence,
        kv_slope: cache.slope(),
        kv_bytes,
        disk,
        placement,
        speed,
        correction,
        verdict,
    }
}

/// The physical model's speeds corrected by the fit, with the decode band from its residuals.
fn correct(s: Speed, c: &correction::Correction, concurrency: u32) -> Speed {
    use correction::Quantity;
    let d = c.get(Quantity::Decode);
    let decode = s.decode * d.factor;
    Speed {
        decode,
        decode_low: decode * d.low,
        decode_high: decode * d.high,
        prefill: s.prefill * c.get(Quantity::Prefill).factor,
        aggregate: if concurrency > 1 {
            s.aggregate * c.get(Quantity::Batched).factor
        } else {
            decode
        },
    }
}
