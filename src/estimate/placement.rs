//! Where a model goes on a machine under a runtime: one GPU, several GPUs (layer split for
//! llama.cpp-style runtimes, tensor parallel for vLLM/SGLang), partial offload, MoE expert offload,
//! CPU only — or nowhere, by how much.

use super::memory::{self, Overhead};
use crate::catalog::schema::{Architecture, Runtime};
use crate::hardware::{GpuGroup, Machine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlacementKind {
    Gpu,
    MultiGpu,
    PartialOffload,
    ExpertOffload,
    Cpu,
    DoesNotFit,
}

impl PlacementKind {
    /// The spelling in JSON output.
    pub fn json_name(self) -> &'static str {
        match self {
            PlacementKind::Gpu => "gpu",
            PlacementKind::MultiGpu => "multi_gpu",
            PlacementKind::PartialOffload => "partial_offload",
            PlacementKind::ExpertOffload => "expert_offload",
            PlacementKind::Cpu => "cpu",
            PlacementKind::DoesNotFit => "does_not_fit",
        }
    }

    /// Higher is better; used to compare placements.
    pub fn rank(self) -> u8 {
        match self {
            PlacementKind::Gpu | PlacementKind::MultiGpu => 4,
            PlacementKind::ExpertOffload => 3,
            PlacementKind::PartialOffload => 2,
            PlacementKind::Cpu => 1,
            PlacementKind::DoesNotFit => 0,
        }
    }
}

/// How GPUs share the model when several are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Whole layers per GPU, run one after another (llama.cpp, Ollama, KTransformers).
    Layers,
    /// Every layer split across `tp` identical GPUs (vLLM, SGLang).
    Tensor { tp: u32 },
}

/// What has to be placed, bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Needs {
    pub weights: f64,
    /// Routed-expert share of `weights` (0 for dense models).
    pub routed: f64,
    /// Share of the routed experts one token reads (experts_per_token / routed_experts).
    pub routed_active_fraction: f64,
    /// Embedding + output head share of `weights`.
    pub embed_output: f64,
    pub kv: f64,
    /// One compute buffer (llama.cpp-style runtimes).
    pub compute_buffer: f64,
}

/// The decision, with the bytes on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub kind: PlacementKind,
    pub split: Split,
    /// Index into `Machine::gpus` of the group tensor parallelism uses, or of the first group
    /// used; layer split uses every group.
    pub group: usize,
    /// GPUs holding part of the model.
    pub gpus_used: u32,
    /// Layers on GPUs (all of them for GPU placements, 0 for CPU).
    pub gpu_layers: u32,
    pub total_layers: u32,
    /// Bytes on GPUs (weights + KV + overhead) and in system RAM.
    pub gpu_bytes: f64,
    pub ram_bytes: f64,
    pub overhead: Overhead,
    /// Usable GPU memory across the GPUs considered, and usable RAM, bytes.
    pub gpu_capacity: f64,
    pub ram_capacity: f64,
    /// For `DoesNotFit`: the smallest shortfall over the routes this runtime has, bytes.
    pub short_by: f64,
}

impl Placement {
    /// Fraction of the repeating layers held on GPUs.
    pub fn gpu_layer_fraction(&self) -> f64 {
        if self.total_layers == 0 {
            0.0
        } else {
            f64::from(self.gpu_layers) / f64::from(self.total_layers)
        }
    }
}

/// Runtimes that can run layers or experts from system RAM.
fn offloads(runtime: Runtime) -> bool {
    matches!(
        runtime,
        Runtime::LlamaCpp | Runtime::Ollama | Runtime::Ktransformers
    )
}

/// Whether `runtime` can use this GPU at all (vLLM/SGLang/KTransformers need CUDA or ROCm;
/// vLLM also runs on Ascend through vllm-ascend).
pub fn runtime_uses_gpu(runtime: Runtime, g: &GpuGroup) -> bool {
    use crate::catalog::schema::Vendor::*;
    match runtime {
        Runtime::LlamaCpp | Runtime::Ollama => true,
        Runtime::Vllm => matches!(g.spec.vendor, Nvidia | Amd | Huawei),
        Runtime::Sglang => matches!(g.spec.vendor, Nvidia | Amd),
        Runtime::Ktransformers => matches!(g.spec.vendor, Nvidia),
    }
}

/// Largest tensor-parallel degree ≤ `count` that divides the attention heads (and is compatible
/// with the KV heads: divides them or is a multiple of them).
pub fn tensor_parallel_degree(a: &Architecture, count: u32) -> u32 {
    (1..=count.max(1))
        .rev()
        .find(|&d| {
            a.heads % d == 0 && (a.mla.is_some() || a.kv_heads % d == 0 || d % a.kv_heads == 0)
        })
        .unwrap_or(1)
}

