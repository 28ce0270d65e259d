//! How a cluster is built (DESIGN.md §4, serving.md): independent replicas of one server, or a
//! disaggregated deployment — prefill nodes and decode nodes with wide expert parallelism across
//! nodes, as SGLang, vLLM, TensorRT-LLM/Dynamo and DeepSeek run it. Per-GPU throughputs come from
//! measured deployments; the layout is chosen by volume and cost.

use super::capacity::Capacity;
use super::inputs::CostInputs;
use crate::catalog::schema::{DeviceClass, GpuEntry, Runtime, Vendor};
use crate::catalog::Catalog;
use crate::estimate::parallelism::{self, Shape};
use crate::estimate::params::{self, ParamCounts};

/// GPUs per node of a data-centre server.
pub const GPUS_PER_NODE: u32 = 8;

/// Smallest disaggregated deployment: four nodes (one prefill + three decode). The smallest
/// published wide-EP deployment is Dynamo + TensorRT-LLM on 32 B200 (12 prefill + 20 decode
/// GPUs, serving.csv); below that, replicas of one server do as well.
pub const MIN_DISAGGREGATED_NODES: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Independent copies of one server behind a load balancer.
    Replicas,
    /// Prefill and decode on separate nodes, experts spread over the decode nodes (wide EP).
    Disaggregated,
}

impl Layout {
    pub fn json_name(self) -> &'static str {
        match self {
            Layout::Replicas => "replicas",
            Layout::Disaggregated => "disaggregated",
        }
    }
}

/// A measured wide-EP decode deployment: output tok/s per decode GPU at a per-user speed, for a
/// model of 37.5B active parameters (DeepSeek V3/R1).
#[derive(Debug, Clone, Copy)]
struct DecodeAnchor {
    /// Catalog GPU ids it applies to.
    gpus: &'static [&'static str],
    tok_s_per_gpu: f64,
    per_user_tok_s: f64,
}

/// serving.csv, serving.md §Patterns 2: DeepSeek's production (H800, EP144, 20–22 tok/s/user,
/// ≈1,850 output tok/s per decode GPU; RTP-LLM reproduced it on 144 H800); LMSYS on 72 decode
/// H100 (2,785 at ≈11 tok/s/user); vLLM wide-EP on H200 (≈2,200); Ant's 16 H20 (675 at 21 tok/s
/// with MTP); Dynamo + TensorRT-LLM on B200 (200,244 tok/s on 20 decode GPUs at 21.3 tok/s/user,
/// 2026-01); SGLang on 48 GB200 decode GPUs (363,984 tok/s, ≈7,583 each).
const ANCHORS: [DecodeAnchor; 6] = [
    DecodeAnchor {
        gpus: &["h800-sxm", "a800-80gb-sxm"],
        tok_s_per_gpu: 1850.0,
        per_user_tok_s: 20.0,
    },
    DecodeAnchor {
        gpus: &["h100-sxm", "h100-nvl", "h100-pcie"],
        tok_s_per_gpu: 2785.0,
        per_user_tok_s: 11.0,
    },
    DecodeAnchor {
        gpus: &["h200-sxm", "gh200"],
        tok_s_per_gpu: 2200.0,
        per_user_tok_s: 20.0,
    },
    DecodeAnchor {
        gpus: &["h20", "h20-3e"],
        tok_s_per_gpu: 675.0,
        per_user_tok_s: 21.1,
    },
    DecodeAnchor {
        gpus: &["b200-sxm", "b300"],
        tok_s_per_gpu: 10012.0,
        per_user_tok_s: 21.3,
    },
    DecodeAnchor {
        gpus: &["gb200"],
        tok_s_per_gpu: 7583.0,
        per_user_tok_s: 20.0,
    },
];

/// How per-GPU decode throughput trades against per-user speed: LMSYS's H100 at 11 tok/s/user
/// (2,785) against DeepSeek's H800 at 20 (1,850) gives throughput proportional to speed^−0.68.
const SPEED_EXPONENT: f64 = 0.68;
/// Active parameters of the model the anchors were measured on (DeepSeek V3/R1).
const ANCHOR_ACTIVE: f64 = 37.5e9;

/// Prefill input tok/s per GPU for V3/R1: LMSYS's 32 prefill H100 processed 218,172 tok/s of
/// 2,000-token prompts (serving.csv): 6,818 per GPU at 1,979 FP8 TFLOPS.
const PREFILL_TOK_S_PER_GPU: f64 = 6818.0;
const PREFILL_ANCHOR_TFLOPS: f64 = 1979.0;

