//! Decode, prefill and aggregate speed from a memory-bandwidth / compute roofline over the
//! devices a placement uses, with efficiencies from `calibration`.

use super::calibration::{self, Band, TpLink};
use super::kv::KvCache;
use super::params::ParamCounts;
use super::placement::{Placement, PlacementKind, Split};
use super::tiers::CacheHome;
use super::weights::Weights;
use crate::catalog::schema::{
    Architecture, ComputePrecision, GpuEntry, QuantEntry, Runtime, SpeculativeKind,
};
use crate::hardware::Machine;

/// A device (or tensor-parallel group) that holds a share of the model, in layer order.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// Achievable memory bandwidth, bytes/s (low, mid, high).
    bw: Band,
    /// Achievable compute in prefill, FLOP/s (low, mid, high).
    flops: Band,
    /// Achievable compute in batched decode, FLOP/s: serving engines' small per-expert GEMMs run
    /// far below peak (`calibration::decode_compute_efficiency`); others as `flops`.
    decode_flops: Band,
    /// Bytes read every step whatever the batch: attention, dense FFN, shared experts, head.
    dense_bytes: f64,
    /// Routed-expert bytes read here as if resident (a batch touches a fraction of them): for a
    /// hot-expert cache, the streamed experts × its hit rate (or, on the disk, × the misses).
    routed_bytes: f64,
    /// `routed_bytes` at the low end of the band (a cache without locality).
    routed_low: f64,
    /// Share of the KV cache and attention compute held here.
    kv_share: f64,
    /// Achievable bandwidth reading the KV cache (sparse-attention kernels run below streaming).
    kv_bw: Band,
    /// Share of the non-routed active FLOPs computed here.
    dense_flop_share: f64,
    /// Share of the routed-expert FLOPs computed here.
    routed_flop_share: f64,
    /// System memory (or the disk) rather than a GPU.
    on_cpu: bool,
    /// Bytes a 512-token prompt reads from disk (experts the caches do not hold).
    prefill_disk_bytes: f64,
}

/// Speeds, tokens per second.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Speed {
    pub decode: f64,
    pub decode_low: f64,
    pub decode_high: f64,
    /// Prompt processing of a 512-token prompt (pp512 convention).
    pub prefill: f64,
    /// Output tokens per second over all sequences at the requested concurrency.
    pub aggregate: f64,
}

fn band_scale(b: Band, x: f64) -> Band {
    Band::new(b.low * x, b.mid * x, b.high * x)
}

fn gpu_peak_flops(spec: &GpuEntry, quant: &QuantEntry) -> f64 {
    let tflops = match quant.compute {
        ComputePrecision::Fp8 => spec.fp8_tflops.unwrap_or(spec.fp16_tflops),
        ComputePrecision::Int8 => spec.int8_tops.unwrap_or(spec.fp16_tflops),
        ComputePrecision::Fp16 => spec.fp16_tflops,
    };
    tflops * 1e12
}

fn gpu_segment(spec: &GpuEntry, count: f64, runtime: Runtime, quant: &QuantEntry) -> (Band, Band) {
    let eff = match calibration::serving_bandwidth_efficiency(spec.class, spec.vendor, runtime) {
        Some(serving) => serving,
        None => {
            let eff =
                calibration::gpu_bandwidth_efficiency(spec.class, spec.vendor, spec.mem_bw_gbs);
            let f = calibration::runtime_bandwidth_factor(runtime, spec.class);
            Band::new(eff.low * f.low, eff.mid * f.mid, eff.high * f.high)
        }
    };
    let bw = band_scale(eff, spec.mem_bw_gbs * 1e9 * count);
    let flops = band_scale(
        calibration::prefill_efficiency(spec.class, runtime),
        gpu_peak_flops(spec, quant) * count,
    );
    (bw, flops)
}

/// Batched-decode compute of a GPU segment: serving engines running an MoE model reach only
/// `calibration::decode_compute_efficiency` (many small per-expert GEMMs); dense models and the
/// other runtimes batch like prefill.
fn decode_flops(spec: &GpuEntry, count: f64, inp: &SpeedInputs, flops: Band) -> Band {
    let moe = inp.params.routed_experts > 0.0;
    let (runtime, quant) = (inp.runtime, inp.quant);
    if runtime.is_serving_engine() && moe {
        band_scale(
            calibration::decode_compute_efficiency(spec.vendor),
            gpu_peak_flops(spec, quant) * count,
        )
    } else {
        flops
    }
}

