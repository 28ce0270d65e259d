//! Where a model goes on a machine under a runtime: one GPU, several GPUs (layer split for
//! llama.cpp-style runtimes, tensor parallel for vLLM/SGLang), MoE expert offload, partial offload,
//! CPU only, weights streamed from SSD — or nowhere, by how much. `place` reads as the ladder; each
//! route is a function of its own.

use super::memory::{self, Overhead};
use crate::catalog::schema::{Architecture, DeviceClass, Runtime};
use crate::hardware::{GpuGroup, Machine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlacementKind {
    Gpu,
    MultiGpu,
    PartialOffload,
    ExpertOffload,
    Cpu,
    /// Routed experts stream from the SSD through a cache in memory (ds4).
    SsdStream,
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
            PlacementKind::SsdStream => "ssd_stream",
            PlacementKind::DoesNotFit => "does_not_fit",
        }
    }

    /// Higher is better; used to compare placements.
    pub fn rank(self) -> u8 {
        match self {
            PlacementKind::Gpu | PlacementKind::MultiGpu => 5,
            PlacementKind::ExpertOffload => 4,
            PlacementKind::PartialOffload => 3,
            PlacementKind::Cpu => 2,
            PlacementKind::SsdStream => 1,
            PlacementKind::DoesNotFit => 0,
        }
    }

    /// Part of the weights lives outside GPU memory while decoding.
    pub fn is_fallback(self) -> bool {
        matches!(
            self,
            PlacementKind::PartialOffload | PlacementKind::ExpertOffload | PlacementKind::SsdStream
        )
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
    /// Lookup tables within `weights` that need not sit on a GPU (V4.1's Engram): a few rows are
    /// read per token, so they go to RAM when it has room, else stay with the weights, else (ds4)
    /// on disk.
    pub side_tables: f64,
    /// The routed experts must stay in RAM (llama.cpp `--cpu-moe`).
    pub experts_on_cpu: bool,
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
    /// Bytes left on disk and read from it while decoding (SSD streaming; side tables on disk).
    pub disk_bytes: f64,
    /// Share of the routed experts held in memory under SSD streaming (1 for other placements).
    pub cached_fraction: f64,
    /// Side tables (Engram) held in system RAM, and on disk.
    pub side_in_ram: f64,
    pub side_on_disk: f64,
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

/// Runtimes that can keep lookup tables (Engram) in system RAM: V4.1's runtimes do (vLLM fork
/// `--engram-config cpu_offload`, ds4, llama.cpp tensor overrides); Ollama cannot run V4.1.
fn offloads_side_tables(runtime: Runtime) -> bool {
    runtime != Runtime::Ollama
}

/// Runtimes that stream weights from the SSD when memory is short: ds4 (routed experts through an
/// expert cache; Engram tables disk-only).
fn streams_from_ssd(runtime: Runtime) -> bool {
    runtime == Runtime::Ds4
}

/// Whether `runtime` can use this GPU at all (vLLM/SGLang/KTransformers need CUDA or ROCm;
/// vLLM also runs on Ascend through vllm-ascend; MLX is Apple's; ds4 has Metal, CUDA and ROCm).
pub fn runtime_uses_gpu(runtime: Runtime, g: &GpuGroup) -> bool {
    use crate::catalog::schema::Vendor::*;
    match runtime {
        Runtime::LlamaCpp | Runtime::Ollama => true,
        Runtime::Vllm => matches!(g.spec.vendor, Nvidia | Amd | Huawei),
        Runtime::Sglang => matches!(g.spec.vendor, Nvidia | Amd),
        Runtime::Ktransformers => matches!(g.spec.vendor, Nvidia),
        Runtime::Ds4 => matches!(g.spec.vendor, Apple | Nvidia | Amd),
        Runtime::Mlx => matches!(g.spec.vendor, Apple),
        Runtime::TensorrtLlm => {
            g.spec.vendor == Nvidia
                && matches!(
                    g.spec.class,
                    DeviceClass::DatacenterHbm
                        | DeviceClass::WorkstationGddr
                        | DeviceClass::SocUnified
                )
        }
    }
}

/// Largest tensor-parallel degree ≤ `count` the model shards over (the one planner's rule:
/// heads, KV heads and FFN widths, `parallelism::largest_tensor`).
pub fn tensor_parallel_degree(a: &Architecture, count: u32) -> u32 {
    super::parallelism::largest_tensor(&super::parallelism::Shape::of(a), count)
}

/// Memory of one unified-memory device in GB: the machine's RAM for a single chip; for several
/// networked nodes (DGX Spark ×N) each node's own memory, sold in GiB.
fn unified_memory_gb(g: &GpuGroup, ram_gb: f64) -> f64 {
    if g.count > 1 {
        g.spec.vram_gb * 1.073_741_824
    } else {
        ram_gb
    }
}

/// Usable bytes of one GPU of a group under a runtime, before weights (after display reserve,
/// runtime context and the serving reserve). For a unified-memory chip: its GPU working set.
fn usable_per_gpu(g: &GpuGroup, runtime: Runtime, ram_gb: f64, compute_buffer: f64) -> f64 {
    let vram = if g.is_unified() {
        let mem = unified_memory_gb(g, ram_gb);
        memory::unified_gpu_fraction(g.spec.class, g.spec.vendor, mem) * mem * 1e9
    } else {
        g.spec.vram_gb * 1e9
    };
    let usable = if runtime.is_serving_engine() {
        vram * memory::SERVING_MEMORY_UTILIZATION
    } else {
        vram - memory::display_reserve_bytes(g.spec.class)
            - memory::gpu_runtime_context_bytes(g.spec.class)
            - compute_buffer
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
        if runtime.is_serving_engine() {
            let vram = if g.is_unified() {
                unified_memory_gb(g, machine.ram_gb)
                    * memory::unified_gpu_fraction(g.spec.class, g.spec.vendor, machine.ram_gb)
            } else {
                g.spec.vram_gb
            };
            o.serving_reserve += n * vram * 1e9 * (1.0 - memory::SERVING_MEMORY_UTILIZATION);
        } else {
            o.gpu_runtime += n * memory::gpu_runtime_context_bytes(g.spec.class);
            o.compute_buffers += n * cb;
        }
    }
    if cpu_computes {
        o.compute_buffers += cb;
    }
    o
}

/// The machine as the routes see it.
struct Room<'a> {
    machine: &'a Machine,
    runtime: Runtime,
    cb: f64,
    /// RAM left for the model after the OS reserve and side tables moved to RAM.
    ram_usable: f64,
    unified: bool,
    /// (group index, usable bytes per GPU, count) of the GPUs the runtime can use.
    groups: Vec<(usize, f64, u32)>,
}

