//! Memory needs beyond weights and KV cache, as named terms, and how much of each device is
//! usable. Values not found in a source are marked UNVERIFIED and shown as estimates.

use crate::catalog::schema::{Architecture, DeviceClass, Runtime, Vendor};

const GB: f64 = 1e9;

/// GPU runtime context per device (CUDA/ROCm driver context, cuBLAS workspaces): UNVERIFIED
/// estimate of 0.5 GB; Metal's share is inside the working-set limit.
pub fn gpu_runtime_context_bytes(class: DeviceClass) -> f64 {
    match class {
        DeviceClass::AppleUnified | DeviceClass::SocUnified => 0.0,
        _ => 0.5 * GB,
    }
}

/// VRAM a desktop GPU loses to the display and compositor: UNVERIFIED estimate of 0.5 GB on
/// consumer cards (which usually drive a display); none on datacenter and workstation cards.
pub fn display_reserve_bytes(class: DeviceClass) -> f64 {
    match class {
        DeviceClass::ConsumerGddr => 0.5 * GB,
        _ => 0.0,
    }
}

/// Share of each GPU vLLM and SGLang leave unused: `--gpu-memory-utilization 0.9` (vLLM's
/// default); SGLang's `--mem-fraction-static` default is similar (UNVERIFIED).
pub const SERVING_MEMORY_UTILIZATION: f64 = 0.9;

/// Share of unified memory the GPU may wire by default (Metal `recommendedMaxWorkingSetSize`):
/// about 70–78% (hardware.md §1d, XD) on large machines; about two thirds on small ones
/// (egui-notes.md §4, UNVERIFIED).
pub fn apple_gpu_working_set_fraction(ram_gb: f64) -> f64 {
    if ram_gb > 36.0 {
        0.75
    } else {
        0.67
    }
}

/// Share of a unified-memory chip's memory its GPU may use.
///
/// Apple: the Metal working set (`apple_gpu_working_set_fraction`). NVIDIA DGX Spark: CUDA reports
/// 119.7 GiB of 128 GiB and vLLM users find about 101–102 GiB free at start, running at 0.82–0.85
/// memory utilisation (hw-specs research, MIRROR): 0.85 of the whole before the serving reserve
/// (UNVERIFIED). AMD Strix Halo: the BIOS carve-out allows 96 of 128 GB on Windows and tuned Linux
/// setups reach 96 GiB (Linux's default GTT is about half): 0.75 (MIRROR).
pub fn unified_gpu_fraction(class: DeviceClass, vendor: Vendor, ram_gb: f64) -> f64 {
    match (class, vendor) {
        (DeviceClass::AppleUnified, _) => apple_gpu_working_set_fraction(ram_gb),
        (_, Vendor::Nvidia) => 0.85,
        _ => 0.75,
    }
}

/// RAM kept for the operating system and desktop: 2 GB + 10% (UNVERIFIED rule of thumb).
pub fn os_reserve_bytes(ram_gb: f64) -> f64 {
    2.0 * GB + 0.1 * ram_gb * GB
}

/// llama.cpp-style compute buffers: the working tensors of one 512-token micro-batch in fp32 —
/// logits (vocab) plus hidden states and the widest FFN activation — assuming flash attention
/// (no context-sized score matrix). A formula, not a measurement: UNVERIFIED.
pub fn compute_buffer_bytes(a: &Architecture, runtime: Runtime) -> f64 {
    match runtime {
        Runtime::Vllm | Runtime::Sglang => 0.0,
        _ => {
            let ffn = match &a.moe {
                Some(m) => f64::from(a.intermediate).max(
                    f64::from(m.expert_intermediate)
                        * f64::from(m.experts_per_token + m.shared_experts),
                ),
                None => f64::from(a.intermediate),
            };
            // V4: the heads × 512-wide query and attention output outgrow the FFN.
            let attention = a
                .compressed
                .as_ref()
                .map_or(0.0, |c| f64::from(a.heads) * f64::from(c.latent_dim));
            512.0
                * 4.0
                * (f64::from(a.vocab) + 4.0 * f64::from(a.hidden) + 2.0 * ffn.max(attention))
        }
    }
}

/// Overhead terms of one placement, bytes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Overhead {
    /// Driver/runtime context on every GPU used.
    pub gpu_runtime: f64,
    /// Compute buffers (llama.cpp, Ollama, KTransformers), one per device that computes.
    pub compute_buffers: f64,
    /// vLLM/SGLang memory-utilization reserve on every GPU used.
    pub serving_reserve: f64,
}

impl Overhead {
    pub fn total(&self) -> f64 {
        self.gpu_runtime + self.compute_buffers + self.serving_reserve
    }
}
