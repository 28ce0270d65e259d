//! Prior efficiency factors for the speed roofline, each derived from measured points in
//! `shared/reference/hardware.md` §2 and `calibration.csv`. The estimator multiplies the roofline's
//! speeds by the corrections fitted over the measurement catalog (`correction`, issue 19), which
//! shrink toward these priors. `tests/calibration.rs` prints every expressible calibration row
//! against the estimate.

use crate::catalog::schema::{DeviceClass, Runtime, SpeculativeKind, Vendor};

/// A factor with a low–high band and the value used for the point estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl Band {
    pub const fn new(low: f64, mid: f64, high: f64) -> Band {
        Band { low, mid, high }
    }
}

/// Fraction of peak memory bandwidth a GPU reaches streaming weights at batch 1.
///
/// Sources (tg128 × 3.823 GB per token ÷ peak, hardware.md §2b/§2f): GeForce 4060 Ti 85%,
/// 4070 Ti SUPER 75%, 5070 Ti 75%, 4090 D 72%, 5080 72%, 3090 Ti 65%, RX 7900 XTX 67%;
/// workstation A6000 69%, 6000 Ada 70%, L40 67%; HBM A100 36% (7B) and 51% (70B, XD),
/// H100 51%; MI210 29%; Apple M1/M2/M3/M4 (one die) 52–79%, Ultra (two dies) 40–44% (§2a).
pub fn gpu_bandwidth_efficiency(class: DeviceClass, vendor: Vendor, mem_bw_gbs: f64) -> Band {
    match class {
        DeviceClass::ConsumerGddr => Band::new(0.62, 0.72, 0.85),
        DeviceClass::WorkstationGddr => Band::new(0.60, 0.69, 0.80),
        DeviceClass::DatacenterHbm => match vendor {
            Vendor::Amd => Band::new(0.25, 0.30, 0.45),
            // No llama.cpp measurement for Ascend: the NVIDIA HBM band widened downwards.
            Vendor::Huawei => Band::new(0.20, 0.35, 0.50),
            _ => Band::new(0.33, 0.45, 0.55),
        },
        DeviceClass::AppleUnified => {
            if mem_bw_gbs >= 800.0 {
                Band::new(0.38, 0.42, 0.50)
            } else {
                Band::new(0.52, 0.68, 0.79)
            }
        }
        // DGX Spark: 218–235 GB/s measured GEMV/copy of 273 (80–86%); Strix Halo ~212–215 of 256
        // (83–84%) (hw-specs research, MIRROR). Decode reaches a share of that like a single-die
        // Apple chip's (UNVERIFIED).
        DeviceClass::SocUnified => Band::new(0.50, 0.65, 0.80),
    }
}

/// Fraction of peak memory bandwidth CPU inference reaches.
///
/// Dense: i9-13900K DDR5-6400 dual channel, LLaMA 7B Q4_0, 18.27 tok/s = 68% (LC34).
/// MoE experts on CPU: KTransformers 12.2 tok/s on 2× Xeon 6454S (29% of 614 GB/s) and 14 tok/s on
/// one EPYC 9654 (46% of 461 GB/s); llama.cpp 4.51 tok/s on the 2× 6454S box (16%) in the
/// KTransformers tutorial's Feb-2025 comparison (scattered expert reads and NUMA).
pub fn cpu_bandwidth_efficiency(runtime: Runtime, moe: bool) -> Band {
    match (moe, runtime) {
        (false, _) => Band::new(0.55, 0.68, 0.80),
        (true, Runtime::Ktransformers) => Band::new(0.27, 0.37, 0.48),
        (true, _) => Band::new(0.12, 0.18, 0.35),
    }
}

/// Routed-expert bytes per token can exceed the naive "k experts × expert size" by 1.5–2× at short
/// context (CAL, hardware.md §2f); the low end of every MoE speed band assumes this factor.
pub const MOE_READ_FACTOR_LOW: f64 = 1.75;

