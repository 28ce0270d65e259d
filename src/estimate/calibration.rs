//! Efficiency factors for the speed roofline, each derived from measured points in
//! `shared/reference/hardware.md` §2 and `calibration.csv`. `tests/calibration.rs` prints every
//! expressible calibration row against the estimate.

use crate::catalog::schema::{DeviceClass, Runtime, Vendor};

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
    let serving = matches!(runtime, Runtime::Vllm | Runtime::Sglang);
    match class {
        DeviceClass::ConsumerGddr => Band::new(0.60, 0.85, 0.95),
        DeviceClass::WorkstationGddr => Band::new(0.50, 0.75, 0.90),
        DeviceClass::DatacenterHbm if serving => Band::new(0.18, 0.25, 0.40),
        DeviceClass::DatacenterHbm => Band::new(0.13, 0.18, 0.25),
        DeviceClass::AppleUnified => Band::new(0.85, 1.0, 1.05),
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

/// Per-layer synchronisation latency of tensor-parallel serving at small batch, seconds.
///
/// SGLang on 8 GPUs decodes V3 at 30.29 tok/s at batch 1 (SGL2643): 33 ms per token, of which the
/// bandwidth roofline explains ~2 ms; the rest over 61 MoE layers is ≈0.45 ms per layer. Other
/// reports agree: 20–22 tok/s per user in DeepSeek's own service (DS6), ≈32 tok/s on 16× H100.
/// Dense layers synchronise twice per layer without routing: 0.06 ms (UNVERIFIED estimate).
pub fn tp_layer_latency_s(moe_layer: bool) -> f64 {
    if moe_layer {
        0.45e-3
    } else {
        0.06e-3
    }
}

/// Scheduler efficiency of batched serving relative to SGLang: vLLM v0.11 delivered 2621 output
/// tok/s where SGLang v0.5.3 delivered 3415 on the same 8× H200 node and workload (GPUSTACK).
pub fn serving_scheduler_factor(runtime: Runtime) -> f64 {
    match runtime {
        Runtime::Vllm => 2621.05 / 3414.99,
        _ => 1.0,
    }
}