fn cpu_segment(machine: &Machine, runtime: Runtime, moe: bool) -> (Band, Band) {
    let bw = band_scale(
        calibration::cpu_bandwidth_efficiency(runtime, moe),
        machine.cpu_mem_bw_gbs * 1e9,
    );
    let flops = band_scale(
        calibration::cpu_gflops_per_core(runtime),
        f64::from(machine.cpu_cores) * 1e9,
    );
    (bw, flops)
}

/// Inputs of the speed model that come from memory estimation.
pub struct SpeedInputs<'a> {
    pub arch: &'a Architecture,
    pub params: &'a ParamCounts,
    pub weights: &'a Weights,
    pub quant: &'a QuantEntry,
    pub cache: &'a KvCache<'a>,
    pub runtime: Runtime,
    pub context: u32,
    pub concurrency: u32,
    pub speculative: Option<SpeculativeKind>,
}

/// Up to one segment per GPU group plus the CPU and the disk.
const MAX_SEGMENTS: usize = 10;

struct Segments {
    items: [Option<Segment>; MAX_SEGMENTS],
    len: usize,
    /// Tensor-parallel group size (1 otherwise): per-layer synchronisation latency applies.
    tp: u32,
    /// What the tensor-parallel GPUs synchronise over.
    link: TpLink,
    /// MoE layers whose experts the CPU computes: a GPU↔CPU hand-off per layer and token.
    cpu_expert_layers: u32,
    /// MoE layers whose experts stream into a GPU-side cache: a host round trip per layer.
    streamed_layers: u32,
    /// Boxes of a small-box cluster passing a token along in layer split (llama.cpp RPC): each
    /// boundary costs one network exchange (`link`).
    pipeline_boxes: u32,
    runtime: Runtime,
}

impl Segments {
    fn push(&mut self, mut s: Segment) {
        if self.len < MAX_SEGMENTS {
            s.kv_bw = band_scale(s.bw, calibration::attention_read_factor(self.runtime));
            self.items[self.len] = Some(s);
            self.len += 1;
        }
    }
    fn iter(&self) -> impl Iterator<Item = &Segment> {
        self.items[..self.len].iter().flatten()
    }
}

/// A segment on a device with no expert streaming: the routed bytes at both ends of the band.
#[allow(clippy::too_many_arguments)]
fn resident(
    bw: Band,
    flops: Band,
    decode_flops: Band,
    dense_bytes: f64,
    routed_bytes: f64,
    share: f64,
    routed_share: f64,
    on_cpu: bool,
) -> Segment {
    Segment {
        bw,
        flops,
        decode_flops,
        dense_bytes,
        routed_bytes,
        routed_low: routed_bytes,
        kv_share: share,
        kv_bw: Band::new(1.0, 1.0, 1.0),
        dense_flop_share: share,
        routed_flop_share: routed_share,
        on_cpu,
        prefill_disk_bytes: 0.0,
    }
}

/// What the tensor-parallel devices of `group` talk over: the cluster's network between boxes,
/// else NVLink-class links (≥ 100 GB/s), else PCIe.
fn tp_link(placement: &Placement, machine: &Machine) -> TpLink {
    match machine.node_link().filter(|_| placement.nodes > 1) {
        Some(l) => TpLink::Network {
            latency_s: l.latency_s,
            bytes_per_s: l.bytes_per_s,
        },
        None if machine.gpus[placement.group]
            .spec
            .link_gbs
            .is_some_and(|l| l >= 100.0) =>
        {
            TpLink::Nvlink
        }
        None => TpLink::Pcie,
    }
}