/// Whether a wide-EP disaggregated deployment is built on this GPU: data-centre HBM GPUs of the
/// vendors whose engines implement it (NVIDIA; AMD with SGLang + MoRI).
pub fn supports_disaggregation(gpu: &GpuEntry) -> bool {
    gpu.class == DeviceClass::DatacenterHbm && matches!(gpu.vendor, Vendor::Nvidia | Vendor::Amd)
}

/// Output tok/s per decode GPU at `per_user_tok_s` for a model with `params`: the anchor of the
/// GPU (else the H200's, scaled by memory bandwidth), scaled by active parameters and speed.
pub fn decode_tok_s_per_gpu(gpu: &GpuEntry, params: &ParamCounts, per_user_tok_s: f64) -> f64 {
    let (anchor, scale) = match ANCHORS.iter().find(|a| a.gpus.contains(&gpu.id.as_str())) {
        Some(a) => (a, 1.0),
        None => (&ANCHORS[2], gpu.mem_bw_gbs / 4800.0),
    };
    let active = params.active().max(1e9);
    let speed = (anchor.per_user_tok_s / per_user_tok_s.max(1.0)).powf(SPEED_EXPONENT);
    anchor.tok_s_per_gpu * scale * (ANCHOR_ACTIVE / active) * speed
}

/// Input tok/s per prefill GPU for a model with `params`, scaled by FP8 (else FP16) TFLOPS.
pub fn prefill_tok_s_per_gpu(gpu: &GpuEntry, params: &ParamCounts) -> f64 {
    let tflops = gpu.fp8_tflops.unwrap_or(gpu.fp16_tflops);
    let active = params.active().max(1e9);
    PREFILL_TOK_S_PER_GPU * (tflops / PREFILL_ANCHOR_TFLOPS) * (ANCHOR_ACTIVE / active)
}

/// What a wide-EP deployment of the inputs' model gets per GPU, and the nodes one copy of the
/// weights needs: fixed for a deployment, so computed once per plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WideEp {
    /// Output tok/s per decode GPU at the service level's per-user speed.
    pub decode_tok_s_per_gpu: f64,
    /// Input tok/s per prefill GPU.
    pub prefill_tok_s_per_gpu: f64,
    /// Nodes of `GPUS_PER_NODE` GPUs that hold one copy of the weights (each side has at least
    /// these).
    pub min_nodes_each: u32,
    /// The model's shape: each side's GPUs must divide its routed experts (the parallelism
    /// planner's rule), so node counts are rounded up to ones that do.
    pub shape: Shape,
}

/// A disaggregated deployment sized for a load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disaggregated {
    pub prefill_gpus: u32,
    pub decode_gpus: u32,
    /// Nodes of `GPUS_PER_NODE` GPUs, at least `MIN_DISAGGREGATED_NODES`.
    pub nodes: u32,
    pub decode_tok_s_per_gpu: f64,
}

/// The prefill and decode nodes for `output_tok_s` of decode and `input_tok_s` of prompts to
/// prefill, at least `MIN_DISAGGREGATED_NODES` in all and `min_nodes_each` per side.
pub fn size_disaggregated(
    w: &WideEp,
    input_tok_s: f64,
    output_tok_s: f64,
) -> Option<Disaggregated> {
    if !(w.decode_tok_s_per_gpu > 0.0 && w.prefill_tok_s_per_gpu > 0.0) {
        return None;
    }
    let per_node = f64::from(GPUS_PER_NODE);
    let min_each = f64::from(w.min_nodes_each.max(1));
    let nodes_for = |gpus: f64| (gpus / per_node).ceil().max(min_each);
    let prefill_nodes = nodes_for(input_tok_s.max(0.0) / w.prefill_tok_s_per_gpu);
    let mut decode_nodes = nodes_for(output_tok_s.max(0.0) / w.decode_tok_s_per_gpu);
    let min = f64::from(MIN_DISAGGREGATED_NODES);
    if prefill_nodes + decode_nodes < min {
        decode_nodes = min - prefill_nodes;
    }
    if !(prefill_nodes + decode_nodes).is_finite() || prefill_nodes + decode_nodes > 1e6 {
        return None;
    }
    // Each side as the planner builds it: expert parallelism over all its GPUs.
    let side = |n: f64| parallelism::wide_ep_nodes(&w.shape, GPUS_PER_NODE, n as u32);
    let (prefill_nodes, decode_nodes) = (side(prefill_nodes)?, side(decode_nodes)?);
    let nodes = prefill_nodes + decode_nodes;
    Some(Disaggregated {
        prefill_gpus: prefill_nodes * GPUS_PER_NODE,
        decode_gpus: decode_nodes * GPUS_PER_NODE,
        nodes,
        decode_tok_s_per_gpu: w.decode_tok_s_per_gpu,
    })
}

