//! Where a measured run spent its time: the regimes accuracy is reported per (issue 19).

use crate::catalog::schema::{MeasuredPoint, Metric, Offload, Runtime};
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Regime {
    /// One user, all weights on discrete GPUs (one card, a layer split or tensor parallel).
    SingleUserGpu,
    /// Part of the weights (routed experts, or whole layers) in system RAM.
    HybridOffload,
    /// No GPU.
    Cpu,
    /// A GPU that shares system memory (Apple Silicon, DGX Spark, Strix Halo).
    UnifiedMemory,
    /// Routed experts streamed from the SSD.
    SsdStreaming,
    /// Several users at once: per-user speed, aggregate output and first-token time of a server.
    MultiGpuServing,
}

impl Regime {
    pub const ALL: [Regime; 6] = [
        Regime::SingleUserGpu,
        Regime::HybridOffload,
        Regime::Cpu,
        Regime::UnifiedMemory,
        Regime::SsdStreaming,
        Regime::MultiGpuServing,
    ];

    pub fn json_name(self) -> &'static str {
        match self {
            Regime::SingleUserGpu => "single_user_gpu",
            Regime::HybridOffload => "hybrid_offload",
            Regime::Cpu => "cpu",
            Regime::UnifiedMemory => "unified_memory",
            Regime::SsdStreaming => "ssd_streaming",
            Regime::MultiGpuServing => "multi_gpu_serving",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Regime::SingleUserGpu => lang.pick("single user, GPU", "单用户，GPU"),
            Regime::HybridOffload => lang.pick("hybrid offload", "GPU+内存混合"),
            Regime::Cpu => lang.pick("CPU only", "纯 CPU"),
            Regime::UnifiedMemory => lang.pick("unified memory", "统一内存"),
            Regime::SsdStreaming => lang.pick("SSD streaming", "SSD 流式加载"),
            Regime::MultiGpuServing => lang.pick("multi-user serving", "多用户服务"),
        }
    }

    /// The regime of one metric of a measured point. `unified` says whether its first GPU shares
    /// system memory.
    pub fn of(p: &MeasuredPoint, metric: Metric, unified: bool) -> Regime {
        let serving_metric = matches!(metric, Metric::PerUser | Metric::Aggregate | Metric::Ttft);
        if serving_metric || p.concurrency() > 1 {
            Regime::MultiGpuServing
        } else if p.offload == Offload::SsdStream {
            Regime::SsdStreaming
        } else if p.gpus.is_empty() {
            Regime::Cpu
        } else if matches!(p.offload, Offload::Experts | Offload::Layers)
            || p.runtime == Some(Runtime::Ktransformers)
        {
            Regime::HybridOffload
        } else if unified {
            Regime::UnifiedMemory
        } else {
            Regime::SingleUserGpu
        }
    }
}