/// Usable bytes of one GPU of a group under a runtime, before weights (after display reserve,
/// runtime context and the serving reserve). For an Apple chip: the GPU working set.
fn usable_per_gpu(g: &GpuGroup, runtime: Runtime, ram_gb: f64, compute_buffer: f64) -> f64 {
    let vram = if g.is_unified() {
        memory::apple_gpu_working_set_fraction(ram_gb) * ram_gb * 1e9
    } else {
        g.spec.vram_gb * 1e9
    };
    let usable = match runtime {
        Runtime::Vllm | Runtime::Sglang => vram * memory::SERVING_MEMORY_UTILIZATION,
        _ => {
            vram - memory::display_reserve_bytes(g.spec.class)
                - memory::gpu_runtime_context_bytes(g.spec.class)
                - compute_buffer
        }
    };
    usable.max(0.0)
}

fn overhead_for(
    machine: &Machine,
    runtime: Runtime,
    gpus: impl Iterator<Item = (usize, u32)>,
    cb: f64,
    cpu_computes: bool,
) -> Overhead {
    let mut o = Overhead::default();
    for (gi, n) in gpus {
        let g = &machine.gpus[gi];
        let n = f64::from(n);
        match runtime {
            Runtime::Vllm | Runtime::Sglang => {
                o.serving_reserve +=
                    n * g.spec.vram_gb * 1e9 * (1.0 - memory::SERVING_MEMORY_UTILIZATION);
            }
            _ => {
                o.gpu_runtime += n * memory::gpu_runtime_context_bytes(g.spec.class);
                o.compute_buffers += n * cb;
            }
        }
    }
    if cpu_computes {
        o.compute_buffers += cb;
    }
    o
}

