//! How many requests one server of the deployment serves, from the estimator: the largest
//! concurrency that meets the workload's service level (per-user speed and time to first token)
//! and fits the KV cache pool, with speculative decoding where the runtime offers it.

use super::cluster::{wide_ep, NoDisaggregation, WideEp};
use super::inputs::CostInputs;
use crate::catalog::schema::SpeculativeKind;
use crate::catalog::Catalog;
use crate::estimate::kv::KvCacheType;
use crate::estimate::serving::{self, Limit, Miss, RequestShape, ServiceLevel};
use crate::estimate::{speculative_offered, FitOptions};
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

/// One server's capacity for the deployment and workload.
pub fn server_capacity(inputs: &CostInputs) -> Capacity {
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
    }
    best
}
