//! The memory tiers a MoE's routed experts and side tables can live in — GPU memory, system RAM,
//! disk — and which runtime can use which: one table for every runtime, read by the placement
//! ladder (DESIGN.md §3 "Experts fill the free VRAM").

use crate::catalog::schema::Runtime;

/// How a runtime puts routed experts on the GPU when they do not all fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpuExperts {
    /// All of them or none: the runtime has no per-expert placement.
    None,
    /// The experts of whole layers, the rest in RAM: llama.cpp `--n-cpu-moe N` / `-ot` rules
    /// (ik_llama.cpp takes the same flags).
    WholeLayers,
    /// The same number of experts of every layer: KTransformers' `--kt-num-gpu-experts`
    /// (kt-kernel's `num_gpu_experts` is per layer).
    PerLayer,
}

/// Where the cache over disk-resident experts lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheHome {
    /// GPU memory (ds4's expert cache: Metal or CUDA, unified memory on Macs and DGX Spark).
    Gpu,
    /// System RAM: the page cache over `mmap`ed experts (llama.cpp, computed by the CPU).
    Ram,
}

/// What one runtime can do with the tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierSupport {
    pub gpu_experts: GpuExperts,
    /// Routed experts held in system RAM and computed by the CPU.
    pub ram_experts: bool,
    /// Routed experts read from disk on demand through a cache, and where that cache lives.
    pub disk_experts: Option<CacheHome>,
    /// Side tables (V4.1's Engram) kept in system RAM instead of GPU memory.
    pub side_tables_in_ram: bool,
    /// Side tables read from disk, a few rows per token.
    pub side_tables_on_disk: bool,
}

/// The capability table. Sources: llama.cpp `--n-cpu-moe` / `--cpu-moe` (PR #15077) and `mmap`
/// (weights beyond RAM are paged in from the file); KTransformers kt-kernel `num_gpu_experts`
/// (per layer) with every other expert on the CPU; ds4 `--ssd-streaming` with an expert cache in
/// GPU memory (Metal; CUDA since PR #605/#647) and Engram "disk-only"; vLLM's V4.1 fork
/// `--engram-config cpu_offload`; SGLang's 4× DGX Spark V4.1 profiles keep Engram on each node's
/// NVMe (0xSero/local-ai-registry PR #55). Ollama offloads whole layers only; MLX and
/// TensorRT-LLM keep everything in device memory.
pub fn support(runtime: Runtime) -> TierSupport {
    let none = TierSupport {
        gpu_experts: GpuExperts::None,
        ram_experts: false,
        disk_experts: None,
        side_tables_in_ram: false,
        side_tables_on_disk: false,
    };
    match runtime {
        Runtime::LlamaCpp => TierSupport {
            gpu_experts: GpuExperts::WholeLayers,
            ram_experts: true,
            disk_experts: Some(CacheHome::Ram),
            side_tables_in_ram: true,
            side_tables_on_disk: true,
        },
        Runtime::Ktransformers => TierSupport {
            gpu_experts: GpuExperts::PerLayer,
            ram_experts: true,
            side_tables_in_ram: true,
            ..none
        },
        Runtime::Ds4 => TierSupport {
            disk_experts: Some(CacheHome::Gpu),
            side_tables_in_ram: true,
            side_tables_on_disk: true,
            ..none
        },
        Runtime::Vllm => TierSupport {
            side_tables_in_ram: true,
            ..none
        },
        Runtime::Sglang => TierSupport {
            side_tables_in_ram: true,
            side_tables_on_disk: true,
            ..none
        },
        Runtime::Ollama | Runtime::Mlx | Runtime::TensorrtLlm => none,
    }
}

/// Where a placement put the routed experts, bytes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ExpertTiers {
    /// MoE layers of the model.
    pub moe_layers: u32,
    /// Layers whose routed experts all sit on the GPUs (llama.cpp: `moe_layers − --n-cpu-moe`).
    pub layers_on_gpu: u32,
    /// Experts of every layer on the GPUs (KTransformers' `--kt-num-gpu-experts`).
    pub per_layer_on_gpu: u32,
    /// Routed-expert bytes held on the GPUs and in RAM for good.
    pub gpu: f64,
    pub ram: f64,
    /// Routed-expert bytes read from disk on demand, of which `cache` bytes are held in memory
    /// (in `cache_home`) at a time.
    pub streamed: f64,
    pub cache: f64,
    pub cache_home: Option<CacheHome>,
    /// Share of the streamed experts' reads the cache serves: the middle of the band (the
    /// routing's locality) and its low end (none: the cached share).
    pub hit_rate: f64,
    pub hit_rate_low: f64,
}

impl ExpertTiers {
    /// Every routed expert on the GPUs.
    pub fn all_on_gpu(moe_layers: u32, routed: f64) -> ExpertTiers {
        ExpertTiers {
            moe_layers,
            layers_on_gpu: moe_layers,
            gpu: routed,
            hit_rate: 1.0,
            hit_rate_low: 1.0,
            ..ExpertTiers::default()
        }
    }

    /// Bytes that live only on disk (the streamed experts the cache does not hold).
    pub fn disk_only(&self) -> f64 {
        (self.streamed - self.cache).max(0.0)
    }

    /// Share of the streamed experts held in memory.
    pub fn cached_share(&self) -> f64 {
        if self.streamed > 0.0 {
            (self.cache / self.streamed).clamp(0.0, 1.0)
        } else {
            1.0
        }
    }

    /// MoE layers with experts computed on the CPU, each a GPU↔CPU hand-off per token.
    pub fn cpu_layers(&self) -> u32 {
        let cpu_computes =
            self.ram > 0.0 || (self.streamed > 0.0 && self.cache_home == Some(CacheHome::Ram));
        if cpu_computes {
            self.moe_layers.saturating_sub(self.layers_on_gpu)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_llama_cpp_and_ds4_stream_experts_from_disk() {
        let streams: Vec<Runtime> = Runtime::ALL
            .into_iter()
            .filter(|r| support(*r).disk_experts.is_some())
            .collect();
        assert_eq!(streams, [Runtime::LlamaCpp, Runtime::Ds4]);
        assert_eq!(support(Runtime::Ds4).disk_experts, Some(CacheHome::Gpu));
        assert_eq!(
            support(Runtime::Ktransformers).gpu_experts,
            GpuExperts::PerLayer
        );
        assert!(!support(Runtime::Ollama).ram_experts);
    }

    #[test]
    fn tier_arithmetic() {
        let t = ExpertTiers {
            moe_layers: 43,
            layers_on_gpu: 10,
            streamed: 50e9,
            cache: 20e9,
            cache_home: Some(CacheHome::Ram),
            ..ExpertTiers::default()
        };
        assert_eq!(t.disk_only(), 30e9);
        assert!((t.cached_share() - 0.4).abs() < 1e-12);
        assert_eq!(t.cpu_layers(), 33);
        assert_eq!(ExpertTiers::all_on_gpu(43, 1e9).cpu_layers(), 0);
    }
}
