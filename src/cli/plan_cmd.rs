//! `deepseek-advisor plan SCENARIO.ron [--prices FILE.ron]`: the recommendation, every option's
//! monthly and horizon cost (the API split into off-peak and peak), servers and GPUs, break-even
//! volumes, and every price used with its source and date.

use super::table::{key_values, Table};
use super::{lang_arg, prices_arg, CliError, PlanArgs};
use crate::cost::capacity::{capacity_evidence, Capacity};
use crate::cost::cluster::Layout;
use crate::cost::plan;
use crate::lang::{currency_code, format_amount, format_money, Lang};
use crate::number::finite;
use crate::prices::PriceContext;
use crate::scenario::Scenario;
use crate::wizard::decision::Exclusion;
use serde_json::json;
use std::io::Write;

/// One server's operating point at the service level, and what limits it.
fn capacity_json(inputs: &crate::cost::inputs::CostInputs, c: &Capacity) -> serde_json::Value {
    json!({
        "measured": super::json::measured_array(&capacity_evidence(inputs, c)),
        "requests_per_s_per_server": finite(c.requests_per_s),
        "output_tok_s_per_server": finite(c.output_tok_s),
        "concurrency": c.concurrency,
        "per_user_tok_s": finite(c.per_user_tok_s),
        "ttft_s": finite(c.ttft_s),
        "max_concurrency_by_memory": c.max_concurrency_by_memory,
        "speculative": c.speculative.map_or("off", |k| k.cli_name()),
        "limited_by": c.limit.map(|l| l.json_name()),
    })
}