/// Why a workload's cluster is built from replicas only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDisaggregation {
    /// Wide expert parallelism needs data-centre HBM GPUs with RDMA (NVIDIA, or AMD with SGLang).
    Gpu,
    /// A dense model has no experts to spread over decode nodes.
    DenseModel,
    /// Prefill/decode disaggregation is built (and exported) with SGLang and its router only.
    Runtime,
    /// One server of the deployment cannot serve the model at the service level.
    DoesNotServe,
}

impl NoDisaggregation {
    /// Why, in a sentence's tail: "replicas only: …".
    pub fn describe(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            NoDisaggregation::Gpu => lang.pick(
                "wide expert parallelism needs data-centre GPUs with RDMA",
                "宽专家并行需要带 RDMA 的数据中心 GPU",
            ),
            NoDisaggregation::DenseModel => lang.pick(
                "a dense model has no experts to spread over decode nodes",
                "稠密模型没有可分布到解码节点的专家",
            ),
            NoDisaggregation::Runtime => lang.pick(
                "prefill/decode disaggregation is built with SGLang and its router only (the deployment this tool can write)",
                "预填充/解码分离只按 SGLang 及其路由器构建（本工具可导出的部署）",
            ),
            NoDisaggregation::DoesNotServe => lang.pick(
                "one server cannot serve the model at the service level",
                "单台服务器无法在服务水平内运行该模型",
            ),
        }
    }

    pub fn json_name(self) -> &'static str {
        match self {
            NoDisaggregation::Gpu => "gpu",
            NoDisaggregation::DenseModel => "dense_model",
            NoDisaggregation::Runtime => "runtime",
            NoDisaggregation::DoesNotServe => "does_not_serve",
        }
    }
}

/// Share of a node's GPU memory one copy of the weights may take (the rest holds KV cache and
/// activations): an instance spans as many nodes as the weights need at this share.
const WEIGHT_SHARE_OF_NODE: f64 = 0.8;

/// Whether the inputs' deployment can be built as a wide-EP disaggregated cluster, with its
/// per-GPU rates; or why it is built from replicas only.
pub fn wide_ep(inputs: &CostInputs) -> Result<WideEp, NoDisaggregation> {
    let c = Catalog::get();
    let d = &inputs.deployment;
    if d.runtime != Runtime::Sglang {
        return Err(NoDisaggregation::Runtime);
    }
    let (Ok(model), Ok(quant), Ok(gpu)) = (c.model(&d.model), c.quant(&d.quant), c.gpu(&d.gpu))
    else {
        return Err(NoDisaggregation::DoesNotServe);
    };
    if !supports_disaggregation(gpu) {
        return Err(NoDisaggregation::Gpu);
    }
    let p = params::count(&model.arch);
    if p.routed_experts <= 0.0 {
        return Err(NoDisaggregation::DenseModel);
    }
    let weights = crate::estimate::weights::weights(model, &p, quant).bytes;
    let node_bytes = f64::from(GPUS_PER_NODE) * gpu.vram_gb * 1e9 * WEIGHT_SHARE_OF_NODE;
    let shape = Shape::of(&model.arch);
    if parallelism::wide_ep_nodes(&shape, GPUS_PER_NODE, 1).is_none() {
        return Err(NoDisaggregation::DenseModel);
    }
    Ok(WideEp {
        decode_tok_s_per_gpu: decode_tok_s_per_gpu(gpu, &p, inputs.workload.min_user_tok_s),
        prefill_tok_s_per_gpu: prefill_tok_s_per_gpu(gpu, &p),
        min_nodes_each: (weights / node_bytes).ceil().clamp(1.0, 64.0) as u32,
        shape,
    })
}

