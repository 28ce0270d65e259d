//! Like with like: the API endpoint a self-hosted model is compared with, chosen by quality tier,
//! and the two models' published scores side by side.

use super::inputs::Deployment;
use crate::catalog::schema::{ModelEntry, QualityScore, Runtime};
use crate::catalog::Catalog;
use crate::lang::Lang;

/// DeepSeek's API endpoint for the Pro tier.
pub const PRO_ENDPOINT: &str = "deepseek-v4-pro";
/// DeepSeek's API endpoint for the Flash tier (V4.1-Flash since 2026-09-10).
pub const FLASH_ENDPOINT: &str = "deepseek-flash";

/// Quality tier of a model, for pairing it with an API endpoint (higher is stronger).
pub fn tier_rank(model_id: &str) -> u8 {
    if model_id.starts_with("deepseek-v4-pro") {
        3
    } else if model_id.starts_with("deepseek-v4-flash")
        || model_id.starts_with("deepseek-v4.1-flash")
    {
        2
    } else {
        // Everything older or smaller: V3.x, R1, the distills.
        1
    }
}

/// The endpoint serving the same tier as `model_id`: Pro for V4-Pro, Flash otherwise (older and
/// smaller models have no API of their own any more; the Flash API is stronger than them).
pub fn endpoint_for(model_id: &str) -> &'static str {
    if tier_rank(model_id) >= 3 {
        PRO_ENDPOINT
    } else {
        FLASH_ENDPOINT
    }
}

/// How the API's model compares with the self-hosted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    SameTier,
    /// The self-hosted model is weaker: a cheaper self-hosted option buys less quality.
    ApiStronger,
    SelfHostedStronger,
}

impl Relation {
    pub fn of(self_hosted: &str, api_model: &str) -> Relation {
        match tier_rank(api_model).cmp(&tier_rank(self_hosted)) {
            std::cmp::Ordering::Equal => Relation::SameTier,
            std::cmp::Ordering::Greater => Relation::ApiStronger,
            std::cmp::Ordering::Less => Relation::SelfHostedStronger,
        }
    }

    pub fn json_name(self) -> &'static str {
        match self {
            Relation::SameTier => "same_tier",
            Relation::ApiStronger => "api_stronger",
            Relation::SelfHostedStronger => "self_hosted_stronger",
        }
    }
}

/// A model's published scores; a dated refresh without its own table (V4.1-Flash-1017,
/// V4-Pro-0813) borrows its release's, and says so.
pub fn scores_of(model: &ModelEntry) -> (&'static [QualityScore], Option<&'static str>) {
    let c = Catalog::get();
    if let Ok(m) = c.model(&model.id) {
        if !m.quality.is_empty() {
            return (&m.quality, None);
        }
        if let Some((base, suffix)) = m.id.rsplit_once('-') {
            if suffix.len() == 4 && suffix.chars().all(|ch| ch.is_ascii_digit()) {
                if let Ok(b) = c.model(base) {
                    if !b.quality.is_empty() {
                        return (&b.quality, Some(b.name.as_str()));
                    }
                }
            }
        }
    }
    (&[], None)
}

/// `GPQA Diamond (V4 card, Max)` → `GPQA Diamond`: the benchmark without suite and settings.
fn short_name(name: &str) -> &str {
    let a = name.split(" (").next().unwrap_or(name);
    a.split(" pass@").next().unwrap_or(a).trim()
}

fn benchmark_key(name: &str) -> String {
    short_name(name).to_lowercase()
}

/// One benchmark of the comparison: the self-hosted model's and the API model's score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePair {
    pub benchmark: String,
    pub self_hosted: Option<f64>,
    pub api: Option<f64>,
}

/// The self-hosted model and the API's, side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub self_hosted_model: String,
    pub api_endpoint: String,
    pub api_model: Option<String>,
    pub relation: Relation,
    /// Shared benchmarks first; up to three rows.
    pub scores: Vec<ScorePair>,
}

impl Comparison {
    pub fn new(self_hosted: &str, endpoint: &str, api_model: Option<&str>) -> Comparison {
        let c = Catalog::get();
        let relation = api_model.map_or(Relation::SameTier, |a| Relation::of(self_hosted, a));
        let mine = c.model(self_hosted).map(scores_of).map_or(&[][..], |s| s.0);
        let theirs = api_model
            .and_then(|a| c.model(a).ok())
            .map(scores_of)
            .map_or(&[][..], |s| s.0);
        let mut scores: Vec<ScorePair> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for m in mine {
            let k = benchmark_key(&m.benchmark);
            if seen.contains(&k) || scores.len() == 3 {
                continue;
            }
            if let Some(t) = theirs.iter().find(|t| benchmark_key(&t.benchmark) == k) {
                scores.push(ScorePair {
                    benchmark: short_name(&m.benchmark).to_string(),
                    self_hosted: Some(m.value),
                    api: Some(t.value),
                });
                seen.push(k);
            }
        }
        if scores.is_empty() {
            scores.extend(mine.iter().take(2).map(|m| ScorePair {
                benchmark: short_name(&m.benchmark).to_string(),
                self_hosted: Some(m.value),
                api: None,
            }));
            scores.extend(theirs.iter().take(2).map(|t| ScorePair {
                benchmark: short_name(&t.benchmark).to_string(),
                self_hosted: None,
                api: Some(t.value),
            }));
        }
        Comparison {
            self_hosted_model: self_hosted.to_string(),
            api_endpoint: endpoint.to_string(),
            api_model: api_model.map(str::to_string),
            relation,
            scores,
        }
    }

    fn name(id: &str) -> String {
        Catalog::get()
            .model(id)
            .map_or_else(|_| id.to_string(), |m| m.name.clone())
    }

