//! Everything the cost model needs, resolved to numbers in one currency. A scenario stores these,
//! so every default can be edited; `CostInputs::defaults` fills them from the catalog.

use crate::catalog::schema::{Currency, PriceQuote, Runtime};
use crate::catalog::Catalog;
use serde::{Deserialize, Serialize};

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
    /// Slowest acceptable decode speed per user, tokens/s.
    pub min_user_tok_s: f64,
    pub horizon_years: f64,
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
            min_user_tok_s: d.min_user_tok_s.value,
            horizon_years: 3.0,
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
    fn default() -> Self {
        Deployment {
            model: "deepseek-r1-0528".into(),
            quant: "FP8".into(),
            runtime: Runtime::Sglang,
            gpu: "h200-sxm".into(),
            gpus_per_server: 8,
        }
    }
}

/// Prices and cost assumptions, all in `CostInputs::currency`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    /// API, per million tokens.
    pub api_cache_hit: f64,
    pub api_cache_miss: f64,
    pub api_output: f64,
    /// Rented GPU, per GPU-hour; `None` = the cheapest catalog offer for the deployment's GPU.
    pub cloud_gpu_hour: Option<f64>,
    /// Purchase price of one GPU; `None` = the catalog price of the deployment's GPU.
    pub gpu_price: Option<f64>,
    pub server_share_of_gpu_cost: f64,
    pub network_share_of_server_cost: f64,
    pub electricity_per_kwh: f64,
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
}

impl Default for CostInputs {
    fn default() -> Self {
        CostInputs::defaults(Currency::Cny)
    }
}

/// Converts an amount between currencies at `usd_to_cny`.
pub fn convert(amount: f64, from: Currency, to: Currency, usd_to_cny: f64) -> f64 {
    match (from, to) {
        (Currency::Usd, Currency::Cny) => amount * usd_to_cny,
        (Currency::Cny, Currency::Usd) => amount / usd_to_cny,
        _ => amount,
    }
}

fn mid(p: &PriceQuote) -> f64 {
    (p.low + p.high) / 2.0
}

/// The newest list (not discounted) price of an API endpoint in the catalog, converted.
fn api_prices(catalog: &Catalog, currency: Currency, rate: f64) -> (f64, f64, f64) {
    let row = catalog
        .cloud
        .api_prices
        .iter()
        .filter(|p| {
            p.endpoint == "deepseek-reasoner"
                && !p.discount
                && p.currency == crate::catalog::schema::Currency::Usd
        })
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from));
    match row {
        Some(r) => (
            convert(r.cache_hit_per_mtok, r.currency, currency, rate),
            convert(r.cache_miss_per_mtok, r.currency, currency, rate),
            convert(r.output_per_mtok, r.currency, currency, rate),
        ),
        None => (0.0, 0.0, 0.0),
    }
}

/// The cheapest on-demand price per GPU-hour for a GPU in the catalog, converted.
pub fn cloud_gpu_hour(catalog: &Catalog, gpu: &str, currency: Currency, rate: f64) -> Option<f64> {
    catalog
        .cloud
        .instances
        .iter()
        .filter(|i| i.gpu_id == gpu && !i.confidence.is_estimate())
        .map(|i| {
            convert(
                i.per_hour / f64::from(i.gpu_count),
                i.currency,
                currency,
                rate,
            )
        })
        .min_by(f64::total_cmp)
}

/// A GPU's purchase price (catalog entry, else the cost defaults' list), converted.
pub fn gpu_price(catalog: &Catalog, gpu: &str, currency: Currency, rate: f64) -> Option<f64> {
    let from_gpus = catalog.gpu(gpu).ok().and_then(|g| g.price.clone());
    let from_defaults = catalog
        .cloud
        .cost_defaults
        .gpu_purchases
        .iter()
        .find(|p| p.gpu_id == gpu)
        .map(|p| p.price.clone());
    from_gpus
        .or(from_defaults)
        .map(|p| convert(mid(&p), p.currency, currency, rate))
}