fn build_segments(inp: &SpeedInputs, placement: &Placement, machine: &Machine) -> Segments {
    let mut segs = Segments {
        items: [None; MAX_SEGMENTS],
        len: 0,
        tp: 1,
        link: TpLink::Pcie,
        cpu_expert_layers: 0,
        streamed_layers: 0,
        pipeline_boxes: 0,
        runtime: inp.runtime,
    };
    let w = inp.weights;
    let routed = w.routed_expert_bytes;
    // Streamed each token: everything but the embedding table (one row per token), the routed
    // experts (a share of them), MTP layers, Engram tables and a vision encoder.
    let streamed_non_routed = w.dense_streamed_bytes();
    let moe = inp.params.moe_layers > 0;
    match placement.kind {
        PlacementKind::DoesNotFit => {}
        PlacementKind::Cpu => {
            let (bw, flops) = cpu_segment(machine, inp.runtime, moe);
            segs.push(resident(
                bw,
                flops,
                flops,
                streamed_non_routed,
                routed,
                1.0,
                1.0,
                true,
            ));
        }
        PlacementKind::Gpu | PlacementKind::MultiGpu => match placement.split {
            Split::Tensor { tp } => {
                let g = &machine.gpus[placement.group];
                let n = f64::from(tp);
                let (bw, flops) = gpu_segment(&g.spec, n, inp.runtime, inp.quant);
                segs.tp = tp;
                segs.link = tp_link(placement, machine);
                segs.push(resident(
                    bw,
                    flops,
                    decode_flops(&g.spec, n, inp, flops),
                    streamed_non_routed,
                    routed,
                    1.0,
                    1.0,
                    false,
                ));
            }
            Split::Layers => {
                if placement.nodes > 1 {
                    segs.pipeline_boxes = placement.nodes;
                    segs.link = tp_link(placement, machine);
                }
                // Layers are spread in proportion to each group's memory; segments run in turn.
                let groups: Vec<(usize, f64)> = if placement.gpus_used == 1 {
                    vec![(placement.group, 1.0)]
                } else {
                    let total: f64 = machine
                        .gpus
                        .iter()
                        .filter(|g| super::placement::runtime_uses_gpu(inp.runtime, g))
                        .map(|g| g.spec.vram_gb * f64::from(g.count))
                        .sum();
                    machine
                        .gpus
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| super::placement::runtime_uses_gpu(inp.runtime, g))
                        .map(|(i, g)| (i, g.spec.vram_gb * f64::from(g.count) / total.max(1e-9)))
                        .collect()
                };
                for (gi, share) in groups {
                    let g = &machine.gpus[gi];
                    // A group of n identical cards in layer split streams its share at one card's speed.
                    let (bw, flops) = gpu_segment(&g.spec, 1.0, inp.runtime, inp.quant);
                    segs.push(resident(
                        bw,
                        flops,
                        flops,
                        streamed_non_routed * share,
                        routed * share,
                        share,
                        share,
                        false,
                    ));
                }
            }
        },
        PlacementKind::ExpertOffload | PlacementKind::SsdStream => {
            let e = &placement.experts;
            segs.cpu_expert_layers = e.cpu_layers();
            let on_gpu = placement.gpus_used > 0;
            let share_of = |bytes: f64| if routed > 0.0 { bytes / routed } else { 0.0 };
            // Reads the cache in `home` serves (middle and low end of the band).
            let hits = |home: CacheHome| {
                if e.cache_home == Some(home) {
                    (
                        e.hit_rate * e.streamed,
                        e.hit_rate_low * e.streamed,
                        e.streamed,
                    )
                } else {
                    (0.0, 0.0, 0.0)
                }
            };
            if on_gpu {
                let g = &machine.gpus[placement.group];
                let (bw, flops) = gpu_segment(&g.spec, 1.0, inp.runtime, inp.quant);
                let (mid, low, computed) = hits(CacheHome::Gpu);
                // Experts streamed into GPU memory pass through a staging buffer first.
                let staged = |hit: f64| {
                    hit * calibration::STAGING_PASSES_PER_HIT
                        + (computed - hit) * calibration::STAGING_PASSES_PER_MISS
                };
                if computed > 0.0 {
                    segs.streamed_layers = e.moe_layers;
                }
                segs.push(Segment {
                    routed_low: e.gpu + low + staged(low),
                    ..resident(
                        bw,
                        flops,
                        flops,
                        streamed_non_routed,
                        e.gpu + mid + staged(mid),
                        1.0,
                        share_of(e.gpu + computed),
                        false,
                    )
                });
            }
            let (mid, low, computed) = hits(CacheHome::Ram);
            if !on_gpu || e.ram > 0.0 || computed > 0.0 {
                let (bw, flops) = cpu_segment(machine, inp.runtime, moe);
                let dense = if on_gpu { 0.0 } else { 1.0 };
                segs.push(Segment {
                    routed_low: e.ram + low,
                    ..resident(
                        bw,
                        flops,
                        flops,
                        streamed_non_routed * dense,
                        e.ram + mid,
                        dense,
                        share_of(e.ram + computed),
                        true,
                    )
                });
            }
        }
        PlacementKind::PartialOffload => {
            let g = &machine.gpus[placement.group];
            let (gbw, gflops) = gpu_segment(&g.spec, 1.0, inp.runtime, inp.quant);
            let (cbw, cflops) = cpu_segment(machine, inp.runtime, moe);
            let f = placement.gpu_layer_fraction();
            let layer_non_routed = (streamed_non_routed - w.output_bytes).max(0.0);
            segs.push(resident(
                gbw,
                gflops,
                gflops,
                layer_non_routed * f,
                routed * f,
                f,
                f,
                false,
            ));
            segs.push(resident(
                cbw,
                cflops,
                cflops,
                layer_non_routed * (1.0 - f) + w.output_bytes,
                routed * (1.0 - f),
                1.0 - f,
                1.0 - f,
                true,
            ));
        }
    }
    // The disk: experts the caches miss (computed where the cache lives) and side-table rows.
    let e = &placement.experts;
    let side_rows = inp
        .arch
        .engram
        .as_ref()
        .filter(|_| placement.side_on_disk > 0.0)
        .map_or(0.0, |g| {
            f64::from(g.rows_per_token) * calibration::SIDE_TABLE_PAGE_BYTES
        });
    if segs.len > 0 && (e.streamed > 0.0 || side_rows > 0.0) {
        let unbounded = Band::new(f64::INFINITY, f64::INFINITY, f64::INFINITY);
        segs.push(Segment {
            routed_low: (1.0 - e.hit_rate_low) * e.streamed,
            prefill_disk_bytes: e.disk_only(),
            ..resident(
                band_scale(
                    calibration::ssd_read_efficiency(),
                    machine.ssd_read_gbs * 1e9,
                ),
                unbounded,
                unbounded,
                side_rows,
                (1.0 - e.hit_rate) * e.streamed,
                0.0,
                0.0,
                true,
            )
        });
    }
    segs
}