/// Fraction of dense tensor TFLOPS reached in prefill (and in compute-bound batched decode).
///
/// llama.cpp pp512 reaches ~94–98% of the GeForce FP32-accumulate peak (4090/4090 D) but only
/// 13–21% on A100/H100 (hardware.md §2f, §2b); SGLang prefill on H100 reached 50,302 tok/s per
/// node for V3 = 24% of FP8 peak (LMSYS). Apple entries already hold an effective figure derived
/// from pp512, so their factor is 1.
pub fn prefill_efficiency(class: DeviceClass, runtime: Runtime) -> Band {
    let serving = runtime.is_serving_engine();
    match class {
        DeviceClass::ConsumerGddr => Band::new(0.60, 0.85, 0.95),
        DeviceClass::WorkstationGddr => Band::new(0.50, 0.75, 0.90),
        DeviceClass::DatacenterHbm if serving => Band::new(0.18, 0.25, 0.40),
        DeviceClass::DatacenterHbm => Band::new(0.13, 0.18, 0.25),
        DeviceClass::AppleUnified => Band::new(0.85, 1.0, 1.05),
        // Strix Halo's 7B prefill implies ≈18 of 59.4 peak TFLOPS; DGX Spark sustains 80–97 of
        // 125 in GEMM (hw-specs research): a wide band (UNVERIFIED for DeepSeek models).
        DeviceClass::SocUnified => Band::new(0.25, 0.45, 0.75),
    }
}

/// Achieved CPU matrix throughput per physical core, GFLOPS.
///
/// llama.cpp: i9-13900K pp512 55.21 tok/s on a 6.74B model = 0.74 TFLOPS over 24 cores (31/core,
/// LC34); 2× Xeon 6454S 10.31 tok/s on V3 (37.5B active) = 0.77 TFLOPS over 64 cores (12/core, KT).
/// KTransformers with AMX: 82.94 tok/s prefill, the routed experts (20.4B active) on 64 cores
/// = 53/core (KT).
pub fn cpu_gflops_per_core(runtime: Runtime) -> Band {
    match runtime {
        Runtime::Ktransformers => Band::new(30.0, 50.0, 60.0),
        _ => Band::new(12.0, 22.0, 35.0),
    }
}

/// What the GPUs of a tensor-parallel group synchronise over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TpLink {
    /// NVLink / Infinity Fabric inside one server.
    Nvlink,
    /// PCIe without peer-to-peer (consumer cards).
    Pcie,
    /// The network between the boxes of a small-box cluster: one small collective's latency,
    /// seconds, and the bandwidth of one direction, bytes/s (`hardware::link`).
    Network { latency_s: f64, bytes_per_s: f64 },
}

/// Collectives per layer under tensor parallelism: one all-reduce after attention, one after the
/// FFN / MoE (Megatron-style sharding, as vLLM and SGLang shard DeepSeek).
pub const ALL_REDUCES_PER_LAYER: f64 = 2.0;

/// Per-layer synchronisation and launch latency of tensor parallelism, seconds — what keeps one
/// user's step well above the weight-read time. `hidden_bytes` is one all-reduce's message (the
/// hidden state of the batch).
///
/// 2026 serving engines: SGLang v0.5.7 on 8× H200 decodes R1 FP8 with TPOT ≈ 7.0 ms plus
/// 0.159 ms × c plus expert reads (fit of its 1k/1k sweep at c = 8…64, serving.csv; serving.md gives 11.1 + 0.383·c
/// for a straight line); of the 7.0 ms, weight reads explain ≈0.5 ms, leaving ≈0.107 ms per MoE
/// layer over NVLink. Without NVLink or P2P (4× RTX 4090 48 GB, vLLM sm89 fork, V4-Flash ≈82 tok/s
/// at batch 1, calibration-2026.csv) ≈0.2 ms. Between boxes the engine's NVLink figure is kept and
/// the two all-reduces travel the network (`TpLink::Network`). Dense layers synchronise without
/// routing: 14% of the MoE figure (the ratio of the 2025 estimates, UNVERIFIED). Early-2025
/// versions were ~4× slower (intercepts of 35–55 ms, serving.md §Patterns 1): the estimator models
/// current versions. Runtimes that are not serving engines (MLX distributed over Thunderbolt) pay
/// only the network's two collectives.
pub fn tp_layer_latency_s(moe_layer: bool, link: TpLink, serving: bool, hidden_bytes: f64) -> f64 {
    let nvlink_engine = 0.107e-3;
    let moe = match link {
        TpLink::Nvlink => nvlink_engine,
        TpLink::Pcie => 0.2e-3,
        TpLink::Network {
            latency_s,
            bytes_per_s,
        } => {
            let network = ALL_REDUCES_PER_LAYER * (latency_s + hidden_bytes / bytes_per_s.max(1.0));
            if serving {
                nvlink_engine + network
            } else {
                network
            }
        }
    };
    if moe_layer {
        moe
    } else {
        0.14 * moe
    }
}

/// Handing a token's hidden state from one box to the next when whole layers are split across a
/// small-box cluster (llama.cpp RPC): one network exchange per box boundary and one to return,
/// i.e. `boxes` exchanges per token (UNVERIFIED: llama.cpp's RPC adds its own round trips).
pub fn pipeline_hops_per_token(boxes: u32) -> f64 {
    f64::from(boxes)
}

