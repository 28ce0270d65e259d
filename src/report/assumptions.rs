//! Every number the cost model used, with where its default comes from (source, date, how sure)
//! and whether the scenario changed it. Built over `CostInputs::numbers()`, so a new input shows
//! up in reports by itself (with its field path as the label until one is written here).

use crate::catalog::schema::{Confidence, Currency, Sourced};
use crate::catalog::Catalog;
use crate::cost::rates::Rates;
use crate::cost::CostInputs;
use crate::lang::Lang;
use crate::prices::{convert, Origin, Source};

/// One input of the cost model as a report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// Field path in the scenario's `costs` (`prices.pue`).
    pub field: &'static str,
    pub label: String,
    pub value: f64,
    /// Where the value comes from, in the report's language: the catalog row, the user's price
    /// file, or this scenario (with the catalog's default beside it when there is one).
    pub source: String,
    /// The source's date, `-` when it has none.
    pub date: String,
    /// How sure the source is, in words; `-` for the user's own figures.
    pub sureness: String,
    /// The scenario set this value itself.
    pub edited: bool,
}

/// A catalog default with its source, converted into the inputs' currency.
struct CatalogDefault {
    source: String,
    date: String,
    confidence: Confidence,
    value: f64,
}

fn sourced(s: &Sourced, scale: f64) -> CatalogDefault {
    CatalogDefault {
        source: s.source.clone(),
        date: s.date.clone(),
        confidence: s.confidence,
        value: s.value * scale,
    }
}

