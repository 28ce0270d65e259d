//! How many requests one server of the deployment serves, from the estimator: the largest
//! concurrency that meets the workload's service level (per-user speed and time to first token)
//! and fits the KV cache pool, with speculative decoding where the runtime offers it.

use super::cluster::{wide_ep, NoDisaggregation, WideEp, GPUS_PER_NODE};
use super::inputs::CostInputs;
use crate::catalog::schema::SpeculativeKind;
use crate::catalog::Catalog;
use crate::estimate::kv::KvCacheType;
use crate::estimate::parallelism;
use crate::estimate::serving::{self, Limit, Miss, RequestShape, ServiceLevel};
use crate::estimate::{speculative_offered, FitOptions};
use crate::evidence::nearest::{nearest, Near, Query, SHOWN};
use crate::evidence::setup::unexpressible;
use crate::evidence::Evidence;
use crate::hardware::machine::parse_gpu_arg;
use crate::hardware::Machine;

/// A serving machine's host: RAM and CPU (UNVERIFIED typical dual-socket server; only matters
/// for runtimes that offload).
pub const SERVER_RAM_GB: f64 = 1024.0;
pub const SERVER_CPU_BW_GBS: f64 = 460.8;
pub const SERVER_CORES: u32 = 96;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    /// Sequences decoded together at the chosen point.
    pub concurrency: u32,
    /// Output tokens per second of one server at that concurrency.
    pub output_tok_s: f64,
    /// Decode speed each user sees.
    pub per_user_tok_s: f64,
    /// Prompt tokens per second (prefill) of one server.
    pub prefill_tok_s: f64,
    /// Requests per second one server sustains.
    pub requests_per_s: f64,
    /// Time to first token at that concurrency, seconds (queueing for the prefill included).
    pub ttft_s: f64,
    /// Sequences of the workload's context the KV cache pool holds.
    pub max_concurrency_by_memory: u32,
    /// Speculative decoding used (the faster of off and what the runtime offers).
    pub speculative: Option<SpeculativeKind>,
    /// What stops the server from taking more users.
    pub limit: Option<Limit>,
    /// Why it serves no one at the service level (`None` when it serves).
    pub miss: Option<Miss>,
    /// What a disaggregated wide-EP cluster of this deployment gets per GPU, or why it cannot be
    /// built (then clusters are replicas).
    pub wide_ep: Result<WideEp, NoDisaggregation>,
    /// Copies of the model one server runs side by side (data parallelism where the GPUs hold
    /// more than one tensor-parallel group, as the parallelism planner lays it out); the
    /// throughput figures above include them.
    pub copies: u32,
}

impl Default for Capacity {
    /// Serves no one; a cluster would be replicas.
    fn default() -> Self {
        Capacity {
            concurrency: 0,
            output_tok_s: 0.0,
            per_user_tok_s: 0.0,
            prefill_tok_s: 0.0,
            requests_per_s: 0.0,
            ttft_s: 0.0,
            max_concurrency_by_memory: 0,
            speculative: None,
            limit: None,
            miss: None,
            wide_ep: Err(NoDisaggregation::DoesNotServe),
            copies: 1,
        }
    }
}

impl Capacity {
    /// True when one server can serve the model at the service level.
    pub fn serves(&self) -> bool {
        self.requests_per_s > 0.0
    }
}

/// The context a server allocates for the workload: prompt + answer, rounded up to 1,024 tokens
/// and capped at the model's maximum (the deployment export starts servers with the same).
pub fn serving_context(inputs: &CostInputs, max_context: u32) -> u32 {
    let w = &inputs.workload;
    ((w.input_tokens + w.output_tokens)
        .ceil()
        .min(f64::from(u32::MAX)) as u32)
        .div_ceil(1024)
        .max(1)
        .saturating_mul(1024)
        .min(max_context)
}