/// The disaggregated deployment for the inputs' busiest hour, or why the cluster is built from
/// replicas only. Cheap: the per-GPU rates come with the capacity.
pub fn disaggregated_for(
    inputs: &CostInputs,
    cap: &Capacity,
) -> Result<Disaggregated, NoDisaggregation> {
    if !cap.serves() {
        return Err(NoDisaggregation::DoesNotServe);
    }
    let rates = cap.wide_ep?;
    let w = &inputs.workload;
    let peak_rps = w.requests_per_day / 86_400.0 * w.peak_to_average;
    size_disaggregated(
        &rates,
        peak_rps * w.input_tokens,
        peak_rps * w.output_tokens,
    )
    .ok_or(NoDisaggregation::DoesNotServe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::estimate::params;

    fn r1() -> ParamCounts {
        params::count(&Catalog::get().model("deepseek-r1").unwrap().arch)
    }

    #[test]
    fn anchors_reproduce_the_measured_deployments() {
        let c = Catalog::get();
        // DeepSeek's H800 production at 20 tok/s/user: 1,850 per decode GPU (R1's 37.5B active).
        let h800 = c.gpu("h800-sxm").unwrap();
        let v = decode_tok_s_per_gpu(h800, &r1(), 20.0);
        assert!((v - 1850.0).abs() / 1850.0 < 0.02, "{v}");
        // Slower users, more throughput: LMSYS's H100 at 11 tok/s.
        assert!(decode_tok_s_per_gpu(h800, &r1(), 11.0) > v);
        // V4-Flash has a third of R1's active parameters: about 2.7× the tokens per GPU.
        let flash = params::count(&c.model("deepseek-v4-flash").unwrap().arch);
        let f = decode_tok_s_per_gpu(h800, &flash, 20.0);
        assert!((f / v - 37.5 / 13.8).abs() < 0.1, "{}", f / v);
    }

    #[test]
    fn a_small_load_still_gets_the_minimum_unit_and_a_big_one_scales() {
        let c = Catalog::get();
        let h200 = c.gpu("h200-sxm").unwrap();
        let rates = WideEp {
            decode_tok_s_per_gpu: decode_tok_s_per_gpu(h200, &r1(), 20.0),
            prefill_tok_s_per_gpu: prefill_tok_s_per_gpu(h200, &r1()),
            min_nodes_each: 1,
            shape: Shape::of(&c.model("deepseek-r1").unwrap().arch),
        };
        let small = size_disaggregated(&rates, 1_000.0, 1_000.0).unwrap();
        // One prefill node + three decode nodes, rounded to four: 24 GPUs do not divide R1's 256
        // experts, 32 do.
        assert_eq!((small.prefill_gpus, small.decode_gpus), (8, 32));
        for side in [small.prefill_gpus, small.decode_gpus, big_side(&rates)] {
            assert_eq!(256 % side, 0, "{side}");
        }
        assert_eq!(small.prefill_gpus + small.decode_gpus, 8 * small.nodes);
        let big = size_disaggregated(&rates, 500_000.0, 400_000.0).unwrap();
        assert!(big.decode_gpus >= (400_000.0 / rates.decode_tok_s_per_gpu) as u32);
        assert!(big.prefill_gpus >= (500_000.0 / rates.prefill_tok_s_per_gpu) as u32);
        // A model that needs two nodes per copy gets at least two on each side.
        let wide = WideEp {
            min_nodes_each: 2,
            ..rates
        };
        let two = size_disaggregated(&wide, 1_000.0, 1_000.0).unwrap();
        assert!(two.prefill_gpus >= 16 && two.decode_gpus >= 16);
    }

    fn big_side(rates: &WideEp) -> u32 {
        size_disaggregated(rates, 500_000.0, 400_000.0)
            .unwrap()
            .decode_gpus
    }

    #[test]
    fn consumer_cards_dense_models_and_llama_cpp_build_replicas() {
        use crate::catalog::schema::Currency;
        let mut i = CostInputs::defaults(Currency::Usd);
        assert!(wide_ep(&i).is_ok(), "V4-Flash on H200 with SGLang");
        i.deployment.gpu = "rtx-4090".into();
        assert_eq!(wide_ep(&i), Err(NoDisaggregation::Gpu));
        let mut dense = CostInputs::defaults(Currency::Usd);
        dense.deployment.model = "deepseek-r1-distill-qwen-32b".into();
        dense.deployment.quant = "AWQ".into();
        assert_eq!(wide_ep(&dense), Err(NoDisaggregation::DenseModel));
        for runtime in [Runtime::LlamaCpp, Runtime::Vllm, Runtime::TensorrtLlm] {
            let mut other = CostInputs::defaults(Currency::Usd);
            other.deployment.runtime = runtime;
            assert_eq!(
                wide_ep(&other),
                Err(NoDisaggregation::Runtime),
                "{runtime:?}"
            );
        }
    }
}
