//! Everything the cost model needs that a user chooses: workload, constraints, the self-hosted
//! deployment, and price overrides. A scenario stores these; prices left `None` come from the
//! catalog and the user's price file on the day of the answer (see `cost::rates`), so a saved
//! scenario never freezes yesterday's prices.

use super::tools::ToolUse;
use crate::catalog::schema::{Currency, Runtime};
use crate::catalog::Catalog;
use crate::prices::convert;
use serde::{Deserialize, Deserializer, Serialize};

/// Largest amount, price, count or rate accepted in the cost inputs: far above any real value, and
/// low enough that every product the cost model forms stays finite.
const MAX_AMOUNT: f64 = 1e15;
/// Longest request (prompt or output) accepted, tokens: ten times the longest context window.
const MAX_TOKENS_PER_REQUEST: f64 = 1e7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workload {
    pub requests_per_day: f64,
    /// Prompt tokens per request.
    pub input_tokens: f64,
    /// Output tokens per request, reasoning included (R1-style models think at length).
    pub output_tokens: f64,
    pub peak_to_average: f64,
    /// Share of input tokens the API serves from its context cache.
    pub cache_hit_share: f64,
    /// Share of API tokens in DeepSeek's peak hours (weekdays 09:00–12:00 and 14:00–18:00
    /// Beijing time), billed at the peak price; `cost::traffic::PeakPreset` computes typical ones.
    pub peak_share: f64,
    /// Slowest acceptable decode speed per user, tokens/s.
    pub min_user_tok_s: f64,
    /// Longest acceptable wait for the first token, seconds (prompt prefill and queueing).
    pub max_ttft_s: f64,
    pub horizon_years: f64,
    /// Agent tools the requests call (web search, page fetch, OCR, TTS); none by default, and
    /// left out of saved files when none.
    #[serde(skip_serializing_if = "ToolUse::is_empty")]
    pub tools: ToolUse,
}

impl Default for Workload {
    fn default() -> Self {
        let d = &Catalog::get().cloud.cost_defaults;
        Workload {
            requests_per_day: 10_000.0,
            input_tokens: 1000.0,
            // R1 evaluations allow 32K generated tokens; 2,000 is a moderate chain of thought
            // (UNVERIFIED typical value).
            output_tokens: 2000.0,
            peak_to_average: d.peak_to_average.value,
            cache_hit_share: d.cache_hit_share.value,
            peak_share: d.peak_share.value,
            min_user_tok_s: d.min_user_tok_s.value,
            max_ttft_s: d.max_ttft_s.value,
            horizon_years: 3.0,
            tools: ToolUse::default(),
        }
    }
}

/// Constraints and answers from the wizard.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    /// Data may not leave the premises: only local options qualify.
    pub regulated: bool,
    /// Budget over the horizon in the scenario's currency; 0 = none.
    pub budget: f64,
    /// The organisation has (or will hire) staff to run servers.
    pub has_ops_staff: bool,
}

/// The model and hardware a self-hosted deployment uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Deployment {
    pub model: String,
    pub quant: String,
    pub runtime: Runtime,
    /// Catalog GPU id.
    pub gpu: String,
    pub gpus_per_server: u32,
}

impl Default for Deployment {
    /// DeepSeek-V4-Flash-0731 in its released FP4+FP8 form on 4× H200 with SGLang: the Flash tier
    /// the `deepseek-flash` API serves, on the smallest H200 group that serves it with room for a
    /// large batch (2× H200 fits it only tightly; see the README's "Costs").
    fn default() -> Self {
        Deployment {
            model: "deepseek-v4-flash-0731".into(),
            quant: "FP4-FP8".into(),
            runtime: Runtime::Sglang,
            gpu: "h200-sxm".into(),
            gpus_per_server: 4,
        }
    }
}

/// Reads a price override written either as `Some(1.5)` / `None` or, as scenario files from
/// before 2026-12 did, as a bare number (which then counts as the scenario's own value).
fn number_or_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number, Some(number) or None")
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            f64::deserialize(d).map(Some)
        }
    }
    d.deserialize_any(V)
}