pub(super) fn run(a: &PlanArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let ctx = prices_arg::context(&a.price)?;
    let mut scenario =
        Scenario::load(&a.scenario).map_err(|e| CliError::bad_input(e.to_string()))?;
    // A `bench` measurement of this deployment's server (same GPUs, model, quant, runtime)
    // sets the per-server capacity instead of the estimator.
    scenario.costs.measured = super::measured::curve_for(&scenario.costs.deployment);
    let inputs = &scenario.costs;
    let p = plan(inputs, &ctx);
    let cur = currency_code(inputs.currency);
    let text = if a.json {
        let r = &p.rates;
        let mut capacity = capacity_json(inputs, &p.capacity);
        // The `bench` curve of this deployment's server that set the capacity, or null; the
        // catalog's nearest measured points are in `measured`.
        capacity["measured_here"] = json!(inputs.measured.as_ref().map(|m| &m.source));
        let v = json!({
            "scenario": scenario.name,
            "currency": cur,
            "prices_as_of": p.prices_as_of.map(|d| d.to_string()),
            "prices_stale_days": p.stale_by_days,
            "price_file": (!ctx.user_file.is_empty()).then_some(&ctx.user_file),
            "api_price": r.api.as_ref().map(|o| json!({
                "endpoint": o.endpoint,
                "serves": o.serves,
                "serves_model": o.serves_model,
                "effective_from": o.effective_from,
                "effective_until": o.effective_until,
                "retired": o.retired,
                "peak_share": finite(inputs.workload.peak_share),
            })),
            "tools": r.tools.iter().map(|t| {
                let w = &inputs.workload;
                let daily = w.tools.volume(t.tool).daily(w.requests_per_day);
                let unit = |p: &crate::prices::UnitPrice| json!({
                    "service": p.service,
                    "price": finite(p.price),
                    "per": finite(p.per),
                    "currency": cur,
                    "source": p.source.describe(Lang::En),
                    "monthly": finite(daily * crate::cost::options::DAYS_PER_MONTH * p.per_unit()),
                });
                json!({
                    "tool": t.tool.json_name(),
                    "item": crate::cost::tools::item(t.tool),
                    "per_day": finite(daily),
                    "api": t.api.as_ref().map(unit),
                    "self_hosted": t.self_hosted.as_ref().map(unit),
                    "self_hosted_included": t.self_hosted.is_some(),
                })
            }).collect::<Vec<_>>(),
            "comparison": {
                "self_hosted_model": r.comparison.self_hosted_model,
                "api_endpoint": r.comparison.api_endpoint,
                "api_model": r.comparison.api_model,
                "relation": r.comparison.relation.json_name(),
                "scores": r.comparison.scores.iter().map(|s| json!({
                    "benchmark": s.benchmark,
                    "self_hosted": s.self_hosted,
                    "api": s.api,
                })).collect::<Vec<_>>(),
            },
            "price_sources": r.sources.iter().map(|s| json!({
                "item": s.item,
                "value": finite(s.value),
                "currency": currency_code(s.currency),
                "source": s.source.describe(Lang::En),
                "date": (!s.source.date.is_empty()).then_some(&s.source.date),
                "user": s.source.user(),
            })).collect::<Vec<_>>(),
            "recommendation": {
                "option": p.recommended.map(|k| k.json_name()),
                "reasons": p.reasons,
                "rule_of_thumb": p.rule_of_thumb.json_name(),
            },
            "capacity": capacity,
            "options": p.options.iter().map(|o| {
                let mut v = json!({
                    "option": o.kind.json_name(),
                    "feasible": o.feasible,
                    "monthly_cost": finite(o.monthly),
                    "horizon_cost": finite(o.horizon),
                    "currency": cur,
                    "servers": o.servers,
                    "gpus": o.gpus,
                    "breakdown": o.breakdown.iter().map(|(k, v)| json!({"item": k, "monthly": finite(*v)})).collect::<Vec<_>>(),
                });
                if let Some(c) = &o.cluster {
                    let disaggregated = c.layout == Layout::Disaggregated;
                    v["layout"] = json!(c.layout.json_name());
                    v["prefill_gpus"] = json!(disaggregated.then_some(c.prefill_gpus));
                    v["decode_gpus"] = json!(disaggregated.then_some(c.decode_gpus));
                    v["other_layout"] = json!(c.other.map(|(gpus, monthly)| json!({
                        "gpus": gpus,
                        "monthly_cost": finite(monthly),
                    })));
                    v["not_disaggregated"] = json!(c.not_disaggregated.map(|n| n.json_name()));
                }
                v
            }).collect::<Vec<_>>(),
            "break_even": p.break_evens.iter().map(|b| json!({
                "a": b.a.json_name(),
                "b": b.b.json_name(),
                "requests_per_day": finite(b.requests_per_day),
                "monthly_cost": finite(b.monthly),
                "at_capacity_step": b.at_capacity_step,
            })).collect::<Vec<_>>(),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        render(&scenario, &p, &ctx, lang)
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

/// `1,234` for amounts, more digits for per-token prices.
fn price(lang: Lang, v: f64) -> String {
    if v.abs() >= 100.0 {
        format_amount(lang, v)
    } else {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn render(s: &Scenario, p: &crate::cost::Plan, ctx: &PriceContext, lang: Lang) -> String {
    let w = &s.costs.workload;
    let d = &s.costs.deployment;
    let mut rows = vec![
        (lang.pick("Scenario", "方案").to_string(), s.name.clone()),
        (lang.pick("Workload", "负载").into(), {
            let (n, i, o, y) = (
                format_amount(lang, w.requests_per_day),
                w.input_tokens,
                w.output_tokens,
                w.horizon_years,
            );
            let peak = w.peak_share * 100.0;
            match lang {
                    Lang::En => format!(
                        "{n} requests/day × ({i} in + {o} out tokens), {y} years, {peak:.0}% in API peak hours"
                    ),
                    Lang::Zh => format!(
                        "{n} 次请求/天 ×（输入 {i} + 输出 {o} token），{y} 年，{peak:.0}% 落在 API 高峰时段"
                    ),
                }
        }),
    ];
    if !w.tools.is_empty() {
        let used: Vec<String> = w
            .tools
            .used()
            .map(|t| {
                format!(
                    "{} {}",
                    format_amount(lang, w.tools.volume(t).daily(w.requests_per_day)),
                    crate::cost::tools::units(t, lang)
                )
            })
            .collect();
        rows.push((
            lang.pick("Agent tools", "智能体工具").into(),
            format!("{} {}", used.join(", "), lang.pick("a day", "/天")),
        ));
    }
    rows.extend([
        (
            lang.pick("Self-hosted as", "自建配置").into(),
            format!(
                "{} {} {} {}× {} ({})",
                d.model,
                d.quant,
                lang.pick("on", "运行于"),
                d.gpus_per_server,
                d.gpu,
                d.runtime.cli_name()
            ),
        ),
        (
            lang.pick("Capacity rests on", "容量依据").into(),
            capacity_evidence(&s.costs, &p.capacity)
                .first()
                .map_or_else(
                    || {
                        lang.pick(
                            "no measurement of this model family on these GPUs yet",
                            "尚无该模型系列在这些 GPU 上的实测",
                        )
                        .to_string()
                    },
                    |n| n.describe(lang),
                ),
        ),
        (
            lang.pick("Compared with", "对比").into(),
            p.rates.comparison.sentence(lang),
        ),
        (
            lang.pick("Recommendation", "推荐").into(),
            p.recommended.map_or_else(
                || {
                    lang.pick(
                        "none: no option meets the constraints",
                        "无：没有方案满足条件",
                    )
                    .to_string()
                },
                |k| k.label(lang).to_string(),
            ),
        ),
        (
            lang.pick("Prices as of", "价格截至").into(),
            p.prices_as_of
                .map_or(lang.pick("undated", "无日期").into(), |d| d.to_string()),
        ),
    ]);
    if let Some(age) = p.stale_by_days {
        rows.push((
            lang.pick("Warning", "注意").into(),
            format!(
                "{} {age} {}",
                lang.pick("these prices are", "这些价格已有"),
                lang.pick(
                    "days old: pass a current price file with --prices FILE.ron",
                    "天未更新：请用 --prices FILE.ron 提供最新报价"
                )
            ),
        ));
    }
    if !ctx.user_file.is_empty() {
        rows.push((
            lang.pick("Your prices", "您的报价").into(),
            ctx.user_file.clone(),
        ));
    }
    let mut out = key_values(&rows);
    out.push('\n');
    let mut t = Table::new(&[
        lang.pick("option", "方案"),
        lang.pick("monthly", "每月"),
        lang.pick("horizon", "总计"),
        lang.pick("servers", "服务器"),
        "GPUs",
    ])
    .right_align(&[1, 2, 3, 4]);
    for o in &p.options {
        let (m, h) = if o.feasible {
            (
                format_money(lang, o.monthly, s.costs.currency),
                format_money(lang, o.horizon, s.costs.currency),
            )
        } else {
            (
                lang.pick("ruled out", "已排除").into(),
                Exclusion::of(&s.costs, p, o).map_or_else(
                    || lang.pick("cannot serve this volume", "无法承载").into(),
                    |e| e.reason(&s.costs, lang),
                ),
            )
        };
        t.row(vec![
            o.kind.label(lang).into(),
            m,
            h,
            o.servers.to_string(),
            o.gpus.to_string(),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    for r in p.reasons_in(&s.costs, lang) {
        out.push_str(&format!("- {r}\n"));
    }
    out.push('\n');
    let mut src = Table::new(&[
        lang.pick("price", "价格项"),
        lang.pick("value", "数值"),
        lang.pick("from", "来源"),
    ])
    .right_align(&[1]);
    for ps in &p.rates.sources {
        src.row(vec![
            ps.item.clone(),
            format!(
                "{} {}",
                price(lang, ps.value),
                crate::lang::currency_code(ps.currency)
            ),
            ps.source.describe(lang),
        ]);
    }
    out.push_str(&src.render());
    out
}