/// The catalog default behind a field that is not a price (those come resolved in `Rates`).
fn catalog_default(inputs: &CostInputs, field: &str) -> Option<CatalogDefault> {
    let d = &Catalog::get().cloud.cost_defaults;
    let from_cny = convert(1.0, Currency::Cny, inputs.currency, inputs.usd_to_cny);
    Some(match field {
        "usd_to_cny" => sourced(&d.usd_to_cny, 1.0),
        "workload.peak_to_average" => sourced(&d.peak_to_average, 1.0),
        "workload.cache_hit_share" => sourced(&d.cache_hit_share, 1.0),
        "workload.peak_share" => sourced(&d.peak_share, 1.0),
        "workload.min_user_tok_s" => sourced(&d.min_user_tok_s, 1.0),
        "workload.max_ttft_s" => sourced(&d.max_ttft_s, 1.0),
        "prices.server_share_of_gpu_cost" => sourced(&d.server_share_of_gpu_cost, 1.0),
        "prices.network_share_of_server_cost" => sourced(&d.network_share_of_server_cost, 1.0),
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

/// A price the answer resolved (scenario, price file or catalog row on the day): its value and
/// the start of its item name in `Rates::sources`.
fn resolved(rates: &Rates, field: &str) -> Option<(f64, &'static str)> {
    let off = &rates.api_off_peak;
    let peak = &rates.api_peak;
    Some(match field {
        "prices.api_cache_hit" => (off.cache_hit_per_mtok, "API cache hit, off-peak"),
        "prices.api_cache_miss" => (off.cache_miss_per_mtok, "API cache miss, off-peak"),
        "prices.api_output" => (off.output_per_mtok, "API output, off-peak"),
        "prices.api_peak_cache_hit" => (peak.cache_hit_per_mtok, "API cache hit, peak"),
        "prices.api_peak_cache_miss" => (peak.cache_miss_per_mtok, "API cache miss, peak"),
        "prices.api_peak_output" => (peak.output_per_mtok, "API output, peak"),
        "prices.cloud_gpu_hour" => (rates.cloud_gpu_hour, "rented GPU-hour"),
        "prices.gpu_price" => (rates.gpu_price, "GPU purchase"),
        "prices.electricity_per_kwh" => (rates.electricity_per_kwh, "electricity per kWh"),
        _ => return None,
    })
}

fn scenario_words(lang: Lang) -> String {
    lang.pick("set in this scenario", "本方案设定").into()
}

/// The date column of a value without a date (set in the scenario, or unknown).
fn undated(lang: Lang) -> String {
    lang.pick("undated", "无日期").into()
}

/// The sureness column of a value the scenario sets.
fn yours(lang: Lang) -> String {
    lang.pick("your value", "您的设定").into()
}

/// A resolved price's source, date and sureness.
fn from_source(s: &Source, lang: Lang) -> (String, String, String) {
    let date = if s.date.is_empty() {
        undated(lang)
    } else {
        s.date.clone()
    };
    match s.origin {
        Origin::Scenario => (scenario_words(lang), undated(lang), yours(lang)),
        Origin::UserFile => (
            s.describe(lang),
            date,
            lang.pick("your quote", "您的报价").into(),
        ),
        // The date has its own column.
        Origin::Catalog if s.estimate => (
            s.label.clone(),
            date,
            lang.pick("estimate", "估计值").into(),
        ),
        Origin::Catalog => (s.label.clone(), date, lang.pick("sourced", "有来源").into()),
    }
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
        "workload.max_ttft_s" => (
            "Longest acceptable wait for the first token, seconds",
            "首 token 最长可接受等待（秒）",
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
        "prices.api_peak_cache_hit" => (
            "API input, cache hit, peak hours, per M tokens",
            "API 输入（缓存命中，高峰时段）/ 百万 token",
        ),
        "prices.api_peak_cache_miss" => (
            "API input, cache miss, peak hours, per M tokens",
            "API 输入（未命中，高峰时段）/ 百万 token",
        ),
        "prices.api_peak_output" => (
            "API output, peak hours, per M tokens",
            "API 输出（高峰时段）/ 百万 token",
        ),
        "workload.peak_share" => (
            "Share of requests in DeepSeek's peak hours",
            "高峰时段请求占比",
        ),
        "workload.tools.searches.per_request" => {
            ("Web searches per request", "每次请求联网搜索次数")
        }
        "workload.tools.searches.per_day" => ("Web searches per day", "每天联网搜索次数"),
        "workload.tools.fetches.per_request" => {
            ("Page fetches per request", "每次请求网页抓取次数")
        }
        "workload.tools.fetches.per_day" => ("Page fetches per day", "每天网页抓取次数"),
        "workload.tools.ocr_pages.per_request" => ("OCR pages per request", "每次请求 OCR 页数"),
        "workload.tools.ocr_pages.per_day" => ("OCR pages per day", "每天 OCR 页数"),
        "workload.tools.tts_chars.per_request" => {
            ("TTS characters per request", "每次请求 TTS 字符数")
        }
        "workload.tools.tts_chars.per_day" => ("TTS characters per day", "每天 TTS 字符数"),
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
        "prices.api_peak_cache_hit",
        "prices.api_peak_cache_miss",
        "prices.api_peak_output",
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

/// Every input of the cost model, in `CostInputs::numbers()` order, with the prices as `rates`
/// resolved them.
pub fn assumptions(inputs: &CostInputs, rates: &Rates, lang: Lang) -> Vec<Assumption> {
    let sym = crate::lang::currency_code(inputs.currency);
    inputs
        .numbers()
        .into_iter()
        .map(|(field, value)| {
            let label = label(field, lang, sym);
            if let Some((value, item)) = resolved(rates, field) {
                let (source, date, sureness) = match rates.source_of(item) {
                    Some(s) => from_source(s, lang),
                    None => (
                        lang.pick("no price known", "无已知价格").into(),
                        undated(lang),
                        lang.pick("missing", "缺失").into(),
                    ),
                };
                let edited = rates
                    .source_of(item)
                    .is_some_and(|s| s.origin == Origin::Scenario);
                return Assumption {
                    field,
                    label,
                    value,
                    source,
                    date,
                    sureness,
                    edited,
                };
            }
            let Some(d) = catalog_default(inputs, field) else {
                return Assumption {
                    field,
                    label,
                    value,
                    source: scenario_words(lang),
                    date: undated(lang),
                    sureness: yours(lang),
                    edited: false,
                };
            };
            let edited = (value - d.value).abs() > 1e-9 * value.abs().max(d.value.abs()).max(1.0);
            let (source, date, sureness) = if edited {
                (
                    format!(
                        "{} ({} {})",
                        scenario_words(lang),
                        lang.pick("catalog default", "目录默认值"),
                        super::content::plain(lang, d.value)
                    ),
                    undated(lang),
                    yours(lang),
                )
            } else {
                (
                    d.source,
                    d.date,
                    confidence_label(d.confidence, lang).to_string(),
                )
            };
            Assumption {
                field,
                label,
                value,
                source,
                date,
                sureness,
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
    use crate::prices::{Day, PriceContext};

    fn rates(inputs: &CostInputs) -> Rates {
        Rates::resolve(
            inputs,
            &PriceContext::catalog_only(Day::new(2026, 12, 1).unwrap()),
        )
    }

    #[test]
    fn defaults_are_not_edited_and_every_price_has_a_dated_source() {
        let inputs = CostInputs::defaults(Currency::Usd);
        let list = assumptions(&inputs, &rates(&inputs), Lang::En);
        assert_eq!(list.len(), inputs.numbers().len());
        for a in &list {
            assert!(!a.edited, "{} is a default", a.field);
            if a.field.starts_with("prices.") {
                assert!(!a.source.is_empty() && a.date != undated(Lang::En), "{a:?}");
            }
            assert!(!a.label.contains("prices."), "{} has a label", a.field);
        }
        let output = list
            .iter()
            .find(|a| a.field == "prices.api_output")
            .unwrap();
        assert!(
            output.source.contains("api-docs.deepseek.com"),
            "{output:?}"
        );
        assert!(output.value > 0.0);
    }

    #[test]
    fn edited_values_say_so_and_converted_defaults_do_not() {
        let mut inputs = CostInputs::defaults(Currency::Usd).in_currency(Currency::Cny);
        inputs.prices.pue = 1.9;
        inputs.prices.gpu_price = Some(250_000.0);
        let list = assumptions(&inputs, &rates(&inputs), Lang::Zh);
        let find = |f: &str| list.iter().find(|a| a.field == f).unwrap();
        assert!(find("prices.pue").edited);
        assert!(find("prices.pue").source.contains("目录默认值"));
        let gpu = find("prices.gpu_price");
        assert!(gpu.edited && gpu.value == 250_000.0, "{gpu:?}");
        let eng = find("prices.engineer_per_year");
        assert!(!eng.edited, "{eng:?}");
        assert!(eng.label.contains("CNY"));
    }
}