/// Price overrides and cost assumptions, all in `CostInputs::currency`. A `None` price comes from
/// the user's price file, else the catalog, for the day of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    /// The API endpoint compared; `None` = the one serving the deployment's quality tier
    /// (`cost::tier::endpoint_for`).
    pub api_endpoint: Option<String>,
    /// API off-peak (or all-day) price per million tokens.
    #[serde(deserialize_with = "number_or_option")]
    pub api_cache_hit: Option<f64>,
    #[serde(deserialize_with = "number_or_option")]
    pub api_cache_miss: Option<f64>,
    #[serde(deserialize_with = "number_or_option")]
    pub api_output: Option<f64>,
    /// API peak-hour price per million tokens; `None` = the off-peak price × the endpoint's
    /// peak ratio.
    pub api_peak_cache_hit: Option<f64>,
    pub api_peak_cache_miss: Option<f64>,
    pub api_peak_output: Option<f64>,
    /// Rented GPU, per GPU-hour.
    pub cloud_gpu_hour: Option<f64>,
    /// Purchase price of one GPU.
    pub gpu_price: Option<f64>,
    pub server_share_of_gpu_cost: f64,
    pub network_share_of_server_cost: f64,
    #[serde(deserialize_with = "number_or_option")]
    pub electricity_per_kwh: Option<f64>,
    pub pue: f64,
    pub cooling_per_kw: f64,
    pub engineer_per_year: f64,
    pub fte_local_server: f64,
    pub fte_local_cluster: f64,
    pub fte_cloud: f64,
    pub maintenance_share_per_year: f64,
    pub optimization_once: f64,
    pub optimization_per_year: f64,
    pub server_base_kw: f64,
    pub utilization: f64,
}

impl Prices {
    /// The optional price overrides: the six API prices (off-peak and peak), then the rental,
    /// purchase and electricity prices.
    pub fn overrides_mut(&mut self) -> ([&mut Option<f64>; 6], [&mut Option<f64>; 3]) {
        (
            [
                &mut self.api_cache_hit,
                &mut self.api_cache_miss,
                &mut self.api_output,
                &mut self.api_peak_cache_hit,
                &mut self.api_peak_cache_miss,
                &mut self.api_peak_output,
            ],
            [
                &mut self.cloud_gpu_hour,
                &mut self.gpu_price,
                &mut self.electricity_per_kwh,
            ],
        )
    }
}