#[derive(Clone, Copy)]
enum Pick {
    Low,
    Mid,
    High,
}

fn pick(b: Band, p: Pick) -> f64 {
    match p {
        Pick::Low => b.low,
        Pick::Mid => b.mid,
        Pick::High => b.high,
    }
}

/// Seconds for one decode step of `batch` sequences at `position`.
fn step_time(inp: &SpeedInputs, segs: &Segments, batch: f64, position: f64, p: Pick) -> f64 {
    let params = inp.params;
    let routed_active_params = params.routed_experts * params.routed_active_fraction;
    let non_routed_active = params.active() - routed_active_params - params.embed;
    // Expected share of routed experts a batch touches: 1 − (1 − k/E)^B (DESIGN.md §3).
    let touched = if params.routed_experts > 0.0 {
        1.0 - (1.0 - params.routed_active_fraction).powf(batch)
    } else {
        0.0
    };
    let moe_factor = match p {
        Pick::Low if params.routed_experts > 0.0 => calibration::MOE_READ_FACTOR_LOW,
        _ => 1.0,
    };
    let kv_read = batch * inp.cache.bytes_read(position);
    let attn = batch * inp.cache.attention_flops(position);
    let mut t = 0.0;
    for s in segs.iter() {
        let routed = match p {
            Pick::Low => s.routed_low,
            _ => s.routed_bytes,
        };
        let bytes = s.dense_bytes + (routed * touched * moe_factor).min(routed);
        let flops = batch
            * 2.0
            * (s.dense_flop_share * non_routed_active + s.routed_flop_share * routed_active_params)
            + s.kv_share * attn;
        let mem_t =
            bytes / pick(s.bw, p).max(1.0) + s.kv_share * kv_read / pick(s.kv_bw, p).max(1.0);
        let comp_t = flops / pick(s.decode_flops, p).max(1.0);
        // Serving engines run the small per-expert GEMMs of a batch after (not under) the weight
        // reads: their step grows linearly with the batch (serving.md §Patterns 1).
        t += if inp.runtime.is_serving_engine() {
            mem_t + comp_t
        } else {
            mem_t.max(comp_t)
        };
    }
    let moe_layers = f64::from(params.moe_layers);
    // One all-reduce carries the batch's hidden states (16-bit).
    let hidden_bytes = batch * f64::from(inp.arch.hidden) * 2.0;
    if segs.tp > 1 {
        let dense_layers = f64::from(inp.arch.layers) - moe_layers;
        let serving = inp.runtime.is_serving_engine();
        t += moe_layers * calibration::tp_layer_latency_s(true, segs.link, serving, hidden_bytes)
            + dense_layers
                * calibration::tp_layer_latency_s(false, segs.link, serving, hidden_bytes);
    }
    if let (
        true,
        TpLink::Network {
            latency_s,
            bytes_per_s,
        },
    ) = (segs.pipeline_boxes > 1, segs.link)
    {
        t += calibration::pipeline_hops_per_token(segs.pipeline_boxes)
            * (latency_s + hidden_bytes / bytes_per_s.max(1.0));
    }
    t += f64::from(segs.cpu_expert_layers)
        * calibration::expert_offload_layer_latency_s(inp.runtime)
        + f64::from(segs.streamed_layers) * calibration::streaming_layer_latency_s();
    t
}