impl CostInputs {
    /// Catalog defaults in `currency`.
    pub fn defaults(currency: Currency) -> CostInputs {
        let c = Catalog::get();
        let d = &c.cloud.cost_defaults;
        let rate = d.usd_to_cny.value;
        let cny = |v: f64| convert(v, Currency::Cny, currency, rate);
        let deployment = Deployment::default();
        let (hit, miss, out) = api_prices(c, currency, rate);
        let electricity = match currency {
            Currency::Cny => d.electricity_cny_per_kwh.value,
            Currency::Usd => d.electricity_usd_per_kwh.value,
        };
        CostInputs {
            currency,
            usd_to_cny: rate,
            workload: Workload::default(),
            constraints: Constraints::default(),
            prices: Prices {
                api_cache_hit: hit,
                api_cache_miss: miss,
                api_output: out,
                cloud_gpu_hour: None,
                gpu_price: None,
                server_share_of_gpu_cost: d.server_share_of_gpu_cost.value,
                network_share_of_server_cost: d.network_share_of_server_cost.value,
                electricity_per_kwh: electricity,
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
            deployment,
        }
    }

    /// The same inputs in another currency: every amount converted at `usd_to_cny`.
    pub fn in_currency(&self, to: Currency) -> CostInputs {
        let from = self.currency;
        let k = convert(1.0, from, to, self.usd_to_cny);
        let mut c = self.clone();
        c.currency = to;
        c.constraints.budget *= k;
        let p = &mut c.prices;
        for v in [
            &mut p.api_cache_hit,
            &mut p.api_cache_miss,
            &mut p.api_output,
            &mut p.electricity_per_kwh,
            &mut p.cooling_per_kw,
            &mut p.engineer_per_year,
            &mut p.optimization_once,
            &mut p.optimization_per_year,
        ] {
            *v *= k;
        }
        p.gpu_price = p.gpu_price.map(|v| v * k);
        p.cloud_gpu_hour = p.cloud_gpu_hour.map(|v| v * k);
        c
    }

    /// Price of one GPU-hour rented: the override, else the catalog's cheapest offer (0 when the
    /// catalog has none, which makes the cloud option free — flagged by `missing_prices`).
    pub fn cloud_gpu_hour(&self) -> f64 {
        self.prices
            .cloud_gpu_hour
            .or_else(|| {
                cloud_gpu_hour(
                    Catalog::get(),
                    &self.deployment.gpu,
                    self.currency,
                    self.usd_to_cny,
                )
            })
            .unwrap_or(0.0)
    }

    /// Purchase price of one GPU: the override, else the catalog's.
    pub fn gpu_price(&self) -> f64 {
        self.prices
            .gpu_price
            .or_else(|| {
                gpu_price(
                    Catalog::get(),
                    &self.deployment.gpu,
                    self.currency,
                    self.usd_to_cny,
                )
            })
            .unwrap_or(0.0)
    }

    /// Prices neither the scenario nor the catalog gives.
    pub fn missing_prices(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.cloud_gpu_hour() <= 0.0 {
            v.push("cloud GPU-hour price");
        }
        if self.gpu_price() <= 0.0 {
            v.push("GPU purchase price");
        }
        v
    }

    /// Every numeric input with its field path, for validation.
    pub fn numbers(&self) -> Vec<(&'static str, f64)> {
        let w = &self.workload;
        let p = &self.prices;
        vec![
            ("usd_to_cny", self.usd_to_cny),
            ("workload.requests_per_day", w.requests_per_day),
            ("workload.input_tokens", w.input_tokens),
            ("workload.output_tokens", w.output_tokens),
            ("workload.peak_to_average", w.peak_to_average),
            ("workload.cache_hit_share", w.cache_hit_share),
            ("workload.min_user_tok_s", w.min_user_tok_s),
            ("workload.horizon_years", w.horizon_years),
            ("constraints.budget", self.constraints.budget),
            ("prices.api_cache_hit", p.api_cache_hit),
            ("prices.api_cache_miss", p.api_cache_miss),
            ("prices.api_output", p.api_output),
            ("prices.cloud_gpu_hour", p.cloud_gpu_hour.unwrap_or(0.0)),
            ("prices.gpu_price", p.gpu_price.unwrap_or(0.0)),
            (
                "prices.server_share_of_gpu_cost",
                p.server_share_of_gpu_cost,
            ),
            (
                "prices.network_share_of_server_cost",
                p.network_share_of_server_cost,
            ),
            ("prices.electricity_per_kwh", p.electricity_per_kwh),
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
        ]
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
        Ok(())
    }
}