/// Fraction of HBM bandwidth serving engines (vLLM, SGLang, TensorRT-LLM) reach reading weights in
/// batched decode: the 8× H200 SGLang v0.5.7 sweep needs ≈0.85 for its expert reads (fit above);
/// the band spans 0.7–0.92. Other vendors' software reaches `serving_vendor_factor` of that. Other
/// classes and runtimes use the batch-1 device bands.
pub fn serving_bandwidth_efficiency(
    class: DeviceClass,
    vendor: Vendor,
    runtime: Runtime,
) -> Option<Band> {
    (runtime.is_serving_engine() && class == DeviceClass::DatacenterHbm).then(|| {
        let f = serving_vendor_factor(vendor);
        Band::new(0.70 * f, 0.85 * f, 0.92 * f)
    })
}

/// Serving efficiency of a vendor's software stack relative to NVIDIA's (CUDA), for the same
/// engine, model and workload on the vendor's own hardware.
///
/// AMD (ROCm with vLLM and SGLang): the dstack benchmark ran R1 FP8 on 8× MI300X and 8× H200 with
/// the same harness, engines and 3.2k/0.8k workload (serving.csv, 2025-03-18): at 4–128 users
/// MI300X delivered 0.51–1.19 × the H200's output per unit of memory bandwidth (5.3 vs 4.8 TB/s)
/// over 12 engine × concurrency pairs; the median is 0.885 (asserted in the tests below). Checked
/// against AMD's own 2026 sweep (ATOM, V4-Pro on 8× MI355X, tests/calibration_tiers.rs), which
/// was not used to choose it. Huawei (Ascend): no paired measurement, 1 (UNVERIFIED).
pub fn serving_vendor_factor(vendor: Vendor) -> f64 {
    match vendor {
        Vendor::Amd => AMD_SERVING_FACTOR,
        _ => 1.0,
    }
}

/// See `serving_vendor_factor`.
pub const AMD_SERVING_FACTOR: f64 = 0.885;

/// Fraction of peak tensor throughput batched decode reaches in serving engines: the per-stream
/// slope of the SGLang v0.5.7 sweep, 0.159 ms for R1's 75 GFLOP per token on 8 × 1,979 TFLOPS FP8,
/// is ≈3% of peak — many small per-expert GEMMs (band 2–5%, UNVERIFIED spread); other vendors'
/// software reaches `serving_vendor_factor` of it. MoE models only: dense models batch their large
/// GEMMs like prefill (`prefill_efficiency`).
pub fn decode_compute_efficiency(vendor: Vendor) -> Band {
    let f = serving_vendor_factor(vendor);
    Band::new(0.02 * f, 0.03 * f, 0.05 * f)
}

/// Time to first token beyond the prompt's own prefill: scheduling, tokenization and the first
/// step. SGLang v0.5.7 on 8× H200 answers 1,024-token prompts in 0.33–0.43 s at 8–64 users
/// (serving.csv) while their prefill takes ≈0.02 s: ≈0.3 s. llama.cpp and the single-device
/// engines start within a step (UNVERIFIED 0.05 s).
pub fn ttft_overhead_s(runtime: Runtime) -> f64 {
    if runtime.is_serving_engine() {
        0.3
    } else {
        0.05
    }
}

/// Per-MoE-layer cost of llama.cpp's expert offload (`-ot exps=CPU`, `--cpu-moe`, the layers
/// `--n-cpu-moe` leaves on the CPU): each such layer hands its hidden state from the GPU to the
/// CPU threads and back. V4-Flash q2 with `-cmoe` on an
/// EPYC 9374F + RTX PRO 6000 decodes at 19.8 tok/s at batch 1 (50 ms per token, of which the
/// roofline explains ≈29 ms) but 52.5 tok/s over 8 sequences (calibration-2026.csv, llama.cpp PR
/// #24162): a fixed ≈20 ms per token over 43 layers ≈ 0.45 ms per layer, the same order as
/// tensor-parallel synchronisation. KTransformers overlaps the CPU and GPU work (its design;
/// calibration.csv rows 17 and 24 need no such term): 0.
pub fn expert_offload_layer_latency_s(runtime: Runtime) -> f64 {
    match runtime {
        Runtime::LlamaCpp | Runtime::Ollama => HOST_ROUND_TRIP_PER_LAYER_S,
        _ => 0.0,
    }
}