    /// One sentence naming both models with their scores, and which is stronger.
    pub fn sentence(&self, lang: Lang) -> String {
        let api_name = self
            .api_model
            .as_deref()
            .map_or_else(|| "?".to_string(), Comparison::name);
        let fmt = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{x}"));
        let scores: Vec<String> = self
            .scores
            .iter()
            .map(|s| format!("{} {} vs {}", s.benchmark, fmt(s.self_hosted), fmt(s.api)))
            .collect();
        let head = format!(
            "{}: {} {} {} {} ({api_name})",
            lang.pick("like for like", "同档比较"),
            Comparison::name(&self.self_hosted_model),
            lang.pick("self-hosted against", "自建 对比"),
            lang.pick("API", "API"),
            self.api_endpoint
        );
        let tail = match self.relation {
            Relation::SameTier => lang.pick("the same quality tier", "同一质量档"),
            Relation::ApiStronger => lang.pick(
                "the API model is stronger: the self-hosted option buys less quality",
                "API 模型更强：自建方案的质量更低",
            ),
            Relation::SelfHostedStronger => lang.pick(
                "the self-hosted model is stronger than the API's",
                "自建模型强于 API 模型",
            ),
        };
        if scores.is_empty() {
            format!("{head}; {tail}")
        } else {
            format!("{head}; {}; {tail}", scores.join(", "))
        }
    }
}

/// A quality tier the user picks: the self-hosted deployment and the API endpoint it is compared
/// with (for the wizard's quality question).
pub struct QualityTier {
    pub label_en: &'static str,
    pub label_zh: &'static str,
    pub deployment: fn() -> Deployment,
    pub api_endpoint: &'static str,
}

impl QualityTier {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label_en, self.label_zh)
    }
}

/// The tiers, strongest first. The Flash tier is the cost model's default deployment.
pub const TIERS: [QualityTier; 4] = [
    QualityTier {
        label_en:
            "DeepSeek-V4-Pro-0813 (1.6T MoE) on 8× H200, FP4+FP8 — against the deepseek-v4-pro API",
        label_zh: "DeepSeek-V4-Pro-0813（1.6T MoE），8× H200，FP4+FP8 —— 对比 deepseek-v4-pro API",
        deployment: || Deployment {
            model: "deepseek-v4-pro-0813".into(),
            quant: "FP4-FP8".into(),
            runtime: Runtime::Sglang,
            gpu: "h200-sxm".into(),
            gpus_per_server: 8,
        },
        api_endpoint: PRO_ENDPOINT,
    },
    QualityTier {
        label_en:
            "DeepSeek-V4-Flash-0731 (284B MoE) on 4× H200, FP4+FP8 — against the deepseek-flash API",
        label_zh: "DeepSeek-V4-Flash-0731（284B MoE），4× H200，FP4+FP8 —— 对比 deepseek-flash API",
        deployment: Deployment::default,
        api_endpoint: FLASH_ENDPOINT,
    },
    QualityTier {
        label_en:
            "R1-Distill-Qwen-32B on one A100 80GB, AWQ 4-bit — weaker than the deepseek-flash API",
        label_zh: "R1-Distill-Qwen-32B，单张 A100 80GB，AWQ 4 位 —— 弱于 deepseek-flash API",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-32b".into(),
            quant: "AWQ".into(),
            runtime: Runtime::Vllm,
            gpu: "a100-80gb-sxm".into(),
            gpus_per_server: 1,
        },
        api_endpoint: FLASH_ENDPOINT,
    },
    QualityTier {
        label_en:
            "R1-Distill-Qwen-14B on one RTX 4090, Q4_K_M — weaker than the deepseek-flash API",
        label_zh: "R1-Distill-Qwen-14B，单张 RTX 4090，Q4_K_M —— 弱于 deepseek-flash API",
        deployment: || Deployment {
            model: "deepseek-r1-distill-qwen-14b".into(),
            quant: "Q4_K_M".into(),
            runtime: Runtime::LlamaCpp,
            gpu: "rtx-4090".into(),
            gpus_per_server: 1,
        },
        api_endpoint: FLASH_ENDPOINT,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_quality_tier() {
        assert_eq!(endpoint_for("deepseek-v4-pro-0813"), PRO_ENDPOINT);
        assert_eq!(endpoint_for("deepseek-v4-flash-0731"), FLASH_ENDPOINT);
        assert_eq!(endpoint_for("deepseek-r1-distill-qwen-14b"), FLASH_ENDPOINT);
        for t in &TIERS {
            assert_eq!(endpoint_for(&(t.deployment)().model), t.api_endpoint);
        }
        assert_eq!(
            Relation::of("deepseek-v4-flash-0731", "deepseek-v4.1-flash-1017"),
            Relation::SameTier
        );
        assert_eq!(
            Relation::of("deepseek-r1-distill-qwen-14b", "deepseek-v4.1-flash-1017"),
            Relation::ApiStronger
        );
    }

    #[test]
    fn scores_side_by_side() {
        let c = Comparison::new(
            "deepseek-r1-distill-qwen-14b",
            FLASH_ENDPOINT,
            Some("deepseek-v4.1-flash-1017"),
        );
        // V4.1-Flash-1017 has no table of its own: V4.1-Flash's GPQA 90.9 against the distill's 59.1.
        assert_eq!(
            c.scores[0],
            ScorePair {
                benchmark: "GPQA Diamond".into(),
                self_hosted: Some(59.1),
                api: Some(90.9)
            }
        );
        let s = c.sentence(Lang::En);
        assert!(
            s.contains("DeepSeek-R1-Distill-Qwen-14B") && s.contains("API model is stronger"),
            "{s}"
        );
    }
}
