//! Verdict level and its one-sentence reason.

use super::disk::DiskCheck;
use super::placement::{Placement, PlacementKind};
use super::speed::Speed;
use crate::lang::Lang;

/// Decode speed below which a placement is called slow (tokens/s).
pub const SLOW_BELOW_TOK_S: f64 = 5.0;
/// Decode speed below which streaming experts from disk is no answer (tokens/s): a 500-token
/// reply would take more than eight minutes. Such a placement is judged "does not fit", short by
/// the bytes left on disk.
pub const STREAMING_UNUSABLE_BELOW_TOK_S: f64 = 1.0;
/// Decode speed from which a fit can be comfortable (DESIGN.md §3: ≥ ~15 tok/s).
pub const COMFORTABLE_FROM_TOK_S: f64 = 15.0;
/// Share of usable memory that must stay free for a comfortable fit.
pub const COMFORTABLE_HEADROOM: f64 = 0.10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictLevel {
    DoesNotFit,
    Slow,
    Tight,
    Comfortable,
}

impl VerdictLevel {
    pub fn json_name(self) -> &'static str {
        match self {
            VerdictLevel::Comfortable => "comfortable",
            VerdictLevel::Tight => "tight",
            VerdictLevel::Slow => "slow",
            VerdictLevel::DoesNotFit => "does_not_fit",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            VerdictLevel::Comfortable => lang.pick("comfortable", "流畅"),
            VerdictLevel::Tight => lang.pick("tight", "勉强"),
            VerdictLevel::Slow => lang.pick("slow", "很慢"),
            VerdictLevel::DoesNotFit => lang.pick("does not fit", "放不下"),
        }
    }
}

/// The verdict with the numbers its sentence needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub level: VerdictLevel,
    pub placement: PlacementKind,
    /// Free share of the memory the placement is limited by (GPU for GPU placements, else RAM).
    pub headroom_fraction: f64,
    pub headroom_gb: f64,
    pub decode_low: f64,
    pub decode_high: f64,
    pub gpu_layers: u32,
    pub total_layers: u32,
    pub short_by_gb: f64,
    /// Share of the routed experts held in memory under SSD streaming, and of their reads that
    /// cache serves.
    pub cached_fraction: f64,
    pub cache_hit_rate: f64,
    /// MoE layers, those whose experts are all on the GPUs, and experts of every layer on the
    /// GPUs (KTransformers).
    pub moe_layers: u32,
    pub expert_layers_on_gpu: u32,
    pub experts_per_layer_on_gpu: u32,
    /// Streaming from disk would be too slow to use (`STREAMING_UNUSABLE_BELOW_TOK_S`).
    pub streaming_too_slow: bool,
    /// The hot-expert cache is in GPU memory (ds4) rather than RAM (llama.cpp's page cache).
    pub cache_on_gpu: bool,
    /// GPUs hold part of the model (else the CPU computes everything).
    pub uses_gpu: bool,
    /// How much more free disk the model files need (0 when they fit or it is unknown).
    pub disk_short_by_gb: f64,
}

