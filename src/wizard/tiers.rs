//! The quality question over `cost::tier::TIERS`: which tier the answers are on, choosing one (the
//! self-hosted deployment and the API endpoint it is compared with), the two models' scores side
//! by side, and a deployment's short name.

use crate::catalog::Catalog;
use crate::cost::inputs::Deployment;
use crate::cost::tier::{endpoint_for, Comparison, QualityTier, TIERS};
use crate::cost::CostInputs;
use crate::lang::Lang;
use crate::prices::PriceContext;

/// The API endpoint the answers are compared with, as `cost::rates::Rates::resolve` picks it: the
/// scenario's own choice, else the one serving the deployment's quality tier.
pub fn endpoint(inputs: &CostInputs) -> &str {
    inputs
        .prices
        .api_endpoint
        .as_deref()
        .unwrap_or_else(|| endpoint_for(&inputs.deployment.model))
}

/// True when the answers run this tier's deployment against its endpoint.
pub fn is_chosen(tier: &QualityTier, inputs: &CostInputs) -> bool {
    (tier.deployment)() == inputs.deployment && endpoint(inputs) == tier.api_endpoint
}

/// The tier the answers are on, if any (a scenario may hold its own setup).
pub fn chosen(inputs: &CostInputs) -> Option<&'static QualityTier> {
    TIERS.iter().find(|t| is_chosen(t, inputs))
}

/// Puts the answers on `tier`: its deployment, compared with its endpoint. The endpoint is left to
/// `endpoint_for` (`None`) when that picks the tier's — as it does for every tier today — so a
/// model changed later on the Costs tab keeps a like-for-like API; otherwise it is pinned. Price
/// overrides that belonged to the previous GPU or the previous endpoint are dropped.
pub fn choose(tier: &QualityTier, inputs: &mut CostInputs) {
    let deployment = (tier.deployment)();
    let p = &mut inputs.prices;
    if deployment.gpu != inputs.deployment.gpu {
        p.gpu_price = None;
        p.cloud_gpu_hour = None;
    }
    let before = endpoint(inputs).to_string();
    let p = &mut inputs.prices;
    if before != tier.api_endpoint {
        for v in p.overrides_mut().0 {
            *v = None;
        }
    }
    p.api_endpoint =
        (endpoint_for(&deployment.model) != tier.api_endpoint).then(|| tier.api_endpoint.into());
    inputs.deployment = deployment;
}

/// The tier's model against the model its endpoint serves on the prices' day.
pub fn comparison(tier: &QualityTier, inputs: &CostInputs, prices: &PriceContext) -> Comparison {
    let api = prices.api(tier.api_endpoint, inputs.currency, inputs.usd_to_cny);
    Comparison::new(
        &(tier.deployment)().model,
        tier.api_endpoint,
        api.as_ref().and_then(|a| a.serves_model.as_deref()),
    )
}

/// Up to two published scores, self-hosted against the API's model:
/// `GPQA Diamond 59.1 vs API 90.9 (API: DeepSeek-V4.1-Flash-1017)`; without a benchmark in
/// common, one of each side's. Empty without scores.
pub fn scores_line(c: &Comparison, lang: Lang) -> String {
    let shared: Vec<String> = c
        .scores
        .iter()
        .filter_map(|s| Some((s, s.self_hosted?, s.api?)))
        .take(2)
        .map(|(s, mine, theirs)| match lang {
            Lang::En => format!("{} {mine} vs API {theirs}", s.benchmark),
            Lang::Zh => format!("{} 自建 {mine} 对 API {theirs}", s.benchmark),
        })
        .collect();
    let scores = if shared.is_empty() {
        let mine = c.scores.iter().find_map(|s| Some((s, s.self_hosted?)));
        let theirs = c.scores.iter().find_map(|s| Some((s, s.api?)));
        match (mine, theirs, lang) {
            (Some((a, x)), Some((b, y)), Lang::En) => format!(
                "{} {x} self-hosted · API: {} {y} (no benchmark in common)",
                a.benchmark, b.benchmark
            ),
            (Some((a, x)), Some((b, y)), Lang::Zh) => format!(
                "{} 自建 {x} · API：{} {y}（无共同基准）",
                a.benchmark, b.benchmark
            ),
            (Some((a, x)), None, Lang::En) => format!("{} {x} self-hosted", a.benchmark),
            (Some((a, x)), None, Lang::Zh) => format!("{} 自建 {x}", a.benchmark),
            (None, Some((b, y)), _) => format!("API: {} {y}", b.benchmark),
            (None, None, _) => return String::new(),
        }
    } else {
        shared.join(" · ")
    };
    let api_model = c
        .api_model
        .as_deref()
        .map(|id| Catalog::get().model(id).map_or(id, |m| m.name.as_str()));
    match (api_model, lang) {
        (Some(m), Lang::En) => format!("{scores} (API: {m})"),
        (Some(m), Lang::Zh) => format!("{scores}（API：{m}）"),
        (None, _) => scores,
    }
}