/// Places `needs` on `machine` for `runtime`.
pub fn place(a: &Architecture, needs: &Needs, machine: &Machine, runtime: Runtime) -> Placement {
    let layers = a.layers;
    let cb = needs.compute_buffer;
    let ram_usable = (machine.ram_gb * 1e9 - memory::os_reserve_bytes(machine.ram_gb)).max(0.0);
    let unified = machine.is_unified();
    // In unified memory the GPU's share comes out of the same RAM.
    let ram_left = |gpu_bytes: f64| {
        if unified {
            (ram_usable - gpu_bytes).max(0.0)
        } else {
            ram_usable
        }
    };
    // (group index, usable bytes per GPU, count) for the GPUs this runtime can use.
    let usable = || {
        machine
            .gpus
            .iter()
            .enumerate()
            .filter(move |(_, g)| runtime_uses_gpu(runtime, g))
            .map(move |(i, g)| (i, usable_per_gpu(g, runtime, machine.ram_gb, cb), g.count))
    };
    let all_groups = || usable().map(|(gi, _, n)| (gi, n));
    let resident = needs.weights + needs.kv;
    let mut best = Placement {
        kind: PlacementKind::DoesNotFit,
        split: Split::Layers,
        group: usable().next().map_or(0, |u| u.0),
        gpus_used: 0,
        gpu_layers: 0,
        total_layers: layers,
        gpu_bytes: 0.0,
        ram_bytes: 0.0,
        overhead: Overhead::default(),
        gpu_capacity: 0.0,
        ram_capacity: ram_usable,
        // With no usable GPU memory the GPU route is short by everything.
        short_by: resident,
    };

    let tensor_parallel = matches!(runtime, Runtime::Vllm | Runtime::Sglang);
    // GPU-only routes.
    if tensor_parallel {
        // Best group of identical GPUs: the one with the most usable memory at its TP degree.
        let mut pick: Option<(usize, u32, f64)> = None;
        for (gi, per, count) in usable() {
            let tp = tensor_parallel_degree(a, count);
            let cap = per * f64::from(tp);
            if pick.is_none_or(|(_, _, c)| cap > c) {
                pick = Some((gi, tp, cap));
            }
        }
        if let Some((gi, tp, cap)) = pick {
            best.group = gi;
            best.gpu_capacity = cap;
            best.short_by = (resident - cap).max(0.0);
            if resident <= cap {
                let o = overhead_for(machine, runtime, std::iter::once((gi, tp)), cb, false);
                return Placement {
                    kind: if tp > 1 {
                        PlacementKind::MultiGpu
                    } else {
                        PlacementKind::Gpu
                    },
                    split: Split::Tensor { tp },
                    gpus_used: tp,
                    gpu_layers: layers,
                    gpu_bytes: resident + o.total(),
                    overhead: o,
                    short_by: 0.0,
                    ..best
                };
            }
        }
        return best;
    }

    // Layer-split runtimes: one GPU first (the largest), then all of them.
    let single = usable()
        .map(|(gi, per, _)| (gi, per))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let total_cap: f64 = usable().map(|(_, per, n)| per * f64::from(n)).sum();
    let total_gpus: u32 = usable().map(|u| u.2).sum();
    best.gpu_capacity = total_cap;
    if let Some((gi, per)) = single {
        best.group = gi;
        if resident <= per {
            let o = overhead_for(machine, runtime, std::iter::once((gi, 1)), cb, false);
            return Placement {
                kind: PlacementKind::Gpu,
                gpus_used: 1,
                gpu_layers: layers,
                gpu_bytes: resident + o.total(),
                gpu_capacity: per,
                overhead: o,
                short_by: 0.0,
                ..best
            };
        }
        if total_gpus > 1 && resident <= total_cap {
            let o = overhead_for(machine, runtime, all_groups(), cb, false);
            return Placement {
                kind: PlacementKind::MultiGpu,
                gpus_used: total_gpus,
                gpu_layers: layers,
                gpu_bytes: resident + o.total(),
                overhead: o,
                short_by: 0.0,
                ..best
            };
        }
    }
    best.short_by = (resident - total_cap).max(0.0);
    if !offloads(runtime) {
        return best;
    }

    // MoE expert offload: attention, dense layers, shared experts, embeddings and KV on GPUs; routed
    // experts in RAM (KTransformers; llama.cpp `-ot exps=CPU`; Ollama has no such option).
    let has_gpu = total_gpus > 0;
    let mut expert = None;
    if needs.routed > 0.0 && has_gpu && runtime != Runtime::Ollama {
        let gpu_part = resident - needs.routed;
        let ram_part = needs.routed + cb;
        if gpu_part <= total_cap && ram_part <= ram_left(gpu_part) {
            let o = overhead_for(machine, runtime, all_groups(), cb, true);
            expert = Some(Placement {
                kind: PlacementKind::ExpertOffload,
                gpus_used: total_gpus,
                gpu_layers: layers,
                gpu_bytes: gpu_part + o.total() - cb,
                ram_bytes: ram_part,
                overhead: o,
                short_by: 0.0,
                ..best
            });
        }
    }
    if runtime == Runtime::Ktransformers {
        // KTransformers always keeps attention on a GPU: no partial or CPU-only route.
        let shortfall = (resident - needs.routed - total_cap).max(0.0)
            + (needs.routed + cb - ram_usable).max(0.0);
        best.short_by = best.short_by.min(shortfall);
        return expert.unwrap_or(best);
    }

    // Partial offload: whole layers (weights and their KV) on GPUs, the rest and the
    // embedding/head in RAM.
    let mut partial = None;
    let per_layer = (resident - needs.embed_output) / f64::from(layers.max(1));
    if has_gpu && per_layer > 0.0 {
        let n = ((total_cap / per_layer).floor() as u32).min(layers.saturating_sub(1));
        if n >= 1 {
            let gpu_part = per_layer * f64::from(n);
            let ram_part = resident - gpu_part + cb;
            if ram_part <= ram_left(gpu_part) {
                let o = overhead_for(machine, runtime, all_groups(), cb, true);
                partial = Some(Placement {
                    kind: PlacementKind::PartialOffload,
                    gpus_used: total_gpus,
                    gpu_layers: n,
                    gpu_bytes: gpu_part + o.total() - cb,
                    ram_bytes: ram_part,
                    overhead: o,
                    short_by: 0.0,
                    ..best
                });
            }
        }
    }
    // Both possible: keep the one that streams fewer bytes from RAM per token.
    match (expert, partial) {
        (Some(e), Some(p)) => {
            let expert_reads = needs.routed * needs.routed_active_fraction;
            let layer_weights = needs.weights - needs.embed_output - needs.routed;
            let partial_reads = (1.0 - p.gpu_layer_fraction())
                * (layer_weights + needs.routed * needs.routed_active_fraction);
            return if expert_reads <= partial_reads { e } else { p };
        }
        (Some(e), None) => return e,
        (None, Some(p)) => return p,
        (None, None) => {}
    }

    // CPU only.
    let cpu_need = resident + cb;
    if cpu_need <= ram_usable {
        let o = overhead_for(machine, runtime, std::iter::empty(), cb, true);
        return Placement {
            kind: PlacementKind::Cpu,
            gpus_used: 0,
            gpu_layers: 0,
            ram_bytes: cpu_need,
            overhead: o,
            short_by: 0.0,
            ..best
        };
    }
    // Hybrid shortfall: GPU and RAM together (unified memory counts once).
    let pooled = if unified {
        ram_usable
    } else {
        ram_usable + total_cap
    };
    best.short_by = best.short_by.min((cpu_need - pooled).max(0.0));
    best
}