/// The machine one server of the deployment is: its GPUs and a typical host.
pub fn server_machine(inputs: &CostInputs) -> Option<Machine> {
    let c = Catalog::get();
    let d = &inputs.deployment;
    let group = parse_gpu_arg(c, &format!("{}:{}", d.gpu, d.gpus_per_server)).ok()?;
    if group.is_unified() {
        // Boxes whose GPU shares their memory (`dgx-spark` × 4): each box as sold.
        return Machine::from_parts(vec![group], None, None, None).ok();
    }
    Machine::from_parts(
        vec![group],
        Some(SERVER_RAM_GB),
        Some(SERVER_CPU_BW_GBS),
        Some(SERVER_CORES),
    )
    .ok()
}

/// One measured concurrency level of a server: what each user and the whole server got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasuredPoint {
    pub concurrency: u32,
    pub per_user_tok_s: f64,
    pub aggregate_tok_s: f64,
    pub ttft_s: f64,
    /// The prompt length the first-token time was measured with, tokens.
    pub prompt_tokens: u32,
}

/// A server's measured multi-user curve and where it comes from ("bench on …, 2026-12-06").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasuredCurve {
    pub points: Vec<MeasuredPoint>,
    pub source: String,
}

/// The capacity a measured curve gives at the workload's service level: the most users measured
/// whose per-user speed and first-token time (scaled to the workload's prompt length) meet it.
/// Beyond the largest level measured nothing is assumed; the KV pool bound stays the estimator's.
pub fn measured_capacity(
    curve: &MeasuredCurve,
    inputs: &CostInputs,
    estimated: &Capacity,
) -> Capacity {
    let w = &inputs.workload;
    let mut points = curve.points.clone();
    points.sort_by_key(|p| p.concurrency);
    let mut best = Capacity {
        max_concurrency_by_memory: estimated.max_concurrency_by_memory,
        wide_ep: estimated.wide_ep,
        ..Capacity::default()
    };
    for p in points.iter().filter(|p| p.per_user_tok_s > 0.0) {
        let ttft = p.ttft_s * (w.input_tokens / f64::from(p.prompt_tokens.max(1))).max(1.0);
        let limit = if p.per_user_tok_s < w.min_user_tok_s {
            Some(Limit::Speed)
        } else if ttft > w.max_ttft_s {
            Some(Limit::FirstToken)
        } else if estimated.max_concurrency_by_memory > 0
            && p.concurrency > estimated.max_concurrency_by_memory
        {
            Some(Limit::Memory)
        } else {
            None
        };
        if let Some(l) = limit {
            if best.serves() {
                best.limit = Some(l);
            } else {
                best.miss = Some(match l {
                    Limit::FirstToken => Miss::FirstTokenTooSlow { ttft_s: ttft },
                    Limit::Memory => Miss::DoesNotFit,
                    _ => Miss::TooSlow {
                        per_user_tok_s: p.per_user_tok_s,
                    },
                });
            }
            break;
        }
        let c = f64::from(p.concurrency);
        best = Capacity {
            concurrency: p.concurrency,
            output_tok_s: p.aggregate_tok_s,
            per_user_tok_s: p.per_user_tok_s,
            prefill_tok_s: estimated.prefill_tok_s,
            requests_per_s: c / (ttft + w.output_tokens.max(1.0) / p.per_user_tok_s),
            ttft_s: ttft,
            // The largest level measured: more users were not tried.
            limit: Some(Limit::Ceiling),
            miss: None,
            speculative: None,
            ..best
        };
    }
    best
}

/// One server's capacity for the deployment and workload: from its measured curve when there is
/// one, else from the estimator.
pub fn server_capacity(inputs: &CostInputs) -> Capacity {
    let estimated = estimated_capacity(inputs);
    match &inputs.measured {
        Some(curve) => measured_capacity(curve, inputs, &estimated),
        None => estimated,
    }
}