/// Prompt tokens per llama.cpp micro-batch, and the host-to-GPU bandwidth it streams RAM-resident
/// weights at: PCIe 4.0 x16 ≈ 31 GB/s theoretical × 0.8 achievable (hardware.md §1 note 3; 88%
/// measured on Gen5).
const PREFILL_UBATCH: f64 = 512.0;
const HOST_TO_GPU_BYTES_S: f64 = 25e9;

/// Tokens per second for a 512-token prompt. llama.cpp and Ollama copy RAM-resident weights to the
/// GPU for large batches, so with a GPU present they prefill there and pay the transfer per
/// micro-batch; KTransformers and CPU-only runs compute on the CPU.
fn prefill_rate(inp: &SpeedInputs, segs: &Segments) -> f64 {
    let params = inp.params;
    let routed_active = params.routed_experts * params.routed_active_fraction;
    let non_routed = params.active() - routed_active - params.embed;
    let attn = inp.cache.attention_flops(PREFILL_UBATCH / 2.0);
    let gpu_rate = segs
        .iter()
        .filter(|s| !s.on_cpu)
        .map(|s| s.flops.mid)
        .fold(0.0, f64::max);
    let stream_to_gpu =
        gpu_rate > 0.0 && matches!(inp.runtime, Runtime::LlamaCpp | Runtime::Ollama);
    let mut t = 0.0;
    for s in segs.iter() {
        // Experts only on disk are read once per micro-batch (a 512-token batch touches nearly
        // all of them).
        t += s.prefill_disk_bytes / (PREFILL_UBATCH * s.bw.mid.max(1.0));
        if !s.bw.mid.is_finite() || s.flops.mid.is_infinite() {
            continue;
        }
        let flops = 2.0 * (s.dense_flop_share * non_routed + s.routed_flop_share * routed_active)
            + s.kv_share * attn;
        if s.on_cpu && stream_to_gpu {
            t += flops / gpu_rate
                + (s.dense_bytes + s.routed_bytes) / (PREFILL_UBATCH * HOST_TO_GPU_BYTES_S);
        } else {
            t += flops / s.flops.mid.max(1.0);
        }
    }
    if t > 0.0 {
        1.0 / t
    } else {
        0.0
    }
}

/// Speeds for a placement; all zero when the model does not fit.
pub fn speed(inp: &SpeedInputs, placement: &Placement, machine: &Machine) -> Speed {
    let segs = build_segments(inp, placement, machine);
    if segs.len == 0 {
        return Speed::default();
    }
    // Speed is reported half-way through the context window.
    let position = f64::from(inp.context) / 2.0;
    let rate = |batch: f64, p: Pick| {
        let t = step_time(inp, &segs, batch, position, p);
        if t > 0.0 && t.is_finite() {
            batch / t
        } else {
            0.0
        }
    };
    // Speculative decoding multiplies the tokens each step yields, less so as the batch grows.
    let spec = |batch: f64, p: Pick| {
        inp.speculative.map_or(1.0, |k| {
            let gain = calibration::speculative_speedup(k, inp.runtime, inp.context);
            calibration::speculative_at_batch(pick(gain, p), batch)
        })
    };
    let decode = rate(1.0, Pick::Mid) * spec(1.0, Pick::Mid);
    let b = f64::from(inp.concurrency.max(1));
    let aggregate = if inp.concurrency <= 1 {
        decode
    } else {
        rate(b, Pick::Mid) * spec(b, Pick::Mid) * calibration::serving_scheduler_factor(inp.runtime)
    };
    Speed {
        decode,
        decode_low: rate(1.0, Pick::Low) * spec(1.0, Pick::Low),
        decode_high: rate(1.0, Pick::High) * spec(1.0, Pick::High),
        prefill: prefill_rate(inp, &segs),
        aggregate,
    }
}