/// One GPU→host→GPU round trip per MoE layer and token (see `expert_offload_layer_latency_s`).
pub const HOST_ROUND_TRIP_PER_LAYER_S: f64 = 0.45e-3;

/// Per-MoE-layer cost of streaming experts into a GPU-side cache (ds4 `--ssd-streaming`): the host
/// reads the layer's routing back before it can fetch the misses, and the layer waits for them
/// (ds4 PR #1082: "the layer waits for every miss read to land before it runs any expert"; PR
/// #1041 makes whole-token scheduling ineligible in SSD mode) — the same round trip as llama.cpp's
/// expert hand-off, so its value (UNVERIFIED for ds4).
pub fn streaming_layer_latency_s() -> f64 {
    HOST_ROUND_TRIP_PER_LAYER_S
}

/// Extra passes through GPU memory of each selected expert a GPU-side cache serves: ds4 copies a
/// hit into the per-call staging buffer its kernels read ("a hit is served with a device-to-device
/// cudaMemcpy into the existing per-call packed staging buffer", ds4 PR #647) — a read and a write
/// before the kernel's read; a miss lands in that buffer (one write).
pub const STAGING_PASSES_PER_HIT: f64 = 2.0;
pub const STAGING_PASSES_PER_MISS: f64 = 1.0;

/// Scheduler efficiency of batched serving relative to SGLang: vLLM v0.11 delivered 2621 output
/// tok/s where SGLang v0.5.3 delivered 3415 on the same 8× H200 node and workload (GPUSTACK).
/// TensorRT-LLM: InferenceX's tuned single-node recipe (8k/1k × 256) is within 12% of the
/// SGLang-calibrated model, so 1; the untuned trtllm-serve burst of the same GPUSTACK run reached
/// only half of SGLang's (kept as a hold-out row that disagrees).
pub fn serving_scheduler_factor(runtime: Runtime) -> f64 {
    match runtime {
        Runtime::Vllm => 2621.05 / 3414.99,
        _ => 1.0,
    }
}

/// Bandwidth a runtime reaches on a device class relative to llama.cpp's (the device bands
/// above). ds4 decoding V4-Flash on Macs reaches 26–67% of peak (calibration-2026.csv: achieved
/// bytes per token × tok/s over 5 Macs) against llama.cpp's 36–79% on the same chips: its fitted
/// factor is in `tests/calibration_2026.rs`. Others: 1 (no separate measurement).
///
/// ds4's spread across chips is wider than llama.cpp's: recent builds reach 49% of peak on an
/// M3 Ultra but 27–32% on M1/M2 Ultras, so its band is widened (0.6–1.2 of the device band).
pub fn runtime_bandwidth_factor(runtime: Runtime, class: DeviceClass) -> Band {
    match (runtime, class) {
        (Runtime::Ds4, DeviceClass::AppleUnified) => {
            Band::new(0.6, DS4_APPLE_BANDWIDTH_FACTOR, 1.2)
        }
        (Runtime::Mlx, DeviceClass::AppleUnified) => Band::new(
            MLX_APPLE_BANDWIDTH_FACTOR,
            MLX_APPLE_BANDWIDTH_FACTOR,
            MLX_APPLE_BANDWIDTH_FACTOR,
        ),
        _ => Band::new(1.0, 1.0, 1.0),
    }
}

/// ds4 on Apple Silicon relative to the Apple bands: median-unbiased on the calibration-2026 fit
/// set (tests/calibration_2026.rs asserts it).
pub const DS4_APPLE_BANDWIDTH_FACTOR: f64 = 0.8;
/// MLX (oMLX, mlx-vlm) on Apple Silicon relative to the Apple bands: the four fit-set rows sit
/// within −3%…+13% at 1.0.
pub const MLX_APPLE_BANDWIDTH_FACTOR: f64 = 1.0;

/// Bandwidth reading the KV cache relative to streaming weights. ds4's sparse-attention path
/// (indexer scoring and top-k selection over F32 entries) costs ≈ 6 ms per token more at 65,536
/// than at 2,048 tokens on four Macs (M2 Ultra 5.9 ms, M4 Max 6.3, M3 Ultra 6.3, M2 Ultra 0731
/// 7.1; calibration-2026.csv) while only ≈ 0.19 GB more is read: about a tenth of streaming
/// bandwidth. Other runtimes: no measured slope, so the streaming bandwidth is used.
pub fn attention_read_factor(runtime: Runtime) -> f64 {
    match runtime {
        Runtime::Ds4 => 0.1,
        _ => 1.0,
    }
}

