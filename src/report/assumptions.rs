//! Every number the cost model used, with where its default comes from (source, date, how sure)
//! and whether the scenario changed it. Built over `CostInputs::numbers()`, so a new input shows
//! up in reports by itself (with its field path as the label until one is written here).

use crate::catalog::schema::{Confidence, Currency, Sourced};
use crate::catalog::Catalog;
use crate::cost::inputs::{api_price_row, cheapest_instance, convert, gpu_price_quote};
use crate::cost::CostInputs;
use crate::lang::Lang;

/// Where a default comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub source: String,
    pub date: String,
    pub confidence: Confidence,
    /// The catalog's value in the scenario's currency.
    pub default: f64,
}

/// One input of the cost model as a report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// Field path in the scenario's `costs` (`prices.pue`).
    pub field: &'static str,
    pub label: String,
    pub value: f64,
    /// `None` for the scenario's own figures (volume, tokens, horizon, budget).
    pub provenance: Option<Provenance>,
    /// The scenario's value differs from the catalog default.
    pub edited: bool,
}

fn sourced(s: &Sourced, scale: f64) -> Provenance {
    Provenance {
        source: s.source.clone(),
        date: s.date.clone(),
        confidence: s.confidence,
        default: s.value * scale,
    }
}

/// The catalog default behind a field, converted into the inputs' currency.
fn provenance(inputs: &CostInputs, field: &str) -> Option<Provenance> {
    let c = Catalog::get();
    let d = &c.cloud.cost_defaults;
    let cur = inputs.currency;
    let rate = inputs.usd_to_cny;
    let from_cny = convert(1.0, Currency::Cny, cur, rate);
    let api = |pick: fn(&crate::catalog::schema::ApiPrice) -> f64| {
        api_price_row(c).map(|r| Provenance {
            source: format!("{} ({}): {}", r.endpoint, r.serves, r.source),
            date: r.effective_from.clone(),
            confidence: r.confidence,
            default: convert(pick(r), r.currency, cur, rate),
        })
    };
    Some(match field {
        "usd_to_cny" => sourced(&d.usd_to_cny, 1.0),
        "workload.peak_to_average" => sourced(&d.peak_to_average, 1.0),
        "workload.cache_hit_share" => sourced(&d.cache_hit_share, 1.0),
        "workload.min_user_tok_s" => sourced(&d.min_user_tok_s, 1.0),
        "prices.api_cache_hit" => return api(|r| r.cache_hit_per_mtok),
        "prices.api_cache_miss" => return api(|r| r.cache_miss_per_mtok),
        "prices.api_output" => return api(|r| r.output_per_mtok),
        "prices.cloud_gpu_hour" => {
            let (i, price) = cheapest_instance(c, &inputs.deployment.gpu, cur, rate)?;
            Provenance {
                source: format!("{} {}: {}", i.provider, i.instance, i.source),
                date: i.date.clone(),
                confidence: i.confidence,
                default: price,
            }
        }
        "prices.gpu_price" => {
            let q = gpu_price_quote(c, &inputs.deployment.gpu)?;
            Provenance {
                source: q.source.clone(),
                date: q.date.clone(),
                confidence: q.confidence,
                default: convert((q.low + q.high) / 2.0, q.currency, cur, rate),
            }
        }
        "prices.server_share_of_gpu_cost" => sourced(&d.server_share_of_gpu_cost, 1.0),
        "prices.network_share_of_server_cost" => sourced(&d.network_share_of_server_cost, 1.0),
        "prices.electricity_per_kwh" => match cur {
            Currency::Cny => sourced(&d.electricity_cny_per_kwh, 1.0),
            Currency::Usd => sourced(&d.electricity_usd_per_kwh, 1.0),
        },
        "prices.pue" => sourced(&d.pue, 1.0),
        "prices.cooling_per_kw" => sourced(&d.cooling_cny_per_kw, from_cny),
        "prices.engineer_per_year" => sourced(&d.engineer_cny_per_year, from_cny),
        "prices.fte_local_server" => sourced(&d.fte_local_server, 1.0),
        "prices.fte_local_cluster" => sourced(&d.fte_local_cluster, 1.0),
        "prices.fte_cloud" => sourced(&d.fte_cloud, 1.0),
        "prices.maintenance_share_per_year" => sourced(&d.maintenance_share_per_year, 1.0),
        "prices.optimization_once" => sourced(&d.optimization_once_cny, from_cny),
        "prices.optimization_per_year" => sourced(&d.optimization_per_year_cny, from_cny),
        "prices.server_base_kw" => sourced(&d.server_base_kw, 1.0),
        "prices.utilization" => sourced(&d.utilization, 1.0),
        _ => return None,
    })
}

