//! `deepseek-advisor plan SCENARIO.ron`: the recommendation, every option's monthly and horizon
//! cost, servers and GPUs, and the break-even volumes.

use super::json::finite;
use super::table::{key_values, Table};
use super::{lang_arg, CliError, PlanArgs};
use crate::cost::plan;
use crate::lang::{currency_code, format_amount, format_money, Lang};
use crate::scenario::Scenario;
use serde_json::json;
use std::io::Write;

pub(super) fn run(a: &PlanArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = lang_arg(&a.lang)?;
    let scenario = Scenario::load(&a.scenario).map_err(|e| CliError::bad_input(e.to_string()))?;
    let inputs = &scenario.costs;
    let p = plan(inputs);
    let cur = currency_code(inputs.currency);
    let text = if a.json {
        let v = json!({
            "scenario": scenario.name,
            "currency": cur,
            "recommendation": {
                "option": p.recommended.map(|k| k.json_name()),
                "reasons": p.reasons,
                "rule_of_thumb": p.rule_of_thumb.json_name(),
            },
            "capacity": {
                "requests_per_s_per_server": finite(p.capacity.requests_per_s),
                "output_tok_s_per_server": finite(p.capacity.output_tok_s),
                "concurrency": p.capacity.concurrency,
                "per_user_tok_s": finite(p.capacity.per_user_tok_s),
            },
            "options": p.options.iter().map(|o| json!({
                "option": o.kind.json_name(),
                "feasible": o.feasible,
                "monthly_cost": finite(o.monthly),
                "horizon_cost": finite(o.horizon),
                "currency": cur,
                "servers": o.servers,
                "gpus": o.gpus,
                "breakdown": o.breakdown.iter().map(|(k, v)| json!({"item": k, "monthly": finite(*v)})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
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
        render(&scenario, &p, lang)
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError {
        code: super::EXIT_INTERNAL,
        message: format!("cannot write output: {e}"),
    })
}

fn render(s: &Scenario, p: &crate::cost::Plan, lang: Lang) -> String {
    let cur = s.costs.currency;
    let w = &s.costs.workload;
    let d = &s.costs.deployment;
    let mut out = key_values(&[
        (lang.pick("Scenario", "方案").into(), s.name.clone()),
        (
            lang.pick("Workload", "负载").into(),
            format!(
                "{} {} × ({} in + {} out tokens), {} {}",
                format_amount(lang, w.requests_per_day),
                lang.pick("requests/day", "次请求/天"),
                w.input_tokens,
                w.output_tokens,
                w.horizon_years,
                lang.pick("years", "年")
            ),
        ),
        (
            lang.pick("Self-hosted as", "自建配置").into(),
            format!(
                "{} {} on {}× {} ({})",
                d.model,
                d.quant,
                d.gpus_per_server,
                d.gpu,
                d.runtime.cli_name()
            ),
        ),
        (
            lang.pick("Recommendation", "推荐").into(),
            p.recommended
                .map_or("-".into(), |k| k.label(lang).to_string()),
        ),
    ]);
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
                format_money(lang, o.monthly, cur),
                format_money(lang, o.horizon, cur),
            )
        } else {
            (
                "-".into(),
                lang.pick("cannot serve this volume", "无法承载").into(),
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
    for r in &p.reasons {
        out.push_str(&format!("- {r}\n"));
    }
    out
}