/// Fraction of a disk's sequential read rate reached reading streamed experts (multi-MB slices
/// per expert). A disk-bound ds4 on a DGX Spark kept its NVMe at ~85% of its ceiling (ds4 issue
/// #639); a Strix Halo RAID-0 of 13.5 GB/s peaked at ~11 GB/s (81%) streaming V4.1's experts (ds4
/// PR #1036): 0.8. Low end: 19 MB `O_DIRECT` reads from ten threads reached 2.5 GB/s on a 7 GB/s
/// Samsung 980 PRO (36%, JustVugg/colibri issue #1070): 0.4.
pub fn ssd_read_efficiency() -> Band {
    Band::new(0.4, 0.8, 0.9)
}

/// Bytes read from disk per side-table row looked up (V4.1's Engram on disk): one 4 KiB page.
pub const SIDE_TABLE_PAGE_BYTES: f64 = 4096.0;

/// Speed-up of one user's decode by speculative decoding at batch 1.
///
/// DSpark on memory-bound local runtimes: mlx-vlm 1.28× (512 ctx) and 1.40× (8K) on an M3 Ultra,
/// ds4 1.31× (V4.1, 47.2 vs 36.1 tok/s), llama.cpp fork 1.29× (V4.1, 22.8 vs 17.7)
/// (calibration-2026.csv). On GPU servers it gains more: SGLang 2.31× on 8× B200, 2.7× on 4× 4090
/// 48 GB with 83% acceptance (middle 2.3) — but acceptance fell to 28% at 128K on that fork, so
/// beyond 64K the low end is no gain. MTP (one draft layer): +60% per user on 16× H200 (LMSYS, serving.md §4);
/// llama.cpp's MTP (PR #25784) has no published gain: the DSpark local band is used (UNVERIFIED).
pub fn speculative_speedup(kind: SpeculativeKind, runtime: Runtime, context: u32) -> Band {
    let base = match (kind, runtime.is_serving_engine()) {
        (SpeculativeKind::Dspark, true) => Band::new(1.5, 2.3, 2.7),
        (SpeculativeKind::Mtp, true) => Band::new(1.3, 1.6, 2.0),
        (_, false) => Band::new(1.2, 1.3, 1.4),
    };
    if context > 65_536 {
        Band::new(1.0, base.mid, base.high)
    } else {
        base
    }
}

/// Batch size at which speculative decoding keeps half its gain: LMSYS measured +60% at low batch
/// and +14% at 128 requests per rank (serving.md §4), so the gain falls as 1 / (1 + (B − 1) / 38).
pub const SPECULATIVE_HALF_GAIN_BATCH: f64 = 38.0;

/// The speed-up `gain` (at batch 1) left at `batch` sequences.
pub fn speculative_at_batch(gain: f64, batch: f64) -> f64 {
    1.0 + (gain - 1.0) / (1.0 + (batch - 1.0).max(0.0) / SPECULATIVE_HALF_GAIN_BATCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amd_factor_is_the_median_of_the_paired_dstack_runs() {
        // serving.csv, dstack 2025-03-18, R1 FP8 3.2k/0.8k: aggregate output tok/s at 4, 8, 16,
        // 32, 64 and 128 users on 8× MI300X and 8× H200, SGLang then vLLM.
        let amd = [
            108.3, 190.1, 301.0, 455.8, 612.3, 737.1, 83.8, 148.2, 258.1, 442.6, 671.8, 914.7,
        ];
        let nvidia = [
            82.6, 164.1, 256.3, 405.5, 590.8, 802.5, 148.6, 237.6, 294.1, 512.9, 758.4, 744.8,
        ];
        let bandwidth = 5300.0 / 4800.0;
        let mut r: Vec<f64> = amd
            .iter()
            .zip(nvidia)
            .map(|(a, n)| a / n / bandwidth)
            .collect();
        r.sort_by(f64::total_cmp);
        let median = (r[5] + r[6]) / 2.0;
        assert!((median - AMD_SERVING_FACTOR).abs() < 0.005, "{median}");
    }

    #[test]
    fn a_network_between_boxes_costs_more_than_nvlink() {
        let roce = TpLink::Network {
            latency_s: 32e-6,
            bytes_per_s: 25e9,
        };
        let moe = |l| tp_layer_latency_s(true, l, true, 10_240.0);
        assert!(moe(roce) > moe(TpLink::Nvlink));
        assert!((moe(TpLink::Nvlink) - 0.107e-3).abs() < 1e-12);
        assert!(tp_layer_latency_s(true, roce, false, 0.0) < moe(roce));
    }
}