impl Default for Prices {
    fn default() -> Self {
        CostInputs::defaults(Currency::Cny).prices
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostInputs {
    pub currency: Currency,
    /// CNY per USD, used to convert catalog prices.
    pub usd_to_cny: f64,
    pub workload: Workload,
    pub constraints: Constraints,
    pub deployment: Deployment,
    pub prices: Prices,
    /// A measured multi-user curve of one server of this deployment (`bench` on a machine with
    /// the deployment's GPUs, model, quant and runtime); when present it sets the per-server
    /// capacity instead of the estimator. Never saved with a scenario: `plan` looks it up.
    #[serde(skip)]
    pub measured: Option<super::capacity::MeasuredCurve>,
}

impl Default for CostInputs {
    fn default() -> Self {
        CostInputs::defaults(Currency::Cny)
    }
}

impl CostInputs {
    /// Catalog defaults in `currency`; every price left to the catalog and price file.
    pub fn defaults(currency: Currency) -> CostInputs {
        let d = &Catalog::get().cloud.cost_defaults;
        let rate = d.usd_to_cny.value;
        let cny = |v: f64| convert(v, Currency::Cny, currency, rate);
        CostInputs {
            currency,
            usd_to_cny: rate,
            workload: Workload::default(),
            constraints: Constraints::default(),
            prices: Prices {
                api_endpoint: None,
                api_cache_hit: None,
                api_cache_miss: None,
                api_output: None,
                api_peak_cache_hit: None,
                api_peak_cache_miss: None,
                api_peak_output: None,
                cloud_gpu_hour: None,
                gpu_price: None,
                server_share_of_gpu_cost: d.server_share_of_gpu_cost.value,
                network_share_of_server_cost: d.network_share_of_server_cost.value,
                electricity_per_kwh: None,
                pue: d.pue.value,
                cooling_per_kw: cny(d.cooling_cny_per_kw.value),
                engineer_per_year: cny(d.engineer_cny_per_year.value),
                fte_local_server: d.fte_local_server.value,
                fte_local_cluster: d.fte_local_cluster.value,
                fte_cloud: d.fte_cloud.value,
                maintenance_share_per_year: d.maintenance_share_per_year.value,
                optimization_once: cny(d.optimization_once_cny.value),
                optimization_per_year: cny(d.optimization_per_year_cny.value),
                server_base_kw: d.server_base_kw.value,
                utilization: d.utilization.value,
            },
            deployment: Deployment::default(),
            measured: None,
        }
    }

    /// The same inputs in another currency: every amount the scenario holds converted at
    /// `usd_to_cny` (prices left to the catalog are looked up in the new currency).
    pub fn in_currency(&self, to: Currency) -> CostInputs {
        let from = self.currency;
        let k = convert(1.0, from, to, self.usd_to_cny);
        let mut c = self.clone();
        c.currency = to;
        c.constraints.budget *= k;
        let p = &mut c.prices;
        for v in [
            &mut p.cooling_per_kw,
            &mut p.engineer_per_year,
            &mut p.optimization_once,
            &mut p.optimization_per_year,
        ] {
            *v *= k;
        }
        let (api, others) = p.overrides_mut();
        for v in api.into_iter().chain(others) {
            *v = v.map(|x| x * k);
        }
        c
    }

    /// Every numeric input with its field path, for validation (an unset override reads 0).
    /// Tool volumes are listed only where not 0, so workloads without tools list what they did.
    pub fn numbers(&self) -> Vec<(&'static str, f64)> {
        let w = &self.workload;
        let p = &self.prices;
        let o = |v: Option<f64>| v.unwrap_or(0.0);
        let t = &w.tools;
        let tools = [
            (
                "workload.tools.searches.per_request",
                t.searches.per_request,
            ),
            ("workload.tools.searches.per_day", t.searches.per_day),
            ("workload.tools.fetches.per_request", t.fetches.per_request),
            ("workload.tools.fetches.per_day", t.fetches.per_day),
            (
                "workload.tools.ocr_pages.per_request",
                t.ocr_pages.per_request,
            ),
            ("workload.tools.ocr_pages.per_day", t.ocr_pages.per_day),
            (
                "workload.tools.tts_chars.per_request",
                t.tts_chars.per_request,
            ),
            ("workload.tools.tts_chars.per_day", t.tts_chars.per_day),
        ];
        let mut out = vec![
            ("usd_to_cny", self.usd_to_cny),
            ("workload.requests_per_day", w.requests_per_day),
            ("workload.input_tokens", w.input_tokens),
            ("workload.output_tokens", w.output_tokens),
            ("workload.peak_to_average", w.peak_to_average),
            ("workload.cache_hit_share", w.cache_hit_share),
            ("workload.peak_share", w.peak_share),
            ("workload.min_user_tok_s", w.min_user_tok_s),
            ("workload.max_ttft_s", w.max_ttft_s),
            ("workload.horizon_years", w.horizon_years),
            ("constraints.budget", self.constraints.budget),
            ("prices.api_cache_hit", o(p.api_cache_hit)),
            ("prices.api_cache_miss", o(p.api_cache_miss)),
            ("prices.api_output", o(p.api_output)),
            ("prices.api_peak_cache_hit", o(p.api_peak_cache_hit)),
            ("prices.api_peak_cache_miss", o(p.api_peak_cache_miss)),
            ("prices.api_peak_output", o(p.api_peak_output)),
            ("prices.cloud_gpu_hour", o(p.cloud_gpu_hour)),
            ("prices.gpu_price", o(p.gpu_price)),
            (
                "prices.server_share_of_gpu_cost",
                p.server_share_of_gpu_cost,
            ),
            (
                "prices.network_share_of_server_cost",
                p.network_share_of_server_cost,
            ),
            ("prices.electricity_per_kwh", o(p.electricity_per_kwh)),
            ("prices.pue", p.pue),
            ("prices.cooling_per_kw", p.cooling_per_kw),
            ("prices.engineer_per_year", p.engineer_per_year),
            ("prices.fte_local_server", p.fte_local_server),
            ("prices.fte_local_cluster", p.fte_local_cluster),
            ("prices.fte_cloud", p.fte_cloud),
            (
                "prices.maintenance_share_per_year",
                p.maintenance_share_per_year,
            ),
            ("prices.optimization_once", p.optimization_once),
            ("prices.optimization_per_year", p.optimization_per_year),
            ("prices.server_base_kw", p.server_base_kw),
            ("prices.utilization", p.utilization),
        ];
        out.extend(tools.into_iter().filter(|(_, v)| *v != 0.0));
        out
    }

    /// Checks every number is finite, in range and small enough that no cost overflows; the
    /// message names the field.
    pub fn validate(&self) -> Result<(), String> {
        for (field, v) in self.numbers() {
            if !v.is_finite() || v < 0.0 {
                return Err(format!("field `{field}` must be a number ≥ 0, got {v}"));
            }
        }
        for (field, v) in self.numbers() {
            if v > MAX_AMOUNT {
                return Err(format!(
                    "field `{field}` is {v:e}, beyond any real value (at most 1e15)"
                ));
            }
        }
        let w = &self.workload;
        for (field, v) in [
            ("workload.input_tokens", w.input_tokens),
            ("workload.output_tokens", w.output_tokens),
        ] {
            if v > MAX_TOKENS_PER_REQUEST {
                return Err(format!(
                    "field `{field}` must be at most 10^7 tokens per request, got {v:e}"
                ));
            }
        }
        if w.peak_to_average > 1000.0 {
            return Err("field `workload.peak_to_average` must be at most 1000".into());
        }
        if w.max_ttft_s <= 0.0 {
            return Err("field `workload.max_ttft_s` must be greater than 0 seconds".into());
        }
        if w.horizon_years <= 0.0 {
            return Err("field `workload.horizon_years` must be greater than 0".into());
        }
        if w.horizon_years > 50.0 {
            return Err("field `workload.horizon_years` must be at most 50".into());
        }
        if w.requests_per_day > 1e12 {
            return Err("field `workload.requests_per_day` must be at most 10^12".into());
        }
        for (field, v) in [
            ("workload.cache_hit_share", w.cache_hit_share),
            ("workload.peak_share", w.peak_share),
            ("prices.utilization", self.prices.utilization),
        ] {
            if v > 1.0 {
                return Err(format!(
                    "field `{field}` is a share and must be at most 1 (100%), got {v}"
                ));
            }
        }
        if w.peak_to_average < 1.0 {
            return Err("field `workload.peak_to_average` must be at least 1".into());
        }
        if !(0.01..=1000.0).contains(&self.usd_to_cny) {
            return Err(format!(
                "field `usd_to_cny` must be between 0.01 and 1000, got {:e}",
                self.usd_to_cny
            ));
        }
        if self.deployment.gpus_per_server == 0 || self.deployment.gpus_per_server > 64 {
            return Err("field `deployment.gpus_per_server` must be 1–64".into());
        }
        let c = Catalog::get();
        c.model(&self.deployment.model)
            .map_err(|e| format!("field `deployment.model`: {e}"))?;
        c.quant(&self.deployment.quant)
            .map_err(|e| format!("field `deployment.quant`: {e}"))?;
        c.gpu(&self.deployment.gpu)
            .map_err(|e| format!("field `deployment.gpu`: {e}"))?;
        if let Some(e) = &self.prices.api_endpoint {
            if !c.cloud.api_prices.iter().any(|p| &p.endpoint == e) {
                return Err(format!(
                    "field `prices.api_endpoint`: unknown DeepSeek endpoint `{e}` (current ones: deepseek-flash, deepseek-v4-pro)"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_scenarios_with_bare_numbers_keep_them_as_overrides() {
        let p: Prices = ron::from_str(
            "(api_cache_hit: 0.2, api_cache_miss: Some(1.0), api_output: None, electricity_per_kwh: 1)",
        )
        .unwrap();
        assert_eq!(p.api_cache_hit, Some(0.2));
        assert_eq!(p.api_cache_miss, Some(1.0));
        assert_eq!(p.api_output, None);
        assert_eq!(p.electricity_per_kwh, Some(1.0));
        let back: Prices = ron::from_str(&ron::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }
}