pub fn judge(p: &Placement, needed_on_limit: f64, s: &Speed, disk: &DiskCheck) -> Verdict {
    let (capacity, used) = match p.kind {
        // Side tables held in RAM or on disk do not take GPU memory.
        PlacementKind::Gpu | PlacementKind::MultiGpu => (
            p.gpu_capacity,
            needed_on_limit - p.side_in_ram - p.side_on_disk,
        ),
        _ => (p.ram_capacity, p.ram_bytes),
    };
    let headroom = (capacity - used).max(0.0);
    let headroom_fraction = if capacity > 0.0 {
        headroom / capacity
    } else {
        0.0
    };
    let streaming_too_slow =
        p.kind == PlacementKind::SsdStream && s.decode < STREAMING_UNUSABLE_BELOW_TOK_S;
    let level = if p.kind == PlacementKind::DoesNotFit || streaming_too_slow {
        VerdictLevel::DoesNotFit
    } else if s.decode < SLOW_BELOW_TOK_S {
        VerdictLevel::Slow
    } else if s.decode >= COMFORTABLE_FROM_TOK_S
        && headroom_fraction >= COMFORTABLE_HEADROOM
        // Offloading is never comfortable: it is the fallback when the GPU is too small; nor is
        // a model whose files do not fit the disk yet.
        && !p.kind.is_fallback()
        && disk.fits()
    {
        VerdictLevel::Comfortable
    } else {
        VerdictLevel::Tight
    };
    Verdict {
        level,
        placement: p.kind,
        headroom_fraction,
        headroom_gb: headroom / 1e9,
        decode_low: s.decode_low,
        decode_high: s.decode_high,
        gpu_layers: p.gpu_layers,
        total_layers: p.total_layers,
        short_by_gb: if streaming_too_slow {
            p.disk_bytes / 1e9
        } else {
            p.short_by / 1e9
        },
        cached_fraction: p.cached_fraction(),
        cache_hit_rate: p.experts.hit_rate,
        moe_layers: p.experts.moe_layers,
        expert_layers_on_gpu: p.experts.layers_on_gpu,
        experts_per_layer_on_gpu: p.experts.per_layer_on_gpu,
        streaming_too_slow,
        cache_on_gpu: p.experts.cache_home == Some(crate::estimate::tiers::CacheHome::Gpu),
        uses_gpu: p.gpus_used > 0,
        disk_short_by_gb: disk.short_by / 1e9,
    }
}

/// `40–55` style speed range, rounded sensibly.
pub fn speed_range(low: f64, high: f64) -> String {
    let r = |v: f64| {
        if v >= 20.0 {
            format!("{:.0}", v)
        } else if v >= 2.0 {
            format!("{:.1}", v)
        } else {
            format!("{:.2}", v)
        }
    };
    format!("{}–{}", r(low), r(high))
}

impl Verdict {
    /// What the GPUs hold of a MoE whose experts do not all fit: "Attention and shared experts
    /// on the GPU with the routed experts of 24 of 43 layers".
    pub fn expert_split(&self, lang: Lang) -> String {
        let (layers, of) = (self.expert_layers_on_gpu, self.moe_layers);
        let per = self.experts_per_layer_on_gpu;
        match lang {
            Lang::En if !self.uses_gpu => "The CPU computes everything from RAM".to_string(),
            Lang::En if per > 0 => format!(
                "Attention and shared experts on the GPU with {per} routed experts of every layer"
            ),
            Lang::En if layers > 0 => format!(
                "Attention and shared experts on the GPU with the routed experts of {layers} of {of} layers"
            ),
            Lang::En => "Attention and shared experts on the GPU".to_string(),
            Lang::Zh if !self.uses_gpu => "CPU 用内存计算全部".to_string(),
            Lang::Zh if per > 0 => format!("注意力与共享专家放显存，每层另放 {per} 个路由专家"),
            Lang::Zh if layers > 0 => {
                format!("注意力与共享专家放显存，{of} 层中 {layers} 层的路由专家也放显存")
            }
            Lang::Zh => "注意力与共享专家放显存".to_string(),
        }
    }

