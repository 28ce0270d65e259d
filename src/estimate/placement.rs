//! Where a model goes on a machine under a runtime: one GPU, several GPUs (layer split for
//! llama.cpp-style runtimes, tensor parallel for vLLM/SGLang, also across the boxes of a small-box
//! cluster), a MoE's routed experts spread over the tiers the runtime supports (GPU memory, then
//! RAM, then disk through a hot-expert cache: `tiers`), partial offload, CPU only — or nowhere, by
//! how much. `place` reads as the ladder; each route is a function of its own.

use super::expert_cache;
use super::memory::{self, Overhead};
use super::tiers::{self, CacheHome, ExpertTiers, GpuExperts, TierSupport};
use crate::catalog::schema::{Architecture, DeviceClass, Runtime};
use crate::hardware::{GpuGroup, Machine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlacementKind {
    Gpu,
    MultiGpu,
    PartialOffload,
    /// Everything but the routed experts on the GPUs; the experts of as many layers as fit there
    /// too, the rest in RAM (llama.cpp `--n-cpu-moe`, KTransformers).
    ExpertOffload,
    Cpu,
    /// Part of the routed experts is read from disk through a hot-expert cache in memory (ds4
    /// `--ssd-streaming`, llama.cpp's page cache over `mmap`).
    SsdStream,
    DoesNotFit,
}

impl PlacementKind {
    /// Reads part of the weights from disk each token. Such a speed rests on a hot-expert cache's
    /// hit rate and on little measurement, so an option held in memory ranks first at the same
    /// verdict (`grid::compare`, `best::better`).
    pub fn streams_from_disk(self) -> bool {
        self == PlacementKind::SsdStream
    }

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
    pub routing: Routing,
}

/// How a MoE routes tokens: what the expert tiers and the hot-expert cache depend on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Routing {
    pub moe_layers: u32,
    /// Routed experts per layer, and how many one token uses.
    pub experts: u32,
    pub per_token: u32,
    /// Zipf exponent of expert popularity (`expert_cache`).
    pub zipf: f64,
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
    /// Where the routed experts are: GPUs, RAM, disk behind a cache.
    pub experts: ExpertTiers,
    /// Side tables (Engram) held in system RAM, and on disk.
    pub side_in_ram: f64,
    pub side_on_disk: f64,
    pub overhead: Overhead,
    /// Usable GPU memory across the GPUs considered, and usable RAM, bytes.
    pub gpu_capacity: f64,
    pub ram_capacity: f64,
    /// For `DoesNotFit`: the smallest shortfall over the routes this runtime has, bytes.
    pub short_by: f64,
    /// Boxes of a small-box cluster the model spans (1 on one machine).
    pub nodes: u32,
}