impl Room<'_> {
    /// RAM left once `gpu_bytes` are on the GPU (in unified memory both come from one pool).
    fn ram_left(&self, gpu_bytes: f64) -> f64 {
        if self.unified {
            (self.ram_usable - gpu_bytes).max(0.0)
        } else {
            self.ram_usable
        }
    }
    fn total_cap(&self) -> f64 {
        self.groups
            .iter()
            .map(|(_, per, n)| per * f64::from(*n))
            .sum()
    }
    fn total_gpus(&self) -> u32 {
        self.groups.iter().map(|g| g.2).sum()
    }
    fn all_groups(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.groups.iter().map(|(gi, _, n)| (*gi, *n))
    }
    fn overhead(&self, gpus: impl Iterator<Item = (usize, u32)>, cpu_computes: bool) -> Overhead {
        overhead_for(self.machine, self.runtime, gpus, self.cb, cpu_computes)
    }
}

/// Tensor parallelism over the best group of identical GPUs (vLLM, SGLang).
fn tensor_parallel(
    a: &Architecture,
    resident: f64,
    room: &Room,
    best: &mut Placement,
) -> Option<Placement> {
    let mut pick: Option<(usize, u32, f64)> = None;
    for &(gi, per, count) in &room.groups {
        let tp = tensor_parallel_degree(a, count);
        let cap = per * f64::from(tp);
        if pick.is_none_or(|(_, _, c)| cap > c) {
            pick = Some((gi, tp, cap));
        }
    }
    let (gi, tp, cap) = pick?;
    best.group = gi;
    best.gpu_capacity = cap;
    best.short_by = (resident - cap).max(0.0);
    if resident > cap {
        return None;
    }
    let o = room.overhead(std::iter::once((gi, tp)), false);
    Some(Placement {
        kind: if tp > 1 {
            PlacementKind::MultiGpu
        } else {
            PlacementKind::Gpu
        },
        split: Split::Tensor { tp },
        gpus_used: tp,
        gpu_layers: best.total_layers,
        gpu_bytes: resident + o.total(),
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// The largest single GPU.
fn one_gpu(resident: f64, room: &Room, best: &mut Placement) -> Option<Placement> {
    let (gi, per, _) = room
        .groups
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    best.group = gi;
    if resident > per {
        return None;
    }
    let o = room.overhead(std::iter::once((gi, 1)), false);
    Some(Placement {
        kind: PlacementKind::Gpu,
        gpus_used: 1,
        gpu_layers: best.total_layers,
        gpu_bytes: resident + o.total(),
        gpu_capacity: per,
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// Whole layers spread over every usable GPU (llama.cpp, Ollama, KTransformers).
fn layer_split(resident: f64, room: &Room, best: &Placement) -> Option<Placement> {
    let gpus = room.total_gpus();
    if gpus <= 1 || resident > room.total_cap() {
        return None;
    }
    let o = room.overhead(room.all_groups(), false);
    Some(Placement {
        kind: PlacementKind::MultiGpu,
        gpus_used: gpus,
        gpu_layers: best.total_layers,
        gpu_bytes: resident + o.total(),
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// MoE expert offload: attention, dense layers, shared experts, embeddings and KV on GPUs; routed
/// experts in RAM (KTransformers; llama.cpp `-ot exps=CPU`; Ollama has no such option).
fn expert_offload(
    needs: &Needs,
    resident: f64,
    room: &Room,
    best: &Placement,
) -> Option<Placement> {
    if needs.routed <= 0.0 || room.total_gpus() == 0 || room.runtime == Runtime::Ollama {
        return None;
    }
    let gpu_part = resident - needs.routed;
    let ram_part = needs.routed + room.cb;
    if gpu_part > room.total_cap() || ram_part > room.ram_left(gpu_part) {
        return None;
    }
    let o = room.overhead(room.all_groups(), true);
    Some(Placement {
        kind: PlacementKind::ExpertOffload,
        gpus_used: room.total_gpus(),
        gpu_layers: best.total_layers,
        gpu_bytes: gpu_part + o.total() - room.cb,
        ram_bytes: ram_part,
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// Partial offload: whole layers (weights and their KV) on GPUs, the rest and the embedding/head
/// in RAM.
fn partial_offload(
    needs: &Needs,
    resident: f64,
    room: &Room,
    best: &Placement,
) -> Option<Placement> {
    let layers = best.total_layers;
    let per_layer = (resident - needs.embed_output) / f64::from(layers.max(1));
    if room.total_gpus() == 0 || per_layer <= 0.0 {
        return None;
    }
    let n = ((room.total_cap() / per_layer).floor() as u32).min(layers.saturating_sub(1));
    if n == 0 {
        return None;
    }
    let gpu_part = per_layer * f64::from(n);
    let ram_part = resident - gpu_part + room.cb;
    if ram_part > room.ram_left(gpu_part) {
        return None;
    }
    let o = room.overhead(room.all_groups(), true);
    Some(Placement {
        kind: PlacementKind::PartialOffload,
        gpus_used: room.total_gpus(),
        gpu_layers: n,
        gpu_bytes: gpu_part + o.total() - room.cb,
        ram_bytes: ram_part,
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// Everything in RAM, computed by the CPU.
fn cpu_only(resident: f64, room: &Room, best: &Placement) -> Option<Placement> {
    let cpu_need = resident + room.cb;
    if cpu_need > room.ram_usable {
        return None;
    }
    let o = room.overhead(std::iter::empty(), true);
    Some(Placement {
        kind: PlacementKind::Cpu,
        gpus_used: 0,
        gpu_layers: 0,
        ram_bytes: cpu_need,
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// SSD streaming (ds4 on unified memory): everything but the routed experts in GPU memory; the
/// experts read from the SSD through a cache in the GPU memory that is left.
fn ssd_stream(needs: &Needs, resident: f64, room: &Room, best: &Placement) -> Option<Placement> {
    if needs.routed <= 0.0 {
        return None;
    }
    let (gi, per, _) = room
        .groups
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let gpu_part = resident - needs.routed;
    if gpu_part > per {
        return None;
    }
    let cache = (per - gpu_part).max(0.0).min(room.ram_left(gpu_part));
    let cached_fraction = (cache / needs.routed).clamp(0.0, 1.0);
    let o = room.overhead(std::iter::once((gi, 1)), false);
    Some(Placement {
        kind: PlacementKind::SsdStream,
        group: gi,
        gpus_used: 1,
        gpu_layers: best.total_layers,
        gpu_bytes: gpu_part + o.total(),
        ram_bytes: cache.min(needs.routed),
        disk_bytes: needs.routed * (1.0 - cached_fraction),
        cached_fraction,
        gpu_capacity: per,
        overhead: o,
        short_by: 0.0,
        ..*best
    })
}

/// Places `needs` on `machine` for `runtime`.
pub fn place(a: &Architecture, needs: &Needs, machine: &Machine, runtime: Runtime) -> Placement {
    let ram_usable = (machine.ram_gb * 1e9 - memory::os_reserve_bytes(machine.ram_gb)).max(0.0);
    let cb = needs.compute_buffer;
    let groups: Vec<(usize, f64, u32)> = machine
        .gpus
        .iter()
        .enumerate()
        .filter(|(_, g)| runtime_uses_gpu(runtime, g))
        .map(|(i, g)| (i, usable_per_gpu(g, runtime, machine.ram_gb, cb), g.count))
        .collect();
    let mut room = Room {
        machine,
        runtime,
        cb,
        ram_usable,
        unified: machine.is_unified(),
        groups,
    };
    // Side tables go to RAM when the runtime can keep them there and RAM has room beyond what
    // the rest needs on a unified machine; else they stay with the weights.
    let side = needs.side_tables.min(needs.weights).max(0.0);
    let rest = needs.weights - side + needs.kv;
    let side_to_ram = side > 0.0
        && offloads_side_tables(runtime)
        && side <= room.ram_left(if room.unified { rest } else { 0.0 });
    let with = |side_in_ram: f64, side_on_disk: f64, room: &Room| {
        let n = Needs {
            weights: needs.weights - side_in_ram - side_on_disk,
            ..*needs
        };
        let mut p = ladder(a, &n, room);
        p.side_in_ram = side_in_ram;
        p.side_on_disk = side_on_disk;
        if p.kind != PlacementKind::DoesNotFit {
            p.ram_bytes += side_in_ram;
            p.disk_bytes += side_on_disk;
        }
        p
    };
    if side_to_ram {
        room.ram_usable -= side;
        let p = with(side, 0.0, &room);
        room.ram_usable += side;
        if p.kind != PlacementKind::DoesNotFit {
            return p;
        }
    }
    let p = with(0.0, 0.0, &room);
    if p.kind != PlacementKind::DoesNotFit || side <= 0.0 || !streams_from_ssd(runtime) {
        return p;
    }
    // ds4: Engram tables disk-only.
    let on_disk = with(0.0, side, &room);
    if on_disk.kind != PlacementKind::DoesNotFit {
        on_disk
    } else {
        Placement {
            short_by: p.short_by.min(on_disk.short_by),
            ..p
        }
    }
}

/// The routes in order of preference for the runtime.
fn ladder(a: &Architecture, needs: &Needs, room: &Room) -> Placement {
    let resident = needs.weights + needs.kv;
    let mut best = Placement {
        kind: PlacementKind::DoesNotFit,
        split: Split::Layers,
        group: room.groups.first().map_or(0, |u| u.0),
        gpus_used: 0,
        gpu_layers: 0,
        total_layers: a.layers,
        gpu_bytes: 0.0,
        ram_bytes: 0.0,
        disk_bytes: 0.0,
        cached_fraction: 1.0,
        side_in_ram: 0.0,
        side_on_disk: 0.0,
        overhead: Overhead::default(),
        gpu_capacity: 0.0,
        ram_capacity: room.ram_usable,
        // With no usable GPU memory the GPU route is short by everything.
        short_by: resident,
    };

    if room.runtime.is_serving_engine() {
        return tensor_parallel(a, resident, room, &mut best).unwrap_or(best);
    }
    best.gpu_capacity = room.total_cap();
    if room.runtime == Runtime::Ktransformers || needs.experts_on_cpu {
        // KTransformers exists to keep attention on a GPU and the routed experts on the CPU (a
        // model that fits the GPUs whole is run by the other runtimes); `--cpu-moe` asks
        // llama.cpp for the same.
        best.group = room.groups.first().map_or(0, |g| g.0);
        let expert = expert_offload(needs, resident, room, &best);
        let shortfall = (resident - needs.routed - room.total_cap()).max(0.0)
            + (needs.routed + room.cb - room.ram_usable).max(0.0);
        best.short_by = shortfall;
        return expert.unwrap_or(best);
    }
    let gpu = one_gpu(resident, room, &mut best);
    if let Some(p) = gpu {
        return p;
    }
    if room.runtime.is_single_device() {
        // ds4 and MLX drive one device: past it, only SSD streaming remains — ds4's, on a
        // unified-memory machine where the expert cache is GPU memory (Metal, DGX Spark).
        if let Some(p) = (streams_from_ssd(room.runtime) && room.unified)
            .then(|| ssd_stream(needs, resident, room, &best))
            .flatten()
        {
            return p;
        }
        best.short_by = (resident - best.gpu_capacity).max(0.0);
        return best;
    }
    if let Some(p) = layer_split(resident, room, &best) {
        return p;
    }
    best.short_by = (resident - room.total_cap()).max(0.0);
    if !offloads(room.runtime) {
        return best;
    }

    let expert = expert_offload(needs, resident, room, &best);
    let partial = partial_offload(needs, resident, room, &best);
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
    if let Some(p) = cpu_only(resident, room, &best) {
        return p;
    }
    // Hybrid shortfall: GPU and RAM together (unified memory counts once).
    let pooled = if room.unified {
        room.ram_usable
    } else {
        room.ram_usable + room.total_cap()
    };
    best.short_by = best.short_by.min((resident + room.cb - pooled).max(0.0));
    best
}