/// One server's capacity for the deployment and workload, from the estimator.
fn estimated_capacity(inputs: &CostInputs) -> Capacity {
    let c = Catalog::get();
    let d = &inputs.deployment;
    let w = &inputs.workload;
    let (Ok(model), Ok(quant), Some(machine)) =
        (c.model(&d.model), c.quant(&d.quant), server_machine(inputs))
    else {
        return Capacity::default();
    };
    let shape = RequestShape {
        input_tokens: w.input_tokens,
        output_tokens: w.output_tokens,
    };
    let level = ServiceLevel {
        min_user_tok_s: w.min_user_tok_s,
        max_ttft_s: w.max_ttft_s,
    };
    let template = FitOptions {
        kv_type: KvCacheType::Auto,
        ..FitOptions::new(d.runtime, serving_context(inputs, model.arch.max_context))
    };
    // A combination the estimator refuses (a quant not published for the model, a runtime that
    // does not run it) serves no one: the plan prices nothing the export would refuse.
    if crate::estimate::fit(model, quant, &machine, template).is_err()
        || server_layout(inputs, &model.arch).is_err()
    {
        return Capacity::default();
    }
    let mut best = Capacity::default();
    for speculative in std::iter::once(None).chain(
        speculative_offered(model, d.runtime)
            .iter()
            .map(|k| Some(*k)),
    ) {
        let options = FitOptions {
            speculative,
            ..template
        };
        match serving::capacity(model, quant, &machine, options, shape, level) {
            Ok(s) if s.point.requests_per_s > best.requests_per_s => {
                best = Capacity {
                    concurrency: s.point.concurrency,
                    output_tok_s: s.point.aggregate_tok_s,
                    per_user_tok_s: s.point.per_user_tok_s,
                    prefill_tok_s: s.fit.speed.prefill,
                    requests_per_s: s.point.requests_per_s,
                    ttft_s: s.point.ttft_s,
                    max_concurrency_by_memory: s.max_by_memory,
                    speculative,
                    limit: Some(s.limit),
                    miss: None,
                    wide_ep: best.wide_ep,
                    copies: 1,
                }
            }
            Ok(_) => {}
            // Keep the reason without speculative decoding: it is the plainer one.
            Err(miss) if speculative.is_none() => best.miss = Some(miss),
            Err(_) => {}
        }
    }
    if best.serves() {
        best.miss = None;
        best.wide_ep = wide_ep(inputs);
        best.copies = server_layout(inputs, &model.arch).map_or(1, |l| l.data.max(1));
        if best.copies > 1 {
            let k = best.copies;
            best.concurrency = best.concurrency.saturating_mul(k);
            best.max_concurrency_by_memory = best.max_concurrency_by_memory.saturating_mul(k);
            let f = f64::from(k);
            best.output_tok_s *= f;
            best.prefill_tok_s *= f;
            best.requests_per_s *= f;
        }
    }
    best
}

/// The measurements one server's capacity rests on: the nearest measured points to the
/// deployment (its model, quant, runtime and GPUs) at the capacity's concurrency, serving ones
/// first; only measurements the cross-validation scores.
pub fn capacity_evidence(inputs: &CostInputs, c: &Capacity) -> Vec<Near<'static>> {
    let catalog = Catalog::get();
    let d = &inputs.deployment;
    let (Ok(model), Ok(quant), Some(machine)) = (
        catalog.model(&d.model),
        catalog.quant(&d.quant),
        server_machine(inputs),
    ) else {
        return Vec::new();
    };
    let q = Query::new(model, quant, d.runtime, &machine, c.concurrency.max(2));
    // A capacity never rests on a point the cross-validation does not score: a claim or bound the
    // catalog excludes, or a setup the estimator cannot express (a multi-node deployment).
    nearest(&q, &[Evidence::get()], usize::MAX)
        .into_iter()
        .filter(|n| n.point.exclude.is_none() && unexpressible(n.point).is_none())
        .take(SHOWN)
        .collect()
}

/// How one server of the deployment splits the model over its GPUs (nodes of at most
/// `GPUS_PER_NODE`): the parallelism planner's layout, which the export writes too.
pub fn server_layout(
    inputs: &CostInputs,
    arch: &crate::catalog::schema::Architecture,
) -> Result<parallelism::Layout, parallelism::Unplannable> {
    let d = &inputs.deployment;
    let nodes = d.gpus_per_server.div_ceil(GPUS_PER_NODE).max(1);
    parallelism::plan(
        &parallelism::Shape::of(arch),
        d.runtime,
        parallelism::Role::Serve,
        d.gpus_per_server / nodes,
        nodes,
    )
}
