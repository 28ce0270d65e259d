//! The prices one answer uses, resolved once: the scenario's own overrides, else the user's price
//! file, else the catalog row in force on the answer's day — each with its source.

use super::inputs::CostInputs;
use super::tier::{endpoint_for, Comparison};
use super::tools::ToolRate;
use crate::catalog::schema::TokenPrices;
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::prices::{newest, ApiOffer, Day, Origin, PriceContext, PriceSource, Quoted, Source};

#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// One GPU of the deployment.
    pub gpu_price: f64,
    /// One complete server (GPUs and host): a quote for the whole machine, or GPUs × price ×
    /// (1 + host share).
    pub server_capex: f64,
    pub cloud_gpu_hour: f64,
    /// Power of one GPU, kW (its TDP).
    pub gpu_kw: f64,
    pub electricity_per_kwh: f64,
    pub api_off_peak: TokenPrices,
    pub api_peak: TokenPrices,
    /// The endpoint's catalog row (after the price file); `None` if the catalog has no price for it.
    pub api: Option<ApiOffer>,
    pub comparison: Comparison,
    /// Every price used, with its origin.
    pub sources: Vec<PriceSource>,
    /// Prices neither the scenario, the price file nor the catalog gives: the options that need
    /// them are not computed.
    pub missing: Vec<&'static str>,
    /// The tools the workload calls, priced on the API and (where the price file names a
    /// replacement) on self-hosted options; empty for a workload without tools.
    pub tools: Vec<ToolRate>,
}

/// The missing-price names, as `Rates::missing` holds them.
pub const MISSING_PURCHASE: &str = "GPU purchase price";
pub const MISSING_RENTAL: &str = "cloud GPU-hour price";
pub const MISSING_API: &str = "API price";

/// A missing price's name (one of the `MISSING_*` constants) in `lang`.
pub fn missing_price_name(missing: &str, lang: Lang) -> &str {
    match (lang, missing) {
        (Lang::En, m) => m,
        (Lang::Zh, MISSING_RENTAL) => "云 GPU 小时价",
        (Lang::Zh, MISSING_API) => "API 价格",
        (Lang::Zh, _) => "采购价",
    }
}

fn ratio(peak: f64, off: f64) -> f64 {
    if off > 0.0 {
        peak / off
    } else {
        1.0
    }
}