    /// "other" when some routed experts are on the GPUs, else "routed".
    fn rest_of_experts(&self) -> &'static str {
        if self.uses_gpu && (self.expert_layers_on_gpu > 0 || self.experts_per_layer_on_gpu > 0) {
            "other"
        } else {
            "routed"
        }
    }

    /// One sentence in the requested language, plus one about the disk when the files don't fit.
    pub fn reason(&self, lang: Lang) -> String {
        let main = self.placement_sentence(lang);
        if self.disk_short_by_gb > 0.0 && self.level != VerdictLevel::DoesNotFit {
            let more = self.disk_short_by_gb;
            match lang {
                Lang::En => format!("{main} The files need {more:.0} GB more free disk space."),
                Lang::Zh => format!("{main}模型文件还需要约 {more:.0} GB 磁盘空间。"),
            }
        } else {
            main
        }
    }

    fn placement_sentence(&self, lang: Lang) -> String {
        let speed = speed_range(self.decode_low, self.decode_high);
        let head = self.headroom_gb;
        match (self.level, self.placement, lang) {
            (VerdictLevel::DoesNotFit, _, Lang::En) if self.streaming_too_slow => format!(
                "Would only run by streaming {:.0} GB of experts from the SSD, at about {speed} tokens/s: too slow to use.",
                self.short_by_gb
            ),
            (VerdictLevel::DoesNotFit, _, Lang::Zh) if self.streaming_too_slow => format!(
                "只能从固态硬盘流式读取约 {:.0} GB 专家权重，约 {speed} token/s，慢到无法使用。",
                self.short_by_gb
            ),
            (VerdictLevel::DoesNotFit, _, Lang::En) => {
                format!("Needs about {:.1} GB more memory than this machine can give it.", self.short_by_gb)
            }
            (VerdictLevel::DoesNotFit, _, Lang::Zh) => {
                format!("比本机可用内存/显存还差约 {:.1} GB。", self.short_by_gb)
            }
            (_, PlacementKind::Gpu | PlacementKind::MultiGpu, Lang::En) => {
                if self.level == VerdictLevel::Comfortable {
                    format!("Fits in GPU memory with {head:.1} GB to spare; about {speed} tokens/s.")
                } else if self.headroom_fraction < COMFORTABLE_HEADROOM {
                    format!("Fits in GPU memory with only {head:.1} GB to spare; about {speed} tokens/s.")
                } else {
                    format!("Fits in GPU memory, but decodes at only about {speed} tokens/s.")
                }
            }
            (_, PlacementKind::Gpu | PlacementKind::MultiGpu, Lang::Zh) => {
                if self.level == VerdictLevel::Comfortable {
                    format!("可完全放入显存，余 {head:.1} GB；约 {speed} token/s。")
                } else if self.headroom_fraction < COMFORTABLE_HEADROOM {
                    format!("可放入显存，但只余 {head:.1} GB；约 {speed} token/s。")
                } else {
                    format!("可放入显存，但生成速度只有约 {speed} token/s。")
                }
            }
            (_, PlacementKind::PartialOffload, Lang::En) => format!(
                "Only {} of {} layers fit on the GPU; the rest run from RAM at about {speed} tokens/s.",
                self.gpu_layers, self.total_layers
            ),
            (_, PlacementKind::PartialOffload, Lang::Zh) => format!(
                "显存只放得下 {}/{} 层，其余在内存中运行，约 {speed} token/s。",
                self.gpu_layers, self.total_layers
            ),
            (_, PlacementKind::ExpertOffload, Lang::En) => format!(
                "{}; the {} experts in RAM: about {speed} tokens/s.",
                self.expert_split(lang),
                self.rest_of_experts()
            ),
            (_, PlacementKind::ExpertOffload, Lang::Zh) => format!(
                "{}；其余专家放内存：约 {speed} token/s。",
                self.expert_split(lang)
            ),
            (_, PlacementKind::SsdStream, Lang::En) => format!(
                "{}; the {} experts stream from the SSD through a cache in {} holding {:.0}% of them (about {:.0}% of reads hit it, an estimate): about {speed} tokens/s.",
                self.expert_split(lang),
                self.rest_of_experts(),
                if self.cache_on_gpu { "GPU memory" } else { "RAM" },
                self.cached_fraction * 100.0,
                self.cache_hit_rate * 100.0
            ),
            (_, PlacementKind::SsdStream, Lang::Zh) => format!(
                "{}；其余专家从固态硬盘流式读取，经{}中的缓存（容纳 {:.0}%，约 {:.0}% 的读取命中，为估计值）：约 {speed} token/s。",
                self.expert_split(lang),
                if self.cache_on_gpu { "显存" } else { "内存" },
                self.cached_fraction * 100.0,
                self.cache_hit_rate * 100.0
            ),
            (_, PlacementKind::Cpu, Lang::En) => format!("Runs on the CPU from RAM at about {speed} tokens/s."),
            (_, PlacementKind::Cpu, Lang::Zh) => format!("仅用 CPU 和内存运行，约 {speed} token/s。"),
            (_, PlacementKind::DoesNotFit, Lang::En) => "Does not fit.".to_string(),
            (_, PlacementKind::DoesNotFit, Lang::Zh) => "放不下。".to_string(),
        }
    }
}