/// A field's label in the report's language; unknown fields show their path.
fn label(field: &'static str, lang: Lang, sym: &str) -> String {
    let (en, zh) = match field {
        "usd_to_cny" => ("CNY per USD", "美元兑人民币汇率"),
        "workload.requests_per_day" => ("Requests per day", "每日请求数"),
        "workload.input_tokens" => ("Input tokens per request", "每次请求输入 token"),
        "workload.output_tokens" => (
            "Output tokens per request (reasoning included)",
            "每次请求输出 token（含推理）",
        ),
        "workload.peak_to_average" => ("Peak ÷ average load", "峰值 ÷ 平均负载"),
        "workload.cache_hit_share" => ("API cache-hit share", "API 缓存命中率"),
        "workload.min_user_tok_s" => (
            "Slowest acceptable speed per user, tokens/s",
            "每用户最低可接受速度（token/s）",
        ),
        "workload.horizon_years" => ("Horizon, years", "周期（年）"),
        "constraints.budget" => (
            "Budget over the horizon (0 = none)",
            "周期内预算（0 = 不限）",
        ),
        "prices.api_cache_hit" => (
            "API input, cache hit, per M tokens",
            "API 输入（缓存命中）/ 百万 token",
        ),
        "prices.api_cache_miss" => (
            "API input, cache miss, per M tokens",
            "API 输入（未命中）/ 百万 token",
        ),
        "prices.api_output" => ("API output, per M tokens", "API 输出 / 百万 token"),
        "prices.cloud_gpu_hour" => ("Rented GPU, per GPU-hour", "云 GPU / GPU·小时"),
        "prices.gpu_price" => ("GPU purchase price, each", "GPU 采购价（每张）"),
        "prices.server_share_of_gpu_cost" => (
            "Rest of the server, share of the GPUs' cost",
            "服务器其余部件占 GPU 成本比例",
        ),
        "prices.network_share_of_server_cost" => (
            "Cluster network, share of the servers' cost",
            "集群网络占服务器成本比例",
        ),
        "prices.electricity_per_kwh" => ("Electricity, per kWh", "电价 / 千瓦时"),
        "prices.pue" => ("PUE (data-centre overhead)", "PUE（机房能效）"),
        "prices.cooling_per_kw" => ("Cooling build-out, per kW", "制冷建设 / 千瓦"),
        "prices.engineer_per_year" => ("Engineer, per year", "工程师年薪"),
        "prices.fte_local_server" => ("Staff for one server, FTE", "单台服务器运维人力（人）"),
        "prices.fte_local_cluster" => ("Staff for a cluster, FTE", "集群运维人力（人）"),
        "prices.fte_cloud" => ("Staff for rented GPUs, FTE", "云 GPU 运维人力（人）"),
        "prices.maintenance_share_per_year" => {
            ("Maintenance per year, share of hardware", "年维护费率")
        }
        "prices.optimization_once" => ("Model optimization, once", "模型优化（一次性）"),
        "prices.optimization_per_year" => ("Model optimization, per year", "模型优化（每年）"),
        "prices.server_base_kw" => (
            "Server power besides GPUs, kW",
            "服务器除 GPU 外功耗（千瓦）",
        ),
        "prices.utilization" => ("Utilization (share of full power)", "利用率（满功率占比）"),
        _ => return field.to_string(),
    };
    let money = [
        "prices.api_cache_hit",
        "prices.api_cache_miss",
        "prices.api_output",
        "prices.cloud_gpu_hour",
        "prices.gpu_price",
        "prices.electricity_per_kwh",
        "prices.cooling_per_kw",
        "prices.engineer_per_year",
        "prices.optimization_once",
        "prices.optimization_per_year",
        "constraints.budget",
    ];
    let text = lang.pick(en, zh);
    if money.contains(&field) {
        format!("{text} ({sym})")
    } else {
        text.to_string()
    }
}

/// Every input of the cost model, in `CostInputs::numbers()` order.
pub fn assumptions(inputs: &CostInputs, lang: Lang) -> Vec<Assumption> {
    let sym = crate::lang::currency_code(inputs.currency);
    inputs
        .numbers()
        .into_iter()
        .map(|(field, value)| {
            // The two GPU prices are `None` in a scenario that takes the catalog's.
            let value = match field {
                "prices.gpu_price" => inputs.gpu_price(),
                "prices.cloud_gpu_hour" => inputs.cloud_gpu_hour(),
                _ => value,
            };
            let provenance = provenance(inputs, field);
            let edited = provenance.as_ref().is_some_and(|p| {
                (value - p.default).abs() > 1e-9 * value.abs().max(p.default.abs()).max(1.0)
            });
            Assumption {
                field,
                label: label(field, lang, sym),
                value,
                provenance,
                edited,
            }
        })
        .collect()
}

/// How sure a source is, in words.
pub fn confidence_label(c: Confidence, lang: Lang) -> &'static str {
    match c {
        Confidence::Verified => lang.pick("verified", "已核实"),
        Confidence::Mirror => lang.pick("from a faithful copy", "来自可靠转载"),
        Confidence::Derived => lang.pick("derived (estimate)", "推算（估计）"),
        Confidence::Unverified => lang.pick("unverified (estimate)", "未核实（估计）"),
        Confidence::Low => lang.pick("weak source (estimate)", "来源较弱（估计）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_not_edited_and_every_price_has_a_source() {
        let inputs = CostInputs::defaults(Currency::Usd);
        let list = assumptions(&inputs, Lang::En);
        assert_eq!(list.len(), inputs.numbers().len());
        for a in &list {
            assert!(!a.edited, "{} is a default", a.field);
            if a.field.starts_with("prices.") {
                let p = a.provenance.as_ref().expect(a.field);
                assert!(!p.source.is_empty() && !p.date.is_empty(), "{}", a.field);
            }
            assert!(!a.label.contains("prices."), "{} has a label", a.field);
        }
    }

    #[test]
    fn an_edited_value_is_flagged_and_converted_defaults_are_not() {
        let mut inputs = CostInputs::defaults(Currency::Usd).in_currency(Currency::Cny);
        inputs.prices.pue = 1.9;
        let list = assumptions(&inputs, Lang::Zh);
        let pue = list.iter().find(|a| a.field == "prices.pue").unwrap();
        assert!(pue.edited);
        let eng = list
            .iter()
            .find(|a| a.field == "prices.engineer_per_year")
            .unwrap();
        assert!(!eng.edited, "{eng:?}");
        assert!(eng.label.contains("CNY"));
    }
}