/// A short name for a deployment: `DeepSeek-V4-Flash-0731 FP4-FP8 · 4× H200`.
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
    use crate::catalog::schema::Currency;
    use crate::cost::tier::{FLASH_ENDPOINT, PRO_ENDPOINT};
    use crate::prices::Day;

    fn on_the_day() -> PriceContext {
        PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap())
    }

    #[test]
    fn the_default_answers_are_on_the_flash_tier() {
        let i = CostInputs::default();
        let t = chosen(&i).expect("the default deployment is a tier");
        assert_eq!(t.api_endpoint, FLASH_ENDPOINT);
        assert_eq!((t.deployment)(), Deployment::default());
    }

    #[test]
    fn choosing_a_tier_sets_the_deployment_and_the_endpoint_the_plan_compares_with() {
        for (k, t) in TIERS.iter().enumerate() {
            let mut i = CostInputs::defaults(Currency::Cny);
            choose(t, &mut i);
            assert_eq!(i.deployment, (t.deployment)());
            assert_eq!(endpoint(&i), t.api_endpoint);
            assert_eq!(
                TIERS.iter().position(|o| is_chosen(o, &i)),
                Some(k),
                "exactly this tier"
            );
            let rates = crate::cost::Rates::resolve(&i, &on_the_day());
            assert_eq!(rates.comparison.api_endpoint, t.api_endpoint);
            assert_eq!(rates.comparison, comparison(t, &i, &on_the_day()));
        }
    }

    #[test]
    fn a_tier_replaces_a_pinned_endpoint_and_the_overrides_of_what_it_replaces() {
        let mut i = CostInputs::defaults(Currency::Cny);
        i.prices.api_endpoint = Some(PRO_ENDPOINT.into());
        i.prices.api_output = Some(9.0);
        i.prices.gpu_price = Some(250_000.0);
        i.prices.electricity_per_kwh = Some(1.2);
        assert!(chosen(&i).is_none(), "Flash against the Pro API is no tier");
        let flash = &TIERS[1];
        choose(flash, &mut i);
        assert!(is_chosen(flash, &i));
        assert_eq!(i.prices.api_endpoint, None, "left to endpoint_for");
        assert_eq!(i.prices.api_output, None, "belonged to deepseek-v4-pro");
        assert_eq!(i.prices.gpu_price, Some(250_000.0), "same GPU");
        // The 14B tier runs on another GPU: its purchase price goes, electricity stays.
        choose(&TIERS[3], &mut i);
        assert_eq!(i.prices.gpu_price, None);
        assert_eq!(i.prices.electricity_per_kwh, Some(1.2));
    }

    #[test]
    fn scores_side_by_side_in_both_languages() {
        let c = comparison(&TIERS[3], &CostInputs::default(), &on_the_day());
        let en = scores_line(&c, Lang::En);
        assert!(en.starts_with("GPQA Diamond 59.1 vs API 90.9"), "{en}");
        assert!(en.contains("(API: DeepSeek-V4.1-Flash-1017)"), "{en}");
        assert!(en.matches(" vs API ").count() <= 2, "{en}");
        let zh = scores_line(&c, Lang::Zh);
        assert!(zh.contains("自建 59.1 对 API 90.9"), "{zh}");
        // V4-Flash-0731's card and V4.1-Flash's share no benchmark: one of each.
        let c = comparison(&TIERS[1], &CostInputs::default(), &on_the_day());
        let en = scores_line(&c, Lang::En);
        assert!(
            en.starts_with("Terminal-Bench 2.1 82.7 self-hosted · API: GPQA Diamond 90.9"),
            "{en}"
        );
        for t in &TIERS {
            let c = comparison(t, &CostInputs::default(), &on_the_day());
            for lang in [Lang::En, Lang::Zh] {
                assert!(!scores_line(&c, lang).is_empty(), "{}", t.label_en);
            }
        }
    }
}