impl Rates {
    pub fn resolve(inputs: &CostInputs, ctx: &PriceContext) -> Rates {
        let cur = inputs.currency;
        let rate = inputs.usd_to_cny;
        let d = &inputs.deployment;
        let p = &inputs.prices;
        let mut sources: Vec<PriceSource> = Vec::new();
        let mut missing = Vec::new();
        let mut add = |item: String, value: f64, source: Source| {
            sources.push(PriceSource {
                item,
                value,
                currency: cur,
                source,
            })
        };
        let scenario = |v: f64| Quoted {
            value: v,
            low: v,
            high: v,
            source: Source::scenario(),
        };

        // Purchase: the scenario's GPU price, else a whole-server quote, else the GPU's price.
        let gpu = p
            .gpu_price
            .map(scenario)
            .or_else(|| ctx.gpu_purchase(&d.gpu, cur, rate));
        let server = ctx.server_purchase(&d.gpu, d.gpus_per_server, cur, rate);
        let server_wins = p.gpu_price.is_none()
            && match (&server, &gpu) {
                (Some(s), Some(g)) => s.source.user() || !g.source.user(),
                (Some(_), None) => true,
                _ => false,
            };
        let gpu_price = gpu.as_ref().map_or(0.0, |q| q.value);
        let server_capex = match (&server, server_wins) {
            (Some(s), true) => {
                add(
                    format!("server purchase ({}× {})", d.gpus_per_server, d.gpu),
                    s.value,
                    s.source.clone(),
                );
                s.value
            }
            _ => {
                match &gpu {
                    Some(g) => add(
                        format!("GPU purchase ({})", d.gpu),
                        g.value,
                        g.source.clone(),
                    ),
                    None => missing.push(MISSING_PURCHASE),
                }
                // A DGX Spark, Mac or Strix Halo box is a whole machine: no server around it.
                let complete_box = crate::catalog::Catalog::get()
                    .gpu(&d.gpu)
                    .is_ok_and(|g| g.class.is_unified());
                let share = if complete_box {
                    0.0
                } else {
                    p.server_share_of_gpu_cost
                };
                f64::from(d.gpus_per_server) * gpu_price * (1.0 + share)
            }
        };

        let hour = p
            .cloud_gpu_hour
            .map(scenario)
            .or_else(|| ctx.cloud_gpu_hour(&d.gpu, cur, rate));
        match &hour {
            Some(h) => add(
                format!("rented GPU-hour ({})", d.gpu),
                h.value,
                h.source.clone(),
            ),
            None => missing.push(MISSING_RENTAL),
        }

        let power = p
            .electricity_per_kwh
            .map(scenario)
            .unwrap_or_else(|| ctx.electricity(cur, rate));
        add(
            "electricity per kWh".into(),
            power.value,
            power.source.clone(),
        );

        let endpoint = p
            .api_endpoint
            .clone()
            .unwrap_or_else(|| endpoint_for(&d.model).to_string());
        let api = ctx.api(&endpoint, cur, rate);
        if api.is_none() {
            missing.push(MISSING_API);
        }
        let zero = TokenPrices {
            cache_hit_per_mtok: 0.0,
            cache_miss_per_mtok: 0.0,
            output_per_mtok: 0.0,
        };
        let (off, pk) = api.as_ref().map_or((zero, zero), |a| (a.off_peak, a.peak));
        let api_source = api
            .as_ref()
            .map_or_else(Source::scenario, |a| a.source.clone());
        let mut tier = |name: &str, over: Option<f64>, over_peak: Option<f64>, o: f64, k: f64| {
            let off_v = over.unwrap_or(o);
            let peak_v = over_peak.unwrap_or(if over.is_some() {
                off_v * ratio(k, o)
            } else {
                k
            });
            let src = |given: bool| {
                if given {
                    Source::scenario()
                } else {
                    api_source.clone()
                }
            };
            add(
                format!("API {name}, off-peak ({endpoint})"),
                off_v,
                src(over.is_some()),
            );
            add(
                format!("API {name}, peak ({endpoint})"),
                peak_v,
                src(over.is_some() || over_peak.is_some()),
            );
            (off_v, peak_v)
        };
        let hit = tier(
            "cache hit",
            p.api_cache_hit,
            p.api_peak_cache_hit,
            off.cache_hit_per_mtok,
            pk.cache_hit_per_mtok,
        );
        let miss = tier(
            "cache miss",
            p.api_cache_miss,
            p.api_peak_cache_miss,
            off.cache_miss_per_mtok,
            pk.cache_miss_per_mtok,
        );
        let out = tier(
            "output",
            p.api_output,
            p.api_peak_output,
            off.output_per_mtok,
            pk.output_per_mtok,
        );

        let catalog_rate = &Catalog::get().cloud.cost_defaults.usd_to_cny;
        add(
            "CNY per USD".into(),
            rate,
            if (rate - catalog_rate.value).abs() < 1e-12 {
                Source::catalog(
                    &catalog_rate.source,
                    &catalog_rate.date,
                    catalog_rate.confidence.is_estimate(),
                )
            } else {
                Source::scenario()
            },
        );

        let tools: Vec<ToolRate> = inputs
            .workload
            .tools
            .used()
            .map(|tool| {
                let api = ctx.api_tool(tool, cur, rate);
                let self_hosted = ctx.tool_service(tool, cur, rate);
                let name = super::tools::item(tool);
                if let Some(p) = &api {
                    add(
                        format!("API {name}, per {}", p.per),
                        p.price,
                        p.source.clone(),
                    );
                }
                if let Some(p) = &self_hosted {
                    add(
                        format!("self-hosted {name} ({}), per {}", p.service, p.per),
                        p.price,
                        p.source.clone(),
                    );
                }
                ToolRate {
                    tool,
                    api,
                    self_hosted,
                }
            })
            .collect();

        let gpu_kw = Catalog::get()
            .gpu(&d.gpu)
            .ok()
            .and_then(|g| g.tdp_w)
            .unwrap_or(0.0)
            / 1000.0;
        let comparison = Comparison::new(
            &d.model,
            &endpoint,
            api.as_ref().and_then(|a| a.serves_model.as_deref()),
        );
        Rates {
            gpu_price,
            server_capex,
            cloud_gpu_hour: hour.map_or(0.0, |h| h.value),
            gpu_kw,
            electricity_per_kwh: power.value,
            api_off_peak: TokenPrices {
                cache_hit_per_mtok: hit.0,
                cache_miss_per_mtok: miss.0,
                output_per_mtok: out.0,
            },
            api_peak: TokenPrices {
                cache_hit_per_mtok: hit.1,
                cache_miss_per_mtok: miss.1,
                output_per_mtok: out.1,
            },
            api,
            comparison,
            sources,
            missing,
            tools,
        }
    }

    /// The newest date among the prices used: what the answer is "as of".
    pub fn prices_as_of(&self) -> Option<Day> {
        newest(self.sources.iter().map(|s| &s.source))
    }

    /// Whether any price comes from the user's file.
    pub fn uses_price_file(&self) -> bool {
        self.sources
            .iter()
            .any(|s| s.source.origin == Origin::UserFile)
    }

    /// The source of the first price whose item starts with `item`.
    pub fn source_of(&self, item: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|s| s.item.starts_with(item))
            .map(|s| &s.source)
    }
}
