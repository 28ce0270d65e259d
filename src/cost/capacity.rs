//! How many requests one server of the deployment serves, from the estimator: the largest
//! concurrency whose per-user speed still meets the latency target, and its throughput.

use super::inputs::CostInputs;
use crate::catalog::Catalog;
use crate::estimate::kv::KvCacheType;
use crate::estimate::placement::PlacementKind;
use crate::estimate::{fit, FitOptions};
use crate::hardware::machine::parse_gpu_arg;
use crate::hardware::Machine;

/// A serving machine's host: RAM and CPU (UNVERIFIED typical dual-socket server; only matters
/// for runtimes that offload).
pub const SERVER_RAM_GB: f64 = 1024.0;
pub const SERVER_CPU_BW_GBS: f64 = 460.8;
pub const SERVER_CORES: u32 = 96;

/// Concurrency levels tried.
const CONCURRENCY: [u32; 10] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

#[derive(Debug, Clone, Copy, PartialEq, Default)]
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
}

impl Capacity {
    /// True when one server can serve the model at all.
    pub fn serves(&self) -> bool {
        self.requests_per_s > 0.0
    }
}

/// One server's capacity for the deployment and workload.
pub fn server_capacity(inputs: &CostInputs) -> Capacity {
    let c = Catalog::get();
    let d = &inputs.deployment;
    let w = &inputs.workload;
    let (Ok(model), Ok(quant)) = (c.model(&d.model), c.quant(&d.quant)) else {
        return Capacity::default();
    };
    let Ok(group) = parse_gpu_arg(c, &format!("{}:{}", d.gpu, d.gpus_per_server)) else {
        return Capacity::default();
    };
    let Ok(machine) = Machine::from_parts(
        vec![group],
        Some(SERVER_RAM_GB),
        Some(SERVER_CPU_BW_GBS),
        Some(SERVER_CORES),
    ) else {
        return Capacity::default();
    };
    let context = ((w.input_tokens + w.output_tokens).ceil() as u32)
        .div_ceil(1024)
        .max(1)
        .saturating_mul(1024)
        .min(model.arch.max_context);
    let mut best = Capacity::default();
    for b in CONCURRENCY {
        let Ok(f) = fit(
            model,
            quant,
            &machine,
            FitOptions {
                runtime: d.runtime,
                context,
                concurrency: b,
                kv_type: KvCacheType::Auto,
                speculative: None,
                experts_on_cpu: false,
            },
        ) else {
            break;
        };
        if f.placement.kind == PlacementKind::DoesNotFit {
            break;
        }
        let per_user = f.speed.aggregate / f64::from(b);
        if per_user < w.min_user_tok_s && b > 1 {
            break;
        }
        if f.speed.aggregate > best.output_tok_s {
            let prefill = f.speed.prefill.max(1e-9);
            let seconds_per_request =
                w.input_tokens / prefill + w.output_tokens / f.speed.aggregate.max(1e-9);
            best = Capacity {
                concurrency: b,
                output_tok_s: f.speed.aggregate,
                per_user_tok_s: per_user,
                prefill_tok_s: f.speed.prefill,
                requests_per_s: if seconds_per_request > 0.0 {
                    1.0 / seconds_per_request
                } else {
                    0.0
                },
            };
        }
    }
    best
}