impl Placement {
    /// Share of the routed experts held in memory (below 1 only when some stream from disk).
    pub fn cached_fraction(&self) -> f64 {
        self.experts.cached_share()
    }

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

/// Usable bytes of one GPU of a group under a runtime, before weights (after display reserve,
/// runtime context and the serving reserve). For a unified-memory chip: its GPU working set.
fn usable_per_gpu(g: &GpuGroup, runtime: Runtime, ram_gb: f64, compute_buffer: f64) -> f64 {
    // A unified-memory box (each box of a small-box cluster) has `ram_gb` of memory.
    let vram = if g.is_unified() {
        memory::unified_gpu_fraction(g.spec.class, g.spec.vendor, ram_gb) * ram_gb * 1e9
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
                machine.ram_gb
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
    /// Boxes of a small-box cluster (their memory is in `ram_usable` and `groups`).
    nodes: u32,
    tiers: TierSupport,
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

/// Routed experts spread over the tiers the runtime has (`tiers::support`): everything else
/// (attention, shared experts, dense layers, embeddings, KV) on the GPUs; then the experts of as
/// many layers (llama.cpp `--n-cpu-moe`) or as many experts per layer (KTransformers) as the free
/// GPU memory holds; the rest in RAM; what RAM cannot hold is read from disk on demand through a
/// hot-expert cache (in RAM for llama.cpp's page cache, in GPU memory for ds4). With `use_gpus`
/// false the CPU computes everything from RAM and disk.
fn tiered_experts(
    needs: &Needs,
    resident: f64,
    room: &Room,
    best: &mut Placement,
    use_gpus: bool,
) -> Option<Placement> {
    let routed = needs.routed;
    let rt = needs.routing;
    let t = room.tiers;
    let on_gpu = use_gpus && room.total_gpus() > 0;
    if routed <= 0.0 || rt.moe_layers == 0 || rt.experts == 0 || use_gpus != on_gpu {
        return None;
    }
    if !on_gpu && t.disk_experts != Some(CacheHome::Ram) {
        return None;
    }
    let non_routed = resident - routed;
    let gpu_cap = if on_gpu { room.total_cap() } else { 0.0 };
    // What the GPUs lack for everything but the experts; the rest of the route is still worked
    // out so that the shortfall counts every tier.
    let gpu_short = if on_gpu {
        (non_routed - gpu_cap).max(0.0)
    } else {
        0.0
    };
    let free_gpu = (gpu_cap - if on_gpu { non_routed } else { 0.0 }).max(0.0);
    let mut e = ExpertTiers {
        moe_layers: rt.moe_layers,
        hit_rate: 1.0,
        hit_rate_low: 1.0,
        ..ExpertTiers::default()
    };
    if on_gpu && !needs.experts_on_cpu {
        match t.gpu_experts {
            GpuExperts::WholeLayers => {
                let per_layer = routed / f64::from(rt.moe_layers);
                e.layers_on_gpu = ((free_gpu / per_layer).floor() as u32).min(rt.moe_layers);
                e.gpu = per_layer * f64::from(e.layers_on_gpu);
            }
            GpuExperts::PerLayer => {
                let per_expert = routed / f64::from(rt.experts);
                e.per_layer_on_gpu = ((free_gpu / per_expert).floor() as u32).min(rt.experts);
                e.gpu = per_expert * f64::from(e.per_layer_on_gpu);
            }
            GpuExperts::None => {}
        }
    }
    let rest = (routed - e.gpu).max(0.0);
    let gpu_used = if on_gpu {
        non_routed.min(gpu_cap) + e.gpu
    } else {
        0.0
    };
    let cpu_computes = t.ram_experts || !on_gpu;
    let ram_free = (room.ram_left(gpu_used)
        - if on_gpu { 0.0 } else { non_routed }
        - if cpu_computes { room.cb } else { 0.0 })
    .max(0.0);
    let mut kind = PlacementKind::ExpertOffload;
    if rest > 0.0 {
        if t.ram_experts && rest <= ram_free {
            if !on_gpu {
                // Everything in RAM is the CPU-only route's.
                return None;
            }
            if gpu_short > 0.0 {
                best.short_by = best.short_by.min(gpu_short);
                return None;
            }
            e.ram = rest;
        } else {
            let cache = match t.disk_experts {
                Some(CacheHome::Ram) if t.ram_experts || !on_gpu => ram_free,
                Some(CacheHome::Gpu) if on_gpu => (free_gpu - e.gpu).min(room.ram_left(gpu_used)),
                _ => {
                    let room_for_rest = if t.ram_experts { ram_free } else { 0.0 };
                    best.short_by = best.short_by.min(gpu_short + rest - room_for_rest);
                    return None;
                }
            };
            // The cache must hold one token's experts of every layer (ds4 PR #725's floor).
            let floor = rest * needs.routed_active_fraction;
            if cache < floor || gpu_short > 0.0 {
                best.short_by = best.short_by.min(gpu_short + (floor - cache).max(0.0));
                return None;
            }
            kind = PlacementKind::SsdStream;
            e.streamed = rest;
            e.cache = cache.min(rest);
            e.cache_home = t.disk_experts;
            let share = e.cached_share();
            e.hit_rate = expert_cache::hit_rate(share, rt.experts, rt.per_token, rt.zipf);
            e.hit_rate_low = expert_cache::hit_rate(share, rt.experts, rt.per_token, 0.0);
        }
    }
    let cache_on = |home| {
        if e.cache_home == Some(home) {
            e.cache
        } else {
            0.0
        }
    };
    let cpu_busy = !on_gpu || e.cpu_layers() > 0;
    let o = if on_gpu {
        room.overhead(room.all_groups(), cpu_busy)
    } else {
        room.overhead(std::iter::empty(), true)
    };
    let cpu_buffer = if cpu_busy { room.cb } else { 0.0 };
    Some(Placement {
        kind,
        gpus_used: if on_gpu { room.total_gpus() } else { 0 },
        gpu_layers: if on_gpu { best.total_layers } else { 0 },
        gpu_bytes: if on_gpu {
            gpu_used + cache_on(CacheHome::Gpu) + o.total() - cpu_buffer
        } else {
            0.0
        },
        ram_bytes: e.ram
            + cache_on(CacheHome::Ram)
            + cpu_buffer
            + if on_gpu { 0.0 } else { non_routed },
        disk_bytes: e.disk_only(),
        experts: e,
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

/// Per-token seconds a placement spends reading RAM and disk at their peak rates: a ranking
/// between routes, not the speed.
fn slow_read_time(p: &Placement, needs: &Needs, machine: &Machine) -> f64 {
    let a = needs.routed_active_fraction;
    let e = &p.experts;
    let (ram, disk) = match p.kind {
        PlacementKind::PartialOffload => {
            let layers = (needs.weights - needs.embed_output - needs.routed).max(0.0);
            (
                (1.0 - p.gpu_layer_fraction()) * (layers + needs.routed * a),
                0.0,
            )
        }
        _ => {
            let cached = if e.cache_home == Some(CacheHome::Ram) {
                e.hit_rate * e.streamed
            } else {
                0.0
            };
            ((e.ram + cached) * a, (1.0 - e.hit_rate) * e.streamed * a)
        }
    };
    ram / (machine.cpu_mem_bw_gbs * 1e9).max(1.0) + disk / (machine.ssd_read_gbs * 1e9).max(1.0)
}

/// Places `needs` on `machine` for `runtime`.
pub fn place(a: &Architecture, needs: &Needs, machine: &Machine, runtime: Runtime) -> Placement {
    let nodes = machine.nodes();
    let per_node = (machine.ram_gb * 1e9 - memory::os_reserve_bytes(machine.ram_gb)).max(0.0);
    let cb = needs.compute_buffer;
    let groups: Vec<(usize, f64, u32)> = machine
        .gpus
        .iter()
        .enumerate()
        .filter(|(_, g)| runtime_uses_gpu(runtime, g))
        .map(|(i, g)| (i, usable_per_gpu(g, runtime, machine.ram_gb, cb), g.count))
        .collect();
    let tiers = tiers::support(runtime);
    let mut room = Room {
        machine,
        runtime,
        cb,
        ram_usable: per_node * f64::from(nodes),
        unified: machine.is_unified(),
        groups,
        nodes,
        tiers,
    };
    // Side tables (Engram: a few rows read per token) go where the runtime can keep them: RAM
    // when it has room beyond what the rest needs and no expert would then stream from disk, else
    // disk, else they stay with the weights.
    let side = needs.side_tables.min(needs.weights).max(0.0);
    let rest = needs.weights - side + needs.kv;
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
    let fits = |p: &Placement| p.kind != PlacementKind::DoesNotFit;
    let mut in_ram = None;
    if side > 0.0
        && tiers.side_tables_in_ram
        && side <= room.ram_left(if room.unified { rest } else { 0.0 })
    {
        room.ram_usable -= side;
        let p = with(side, 0.0, &room);
        room.ram_usable += side;
        if fits(&p) && p.experts.streamed <= 0.0 {
            return p;
        }
        in_ram = Some(p);
    }
    if side > 0.0 && tiers.side_tables_on_disk {
        let p = with(0.0, side, &room);
        if fits(&p) {
            return p;
        }
    }
    if let Some(p) = in_ram.filter(fits) {
        return p;
    }
    with(0.0, 0.0, &room)
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
        experts: ExpertTiers::all_on_gpu(needs.routing.moe_layers, needs.routed),
        side_in_ram: 0.0,
        side_on_disk: 0.0,
        overhead: Overhead::default(),
        gpu_capacity: 0.0,
        ram_capacity: room.ram_usable,
        // With no usable GPU memory the GPU route is short by everything.
        short_by: resident,
        nodes: 1,
    };
    let whole_cluster = |p: Placement| Placement {
        nodes: room.nodes,
        ..p
    };

    if room.runtime.is_serving_engine() {
        return tensor_parallel(a, resident, room, &mut best)
            .map(whole_cluster)
            .unwrap_or(best);
    }
    best.gpu_capacity = room.total_cap();
    if room.runtime == Runtime::Ktransformers || needs.experts_on_cpu {
        // KTransformers exists to keep attention on a GPU and the routed experts on the CPU (a
        // model that fits the GPUs whole is run by the other runtimes); `--cpu-moe` asks
        // llama.cpp for the same.
        best.group = room.groups.first().map_or(0, |g| g.0);
        best.short_by = (resident - needs.routed - room.total_cap()).max(0.0)
            + (needs.routed + room.cb - room.ram_usable).max(0.0);
        return tiered_experts(needs, resident, room, &mut best, true).unwrap_or(best);
    }
    let gpu = one_gpu(resident, room, &mut best);
    if let Some(p) = gpu {
        return p;
    }
    if room.runtime.is_single_device() {
        // ds4 and MLX drive one device: past it, MLX spans the boxes of a cluster (MLX
        // distributed, exo) and ds4 streams the experts from the SSD.
        best.short_by = (resident - best.gpu_capacity).max(0.0);
        if room.runtime == Runtime::Mlx && room.nodes > 1 {
            let mut cluster = best;
            if let Some(p) = tensor_parallel(a, resident, room, &mut cluster) {
                return whole_cluster(p);
            }
            best.short_by = best.short_by.min(cluster.short_by);
        }
        return tiered_experts(needs, resident, room, &mut best, true).unwrap_or(best);
    }
    if let Some(p) = layer_split(resident, room, &best) {
        return whole_cluster(p);
    }
    best.short_by = (resident - room.total_cap()).max(0.0);
    if !offloads(room.runtime) {
        return best;
    }

    let tiered = tiered_experts(needs, resident, room, &mut best, true);
    let partial = partial_offload(needs, resident, room, &best);
    // Both possible: keep the one that spends less time reading RAM and disk per token.
    match (tiered, partial) {
        (Some(e), Some(p)) => {
            let m = room.machine;
            return if slow_read_time(&e, needs, m) <= slow_read_time(&p, needs, m) {
                e
            } else {
                p
            };
        }
        (Some(e), None) => return e,
        (None, Some(p)) => return p,
        (None, None) => {}
    }
    if let Some(p) = cpu_only(resident, room, &best) {
        return p;
    }
    // No GPU holds what must sit on one: the CPU computes it all, streaming experts if it can.
    if let Some(p) = tiered_experts(needs, resident, room, &mut best, false) {
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
