//! Quality tiers the wizard offers: each is a model and the hardware that self-hosts it. The API
//! always serves the full model; the tier decides what the self-hosted options run.

use crate::catalog::schema::Runtime;
use crate::catalog::Catalog;
use crate::cost::inputs::Deployment;
use crate::lang::Lang;

pub struct QualityTier {
    pub label_en: &'static str,
    pub label_zh: &'static str,
    pub deployment: fn() -> Deployment,
}

impl QualityTier {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label_en, self.label_zh)
    }

    /// True when `d` is exactly this tier's setup (a scenario may hold its own).
    pub fn matches(&self, d: &Deployment) -> bool {
        (self.deployment)() == *d
    }
}

pub const TIERS: [QualityTier; 3] = [
    QualityTier {
        label_en: "Full DeepSeek-R1-0528 (671B MoE) on 8× H200, FP8",
        label_zh: "满血 DeepSeek-R1-0528（671B MoE），8× H200，FP8",
        deployment: || Deployment {
            model: "deepseek-r1-0528".into(),
            quant: "FP8".into(),
            runtime: Runtime::Sglang,
            gpu: "h200-sxm".into(),
            gpus_per_server: 8,
        },
    },
    QualityTier {
        label_en: "R1-Distill-Qwen-32B on one A100 80GB, AWQ 4-bit",
        label_zh: "R1-Distill-Qwen-32B，单张 A100 80GB，AWQ 4 位",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-32b".into(),
            quant: "AWQ".into(),
            runtime: Runtime::Vllm,
            gpu: "a100-80gb-sxm".into(),
            gpus_per_server: 1,
        },
    },
    QualityTier {
        label_en: "R1-Distill-Qwen-14B on one RTX 4090, Q4_K_M",
        label_zh: "R1-Distill-Qwen-14B，单张 RTX 4090，Q4_K_M",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-14b".into(),
            quant: "Q4_K_M".into(),
            runtime: Runtime::LlamaCpp,
            gpu: "rtx-4090".into(),
            gpus_per_server: 1,
        },
    },
];

/// The official scores of a catalog model the tiers are compared by, e.g.
/// `AIME 2024 79.8 · GPQA Diamond 71.5`; empty when the catalog has none.
pub fn scores(model: &str) -> String {
    let Ok(m) = Catalog::get().model(model) else {
        return String::new();
    };
    let find = |name: &str| {
        m.quality
            .iter()
            .find(|q| q.benchmark.starts_with(name))
            .map(|q| q.value)
    };
    match (find("AIME 2024"), find("GPQA Diamond")) {
        (Some(a), Some(g)) => format!("AIME 2024 {a} · GPQA Diamond {g}"),
        _ => String::new(),
    }
}

/// A short name for a deployment: `DeepSeek-R1-0528 FP8 · 8× H200`.
pub fn deployment_name(d: &Deployment) -> String {
    let c = Catalog::get();
    let model = c.model(&d.model).map_or(d.model.as_str(), |m| &m.name);
    let gpu = c.gpu(&d.gpu).map_or(d.gpu.as_str(), |g| &g.name);
    let gpu = gpu
        .trim_start_matches("NVIDIA ")
        .trim_start_matches("GeForce ");
    format!("{model} {} · {}× {gpu}", d.quant, d.gpus_per_server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tier_names_catalog_entries_and_matches_itself_only() {
        let c = Catalog::get();
        for (i, t) in TIERS.iter().enumerate() {
            let d = (t.deployment)();
            assert!(c.model(&d.model).is_ok(), "{}", d.model);
            assert!(c.quant(&d.quant).is_ok(), "{}", d.quant);
            assert!(c.gpu(&d.gpu).is_ok(), "{}", d.gpu);
            for (j, other) in TIERS.iter().enumerate() {
                assert_eq!(other.matches(&d), i == j);
            }
        }
    }
}
